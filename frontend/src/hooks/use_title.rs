//! The document title follows the page, so history entries and bookmarks say which it is.

use yew::prelude::*;

const SITE: &str = "湘潭市“十四五”民政事业重点项目";

/// Sets the title to `page · 湘潭市“十四五”民政事业重点项目` (just the site for `""`).
#[hook]
pub fn use_title(page: String) {
    use_effect_with(page, |page| {
        let title = if page.is_empty() {
            SITE.to_string()
        } else {
            format!("{page} · {SITE}")
        };
        gloo::utils::document().set_title(&title);
    });
}
