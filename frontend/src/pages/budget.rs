//! 预算: the district × category pivot of the filtered set (one figure per cell, every
//! district's totals, a totals row, rows sortable), then the reconciliation of the published
//! subtotals with the rows, and the rows whose text contradicts their amount. The filters,
//! the figure shown (`metric`) and the row order (`sort`) live in the address bar.

use std::rc::Rc;

use keyproj_shared::address::{
    BUDGET_DEFAULT_YEAR as DEFAULT_YEAR, BUDGET_OWN, BUDGET_YEARS as YEARS, budget_year,
};
use keyproj_shared::{AppRoute, Budget, FieldError, Pivot, ProjectFilter, Reconciliation};
use yew::prelude::*;

use super::view_links;
use crate::components::budget_table::budget_table;
use crate::components::empty::{NO_MATCH, empty};
use crate::components::error_box::{error_box, page_error};
use crate::components::filters::{FilterPanel, filter_chips};
use crate::components::loading::loading;
use crate::components::pivot_table::{Metric, PivotSort, pivot_table};
use crate::components::reconciliation::reconciliation_table;
use crate::hooks::{Fetched, answer, use_api, use_owners, use_title};
use crate::services::query_string::{encode_pairs, filtered_search};
use crate::services::{self, ApiError, nav};

#[derive(Debug, Clone, PartialEq, Eq)]
struct BudgetQuery {
    filter: ProjectFilter,
    metric: Metric,
    sort: PivotSort,
    /// The plan year of the 年度计划 table.
    year: i32,
}

impl Default for BudgetQuery {
    fn default() -> Self {
        BudgetQuery {
            filter: ProjectFilter::default(),
            metric: Metric::Total,
            sort: PivotSort::default(),
            year: DEFAULT_YEAR,
        }
    }
}

fn parse(search: &str) -> Result<BudgetQuery, Vec<FieldError>> {
    let s = filtered_search(search, BUDGET_OWN)?;
    let mut errors = Vec::new();
    let metric = match s.own("metric") {
        None => Metric::Total,
        Some(m) => Metric::parse(m).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "metric",
                "应为 count、total、planned、social 或 share",
            ));
            Metric::Total
        }),
    };
    let sort = match s.own("sort") {
        None => PivotSort::default(),
        Some(v) => PivotSort::parse(v).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "sort",
                "应为 district、count、total、planned、social、share 或类别 A-E（前加 - 为降序）",
            ));
            PivotSort::default()
        }),
    };
    let year = budget_year(&s).unwrap_or_else(|| {
        errors.push(FieldError::new("year", "应为 2021 到 2025 之间的年份"));
        DEFAULT_YEAR
    });
    if errors.is_empty() {
        Ok(BudgetQuery {
            filter: s.filter,
            metric,
            sort,
            year,
        })
    } else {
        Err(errors)
    }
}

fn push(q: &BudgetQuery) {
    let mut pairs = q.filter.to_pairs();
    if q.metric != Metric::Total {
        pairs.push(("metric", q.metric.key().to_string()));
    }
    if let Some(sort) = q.sort.key() {
        pairs.push(("sort", sort));
    }
    if q.year != DEFAULT_YEAR {
        pairs.push(("year", q.year.to_string()));
    }
    nav::push_query(&AppRoute::Budget, &pairs);
}

#[derive(Properties, PartialEq)]
pub struct BudgetPageProps {
    /// The query string, without `?`.
    pub search: AttrValue,
}

