use keyproj_shared::Health;

use crate::helpers::{fresh_database, spawn_app, spawn_app_on};

#[tokio::test]
async fn healthz_reports_the_loaded_projects() {
    let app = spawn_app().await;
    let h: Health = app.json("/healthz", &[]).await;
    assert_eq!((h.status.as_str(), h.projects), ("ok", 87));
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

#[tokio::test]
async fn the_apps_files_go_out_compressed_as_the_browser_accepts_and_hashed_ones_are_cached_for_a_year()
 {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("dist");
    std::fs::create_dir_all(site.join("account")).expect("dist");
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>shell</title>",
    )
    .expect("index");
    // What the release build writes: the file, and its brotli and gzip copies.
    let wasm = "account/app-0123456789abcdef_bg.wasm";
    std::fs::write(site.join(wasm), "the file itself").expect("wasm");
    std::fs::write(site.join(format!("{wasm}.br")), "its brotli copy").expect("br");
    std::fs::write(site.join(format!("{wasm}.gz")), "its gzip copy").expect("gz");
    std::fs::write(site.join("plain.js"), "console.log('no copies, no hash');").expect("js");
    let db = fresh_database(dir.path());
    let app = spawn_app_on(dir, db, Some(&site)).await;
    let fetch = |path: &str, accept: Option<&str>| {
        let mut req = app.client.get(format!("{}{}", app.address, path));
        if let Some(a) = accept {
            req = req.header("Accept-Encoding", a);
        }
        async move { req.send().await.expect("an answer") }
    };
    let header = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().expect("ASCII").to_string())
    };

    for (accept, body, encoding) in [
        (Some("gzip, deflate, br, zstd"), "its brotli copy", "br"),
        (Some("gzip"), "its gzip copy", "gzip"),
        (Some("br;q=0, gzip;q=0.5"), "its gzip copy", "gzip"),
        (Some("zstd"), "the file itself", "identity"),
        (None, "the file itself", "identity"),
    ] {
        let res = fetch(&format!("/{wasm}"), accept).await;
        assert_eq!(res.status(), 200, "{accept:?}");
        assert_eq!(
            header(&res, "content-encoding").as_deref(),
            Some(encoding),
            "{accept:?}"
        );
        assert_eq!(
            header(&res, "content-type").as_deref(),
            Some("application/wasm")
        );
        assert_eq!(header(&res, "vary").as_deref(), Some("accept-encoding"));
        assert_eq!(
            header(&res, "cache-control").as_deref(),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(res.text().await.expect("body"), body, "{accept:?}");
    }

    // No copies, no hash in the name: compressed on the way, and revalidated.
    let res = fetch("/plain.js", Some("gzip")).await;
    assert_eq!(header(&res, "content-encoding").as_deref(), Some("gzip"));
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"));
    let bytes = res.bytes().await.expect("body");
    assert_eq!(bytes[..2], [0x1f, 0x8b], "gzip's magic number");

    // The shell names the release's files, so it is always revalidated.
    let res = fetch("/projects", None).await;
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"));
    // A file that is not there is not the shell either.
    let res = fetch("/account/gone-0123456789abcdef.js", Some("br")).await;
    assert_eq!(res.status(), 404);

    // Answers of the API are compressed too when the client accepts it.
    let res = fetch("/api/projects?per_page=100", Some("gzip")).await;
    assert_eq!(header(&res, "content-encoding").as_deref(), Some("gzip"));
    let gzipped = res.bytes().await.expect("body").len();
    let res = fetch("/api/projects?per_page=100", None).await;
    assert_eq!(header(&res, "content-encoding"), None);
    let plain = res.bytes().await.expect("body").len();
    assert!(gzipped * 3 < plain, "{gzipped} bytes gzip, {plain} plain");
}
