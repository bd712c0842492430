//! 进度计划: every project of the filtered set on one year grid, grouped by 县市区 or by
//! 类别. The filters and the grouping (`group=district|category`) live in the address bar.

use std::rc::Rc;

use keyproj_shared::{
    AppRoute, Category, District, FieldError, Money, ProjectFilter, ProjectItem, UNASSIGNED_LABEL,
};
use yew::prelude::*;

use super::view_links;
use crate::components::empty::{NO_MATCH, empty};
use crate::components::error_box::page_error;
use crate::components::filters::{FilterPanel, filter_chips};
use crate::components::gantt::{GanttBar, Span, gantt_bar, gantt_header, today_tenths};
use crate::components::loading::loading;
use crate::components::money::format_money;
use crate::hooks::{Fetched, answer, use_api, use_owners, use_title};
use crate::services::query_string::{encode_pairs, filtered_search};
use crate::services::{self, ApiError, nav};

/// How the bars are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    #[default]
    District,
    Category,
}

impl Grouping {
    fn key(self) -> &'static str {
        match self {
            Grouping::District => "district",
            Grouping::Category => "category",
        }
    }
}

/// The filters and the grouping the address bar asks for.
fn parse(search: &str) -> Result<(ProjectFilter, Grouping), Vec<FieldError>> {
    let s = filtered_search(search, keyproj_shared::address::SCHEDULE_OWN)?;
    let grouping = match s.own("group") {
        None | Some("district") => Grouping::District,
        Some("category") => Grouping::Category,
        Some(_) => {
            return Err(vec![FieldError::new(
                "group",
                "应为 district（按县市区）或 category（按类别）",
            )]);
        }
    };
    Ok((s.filter, grouping))
}

fn push(filter: &ProjectFilter, grouping: Grouping) {
    let mut pairs = filter.to_pairs();
    if grouping != Grouping::default() {
        pairs.push(("group", grouping.key().to_string()));
    }
    nav::push_query(&AppRoute::Schedule, &pairs);
}

/// The bars under their group headings, in the plan's order of groups (未分配 last); within
/// a group by start, then code.
pub fn groups(items: &[ProjectItem], grouping: Grouping) -> Vec<(&'static str, Vec<&ProjectItem>)> {
    let labels: Vec<&'static str> = match grouping {
        Grouping::District => District::ALL
            .iter()
            .map(|d| d.label())
            .chain([UNASSIGNED_LABEL])
            .collect(),
        Grouping::Category => Category::ALL.iter().map(|c| c.label()).collect(),
    };
    let index = |p: &ProjectItem| match grouping {
        Grouping::District => p
            .district
            .and_then(|d| District::ALL.iter().position(|x| *x == d))
            .unwrap_or(District::ALL.len()),
        Grouping::Category => Category::ALL
            .iter()
            .position(|c| *c == p.category)
            .unwrap_or(0),
    };
    let mut buckets: Vec<Vec<&ProjectItem>> = labels.iter().map(|_| Vec::new()).collect();
    for p in items {
        if let Some(bucket) = buckets.get_mut(index(p)) {
            bucket.push(p);
        }
    }
    labels
        .into_iter()
        .zip(buckets)
        .filter(|(_, members)| !members.is_empty())
        .map(|(label, mut members)| {
            crate::util::sort_by_key(&mut members, |p| {
                (
                    p.start.earliest_year,
                    p.start.earliest_month.unwrap_or(0),
                    p.end.latest_year,
                    p.category,
                    p.serial,
                )
            });
            (label, members)
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct SchedulePageProps {
    /// The query string, without `?`.
    pub search: AttrValue,
}

#[component]
pub fn SchedulePage(props: &SchedulePageProps) -> Html {
    use_title("进度计划".to_string());
    let parsed = parse(&props.search);
    // The grouping is drawing only: the request depends on the filters alone.
    let key = match &parsed {
        Ok((filter, _)) => AttrValue::from(encode_pairs(&filter.to_pairs())),
        Err(_) => props.search.clone(),
    };
    let api = use_api(key, |key| {
        Box::pin(async move {
            answer(match parse(&key) {
                Ok((filter, _)) => services::all_projects(&filter).await.map(Rc::new),
                Err(errors) => Err(ApiError::invalid_query(errors)),
            })
        })
    });
    let owners = use_owners();
    let (filter, grouping) = parsed.unwrap_or_default();

    let on_filter = Callback::from(move |f: ProjectFilter| push(&f, grouping));
    let group_button = |g: Grouping, label: &'static str| {
        let filter = filter.clone();
        let onclick = Callback::from(move |_: MouseEvent| push(&filter, g));
        html! {
            <button type="button" class={if g == grouping { "button current" } else { "button" }}
                aria-pressed={if g == grouping { "true" } else { "false" }}
                data-testid={format!("group-{}", g.key())} {onclick}>
                { label }
            </button>
        }
    };

    let body = match api.get::<Rc<Vec<ProjectItem>>>() {
        Fetched::Loading => loading(),
        Fetched::Failed(error) => page_error(error, &api.retry, &AppRoute::Schedule),
        Fetched::Ready(items) if items.is_empty() => empty(
            NO_MATCH,
            html! { <a href={AppRoute::Schedule.path()} class="button">{ "清除筛选条件" }</a> },
        ),
        Fetched::Ready(items) => html! { <ScheduleChart items={Rc::clone(items)} {grouping} /> },
    };

    html! {
        <section class="page schedule">
            <div class="page-head">
                <h1>{ "进度计划" }</h1>
                { view_links(&filter, "schedule") }
            </div>
            <FilterPanel filter={filter.clone()} owners={owners} on_change={on_filter.clone()} />
            { filter_chips(&filter, &on_filter) }
            <div class="toolbar">
                <div class="segmented" role="group" aria-label="分组方式">
                    <span class="segmented-label">{ "分组：" }</span>
                    { group_button(Grouping::District, "按县市区") }
                    { group_button(Grouping::Category, "按类别") }
                </div>
                <p class="note legend-line">
                    <span class="swatch sure" aria-hidden="true"></span>{ "确定的年份 " }
                    <span class="swatch fuzzy" aria-hidden="true"></span>{ "年份区间（约） " }
                    <span class="swatch plan-window" aria-hidden="true"></span>{ "“十四五”期 " }
                    <span class="swatch today" aria-hidden="true"></span>{ "今天" }
                </p>
            </div>
            { body }
        </section>
    }
}

/// The chart's data: the rows as loaded (shared, not copied) and the grouping.
#[derive(Properties)]
struct ScheduleChartProps {
    items: Rc<Vec<ProjectItem>>,
    grouping: Grouping,
}

/// The same answer is the same allocation: comparing the pointer spares walking every row on
/// each render of the page.
impl PartialEq for ScheduleChartProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.items, &other.items) && self.grouping == other.grouping
    }
}

