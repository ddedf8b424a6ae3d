-- The probe store on PostgreSQL: the layout of SQLite's layout 3 (see src/store/records.rs),
-- with PostgreSQL's types. Applied once per database by `database::migrate`.
CREATE TABLE targets (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    api TEXT NOT NULL,
    version TEXT NOT NULL,
    operation TEXT NOT NULL
);
CREATE TABLE probes (
    target_id BIGINT NOT NULL REFERENCES targets (id),
    scheduled_ms BIGINT NOT NULL,
    started_ms BIGINT NOT NULL,
    duration_ms DOUBLE PRECISION NOT NULL,
    interval_ms BIGINT NOT NULL,
    status BIGINT,
    outcome BIGINT NOT NULL,
    violations TEXT,
    evidence TEXT,
    PRIMARY KEY (target_id, scheduled_ms)
);
CREATE INDEX probes_by_time ON probes (scheduled_ms);
CREATE INDEX probes_down ON probes (scheduled_ms) WHERE outcome = 3;
CREATE TABLE hourly (
    target_id BIGINT NOT NULL REFERENCES targets (id),
    hour_ms BIGINT NOT NULL,
    probes BIGINT NOT NULL,
    observed_ms BIGINT NOT NULL,
    down_ms BIGINT NOT NULL,
    excluded_ms BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    under_1s BIGINT NOT NULL,
    violations BIGINT NOT NULL DEFAULT 0,
    over_6s BIGINT NOT NULL DEFAULT 0,
    classes BYTEA,
    PRIMARY KEY (target_id, hour_ms)
);
CREATE INDEX hourly_by_time ON hourly (hour_ms);
CREATE TABLE down_spans (
    target_id BIGINT NOT NULL REFERENCES targets (id),
    from_ms BIGINT NOT NULL,
    to_ms BIGINT NOT NULL
);
CREATE INDEX down_spans_by_target ON down_spans (target_id, from_ms);
CREATE TABLE latency_hourly (
    api TEXT NOT NULL,
    hour_ms BIGINT NOT NULL,
    latency BYTEA NOT NULL,
    PRIMARY KEY (hour_ms, api)
);
CREATE TABLE runs (
    started_ms BIGINT PRIMARY KEY,
    contract_profile TEXT NOT NULL,
    source TEXT NOT NULL,
    unstored BIGINT NOT NULL DEFAULT 0
);
