//! The 年度计划 grid, `GET /api/plans?year=`: the projects of a year by code with their
//! current plan, its If-Match and last year's plan; the list's filters; paging; 422 for a
//! bad year; planners and admins only.

use keyproj_shared::{PlanGrid, PlanGridRow, ProjectItem, Role};

use crate::helpers::{
    SHAOSHAN, Session, TestApp, all_projects, fields, ok_json, problem, spawn_app,
};
use crate::plans::{first, known_project, plan_body, put_plan};

async fn grid(s: &Session, query: &str) -> PlanGrid {
    ok_json(s.get(&format!("/api/plans?{query}")).await, query).await
}

/// The codes of every project whose span includes `year`, by code, as the list has them.
fn codes_in(projects: &[ProjectItem], year: i32) -> Vec<String> {
    let mut codes: Vec<String> = projects
        .iter()
        .filter(|p| p.start.earliest_year <= year && year <= p.end.latest_year)
        .map(|p| p.code.clone())
        .collect();
    codes.sort();
    codes
}

fn row<'a>(g: &'a PlanGrid, code: &str) -> &'a PlanGridRow {
    g.items
        .iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("{code} is not in the grid of {}", g.year))
}

async fn planner_of(app: &TestApp) -> Session {
    app.user("li", Role::Planner, None).await
}

#[tokio::test]
async fn the_grid_of_a_year_holds_every_project_whose_span_includes_it_by_code() {
    let app = spawn_app().await;
    let planner = planner_of(&app).await;
    let projects = all_projects(&app).await;
    for year in [2021, 2024, 2030] {
        let g = grid(&planner, &format!("year={year}&per_page=500")).await;
        let got: Vec<String> = g.items.iter().map(|r| r.code.clone()).collect();
        let want = codes_in(&projects, year);
        assert!(
            !want.is_empty() || year == 2030,
            "{year}: no project at all"
        );
        assert_eq!(got, want, "{year}");
        assert_eq!(g.total, want.len() as u64, "{year}");
        assert_eq!(g.year, year);
        assert!(g.items.iter().all(|r| r.plan.is_none() && r.version == 0));
    }
}

#[tokio::test]
async fn a_plan_change_shows_in_the_grid_with_its_new_version_and_last_years_plan_beside_it() {
    let app = spawn_app().await;
    let planner = planner_of(&app).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;

    let g = grid(&planner, "year=2024&per_page=500").await;
    let r = row(&g, &code);
    assert_eq!((r.version, r.etag.clone()), (0, first(&code, 2024)));
    assert_eq!(r.total_investment.to_string(), "5000.00");
    assert_eq!(r.planned_investment.to_string(), "4000.00");
    assert_eq!((r.first_year, r.last_year), (2021, 2025));

    let mut last_year = plan_body("700");
    last_year["milestones"] = serde_json::json!([]);
    let res = put_plan(
        &planner,
        &code,
        "2023",
        Some(&first(&code, 2023)),
        &last_year,
    )
    .await;
    assert_eq!(res.status(), 200, "2023 plan");
    let res = put_plan(&planner, &code, "2024", Some(&r.etag), &plan_body("1000")).await;
    assert_eq!(res.status(), 200, "2024 plan");

    let g = grid(&planner, "year=2024&per_page=500").await;
    let r = row(&g, &code);
    let plan = r.plan.as_ref().expect("the 2024 plan");
    assert_eq!(plan.planned_investment.to_string(), "1000.00");
    assert_eq!(r.version, 1);
    assert_eq!(r.etag, format!("\"plan-{code}-2024-v1\""));
    assert_eq!(
        r.previous_year_plan
            .as_ref()
            .map(|p| (p.year, p.planned_investment.to_string())),
        Some((2023, "700.00".to_string()))
    );

    // a revision moves the version, and the old If-Match no longer writes
    let res = put_plan(&planner, &code, "2024", Some(&r.etag), &plan_body("1200")).await;
    assert_eq!(res.status(), 200, "revision");
    let g = grid(&planner, "year=2024&per_page=500").await;
    let r2 = row(&g, &code);
    assert_eq!(r2.version, 2);
    assert_eq!(
        r2.plan.as_ref().map(|p| p.planned_investment.to_string()),
        Some("1200.00".to_string())
    );
    let res = put_plan(&planner, &code, "2024", Some(&r.etag), &plan_body("1300")).await;
    assert_eq!(res.status(), 412, "the grid's old version is stale");

    // 2026 lies outside the project's span: no row
    let g = grid(&planner, "year=2026&per_page=500").await;
    assert!(g.items.iter().all(|r| r.code != code));
}

#[tokio::test]
async fn the_grid_takes_the_project_lists_filters() {
    let app = spawn_app().await;
    let planner = planner_of(&app).await;
    let projects = all_projects(&app).await;
    let category = projects[0].category;
    let g = grid(
        &planner,
        &format!("year=2023&per_page=500&category={}", category.key()),
    )
    .await;
    let of_category: Vec<ProjectItem> = projects
        .iter()
        .filter(|p| p.category == category)
        .cloned()
        .collect();
    let want = codes_in(&of_category, 2023);
    assert!(!want.is_empty());
    assert!(want.len() < codes_in(&projects, 2023).len());
    let got: Vec<String> = g.items.iter().map(|r| r.code.clone()).collect();
    assert_eq!(got, want);
    assert_eq!(g.total, want.len() as u64);
}

#[tokio::test]
async fn the_grid_is_paged_and_every_page_continues_the_last() {
    let app = spawn_app().await;
    let planner = planner_of(&app).await;
    let all = grid(&planner, "year=2023&per_page=500").await;
    assert!(all.items.len() > 5);
    let one = grid(&planner, "year=2023&per_page=2&page=1").await;
    let two = grid(&planner, "year=2023&per_page=2&page=2").await;
    let codes = |g: &PlanGrid| g.items.iter().map(|r| r.code.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&one), codes(&all)[0..2]);
    assert_eq!(codes(&two), codes(&all)[2..4]);
    assert_eq!((two.total, two.page, two.per_page), (all.total, 2, 2));
    let (status, p) = problem(planner.get("/api/plans?year=2023&per_page=501").await).await;
    assert_eq!((status, fields(&p)), (422, vec!["per_page".to_string()]));
}

#[tokio::test]
async fn a_missing_or_bad_year_is_422_naming_the_year() {
    let app = spawn_app().await;
    let planner = planner_of(&app).await;
    for query in [
        "",
        "?year=",
        "?year=2019",
        "?year=2031",
        "?year=abc",
        "?year=2025.0",
    ] {
        let (status, p) = problem(planner.get(&format!("/api/plans{query}")).await).await;
        assert_eq!(
            (status, fields(&p)),
            (422, vec!["year".to_string()]),
            "{query}"
        );
        assert!(p.errors[0].message.contains("年度"), "{query}: {p:?}");
    }
    let (status, p) = problem(planner.get("/api/plans?year=2025&colour=red").await).await;
    assert_eq!((status, fields(&p)), (422, vec!["colour".to_string()]));
}

#[tokio::test]
async fn only_planners_and_admins_see_the_grid() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let owner = app.user("wang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("zhao", Role::Finance, None).await;
    let g = grid(&admin, "year=2024").await;
    assert!(!g.items.is_empty());
    assert_eq!(app.get("/api/plans?year=2024").await.status(), 401);
    for s in [&owner, &finance] {
        let (status, _) = problem(s.get("/api/plans?year=2024").await).await;
        assert_eq!(status, 403);
    }
}
