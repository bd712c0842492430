//! 我的项目: the projects of the owner's organisation, each with its approved progress and
//! the way to its 月报 form.

use keyproj_shared::{
    AppRoute, DueList, ImportResult, ListQuery, ProjectFilter, ProjectItem, ProjectPage,
};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::due::due_list;
use crate::components::empty::empty;
use crate::components::error_box::error_box;
use crate::components::gate::gate;
use crate::components::import_result::import_result;
use crate::components::loading::loading;
use crate::components::money::{format_money, format_percent};
use crate::components::report_history::status_badge;
use crate::components::table::{Col, data_table};
use crate::components::totals_bar::totals_bar;
use crate::hooks::{Auth, Fetched, answer, set_title, use_api};
use crate::services;

/// `/my-projects`, for owners.
pub fn my_projects_page(auth: &Auth) -> Html {
    set_title("我的项目");
    let body = match gate(auth, AppRoute::MyProjects.roles()) {
        Ok(user) => match &user.organisation {
            Some(org) => html! {
                <>
                    <OwnProjects organisation={AttrValue::from(org.name.clone())} />
                    <ImportReports />
                </>
            },
            None => {
                html! { <p class="muted">{ "本账号未指定所属建设主体，请联系系统管理员。" }</p> }
            }
        },
        Err(instead) => instead,
    };
    html! {
        <section class="page my-projects" data-testid="my-projects-page">
            <h1>{ "我的项目" }</h1>
            { body }
        </section>
    }
}

const COLUMNS: &[Col] = &[
    ("编号", false),
    ("项目名称", false),
    ("总投资（万元）", true),
    ("建设状态", false),
    ("形象进度", true),
    ("累计完成投资（万元）", true),
    ("报告期", false),
    ("月报", false),
];

#[derive(Properties, PartialEq)]
struct OwnProjectsProps {
    organisation: AttrValue,
}

#[component]
fn OwnProjects(props: &OwnProjectsProps) -> Html {
    let api = use_api(props.organisation.clone(), |org| {
        Box::pin(async move {
            let query = ListQuery {
                filter: ProjectFilter {
                    owner: Some(org.to_string()),
                    ..ProjectFilter::default()
                },
                per_page: keyproj_shared::query::MAX_PER_PAGE,
                ..ListQuery::default()
            };
            answer(services::list_projects(&query).await)
        })
    });
    let due = use_api(AttrValue::Static("due"), |_| {
        Box::pin(async move { answer(services::timeliness_due().await) })
    });
    let due = match due.get::<DueList>() {
        Fetched::Loading => loading(),
        Fetched::Failed(e) => error_box(e, &due.retry, Html::default()),
        Fetched::Ready(d) => due_list(d),
    };
    let lead = html! {
        <p class="lead">
            { format!("{}为建设主体的项目。每月填报一次进度，财务审核通过后计入统计。", props.organisation) }
        </p>
    };
    let body = match api.get::<ProjectPage>() {
        Fetched::Loading => loading(),
        Fetched::Failed(e) => error_box(e, &api.retry, Html::default()),
        Fetched::Ready(page) if page.items.is_empty() => {
            empty("本单位在规划中没有项目", Html::default())
        }
        Fetched::Ready(page) => html! {
            <>
                { totals_bar(&page.totals, "本单位项目合计") }
                { data_table("我的项目", "my-projects", "my-projects", COLUMNS,
                    page.items.iter().map(row).collect()) }
                <p class="note">{ "建设状态、形象进度和累计完成投资为最近一期审核通过的月报数据。" }</p>
            </>
        },
    };
    html! { <>{ lead }{ due }{ body }</> }
}

