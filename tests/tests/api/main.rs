//! keyproj's API tests: the real server on port 0, a fresh SQLite file per test, HTTP from
//! the outside. One binary; each module is one concern.

mod access_matrix;
mod accounts;
mod audit;
mod audit_chain;
mod backup;
mod budget;
mod concurrency;
mod conditional_get;
mod contract;
mod csrf;
mod data_fidelity;
mod database;
mod demo;
mod docs;
mod edits;
mod errors;
mod evaluation;
mod export;
mod helpers;
mod input_rules;
mod logins;
mod meta;
mod money_limits;
mod oc4ids;
mod owners;
mod plan_grid;
mod plan_import;
mod plans;
mod processes;
mod progress;
mod projects;
mod reconciliation;
mod report_import;
mod reports;
mod response_cache;
mod review_context;
mod robots;
mod schema_parity;
mod session_marker;
mod shell;
mod statements;
mod summary;
mod warning_cache;
mod warning_counts;
mod warning_export;
mod warning_list;
mod warnings;

/// Every answer the tests receive passes a proxy that holds it to the API document.
const CHECK_EVERY_ANSWER: bool = true;
mod timeliness;