#[component]
pub fn BudgetPage(props: &BudgetPageProps) -> Html {
    use_title("预算".to_string());
    let parsed = parse(&props.search);
    // The figure shown and the order are drawing only: the pivot depends on the filters.
    let key = match &parsed {
        Ok(q) => AttrValue::from(encode_pairs(&q.filter.to_pairs())),
        Err(_) => props.search.clone(),
    };
    let pivot = use_api(key, |key| {
        Box::pin(async move {
            answer(match parse(&key) {
                Ok(q) => services::pivot(&q.filter).await.map(Rc::new),
                Err(errors) => Err(ApiError::invalid_query(errors)),
            })
        })
    });
    let year = parsed.as_ref().map_or(DEFAULT_YEAR, |q| q.year);
    let plans = use_api(AttrValue::from(year.to_string()), |key| {
        Box::pin(async move {
            answer(match key.parse::<i32>() {
                Ok(y) => services::budget(y).await.map(Rc::new),
                Err(_) => Err(ApiError::invalid_query(vec![FieldError::new(
                    "year", "年份",
                )])),
            })
        })
    });
    let reconciliation = use_api(AttrValue::Static("reconciliation"), |_| {
        Box::pin(async { answer(services::reconciliation().await.map(Rc::new)) })
    });
    let owners = use_owners();
    let q = parsed.unwrap_or_default();

    // Arriving at /budget#reconciliation: show that section once it is drawn.
    let rec_ready = reconciliation.is_ready();
    use_effect_with(rec_ready, |ready| {
        if *ready
            && gloo::utils::window().location().hash().ok().as_deref() == Some("#reconciliation")
            && let Some(el) = gloo::utils::document().get_element_by_id("reconciliation")
        {
            el.scroll_into_view();
        }
    });

    let on_filter = {
        let q = q.clone();
        Callback::from(move |filter: ProjectFilter| {
            push(&BudgetQuery {
                filter,
                ..q.clone()
            })
        })
    };
    // kept while the query is the same, so that the pivot's props compare equal
    let on_sort = use_callback(q.clone(), |sort: PivotSort, q: &BudgetQuery| {
        push(&BudgetQuery { sort, ..q.clone() })
    });
    let metric_button = |m: Metric| {
        let current = m == q.metric;
        let q = q.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            push(&BudgetQuery {
                metric: m,
                ..q.clone()
            })
        });
        html! {
            <button type="button" class={if current { "button current" } else { "button" }}
                aria-pressed={if current { "true" } else { "false" }}
                data-testid={format!("metric-{}", m.key())} {onclick}>
                { m.label() }
            </button>
        }
    };

    let pivot_body = match pivot.get::<Rc<Pivot>>() {
        Fetched::Loading => loading(),
        Fetched::Failed(error) => page_error(error, &pivot.retry, &AppRoute::Budget),
        Fetched::Ready(p) if p.total.count == 0 => empty(
            NO_MATCH,
            html! { <a href={AppRoute::Budget.path()} class="button">{ "清除筛选条件" }</a> },
        ),
        Fetched::Ready(p) => html! {
            <PivotView pivot={Rc::clone(p)} metric={q.metric} sort={q.sort} {on_sort}
                filter={q.filter.clone()} />
        },
    };
    let on_year = {
        let q = q.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() else {
                return;
            };
            if let Ok(year) = select.value().parse::<i32>() {
                push(&BudgetQuery { year, ..q.clone() });
            }
        })
    };
    let plans_body = match plans.get::<Rc<Budget>>() {
        Fetched::Loading => loading(),
        Fetched::Failed(error) => error_box(error, &plans.retry, Html::default()),
        Fetched::Ready(b) if b.total.projects == 0 => html! {
            <p class="empty" data-testid="budget-none">
                { format!("{}年尚无项目录入年度计划。", b.year) }
            </p>
        },
        Fetched::Ready(b) => html! { <YearBudget budget={Rc::clone(b)} /> },
    };
    let rec_body = match reconciliation.get::<Rc<Reconciliation>>() {
        Fetched::Loading => loading(),
        Fetched::Failed(error) => error_box(error, &reconciliation.retry, Html::default()),
        Fetched::Ready(r) => html! { <ReconciliationView reconciliation={Rc::clone(r)} /> },
    };

    html! {
        <section class="page budget">
            <div class="page-head">
                <h1>{ "预算" }</h1>
                { view_links(&q.filter, "budget") }
            </div>
            <FilterPanel filter={q.filter.clone()} owners={owners} on_change={on_filter.clone()} />
            { filter_chips(&q.filter, &on_filter) }

            <h2>{ "县市区 × 类别" }</h2>
            <div class="toolbar">
                <div class="segmented" role="group" aria-label="类别栏显示">
                    <span class="segmented-label">{ "类别栏显示：" }</span>
                    { for Metric::ALL.iter().map(|m| metric_button(*m)) }
                </div>
            </div>
            // the table's height, kept while it loads: what follows does not jump (CLS)
            <div class="pivot-slot">{ pivot_body }</div>
            <p class="note">
                { "金额单位：万元。社会投资占比 = 社会投资 ÷ 总投资。点击数字可查看对应项目；点击表头可排序。" }
            </p>

            <h2 id="year-plans">{ "年度计划与本年完成投资" }</h2>
            <div class="toolbar">
                <label for="budget-year">{ "年度：" }</label>
                <select id="budget-year" onchange={on_year}>
                    { for YEARS.map(|y| html! {
                        <option value={y.to_string()} selected={y == q.year}>{ format!("{y}年") }</option>
                    }) }
                </select>
            </div>
            { plans_body }
            <p class="note">
                { "金额单位：万元。本年完成投资 = 当年审核通过的累计完成投资 − 上年末累计完成投资（不筛选）；无法得知的记为“未知”，不按 0 计；投资完成率只在一组项目的本年完成投资全部已知时给出。" }
            </p>

            <h2 id="reconciliation" tabindex="-1">{ "原表核对" }</h2>
            <p class="lead">
                { "规划附件1印刷的“总计”与各类别小计，与逐个项目相加的结果对照（不受上方筛选影响）。" }
            </p>
            { rec_body }
        </section>
    }
}

