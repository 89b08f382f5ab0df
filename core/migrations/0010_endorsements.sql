-- Endorsements of a closed document's final text: by a person, for themselves or on behalf of
-- an organisation they name. One per person and document; withdrawing deletes it.
CREATE TABLE endorsements (
    document_id  TEXT NOT NULL REFERENCES documents(id),
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    on_behalf_of TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (document_id, account_id)
) WITHOUT ROWID;
