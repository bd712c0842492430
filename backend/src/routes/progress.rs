//! `GET /api/projects/{code}/progress?period=`: the project page's planned-against-actual
//! chart, one call for the year.

use actix_web::{get, web};
use keyproj_shared::{ProjectProgress, WarningQuery};

use super::RawQuery;
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::progress;

/// Every month of the period's year: 序时进度 and the plan due by the month (年度计划投资 ×
/// 序时进度), the approved 累计完成投资 and 本年完成投资, and the month's colour, each month
/// judged with the reports up to it. Months after `period` carry the plan only. Under
/// conditional GET: the clock moves a colour only at a report deadline, the end of a day in
/// China time, and the tag names the China day.
#[utoipa::path(
    operation_id = "project_progress",
    tag = "warnings",
    params(
        ("code" = String, Path, description = "e.g. `B09`"),
        ("period" = String, Query, description = "the month, `YYYY-MM` (required): its year is answered, judged up to it", example = "2024-06"),
    ),
    responses(
        (status = 200, body = ProjectProgress),
        (status = 404, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects/{code}/progress")]
pub async fn project_progress(
    pool: web::Data<DbPool>,
    code: web::Path<String>,
    query: RawQuery,
) -> Result<web::Json<ProjectProgress>, ApiError> {
    let period = WarningQuery::period_from_pairs(&query).map_err(ApiError::Validation)?;
    let code = code.into_inner();
    let out = with_conn(&pool, move |conn| progress::of_project(conn, &code, period)).await?;
    Ok(web::Json(out))
}
