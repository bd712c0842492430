//! A page of the app as the browser first gets it: its bundle's `index.html`, with two
//! things added to the head.
//! - The API reads the page will make at once (`<link rel="preload" as="fetch">`, from
//!   `keyproj_shared::address::first_reads`, the same addresses the app fetches). The
//!   browser starts them beside the wasm download, and the app, when it asks, finds them
//!   already answered: on a slow phone link that takes one round trip off the first figures.
//! - Whether the data is the `--demo` sample (`address::SAMPLE_META`), so the app draws its
//!   banner with the first frame rather than moving the page down when `/healthz` answers.
//!
//! A browser whose clock puts it in another month than the server's asks for its own month;
//! the preloads for the server's month then go unused (a console warning), nothing else.
//!
//! The HTML then depends on the address, the day (the month the pages open on) and the
//! database, so it is built per request; its tag is a hash of what is sent, and a browser
//! holding the same gets 304 (`Cache-Control: no-cache` comes from `startup`, so it always
//! asks).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use actix_web::http::header::{CONTENT_TYPE, ETAG, HeaderValue, IF_NONE_MATCH};
use actix_web::{HttpRequest, HttpResponse, web};
use keyproj_shared::AppRoute;
use keyproj_shared::address::{SAMPLE_META, first_reads};

use crate::clock;
use crate::db::{DbPool, with_conn};
use crate::models::sample::SampleRow;

/// The page of `route` from the shell at `index`, answered to `req`.
pub async fn page(
    req: &HttpRequest,
    route: AppRoute,
    index: PathBuf,
) -> actix_web::Result<HttpResponse> {
    let html = web::block(move || std::fs::read_to_string(index)).await??;
    let reads = match clock::today_in_china(clock::now()) {
        Some(today) => first_reads(&route, req.query_string(), today),
        None => Vec::new(),
    };
    // Unknown when the database does not answer: the app then asks `/healthz`, which says why.
    let sample = match req.app_data::<web::Data<DbPool>>() {
        Some(pool) => with_conn(pool, |conn| Ok(SampleRow::present(conn)?))
            .await
            .ok(),
        None => None,
    };
    let body = with_head(&html, sample, &reads);
    let tag = etag(&body);
    let unchanged = req
        .headers()
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| weak_eq(t.trim(), &tag) || t.trim() == "*")
        });
    let mut res = if unchanged {
        HttpResponse::NotModified().finish()
    } else {
        HttpResponse::Ok().body(body)
    };
    let headers = res.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&tag) {
        headers.insert(ETAG, v);
    }
    Ok(res)
}

/// `html` with the sample marker (when known) and a preload link for each of `reads` just
/// before `</head>` (after what the build put there: the app's own files are asked for
/// first). Without a head, unchanged.
fn with_head(html: &str, sample: Option<bool>, reads: &[String]) -> String {
    let Some(at) = html.rfind("</head>") else {
        return html.to_string();
    };
    let mut out = String::with_capacity(html.len() + 64 + reads.len() * 96);
    out.push_str(&html[..at]);
    if let Some(sample) = sample {
        let content = if sample { "yes" } else { "no" };
        out.push_str(&format!(
            "<meta name=\"{SAMPLE_META}\" content=\"{content}\">\n"
        ));
    }
    for url in reads {
        // The addresses are built percent-encoded; `&` is the one character left to escape.
        out.push_str(r#"<link rel="preload" as="fetch" crossorigin="anonymous" href=""#);
        out.push_str(&url.replace('&', "&amp;").replace('"', "&quot;"));
        out.push_str("\">\n");
    }
    out.push_str(&html[at..]);
    out
}

/// A weak tag of the HTML (weak: `Compress` sends it gzipped to one client and plain to
/// another): the same page, day and build give the same tag on every server of the release.
fn etag(body: &str) -> String {
    let mut h = DefaultHasher::new();
    body.hash(&mut h);
    format!("W/\"shell-{:016x}\"", h.finish())
}

/// The weak comparison `If-None-Match` calls for (RFC 9110 §13.1.2): `W/` aside, the same.
fn weak_eq(a: &str, b: &str) -> bool {
    let opaque = |t: &str| t.strip_prefix("W/").unwrap_or(t).to_string();
    opaque(a) == opaque(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preloads_go_at_the_end_of_the_head_with_their_ampersands_escaped() {
        let html = "<html><head><title>t</title></head><body></body></html>";
        let out = with_head(
            html,
            Some(true),
            &["/api/warnings?period=2026-11&level=red".into()],
        );
        assert_eq!(
            out,
            "<html><head><title>t</title><meta name=\"keyproj-sample\" content=\"yes\">\n\
             <link rel=\"preload\" as=\"fetch\" crossorigin=\"anonymous\" \
             href=\"/api/warnings?period=2026-11&amp;level=red\">\n</head><body></body></html>"
        );
        assert_eq!(
            with_head("<p>no head</p>", None, &["/x".into()]),
            "<p>no head</p>"
        );
        assert!(!with_head(html, None, &[]).contains("meta"));
    }

    #[test]
    fn the_tag_follows_the_bytes() {
        assert_eq!(etag("a"), etag("a"));
        assert_ne!(etag("a"), etag("b"));
        let strong = etag("a").trim_start_matches("W/").to_string();
        assert!(weak_eq(&strong, &etag("a")));
        assert!(!weak_eq(&strong, &etag("b")));
    }
}
