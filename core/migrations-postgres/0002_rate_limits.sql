-- Twin of SQLite's 0018: the rate limits the processes share (`store::limits`). Per limited
-- key, when its allowance is next whole (GCRA's theoretical arrival time, in milliseconds);
-- per login, its wrong passwords.
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
