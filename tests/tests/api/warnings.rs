//! Warnings (预警): 本年完成投资, the two published cases through the API, each rule firing
//! and not firing, reproducibility of a past month, the list's filters and the summary.

use keyproj_shared::{
    AnnualPlan, Level, ProjectWarnings, Report, Role, RuleId, RuleSet, WarningPage, WarningSummary,
};
use serde_json::{Value, json};

use crate::helpers::{SHAOSHAN, Session, fields, ok_json, problem, report_body, spawn_app};
use crate::plans::{first, known_project, plan_body, put_plan};

pub async fn plan(s: &Session, code: &str, year: i32, body: &Value) -> AnnualPlan {
    ok_json(
        put_plan(s, code, &year.to_string(), Some(&first(code, year)), body).await,
        "plan",
    )
    .await
}

/// Submits a report for `period` with 累计完成投资 `completed` and has finance approve it.
pub async fn approved(owner: &Session, finance: &Session, code: &str, body: Value) -> Report {
    let r: Report = ok_json(owner.report(code, &body).await, "report").await;
    ok_json(
        finance
            .post_if_match(
                &format!("/api/reports/{}/approve", r.id),
                &r.etag,
                &json!({}),
            )
            .await,
        "approval",
    )
    .await
}

async fn of_project(app: &crate::helpers::TestApp, code: &str, period: &str) -> ProjectWarnings {
    app.json(
        &format!("/api/projects/{code}/warnings"),
        &[("period", period)],
    )
    .await
}

pub fn lag(w: &ProjectWarnings) -> Option<&keyproj_shared::Warning> {
    w.warnings.iter().find(|w| w.rule == RuleId::InvestmentLag)
}

pub fn without_milestones(planned: &str) -> Value {
    let mut b = plan_body(planned);
    b["milestones"] = json!([]);
    b
}

#[tokio::test]
async fn the_published_cases_hold_through_the_api() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    // 上年末 from an approved December report: 500
    approved(&owner, &finance, &code, report_body("2023-12", "500")).await;
    plan(&planner, &code, 2024, &without_milestones("1000")).await;

    // Jiangmen: January to March, 30.90 % done against 25.00 % expected
    approved(&owner, &finance, &code, report_body("2024-03", "809")).await;
    let w = of_project(&app, &code, "2024-03").await;
    assert_eq!(w.year_to_date.baseline_source.as_deref(), Some("report"));
    assert_eq!(
        w.year_to_date.completed.map(|m| m.to_string()).as_deref(),
        Some("309.00")
    );
    assert_eq!(
        w.year_to_date
            .completion_rate
            .map(|p| p.to_string())
            .as_deref(),
        Some("30.90")
    );
    let l = lag(&w).expect("investment lag");
    assert_eq!(l.level, Level::Green);
    assert_eq!(l.gap.map(|g| g.to_string()).as_deref(), Some("-5.90"));
    assert!(
        l.explanation.contains("领先 5.90 个百分点"),
        "{}",
        l.explanation
    );
    assert_eq!(l.rule_set_version, 1);

    // Dazhou: January to October, 75 % against 83.33 %
    approved(&owner, &finance, &code, report_body("2024-10", "1250")).await;
    let w = of_project(&app, &code, "2024-10").await;
    let l = lag(&w).expect("investment lag");
    assert_eq!(
        l.explanation,
        "2024年10月：序时进度 83.33%，投资完成率 75.00%，落后 8.33 个百分点（<10.00）→ 绿色"
    );
}

