//! The address bar: where the browser is, in-app navigation, and hrefs.
//!
//! Every `<a href="/…">` of the app is a real link (open in a new tab works); a plain click
//! on one becomes a history entry (see `app::follow_link`) and the app re-renders for the
//! new location, as it does on back/forward. This replaces a router crate: the app has five
//! routes, and the weight of a general router is better spent elsewhere.

use std::cell::{Cell, RefCell};

use gloo::events::EventListener;
use yew::{AttrValue, Callback};

use super::query_string::encode_pairs;

/// Path and query string of the page shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    /// The query string without its `?`.
    pub search: AttrValue,
}

impl Location {
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
    /// Told whenever the location changes: the app, which then re-renders.
    static LISTENER: RefCell<Option<Callback<()>>> = const { RefCell::new(None) };
}

thread_local! {
    /// Which paths this bundle draws itself (`app::Pages::owns`); the others belong to the
    /// other bundle, which only a full page load brings.
    static OWNS: Cell<fn(&str) -> bool> = const { Cell::new(|_| true) };
}

/// Says which paths this bundle draws; call once, before the first render.
pub fn set_owner(owns: fn(&str) -> bool) {
    OWNS.with(|o| o.set(owns));
}

/// The path of an href of the app, without query string or fragment.
fn path_of(href: &str) -> &str {
    href.split(['?', '#']).next().unwrap_or(href)
}

/// Whether a click on a link to `href` can be followed in-app: a page of this bundle.
pub fn handles(href: &str) -> bool {
    is_app_href(href) && OWNS.with(Cell::get)(path_of(href))
}

/// Keeps `on_change` told of every change of location while it lives.
pub struct Listening {
    _popstate: EventListener,
}

impl Drop for Listening {
    fn drop(&mut self) {
        LISTENER.with(|l| l.borrow_mut().take());
    }
}

/// Calls `on_change` after every `push` and every back/forward.
pub fn listen(on_change: Callback<()>) -> Listening {
    LISTENER.with(|l| *l.borrow_mut() = Some(on_change.clone()));
    let popstate = EventListener::new(&gloo::utils::window(), "popstate", move |_| {
        on_change.emit(());
    });
    Listening {
        _popstate: popstate,
    }
}

/// `path?a=1&b=2`, or just `path` when there are no pairs.
pub fn href(path: &str, pairs: &[(&'static str, String)]) -> String {
    let query = encode_pairs(pairs);
    if query.is_empty() {
        path.to_string()
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
    if next == "/login" {
        return next;
    }
    href("/login", &[("next", next)])
}

/// Goes to `href` with a new history entry, so back and forward step through it; going to
/// where the browser already is adds none. A page of the other bundle is loaded in full.
pub fn push(href: &str) {
    let window = gloo::utils::window();
    let location = window.location();
    if !OWNS.with(Cell::get)(path_of(href)) {
        let _ = location.assign(href);
        return;
    }
    let here = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let (target, _) = href.split_once('#').unwrap_or((href, ""));
    if target == here && !href.contains('#') {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
    }
    let listener = LISTENER.with(|l| l.borrow().clone());
    if let Some(on_change) = listener {
        on_change.emit(());
    }
}

/// Goes to `path?pairs`; see [`push`].
pub fn push_query(path: &str, pairs: &[(&'static str, String)]) {
    push(&href(path, pairs));
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
        assert_eq!(href("/projects", &[]), "/projects");
        assert_eq!(
            href(
                "/projects",
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
}
