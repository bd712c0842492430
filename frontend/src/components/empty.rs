//! What a list shows when nothing matches.

use yew::prelude::*;

/// The message, and optional actions under it (e.g. a link that clears the filters).
pub fn empty(message: &'static str, actions: Html) -> Html {
    html! {
        <div class="state empty" role="status" data-testid="empty">
            <p>{ message }</p>
            <div class="actions">{ actions }</div>
        </div>
    }
}

pub const NO_MATCH: &str = "没有符合条件的项目";
