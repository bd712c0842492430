//! The web app comes as two bundles: the public pages (dashboard, list, project, schedule,
//! budget), which most visitors need, and the pages behind a login (login, my projects,
//! reports, review, users, audit) in a second one under `/account/`, so that the public
//! download does not carry them. Both the server (which page of the app to answer a path
//! with) and the app (which links it can follow without a page load) decide by this.

/// The folder of the build output, and the URL prefix, of the signed-in bundle.
pub const ACCOUNT_BUNDLE: &str = "account";

/// Whether `path` (no query string) is a page of the signed-in bundle; a trailing slash is
/// ignored, as the app's router does.
pub fn is_account_page(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    matches!(
        path,
        "/login" | "/my-projects" | "/review" | "/users" | "/audit"
    ) || path
        .strip_prefix("/projects/")
        .and_then(|rest| rest.strip_suffix("/reports"))
        .is_some_and(|code| !code.is_empty() && !code.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_in_pages_belong_to_the_account_bundle() {
        for p in [
            "/login",
            "/login/",
            "/my-projects",
            "/review",
            "/users",
            "/audit",
            "/projects/B14/reports",
        ] {
            assert!(is_account_page(p), "{p}");
        }
        for p in [
            "/",
            "",
            "/projects",
            "/projects/B14",
            "/projects//reports",
            "/projects/a/b/reports",
            "/schedule",
            "/budget",
            "/loginx",
            "/nowhere",
        ] {
            assert!(!is_account_page(p), "{p}");
        }
    }
}
