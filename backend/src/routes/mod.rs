//! HTTP handlers: parse the request, run one catalog read on a blocking thread, answer.

pub mod audit;
pub mod body;
pub mod export;
pub mod health;
pub mod openapi;
pub mod projects;
pub mod reconciliation;
pub mod reports;
pub mod session;
pub mod spa;
pub mod summary;
pub mod users;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};

use crate::db::{DbConnection, DbPool};
use crate::error::ApiError;

/// Runs `f` with a pooled connection off the actix worker, which must never wait on SQLite.
pub async fn with_conn<T, F>(pool: &web::Data<DbPool>, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

/// Query-string pairs as sent; the shared parsers decide what they mean.
pub type RawQuery = web::Query<Vec<(String, String)>>;

/// The `If-Match` an update must carry: 428 without it. Compared as an exact strong ETag,
/// e.g. `"p12-v3"` (quotes included); `*` and weak tags never match.
pub fn if_match(req: &HttpRequest) -> Result<String, ApiError> {
    req.headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .ok_or(ApiError::PreconditionRequired)
}

/// Answers about accounts and reviews are personal: never cached.
pub fn no_store(mut res: HttpResponseBuilder) -> HttpResponseBuilder {
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    res
}

pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .service(projects::list)
            .service(projects::detail)
            .service(projects::edit)
            .service(reports::submit)
            .service(reports::history)
            .service(reports::queue)
            .service(reports::get_one)
            .service(reports::approve)
            .service(reports::return_report)
            .service(audit::global)
            .service(audit::of_project)
            .service(session::login)
            .service(session::current)
            .service(session::logout)
            .service(users::list)
            .service(users::get_one)
            .service(users::create)
            .service(users::update)
            .service(users::disable)
            .service(users::enable)
            .service(summary::summary)
            .service(summary::pivot)
            .service(export::csv)
            .service(export::xlsx)
            .service(reconciliation::reconciliation)
            .service(openapi::document)
            .service(health::hello)
            .default_service(web::to(unknown_api_path)),
    )
    .service(health::healthz);
}

async fn unknown_api_path(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!(
        "没有这个接口: {} {}",
        req.method(),
        req.path()
    )))
}
