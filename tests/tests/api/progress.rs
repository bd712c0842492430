//! `GET /api/projects/{code}/progress`: the project page's planned-against-actual year, each
//! month as the warning rules judge it.

use keyproj_shared::{Level, ProjectProgress, ProjectWarnings, Role};
use serde_json::json;

use crate::helpers::{SHAOSHAN, fields, ok_json, problem, report_body, spawn_app};
use crate::plans::{first, known_project, plan_body, put_plan};

fn text<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

#[tokio::test]
async fn each_month_gives_the_plan_due_the_approved_figures_and_the_colour_the_warnings_give() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let mut b = plan_body("1000");
    b["milestones"] = json!([]);
    b["baseline_completed"] = json!("100");
    let _: keyproj_shared::AnnualPlan = ok_json(
        put_plan(&planner, &code, "2024", Some(&first(&code, 2024)), &b).await,
        "plan",
    )
    .await;
    for (period, completed) in [("2024-06", "420"), ("2024-08", "700")] {
        let r: keyproj_shared::Report = ok_json(
            owner.report(&code, &report_body(period, completed)).await,
            "report",
        )
        .await;
        let _: keyproj_shared::Report = ok_json(
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
    }

    let p: ProjectProgress = app
        .json(
            &format!("/api/projects/{code}/progress"),
            &[("period", "2024-07")],
        )
        .await;
    assert_eq!((p.year, p.period.as_str()), (2024, "2024-07"));
    assert_eq!(text(p.planned).as_deref(), Some("1000.00"));
    assert_eq!(text(p.baseline).as_deref(), Some("100.00"));
    assert_eq!(p.months.len(), 12);
    let month = |m: usize| &p.months[m - 1];
    // linear from January: June 50 %, July 58.33 % → 583.30 of 1000
    assert_eq!(month(6).period, "2024-06");
    assert_eq!(text(month(6).expected_progress).as_deref(), Some("50.00"));
    assert_eq!(text(month(6).expected_completed).as_deref(), Some("500.00"));
    assert_eq!(text(month(7).expected_completed).as_deref(), Some("583.30"));
    assert_eq!(
        text(month(12).expected_completed).as_deref(),
        Some("1000.00")
    );
    // before the first approved report nothing is known; June 420 − 100 = 320, 32 %
    assert_eq!(month(5).cumulative, None);
    assert_eq!(month(5).completed, None);
    assert_eq!(text(month(6).cumulative).as_deref(), Some("420.00"));
    assert_eq!(text(month(6).completed).as_deref(), Some("320.00"));
    assert_eq!(text(month(6).completion_rate).as_deref(), Some("32.00"));
    // July carries June's approved figure forward
    assert_eq!(text(month(7).cumulative).as_deref(), Some("420.00"));
    // August is after the month asked for: its report is not used, only the plan shown
    assert_eq!(month(8).cumulative, None);
    assert_eq!(month(8).colour, None);
    assert_eq!(text(month(8).expected_completed).as_deref(), Some("666.70"));

    // each judged month's colour is the worst the month's own warnings give
    for m in 1..=7 {
        let period = format!("2024-{m:02}");
        let w: ProjectWarnings = app
            .json(
                &format!("/api/projects/{code}/warnings"),
                &[("period", &period)],
            )
            .await;
        let worst = w
            .warnings
            .iter()
            .map(|w| w.level)
            .filter(|l| *l != Level::Info)
            .max();
        assert_eq!(month(m).colour, worst, "{period}");
        assert_eq!(month(m).completion_rate, w.year_to_date.completion_rate);
    }
    // June's verdicts include the investment lag's yellow (18 points behind)
    assert!(month(6).colour >= Some(Level::Yellow));

    // asked as of August, August's report counts
    let aug: ProjectProgress = app
        .json(
            &format!("/api/projects/{code}/progress"),
            &[("period", "2024-08")],
        )
        .await;
    assert_eq!(text(aug.months[7].completed).as_deref(), Some("600.00"));
    assert_eq!(aug.months[5], p.months[5], "June stays as it was");
}

#[tokio::test]
async fn a_year_without_a_plan_has_no_plan_figures_and_no_colour() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let p: ProjectProgress = app
        .json(
            &format!("/api/projects/{code}/progress"),
            &[("period", "2023-12")],
        )
        .await;
    assert_eq!(p.planned, None);
    assert!(
        p.months
            .iter()
            .all(|m| m.expected_completed.is_none() && m.colour.is_none()),
        "{p:?}"
    );
}

#[tokio::test]
async fn an_unknown_project_is_404_and_a_missing_or_bad_month_422_naming_period() {
    let app = spawn_app().await;
    let (status, _) = problem(
        app.get_query("/api/projects/ZZ99/progress", &[("period", "2024-06")])
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let (any, _) = app.projects_of(SHAOSHAN).await;
    let path = format!("/api/projects/{}/progress", any.code);
    for query in [vec![], vec![("period", "2024-13")], vec![("period", "x")]] {
        let (status, p) = problem(app.get_query(&path, &query).await).await;
        assert_eq!(status, 422, "{query:?}");
        assert_eq!(fields(&p), ["period"], "{query:?}");
    }
    let (status, p) = problem(
        app.get_query(&path, &[("period", "2024-06"), ("year", "2024")])
            .await,
    )
    .await;
    assert_eq!((status, fields(&p)), (422, vec!["year".to_string()]));
}
