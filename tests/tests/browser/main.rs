//! keyproj in a real browser: headless Chromium driven through chromedriver, against the real
//! server with a fresh database, serving the trunk-built app from frontend/dist.

mod harness;
#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

mod a11y;
mod accounts;
mod console;
mod dashboard;
mod demo;
mod errors;
mod exports;
mod owner_filter;
mod pages;
mod plan_grid;
mod plan_import;
mod plan_path;
mod preloads;
mod project_list;
mod project_plan;
mod reach;
mod report_import;
mod review_context;
mod warnings;

/// The browser talks to the server directly: a test takes the server away under a loaded
/// page, which a proxy in between would hide.
const CHECK_EVERY_ANSWER: bool = false;
mod timeliness;
