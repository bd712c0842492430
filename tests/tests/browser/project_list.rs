use fantoccini::Locator;
use keyproj_shared::ProjectPage;

use crate::harness::{Session, figure, start};

async fn shows_the_totals_of(s: &Session, api: &ProjectPage) {
    s.until("the totals of the filtered set", || async {
        figure(&s.text_of("[data-testid=totals-count]").await) == api.total.to_string()
    })
    .await;
    assert_eq!(
        figure(&s.text_of("[data-testid=totals-total]").await),
        api.totals.total_investment.to_string()
    );
    assert_eq!(
        figure(&s.text_of("[data-testid=totals-planned]").await),
        api.totals.planned_investment.to_string()
    );
    assert_eq!(
        figure(&s.text_of("[data-testid=totals-social]").await),
        api.totals.social_investment.to_string()
    );
}

#[tokio::test]
async fn filtering_the_list_by_shaoshan_matches_the_api_and_a_reload_restores_it() {
    let s = start().await;
    let api: ProjectPage = s.app.json("/api/projects", &[("district", "韶山市")]).await;
    assert!(api.total > 0);
    s.open("/projects").await;
    s.wait_for("[data-testid=project-row]").await;
    s.wait_for("#district-filter")
        .await
        .select_by_value("shaoshan")
        .await
        .expect("韶山市 can be chosen");
    s.until("the URL to carry the filter", || async {
        s.current_url().await.contains("district=shaoshan")
    })
    .await;
    shows_the_totals_of(&s, &api).await;
    let rows = s.count("[data-testid=project-row]").await;
    assert_eq!(rows, api.items.len());

    s.client.refresh().await.expect("reload");
    shows_the_totals_of(&s, &api).await;
    let chosen = s
        .wait_for("#district-filter")
        .await
        .prop("value")
        .await
        .expect("a value");
    assert_eq!(chosen.as_deref(), Some("shaoshan"));
    s.close().await;
}

#[tokio::test]
async fn a_planner_finds_shaoshan_elderly_projects_starting_in_2021_from_the_dashboard() {
    let s = start().await;
    let api: ProjectPage = s
        .app
        .json(
            "/api/projects",
            &[
                ("district", "shaoshan"),
                ("category", "B"),
                ("start_year_from", "2021"),
                ("start_year_to", "2021"),
                ("per_page", "100"),
            ],
        )
        .await;
    s.open("/").await;
    // 1: 项目; 2: 韶山市; 3: 老年人福利类; then the start year
    s.wait_for("[data-testid=nav-projects]")
        .await
        .click()
        .await
        .expect("nav");
    s.wait_for("#district-filter")
        .await
        .select_by_value("shaoshan")
        .await
        .expect("district");
    s.wait_for("#category-filter")
        .await
        .select_by_value("B")
        .await
        .expect("category");
    let from = s.wait_for("#start-year-from").await;
    from.select_by_value("2021").await.expect("start year from");
    let to = s.wait_for("#start-year-to").await;
    to.select_by_value("2021").await.expect("start year to");
    shows_the_totals_of(&s, &api).await;
    let codes: Vec<String> = {
        let mut out = Vec::new();
        for row in s
            .client
            .find_all(Locator::Css("[data-testid=project-row]"))
            .await
            .expect("rows")
        {
            out.push(
                row.attr("data-code")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            );
        }
        out
    };
    let want: Vec<String> = api.items.iter().map(|i| i.code.clone()).collect();
    assert_eq!(codes, want);
    assert!(
        s.count("[data-testid=chip]").await >= 4,
        "each filter shows as a chip"
    );
    s.close().await;
}
