//! The CSRF rule, as middleware on the whole `/api` scope: every method but GET, HEAD and
//! OPTIONS must pass it, so a new write route is protected without doing anything.
//!
//! - The request carries `X-Requested-With` (any value; a cross-site form cannot set it, and
//!   a cross-site script cannot without a CORS preflight, which keyproj never grants);
//! - `Sec-Fetch-Site: cross-site` is refused;
//! - if `Origin` (or, without it, `Referer`) is present, its scheme, host and port are the
//!   request's own (`auth::client::origin`: proxy headers count only when trusted).
//!
//! Anything else is 403, before the handler runs.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, ResponseError, web};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Components, OpenApi};

use super::{AuthConfig, client};
use crate::error::ApiError;

/// The middleware (`actix_web::middleware::from_fn(csrf::same_origin_writes)`).
pub async fn same_origin_writes<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    if !is_safe(req.method())
        && let Err(e) = check_same_origin(req.request())
    {
        let res = e.error_response();
        return Ok(req.into_response(res).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Methods that change nothing, so need no check.
fn is_safe(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::OPTIONS].contains(method)
}

/// The scheme name the document gives the rule.
pub const SCHEME: &str = "same_origin";

/// Writes the rule into the OpenAPI document: a header scheme that every unsafe operation
/// requires, decided by the same `is_safe` as the middleware (so Swagger UI's "Authorize"
/// can send the header with its writes).
pub fn document(doc: &mut OpenApi) {
    doc.components
        .get_or_insert_with(Components::new)
        .add_security_scheme(
            SCHEME,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Requested-With",
                "Any value. Every write under /api needs it (a cross-site form cannot send it); \
                 an Origin or Referer, if sent, must name this scheme and host; Sec-Fetch-Site: cross-site \
                 is refused. Otherwise 403.",
            ))),
        );
    for item in doc.paths.paths.values_mut() {
        let operations = [
            (Method::PUT, &mut item.put),
            (Method::POST, &mut item.post),
            (Method::DELETE, &mut item.delete),
            (Method::PATCH, &mut item.patch),
            (Method::TRACE, &mut item.trace),
        ];
        for (method, operation) in operations {
            if let Some(op) = operation.as_mut().filter(|_| !is_safe(&method)) {
                op.security
                    .get_or_insert_with(Vec::new)
                    .push(SecurityRequirement::new(SCHEME, Vec::<String>::new()));
            }
        }
    }
}

fn forbidden_cross_site(why: &str) -> ApiError {
    ApiError::Forbidden(format!("跨站请求被拒绝：{why}"))
}

/// `host[:port]` of an absolute URL such as an `Origin` or `Referer`.
fn authority_of(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    // userinfo never belongs in an origin
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    (!authority.is_empty()).then_some((scheme, authority))
}

fn without_default_port<'a>(scheme: &str, authority: &'a str) -> &'a str {
    match scheme {
        "http" => authority.strip_suffix(":80").unwrap_or(authority),
        "https" => authority.strip_suffix(":443").unwrap_or(authority),
        _ => authority,
    }
}

fn check_same_origin(req: &HttpRequest) -> Result<(), ApiError> {
    let headers = req.headers();
    let has = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.trim().is_empty())
    };
    if !has("x-requested-with") {
        return Err(forbidden_cross_site("缺少 X-Requested-With 请求头"));
    }
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"))
    {
        return Err(forbidden_cross_site("来自其他网站"));
    }
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER));
    let Some(source) = source else {
        return Ok(());
    };
    let Some(config) = req.app_data::<web::Data<AuthConfig>>() else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "the auth settings are not registered"
        )));
    };
    let (scheme, host) = client::origin(req, config);
    let matches = source
        .to_str()
        .ok()
        .and_then(authority_of)
        .is_some_and(|(s, a)| {
            s.eq_ignore_ascii_case(&scheme)
                && without_default_port(&scheme, a)
                    .eq_ignore_ascii_case(without_default_port(&scheme, &host))
        });
    if matches {
        Ok(())
    } else {
        Err(forbidden_cross_site("来源与本站不同"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_compared_by_scheme_host_and_port() {
        assert_eq!(
            authority_of("http://127.0.0.1:8080/page?x"),
            Some(("http", "127.0.0.1:8080"))
        );
        assert_eq!(authority_of("null"), None);
        assert_eq!(without_default_port("https", "a.example:443"), "a.example");
    }
}
