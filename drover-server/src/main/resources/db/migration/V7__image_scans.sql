-- The latest scan report per team and image digest, which the Applications' scan gates read: a digest names the bytes
-- scanned, where a tag can be pushed again. Per team, so that one team's report never lets another team's image in.
CREATE TABLE image_scans (
    team        text        NOT NULL,
    digest      text        NOT NULL,
    image       text        NOT NULL,
    scanner     text        NOT NULL,
    summary     text        NOT NULL,
    findings    jsonb       NOT NULL,
    reported_by text        NOT NULL,
    reported_at timestamptz NOT NULL,
    PRIMARY KEY (team, digest)
);
