use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use keyproj_shared::{ExportQuery, ListQuery};

use super::RawQuery;
use crate::catalog;
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::export;
use crate::verdicts::VerdictCache;

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn attachment(name: &str) -> ContentDisposition {
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(name.to_string())],
    }
}

async fn rows(
    pool: &web::Data<DbPool>,
    cache: web::Data<VerdictCache>,
    query: &RawQuery,
) -> Result<
    (
        Vec<(keyproj_shared::ProjectItem, String)>,
        keyproj_shared::Totals,
    ),
    ApiError,
> {
    let q = ListQuery::export_from_pairs(query).map_err(ApiError::Validation)?;
    with_conn(pool, move |conn| {
        if q.by_warning() {
            catalog::by_warning::export_rows(conn, &cache, &q)
        } else {
            catalog::export_rows(conn, &ExportQuery::from(&q))
        }
    })
    .await
}

/// The filtered list as CSV: UTF-8 with a BOM, one row per project and a 合计 row.
#[utoipa::path(
    tag = "export",
    params(
        ("sort" = Option<String>, Query, description = "as for /api/projects, `gap`/`-gap` included; so are all its filters (no paging: every matching row; `page`, `per_page` and `cursor` are 422)"),
        ("warning" = Option<String>, Query, description = "as for /api/projects: only projects of this 预警 colour of the month `period`"),
        ("period" = Option<String>, Query, description = "as for /api/projects: the month `warning` and `sort=gap` judge"),
    ),
    responses(
        (status = 200, content_type = "text/csv", description = "UTF-8 CSV with BOM"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export/projects.csv")]
pub async fn csv(
    pool: web::Data<DbPool>,
    cache: web::Data<VerdictCache>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let (items, totals) = rows(&pool, cache, &query).await?;
    let body = web::block(move || export::csv(&items, &totals))
        .await?
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment("keyproj-projects.csv"))
        .body(body))
}

/// The filtered list as an Excel workbook, amounts as number cells.
#[utoipa::path(
    tag = "export",
    params(
        ("sort" = Option<String>, Query, description = "as for /api/projects, `gap`/`-gap` included; so are all its filters (no paging)"),
        ("warning" = Option<String>, Query, description = "as for /api/projects: only projects of this 预警 colour of the month `period`"),
        ("period" = Option<String>, Query, description = "as for /api/projects: the month `warning` and `sort=gap` judge"),
    ),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX workbook"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export/projects.xlsx")]
pub async fn xlsx(
    pool: web::Data<DbPool>,
    cache: web::Data<VerdictCache>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let (items, totals) = rows(&pool, cache, &query).await?;
    let body = web::block(move || export::xlsx(&items, &totals))
        .await?
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(XLSX_TYPE)
        .insert_header(attachment("keyproj-projects.xlsx"))
        .body(body))
}
