//! A labelled `<select>` whose choice follows its `value` prop, also after back/forward.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// One choice: the value sent, and the words shown.
pub type Choice = (AttrValue, AttrValue);

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// Keeps the label for screen readers only (e.g. "起"/"止" beside a visible legend).
    #[prop_or_default]
    pub label_hidden: bool,
    /// The `name` the value would have in a query string.
    pub name: AttrValue,
    pub value: AttrValue,
    pub choices: Vec<Choice>,
    pub on_change: Callback<String>,
}

#[component]
pub fn Select(props: &SelectProps) -> Html {
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_change.emit(select.value());
        })
    };
    // The `selected` attribute only sets the initial choice; once the user has picked one,
    // only the `value` property moves it. Setting it after each change of the value keeps
    // the select in step with the URL on back/forward.
    let select_ref = use_node_ref();
    {
        let select_ref = select_ref.clone();
        use_effect_with(props.value.clone(), move |current| {
            if let Some(select) = select_ref.cast::<HtmlSelectElement>() {
                select.set_value(current);
            }
        });
    }
    let current = &props.value;
    html! {
        <div class="field">
            <label for={props.id.clone()} class={if props.label_hidden { "sr-only" } else { "" }}>
                { props.label.clone() }
            </label>
            <select id={props.id.clone()} name={props.name.clone()} ref={select_ref} {onchange}>
                { for props.choices.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={value == current}>{ label.clone() }</option>
                }) }
            </select>
        </div>
    }
}
