-- Each document's decision record: every chair action with its time, actor, reason and the
-- document heads, each entry hash-chained to the one before (app::model::record). Append-only.
CREATE TABLE decision_record (
    document_id TEXT NOT NULL REFERENCES documents(id),
    seq         INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    summary     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    heads       TEXT NOT NULL,
    prev        TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (document_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER decision_record_no_update BEFORE UPDATE ON decision_record
BEGIN SELECT RAISE(ABORT, 'the decision record is append-only'); END;
CREATE TRIGGER decision_record_no_delete BEFORE DELETE ON decision_record
BEGIN SELECT RAISE(ABORT, 'the decision record is append-only'); END;
