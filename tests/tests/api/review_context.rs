//! 审核 context: each submitted report in the review queue beside the project's last approved
//! figures, the change since them, 总投资 and the year's plan, and the warnings its approval
//! would give, worded as the 预警 page words them.

use keyproj::db::StatementCounter;
use keyproj_shared::{
    Level, ProgressStatus, ProjectWarnings, Report, ReportPage, ReviewContext, ReviewNoteKind,
    Role, RuleId, VerdictChange,
};
use serde_json::json;

use crate::helpers::{
    SHAOSHAN, Session, all_projects, ok_json, problem, report_body, spawn_app, spawn_app_with,
};
use crate::plans::known_project;
use crate::warnings::{approved, plan, without_milestones};

async fn queue(finance: &Session) -> ReportPage {
    finance.json("/api/reports?state=submitted").await
}

fn context_of<'a>(page: &'a ReportPage, r: &Report) -> &'a ReviewContext {
    page.contexts
        .iter()
        .find(|c| c.report_id == r.id)
        .expect("a context for the submitted report")
}

fn text<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

#[tokio::test]
async fn a_report_is_shown_beside_the_last_approved_figures_and_the_years_plan() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let mut b = without_milestones("1000");
    b["baseline_completed"] = json!("100");
    plan(&planner, &code, 2024, &b).await;
    let earlier = approved(&owner, &finance, &code, report_body("2024-03", "300")).await;
    let mut body = report_body("2024-06", "420");
    body["physical_progress_pct"] = json!("50");
    let r: Report = ok_json(owner.report(&code, &body).await, "report").await;

    let page = queue(&finance).await;
    let c = context_of(&page, &r);
    assert_eq!(page.contexts.len(), 1, "one context per submitted report");
    assert_eq!(c.total_investment.to_string(), "5000.00");
    assert_eq!(c.plan_investment.to_string(), "4000.00");
    let p = c.previous.as_ref().expect("the approved March report");
    assert_eq!(p.report_id, earlier.id);
    assert_eq!(p.period, "2024-03");
    assert_eq!(p.investment_completed.to_string(), "300.00");
    assert_eq!(p.physical_progress_pct.to_string(), "45.50");
    assert_eq!(p.status, ProgressStatus::InProgress);
    let d = c.change.as_ref().expect("the change since March");
    assert_eq!(d.investment_completed.to_string(), "120.00");
    assert_eq!(d.physical_progress.to_string(), "4.50");
    assert_eq!(d.months, 3);
    let y = &c.year_to_date;
    assert_eq!(text(y.planned).as_deref(), Some("1000.00"));
    assert_eq!(text(y.baseline).as_deref(), Some("100.00"));
    assert_eq!(y.baseline_source.as_deref(), Some("plan"));
    assert_eq!(text(y.expected_progress).as_deref(), Some("50.00"));
    assert_eq!(text(y.completed).as_deref(), Some("320.00"));
    assert_eq!(text(y.completion_rate).as_deref(), Some("32.00"));
    assert_eq!(c.rule_set_version, 1);
    // today June reads March's 300: 200 of 1000 done, 30 points behind, yellow at the edge
    let lag = c
        .verdicts
        .iter()
        .find(|v| v.rule == RuleId::InvestmentLag)
        .expect("investment lag");
    assert_eq!(lag.today, Some(Level::Yellow));
    assert_eq!(lag.level, Some(Level::Yellow));
    assert_eq!(lag.change, VerdictChange::Same);
    assert_eq!(
        lag.today_explanation.as_deref(),
        Some(
            "2024年6月：序时进度 50.00%，投资完成率 20.00%，落后 30.00 个百分点（10.00–30.00）→ 黄色"
        )
    );
    assert!(c.notes.is_empty(), "{:?}", c.notes);

    // an approved report has no context: there is nothing left to judge
    let approved_tab: ReportPage = finance.json("/api/reports?state=approved").await;
    assert!(!approved_tab.items.is_empty());
    assert!(approved_tab.contexts.is_empty());
}

