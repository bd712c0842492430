//! The project filters every list-like page shares (项目, 进度计划, 预算): one control per
//! filter, and the active filters as removable chips. Props only: the page owns the URL.

use std::rc::Rc;

use keyproj_shared::query::{UNREPORTED_KEY, UNREPORTED_LABEL};
use keyproj_shared::{
    Category, District, DistrictFilter, Nature, ProgressStatus, ProjectFilter, StatusFilter,
    UNASSIGNED_KEY, UNASSIGNED_LABEL,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::select::{Choice, Select};

/// The years the year filters offer: the plan's window with a year either side.
const YEARS: std::ops::RangeInclusive<i32> = 2020..=2026;

pub fn status_label(s: StatusFilter) -> &'static str {
    match s {
        StatusFilter::Is(s) => s.label(),
        StatusFilter::Unreported => UNREPORTED_LABEL,
    }
}

pub fn district_label(d: DistrictFilter) -> &'static str {
    match d {
        DistrictFilter::Is(d) => d.label(),
        DistrictFilter::Unassigned => UNASSIGNED_LABEL,
    }
}

fn any(label: &'static str) -> Choice {
    (AttrValue::Static(""), AttrValue::Static(label))
}

fn fixed(key: &'static str, label: &'static str) -> Choice {
    (AttrValue::Static(key), AttrValue::Static(label))
}

fn year_choices(current: Option<i32>) -> Vec<Choice> {
    let mut years: Vec<i32> = YEARS.collect();
    if let Some(y) = current.filter(|y| !YEARS.contains(y)) {
        let at = years.iter().position(|x| *x > y).unwrap_or(years.len());
        years.insert(at, y);
    }
    std::iter::once(any("不限"))
        .chain(years.into_iter().map(|y| {
            let y = AttrValue::from(y.to_string());
            (y.clone(), y)
        }))
        .collect()
}

fn year_value(y: Option<i32>) -> AttrValue {
    y.map_or(AttrValue::Static(""), |y| AttrValue::from(y.to_string()))
}

/// A from/to pair never crosses: moving one end past the other drags the other along.
fn order(from: &mut Option<i32>, to: &mut Option<i32>, moved_from: bool) {
    if let (Some(a), Some(b)) = (*from, *to)
        && a > b
    {
        if moved_from {
            *to = Some(a);
        } else {
            *from = Some(b);
        }
    }
}

/// How one control changes the filter, given the value it now shows.
type Apply = fn(&mut ProjectFilter, &str);

