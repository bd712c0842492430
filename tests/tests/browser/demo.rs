//! The `--demo` banner: on every kind of page of a demo server (both bundles), and on none
//! of a server started without `--demo`.

use crate::harness::{start, start_with};

const BANNER: &str = "演示数据：本库含示例年度计划和月报，非真实数据";

#[tokio::test]
async fn a_demo_server_shows_the_sample_banner_on_public_and_signed_in_pages() {
    let s = start_with(|c| c.demo = true).await;
    for path in ["/", "/warnings?period=2025-12", "/projects/B22", "/login"] {
        s.open(path).await;
        s.wait_for(".app[data-sample=yes]").await;
        let text = s.text_of(".sample-banner").await;
        assert_eq!(text.trim(), BANNER, "{path}");
    }
    s.close().await;
}

#[tokio::test]
async fn a_server_started_without_demo_shows_no_banner() {
    let s = start().await;
    for path in ["/", "/login"] {
        s.open(path).await;
        // the page has heard from the server before it is looked at
        s.wait_for(".app[data-sample=no]").await;
        assert_eq!(s.count(".sample-banner").await, 0, "{path}");
    }
    s.close().await;
}
