-- Cases: one per normalised posting URL; reports: each reader's report of it.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url_norm TEXT NOT NULL UNIQUE,
    domain TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',
    report_count INTEGER NOT NULL DEFAULT 0,
    max_score INTEGER NOT NULL DEFAULT 0,
    lang TEXT NOT NULL,
    first_reported INTEGER NOT NULL,
    last_reported INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX cases_by_reports ON cases (report_count DESC, max_score DESC);
CREATE INDEX cases_by_domain ON cases (domain);
CREATE INDEX cases_by_status ON cases (status);

CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    rules TEXT NOT NULL,
    score INTEGER NOT NULL,
    level TEXT NOT NULL,
    pack_version INTEGER NOT NULL,
    extension_version TEXT NOT NULL,
    lang TEXT NOT NULL,
    country TEXT,
    excerpt TEXT,
    comment TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX reports_by_case ON reports (case_id, created_at);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    at INTEGER NOT NULL,
    reviewer TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX case_events_by_case ON case_events (case_id, at);

CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    url_norm TEXT NOT NULL,
    rules TEXT NOT NULL,
    score INTEGER NOT NULL,
    pack_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE rule_feedback (
    rule TEXT PRIMARY KEY,
    not_scam INTEGER NOT NULL,
    last_at INTEGER NOT NULL
);

CREATE TABLE reviewers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    reviewer_id INTEGER NOT NULL REFERENCES reviewers (id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE packs (
    version INTEGER PRIMARY KEY,
    envelope TEXT NOT NULL,
    published_at INTEGER NOT NULL
);
