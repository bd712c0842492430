//! What Chromium's console logged: the page's own `console.error`s, uncaught exceptions, and
//! the failed requests the browser itself reports there (an answer of 401 or 404 is an
//! error line even when the app handles it). Read through chromedriver's log endpoint, which
//! `goog:loggingPrefs` in the harness turns on.

use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;

use crate::harness::start;

/// `POST /session/{id}/se/log {"type": "browser"}`: the entries since the last call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

/// The console's error lines (level SEVERE) since the last call.
pub async fn errors(client: &Client) -> Vec<String> {
    lines(client, "SEVERE").await
}

/// The console's lines of `level` (`SEVERE`, `WARNING`, …) since the last call (which
/// takes every level's lines).
pub async fn lines(client: &Client, level: &str) -> Vec<String> {
    let log = client
        .issue_cmd(BrowserLog)
        .await
        .expect("chromedriver's browser log");
    // the entries, whether or not the answer's `value` wrapper was taken off
    let entries = log.get("value").unwrap_or(&log);
    entries
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == level)
        .map(|e| {
            e["message"]
                .as_str()
                .map_or_else(|| e.to_string(), str::to_string)
        })
        .collect()
}

/// The pages a visitor who never logged in opens, each waited for until its data is drawn.
pub const PUBLIC_PAGES: &[(&str, &str)] = &[
    ("/", "[data-testid=chart-link]"),
    ("/projects?district=shaoshan", "[data-testid=project-row]"),
    ("/projects/B09", "[data-testid=project-total]"),
    ("/schedule", "[data-testid=gantt-bar]"),
    ("/budget", "[data-testid=pivot-table]"),
];

#[tokio::test]
async fn an_anonymous_visit_logs_no_console_error() {
    let s = start().await;
    for (path, drawn) in PUBLIC_PAGES {
        s.open(path).await;
        s.wait_for(drawn).await;
        // the session check runs at start, beside the page's own requests
        s.until("the header to know nobody is logged in", || async {
            s.count("[data-testid=nav-login]").await == 1
        })
        .await;
        let errors = errors(&s.client).await;
        assert!(errors.is_empty(), "{path} logged: {errors:#?}");
    }
    // the check can fail: a request that answers 404 is an error line
    s.open("/api/projects/Z99").await;
    assert!(
        !errors(&s.client).await.is_empty(),
        "the console log is read (a 404 must show)"
    );
    s.close().await;
}
