-- The latency histograms per API and Paris day rather than per hour: a month's report reads
-- a few hundred rows per partner, and one partner's rows are one range of the primary key.
-- The hourly ones a store already holds are added up into days by vigie when it opens the
-- store (a histogram cannot be added to in SQL), then `latency_hourly` is dropped.
CREATE TABLE latency_daily (
    api TEXT NOT NULL,
    day_ms BIGINT NOT NULL,
    latency BYTEA NOT NULL,
    PRIMARY KEY (api, day_ms)
);
CREATE INDEX latency_daily_by_day ON latency_daily (day_ms);
