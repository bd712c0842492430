-- Monthly reports imported from a workbook (POST /api/reports/import): one row per real
-- import (its answer kept, so the same file sent again by the same user is answered from it
-- and creates nothing), and per upload with errors (the marked-up copy, for its uploader).
CREATE TABLE report_imports (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    dry_run BOOLEAN NOT NULL,
    applied BOOLEAN NOT NULL,
    rows_total INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    result_json TEXT NOT NULL,
    -- the upload with each bad cell highlighted and commented (an XLSX), when it had errors
    error_workbook BYTEA
);

-- a file applies once per user: the replay is found by this, and a race loses on it
CREATE UNIQUE INDEX report_imports_applied ON report_imports (user_id, sha256) WHERE applied;
