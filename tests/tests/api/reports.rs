use keyproj_shared::{
    Money, ProgressStatus, ProjectDetail, ProjectPage, Report, ReportList, ReportPage, ReportState,
    Role,
};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{
    SHAOSHAN, Session, TestApp, YUHU, fields, ok_json, problem, report_body, spawn_app,
};

async fn submitted(s: &Session, code: &str, body: &serde_json::Value) -> Report {
    ok_json(s.report(code, body).await, "submission").await
}

async fn approve(s: &Session, r: &Report) -> reqwest::Response {
    s.post_if_match(
        &format!("/api/reports/{}/approve", r.id),
        &r.etag,
        &json!({}),
    )
    .await
}

/// Counts rows of a table behind the API.
pub fn count(app: &TestApp, table: &str) -> i64 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let pool = app.db();
    let mut conn = pool.get().expect("connection");
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<N>(&mut conn)
        .expect("count")
        .n
}

#[tokio::test]
async fn an_owner_reports_on_their_own_project_and_finds_it_in_the_history() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let mut body = report_body("2024-03", "12.5");
    body["social_investment_completed"] = json!("2.25");
    body["actual_end"] = json!("2024-02-29");
    let res = owner.report(&own.code, &body).await;
    assert_eq!(res.status(), 201);
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .expect("Location");
    let etag = res
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .expect("ETag");
    let r: Report = ok_json(res, "submit").await;
    assert_eq!(location, format!("/api/reports/{}", r.id));
    assert_eq!(etag, format!("\"r{}-v1\"", r.id));
    assert_eq!(r.etag, etag);
    assert_eq!(r.state, ReportState::Submitted);
    assert_eq!(r.project_code, own.code);
    assert_eq!(r.period, "2024-03");
    assert_eq!(r.physical_progress_pct.to_string(), "45.50");
    assert_eq!(r.investment_completed.to_string(), "12.50");
    assert_eq!(r.social_investment_completed.to_string(), "2.25");
    assert_eq!(r.status, ProgressStatus::InProgress);
    assert_eq!(r.actual_start.as_deref(), Some("2021-03-01"));
    assert_eq!(r.actual_end.as_deref(), Some("2024-02-29"));
    assert_eq!(r.submitted_by.username, "zhang");
    assert!(r.reviewed_by.is_none());

    let history: ReportList = owner
        .json(&format!("/api/projects/{}/reports", own.code))
        .await;
    assert_eq!(history.items, vec![r.clone()]);
    let one: Report = owner.json(&location).await;
    assert_eq!(one, r);
    // a submitted report does not count yet
    let d: ProjectDetail = app.json(&format!("/api/projects/{}", own.code), &[]).await;
    assert!(d.item.approved.is_none());
}

#[tokio::test]
async fn an_owner_reporting_on_another_organisations_project_is_403_and_nothing_changes() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let admin = app.user("root", Role::Admin, None).await;
    let (_, other) = app.projects_of(SHAOSHAN).await;
    let audit_before = count(&app, "audit_log");
    let (status, p) = problem(
        owner
            .report(&other.code, &report_body("2024-03", "1"))
            .await,
    )
    .await;
    assert_eq!(status, 403, "{p:?}");
    // retried with a key, or with fields it may not set: still 403 first
    let res = owner
        .request(
            Method::POST,
            &format!("/api/projects/{}/reports", other.code),
        )
        .header("idempotency-key", "k-1")
        .json(&json!({"state": "approved"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), 403);
    assert_eq!(count(&app, "reports"), 0);
    assert_eq!(count(&app, "audit_log"), audit_before);
    let history: ReportList = admin
        .json(&format!("/api/projects/{}/reports", other.code))
        .await;
    assert!(history.items.is_empty());
    // nor may the owner read that project's history
    let (status, _) = problem(
        owner
            .get(&format!("/api/projects/{}/reports", other.code))
            .await,
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn planners_and_finance_cannot_submit_reports_and_nobody_anonymous_can() {
    let app = spawn_app().await;
    let (own, _) = app.projects_of(YUHU).await;
    for (name, role) in [("p", Role::Planner), ("f", Role::Finance)] {
        let s = app.user(name, role, None).await;
        let (status, _) = problem(s.report(&own.code, &report_body("2024-03", "1")).await).await;
        assert_eq!(status, 403, "{role:?}");
    }
    let res = app
        .client
        .post(format!("{}/api/projects/{}/reports", app.address, own.code))
        .header("x-requested-with", "keyproj")
        .json(&report_body("2024-03", "1"))
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), 401);
    let res = app
        .get(&format!("/api/projects/{}/reports", own.code))
        .await;
    assert_eq!(res.status(), 401, "reading reports needs a login too");
    assert_eq!(count(&app, "reports"), 0);
}

