//! Props-only building blocks. None of them fetches anything.

pub mod district_filter;
pub mod empty;
pub mod error_box;
pub mod header;
pub mod loading;
pub mod money;
pub mod pager;
pub mod project_table;
pub mod totals_bar;
