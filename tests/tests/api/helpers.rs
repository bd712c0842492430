use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::{Connection, RunQueryDsl};

use keyproj::{Application, Settings};
use keyproj_shared::{Problem, Role};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use tempfile::TempDir;

// the checker of every answer against the API document; the benches and browser tests
// include these helpers too, and use only some of it
#[allow(dead_code)]
#[path = "conformance.rs"]
pub mod conformance;
#[allow(dead_code)]
#[path = "proxy.rs"]
pub mod proxy;

/// Set by `scripts/trust-figures.sh`: a file each test appends its tally line to.
pub const TALLY_ENV: &str = "KEYPROJ_TEST_TALLY";

pub struct TestApp {
    /// Where tests send requests: in the API suite, the checking proxy (proxy.rs).
    pub address: String,
    /// The server itself, for tests of the connection (raw TCP, chunked bodies).
    #[allow(dead_code)]
    pub direct: String,
    /// What passed through the proxy, when there is one.
    #[allow(dead_code)]
    pub tally: Option<std::sync::Arc<proxy::Tally>>,
    /// The test that started the server, as libtest names it (`csrf::…`).
    test: String,
    /// Stops the server; the browser tests use it to take the API away under a loaded page.
    #[allow(dead_code)]
    pub handle: actix_web::dev::ServerHandle,
    pub client: reqwest::Client,
    pub database_url: String,
    /// The accounts `--demo` created at start, with their passwords.
    #[allow(dead_code)]
    pub demo_accounts: Vec<(String, Role, String)>,
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
        session_idle_secs: 30 * 60,
        session_max_secs: 12 * 60 * 60,
        trust_proxy_headers: false,
        demo: false,
        oc4ids: keyproj::config::Oc4idsSettings::default(),
        response_cache: Default::default(),
        statement_counter: None,
    }
}

/// Starts the real application on a free port with a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like `spawn_app`, with settings changed first, e.g. a tiny session idle time.
pub async fn spawn_app_with(change: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(dir.path());
    spawn_app_configured(dir, url, None, change).await
}

/// Starts the application on a given database, optionally with a built app to serve.
pub async fn spawn_app_on(
    dir: TempDir,
    database_url: String,
    static_dir: Option<&Path>,
) -> TestApp {
    spawn_app_configured(dir, database_url, static_dir, |_| {}).await
}

/// Starts the application on a given database with settings changed first.
pub async fn spawn_app_configured(
    dir: TempDir,
    database_url: String,
    static_dir: Option<&Path>,
    change: impl FnOnce(&mut Settings),
) -> TestApp {
    let static_dir = static_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.path().join("no-app-built"));
    let mut s = settings(&database_url, &static_dir);
    change(&mut s);
    let app = Application::build(s).await.expect("the application builds");
    let direct = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let demo_accounts = app.demo_accounts().to_vec();
    tokio::spawn(app.run_until_stopped());
    let (address, tally) = if crate::CHECK_EVERY_ANSWER {
        let (address, tally, _) = proxy::start(direct.clone()).await;
        (address, Some(tally))
    } else {
        (direct.clone(), None)
    };
    TestApp {
        address,
        direct,
        tally,
        test: std::thread::current().name().unwrap_or("?").to_string(),
        handle,
        client: reqwest::Client::new(),
        database_url,
        demo_accounts,
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
        let ct = content_type(&res);
        let body = res.text().await.expect("a body");
        assert_eq!(status, 200, "{path} {query:?} answered {status}: {body}");
        conformance::check(Some(&Method::GET), path, status.as_u16(), &ct, &body);
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
    }
}

/// The password every test account gets.
#[allow(dead_code)]
pub const PASSWORD: &str = "correct horse battery staple";

/// Organisations with projects of their own, for owner accounts.
#[allow(dead_code)]
pub const SHAOSHAN: &str = "韶山市民政局";
#[allow(dead_code)]
pub const YUHU: &str = "雨湖区民政局";

