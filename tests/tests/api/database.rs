use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use keyproj_shared::ProjectDetail;

use crate::helpers::{fresh_database, spawn_app_on};

#[derive(QueryableByName)]
struct Value {
    #[diesel(sql_type = Text)]
    value: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// `PRAGMA name`, read through its table-valued function, whose column is `column`.
fn pragma(conn: &mut keyproj::db::DbConnection, name: &str, column: &str) -> String {
    diesel::sql_query(format!(
        "SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}"
    ))
    .get_result::<Value>(conn)
    .map(|v| v.value)
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Always SQLite, whichever engine the suite runs on: these settings are SQLite's own.
#[test]
fn every_pooled_sqlite_connection_has_wal_foreign_keys_and_a_busy_timeout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool =
        keyproj::db::connect(&dir.path().join("k.db").display().to_string(), 3).expect("pool");
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = pool.get().expect("connection");
        assert_eq!(pragma(&mut conn, "journal_mode", "journal_mode"), "wal");
        assert_eq!(pragma(&mut conn, "foreign_keys", "foreign_keys"), "1");
        assert_eq!(pragma(&mut conn, "synchronous", "synchronous"), "2");
        assert!(
            pragma(&mut conn, "busy_timeout", "timeout")
                .parse::<u32>()
                .expect("number")
                >= 1000
        );
        held.push(conn);
    }
}

#[test]
fn foreign_keys_are_enforced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool =
        keyproj::db::connect(&dir.path().join("k.db").display().to_string(), 1).expect("pool");
    let mut conn = pool.get().expect("connection");
    let r = diesel::sql_query(
        "INSERT INTO project_owners (project_id, organisation_id, position) VALUES (999, 999, 0)",
    )
    .execute(&mut conn);
    assert!(r.is_err(), "a dangling owner link was accepted");
}

#[tokio::test]
async fn loading_twice_neither_duplicates_rows_nor_overwrites_later_edits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(dir.path());
    {
        let pool = keyproj::db::connect(&url, 1).expect("pool");
        let mut conn = pool.get().expect("connection");
        let first = keyproj::seed::load(&mut conn).expect("first load");
        assert_eq!((first.inserted, first.already_present), (87, 0));
        diesel::sql_query("UPDATE projects SET remarks = '已核对' WHERE code = 'A01'")
            .execute(&mut conn)
            .expect("an edit");
        let second = keyproj::seed::load(&mut conn).expect("second load");
        assert_eq!((second.inserted, second.already_present), (0, 87));
    }
    // a restart of the whole application seeds once more
    let app = spawn_app_on(dir, url, None).await;
    let a01: ProjectDetail = app.json("/api/projects/A01", &[]).await;
    assert_eq!(a01.item.remarks.as_deref(), Some("已核对"));
    assert_eq!(
        a01.published.remarks, "",
        "the published cell stays as printed"
    );

    let pool = keyproj::db::connect(&app.database_url, 1).expect("pool");
    let mut conn = pool.get().expect("connection");
    for (table, expected) in [
        ("projects", 87),
        ("published_rows", 87),
        ("published_subtotals", 6),
    ] {
        let n = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<Count>(&mut conn)
            .expect("count")
            .n;
        assert_eq!(n, expected, "{table}");
    }
    let links = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM (SELECT project_id, organisation_id FROM project_owners GROUP BY project_id, organisation_id HAVING COUNT(*) > 1) AS repeated",
    )
    .get_result::<Count>(&mut conn)
    .expect("count")
    .n;
    assert_eq!(links, 0);
}

#[tokio::test]
async fn two_servers_started_together_on_one_database_load_it_once_and_agree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(dir.path());
    let other = tempfile::tempdir().expect("temp dir");
    let (a, b) = tokio::join!(
        spawn_app_on(dir, url.clone(), None),
        spawn_app_on(other, url, None)
    );
    let pa: keyproj_shared::ProjectPage = a.json("/api/projects", &[("per_page", "100")]).await;
    let pb: keyproj_shared::ProjectPage = b.json("/api/projects", &[("per_page", "100")]).await;
    assert_eq!(pa.total, 87);
    assert_eq!(pa, pb);
    let pool = keyproj::db::connect(&a.database_url, 1).expect("pool");
    let mut conn = pool.get().expect("connection");
    // an edit through the database is seen by both servers at once: neither caches
    diesel::sql_query("UPDATE projects SET remarks = '两台服务器' WHERE code = 'C02'")
        .execute(&mut conn)
        .expect("an edit");
    for app in [&a, &b] {
        let d: ProjectDetail = app.json("/api/projects/C02", &[]).await;
        assert_eq!(d.item.remarks.as_deref(), Some("两台服务器"));
    }
}

