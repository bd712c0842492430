//! Conditional GET: the public reads carry an ETag of the data version, a current
//! `If-None-Match` gets 304, and every kind of write moves the tag, on every server sharing
//! the database.

use keyproj_shared::{ProjectDetail, Report, Role};
use reqwest::Response;
use serde_json::json;

use crate::helpers::{
    SHAOSHAN, TestApp, conformance, content_type, ok_json, report_body, spawn_app, spawn_app_on,
};
use crate::plans::known_project;
use crate::warnings::{plan, without_milestones};

/// One URL of each read route, the list twice with different filters.
const READS: &[&str] = &[
    "/api/projects?district=shaoshan&sort=-total_investment",
    "/api/projects?category=B",
    "/api/projects/B09",
    "/api/summary?group_by=district",
    "/api/pivot?category=A",
    "/api/reconciliation",
    "/api/owners",
    "/api/export/projects.csv?district=shaoshan",
    "/api/export/projects.xlsx",
    "/api/projects/B09/progress?period=2024-06",
    "/api/export/warnings.csv?period=2024-06",
    "/api/export/warnings.xlsx?period=2024-06&level=red",
    "/api/warnings?period=2024-06",
    "/api/warnings/summary?period=2024-06",
    "/api/projects/B09/warnings?period=2024-06",
];

async fn get(app: &TestApp, url: &str, if_none_match: Option<&str>) -> Response {
    let mut r = app.client.get(format!("{}{url}", app.address));
    if let Some(tag) = if_none_match {
        r = r.header("if-none-match", tag);
    }
    r.send().await.expect("answered")
}

fn header(res: &Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The tag of a 200 answer to `url`, after checking the answer against the API document.
async fn tag_of(app: &TestApp, url: &str) -> String {
    let res = get(app, url, None).await;
    let status = res.status().as_u16();
    let tag = header(&res, "etag").unwrap_or_else(|| panic!("{url}: no ETag"));
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"));
    let (path, ct) = (res.url().path().to_string(), content_type(&res));
    let body = res.text().await.expect("a body");
    assert_eq!(status, 200, "{url}: {body}");
    conformance::check(Some(&reqwest::Method::GET), &path, status, &ct, &body);
    tag
}

/// Whether `tag` is still current for `url`: 304, else 200 with another tag.
async fn still_current(app: &TestApp, url: &str, tag: &str) -> bool {
    let res = get(app, url, Some(tag)).await;
    match res.status().as_u16() {
        304 => true,
        200 => {
            assert_ne!(header(&res, "etag").as_deref(), Some(tag), "{url}");
            false
        }
        other => panic!("{url} with If-None-Match answered {other}"),
    }
}

#[tokio::test]
async fn every_read_answers_304_to_its_current_tag_and_different_queries_have_different_tags() {
    let app = spawn_app().await;
    let mut tags = Vec::new();
    for url in READS {
        let tag = tag_of(&app, url).await;
        assert!(tag.starts_with("W/\""), "{url}: a weak tag, got {tag}");
        let res = get(&app, url, Some(&tag)).await;
        assert_eq!(res.status(), 304, "{url}");
        assert_eq!(header(&res, "etag").as_deref(), Some(tag.as_str()), "{url}");
        assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"));
        let (path, ct) = (res.url().path().to_string(), content_type(&res));
        let body = res.bytes().await.expect("a body");
        assert!(body.is_empty(), "{url}: a 304 has no body");
        conformance::check(Some(&reqwest::Method::GET), &path, 304, &ct, "");
        // a list of tags naming it among others matches too, and a tag it never gave does not
        let listed = format!("W/\"d0-0000000000000000\", {tag}");
        assert_eq!(get(&app, url, Some(&listed)).await.status(), 304, "{url}");
        assert!(!still_current(&app, url, "W/\"d0-0000000000000000\"").await);
        tags.push(tag);
    }
    let mut distinct = tags.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), tags.len(), "one tag per URL: {tags:?}");
}

#[tokio::test]
async fn a_bad_query_gets_its_error_and_no_tag() {
    let app = spawn_app().await;
    let res = get(&app, "/api/projects?per_page=0", None).await;
    assert_eq!(res.status(), 422);
    assert_eq!(header(&res, "etag"), None);
    let res = get(&app, "/api/projects/Z99", None).await;
    assert_eq!(res.status(), 404);
    assert_eq!(header(&res, "etag"), None);
}

