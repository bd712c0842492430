-- Marks a database that holds the sample annual plans and reports `--demo` loaded
-- (backend/src/demo.rs): at most one row, written in the same transaction as the sample.
-- Every read of /healthz says so (`sample_data`), and the web app shows a banner; a
-- database with real plans, reports or accounts is never given the sample.
CREATE TABLE sample_data (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    loaded_at TEXT NOT NULL,
    plans INTEGER NOT NULL,
    reports INTEGER NOT NULL
);
