//! HTTP handlers: parse the request, run one catalog read on a blocking thread, answer.

pub mod export;
pub mod health;
pub mod openapi;
pub mod projects;
pub mod reconciliation;
pub mod spa;
pub mod summary;

use actix_web::{HttpRequest, HttpResponse, web};

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

pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .service(projects::list)
            .service(projects::detail)
            .service(summary::summary)
            .service(summary::pivot)
            .service(export::csv)
            .service(export::xlsx)
            .service(reconciliation::reconciliation)
            .service(openapi::document)
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
