-- Published outputs as a citable series (`store::outputs`).

-- The installation's one series: its name, the prefix before every number and the statuses a
-- chair may give (a JSON array of strings), as an admin last set them.
CREATE TABLE series (
    id        BIGINT PRIMARY KEY CHECK (id = 1),
    name      TEXT NOT NULL,
    prefix    TEXT NOT NULL,
    statuses  TEXT NOT NULL,
    set_by    TEXT REFERENCES accounts(id),
    set_at    BIGINT
);
INSERT INTO series (id, name, prefix, statuses)
VALUES (1, 'Published outputs', 'OUT',
        '["Recommendation","Best Practice","Informational","Historic"]');

-- A group's threshold rule (JSON of `domain::api::Threshold`), as its chairs or an admin set it.
CREATE TABLE thresholds (
    group_id TEXT PRIMARY KEY REFERENCES groups(id),
    rule     TEXT NOT NULL,
    set_by   TEXT NOT NULL REFERENCES accounts(id),
    set_at   BIGINT NOT NULL
);

-- The rule a document's consultation opened under: the group's rule of that moment, kept.
CREATE TABLE document_thresholds (
    document_id TEXT PRIMARY KEY REFERENCES documents(id),
    rule        TEXT NOT NULL,
    fixed_at    BIGINT NOT NULL
);

-- Every phase a document entered and when: how long its text was open to everyone.
CREATE TABLE phase_moves (
    document_id TEXT NOT NULL REFERENCES documents(id),
    phase       TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX phase_moves_document ON phase_moves (document_id, at);

-- A published output: its number, what it was published as and its text (JSON of the
-- outline), never changed and never deleted.
CREATE TABLE outputs (
    number          BIGINT PRIMARY KEY,
    document_id     TEXT NOT NULL UNIQUE REFERENCES documents(id),
    prefix          TEXT NOT NULL,
    series_name     TEXT NOT NULL,
    title           TEXT NOT NULL,
    status          TEXT NOT NULL,
    group_id        TEXT NOT NULL,
    group_name      TEXT NOT NULL,
    language        TEXT NOT NULL,
    published_at    BIGINT NOT NULL,
    published_by    TEXT NOT NULL,
    text            TEXT NOT NULL,
    text_hash       TEXT NOT NULL,
    evaluation      TEXT NOT NULL,
    override_reason TEXT,
    endorsements    TEXT NOT NULL
);
CREATE TRIGGER outputs_no_update BEFORE UPDATE ON outputs
BEGIN SELECT RAISE(ABORT, 'a published output never changes'); END;
CREATE TRIGGER outputs_no_delete BEFORE DELETE ON outputs
BEGIN SELECT RAISE(ABORT, 'a published output never changes'); END;

-- What a number updates or obsoletes, written with it.
CREATE TABLE output_links (
    number  BIGINT NOT NULL REFERENCES outputs(number),
    kind    TEXT NOT NULL CHECK (kind IN ('updates', 'obsoletes')),
    target  BIGINT NOT NULL REFERENCES outputs(number),
    PRIMARY KEY (number, target)
);
CREATE INDEX output_links_target ON output_links (target);
CREATE TRIGGER output_links_no_update BEFORE UPDATE ON output_links
BEGIN SELECT RAISE(ABORT, 'a published output never changes'); END;
CREATE TRIGGER output_links_no_delete BEFORE DELETE ON output_links
BEGIN SELECT RAISE(ABORT, 'a published output never changes'); END;
