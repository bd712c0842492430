//! The 预警 page: a planner's plan and a report below it make the project yellow for the
//! month, with the arithmetic shown as the API computes it.

use keyproj_shared::{ProjectDetail, Report, Role};
use reqwest::Method;
use serde_json::json;

use crate::harness::start;
use crate::helpers::{SHAOSHAN, ok_json, report_body};

#[tokio::test]
async fn a_project_behind_its_plan_shows_yellow_with_its_arithmetic_on_the_warnings_page() {
    let s = start().await;
    let app = &s.app;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let code = own.code.clone();
    let d: ProjectDetail = app.json(&format!("/api/projects/{code}"), &[]).await;
    let _: ProjectDetail = ok_json(
        planner
            .patch(
                &format!("/api/projects/{code}"),
                Some(&d.etag),
                &json!({"reason": "测试", "start": "2021", "end": "2025", "total_investment": "5000"}),
            )
            .await,
        "edit",
    )
    .await;
    let plan = planner
        .request(Method::PUT, &format!("/api/projects/{code}/plans/2024"))
        .header("if-match", format!("\"plan-{code}-2024-v0\""))
        .json(&json!({"reason": "年初编制", "planned_investment": "1000", "baseline_completed": "100"}))
        .send()
        .await
        .expect("answered");
    let _: serde_json::Value = ok_json(plan, "plan").await;
    let r: Report = ok_json(
        owner.report(&code, &report_body("2024-06", "420")).await,
        "report",
    )
    .await;
    let _: Report = ok_json(
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

    s.open("/warnings?period=2024-06&rule=investment_lag").await;
    s.wait_for("[data-testid=warnings-by-district]").await;
    let explanation = s.text_of("[data-testid=warning-explanation]").await;
    assert_eq!(
        explanation,
        "2024年6月：序时进度 50.00%，投资完成率 32.00%，落后 18.00 个百分点（10.00–30.00）→ 黄色"
    );
    assert_eq!(s.count("[data-testid=warning-row]").await, 1);
    let totals = s.text_of("[data-testid=warning-totals]").await;
    assert!(totals.contains("红色 1 个"), "{totals}");
    s.close().await;
}
