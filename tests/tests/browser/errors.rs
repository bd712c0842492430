use diesel::RunQueryDsl;

use crate::harness::start;

fn sql(database_url: &str, statement: &str) {
    let pool = keyproj::db::connect(database_url, 1).expect("pool");
    let mut conn = pool.get().expect("connection");
    diesel::sql_query(statement)
        .execute(&mut conn)
        .expect(statement);
}

#[tokio::test]
async fn the_error_state_appears_when_the_api_answers_500_and_retry_recovers() {
    let s = start().await;
    s.open("/projects").await;
    s.wait_for("[data-testid=project-row]").await;
    // the database loses its table: every list query now fails inside the server
    sql(
        &s.app.database_url,
        "ALTER TABLE projects RENAME TO projects_away",
    );
    s.wait_for("[data-testid=pager-next]")
        .await
        .click()
        .await
        .expect("next page");
    let error = s.wait_for("[data-testid=error]").await;
    assert_eq!(
        error.attr("data-status").await.ok().flatten().as_deref(),
        Some("500")
    );
    sql(
        &s.app.database_url,
        "ALTER TABLE projects_away RENAME TO projects",
    );
    s.wait_for("[data-testid=retry]")
        .await
        .click()
        .await
        .expect("retry");
    s.wait_for("[data-testid=project-row]").await;
    s.close().await;
}

#[tokio::test]
async fn the_error_state_appears_when_the_api_is_unreachable() {
    let s = start().await;
    s.open("/projects").await;
    s.wait_for("[data-testid=project-row]").await;
    s.app.handle.stop(false).await;
    // the app is loaded; moving within it now needs an API that is gone
    s.wait_for("[data-testid=nav-overview]")
        .await
        .click()
        .await
        .expect("nav");
    s.wait_for("[data-testid=error]").await;
    s.wait_for("[data-testid=retry]").await;
    s.close().await;
}
