use actix_web::{get, web};
use keyproj_shared::Health;

use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::models::project::ProjectRow;

/// Answers 200 only when the database answers too.
#[utoipa::path(tag = "health", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz(pool: web::Data<DbPool>) -> Result<web::Json<Health>, ApiError> {
    let n = with_conn(&pool, |conn| Ok(ProjectRow::count(conn)?)).await?;
    Ok(web::Json(Health {
        status: "ok".to_string(),
        projects: u64::try_from(n).unwrap_or(0),
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
