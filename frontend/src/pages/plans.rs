//! 年度计划 (planners and admins): pick a year; edit its plans in the grid (`plan_grid`), or
//! download its workbook template (every
//! project whose span includes the year, the current plans filled in, last year's beside),
//! and upload it filled in. The upload is checked whole: every error is listed by sheet,
//! row and column, and nothing is written; a clean file is applied at once, and the answer
//! says how many plans were created, changed and unchanged.

use keyproj_shared::{
    AppRoute, PlanGridQuery, PlanImportResult, PlanImportRow, PlanRowAction, ProjectFilter,
};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::error_box::error_box;
use crate::components::filters::{FilterPanel, filter_chips};
use crate::components::gate::gate;
use crate::components::loading::loading;
use crate::components::table::{Col, data_table};
use crate::hooks::{Auth, set_title, use_owners};
use crate::pages::plan_grid::PlanGridEditor;
use crate::services::query_string::parse_pairs;
use crate::services::{self, nav};

/// `/plans`, for planners and admins.
/// The address may name the year and the project list's filters (`/plans?year=2024&district=yuhu`);
/// without a year the page opens on this year.
pub fn plans_page(search: &AttrValue, auth: &Auth) -> Html {
    set_title("年度计划");
    let mut pairs = parse_pairs(search);
    if !pairs.iter().any(|(k, _)| k == "year") {
        pairs.push(("year".to_string(), this_year().to_string()));
    }
    let body = match (
        gate(auth, AppRoute::Plans.roles()),
        PlanGridQuery::from_pairs(&pairs),
    ) {
        (Ok(_), Ok(q)) => html! {
            <PlansOfYear year={q.year.unwrap_or_else(this_year)} filter={q.filter} />
        },
        (Ok(_), Err(errors)) => error_box(
            &services::ApiError::invalid_query(errors),
            &Callback::noop(),
            Html::default(),
        ),
        (Err(instead), _) => instead,
    };
    html! {
        <section class="page plans" data-testid="plans-page">
            <h1>{ "年度计划" }</h1>
            <p class="lead">
                { "按年度录入或调整各项目的年度投资计划：在下方表格中逐格编辑并逐行保存，或下载模板在 Excel 或 WPS 中填写后上传。已有计划的项目已填入现行计划，未改动的行不会生成新版本；每次调整都保留原因和历史。" }
            </p>
            { body }
        </section>
    }
}

/// The year the page opens on: this year in the browser's clock, within 2020-2030.
fn this_year() -> i32 {
    #[cfg(target_arch = "wasm32")]
    {
        let year = web_sys::js_sys::Date::new_0().get_full_year();
        i32::try_from(year).unwrap_or(2025).clamp(2020, 2030)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        2025
    }
}

/// Where an upload stands.
#[derive(Clone, PartialEq)]
enum Upload {
    Idle,
    Busy,
    Done(PlanImportResult),
    Failed(services::ApiError),
}

fn input_value(e: &Event) -> Option<String> {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
}

#[derive(Properties, PartialEq)]
struct YearProps {
    year: i32,
    filter: ProjectFilter,
}

