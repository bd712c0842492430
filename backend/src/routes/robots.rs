//! `/robots.txt`: crawlers may read the plan's public pages, not the API (data, and the same
//! figures again under every filter) nor the pages behind a login and their bundle.

use actix_web::HttpResponse;
use actix_web::http::header::CACHE_CONTROL;
use keyproj_shared::{ACCOUNT_BUNDLE, AppRoute, Bundle};

/// The signed-in pages, one of each kind (`*` stands for any project code).
fn signed_in_pages() -> Vec<String> {
    AppRoute::one_of_each("*")
        .into_iter()
        .filter(|r| r.bundle() == Bundle::Account)
        .map(|r| r.path())
        .collect()
}

/// The file's text (RFC 9309).
pub fn text() -> String {
    let mut s = String::from("User-agent: *\nAllow: /\nDisallow: /api/\n");
    s.push_str(&format!("Disallow: /{ACCOUNT_BUNDLE}/\n"));
    for page in signed_in_pages() {
        s.push_str(&format!("Disallow: {page}\n"));
    }
    s
}

pub async fn robots_txt() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((CACHE_CONTROL, "public, max-age=86400"))
        .body(text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signed_in_page_is_disallowed_and_no_public_one() {
        let t = text();
        for page in [
            "/login",
            "/my-projects",
            "/review",
            "/users",
            "/audit",
            "/timeliness",
        ] {
            assert!(t.contains(&format!("Disallow: {page}\n")), "{t}");
        }
        assert!(t.contains("Disallow: /projects/*/reports\n"), "{t}");
        for public in [
            "/projects",
            "/schedule",
            "/budget",
            "/warnings",
            "/evaluation",
        ] {
            assert!(!t.contains(&format!("Disallow: {public}\n")), "{t}");
        }
    }
}
