use keyproj_shared::Problem;
use reqwest::Response;

use crate::helpers::spawn_app;

async fn problem(res: Response) -> (u16, Problem) {
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(ct, "application/problem+json", "status {status}");
    let body = res.text().await.expect("a body");
    let p: Problem = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(p.status, status);
    (status, p)
}

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
async fn an_unknown_api_path_is_a_404_problem() {
    let app = spawn_app().await;
    let (status, _) = problem(app.get("/api/nope").await).await;
    assert_eq!(status, 404);
    let res = app
        .client
        .post(format!("{}/api/projects", app.address))
        .send()
        .await
        .expect("answered");
    let (status, _) = problem(res).await;
    assert!(status == 404 || status == 405, "{status}");
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
