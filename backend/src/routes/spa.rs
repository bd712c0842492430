//! The single-page app, from the same origin as the API. Any path that is not an API route
//! and not a file gets index.html, so the app's own routes survive a reload. The pages behind
//! a login are a second bundle (`keyproj_shared::AppRoute::bundle`): their paths get
//! account/index.html, which loads its files from /account/.
//!
//! The app's code and styles (`.wasm`, `.js`, `.css`) carry a content hash in their names,
//! so they are cached for a year; the release build also writes each compressed at the
//! highest levels (`x.wasm.br`, `x.wasm.gz`, see frontend/Trunk.toml), and a browser that
//! accepts one gets it instead of compressing on the fly. Everything else is revalidated
//! (`no-cache`, set in `startup`): a new release is picked up at the next load.
//!
//! A path the app has no page for, a file that is not there and a path actix-files refuses
//! (hidden files such as `/.git/config`, `..`) all get the same small Chinese 404 page
//! ([`not_found_page`]); under `/api` errors stay problem+json.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile, PathBufWrap};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{
    AcceptEncoding, CACHE_CONTROL, CONTENT_TYPE, ContentEncoding, Encoding, Header, HeaderValue,
    VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, guard, web};
use keyproj_shared::{ACCOUNT_BUNDLE, AppRoute, Bundle};

use crate::error::ApiError;

const NOT_BUILT: &str = r#"<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>keyproj</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>湘潭市“十四五”民政事业重点项目</h1>
<p>前端尚未构建（缺少 index.html）。接口可用：<a href="/api/projects">/api/projects</a>、
<a href="/api/summary?group_by=district">/api/summary</a>、<a href="/api/openapi.json">/api/openapi.json</a>。</p>
</body></html>"#;

const NOT_FOUND: &str = r#"<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>页面不存在 · keyproj</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>页面不存在</h1>
<p>您访问的地址没有对应的页面或文件。<a href="/">返回首页</a></p>
</body></html>"#;

/// The 404 page outside `/api`.
fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/html; charset=utf-8")
        .body(NOT_FOUND)
}

/// Whether errors at `path` are the API's (problem+json) rather than the site's.
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path == "/healthz"
}

/// Middleware: outside the API, a 400 or 404 that is not the page already (actix-files
/// refusing a hidden or malformed path answers 400 in plain text) becomes the 404 page, so
/// that what is refused and what is missing look the same.
pub async fn not_found_page(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let api = is_api(req.path());
    let res = next.call(req).await?;
    let refused = matches!(
        res.status(),
        StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND
    );
    let is_page = res
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if api || !refused || is_page {
        return Ok(res.map_into_left_body());
    }
    let (req, _) = res.into_parts();
    Ok(ServiceResponse::new(req, not_found()).map_into_right_body())
}

/// Middleware: outside `/api` everything is read-only (the app's files, its pages,
/// `/healthz`): another method than GET or HEAD is 405 with `Allow`, as under `/api`, rather
/// than whatever the page or file handler would make of it.
pub async fn read_only(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let path = req.path();
    let api_scope = path == "/api" || path.starts_with("/api/");
    if api_scope || [Method::GET, Method::HEAD].contains(req.method()) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let refusal = ApiError::MethodNotAllowed {
        method: req.method().to_string(),
        allow: "GET, HEAD".to_string(),
    };
    Ok(req.error_response(refusal).map_into_right_body())
}

pub fn configure(static_dir: &Path) -> impl FnOnce(&mut web::ServiceConfig) + use<> {
    let dir = static_dir.to_path_buf();
    move |cfg| {
        cfg.route("/robots.txt", web::get().to(super::robots::robots_txt));
        let index = dir.join("index.html");
        let account_index = dir.join(ACCOUNT_BUNDLE).join("index.html");
        if index.is_file() {
            let root = index.clone();
            cfg.app_data(web::Data::new(AssetDir(dir.clone())))
                .route(r"/{file:.+\.(?:wasm|js|css)}", web::get().to(asset))
                // the dashboard is a page like the others (not the folder's index file)
                .route(
                    "/",
                    web::route()
                        .guard(guard::Any(guard::Get()).or(guard::Head()))
                        .to(move |req: HttpRequest| {
                            let root = root.clone();
                            async move { super::shell::page(&req, AppRoute::Overview, root).await }
                        }),
                )
                .service(
                    Files::new("/", &dir)
                        .index_file("index.html")
                        .default_handler(fn_service(move |req: ServiceRequest| {
                            let route = AppRoute::parse(req.path());
                            // Without the account bundle (an old build) the public one still
                            // answers, and says the page does not exist.
                            let bundle = route.bundle();
                            let missing = matches!(route, AppRoute::NotFound { .. });
                            let index: PathBuf =
                                if bundle == Bundle::Account && account_index.is_file() {
                                    account_index.clone()
                                } else {
                                    index.clone()
                                };
                            async move {
                                let (req, _) = req.into_parts();
                                if missing {
                                    return Ok(ServiceResponse::new(req, not_found()));
                                }
                                let res = super::shell::page(&req, route, index).await?;
                                Ok(ServiceResponse::new(req, res))
                            }
                        })),
                );
        } else {
            tracing::warn!(dir = %dir.display(), "no index.html: the app is not built, serving a notice instead");
            cfg.default_service(web::to(|| async {
                HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(NOT_BUILT)
            }));
        }
    }
}

/// Where the built app is.
struct AssetDir(PathBuf);

