use actix_web::{HttpResponse, get};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "keyproj",
        description = "湘潭市“十四五”民政事业发展规划重点项目 (annex 1). Money is in 万元 as decimal strings with two decimals; shares are percentages as decimal strings. Reading the plan needs no login. Every write needs the `keyproj_session` cookie (from POST /api/session), the header `X-Requested-With` and, if the browser sends Origin or Referer, the same host; updates need `If-Match` with the resource's ETag (`\"p12-v3\"`, `\"r5-v1\"`, `\"u3-v2\"`)."
    ),
    paths(
        super::projects::list,
        super::projects::detail,
        super::projects::edit,
        super::reports::submit,
        super::reports::history,
        super::reports::queue,
        super::reports::get_one,
        super::reports::approve,
        super::reports::return_report,
        super::audit::global,
        super::audit::of_project,
        super::session::login,
        super::session::current,
        super::session::logout,
        super::users::list,
        super::users::get_one,
        super::users::create,
        super::users::update,
        super::users::disable,
        super::users::enable,
        super::summary::summary,
        super::summary::pivot,
        super::export::csv,
        super::export::xlsx,
        super::reconciliation::reconciliation,
        super::health::healthz,
        super::health::hello,
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
