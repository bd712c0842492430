//! `use_list_query`: the project list's state lives in the address bar. This reads it and
//! pushes a new history entry on every change, so back and forward step through filters.

use keyproj_shared::{FieldError, ListQuery};
use yew::prelude::*;

use super::use_search::use_search;
use crate::services::nav;
use crate::services::query_string::list_query_from_search;

pub struct UseListQuery {
    /// The query in the address bar, or why it is not a valid one.
    pub query: Result<ListQuery, Vec<FieldError>>,
    /// Navigates to the project list with this query (a new history entry, unless it is
    /// the query already shown).
    pub push: Callback<ListQuery>,
}

#[hook]
pub fn use_list_query() -> UseListQuery {
    let query = list_query_from_search(&use_search());
    // `to_pairs` leaves defaults out, so the plain list stays `/projects`.
    let push = Callback::from(|q: ListQuery| nav::push_query("/projects", &q.to_pairs()));
    UseListQuery { query, push }
}
