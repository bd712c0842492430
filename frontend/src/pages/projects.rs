//! 项目: the project list. The address bar's query string is the whole state: every filter,
//! sort or page change pushes a new URL, and the list follows the URL, so back/forward and
//! shared links work.

use keyproj_shared::{DistrictFilter, ListQuery, ProjectFilter, ProjectPage, Sort, SortColumn};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::district_filter::DistrictSelect;
use crate::components::empty::Empty;
use crate::components::error_box::ErrorBox;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::project_table::ProjectTable;
use crate::components::totals_bar::TotalsBar;
use crate::hooks::{ApiState, UseListQuery, use_api, use_list_query};
use crate::services::{self, ApiError};

#[component]
pub fn ProjectsPage() -> Html {
    let UseListQuery { query, push } = use_list_query();
    let api = use_api(query.clone(), |query| async move {
        match query {
            Ok(q) => services::list_projects(&q).await,
            Err(errors) => Err(ApiError::invalid_query(errors)),
        }
    });
    // The controls show the valid query, or start afresh from an invalid one.
    let current = query.unwrap_or_default();

    // Any filter change goes back to page 1.
    let set_filter = {
        let push = push.clone();
        let current = current.clone();
        move |f: &dyn Fn(&mut ProjectFilter)| {
            let mut q = current.clone();
            f(&mut q.filter);
            q.page = 1;
            push.emit(q);
        }
    };

    let on_district = {
        let set_filter = set_filter.clone();
        Callback::from(move |d: Option<DistrictFilter>| set_filter(&|f| f.district = d))
    };
    let on_search = {
        let set_filter = set_filter.clone();
        Callback::from(move |q: String| {
            let q = q.trim().to_string();
            set_filter(&|f| f.q = (!q.is_empty()).then(|| q.clone()));
        })
    };
    let on_sort = {
        let push = push.clone();
        let current = current.clone();
        Callback::from(move |column: SortColumn| {
            let mut q = current.clone();
            q.sort = next_sort(q.sort, column);
            q.page = 1;
            push.emit(q);
        })
    };
    let on_page = {
        let push = push.clone();
        let current = current.clone();
        Callback::from(move |page: u32| {
            let mut q = current.clone();
            q.page = page;
            push.emit(q);
            gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
        })
    };
    let on_reset = {
        let push = push.clone();
        Callback::from(move |_: MouseEvent| push.emit(ListQuery::default()))
    };

    let filtered = current.filter != ProjectFilter::default();
    let results = match &api.state {
        ApiState::Loading => html! { <Loading /> },
        ApiState::Failed(error) => {
            let invalid = matches!(error.status(), Some(400)) && !error.is_retryable();
            html! {
                <ErrorBox error={error.clone()} on_retry={api.retry.clone()}>
                    if invalid {
                        <Link<Route> to={Route::Projects} classes="button">
                            { "清除筛选条件" }
                        </Link<Route>>
                    }
                </ErrorBox>
            }
        }
        ApiState::Ready(page) => results(page, &current, on_sort, on_page),
    };

    html! {
        <section class="page projects">
            <h1>{ "项目" }</h1>
            <div class="filters" role="search" aria-label="筛选项目">
                <DistrictSelect value={current.filter.district} on_change={on_district} />
                <SearchBox value={current.filter.q.clone().unwrap_or_default()} on_search={on_search} />
                if filtered {
                    <button type="button" class="button link" onclick={on_reset}
                        data-testid="reset-filters">
                        { "清除筛选" }
                    </button>
                }
            </div>
            <FilterChips filter={current.filter.clone()} on_change={
                let push = push.clone();
                let current = current.clone();
                Callback::from(move |filter: ProjectFilter| {
                    push.emit(ListQuery { filter, page: 1, ..current.clone() });
                })
            } />
            { results }
        </section>
    }
}

/// A click on the sorted column flips its direction; a click elsewhere sorts ascending.
fn next_sort(current: Sort, column: SortColumn) -> Sort {
    if current.column == column {
        Sort {
            column,
            descending: !current.descending,
        }
    } else {
        Sort {
            column,
            descending: false,
        }
    }
}

fn results(
    page: &ProjectPage,
    query: &ListQuery,
    on_sort: Callback<SortColumn>,
    on_page: Callback<u32>,
) -> Html {
    let table = if page.items.is_empty() {
        if page.total == 0 {
            html! { <Empty /> }
        } else {
            html! { <Empty message="此页没有项目，请返回前面的页。" /> }
        }
    } else {
        html! { <ProjectTable items={page.items.clone()} sort={query.sort} {on_sort} /> }
    };
    html! {
        <>
            <TotalsBar totals={page.totals.clone()}
                caption={if query.filter == ProjectFilter::default() { "全部项目合计" } else { "筛选结果合计" }} />
            { table }
            <Pager page={page.page} per_page={page.per_page} total={page.total} {on_page} />
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
/// (back/forward, 清除筛选), the box shows the URL's term again.
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
                    placeholder="搜索项目名称、建设主体、内容"
                    aria-label="搜索项目名称、建设主体、内容"
                    value={(*draft).clone()} {oninput} />
                <button type="submit" class="button primary" data-testid="search-submit">
                    { "搜索" }
                </button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct FilterChipsProps {
    filter: ProjectFilter,
    on_change: Callback<ProjectFilter>,
}

/// The filters that have no control of their own on this page yet (they arrive through
/// links, e.g. from 总览 or a project's 建设主体), each removable.
#[component]
fn FilterChips(props: &FilterChipsProps) -> Html {
    let f = &props.filter;
    let mut chips: Vec<(String, ProjectFilter)> = Vec::new();
    let mut chip = |label: String, clear: &dyn Fn(&mut ProjectFilter)| {
        let mut without = f.clone();
        clear(&mut without);
        chips.push((label, without));
    };
    if let Some(c) = f.category {
        chip(format!("类别：{}", c.label()), &|x| x.category = None);
    }
    if let Some(n) = f.nature {
        chip(format!("建设性质：{}", n.label()), &|x| {
            x.nature = None
        });
    }
    if let Some(o) = &f.owner {
        chip(format!("建设主体：{o}"), &|x| x.owner = None);
    }
    let years = |from: Option<i32>, to: Option<i32>| match (from, to) {
        (Some(a), Some(b)) => Some(format!("{a}–{b}")),
        (Some(a), None) => Some(format!("{a} 起")),
        (None, Some(b)) => Some(format!("至 {b}")),
        (None, None) => None,
    };
    if let Some(y) = years(f.start_year_from, f.start_year_to) {
        chip(format!("开工年份：{y}"), &|x| {
            x.start_year_from = None;
            x.start_year_to = None;
        });
    }
    if let Some(y) = years(f.end_year_from, f.end_year_to) {
        chip(format!("竣工年份：{y}"), &|x| {
            x.end_year_from = None;
            x.end_year_to = None;
        });
    }
    if let Some(b) = f.has_social {
        let label = if b {
            "有社会投资"
        } else {
            "无社会投资"
        };
        chip(label.to_string(), &|x| x.has_social = None);
    }
    if chips.is_empty() {
        return html! {};
    }
    html! {
        <ul class="chips" aria-label="其他筛选条件">
            { for chips.into_iter().map(|(label, without)| {
                let on_change = props.on_change.clone();
                let onclick = Callback::from(move |_: MouseEvent| on_change.emit(without.clone()));
                html! {
                    <li class="chip">
                        <span>{ label.clone() }</span>
                        <button type="button" aria-label={format!("移除筛选：{label}")} {onclick}>
                            { "×" }
                        </button>
                    </li>
                }
            }) }
        </ul>
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
