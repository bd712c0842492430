//! The banner of a database holding the `--demo` sample.

use yew::prelude::*;

/// The words of the banner (the browser tests look for them).
pub const SAMPLE_BANNER: &str = "演示数据：本库含示例年度计划和月报，非真实数据";

/// The banner when `shown`, else nothing.
pub fn sample_banner(shown: bool) -> Html {
    if !shown {
        return Html::default();
    }
    html! {
        <aside class="sample-banner" aria-label="演示数据提示">{ SAMPLE_BANNER }</aside>
    }
}