#[tokio::test]
async fn a_project_behind_its_plan_turns_yellow_then_red_and_a_later_report_changes_no_past_month()
{
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let mut b = without_milestones("1000");
    b["baseline_completed"] = json!("100");
    plan(&planner, &code, 2024, &b).await;
    approved(&owner, &finance, &code, report_body("2024-06", "420")).await;

    let w = of_project(&app, &code, "2024-06").await;
    assert_eq!(w.year_to_date.baseline_source.as_deref(), Some("plan"));
    let l = lag(&w).expect("investment lag").clone();
    assert_eq!(l.level, Level::Yellow);
    assert_eq!(
        l.explanation,
        "2024年6月：序时进度 50.00%，投资完成率 32.00%，落后 18.00 个百分点（10.00–30.00）→ 黄色"
    );
    // 2024-09: expected 75 %, still 32 % → 43 points behind
    let w = of_project(&app, &code, "2024-09").await;
    assert_eq!(lag(&w).expect("lag").level, Level::Red);

    // a later month's report does not change June's answer
    approved(&owner, &finance, &code, report_body("2024-07", "1100")).await;
    let again = of_project(&app, &code, "2024-06").await;
    assert_eq!(lag(&again), Some(&l));
    let july = of_project(&app, &code, "2024-07").await;
    assert_eq!(lag(&july).expect("lag").level, Level::Green);

    // the list shows June's yellow, with its filters
    let page: WarningPage = app
        .json(
            "/api/warnings",
            &[
                ("period", "2024-06"),
                ("level", "yellow"),
                ("rule", "investment_lag"),
            ],
        )
        .await;
    assert_eq!(page.rule_set_version, 1);
    assert!(
        page.items
            .iter()
            .any(|w| w.code == code && w.explanation == l.explanation)
    );
    assert!(page.items.iter().all(|w| w.level == Level::Yellow));
    let red: WarningPage = app
        .json(
            "/api/warnings",
            &[
                ("period", "2024-06"),
                ("level", "red"),
                ("rule", "investment_lag"),
            ],
        )
        .await;
    assert!(red.items.iter().all(|w| w.code != code));
    // its colour for June is red all the same: the reports came today, long after 5 July and
    // 5 June, so it was not reported on time two months running
    let not_reported: WarningPage = app
        .json(
            "/api/warnings",
            &[("period", "2024-06"), ("rule", "not_reported")],
        )
        .await;
    let nr = not_reported
        .items
        .iter()
        .find(|w| w.code == code)
        .expect("not reported");
    assert_eq!(nr.level, Level::Red, "{}", nr.explanation);
    let summary: WarningSummary = app
        .json("/api/warnings/summary", &[("period", "2024-06")])
        .await;
    let row = summary
        .by_category
        .iter()
        .find(|c| c.key == code[..1])
        .expect("the category");
    assert!(row.red >= 1, "{row:?}");
    assert_eq!(
        (summary.total.red, summary.total.yellow, summary.total.green),
        (1, 0, 0),
        "only the project with a plan has a colour"
    );
    assert_eq!(
        summary.total.red + summary.total.yellow + summary.total.green + summary.total.none,
        summary
            .by_category
            .iter()
            .map(|c| c.red + c.yellow + c.green + c.none)
            .sum::<u64>()
    );
}

#[tokio::test]
async fn without_a_baseline_the_year_to_date_is_unknown_not_zero() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    plan(&planner, &code, 2024, &without_milestones("1000")).await;
    approved(&owner, &finance, &code, report_body("2024-06", "420")).await;
    let w = of_project(&app, &code, "2024-06").await;
    assert_eq!(
        w.year_to_date.cumulative.map(|m| m.to_string()).as_deref(),
        Some("420.00")
    );
    assert_eq!(w.year_to_date.completed, None);
    assert!(
        w.year_to_date.note.contains("未知"),
        "{}",
        w.year_to_date.note
    );
    assert!(lag(&w).is_none());
}

