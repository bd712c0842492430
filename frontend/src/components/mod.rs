//! Props-only building blocks. None of them fetches anything.

pub mod annual_plans;
pub mod budget_table;
pub mod charts;
pub mod due;
pub mod empty;
pub mod error_box;
pub mod filters;
pub mod form;
pub mod gantt;
pub mod gate;
pub mod header;
pub mod import_result;
pub mod loading;
pub mod money;
pub mod pager;
pub mod pivot_table;
pub mod progress_chart;
pub mod project_table;
pub mod reconciliation;
pub mod report_history;
pub mod review_context;
pub mod sample_banner;
pub mod select;
pub mod table;
pub mod totals_bar;
pub mod warning_filter;
