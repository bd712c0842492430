//! The 项目 list's 预警 controls: the colour filter (`warning=`) and the sort on the gap
//! (`sort=gap`), for the month the list judges, with a removable chip for an active colour.
//! Props only: the page owns the URL.

use keyproj_shared::{ColourFilter, Period};
use yew::prelude::*;

use super::select::{Choice, Select};

/// What the controls ask for: the colour and the gap sort (`Some(true)`: most behind first).
pub type WarningChoice = (Option<ColourFilter>, Option<bool>);

#[derive(Properties, PartialEq)]
pub struct WarningFilterProps {
    pub colour: Option<ColourFilter>,
    pub gap_descending: Option<bool>,
    /// The month judged; `None` when not known here.
    pub period: Option<Period>,
    pub on_change: Callback<WarningChoice>,
}

fn colour_of(v: &str) -> Option<ColourFilter> {
    ColourFilter::ALL.iter().copied().find(|c| c.key() == v)
}

fn gap_of(v: &str) -> Option<bool> {
    match v {
        "-gap" => Some(true),
        "gap" => Some(false),
        _ => None,
    }
}

#[component]
pub fn WarningFilter(props: &WarningFilterProps) -> Html {
    let month = props.period.map_or(String::new(), |p| {
        format!("（{}年{}月）", p.year(), p.month())
    });
    let colours: Vec<Choice> = std::iter::once((AttrValue::Static(""), AttrValue::Static("全部")))
        .chain(
            ColourFilter::ALL
                .iter()
                .map(|c| (AttrValue::Static(c.key()), AttrValue::Static(c.label()))),
        )
        .collect();
    let gaps: Vec<Choice> = vec![
        (AttrValue::Static(""), AttrValue::Static("不按差距")),
        (AttrValue::Static("-gap"), AttrValue::Static("落后最多在前")),
        (AttrValue::Static("gap"), AttrValue::Static("领先最多在前")),
    ];
    let on_colour = {
        let (gap, on_change) = (props.gap_descending, props.on_change.clone());
        Callback::from(move |v: String| on_change.emit((colour_of(&v), gap)))
    };
    let on_gap = {
        let (colour, on_change) = (props.colour, props.on_change.clone());
        Callback::from(move |v: String| on_change.emit((colour, gap_of(&v))))
    };
    let remove = {
        let (gap, on_change) = (props.gap_descending, props.on_change.clone());
        Callback::from(move |_: MouseEvent| on_change.emit((None, gap)))
    };
    let gap_value = match props.gap_descending {
        Some(true) => "-gap",
        Some(false) => "gap",
        None => "",
    };
    html! {
        <div class="filters warning-filters" role="group" aria-label={format!("预警{month}")}>
            <Select id="warning-filter" name="warning" label={format!("预警{month}")}
                value={AttrValue::Static(props.colour.map_or("", ColourFilter::key))}
                choices={colours} on_change={on_colour} />
            <Select id="gap-sort" name="sort" label="序时进度差距"
                value={AttrValue::Static(gap_value)} choices={gaps} on_change={on_gap} />
            if let Some(c) = props.colour {
                <ul class="chips" aria-label="预警筛选">
                    <li class="chip" data-testid="chip" data-filter="warning">
                        <span>{ format!("预警：{}", c.label()) }</span>
                        <button type="button" data-testid="chip-remove"
                            aria-label={format!("移除筛选 预警：{}", c.label())} title="移除"
                            onclick={remove}>
                            { "×" }
                        </button>
                    </li>
                </ul>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_reads_back() {
        for c in ColourFilter::ALL {
            assert_eq!(colour_of(c.key()), Some(*c));
        }
        assert_eq!(colour_of(""), None);
        assert_eq!(
            (gap_of("-gap"), gap_of("gap"), gap_of("")),
            (Some(true), Some(false), None)
        );
    }
}
