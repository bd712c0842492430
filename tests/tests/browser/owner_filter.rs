//! The owner filter's choices come from one small request (`/api/owners`), not from paging
//! through every project: 进度计划 asks for its rows once and the names once, 项目 asks for
//! one page and the names. The tables that the names no longer redraw still follow their
//! own controls.

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

#[tokio::test]
async fn the_budget_pivot_still_sorts_and_flips_after_the_names_arrive() {
    let s = start().await;
    s.open("/budget").await;
    s.wait_for("[data-testid=pivot-table]").await;
    offers_every_owner(&s).await;
    let click = |css: &'static str| {
        let s = &s;
        async move {
            s.wait_for(css).await.click().await.expect("a click");
        }
    };
    // a figure column starts largest first, a second click flips it
    click("button[data-sort=B]").await;
    s.until("the address to sort by B, largest first", || async {
        s.current_url().await.contains("sort=-B")
    })
    .await;
    click("button[data-sort=B]").await;
    s.until("the address to sort by B, smallest first", || async {
        let url = s.current_url().await;
        url.contains("sort=B") && !url.contains("sort=-B")
    })
    .await;
    s.close().await;
}
