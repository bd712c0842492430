//! The warnings at scale (issue 12 §8): the scale data (100,000 projects, 1,000,000 reports)
//! plus 500,000 annual plans (one per project for each of 2021-2025), then from the outside,
//! on the server binary: one month's warnings (a filtered page), the colour counts by
//! district, and a plan update followed by the read that re-judges what it changed. Prints
//! p50/p99; asserts only that the answers are answers.
//!
//! Run through `bash scripts/bench-warnings.sh` (release binary, SQLite then PostgreSQL).

use std::path::Path;
use std::time::{Duration, Instant};

use keyproj::db::{self, DbConnection};
use keyproj_tests::{Server, percentile};

#[path = "support/scale_data.rs"]
mod scale_data;
#[path = "support/database.rs"]
mod support;
use scale_data::{BATCH, PROJECTS, REPORTS, Rng, exec, generate, scalar};

const YEARS: std::ops::RangeInclusive<i32> = 2021..=2025;
const SAMPLES: usize = 200;
/// The data's last month of reports (scale_data: 2021-01 to 2021-10), so that 本年完成投资 and
/// the investment lag can be computed where a plan gives a baseline.
const PERIOD: &str = "2021-10";
/// The plans the update revises: the measured month's year.
const REVISED: i32 = 2021;

