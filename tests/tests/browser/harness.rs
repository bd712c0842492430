use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use keyproj_tests::{Running, free_port};
use serde_json::json;
use tempfile::TempDir;
use tokio::sync::{Mutex, MutexGuard};

use crate::helpers::{TestApp, fresh_database, spawn_app_configured};

/// One browser at a time: two cores do not run several Chromiums well.
static ONE_AT_A_TIME: LazyLock<Mutex<()>> = LazyLock::new(|| Mutex::new(()));

pub const WAIT: Duration = Duration::from_secs(20);

pub fn dist_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist");
    // Both bundles: the public pages, and the signed-in ones the build puts in account/.
    assert!(
        dir.join("index.html").is_file() && dir.join("account/index.html").is_file(),
        "the web app is not built: run `cd frontend && trunk build --offline` (scripts/test.sh does)"
    );
    dir
}

/// The real server with the built app, a chromedriver, and a Chromium session on it.
pub struct Session {
    pub app: TestApp,
    pub client: Client,
    pub downloads: TempDir,
    _profile: TempDir,
    _driver: Running,
    _turn: MutexGuard<'static, ()>,
}

pub async fn start() -> Session {
    start_with(|_| {}).await
}

/// [`start`] with the server's settings changed first, e.g. `--demo`.
pub async fn start_with(change: impl FnOnce(&mut keyproj::Settings)) -> Session {
    let turn = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = fresh_database(dir.path());
    let app = spawn_app_configured(dir, db, Some(&dist_dir()), change).await;

    let port = free_port();
    let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let child = Command::new(&driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {driver_bin} (Debian: chromium-driver): {e}"));
    let driver = Running(child);

    let profile = tempfile::tempdir().expect("profile dir");
    let downloads = tempfile::tempdir().expect("download dir");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let caps = json!({
        // the console, for tests that read it (console.rs)
        "goog:loggingPrefs": { "browser": "ALL" },
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1366,768",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": {
                "download.default_directory": downloads.path().display().to_string(),
                "download.prompt_for_download": false,
            }
        }
    });
    let caps = match caps {
        serde_json::Value::Object(m) => m,
        _ => unreachable!("a literal object"),
    };
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + WAIT;
    let client = loop {
        match ClientBuilder::rustls()
            .expect("rustls connector")
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("no webdriver session on {url}: {e}"),
        }
    };
    Session {
        app,
        client,
        downloads,
        _profile: profile,
        _driver: driver,
        _turn: turn,
    }
}

impl Session {
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{}", self.app.address, path))
            .await
            .unwrap_or_else(|e| panic!("opening {path}: {e}"));
    }

    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
    }

    /// The element's text once it is non-empty.
    pub async fn text_of(&self, css: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.wait_for(css).await.text().await.unwrap_or_default();
            if !text.trim().is_empty() || Instant::now() > deadline {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `f` holds, re-evaluating it; fails with `what` after WAIT.
    pub async fn until<F, Fut>(&self, what: &str, mut f: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + WAIT;
        while !f().await {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    pub async fn current_url(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// A file the browser finished downloading into the download folder.
    pub async fn downloaded(&self, suffix: &str) -> PathBuf {
        let dir: &Path = self.downloads.path();
        let deadline = Instant::now() + WAIT;
        loop {
            let done = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(suffix));
            if let Some(p) = done {
                return p;
            }
            assert!(Instant::now() < deadline, "no {suffix} was downloaded");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Digits, sign and decimal point only: "¥ 5,409.88 万元" → "5409.88".
pub fn figure(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect()
}
