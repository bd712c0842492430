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