const SET_DISTRICT: Apply = |f, v| f.district = v.parse().ok();
const SET_CATEGORY: Apply = |f, v| f.category = v.parse().ok();
const SET_NATURE: Apply = |f, v| f.nature = v.parse().ok();
const SET_OWNER: Apply = |f, v| f.owner = (!v.is_empty()).then(|| v.to_string());
const SET_START_FROM: Apply = |f, v| {
    f.start_year_from = v.parse().ok();
    order(&mut f.start_year_from, &mut f.start_year_to, true);
};
const SET_START_TO: Apply = |f, v| {
    f.start_year_to = v.parse().ok();
    order(&mut f.start_year_from, &mut f.start_year_to, false);
};
const SET_END_FROM: Apply = |f, v| {
    f.end_year_from = v.parse().ok();
    order(&mut f.end_year_from, &mut f.end_year_to, true);
};
const SET_END_TO: Apply = |f, v| {
    f.end_year_to = v.parse().ok();
    order(&mut f.end_year_from, &mut f.end_year_to, false);
};
const SET_SOCIAL: Apply = |f, v| {
    f.has_social = match v {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
};
const SET_STATUS: Apply = |f, v| f.status = v.parse().ok();
const SET_Q: Apply = |f, v| {
    let v = v.trim();
    f.q = (!v.is_empty()).then(|| v.to_string());
};

#[derive(Properties, PartialEq)]
pub struct FilterPanelProps {
    pub filter: ProjectFilter,
    /// The 建设主体 to choose from; `None` while they load.
    #[prop_or_default]
    pub owners: Option<Rc<Vec<String>>>,
    pub on_change: Callback<ProjectFilter>,
}

#[component]
pub fn FilterPanel(props: &FilterPanelProps) -> Html {
    let f = &props.filter;
    let set = |apply: Apply| {
        let filter = f.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |v: String| {
            let mut next = filter.clone();
            apply(&mut next, &v);
            if next != filter {
                on_change.emit(next);
            }
        })
    };

    let districts: Vec<Choice> = std::iter::once(any("全部"))
        .chain(District::ALL.iter().map(|d| fixed(d.key(), d.label())))
        .chain([fixed(UNASSIGNED_KEY, UNASSIGNED_LABEL)])
        .collect();
    let categories: Vec<Choice> = std::iter::once(any("全部"))
        .chain(Category::ALL.iter().map(|c| fixed(c.key(), c.label())))
        .collect();
    let natures: Vec<Choice> = std::iter::once(any("全部"))
        .chain(Nature::ALL.iter().map(|n| fixed(n.key(), n.label())))
        .collect();
    let mut owners: Vec<Choice> = vec![any("全部")];
    if let Some(list) = &props.owners {
        owners.extend(list.iter().map(|o| {
            let o = AttrValue::from(o.clone());
            (o.clone(), o)
        }));
    }
    if let Some(o) = &f.owner
        && !props.owners.as_ref().is_some_and(|l| l.contains(o))
    {
        let o = AttrValue::from(o.clone());
        owners.push((o.clone(), o));
    }
    let statuses: Vec<Choice> = std::iter::once(any("全部"))
        .chain(
            ProgressStatus::ALL
                .iter()
                .map(|s| fixed(s.key(), s.label())),
        )
        .chain([fixed(UNREPORTED_KEY, UNREPORTED_LABEL)])
        .collect();
    let social = vec![
        any("全部"),
        fixed("true", "有社会投资"),
        fixed("false", "无社会投资"),
    ];
    let key = |v: Option<&'static str>| AttrValue::Static(v.unwrap_or(""));
    // On a phone the panel folds away behind a button; the chips still show what is active.
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let active = chips(f).len();

    html! {
        <>
        <button type="button" class="button filters-toggle" aria-controls="filters"
            aria-expanded={if *open { "true" } else { "false" }} onclick={toggle}>
            { if *open { "收起筛选" } else { "筛选" } }
            if active > 0 {
                { format!("（{active}）") }
            }
        </button>
        <div id="filters" class={if *open { "filters open" } else { "filters" }} role="search"
            aria-label="筛选项目">
            <SearchBox value={f.q.clone().unwrap_or_default()} on_search={set(SET_Q)} />
            <Select id="district-filter" name="district" label="县市区"
                value={key(f.district.map(DistrictFilter::key))}
                choices={districts} on_change={set(SET_DISTRICT)} />
            <Select id="category-filter" name="category" label="类别"
                value={key(f.category.map(Category::key))}
                choices={categories} on_change={set(SET_CATEGORY)} />
            <Select id="nature-filter" name="nature" label="建设性质"
                value={key(f.nature.map(Nature::key))}
                choices={natures} on_change={set(SET_NATURE)} />
            <div class="owner-field">
                <Select id="owner-filter" name="owner" label="建设主体"
                    value={AttrValue::from(f.owner.clone().unwrap_or_default())}
                    choices={owners} on_change={set(SET_OWNER)} />
            </div>
            <fieldset class="field years">
                <legend>{ "开工年份" }</legend>
                <div class="range">
                    <Select id="start-year-from" name="start_year_from" label="开工年份起" label_hidden=true
                        value={year_value(f.start_year_from)}
                        choices={year_choices(f.start_year_from)} on_change={set(SET_START_FROM)} />
                    <span aria-hidden="true">{ "至" }</span>
                    <Select id="start-year-to" name="start_year_to" label="开工年份止" label_hidden=true
                        value={year_value(f.start_year_to)}
                        choices={year_choices(f.start_year_to)} on_change={set(SET_START_TO)} />
                </div>
            </fieldset>
            <fieldset class="field years">
                <legend>{ "竣工年份" }</legend>
                <div class="range">
                    <Select id="end-year-from" name="end_year_from" label="竣工年份起" label_hidden=true
                        value={year_value(f.end_year_from)}
                        choices={year_choices(f.end_year_from)} on_change={set(SET_END_FROM)} />
                    <span aria-hidden="true">{ "至" }</span>
                    <Select id="end-year-to" name="end_year_to" label="竣工年份止" label_hidden=true
                        value={year_value(f.end_year_to)}
                        choices={year_choices(f.end_year_to)} on_change={set(SET_END_TO)} />
                </div>
            </fieldset>
            <Select id="has-social-filter" name="has_social" label="社会投资"
                value={key(f.has_social.map(|b| if b { "true" } else { "false" }))}
                choices={social} on_change={set(SET_SOCIAL)} />
            <Select id="status-filter" name="status" label="建设状态（已审核）"
                value={key(f.status.map(StatusFilter::key))}
                choices={statuses} on_change={set(SET_STATUS)} />
        </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SearchBoxProps {
    /// The search term in the URL.
    value: String,
    on_search: Callback<String>,
}

/// The 搜索 box. Typing edits a draft; Enter or the button searches. When the URL changes
/// (back/forward, a removed chip), the box shows the URL's term again.
#[component]
fn SearchBox(props: &SearchBoxProps) -> Html {
    let draft = use_state(|| props.value.clone());
    {
        let draft = draft.clone();
        use_effect_with(props.value.clone(), move |v| draft.set(v.clone()));
    }
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            draft.set(input.value());
        })
    };
    let onsubmit = {
        let draft = draft.clone();
        let on_search = props.on_search.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_search.emit((*draft).clone());
        })
    };
    html! {
        <form class="field search" {onsubmit}>
            <label for="search">{ "搜索" }</label>
            <div class="search-row">
                <input id="search" name="q" type="search" maxlength="100"
                    placeholder="项目名称、建设主体、建设内容"
                    value={(*draft).clone()} {oninput} />
                <button type="submit" class="button primary" data-testid="search-submit">
                    { "搜索" }
                </button>
            </div>
        </form>
    }
}

