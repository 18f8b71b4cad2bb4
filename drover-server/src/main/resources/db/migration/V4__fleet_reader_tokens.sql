-- A third token scope beside platform admin and team: read-only access to the fleet repository's git server, for the
-- GitOps engine. Such a token is neither an admin nor a team's.
ALTER TABLE tokens ADD COLUMN fleet_reader boolean NOT NULL DEFAULT false;
ALTER TABLE tokens DROP CONSTRAINT IF EXISTS tokens_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_scope CHECK (
    (admin AND NOT fleet_reader AND team IS NULL)
    OR (fleet_reader AND NOT admin AND team IS NULL)
    OR (team IS NOT NULL AND NOT admin AND NOT fleet_reader));
