//! The audit trail's hash chain: `keyproj audit verify` accepts what the API wrote, names the
//! first entry that someone with the database rewrote, removed or moved once the triggers are
//! dropped, and two servers appending at once still leave one chain.

use std::process::Command;

use diesel::RunQueryDsl;
use diesel::migration::MigrationSource;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};
use keyproj::audit::chain::{GENESIS, seal};
use keyproj::audit::verify::{Anchor, Break, Fault, Verdict, verify_database};
use keyproj::db::DbConnection;
use keyproj::models::audit::AuditRow;
use keyproj_shared::{ProjectDetail, ProjectPage, Report, Role};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{
    PASSWORD, SHAOSHAN, TestApp, fresh_database, login_at, ok_json, report_body, spawn_app,
    spawn_app_on,
};
use crate::processes::{binary, start};

/// A login, an edit, a report and its approval, through the API.
async fn audited_history(app: &TestApp) {
    let planner = app.user("li", Role::Planner, None).await;
    let d: ProjectDetail = app.json("/api/projects/B09", &[]).await;
    let edit = json!({"reason": "核对", "remarks": "已核对"});
    let _: ProjectDetail = ok_json(
        planner
            .patch("/api/projects/B09", Some(&d.etag), &edit)
            .await,
        "edit",
    )
    .await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let report: Report = ok_json(
        owner
            .report(&own.code, &report_body("2026-06", "12.50"))
            .await,
        "report",
    )
    .await;
    let finance = app.user("qian", Role::Finance, None).await;
    let _: Report = ok_json(
        finance
            .post_if_match(
                &format!("/api/reports/{}/approve", report.id),
                &report.etag,
                &json!({}),
            )
            .await,
        "approve",
    )
    .await;
}

fn entries(app: &TestApp) -> Vec<AuditRow> {
    let pool = app.db();
    let mut conn = pool.get().expect("connection");
    AuditRow::all(&mut conn).expect("the trail")
}