/// The chips of a filter: (parameter, words, the filter without it).
fn chips(f: &ProjectFilter) -> Vec<(&'static str, String, ProjectFilter)> {
    let mut out = Vec::new();
    let mut chip = |key: &'static str, label: String, clear: fn(&mut ProjectFilter)| {
        let mut without = f.clone();
        clear(&mut without);
        out.push((key, label, without));
    };
    if let Some(q) = &f.q {
        chip("q", format!("搜索：“{q}”"), |x| x.q = None);
    }
    if let Some(d) = f.district {
        chip(
            "district",
            format!("县市区：{}", district_label(d)),
            |x| x.district = None,
        );
    }
    if let Some(c) = f.category {
        chip("category", format!("类别：{}", c.label()), |x| {
            x.category = None
        });
    }
    if let Some(n) = f.nature {
        chip("nature", format!("建设性质：{}", n.label()), |x| {
            x.nature = None
        });
    }
    if let Some(o) = &f.owner {
        chip("owner", format!("建设主体：{o}"), |x| x.owner = None);
    }
    // Each end of a year range is a filter of its own, with a chip of its own.
    if let Some(y) = f.start_year_from {
        chip("start_year_from", format!("开工不早于 {y} 年"), |x| {
            x.start_year_from = None
        });
    }
    if let Some(y) = f.start_year_to {
        chip("start_year_to", format!("开工不晚于 {y} 年"), |x| {
            x.start_year_to = None
        });
    }
    if let Some(y) = f.end_year_from {
        chip("end_year_from", format!("竣工不早于 {y} 年"), |x| {
            x.end_year_from = None
        });
    }
    if let Some(y) = f.end_year_to {
        chip("end_year_to", format!("竣工不晚于 {y} 年"), |x| {
            x.end_year_to = None
        });
    }
    if let Some(b) = f.has_social {
        let label = if b {
            "有社会投资"
        } else {
            "无社会投资"
        };
        chip("has_social", label.to_string(), |x| x.has_social = None);
    }
    if let Some(st) = f.status {
        chip(
            "status",
            format!("建设状态：{}", status_label(st)),
            |x| x.status = None,
        );
    }
    out
}

