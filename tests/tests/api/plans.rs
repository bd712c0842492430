//! Annual plans: entering and revising a year's plan, its rules (422 naming the field), its
//! If-Match, who may, the audit trail, the history, and the reconciliation finding.

use keyproj_shared::{AnnualPlan, AuditPage, ProjectDetail, ProjectPlans, Reconciliation, Role};
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::{SHAOSHAN, Session, TestApp, fields, ok_json, problem, spawn_app};

/// PUT a year's plan with `If-Match: etag` (none when `None`).
pub async fn put_plan(
    s: &Session,
    code: &str,
    year: &str,
    etag: Option<&str>,
    body: &Value,
) -> Response {
    let mut r = s
        .request(Method::PUT, &format!("/api/projects/{code}/plans/{year}"))
        .json(body);
    if let Some(e) = etag {
        r = r.header("if-match", e);
    }
    r.send().await.expect("answered")
}

/// The ETag a first plan for the year needs.
pub fn first(code: &str, year: i32) -> String {
    format!("\"plan-{code}-{year}-v0\"")
}

pub fn plan_body(planned: &str) -> Value {
    json!({
        "reason": "年初编制",
        "planned_investment": planned,
        "social_investment": "0",
        "target_progress_pct": "60",
        "content": "主体结构施工",
        "milestones": [{"kind": "start", "month": "2024-03"}],
    })
}

/// Gives the project of `org` a span of 2021-2025, 总投资 5000 and "十四五"计划投资 4000, so that
/// what follows does not depend on its published figures; answers its code.
pub async fn known_project(app: &TestApp, planner: &Session, org: &str) -> String {
    let (own, _) = app.projects_of(org).await;
    let d: ProjectDetail = app.json(&format!("/api/projects/{}", own.code), &[]).await;
    let res = planner
        .patch(
            &format!("/api/projects/{}", own.code),
            Some(&d.etag),
            &json!({
                "reason": "测试：统一工期与金额",
                "start": "2021",
                "end": "2025",
                "total_investment": "5000",
                "planned_investment": "4000",
            }),
        )
        .await;
    let _: ProjectDetail = ok_json(res, "edit").await;
    own.code
}

#[tokio::test]
async fn a_planner_enters_a_plan_and_revises_it_and_every_revision_is_kept() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;

    let res = put_plan(
        &planner,
        &code,
        "2024",
        Some(&first(&code, 2024)),
        &plan_body("1000"),
    )
    .await;
    let etag = res
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let v1: AnnualPlan = ok_json(res, "first plan").await;
    assert_eq!((v1.year, v1.version), (2024, 1));
    assert_eq!(etag.as_deref(), Some(v1.etag.as_str()));
    assert_eq!(v1.planned_investment.to_string(), "1000.00");
    assert_eq!(v1.milestones[0].name, "开工");
    assert_eq!(v1.created_by, "li");

    // an admin revises it (admins count as planners)
    let mut body = plan_body("1200.50");
    body["reason"] = json!("年中调整：追加设备采购");
    body["monthly_breakdown"] = json!([
        "0", "5", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100"
    ]);
    let v2: AnnualPlan = ok_json(
        put_plan(&admin, &code, "2024", Some(&v1.etag), &body).await,
        "revision",
    )
    .await;
    assert_eq!(v2.version, 2);
    assert_eq!(v2.monthly_breakdown.as_ref().map(Vec::len), Some(12));

    let plans: ProjectPlans = app.json(&format!("/api/projects/{code}/plans"), &[]).await;
    assert_eq!(plans.plans.len(), 1);
    assert_eq!(plans.plans[0].version, 2);
    assert_eq!(plans.plans_total.to_string(), "1200.50");
    let history: Vec<(i32, &str)> = plans
        .history
        .iter()
        .map(|p| (p.version, p.reason.as_str()))
        .collect();
    assert_eq!(history, [(2, "年中调整：追加设备采购"), (1, "年初编制")]);
    assert_eq!(plans.history[0].created_by, "root");

    let trail: AuditPage = admin.json(&format!("/api/projects/{code}/audit")).await;
    let entries: Vec<_> = trail.items.iter().filter(|e| e.action == "plan").collect();
    assert_eq!(entries.len(), 2);
    let newest = entries[0];
    assert_eq!(newest.username, "root");
    let before = newest.before.clone().expect("before");
    let after = newest.after.clone().expect("after");
    assert_eq!(before["planned_investment"], "1000.00");
    assert_eq!(after["planned_investment"], "1200.50");
    assert_eq!(after["reason"], "年中调整：追加设备采购");
    assert!(
        entries[1].before.is_none(),
        "the first plan had nothing before it"
    );
}

