//! The plan on the project page (its plans and revisions, the year planned against actual
//! with the warning months marked, the month's warnings), the dashboard's warning tiles, and
//! an admin changing a threshold on the 预警 page.

use fantoccini::Locator;
use keyproj_shared::{ProjectDetail, Report, Role, WarningPage};
use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{Session, start};
use crate::helpers::{PASSWORD, SHAOSHAN, TestApp, ok_json, report_body};

/// Gives SHAOSHAN's project a span of 2021-2030 and 总投资 5000; answers its code.
async fn known_project(app: &TestApp) -> String {
    let planner = app.user("li", Role::Planner, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let code = own.code.clone();
    let d: ProjectDetail = app.json(&format!("/api/projects/{code}"), &[]).await;
    let _: ProjectDetail = ok_json(
        planner
            .patch(
                &format!("/api/projects/{code}"),
                Some(&d.etag),
                &json!({"reason": "测试", "start": "2021", "end": "2030", "total_investment": "5000"}),
            )
            .await,
        "edit",
    )
    .await;
    code
}

async fn plan(app: &TestApp, code: &str, year: i32, body: Value) {
    let planner = app.login("li", PASSWORD).await;
    let res = planner
        .request(Method::PUT, &format!("/api/projects/{code}/plans/{year}"))
        .header("if-match", format!("\"plan-{code}-{year}-v0\""))
        .json(&body)
        .send()
        .await
        .expect("answered");
    let _: Value = ok_json(res, "plan").await;
}

/// 2024: plan 1000 with a baseline of 100, and June approved at 420 (18 points behind).
async fn behind_in_june_2024(app: &TestApp) -> String {
    let code = known_project(app).await;
    plan(
        app,
        &code,
        2024,
        json!({"reason": "年初编制", "planned_investment": "1000", "baseline_completed": "100"}),
    )
    .await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
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
    code
}

/// Picks a month in an `<input type=month>` as the browser's own picker would.
async fn pick_month(s: &Session, css: &str, month: &str) {
    s.wait_for(css).await;
    s.client
        .execute(
            "const i = document.querySelector(arguments[0]); i.value = arguments[1];
             i.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(css), json!(month)],
        )
        .await
        .expect("a month picked");
}

#[tokio::test]
async fn a_project_with_a_plan_and_reports_shows_the_plan_the_chart_with_its_marked_month_and_the_warning()
 {
    let s = start().await;
    let code = behind_in_june_2024(&s.app).await;

    s.open(&format!("/projects/{code}")).await;
    let plan = s
        .text_of("[data-testid=annual-plan][data-year='2024']")
        .await;
    assert!(plan.contains("2024 年度计划（第 1 版）"), "{plan}");
    assert!(plan.contains("1,000.00 万元"), "{plan}");
    let history = s.text_of("[data-testid=plan-revision]").await;
    assert!(
        history.contains("年初编制") && history.contains("首次编制"),
        "{history}"
    );

    pick_month(&s, "[data-testid=project-month]", "2024-06").await;
    let june = "[data-testid=progress-row][data-period='2024-06']";
    s.until("June's figures", || async {
        s.count(&format!("{june}[data-colour]")).await == 1
    })
    .await;
    let row = s.text_of(june).await;
    for figure in ["50.00%", "500.00", "420.00", "320.00", "32.00%"] {
        assert!(row.contains(figure), "{figure} in {row}");
    }
    // June is marked on the chart, and no month after it is judged
    assert_eq!(
        s.count("[data-testid=progress-mark][data-period='2024-06']")
            .await,
        1
    );
    assert_eq!(
        s.count("[data-testid=progress-mark][data-period='2024-07']")
            .await,
        0
    );
    let lag = s
        .text_of("[data-testid=project-warning][data-rule=investment_lag] [data-testid=project-warning-explanation]")
        .await;
    assert_eq!(
        lag,
        "2024年6月：序时进度 50.00%，投资完成率 32.00%，落后 18.00 个百分点（10.00–30.00）→ 黄色"
    );
    // the plan's year as a shortcut: its December, every month judged
    s.wait_for("[data-testid=plan-year]")
        .await
        .click()
        .await
        .expect("the 2024 button");
    s.until("December judged", || async {
        s.count("[data-testid=progress-row][data-period='2024-12'][data-colour]")
            .await
            == 1
    })
    .await;
    // the plans, the chart and its table pass axe as the rest of the app
    let serious = crate::a11y::serious_violations(&s, "project with a plan").await;
    assert!(serious.is_empty(), "{}", serious.join("\n"));
    s.close().await;
}

