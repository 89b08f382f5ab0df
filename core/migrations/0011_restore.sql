-- While an archive is restored, a row stands here inside the restoring transaction (no other
-- connection ever sees it): rows copied from the archive keep their own stance history, so
-- the trigger that writes history for new stances stands aside.
CREATE TABLE restoring (since INTEGER NOT NULL);

DROP TRIGGER amendment_stance_stated;
CREATE TRIGGER amendment_stance_stated AFTER INSERT ON amendment_stances
WHEN NOT EXISTS (SELECT 1 FROM restoring)
BEGIN
    INSERT INTO amendment_stance_history VALUES
        (NEW.amendment_id, NEW.account_id, NEW.stance, NEW.reason, NEW.stated_at);
END;
