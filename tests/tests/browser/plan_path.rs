//! Issue 12's "done when", every step in the browser: a planner enters a year's plan on the
//! 年度计划 page, the owner reports a month late and below plan, finance approves, the project
//! turns yellow on the 预警 page with the arithmetic, and 报送情况 shows the report as late.

use keyproj_shared::{ProjectDetail, Role};
use serde_json::json;

use crate::accounts::{click, fill, log_in};
use crate::harness::start;
use crate::helpers::{PASSWORD, SHAOSHAN, ok_json};
use crate::plan_import::workbook;

#[tokio::test]
async fn a_plan_entered_a_late_report_below_it_and_its_approval_make_the_project_yellow_and_late() {
    let s = start().await;
    let app = &s.app;
    let planner = app.user("li", Role::Planner, None).await;
    app.add_user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    app.add_user("qian", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let code = own.code.clone();
    // the span and 总投资 the plan is judged against, as the published row leaves them open
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

    // the planner: 2024's plan from a workbook on the 年度计划 page
    log_in(&s, "li", PASSWORD).await;
    s.open("/plans").await;
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("plan-2024.xlsx");
    let book = workbook(&[
        ("project_code", &code),
        ("year", "2024"),
        ("planned_investment", "1000"),
        ("baseline_completed", "100"),
        ("reason", "年初编制"),
    ]);
    std::fs::write(&file, book).expect("the file");
    s.wait_for("[data-testid=plan-file]")
        .await
        .send_keys(&file.display().to_string())
        .await
        .expect("choose the file");
    click(&s, "[data-testid=plan-upload]").await;
    s.wait_for("[data-testid=plan-import-row][data-action=created]")
        .await;
    click(&s, "[data-testid=logout]").await;
    s.wait_for("[data-testid=nav-login]").await;

    // the owner: June 2024, reported now (long after 5 July 2024): 累计 420, so 320 this year
    log_in(&s, "zhang", PASSWORD).await;
    let row = format!("[data-testid=my-project-row][data-code={code}]");
    s.wait_for(&row).await;
    click(&s, &format!("{row} [data-testid=report-link]")).await;
    s.wait_for("[data-testid=report-form]").await;
    fill(&s, "#report-period", "2024-06").await;
    fill(&s, "#report-progress", "40").await;
    fill(&s, "#report-completed", "420").await;
    s.wait_for("#report-status")
        .await
        .select_by_value("in_progress")
        .await
        .expect("status");
    fill(&s, "#report-progress-text", "主体施工").await;
    click(&s, "[data-testid=report-submit]").await;
    s.wait_for("[data-testid=report-row][data-state=submitted][data-period='2024-06']")
        .await;
    click(&s, "[data-testid=logout]").await;
    s.wait_for("[data-testid=nav-login]").await;

    // finance approves it from the queue
    log_in(&s, "qian", PASSWORD).await;
    s.open("/review").await;
    let queued = format!("[data-testid=review-row][data-code={code}]");
    s.wait_for(&queued).await;
    click(&s, &format!("{queued} [data-testid=approve]")).await;
    s.wait_for("[data-testid=empty]").await;

    // 预警: yellow, with the arithmetic (本年完成投资 420 − 100 = 320 of 1000 by June)
    s.open("/warnings?period=2024-06&rule=investment_lag").await;
    s.wait_for("[data-testid=warnings-by-district]").await;
    assert_eq!(s.count("[data-testid=warning-row]").await, 1);
    assert_eq!(
        s.text_of("[data-testid=warning-explanation]").await,
        "2024年6月：序时进度 50.00%，投资完成率 32.00%，落后 18.00 个百分点（10.00–30.00）→ 黄色"
    );

    // 报送情况: the June report is late
    click(&s, "[data-testid=logout]").await;
    s.wait_for("[data-testid=nav-login]").await;
    log_in(&s, "li", PASSWORD).await;
    s.open("/timeliness?period=2024-06").await;
    let late = format!("[data-testid=timeliness-row][data-code={code}]");
    let status = s
        .wait_for(&late)
        .await
        .attr("data-status")
        .await
        .ok()
        .flatten();
    assert_eq!(status.as_deref(), Some("late"));
    assert!(s.text_of(&late).await.contains("逾期报送"));
    s.close().await;
}
