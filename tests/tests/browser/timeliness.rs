//! 报送情况 and 终期评估 in the browser: a planner sees a late report with its deadline, the
//! owner sees what is due on 我的项目, and the public evaluation lists every project and fits
//! a phone.

use diesel::RunQueryDsl;
use keyproj_shared::{Report, Role};

use crate::accounts::log_in;
use crate::harness::start;
use crate::helpers::{PASSWORD, SHAOSHAN, ok_json, report_body};

#[tokio::test]
async fn a_planner_sees_a_late_report_and_the_owner_sees_what_is_due() {
    let s = start().await;
    let owner = s.app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    s.app.add_user("gui", Role::Planner, None).await;
    let (own, _) = s.app.projects_of(SHAOSHAN).await;
    let r: Report = ok_json(
        owner.report(&own.code, &report_body("2025-03", "10")).await,
        "submission",
    )
    .await;
    // one second after the deadline (5 April 2025, 24:00 Beijing time)
    let pool = s.app.db();
    let mut conn = pool.get().expect("connection");
    diesel::sql_query(format!(
        "UPDATE reports SET submitted_at = '2025-04-05T16:00:01.000Z' WHERE id = {}",
        r.id
    ))
    .execute(&mut conn)
    .expect("update");

    log_in(&s, "gui", PASSWORD).await;
    s.open("/timeliness?period=2025-03").await;
    let row = format!("[data-testid=timeliness-row][data-code={}]", own.code);
    let status = s
        .wait_for(&row)
        .await
        .attr("data-status")
        .await
        .ok()
        .flatten();
    assert_eq!(status.as_deref(), Some("late"));
    assert!(s.text_of(&row).await.contains("逾期报送"));
    assert!(
        s.text_of("[data-testid=timeliness-deadline]")
            .await
            .contains("2025年4月5日24时（北京时间）")
    );
    s.wait_for("[data-testid=ranking-row]").await;
    // the ranking's window is in the address, beside the month
    s.wait_for("#ranking-months")
        .await
        .select_by_value("3")
        .await
        .expect("a window");
    s.until("the three-month window in the address", || async {
        let url = s.current_url().await;
        url.contains("months=3") && url.contains("period=2025-03")
    })
    .await;
    s.wait_for("[data-testid=ranking-row]").await;

    s.open("/login").await;
    s.client
        .delete_all_cookies()
        .await
        .expect("cookies cleared");
    log_in(&s, "zhang", PASSWORD).await;
    s.open("/my-projects").await;
    assert!(
        s.text_of("[data-testid=due-next]")
            .await
            .contains("月报须于")
    );
    s.close().await;
}

#[tokio::test]
async fn the_evaluation_lists_every_project_and_fits_a_phone() {
    let s = start().await;
    s.open("/evaluation").await;
    s.wait_for("[data-testid=evaluation-group][data-key=total]")
        .await;
    s.until("every project", || async {
        s.count("[data-testid=evaluation-project]").await == 87
    })
    .await;
    assert_eq!(
        s.count("[data-testid=evaluation-project] [data-outcome=no_report]")
            .await,
        87
    );
    for (width, height) in [(1366, 768), (390, 844)] {
        s.client
            .set_window_size(width, height)
            .await
            .expect("a window size");
        let sizes = s
            .client
            .execute(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                vec![],
            )
            .await
            .expect("page widths");
        let (content, viewport) = (sizes[0].as_u64(), sizes[1].as_u64());
        assert!(
            viewport.is_some() && content <= viewport,
            "/evaluation at {width}×{height}: content {content:?} px, viewport {viewport:?} px"
        );
    }
    s.close().await;
}
