use actix_web::{get, web};
use keyproj_shared::{Pivot, ProjectFilter, Summary, SummaryQuery};

use super::RawQuery;
use crate::catalog;
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;

/// Counts and sums per group, over the same filters as the list.
#[utoipa::path(
    tag = "projects",
    params(
        ("group_by" = String, Query, description = "district, category, nature, start_year or end_year"),
        ("district" = Option<String>, Query, description = "as for /api/projects; so are category, nature, owner, the year bounds, has_social and q"),
    ),
    responses(
        (status = 200, body = Summary),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/summary")]
pub async fn summary(
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<web::Json<Summary>, ApiError> {
    let q = SummaryQuery::from_pairs(&query).map_err(ApiError::Validation)?;
    let s = with_conn(&pool, move |conn| catalog::summary(conn, &q)).await?;
    Ok(web::Json(s))
}

/// 县市区 × 类别 over the same filters as the list.
#[utoipa::path(
    tag = "projects",
    params(("district" = Option<String>, Query, description = "as for /api/projects; so are category, nature, owner, the year bounds, has_social and q")),
    responses(
        (status = 200, body = Pivot),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pivot")]
pub async fn pivot(pool: web::Data<DbPool>, query: RawQuery) -> Result<web::Json<Pivot>, ApiError> {
    let f = ProjectFilter::from_pairs(&query).map_err(ApiError::Validation)?;
    let p = with_conn(&pool, move |conn| catalog::pivot(conn, &f)).await?;
    Ok(web::Json(p))
}