#[tokio::test]
async fn a_stale_or_missing_if_match_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let (status, _) =
        problem(put_plan(&planner, &code, "2024", None, &plan_body("10")).await).await;
    assert_eq!(status, 428);
    let v1: AnnualPlan = ok_json(
        put_plan(
            &planner,
            &code,
            "2024",
            Some(&first(&code, 2024)),
            &plan_body("10"),
        )
        .await,
        "first",
    )
    .await;
    // v0 again: someone else entered the plan meanwhile
    let res = put_plan(
        &planner,
        &code,
        "2024",
        Some(&first(&code, 2024)),
        &plan_body("20"),
    )
    .await;
    let current = res
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (status, _) = problem(res).await;
    assert_eq!(status, 412);
    assert_eq!(current.as_deref(), Some(v1.etag.as_str()));
    let plans: ProjectPlans = app.json(&format!("/api/projects/{code}/plans"), &[]).await;
    assert_eq!(plans.history.len(), 1);
    assert_eq!(plans.plans[0].planned_investment.to_string(), "10.00");
}

#[tokio::test]
async fn owners_finance_and_strangers_may_not_enter_plans() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    for s in [&owner, &finance] {
        let res = put_plan(
            s,
            &code,
            "2024",
            Some(&first(&code, 2024)),
            &plan_body("10"),
        )
        .await;
        assert_eq!(problem(res).await.0, 403, "{}", s.username);
    }
    let anonymous = app
        .client
        .put(format!("{}/api/projects/{code}/plans/2024", app.address))
        .header("x-requested-with", "x")
        .header("if-match", first(&code, 2024))
        .json(&plan_body("10"))
        .send()
        .await
        .expect("answered");
    assert_eq!(problem(anonymous).await.0, 401);
    let plans: ProjectPlans = app.json(&format!("/api/projects/{code}/plans"), &[]).await;
    assert!(plans.history.is_empty());
}

/// PUTs `body` as a first plan for `year` and answers the fields the 422 names.
async fn refused(s: &Session, code: &str, year: &str, body: &Value) -> Vec<String> {
    let y = year.parse::<i32>().unwrap_or(0);
    let res = put_plan(s, code, year, Some(&first(code, y)), body).await;
    let (status, p) = problem(res).await;
    assert_eq!(status, 422, "{p:?}");
    assert!(p.errors.iter().all(|e| !e.message.is_empty()));
    fields(&p)
}

