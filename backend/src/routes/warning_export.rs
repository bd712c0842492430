//! `GET /api/export/warnings.csv` and `.xlsx`: the 预警 page's month as a download, every
//! matching verdict with its arithmetic. Under conditional GET (`routes::conditional`): the
//! clock enters a verdict only through report deadlines, each the end of a day in China
//! time, and the tag names the China day, so a deadline passing moves the tag. A 304 keeps
//! the copy the client holds, with its own 导出时间.

use super::filter_params::ProjectFilterParams;
use actix_web::{HttpResponse, get, web};
use keyproj_shared::{Period, WarningQuery};

use super::RawQuery;
use super::export::attachment;
use crate::clock;
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::sheet::{self, Table};
use crate::warning_export;

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn table(pool: &web::Data<DbPool>, query: &RawQuery) -> Result<(Period, Table), ApiError> {
    let q = WarningQuery::from_pairs(query).map_err(ApiError::Validation)?;
    let period = q
        .period
        .ok_or_else(|| ApiError::field("period", "必须指定月份，格式 YYYY-MM"))?;
    let now = clock::stamp(clock::now());
    let t = with_conn(pool, move |conn| {
        warning_export::month_table(conn, &q, period, &now)
    })
    .await?;
    Ok((period, t))
}

/// The month's warnings as CSV (UTF-8 with BOM): the list's rows, every page, with the
/// project's 本年完成投资 figures, and a 合计 row.
#[utoipa::path(
    operation_id = "export_warnings_csv",
    tag = "warnings",
    params(
        ("period" = String, Query, description = "the month, `YYYY-MM` (required)", example = "2024-06"),
        ("level" = Option<String>, Query, description = "green, info, yellow or red"),
        ("rule" = Option<String>, Query, description = "investment_lag, start_lag, completion_lag, not_reported or divergence"),
        ("page" = Option<u32>, Query, description = "accepted as for GET /api/warnings, and ignored: every matching row"),
        ("per_page" = Option<u32>, Query, description = "accepted as for GET /api/warnings (1-500), and ignored"),
        ProjectFilterParams,
    ),
    responses(
        (status = 200, content_type = "text/csv", description = "UTF-8 CSV with BOM"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export/warnings.csv")]
pub async fn warnings_csv(
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let (period, t) = table(&pool, &query).await?;
    let body = web::block(move || sheet::csv(&t))
        .await?
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(&format!("keyproj-warnings-{period}.csv")))
        .body(body))
}

/// The month's warnings as an Excel workbook: title, rule-set version, rows, 合计.
#[utoipa::path(
    operation_id = "export_warnings_xlsx",
    tag = "warnings",
    params(
        ("period" = String, Query, description = "the month, `YYYY-MM` (required)", example = "2024-06"),
        ("level" = Option<String>, Query, description = "green, info, yellow or red"),
        ("rule" = Option<String>, Query, description = "investment_lag, start_lag, completion_lag, not_reported or divergence"),
        ("page" = Option<u32>, Query, description = "accepted as for GET /api/warnings, and ignored: every matching row"),
        ("per_page" = Option<u32>, Query, description = "accepted as for GET /api/warnings (1-500), and ignored"),
        ProjectFilterParams,
    ),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX workbook"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export/warnings.xlsx")]
pub async fn warnings_xlsx(
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let (period, t) = table(&pool, &query).await?;
    let body = web::block(move || sheet::xlsx(&[t]))
        .await?
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(XLSX_TYPE)
        .insert_header(attachment(&format!("keyproj-warnings-{period}.xlsx")))
        .body(body))
}
