-- Groups own documents; accounts and roles come with a later migration.
CREATE TABLE groups (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('bpf', 'dc', 'other')),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    group_id    TEXT NOT NULL REFERENCES groups(id),
    -- Mirrors of the automerge document, for listing without loading it.
    title       TEXT NOT NULL,
    paragraphs  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- A document is its latest compacted save plus every incremental chunk stored after it.
CREATE TABLE document_snapshots (
    document_id TEXT PRIMARY KEY REFERENCES documents(id),
    bytes       BLOB NOT NULL,
    -- The highest document_changes.seq folded into `bytes`.
    last_seq    INTEGER NOT NULL
);

CREATE TABLE document_changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents(id),
    bytes       BLOB NOT NULL
);
CREATE INDEX document_changes_by_document ON document_changes(document_id, seq);
