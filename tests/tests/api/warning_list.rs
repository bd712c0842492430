//! The project list's `warning=` filter and `sort=gap` (issue 12 §3): four projects with
//! different gaps for June 2024, and the order and membership they must have.

use keyproj_shared::{ProjectDetail, ProjectPage, Role, RuleSet};
use serde_json::json;

use crate::helpers::{
    Session, TestApp, all_projects, fields, ok_json, problem, report_body, spawn_app,
};
use crate::warnings::{approved, plan, put_rules, rules_body, without_milestones};

/// Gives project `code` a span of 2021-2025 and 总投资 5000, a 2024 plan of 1000 with a
/// baseline of 100, and an approved June report of 累计完成投资 `june`: 投资完成率
/// (june − 100) / 1000 against 序时进度 50 %.
pub(crate) async fn behind_by(
    app: &TestApp,
    planner: &Session,
    admin: &Session,
    finance: &Session,
    code: &str,
    june: &str,
) {
    let d: ProjectDetail = app.json(&format!("/api/projects/{code}"), &[]).await;
    let res = planner
        .patch(
            &format!("/api/projects/{code}"),
            Some(&d.etag),
            &json!({"reason": "测试", "start": "2021", "end": "2025",
                    "total_investment": "5000", "planned_investment": "4000"}),
        )
        .await;
    let _: ProjectDetail = ok_json(res, "edit").await;
    let mut b = without_milestones("1000");
    b["baseline_completed"] = json!("100");
    plan(planner, code, 2024, &b).await;
    approved(admin, finance, code, report_body("2024-06", june)).await;
}

async fn codes(app: &TestApp, query: &[(&str, &str)]) -> (Vec<String>, u64) {
    let page: ProjectPage = app.json("/api/projects", query).await;
    (page.items.into_iter().map(|i| i.code).collect(), page.total)
}

#[tokio::test]
async fn the_list_filters_on_the_warning_colour_and_sorts_on_the_gap() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    let finance = app.user("qian", Role::Finance, None).await;
    // the reports come long after June's deadline: with "not reported" red only after 12
    // months in a row, it is yellow, and the gap decides red
    let mut rules = rules_body("10");
    rules["not_reported_red_months"] = json!(12);
    let _: RuleSet = ok_json(
        put_rules(&admin, Some("\"rules-v1\""), &rules).await,
        "rules",
    )
    .await;

    let all: Vec<String> = all_projects(&app)
        .await
        .into_iter()
        .map(|p| p.code)
        .collect();
    let (a, b, c, d) = (&all[3], &all[10], &all[20], &all[30]);
    behind_by(&app, &planner, &admin, &finance, a, "420").await; // 32 %: 18 points behind
    behind_by(&app, &planner, &admin, &finance, b, "250").await; // 15 %: 35 points behind, red
    behind_by(&app, &planner, &admin, &finance, c, "600").await; // 50 %: level
    behind_by(&app, &planner, &admin, &finance, d, "800").await; // 70 %: 20 points ahead

    let june = ("period", "2024-06");
    assert_eq!(
        codes(&app, &[("warning", "red"), june]).await,
        (vec![b.clone()], 1)
    );
    let (yellow, n) = codes(&app, &[("warning", "yellow"), june]).await;
    assert_eq!((yellow, n), (vec![a.clone(), c.clone(), d.clone()], 3));
    assert_eq!(
        codes(&app, &[("warning", "green"), june]).await,
        (vec![], 0)
    );
    let (none, n) = codes(&app, &[("warning", "none"), june, ("per_page", "100")]).await;
    assert_eq!(n as usize, all.len() - 4);
    assert!(none.iter().all(|x| ![a, b, c, d].contains(&x)));
    // another month: in 2023 nobody has a plan, so nobody has a colour
    let earlier = ("period", "2023-06");
    assert_eq!(codes(&app, &[("warning", "red"), earlier]).await.1, 0);
    assert_eq!(
        codes(&app, &[("warning", "none"), earlier]).await.1 as usize,
        all.len()
    );

    let (most_behind, n) = codes(&app, &[("sort", "-gap"), june, ("per_page", "5")]).await;
    assert_eq!(n as usize, all.len());
    assert_eq!(
        most_behind[..4],
        [b.clone(), a.clone(), c.clone(), d.clone()]
    );
    assert_eq!(
        most_behind[4],
        *all.iter()
            .find(|x| ![a, b, c, d].contains(x))
            .expect("more")
    );
    let (most_ahead, _) = codes(&app, &[("sort", "gap"), june, ("per_page", "4")]).await;
    assert_eq!(most_ahead, [d.clone(), c.clone(), a.clone(), b.clone()]);
    // the two together, and a second page
    let (page2, n) = codes(
        &app,
        &[
            ("warning", "yellow"),
            ("sort", "-gap"),
            june,
            ("per_page", "2"),
            ("page", "2"),
        ],
    )
    .await;
    assert_eq!((page2, n), (vec![d.clone()], 3));
    let page: ProjectPage = app.json("/api/projects", &[("warning", "red"), june]).await;
    assert_eq!(page.totals.total_investment.to_string(), "5000.00");
}

#[tokio::test]
async fn a_bad_warning_filter_or_a_cursor_with_it_is_422_naming_the_parameter() {
    let app = spawn_app().await;
    for (query, field) in [
        ("warning=purple", "warning"),
        ("warning=red&period=2024-6", "period"),
        ("period=2024-06", "period"),
        ("sort=gap&cursor=abc", "cursor"),
        ("sort=colour", "sort"),
    ] {
        let (status, p) = problem(app.get(&format!("/api/projects?{query}")).await).await;
        assert_eq!(
            (status, fields(&p)),
            (422, vec![field.to_string()]),
            "{query}"
        );
    }
}
