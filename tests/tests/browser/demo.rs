//! The `--demo` banner: on every kind of page of a demo server (both bundles), and on none
//! of a server started without `--demo`.

use crate::harness::{start, start_with};

const BANNER: &str = "演示数据：本库含示例年度计划和月报，非真实数据";

#[tokio::test]
async fn a_demo_server_shows_the_sample_banner_on_public_and_signed_in_pages() {
    let s = start_with(|c| c.demo = true).await;
    for path in ["/", "/warnings?period=2025-12", "/projects/B22", "/login"] {
        s.open(path).await;
        s.wait_for(".app[data-sample=yes]").await;
        let text = s.text_of(".sample-banner").await;
        assert_eq!(text.trim(), BANNER, "{path}");
    }
    s.close().await;
}

#[tokio::test]
async fn a_server_started_without_demo_shows_no_banner() {
    let s = start().await;
    for path in ["/", "/login"] {
        s.open(path).await;
        // the page has heard from the server before it is looked at
        s.wait_for(".app[data-sample=no]").await;
        assert_eq!(s.count(".sample-banner").await, 0, "{path}");
    }
    s.close().await;
}

#[tokio::test]
async fn the_budget_page_shows_a_years_plans_against_investment_and_the_year_switch_changes_them() {
    let s = start_with(|c| c.demo = true).await;
    s.open("/budget").await;
    let total = "[data-testid=budget-row][data-key=total] [data-testid=budget-planned]";
    s.wait_for(total).await;
    // 2025, the sample's year: 13,540.00 planned, 7,330.00 done, 54.14 %
    assert_eq!(s.text_of(total).await.trim(), "13,540.00");
    let rate = "[data-testid=budget-row][data-key=total] [data-testid=budget-rate]";
    assert_eq!(s.text_of(rate).await.trim(), "54.14%");
    s.wait_for("#budget-year")
        .await
        .select_by_value("2024")
        .await
        .expect("a year");
    // the sample has no plans for 2024: the figures go, the address keeps the year
    s.wait_for("[data-testid=budget-none]").await;
    assert_eq!(s.count(total).await, 0);
    s.until("the year in the address", || async {
        s.current_url().await.contains("year=2024")
    })
    .await;
    s.close().await;
}