#[tokio::test]
async fn migrate_data_copies_a_live_sqlite_database_and_verifies_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = format!("sqlite://{}", dir.path().join("source.db").display());
    let target = fresh_database(&dir.path().join("target"));
    std::fs::create_dir_all(dir.path().join("target")).expect("target dir");
    {
        let pool = keyproj::db::connect(&source, 1).expect("source");
        let mut conn = pool.get().expect("connection");
        keyproj::seed::load(&mut conn).expect("seeded");
        diesel::sql_query("UPDATE projects SET remarks = '迁移前的修改' WHERE code = 'E04'")
            .execute(&mut conn)
            .expect("an edit");
    }
    let (s, t) = (source.clone(), target.clone());
    let report = tokio::task::spawn_blocking(move || keyproj::migrate_data::run(&s, &t, false))
        .await
        .expect("joined")
        .expect("the copy verifies");
    assert!(report.matches());
    let projects = report
        .target
        .iter()
        .find(|c| c.table == "projects")
        .expect("projects checked");
    assert_eq!(projects.rows, 87);
    assert_eq!(projects.sums[0].1.to_string(), "488707.12");

    // copying again into the now non-empty target is refused, and changes nothing
    let (s, t) = (source.clone(), target.clone());
    let again = tokio::task::spawn_blocking(move || keyproj::migrate_data::run(&s, &t, false))
        .await
        .expect("joined");
    let message = format!("{:#}", again.expect_err("refused"));
    assert!(message.contains("--replace"), "{message}");

    // the copy serves exactly what the source holds, edits included, and takes new rows
    let app = spawn_app_on(tempfile::tempdir().expect("dir"), target, None).await;
    let e04: ProjectDetail = app.json("/api/projects/E04", &[]).await;
    assert_eq!(e04.item.remarks.as_deref(), Some("迁移前的修改"));
    let pool = keyproj::db::connect(&app.database_url, 1).expect("pool");
    let mut conn = pool.get().expect("connection");
    diesel::sql_query("INSERT INTO organisations (name) VALUES ('迁移后新增的单位')")
        .execute(&mut conn)
        .expect("the id sequence continues after the copied rows");
}

#[tokio::test]
async fn migrate_data_copies_accounts_reports_and_the_audit_trail_but_never_replaces_a_trail() {
    use keyproj_shared::{ProjectPage, Report, Role};

    use crate::helpers::{SHAOSHAN, ok_json, report_body, spawn_app_configured};

    let dir = tempfile::tempdir().expect("temp dir");
    let source = format!("sqlite://{}", dir.path().join("source.db").display());
    let app = spawn_app_configured(
        tempfile::tempdir().expect("dir"),
        source.clone(),
        None,
        |_| {},
    )
    .await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let r: Report = ok_json(
        owner
            .report(&own.code, &report_body("2024-03", "12.34"))
            .await,
        "submit",
    )
    .await;
    let res = finance
        .post_if_match(
            &format!("/api/reports/{}/approve", r.id),
            &r.etag,
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let before: ProjectPage = app.json("/api/projects", &[]).await;
    app.handle.stop(true).await;

    std::fs::create_dir_all(dir.path().join("target")).expect("target dir");
    let target = fresh_database(&dir.path().join("target"));
    let (s, t) = (source.clone(), target.clone());
    let report = tokio::task::spawn_blocking(move || keyproj::migrate_data::run(&s, &t, false))
        .await
        .expect("joined")
        .expect("the copy verifies");
    let rows = |table: &str| {
        report
            .target
            .iter()
            .find(|c| c.table == table)
            .map(|c| c.rows)
            .unwrap_or_else(|| panic!("{table} checked"))
    };
    assert_eq!(
        (rows("users"), rows("reports"), rows("sessions")),
        (2, 1, 2)
    );
    assert!(rows("audit_log") >= 6, "{}", rows("audit_log"));

    // the copy serves the same figures, and the same sessions and passwords work there
    let copy = spawn_app_on(tempfile::tempdir().expect("dir"), target.clone(), None).await;
    let after: ProjectPage = copy.json("/api/projects", &[]).await;
    assert_eq!(after.totals, before.totals);
    assert_eq!(after.totals.investment_completed.to_string(), "12.34");
    let again = crate::helpers::Session {
        address: copy.address.clone(),
        ..finance.clone()
    };
    let trail: keyproj_shared::AuditPage = again.json("/api/audit").await;
    assert_eq!(trail.total as usize, rows("audit_log"));
    copy.login("zhang", crate::helpers::PASSWORD).await;

    // the target now has an audit trail, which nothing may delete: --replace is refused
    let (s, t) = (source.clone(), target.clone());
    let refused = tokio::task::spawn_blocking(move || keyproj::migrate_data::run(&s, &t, true))
        .await
        .expect("joined");
    let message = format!("{:#}", refused.expect_err("refused"));
    assert!(message.contains("audit"), "{message}");
}
