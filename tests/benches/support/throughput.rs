//! Throughput with wrk (Debian package `wrk`), as a share of hello-JSON (`/api/hello`: no
//! database) on the same server: one URL, or a rotating set of list URLs through a wrk Lua
//! script, so that no single answer stays in a cache.

use std::process::Command;

/// Districts, categories and sorts the rotating set combines (keys as the API takes them).
const DISTRICTS: [&str; 10] = [
    "",
    "municipal",
    "yuhu",
    "yuetang",
    "xiangtan_county",
    "xiangxiang",
    "shaoshan",
    "high_tech_zone",
    "economic_zone",
    "unassigned",
];
const CATEGORIES: [&str; 6] = ["", "A", "B", "C", "D", "E"];
const SORTS: [&str; 5] = [
    "code",
    "-total_investment",
    "name",
    "-planned_investment",
    "start",
];

/// `n` different list URLs (paths with their query): every district with every category
/// first, then sorts, social investment, status and years varied along.
pub fn list_urls(n: usize) -> Vec<String> {
    (0..n)
        .map(|k| {
            let mut q = vec![format!("sort={}", SORTS[k % SORTS.len()])];
            let district = DISTRICTS[k % DISTRICTS.len()];
            let category = CATEGORIES[(k / DISTRICTS.len()) % CATEGORIES.len()];
            if !district.is_empty() {
                q.push(format!("district={district}"));
            }
            if !category.is_empty() {
                q.push(format!("category={category}"));
            }
            if k % 4 == 3 {
                q.push("has_social=true".into());
            }
            if k % 7 == 5 {
                q.push("status=in_progress".into());
            }
            if k % 6 == 2 {
                q.push("start_year_from=2022".into());
            }
            format!("/api/projects?{}", q.join("&"))
        })
        .collect()
}

/// Requests per second of `wrk -t2 -c<connections> -d<secs>s` on `url`, cycling through
/// `paths` (on `url`'s server) when given; `None` without wrk.
pub fn wrk(url: &str, connections: u32, secs: u32, paths: Option<&[String]>) -> Option<f64> {
    let script = paths.map(|paths| {
        let listed: Vec<String> = paths.iter().map(|p| format!("  {p:?},")).collect();
        let lua = format!(
            "local paths = {{\n{}\n}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n",
            listed.join("\n")
        );
        let file = tempfile::Builder::new()
            .suffix(".lua")
            .tempfile()
            .expect("a temp file");
        std::fs::write(file.path(), lua).expect("the wrk script");
        file
    });
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{secs}s"),
        "--latency",
    ]);
    if let Some(s) = &script {
        cmd.arg("-s").arg(s.path());
    }
    let out = cmd.arg(url).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let non_2xx = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .map(|v| v.trim().to_string());
    if let Some(n) = non_2xx {
        println!("  (wrk on {url}: {n} answers were not 2xx)");
    }
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
}

/// Seconds per wrk run: `KEYPROJ_BENCH_SECS`, default 8.
pub fn secs() -> u32 {
    std::env::var("KEYPROJ_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8)
}

/// Prints `label`'s throughput and its share of `hello`.
pub fn print_ratio(label: &str, rps: Option<f64>, hello: Option<f64>) {
    match (rps, hello) {
        (Some(r), Some(h)) => println!(
            "  {label:<56} {r:>9.0} req/s = {:>5.1} % of hello-JSON ({h:.0} req/s)",
            100.0 * r / h
        ),
        _ => println!("  {label}: wrk not found (Debian package wrk)"),
    }
}
