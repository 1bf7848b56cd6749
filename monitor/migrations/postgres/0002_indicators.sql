-- Contact indicators (docs/interfaces.md, verdict.indicators): one row per kind and normalised value, the cases
-- that carry each (reported or scanned), and the reviewers' decisions on them with their history.
ALTER TABLE reports ADD COLUMN indicators TEXT NOT NULL DEFAULT '[]';

CREATE TABLE indicators (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX indicators_by_status ON indicators (status, updated_at);

CREATE TABLE case_indicators (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    first_seen BIGINT NOT NULL,
    PRIMARY KEY (case_id, indicator_id)
);
CREATE INDEX case_indicators_by_indicator ON case_indicators (indicator_id, case_id);

CREATE TABLE indicator_events (
    id BIGSERIAL PRIMARY KEY,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    at BIGINT NOT NULL,
    reviewer TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX indicator_events_by_indicator ON indicator_events (indicator_id, at);
