//! Conditional GET for the public reads (the routes `routes::reads` registers): each answer
//! carries an ETag derived from the data version (`db::data_version`), the path and the query,
//! and a request whose `If-None-Match` names the current tag is answered 304 after reading
//! that one row (in a read shared with the requests around it, `db::VersionReads`), without
//! running the handler. The answers of `routes::cached_reads` are kept per version
//! (`routes::response_cache`).
//!
//! The tag is weak (`W/"…"`): the same data gives an equivalent answer, not the same bytes
//! (`Compress` encodes per client), and a weak tag can never pass an update's `If-Match`, so it
//! cannot be mistaken for a project's own version tag (`etag` in a project's body).
//!
//! The version is read **before** the handler reads the data. A write committing in between
//! then gives newer data under an older tag, which the next revalidation replaces; read after,
//! an older answer could be kept under the newer tag until the next write.

use std::collections::HashSet;
use std::sync::OnceLock;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag, Header, HeaderValue, IfNoneMatch};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, web};
use sha2::{Digest, Sha256};

use super::response_cache::{Generation, ResponseCache, Stored};
use crate::db::{VersionReads, data_version};
use crate::error::ApiError;

/// Every read answer is revalidated before use: the ETag makes that one small request.
pub const CACHE_CONTROL: &str = "no-cache";

/// The tag of the answer to `path?query` at data `version` on `day` (China). The build's
/// version is part of it, so a new release does not answer 304 to what an older one rendered.
/// So is the day: the list's warning colours and its default month move with the clock (a
/// report deadline ends at midnight China time), with no write to move the version.
pub fn tag(version: i64, day: &str, path: &str, query: &str) -> EntityTag {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    h.update([0]);
    h.update(day);
    h.update([0]);
    h.update(path);
    h.update([0]);
    h.update(query);
    let digest = h.finalize();
    let short: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    EntityTag::new_weak(format!("d{version}-{short}"))
}

/// Whether `If-None-Match` lists `current` (weak comparison, as RFC 9110 §13.1.2 says for
/// this header). `*` is not honoured: the answer is computed instead.
fn listed(req: &ServiceRequest, current: &EntityTag) -> bool {
    match IfNoneMatch::parse(req.request()) {
        Ok(IfNoneMatch::Items(items)) => items.iter().any(|t| t.weak_eq(current)),
        Ok(IfNoneMatch::Any) | Err(_) => false,
    }
}

/// The middleware. A 2xx answer gets the tag; anything else (422 for a bad filter, 404)
/// gets none, so no client holds a tag for an error. The version comes from a read shared
/// with the requests around it (`db::VersionReads`); a read in `routes::cached_reads` is
/// answered from the response cache when it holds this version's answer, and fills it else.
pub async fn revalidate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (reads, cache) = match (
        req.app_data::<web::Data<VersionReads>>(),
        req.app_data::<web::Data<ResponseCache>>(),
    ) {
        (Some(r), Some(c)) => (r.clone(), c.clone()),
        _ => {
            return Err(
                ApiError::internal(anyhow::anyhow!("no version reads or response cache")).into(),
            );
        }
    };
    let version = reads.current().await?;
    // the handler's plan-wide values are those of this version (`catalog::Derived`)
    req.extensions_mut()
        .insert(data_version::AtRequest(version));
    let day = crate::clock::today_in_china(crate::clock::now())
        .map(|d| d.to_string())
        .unwrap_or_default();
    let current = tag(version, &day, req.path(), req.query_string());
    let value = HeaderValue::from_str(&current.to_string()).map_err(ApiError::internal)?;
    if listed(&req, &current) {
        let res = HttpResponse::NotModified()
            .insert_header((header::ETAG, value))
            .insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
            .finish();
        return Ok(req.into_response(res));
    }
    let cached = cache.enabled() && is_cached_read(&req);
    let at = Generation { version, day };
    let key = format!("{}?{}", req.path(), req.query_string());
    let mut res = match cached.then(|| cache.get(&at, &key)).flatten() {
        Some(hit) => {
            let mut res = HttpResponse::build(hit.status);
            for (name, value) in &hit.headers {
                res.append_header((name.clone(), value.clone()));
            }
            req.into_response(res.body(hit.body.clone()))
        }
        None => {
            let res = next.call(req).await?;
            if cached && res.status() == StatusCode::OK {
                keep(&cache, at, key, res).await?
            } else {
                res.map_into_boxed_body()
            }
        }
    };
    if res.status().is_success() && res.status() != StatusCode::NO_CONTENT {
        let headers = res.headers_mut();
        headers.insert(header::ETAG, value);
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
    }
    Ok(res)
}