#[tokio::test]
async fn a_report_that_would_turn_the_project_yellow_is_marked_with_the_warnings_own_words() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let mut b = without_milestones("1000");
    b["baseline_completed"] = json!("100");
    plan(&planner, &code, 2024, &b).await;
    let r: Report = ok_json(
        owner.report(&code, &report_body("2024-06", "420")).await,
        "report",
    )
    .await;

    let page = queue(&finance).await;
    let c = context_of(&page, &r);
    assert!(c.previous.is_none() && c.change.is_none());
    let lag = c
        .verdicts
        .iter()
        .find(|v| v.rule == RuleId::InvestmentLag)
        .expect("investment lag once approved");
    let words =
        "2024年6月：序时进度 50.00%，投资完成率 32.00%，落后 18.00 个百分点（10.00–30.00）→ 黄色";
    assert_eq!(lag.level, Some(Level::Yellow));
    assert_eq!(
        lag.today, None,
        "no approved report this year: no rate today"
    );
    assert_eq!(lag.change, VerdictChange::New);
    assert_eq!(lag.explanation.as_deref(), Some(words));
    // the reports came long after June's deadline either way: approving changes nothing there
    let late = c
        .verdicts
        .iter()
        .find(|v| v.rule == RuleId::NotReported)
        .expect("not reported");
    assert_eq!(late.change, VerdictChange::Same);

    // approved, the 预警 page says exactly what the reviewer was shown
    ok_json::<Report>(
        finance
            .post_if_match(
                &format!("/api/reports/{}/approve", r.id),
                &r.etag,
                &json!({}),
            )
            .await,
        "approval",
    )
    .await;
    let w: ProjectWarnings = app
        .json(
            &format!("/api/projects/{code}/warnings"),
            &[("period", "2024-06")],
        )
        .await;
    let now = w
        .warnings
        .iter()
        .find(|w| w.rule == RuleId::InvestmentLag)
        .expect("investment lag");
    assert_eq!(
        (now.level, now.explanation.as_str()),
        (Level::Yellow, words)
    );
}

#[tokio::test]
async fn a_red_mark_for_a_report_far_below_plan_and_green_for_one_on_plan() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let mut b = without_milestones("1000");
    b["baseline_completed"] = json!("100");
    plan(&planner, &code, 2024, &b).await;
    let far: Report = ok_json(
        owner.report(&code, &report_body("2024-09", "300")).await,
        "report",
    )
    .await;
    let page = queue(&finance).await;
    let lag = context_of(&page, &far)
        .verdicts
        .iter()
        .find(|v| v.rule == RuleId::InvestmentLag)
        .cloned()
        .expect("lag");
    assert_eq!(lag.level, Some(Level::Red));
    assert!(lag.raises());
    assert_eq!(
        lag.explanation.as_deref(),
        Some("2024年9月：序时进度 75.00%，投资完成率 20.00%，落后 55.00 个百分点（>30.00）→ 红色")
    );
    // a correction of the same month on plan: green, nothing raised
    let on_plan: Report = ok_json(
        owner.report(&code, &report_body("2024-09", "850")).await,
        "correction",
    )
    .await;
    let page = queue(&finance).await;
    assert_eq!(page.contexts.len(), 1, "the first report was superseded");
    let lag = context_of(&page, &on_plan)
        .verdicts
        .iter()
        .find(|v| v.rule == RuleId::InvestmentLag)
        .cloned()
        .expect("lag");
    assert_eq!(lag.level, Some(Level::Green));
    assert!(!lag.raises());
}

