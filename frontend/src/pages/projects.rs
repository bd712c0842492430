//! 项目: the project list. The address bar's query string is the whole state: every filter,
//! sort or page change pushes a new URL, and the list follows the URL, so back/forward and
//! shared links work.

use std::rc::Rc;

use keyproj_shared::{AppRoute, ListQuery, ProjectFilter, ProjectPage, Sort, SortColumn};
use yew::prelude::*;

use super::view_links;
use crate::components::empty::{NO_MATCH, empty};
use crate::components::error_box::page_error;
use crate::components::filters::{FilterPanel, filter_chips};
use crate::components::loading::{loading, results_box};
use crate::components::pager::pager;
use crate::components::project_table::project_table;
use crate::components::select::{Choice, Select};
use crate::components::totals_bar::totals_bar;
use crate::components::warning_filter::{WarningChoice, WarningFilter};
use crate::hooks::{Fetched, answer, use_api, use_owners, use_title};
use crate::services::query_string::list_query_from_search;
use crate::services::{self, ApiError, ExportFormat, nav};

#[derive(Properties, PartialEq)]
pub struct ProjectsPageProps {
    /// The query string, without `?`.
    pub search: AttrValue,
}

#[component]
pub fn ProjectsPage(props: &ProjectsPageProps) -> Html {
    use_title("项目".to_string());
    let query = list_query_from_search(&props.search);
    // `to_pairs` leaves defaults out, so the plain list stays `/projects`.
    let push = Callback::from(|q: ListQuery| go(&q));
    let api = use_api(props.search.clone(), |search| {
        Box::pin(async move {
            answer(match list_query_from_search(&search) {
                Ok(q) => services::list_projects(&q).await.map(Rc::new),
                Err(errors) => Err(ApiError::invalid_query(errors)),
            })
        })
    });
    let owners = use_owners();
    // The controls show the valid query, or start afresh from an invalid one.
    let current = query.unwrap_or_default();

    // Any filter change goes back to page 1.
    let on_filter = {
        let push = push.clone();
        let current = current.clone();
        Callback::from(move |filter: ProjectFilter| {
            push.emit(ListQuery {
                filter,
                page: 1,
                ..current.clone()
            });
        })
    };
    // a colour or the gap sort: page 1, and the column sort gives way to the gap's
    let on_warning = {
        let push = push.clone();
        let current = current.clone();
        Callback::from(move |(warning, gap): WarningChoice| {
            push.emit(ListQuery {
                warning,
                gap_descending: gap,
                warning_period: current
                    .warning_period
                    .filter(|_| warning.is_some() || gap.is_some()),
                sort: if gap.is_some() {
                    Sort::default()
                } else {
                    current.sort
                },
                page: 1,
                ..current.clone()
            });
        })
    };
    let warning_month = current.warning_period.or_else(|| {
        crate::util::today_in_china()
            .and_then(|d| keyproj_shared::query::current_reporting_month(d.period()))
    });
    // kept while the query is the same, so that the results' props compare equal
    let on_sort = use_callback(
        current.clone(),
        |column: SortColumn, current: &ListQuery| {
            go(&ListQuery {
                sort: next_sort(current.sort, column),
                gap_descending: None,
                warning_period: current.warning_period.filter(|_| current.warning.is_some()),
                page: 1,
                ..current.clone()
            });
        },
    );
    let on_page = use_callback(current.clone(), |page: u32, current: &ListQuery| {
        go(&ListQuery {
            page,
            ..current.clone()
        });
        gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    let on_per_page = {
        let push = push.clone();
        let current = current.clone();
        Callback::from(move |v: String| {
            if let Ok(per_page) = v.parse() {
                push.emit(ListQuery {
                    per_page,
                    page: 1,
                    ..current.clone()
                });
            }
        })
    };

    let (fetched, updating) = api.get_keeping::<Rc<ProjectPage>>();
    let results = match fetched {
        Fetched::Loading => loading(),
        Fetched::Failed(error) => page_error(error, &api.retry, &AppRoute::Projects),
        Fetched::Ready(page) => html! {
            <ProjectResults page={Rc::clone(page)} query={current.clone()} {on_sort} {on_page} />
        },
    };

    html! {
        <section class="page projects">
            <div class="page-head">
                <h1>{ "项目" }</h1>
                { view_links(&current.filter, "projects") }
            </div>
            <FilterPanel filter={current.filter.clone()} owners={owners} on_change={on_filter.clone()} />
            { filter_chips(&current.filter, &on_filter) }
            <WarningFilter colour={current.warning} gap_descending={current.gap_descending}
                period={warning_month} on_change={on_warning} />
            <div class="toolbar">
                <div class="exports" role="group" aria-label="导出筛选结果">
                    <a id="export-csv" class="button" download=""
                        href={services::export_url(ExportFormat::Csv, &current)}>
                        { "导出 CSV" }
                    </a>
                    <a id="export-xlsx" class="button" download=""
                        href={services::export_url(ExportFormat::Xlsx, &current)}>
                        { "导出 Excel" }
                    </a>
                    <a id="export-oc4ids" class="button" download=""
                        title="OC4IDS 开放数据格式（JSON，金额以元计）"
                        href={services::export_url(ExportFormat::Oc4ids, &current)}>
                        { "导出 OC4IDS" }
                    </a>
                </div>
                <Select id="per-page" name="per_page" label="每页条数"
                    value={AttrValue::from(current.per_page.to_string())}
                    choices={per_page_choices(current.per_page)} on_change={on_per_page} />
            </div>
            { results_box(updating, results) }
        </section>
    }
}

/// Shows the list for `query`: a new address, which the page follows.
fn go(query: &ListQuery) {
    nav::push_query(&AppRoute::Projects, &query.to_pairs());
}

/// What the results show: the page as loaded (shared, not copied), the query it answers and
/// what its sortable headings and pager do.
#[derive(Properties)]
struct ProjectResultsProps {
    page: Rc<ProjectPage>,
    query: ListQuery,
    on_sort: Callback<SortColumn>,
    on_page: Callback<u32>,
}

/// The same answer is the same allocation: the pointer is compared, not every row.
impl PartialEq for ProjectResultsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.page, &other.page)
            && self.query == other.query
            && self.on_sort == other.on_sort
            && self.on_page == other.on_page
    }
}

