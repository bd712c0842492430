//! Custom hooks: the fetch state of a page, and the list query the address bar holds.

mod use_api;
mod use_list_query;

pub use use_api::{ApiState, use_api};
pub use use_list_query::{UseListQuery, use_list_query};
