//! Builds the application from typed settings; `main` and the tests both start it here.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{App, HttpRequest, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::error::ApiError;
use crate::routes;
use crate::seed;

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Opens the database, migrates it, loads annex 1 where missing, and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let url = settings.database_url.clone();
        let pool_size = settings.db_pool_size;
        let pool = actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<DbPool> {
            let pool = db::connect(&url, pool_size)?;
            let mut conn = pool.get().context("getting a connection to seed")?;
            let report = seed::load(&mut conn)?;
            tracing::info!(
                inserted = report.inserted,
                already_present = report.already_present,
                "annex 1 loaded"
            );
            Ok(pool)
        })
        .await
        .context("the start-up thread failed")??;
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let server = run(listener, pool, settings)?;
        Ok(Application { port, server })
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

fn query_error(e: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(format!("查询字符串无法解析: {e}")).into()
}

fn path_error(e: PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(format!("路径参数无法解析: {e}")).into()
}

fn json_error(e: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(format!("请求体不是有效的 JSON: {e}")).into()
}

fn run(listener: TcpListener, pool: DbPool, settings: Settings) -> anyhow::Result<Server> {
    let pool = web::Data::new(pool);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(TracingLogger::default())
            .app_data(pool.clone())
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .app_data(web::PathConfig::default().error_handler(path_error))
            .app_data(web::JsonConfig::default().error_handler(json_error))
            .configure(routes::api)
            .configure(routes::spa::configure(&settings.static_dir))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
