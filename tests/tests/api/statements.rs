//! What a read costs the database: the statements one request runs (diesel's instrumentation,
//! `Settings::statement_counter`), and the plan-wide reconciliation flags read once per data
//! version yet never stale, across servers sharing the database.

use keyproj::db::StatementCounter;
use keyproj_shared::{Money, ProjectDetail, ProjectPage, Role};
use serde_json::json;

use crate::helpers::{TestApp, conformance, content_type, spawn_app, spawn_app_on, spawn_app_with};

/// The statements a second request to `url` runs (the first one may read the plan-wide values
/// of this data version), after checking its answer against the API document.
async fn statements_of(app: &TestApp, counter: &StatementCounter, url: &str) -> u64 {
    assert_eq!(app.get(url).await.status(), 200, "{url}");
    let before = counter.get();
    let res = app.get(url).await;
    let after = counter.get();
    let status = res.status().as_u16();
    let (path, ct) = (res.url().path().to_string(), content_type(&res));
    let body = res.text().await.expect("a body");
    assert_eq!(status, 200, "{url}: {body}");
    conformance::check(Some(&reqwest::Method::GET), &path, status, &ct, &body);
    after - before
}

async fn counted_app() -> (TestApp, StatementCounter) {
    let counter = StatementCounter::default();
    let c = counter.clone();
    // without the response cache, which would answer the second request from memory
    let app = spawn_app_with(move |s| {
        s.statement_counter = Some(c);
        s.response_cache.entries = 0;
    })
    .await;
    (app, counter)
}

#[tokio::test]
async fn a_filtered_list_page_runs_at_most_three_sql_statements() {
    let (app, counter) = counted_app().await;
    let first: ProjectPage = app
        .json("/api/projects", &[("category", "B"), ("per_page", "5")])
        .await;
    let cursor = first.next_cursor.expect("a second page of category B");
    let urls = [
        "/api/projects".to_string(),
        "/api/projects?district=shaoshan&sort=-total_investment".into(),
        "/api/projects?q=敬老院".into(),
        "/api/projects?q=养老&has_social=false&sort=name&page=2&per_page=5".into(),
        "/api/projects?owner=韶山市民政局&status=unreported".into(),
        "/api/projects?q=没有这样的项目".into(),
        format!("/api/projects?category=B&per_page=5&cursor={cursor}"),
        format!("/api/projects?category=B&per_page=5&cursor={cursor}&q=建设"),
    ];
    for url in &urls {
        let n = statements_of(&app, &counter, url).await;
        assert!((1..=3).contains(&n), "{url}: {n} statements");
    }
}

#[tokio::test]
async fn a_projects_detail_runs_at_most_three_sql_statements() {
    let (app, counter) = counted_app().await;
    for code in ["A01", "B09", "B18", "E01"] {
        let url = format!("/api/projects/{code}");
        let n = statements_of(&app, &counter, &url).await;
        assert!((1..=3).contains(&n), "{url}: {n} statements");
    }
}

/// Whether the list on `app` flags `code`.
async fn flagged(app: &TestApp, code: &str) -> bool {
    let page: ProjectPage = app
        .json("/api/projects", &[("category", "A"), ("per_page", "100")])
        .await;
    page.items
        .iter()
        .find(|i| i.code == code)
        .unwrap_or_else(|| panic!("{code} in category A"))
        .has_findings
}

#[tokio::test]
async fn an_edit_through_one_server_flags_the_category_on_the_other_at_once() {
    let a = spawn_app().await;
    let b = spawn_app_on(
        tempfile::tempdir().expect("temp dir"),
        a.database_url.clone(),
        None,
    )
    .await;
    // category A adds up, so A02 carries no subtotal finding; a has read that at this version
    assert!(!flagged(&a, "A02").await);
    assert!(!flagged(&a, "A02").await);

    let planner = b.user("li", Role::Planner, None).await;
    let a01: ProjectDetail = b.json("/api/projects/A01", &[]).await;
    let plus_one = |m: Money| Money::from_cents(m.cents() + 100).to_string();
    let res = planner
        .patch(
            "/api/projects/A01",
            Some(&a01.etag),
            &json!({
                "reason": "核对",
                "total_investment": plus_one(a01.item.total_investment),
                "planned_investment": plus_one(a01.item.planned_investment),
            }),
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    assert!(
        flagged(&a, "A02").await,
        "category A no longer adds up: every row of it is flagged on the server that did not write"
    );
}
