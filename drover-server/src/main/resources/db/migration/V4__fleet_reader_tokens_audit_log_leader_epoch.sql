-- A third token scope beside platform admin and team: read-only access to the fleet repository's git server, for the
-- GitOps engine. Such a token is neither an admin nor a team's.
ALTER TABLE tokens ADD COLUMN fleet_reader boolean NOT NULL DEFAULT false;
ALTER TABLE tokens DROP CONSTRAINT IF EXISTS tokens_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_scope CHECK (
    (admin AND NOT fleet_reader AND team IS NULL)
    OR (fleet_reader AND NOT admin AND team IS NULL)
    OR (team IS NOT NULL AND NOT admin AND NOT fleet_reader));

-- Every write (in the transaction of the write itself) and every refusal (on its own), for `drover audit`.
CREATE TABLE audit_log (
    id             bigserial   PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text        NOT NULL,
    groups         text        NOT NULL DEFAULT '',
    team           text        NOT NULL DEFAULT '',
    verb           text        NOT NULL,
    kind           text        NOT NULL DEFAULT '',
    namespace      text        NOT NULL DEFAULT '',
    name           text        NOT NULL DEFAULT '',
    version_before bigint,
    version_after  bigint,
    code           integer     NOT NULL,
    message        text        NOT NULL DEFAULT '',
    source         text        NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_team_at ON audit_log (team, at);

-- The elected leader's fencing token: each election takes the next value, and the controllers' writes check it in
-- their own transaction, so a deposed leader's late writes are refused.
INSERT INTO store_state (key, value) VALUES ('leader_epoch', 0) ON CONFLICT DO NOTHING;
