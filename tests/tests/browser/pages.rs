use keyproj_shared::{Pivot, ProjectDetail, ProjectPage, Summary};

use crate::harness::{figure, start};

#[tokio::test]
async fn a_project_page_shows_its_published_amounts_and_years() {
    let s = start().await;
    let d: ProjectDetail = s.app.json("/api/projects/B09", &[]).await;
    s.open("/projects/B09").await;
    assert_eq!(
        figure(&s.text_of("[data-testid=project-total]").await),
        d.item.total_investment.to_string()
    );
    assert_eq!(
        figure(&s.text_of("[data-testid=project-planned]").await),
        d.item.planned_investment.to_string()
    );
    assert!(
        s.text_of("[data-testid=project-start]")
            .await
            .contains("2021")
    );
    assert!(
        s.text_of("[data-testid=project-end]")
            .await
            .contains("2023")
    );
    let name = s.text_of("[data-testid=project-name]").await;
    assert_eq!(name.trim(), d.item.name);
    // a row with a finding says so
    s.open("/projects/B18").await;
    assert!(s.text_of("[data-testid=finding]").await.contains("7亿元"));
    s.close().await;
}

#[tokio::test]
async fn the_schedule_draws_one_bar_per_filtered_project() {
    let s = start().await;
    let api: ProjectPage = s
        .app
        .json(
            "/api/projects",
            &[("district", "shaoshan"), ("per_page", "100")],
        )
        .await;
    s.open("/schedule?district=shaoshan").await;
    s.wait_for("[data-testid=gantt-bar]").await;
    s.until("every bar", || async {
        s.count("[data-testid=gantt-bar]").await == api.items.len()
    })
    .await;
    let mut codes = Vec::new();
    for bar in s
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=gantt-bar]"))
        .await
        .expect("bars")
    {
        codes.push(
            bar.attr("data-code")
                .await
                .ok()
                .flatten()
                .unwrap_or_default(),
        );
    }
    codes.sort();
    let mut want: Vec<String> = api.items.iter().map(|i| i.code.clone()).collect();
    want.sort();
    assert_eq!(codes, want);
    s.close().await;
}

#[tokio::test]
async fn the_budget_pivot_totals_row_equals_the_api_summary() {
    let s = start().await;
    let summary: Summary = s
        .app
        .json("/api/summary", &[("group_by", "district")])
        .await;
    let pivot: Pivot = s.app.json("/api/pivot", &[]).await;
    assert_eq!(pivot.total, summary.total);
    s.open("/budget").await;
    s.wait_for("[data-testid=pivot-total]").await;
    for (testid, want) in [
        ("pivot-total-count", summary.total.count.to_string()),
        (
            "pivot-total-total",
            summary.total.total_investment.to_string(),
        ),
        (
            "pivot-total-planned",
            summary.total.planned_investment.to_string(),
        ),
        (
            "pivot-total-social",
            summary.total.social_investment.to_string(),
        ),
    ] {
        let shown = s.text_of(&format!("[data-testid={testid}]")).await;
        assert_eq!(figure(&shown), want, "{testid}");
    }
    s.close().await;
}
