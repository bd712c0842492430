//! The client of keyproj's REST API, served from the same origin under `/api`.

mod api;
mod error;
pub mod query_string;

pub use api::{get_project, list_projects, summary};
pub use error::ApiError;
