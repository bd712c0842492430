use keyproj_shared::Summary;

use crate::harness::{figure, start};

#[tokio::test]
async fn the_dashboard_shows_the_totals_the_api_computes_for_all_87_projects() {
    let s = start().await;
    let api: Summary = s
        .app
        .json("/api/summary", &[("group_by", "category")])
        .await;
    assert_eq!(api.total.count, 87);
    s.open("/").await;
    assert_eq!(figure(&s.text_of("[data-testid=kpi-count]").await), "87");
    for (testid, want) in [
        ("kpi-total", api.total.total_investment.to_string()),
        ("kpi-planned", api.total.planned_investment.to_string()),
        ("kpi-social", api.total.social_investment.to_string()),
    ] {
        let shown = s.text_of(&format!("[data-testid={testid}]")).await;
        assert_eq!(figure(&shown), want, "{testid}: {shown}");
    }
    let share = api
        .total
        .social_share_pct
        .map(|p| p.to_string())
        .unwrap_or_default();
    let shown = s.text_of("[data-testid=kpi-social-share]").await;
    assert_eq!(figure(&shown), share, "{shown}");
    s.close().await;
}

#[tokio::test]
async fn clicking_a_chart_bar_opens_the_list_filtered_to_it() {
    let s = start().await;
    s.open("/").await;
    let link = s
        .wait_for("[data-testid=chart-link][href*='district=shaoshan']")
        .await;
    link.click().await.expect("click");
    s.until("the list filtered to 韶山市", || async {
        s.current_url().await.contains("district=shaoshan")
    })
    .await;
    s.wait_for("[data-testid=project-row]").await;
    let api: keyproj_shared::ProjectPage = s
        .app
        .json("/api/projects", &[("district", "shaoshan")])
        .await;
    assert_eq!(
        figure(&s.text_of("[data-testid=totals-count]").await),
        api.total.to_string()
    );
    s.close().await;
}
