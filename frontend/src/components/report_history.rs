//! A project's 月报, newest first, each with its review state as a badge. Props only.

use keyproj_shared::{ApprovedProgress, ProgressStatus, Report, ReportState};
use yew::prelude::*;

use super::money::{format_money, format_percent};
use super::table::{Col, data_table};
use crate::util::local_time;

/// The review state, coloured: 待审核, 已通过, 已退回, 已被更正.
pub fn state_badge(state: ReportState) -> Html {
    let class = match state {
        ReportState::Submitted => "badge pending",
        ReportState::Approved => "badge ok",
        ReportState::Returned => "badge bad",
        ReportState::Superseded => "badge muted",
    };
    html! {
        <span {class} data-testid="state-badge" data-state={state.key()}>{ state.label() }</span>
    }
}

/// The construction status: 未开工, 在建, 已竣工, 停工.
pub fn status_badge(status: ProgressStatus) -> Html {
    html! {
        <span class={classes!("badge", "status", status.key())} data-status={status.key()}>
            { status.label() }
        </span>
    }
}

/// 进展情况, 存在问题 and, where given, why the investment exceeds 总投资.
pub fn report_texts(r: &Report) -> Html {
    let item = |label: &'static str, text: &str| {
        (!text.trim().is_empty()).then(|| {
            html! {
                <div class="text-item">
                    <span class="text-label">{ label }</span>
                    <span class="pre">{ text.to_string() }</span>
                </div>
            }
        })
    };
    let items: Vec<Html> = [
        item("进展情况", &r.progress_text),
        item("存在问题", &r.problems_text),
        item(
            "超总投资原因",
            r.over_total_reason.as_deref().unwrap_or_default(),
        ),
        item("退回原因", r.review_reason.as_deref().unwrap_or_default()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if items.is_empty() {
        html! { <span class="muted">{ "—" }</span> }
    } else {
        html! { <div class="report-texts">{ for items }</div> }
    }
}

/// Who did it and when: `张三 2024-06-01 11:04`.
pub fn who_when(name: &str, at: &str) -> Html {
    html! {
        <>
            <span>{ name.to_string() }</span>
            <span class="muted nowrap">{ " " }{ local_time(at) }</span>
        </>
    }
}

fn dates(r: &Report) -> String {
    match (&r.actual_start, &r.actual_end) {
        (None, None) => "—".to_string(),
        (s, e) => format!(
            "{} 至 {}",
            s.as_deref().unwrap_or("—"),
            e.as_deref().unwrap_or("—")
        ),
    }
}

/// One report as a table row: `first` and `last` are the cells that differ between the
/// project's history (state; reviewer) and the review queue (project; actions).
pub fn report_row(r: &Report, testid: &'static str, first: Html, last: Html) -> Html {
    html! {
        <tr data-testid={testid} data-id={r.id.to_string()} data-state={r.state.key()}
            data-period={r.period.clone()} data-code={r.project_code.clone()}>
            <td>{ first }</td>
            <td class="nowrap">{ &r.period }</td>
            <td>{ status_badge(r.status) }</td>
            <td class="num">{ format_percent(r.physical_progress_pct) }</td>
            <td class="num" data-testid="report-completed">{ format_money(r.investment_completed) }</td>
            <td class="num">{ format_money(r.social_investment_completed) }</td>
            <td class="nowrap">{ dates(r) }</td>
            <td>{ report_texts(r) }</td>
            <td>{ who_when(&r.submitted_by.username, &r.submitted_at) }</td>
            <td>{ last }</td>
        </tr>
    }
}

/// Who reviewed it and when, or a dash.
pub fn reviewer(r: &Report) -> Html {
    match (&r.reviewed_by, &r.reviewed_at) {
        (Some(by), Some(at)) => who_when(&by.username, at),
        _ => html! { <span class="muted">{ "—" }</span> },
    }
}

/// The columns of [`report_row`] after the first and before the last.
pub const MIDDLE: [Col; 8] = [
    ("报告期", false),
    ("建设状态", false),
    ("形象进度", true),
    ("累计完成投资（万元）", true),
    ("其中社会投资（万元）", true),
    ("实际开工至竣工", false),
    ("说明", false),
    ("提交", false),
];

/// The columns of a report table: `first`, the middle ones, `last`.
pub fn report_columns(first: &'static str, last: &'static str) -> Vec<Col> {
    let mut cols = vec![(first, false)];
    cols.extend(MIDDLE);
    cols.push((last, false));
    cols
}

pub fn report_history(items: &[Report]) -> Html {
    data_table(
        "月报记录",
        "reports",
        "report-history",
        &report_columns("审核状态", "审核"),
        items
            .iter()
            .map(|r| report_row(r, "report-row", state_badge(r.state), reviewer(r)))
            .collect(),
    )
}

/// A project's latest approved figures (形象进度, 累计完成投资, status), or a line saying
/// there are none yet.
pub fn approved_progress(a: Option<&ApprovedProgress>) -> Html {
    let Some(a) = a else {
        return html! {
            <p class="muted" data-testid="no-approved">{ "暂无审核通过的进度报告。" }</p>
        };
    };
    let kpi = |label: &'static str, value: Html, testid: &'static str| {
        html! {
            <div class="kpi">
                <dt>{ label }</dt>
                <dd><span class="kpi-value num" data-testid={testid}>{ value }</span></dd>
            </div>
        }
    };
    html! {
        <dl class="kpis compact approved" data-testid="approved-progress">
            { kpi("建设状态", status_badge(a.status), "approved-status") }
            { kpi("形象进度", html! { format_percent(a.physical_progress_pct) }, "approved-pct") }
            { kpi("累计完成投资（万元）", html! { format_money(a.investment_completed) }, "approved-completed") }
            { kpi("其中社会投资（万元）", html! { format_money(a.social_investment_completed) }, "approved-social") }
            { kpi("报告期", html! { a.period.clone() }, "approved-period") }
        </dl>
    }
}