/// One current plan per project and year: 年度计划投资 a tenth of 总投资 (so five years stay
/// within it), a quarter of them with a planned 开工 in March, a few with a baseline.
fn generate_plans(conn: &mut DbConnection) {
    let started = Instant::now();
    let mut rng = Rng(0x9a11_5eed_0000_0001);
    let first: i64 = scalar(
        conn,
        "SELECT CAST(MIN(id) AS BIGINT) AS v FROM projects WHERE district_note = '基准数据'",
    );
    let admin: i64 = scalar(
        conn,
        "SELECT CAST(MIN(id) AS BIGINT) AS v FROM users WHERE username = 'bench_admin'",
    );
    let totals: Vec<i64> = {
        #[derive(diesel::QueryableByName)]
        struct T {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            t: i64,
        }
        use diesel::RunQueryDsl;
        diesel::sql_query(
            "SELECT total_investment_cents AS t FROM projects WHERE district_note = '基准数据' ORDER BY id",
        )
        .load::<T>(conn)
        .expect("totals")
        .into_iter()
        .map(|r| r.t)
        .collect()
    };
    exec(conn, "BEGIN");
    let mut rows = Vec::with_capacity(BATCH);
    for (i, total) in totals.iter().enumerate() {
        for year in YEARS {
            let planned = total / 10;
            let milestones = if rng.below(4) == 0 {
                format!(r#"[{{"kind":"start","name":"开工","month":"{year}-03"}}]"#)
            } else {
                "[]".to_string()
            };
            let baseline = if rng.below(10) == 0 {
                (planned / 2).to_string()
            } else {
                "NULL".to_string()
            };
            rows.push(format!(
                "({project},{year},1,{planned},0,NULL,'基准年度计划',{baseline},'{milestones}',NULL,'基准',NULL,{admin},'bench_admin','2026-01-01T00:00:00.000Z')",
                project = first + i as i64,
            ));
            if rows.len() == BATCH {
                insert_plans(conn, &rows);
                rows.clear();
            }
        }
    }
    if !rows.is_empty() {
        insert_plans(conn, &rows);
    }
    exec(conn, "COMMIT");
    match conn {
        DbConnection::Postgres(_) => exec(conn, "VACUUM ANALYZE plan_revisions"),
        DbConnection::Sqlite(_) => exec(conn, "ANALYZE"),
    }
    println!(
        "  generated {} annual plans in {:.1} s",
        totals.len() * YEARS.count(),
        started.elapsed().as_secs_f64()
    );
}

fn insert_plans(conn: &mut DbConnection, rows: &[String]) {
    exec(
        conn,
        &format!(
            "INSERT INTO plan_revisions (project_id, year, version, planned_investment_cents, social_investment_cents, \
             target_progress_bp, content, baseline_completed_cents, milestones_json, breakdown_json, reason, \
             over_total_reason, created_by, created_by_name, created_at) VALUES {}",
            rows.join(",")
        ),
    );
}

fn binary() -> String {
    std::env::var("KEYPROJ_BIN")
        .unwrap_or_else(|_| format!("{}/../target/release/keyproj", env!("CARGO_MANIFEST_DIR")))
}

fn line(label: &str, times: &mut [f64], failures: usize) {
    times.sort_by(f64::total_cmp);
    println!(
        "  {label:<58} p50 {:>8.2} ms  p99 {:>8.2} ms{}",
        percentile(times, 0.5),
        percentile(times, 0.99),
        if failures > 0 {
            format!("  ({failures} failed)")
        } else {
            String::new()
        }
    );
}

/// Times `SAMPLES` requests after 5 unmeasured ones.
async fn measure(label: &str, mut request: impl FnMut(usize) -> reqwest::RequestBuilder) {
    for i in 0..5 {
        let _ = request(i).send().await;
    }
    let (mut times, mut failures) = (Vec::with_capacity(SAMPLES), 0);
    for i in 0..SAMPLES {
        let t = Instant::now();
        match request(5 + i).send().await {
            Ok(r) if r.status().is_success() => {
                let _ = r.bytes().await;
            }
            _ => failures += 1,
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    line(label, &mut times, failures);
}

/// Projects whose span holds `REVISED`, so that year's plan may be revised.
fn revisable(url: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Code {
        #[diesel(sql_type = diesel::sql_types::Text)]
        code: String,
    }
    use diesel::RunQueryDsl;
    let pool = db::connect(url, 1).expect("database");
    let mut conn = pool.get().expect("connection");
    diesel::sql_query(
        format!(
            "SELECT code FROM projects WHERE district_note = '基准数据' AND start_earliest_year <= {REVISED} \
             AND end_latest_year >= {REVISED} ORDER BY id LIMIT 400"
        ),
    )
    .load::<Code>(&mut conn)
    .expect("codes")
    .into_iter()
    .map(|c| c.code)
    .collect()
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, url) = support::database(dir.path(), "keyproj_warnbench");
    println!(
        "== keyproj warnings benchmark on {engine}: {PROJECTS} projects, {REPORTS} reports, {} plans",
        PROJECTS * YEARS.count()
    );
    {
        let pool = db::connect(&url, 1).expect("database");
        let mut conn = pool.get().expect("connection");
        keyproj::seed::load(&mut conn).expect("annex 1");
        generate(&mut conn);
    }
    keyproj_tests::add_user(
        Path::new(&binary()),
        &url,
        ("bench_admin", "admin", None),
        "bench-password-123",
    );
    {
        let pool = db::connect(&url, 1).expect("database");
        let mut conn = pool.get().expect("connection");
        generate_plans(&mut conn);
    }
    // answers computed, not kept: the list by colour would otherwise repeat one kept answer
    let server = Server::start(
        Path::new(&binary()),
        &url,
        &["--db-pool-size", "8", "--response-cache-entries", "0"],
    );
    let base = server.address.clone();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let summary = format!("{base}/api/warnings/summary?period={PERIOD}");
    let started = Instant::now();
    let first: serde_json::Value = client
        .get(&summary)
        .send()
        .await
        .expect("summary")
        .json()
        .await
        .expect("json");
    println!(
        "  first read of {PERIOD}: every project judged in {:.2} s (red {}, yellow {}, green {}, none {})",
        started.elapsed().as_secs_f64(),
        first["total"]["red"],
        first["total"]["yellow"],
        first["total"]["green"],
        first["total"]["none"],
    );

    let list = format!(
        "{base}/api/warnings?period={PERIOD}&district=yuhu&category=B&level=red&per_page=50"
    );
    let page: serde_json::Value = client
        .get(&list)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let pages = page["total"].as_u64().unwrap_or(0).div_ceil(50).max(1);
    println!(
        "  (filtered list: {} red warnings, {pages} pages)",
        page["total"]
    );
    measure(
        &format!("warnings {PERIOD}, district+category+level, a page"),
        |i| client.get(format!("{list}&page={}", 1 + (i as u64 * 7) % pages)),
    )
    .await;
    measure(&format!("colour counts by district, {PERIOD}"), |_| {
        client.get(&summary)
    })
    .await;
    measure(
        "project list warning=red, district+category, page 1",
        |_| {
            client.get(format!(
                "{base}/api/projects?warning=red&period={PERIOD}&district=yuhu&category=B"
            ))
        },
    )
    .await;

    let res = client
        .post(format!("{base}/api/session"))
        .header("X-Requested-With", "keyproj")
        .json(&serde_json::json!({"username": "bench_admin", "password": "bench-password-123"}))
        .send()
        .await
        .expect("login");
    assert!(res.status().is_success(), "login: {}", res.status());
    plan_grid(&client, &base).await;
    let codes = revisable(&url);
    let (mut put_times, mut pair_times, mut failures) = (Vec::new(), Vec::new(), 0);
    for (i, code) in codes.iter().enumerate().take(SAMPLES + 5) {
        let body = serde_json::json!({
            "reason": "基准：年中调整",
            "planned_investment": "1.00",
            "social_investment": "0",
            "target_progress_pct": "50",
            "content": "基准年度计划",
            "milestones": [],
        });
        let t = Instant::now();
        let put = client
            .put(format!("{base}/api/projects/{code}/plans/{REVISED}"))
            .header("X-Requested-With", "keyproj")
            .header("If-Match", format!("\"plan-{code}-{REVISED}-v1\""))
            .json(&body)
            .send()
            .await;
        let put_ms = t.elapsed().as_secs_f64() * 1000.0;
        let ok = match put {
            Ok(r) if r.status().is_success() => true,
            Ok(r) => {
                if failures == 0 {
                    eprintln!(
                        "  plan update: {} {}",
                        r.status(),
                        r.text().await.unwrap_or_default()
                    );
                }
                false
            }
            Err(_) => false,
        };
        let read = client.get(&summary).send().await;
        let read_ok = matches!(&read, Ok(r) if r.status().is_success());
        if let Ok(r) = read {
            let _ = r.bytes().await;
        }
        if i < 5 {
            continue;
        }
        if !(ok && read_ok) {
            failures += 1;
        }
        put_times.push(put_ms);
        pair_times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    line("plan update (PUT) alone", &mut put_times, failures);
    line(
        "plan update + the read that re-judges it (summary)",
        &mut pair_times,
        failures,
    );
    println!(
        "  server RSS after the run: {} MiB",
        std::fs::read_to_string(format!("/proc/{}/status", server.pid()))
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    );
}

/// The 年度计划 grid (`GET /api/plans?year=`, signed in): pages of 100 spread over every
/// project of the year, and a filtered first page.
async fn plan_grid(client: &reqwest::Client, base: &str) {
    let grid = format!("{base}/api/plans?year={REVISED}&per_page=100");
    let first: serde_json::Value = client
        .get(&grid)
        .send()
        .await
        .expect("grid")
        .json()
        .await
        .expect("json");
    let pages = first["total"].as_u64().unwrap_or(0).div_ceil(100).max(1);
    println!(
        "  (年度计划 grid {REVISED}: {} projects, {pages} pages)",
        first["total"]
    );
    measure(
        &format!("年度计划 grid {REVISED}, a page of 100"),
        |i| client.get(format!("{grid}&page={}", 1 + (i as u64 * 97) % pages)),
    )
    .await;
    measure(
        &format!("年度计划 grid {REVISED}, district+category, page 1"),
        |_| client.get(format!("{grid}&district=yuhu&category=B")),
    )
    .await;
}
