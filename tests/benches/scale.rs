//! The scale benchmark of keyproj: 100,000 projects and 1,000,000 progress reports, spread
//! over districts, categories, years and states, then the HTTP API of the release binary
//! measured from the outside. Prints figures; asserts nothing.
//!
//! Run through `bash scripts/bench-scale.sh`, which builds the release binary and runs this
//! once on SQLite and once on a throwaway PostgreSQL server.

use std::path::Path;
use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use keyproj::db;
use keyproj_tests::{Server, percentile};

#[path = "support/pgbench.rs"]
mod pgbench;
#[path = "support/scale_data.rs"]
mod scale_data;
#[path = "support/database.rs"]
mod support;
#[path = "support/throughput.rs"]
mod throughput;
use scale_data::{PROJECTS, REPORTS, generate};

const SAMPLES: usize = 200;

fn binary() -> String {
    std::env::var("KEYPROJ_BIN")
        .unwrap_or_else(|_| format!("{}/../target/release/keyproj", env!("CARGO_MANIFEST_DIR")))
}

/// A server on `url`; with `kept`, its response cache on (the product's default), else off,
/// so that every answer is computed (the latencies below, and the "computed" throughputs).
fn start_server(url: &str, kept: bool) -> Server {
    let cache = if kept { "4096" } else { "0" };
    Server::start(
        Path::new(&binary()),
        url,
        &["--db-pool-size", "8", "--response-cache-entries", cache],
    )
}