/// Runs statements on the app's database, each of which must succeed.
fn run(app: &TestApp, statements: &[String]) {
    let pool = app.db();
    let mut conn = pool.get().expect("connection");
    for sql in statements {
        diesel::sql_query(sql)
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// What an attacker holding the database runs first: the append-only triggers of
/// migrations/*/2026-11-29-000002_accounts_reports_audit and their successors, dropped.
fn drop_triggers(app: &TestApp) -> Vec<String> {
    if app.database_url.starts_with("postgres") {
        vec!["DROP TRIGGER audit_log_no_update_or_delete ON audit_log".into()]
    } else {
        vec![
            "DROP TRIGGER audit_log_no_update".into(),
            "DROP TRIGGER audit_log_no_delete".into(),
        ]
    }
}

/// `keyproj audit verify` run as a user would: its status and what it printed.
fn verify_command(app: &TestApp, extra: &[&str]) -> (bool, String) {
    let out = Command::new(binary())
        .args(["audit", "verify", "--database-url", &app.database_url])
        .args(extra)
        .output()
        .expect("keyproj runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{stdout}{stderr}"
    );
    (out.status.success(), stdout)
}

/// A history written through the API, then the triggers dropped and `tamper`'s statements
/// run: answers the entries as they were before, and what `verify` finds after.
async fn tampered(
    tamper: impl FnOnce(&[AuditRow]) -> Vec<String>,
) -> (TestApp, Vec<AuditRow>, Verdict) {
    let app = spawn_app().await;
    audited_history(&app).await;
    let before = entries(&app);
    assert!(before.len() >= 8, "{}", before.len());
    assert!(
        verify_database(&app.database_url, None)
            .expect("verified")
            .is_intact()
    );
    let mut statements = drop_triggers(&app);
    statements.extend(tamper(&before));
    run(&app, &statements);
    let verdict = verify_database(&app.database_url, None).expect("verified");
    (app, before, verdict)
}

fn hash(r: &AuditRow) -> String {
    r.hash.clone().expect("sealed")
}

#[tokio::test]
async fn what_the_api_writes_is_one_chain_from_genesis_that_verify_accepts() {
    let app = spawn_app().await;
    audited_history(&app).await;
    let rows = entries(&app);
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        (1..=ids.len() as i32).collect::<Vec<_>>(),
        "ids follow the chain"
    );
    let mut prev = GENESIS.to_string();
    for r in &rows {
        assert_eq!(
            r.prev_hash.as_deref(),
            Some(prev.as_str()),
            "entry {}",
            r.id
        );
        assert_eq!(hash(r), seal(&r.content(), &prev), "entry {}", r.id);
        prev = hash(r);
    }
    let last = rows.last().expect("entries");
    assert_eq!(
        verify_database(&app.database_url, None).expect("verified"),
        Verdict::Intact {
            rows: rows.len() as u64,
            head: Some((last.id, hash(last))),
        }
    );
    let (ok, said) = verify_command(&app, &[]);
    assert!(ok, "{said}");
    assert!(
        said.starts_with(&format!("OK: {} audit entries", rows.len())),
        "{said}"
    );

    // with the triggers in place, not even a seal can be rewritten, nor an entry added unsealed
    let pool = app.db();
    let mut conn = pool.get().expect("connection");
    for (sql, refusal) in [
        (
            format!("UPDATE audit_log SET hash = '{GENESIS}' WHERE id = 1"),
            "append-only",
        ),
        (
            "UPDATE audit_log SET prev_hash = NULL, hash = NULL WHERE id = 1".to_string(),
            "append-only",
        ),
        (
            "INSERT INTO audit_log (id, at, username, role, entity, entity_id, action, request_id) \
             VALUES (9999, 'x', 'x', 'system', 'user', '1', 'create', 'r')"
                .to_string(),
            "inserted with prev_hash and hash",
        ),
    ] {
        let e = diesel::sql_query(&sql)
            .execute(&mut conn)
            .expect_err("refused by the database");
        assert!(e.to_string().contains(refusal), "{sql}: {e}");
    }
    assert_eq!(entries(&app).len(), rows.len());
}

/// Brings a new database up to the migration before the chain's, as a database made by an
/// earlier keyproj would be.
fn migrate_to_before_the_chain(url: &str) {
    fn before_chain<DB, C>(c: &mut C, source: EmbeddedMigrations)
    where
        DB: diesel::backend::Backend,
        C: MigrationHarness<DB>,
        EmbeddedMigrations: MigrationSource<DB>,
    {
        // on a new database every migration is pending, in order
        let all = c.pending_migrations(source).expect("the migrations");
        let chain = all
            .iter()
            .position(|m| m.name().to_string().ends_with("_audit_chain"))
            .expect("the chain's migration");
        c.run_migrations(&all[..chain])
            .expect("the migrations before it");
    }
    if !url.starts_with("postgres") {
        std::fs::File::create(url).expect("an empty SQLite file");
    }
    match &mut keyproj::db::open(url).expect("the database") {
        DbConnection::Sqlite(c) => before_chain(c, keyproj::db::SQLITE_MIGRATIONS),
        DbConnection::Postgres(c) => before_chain(c, keyproj::db::POSTGRES_MIGRATIONS),
    }
}

#[tokio::test]
async fn entries_from_before_the_chain_are_sealed_in_id_order_at_start_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(dir.path());
    migrate_to_before_the_chain(&url);
    {
        let mut conn = keyproj::db::open(&url).expect("the database");
        // ids with a gap, as PostgreSQL's sequence leaves after a rollback
        for id in [1, 2, 5] {
            diesel::sql_query(format!(
                "INSERT INTO audit_log (id, at, username, role, entity, entity_id, action, \
                 after_json, request_id) VALUES ({id}, '2026-11-30T08:00:0{id}Z', '(cli)', \
                 'system', 'user', '{id}', 'create', '{{\"n\":{id}}}', 'r{id}')"
            ))
            .execute(&mut conn)
            .expect("an old entry");
        }
    }

    // the first start migrates and seals them; a new entry then links to the newest
    let app = spawn_app_on(dir, url.clone(), None).await;
    app.add_user("li", Role::Planner, None).await;
    let rows = entries(&app);
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, [1, 2, 5, 6]);
    let mut prev = GENESIS.to_string();
    for r in &rows {
        assert_eq!(
            r.prev_hash.as_deref(),
            Some(prev.as_str()),
            "entry {}",
            r.id
        );
        assert_eq!(hash(r), seal(&r.content(), &prev), "entry {}", r.id);
        prev = hash(r);
    }
    assert_eq!(
        verify_database(&url, None).expect("verified"),
        Verdict::Intact {
            rows: 4,
            head: Some((6, prev)),
        }
    );
}

