//! An error: its title, detail, the parameters at fault, and a 重试 button where retrying can
//! help (server unreachable or failing).

use yew::prelude::*;

use crate::services::ApiError;

#[derive(Properties, PartialEq)]
pub struct ErrorBoxProps {
    pub error: ApiError,
    /// Shown as a 重试 button when the error is one a retry may cure.
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
    /// Further actions, e.g. a link that clears the filters.
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn ErrorBox(props: &ErrorBoxProps) -> Html {
    let error = &props.error;
    let retry = props
        .on_retry
        .clone()
        .filter(|_| error.is_retryable())
        .map(|cb| {
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
                { props.children.clone() }
            </div>
        </div>
    }
}
