//! The database a benchmark runs on: a new PostgreSQL database named `name` when
//! `KEYPROJ_TEST_PG_URL` names a server (scripts/with-postgres.sh sets it), else a SQLite
//! file in `dir` (or at `KEYPROJ_BENCH_DB`, kept for a look afterwards).

use std::path::Path;

use diesel::RunQueryDsl;

/// The engine's name and the database URL.
pub fn database(dir: &Path, name: &str) -> (&'static str, String) {
    match std::env::var("KEYPROJ_TEST_PG_URL") {
        Ok(admin) => {
            let mut c =
                <diesel::PgConnection as diesel::Connection>::establish(&admin).expect("postgres");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut c)
                .expect("create database");
            let (server, _) = admin.rsplit_once('/').expect("url");
            ("PostgreSQL", format!("{server}/{name}"))
        }
        Err(_) => (
            "SQLite",
            std::env::var("KEYPROJ_BENCH_DB")
                .unwrap_or_else(|_| dir.join(format!("{name}.db")).display().to_string()),
        ),
    }
}
