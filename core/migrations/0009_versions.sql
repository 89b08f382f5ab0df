-- Named versions of a document, cut by a chair: the heads they were cut at and the text then
-- (kept as read, so that opening or exporting a version needs no replay of the history).
CREATE TABLE versions (
    document_id TEXT NOT NULL REFERENCES documents(id),
    name        TEXT NOT NULL,
    summary     TEXT NOT NULL,
    heads       TEXT NOT NULL,
    outline     TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES accounts(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (document_id, name)
) WITHOUT ROWID;
CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'a version never changes'); END;
CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'a version is never deleted'); END;
