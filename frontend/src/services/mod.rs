//! The client of keyproj's REST API, served from the same origin under `/api`, and the
//! address bar that holds each page's state.

mod api;
mod error;
pub mod join;
pub mod nav;
pub mod query_string;

pub use api::{
    ExportFormat, all_projects, export_url, get_project, list_projects, owners, pivot,
    reconciliation, summary,
};
pub use error::ApiError;