#[tokio::test]
async fn start_and_completion_lag_fire_after_their_planned_months() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let mut b = plan_body("1000");
    b["milestones"] = json!([
        {"kind": "start", "month": "2024-03"},
        {"kind": "completion", "month": "2024-10"}
    ]);
    plan(&planner, &code, 2024, &b).await;
    let mut r = report_body("2024-02", "0");
    r["status"] = json!("not_started");
    r["actual_start"] = Value::Null;
    approved(&owner, &finance, &code, r).await;
    let rule = |w: &ProjectWarnings, id: RuleId| w.warnings.iter().find(|x| x.rule == id).cloned();

    assert!(rule(&of_project(&app, &code, "2024-03").await, RuleId::StartLag).is_none());
    let april = rule(&of_project(&app, &code, "2024-04").await, RuleId::StartLag).expect("late");
    assert_eq!(april.level, Level::Yellow);
    assert!(
        april.explanation.contains("滞后 1 个月"),
        "{}",
        april.explanation
    );
    let june = rule(&of_project(&app, &code, "2024-06").await, RuleId::StartLag).expect("late");
    assert_eq!(june.level, Level::Red, "{}", june.explanation);

    // it started in May: no start lag from then on; not complete after October: red
    let mut r = report_body("2024-05", "100");
    r["actual_start"] = json!("2024-05-10");
    approved(&owner, &finance, &code, r).await;
    let nov = of_project(&app, &code, "2024-11").await;
    assert!(rule(&nov, RuleId::StartLag).is_none());
    let c = rule(&nov, RuleId::CompletionLag).expect("completion lag");
    assert_eq!(c.level, Level::Red);
    assert!(c.explanation.contains("在建"), "{}", c.explanation);
    assert!(
        rule(
            &of_project(&app, &code, "2024-10").await,
            RuleId::CompletionLag
        )
        .is_none()
    );
}

#[tokio::test]
async fn a_month_without_a_timely_report_is_yellow_and_two_in_a_row_red() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let nr = |w: &ProjectWarnings| {
        w.warnings
            .iter()
            .find(|x| x.rule == RuleId::NotReported)
            .cloned()
    };
    // without a plan for the year the project is not expected to report
    assert!(nr(&of_project(&app, &code, "2024-01").await).is_none());
    plan(&planner, &code, 2024, &without_milestones("1000")).await;
    let jan = nr(&of_project(&app, &code, "2024-01").await).expect("not reported");
    assert_eq!(
        jan.level,
        Level::Yellow,
        "December 2023 had no plan: one month only"
    );
    assert!(
        jan.explanation.contains("2024年2月5日"),
        "{}",
        jan.explanation
    );
    let feb = nr(&of_project(&app, &code, "2024-02").await).expect("not reported");
    assert_eq!(feb.level, Level::Red);
    // a report submitted today for February is late: still not reported by the deadline
    let _: Report = ok_json(
        owner.report(&code, &report_body("2024-02", "10")).await,
        "late",
    )
    .await;
    assert!(nr(&of_project(&app, &code, "2024-02").await).is_some());
}

#[tokio::test]
async fn divergence_is_information_only() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    // 形象进度 45.5 %, investment 500 of 5000 = 10 %: 35.5 points apart
    approved(&owner, &finance, &code, report_body("2024-04", "500")).await;
    let w = of_project(&app, &code, "2024-04").await;
    let d = w
        .warnings
        .iter()
        .find(|x| x.rule == RuleId::Divergence)
        .expect("divergence");
    assert_eq!(d.level, Level::Info);
    assert!(
        d.explanation.contains("相差 35.50 个百分点"),
        "{}",
        d.explanation
    );
    // 2000 of 5000 = 40 %: 5.5 points
    approved(&owner, &finance, &code, report_body("2024-05", "2000")).await;
    let w = of_project(&app, &code, "2024-05").await;
    assert!(w.warnings.iter().all(|x| x.rule != RuleId::Divergence));
}

#[tokio::test]
async fn the_rule_set_in_force_is_version_1_with_the_defaults() {
    let app = spawn_app().await;
    let r: RuleSet = app.json("/api/warning-rules", &[]).await;
    assert_eq!(r.version, 1);
    assert_eq!(
        (
            r.lag_yellow_from.to_string(),
            r.lag_red_above.to_string(),
            r.report_deadline_day
        ),
        ("10.00".into(), "30.00".into(), 5)
    );
}

