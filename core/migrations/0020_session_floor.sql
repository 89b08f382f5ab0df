-- The floor of a live session (`store::sessions`): the speaking queue, what the rapporteur
-- noted from people without a device, and the points of consensus a chair recognised.

-- A raised hand: someone signed in (`account_id`), or someone the rapporteur put in the queue
-- by name. A person has at most one hand up at a time.
CREATE TABLE session_queue (
    id                TEXT PRIMARY KEY,
    session_id        TEXT NOT NULL REFERENCES live_sessions(id),
    account_id        TEXT REFERENCES accounts(id),
    name              TEXT NOT NULL,
    stakeholder_group TEXT NOT NULL,
    source            TEXT NOT NULL,
    raised_at         BIGINT NOT NULL,
    called_at         BIGINT,
    lowered_at        BIGINT
);
CREATE UNIQUE INDEX session_queue_one_hand ON session_queue (session_id, account_id)
    WHERE called_at IS NULL AND lowered_at IS NULL AND account_id IS NOT NULL;

-- A comment from the floor, as the rapporteur noted it: attributed (`speaker`) or not.
CREATE TABLE floor_comments (
    id                TEXT PRIMARY KEY,
    session_id        TEXT NOT NULL REFERENCES live_sessions(id),
    item_id           TEXT NOT NULL REFERENCES session_items(id),
    body              TEXT NOT NULL,
    speaker           TEXT,
    stakeholder_group TEXT NOT NULL,
    recorded_by       TEXT NOT NULL REFERENCES accounts(id),
    at                BIGINT NOT NULL
);
CREATE INDEX floor_comments_by_session ON floor_comments (session_id, at);

-- An item on which a chair found rough consensus, with the reason (which cites the checks).
CREATE TABLE session_points (
    session_id TEXT NOT NULL REFERENCES live_sessions(id),
    item_id    TEXT NOT NULL REFERENCES session_items(id),
    reason     TEXT NOT NULL,
    marked_by  TEXT NOT NULL REFERENCES accounts(id),
    at         BIGINT NOT NULL,
    PRIMARY KEY (session_id, item_id)
);
