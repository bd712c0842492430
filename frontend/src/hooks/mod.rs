//! Custom hooks: the fetch state of a page, the owner names, the document title.

mod use_api;
mod use_owners;
mod use_title;

pub use use_api::{Fetched, answer, use_api};
pub use use_owners::use_owners;
pub use use_title::use_title;
