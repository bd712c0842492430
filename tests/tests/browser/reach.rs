//! The app without a mouse, and on a laptop's and a phone's screen.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use keyproj_shared::ProjectPage;
use serde_json::json;

use crate::harness::{Session, start};

/// Presses and releases `key` wherever the focus is, as a keyboard does.
async fn press(s: &Session, key: Key) {
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key.into() })
        .then(KeyAction::Up { value: key.into() });
    s.client
        .perform_actions(actions)
        .await
        .expect("a key press");
}

/// Whether the focused element matches `css`.
async fn focused(s: &Session, css: &str) -> bool {
    s.client
        .execute(
            "return document.activeElement !== null && document.activeElement.matches(arguments[0]);",
            vec![json!(css)],
        )
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Presses Tab until the element matching `css` has the focus; fails if it never gets it,
/// i.e. if the keyboard cannot reach it.
async fn tab_to(s: &Session, css: &str) {
    for _ in 0..120 {
        if focused(s, css).await {
            return;
        }
        press(s, Key::Tab).await;
    }
    panic!("Tab never reached {css}");
}

#[tokio::test]
async fn a_keyboard_user_filters_sorts_and_opens_a_project_without_the_mouse() {
    let s = start().await;
    let api: ProjectPage = s
        .app
        .json(
            "/api/projects",
            &[("district", "韶山市"), ("sort", "-total_investment")],
        )
        .await;
    let biggest = &api.items[0].code;
    s.open("/projects").await;
    s.wait_for("[data-testid=project-row]").await;

    // The district filter: Tab to it, then arrow down through the choices to 韶山市.
    tab_to(&s, "#district-filter").await;
    for _ in 0..20 {
        let value = s
            .wait_for("#district-filter")
            .await
            .prop("value")
            .await
            .ok()
            .flatten();
        if value.as_deref() == Some("shaoshan") {
            break;
        }
        press(&s, Key::Down).await;
    }
    s.until("the list to be filtered to 韶山市", || async {
        s.current_url().await.contains("district=shaoshan")
    })
    .await;

    // Sort by 总投资: a header button, pressed twice with Enter for the largest first.
    tab_to(&s, "button[data-sort=total_investment]").await;
    press(&s, Key::Enter).await;
    s.until("ascending order by 总投资", || async {
        s.current_url().await.contains("sort=total_investment")
    })
    .await;
    s.until("the sorted list to be in", || async {
        s.count("[data-testid=results][aria-busy=false]").await == 1
    })
    .await;
    assert!(
        focused(&s, "button[data-sort=total_investment]").await,
        "the sort button keeps the focus once the sorted list is in"
    );
    press(&s, Key::Enter).await;
    s.until("descending order by 总投资", || async {
        s.current_url().await.contains("sort=-total_investment")
    })
    .await;
    s.until("the largest 韶山市 project first", || async {
        s.wait_for("[data-testid=project-row]")
            .await
            .attr("data-code")
            .await
            .ok()
            .flatten()
            .as_ref()
            == Some(biggest)
    })
    .await;

    // Its page: Tab to the first row's link and follow it with Enter.
    tab_to(&s, "[data-testid=project-row]:first-child a").await;
    press(&s, Key::Enter).await;
    s.until("the project's page", || async {
        s.current_url()
            .await
            .ends_with(&format!("/projects/{biggest}"))
    })
    .await;
    s.wait_for("[data-testid=project-fields]").await;
    s.close().await;
}

/// Pages wider than the screen make a reader scroll sideways to read every line; only wide
/// tables and charts may scroll, inside their own box.
#[tokio::test]
async fn every_page_fits_a_laptop_and_a_phone_without_sideways_scrolling() {
    let s = start().await;
    let pages = [
        ("/", "[data-testid=nature-summary]"),
        ("/projects?district=shaoshan", "[data-testid=project-row]"),
        ("/projects/B14", "[data-testid=project-fields]"),
        ("/schedule", "[data-testid=gantt-bar]"),
        ("/budget", "[data-testid=pivot-total]"),
        (
            "/warnings?period=2024-06",
            "[data-testid=warnings-by-district]",
        ),
    ];
    for (width, height) in [(1366, 768), (390, 844)] {
        s.client
            .set_window_size(width, height)
            .await
            .expect("a window size");
        for (path, drawn) in pages {
            s.open(path).await;
            s.wait_for(drawn).await;
            let sizes = s
                .client
                .execute(
                    "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                    vec![],
                )
                .await
                .expect("page widths");
            let (content, viewport) = (sizes[0].as_u64(), sizes[1].as_u64());
            assert!(
                viewport.is_some() && content <= viewport,
                "{path} at {width}×{height}: content {content:?} px wide, viewport {viewport:?} px"
            );
        }
    }
    s.close().await;
}