/// The totals, the table and the pager as a component of their own: the page renders again
/// when anything of its state moves (the owner names arriving), and the table is then drawn
/// again only if its page, query or callbacks changed.
#[component]
fn ProjectResults(props: &ProjectResultsProps) -> Html {
    results(&props.page, &props.query, &props.on_sort, &props.on_page)
}

/// 20, 50 or 100 a page (and whatever other size the address asks for).
fn per_page_choices(current: u32) -> Vec<Choice> {
    let mut sizes = vec![20_u32, 50, 100];
    if !sizes.contains(&current) {
        let at = sizes
            .iter()
            .position(|x| *x > current)
            .unwrap_or(sizes.len());
        sizes.insert(at, current);
    }
    sizes
        .into_iter()
        .map(|n| {
            (
                AttrValue::from(n.to_string()),
                AttrValue::from(format!("{n} 条")),
            )
        })
        .collect()
}

/// A click on the sorted column flips its direction; a click elsewhere sorts ascending.
fn next_sort(current: Sort, column: SortColumn) -> Sort {
    Sort {
        column,
        descending: current.column == column && !current.descending,
    }
}

fn results(
    page: &ProjectPage,
    query: &ListQuery,
    on_sort: &Callback<SortColumn>,
    on_page: &Callback<u32>,
) -> Html {
    let table = if page.items.is_empty() {
        if page.total == 0 {
            let clear = if query.filter == ProjectFilter::default() && query.warning.is_none() {
                Html::default()
            } else {
                html! { <a href={AppRoute::Projects.path()} class="button">{ "清除筛选条件" }</a> }
            };
            empty(NO_MATCH, clear)
        } else {
            empty("此页没有项目，请返回前面的页。", Html::default())
        }
    } else {
        project_table(&page.items, query.sort, on_sort)
    };
    let caption = if query.filter == ProjectFilter::default() && query.warning.is_none() {
        "全部项目合计"
    } else {
        "筛选结果合计"
    };
    html! {
        <>
            { totals_bar(&page.totals, caption) }
            { table }
            { pager(page.page.unwrap_or(query.page), page.per_page, page.total, on_page) }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicking_the_sorted_column_flips_it_and_another_starts_ascending() {
        let by = |column, descending| Sort { column, descending };
        let total = SortColumn::TotalInvestment;
        assert_eq!(next_sort(Sort::default(), total), by(total, false));
        assert_eq!(next_sort(by(total, false), total), by(total, true));
        assert_eq!(next_sort(by(total, true), total), by(total, false));
        assert_eq!(
            next_sort(by(total, true), SortColumn::Name),
            by(SortColumn::Name, false)
        );
    }
}
