use diesel::RunQueryDsl;
use keyproj_shared::{AuditPage, Money, ProjectDetail, ProjectPage, Report, Role};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{PASSWORD, SHAOSHAN, ok_json, problem, report_body, spawn_app};
use crate::reports::count;

/// The "done when": an owner reports on their own project and nobody else's,
/// finance approves it, the completed-investment figures change, and every step shows in
/// the audit.
#[tokio::test]
async fn an_owner_reports_finance_approves_the_figures_change_and_every_step_is_audited() {
    let app = spawn_app().await;
    app.add_user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    app.add_user("qian", Role::Finance, None).await;
    let (own, other) = app.projects_of(SHAOSHAN).await;
    let before: ProjectPage = app.json("/api/projects", &[]).await;

    let owner = app.login("zhang", PASSWORD).await;
    let (status, _) = problem(
        owner
            .report(&other.code, &report_body("2024-06", "1"))
            .await,
    )
    .await;
    assert_eq!(status, 403, "nobody else's project");
    let res = owner
        .report(&own.code, &report_body("2024-06", "88.80"))
        .await;
    let submit_request = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .expect("X-Request-Id");
    let report: Report = ok_json(res, "submit").await;

    let finance = app.login("qian", PASSWORD).await;
    let res = finance
        .post_if_match(
            &format!("/api/reports/{}/approve", report.id),
            &report.etag,
            &json!({}),
        )
        .await;
    let approve_request = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .expect("X-Request-Id");
    let approved: Report = ok_json(res, "approve").await;
    assert_eq!(approved.state, keyproj_shared::ReportState::Approved);

    let after: ProjectPage = app.json("/api/projects", &[]).await;
    assert_eq!(
        after.totals.investment_completed,
        before
            .totals
            .investment_completed
            .checked_add(Money::from_cents(8880))
            .expect("no overflow")
    );
    let d: ProjectDetail = app.json(&format!("/api/projects/{}", own.code), &[]).await;
    let a = d.item.approved.expect("approved figures");
    assert_eq!(a.investment_completed.to_string(), "88.80");
    assert_eq!(a.period, "2024-06");

    let trail: AuditPage = finance.json("/api/audit?per_page=200").await;
    let steps: Vec<(&str, &str, &str)> = trail
        .items
        .iter()
        .rev()
        .map(|e| (e.entity.as_str(), e.action.as_str(), e.username.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("user", "create", "(cli)"),
            ("user", "create", "(cli)"),
            ("session", "login", "zhang"),
            ("report", "submit", "zhang"),
            ("session", "login", "qian"),
            ("project", "approved_figures", "qian"),
            ("report", "approve", "qian"),
        ]
    );
    let submit = trail
        .items
        .iter()
        .find(|e| e.action == "submit")
        .expect("the submission");
    assert_eq!(submit.request_id, submit_request);
    assert_eq!(submit.role, "owner");
    assert!(submit.organisation_id.is_some());
    assert_eq!(submit.entity_id, report.id.to_string());
    assert_eq!(
        submit
            .after
            .as_ref()
            .map(|a| a["investment_completed"].clone()),
        Some(json!("88.80"))
    );
    let approve = trail
        .items
        .iter()
        .find(|e| e.action == "approve")
        .expect("the approval");
    assert_eq!(approve.request_id, approve_request);
    assert_eq!(
        approve.before.as_ref().map(|b| b["state"].clone()),
        Some(json!("submitted"))
    );
    assert_eq!(
        approve.after.as_ref().map(|b| b["state"].clone()),
        Some(json!("approved"))
    );
    assert!(approve.at.ends_with('Z'), "UTC: {}", approve.at);
    let figures = trail
        .items
        .iter()
        .find(|e| e.action == "approved_figures")
        .expect("the figures");
    assert_eq!(figures.entity_id, own.code);
    assert_eq!(
        figures
            .after
            .as_ref()
            .map(|a| a["investment_completed"].clone()),
        Some(json!("88.80"))
    );

    let of_project: AuditPage = finance
        .json(&format!("/api/projects/{}/audit", own.code))
        .await;
    let actions: Vec<&str> = of_project.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["approve", "approved_figures", "submit"]);
    let of_report: AuditPage = finance
        .json(&format!("/api/audit?entity=report&entity_id={}", report.id))
        .await;
    assert_eq!(of_report.total, 2);
    let paged: AuditPage = finance.json("/api/audit?per_page=2&page=2").await;
    assert_eq!((paged.items.len(), paged.total), (2, 7));
    let (status, p) = problem(finance.get("/api/audit?entity=colour").await).await;
    assert_eq!((status, p.errors[0].field.as_str()), (422, "entity"));

    // logging out is a change too
    let out = owner.delete("/api/session").await;
    assert_eq!(out.status(), 204);
    let sessions: AuditPage = finance.json("/api/audit?entity=session").await;
    assert_eq!(sessions.items[0].action, "logout");
    assert_eq!(sessions.items[0].username, "zhang");
    // reading the trail needs finance or admin; and a login
    let res = app.get("/api/audit").await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn the_database_refuses_to_update_or_delete_the_audit_trail() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let res = admin
        .request(Method::PATCH, "/api/projects/A01")
        .header(
            "if-match",
            app.json::<ProjectDetail>("/api/projects/A01", &[])
                .await
                .etag,
        )
        .json(&json!({"reason": "核对", "remarks": "已核对"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), 200);
    let n = count(&app, "audit_log");
    assert!(n >= 3, "{n}");
    let pool = app.db();
    let mut conn = pool.get().expect("connection");
    for sql in [
        "UPDATE audit_log SET username = 'someone else'",
        "UPDATE audit_log SET after_json = NULL WHERE entity = 'project'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE entity = 'project'",
    ] {
        let e = diesel::sql_query(sql)
            .execute(&mut conn)
            .expect_err("refused by the database");
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    assert_eq!(count(&app, "audit_log"), n);
    let trail: AuditPage = admin.json("/api/audit?entity=project").await;
    assert_eq!(trail.items[0].username, "root");
}
