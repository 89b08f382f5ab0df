-- Deadlines those taking part were warned of (a day ahead), so that each is warned of once;
-- a new deadline for the same phase is warned of again.
CREATE TABLE deadline_warnings (
    document_id TEXT NOT NULL REFERENCES documents(id),
    deadline    INTEGER NOT NULL,
    warned_at   INTEGER NOT NULL,
    PRIMARY KEY (document_id, deadline)
);
