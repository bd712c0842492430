//! Backups that restore: `keyproj backup` on SQLite, taken in the middle of a stream of
//! acknowledged writes, and `pg_dump`/`pg_restore` on PostgreSQL. A backup counts only once
//! it has been opened and served again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use keyproj::db::DbConnection;
use keyproj::models::audit::AuditRow;
use keyproj::schema::{audit_log, reports};
use keyproj_shared::{ProjectPage, Report, Role};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{
    PASSWORD, PG_ENV, SHAOSHAN, Session, all_projects, fresh_database, ok_json, report_body,
    spawn_app, spawn_app_on,
};

/// A submission as the crash test's clients send it; a busy answer or a cut connection is
/// retried with the same key. Answers the id it was acknowledged with.
async fn submit(s: &Session, code: &str, n: u32) -> (String, i64) {
    let key = format!("backup-{n:05}");
    let body = json!({
        "period": format!("{}-{:02}", 2021 + (n / 12) % 5, n % 12 + 1),
        "physical_progress_pct": (n % 101).to_string(),
        "investment_completed": format!("{}.{:02}", n % 40, n % 100),
        "status": "in_progress",
        "progress_text": format!("第 {n} 次提交"),
    });
    for attempt in 0..50 {
        let sent = s
            .request(Method::POST, &format!("/api/projects/{code}/reports"))
            .header("idempotency-key", &key)
            .json(&body)
            .send()
            .await;
        if let Ok(res) = sent {
            let status = res.status().as_u16();
            let text = res.text().await.expect("a body");
            if status != 503 {
                assert_eq!(status, 201, "{key}: {text}");
                let r: Report = serde_json::from_str(&text).expect("a report");
                return (key, r.id);
            }
        }
        assert!(attempt < 49, "{key} never acknowledged");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    unreachable!()
}

fn open_sqlite(path: &Path) -> SqliteConnection {
    let mut conn = SqliteConnection::establish(path.to_str().expect("a UTF-8 path"))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // a stopped server's last connections may still be checkpointing as they close
    conn.batch_execute("PRAGMA busy_timeout = 5000;")
        .expect("a busy timeout");
    conn
}

/// Every audit entry, each written out whole (whatever columns the trail has).
fn trail(conn: &mut DbConnection) -> Vec<String> {
    AuditRow::all(conn)
        .expect("the audit trail")
        .iter()
        .map(|r| format!("{r:?}"))
        .collect()
}

#[tokio::test]
async fn a_backup_taken_during_a_stream_of_acknowledged_reports_holds_every_one_and_serves_again() {
    // `keyproj backup` is for SQLite: this runs on a SQLite file whichever engine the suite uses
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("keyproj.db");
    let app = spawn_app_on(
        tempfile::tempdir().expect("dir"),
        source.display().to_string(),
        None,
    )
    .await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let codes: Arc<Vec<String>> = Arc::new(
        all_projects(&app)
            .await
            .into_iter()
            .filter(|p| p.owners.iter().any(|o| o.name == SHAOSHAN))
            .map(|p| p.code)
            .collect(),
    );
    assert!(!codes.is_empty());

    // four clients submit without pause until told to stop
    let acked: Arc<Mutex<Vec<(String, i64)>>> = Arc::default();
    let next = Arc::new(AtomicU32::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let (owner, codes, acked, next, stop) = (
            owner.clone(),
            codes.clone(),
            acked.clone(),
            next.clone(),
            stop.clone(),
        );
        writers.spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let code = &codes[n as usize % codes.len()];
                let done = submit(&owner, code, n).await;
                acked.lock().expect("not poisoned").push(done);
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.lock().expect("not poisoned").len() < 40 {
        assert!(Instant::now() < deadline, "the writes do not flow");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // what the clients hold as acknowledged when the backup begins must all be in it
    let before_backup = acked.lock().expect("not poisoned").clone();
    let to = dir.path().join("backups").join("keyproj-backup.db");
    std::fs::create_dir_all(to.parent().expect("a folder")).expect("the backup folder");
    let (url, target) = (source.display().to_string(), to.clone());
    let began = Instant::now();
    let backup = tokio::task::spawn_blocking(move || keyproj::backup::run(&url, &target, false))
        .await
        .expect("joined")
        .expect("the backup is written");
    let took = began.elapsed();
    // the server kept serving: acknowledgements go on after the backup
    let after_backup = acked.lock().expect("not poisoned").len();
    while acked.lock().expect("not poisoned").len() < after_backup + 20 {
        assert!(
            Instant::now() < deadline,
            "the writes stopped after the backup"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Relaxed);
    while let Some(joined) = writers.join_next().await {
        joined.expect("a writer finished");
    }
    let all_acked: HashMap<String, i64> = acked
        .lock()
        .expect("not poisoned")
        .iter()
        .cloned()
        .collect();
    app.handle.stop(true).await;

    // nothing but the finished file is left beside it
    let names: Vec<String> = std::fs::read_dir(to.parent().expect("a folder"))
        .expect("listed")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, vec!["keyproj-backup.db".to_string()]);
    assert_eq!(backup.bytes, std::fs::metadata(&to).expect("written").len());

    eprintln!(
        "backup of {} bytes in {took:?}: {} reports acknowledged before it began, {after_backup} when it ended, {} in all",
        backup.bytes,
        before_backup.len(),
        all_acked.len()
    );
    let mut copy = open_sqlite(&to);
    assert_eq!(
        keyproj::backup::integrity_check(&mut copy).expect("checked"),
        "ok"
    );
    let stored: HashMap<String, i64> = reports::table
        .filter(reports::idempotency_key.is_not_null())
        .select((reports::idempotency_key.assume_not_null(), reports::id))
        .load::<(String, i32)>(&mut copy)
        .expect("the backup's reports")
        .into_iter()
        .map(|(k, id)| (k, i64::from(id)))
        .collect();
    for (key, id) in &before_backup {
        assert_eq!(
            stored.get(key),
            Some(id),
            "{key}, acknowledged before the backup began, is not in it"
        );
    }
    // and it holds nothing that was not acknowledged, under the id the client was given
    for (key, id) in &stored {
        assert_eq!(all_acked.get(key), Some(id), "{key} in the backup");
    }
    let counted = backup
        .tables
        .iter()
        .find(|t| t.table == "reports")
        .expect("reports counted");
    assert_eq!(counted.rows, stored.len());

    // the audit trail: each report's submission is there, and the backup's trail is exactly
    // the first entries of the live one, unchanged
    let mut submitted: Vec<String> = audit_log::table
        .filter(audit_log::entity.eq("report"))
        .filter(audit_log::action.eq("submit"))
        .select(audit_log::entity_id)
        .load(&mut copy)
        .expect("the backup's trail");
    submitted.sort();
    let mut reported: Vec<String> = stored.values().map(i64::to_string).collect();
    reported.sort();
    assert_eq!(submitted, reported, "one submit entry per report, no more");
    let mut copy = DbConnection::Sqlite(copy);
    let backed_up = trail(&mut copy);
    let live = trail(&mut DbConnection::Sqlite(open_sqlite(&source)));
    assert!(backed_up.len() > before_backup.len());
    assert!(live.len() > backed_up.len(), "writes went on after it");
    assert_eq!(backed_up[..], live[..backed_up.len()]);
    drop(copy);
    assert_chain_intact(&to.display().to_string());

    // restored: a server on the backup lets the owner in, shows the reports, and takes new ones
    let restored = dir.path().join("restored.db");
    std::fs::copy(&to, &restored).expect("restored");
    let served = spawn_app_on(
        tempfile::tempdir().expect("dir"),
        restored.display().to_string(),
        None,
    )
    .await;
    let again = served.login("zhang", PASSWORD).await;
    let (_, last) = before_backup.last().expect("some acknowledged");
    let r: Report = again.json(&format!("/api/reports/{last}")).await;
    assert_eq!(r.id, *last);
    let fresh: Report = ok_json(
        again
            .report(&codes[0], &report_body("2025-06", "1.00"))
            .await,
        "a report on the restored database",
    )
    .await;
    assert!(fresh.id > *stored.values().max().expect("reports"));
}

#[tokio::test]
async fn a_backup_never_replaces_a_file_unless_forced_and_never_leaves_a_partial_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("keyproj.db");
    let url = format!("sqlite://{}", source.display());
    {
        let pool = keyproj::db::connect(&url, 1).expect("source");
        let mut conn = pool.get().expect("connection");
        keyproj::seed::load(&mut conn).expect("seeded");
    }
    let to = dir.path().join("backup.db");
    std::fs::write(&to, "an older file").expect("written");
    let run = |to: PathBuf, force: bool| keyproj::backup::run(&url, &to, force);

    let refused = run(to.clone(), false).expect_err("an existing file is refused");
    assert!(format!("{refused:#}").contains("--force"), "{refused:#}");
    assert_eq!(std::fs::read(&to).expect("kept"), b"an older file");

    let backup = run(to.clone(), true).expect("forced");
    let header = std::fs::read(&to).expect("replaced");
    assert!(header.starts_with(b"SQLite format 3\0"));
    let projects = backup
        .tables
        .iter()
        .find(|t| t.table == "projects")
        .expect("projects counted");
    assert_eq!(projects.rows, 87);
    assert_eq!(projects.sums[0].1.to_string(), "488707.12");

    let itself = run(source.clone(), true).expect_err("the database itself is refused");
    assert!(format!("{itself:#}").contains("itself"), "{itself:#}");
    assert_eq!(
        keyproj::backup::integrity_check(&mut open_sqlite(&source)).expect("checked"),
        "ok"
    );

    let nowhere = dir.path().join("missing.db");
    let missing = keyproj::backup::run(
        &nowhere.display().to_string(),
        &dir.path().join("b2.db"),
        false,
    )
    .expect_err("no database, no backup");
    assert!(format!("{missing:#}").contains("no SQLite database"));
    assert!(!nowhere.exists() && !dir.path().join("b2.db").exists());

    let postgres = keyproj::backup::run(
        "postgres://nobody@127.0.0.1:1/keyproj",
        &dir.path().join("b3.db"),
        false,
    )
    .expect_err("PostgreSQL is pg_dump's job");
    assert!(
        format!("{postgres:#}").contains("pg_dump -Fc"),
        "{postgres:#}"
    );

    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("listed")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| !n.starts_with("keyproj.db"))
        .collect();
    left.sort();
    assert_eq!(left, vec!["backup.db".to_string()]);
}

#[tokio::test]
async fn keyproj_backup_on_the_command_line_prints_what_it_wrote() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("keyproj.db");
    {
        let pool = keyproj::db::connect(&source.display().to_string(), 1).expect("source");
        let mut conn = pool.get().expect("connection");
        keyproj::seed::load(&mut conn).expect("seeded");
    }
    let to = dir.path().join("nightly.db");
    let run = || {
        std::process::Command::new(crate::processes::binary())
            .arg("--database-url")
            .arg(&source)
            .args(["backup", "--to"])
            .arg(&to)
            .env("RUST_LOG", "warn")
            .output()
            .expect("keyproj runs")
    };
    let first = run();
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{out}");
    assert!(out.contains("integrity_check: ok"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("projects ") && l.contains(" 87 ")),
        "{out}"
    );
    let second = run();
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("--force"), "{err}");
}