/// A logged-in user: every request carries the session cookie and `X-Requested-With`.
#[allow(dead_code)]
#[derive(Clone)]
pub struct Session {
    pub address: String,
    pub client: reqwest::Client,
    /// `keyproj_session=<token>`
    pub cookie: String,
    pub username: String,
}

#[allow(dead_code)]
impl Session {
    /// A request with the cookie and nothing else: what a cross-site page could send.
    pub fn bare(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{}", self.address, path))
            .header("cookie", &self.cookie)
    }

    /// A request as the web app sends it: cookie and `X-Requested-With`.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.bare(method, path)
            .header("x-requested-with", "keyproj")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("answered")
    }

    /// GET that must answer 200 with JSON of type T.
    pub async fn json<T: DeserializeOwned>(&self, path: &str) -> T {
        ok_json_to(Some(&Method::GET), self.get(path).await, path).await
    }

    pub async fn post(&self, path: &str, body: &serde_json::Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("answered")
    }

    pub async fn post_if_match(
        &self,
        path: &str,
        etag: &str,
        body: &serde_json::Value,
    ) -> Response {
        self.request(Method::POST, path)
            .header("if-match", etag)
            .json(body)
            .send()
            .await
            .expect("answered")
    }

    pub async fn patch(
        &self,
        path: &str,
        etag: Option<&str>,
        body: &serde_json::Value,
    ) -> Response {
        let mut r = self.request(Method::PATCH, path).json(body);
        if let Some(e) = etag {
            r = r.header("if-match", e);
        }
        r.send().await.expect("answered")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path)
            .send()
            .await
            .expect("answered")
    }

    /// Submits a report, answering the response.
    pub async fn report(&self, code: &str, body: &serde_json::Value) -> Response {
        self.post(&format!("/api/projects/{code}/reports"), body)
            .await
    }
}

/// Answers 2xx with JSON of type T, or fails the test showing the body.
/// The answer is checked against the API document (see conformance.rs).
pub async fn ok_json<T: DeserializeOwned>(res: Response, what: &str) -> T {
    ok_json_to(None, res, what).await
}

/// `ok_json` for an answer to a known method.
async fn ok_json_to<T: DeserializeOwned>(method: Option<&Method>, res: Response, what: &str) -> T {
    let status = res.status();
    let (path, ct) = (res.url().path().to_string(), content_type(&res));
    let body = res.text().await.expect("a body");
    assert!(status.is_success(), "{what} answered {status}: {body}");
    conformance::check(method, &path, status.as_u16(), &ct, &body);
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: {e}: {body}"))
}