/// The year picked, shared by the grid and the workbook.
#[component]
fn PlansOfYear(props: &YearProps) -> Html {
    let year = use_state(|| props.year);
    // whether the grid holds unsaved rows, which another year would drop
    let unsaved = use_mut_ref(|| false);
    let on_year = {
        let (year, unsaved) = (year.clone(), unsaved.clone());
        Callback::from(move |e: Event| {
            let Some(y) = input_value(&e).and_then(|v| v.trim().parse::<i32>().ok()) else {
                return;
            };
            let leave = !*unsaved.borrow()
                || gloo::utils::window()
                    .confirm_with_message("本页有未保存的修改，换年度后将丢失。确定换年度？")
                    .unwrap_or(false);
            if (2020..=2030).contains(&y) && leave {
                year.set(y);
            } else if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                input.set_value(&year.to_string());
            }
        })
    };
    // a filter is a new address (year kept), so the grid and the template follow it
    let on_filter = {
        let (year, unsaved) = (year.clone(), unsaved.clone());
        Callback::from(move |filter: ProjectFilter| {
            let leave = !*unsaved.borrow()
                || gloo::utils::window()
                    .confirm_with_message("本页有未保存的修改，换筛选条件后将丢失。确定继续？")
                    .unwrap_or(false);
            if leave {
                let q = PlanGridQuery {
                    filter,
                    year: Some(*year),
                    ..PlanGridQuery::default()
                };
                nav::push_query(&AppRoute::Plans, &q.to_pairs());
            }
        })
    };
    let owners = use_owners();
    html! {
        <>
            <FilterPanel filter={props.filter.clone()} {owners} on_change={on_filter.clone()} />
            { filter_chips(&props.filter, &on_filter) }
            <div class="form-row">
                <label>{ "计划年度 " }
                    <input type="number" min="2020" max="2030" step="1" data-testid="plan-year"
                        value={year.to_string()} onchange={on_year} />
                </label>
            </div>
            <PlanGridEditor year={*year} filter={props.filter.clone()} {unsaved} />
            <PlanWorkbook year={*year} filter={props.filter.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct WorkbookProps {
    year: i32,
    /// The grid's filters: the template holds the same rows.
    filter: ProjectFilter,
}

#[component]
fn PlanWorkbook(props: &WorkbookProps) -> Html {
    let year = props.year;
    let reason = use_state(String::new);
    let file = use_state(|| None::<web_sys::File>);
    let state = use_state(|| Upload::Idle);
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                reason.set(v);
            }
        })
    };
    let on_file = {
        let (file, state) = (file.clone(), state.clone());
        Callback::from(move |e: Event| {
            let chosen = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            file.set(chosen);
            state.set(Upload::Idle);
        })
    };
    let on_upload = {
        let (file, reason, state) = (file.clone(), reason.clone(), state.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(f) = (*file).clone() else { return };
            let (reason, state) = ((*reason).clone(), state.clone());
            state.set(Upload::Busy);
            wasm_bindgen_futures::spawn_local(async move {
                state.set(match services::import_plans(&f, &reason).await {
                    Ok(r) => Upload::Done(r),
                    Err(e) => Upload::Failed(e),
                });
            });
        })
    };
    let busy = *state == Upload::Busy;
    let outcome = match &*state {
        Upload::Idle => Html::default(),
        Upload::Busy => loading(),
        Upload::Done(r) => result(r),
        Upload::Failed(e) => error_box(e, &Callback::noop(), Html::default()),
    };
    html! {
        <section class="import" data-testid="plan-workbook" aria-labelledby="plan-workbook-title">
            <h2 id="plan-workbook-title">{ "批量录入（Excel / WPS）" }</h2>
            <div class="form-row">
                <a class="button" href={services::plan_template_url(year, &props.filter)} data-testid="plan-template-link">
                    { format!("下载 {year} 年度计划模板") }
                </a>
            </div>
            <div class="form-row">
                <label>{ "上传填好的工作簿（.xlsx） " }
                    <input type="file" data-testid="plan-file" onchange={on_file}
                        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                </label>
                <label>{ "统一的调整原因（行内未填“调整原因”时使用） " }
                    <input type="text" maxlength="500" data-testid="plan-reason"
                        value={(*reason).clone()} onchange={on_reason} />
                </label>
                <button type="button" class="button primary" data-testid="plan-upload"
                    disabled={busy || file.is_none()} onclick={on_upload}>
                    { "上传并导入" }
                </button>
            </div>
            { outcome }
        </section>
    }
}

const COLUMNS: &[Col] = &[
    ("行", true),
    ("项目编号", false),
    ("年度", true),
    ("结果", false),
    ("版本", true),
];

fn result(r: &PlanImportResult) -> Html {
    let summary = format!(
        "已导入。共 {} 行：新建 {}，调整 {}，无变化 {}，未填写 {}。",
        r.rows_total, r.created, r.changed, r.unchanged, r.blank
    );
    let rows: Vec<&PlanImportRow> = r
        .rows
        .iter()
        .filter(|row| row.action != PlanRowAction::Blank)
        .collect();
    html! {
        <div class="import-result" data-testid="plan-import-result">
            <p role="status" data-testid="plan-import-summary">{ summary }</p>
            if !rows.is_empty() {
                { data_table("导入结果", "import-rows", "plan-import-rows", COLUMNS,
                    rows.into_iter().map(row).collect()) }
            }
        </div>
    }
}

fn row(r: &PlanImportRow) -> Html {
    html! {
        <tr data-testid="plan-import-row" data-action={r.action.key()}>
            <td class="num">{ r.row }</td>
            <td class="code">{ &r.project_code }</td>
            <td class="num">{ r.year.map(|y| y.to_string()).unwrap_or_default() }</td>
            <td>{ r.action.label() }</td>
            <td class="num">{ r.version.map(|v| format!("第 {v} 版")).unwrap_or_default() }</td>
        </tr>
    }
}
