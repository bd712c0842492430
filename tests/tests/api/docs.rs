//! The docs: the written district rule, the OpenAPI document and the interactive API docs.

use std::collections::BTreeSet;
use std::path::PathBuf;

use keyproj_shared::UNASSIGNED_LABEL;
use reqwest::Method;

use crate::helpers::{all_projects, content_type, spawn_app};

#[tokio::test]
async fn the_district_table_in_the_docs_is_what_the_api_serves() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/district-rule.md");
    let doc = std::fs::read_to_string(&path).expect("docs/district-rule.md");
    let documented: Vec<(String, String, String)> = doc
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            // | code | name | district | basis |
            let code = cells.get(1)?;
            let is_code = code.len() == 3 && code.starts_with(|c: char| c.is_ascii_uppercase());
            is_code.then(|| (code.to_string(), cells[2].to_string(), cells[3].to_string()))
        })
        .collect();
    let app = spawn_app().await;
    let served: Vec<(String, String, String)> = all_projects(&app)
        .await
        .into_iter()
        .map(|i| {
            let district = i.district.map_or(UNASSIGNED_LABEL, |d| d.label());
            (i.code, i.name, district.to_string())
        })
        .collect();
    assert_eq!(documented, served);
}

pub const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Every (METHOD, path) an OpenAPI document describes.
pub fn operations(doc: &serde_json::Value) -> BTreeSet<(String, String)> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| (m.to_uppercase(), path.clone()))
        })
        .collect()
}

/// A route's path as the document writes it: `{id:\\d+}` is `{id}`.
fn without_patterns(path: &str) -> String {
    path.split('/')
        .map(|seg| match seg.split_once(':') {
            Some((name, _)) if seg.starts_with('{') => format!("{name}}}"),
            _ => seg.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A documented path with its parameters filled in.
pub fn concrete(path: &str) -> String {
    path.replace("{code}", "A01").replace("{id}", "1")
}

/// What the route table says, with no hand list: the served document is the one the
/// table collects; each operation in it reaches its handler, and no other method on its
/// path does; each route macro in the handlers' source is in it, once.
#[tokio::test]
async fn the_openapi_document_describes_every_route_the_router_has_and_no_other() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.json("/api/openapi.json", &[]).await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let table = serde_json::to_value(keyproj::routes::openapi()).expect("a document");
    assert_eq!(doc, table, "the served document is the route table's");
    let ops = operations(&doc);
    let ids: Vec<&str> = ops
        .iter()
        .filter_map(|(m, p)| doc["paths"][p][m.to_lowercase()]["operationId"].as_str())
        .collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ops.len(),
        "each operation has its own id: {ids:?}"
    );
    // what the hand list used to miss, among others
    for (m, p) in [
        ("GET", "/api/pivot"),
        ("GET", "/api/export/projects.csv"),
        ("GET", "/api/export/projects.xlsx"),
        ("POST", "/api/users/{id}/enable"),
        ("GET", "/healthz"),
    ] {
        assert!(ops.contains(&(m.into(), p.into())), "{m} {p} missing");
    }
    let not_routed = |status: u16, body: &str| status == 404 && body.contains("没有这个接口");
    for path in ops.iter().map(|(_, p)| p).collect::<BTreeSet<_>>() {
        let mut declared: BTreeSet<String> = ops
            .iter()
            .filter(|(_, p)| p == path)
            .map(|(m, _)| m.clone())
            .collect();
        // HEAD is answered wherever GET is (RFC 9110), so Allow names it too
        if declared.contains("GET") {
            declared.insert("HEAD".to_string());
        }
        for m in METHODS.into_iter().chain(["trace"]) {
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).expect("a method");
            // no session: nothing changes, and a handler still answers (401, 422, 200…)
            let res = app
                .client
                .request(method.clone(), format!("{}{}", app.address, concrete(path)))
                .header("x-requested-with", "keyproj")
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .expect("answered");
            let status = res.status().as_u16();
            let allow: BTreeSet<String> = res
                .headers()
                .get("allow")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .split(',')
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect();
            let ct = content_type(&res);
            let body = res.text().await.expect("a body");
            let documented = ops.contains(&(m.to_uppercase(), path.clone()));
            if documented {
                assert!(
                    !not_routed(status, &body),
                    "{method} {path}: {status} {body}"
                );
            } else if path.starts_with("/api/") {
                // the method is refused by the document's own list of the path's methods
                assert_eq!(status, 405, "{method} {path} answers undocumented: {body}");
                assert_eq!(ct, "application/problem+json", "{method} {path}: {body}");
                assert_eq!(allow, declared, "{method} {path}: Allow");
            }
        }
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../backend/src/routes");
    let mut macros = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the routes folder") {
        let text = std::fs::read_to_string(entry.expect("an entry").path()).expect("a file");
        for line in text.lines().map(str::trim) {
            for m in METHODS {
                if let Some(rest) = line.strip_prefix(&format!("#[{m}(\"")) {
                    let path = rest.split('"').next().unwrap_or_default();
                    macros.push((m.to_uppercase(), without_patterns(path)));
                }
            }
        }
    }
    assert_eq!(
        macros.len(),
        ops.len(),
        "handlers {macros:?}\ndocumented {ops:?}"
    );
    for (m, p) in &macros {
        let found = ops
            .iter()
            .filter(|(dm, dp)| dm == m && (dp == p || *dp == format!("/api{p}")))
            .count();
        assert_eq!(
            found, 1,
            "the handler for {m} {p} is not in the document once"
        );
    }
}

