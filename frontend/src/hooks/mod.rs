//! Custom hooks: the fetch state of a page, the session, a form's state, the owner names,
//! the document title.

mod use_api;
mod use_form;
mod use_owners;
pub mod use_plan_grid;
mod use_sample_data;
mod use_session;
mod use_store;
mod use_title;

pub use use_api::{Fetched, answer, use_api};
pub use use_form::{Draft, FormState, use_form};
pub use use_owners::use_owners;
pub use use_sample_data::use_sample_data;
pub use use_session::{Auth, SessionState, use_session};
pub use use_store::{Store, use_store};
pub use use_title::{set_title, use_title};
