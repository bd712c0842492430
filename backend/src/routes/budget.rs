//! 预算: `GET /api/budget?year=`.

use actix_web::{get, web};
use keyproj_shared::Budget;

use super::RawQuery;
use crate::budget as service;
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;

fn year_of(query: &RawQuery) -> Result<i32, ApiError> {
    let mut year = None;
    for (k, v) in query.iter() {
        match k.as_str() {
            "year" => year = Some(v.trim().to_string()),
            other => {
                return Err(ApiError::field(
                    other,
                    "未知的查询参数；/api/budget 只接受 year",
                ));
            }
        }
    }
    let raw = year.ok_or_else(|| ApiError::field("year", "必须指定年份，如 2025"))?;
    raw.parse::<i32>()
        .ok()
        .filter(|y| service::YEARS.contains(y))
        .ok_or_else(|| ApiError::field("year", "年份应为 2020 到 2030 之间的整数"))
}

/// A year's 年度计划投资 against 本年完成投资 (approved reports, the warnings' rule), by
/// district and by category, with the 投资完成率 where every figure of a group is known.
#[utoipa::path(
    tag = "warnings",
    params(("year" = i32, Query, description = "the plan year, 2020-2030", minimum = 2020, maximum = 2030, example = 2025)),
    responses(
        (status = 200, body = Budget),
        (status = 422, description = "no year, a year outside 2020-2030, or an unknown parameter", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/budget")]
pub async fn year_budget(
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<web::Json<Budget>, ApiError> {
    let year = year_of(&query)?;
    let b = with_conn(&pool, move |conn| service::of_year(conn, year)).await?;
    Ok(web::Json(b))
}
