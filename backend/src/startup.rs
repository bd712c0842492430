//! Builds the application from typed settings; `main` and the tests both start it here.

use std::net::TcpListener;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header::{CACHE_CONTROL, HeaderName, HeaderValue};
use actix_web::middleware::{Compress, DefaultHeaders, Next, from_fn};
use actix_web::{App, HttpMessage, HttpRequest, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::AppExt;

use crate::accounts::{self, DemoAccount};
use crate::auth::{AuthConfig, LoginGate};
use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::error::ApiError;
use crate::routes;
use crate::seed;

pub struct Application {
    port: u16,
    server: Server,
    demo_accounts: Vec<DemoAccount>,
}

impl Application {
    /// Opens the database, migrates it, loads annex 1 where missing, and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let url = settings.database_url.clone();
        let pool_size = settings.db_pool_size;
        let demo = settings.demo;
        let counter = settings.statement_counter.clone();
        let (pool, version_pool, demo_accounts) = actix_web::rt::task::spawn_blocking(
            move || -> anyhow::Result<(DbPool, DbPool, Vec<DemoAccount>)> {
                let pool = db::connect_counted(&url, pool_size, counter.clone())?;
                // the data version's reads, on a connection of their own (`db::VersionReads`)
                let version_pool = db::pool_of(&url, 1, counter)?;
                let mut conn = pool.get().context("getting a connection to seed")?;
                let report = seed::load(&mut conn)?;
                tracing::info!(
                    inserted = report.inserted,
                    already_present = report.already_present,
                    "annex 1 loaded"
                );
                // computed once now, so the first unknown-user login takes no longer
                // than a wrong password
                crate::auth::dummy_hash();
                let demo_accounts = if demo {
                    // refused before anything is written, on a database with user data
                    crate::demo::check_fresh(&mut conn)?;
                    let created = accounts::create_demo_users(&mut conn)
                        .map_err(|e| anyhow::anyhow!("creating the demo accounts: {e}"))?;
                    match crate::demo::load(&mut conn).context("loading the demo sample")? {
                        crate::demo::Outcome::Loaded { plans, reports } => println!(
                            "--demo: loaded the sample ({plans} annual plans of {}, {reports} approved reports); the web app shows a banner",
                            crate::demo::YEAR
                        ),
                        crate::demo::Outcome::AlreadyPresent => {
                            println!("--demo: this database holds the sample already")
                        }
                    }
                    created
                } else {
                    Vec::new()
                };
                Ok((pool, version_pool, demo_accounts))
            },
        )
        .await
        .context("the start-up thread failed")??;
        if demo {
            print_demo_accounts(&demo_accounts);
        }
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let server = run(listener, pool, version_pool, settings)?;
        Ok(Application {
            port,
            server,
            demo_accounts,
        })
    }

    /// The demo accounts this start created, with their passwords (`--demo` only).
    pub fn demo_accounts(&self) -> &[DemoAccount] {
        &self.demo_accounts
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from outside, e.g. a test taking the API away under a loaded page.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn print_demo_accounts(created: &[DemoAccount]) {
    if created.is_empty() {
        println!(
            "--demo: the demo accounts exist already; their passwords were shown when they were created"
        );
        return;
    }
    println!("--demo: try every role with these accounts (shown once, not stored anywhere):");
    for (username, role, password) in created {
        println!("  {:<14} {:<10} {}", username, role.label(), password);
    }
}

/// Echoes the request id tracing-actix-web gave the request as `X-Request-Id`; the audit
/// trail records the same id.
async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|r| r.to_string());
    let mut res = next.call(req).await?;
    if let Some(v) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), v);
    }
    Ok(res)
}

fn query_error(e: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(format!("查询字符串无法解析: {e}")).into()
}

fn path_error(e: PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(format!("路径参数无法解析: {e}")).into()
}

fn json_error(e: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(format!("请求体不是有效的 JSON: {e}")).into()
}

fn run(
    listener: TcpListener,
    pool: DbPool,
    version_pool: DbPool,
    settings: Settings,
) -> anyhow::Result<Server> {
    let pool = web::Data::new(pool);
    let auth = web::Data::new(AuthConfig::from(&settings));
    let login_gate = web::Data::new(LoginGate::default());
    let verdicts = web::Data::new(crate::verdicts::VerdictCache::default());
    // collected once from the route table that each worker registers
    let openapi = web::Data::new(routes::openapi());
    let oc4ids = web::Data::new(settings.oc4ids.clone());
    let derived = web::Data::new(crate::catalog::Derived::default());
    let version_reads = web::Data::new(db::VersionReads::new(version_pool));
    let response_cache = web::Data::new(routes::response_cache::ResponseCache::new(
        settings.response_cache.clone(),
    ));
    let server = HttpServer::new(move || {
        App::new()
            .wrap(from_fn(routes::spa::not_found_page))
            .wrap(from_fn(routes::spa::read_only))
            // Answers are data that changes, and index.html names the current release's
            // files: revalidate unless a route says otherwise (hashed assets: a year;
            // private answers: no-store).
            .wrap(DefaultHeaders::new().add((CACHE_CONTROL, "no-cache")))
            // Whatever the client accepts (br, gzip, zstd); an answer that is encoded
            // already (the build's compressed assets) passes through.
            .wrap(Compress::default())
            .wrap(from_fn(request_id_header))
            .wrap(TracingLogger::default())
            .app_data(pool.clone())
            .app_data(auth.clone())
            .app_data(login_gate.clone())
            .app_data(verdicts.clone())
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .app_data(web::PathConfig::default().error_handler(path_error))
            .app_data(web::JsonConfig::default().error_handler(json_error))
            .app_data(web::PayloadConfig::new(routes::body::BODY_LIMIT))
            .app_data(openapi.clone())
            .app_data(oc4ids.clone())
            .app_data(derived.clone())
            .app_data(version_reads.clone())
            .app_data(response_cache.clone())
            .into_utoipa_app()
            .configure(routes::api)
            .into_app()
            .configure(routes::spa::configure(&settings.static_dir))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
