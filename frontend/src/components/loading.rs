//! The loading indicator.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    #[prop_or(AttrValue::Static("正在加载…"))]
    pub label: AttrValue,
}

#[component]
pub fn Loading(props: &LoadingProps) -> Html {
    html! {
        <div class="state loading" role="status" aria-live="polite" data-testid="loading">
            <span class="spinner" aria-hidden="true"></span>
            { props.label.clone() }
        </div>
    }
}
