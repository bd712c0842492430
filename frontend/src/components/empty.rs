//! What a list shows when nothing matches.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmptyProps {
    #[prop_or(AttrValue::Static("没有符合条件的项目"))]
    pub message: AttrValue,
    /// Optional actions under the message, e.g. a link that clears the filters.
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn Empty(props: &EmptyProps) -> Html {
    html! {
        <div class="state empty" role="status" data-testid="empty">
            <p>{ props.message.clone() }</p>
            { props.children.clone() }
        </div>
    }
}
