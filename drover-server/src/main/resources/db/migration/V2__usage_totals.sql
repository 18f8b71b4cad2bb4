-- Per namespace and attribute: how many objects carry the attribute and its sum, kept by every write, so a
-- quota check reads one row instead of summing over the namespace.
-- Releases that shipped an edited V1 already have the table; those keep their rows.
CREATE TABLE IF NOT EXISTS usage_totals (
    kind         text   NOT NULL,
    namespace    text   NOT NULL,
    attribute    text   NOT NULL,
    object_count bigint NOT NULL,
    total        bigint NOT NULL,
    PRIMARY KEY (kind, namespace, attribute)
);

-- A database from before the table counts its objects once here.
INSERT INTO usage_totals (kind, namespace, attribute, object_count, total)
SELECT r.kind, r.namespace, a.key, count(*), sum(a.value::bigint)
FROM resources r, jsonb_each_text(r.attributes) a
GROUP BY r.kind, r.namespace, a.key
ON CONFLICT (kind, namespace, attribute) DO NOTHING;
