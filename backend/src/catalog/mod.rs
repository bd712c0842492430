//! Reads of the plan. `reads` runs on a blocking thread with a connection in hand and
//! coordinates the model's queries; `views` turns the rows and sums it gets into the
//! `shared` wire types. Handlers only parse, call one of the reads, and answer.

pub mod by_warning;
mod derived;
mod reads;
mod views;

pub use derived::{Derived, PlanWide};
pub use reads::{
    ExportProject, check_filter, export_page, export_rows, export_start, pivot, project_detail,
    project_page, reconciliation, summary,
};