#[tokio::test]
async fn the_document_keeps_its_parameters_and_schemas() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.json("/api/openapi.json", &[]).await;
    assert!(
        doc["info"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("X-Requested-With") && d.contains("If-Match"))
    );
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
    // the CSRF rule: a header every write requires, and no read
    let scheme = &doc["components"]["securitySchemes"]["same_origin"];
    assert_eq!(
        (&scheme["type"], &scheme["in"], &scheme["name"]),
        (
            &"apiKey".into(),
            &"header".into(),
            &"X-Requested-With".into()
        )
    );
    for (m, p) in operations(&doc) {
        let security = &doc["paths"][&p][m.to_lowercase()]["security"];
        let required = security
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("same_origin").is_some()));
        assert_eq!(required, m != "GET", "{m} {p}: {security}");
    }
    assert_eq!(
        doc["paths"]["/api/projects/{code}"]["patch"]["tags"][0],
        "projects"
    );
}

/// Every `src="…"` and `href="…"` in a page.
fn references(html: &str) -> Vec<String> {
    ["src=\"", "href=\""]
        .iter()
        .flat_map(|attr| html.split(attr).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn the_interactive_docs_are_served_from_the_binary_with_no_cdn() {
    let app = spawn_app().await;
    // the bare path leads to the folder, so the page's relative files resolve
    let res = app.get("/api/docs").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.url().path(), "/api/docs/");
    let ct = content_type(&res);
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = res.text().await.expect("a page");
    assert!(html.contains("swagger-ui"), "{html}");
    let refs = references(&html);
    assert!(refs.iter().any(|r| r.ends_with(".js")), "{refs:?}");
    for r in &refs {
        assert!(
            !r.contains("//") && !r.starts_with("http"),
            "{r} is not served from here"
        );
        let path = format!("/api/docs/{}", r.trim_start_matches("./"));
        let res = app.get(&path).await;
        assert_eq!(res.status(), 200, "{path}");
    }
    let init = app
        .get("/api/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .expect("a script");
    assert!(init.contains("/api/openapi.json"), "{init}");
    assert!(!init.contains("https://"), "{init}");
    // an unknown API path is still the API's 404, not the docs
    let res = app.get("/api/docsx").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.expect("a body").contains("没有这个接口"));
}