fn row(p: &ProjectItem) -> Html {
    let dash = || html! { <span class="muted">{ "—" }</span> };
    let a = p.approved.as_ref();
    html! {
        <tr data-testid="my-project-row" data-code={p.code.clone()}>
            <td class="code nowrap">{ &p.code }</td>
            <td class="name"><a href={AppRoute::project(&p.code).path()}>{ &p.name }</a></td>
            <td class="num">{ format_money(p.total_investment) }</td>
            <td>{ a.map_or_else(|| html! { <span class="muted">{ "未报告" }</span> }, |a| status_badge(a.status)) }</td>
            <td class="num">{ a.map_or_else(dash, |a| html! { format_percent(a.physical_progress_pct) }) }</td>
            <td class="num">{ a.map_or_else(dash, |a| html! { format_money(a.investment_completed) }) }</td>
            <td class="nowrap">{ a.map_or_else(dash, |a| html! { a.period.clone() }) }</td>
            <td>
                <a class="button" href={AppRoute::reports(&p.code).path()}
                    data-testid="report-link">
                    { "填报与记录" }
                </a>
            </td>
        </tr>
    }
}

/// Where an upload stands.
#[derive(Clone, PartialEq)]
enum Upload {
    Idle,
    Busy,
    Checked(ImportResult),
    Imported(ImportResult),
    Failed(crate::services::ApiError),
}

/// 批量导入月报: download the template, upload it for a dry run, see every row and error,
/// then confirm the import of the same file.
#[component]
fn ImportReports() -> Html {
    let period = use_state(String::new);
    let file = use_state(|| None::<web_sys::File>);
    let state = use_state(|| Upload::Idle);
    let on_period = {
        let period = period.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                period.set(input.value());
            }
        })
    };
    let run = {
        let (file, state) = (file.clone(), state.clone());
        move |dry_run: bool| {
            let (file, state) = (file.clone(), state.clone());
            Callback::from(move |_: MouseEvent| {
                let Some(f) = (*file).clone() else { return };
                let state = state.clone();
                state.set(Upload::Busy);
                wasm_bindgen_futures::spawn_local(async move {
                    state.set(match crate::services::import_workbook(&f, dry_run).await {
                        Ok(r) if dry_run => Upload::Checked(r),
                        Ok(r) => Upload::Imported(r),
                        Err(e) => Upload::Failed(e),
                    });
                });
            })
        }
    };
    let on_file = {
        let (file, state) = (file.clone(), state.clone());
        Callback::from(move |e: Event| {
            let chosen = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            file.set(chosen);
            state.set(Upload::Idle);
        })
    };
    let busy = *state == Upload::Busy;
    let confirm = match &*state {
        Upload::Checked(r) if !r.has_errors() && r.new_reports + r.corrections > 0 => html! {
            <button type="button" class="button primary" data-testid="import-confirm"
                disabled={busy} onclick={run(false)}>
                { format!("确认导入（{} 份新报告，{} 份更正）", r.new_reports, r.corrections) }
            </button>
        },
        _ => Html::default(),
    };
    let outcome = match &*state {
        Upload::Idle => Html::default(),
        Upload::Busy => loading(),
        Upload::Checked(r) | Upload::Imported(r) => import_result(r),
        Upload::Failed(e) => error_box(e, &Callback::noop(), Html::default()),
    };
    html! {
        <section class="import" data-testid="import-reports" aria-labelledby="import-title">
            <h2 id="import-title">{ "批量填报（Excel / WPS）" }</h2>
            <p class="lead">
                { "下载本单位项目的月报模板，填好后上传。先试导入核对每一行，确认无误后再导入；一个文件要么全部导入，要么一行也不导入。" }
            </p>
            <div class="form-row">
                <label>{ "填报月份 " }
                    <input type="month" data-testid="template-period" value={(*period).clone()} onchange={on_period} />
                </label>
                <a class="button" href={crate::services::template_url(&period)} data-testid="template-link">
                    { "下载月报模板" }
                </a>
            </div>
            <div class="form-row">
                <label>{ "上传填好的工作簿（.xlsx） " }
                    <input type="file" data-testid="import-file" onchange={on_file}
                        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                </label>
                <button type="button" class="button" data-testid="import-dry-run"
                    disabled={busy || file.is_none()} onclick={run(true)}>
                    { "试导入" }
                </button>
                { confirm }
            </div>
            { outcome }
        </section>
    }
}
