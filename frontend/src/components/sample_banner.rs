//! The banner of a database holding the `--demo` sample.

use yew::prelude::*;

/// What the page says it knows, on the frame (`data-sample`): the browser tests wait for
/// `no` before they find no banner.
pub fn sample_state(sample: Option<bool>) -> &'static str {
    match sample {
        None => "unknown",
        Some(true) => "yes",
        Some(false) => "no",
    }
}

/// The words of the banner (the browser tests look for them).
pub const SAMPLE_BANNER: &str = "演示数据：本库含示例年度计划和月报，非真实数据";

/// The banner when the server said so, else nothing.
pub fn sample_banner(sample: Option<bool>) -> Html {
    if sample != Some(true) {
        return Html::default();
    }
    html! {
        <aside class="sample-banner" aria-label="演示数据提示">{ SAMPLE_BANNER }</aside>
    }
}
