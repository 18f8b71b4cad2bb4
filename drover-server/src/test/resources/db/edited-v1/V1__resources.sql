-- Objects of every kind, as the JSON the API serves (with metadata.resourceVersion inside).
CREATE TABLE resources (
    kind             text   NOT NULL,
    namespace        text   NOT NULL,
    name             text   NOT NULL,
    resource_version bigint NOT NULL,
    labels           jsonb  NOT NULL,
    -- small numeric facts that admission aggregates (a Cluster's node count), so quotas need no JSON parsing
    attributes       jsonb  NOT NULL,
    body             text   NOT NULL,
    PRIMARY KEY (kind, namespace, name)
);

-- The change feed behind watch: one row per write, in resource-version order.
CREATE TABLE changes (
    resource_version bigint      PRIMARY KEY,
    kind             text        NOT NULL,
    namespace        text        NOT NULL,
    name             text        NOT NULL,
    event            text        NOT NULL CHECK (event IN ('ADDED', 'MODIFIED', 'DELETED')),
    labels           jsonb       NOT NULL,
    body             text        NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_by_kind ON changes (kind, resource_version);

-- 'revision': the last resource version handed out (its row lock serialises writers, also across replicas);
-- 'compacted': the newest resource version whose change was removed from the feed.
CREATE TABLE store_state (
    key   text   PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO store_state (key, value) VALUES ('revision', 0), ('compacted', 0);

CREATE TABLE tokens (
    id          text        PRIMARY KEY,
    secret_hash text        NOT NULL UNIQUE,
    team        text,
    admin       boolean     NOT NULL,
    description text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (admin OR team IS NOT NULL)
);

CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Per namespace and attribute: how many objects carry the attribute and its sum, kept by every write, so a
-- quota check reads one row instead of summing over the namespace.
CREATE TABLE usage_totals (
    kind         text   NOT NULL,
    namespace    text   NOT NULL,
    attribute    text   NOT NULL,
    object_count bigint NOT NULL,
    total        bigint NOT NULL,
    PRIMARY KEY (kind, namespace, attribute)
);
