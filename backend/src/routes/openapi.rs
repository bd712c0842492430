//! The OpenAPI document's fixed parts, the handler that serves it, and the interactive docs.

use actix_web::{HttpResponse, get, web};
use utoipa::OpenApi;
use utoipa_swagger_ui::{Config, SwaggerUi};

#[derive(OpenApi)]
#[openapi(info(
    title = "keyproj",
    description = "湘潭市“十四五”民政事业发展规划重点项目 (annex 1). Money is in 万元 as decimal strings with two decimals; shares are percentages as decimal strings. Reading the plan needs no login. Every write needs the `keyproj_session` cookie (from POST /api/session), the header `X-Requested-With` and, if the browser sends Origin or Referer, the same host; updates need `If-Match` with the resource's ETag (`\"p12-v3\"`, `\"r5-v1\"`, `\"u3-v2\"`)."
))]
pub struct ApiDoc;

/// This document.
#[utoipa::path(tag = "meta", responses((status = 200, description = "OpenAPI 3 document")))]
#[get("/openapi.json")]
pub async fn document(doc: web::Data<utoipa::openapi::OpenApi>) -> HttpResponse {
    HttpResponse::Ok().json(doc.get_ref())
}

/// Swagger UI at `/api/docs/`, its files compiled into the binary (no CDN), reading
/// `/api/openapi.json`. Its own validator badge would call swagger.io, so it is off.
pub fn interactive_docs<T>(scope: actix_web::Scope<T>) -> actix_web::Scope<T>
where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    scope.service(web::redirect("/docs", "/api/docs/")).service(
        SwaggerUi::new("/docs/{_:.*}")
            .config(Config::new(["/api/openapi.json"]).validator_url("none")),
    )
}
