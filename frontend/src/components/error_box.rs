//! An error: its title, detail, the parameters at fault, and a 重试 button where retrying can
//! help (server unreachable or failing).

use keyproj_shared::AppRoute;
use yew::prelude::*;

use crate::services::ApiError;

/// `on_retry` becomes a 重试 button when the error is one a retry may cure; `actions` are
/// further buttons, e.g. a link that clears the filters.
pub fn error_box(error: &ApiError, on_retry: &Callback<()>, actions: Html) -> Html {
    let retry = error.is_retryable().then(|| {
        let cb = on_retry.clone();
        let onclick = Callback::from(move |_: MouseEvent| cb.emit(()));
        html! {
            <button type="button" class="button" data-testid="retry" {onclick}>
                { "重试" }
            </button>
        }
    });
    let status = error.status().map(|s| s.to_string());
    html! {
        <div class="state error" role="alert" data-testid="error" data-status={status}>
            <p class="error-title">{ error.title() }</p>
            if let Some(detail) = error.detail() {
                <p class="error-detail">{ detail }</p>
            }
            if !error.field_errors().is_empty() {
                <ul class="error-fields">
                    { for error.field_errors().iter().map(|fe| html! {
                        <li data-field={fe.field.clone()}>
                            <code>{ fe.field.clone() }</code>{ "：" }{ fe.message.clone() }
                        </li>
                    }) }
                </ul>
            }
            <div class="actions">
                { for retry }
                { actions }
            </div>
        </div>
    }
}

/// The error of a list-like page: a query the address bar holds that the API refuses gets a
/// link back to the page without filters.
pub fn page_error(error: &ApiError, on_retry: &Callback<()>, clear: &AppRoute) -> Html {
    let invalid = matches!(error.status(), Some(400)) && !error.is_retryable();
    let actions = if invalid {
        html! { <a href={clear.path()} class="button">{ "清除筛选条件" }</a> }
    } else {
        Html::default()
    };
    error_box(error, on_retry, actions)
}
