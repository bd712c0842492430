//! The response cache of the public reads (`routes::response_cache`) and the shared version
//! reads behind it (`db::VersionReads`), from the outside: a kept answer is the bytes an
//! uncached server gives, a hit runs no SQL, any write through another server makes the next
//! read fresh (also while other requests keep arriving), and the bound holds.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use keyproj::db::StatementCounter;
use keyproj_shared::{ProjectDetail, Report, Role};
use serde_json::json;

use crate::helpers::{
    SHAOSHAN, TestApp, content_type, ok_json, report_body, spawn_app_configured, spawn_app_with,
};
use crate::plans::{first, plan_body, put_plan};

/// One URL of each cached read, the list with several filters.
const CACHED: &[&str] = &[
    "/api/projects",
    "/api/projects?district=shaoshan&sort=-total_investment",
    "/api/projects?q=敬老院&per_page=5",
    "/api/projects?warning=none&district=shaoshan",
    "/api/projects/B09",
    "/api/summary?group_by=district",
    "/api/pivot?category=A",
    "/api/reconciliation",
    "/api/owners",
];

/// The statements of a kept answer: the read of the data version, nothing else (one request
/// at a time, so no other request shares that read).
const KEPT: u64 = 1;

/// A server with the cache whose statements are counted, and one without the cache on the
/// same database.
async fn cached_and_uncached() -> (TestApp, StatementCounter, TestApp) {
    let counter = StatementCounter::default();
    let c = counter.clone();
    let a = spawn_app_with(move |s| s.statement_counter = Some(c)).await;
    let b = uncached_on(&a).await;
    (a, counter, b)
}

async fn uncached_on(a: &TestApp) -> TestApp {
    spawn_app_configured(
        tempfile::tempdir().expect("temp dir"),
        a.database_url.clone(),
        None,
        |s| s.response_cache.entries = 0,
    )
    .await
}

/// The content type and body of a 200 to a GET of `url`, and the statements it ran: one
/// (the data version) when the answer was kept, more when it was computed.
async fn read(
    app: &TestApp,
    counter: Option<&StatementCounter>,
    url: &str,
) -> (String, Vec<u8>, u64) {
    let before = counter.map(StatementCounter::get);
    let res = app.get(url).await;
    let after = counter.map(StatementCounter::get);
    assert_eq!(res.status(), 200, "{url}");
    let ct = content_type(&res);
    let body = res.bytes().await.expect("a body").to_vec();
    (ct, body, after.unwrap_or(0) - before.unwrap_or(0))
}

#[tokio::test]
async fn a_cached_answer_is_the_same_bytes_as_an_uncached_one_and_runs_no_sql() {
    let (a, counter, b) = cached_and_uncached().await;
    for url in CACHED {
        let (ct, computed, n) = read(&a, Some(&counter), url).await;
        assert!(n > KEPT, "{url}: the first answer is computed");
        let (hit_ct, hit, n) = read(&a, Some(&counter), url).await;
        assert_eq!(n, KEPT, "{url}: the second answer is kept, not computed");
        let (plain_ct, plain, _) = read(&b, None, url).await;
        assert_eq!((&hit_ct, &ct), (&plain_ct, &plain_ct), "{url}");
        assert!(
            hit == plain && computed == plain,
            "{url}: not the same bytes"
        );
    }
    // the same path with another query is another answer
    let (_, _, n) = read(&a, Some(&counter), "/api/projects?district=shaoshan").await;
    assert!(n > KEPT);
}

