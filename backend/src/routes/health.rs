use actix_web::{get, web};
use keyproj_shared::Health;

use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::models::project::ProjectRow;
use crate::models::sample::SampleRow;

/// Answers 200 only when the database answers too; `sample_data` says whether it holds the
/// `--demo` sample (made-up plans and reports).
#[utoipa::path(tag = "health", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz(pool: web::Data<DbPool>) -> Result<web::Json<Health>, ApiError> {
    let (n, sample_data) = with_conn(&pool, |conn| {
        Ok((ProjectRow::count(conn)?, SampleRow::present(conn)?))
    })
    .await?;
    Ok(web::Json(Health {
        status: "ok".to_string(),
        projects: u64::try_from(n).unwrap_or(0),
        sample_data,
    }))
}

/// A fixed tiny JSON answer that touches nothing: the baseline the scale benchmark compares
/// the real routes' throughput with.
#[utoipa::path(tag = "health", responses((status = 200, description = "`{\"hello\":\"keyproj\"}`")))]
#[get("/hello")]
pub async fn hello() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"{"hello":"keyproj"}"#)
}
