-- Drover as a Cluster API IPAM provider. One row per address of a pool that was ever handed out: held while
-- released_at is null, resting after its release until the pool's reuseAfter has passed, then free to be handed out
-- again (the row is taken over). The primary key is what makes an address impossible to hand out twice; every
-- allocation takes the pool's advisory lock first, so concurrent allocators (replicas, management clusters) queue.
CREATE TABLE ip_allocations (
    pool               text        NOT NULL,
    address            text        NOT NULL,
    management_cluster text        NOT NULL,
    claim_uid          text        NOT NULL,
    claim_namespace    text        NOT NULL,
    claim_name         text        NOT NULL,
    team               text        NOT NULL DEFAULT '',
    cluster            text        NOT NULL DEFAULT '',
    environment        text        NOT NULL DEFAULT '',
    machine            text        NOT NULL DEFAULT '',
    allocated_at       timestamptz NOT NULL,
    released_at        timestamptz,
    PRIMARY KEY (pool, address)
);
-- One held address per claim.
CREATE UNIQUE INDEX ip_allocations_held_claim ON ip_allocations (management_cluster, claim_uid) WHERE released_at IS NULL;

-- Who held which address when: every allocation and release, never updated.
CREATE TABLE ip_allocation_log (
    id                 bigserial   PRIMARY KEY,
    at                 timestamptz NOT NULL,
    action             text        NOT NULL CHECK (action IN ('allocated', 'released', 'reclaimed')),
    pool               text        NOT NULL,
    address            text        NOT NULL,
    management_cluster text        NOT NULL,
    claim_uid          text        NOT NULL,
    claim_namespace    text        NOT NULL,
    claim_name         text        NOT NULL,
    team               text        NOT NULL DEFAULT '',
    cluster            text        NOT NULL DEFAULT '',
    environment        text        NOT NULL DEFAULT '',
    machine            text        NOT NULL DEFAULT ''
);
CREATE INDEX ip_allocation_log_address ON ip_allocation_log (pool, address, at);