/// The answer's Content-Type, or "" without one.
pub fn content_type(res: &Response) -> String {
    res.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// An error answer: its status and problem body (which must be problem+json, and what the
/// API document says, see conformance.rs).
#[allow(dead_code)]
pub async fn problem(res: Response) -> (u16, Problem) {
    let status = res.status().as_u16();
    let ct = content_type(&res);
    let path = res.url().path().to_string();
    let body = res.text().await.expect("a body");
    assert_eq!(ct, "application/problem+json", "status {status}: {body}");
    conformance::check(None, &path, status, &ct, &body);
    let p: Problem = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(p.status, status);
    (status, p)
}

/// The fields a problem names, sorted.
#[allow(dead_code)]
pub fn fields(p: &Problem) -> Vec<String> {
    let mut f: Vec<String> = p.errors.iter().map(|e| e.field.clone()).collect();
    f.sort_unstable();
    f
}

/// At the end of a test, every answer that went through the proxy must have kept the
/// document; the tally goes to `TALLY_ENV`'s file when it is set.
impl Drop for TestApp {
    fn drop(&mut self) {
        let Some(tally) = &self.tally else { return };
        let unexpected = tally.unexpected();
        if let Ok(path) = std::env::var(TALLY_ENV) {
            use std::io::Write;
            let line = format!(
                "{}\t{}\t{}\t{}\n",
                self.test,
                tally.requests.load(std::sync::atomic::Ordering::Relaxed),
                unexpected.len(),
                tally.lost.load(std::sync::atomic::Ordering::Relaxed)
            );
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .unwrap_or_else(|e| panic!("{TALLY_ENV}={path}: {e}"));
            file.write_all(line.as_bytes())
                .expect("the tally is written");
        }
        if !std::thread::panicking() {
            assert!(
                unexpected.is_empty(),
                "answers that break the API document: {unexpected:#?}"
            );
        }
    }
}

#[allow(dead_code)]
impl TestApp {
    /// A pooled connection to the app's database, for looking behind the API.
    pub fn db(&self) -> keyproj::db::DbPool {
        keyproj::db::connect(&self.database_url, 2).expect("a pool")
    }

    /// Creates an account directly in the database (as `keyproj user add` does).
    pub async fn add_user(&self, username: &str, role: Role, org: Option<&str>) {
        let pool = self.db();
        let (username, org) = (username.to_string(), org.map(str::to_string));
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("connection");
            keyproj::accounts::cli_add(&mut conn, &username, role.key(), org.as_deref(), PASSWORD)
                .unwrap_or_else(|e| panic!("adding {username}: {e:#}"));
        })
        .await
        .expect("joined");
    }

    /// Logs in through the API; answers the raw response.
    pub async fn login_response(&self, username: &str, password: &str) -> Response {
        login_response_at(&self.client, &self.address, username, password).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Session {
        login_at(&self.client, &self.address, username, password).await
    }

    /// A new account of this role (owners of `org`), logged in.
    pub async fn user(&self, username: &str, role: Role, org: Option<&str>) -> Session {
        self.add_user(username, role, org).await;
        self.login(username, PASSWORD).await
    }

    /// A project `org` owns (one of its owners), and one it does not.
    pub async fn projects_of(
        &self,
        org: &str,
    ) -> (keyproj_shared::ProjectItem, keyproj_shared::ProjectItem) {
        let all = all_projects(self).await;
        let own = all
            .iter()
            .find(|p| p.owners.iter().any(|o| o.name == org))
            .cloned()
            .expect("a project of the organisation");
        let other = all
            .iter()
            .find(|p| p.owners.iter().all(|o| o.name != org))
            .cloned()
            .expect("a project of another organisation");
        (own, other)
    }
}

/// Logs in at the server at `address`; answers the raw response.
#[allow(dead_code)]
pub async fn login_response_at(
    client: &reqwest::Client,
    address: &str,
    username: &str,
    password: &str,
) -> Response {
    client
        .post(format!("{address}/api/session"))
        .header("x-requested-with", "keyproj")
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await
        .expect("answered")
}

/// Logs in at the server at `address`, which must accept.
#[allow(dead_code)]
pub async fn login_at(
    client: &reqwest::Client,
    address: &str,
    username: &str,
    password: &str,
) -> Session {
    let res = login_response_at(client, address, username, password).await;
    let status = res.status();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("keyproj_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_string());
    let body = res.text().await.unwrap_or_default();
    assert_eq!(status, 200, "logging in {username}: {body}");
    Session {
        address: address.to_string(),
        client: client.clone(),
        cookie: cookie.expect("a session cookie"),
        username: username.to_string(),
    }
}

/// A sound report body for a month; change fields with `json["…"] = …`.
#[allow(dead_code)]
pub fn report_body(period: &str, completed: &str) -> serde_json::Value {
    serde_json::json!({
        "period": period,
        "physical_progress_pct": "45.5",
        "investment_completed": completed,
        "social_investment_completed": "0",
        "status": "in_progress",
        "actual_start": "2021-03-01",
        "progress_text": "主体结构施工中",
        "problems_text": "",
    })
}

/// Headers a test may add to a request.
#[allow(dead_code)]
pub fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_str(v).expect("a header value"));
    }
    h
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
