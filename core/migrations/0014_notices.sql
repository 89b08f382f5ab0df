-- Notices: what a person is told about (an answer to their comment, a decision on their
-- amendment, a new objection where they chair, a phase change where they took part). Each is
-- shown under the bell, in the person's Atom feed and, unless they turned it off, by mail.
CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES documents(id),
    kind        TEXT NOT NULL,
    -- Where on the document (a paragraph's label, an amendment's number), as words were then.
    place       TEXT NOT NULL,
    -- Who did it, by display name then; empty for the installation itself.
    by_name     TEXT NOT NULL,
    -- The path on this site the notice leads to.
    link        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notices_by_account ON notices(account_id, id);

-- Whether notices are also mailed (on unless turned off in the profile or by a mail's link).
ALTER TABLE accounts ADD COLUMN mail_notices INTEGER NOT NULL DEFAULT 1;
-- The secret that names the person's Atom feed and their mails' unsubscribe link; made when
-- first needed.
ALTER TABLE accounts ADD COLUMN notice_key TEXT;
CREATE UNIQUE INDEX accounts_by_notice_key ON accounts(notice_key);
