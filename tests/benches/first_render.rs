//! Time to the dashboard's first data in headless Chromium on loopback, as the app itself
//! marks it (`performance.mark("keyproj-first-data")`). Prints figures; asserts nothing.
//! Run through scripts/bench-frontend.sh, which builds the release bundle first.

#[path = "../tests/browser/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../tests/api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

/// Timings are of the server itself, with nothing in between.
const CHECK_EVERY_ANSWER: bool = false;

use keyproj_tests::percentile;

const RUNS: usize = 15;

const READ_MARK: &str = r#"
const m = performance.getEntriesByName("keyproj-first-data")[0];
const nav = performance.getEntriesByType("navigation")[0];
return m ? [m.startTime, nav ? nav.responseEnd : 0] : null;
"#;

#[tokio::main]
async fn main() {
    let s = harness::start().await;
    let mut times = Vec::with_capacity(RUNS);
    let mut first = None;
    for run in 0..RUNS {
        s.open("/").await;
        s.wait_for("[data-testid=kpi-count]").await;
        let mut mark = serde_json::Value::Null;
        for _ in 0..100 {
            mark = s.client.execute(READ_MARK, vec![]).await.expect("script");
            if !mark.is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let t = mark[0].as_f64().expect("the app sets keyproj-first-data");
        if run == 0 {
            first = Some(t);
        } else {
            times.push(t);
        }
    }
    times.sort_by(f64::total_cmp);
    println!("dashboard first data drawn (ms after navigation start), headless Chromium, loopback");
    println!(
        "  cold (first load, empty cache): {:.1}",
        first.unwrap_or(f64::NAN)
    );
    println!(
        "  warm over {} loads: min {:.1}  median {:.1}  p90 {:.1}  max {:.1}",
        times.len(),
        times[0],
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        times[times.len() - 1]
    );
    s.close().await;
}
