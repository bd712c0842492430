//! Accessibility as a test: axe-core (npm, pinned in scripts/ensure-test-deps.sh, read from
//! tests/node_modules) is injected into every page, public and signed-in, once its data is
//! drawn; any violation axe rates serious or critical fails the test, and every one found is
//! printed.

use keyproj_shared::Role;
use serde_json::Value;

use crate::harness::{Session, start};
use crate::helpers::{PASSWORD, SHAOSHAN};

fn axe_source() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/node_modules/axe-core/axe.min.js"
    );
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run `bash scripts/ensure-test-deps.sh`"))
}

/// Runs axe on the page as it is; answers its serious and critical violations, one line each
/// with the elements at fault, after printing every violation it found.
pub(crate) async fn serious_violations(s: &Session, page: &str) -> Vec<String> {
    s.client
        .execute(&axe_source(), vec![])
        .await
        .expect("axe-core loads into the page");
    let found = s
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ["violations"] })
                .then(r => done(r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
                }))))
                .catch(e => done([{ id: "axe-failed", impact: "critical", help: String(e), nodes: [] }]));"#,
            vec![],
        )
        .await
        .expect("axe-core runs");
    let mut serious = Vec::new();
    for v in found.as_array().into_iter().flatten() {
        let impact = v["impact"].as_str().unwrap_or("unknown");
        let line = format!(
            "{page}: [{impact}] {}: {} at {}",
            v["id"].as_str().unwrap_or_default(),
            v["help"].as_str().unwrap_or_default(),
            v["nodes"]
                .as_array()
                .map(|n| n
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default()
        );
        println!("{line}");
        if matches!(impact, "serious" | "critical") {
            serious.push(line);
        }
    }
    serious
}

/// Opens `path`, waits for `drawn` and for every loading box to go, and checks the page.
async fn check(s: &Session, path: &str, drawn: &str, serious: &mut Vec<String>) {
    s.open(path).await;
    s.wait_for(drawn).await;
    s.until(&format!("{path} to finish loading"), || async {
        s.count("[data-testid=loading]").await == 0
    })
    .await;
    serious.extend(serious_violations(s, path).await);
}

async fn log_in(s: &Session, username: &str) {
    s.open("/login").await;
    for (css, text) in [("#login-username", username), ("#login-password", PASSWORD)] {
        let field = s.wait_for(css).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }
    s.wait_for("[data-testid=login-submit]")
        .await
        .click()
        .await
        .expect("log in");
    s.until(&format!("{username} logged in"), || async {
        s.count("[data-testid=session-user]").await == 1
    })
    .await;
}

/// Forgets the session in the browser (the next page load starts anonymous).
async fn log_out(s: &Session) {
    s.client
        .delete_all_cookies()
        .await
        .expect("cookies cleared");
}

#[tokio::test]
async fn no_page_public_or_signed_in_has_a_serious_accessibility_violation() {
    let s = start().await;
    s.app.add_user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    s.app.add_user("qian", Role::Finance, None).await;
    s.app.add_user("root", Role::Admin, None).await;
    let (own, _) = s.app.projects_of(SHAOSHAN).await;
    let mut serious = Vec::new();

    for (path, drawn) in [
        ("/", "[data-testid=chart-link]"),
        (
            "/projects?district=shaoshan&sort=-total_investment",
            "[data-testid=project-row]",
        ),
        ("/projects/B09", "[data-testid=project-total]"),
        ("/schedule", "[data-testid=gantt-bar]"),
        ("/budget", "[data-testid=pivot-table]"),
        // the server's own 404 page, not the app
        ("/no-such-page", "h1"),
        ("/login", "[data-testid=login-page]"),
    ] {
        check(&s, path, drawn, &mut serious).await;
    }

    log_in(&s, "zhang").await;
    check(
        &s,
        "/my-projects",
        "[data-testid=my-project-row]",
        &mut serious,
    )
    .await;
    let reports = format!("/projects/{}/reports", own.code);
    check(&s, &reports, "[data-testid=report-form]", &mut serious).await;
    log_out(&s).await;

    log_in(&s, "qian").await;
    check(&s, "/review", "[data-testid=review-page]", &mut serious).await;
    check(&s, "/audit", "[data-testid=audit-row]", &mut serious).await;
    log_out(&s).await;

    log_in(&s, "root").await;
    check(&s, "/users", "[data-testid=user-row]", &mut serious).await;
    // the 预警 page with the threshold form an admin sees
    check(&s, "/warnings", "[data-testid=rule-set-form]", &mut serious).await;
    // the 年度计划 grid of a year with projects, and the workbook below it
    check(
        &s,
        "/plans?year=2024",
        "[data-testid=plan-grid-row]",
        &mut serious,
    )
    .await;

    assert!(
        serious.is_empty(),
        "serious or critical accessibility violations:\n{}",
        serious.join("\n")
    );
    s.close().await;
}
