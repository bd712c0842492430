//! Reads while people log in: the release binary on the real 87 projects, two reads timed
//! alone and then during a burst of logins (32 clients, each logging in again and again with
//! the right password, each from its own address, told by `X-Forwarded-For` to a server that
//! trusts it, so that 32 argon2 hashes run at once). Passwords are hashed with no database
//! connection held, so a read should wait for the CPU, not for the pool. Prints figures;
//! asserts nothing.
//!
//! Run through `bash scripts/bench-logins.sh` (SQLite, then a throwaway PostgreSQL server).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use keyproj_tests::{Server, add_user, percentile};

#[path = "support/database.rs"]
mod support;

const CLIENTS: usize = 32;
const SAMPLES: usize = 400;
const PASSWORD: &str = "bench-password-123";

fn binary() -> String {
    std::env::var("KEYPROJ_BIN")
        .unwrap_or_else(|_| format!("{}/../target/release/keyproj", env!("CARGO_MANIFEST_DIR")))
}

/// p50 and p99 of `SAMPLES` sequential GETs of `url`, in ms, and how many failed.
async fn time_reads(client: &reqwest::Client, url: &str) -> (f64, f64, usize) {
    let mut times = Vec::with_capacity(SAMPLES);
    let mut failed = 0;
    for _ in 0..SAMPLES {
        let t = Instant::now();
        match client.get(url).send().await {
            Ok(r) if r.status().is_success() => {
                let _ = r.bytes().await;
            }
            _ => failed += 1,
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.99), failed)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, url) = support::database(dir.path(), "keyproj_logins");
    let bin = binary();
    // the first server start migrates and loads annex 1; accounts are added beside it
    let server = Server::start(Path::new(&bin), &url, &["--trust-proxy-headers"]);
    let base = server.address.clone();
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for i in 0..CLIENTS {
        add_user(
            Path::new(&bin),
            &url,
            (&format!("burst{i}"), "planner", None),
            PASSWORD,
        );
    }
    println!(
        "== reads during a login burst on {engine}: {CLIENTS} clients logging in again and again, {SAMPLES} reads each"
    );
    let reads = [
        ("GET /healthz", format!("{base}/healthz")),
        ("GET /api/projects/B09", format!("{base}/api/projects/B09")),
    ];
    for (label, url) in &reads {
        let (p50, p99, failed) = time_reads(&client, url).await;
        println!(
            "  alone         {label:<24} p50 {p50:>7.2} ms  p99 {p99:>7.2} ms  failed {failed}"
        );
    }

    let stop = Arc::new(AtomicBool::new(false));
    let (logins, refused) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..CLIENTS {
        let (stop, logins, refused) = (stop.clone(), logins.clone(), refused.clone());
        let (client, base) = (reqwest::Client::new(), base.clone());
        burst.spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let res = client
                    .post(format!("{base}/api/session"))
                    .header("x-requested-with", "bench")
                    .header("x-forwarded-for", format!("10.9.0.{i}"))
                    .json(
                        &serde_json::json!({"username": format!("burst{i}"), "password": PASSWORD}),
                    )
                    .send()
                    .await;
                match res.map(|r| r.status().as_u16()) {
                    Ok(200) => logins.fetch_add(1, Ordering::Relaxed),
                    _ => refused.fetch_add(1, Ordering::Relaxed),
                };
            }
        });
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    for (label, url) in &reads {
        let (p50, p99, failed) = time_reads(&client, url).await;
        println!(
            "  during burst  {label:<24} p50 {p50:>7.2} ms  p99 {p99:>7.2} ms  failed {failed}"
        );
    }
    let secs = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    while burst.join_next().await.is_some() {}
    println!(
        "  logins during the reads: {:.0}/s answered 200, {} not 200",
        logins.load(Ordering::Relaxed) as f64 / secs,
        refused.load(Ordering::Relaxed)
    );
    drop(server);
}