/// Every active filter as a chip with a × that removes it, and 清除筛选 for all of them.
pub fn filter_chips(filter: &ProjectFilter, on_change: &Callback<ProjectFilter>) -> Html {
    let list = chips(filter);
    if list.is_empty() {
        return html! {};
    }
    let remove = |without: ProjectFilter| {
        let on_change = on_change.clone();
        Callback::from(move |_: MouseEvent| on_change.emit(without.clone()))
    };
    html! {
        <div class="chips-bar">
            <span class="chips-caption" id="chips-caption">{ "当前筛选：" }</span>
            <ul class="chips" aria-labelledby="chips-caption">
                { for list.into_iter().map(|(key, label, without)| html! {
                    <li class="chip" data-testid="chip" data-filter={key}>
                        <span>{ label.clone() }</span>
                        <button type="button" data-testid="chip-remove"
                            aria-label={format!("移除筛选 {label}")} title="移除"
                            onclick={remove(without)}>
                            { "×" }
                        </button>
                    </li>
                }) }
            </ul>
            <button type="button" class="button link" data-testid="reset-filters"
                onclick={remove(ProjectFilter::default())}>
                { "清除筛选" }
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_range_never_crosses() {
        let mut f = ProjectFilter {
            start_year_to: Some(2022),
            ..ProjectFilter::default()
        };
        SET_START_FROM(&mut f, "2024");
        assert_eq!(
            (f.start_year_from, f.start_year_to),
            (Some(2024), Some(2024))
        );
        SET_START_TO(&mut f, "2021");
        assert_eq!(
            (f.start_year_from, f.start_year_to),
            (Some(2021), Some(2021))
        );
        SET_START_TO(&mut f, "");
        assert_eq!((f.start_year_from, f.start_year_to), (Some(2021), None));
    }

    #[test]
    fn every_active_filter_has_a_chip_that_removes_only_it() {
        let f = ProjectFilter {
            district: Some(DistrictFilter::Unassigned),
            category: Some(Category::ElderlyWelfare),
            has_social: Some(true),
            q: Some("敬老院".into()),
            end_year_from: Some(2025),
            end_year_to: Some(2025),
            status: Some(StatusFilter::Unreported),
            ..ProjectFilter::default()
        };
        let c = chips(&f);
        let keys: Vec<_> = c.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "q",
                "district",
                "category",
                "end_year_from",
                "end_year_to",
                "has_social",
                "status"
            ]
        );
        assert_eq!(c[6].1, "建设状态：暂无审核通过的进度");
        assert_eq!(c[1].1, "县市区：未分配");
        assert_eq!(c[3].1, "竣工不早于 2025 年");
        assert_eq!(c[4].2.end_year_from, Some(2025));
        assert_eq!(c[4].2.end_year_to, None);
        let without_district = &c[1].2;
        assert_eq!(without_district.district, None);
        assert_eq!(without_district.category, f.category);
        assert!(chips(&ProjectFilter::default()).is_empty());
    }

    #[test]
    fn a_year_outside_the_usual_window_is_still_offered() {
        let c = year_choices(Some(2019));
        assert_eq!(c.len(), 1 + 7 + 1);
        assert_eq!(c[1].0.as_str(), "2019");
        assert_eq!(year_choices(Some(2023)).len(), 8);
    }
}
