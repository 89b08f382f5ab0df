-- A stance counts only once its author has confirmed their e-mail address, and only while the
-- chairs of a document have not set it aside (a burst of accounts made to stuff the figures).

-- When the account's address was confirmed (seconds since the epoch); accounts made before
-- confirmation existed were let in by their groups and count as confirmed.
ALTER TABLE accounts ADD COLUMN confirmed_at INTEGER;
UPDATE accounts SET confirmed_at = CAST(strftime('%s', 'now') AS INTEGER);

-- The address a registration came from, so that chairs can see accounts made together. Chairs
-- are shown which accounts share one, never the address itself.
ALTER TABLE accounts ADD COLUMN registered_from TEXT;

-- Links sent to confirm an address; only a hash of each token is kept.
CREATE TABLE address_confirmations (
    token_hash  TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX address_confirmations_by_account ON address_confirmations(account_id);

-- Accounts whose stances on a document the chairs set aside; each setting aside and each
-- return is a decision record entry.
CREATE TABLE stances_set_aside (
    document_id TEXT NOT NULL REFERENCES documents(id),
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    set_by      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (document_id, account_id)
);
