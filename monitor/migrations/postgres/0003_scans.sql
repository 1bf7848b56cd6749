-- Crawled postings (jobguard-monitor ingest): a case says where it came from (a reader's report or a scan), and
-- each scanned posting keeps what the scan saw (the evidence a takedown request quotes).
ALTER TABLE cases ADD COLUMN source TEXT NOT NULL DEFAULT 'report';

CREATE TABLE scans (
    url_norm TEXT PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    score BIGINT NOT NULL,
    level TEXT NOT NULL,
    rules TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    scanned_at BIGINT NOT NULL
);
CREATE INDEX scans_by_case ON scans (case_id);
