-- Accounts, sessions, progress reports and the audit trail.
-- Times are TEXT, RFC 3339 UTC with milliseconds ("2026-11-29T04:14:06.123Z"): one fixed
-- width, so they compare and sort as text on both engines.
-- Only the id columns are SQLite-specific (INTEGER PRIMARY KEY); the rest is portable SQL.

-- Master-data version (ETag) and the latest approved progress of each project, written when
-- finance approves a report, so totals never scan the reports.
ALTER TABLE projects ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE projects ADD COLUMN approved_report_id INTEGER;
ALTER TABLE projects ADD COLUMN approved_period TEXT;
ALTER TABLE projects ADD COLUMN approved_progress_bp INTEGER;
ALTER TABLE projects ADD COLUMN approved_investment_completed_cents BIGINT;
ALTER TABLE projects ADD COLUMN approved_social_investment_completed_cents BIGINT;
ALTER TABLE projects ADD COLUMN approved_status TEXT;

CREATE INDEX projects_approved_status ON projects (approved_status);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    -- argon2id PHC string
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'finance', 'owner')),
    organisation_id INTEGER REFERENCES organisations (id),
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    -- owners belong to an organisation; nobody else does
    CHECK ((role = 'owner') = (organisation_id IS NOT NULL))
);

-- The token itself is never stored: only its SHA-256, so a copy of the database opens no
-- session. Idle expiry is last_seen_at + the configured idle time; expires_at is absolute.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- Append-only in practice: a correction is a new row; only state, review and version change.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    period TEXT NOT NULL,
    physical_progress_bp INTEGER NOT NULL CHECK (physical_progress_bp BETWEEN 0 AND 10000),
    investment_completed_cents BIGINT NOT NULL CHECK (investment_completed_cents >= 0),
    social_investment_completed_cents BIGINT NOT NULL
        CHECK (social_investment_completed_cents >= 0
               AND social_investment_completed_cents <= investment_completed_cents),
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed', 'suspended')),
    actual_start TEXT,
    actual_end TEXT,
    progress_text TEXT NOT NULL,
    problems_text TEXT NOT NULL,
    over_total_reason TEXT,
    state TEXT NOT NULL CHECK (state IN ('submitted', 'approved', 'returned', 'superseded')),
    supersedes_id INTEGER REFERENCES reports (id),
    submitted_by INTEGER NOT NULL REFERENCES users (id),
    submitted_at TEXT NOT NULL,
    reviewed_by INTEGER REFERENCES users (id),
    reviewed_at TEXT,
    review_reason TEXT,
    idempotency_key TEXT,
    request_fingerprint TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (submitted_by, idempotency_key)
);

CREATE INDEX reports_project ON reports (project_id, period);
CREATE INDEX reports_state ON reports (state);

-- Every change, who made it and what it was before and after. Triggers below refuse UPDATE
-- and DELETE, so not even the application can rewrite it.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation_id INTEGER,
    entity TEXT NOT NULL CHECK (entity IN ('project', 'report', 'user', 'session')),
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    request_id TEXT NOT NULL
);

CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
