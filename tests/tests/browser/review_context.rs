//! 审核 with its context: finance sees a report below plan beside the last approved figures
//! and the year's plan, with the yellow warning approving would raise marked in words, and
//! approves it.

use keyproj_shared::{ProjectDetail, Report, Role};
use reqwest::Method;
use serde_json::json;

use crate::a11y::serious_violations;
use crate::accounts::{click, log_in};
use crate::harness::start;
use crate::helpers::{PASSWORD, SHAOSHAN, ok_json, report_body};

#[tokio::test]
async fn the_reviewer_sees_the_comparison_and_the_mark_for_a_report_below_plan_then_approves() {
    let s = start().await;
    let app = &s.app;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("sun", Role::Finance, None).await;
    app.add_user("qian", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let code = own.code.clone();
    let d: ProjectDetail = app.json(&format!("/api/projects/{code}"), &[]).await;
    let _: ProjectDetail = ok_json(
        planner
            .patch(
                &format!("/api/projects/{code}"),
                Some(&d.etag),
                &json!({"reason": "测试", "start": "2021", "end": "2025",
                        "total_investment": "5000", "planned_investment": "4000"}),
            )
            .await,
        "edit",
    )
    .await;
    let plan = planner
        .request(Method::PUT, &format!("/api/projects/{code}/plans/2024"))
        .header("if-match", format!("\"plan-{code}-2024-v0\""))
        .json(&json!({
            "reason": "年初编制", "planned_investment": "1000", "social_investment": "0",
            "target_progress_pct": "60",
            "content": "主体结构施工", "milestones": [],
        }))
        .send()
        .await
        .expect("answered");
    assert!(plan.status().is_success(), "{}", plan.status());
    // December 2023 approved at 100 (by another reviewer): the year's baseline; June 2024
    // reported at 420, so 320 of 1000 by June against 50 % due
    let december: Report = ok_json(
        owner.report(&code, &report_body("2023-12", "100")).await,
        "report",
    )
    .await;
    let _: Report = ok_json(
        finance
            .post_if_match(
                &format!("/api/reports/{}/approve", december.id),
                &december.etag,
                &json!({}),
            )
            .await,
        "approval",
    )
    .await;
    let june: Report = ok_json(
        owner.report(&code, &report_body("2024-06", "420")).await,
        "report",
    )
    .await;

    log_in(&s, "qian", PASSWORD).await;
    s.open("/review").await;
    let context = format!("[data-testid=review-context][data-id='{}']", june.id);
    s.wait_for(&context).await;
    assert_eq!(
        s.text_of(&format!("{context} [data-testid=review-previous]"))
            .await,
        "2023-12：累计完成投资 100.00 万元，形象进度 45.50%，在建"
    );
    assert_eq!(
        s.text_of(&format!("{context} [data-testid=review-change]"))
            .await,
        "累计完成投资 +320.00 万元，形象进度 0.00 个百分点，相隔 6 个月"
    );
    assert_eq!(
        s.text_of(&format!("{context} [data-testid=review-totals]"))
            .await,
        "5,000.00 万元 / 4,000.00 万元"
    );
    assert!(
        s.text_of(&format!("{context} [data-testid=review-plan]"))
            .await
            .starts_with("年度计划投资 1,000.00 万元，上年末累计 100.00 万元，序时进度 50.00%")
    );
    // today no approved report of 2024: no rate; approved, 32 %: yellow, marked as new
    let lag = format!("{context} [data-testid=review-verdict][data-rule=investment_lag]");
    assert_eq!(
        s.text_of(&format!("{lag} [data-testid=review-mark]")).await,
        "通过后：黄色（新增）"
    );
    assert_eq!(
        s.text_of(&format!("{lag} [data-testid=review-explanation]"))
            .await,
        "2024年6月：序时进度 50.00%，投资完成率 32.00%，落后 18.00 个百分点（10.00–30.00）→ 黄色"
    );
    assert_eq!(
        s.text_of(&format!("{context} [data-testid=review-summary]"))
            .await,
        "注意：通过后将新增或加重 1 项预警。"
    );
    let serious = serious_violations(&s, "/review with its context").await;
    assert!(serious.is_empty(), "{}", serious.join("\n"));

    let queued = format!("[data-testid=review-row][data-id='{}']", june.id);
    click(&s, &format!("{queued} [data-testid=approve]")).await;
    s.wait_for("[data-testid=review-message]").await;
    s.until("the queue emptied", || async {
        s.count("[data-testid=review-context]").await == 0
    })
    .await;
    assert!(
        s.text_of("[data-testid=review-message]")
            .await
            .starts_with("已通过")
    );
    s.close().await;
}
