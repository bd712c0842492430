//! `/robots.txt` is a real robots file, not the app's index.html.

use crate::helpers::{content_type, fresh_database, spawn_app_on};

#[tokio::test]
async fn robots_txt_allows_the_public_pages_and_keeps_crawlers_out_of_the_api_and_the_account_pages()
 {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("dist");
    std::fs::create_dir_all(&site).expect("a site folder");
    std::fs::write(site.join("index.html"), "<!doctype html><title>app</title>").expect("index");
    let url = fresh_database(dir.path());
    let app = spawn_app_on(dir, url, Some(&site)).await;
    // the app's own pages are index.html here, robots.txt is not
    let page = app.get("/projects").await;
    assert!(content_type(&page).starts_with("text/html"));
    let res = app.get("/robots.txt").await;
    assert_eq!(res.status(), 200);
    assert!(
        content_type(&res).starts_with("text/plain"),
        "{}",
        content_type(&res)
    );
    let text = res.text().await.expect("a body");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "User-agent: *", "{text}");
    for rule in [
        "Allow: /",
        "Disallow: /api/",
        "Disallow: /account/",
        "Disallow: /login",
        "Disallow: /review",
    ] {
        assert!(lines.contains(&rule), "{rule} missing from {text}");
    }
    for public in ["/projects", "/schedule", "/budget"] {
        assert!(
            !lines.contains(&format!("Disallow: {public}").as_str()),
            "{text}"
        );
    }
}