/// The newest PostgreSQL client tools, as scripts/with-postgres.sh finds the server.
fn pg_tool(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|d| d.join(name).exists())
        .collect();
    // by major version number, not by name: 9 < 10
    dirs.sort_by_key(|d| {
        d.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    dirs.pop().unwrap_or_else(|| panic!("no {name}")).join(name)
}

fn run_tool(name: &str, args: &[&str]) {
    let out = std::process::Command::new(pg_tool(name))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn inventory(url: &str) -> Vec<keyproj::migrate_data::TableCheck> {
    let pool = keyproj::db::connect(url, 1).expect("a pool");
    let mut conn = pool.get().expect("connection");
    keyproj::migrate_data::inventory(&mut conn).expect("counted")
}

#[tokio::test]
async fn pg_dump_and_pg_restore_as_documented_restore_every_row_and_sum() {
    if std::env::var(PG_ENV).is_err() {
        eprintln!("skipped: runs when the suite runs on PostgreSQL ({PG_ENV})");
        return;
    }
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let mut last = 0;
    for (month, amount) in [
        ("2024-01", "10.25"),
        ("2024-02", "20.50"),
        ("2024-03", "31.75"),
    ] {
        let r: Report = ok_json(
            owner.report(&own.code, &report_body(month, amount)).await,
            "submit",
        )
        .await;
        let res = finance
            .post_if_match(
                &format!("/api/reports/{}/approve", r.id),
                &r.etag,
                &json!({}),
            )
            .await;
        assert_eq!(res.status(), 200);
        last = r.id;
    }
    let before: ProjectPage = app.json("/api/projects", &[]).await;

    // the commands of docs/operations.md, taken while the server still serves
    let dir = tempfile::tempdir().expect("temp dir");
    let dump = dir.path().join("keyproj.dump");
    let dump = dump.to_str().expect("a UTF-8 path");
    run_tool(
        "pg_dump",
        &["-Fc", "--dbname", &app.database_url, "--file", dump],
    );
    let restored_url = fresh_database(dir.path());
    run_tool(
        "pg_restore",
        &[
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            &restored_url,
            dump,
        ],
    );

    let (a, b) = (app.database_url.clone(), restored_url.clone());
    let (source, restored) = tokio::task::spawn_blocking(move || (inventory(&a), inventory(&b)))
        .await
        .expect("joined");
    assert_eq!(source, restored, "every table's rows and money sums");
    let reports = restored
        .iter()
        .find(|t| t.table == "reports")
        .expect("reports counted");
    assert_eq!(
        (reports.rows, reports.sums[0].1.to_string()),
        (3, "62.50".to_string())
    );
    let (a, b) = (app.database_url.clone(), restored_url.clone());
    let (live, copy) = tokio::task::spawn_blocking(move || {
        let trail_of = |url: &str| {
            let pool = keyproj::db::connect(url, 1).expect("a pool");
            trail(&mut pool.get().expect("connection"))
        };
        (trail_of(&a), trail_of(&b))
    })
    .await
    .expect("joined");
    assert!(live.len() >= 6, "{}", live.len());
    assert_eq!(live, copy, "the audit trail, entry by entry");
    assert_chain_intact(&restored_url);

    // the restored database serves the same figures, lets the owner in and takes new reports
    let served = spawn_app_on(tempfile::tempdir().expect("dir"), restored_url, None).await;
    let after: ProjectPage = served.json("/api/projects", &[]).await;
    assert_eq!(after.totals, before.totals);
    let again = served.login("zhang", PASSWORD).await;
    let fresh: Report = ok_json(
        again
            .report(&own.code, &report_body("2024-04", "1.00"))
            .await,
        "a report on the restored database",
    )
    .await;
    assert!(fresh.id > last, "the id sequences were restored too");
}

/// The audit trail of a backup or a restore is one unbroken hash chain, as `keyproj audit
/// verify` checks it.
fn assert_chain_intact(database_url: &str) {
    let verdict = keyproj::audit::verify::verify_database(database_url, None)
        .unwrap_or_else(|e| panic!("verifying {database_url}: {e:#}"));
    assert!(
        matches!(verdict, keyproj::audit::verify::Verdict::Intact { rows, .. } if rows > 0),
        "{verdict}"
    );
}
