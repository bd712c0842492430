use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use keyproj_shared::ExportQuery;

use super::RawQuery;
use crate::clock;
use crate::config::Oc4idsSettings;
use crate::db::DbPool;
use crate::error::ApiError;
use crate::oc4ids;

/// The filtered projects as an OC4IDS 0.9 project package (JSON), streamed page by page.
/// Mapping: docs/oc4ids.md.
#[utoipa::path(
    tag = "export",
    params(("sort" = Option<String>, Query, description = "as for /api/projects; so are all its filters (no paging: every matching project)")),
    responses(
        (status = 200, content_type = "application/json", description = "OC4IDS 0.9 project package (`project-package-schema.json` of OC4IDS 0.9.5); amounts in yuan (CNY)"),
        (status = 404, body = keyproj_shared::Problem, content_type = "application/problem+json", description = "no project matches the filters (a package holds at least one)"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/export/oc4ids.json")]
pub async fn package(
    pool: web::Data<DbPool>,
    settings: web::Data<Oc4idsSettings>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let q = ExportQuery::from_pairs(&query).map_err(ApiError::Validation)?;
    let published = clock::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let body = oc4ids::package(
        pool.get_ref().clone(),
        q,
        settings.get_ref().clone(),
        published,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(
                "keyproj-oc4ids.json".to_string(),
            )],
        })
        .streaming(body))
}

/// The package's publication policy: publisher, content, identifiers (whether the id prefix
/// is registered yet), updates, amounts.
#[utoipa::path(
    tag = "export",
    responses((status = 200, content_type = "text/plain", description = "the policy, in Chinese and, for the identifier prefix, English")),
)]
#[get("/export/oc4ids-policy")]
pub async fn policy(settings: web::Data<Oc4idsSettings>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(oc4ids::policy(settings.get_ref()))
}
