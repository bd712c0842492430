//! Two `keyproj` processes, the real binary, on one database: what a load balancer in front
//! of stateless servers does to a user, whose requests land on either.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use keyproj_shared::{ProjectDetail, Report, ReportList, ReportState, Role, SessionInfo};
use keyproj_tests::Server;
use reqwest::Method;

use crate::helpers::{PASSWORD, SHAOSHAN, Session, fresh_database, login_at, ok_json, report_body};

/// The binary `cargo build -p keyproj-backend --bin keyproj` makes, beside this test's own
/// executable (scripts/test.sh builds it first); `KEYPROJ_BIN` overrides.
pub(crate) fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("KEYPROJ_BIN") {
        return path.into();
    }
    let exe = std::env::current_exe().expect("the test executable");
    // target/<profile>/deps/api-<hash> → target/<profile>/keyproj
    let bin = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("a target directory")
        .join("keyproj");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p keyproj-backend --bin keyproj` first",
        bin.display()
    );
    bin
}

pub(crate) async fn start(database_url: &str, client: &reqwest::Client) -> Server {
    let server = Server::start(&binary(), database_url, &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client
            .get(format!("{}/healthz", server.address))
            .send()
            .await
            && r.status().is_success()
        {
            return server;
        }
        assert!(
            Instant::now() < deadline,
            "keyproj at {} never answered",
            server.address
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The same session, its requests sent to another server.
fn on(session: &Session, server: &Server) -> Session {
    Session {
        address: server.address.clone(),
        ..session.clone()
    }
}

#[tokio::test]
async fn a_user_logged_in_on_one_process_works_on_the_other_and_each_sees_the_others_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(dir.path());
    let client = reqwest::Client::new();
    let (a, b) = tokio::join!(start(&url, &client), start(&url, &client));
    {
        let pool = keyproj::db::connect(&url, 1).expect("a pool");
        let mut conn = pool.get().expect("connection");
        for (name, role, org) in [
            ("owner", Role::Owner, Some(SHAOSHAN)),
            ("finance", Role::Finance, None),
        ] {
            keyproj::accounts::cli_add(&mut conn, name, role.key(), org, PASSWORD)
                .expect("an account");
        }
    }
    let own = {
        let all: keyproj_shared::ProjectPage = ok_json(
            client
                .get(format!("{}/api/projects", a.address))
                .query(&[("owner", SHAOSHAN), ("per_page", "1")])
                .send()
                .await
                .expect("answered"),
            "projects",
        )
        .await;
        all.items[0].code.clone()
    };

    // logged in on A, the owner reports through B
    let owner_a = login_at(&client, &a.address, "owner", PASSWORD).await;
    let owner_b = on(&owner_a, &b);
    let me: SessionInfo = owner_b.json("/api/session").await;
    assert_eq!(me.user.username, "owner");
    let submitted: Report = ok_json(
        owner_b
            .report(&own, &report_body("2026-10", "321.00"))
            .await,
        "report via B",
    )
    .await;

    // A sees it at once, and a finance reviewer on A approves it
    let history: ReportList = owner_a.json(&format!("/api/projects/{own}/reports")).await;
    assert_eq!(history.items, vec![submitted.clone()]);
    let finance_a = login_at(&client, &a.address, "finance", PASSWORD).await;
    let approved: Report = ok_json(
        finance_a
            .post_if_match(
                &format!("/api/reports/{}/approve", submitted.id),
                &submitted.etag,
                &serde_json::json!({}),
            )
            .await,
        "approve via A",
    )
    .await;
    assert_eq!(approved.state, ReportState::Approved);

    // B serves the approved figure without a restart: neither process caches
    let detail: ProjectDetail = ok_json(
        client
            .get(format!("{}/api/projects/{own}", b.address))
            .send()
            .await
            .expect("answered"),
        "detail via B",
    )
    .await;
    let progress = detail.item.approved.expect("approved progress");
    assert_eq!(progress.investment_completed.to_string(), "321.00");

    // logging out through B ends the session on A too
    let out = owner_b
        .request(Method::DELETE, "/api/session")
        .send()
        .await
        .expect("answered");
    assert!(out.status().is_success(), "{}", out.status());
    assert_eq!(owner_a.get("/api/session").await.status(), 401);
}
