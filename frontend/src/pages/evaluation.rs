//! 终期评估: how each project stood at the end of the plan period (2025-12) by its approved
//! reports, the same by category (with the published subtotals' findings) and by district,
//! and the workbook. Projects without an approved report say so and are not summed as zero.

use keyproj_shared::{AppRoute, Evaluation, EvaluationGroup, EvaluationProject, Outcome};
use yew::prelude::*;

use crate::components::error_box::error_box;
use crate::components::loading::loading;
use crate::components::money::{money_text, percent_text};
use crate::components::table::{Col, data_table};
use crate::hooks::{Fetched, answer, use_api, use_title};
use crate::services;
use crate::util::local_time;

#[component]
pub fn EvaluationPage() -> Html {
    use_title("终期评估".to_string());
    let api = use_api(AttrValue::Static("evaluation"), |_| {
        Box::pin(async move { answer(services::evaluation().await) })
    });
    let body = match api.get::<Evaluation>() {
        Fetched::Loading => loading(),
        Fetched::Failed(e) => error_box(e, &api.retry, Html::default()),
        Fetched::Ready(e) => view(e),
    };
    html! {
        <section class="page evaluation" data-testid="evaluation-page">
            <h1>{ "“十四五”规划重点项目终期评估" }</h1>
            <p class="lead">{ "只计截至2025年12月、财务审核通过的月报。按期竣工：竣工月份不晚于原表计划竣工年份（未写月份的按当年12月）。没有已审核月报的项目单独列出，其完成投资未知，不计为零，完成率只在有完成数的项目间计算。" }</p>
            { body }
        </section>
    }
}

const GROUP_COLUMNS: &[Col] = &[
    ("分组", false),
    ("项目数", true),
    ("按期竣工", true),
    ("逾期竣工", true),
    ("在建", true),
    ("停工", true),
    ("未开工", true),
    ("无已审核报告", true),
    ("“十四五”计划投资（万元）", true),
    ("有完成数的项目", true),
    ("其计划投资（万元）", true),
    ("“十四五”完成投资（万元）", true),
    ("完成率", true),
    ("原表小计核对", false),
];

fn group_row(g: &EvaluationGroup, total: bool) -> Html {
    let o = &g.outcomes;
    let check = match (&g.published, &g.finding) {
        (None, _) => html! { <span class="muted">{ "—" }</span> },
        (Some(_), None) => html! { <span class="badge ok">{ "与原表一致" }</span> },
        (Some(_), Some(f)) => html! { <span class="diff-text">{ f.clone() }</span> },
    };
    html! {
        <tr class={total.then_some("totals")} data-testid="evaluation-group" data-key={g.key.clone()}>
            <th scope="row">{ &g.label }</th>
            <td class="num">{ g.projects }</td>
            <td class="num">{ o.completed_on_time }</td>
            <td class="num">{ o.completed_late }</td>
            <td class="num">{ o.under_construction }</td>
            <td class="num">{ o.suspended }</td>
            <td class="num">{ o.not_started }</td>
            <td class="num">{ o.no_report }</td>
            <td class="num">{ money_text(g.planned_investment, false) }</td>
            <td class="num">{ g.with_figure }</td>
            <td class="num">{ money_text(g.planned_of_with_figure, false) }</td>
            <td class="num">{ money_text(g.investment_completed, false) }</td>
            <td class="num">{ percent_text(g.rate_pct) }</td>
            <td>{ check }</td>
        </tr>
    }
}

fn groups(
    title: &'static str,
    testid: &'static str,
    gs: &[EvaluationGroup],
    total: &EvaluationGroup,
) -> Html {
    let rows: Html = gs
        .iter()
        .map(|g| group_row(g, false))
        .chain(std::iter::once(group_row(total, true)))
        .collect();
    data_table(title, "evaluation-groups", testid, GROUP_COLUMNS, rows)
}

const PROJECT_COLUMNS: &[Col] = &[
    ("编号", false),
    ("项目名称", false),
    ("计划竣工", false),
    ("评估结果", false),
    ("依据月报", false),
    ("竣工月份", false),
    ("“十四五”计划投资（万元）", true),
    ("“十四五”完成投资（万元）", true),
    ("完成率", true),
    ("说明", false),
];

fn outcome_badge(o: Outcome) -> Html {
    let class = match o {
        Outcome::CompletedOnTime => "badge ok",
        Outcome::CompletedLate | Outcome::Suspended => "badge bad",
        Outcome::UnderConstruction | Outcome::NotStarted => "badge pending",
        Outcome::NoReport => "badge muted",
    };
    html! { <span {class} data-outcome={o.key()}>{ o.label() }</span> }
}

fn project_row(p: &EvaluationProject) -> Html {
    let dash = || html! { <span class="muted">{ "—" }</span> };
    html! {
        <tr data-testid="evaluation-project" data-code={p.code.clone()}>
            <td class="code nowrap">{ &p.code }</td>
            <td class="name"><a href={AppRoute::project(&p.code).path()}>{ &p.name }</a></td>
            <td class="nowrap">{ &p.planned_end }</td>
            <td>{ outcome_badge(p.outcome) }</td>
            <td class="nowrap">{ p.report_period.clone().map_or_else(dash, |s| html! { s }) }</td>
            <td class="nowrap">{ p.completed_in.clone().map_or_else(dash, |s| html! { s }) }</td>
            <td class="num">{ money_text(p.planned_investment, false) }</td>
            <td class="num">{ p.investment_completed.map_or_else(|| html! { <span class="muted" title="未知，不计为零">{ "未知" }</span> }, |m| money_text(m, false)) }</td>
            <td class="num">{ percent_text(p.rate_pct) }</td>
            <td class="note">{ p.note.clone().unwrap_or_default() }</td>
        </tr>
    }
}

fn view(e: &Evaluation) -> Html {
    html! {
        <>
            <div class="toolbar">
                <p class="note" data-testid="evaluation-as-of">
                    { format!("数据截至 {}（已审核月报），生成于 {}。金额单位：万元。", e.as_of, local_time(&e.generated_at)) }
                </p>
                <div class="exports" role="group" aria-label="导出终期评估">
                    <a class="button" download="" href={services::evaluation_export_url()}>{ "导出 Excel" }</a>
                </div>
            </div>
            <h2>{ "按类别" }</h2>
            { groups("按类别", "evaluation-by-category", &e.by_category, &e.total) }
            <h2>{ "按县市区" }</h2>
            <p class="note">{ "原表未公布各县市区小计，故无核对。" }</p>
            { groups("按县市区", "evaluation-by-district", &e.by_district, &e.total) }
            <h2>{ "项目明细" }</h2>
            { data_table("项目明细", "evaluation-projects", "evaluation-projects", PROJECT_COLUMNS,
                e.projects.iter().map(project_row).collect()) }
        </>
    }
}
