-- Twin of SQLite's 0021: a live session's deliberative poll (`store::sessions`).
ALTER TABLE live_sessions ADD COLUMN poll_round TEXT;

CREATE TABLE poll_questions (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES live_sessions(id),
    position   BIGINT NOT NULL,
    question   TEXT NOT NULL,
    UNIQUE (session_id, position)
);

CREATE TABLE poll_answers (
    question_id TEXT NOT NULL REFERENCES poll_questions(id),
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    round       TEXT NOT NULL,
    value       BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (question_id, account_id, round)
);