#[tokio::test]
async fn the_dashboard_tiles_link_to_the_warning_list_filtered_to_them_with_its_count() {
    let s = start().await;
    let code = known_project(&s.app).await;
    // the tiles' month: the one their links name
    s.open("/").await;
    let href = s
        .wait_for("[data-testid=tile-red]")
        .await
        .attr("href")
        .await
        .expect("an attribute")
        .expect("a link");
    let period = href
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("period="))
        .expect("a month in the link")
        .to_string();
    let year: i32 = period[..4].parse().expect("a year");
    // a plan that started in January of that year with nothing reported: start lag, red
    plan(
        &s.app,
        &code,
        year,
        json!({"reason": "年初编制", "planned_investment": "1000",
               "milestones": [{"kind": "start", "month": format!("{year}-01")}]}),
    )
    .await;
    let red: WarningPage = s
        .app
        .json("/api/warnings", &[("period", &period), ("level", "red")])
        .await;
    let not_reported: WarningPage = s
        .app
        .json(
            "/api/warnings",
            &[("period", &period), ("rule", "not_reported")],
        )
        .await;

    s.open("/").await;
    let count = |tile: &'static str| {
        let s = &s;
        async move {
            s.text_of(&format!("[data-testid={tile}] [data-testid=tile-count]"))
                .await
        }
    };
    s.until("the counts", || async { count("tile-red").await != "…" })
        .await;
    assert_eq!(count("tile-red").await, red.total.to_string());
    assert_eq!(
        count("tile-not-reported").await,
        not_reported.total.to_string()
    );
    if !period.ends_with("-01") {
        assert!(red.total >= 1, "the start lag is red: {red:?}");
    }

    s.wait_for("[data-testid=tile-red]")
        .await
        .click()
        .await
        .expect("the red tile");
    s.until("the red list", || async {
        let url = s.current_url().await;
        url.contains("/warnings") && url.contains("level=red") && url.contains(&period)
    })
    .await;
    s.wait_for("[data-testid=warnings-by-district]").await;
    s.until("the list's rows", || async {
        s.count("[data-testid=warning-row]").await as u64 == red.total.min(50)
    })
    .await;
    // the list's download takes the same month and colour
    let csv = s
        .wait_for("[data-testid=warnings-csv]")
        .await
        .attr("href")
        .await
        .expect("an attribute")
        .expect("a link");
    assert!(
        csv.starts_with("/api/export/warnings.csv?")
            && csv.contains(&format!("period={period}"))
            && csv.contains("level=red"),
        "{csv}"
    );
    s.close().await;
}

#[tokio::test]
async fn an_admin_changes_a_threshold_and_the_colour_changes() {
    let s = start().await;
    behind_in_june_2024(&s.app).await;
    s.app.add_user("root", Role::Admin, None).await;
    crate::accounts::log_in(&s, "root", PASSWORD).await;

    s.open("/warnings?period=2024-06&rule=investment_lag").await;
    let explanation = "[data-testid=warning-explanation]";
    assert!(s.text_of(explanation).await.ends_with("→ 黄色"));
    assert!(
        s.text_of("[data-testid=rule-set-version]")
            .await
            .contains("第 1 版")
    );

    let fill = |css: &'static str, text: &'static str| {
        let s = &s;
        async move {
            let f = s.wait_for(css).await;
            f.clear().await.expect("clear");
            f.send_keys(text).await.expect("type");
        }
    };
    // red below yellow is refused at the field
    fill("#rules-yellow", "40").await;
    fill("#rules-reason", "调高黄色阈值").await;
    s.wait_for("[data-testid=rule-set-save]")
        .await
        .click()
        .await
        .expect("save");
    let at_red = s
        .text_of("[data-testid=field-error][data-field=lag_red_above]")
        .await;
    assert!(at_red.contains("红色阈值不能低于黄色阈值"), "{at_red}");

    // 18 points behind is green once yellow starts at 20
    fill("#rules-yellow", "20").await;
    s.wait_for("[data-testid=rule-set-save]")
        .await
        .click()
        .await
        .expect("save");
    s.until("version 2 in force", || async {
        s.text_of("[data-testid=rule-set-version]")
            .await
            .contains("第 2 版")
    })
    .await;
    s.until("the warning turns green", || async {
        s.text_of(explanation).await.ends_with("→ 绿色")
    })
    .await;
    assert_eq!(
        s.text_of(explanation).await,
        "2024年6月：序时进度 50.00%，投资完成率 32.00%，落后 18.00 个百分点（<20.00）→ 绿色"
    );
    assert!(
        s.client
            .find(Locator::Css("[data-testid=rule-set-history]"))
            .await
            .is_ok()
    );
    s.close().await;
}
