//! 月报: a project's progress reports with their review state, its approved figures, and —
//! for the owners of the project (and admins) — the form to submit this month's report.

use std::rc::Rc;

use keyproj_shared::{
    AppRoute, FieldError, Money, ProgressStatus, ProjectDetail, REPORT_FIELDS, Report, ReportBody,
    ReportContext, Role, SessionUser,
};
use yew::prelude::*;

use crate::components::error_box::error_box;
use crate::components::form::{Input, form_error, input, select, server_field_errors};
use crate::components::gate::gate;
use crate::components::loading::loading;
use crate::components::money::format_money;
use crate::components::report_history::{approved_progress, report_history};
use crate::components::select::Choice;
use crate::hooks::{Auth, Draft, Fetched, FormState, answer, set_title, use_api, use_form};
use crate::services::{self, ApiError};
use crate::util::today_in_china;

/// `/projects/{code}/reports`, for anyone logged in.
pub fn reports_page(code: &AttrValue, auth: &Auth) -> Html {
    set_title(&format!("{code} 月报"));
    let body = match gate(auth, AppRoute::reports(code).roles()) {
        Ok(user) => html! { <ReportsView code={code.clone()} user={user.clone()} /> },
        Err(instead) => instead,
    };
    html! {
        <section class="page reports" data-testid="reports-page">
            <nav class="breadcrumb" aria-label="位置">
                <a href={AppRoute::Projects.path()}>{ "项目" }</a>
                <span aria-hidden="true">{ " › " }</span>
                <a href={AppRoute::project(code).path()}>{ code.clone() }</a>
                <span aria-hidden="true">{ " › " }</span>
                <span aria-current="page">{ "月报" }</span>
            </nav>
            { body }
        </section>
    }
}

/// The project (for its 总投资 and owners) and its reports.
struct Loaded {
    project: ProjectDetail,
    reports: Vec<Report>,
}

/// One request after the other: simpler, and lighter in the wasm, than joining two kinds.
async fn load(code: AttrValue) -> Result<Loaded, ApiError> {
    let project = services::get_project(&code).await?;
    let reports = services::project_reports(&code).await?.items;
    Ok(Loaded { project, reports })
}

/// Admins, and owners of one of the project's organisations, may report on it.
fn may_submit(user: &SessionUser, project: &ProjectDetail) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Owner => user
            .organisation
            .as_ref()
            .is_some_and(|o| project.item.owners.iter().any(|p| p.id == o.id)),
        Role::Planner | Role::Finance => false,
    }
}

#[derive(Properties, PartialEq)]
struct ReportsViewProps {
    code: AttrValue,
    user: SessionUser,
}

