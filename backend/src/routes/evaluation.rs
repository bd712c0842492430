//! 规划终期评估 and its workbook. Public, like the summary: derived from the plan and from
//! approved figures.

use actix_web::{HttpResponse, get, web};
use keyproj_shared::Evaluation;

use super::RawQuery;
use super::export::attachment;
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::evaluation::{self, export};
use crate::sheet;

fn no_parameters(query: &RawQuery) -> Result<(), ApiError> {
    match query.first() {
        Some((key, _)) => Err(ApiError::field(key, "此接口不接受参数")),
        None => Ok(()),
    }
}

/// The plan's final evaluation from approved reports up to 2025-12: each project completed
/// on time, late, under construction, suspended, not started or without an approved report;
/// 十四五 investment completed against "十四五"计划投资; the same by category (with the
/// published subtotals' findings) and by district.
#[utoipa::path(
    tag = "evaluation",
    responses(
        (status = 200, body = Evaluation),
        (status = 422, description = "any parameter", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evaluation")]
pub async fn final_evaluation(
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<web::Json<Evaluation>, ApiError> {
    no_parameters(&query)?;
    Ok(web::Json(with_conn(&pool, evaluation::evaluation).await?))
}

/// The final evaluation as an Excel workbook laid out as a report: by category, by
/// district, every project; title, date of the data, units, 合计 rows.
#[utoipa::path(
    tag = "evaluation",
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX workbook"),
        (status = 422, description = "any parameter", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export/evaluation.xlsx")]
pub async fn evaluation_xlsx(
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    no_parameters(&query)?;
    let e = with_conn(&pool, evaluation::evaluation).await?;
    let body = web::block(move || sheet::xlsx(&export::tables(&e)))
        .await?
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header(attachment("keyproj-evaluation-2025.xlsx"))
        .body(body))
}