fn add_user(url: &str, username: &str, role: &str, org: Option<&str>) {
    keyproj_tests::add_user(
        Path::new(&binary()),
        url,
        (username, role, org),
        "bench-password-123",
    );
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The peak resident set of a process since it started (`VmHWM`), in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The whole OC4IDS package, read as it streams: its size, time, and the server's resident
/// memory before and at its peak (first thing after start, so the peak is the export's).
async fn oc4ids_export(client: &reqwest::Client, base: &str, pid: u32) {
    let before = rss_kib(pid);
    let started = Instant::now();
    let mut res = client
        .get(format!("{base}/api/export/oc4ids.json"))
        .send()
        .await
        .expect("the OC4IDS export");
    assert!(res.status().is_success(), "OC4IDS export: {}", res.status());
    let (mut bytes, mut tail) = (0usize, Vec::new());
    while let Some(chunk) = res.chunk().await.expect("a chunk") {
        bytes += chunk.len();
        tail = chunk.to_vec();
    }
    let secs = started.elapsed().as_secs_f64();
    assert!(tail.ends_with(b"]}"), "the package is complete");
    println!(
        "  oc4ids export: {:.1} MB in {secs:.1} s, peak RSS {} MiB (RSS before {} MiB)",
        bytes as f64 / 1e6,
        peak_rss_kib(pid) / 1024,
        before / 1024
    );
}

async fn measure(
    client: &reqwest::Client,
    label: &str,
    mut request: impl FnMut(usize) -> reqwest::RequestBuilder,
) {
    for i in 0..10 {
        let _ = request(i).send().await;
    }
    let mut times = Vec::with_capacity(SAMPLES);
    let mut failures = 0;
    for i in 0..SAMPLES {
        let t = Instant::now();
        let ok = match request(10 + i).send().await {
            Ok(r) => {
                let ok = r.status().is_success();
                let _ = r.bytes().await;
                ok
            }
            Err(_) => false,
        };
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if !ok {
            failures += 1;
        }
    }
    let _ = client;
    times.sort_by(f64::total_cmp);
    println!(
        "  {label:<48} p50 {:>7.2} ms  p99 {:>7.2} ms{}",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        if failures > 0 {
            format!("  ({failures} failed)")
        } else {
            String::new()
        }
    );
}

/// Waits until the server answers.
async fn wait_for(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// On the real 87 projects of annex 1 (before the generated ones are added), as the issue
/// measured them (`wrk -t2 -c32`): the 韶山市 list by 总投资, one project, a search.
async fn real_plan(url: &str) {
    let secs = throughput::secs();
    let urls = [
        (
            "韶山市 list by 总投资",
            "/api/projects?district=shaoshan&sort=-total_investment",
        ),
        ("one project (B09)", "/api/projects/B09"),
        (
            "search 敬老院",
            "/api/projects?q=%E6%95%AC%E8%80%81%E9%99%A2",
        ),
    ];
    for kept in [false, true] {
        let server = start_server(url, kept);
        let base = server.address.clone();
        wait_for(&reqwest::Client::new(), &base).await;
        println!(
            "  on the real 87 projects (wrk -t2 -c32), {}:",
            if kept {
                "response cache on: answers kept per data version (steady state)"
            } else {
                "response cache off: every answer computed"
            }
        );
        let hello = throughput::wrk(&format!("{base}/api/hello"), 32, secs, None);
        throughput::print_ratio("hello-JSON", hello, hello);
        for (label, path) in urls {
            let rps = throughput::wrk(&format!("{base}{path}"), 32, secs, None);
            throughput::print_ratio(label, rps, hello);
        }
    }
}

/// The first pass over `paths` on a server whose cache holds none of them: all at once, each
/// answer computed (and kept); prints how long the pass took.
async fn first_pass(base: &str, paths: &[String]) {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut pass = tokio::task::JoinSet::new();
    for p in paths {
        let (client, u) = (client.clone(), format!("{base}{p}"));
        pass.spawn(async move { client.get(u).send().await.map(|r| r.status().as_u16()) });
    }
    let mut ok = 0;
    while let Some(r) = pass.join_next().await {
        ok += usize::from(matches!(r, Ok(Ok(200))));
    }
    let took = started.elapsed().as_secs_f64();
    println!(
        "  {:<56} {:>9.0} req/s ({} URLs at once, {ok} answered 200, in {:.2} s: each computed once)",
        "first pass of the 60, cache cold",
        paths.len() as f64 / took,
        paths.len(),
        took
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, url) = support::database(dir.path(), "keyproj_bench");
    println!("== keyproj scale benchmark on {engine}: {PROJECTS} projects, {REPORTS} reports");
    {
        let pool = db::connect(&url, 1).expect("database");
        let mut conn = pool.get().expect("connection");
        keyproj::seed::load(&mut conn).expect("annex 1");
    }
    if !matches!(
        std::env::var("KEYPROJ_BENCH_ONLY").as_deref(),
        Ok("oc4ids" | "owners")
    ) {
        real_plan(&url).await;
    }
    {
        let pool = db::connect(&url, 1).expect("database");
        let mut conn = pool.get().expect("connection");
        generate(&mut conn);
    }
    add_user(&url, "bench_admin", "admin", None);
    add_user(&url, "bench_owner", "owner", Some("基准单位7"));
    // the latencies below are of computed answers: a repeated URL would be a cache hit
    let server = start_server(&url, false);
    let base = server.address.clone();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    wait_for(&client, &base).await;

    // KEYPROJ_BENCH_SKIP=oc4ids leaves the export out (minutes on a debug build)
    if std::env::var("KEYPROJ_BENCH_SKIP").as_deref() != Ok("oc4ids") {
        oc4ids_export(&client, &base, server.pid()).await;
    }
    // KEYPROJ_BENCH_ONLY=oc4ids stops here: the export's figure alone
    if std::env::var("KEYPROJ_BENCH_ONLY").as_deref() == Ok("oc4ids") {
        return;
    }
    // the owner filter's choices (computed: this server keeps no answers), 1,000 names
    measure(&client, "owner names (/api/owners)", |_| {
        client.get(format!("{base}/api/owners"))
    })
    .await;
    // what the web app did for them before: the list 100 at a time, 1,000 pages (the first
    // page is the cheapest of them)
    measure(&client, "list, first page of 100 (unfiltered)", |_| {
        client.get(format!("{base}/api/projects?per_page=100"))
    })
    .await;
    // KEYPROJ_BENCH_ONLY=owners stops here: those figures alone
    if std::env::var("KEYPROJ_BENCH_ONLY").as_deref() == Ok("owners") {
        return;
    }

    let list =
        format!("{base}/api/projects?district=yuhu&category=B&sort=-total_investment&per_page=20");
    // KEYPROJ_BENCH_ONLY=throughput goes from here to the throughputs (hours of latencies
    // on a debug build are not what a cache change needs measured)
    if std::env::var("KEYPROJ_BENCH_ONLY").as_deref() != Ok("throughput") {
        let first_page: serde_json::Value = client
            .get(&list)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        let total = first_page["total"].as_u64().unwrap_or(1);
        let last_page = total.div_ceil(20);
        // the cursor of the last page, found by walking the cursors from page 1
        let started = Instant::now();
        let mut deep_cursor = String::new();
        let mut next = first_page["next_cursor"].as_str().map(str::to_string);
        let mut walked = 1;
        while let Some(cursor) = next {
            let page: serde_json::Value = client
                .get(&list)
                .query(&[("cursor", &cursor)])
                .send()
                .await
                .expect("cursor page")
                .json()
                .await
                .expect("json");
            next = page["next_cursor"].as_str().map(str::to_string);
            deep_cursor = cursor;
            walked += 1;
        }
        println!(
            "  (filtered list: {total} projects, {last_page} pages; walked all {walked} by cursor in {:.1} s)",
            started.elapsed().as_secs_f64()
        );
        measure(&client, "list district+category, sorted, page 1", |_| {
            client.get(&list)
        })
        .await;
        measure(
            &client,
            &format!("same, deep page {last_page} by cursor"),
            |_| client.get(&list).query(&[("cursor", &deep_cursor)]),
        )
        .await;
        measure(
            &client,
            &format!("same, deep page {last_page} by OFFSET"),
            |_| client.get(format!("{list}&page={last_page}")),
        )
        .await;
        // a common word (in one project name of eight) and a selective one (11 projects)
        measure(&client, "text search q=敬老院 (12% of projects)", |_| {
            client
                .get(format!("{base}/api/projects"))
                .query(&[("q", "敬老院")])
        })
        .await;
        measure(
            &client,
            "text search q=建设项目4242 (11 projects)",
            |_| {
                client
                    .get(format!("{base}/api/projects"))
                    .query(&[("q", "建设项目4242")])
            },
        )
        .await;
        measure(&client, "text search q=养老 (2 characters)", |_| {
            client
                .get(format!("{base}/api/projects"))
                .query(&[("q", "养老")])
        })
        .await;
        measure(&client, "summary by district", |_| {
            client.get(format!("{base}/api/summary?group_by=district"))
        })
        .await;
        measure(&client, "summary by category", |_| {
            client.get(format!("{base}/api/summary?group_by=category"))
        })
        .await;

        let login = |name: &str| {
            client
                .post(format!("{base}/api/session"))
                .header("X-Requested-With", "keyproj")
                .json(&serde_json::json!({"username": name, "password": "bench-password-123"}))
        };
        assert!(
            login("bench_admin")
                .send()
                .await
                .expect("login")
                .status()
                .is_success()
        );
        measure(&client, "project with its report history", |i| {
            client.get(format!(
                "{base}/api/projects/B{:06}/reports",
                101 + (i * 37) % 20_000
            ))
        })
        .await;
        assert!(
            login("bench_owner")
                .send()
                .await
                .expect("login")
                .status()
                .is_success()
        );
        // the owner's organisation (基准单位7) owns every project whose id is 7 modulo 1000
        let owned: Vec<String> = {
            let pool = db::connect(&url, 1).expect("database");
            let mut conn = pool.get().expect("connection");
            #[derive(diesel::QueryableByName)]
            struct Code {
                #[diesel(sql_type = diesel::sql_types::Text)]
                code: String,
            }
            diesel::sql_query("SELECT p.code FROM projects p JOIN project_owners po ON po.project_id = p.id JOIN organisations o ON o.id = po.organisation_id WHERE o.name = '基准单位7' ORDER BY p.id")
                .load::<Code>(&mut conn)
                .expect("owned projects")
                .into_iter()
                .map(|c| c.code)
                .collect()
        };
        measure(&client, "submit a report", |i| {
            client
                .post(format!(
                    "{base}/api/projects/{}/reports",
                    owned[i % owned.len()]
                ))
                .header("X-Requested-With", "keyproj")
                .json(&serde_json::json!({
                    "period": "2026-11", "physical_progress_pct": "50", "investment_completed": "10.00",
                    "social_investment_completed": "0.00", "status": "in_progress",
                    "progress_text": "基准", "problems_text": ""
                }))
        })
        .await;
    }

    let secs = throughput::secs();
    let hello = throughput::wrk(&format!("{base}/api/hello"), 64, secs, None);
    println!("  throughput at 64 connections (wrk -t2 -c64 -d{secs}s), response cache off:");
    throughput::print_ratio("hello-JSON", hello, hello);
    let one = throughput::wrk(&list, 64, secs, None);
    throughput::print_ratio("filtered list, one URL, computed", one, hello);
    let urls = throughput::list_urls(60);
    let rotating = throughput::wrk(&format!("{base}/api/projects"), 64, secs, Some(&urls));
    throughput::print_ratio(
        "filtered list, 60 filter combinations in turn, computed",
        rotating,
        hello,
    );
    if engine == "PostgreSQL" {
        // the database alone running the same statements for the same 60 URLs
        let scripts = pgbench::scripts(&url, &urls);
        let statements: usize = scripts.iter().map(|s| s.lines().count()).sum();
        let tps = pgbench::pgbench(&url, &scripts, 64, secs);
        match (rotating, tps) {
            (Some(r), Some(t)) => println!(
                "  pgbench, the same {statements} statements of the 60 URLs (-c64 -j2 -M extended): {t:.0} requests/s; keyproj (computed) reaches {:.1} % of it",
                100.0 * r / t
            ),
            _ => println!("  pgbench: not measured"),
        }
    }
    println!(
        "  server RSS after the run (cache off): {} MiB",
        rss_kib(server.pid()) / 1024
    );
    drop(server);

    // the product as it runs: answers kept per data version
    let server = start_server(&url, true);
    let base = server.address.clone();
    wait_for(&client, &base).await;
    println!("  the same, response cache on (answers kept per data version):");
    let hello = throughput::wrk(&format!("{base}/api/hello"), 64, secs, None);
    throughput::print_ratio("hello-JSON", hello, hello);
    first_pass(&base, &urls).await;
    let rotating = throughput::wrk(&format!("{base}/api/projects"), 64, secs, Some(&urls));
    throughput::print_ratio(
        "filtered list, 60 combinations in turn, steady state",
        rotating,
        hello,
    );
    let one = throughput::wrk(
        &format!("{base}/api/projects?district=yuhu&category=B&sort=-total_investment&per_page=20"),
        64,
        secs,
        None,
    );
    throughput::print_ratio("filtered list, one URL, steady state", one, hello);
    println!(
        "  server RSS after the run (cache on): {} MiB",
        rss_kib(server.pid()) / 1024
    );
}
