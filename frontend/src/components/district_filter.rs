//! The 县市区 `<select>`: 全部, the eight districts, and 未分配 for projects the plan does not
//! place.

use keyproj_shared::{District, DistrictFilter, UNASSIGNED_KEY, UNASSIGNED_LABEL};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DistrictFilterProps {
    pub value: Option<DistrictFilter>,
    pub on_change: Callback<Option<DistrictFilter>>,
}

#[component]
pub fn DistrictSelect(props: &DistrictFilterProps) -> Html {
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_change.emit(select.value().parse::<DistrictFilter>().ok());
        })
    };
    let current = props.value.map(DistrictFilter::key).unwrap_or("");
    // The `selected` attribute only sets the initial choice; once the user has picked one,
    // only the `value` property moves it. Setting it after each change of the value keeps
    // the select in step with the URL on back/forward.
    let select_ref = use_node_ref();
    {
        let select_ref = select_ref.clone();
        use_effect_with(current, move |current| {
            if let Some(select) = select_ref.cast::<HtmlSelectElement>() {
                select.set_value(current);
            }
        });
    }
    let option = |key: &'static str, label: &'static str| {
        html! { <option value={key} selected={current == key}>{ label }</option> }
    };
    html! {
        <div class="field">
            <label for="district-filter">{ "县市区" }</label>
            <select id="district-filter" name="district" ref={select_ref} {onchange}>
                { option("", "全部") }
                { for District::ALL.iter().map(|d| option(d.key(), d.label())) }
                { option(UNASSIGNED_KEY, UNASSIGNED_LABEL) }
            </select>
        </div>
    }
}