#[tokio::test]
async fn each_bad_plan_gets_a_422_naming_its_field() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let p = &planner;

    // years: outside the project's 2021-2025, outside 2020-2030, not a year
    let mut b = plan_body("10");
    b["milestones"] = json!([]);
    assert_eq!(refused(p, &code, "2026", &b).await, ["year"]);
    assert_eq!(refused(p, &code, "2031", &b).await, ["year"]);
    assert_eq!(refused(p, &code, "20x4", &b).await, ["year"]);
    // a 2024 milestone in a 2026 plan is named too
    assert_eq!(
        refused(p, &code, "2026", &plan_body("10")).await,
        ["milestones[0].month", "year"]
    );

    // a milestone month outside the year
    let mut b = plan_body("10");
    b["milestones"] = json!([{"kind": "completion", "month": "2025-01"}]);
    assert_eq!(refused(p, &code, "2024", &b).await, ["milestones[0].month"]);
    b["milestones"] = json!([{"kind": "other", "month": "2024-05"}]);
    assert_eq!(refused(p, &code, "2024", &b).await, ["milestones[0].name"]);
    b["milestones"] = json!([{"kind": "封顶", "month": "2024-05"}]);
    assert_eq!(refused(p, &code, "2024", &b).await, ["milestones[0].kind"]);

    // a breakdown that falls, or does not end at 100 %, or is not twelve months
    let mut b = plan_body("10");
    b["monthly_breakdown"] = json!([
        "0", "5", "10", "8", "30", "40", "50", "60", "70", "80", "90", "100"
    ]);
    assert_eq!(refused(p, &code, "2024", &b).await, ["monthly_breakdown"]);
    b["monthly_breakdown"] = json!([
        "0", "5", "10", "20", "30", "40", "50", "60", "70", "80", "90", "99"
    ]);
    assert_eq!(refused(p, &code, "2024", &b).await, ["monthly_breakdown"]);
    b["monthly_breakdown"] = json!(["100"]);
    assert_eq!(refused(p, &code, "2024", &b).await, ["monthly_breakdown"]);

    // amounts: negative, three decimals, over the ceiling, as a number; social above planned
    let mut b = plan_body("-1");
    assert_eq!(refused(p, &code, "2024", &b).await, ["planned_investment"]);
    b["planned_investment"] = json!("1.234");
    assert_eq!(refused(p, &code, "2024", &b).await, ["planned_investment"]);
    b["planned_investment"] = json!(1000);
    assert_eq!(refused(p, &code, "2024", &b).await, ["planned_investment"]);
    b["planned_investment"] = json!("100000000.01");
    b["over_total_reason"] = json!("试");
    assert_eq!(refused(p, &code, "2024", &b).await, ["planned_investment"]);
    let mut b = plan_body("10");
    b["social_investment"] = json!("10.01");
    assert_eq!(refused(p, &code, "2024", &b).await, ["social_investment"]);
    b["social_investment"] = json!("0");
    b["target_progress_pct"] = json!("100.01");
    assert_eq!(refused(p, &code, "2024", &b).await, ["target_progress_pct"]);

    // text rule, reason, unknown and server-set fields
    let mut b = plan_body("10");
    b["content"] = json!("正常\u{202E}反转");
    assert_eq!(refused(p, &code, "2024", &b).await, ["content"]);
    let mut b = plan_body("10");
    b["reason"] = json!("  ");
    assert_eq!(refused(p, &code, "2024", &b).await, ["reason"]);
    let mut b = plan_body("10");
    b["version"] = json!(7);
    b["colour"] = json!("red");
    assert_eq!(refused(p, &code, "2024", &b).await, ["colour", "version"]);

    let plans: ProjectPlans = app.json(&format!("/api/projects/{code}/plans"), &[]).await;
    assert!(plans.history.is_empty(), "nothing refused was stored");
}

#[tokio::test]
async fn plans_past_the_total_need_a_reason() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let _: AnnualPlan = ok_json(
        put_plan(
            &planner,
            &code,
            "2023",
            Some(&first(&code, 2023)),
            &json!({"reason": "年初编制", "planned_investment": "3000"}),
        )
        .await,
        "2023",
    )
    .await;
    // 3000 + 2000 = 5000 = 总投资: fine; 2000.01 is past it
    let mut b = plan_body("2000.01");
    b["milestones"] = json!([]);
    let res = put_plan(&planner, &code, "2024", Some(&first(&code, 2024)), &b).await;
    let (status, p) = problem(res).await;
    assert_eq!(
        (status, fields(&p)),
        (422, vec!["planned_investment".to_string()])
    );
    assert!(p.errors[0].message.contains("5000.01"), "{:?}", p.errors);
    b["over_total_reason"] = json!("追加了配套工程，总投资调整待批");
    let v: AnnualPlan = ok_json(
        put_plan(&planner, &code, "2024", Some(&first(&code, 2024)), &b).await,
        "with a reason",
    )
    .await;
    assert_eq!(
        v.over_total_reason.as_deref(),
        Some("追加了配套工程，总投资调整待批")
    );
    b["planned_investment"] = json!("2000");
    b["over_total_reason"] = Value::Null;
    let _: AnnualPlan = ok_json(
        put_plan(&planner, &code, "2024", Some(&v.etag), &b).await,
        "back within the total",
    )
    .await;
}

