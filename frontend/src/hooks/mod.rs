//! Custom hooks: the fetch state of a page, and the state the address bar holds.

mod use_api;
mod use_list_query;
mod use_owners;
mod use_search;

pub use use_api::{ApiState, use_api};
pub use use_list_query::{UseListQuery, use_list_query};
pub use use_owners::use_owners;
pub use use_search::{use_search, use_title};
