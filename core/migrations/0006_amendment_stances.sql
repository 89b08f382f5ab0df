-- Stances on amendments: one current stance per participant and amendment, the latest; every
-- stance ever stated is copied into an append-only history by the triggers below.
CREATE TABLE amendment_stances (
    amendment_id INTEGER NOT NULL REFERENCES amendments(id),
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    stance       TEXT NOT NULL CHECK (stance IN ('support', 'can-live-with', 'oppose')),
    reason       TEXT,
    stated_at    INTEGER NOT NULL,
    PRIMARY KEY (amendment_id, account_id)
) WITHOUT ROWID;

CREATE TABLE amendment_stance_history (
    amendment_id INTEGER NOT NULL,
    account_id   TEXT NOT NULL,
    stance       TEXT NOT NULL,
    reason       TEXT,
    stated_at    INTEGER NOT NULL
);
CREATE TRIGGER amendment_stance_stated AFTER INSERT ON amendment_stances
BEGIN
    INSERT INTO amendment_stance_history VALUES
        (NEW.amendment_id, NEW.account_id, NEW.stance, NEW.reason, NEW.stated_at);
END;
CREATE TRIGGER amendment_stance_changed AFTER UPDATE ON amendment_stances
BEGIN
    INSERT INTO amendment_stance_history VALUES
        (NEW.amendment_id, NEW.account_id, NEW.stance, NEW.reason, NEW.stated_at);
END;
CREATE TRIGGER amendment_stance_history_no_update BEFORE UPDATE ON amendment_stance_history
BEGIN SELECT RAISE(ABORT, 'stance history is append-only'); END;
CREATE TRIGGER amendment_stance_history_no_delete BEFORE DELETE ON amendment_stance_history
BEGIN SELECT RAISE(ABORT, 'stance history is append-only'); END;
CREATE TRIGGER amendment_stances_no_delete BEFORE DELETE ON amendment_stances
BEGIN SELECT RAISE(ABORT, 'a stance is replaced, never deleted'); END;

-- A chair's adjustment when accepting with modification: the changes merged on top of the
-- amendment's own (`Automerge::save_after` of the heads the chair read), and their actor.
ALTER TABLE amendments ADD COLUMN modification BLOB;
ALTER TABLE amendments ADD COLUMN modification_actor TEXT;
