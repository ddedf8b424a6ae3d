-- Each target's rollups per Paris day beside its hours: a month's report reads 24 times fewer
-- rows (the summary of a hundred partners' month: 80 600 days instead of 1.93 M hours). The
-- hours a store already holds are added up into days by vigie when it opens the store.
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