#[tokio::test]
async fn fields_the_server_sets_are_refused_and_each_is_named() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let mut body = report_body("2024-03", "1");
    body["state"] = json!("approved");
    body["approved_by"] = json!(1);
    body["organisation_id"] = json!(99);
    body["id"] = json!(5);
    body["colour"] = json!("red");
    let (status, p) = problem(owner.report(&own.code, &body).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        fields(&p),
        ["approved_by", "colour", "id", "organisation_id", "state"]
    );
    assert_eq!(count(&app, "reports"), 0);
    // not an object at all, or not JSON
    let (status, _) = problem(owner.report(&own.code, &json!([1, 2])).await).await;
    assert_eq!(status, 422);
    let res = owner
        .request(Method::POST, &format!("/api/projects/{}/reports", own.code))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn bad_values_are_422_naming_the_field() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let over = Money::from_cents(own.total_investment.cents() + 1).to_string();
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        (
            "physical_progress_pct",
            json!("101"),
            "physical_progress_pct",
        ),
        ("physical_progress_pct", json!(101), "physical_progress_pct"),
        (
            "physical_progress_pct",
            json!("-1"),
            "physical_progress_pct",
        ),
        ("physical_progress_pct", json!(-1), "physical_progress_pct"),
        (
            "physical_progress_pct",
            json!("45.123"),
            "physical_progress_pct",
        ),
        (
            "physical_progress_pct",
            json!(45.125),
            "physical_progress_pct",
        ),
        (
            "physical_progress_pct",
            json!(true),
            "physical_progress_pct",
        ),
        ("investment_completed", json!("-1"), "investment_completed"),
        (
            "investment_completed",
            json!("1.234"),
            "investment_completed",
        ),
        ("investment_completed", json!(12.5), "investment_completed"),
        ("investment_completed", json!(over), "investment_completed"),
        (
            "social_investment_completed",
            json!("-0.01"),
            "social_investment_completed",
        ),
        (
            "social_investment_completed",
            json!("0.001"),
            "social_investment_completed",
        ),
        (
            "social_investment_completed",
            json!("99"),
            "social_investment_completed",
        ),
        ("period", json!("2024-13"), "period"),
        ("period", json!("2024-3"), "period"),
        ("period", json!("2099-01"), "period"),
        ("status", json!("done"), "status"),
        ("actual_start", json!("2024-02-30"), "actual_start"),
        ("actual_end", json!("2099-01-01"), "actual_end"),
        ("progress_text", json!("x".repeat(5001)), "progress_text"),
        ("progress_text", json!("a\u{0}b"), "progress_text"),
    ];
    for (key, value, field) in cases {
        let mut body = report_body("2024-03", "1");
        body[key] = value.clone();
        let (status, p) = problem(owner.report(&own.code, &body).await).await;
        assert_eq!(status, 422, "{key}={value}");
        assert_eq!(fields(&p), [field], "{key}={value}: {p:?}");
        assert!(!p.errors[0].message.is_empty());
    }
    for key in [
        "period",
        "physical_progress_pct",
        "investment_completed",
        "status",
    ] {
        let mut body = report_body("2024-03", "1");
        body.as_object_mut().expect("object").remove(key);
        let (status, p) = problem(owner.report(&own.code, &body).await).await;
        assert_eq!((status, fields(&p)), (422, vec![key.to_string()]));
    }
    assert_eq!(count(&app, "reports"), 0);

    // above the total with a stated reason is accepted and the reason kept
    let mut body = report_body("2024-03", &over);
    body["over_total_reason"] = json!("设计变更，增加了消防工程");
    let r = submitted(&owner, &own.code, &body).await;
    assert_eq!(
        r.over_total_reason.as_deref(),
        Some("设计变更，增加了消防工程")
    );
}

#[tokio::test]
async fn progress_may_be_a_number_or_a_decimal_string() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    for (value, shown) in [
        (json!(45), "45.00"),
        (json!(45.5), "45.50"),
        (json!("45.5"), "45.50"),
        (json!("100"), "100.00"),
        (json!(0), "0.00"),
    ] {
        let mut body = report_body("2024-03", "1");
        body["physical_progress_pct"] = value;
        let r = submitted(&owner, &own.code, &body).await;
        assert_eq!(r.physical_progress_pct.to_string(), shown);
    }
}

