//! keyproj's API tests: the real server on port 0, a fresh SQLite file per test, HTTP from
//! the outside. One binary; each module is one concern.

mod accounts;
mod audit;
mod audit_chain;
mod backup;
mod concurrency;
mod contract;
mod csrf;
mod data_fidelity;
mod database;
mod docs;
mod edits;
mod errors;
mod export;
mod helpers;
mod input_rules;
mod logins;
mod meta;
mod money_limits;
mod processes;
mod projects;
mod reconciliation;
mod report_import;
mod reports;
mod schema_parity;
mod summary;
