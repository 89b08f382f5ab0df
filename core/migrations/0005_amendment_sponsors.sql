-- Participants who co-sponsor an amendment, besides its proposer.
CREATE TABLE amendment_sponsors (
    amendment_id INTEGER NOT NULL REFERENCES amendments(id),
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (amendment_id, account_id)
) WITHOUT ROWID;
