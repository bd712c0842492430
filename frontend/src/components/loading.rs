//! The loading indicator.

use yew::prelude::*;

pub fn loading() -> Html {
    html! {
        <div class="state loading" role="status" aria-live="polite" data-testid="loading">
            <span class="spinner" aria-hidden="true"></span>
            { "正在加载…" }
        </div>
    }
}
