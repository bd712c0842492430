use actix_web::{get, web};
use keyproj_shared::{ListQuery, ProjectDetail, ProjectPage};

use super::{RawQuery, with_conn};
use crate::catalog;
use crate::db::DbPool;
use crate::error::ApiError;

/// The project list, filtered, sorted and paged.
#[utoipa::path(
    get,
    path = "/api/projects",
    tag = "projects",
    params(
        ("district" = Option<String>, Query, description = "县市区: a key (`shaoshan`) or its Chinese name (`韶山市`); `unassigned` (未分配) for projects the source does not place"),
        ("category" = Option<String>, Query, description = "类别: `A`-`E` or its name, e.g. `老年人福利类`"),
        ("nature" = Option<String>, Query, description = "建设性质 (normalised): `new`, `expansion`, `renovation`, `continued`, `new_or_continued`, `new_and_renovation`, or the Chinese label"),
        ("owner" = Option<String>, Query, description = "建设主体: an organisation name exactly as `owners[].name` gives it"),
        ("start_year_from" = Option<i32>, Query, description = "开工年份 ≥ this; a range such as 2021-2023 starts at its earliest year"),
        ("start_year_to" = Option<i32>, Query, description = "开工年份 ≤ this"),
        ("end_year_from" = Option<i32>, Query, description = "竣工年份 ≥ this; a range completes by its latest year"),
        ("end_year_to" = Option<i32>, Query, description = "竣工年份 ≤ this"),
        ("has_social" = Option<bool>, Query, description = "with (`true`) or without (`false`) social investment"),
        ("q" = Option<String>, Query, description = "substring of name, owners or content"),
        ("sort" = Option<String>, Query, description = "column to sort on; prefix `-` for descending. code, name, category, nature, owner, district, start, end, total_investment, planned_investment, social_share_pct, social_investment"),
        ("page" = Option<u32>, Query, description = "1-based page"),
        ("per_page" = Option<u32>, Query, description = "1-100, default 20"),
    ),
    responses(
        (status = 200, body = ProjectPage),
        (status = 422, description = "a parameter is unknown or has a bad value", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects")]
pub async fn list(
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<web::Json<ProjectPage>, ApiError> {
    let q = ListQuery::from_pairs(&query).map_err(ApiError::Validation)?;
    let page = with_conn(&pool, move |conn| catalog::project_page(conn, &q)).await?;
    Ok(web::Json(page))
}

/// One project with every field, including each cell as published.
#[utoipa::path(
    get,
    path = "/api/projects/{code}",
    tag = "projects",
    params(("code" = String, Path, description = "category letter and 序号, e.g. `B09`")),
    responses(
        (status = 200, body = ProjectDetail),
        (status = 404, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects/{code}")]
pub async fn detail(
    pool: web::Data<DbPool>,
    code: web::Path<String>,
) -> Result<web::Json<ProjectDetail>, ApiError> {
    let code = code.into_inner();
    let detail = with_conn(&pool, move |conn| catalog::project_detail(conn, &code)).await?;
    Ok(web::Json(detail))
}
