use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, patch, web};
use keyproj_shared::{
    ListQuery, PROJECT_EDIT_FIELDS, ProjectChanges, ProjectDetail, ProjectEdit, ProjectPage,
};

use super::RawQuery;
use super::body::{self, Body};
use crate::auth::{Planners, Signed};
use crate::catalog;
use crate::db::{DbPool, data_version, with_conn};
use crate::edits;
use crate::error::ApiError;
use crate::precondition::Expected;

/// The project list, filtered, sorted and paged.
#[utoipa::path(
    operation_id = "list_projects",
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
        ("status" = Option<String>, Query, description = "status of the latest approved report: not_started, in_progress, completed, suspended; `unreported` for projects without an approved report"),
        ("sort" = Option<String>, Query, description = "column to sort on; prefix `-` for descending. code, name, category, nature, owner, district, start, end, total_investment, planned_investment, social_share_pct, social_investment; or `gap`: the investment-lag gap (序时进度 − 投资完成率, points) of the month `period`, projects without one last, ties by code (`-gap`: most behind first)"),
        ("warning" = Option<String>, Query, description = "预警 colour of the month `period` (the project's worst of red, yellow, green): `red`, `yellow`, `green`, or `none` (no rule gave one: no plan for the year, or nothing known). With `warning` or `sort=gap` the list pages by `page` only (no `cursor`)"),
        ("period" = Option<String>, Query, description = "`YYYY-MM`, the month `warning` and `sort=gap` judge; default the current reporting month, the month before this one (China time); only with `warning` or `sort=gap`"),
        ("page" = Option<u32>, Query, description = "1-based page (OFFSET paging; fine for the first pages, slower the deeper it goes)"),
        ("cursor" = Option<String>, Query, description = "keyset paging: the `next_cursor` of the previous page, with the same filters and sort; not together with `page`. A deep page costs what page 1 costs"),
        ("per_page" = Option<u32>, Query, description = "1-100, default 20"),
    ),
    responses(
        (status = 200, body = ProjectPage),
        (status = 422, description = "a parameter is unknown or has a bad value", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects")]
pub async fn list(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    derived: web::Data<catalog::Derived>,
    cache: web::Data<crate::verdicts::VerdictCache>,
    query: RawQuery,
) -> Result<web::Json<ProjectPage>, ApiError> {
    let q = ListQuery::from_pairs(&query).map_err(ApiError::Validation)?;
    let version = at_request(&req);
    let page = with_conn(&pool, move |conn| {
        if q.by_warning() {
            catalog::by_warning::project_page(conn, &cache, &q)
        } else {
            let plan = derived.at(conn, version)?;
            catalog::project_page(conn, &q, &plan)
        }
    })
    .await?;
    Ok(web::Json(page))
}

/// One project with every field, the current values next to each cell as published. `etag`
/// in the body is what `PATCH` needs as `If-Match`; the `ETag` header is the conditional GET's
/// (see `routes::conditional`).
#[utoipa::path(
    tag = "projects",
    params(("code" = String, Path, description = "category letter and 序号, e.g. `B09`")),
    responses(
        (status = 200, body = ProjectDetail),
        (status = 404, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects/{code}")]
pub async fn detail(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    derived: web::Data<catalog::Derived>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let version = at_request(&req);
    let detail = with_conn(&pool, move |conn| {
        let plan = derived.at(conn, version)?;
        catalog::project_detail(conn, &code, Some(&plan))
    })
    .await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// The data version the conditional-GET middleware read for this request.
fn at_request(req: &HttpRequest) -> Option<i64> {
    req.extensions()
        .get::<data_version::AtRequest>()
        .map(|v| v.0)
}

/// Edit a project's master data (planners and admins): district, schedule, amounts, share,
/// owners, remarks, with a required `reason`. `If-Match` must carry the project's ETag.
#[utoipa::path(
    tag = "projects",
    params(
        ("code" = String, Path),
        ("If-Match" = String, Header, description = "the project's ETag, e.g. \"p12-v1\""),
    ),
    request_body = ProjectEdit,
    responses(
        (status = 200, body = ProjectDetail),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 412, description = "stale If-Match; current_etag in the body and ETag header", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/projects/{code}")]
pub async fn edit(
    req: HttpRequest,
    signed: Signed<Planners>,
    pool: web::Data<DbPool>,
    code: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let expected = Expected::from_request(&req);
    let code = code.into_inner();
    let edited = signed
        .with_conn(&pool, move |conn, caller| {
            let expected = expected?;
            let changes = project_changes(&body)?;
            edits::edit(conn, &caller.actor(), &code, &expected, &changes)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, edited.etag.clone()))
        .json(edited))
}

/// The edit a `PATCH` body asks for, or a 422 naming every field at fault.
fn project_changes(body: &[u8]) -> Result<ProjectChanges, ApiError> {
    let mut b = Body::parse(body, PROJECT_EDIT_FIELDS)?;
    // null clears what may be empty, as "" does
    let clearable = |b: &mut Body, key: &str| {
        if b.is_null(key) {
            Some(String::new())
        } else {
            b.string(key)
        }
    };
    let asked = ProjectEdit {
        reason: b.required_string("reason"),
        district: clearable(&mut b, "district"),
        start: b.string("start"),
        end: b.string("end"),
        total_investment: b.money_text("total_investment", false),
        planned_investment: b.money_text("planned_investment", false),
        social_share_pct: if b.is_null("social_share_pct") {
            Some(String::new())
        } else {
            b.decimal_text("social_share_pct", false)
        },
        owners: b.string_list("owners"),
        remarks: clearable(&mut b, "remarks"),
    };
    let changes = asked.parse();
    let errors = body::merge(
        b.errors,
        changes
            .as_ref()
            .err()
            .map(Vec::as_slice)
            .unwrap_or_default(),
        keyproj_shared::NOTHING_TO_CHANGE,
    );
    match changes {
        Ok(c) if errors.is_empty() => Ok(c),
        _ => Err(ApiError::Validation(errors)),
    }
}