#[tokio::test]
async fn a_projects_body_etag_still_guards_its_edits_and_the_header_tag_does_not() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let res = get(&app, "/api/projects/B09", None).await;
    let header_tag = header(&res, "etag").expect("ETag");
    let d: ProjectDetail = ok_json(res, "detail").await;
    assert_ne!(header_tag, d.etag);
    let edit = json!({"reason": "核对", "remarks": "已核对"});
    let res = planner
        .patch("/api/projects/B09", Some(&header_tag), &edit)
        .await;
    assert_eq!(res.status(), 412, "a weak read tag never passes If-Match");
    let res = planner
        .patch("/api/projects/B09", Some(&d.etag), &edit)
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn each_kind_of_write_moves_the_tag_of_every_read() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("wang", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let watched = [
        "/api/projects?district=shaoshan".to_string(),
        format!("/api/projects/{}", own.code),
        "/api/summary?group_by=category".to_string(),
    ];
    let mut tags = Vec::new();
    for url in &watched {
        tags.push(tag_of(&app, url).await);
    }
    // logging in and reading change nothing a public read shows
    for (url, tag) in watched.iter().zip(&tags) {
        assert!(still_current(&app, url, tag).await, "{url}");
    }

    let d: ProjectDetail = app.json(&format!("/api/projects/{}", own.code), &[]).await;
    let res = planner
        .patch(
            &format!("/api/projects/{}", own.code),
            Some(&d.etag),
            &json!({"reason": "核对", "remarks": "已核对"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let after_edit = check_moved(&app, &watched, &tags, "edit").await;

    let r1: Report = ok_json(
        owner
            .report(&own.code, &report_body("2024-03", "12.5"))
            .await,
        "submit",
    )
    .await;
    let after_submit = check_moved(&app, &watched, &after_edit, "report submit").await;

    let approved = finance
        .post_if_match(
            &format!("/api/reports/{}/approve", r1.id),
            &r1.etag,
            &json!({}),
        )
        .await;
    assert_eq!(approved.status(), 200);
    let after_approve = check_moved(&app, &watched, &after_submit, "approval").await;

    let r2: Report = ok_json(
        owner.report(&own.code, &report_body("2024-04", "13")).await,
        "submit",
    )
    .await;
    let after_second = check_moved(&app, &watched, &after_approve, "report submit").await;
    let returned = finance
        .post_if_match(
            &format!("/api/reports/{}/return", r2.id),
            &r2.etag,
            &json!({"reason": "数据有误"}),
        )
        .await;
    assert_eq!(returned.status(), 200);
    check_moved(&app, &watched, &after_second, "return").await;
}

#[tokio::test]
async fn a_plan_change_moves_the_tag_of_a_projects_progress_its_warnings_and_the_warnings_lists() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let code = known_project(&app, &planner, SHAOSHAN).await;
    let watched = [
        format!("/api/projects/{code}/progress?period=2024-06"),
        "/api/export/warnings.csv?period=2024-06".to_string(),
        "/api/export/warnings.xlsx?period=2024-06".to_string(),
        "/api/warnings?period=2024-06".to_string(),
        "/api/warnings/summary?period=2024-06".to_string(),
        format!("/api/projects/{code}/warnings?period=2024-06"),
    ];
    let mut tags = Vec::new();
    for url in &watched {
        tags.push(tag_of(&app, url).await);
    }
    for (url, tag) in watched.iter().zip(&tags) {
        assert!(still_current(&app, url, tag).await, "{url}");
    }
    plan(&planner, &code, 2024, &without_milestones("1000")).await;
    check_moved(&app, &watched, &tags, "a plan change").await;
}

/// Asserts that every old tag is stale after `write`; answers the new tags.
async fn check_moved(app: &TestApp, urls: &[String], old: &[String], write: &str) -> Vec<String> {
    let mut new = Vec::new();
    for (url, tag) in urls.iter().zip(old) {
        assert!(
            !still_current(app, url, tag).await,
            "{url}: the tag did not move after {write}"
        );
        let now = tag_of(app, url).await;
        assert!(still_current(app, url, &now).await);
        new.push(now);
    }
    new
}

#[tokio::test]
async fn two_servers_on_one_database_agree_on_the_tag_and_see_each_others_writes() {
    let a = spawn_app().await;
    let b = spawn_app_on(
        tempfile::tempdir().expect("temp dir"),
        a.database_url.clone(),
        None,
    )
    .await;
    // b's start bumped the version a tagged its first answers with: read both after both start
    let url = "/api/projects?category=B&sort=code";
    let tag = tag_of(&a, url).await;
    assert_eq!(tag_of(&b, url).await, tag);
    assert!(still_current(&b, url, &tag).await);

    let planner = b.user("li", Role::Planner, None).await;
    let d: ProjectDetail = b.json("/api/projects/B09", &[]).await;
    let res = planner
        .patch(
            "/api/projects/B09",
            Some(&d.etag),
            &json!({"reason": "核对", "remarks": "已核对"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        !still_current(&a, url, &tag).await,
        "a write on one server moves the tag on the other"
    );
    let new = tag_of(&a, url).await;
    assert_eq!(tag_of(&b, url).await, new);
}
