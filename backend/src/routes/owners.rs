use actix_web::{get, web};
use keyproj_shared::OwnerNames;

use super::RawQuery;
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::models::organisation::OrganisationRow;

/// Every 建设主体 that owns at least one project, each once, sorted by code point: the
/// choices of the owner filter (`owner=` on the list and the other reads), without paging
/// through every project.
#[utoipa::path(
    tag = "projects",
    responses(
        (status = 200, body = OwnerNames),
        (status = 422, description = "a query parameter: this operation takes none", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/owners")]
pub async fn owners(
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<web::Json<OwnerNames>, ApiError> {
    if let Some((key, _)) = query.first() {
        return Err(ApiError::field(key, "此接口不接受参数"));
    }
    let names = with_conn(&pool, |conn| Ok(OrganisationRow::owner_names(conn)?)).await?;
    Ok(web::Json(OwnerNames { names }))
}
