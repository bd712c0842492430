use actix_web::{HttpResponse, get, web};
use keyproj_shared::{AuditPage, AuditQuery};

use super::{RawQuery, no_store};
use crate::audit;
use crate::auth::{Reviewers, Signed};
use crate::db::DbPool;
use crate::error::ApiError;

/// The audit trail, newest first (finance and admins).
#[utoipa::path(
    tag = "audit",
    params(
        ("entity" = Option<String>, Query, description = "project, report, user or session"),
        ("entity_id" = Option<String>, Query, description = "a project code, or a report, user or session id"),
        ("page" = Option<u32>, Query),
        ("per_page" = Option<u32>, Query, description = "1-200, default 50"),
    ),
    responses(
        (status = 200, body = AuditPage),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn global(
    signed: Signed<Reviewers>,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let page = signed
        .with_conn(&pool, move |conn, _| {
            let q = AuditQuery::from_pairs(&query, false).map_err(ApiError::Validation)?;
            audit::global(conn, &q)
        })
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(page))
}

/// A project's audit trail: its edits, approved figures and reports (finance and admins).
#[utoipa::path(
    tag = "audit",
    params(("code" = String, Path), ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)),
    responses((status = 200, body = AuditPage))
)]
#[get("/projects/{code}/audit")]
pub async fn of_project(
    signed: Signed<Reviewers>,
    pool: web::Data<DbPool>,
    code: web::Path<String>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let page = signed
        .with_conn(&pool, move |conn, _| {
            let q = AuditQuery::from_pairs(&query, true).map_err(ApiError::Validation)?;
            audit::of_project(conn, &code, &q)
        })
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(page))
}
