//! A page's HTML names the API reads the page makes at once (`<link rel="preload">`), for
//! its address and today's month; each is a read the API answers. The browser test
//! `preloads` checks that the app asks for exactly these. It also says whether the data is
//! the `--demo` sample.

use keyproj::clock;
use keyproj_shared::warning::previous_month;

use crate::helpers::{TestApp, fresh_database, spawn_app_configured};

const SHELL: &str =
    "<!doctype html><html><head><title>keyproj-test-shell</title></head><body></body></html>";

async fn app_with_shell() -> TestApp {
    app_with_shell_and(|_| {}).await
}

async fn app_with_shell_and(change: impl FnOnce(&mut keyproj::Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("dist");
    std::fs::create_dir_all(&site).expect("dist");
    std::fs::write(site.join("index.html"), SHELL).expect("index");
    let db = fresh_database(dir.path());
    spawn_app_configured(dir, db, Some(&site), change).await
}

/// The `href`s of the page's preload links, `&amp;` read back as `&`.
fn preloads(html: &str) -> Vec<String> {
    html.split(r#"<link rel="preload" as="fetch" crossorigin="anonymous" href=""#)
        .skip(1)
        .map(|rest| {
            rest.split('"')
                .next()
                .unwrap_or_default()
                .replace("&amp;", "&")
        })
        .collect()
}

async fn page(app: &TestApp, path: &str) -> Vec<String> {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    let html = res.text().await.expect("body");
    assert!(html.contains("keyproj-test-shell"), "{path}");
    preloads(&html)
}

/// The month the pages open on: the one before this month in China.
fn last_month() -> String {
    let today = clock::today_in_china(clock::now()).expect("a date in range");
    previous_month(today.period()).expect("a month").to_string()
}

#[tokio::test]
async fn the_dashboards_html_preloads_its_summaries_and_last_months_warning_counts() {
    let app = app_with_shell().await;
    let reads = page(&app, "/").await;
    let month = last_month();
    for expected in [
        "/api/summary?group_by=district".to_string(),
        "/api/summary?group_by=end_year".to_string(),
        "/api/reconciliation".to_string(),
        format!("/api/warnings?period={month}&level=red&per_page=1"),
    ] {
        assert!(reads.contains(&expected), "{expected} not in {reads:?}");
    }
}

#[tokio::test]
async fn every_address_a_public_page_preloads_is_a_read_the_api_answers() {
    let app = app_with_shell().await;
    let mut checked = 0;
    for path in [
        "/",
        "/projects?district=shaoshan&sort=-total_investment",
        "/projects/B09",
        "/schedule?category=B",
        "/budget?year=2023",
        "/warnings?level=red",
        "/evaluation",
    ] {
        let reads = page(&app, path).await;
        assert!(!reads.is_empty(), "{path}: {reads:?}");
        for read in reads {
            let res = app.get(&read).await;
            assert_eq!(res.status(), 200, "{path} preloads {read}");
            checked += 1;
        }
    }
    assert!(checked >= 18, "{checked}");
}

#[tokio::test]
async fn an_address_the_page_would_refuse_preloads_only_the_owner_names_and_a_signed_in_page_nothing()
 {
    let app = app_with_shell().await;
    assert_eq!(
        page(&app, "/projects?district=nowhere").await,
        ["/api/owners"]
    );
    assert_eq!(page(&app, "/budget?year=2019").await.len(), 3);
    assert!(page(&app, "/projects?per_page=100").await[0].starts_with("/api/projects?"));
    assert!(page(&app, "/review").await.is_empty());
}

#[tokio::test]
async fn the_same_page_on_the_same_day_is_revalidated_with_a_304() {
    let app = app_with_shell().await;
    let first = app.get("/projects/B09").await;
    let tag = first
        .headers()
        .get("etag")
        .expect("a tag")
        .to_str()
        .expect("ASCII")
        .to_string();
    let again = app
        .client
        .get(format!("{}/projects/B09", app.address))
        .header("If-None-Match", &tag)
        .send()
        .await
        .expect("answered");
    assert_eq!(again.status(), 304);
    // another address is another page
    let other = app
        .client
        .get(format!("{}/projects/B10", app.address))
        .header("If-None-Match", &tag)
        .send()
        .await
        .expect("answered");
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn the_html_says_whether_the_data_is_the_demo_sample() {
    for (demo, content) in [(false, "no"), (true, "yes")] {
        let app = app_with_shell_and(|s| s.demo = demo).await;
        let html = app.get("/projects").await.text().await.expect("body");
        let meta = format!(r#"<meta name="keyproj-sample" content="{content}">"#);
        assert!(html.contains(&meta), "--demo {demo}: {html}");
    }
}
