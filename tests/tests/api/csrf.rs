use keyproj_shared::{ProjectDetail, Role, UserList};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{PASSWORD, SHAOSHAN, problem, report_body, spawn_app};

/// Every route that changes state, with a body it would accept.
fn writes(code: &str, user_id: i64) -> Vec<(Method, String, serde_json::Value)> {
    vec![
        (
            Method::POST,
            "/api/session".into(),
            json!({"username": "root", "password": PASSWORD}),
        ),
        (Method::DELETE, "/api/session".into(), json!({})),
        (
            Method::POST,
            "/api/users".into(),
            json!({"username": "x1", "role": "planner", "password": PASSWORD}),
        ),
        (
            Method::PATCH,
            format!("/api/users/{user_id}"),
            json!({"role": "finance"}),
        ),
        (
            Method::POST,
            format!("/api/users/{user_id}/disable"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/users/{user_id}/enable"),
            json!({}),
        ),
        (
            Method::PATCH,
            format!("/api/projects/{code}"),
            json!({"reason": "核对", "remarks": "跨站修改"}),
        ),
        (
            Method::POST,
            format!("/api/projects/{code}/reports"),
            report_body("2024-03", "1"),
        ),
        (Method::POST, "/api/reports/1/approve".into(), json!({})),
        (
            Method::POST,
            "/api/reports/1/return".into(),
            json!({"reason": "x"}),
        ),
    ]
}

#[tokio::test]
async fn every_write_without_x_requested_with_is_403_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    app.add_user("target", Role::Planner, None).await;
    let users: UserList = admin.json("/api/users").await;
    let target = users
        .items
        .iter()
        .find(|u| u.username == "target")
        .expect("user");
    let before: ProjectDetail = app.json("/api/projects/A01", &[]).await;
    for (method, path, body) in writes("A01", target.id) {
        let res = admin
            .bare(method.clone(), &path)
            .header("if-match", &target.etag)
            .json(&body)
            .send()
            .await
            .expect("answered");
        let (status, p) = problem(res).await;
        assert_eq!(status, 403, "{method} {path}: {p:?}");
    }
    let after: ProjectDetail = app.json("/api/projects/A01", &[]).await;
    assert_eq!(before, after);
    let again: UserList = admin.json("/api/users").await;
    assert_eq!(users, again);
}

#[tokio::test]
async fn a_post_from_another_origin_is_403() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let path = format!("/api/projects/{}/reports", own.code);
    let host = app.address.trim_start_matches("http://").to_string();
    let cross: [(&str, String); 5] = [
        ("origin", "http://evil.example".into()),
        ("origin", format!("http://{host}.evil.example")),
        ("origin", "null".into()),
        ("referer", "http://evil.example/page".into()),
        ("sec-fetch-site", "cross-site".into()),
    ];
    for (name, value) in &cross {
        let res = owner
            .request(Method::POST, &path)
            .header(*name, value)
            .json(&report_body("2024-03", "1"))
            .send()
            .await
            .expect("answered");
        let (status, _) = problem(res).await;
        assert_eq!(status, 403, "{name}: {value}");
    }
    let history: keyproj_shared::ReportList = owner.json(&path).await;
    assert!(history.items.is_empty(), "nothing was stored");
    // the same origin, as the browser sends it, passes
    for (name, value) in [
        ("origin", format!("http://{host}")),
        ("referer", format!("http://{host}/projects/{}", own.code)),
        ("sec-fetch-site", "same-origin".to_string()),
    ] {
        let res = owner
            .request(Method::POST, &path)
            .header(name, value.as_str())
            .json(&report_body("2024-03", "1"))
            .send()
            .await
            .expect("answered");
        assert_eq!(res.status(), 201, "{name}: {value}");
    }
}
