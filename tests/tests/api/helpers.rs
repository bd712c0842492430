use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::{Connection, RunQueryDsl};

use keyproj::{Application, Settings};
use reqwest::Response;
use serde::de::DeserializeOwned;
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    /// Stops the server; the browser tests use it to take the API away under a loaded page.
    #[allow(dead_code)]
    pub handle: actix_web::dev::ServerHandle,
    pub client: reqwest::Client,
    pub database_url: String,
    // dropped last: the database file lives in it
    pub _dir: TempDir,
}

/// Set by scripts/test.sh for the second run of the suite: a PostgreSQL server to create
/// each test's database on (`postgres://user@host:port/postgres`).
pub const PG_ENV: &str = "KEYPROJ_TEST_PG_URL";

/// A new, empty database for one test: a SQLite file in `dir`, or, when the suite runs on
/// PostgreSQL, a freshly created database on that server.
pub fn fresh_database(dir: &Path) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let Ok(admin_url) = std::env::var(PG_ENV) else {
        return dir.join("keyproj.db").display().to_string();
    };
    let name = format!(
        "keyproj_test_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = diesel::PgConnection::establish(&admin_url)
        .unwrap_or_else(|e| panic!("{PG_ENV}={admin_url}: {e}"));
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("a fresh test database");
    let (server, _) = admin_url.rsplit_once('/').expect("a URL with a database");
    format!("{server}/{name}")
}

pub fn settings(database_url: &str, static_dir: &Path) -> Settings {
    Settings {
        database_url: database_url.to_string(),
        bind: "127.0.0.1:0".parse().expect("literal address"),
        static_dir: static_dir.to_path_buf(),
        db_pool_size: 4,
    }
}

/// Starts the real application on a free port with a fresh database.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(dir.path());
    spawn_app_on(dir, url, None).await
}

/// Starts the application on a given database, optionally with a built app to serve.
pub async fn spawn_app_on(
    dir: TempDir,
    database_url: String,
    static_dir: Option<&Path>,
) -> TestApp {
    let static_dir = static_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.path().join("no-app-built"));
    let app = Application::build(settings(&database_url, &static_dir))
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        handle,
        client: reqwest::Client::new(),
        database_url,
        _dir: dir,
    }
}

impl TestApp {
    pub async fn get(&self, path_and_query: &str) -> Response {
        self.client
            .get(format!("{}{}", self.address, path_and_query))
            .send()
            .await
            .expect("the request is answered")
    }

    /// GET with query pairs, percent-encoded the way a browser sends them.
    pub async fn get_query(&self, path: &str, query: &[(&str, &str)]) -> Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .query(query)
            .send()
            .await
            .expect("the request is answered")
    }

    /// GET that must answer 200 with JSON of type T.
    pub async fn json<T: DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> T {
        let res = self.get_query(path, query).await;
        let status = res.status();
        let body = res.text().await.expect("a body");
        assert_eq!(status, 200, "{path} {query:?} answered {status}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
    }
}

/// Every project, fetched page by page through the public list.
pub async fn all_projects(app: &TestApp) -> Vec<keyproj_shared::ProjectItem> {
    let mut out = Vec::new();
    for page in 1.. {
        let p: keyproj_shared::ProjectPage = app
            .json(
                "/api/projects",
                &[("per_page", "100"), ("page", &page.to_string())],
            )
            .await;
        let done = p.items.is_empty();
        out.extend(p.items);
        if done {
            break;
        }
    }
    out
}

pub fn money(s: &str) -> keyproj_shared::Money {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}
