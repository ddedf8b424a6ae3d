-- Several `vigie probe` instances on one store: each says it is alive (seen_ms, the server's
-- clock) at least every quarter of its lease; the live ones share the targets out.
CREATE TABLE instances (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid BIGINT NOT NULL,
    started_ms BIGINT NOT NULL,
    seen_ms BIGINT NOT NULL,
    lease_ms BIGINT NOT NULL
);
