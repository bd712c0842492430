//! 报送情况: a month's timeliness, the ranking, an owner's due list, and their exports.

use actix_web::{HttpResponse, get, web};
use keyproj_shared::{DueList, Ranking, RankingQuery, TimelinessMonth, TimelinessQuery};

use super::export::attachment;
use super::{RawQuery, no_store};
use crate::auth::Signed;
use crate::clock;
use crate::db::DbPool;
use crate::error::ApiError;
use crate::sheet;
use crate::timeliness::{self, export};

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn month_of(
    signed: Signed,
    pool: &DbPool,
    query: &RawQuery,
) -> Result<TimelinessMonth, ApiError> {
    let q = TimelinessQuery::from_pairs(query);
    signed
        .with_conn(pool, move |conn, caller| {
            timeliness::month(conn, &caller.user, &q.map_err(ApiError::Validation)?)
        })
        .await
}

async fn ranking_of(signed: Signed, pool: &DbPool, query: &RawQuery) -> Result<Ranking, ApiError> {
    let q = RankingQuery::from_pairs(query);
    signed
        .with_conn(pool, move |conn, _| {
            timeliness::ranking(conn, &q.map_err(ApiError::Validation)?)
        })
        .await
}

/// 报送情况 for a month: each owner organisation's projects as reported on time, late or not
/// at all, with the deadline (the 5th of the next month, 24:00 Beijing time). Planners,
/// finance and admins see every organisation; an owner their own.
#[utoipa::path(
    tag = "timeliness",
    params(("period" = Option<String>, Query, pattern = r"^\d{4}-(0[1-9]|1[0-2])$", description = "YYYY-MM (years 2000-2100), not after the current month; default the month before the current one (China time)")),
    responses(
        (status = 200, body = TimelinessMonth),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, description = "an owner account with no organisation", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/timeliness")]
pub async fn timeliness_month(
    signed: Signed,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let m = month_of(signed, &pool, &query).await?;
    Ok(no_store(HttpResponse::Ok()).json(m))
}

/// Owner organisations ranked by their on-time rate over `months` months ending with
/// `until`; only months whose deadline has passed count. Any logged-in user.
#[utoipa::path(
    tag = "timeliness",
    params(
        ("months" = Option<u32>, Query, minimum = 1, maximum = 60, description = "default 12"),
        ("until" = Option<String>, Query, pattern = r"^\d{4}-(0[1-9]|1[0-2])$", description = "YYYY-MM (years 2000-2100), not after the current month; default the latest month whose deadline has passed"),
    ),
    responses(
        (status = 200, body = Ranking),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/timeliness/ranking")]
pub async fn timeliness_ranking(
    signed: Signed,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let r = ranking_of(signed, &pool, &query).await?;
    Ok(no_store(HttpResponse::Ok()).json(r))
}

/// What is due: for the caller's organisation (every project for the other roles), the
/// months of the last twelve that are over with no report, and the months still open with
/// their deadlines.
#[utoipa::path(
    tag = "timeliness",
    responses(
        (status = 200, body = DueList),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/timeliness/due")]
pub async fn timeliness_due(
    signed: Signed,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let extra = query.first().map(|(k, _)| k.clone());
    let d = signed
        .with_conn(&pool, move |conn, caller| {
            if let Some(k) = extra {
                return Err(ApiError::field(&k, "此接口不接受参数"));
            }
            timeliness::due(conn, &caller.user)
        })
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(d))
}

fn file(content_type: &str, name: &str, body: Vec<u8>) -> HttpResponse {
    no_store(HttpResponse::Ok())
        .content_type(content_type)
        .insert_header(attachment(name))
        .body(body)
}

/// 报送情况 of a month as CSV (UTF-8 with BOM): one row per organisation and project, times
/// in Beijing time, a 合计 row.
#[utoipa::path(
    tag = "timeliness",
    params(("period" = Option<String>, Query, pattern = r"^\d{4}-(0[1-9]|1[0-2])$", description = "as for /api/timeliness")),
    responses(
        (status = 200, content_type = "text/csv", description = "UTF-8 CSV with BOM"),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export/timeliness.csv")]
pub async fn timeliness_csv(
    signed: Signed,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let m = month_of(signed, &pool, &query).await?;
    let name = format!("keyproj-timeliness-{}.csv", m.period);
    let now = clock::stamp(clock::now());
    let body = web::block(move || sheet::csv(&export::month_table(&m, &now)))
        .await?
        .map_err(ApiError::internal)?;
    Ok(file("text/csv; charset=utf-8", &name, body))
}

/// 报送情况 of a month as an Excel workbook: title, deadline, rows, 合计.
#[utoipa::path(
    tag = "timeliness",
    params(("period" = Option<String>, Query, pattern = r"^\d{4}-(0[1-9]|1[0-2])$", description = "as for /api/timeliness")),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX workbook"),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export/timeliness.xlsx")]
pub async fn timeliness_xlsx(
    signed: Signed,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let m = month_of(signed, &pool, &query).await?;
    let name = format!("keyproj-timeliness-{}.xlsx", m.period);
    let now = clock::stamp(clock::now());
    let body = web::block(move || sheet::xlsx(&[export::month_table(&m, &now)]))
        .await?
        .map_err(ApiError::internal)?;
    Ok(file(XLSX_TYPE, &name, body))
}

/// The ranking as CSV (UTF-8 with BOM), with a 合计 row.
#[utoipa::path(
    tag = "timeliness",
    params(
        ("months" = Option<u32>, Query, minimum = 1, maximum = 60, description = "as for /api/timeliness/ranking"),
        ("until" = Option<String>, Query, pattern = r"^\d{4}-(0[1-9]|1[0-2])$"),
    ),
    responses(
        (status = 200, content_type = "text/csv", description = "UTF-8 CSV with BOM"),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export/timeliness-ranking.csv")]
pub async fn timeliness_ranking_csv(
    signed: Signed,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let r = ranking_of(signed, &pool, &query).await?;
    let name = format!("keyproj-timeliness-ranking-{}-{}.csv", r.from, r.until);
    let now = clock::stamp(clock::now());
    let body = web::block(move || sheet::csv(&export::ranking_table(&r, &now)))
        .await?
        .map_err(ApiError::internal)?;
    Ok(file("text/csv; charset=utf-8", &name, body))
}

/// The ranking as an Excel workbook: title, the months counted, the tie rule, rows, 合计.
#[utoipa::path(
    tag = "timeliness",
    params(
        ("months" = Option<u32>, Query, minimum = 1, maximum = 60, description = "as for /api/timeliness/ranking"),
        ("until" = Option<String>, Query, pattern = r"^\d{4}-(0[1-9]|1[0-2])$"),
    ),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX workbook"),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export/timeliness-ranking.xlsx")]
pub async fn timeliness_ranking_xlsx(
    signed: Signed,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let r = ranking_of(signed, &pool, &query).await?;
    let name = format!("keyproj-timeliness-ranking-{}-{}.xlsx", r.from, r.until);
    let now = clock::stamp(clock::now());
    let body = web::block(move || sheet::xlsx(&[export::ranking_table(&r, &now)]))
        .await?
        .map_err(ApiError::internal)?;
    Ok(file(XLSX_TYPE, &name, body))
}
