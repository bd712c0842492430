//! The client of keyproj's REST API, served from the same origin under `/api`, and the
//! address bar that holds each page's state.

mod account;
mod api;
mod error;
mod json;
pub mod nav;
mod plan_import;
mod plans;
pub mod query_string;
mod read;
mod reports;
mod timeliness;

pub use account::{
    create_user, login, logout, may_be_signed_in, session, set_user_disabled, update_user, users,
};
pub use api::{
    ExportFormat, all_projects, budget, export_url, get_project, health, list_projects,
    on_unauthorized, owners, pivot, reconciliation, sample_from_page, summary, warning_summary,
    warnings,
};
pub use error::ApiError;
pub use plan_import::{import_plans, plan_template_url};
pub use plans::{
    plan_grid, project_plans, project_progress, project_warnings, revise_plan,
    revise_warning_rules, warning_count, warning_rules, warnings_export_url,
};
pub use reports::{
    audit, import_workbook, new_idempotency_key, project_reports, report_queue, review_report,
    submit_report, template_url,
};
pub use timeliness::{
    evaluation, evaluation_export_url, ranking_export_url, timeliness_due, timeliness_export_url,
    timeliness_month, timeliness_ranking,
};
