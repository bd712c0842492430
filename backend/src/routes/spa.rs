//! The single-page app, from the same origin as the API. Any path that is not an API route
//! and not a file gets index.html, so the app's own routes survive a reload. The pages behind
//! a login are a second bundle (`keyproj_shared::app_paths`): their paths get
//! account/index.html, which loads its files from /account/.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::{HttpResponse, web};
use keyproj_shared::app_paths::{ACCOUNT_BUNDLE, is_account_page};

const NOT_BUILT: &str = r#"<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>keyproj</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>湘潭市“十四五”民政事业重点项目</h1>
<p>前端尚未构建（缺少 index.html）。接口可用：<a href="/api/projects">/api/projects</a>、
<a href="/api/summary?group_by=district">/api/summary</a>、<a href="/api/openapi.json">/api/openapi.json</a>。</p>
</body></html>"#;

pub fn configure(static_dir: &Path) -> impl FnOnce(&mut web::ServiceConfig) + use<> {
    let dir = static_dir.to_path_buf();
    move |cfg| {
        let index = dir.join("index.html");
        let account_index = dir.join(ACCOUNT_BUNDLE).join("index.html");
        if index.is_file() {
            cfg.service(
                Files::new("/", &dir)
                    .index_file("index.html")
                    .default_handler(fn_service(move |req: ServiceRequest| {
                        // Without the account bundle (an old build) the public one still
                        // answers, and says the page does not exist.
                        let index: PathBuf =
                            if is_account_page(req.path()) && account_index.is_file() {
                                account_index.clone()
                            } else {
                                index.clone()
                            };
                        async move {
                            let (req, _) = req.into_parts();
                            let file = web::block(move || NamedFile::open(index)).await??;
                            let res = file.into_response(&req);
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