#[tokio::test]
async fn bad_warning_queries_are_422_naming_the_parameter() {
    let app = spawn_app().await;
    for (path, query, field) in [
        ("/api/warnings", vec![], "period"),
        ("/api/warnings", vec![("period", "2024-13")], "period"),
        (
            "/api/warnings",
            vec![("period", "2024-06"), ("level", "purple")],
            "level",
        ),
        (
            "/api/warnings",
            vec![("period", "2024-06"), ("rule", "late")],
            "rule",
        ),
        (
            "/api/warnings",
            vec![("period", "2024-06"), ("district", "火星区")],
            "district",
        ),
        (
            "/api/warnings/summary",
            vec![("period", "2024-06"), ("page", "2")],
            "page",
        ),
        ("/api/projects/B09/warnings", vec![], "period"),
    ] {
        let res = app.get_query(path, &query).await;
        let (status, p) = problem(res).await;
        assert_eq!(
            (status, fields(&p)),
            (422, vec![field.to_string()]),
            "{path} {query:?}"
        );
    }
    let (status, _) = problem(
        app.get_query("/api/projects/Z99/warnings", &[("period", "2024-06")])
            .await,
    )
    .await;
    assert_eq!(status, 404);
}

pub fn rules_body(yellow_from: &str) -> Value {
    json!({
        "reason": "调度会决定放宽黄色阈值",
        "lag_mode": "points",
        "lag_yellow_from": yellow_from,
        "lag_red_above": "30",
        "relative_yellow_up_to": "50",
        "start_lag_red_months": 3,
        "report_deadline_day": 5,
        "not_reported_red_months": 2,
        "divergence_above": "30",
    })
}

pub async fn put_rules(s: &Session, etag: Option<&str>, body: &Value) -> reqwest::Response {
    let mut r = s
        .request(reqwest::Method::PUT, "/api/warning-rules")
        .json(body);
    if let Some(e) = etag {
        r = r.header("if-match", e);
    }
    r.send().await.expect("answered")
}

#[tokio::test]
async fn an_admin_changes_the_thresholds_as_a_new_audited_version_that_warnings_name() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let mut b = without_milestones("1000");
    b["baseline_completed"] = json!("100");
    plan(&planner, &code, 2024, &b).await;
    approved(&owner, &finance, &code, report_body("2024-06", "420")).await;
    assert_eq!(
        lag(&of_project(&app, &code, "2024-06").await)
            .expect("lag")
            .level,
        Level::Yellow
    );

    for s in [&planner, &finance, &owner] {
        let res = put_rules(s, Some("\"rules-v1\""), &rules_body("20")).await;
        assert_eq!(problem(res).await.0, 403, "{}", s.username);
    }
    assert_eq!(
        problem(put_rules(&admin, None, &rules_body("20")).await)
            .await
            .0,
        428
    );
    let (status, p) =
        problem(put_rules(&admin, Some("\"rules-v1\""), &rules_body("40")).await).await;
    assert_eq!(
        (status, fields(&p)),
        (422, vec!["lag_red_above".to_string()])
    );
    let mut bad = rules_body("20");
    bad["report_deadline_day"] = json!(31);
    bad["lag_mode"] = json!("fuzzy");
    let (status, p) = problem(put_rules(&admin, Some("\"rules-v1\""), &bad).await).await;
    assert_eq!(
        (status, fields(&p)),
        (
            422,
            vec!["lag_mode".to_string(), "report_deadline_day".to_string()]
        )
    );

    let v2: RuleSet = ok_json(
        put_rules(&admin, Some("\"rules-v1\""), &rules_body("20")).await,
        "new rules",
    )
    .await;
    assert_eq!((v2.version, v2.created_by.as_str()), (2, "root"));
    assert_eq!(
        problem(put_rules(&admin, Some("\"rules-v1\""), &rules_body("25")).await)
            .await
            .0,
        412
    );
    let l = of_project(&app, &code, "2024-06").await;
    let l = lag(&l).expect("lag");
    assert_eq!(
        (l.level, l.rule_set_version),
        (Level::Green, 2),
        "{}",
        l.explanation
    );
    assert!(l.explanation.contains("（<20.00）"), "{}", l.explanation);

    let trail: keyproj_shared::AuditPage = admin.json("/api/audit?entity=warning_rules").await;
    let e = &trail.items[0];
    assert_eq!((e.entity_id.as_str(), e.action.as_str()), ("2", "update"));
    assert_eq!(
        e.before.as_ref().expect("before")["lag_yellow_from"],
        "10.00"
    );
    assert_eq!(e.after.as_ref().expect("after")["lag_yellow_from"], "20.00");
}
