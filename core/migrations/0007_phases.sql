-- A document's phase and when it ends (Unix seconds); a phase past its deadline is moved on
-- to the next one the first time anyone asks, and by a ticker.
ALTER TABLE documents ADD COLUMN phase TEXT NOT NULL DEFAULT 'drafting'
    CHECK (phase IN ('drafting', 'consultation', 'last-call', 'closed'));
ALTER TABLE documents ADD COLUMN deadline INTEGER;
CREATE INDEX documents_by_deadline ON documents(deadline) WHERE deadline IS NOT NULL;