#[component]
fn ReportsView(props: &ReportsViewProps) -> Html {
    let api = use_api(props.code.clone(), |code| {
        Box::pin(async move { answer(load(code).await) })
    });
    let loaded = match api.get_refreshing::<Loaded>() {
        Fetched::Loading => return loading(),
        Fetched::Failed(error) => return error_box(error, &api.retry, Html::default()),
        Fetched::Ready(l) => l,
    };
    let p = &loaded.project;
    let form = if may_submit(&props.user, p) {
        html! {
            <ReportForm code={props.code.clone()} total={p.item.total_investment}
                latest={loaded.reports.first().cloned().map(Rc::new)}
                on_done={api.retry.clone()} />
        }
    } else {
        html! {
            <p class="note" data-testid="cannot-submit">
                { "月报由项目建设单位填报；本账号只能查看。" }
            </p>
        }
    };
    html! {
        <>
            <h1>
                <span class="code title-code">{ &p.item.code }</span>
                <span data-testid="project-name">{ &p.item.name }</span>
                <span class="title-suffix">{ "月报" }</span>
            </h1>
            <p class="lead">
                { format!("总投资 {} 万元。", format_money(p.item.total_investment)) }
                { "只有财务审核通过的月报计入项目进度和统计。" }
            </p>
            <h2>{ "已审核的进度" }</h2>
            { approved_progress(p.item.approved.as_ref()) }
            <h2 id="report-form-title">{ "填报月报" }</h2>
            { form }
            <h2>{ "月报记录" }</h2>
            if loaded.reports.is_empty() {
                <p class="muted" data-testid="no-reports">{ "尚无月报。" }</p>
            } else {
                { report_history(&loaded.reports) }
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ReportFormProps {
    code: AttrValue,
    /// 总投资: more needs a reason.
    total: Money,
    /// The newest report, whose figures the form starts from (they are cumulative).
    latest: Option<Rc<Report>>,
    /// A report was submitted.
    on_done: Callback<()>,
}

/// A new report for this month, starting from the last one's figures.
fn draft_from(latest: Option<&Report>) -> ReportBody {
    let period = today_in_china().map(|d| d.period().to_string());
    let mut b = ReportBody {
        period: period.unwrap_or_default(),
        ..ReportBody::default()
    };
    if let Some(r) = latest {
        b.physical_progress_pct = r.physical_progress_pct.to_string();
        b.investment_completed = r.investment_completed.to_string();
        b.social_investment_completed = Some(r.social_investment_completed.to_string());
        b.status = r.status.key().to_string();
        b.actual_start.clone_from(&r.actual_start);
        b.actual_end.clone_from(&r.actual_end);
    }
    b
}

/// What is sent: optional fields left empty are left out.
fn normalized(b: &ReportBody) -> ReportBody {
    let some = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
    ReportBody {
        social_investment_completed: some(&b.social_investment_completed),
        actual_start: some(&b.actual_start),
        actual_end: some(&b.actual_end),
        over_total_reason: some(&b.over_total_reason),
        ..b.clone()
    }
}

/// The shared checks, in the words of the form: an unchosen status asks for a choice, and
/// the field names the server speaks of are the labels the form shows.
fn check(b: &ReportBody, total: Money) -> Vec<FieldError> {
    let ctx = ReportContext {
        total_investment: Some(total),
        today: today_in_china(),
    };
    let mut errors = b.validate(ctx);
    for e in &mut errors {
        if e.field == "status" && b.status.trim().is_empty() {
            e.message = "请选择建设状态".to_string();
        }
        e.message = e
            .message
            .replace("over_total_reason", "“超出总投资的原因”栏");
    }
    errors
}

fn exceeds(b: &ReportBody, total: Money) -> bool {
    b.investment_completed
        .trim()
        .parse::<Money>()
        .is_ok_and(|m| m > total)
}

/// The form's values, and what became of the last submission.
struct ReportDraft {
    body: ReportBody,
    /// 总投资 of the project, which the checks need.
    total: Money,
    /// After a first attempt the messages follow every keystroke.
    checked: bool,
    done: Option<Report>,
    /// The body last sent and its key: a retry of the same body reuses the key.
    sent: Option<(ReportBody, String)>,
}

impl Draft for ReportDraft {
    fn changed(form: &mut FormState<Self>) {
        let d = &mut form.draft;
        if d.checked {
            form.errors = check(&normalized(&d.body), d.total);
        }
        d.done = None;
    }
}

/// The body to send and its idempotency key, or what is wrong with it.
fn prepare(d: &mut ReportDraft) -> Result<(ReportBody, String), Vec<FieldError>> {
    let body = normalized(&d.body);
    let errors = check(&body, d.total);
    d.checked = true;
    if !errors.is_empty() {
        return Err(errors);
    }
    let key = match &d.sent {
        Some((b, k)) if *b == body => k.clone(),
        _ => services::new_idempotency_key(),
    };
    d.sent = Some((body.clone(), key.clone()));
    Ok((body, key))
}

#[component]
fn ReportForm(props: &ReportFormProps) -> Html {
    let form = {
        let (latest, total) = (props.latest.clone(), props.total);
        use_form("report-form", move || ReportDraft {
            body: draft_from(latest.as_deref()),
            total,
            checked: false,
            done: None,
            sent: None,
        })
    };

    let onsubmit = {
        let form = form.clone();
        let (code, on_done) = (props.code.clone(), props.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some((body, key)) = form.submit(prepare) else {
                return;
            };
            let (form, code, on_done) = (form.clone(), code.clone(), on_done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::submit_report(&code, &body, &key).await {
                    Ok(report) => {
                        form.finish(|d| {
                            d.sent = None;
                            d.checked = false;
                            d.done = Some(report);
                        });
                        on_done.emit(());
                    }
                    Err(e) => {
                        let at_fields = server_field_errors(&e, REPORT_FIELDS);
                        form.refuse(e, at_fields);
                    }
                }
            });
        })
    };

    let s = form.get();
    let b = &s.draft.body;
    let errs = &s.errors;
    let statuses: Vec<Choice> =
        std::iter::once((AttrValue::Static(""), AttrValue::Static("请选择")))
            .chain(
                ProgressStatus::ALL
                    .iter()
                    .map(|s| (AttrValue::Static(s.key()), AttrValue::Static(s.label()))),
            )
            .collect();
    let over = exceeds(b, props.total)
        || b.over_total_reason
            .as_deref()
            .is_some_and(|r| !r.is_empty());
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let (social, start, end, reason) = (
        opt(&b.social_investment_completed),
        opt(&b.actual_start),
        opt(&b.actual_end),
        opt(&b.over_total_reason),
    );
    html! {
        <form id="report-form" class="form report-form" novalidate=true {onsubmit}
            aria-labelledby="report-form-title" data-testid="report-form">
            <div class="form-grid">
                { input(Input {
                    id: "report-period", field: "period", label: "报告期", value: &b.period,
                    hint: "年月，如 2024-06；不能晚于本月".into(), required: true,
                    inputmode: "numeric", ..Input::default()
                }, errs, &form.setter(|d, v| d.body.period = v)) }
                { select(Input {
                    id: "report-status", field: "status", label: "建设状态", value: &b.status,
                    required: true, ..Input::default()
                }, &statuses, errs, &form.setter(|d, v| d.body.status = v)) }
                { input(Input {
                    id: "report-progress", field: "physical_progress_pct", label: "形象进度",
                    value: &b.physical_progress_pct, unit: "%", hint: "0 到 100，最多两位小数".into(),
                    required: true, inputmode: "decimal", ..Input::default()
                }, errs, &form.setter(|d, v| d.body.physical_progress_pct = v)) }
                { input(Input {
                    id: "report-completed", field: "investment_completed", label: "累计完成投资",
                    value: &b.investment_completed, unit: "万元",
                    hint: format!("自开工起累计；项目总投资 {} 万元", format_money(props.total)),
                    required: true, inputmode: "decimal", ..Input::default()
                }, errs, &form.setter(|d, v| d.body.investment_completed = v)) }
                { input(Input {
                    id: "report-social", field: "social_investment_completed", label: "其中社会投资",
                    value: &social, unit: "万元", hint: "不超过累计完成投资；无则留空".into(),
                    inputmode: "decimal", ..Input::default()
                }, errs, &form.setter(|d, v| d.body.social_investment_completed = Some(v))) }
                { input(Input {
                    id: "report-start", field: "actual_start", label: "实际开工日期",
                    value: &start, hint: "如 2024-03-15；未开工留空".into(),
                    inputmode: "numeric", ..Input::default()
                }, errs, &form.setter(|d, v| d.body.actual_start = Some(v))) }
                { input(Input {
                    id: "report-end", field: "actual_end", label: "实际竣工日期",
                    value: &end, hint: "如 2025-10-31；未竣工留空".into(),
                    inputmode: "numeric", ..Input::default()
                }, errs, &form.setter(|d, v| d.body.actual_end = Some(v))) }
            </div>
            if over {
                { input(Input {
                    id: "report-over-reason", field: "over_total_reason", label: "超出总投资的原因",
                    value: &reason, kind: "textarea", required: true,
                    hint: "累计完成投资超过项目总投资时必须说明".into(), ..Input::default()
                }, errs, &form.setter(|d, v| d.body.over_total_reason = Some(v))) }
            }
            { input(Input {
                id: "report-progress-text", field: "progress_text", label: "进展情况",
                value: &b.progress_text, kind: "textarea", ..Input::default()
            }, errs, &form.setter(|d, v| d.body.progress_text = v)) }
            { input(Input {
                id: "report-problems-text", field: "problems_text", label: "存在问题",
                value: &b.problems_text, kind: "textarea", ..Input::default()
            }, errs, &form.setter(|d, v| d.body.problems_text = v)) }
            if !errs.is_empty() && s.failure.is_none() {
                <p class="form-alert error" role="alert" data-testid="form-invalid">
                    { format!("有 {} 处需要修改，见各栏下方的提示。", errs.len()) }
                </p>
            }
            if let Some((e, at_fields)) = &s.failure {
                { form_error(e, *at_fields) }
            }
            if let Some(r) = &s.draft.done {
                <p class="form-alert ok" role="status" data-testid="report-submitted">
                    { format!("已提交 {} 月报，等待财务审核。", r.period) }
                </p>
            }
            <div class="form-actions">
                <button type="submit" class="button primary" disabled={s.busy}
                    data-testid="report-submit">
                    { if s.busy { "正在提交…" } else { "提交月报" } }
                </button>
                if s.failure.as_ref().is_some_and(|(e, _)| e.is_retryable()) {
                    <span class="note">{ "提交未成功，可再次点击提交（不会重复提交）。" }</span>
                }
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_optional_fields_are_left_out() {
        let b = ReportBody {
            actual_start: Some(" ".into()),
            social_investment_completed: Some(String::new()),
            over_total_reason: Some("超支".into()),
            ..ReportBody::default()
        };
        let n = normalized(&b);
        assert_eq!(n.actual_start, None);
        assert_eq!(n.social_investment_completed, None);
        assert_eq!(n.over_total_reason.as_deref(), Some("超支"));
    }

    #[test]
    fn an_unchosen_status_asks_for_a_choice_in_chinese() {
        let b = ReportBody {
            period: "2024-06".into(),
            physical_progress_pct: "120".into(),
            investment_completed: "abc".into(),
            ..ReportBody::default()
        };
        let errors = check(&b, Money::from_cents(10_000));
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["physical_progress_pct", "investment_completed", "status"]
        );
        assert_eq!(errors[2].message, "请选择建设状态");
        assert!(errors[0].message.contains("0 到 100"));
        let over = ReportBody {
            physical_progress_pct: "50".into(),
            investment_completed: "100.01".into(),
            status: "in_progress".into(),
            ..b
        };
        let errors = check(&over, Money::from_cents(10_000));
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.contains("“超出总投资的原因”栏"),
            "{}",
            errors[0].message
        );
    }
}
