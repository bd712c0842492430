//! The workbook import benchmark: a 5,000-row 月报 workbook (the limit) written with
//! rust_xlsxwriter, then `POST /api/reports/import` of the `keyproj` binary timed from the
//! outside: the dry run, the real import (5,000 reports and their audit entries in one
//! transaction) and the replay of the same file, with the server's peak RSS (VmHWM) after
//! each. Prints figures; asserts only that the import did what it says.
//!
//! SQLite: `cargo bench -p keyproj-tests --bench import`; PostgreSQL: the same under
//! `bash scripts/with-postgres.sh`. The binary is `KEYPROJ_BIN` (default
//! target/release/keyproj).

use std::path::Path;
use std::time::{Duration, Instant};

use keyproj_shared::IMPORT_COLUMNS;
use keyproj_tests::{Server, add_user};
use rust_xlsxwriter::Workbook;

#[path = "support/database.rs"]
mod support;

const ROWS: usize = 5000;
const PASSWORD: &str = "bench-password-123";

fn binary() -> String {
    std::env::var("KEYPROJ_BIN")
        .unwrap_or_else(|_| format!("{}/../target/release/keyproj", env!("CARGO_MANIFEST_DIR")))
}

/// VmRSS and VmHWM (peak) of a process, in MiB.
fn memory_mib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// 5,000 rows: every project, month after month from 2021-01.
fn workbook(codes: &[String]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("月报").expect("name");
    for (c, col) in (0u16..).zip(IMPORT_COLUMNS) {
        sheet.write_string(0, c, col.header).expect("header");
    }
    let at = |field: &str| {
        IMPORT_COLUMNS
            .iter()
            .position(|c| c.field == field)
            .and_then(|i| u16::try_from(i).ok())
            .expect("a column")
    };
    let mut r = 1u32;
    'months: for month in 0..120 {
        for code in codes {
            if r as usize > ROWS {
                break 'months;
            }
            let period = format!("{}-{:02}", 2021 + month / 12, month % 12 + 1);
            sheet
                .write_string(r, at("project_code"), code)
                .expect("code");
            sheet
                .write_string(r, at("period"), &period)
                .expect("period");
            sheet
                .write_number(r, at("physical_progress_pct"), f64::from(month % 100))
                .expect("pct");
            sheet
                .write_number(r, at("investment_completed"), 1.25)
                .expect("money");
            sheet.write_string(r, at("status"), "在建").expect("status");
            sheet
                .write_string(r, at("progress_text"), "主体结构施工中，完成第三层浇筑")
                .expect("text");
            r += 1;
        }
    }
    book.save_to_buffer().expect("a workbook")
}

fn multipart(bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "keyprojBenchBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.xlsx\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, url) = support::database(dir.path(), "keyproj_import_bench");
    println!(
        "== keyproj import benchmark on {engine}: a {ROWS}-row workbook ({})",
        binary()
    );
    // the first start migrates and loads annex 1; the user is added to that database
    {
        let server = Server::start(Path::new(&binary()), &url, &[]);
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        while client
            .get(format!("{}/healthz", server.address))
            .send()
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    add_user(
        Path::new(&binary()),
        &url,
        ("bench_admin", "admin", None),
        PASSWORD,
    );
    let server = Server::start(Path::new(&binary()), &url, &[]);
    let base = server.address.clone();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let deadline = Instant::now() + Duration::from_secs(120);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let login = client
        .post(format!("{base}/api/session"))
        .header("x-requested-with", "bench")
        .json(&serde_json::json!({"username": "bench_admin", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200, "login");
    let page: serde_json::Value = client
        .get(format!("{base}/api/projects?per_page=100"))
        .send()
        .await
        .expect("projects")
        .json()
        .await
        .expect("json");
    let codes: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|p| p["code"].as_str().map(str::to_string))
        .collect();
    let started = Instant::now();
    let bytes = workbook(&codes);
    println!(
        "  workbook: {ROWS} rows, {} KiB, written in {:.2} s",
        bytes.len() / 1024,
        started.elapsed().as_secs_f64()
    );
    let (rss, _) = memory_mib(server.pid());
    println!("  server RSS before: {rss} MiB");
    for (label, dry_run, expected) in [
        ("dry run", true, 200),
        ("import", false, 201),
        ("same file again (replay)", false, 201),
    ] {
        let (content_type, body) = multipart(&bytes);
        let t = Instant::now();
        let res = client
            .post(format!("{base}/api/reports/import?dry_run={dry_run}"))
            .header("x-requested-with", "bench")
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("answered");
        let status = res.status().as_u16();
        let answer: serde_json::Value = res.json().await.expect("json");
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(status, expected, "{label}: {answer}");
        let (rss, peak) = memory_mib(server.pid());
        println!(
            "  {label:<26} {secs:>7.2} s  (new {}, rows {})  server RSS {rss} MiB, peak {peak} MiB",
            answer["new_reports"], answer["rows_total"]
        );
    }
}
