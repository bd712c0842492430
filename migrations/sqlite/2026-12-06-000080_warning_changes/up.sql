-- Which projects each data version touched, for the per-process cache of warnings
-- (backend/src/verdicts.rs): a write that changes a project's plans, reports or master data
-- records (new data version, project id) in the same transaction as it raises the data
-- version (`data_version::bump_touching`). A server whose cached warnings are at version V
-- re-judges only the projects logged after V; a version with no row here (a write that
-- did not say what it touched) makes it re-judge everything.
CREATE TABLE warning_changes (
    version BIGINT NOT NULL,
    project_id INTEGER NOT NULL,
    PRIMARY KEY (version, project_id)
);
