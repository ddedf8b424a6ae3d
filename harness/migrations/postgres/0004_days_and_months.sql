-- Each target's rollups per Paris day beside its hours, and the latency histograms per API
-- and Paris month rather than per day: a month's report reads 24 times fewer rows and one
-- histogram per API (the summary of a hundred partners' month: 80 600 days instead of
-- 1.93 M hours, 500 histograms instead of 15 500). vigie adds up what a store already holds
-- when it opens it: the hours into days, the daily histograms into months (then
-- `latency_daily` is dropped).
CREATE TABLE daily (
    target_id BIGINT NOT NULL REFERENCES targets (id),
    day_ms BIGINT NOT NULL,
    probes BIGINT NOT NULL,
    observed_ms BIGINT NOT NULL,
    down_ms BIGINT NOT NULL,
    excluded_ms BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    under_1s BIGINT NOT NULL,
    violations BIGINT NOT NULL,
    over_6s BIGINT NOT NULL,
    classes BYTEA,
    PRIMARY KEY (target_id, day_ms)
);
CREATE TABLE latency_monthly (
    api TEXT COLLATE "C" NOT NULL,
    month_ms BIGINT NOT NULL,
    latency BYTEA NOT NULL,
    PRIMARY KEY (api, month_ms)
);
CREATE INDEX latency_monthly_by_month ON latency_monthly (month_ms);