/// The Gantt chart as a component of its own: the page renders again when anything of its
/// state moves (the owner names arriving, a filter control), and the chart, one row and SVG
/// strip per project, is then drawn again only if its rows or the grouping changed.
#[component]
fn ScheduleChart(props: &ScheduleChartProps) -> Html {
    chart(&props.items, props.grouping)
}

fn chart(items: &[ProjectItem], grouping: Grouping) -> Html {
    let span = Span::covering(items.iter().flat_map(|p| [&p.start, &p.end]));
    let today = today_tenths(span);
    let total = Money::sum(items.iter().map(|p| p.total_investment));
    html! {
        <>
            <p class="count-line" data-testid="schedule-count">
                { format!("共 {} 个项目", items.len()) }
                if let Some(t) = total {
                    { format!("，总投资 {} 万元", format_money(t)) }
                }
            </p>
            <div class="gantt" data-testid="gantt">
                <div class="gantt-row gantt-head gantt-sticky">
                    <span class="gantt-label muted">{ "项目" }</span>
                    { gantt_header(span, today) }
                </div>
                { for groups(items, grouping).into_iter().map(|(label, members)| {
                    let sum = Money::sum(members.iter().map(|p| p.total_investment));
                    html! {
                        <section class="gantt-group" aria-label={label}>
                            <h2 class="gantt-group-title">
                                { label }
                                <span class="muted">
                                    { format!("　{} 个项目", members.len()) }
                                    if let Some(s) = sum {
                                        { format!("　总投资 {} 万元", format_money(s)) }
                                    }
                                </span>
                            </h2>
                            { for members.into_iter().map(|p| row(p, span, today)) }
                        </section>
                    }
                }) }
            </div>
        </>
    }
}

fn row(p: &ProjectItem, span: Span, today: Option<i64>) -> Html {
    let when = format!("{} → {}", p.start.label(), p.end.label());
    html! {
        <div class="gantt-row">
            <span class="gantt-label" title={format!("{} {}（{}）", p.code, p.name, when)}>
                <span class="code">{ &p.code }</span>{ " " }{ &p.name }
            </span>
            { gantt_bar(span, today, GanttBar {
                code: &p.code,
                start: &p.start,
                end: &p.end,
                href: Some(AppRoute::project(&p.code).path()),
                label: format!("{} {}：{}", p.code, p.name, when),
            }) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grouping_is_a_parameter_of_the_page_beside_the_filters() {
        let (f, g) = parse("district=yuhu&group=category").expect("valid");
        assert_eq!(g, Grouping::Category);
        assert!(f.district.is_some());
        assert_eq!(parse("").map(|(_, g)| g), Ok(Grouping::District));
        let errs = parse("group=colour").err().unwrap_or_default();
        assert_eq!(errs[0].field, "group");
        assert!(parse("page=2").is_err());
    }
}
