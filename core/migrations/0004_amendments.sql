-- Amendments: each is the branch of automerge changes a proposal made on a fork of the document
-- at its base heads, kept apart from the text until a chair accepts it.
CREATE TABLE amendments (
    id              INTEGER PRIMARY KEY,
    document_id     TEXT NOT NULL REFERENCES documents(id),
    proposer_id     TEXT NOT NULL REFERENCES accounts(id),
    rationale       TEXT NOT NULL,
    -- The heads it was written against, hex, comma-separated.
    base            TEXT NOT NULL,
    -- Its changes since the base (`save_after`), and the actor that wrote them.
    changes         BLOB NOT NULL,
    actor           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted',
                        'accepted-with-modification', 'rejected', 'withdrawn', 'superseded')),
    created_at      INTEGER NOT NULL,
    decided_by      TEXT REFERENCES accounts(id),
    decided_at      INTEGER,
    decision_reason TEXT
);
CREATE INDEX amendments_by_document ON amendments(document_id, id);
CREATE TRIGGER amendments_no_delete BEFORE DELETE ON amendments
BEGIN SELECT RAISE(ABORT, 'amendments are decided, never deleted'); END;
