use actix_web::{HttpResponse, get};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "keyproj",
        description = "湘潭市“十四五”民政事业发展规划重点项目 (annex 1) — read API. Money is in 万元 as decimal strings with two decimals; shares are percentages as decimal strings."
    ),
    paths(
        super::projects::list,
        super::projects::detail,
        super::summary::summary,
        super::summary::pivot,
        super::export::csv,
        super::export::xlsx,
        super::reconciliation::reconciliation,
        super::health::healthz,
        document,
    )
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3 document")))]
#[get("/openapi.json")]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