// The page renders again whenever one of its four answers (the pivot, the year's plans, the
// reconciliation, the owner names) comes in; each table below is a component of its own,
// drawn again only when its own answer or settings change. The same answer is the same
// allocation, so the answers are compared by pointer, not cell by cell.

#[derive(Properties)]
struct PivotViewProps {
    pivot: Rc<Pivot>,
    metric: Metric,
    sort: PivotSort,
    on_sort: Callback<PivotSort>,
    filter: ProjectFilter,
}

impl PartialEq for PivotViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.pivot, &other.pivot)
            && self.metric == other.metric
            && self.sort == other.sort
            && self.on_sort == other.on_sort
            && self.filter == other.filter
    }
}

#[component]
fn PivotView(props: &PivotViewProps) -> Html {
    pivot_table(
        &props.pivot,
        props.metric,
        props.sort,
        &props.on_sort,
        &props.filter,
    )
}

#[derive(Properties)]
struct YearBudgetProps {
    budget: Rc<Budget>,
}

impl PartialEq for YearBudgetProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.budget, &other.budget)
    }
}

#[component]
fn YearBudget(props: &YearBudgetProps) -> Html {
    let b = &props.budget;
    html! {
        <>
            { budget_table(&format!("{}年 按县市区", b.year), "县市区", &b.by_district, &b.total) }
            { budget_table(&format!("{}年 按类别", b.year), "类别", &b.by_category, &b.total) }
        </>
    }
}

#[derive(Properties)]
struct ReconciliationViewProps {
    reconciliation: Rc<Reconciliation>,
}

impl PartialEq for ReconciliationViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.reconciliation, &other.reconciliation)
    }
}

#[component]
fn ReconciliationView(props: &ReconciliationViewProps) -> Html {
    reconciliation_table(&props.reconciliation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_figure_and_the_order_are_parameters_of_the_page() {
        let q = parse("metric=share&sort=-B&category=B").expect("valid");
        assert_eq!(q.metric, Metric::Share);
        assert_eq!(q.sort.key().as_deref(), Some("-B"));
        assert!(q.filter.category.is_some());
        assert_eq!(parse(""), Ok(BudgetQuery::default()));
        let fields: Vec<String> = parse("metric=x&sort=y")
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["metric", "sort"]);
    }
}
