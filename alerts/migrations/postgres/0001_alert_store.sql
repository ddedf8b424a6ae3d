-- The alert store on PostgreSQL: the engine's state, every incident, the outbox (see
-- src/store/mod.rs). Applied once per database by `database::migrate`.
CREATE TABLE alert_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE incidents (
    id BIGINT PRIMARY KEY,
    state TEXT NOT NULL,
    opened_ms BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE outbox (
    key TEXT NOT NULL,
    channel TEXT NOT NULL,
    incident BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    message TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_ms BIGINT NOT NULL,
    delivered_ms BIGINT,
    last_error TEXT,
    -- Who is sending it (an instance's claim), and until when the claim holds.
    claimed_by TEXT,
    claimed_until BIGINT,
    PRIMARY KEY (key, channel)
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE delivered_ms IS NULL;