/// Whether the request is for one of `routes::cached_reads` (their templates, computed once).
fn is_cached_read(req: &ServiceRequest) -> bool {
    static CACHED: OnceLock<HashSet<String>> = OnceLock::new();
    let cached = CACHED.get_or_init(|| super::cached_templates().into_iter().collect());
    req.match_pattern().is_some_and(|p| cached.contains(&p))
}

/// Reads the handler's whole answer, keeps a copy at `at`, and answers it.
async fn keep(
    cache: &ResponseCache,
    at: Generation,
    key: String,
    res: ServiceResponse<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let body = actix_web::body::to_bytes(body).await.map_err(|e| {
        ApiError::internal(anyhow::anyhow!("reading an answer to keep: {}", e.into()))
    })?;
    let headers = head
        .headers()
        .iter()
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    cache.put(
        at,
        key,
        Stored {
            status: head.status(),
            headers,
            body: body.clone(),
        },
    );
    Ok(ServiceResponse::new(
        req,
        head.set_body(body).map_into_boxed_body(),
    ))
}

/// Documents, on each read operation, the `If-None-Match` parameter, the ETag and
/// Cache-Control of its 200, and the 304.
pub fn document(doc: &mut utoipa::openapi::OpenApi, reads: &[String]) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ObjectBuilder, RefOr, ResponseBuilder, Type};
    let string = || ObjectBuilder::new().schema_type(Type::String).build();
    let etag = || {
        HeaderBuilder::new()
            .schema(Some(string()))
            .description(Some(
                "weak tag of the data version, the path and the query, e.g. W/\"d42-1f2e3d4c5b6a7988\"",
            ))
            .build()
    };
    let cache = || {
        HeaderBuilder::new()
            .schema(Some(string()))
            .description(Some("no-cache: revalidate with If-None-Match before reuse"))
            .build()
    };
    for template in reads {
        let Some(op) = doc
            .paths
            .paths
            .get_mut(template)
            .and_then(|i| i.get.as_mut())
        else {
            continue;
        };
        op.parameters.get_or_insert_with(Vec::new).push(
            ParameterBuilder::new()
                .name("If-None-Match")
                .parameter_in(ParameterIn::Header)
                .required(utoipa::openapi::Required::False)
                .schema(Some(string()))
                .description(Some(
                    "the ETag of an earlier answer to the same URL: 304 if the data has not changed since",
                ))
                .build()
                .into(),
        );
        for (status, response) in op.responses.responses.iter_mut() {
            if status.starts_with('2')
                && let RefOr::T(r) = response
            {
                r.headers.insert("ETag".into(), etag().into());
                r.headers.insert("Cache-Control".into(), cache().into());
            }
        }
        op.responses.responses.insert(
            "304".into(),
            RefOr::T(
                ResponseBuilder::new()
                    .description("not modified: the If-None-Match tag is current; no body")
                    .header("ETag", etag())
                    .header("Cache-Control", cache())
                    .build(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::tag;

    #[test]
    fn a_tag_is_of_one_day_and_one_query() {
        let today = tag(7, "2026-12-06", "/api/projects", "warning=red");
        assert_eq!(today, tag(7, "2026-12-06", "/api/projects", "warning=red"));
        assert!(!today.weak_eq(&tag(7, "2026-12-07", "/api/projects", "warning=red")));
        assert!(!today.weak_eq(&tag(7, "2026-12-06", "/api/projects", "warning=yellow")));
        assert!(!today.weak_eq(&tag(8, "2026-12-06", "/api/projects", "warning=red")));
    }
}
