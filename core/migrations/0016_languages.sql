-- The language a person reads Accord in, once chosen (NULL: their browser's).
ALTER TABLE accounts ADD COLUMN language TEXT;
-- The language a document is written in (its exports and report say so; Arabic opens right to
-- left); NULL: its group's.
ALTER TABLE documents ADD COLUMN language TEXT;
-- The language a group's documents are written in unless their chair says otherwise.
ALTER TABLE groups ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