#[tokio::test]
async fn an_edited_entry_is_named_by_verify_as_a_content_mismatch() {
    let mut target = 0;
    let (_app, rows, verdict) = tampered(|rows| {
        target = rows.len() / 2;
        vec![format!(
            "UPDATE audit_log SET after_json = '{{\"remarks\":\"改过\"}}' WHERE id = {}",
            rows[target].id
        )]
    })
    .await;
    let Verdict::Broken(b) = verdict else {
        panic!("not caught: {verdict}")
    };
    assert_eq!((b.id, b.intact), (rows[target].id, target as u64), "{b:?}");
    assert!(
        matches!(&b.fault, Fault::Content { stored, .. } if *stored == hash(&rows[target])),
        "{b:?}"
    );
}

#[tokio::test]
async fn an_edited_entry_given_a_fresh_hash_is_caught_at_the_entry_after_it() {
    let mut target = 0;
    let mut forged = String::new();
    let (_app, rows, verdict) = tampered(|rows| {
        target = rows.len() / 2;
        let r = &rows[target];
        let after = r#"{"remarks":"改过"}"#;
        let mut content = r.content();
        content.after_json = Some(after);
        forged = seal(&content, r.prev_hash.as_deref().expect("sealed"));
        vec![format!(
            "UPDATE audit_log SET after_json = '{after}', hash = '{forged}' WHERE id = {}",
            r.id
        )]
    })
    .await;
    assert_eq!(
        verdict,
        Verdict::Broken(Break {
            id: rows[target + 1].id,
            previous_id: Some(rows[target].id),
            intact: target as u64 + 1,
            fault: Fault::Link {
                expected: forged,
                found: hash(&rows[target]),
            },
        })
    );
}

#[tokio::test]
async fn a_trail_rewritten_and_resealed_to_its_end_is_caught_only_against_an_anchor() {
    let mut anchor = None;
    let (app, rows, verdict) = tampered(|rows| {
        let last = rows.last().expect("entries");
        anchor = Some(Anchor {
            id: last.id,
            hash: hash(last),
        });
        // the attacker edits one entry and reseals it and every entry after it
        let target = rows.len() / 2;
        let after = r#"{"remarks":"改过"}"#;
        let mut prev = rows[target].prev_hash.clone().expect("sealed");
        let mut statements = Vec::new();
        for r in &rows[target..] {
            let mut content = r.content();
            if r.id == rows[target].id {
                content.after_json = Some(after);
            }
            let resealed = seal(&content, &prev);
            statements.push(format!(
                "UPDATE audit_log SET after_json = {}, prev_hash = '{prev}', hash = '{resealed}' \
                 WHERE id = {}",
                content.after_json.map_or("NULL".to_string(), |j| format!(
                    "'{}'",
                    j.replace('\'', "''")
                )),
                r.id
            ));
            prev = resealed;
        }
        statements
    })
    .await;
    let anchor = anchor.expect("an anchor");
    assert!(
        verdict.is_intact(),
        "the chain alone cannot tell: {verdict}"
    );
    let against = verify_database(&app.database_url, Some(&anchor)).expect("verified");
    let last = rows.last().expect("entries");
    assert!(
        matches!(&against, Verdict::Broken(Break { id, fault: Fault::Anchor { expected, .. }, .. })
            if *id == last.id && *expected == hash(last)),
        "{against}"
    );
    let (ok, said) = verify_command(
        &app,
        &["--anchor", &format!("{}:{}", anchor.id, anchor.hash)],
    );
    assert!(!ok, "{said}");
    assert!(
        said.starts_with(&format!("BROKEN at audit entry id {}: anchor", last.id)),
        "{said}"
    );
}

#[tokio::test]
async fn a_trail_cut_short_is_caught_against_an_anchor() {
    let mut anchor = None;
    let (app, rows, verdict) = tampered(|rows| {
        let last = rows.last().expect("entries");
        anchor = Some(Anchor {
            id: last.id,
            hash: hash(last),
        });
        let keep = rows[rows.len() - 3].id;
        vec![format!("DELETE FROM audit_log WHERE id > {keep}")]
    })
    .await;
    let anchor = anchor.expect("an anchor");
    assert!(
        verdict.is_intact(),
        "the chain alone cannot tell: {verdict}"
    );
    assert_eq!(
        verify_database(&app.database_url, Some(&anchor)).expect("verified"),
        Verdict::Broken(Break {
            id: anchor.id,
            previous_id: Some(rows[rows.len() - 3].id),
            intact: rows.len() as u64 - 2,
            fault: Fault::Missing,
        })
    );
}