#[tokio::test]
async fn a_retried_idempotency_key_answers_the_first_report_and_a_changed_body_is_422() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let path = format!("/api/projects/{}/reports", own.code);
    let send = |key: &'static str, body: serde_json::Value| {
        owner
            .request(Method::POST, &path)
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let first: Report = ok_json(
        send("2024-03-first", report_body("2024-03", "10"))
            .await
            .expect("answered"),
        "first",
    )
    .await;
    // the same body, its keys in another order: the same request
    let reordered: serde_json::Value =
        serde_json::from_str(
            r#"{"status":"in_progress","problems_text":"","progress_text":"主体结构施工中","actual_start":"2021-03-01","social_investment_completed":"0","investment_completed":"10","physical_progress_pct":"45.5","period":"2024-03"}"#,
        )
        .expect("json");
    let res = send("2024-03-first", reordered).await.expect("answered");
    assert_eq!(res.status(), 201);
    assert_eq!(
        res.headers()
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    let again: Report = ok_json(res, "replay").await;
    assert_eq!(again.id, first.id);
    let (status, p) = problem(
        send("2024-03-first", report_body("2024-03", "11"))
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(
        (status, fields(&p)),
        (422, vec!["Idempotency-Key".to_string()])
    );
    let (status, _) = problem(
        owner
            .request(Method::POST, &path)
            .header("idempotency-key", "")
            .json(&report_body("2024-03", "10"))
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(status, 422);
    let history: ReportList = owner.json(&path).await;
    assert_eq!(history.items.len(), 1);
}

#[tokio::test]
async fn a_correction_supersedes_the_open_reports_of_its_month_and_approved_history_stays() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let r1 = submitted(&owner, &own.code, &report_body("2024-03", "10")).await;
    let approved: Report = ok_json(approve(&finance, &r1).await, "approve").await;
    let r2 = submitted(&owner, &own.code, &report_body("2024-03", "11")).await;
    assert_eq!(r2.supersedes_id, Some(r1.id));
    let r3 = submitted(&owner, &own.code, &report_body("2024-03", "12")).await;
    assert_eq!(r3.supersedes_id, Some(r2.id));
    let other_month = submitted(&owner, &own.code, &report_body("2024-04", "13")).await;
    assert_eq!(other_month.supersedes_id, None);
    let history: ReportList = owner
        .json(&format!("/api/projects/{}/reports", own.code))
        .await;
    let states: Vec<(i64, ReportState)> = history.items.iter().map(|r| (r.id, r.state)).collect();
    assert_eq!(
        states,
        [
            (other_month.id, ReportState::Submitted),
            (r3.id, ReportState::Submitted),
            (r2.id, ReportState::Superseded),
            (r1.id, ReportState::Approved),
        ]
    );
    assert_eq!(history.items[3], approved);
    // a superseded report can no longer be approved
    let (status, _) = problem(approve(&finance, &history.items[2]).await).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn an_approved_correction_supersedes_the_months_approved_report_and_its_figures() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let approved_of = |d: ProjectDetail| d.item.approved.map(|a| a.report_id);
    let detail = format!("/api/projects/{}", own.code);
    let r1 = submitted(&owner, &own.code, &report_body("2024-03", "10")).await;
    ok_json::<Report>(approve(&finance, &r1).await, "approve").await;
    let fix = submitted(&owner, &own.code, &report_body("2024-03", "12")).await;
    assert_eq!(fix.supersedes_id, Some(r1.id));
    // while the correction waits, the approved report is the month's figure
    let waiting: Report = owner.json(&format!("/api/reports/{}", r1.id)).await;
    assert_eq!(waiting.state, ReportState::Approved);
    assert_eq!(approved_of(app.json(&detail, &[]).await), Some(r1.id));

    ok_json::<Report>(approve(&finance, &fix).await, "approve").await;
    let replaced: Report = owner.json(&format!("/api/reports/{}", r1.id)).await;
    assert_eq!(replaced.state, ReportState::Superseded);
    assert_ne!(replaced.etag, waiting.etag, "a new version");
    assert_eq!(approved_of(app.json(&detail, &[]).await), Some(fix.id));
    let list: ProjectPage = app.json("/api/projects", &[]).await;
    let item = list
        .items
        .iter()
        .find(|p| p.code == own.code)
        .expect("listed");
    assert_eq!(item.approved.as_ref().map(|a| a.report_id), Some(fix.id));
    assert_eq!(list.totals.investment_completed.to_string(), "12.00");
    let trail: keyproj_shared::AuditPage = finance
        .json(&format!("/api/audit?entity=report&entity_id={}", r1.id))
        .await;
    let supersede = trail
        .items
        .iter()
        .find(|e| e.action == "supersede")
        .expect("the audit says so");
    assert_eq!(
        supersede
            .after
            .as_ref()
            .map(|a| (a["state"].clone(), a["superseded_by"].clone())),
        Some((json!("superseded"), json!(fix.id)))
    );
    // the superseded report cannot be reviewed again
    let (status, _) = problem(approve(&finance, &replaced).await).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn finance_approves_and_returns_with_the_transitions_enforced() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let r = submitted(&owner, &own.code, &report_body("2024-03", "10")).await;
    let path = format!("/api/reports/{}/approve", r.id);

    let (status, _) = problem(
        finance
            .request(Method::POST, &path)
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(status, 428, "no If-Match");
    let stale = format!("\"r{}-v0\"", r.id);
    let res = finance.post_if_match(&path, &stale, &json!({})).await;
    assert_eq!(res.status(), 412);
    assert_eq!(
        res.headers().get("etag").and_then(|v| v.to_str().ok()),
        Some(r.etag.as_str())
    );
    let ok: Report = ok_json(approve(&finance, &r).await, "approve").await;
    assert_eq!(ok.state, ReportState::Approved);
    assert_eq!(
        ok.reviewed_by.as_ref().map(|u| u.username.as_str()),
        Some("qian")
    );
    assert_eq!(ok.etag, format!("\"r{}-v2\"", r.id));
    // twice: with the old ETag or the new one, 409
    let (status, p) = problem(approve(&finance, &r).await).await;
    assert_eq!(status, 409, "{p:?}");
    let (status, _) = problem(approve(&finance, &ok).await).await;
    assert_eq!(status, 409);
    let (status, _) = problem(
        finance
            .post_if_match(
                &format!("/api/reports/{}/return", r.id),
                &ok.etag,
                &json!({"reason": "数据有误"}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 409, "an approved report cannot be returned");

    let r2 = submitted(&owner, &own.code, &report_body("2024-04", "11")).await;
    let ret = format!("/api/reports/{}/return", r2.id);
    for body in [
        json!({}),
        json!({"reason": "  "}),
        json!({"reason": "x", "state": "approved"}),
    ] {
        let (status, _) = problem(finance.post_if_match(&ret, &r2.etag, &body).await).await;
        assert_eq!(status, 422, "{body}");
    }
    let returned: Report = ok_json(
        finance
            .post_if_match(&ret, &r2.etag, &json!({"reason": "累计完成投资与台账不符"}))
            .await,
        "return",
    )
    .await;
    assert_eq!(returned.state, ReportState::Returned);
    assert_eq!(
        returned.review_reason.as_deref(),
        Some("累计完成投资与台账不符")
    );
    let (status, _) = problem(approve(&finance, &returned).await).await;
    assert_eq!(status, 409, "a returned report cannot be approved");
    // the owner corrects it: the returned report is superseded by the new one
    let fixed = submitted(&owner, &own.code, &report_body("2024-04", "10.5")).await;
    assert_eq!(fixed.supersedes_id, Some(r2.id));
    let r2_now: Report = owner.json(&format!("/api/reports/{}", r2.id)).await;
    assert_eq!(r2_now.state, ReportState::Superseded);
}

#[tokio::test]
async fn nobody_approves_a_report_they_submitted() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let other_admin = app.user("root2", Role::Admin, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let r = submitted(&admin, &own.code, &report_body("2024-03", "10")).await;
    let (status, _) = problem(approve(&admin, &r).await).await;
    assert_eq!(status, 403);
    let (status, _) = problem(
        admin
            .post_if_match(
                &format!("/api/reports/{}/return", r.id),
                &r.etag,
                &json!({"reason": "自己退回"}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 403);
    let ok: Report = ok_json(approve(&other_admin, &r).await, "approve").await;
    assert_eq!(ok.state, ReportState::Approved);
}

#[tokio::test]
async fn planners_and_owners_cannot_approve_return_or_see_the_queue() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let planner = app.user("li", Role::Planner, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let r = submitted(&owner, &own.code, &report_body("2024-03", "10")).await;
    for s in [&owner, &planner] {
        let calls = [
            approve(s, &r).await,
            s.post_if_match(
                &format!("/api/reports/{}/return", r.id),
                &r.etag,
                &json!({"reason": "x"}),
            )
            .await,
            s.get("/api/reports?state=submitted").await,
            s.get("/api/audit").await,
            s.get(&format!("/api/projects/{}/audit", own.code)).await,
        ];
        for res in calls {
            let (status, _) = problem(res).await;
            assert_eq!(status, 403, "{}", s.username);
        }
    }
    let now: Report = owner.json(&format!("/api/reports/{}", r.id)).await;
    assert_eq!(now, r, "nothing changed");
}

#[tokio::test]
async fn the_review_queue_lists_submitted_reports_with_their_project_oldest_first() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let a = submitted(&owner, &own.code, &report_body("2024-03", "10")).await;
    let b = submitted(&owner, &own.code, &report_body("2024-04", "11")).await;
    let c = submitted(&owner, &own.code, &report_body("2024-05", "12")).await;
    ok_json::<Report>(approve(&finance, &b).await, "approve").await;
    let q: ReportPage = finance.json("/api/reports?state=submitted").await;
    let ids: Vec<i64> = q.items.iter().map(|r| r.id).collect();
    assert_eq!(ids, [a.id, c.id]);
    assert_eq!(q.total, 2);
    assert_eq!(q.items[0].project_code, own.code);
    assert_eq!(q.items[0].project_name, own.name);
    let one: ReportPage = finance
        .json("/api/reports?state=submitted&per_page=1&page=2")
        .await;
    assert_eq!(one.items.len(), 1);
    assert_eq!(one.items[0].id, c.id);
    for bad in ["state=done", "per_page=0", "colour=red"] {
        let (status, _) = problem(finance.get(&format!("/api/reports?{bad}")).await).await;
        assert_eq!(status, 422, "{bad}");
    }
}

#[tokio::test]
async fn only_approved_figures_count_in_totals_and_the_status_filter() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let before: ProjectPage = app.json("/api/projects", &[]).await;
    assert_eq!(before.totals.investment_completed, Money::ZERO);
    let unreported: ProjectPage = app
        .json(
            "/api/projects",
            &[("status", "unreported"), ("per_page", "100")],
        )
        .await;
    assert_eq!(unreported.total, 87);

    let mut body = report_body("2024-05", "30");
    body["status"] = json!("completed");
    body["physical_progress_pct"] = json!("100");
    let may = submitted(&owner, &own.code, &body).await;
    let list: ProjectPage = app.json("/api/projects", &[]).await;
    assert_eq!(
        list.totals.investment_completed,
        Money::ZERO,
        "submitted only"
    );
    ok_json::<Report>(approve(&finance, &may).await, "approve").await;

    let list: ProjectPage = app.json("/api/projects", &[]).await;
    assert_eq!(list.totals.investment_completed.to_string(), "30.00");
    let completed: ProjectPage = app.json("/api/projects", &[("status", "completed")]).await;
    assert_eq!(completed.total, 1);
    let item = &completed.items[0];
    assert_eq!(item.code, own.code);
    let a = item.approved.as_ref().expect("approved figures");
    assert_eq!(
        (
            a.report_id,
            a.period.as_str(),
            a.physical_progress_pct.to_string(),
            a.status
        ),
        (
            may.id,
            "2024-05",
            "100.00".to_string(),
            ProgressStatus::Completed
        )
    );
    let unreported: ProjectPage = app
        .json(
            "/api/projects",
            &[("status", "unreported"), ("per_page", "100")],
        )
        .await;
    assert_eq!(unreported.total, 86);
    let summary: keyproj_shared::Summary =
        app.json("/api/summary", &[("group_by", "district")]).await;
    assert_eq!(summary.total, list.totals);

    // an earlier month approved later does not replace the latest month's figures
    let march = submitted(&owner, &own.code, &report_body("2024-03", "20")).await;
    ok_json::<Report>(approve(&finance, &march).await, "approve").await;
    let d: ProjectDetail = app.json(&format!("/api/projects/{}", own.code), &[]).await;
    assert_eq!(d.item.approved.as_ref().map(|a| a.report_id), Some(may.id));
    // a correction of the latest month, once approved, does
    let fix = submitted(&owner, &own.code, &report_body("2024-05", "31")).await;
    ok_json::<Report>(approve(&finance, &fix).await, "approve").await;
    let d: ProjectDetail = app.json(&format!("/api/projects/{}", own.code), &[]).await;
    let a = d.item.approved.expect("approved");
    assert_eq!(
        (a.report_id, a.investment_completed.to_string()),
        (fix.id, "31.00".into())
    );
    let list: ProjectPage = app.json("/api/projects", &[]).await;
    assert_eq!(list.totals.investment_completed.to_string(), "31.00");
}
