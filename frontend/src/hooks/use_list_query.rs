//! `use_list_query`: the project list's state lives in the address bar. This reads it and
//! pushes a new history entry on every change, so back and forward step through filters.

use keyproj_shared::{FieldError, ListQuery};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
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
    let location = use_location();
    let navigator = use_navigator();
    let search = location
        .as_ref()
        .map(|l| l.query_str().to_string())
        .unwrap_or_default();
    let query = list_query_from_search(&search);
    let shown = query.clone();
    let push = Callback::from(move |q: ListQuery| {
        // Searching again for what is on screen adds no history entry.
        if shown.as_ref() == Ok(&q) {
            return;
        }
        if let Some(nav) = &navigator {
            // `to_pairs` leaves defaults out, so the plain list stays `/projects`. Encoding
            // string pairs cannot fail; should it, staying on the page is the right outcome.
            let _ = nav.push_with_query(&Route::Projects, q.to_pairs());
        }
    });
    UseListQuery { query, push }
}
