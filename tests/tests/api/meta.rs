use keyproj_shared::Health;

use crate::helpers::{fresh_database, spawn_app, spawn_app_on};

#[tokio::test]
async fn healthz_reports_the_loaded_projects() {
    let app = spawn_app().await;
    let h: Health = app.json("/healthz", &[]).await;
    assert_eq!((h.status.as_str(), h.projects), ("ok", 87));
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.json("/api/openapi.json", &[]).await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    for path in [
        "/api/projects",
        "/api/projects/{code}",
        "/api/summary",
        "/api/reconciliation",
        "/api/openapi.json",
        "/healthz",
        "/api/session",
        "/api/users",
        "/api/users/{id}",
        "/api/users/{id}/disable",
        "/api/projects/{code}/reports",
        "/api/reports",
        "/api/reports/{id}",
        "/api/reports/{id}/approve",
        "/api/reports/{id}/return",
        "/api/audit",
        "/api/projects/{code}/audit",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    let params = doc["paths"]["/api/projects"]["get"]["parameters"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["name"].as_str())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    for name in [
        "district",
        "category",
        "nature",
        "owner",
        "has_social",
        "q",
        "sort",
        "page",
        "per_page",
    ] {
        assert!(params.contains(&name), "{name} not documented");
    }
    assert!(doc["components"]["schemas"]["ProjectPage"].is_object());
}

#[tokio::test]
async fn the_app_is_served_at_root_and_its_routes_fall_back_to_index_html() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("dist");
    std::fs::create_dir_all(&site).expect("dist");
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>keyproj-test-shell</title>",
    )
    .expect("index");
    std::fs::write(site.join("app.js"), "console.log(1)").expect("asset");
    let db = fresh_database(dir.path());
    let app = spawn_app_on(dir, db, Some(&site)).await;
    for path in ["/", "/projects", "/projects/B09?district=shaoshan"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            res.text()
                .await
                .expect("body")
                .contains("keyproj-test-shell"),
            "{path}"
        );
    }
    let asset = app.get("/app.js").await;
    assert_eq!(asset.text().await.expect("body"), "console.log(1)");
    // API paths never fall back to the app
    assert_eq!(app.get("/api/unknown").await.status(), 404);
}

#[tokio::test]
async fn without_a_built_app_the_root_explains_how_to_reach_the_api() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("body").contains("/api/projects"));
}