/// `.br` before `.gz`: brotli makes the wasm about a fifth smaller than gzip does.
const PRECOMPRESSED: [(Encoding, &str); 2] = [(Encoding::brotli(), "br"), (Encoding::gzip(), "gz")];

/// A `.wasm`, `.js` or `.css` of the app: the compressed copy the browser accepts if the
/// build made one, else the file itself (which the `Compress` middleware may then compress).
async fn asset(
    req: HttpRequest,
    file: web::Path<String>,
    dir: web::Data<AssetDir>,
) -> actix_web::Result<HttpResponse> {
    // A header that does not parse gets the file as it is.
    let accepted = AcceptEncoding::parse(&req).ok();
    let dir = dir.into_inner();
    let rel = file.clone();
    let found = web::block(move || {
        let (path, encoding) = choose(inside(&dir.0, &rel)?, accepted);
        NamedFile::open(path).ok().map(|f| (f, encoding))
    })
    .await?;
    let Some((named, encoding)) = found else {
        return Ok(not_found());
    };
    let ext = Path::new(file.as_str())
        .extension()
        .and_then(|e| e.to_str());
    let mut named = named
        .set_content_type(actix_files::file_extension_to_mime(ext.unwrap_or_default()))
        .disable_content_disposition();
    if let Some(encoding) = encoding {
        named = named.set_content_encoding(encoding);
    }
    let mut res = named.into_response(&req);
    let headers = res.headers_mut();
    if encoding.is_some() {
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    if has_content_hash(&file) {
        headers.insert(
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    Ok(res)
}

/// The file to send for `path` and its encoding. Where the build made compressed copies,
/// the client's choice among them and the file itself; the encoding is then always set
/// (`identity` too), so the `Compress` middleware leaves the answer alone. Where it made
/// none (a debug build), the file, for `Compress` to deal with (`None`).
fn choose(path: PathBuf, accepted: Option<AcceptEncoding>) -> (PathBuf, Option<ContentEncoding>) {
    let variants: Vec<(Encoding, PathBuf)> = PRECOMPRESSED
        .into_iter()
        .map(|(encoding, ext)| (encoding, with_suffix(&path, ext)))
        .filter(|(_, p)| p.is_file())
        .collect();
    if variants.is_empty() {
        return (path, None);
    }
    let supported: Vec<Encoding> = variants
        .iter()
        .map(|(e, _)| e.clone())
        .chain([Encoding::identity()])
        .collect();
    let chosen = accepted
        .and_then(|a| a.negotiate(supported.iter()))
        .and_then(|e| variants.into_iter().find(|(v, _)| *v == e));
    match chosen {
        Some((Encoding::Known(encoding), p)) => (p, Some(encoding)),
        _ => (path, Some(ContentEncoding::Identity)),
    }
}

/// `dir/rel` if it is a file there, `rel` read as actix-files reads the paths it serves
/// (no hidden files; `..` never leaves `dir`).
fn inside(dir: &Path, rel: &str) -> Option<PathBuf> {
    let rel = PathBufWrap::parse_path(rel, false).ok()?;
    let path = dir.join(rel);
    path.is_file().then_some(path)
}

fn with_suffix(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// Whether a file name carries trunk's content hash: `-` and a 64-bit hash in hex, without
/// leading zeros (so 12 to 16 digits but for one hash in 65,536), e.g.
/// `keyproj-frontend-144833e33a3c62d1_bg.wasm`.
fn has_content_hash(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.split('-').skip(1).any(|part| {
        let hex = part.split(['_', '.']).next().unwrap_or_default();
        (12..=16).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashed_names_are_told_apart_from_plain_ones() {
        assert!(has_content_hash(
            "keyproj-frontend-144833e33a3c62d1_bg.wasm"
        ));
        assert!(has_content_hash(
            "account/keyproj-account-dbde725065804878.js"
        ));
        assert!(has_content_hash("keyproj-frontend-8b4feaa5c416b6f.js"));
        assert!(has_content_hash("styles-e8093b04ae7cd91e.css"));
        assert!(has_content_hash("styles-8093b04ae7cd9.css"));
        assert!(!has_content_hash("styles.css"));
        assert!(!has_content_hash("keyproj-frontend.js"));
        assert!(!has_content_hash("app-not-a-hash-at-all.js"));
        assert!(!has_content_hash("style-add.css"));
    }

    #[test]
    fn only_files_inside_the_folder_are_served() {
        let top = tempfile::tempdir().expect("temp dir");
        let dir = top.path().join("dist");
        std::fs::create_dir_all(dir.join("account")).expect("sub folder");
        std::fs::write(dir.join("account/a.js"), "x").expect("a file");
        std::fs::write(dir.join(".hidden.js"), "x").expect("a hidden file");
        std::fs::write(top.path().join("secret.js"), "x").expect("a file outside");
        let a = Some(dir.join("account/a.js"));
        assert_eq!(inside(&dir, "account/a.js"), a);
        assert_eq!(inside(&dir, "account/../account/a.js"), a);
        assert_eq!(inside(&dir, "account//a.js"), a);
        assert_eq!(inside(&dir, "account/b.js"), None);
        assert_eq!(inside(&dir, "../secret.js"), None);
        assert_eq!(inside(&dir, "account/../../secret.js"), None);
        assert_eq!(inside(&dir, "%2e%2e/secret.js"), None);
        assert_eq!(inside(&dir, ".hidden.js"), None);
        assert_eq!(inside(&dir, "account"), None);
    }
}
