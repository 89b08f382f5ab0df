-- Stances on amendments kept the way stances on paragraphs are (0003): every stance ever stated
-- is an entry of an append-only history, with an id, and the stance that counts is a pointer to
-- each person's latest entry. 0006 kept the current stance as a row of its own and copied it
-- into a history by triggers (which a restore had to quiet, 0011); the store now appends an entry
-- only when it differs from the person's current one, in one transaction, for paragraphs and
-- amendments alike. With the triggers gone, nothing reads 0011's `restoring` any more.

DROP TRIGGER amendment_stance_stated;
DROP TRIGGER amendment_stance_changed;
DROP TRIGGER amendment_stance_history_no_update;
DROP TRIGGER amendment_stance_history_no_delete;
DROP TRIGGER amendment_stances_no_delete;
ALTER TABLE amendment_stance_history RENAME TO amendment_stance_history_0006;
ALTER TABLE amendment_stances RENAME TO amendment_stances_0006;

-- Every stance ever stated on an amendment, in order.
CREATE TABLE amendment_stance_history (
    id           INTEGER PRIMARY KEY,
    amendment_id INTEGER NOT NULL REFERENCES amendments(id),
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    stance       TEXT NOT NULL CHECK (stance IN ('support', 'can-live-with', 'oppose')),
    reason       TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX amendment_stance_history_by_amendment
    ON amendment_stance_history(amendment_id, account_id, id);

-- The history so far, in the order it was written.
INSERT INTO amendment_stance_history (amendment_id, account_id, stance, reason, created_at)
SELECT amendment_id, account_id, stance, reason, stated_at
FROM amendment_stance_history_0006 ORDER BY rowid;

-- A current stance whose history does not end with it (the triggers always wrote one, so this
-- finds nothing in a database Accord wrote) becomes the person's latest entry, so that the
-- stance that counts stays the one that counted.
INSERT INTO amendment_stance_history (amendment_id, account_id, stance, reason, created_at)
SELECT c.amendment_id, c.account_id, c.stance, c.reason, c.stated_at
FROM amendment_stances_0006 c
WHERE NOT EXISTS (
    SELECT 1 FROM amendment_stance_history h
    WHERE h.id = (SELECT MAX(l.id) FROM amendment_stance_history l
                  WHERE l.amendment_id = c.amendment_id AND l.account_id = c.account_id)
      AND h.stance = c.stance AND h.reason IS c.reason)
ORDER BY c.stated_at, c.amendment_id, c.account_id;

-- The stance that counts: one per person per amendment, the latest.
CREATE TABLE amendment_stances (
    amendment_id INTEGER NOT NULL REFERENCES amendments(id),
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    entry_id     INTEGER NOT NULL REFERENCES amendment_stance_history(id),
    PRIMARY KEY (amendment_id, account_id)
) WITHOUT ROWID;

INSERT INTO amendment_stances (amendment_id, account_id, entry_id)
SELECT amendment_id, account_id, MAX(id) FROM amendment_stance_history
GROUP BY amendment_id, account_id;

DROP TABLE amendment_stances_0006;
DROP TABLE amendment_stance_history_0006;

CREATE TRIGGER amendment_stance_history_no_update BEFORE UPDATE ON amendment_stance_history
BEGIN SELECT RAISE(ABORT, 'stance history is append-only'); END;
CREATE TRIGGER amendment_stance_history_no_delete BEFORE DELETE ON amendment_stance_history
BEGIN SELECT RAISE(ABORT, 'stance history is append-only'); END;
CREATE TRIGGER amendment_stances_no_delete BEFORE DELETE ON amendment_stances
BEGIN SELECT RAISE(ABORT, 'a stance is replaced, never deleted'); END;

DROP TABLE restoring;
