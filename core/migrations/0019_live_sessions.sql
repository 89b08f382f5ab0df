-- Live sessions (`store::sessions`): a facilitated deliberation on a document, its agenda, who
-- facilitates or reports, the checks of the sense of the room and what each took in.
CREATE TABLE live_sessions (
    id           TEXT PRIMARY KEY,
    document_id  TEXT NOT NULL REFERENCES documents(id),
    title        TEXT NOT NULL,
    starts_at    BIGINT NOT NULL,
    created_by   TEXT NOT NULL REFERENCES accounts(id),
    created_at   BIGINT NOT NULL,
    -- The agenda item on every screen, if any.
    current_item TEXT,
    ended_at     BIGINT
);
CREATE INDEX live_sessions_by_document ON live_sessions (document_id, starts_at);

-- Who plays a part besides taking part: the facilitator and the rapporteur a chair named.
CREATE TABLE session_parts (
    session_id TEXT NOT NULL REFERENCES live_sessions(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    part       TEXT NOT NULL,
    PRIMARY KEY (session_id, account_id)
);

CREATE TABLE session_items (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES live_sessions(id),
    position   BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    -- The paragraph's or the amendment's id; the question's words for a question.
    target     TEXT NOT NULL,
    UNIQUE (session_id, position)
);

-- A check of the sense of the room on one item. At most one is open per session; closing it
-- keeps the item's text and the figures of that moment.
CREATE TABLE session_checks (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES live_sessions(id),
    item_id    TEXT NOT NULL REFERENCES session_items(id),
    opened_at  BIGINT NOT NULL,
    closed_at  BIGINT,
    item_text  TEXT,
    figures    TEXT
);
CREATE UNIQUE INDEX session_checks_one_open ON session_checks (session_id) WHERE closed_at IS NULL;

-- One stance per person per check (the latest counts while it is open), with where it came
-- from: online, or on a phone in the room.
CREATE TABLE check_stances (
    check_id   TEXT NOT NULL REFERENCES session_checks(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    stance     TEXT NOT NULL,
    reason     TEXT,
    source     TEXT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (check_id, account_id)
);

-- A show of hands the rapporteur counted, per stakeholder group ('' when not stated); the
-- latest count of a group replaces the one before.
CREATE TABLE check_hands (
    check_id          TEXT NOT NULL REFERENCES session_checks(id),
    stakeholder_group TEXT NOT NULL,
    support           BIGINT NOT NULL,
    can_live_with     BIGINT NOT NULL,
    oppose            BIGINT NOT NULL,
    recorded_by       TEXT NOT NULL REFERENCES accounts(id),
    at                BIGINT NOT NULL,
    PRIMARY KEY (check_id, stakeholder_group)
);
