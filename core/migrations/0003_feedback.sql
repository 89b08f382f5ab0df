-- Feedback on paragraphs: comments, stances with their history, chairs' responses.
-- Nothing here is ever deleted: moderation hides a comment with a reason, a new stance
-- supersedes the old one, a new response supersedes the previous one.

CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    document_id   TEXT NOT NULL REFERENCES documents(id),
    paragraph_id  TEXT NOT NULL,
    -- The top-level comment this replies to (replies are one level deep).
    parent_id     INTEGER REFERENCES comments(id),
    author_id     TEXT NOT NULL REFERENCES accounts(id),
    body          TEXT NOT NULL,
    -- automerge cursors of the first and last character of the span commented on.
    anchor_first  TEXT,
    anchor_last   TEXT,
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER,
    hidden_reason TEXT,
    hidden_by     TEXT REFERENCES accounts(id),
    hidden_at     INTEGER
);
CREATE INDEX comments_by_paragraph ON comments(document_id, paragraph_id, id);
CREATE INDEX comments_by_parent ON comments(parent_id);
CREATE TRIGGER comments_no_delete BEFORE DELETE ON comments
BEGIN SELECT RAISE(ABORT, 'comments are hidden, never deleted'); END;

-- What a comment said before each edit by its author.
CREATE TABLE comment_edits (
    comment_id  INTEGER NOT NULL REFERENCES comments(id),
    body        TEXT NOT NULL,
    replaced_at INTEGER NOT NULL
);

-- Every stance ever stated, in order.
CREATE TABLE stance_history (
    id            INTEGER PRIMARY KEY,
    document_id   TEXT NOT NULL REFERENCES documents(id),
    paragraph_id  TEXT NOT NULL,
    account_id    TEXT NOT NULL REFERENCES accounts(id),
    stance        TEXT NOT NULL CHECK (stance IN ('support', 'can-live-with', 'oppose')),
    reason        TEXT,
    created_at    INTEGER NOT NULL
);
CREATE TRIGGER stance_history_no_update BEFORE UPDATE ON stance_history
BEGIN SELECT RAISE(ABORT, 'stance history is append-only'); END;
CREATE TRIGGER stance_history_no_delete BEFORE DELETE ON stance_history
BEGIN SELECT RAISE(ABORT, 'stance history is append-only'); END;

-- The stance that counts: one per participant per paragraph, the latest.
CREATE TABLE stances (
    document_id   TEXT NOT NULL,
    paragraph_id  TEXT NOT NULL,
    account_id    TEXT NOT NULL,
    entry_id      INTEGER NOT NULL REFERENCES stance_history(id),
    PRIMARY KEY (document_id, paragraph_id, account_id)
) WITHOUT ROWID;

-- A chair's responses to comments and to objections (stance entries); the latest counts.
CREATE TABLE responses (
    id            INTEGER PRIMARY KEY,
    document_id   TEXT NOT NULL REFERENCES documents(id),
    comment_id    INTEGER REFERENCES comments(id),
    stance_id     INTEGER REFERENCES stance_history(id),
    disposition   TEXT NOT NULL
        CHECK (disposition IN ('answered', 'accepted', 'partly-accepted', 'not-accepted')),
    reason        TEXT NOT NULL,
    chair_id      TEXT NOT NULL REFERENCES accounts(id),
    created_at    INTEGER NOT NULL,
    CHECK ((comment_id IS NULL) <> (stance_id IS NULL))
);
CREATE INDEX responses_by_comment ON responses(comment_id) WHERE comment_id IS NOT NULL;
CREATE INDEX responses_by_stance ON responses(stance_id) WHERE stance_id IS NOT NULL;
CREATE INDEX responses_by_document ON responses(document_id);
CREATE TRIGGER responses_no_update BEFORE UPDATE ON responses
BEGIN SELECT RAISE(ABORT, 'responses are append-only'); END;
CREATE TRIGGER responses_no_delete BEFORE DELETE ON responses
BEGIN SELECT RAISE(ABORT, 'responses are append-only'); END;
