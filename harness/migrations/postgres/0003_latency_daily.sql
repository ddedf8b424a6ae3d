-- The latency histograms per API and Paris day rather than per hour: a month's report reads
-- a few hundred rows per partner, and one partner's rows are one range of the primary key.
-- The hourly ones a store already holds are added up into days by vigie when it opens the
-- store (a histogram cannot be added to in SQL), then `latency_hourly` is dropped.
--
-- A partner's target keys and latency scopes are the range from `partner/` up to `partner0`:
-- true in byte order only. Both columns compare by byte ("C"), whatever the database's
-- collation (glibc's fr_FR.UTF-8 ignores the `/` and would put `d974/x` after `d9740`).
ALTER TABLE targets ALTER COLUMN key TYPE TEXT COLLATE "C";
CREATE TABLE latency_daily (
    api TEXT COLLATE "C" NOT NULL,
    day_ms BIGINT NOT NULL,
    latency BYTEA NOT NULL,
    PRIMARY KEY (api, day_ms)
);
CREATE INDEX latency_daily_by_day ON latency_daily (day_ms);
