use keyproj_shared::Problem;

use crate::helpers::{TestApp, content_type, problem, spawn_app};

fn fields(p: &Problem) -> Vec<&str> {
    p.errors.iter().map(|e| e.field.as_str()).collect()
}

#[tokio::test]
async fn an_unknown_project_code_is_404() {
    let app = spawn_app().await;
    for code in ["Z99", "B51", "b09", "%E4%B8%AD"] {
        let (status, p) = problem(app.get(&format!("/api/projects/{code}")).await).await;
        assert_eq!(status, 404, "{code}");
        assert!(p.detail.is_some());
    }
}

#[tokio::test]
async fn each_bad_list_parameter_is_422_and_named() {
    let app = spawn_app().await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("per_page", "1000")], "per_page"),
        (&[("per_page", "0")], "per_page"),
        (&[("page", "0")], "page"),
        (&[("page", "-1")], "page"),
        (&[("page", "99999999999")], "page"),
        (&[("start_year_from", "abc")], "start_year_from"),
        (&[("end_year_to", "20.5")], "end_year_to"),
        (&[("district", "火星区")], "district"),
        (&[("category", "F")], "category"),
        (&[("nature", "拆除")], "nature"),
        (&[("sort", "colour")], "sort"),
        (&[("sort", "--code")], "sort"),
        (&[("has_social", "yes")], "has_social"),
        (&[("owner", "没有这个单位")], "owner"),
        (&[("bogus", "1")], "bogus"),
        (&[("status", "done")], "status"),
        (
            &[("district", "韶山市"), ("district", "雨湖区")],
            "district",
        ),
        (
            &[("start_year_from", "2024"), ("start_year_to", "2021")],
            "start_year_to",
        ),
    ];
    for (query, field) in cases {
        let (status, p) = problem(app.get_query("/api/projects", query).await).await;
        assert_eq!(status, 422, "{query:?}");
        assert_eq!(fields(&p), [*field], "{query:?}");
        assert!(!p.errors[0].message.is_empty());
    }
}

