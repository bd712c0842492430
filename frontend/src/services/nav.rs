//! The address bar: where the browser is, in-app navigation, and hrefs.
//!
//! Every `<a href="/…">` of the app is a real link (open in a new tab works); a plain click
//! on one becomes a history entry (see `app::follow_link`) and the app re-renders for the
//! new location, as it does on back/forward. gloo's `BrowserHistory` keeps the entries and
//! tells the app of each change; the pages are `keyproj_shared::AppRoute`.

use std::cell::Cell;

use gloo::history::{BrowserHistory, History, HistoryListener};
use keyproj_shared::{AppRoute, Bundle};
use yew::AttrValue;

use super::query_string::encode_pairs;

/// Path and query string of the page shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    /// The query string without its `?`.
    pub search: AttrValue,
}

impl Location {
    /// Read from `window.location`, not `History::location`: gloo's also decodes the
    /// history entry's state with serde-wasm-bindgen, which the app has no use for and
    /// which would add about 10 KB to the download.
    pub fn current() -> Location {
        let location = gloo::utils::window().location();
        let search = location.search().unwrap_or_default();
        Location {
            path: location.pathname().unwrap_or_else(|_| "/".to_string()),
            search: AttrValue::from(search.strip_prefix('?').unwrap_or(&search).to_string()),
        }
    }
}

thread_local! {
    /// The bundle running: the pages of the other one come only with a full page load.
    static BUNDLE: Cell<Bundle> = const { Cell::new(Bundle::Public) };
}

/// Says which bundle is running; call once, before the first render.
pub fn set_owner(bundle: Bundle) {
    BUNDLE.with(|b| b.set(bundle));
}

/// Whether this bundle draws the page at `href`.
fn owns(href: &str) -> bool {
    AppRoute::parse(path_of(href)).bundle() == BUNDLE.with(Cell::get)
}

/// The path of an href of the app, without query string or fragment.
fn path_of(href: &str) -> &str {
    href.split(['?', '#']).next().unwrap_or(href)
}

/// Whether a click on a link to `href` can be followed in-app: a page of this bundle.
pub fn handles(href: &str) -> bool {
    is_app_href(href) && owns(href)
}

/// Calls `on_change` after every `push` and every back/forward, while the answer lives.
pub fn listen(on_change: impl Fn() + 'static) -> HistoryListener {
    BrowserHistory::new().listen(on_change)
}

/// `path?a=1&b=2` of the page `route`, or just its path when there are no pairs.
pub fn href(route: &AppRoute, pairs: &[(&'static str, String)]) -> String {
    let path = route.path();
    let query = encode_pairs(pairs);
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// The login page, coming back here afterwards.
pub fn login_href() -> String {
    let here = Location::current();
    let mut next = here.path;
    if !here.search.is_empty() {
        next.push('?');
        next.push_str(&here.search);
    }
    if AppRoute::parse(&next) == AppRoute::Login {
        return next;
    }
    href(&AppRoute::Login, &[("next", next)])
}

/// Goes to `href` with a new history entry, so back and forward step through it; going to
/// where the browser already is adds none. A page of the other bundle is loaded in full.
pub fn push(href: &str) {
    if !owns(href) {
        let _ = gloo::utils::window().location().assign(href);
        return;
    }
    let here = Location::current();
    let (target, fragment) = href.split_once('#').unwrap_or((href, ""));
    let (path, search) = target.split_once('?').unwrap_or((target, ""));
    if fragment.is_empty() && path == here.path && search == here.search {
        return;
    }
    BrowserHistory::new().push(href);
}

/// Goes to the page `route` with the query `pairs`; see [`push`].
pub fn push_query(route: &AppRoute, pairs: &[(&'static str, String)]) {
    push(&href(route, pairs));
}

/// Whether a link goes to a page of the app (and not to the API, a download or elsewhere).
pub fn is_app_href(href: &str) -> bool {
    href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/api/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_encode_their_pairs() {
        assert_eq!(href(&AppRoute::Projects, &[]), "/projects");
        assert_eq!(
            href(
                &AppRoute::Projects,
                &[("district", "yuhu".into()), ("q", "敬老院 改造".into())]
            ),
            "/projects?district=yuhu&q=%E6%95%AC%E8%80%81%E9%99%A2+%E6%94%B9%E9%80%A0"
        );
    }

    #[test]
    fn only_app_pages_are_handled_in_app() {
        assert!(is_app_href("/projects?district=yuhu"));
        assert!(is_app_href("/"));
        assert!(!is_app_href("/api/export/projects.csv"));
        assert!(!is_app_href("//example.org/x"));
        assert!(!is_app_href("https://example.org/"));
        assert!(!is_app_href("#main"));
        assert_eq!(path_of("/projects?q=a#x"), "/projects");
        assert_eq!(path_of("/login#top"), "/login");
        assert_eq!(path_of("/"), "/");
    }

    #[test]
    fn each_bundle_follows_links_to_its_own_pages_only() {
        set_owner(Bundle::Public);
        assert!(handles("/projects/B14?x=1"));
        assert!(!handles("/projects/B14/reports"));
        assert!(!handles("/login?next=%2F"));
        set_owner(Bundle::Account);
        assert!(handles("/projects/B14/reports"));
        assert!(handles("/audit?entity=user"));
        assert!(!handles("/projects"));
        assert!(!handles("/api/audit"));
    }
}
