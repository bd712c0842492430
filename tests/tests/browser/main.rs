//! keyproj in a real browser: headless Chromium driven through chromedriver, against the real
//! server with a fresh database, serving the trunk-built app from frontend/dist.

mod harness;
#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

mod accounts;
mod dashboard;
mod errors;
mod exports;
mod pages;
mod project_list;
mod reach;
mod report_import;
