//! The owner filter's choices come from one small request (`/api/owners`), not from paging
//! through every project: 进度计划 asks for its rows once and the names once, 项目 asks for
//! one page and the names.

use fantoccini::Locator;
use keyproj_shared::OwnerNames;

use crate::harness::{Session, start};

/// The API requests the page made since it was opened (path and query), in order, from the
/// browser's resource timing (every `fetch` is an entry).
async fn api_requests(s: &Session) -> Vec<String> {
    let entries = s
        .client
        .execute(
            "return performance.getEntriesByType('resource')
                .map(e => new URL(e.name))
                .filter(u => u.pathname.startsWith('/api/'))
                .map(u => decodeURIComponent(u.pathname + u.search));",
            vec![],
        )
        .await
        .expect("the resource entries");
    serde_json::from_value(entries).expect("a list of strings")
}

/// Waits until the owner filter offers every name the API gives, and "全部".
async fn offers_every_owner(s: &Session) {
    let names: OwnerNames = s.app.json("/api/owners", &[]).await;
    assert!(names.names.len() > 1);
    s.until("the owner names in the filter", || async {
        s.count("#owner-filter option").await == names.names.len() + 1
    })
    .await;
    let last = s
        .client
        .find(Locator::Css("#owner-filter option:last-child"))
        .await
        .expect("an option")
        .attr("value")
        .await
        .expect("its value");
    assert_eq!(last.as_ref(), names.names.last());
}

fn count(requests: &[String], prefix: &str) -> usize {
    requests.iter().filter(|r| r.starts_with(prefix)).count()
}

#[tokio::test]
async fn the_schedule_asks_for_its_rows_once_and_the_owner_names_once() {
    let s = start().await;
    s.open("/schedule").await;
    s.until("a bar per project", || async {
        s.count("[data-testid=gantt-bar]").await == 87
    })
    .await;
    offers_every_owner(&s).await;
    let requests = api_requests(&s).await;
    println!(
        "/schedule made {} API requests: {requests:?}",
        requests.len()
    );
    assert_eq!(count(&requests, "/api/owners"), 1, "{requests:?}");
    assert_eq!(count(&requests, "/api/projects"), 1, "{requests:?}");
    s.close().await;
}

#[tokio::test]
async fn the_project_list_asks_for_one_page_and_the_owner_names_not_every_project() {
    let s = start().await;
    s.open("/projects").await;
    s.wait_for("[data-testid=project-row]").await;
    offers_every_owner(&s).await;
    let requests = api_requests(&s).await;
    println!(
        "/projects made {} API requests: {requests:?}",
        requests.len()
    );
    assert_eq!(count(&requests, "/api/owners"), 1, "{requests:?}");
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.starts_with("/api/projects"))
            .collect::<Vec<_>>(),
        ["/api/projects"],
    );
    s.close().await;
}