#[tokio::test]
async fn a_deleted_entry_is_named_by_verify_at_the_entry_after_it_and_the_command_fails() {
    let mut target = 0;
    let (app, rows, verdict) = tampered(|rows| {
        target = rows.len() / 2;
        vec![format!(
            "DELETE FROM audit_log WHERE id = {}",
            rows[target].id
        )]
    })
    .await;
    assert_eq!(
        verdict,
        Verdict::Broken(Break {
            id: rows[target + 1].id,
            previous_id: Some(rows[target - 1].id),
            intact: target as u64,
            fault: Fault::Link {
                expected: hash(&rows[target - 1]),
                found: hash(&rows[target]),
            },
        })
    );
    let (ok, said) = verify_command(&app, &[]);
    assert!(!ok, "{said}");
    assert!(
        said.starts_with(&format!(
            "BROKEN at audit entry id {}: link",
            rows[target + 1].id
        )),
        "{said}"
    );
}

#[tokio::test]
async fn two_entries_swapped_are_named_by_verify_at_the_first_of_them() {
    let mut target = 0;
    let (_app, rows, verdict) = tampered(|rows| {
        target = rows.len() / 2;
        let (a, b) = (rows[target].id, rows[target + 1].id);
        vec![
            format!("UPDATE audit_log SET id = -1 WHERE id = {a}"),
            format!("UPDATE audit_log SET id = {a} WHERE id = {b}"),
            format!("UPDATE audit_log SET id = {b} WHERE id = -1"),
        ]
    })
    .await;
    assert_eq!(
        verdict,
        Verdict::Broken(Break {
            id: rows[target].id,
            previous_id: Some(rows[target - 1].id),
            intact: target as u64,
            fault: Fault::Link {
                expected: hash(&rows[target - 1]),
                found: hash(&rows[target]),
            },
        })
    );
}

#[tokio::test]
async fn two_servers_appending_at_once_leave_one_chain_without_a_fork() {
    const WRITERS: usize = 8;
    const EDITS: usize = 3;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(dir.path());
    let client = reqwest::Client::new();
    let (a, b) = tokio::join!(start(&url, &client), start(&url, &client));
    {
        let pool = keyproj::db::connect(&url, 1).expect("a pool");
        let mut conn = pool.get().expect("connection");
        for i in 0..WRITERS {
            keyproj::accounts::cli_add(
                &mut conn,
                &format!("planner{i}"),
                "planner",
                None,
                PASSWORD,
            )
            .expect("an account");
        }
    }
    let page: ProjectPage = ok_json(
        client
            .get(format!("{}/api/projects", a.address))
            .query(&[("per_page", "20")])
            .send()
            .await
            .expect("answered"),
        "projects",
    )
    .await;
    let Verdict::Intact { rows: before, .. } = verify_database(&url, None).expect("verified")
    else {
        panic!("the accounts' entries do not verify")
    };

    // each writer logs in, half of them on each server (one after another: logins in flight
    // from one address count against its throttle)…
    let mut sessions = Vec::new();
    for i in 0..WRITERS {
        let address = [&a.address, &b.address][i % 2];
        sessions.push(login_at(&client, address, &format!("planner{i}"), PASSWORD).await);
    }
    // …then all of them at once edit their own project a few times and log out
    let writers: Vec<_> = sessions
        .into_iter()
        .zip(&page.items[..WRITERS])
        .map(|(s, project)| {
            let path = format!("/api/projects/{}", project.code);
            tokio::spawn(async move {
                for round in 0..EDITS {
                    let d: ProjectDetail = s.json(&path).await;
                    let edit = json!({"reason": "并发核对", "remarks": format!("第{round}次")});
                    let _: ProjectDetail =
                        ok_json(s.patch(&path, Some(&d.etag), &edit).await, "edit").await;
                }
                let out = s.request(Method::DELETE, "/api/session").send().await;
                assert!(out.expect("answered").status().is_success());
            })
        })
        .collect();
    for w in writers {
        w.await.expect("a writer finished");
    }

    let verdict = verify_database(&url, None).expect("verified");
    let written = (WRITERS * (1 + EDITS + 1)) as u64;
    assert!(
        matches!(verdict, Verdict::Intact { rows, .. } if rows == before + written),
        "{verdict}"
    );
    // the walk from genesis met every entry there is: none hangs off a fork
    let pool = keyproj::db::connect(&url, 1).expect("a pool");
    let total = AuditRow::count(&mut pool.get().expect("connection")).expect("count");
    assert_eq!(total as u64, before + written);
}