#[tokio::test]
async fn every_kind_of_write_through_another_server_makes_the_next_read_fresh() {
    let (a, counter, b) = cached_and_uncached().await;
    let planner = b.user("li", Role::Planner, None).await;
    let owner = b.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = b.user("wang", Role::Finance, None).await;
    let (own, _) = b.projects_of(SHAOSHAN).await;
    let detail = format!("/api/projects/{}", own.code);
    let watched = [
        detail.clone(),
        "/api/projects?district=shaoshan".to_string(),
        "/api/summary?group_by=district".to_string(),
    ];
    // kept on a, then each write through b, then a's next answer is b's (uncached) one
    let check = |write: &'static str| {
        let (a, b, counter, watched) = (&a, &b, &counter, &watched);
        async move {
            for url in watched {
                let (_, fresh, n) = read(a, Some(counter), url).await;
                assert!(n > KEPT, "{url}: computed again after {write}");
                let (_, plain, _) = read(b, None, url).await;
                assert!(fresh == plain, "{url}: stale after {write}");
                let (_, kept, n) = read(a, Some(counter), url).await;
                assert!(
                    n == KEPT && kept == plain,
                    "{url}: kept again after {write}"
                );
            }
        }
    };
    check("nothing").await;

    let (_, before, _) = read(&a, None, &detail).await;
    let d: ProjectDetail = b.json(&detail, &[]).await;
    let res = planner
        .patch(
            &detail,
            Some(&d.etag),
            &json!({"reason": "核对", "remarks": "缓存已核对"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    check("edit").await;
    let (_, after, _) = read(&a, None, &detail).await;
    assert_ne!(before, after, "the edit shows");
    assert!(String::from_utf8_lossy(&after).contains("缓存已核对"));

    let r: Report = ok_json(
        owner
            .report(&own.code, &report_body("2024-03", "12.5"))
            .await,
        "submit",
    )
    .await;
    check("report submit").await;
    let res = finance
        .post_if_match(
            &format!("/api/reports/{}/approve", r.id),
            &r.etag,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    check("approval").await;

    let res = put_plan(
        &planner,
        &own.code,
        "2024",
        Some(&first(&own.code, 2024)),
        &plan_body("100"),
    )
    .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    check("plan change").await;
}

#[tokio::test]
async fn a_write_through_one_server_is_seen_by_the_others_next_request_under_load() {
    let a = spawn_app_with(|_| {}).await;
    let uncached = uncached_on(&a).await;
    let cached = spawn_app_configured(
        tempfile::tempdir().expect("temp dir"),
        a.database_url.clone(),
        None,
        |_| {},
    )
    .await;
    let planner = a.user("li", Role::Planner, None).await;
    let url = "/api/projects/B09";
    // other clients keep reading both servers while the writes happen, so that each
    // server's version reads are shared between requests
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = Vec::new();
    for k in 0..12 {
        let server = if k % 2 == 0 { &uncached } else { &cached };
        let (client, base, stop) = (server.client.clone(), server.address.clone(), stop.clone());
        let path = if k % 4 < 2 {
            url
        } else {
            "/api/projects?category=B"
        };
        load.push(tokio::spawn(async move {
            let mut n = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let res = client.get(format!("{base}{path}")).send().await;
                assert_eq!(res.expect("answered").status(), 200);
                n += 1;
            }
            n
        }));
    }
    for round in 0..8 {
        let remarks = format!("第{round}次核对");
        let d: ProjectDetail = a.json(url, &[]).await;
        let res = planner
            .patch(
                url,
                Some(&d.etag),
                &json!({"reason": "核对", "remarks": remarks}),
            )
            .await;
        assert_eq!(res.status(), 200);
        for other in [&uncached, &cached] {
            let seen: ProjectDetail = other.json(url, &[]).await;
            assert_eq!(
                seen.item.remarks.as_deref(),
                Some(remarks.as_str()),
                "round {round}: the next request sees the write"
            );
        }
    }
    stop.store(true, Ordering::Relaxed);
    let mut served = 0;
    for l in load {
        served += l.await.expect("the load ran");
    }
    assert!(
        served > 12,
        "the other clients were answered meanwhile ({served})"
    );
}

#[tokio::test]
async fn the_cache_keeps_no_more_answers_than_its_bound() {
    let counter = StatementCounter::default();
    let c = counter.clone();
    let app = spawn_app_with(move |s| {
        s.statement_counter = Some(c);
        s.response_cache.entries = 2;
    })
    .await;
    let urls = [
        "/api/projects/A01",
        "/api/projects/B09",
        "/api/projects/E01",
    ];
    for url in urls {
        assert!(read(&app, Some(&counter), url).await.2 > KEPT, "{url}");
    }
    let (_, _, n) = read(&app, Some(&counter), urls[2]).await;
    assert_eq!(n, KEPT, "the last answer is kept");
    let (_, _, n) = read(&app, Some(&counter), urls[0]).await;
    assert!(
        n > 0,
        "the least recently used of three went, with room for two"
    );
}

#[tokio::test]
async fn an_answer_over_an_eighth_of_the_bytes_bound_is_not_kept() {
    let counter = StatementCounter::default();
    let c = counter.clone();
    let app = spawn_app_with(move |s| {
        s.statement_counter = Some(c);
        s.response_cache.bytes = 8 * 1024;
    })
    .await;
    let (_, big, _) = read(&app, Some(&counter), "/api/projects?per_page=100").await;
    assert!(big.len() > 1024, "a list of 100 is over a kilobyte");
    let (_, _, n) = read(&app, Some(&counter), "/api/projects?per_page=100").await;
    assert!(n > KEPT, "computed again: too large to keep");
    let (_, small, _) = read(&app, Some(&counter), "/api/projects?q=没有这样的项目").await;
    assert!(small.len() < 1000, "{} bytes", small.len());
    let (_, _, n) = read(&app, Some(&counter), "/api/projects?q=没有这样的项目").await;
    assert_eq!(n, KEPT, "a small answer is kept");
}
