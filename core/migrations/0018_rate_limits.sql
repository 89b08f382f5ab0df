-- Rate limits several processes share (`store::limits`): one row per limited key, holding
-- when its allowance is next whole (GCRA's theoretical arrival time, in milliseconds), and
-- the wrong passwords per login. One process on SQLite keeps them in memory instead; the
-- tables are here so that both databases have one schema.
CREATE TABLE rate_buckets (
    bucket TEXT PRIMARY KEY,
    full_at BIGINT NOT NULL
);
CREATE INDEX rate_buckets_by_time ON rate_buckets (full_at);

CREATE TABLE sign_in_failures (
    login TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (last_at);