#[tokio::test]
async fn five_years_of_plans_that_miss_the_five_year_figure_are_a_finding() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let mismatch = |r: &Reconciliation| r.plan_mismatches.iter().any(|m| m.code == code);
    for (year, amount) in [(2021, "800"), (2022, "800"), (2023, "800"), (2024, "800")] {
        let mut b = plan_body(amount);
        b["milestones"] = json!([]);
        let _: AnnualPlan = ok_json(
            put_plan(
                &planner,
                &code,
                &year.to_string(),
                Some(&first(&code, year)),
                &b,
            )
            .await,
            "plan",
        )
        .await;
    }
    let r: Reconciliation = app.json("/api/reconciliation", &[]).await;
    assert!(!mismatch(&r), "four years of five are not yet a finding");
    let mut b = plan_body("700");
    b["milestones"] = json!([]);
    let v: AnnualPlan = ok_json(
        put_plan(&planner, &code, "2025", Some(&first(&code, 2025)), &b).await,
        "2025",
    )
    .await;
    let r: Reconciliation = app.json("/api/reconciliation", &[]).await;
    let m = r
        .plan_mismatches
        .iter()
        .find(|m| m.code == code)
        .expect("a finding");
    assert_eq!(
        (
            m.plans_total.to_string(),
            m.planned_investment.to_string(),
            m.difference.to_string()
        ),
        ("3900.00".into(), "4000.00".into(), "-100.00".into())
    );
    let d: ProjectDetail = app.json(&format!("/api/projects/{code}"), &[]).await;
    assert!(
        d.findings
            .iter()
            .any(|f| f.message.contains("3900.00") && f.message.contains("4000.00")),
        "{:?}",
        d.findings
    );
    b["planned_investment"] = json!("800");
    b["reason"] = json!("补齐");
    let _: AnnualPlan = ok_json(
        put_plan(&planner, &code, "2025", Some(&v.etag), &b).await,
        "2025 revised",
    )
    .await;
    let r: Reconciliation = app.json("/api/reconciliation", &[]).await;
    assert!(!mismatch(&r), "4000 = 4000");
}

#[tokio::test]
async fn migrate_data_copies_every_plan_revision_and_rule_set_version() {
    use crate::helpers::{fresh_database, spawn_app_configured, spawn_app_on};

    let dir = tempfile::tempdir().expect("temp dir");
    let source = format!("sqlite://{}", dir.path().join("source.db").display());
    let app = spawn_app_configured(
        tempfile::tempdir().expect("dir"),
        source.clone(),
        None,
        |_| {},
    )
    .await;
    let planner = app.user("li", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let v1: AnnualPlan = ok_json(
        put_plan(
            &planner,
            &code,
            "2024",
            Some(&first(&code, 2024)),
            &plan_body("1000"),
        )
        .await,
        "v1",
    )
    .await;
    let _: AnnualPlan = ok_json(
        put_plan(&planner, &code, "2024", Some(&v1.etag), &plan_body("1100")).await,
        "v2",
    )
    .await;
    let rules = admin
        .request(Method::PUT, "/api/warning-rules")
        .header("if-match", "\"rules-v1\"")
        .json(&json!({
            "reason": "迁移前调整", "lag_mode": "relative", "lag_yellow_from": "10",
            "lag_red_above": "30", "relative_yellow_up_to": "40",
            "start_lag_red_months": 3, "report_deadline_day": 10,
            "not_reported_red_months": 2, "divergence_above": "30",
        }))
        .send()
        .await
        .expect("answered");
    let _: keyproj_shared::RuleSet = ok_json(rules, "rules v2").await;
    let before: ProjectPlans = app.json(&format!("/api/projects/{code}/plans"), &[]).await;
    app.handle.stop(true).await;

    std::fs::create_dir_all(dir.path().join("target")).expect("target dir");
    let target = fresh_database(&dir.path().join("target"));
    let (s, t) = (source.clone(), target.clone());
    let report = tokio::task::spawn_blocking(move || keyproj::migrate_data::run(&s, &t, false))
        .await
        .expect("joined")
        .expect("the copy verifies");
    let check = |table: &str| {
        report
            .target
            .iter()
            .find(|c| c.table == table)
            .cloned()
            .unwrap_or_else(|| panic!("{table} checked"))
    };
    assert_eq!(check("plan_revisions").rows, 2);
    assert_eq!(check("plan_revisions").sums[0].1.to_string(), "2100.00");
    assert_eq!(check("warning_rule_sets").rows, 2);

    let copy = spawn_app_on(tempfile::tempdir().expect("dir"), target, None).await;
    let after: ProjectPlans = copy.json(&format!("/api/projects/{code}/plans"), &[]).await;
    assert_eq!(after, before);
    let r: keyproj_shared::RuleSet = copy.json("/api/warning-rules", &[]).await;
    assert_eq!(
        (r.version, r.report_deadline_day, r.created_by.as_str()),
        (2, 10, "root")
    );
}
