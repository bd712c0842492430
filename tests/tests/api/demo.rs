//! `--demo`: the sample of plans and reports, its marker and banner flag, and the refusal to
//! mix it into a database holding user data.

use keyproj_shared::{Health, Level, ProjectPlans, ProjectWarnings, Role, RuleId, WarningPage};

use crate::helpers::{TestApp, settings, spawn_app, spawn_app_configured, spawn_app_with};

async fn warnings(app: &TestApp, code: &str, period: &str) -> ProjectWarnings {
    app.json(
        &format!("/api/projects/{code}/warnings"),
        &[("period", period)],
    )
    .await
}

/// The level `rule` gave `code` for `period`, if it fired.
async fn level(app: &TestApp, code: &str, period: &str, rule: RuleId) -> Option<Level> {
    warnings(app, code, period)
        .await
        .warnings
        .iter()
        .find(|w| w.rule == rule)
        .map(|w| w.level)
}

#[tokio::test]
async fn a_demo_database_shows_every_colour_of_warning_and_says_it_holds_sample_data() {
    let app = spawn_app_with(|s| s.demo = true).await;
    let h: Health = app.json("/healthz", &[]).await;
    assert!(h.sample_data, "a demo database says so on /healthz");

    let lag = RuleId::InvestmentLag;
    assert_eq!(level(&app, "A05", "2025-12", lag).await, Some(Level::Green));
    assert_eq!(
        level(&app, "B17", "2025-12", lag).await,
        Some(Level::Yellow)
    );
    assert_eq!(level(&app, "B22", "2025-12", lag).await, Some(Level::Red));
    // B22 slips month by month: green in January, yellow in February, red from May
    assert_eq!(level(&app, "B22", "2025-01", lag).await, Some(Level::Green));
    assert_eq!(
        level(&app, "B22", "2025-02", lag).await,
        Some(Level::Yellow)
    );
    assert_eq!(level(&app, "B22", "2025-05", lag).await, Some(Level::Red));
    let missed = RuleId::NotReported;
    assert_eq!(level(&app, "B49", "2025-09", missed).await, None);
    assert_eq!(
        level(&app, "B49", "2025-10", missed).await,
        Some(Level::Yellow)
    );
    assert_eq!(
        level(&app, "B49", "2025-11", missed).await,
        Some(Level::Red)
    );
    // a late report is not on time, the months around it are
    assert_eq!(
        level(&app, "C06", "2025-07", missed).await,
        Some(Level::Yellow)
    );
    assert_eq!(level(&app, "C06", "2025-06", missed).await, None);
    assert_eq!(level(&app, "C06", "2025-08", missed).await, None);
    assert_eq!(
        level(&app, "D14", "2025-04", RuleId::StartLag).await,
        Some(Level::Yellow)
    );
    assert_eq!(
        level(&app, "D14", "2025-06", RuleId::StartLag).await,
        Some(Level::Red)
    );
    assert_eq!(
        level(&app, "B35", "2025-10", RuleId::CompletionLag).await,
        Some(Level::Red)
    );
    assert_eq!(
        level(&app, "B35", "2025-10", RuleId::Divergence).await,
        Some(Level::Info)
    );
    // 本年完成投资 from the sample's approved reports: 35 % of B22's 6000
    let b22 = warnings(&app, "B22", "2025-12").await;
    assert_eq!(
        b22.year_to_date.completed.map(|m| m.to_string()),
        Some("2100.00".to_string())
    );

    // written through the plan service, as the demo loader
    let plans: ProjectPlans = app.json("/api/projects/A05/plans", &[]).await;
    assert_eq!(plans.history.len(), 1);
    assert_eq!(plans.history[0].created_by, "(demo loader)");
    assert!(plans.history[0].content.contains("演示数据"));

    // started again with --demo: nothing more is loaded; without it, still marked
    let again = spawn_app_configured(
        tempfile::tempdir().expect("dir"),
        app.database_url.clone(),
        None,
        |s| s.demo = true,
    )
    .await;
    let plans: ProjectPlans = again.json("/api/projects/A05/plans", &[]).await;
    assert_eq!(plans.history.len(), 1, "a second --demo start adds nothing");
    let plain = spawn_app_configured(
        tempfile::tempdir().expect("dir"),
        app.database_url.clone(),
        None,
        |_| {},
    )
    .await;
    let h: Health = plain.json("/healthz", &[]).await;
    assert!(
        h.sample_data,
        "the marker stays with the data, --demo or not"
    );
}

#[tokio::test]
async fn a_database_started_without_demo_holds_no_sample() {
    let app = spawn_app().await;
    let h: Health = app.json("/healthz", &[]).await;
    assert!(!h.sample_data);
    let page: WarningPage = app.json("/api/warnings", &[("period", "2025-12")]).await;
    assert_eq!(page.total, 0, "{:?}", page.items);
    for code in ["A05", "B17", "B22", "B35", "B49", "C06", "D14"] {
        let plans: ProjectPlans = app.json(&format!("/api/projects/{code}/plans"), &[]).await;
        assert!(plans.history.is_empty(), "{code} has no plan");
    }
    let pool = app.db();
    let reports = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().expect("connection");
        keyproj::models::report::ReportRow::count(&mut conn).expect("count")
    })
    .await
    .expect("joined");
    assert_eq!(reports, 0);
}

#[tokio::test]
async fn demo_is_refused_on_a_database_with_user_data_and_nothing_is_loaded() {
    let app = spawn_app().await;
    app.add_user("zhao", Role::Planner, None).await;
    let dir = tempfile::tempdir().expect("dir");
    let mut s = settings(&app.database_url, dir.path());
    s.demo = true;
    let refused = keyproj::Application::build(s)
        .await
        .err()
        .expect("--demo on a database with user data is refused");
    let message = format!("{refused:#}");
    assert!(message.contains("--demo 被拒绝"), "{message}");
    assert!(message.contains("非演示账号 1 个"), "{message}");
    // nothing of the sample, nor its marker, nor the demo accounts, was written
    let h: Health = app.json("/healthz", &[]).await;
    assert!(!h.sample_data);
    let plans: ProjectPlans = app.json("/api/projects/A05/plans", &[]).await;
    assert!(plans.history.is_empty());
    assert_eq!(
        app.login_response("demo-admin", "whatever password")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn a_copy_of_a_demo_database_still_says_it_holds_sample_data() {
    let app = spawn_app_with(|s| s.demo = true).await;
    let source = app.database_url.clone();
    app.handle.stop(true).await;
    let dir = tempfile::tempdir().expect("dir");
    let target = crate::helpers::fresh_database(dir.path());
    let (s, t) = (source, target.clone());
    let report = tokio::task::spawn_blocking(move || keyproj::migrate_data::run(&s, &t, false))
        .await
        .expect("joined")
        .expect("the copy verifies");
    let marker = report
        .target
        .iter()
        .find(|c| c.table == "sample_data")
        .map(|c| c.rows);
    assert_eq!(marker, Some(1));
    let copy = spawn_app_configured(dir, target, None, |_| {}).await;
    let h: Health = copy.json("/healthz", &[]).await;
    assert!(h.sample_data, "the copy keeps the marker");
}
