//! The query strings of the API's list-like routes: parsed and validated here, so the backend
//! refuses exactly what the frontend would never build, and both agree on the names. Each
//! route declares its parameters once (`params!` in `parse`); `from_pairs` reads and
//! `to_pairs` writes from that one declaration.

mod audit;
mod export;
mod filter;
mod list;
mod parse;
mod plan_grid;
mod reports;
mod sort;
mod summary;
mod timeliness;
mod warnings;

pub use audit::{AuditQuery, DEFAULT_AUDIT_PER_PAGE, MAX_AUDIT_ENTITY_ID_LEN, MAX_AUDIT_PER_PAGE};
pub use export::ExportQuery;
pub use filter::{
    DistrictFilter, ProjectFilter, StatusFilter, UNREPORTED_KEY, UNREPORTED_LABEL, YEARS,
};
pub use list::{DEFAULT_PER_PAGE, ListQuery, MAX_PER_PAGE};
pub use plan_grid::{DEFAULT_PLAN_GRID_PER_PAGE, MAX_PLAN_GRID_PER_PAGE, PlanGridQuery};
pub use reports::{
    DEFAULT_REPORTS_PER_PAGE, MAX_REPORT_PROJECT_LEN, MAX_REPORTS_PER_PAGE, ReportQuery,
};
pub use sort::{Sort, SortColumn};
pub use summary::{GroupBy, SummaryQuery};
pub use timeliness::{DEFAULT_RANKING_MONTHS, MAX_RANKING_MONTHS, RankingQuery, TimelinessQuery};
pub use warnings::{
    ColourFilter, DEFAULT_WARNINGS_PER_PAGE, MAX_WARNINGS_PER_PAGE, WarningQuery,
    current_reporting_month,
};
