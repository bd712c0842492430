//! 预算 (`GET /api/budget?year=`): the year's plans against 本年完成投资 by district and by
//! category, exact, with unknown figures said to be unknown, never 0.

use keyproj_shared::{Budget, BudgetGroup, Role};
use serde_json::json;

use crate::helpers::{TestApp, fields, problem, spawn_app, spawn_app_with};
use crate::plans::{first, put_plan};

fn group<'a>(groups: &'a [BudgetGroup], label: &str) -> &'a BudgetGroup {
    groups
        .iter()
        .find(|g| g.label == label)
        .unwrap_or_else(|| panic!("no group {label}: {groups:?}"))
}

/// (planned, completed, rate) as the page shows them.
fn figures(g: &BudgetGroup) -> (String, Option<String>, Option<String>) {
    (
        g.planned.to_string(),
        g.completed.map(|m| m.to_string()),
        g.completion_rate.map(|p| p.to_string()),
    )
}

fn some(planned: &str, completed: &str, rate: &str) -> (String, Option<String>, Option<String>) {
    (
        planned.to_string(),
        Some(completed.to_string()),
        Some(rate.to_string()),
    )
}

async fn budget(app: &TestApp, year: &str) -> Budget {
    app.json("/api/budget", &[("year", year)]).await
}

#[tokio::test]
async fn the_budget_of_the_demo_sample_adds_up_by_district_and_category() {
    let app = spawn_app_with(|s| s.demo = true).await;
    let b = budget(&app, "2025").await;
    assert_eq!((b.year, b.as_of.as_str()), (2025, "2025-12"));
    // 湘乡市: A05 900 of 900, B22 2100 of 6000
    assert_eq!(
        figures(group(&b.by_district, "湘乡市")),
        some("6900.00", "3000.00", "43.48")
    );
    assert_eq!(group(&b.by_district, "湘乡市").projects, 2);
    assert_eq!(
        figures(group(&b.by_district, "湘潭县")),
        some("4000.00", "3200.00", "80.00")
    );
    // B49 stopped reporting after September: 75 % of 40
    assert_eq!(
        figures(group(&b.by_district, "湘潭高新区")),
        some("40.00", "30.00", "75.00")
    );
    // D14 never started (0 of 1500), B35 800 of 800
    assert_eq!(
        figures(group(&b.by_district, "韶山市")),
        some("2300.00", "800.00", "34.78")
    );
    assert_eq!(
        figures(group(&b.by_district, "岳塘区")),
        some("300.00", "300.00", "100.00")
    );
    assert_eq!(figures(&b.total), some("13540.00", "7330.00", "54.14"));
    let by_category: u64 = b.by_category.iter().map(|g| g.projects).sum();
    assert_eq!(by_category, 7);
    // another year has no plans: nothing to sum, and no 0 made up for 本年完成投资
    let other = budget(&app, "2024").await;
    assert!(other.by_district.is_empty());
    assert_eq!(other.total.projects, 0);
    assert_eq!(other.total.completed, None);
    assert_eq!(other.total.completion_rate, None);
}

#[tokio::test]
async fn a_plan_without_reports_or_baseline_is_unknown_not_zero() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let body = json!({"reason": "年初编制", "planned_investment": "500", "content": "示例"});
    let res = put_plan(&planner, "A05", "2025", Some(&first("A05", 2025)), &body).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let b = budget(&app, "2025").await;
    let g = group(&b.by_district, "湘乡市");
    assert_eq!((g.projects, g.unknown), (1, 1));
    assert_eq!(g.planned.to_string(), "500.00");
    assert_eq!((g.completed, g.completion_rate), (None, None));
}

#[tokio::test]
async fn a_budget_without_a_year_or_outside_the_plans_years_is_refused_naming_the_field() {
    let app = spawn_app().await;
    for query in [
        vec![],
        vec![("year", "2019")],
        vec![("year", "2031")],
        vec![("year", "二〇二五")],
    ] {
        let (status, p) = problem(app.get_query("/api/budget", &query).await).await;
        assert_eq!(status, 422, "{query:?}");
        assert_eq!(fields(&p), ["year"], "{query:?}");
    }
    let (status, p) = problem(
        app.get_query("/api/budget", &[("year", "2025"), ("yaer", "1")])
            .await,
    )
    .await;
    assert_eq!((status, fields(&p)), (422, vec!["yaer".to_string()]));
}