#[tokio::test]
async fn several_bad_parameters_are_all_named_at_once() {
    let app = spawn_app().await;
    let (status, p) = problem(
        app.get_query(
            "/api/projects",
            &[
                ("per_page", "1000"),
                ("start_year_from", "abc"),
                ("district", "x"),
                ("sort", "y"),
                ("z", "1"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    let mut f = fields(&p);
    f.sort_unstable();
    assert_eq!(f, ["district", "per_page", "sort", "start_year_from", "z"]);
}

#[tokio::test]
async fn the_summary_names_a_missing_or_unknown_grouping() {
    let app = spawn_app().await;
    for query in [&[][..], &[("group_by", "colour")][..]] {
        let (status, p) = problem(app.get_query("/api/summary", query).await).await;
        assert_eq!(status, 422);
        assert_eq!(fields(&p), ["group_by"]);
    }
    let (status, p) = problem(
        app.get_query(
            "/api/summary",
            &[("group_by", "district"), ("per_page", "5")],
        )
        .await,
    )
    .await;
    assert_eq!((status, fields(&p)), (422, vec!["per_page"]));
}

#[tokio::test]
async fn an_unknown_api_path_is_a_404_problem_and_an_undeclared_method_a_405_with_allow() {
    let app = spawn_app().await;
    let (status, _) = problem(app.get("/api/nope").await).await;
    assert_eq!(status, 404);
    assert_eq!(
        post_status_and_allow(&app, "/api/projects").await,
        (405, Some("GET, HEAD".to_string()))
    );
}

/// Odd query strings, sent raw: none may panic, answer 5xx, or leak internals.
#[tokio::test]
async fn no_query_string_gets_a_server_error_or_leaks_internals() {
    let app = spawn_app().await;
    let long = "a".repeat(5000);
    let queries = [
        "?%zz",
        "?q=%E4",
        "?q=%00",
        "?q=%27%20OR%201%3D1%20--",
        "?q=%25%25%25",
        "?district",
        "?=x",
        "?&&&",
        "?sort=-",
        "?sort=",
        "?page=4294967296",
        "?page=1e3",
        "?per_page=%20100",
        "?has_social=TRUE",
        "?start_year_from=-2021",
        "?start_year_from=99999999999999999999",
        "?owner=%F0%9F%98%80",
        "?q=%E4%B8%AD&q=%E6%96%87",
    ];
    let mut paths: Vec<String> = queries
        .iter()
        .map(|q| format!("/api/projects{q}"))
        .collect();
    paths.extend(
        queries
            .iter()
            .map(|q| format!("/api/summary{q}&group_by=district")),
    );
    paths.push(format!("/api/projects?q={long}"));
    paths.push("/api/reconciliation?x=1".to_string());
    paths.push("/api/projects/%FF".to_string());
    for path in paths {
        let res = app.get(&path).await;
        let status = res.status().as_u16();
        let body = res.text().await.expect("a body");
        assert!(status < 500, "{path} answered {status}: {body}");
        for leak in [
            "SELECT", "sqlite", "diesel", "panicked", "/work", "/root", "/tmp", "src/",
        ] {
            assert!(!body.contains(leak), "{path} leaked {leak:?}: {body}");
        }
    }
    // still healthy after all that
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// Odd bodies, paths and headers on every write route and the new reads, from an admin, an
/// owner and nobody: none may answer 5xx or leak SQL, paths or panics.
#[tokio::test]
async fn no_write_route_gets_a_server_error_or_leaks_internals() {
    use keyproj_shared::Role;
    use reqwest::Method;

    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let owner = app
        .user("zhang", Role::Owner, Some(crate::helpers::SHAOSHAN))
        .await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies: Vec<String> = vec![
        String::new(),
        "null".into(),
        "[]".into(),
        "{".into(),
        "\"text\"".into(),
        "1e999".into(),
        deep,
        r#"{"period": "'; DROP TABLE reports; --", "physical_progress_pct": 1e308, "investment_completed": "99999999999999999999", "status": "in_progress"}"#.into(),
        r#"{"period": "2024-03", "physical_progress_pct": "45", "investment_completed": "9223372036854775807", "social_investment_completed": "9223372036854775807", "status": "in_progress"}"#.into(),
        r#"{"username": "😀' OR 1=1 --", "role": "admin", "password": "long enough password"}"#.into(),
        r#"{"reason": "x", "total_investment": "92233720368547758.07", "social_share_pct": "100"}"#.into(),
        r#"{"reason": "x", "owners": ["a\u0000b"], "start": "9999-9999"}"#.into(),
        r#"{"role": "owner", "organisation": "%", "password": null}"#.into(),
        format!(r#"{{"reason": "{}"}}"#, "长".repeat(100_000)),
    ];
    let routes: Vec<(Method, &str)> = vec![
        (Method::POST, "/api/session"),
        (Method::DELETE, "/api/session"),
        (Method::POST, "/api/users"),
        (Method::PATCH, "/api/users/1"),
        (Method::PATCH, "/api/users/-1"),
        (Method::POST, "/api/users/99999999999/disable"),
        (Method::POST, "/api/users/abc/enable"),
        (Method::PATCH, "/api/projects/A01"),
        (Method::PATCH, "/api/projects/%FF"),
        (Method::POST, "/api/projects/A01/reports"),
        (Method::POST, "/api/projects/Z99/reports"),
        (Method::POST, "/api/reports/1/approve"),
        (Method::POST, "/api/reports/abc/return"),
        (Method::POST, "/api/reports/1/return"),
    ];
    let reads = [
        "/api/reports?state=%00",
        "/api/reports?page=99999999999",
        "/api/reports?project=%27%20OR%201%3D1",
        "/api/reports/0",
        "/api/reports/2147483648",
        "/api/audit?entity_id=%27%3B%20DROP%20TABLE%20audit_log%3B",
        "/api/audit?page=4294967295&per_page=200",
        "/api/projects/%FF/audit",
        "/api/projects/A01/reports?x=1",
        "/api/users/0",
        "/api/projects?status=%E5%9C%A8%E5%BB%BA",
    ];
    let check = |what: String, status: u16, body: String| {
        assert!(status < 500, "{what} answered {status}: {body}");
        for leak in [
            "SELECT",
            "INSERT",
            "sqlite",
            "diesel",
            "panicked",
            "constraint",
            "/work",
            "/root",
            "/tmp",
            "src/",
        ] {
            assert!(!body.contains(leak), "{what} leaked {leak:?}: {body}");
        }
    };
    for who in [Some(&admin), Some(&owner), None] {
        for (method, path) in &routes {
            for body in &bodies {
                let req = match who {
                    Some(s) => s.request(method.clone(), path),
                    None => app
                        .client
                        .request(method.clone(), format!("{}{}", app.address, path))
                        .header("x-requested-with", "keyproj"),
                };
                let res = req
                    .header("if-match", "\"p1-v1\", W/\"x\"")
                    .header("idempotency-key", "k".repeat(150))
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("answered");
                let status = res.status().as_u16();
                let text = res.text().await.expect("a body");
                check(format!("{method} {path} {:.40}", body), status, text);
            }
        }
        for path in reads {
            let res = match who {
                Some(s) => s.get(path).await,
                None => app.get(path).await,
            };
            let status = res.status().as_u16();
            check(path.to_string(), status, res.text().await.expect("a body"));
        }
    }
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// HEAD is answered wherever GET is, with GET's status and headers and no body; outside the
/// API too, where every other method than GET and HEAD is 405.
#[tokio::test]
async fn head_is_answered_like_get_without_a_body_and_the_site_is_read_only() {
    let app = spawn_app().await;
    for (path, status) in [
        ("/api/projects/B09", 200),
        ("/api/projects/ZZZ", 404),
        ("/api/reconciliation", 200),
    ] {
        let get = app.get(path).await;
        let head = app
            .client
            .head(format!("{}{path}", app.address))
            .send()
            .await
            .expect("answered");
        assert_eq!(
            (get.status().as_u16(), head.status().as_u16()),
            (status, status),
            "{path}"
        );
        assert_eq!(
            get.headers().get("etag"),
            head.headers().get("etag"),
            "{path}"
        );
        assert_eq!(content_type(&get), content_type(&head), "{path}");
        assert!(head.bytes().await.expect("read").is_empty(), "{path}");
    }
    for path in ["/healthz", "/", "/projects"] {
        assert_eq!(
            post_status_and_allow(&app, path).await,
            (405, Some("GET, HEAD".to_string())),
            "POST {path}"
        );
    }
}

/// A POST as the app sends it (without `X-Requested-With` every write under /api is 403,
/// see csrf.rs): its problem's status and the `Allow` header.
async fn post_status_and_allow(app: &TestApp, path: &str) -> (u16, Option<String>) {
    let res = app
        .client
        .post(format!("{}{path}", app.address))
        .header("x-requested-with", "keyproj")
        .send()
        .await
        .expect("answered");
    let allow = res
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (problem(res).await.0, allow)
}
