//! keyproj: the online tracker for the 87 key projects of Xiangtan's 14th Five-Year
//! civil-affairs plan. The binary in main.rs only reads settings and calls `startup`.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod budget;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod edits;
pub mod error;
pub mod evaluation;
pub mod export;
pub mod findings;
pub mod import;
pub mod migrate_data;
pub mod models;
pub mod oc4ids;
pub mod plan_grid;
pub mod plan_import;
pub mod plans;
pub mod precondition;
pub mod progress;
pub mod reports;
pub mod review;
pub mod routes;
pub mod schema;
pub mod seed;
pub mod sheet;
pub mod startup;
pub mod timeliness;
pub mod verdicts;
pub mod warning_export;
pub mod warnings;

pub use config::{AuditCommand, Cli, Command, Settings, UserCommand};
pub use startup::Application;
