//! The document title follows the page, so history entries and bookmarks say which it is.

use yew::prelude::*;

const SITE: &str = "湘潭市“十四五”民政事业重点项目";

/// Sets the title to `page · 湘潭市“十四五”民政事业重点项目` (just the site for `""`).
pub fn set_title(page: &str) {
    let title = if page.is_empty() {
        SITE.to_string()
    } else {
        format!("{page} · {SITE}")
    };
    let document = gloo::utils::document();
    if document.title() != title {
        document.set_title(&title);
    }
}

/// [`set_title`] once the page is drawn, and again when `page` changes.
#[hook]
pub fn use_title(page: String) {
    use_effect_with(page, |page| set_title(page));
}
