//! The project list table, with sortable column headers.

use keyproj_shared::{AppRoute, ProjectItem, ScheduleDate, Sort, SortColumn};
use yew::prelude::*;

use super::money::{format_percent, money_text, percent_text};
use super::report_history::status_badge;

/// Column header: label, the column it sorts by (if any), and whether it holds numbers.
struct Column {
    label: &'static str,
    sort: Option<SortColumn>,
    numeric: bool,
}

const COLUMNS: &[Column] = &[
    Column {
        label: "编号",
        sort: Some(SortColumn::Code),
        numeric: false,
    },
    Column {
        label: "项目名称",
        sort: Some(SortColumn::Name),
        numeric: false,
    },
    Column {
        label: "类别",
        sort: Some(SortColumn::Category),
        numeric: false,
    },
    Column {
        label: "县市区",
        sort: Some(SortColumn::District),
        numeric: false,
    },
    Column {
        label: "建设性质",
        sort: Some(SortColumn::Nature),
        numeric: false,
    },
    Column {
        label: "建设主体",
        sort: Some(SortColumn::Owner),
        numeric: false,
    },
    Column {
        label: "开工年份",
        sort: Some(SortColumn::Start),
        numeric: false,
    },
    Column {
        label: "竣工年份",
        sort: Some(SortColumn::End),
        numeric: false,
    },
    Column {
        label: "总投资（万元）",
        sort: Some(SortColumn::TotalInvestment),
        numeric: true,
    },
    Column {
        label: "“十四五”计划投资（万元）",
        sort: Some(SortColumn::PlannedInvestment),
        numeric: true,
    },
    Column {
        label: "社会投资占比",
        sort: Some(SortColumn::SocialSharePct),
        numeric: true,
    },
    Column {
        label: "建设进度（已审核）",
        sort: None,
        numeric: false,
    },
    Column {
        label: "累计完成投资（万元）",
        sort: None,
        numeric: true,
    },
];

fn header(col: &Column, sort: Sort, on_sort: &Callback<SortColumn>) -> Html {
    let class = if col.numeric { "num" } else { "" };
    let Some(column) = col.sort else {
        return html! { <th scope="col" {class}>{ col.label }</th> };
    };
    let active = sort.column == column;
    let aria_sort = match (active, sort.descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    let arrow = match (active, sort.descending) {
        (false, _) => "↕",
        (true, false) => "↑",
        (true, true) => "↓",
    };
    let onclick = {
        let on_sort = on_sort.clone();
        Callback::from(move |_: MouseEvent| on_sort.emit(column))
    };
    html! {
        <th scope="col" {class} aria-sort={aria_sort}>
            <button type="button" class={if active { "sort active" } else { "sort" }} {onclick}
                data-sort={column.key()}>
                { col.label }
                <span class="sort-arrow" aria-hidden="true">{ arrow }</span>
            </button>
        </th>
    }
}

fn schedule_cell(d: &ScheduleDate) -> Html {
    if d.approximate {
        html! {
            <td class="nowrap approx" title="原表为年份区间" data-approximate="true">
                { d.label() }
            </td>
        }
    } else {
        html! { <td class="nowrap">{ d.label() }</td> }
    }
}

/// The latest approved status with its 形象进度, and the 累计完成投资; dashes before any.
fn approved_cells(p: &ProjectItem) -> Html {
    match &p.approved {
        Some(a) => html! {
            <>
                <td class="nowrap" data-testid="row-status" title={format!("{} 月报", a.period)}>
                    { status_badge(a.status) }{ " " }{ format_percent(a.physical_progress_pct) }
                </td>
                <td class="num" data-testid="row-completed">{ money_text(a.investment_completed, false) }</td>
            </>
        },
        None => html! {
            <>
                <td class="muted" data-testid="row-status">{ "未报告" }</td>
                <td class="num muted" data-testid="row-completed">{ "—" }</td>
            </>
        },
    }
}

fn row(p: &ProjectItem) -> Html {
    let owners = p
        .owners
        .iter()
        .map(|o| o.name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let district = match p.district {
        Some(d) => html! { { d.label() } },
        None => html! { <span class="muted">{ "未分配" }</span> },
    };
    html! {
        <tr data-testid="project-row" data-code={p.code.clone()}>
            <td class="code nowrap">{ &p.code }</td>
            <td class="name">
                <a href={AppRoute::project(&p.code).path()}>{ &p.name }</a>
                if p.has_findings {
                    <span class="flag" title="该项目有核对发现，详见项目页">{ "核" }</span>
                }
            </td>
            <td class="nowrap">{ p.category.label() }</td>
            <td class="nowrap" data-district={p.district.map(|d| d.key())}>{ district }</td>
            <td class="nowrap">{ &p.nature_published }</td>
            <td class="owners">{ owners }</td>
            { schedule_cell(&p.start) }
            { schedule_cell(&p.end) }
            <td class="num">{ money_text(p.total_investment, false) }</td>
            <td class="num">{ money_text(p.planned_investment, false) }</td>
            <td class="num">{ percent_text(p.social_share_pct) }</td>
            { approved_cells(p) }
        </tr>
    }
}

/// `on_sort`: a header was clicked; the page decides the direction.
pub fn project_table(items: &[ProjectItem], sort: Sort, on_sort: &Callback<SortColumn>) -> Html {
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="项目列表">
            <table class="data projects" data-testid="project-table">
                <thead>
                    <tr>
                        { for COLUMNS.iter().map(|c| header(c, sort, on_sort)) }
                    </tr>
                </thead>
                <tbody>
                    { for items.iter().map(row) }
                </tbody>
            </table>
        </div>
    }
}
