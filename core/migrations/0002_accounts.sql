-- Accounts, sessions, group memberships, invitations and the audit log.
CREATE TABLE accounts (
    id                TEXT PRIMARY KEY,
    login             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash     TEXT NOT NULL,
    display_name      TEXT NOT NULL,
    affiliation       TEXT NOT NULL DEFAULT '',
    stakeholder_group TEXT NOT NULL,
    region            TEXT NOT NULL,
    gender            TEXT,
    age_band          TEXT,
    is_admin          INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Only a hash of each session token is stored, so a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL
);
CREATE INDEX sessions_by_account ON sessions(account_id);

CREATE TABLE memberships (
    group_id    TEXT NOT NULL REFERENCES groups(id),
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('participant', 'drafter', 'chair')),
    PRIMARY KEY (group_id, account_id)
);

CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    group_id    TEXT NOT NULL REFERENCES groups(id),
    role        TEXT NOT NULL CHECK (role IN ('participant', 'drafter', 'chair')),
    created_by  TEXT NOT NULL REFERENCES accounts(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0,
    accepted_by TEXT REFERENCES accounts(id),
    accepted_at INTEGER
);

-- The automerge actor ids the server assigned to each account's sync sessions.
CREATE TABLE account_actors (
    actor       TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
);

-- Security-relevant events. Append-only: the triggers refuse updates and deletes.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    kind        TEXT NOT NULL,
    actor       TEXT,
    address     TEXT,
    detail      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
