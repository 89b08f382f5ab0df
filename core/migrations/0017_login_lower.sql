-- Logins are looked up as `lower(login) = lower(?)`, the spelling PostgreSQL (which has no
-- NOCASE) shares; this index serves that lookup as the NOCASE one served `login = ?`.
CREATE INDEX accounts_login_lower ON accounts (lower(login));