#[tokio::test]
async fn a_first_report_of_a_project_without_a_plan_says_so_and_never_zero() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let r: Report = ok_json(
        owner.report(&code, &report_body("2024-06", "420")).await,
        "report",
    )
    .await;
    let page = queue(&finance).await;
    let c = context_of(&page, &r);
    assert!(c.previous.is_none(), "no earlier approved report");
    assert!(c.change.is_none());
    let y = &c.year_to_date;
    assert_eq!(y.planned, None);
    assert_eq!(y.expected_progress, None);
    assert_eq!(y.completion_rate, None);
    assert_eq!(y.note, "2024 年无年度计划");
    assert!(
        c.verdicts.iter().all(|v| v.rule != RuleId::InvestmentLag),
        "{:?}",
        c.verdicts
    );
}

#[tokio::test]
async fn a_cumulative_figure_going_down_or_past_the_total_is_noted() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    approved(&owner, &finance, &code, report_body("2024-03", "300")).await;
    let mut down = report_body("2024-04", "250");
    down["physical_progress_pct"] = json!("40");
    let r: Report = ok_json(owner.report(&code, &down).await, "report").await;
    let page = queue(&finance).await;
    let c = context_of(&page, &r);
    assert_eq!(
        text(c.change.as_ref().map(|d| d.investment_completed)).as_deref(),
        Some("-50.00")
    );
    let notes: Vec<_> = c.notes.iter().map(|n| (n.kind, n.level)).collect();
    assert_eq!(
        notes,
        [
            (ReviewNoteKind::CumulativeDown, Level::Info),
            (ReviewNoteKind::ProgressDown, Level::Info)
        ]
    );
    assert_eq!(
        c.notes[0].text,
        "累计完成投资 250.00 万元低于上次审核通过的 300.00 万元（2024年3月），累计数一般不应减少"
    );

    let mut over = report_body("2024-05", "5200");
    over["over_total_reason"] = json!("追加建设内容");
    let r: Report = ok_json(owner.report(&code, &over).await, "report").await;
    let page = queue(&finance).await;
    let c = context_of(&page, &r);
    let kinds: Vec<_> = c.notes.iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [ReviewNoteKind::AboveTotal]);
    assert_eq!(
        c.notes[0].text,
        "累计完成投资 5200.00 万元超过总投资 5000.00 万元"
    );
}

#[tokio::test]
async fn an_owner_cannot_read_the_queue_or_its_context() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    ok_json::<Report>(
        owner.report(&own.code, &report_body("2024-06", "1")).await,
        "report",
    )
    .await;
    let (status, p) = problem(owner.get("/api/reports?state=submitted").await).await;
    assert_eq!(status, 403, "{p:?}");
}

#[tokio::test]
async fn the_context_of_a_page_costs_the_same_statements_for_one_report_as_for_three() {
    let counter = StatementCounter::default();
    let c = counter.clone();
    let app = spawn_app_with(move |s| s.statement_counter = Some(c)).await;
    let admin = app.user("root", Role::Admin, None).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let codes: Vec<String> = all_projects(&app)
        .await
        .into_iter()
        .take(3)
        .map(|p| p.code)
        .collect();
    let cost = |finance: &Session| {
        let (finance, counter) = (finance.clone(), counter.clone());
        async move {
            let _ = queue(&finance).await;
            let before = counter.get();
            let page = queue(&finance).await;
            (counter.get() - before, page.contexts.len())
        }
    };
    ok_json::<Report>(
        admin.report(&codes[0], &report_body("2024-06", "1")).await,
        "report",
    )
    .await;
    let (one, n) = cost(&finance).await;
    assert_eq!(n, 1);
    for code in &codes[1..] {
        ok_json::<Report>(
            admin.report(code, &report_body("2024-05", "1")).await,
            "report",
        )
        .await;
    }
    let (three, n) = cost(&finance).await;
    assert_eq!(n, 3);
    println!("a queue page with its context: {one} statements for 1 report, {three} for 3");
    assert_eq!(one, three, "no statement per report");
    assert!(three <= 12, "{three} statements for a page of the queue");
}
