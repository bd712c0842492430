//! The loading indicator, and the box that keeps older results while new ones load.

use yew::prelude::*;

/// A `<p>`, not a `<div>`: yew matches a page's children from the last one, so a `<div>`
/// here would be reused as the last `<div>` of the content that replaces it, and the browser
/// would count that element's move down the page as a layout shift (CLS).
pub fn loading() -> Html {
    html! {
        <p class="state loading" role="status" aria-live="polite" data-testid="loading">
            <span class="spinner" aria-hidden="true"></span>
            { "正在加载…" }
        </p>
    }
}

/// Results that stay on the page while the next ones load (`updating`, see
/// `UseApi::get_keeping`): marked busy for assistive technology, dimmed if it takes a moment.
pub fn results_box(updating: bool, body: Html) -> Html {
    html! {
        <div class={if updating { "results updating" } else { "results" }}
            aria-busy={if updating { "true" } else { "false" }} data-testid="results">
            { body }
        </div>
    }
}
