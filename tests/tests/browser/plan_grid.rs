//! The 年度计划 grid by keyboard only: a planner arrows to a cell, edits it with Enter, types,
//! commits with Enter and saves the row; the plan is stored. A 422 shows at the cell at
//! fault, and a 412 (someone else changed the plan meanwhile) shows on the row with the
//! current figures, which Enter loads.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use keyproj_shared::{PlanGrid, ProjectPlans, Role};
use serde_json::json;

use crate::accounts::log_in;
use crate::harness::{Session, start};
use crate::helpers::PASSWORD;

const YEAR: i32 = 2024;
/// The grid's columns (0-based) the test edits: 年度计划投资, 其中社会投资, and 保存.
const PLANNED: usize = 4;
const SOCIAL: usize = 5;
const SAVE: usize = 13;

/// Keys pressed and released where the focus is, as a keyboard does; a `char` each.
async fn keys(s: &Session, keys: &[char]) {
    let mut actions = KeyActions::new("keyboard".into());
    for k in keys {
        actions = actions
            .then(KeyAction::Down { value: *k })
            .then(KeyAction::Up { value: *k });
    }
    s.client
        .perform_actions(actions)
        .await
        .expect("key presses");
}

async fn press(s: &Session, key: Key, times: usize) {
    keys(s, &vec![key.into(); times]).await;
}

async fn type_text(s: &Session, text: &str) {
    keys(s, &text.chars().collect::<Vec<_>>()).await;
}

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

async fn wait_focus(s: &Session, css: &str) {
    s.until(&format!("the focus on {css}"), || focused(s, css))
        .await;
}

/// Moves from the first cell of row `r` to column `c`, by arrows.
async fn to_column(s: &Session, r: usize, c: usize) {
    press(s, Key::Home, 1).await;
    wait_focus(s, &format!("#pg-{r}-0")).await;
    press(s, Key::Right, c).await;
    wait_focus(s, &format!("#pg-{r}-{c}")).await;
}

/// Edits the cell `#pg-{r}-{c}`, which has the focus: Enter, the text (replacing what was
/// there), Enter; the focus is back on the cell.
async fn edit(s: &Session, r: usize, c: usize, text: &str) {
    press(s, Key::Enter, 1).await;
    wait_focus(s, "#pg-editor").await;
    type_text(s, text).await;
    press(s, Key::Enter, 1).await;
    wait_focus(s, &format!("#pg-{r}-{c}")).await;
}

#[tokio::test]
async fn a_planner_edits_and_saves_a_plan_in_the_grid_by_keyboard_and_sees_422_at_the_cell_and_412_on_the_row()
 {
    let s = start().await;
    s.app.add_user("li", Role::Planner, None).await;
    let planner = s.app.login("li", PASSWORD).await;
    // a project of the year whose 总投资 leaves room for the figures below
    let grid: PlanGrid = planner
        .json(&format!("/api/plans?year={YEAR}&per_page=100"))
        .await;
    let (r, row) = grid
        .items
        .iter()
        .enumerate()
        .find(|(_, row)| row.total_investment >= "3000".parse().expect("money"))
        .expect("a project of 3000 万元 or more");
    let code = row.code.clone();
    let row_css = format!("[data-testid=plan-grid-row][data-code='{code}']");

    log_in(&s, "li", PASSWORD).await;
    s.open(&format!("/plans?year={YEAR}")).await;
    s.wait_for(&row_css).await;
    // the reason for the session, then Tab into the grid: its one tab stop, the first cell
    s.wait_for("[data-testid=plan-grid-reason]")
        .await
        .send_keys("年初编制")
        .await
        .expect("type the reason");
    press(&s, Key::Tab, 1).await;
    wait_focus(&s, "#pg-0-0").await;
    press(&s, Key::Down, r).await;
    wait_focus(&s, &format!("#pg-{r}-0")).await;

    // 年度计划投资: arrow to it, Enter, type, Enter; then End to 保存 and Enter
    to_column(&s, r, PLANNED).await;
    edit(&s, r, PLANNED, "1234.5").await;
    assert_eq!(
        s.text_of(&format!("#pg-{r}-{PLANNED}")).await.trim(),
        "1234.5"
    );
    press(&s, Key::End, 1).await;
    wait_focus(&s, &format!("#pg-{r}-{SAVE}")).await;
    press(&s, Key::Enter, 1).await;
    s.wait_for(&format!("{row_css}[data-status=saved]")).await;
    let stored: ProjectPlans = planner.json(&format!("/api/projects/{code}/plans")).await;
    let plan = stored
        .plans
        .iter()
        .find(|p| p.year == YEAR)
        .expect("stored");
    assert_eq!(plan.planned_investment.to_string(), "1234.50");
    assert_eq!(plan.reason, "年初编制");

    // 其中社会投资 above the plan: the server's 422 at that cell, described by its message
    to_column(&s, r, SOCIAL).await;
    edit(&s, r, SOCIAL, "5000").await;
    press(&s, Key::End, 1).await;
    wait_focus(&s, &format!("#pg-{r}-{SAVE}")).await;
    press(&s, Key::Enter, 1).await;
    s.wait_for(&format!("{row_css}[data-status=invalid]")).await;
    let cell = format!("#pg-{r}-{SOCIAL}");
    let invalid = s.wait_for(&format!("{cell}[aria-invalid=true]")).await;
    let described = invalid
        .attr("aria-describedby")
        .await
        .expect("an attribute")
        .expect("described by its message");
    let message = s.text_of(&format!("#{described}")).await;
    assert!(message.contains("社会投资"), "{message}");
    let still: ProjectPlans = planner.json(&format!("/api/projects/{code}/plans")).await;
    assert_eq!(still.plans[0].version, 1, "nothing written");

    // fixed at the cell, but someone else revises the plan first: 412 on the row
    to_column(&s, r, SOCIAL).await;
    edit(&s, r, SOCIAL, "100").await;
    let res = planner
        .request(
            reqwest::Method::PUT,
            &format!("/api/projects/{code}/plans/{YEAR}"),
        )
        .header("if-match", &plan.etag)
        .json(&json!({"reason": "他人调整", "planned_investment": "2000"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), 200);
    press(&s, Key::End, 1).await;
    wait_focus(&s, &format!("#pg-{r}-{SAVE}")).await;
    press(&s, Key::Enter, 1).await;
    s.wait_for(&format!("{row_css}[data-status=conflict]"))
        .await;
    let status = s.text_of(&format!("#pg-{r}-{SAVE}")).await;
    assert!(
        status.contains("已被他人修改") && status.contains("2,000.00"),
        "{status}"
    );
    let after: ProjectPlans = planner.json(&format!("/api/projects/{code}/plans")).await;
    assert_eq!(
        after.plans[0].planned_investment.to_string(),
        "2000.00",
        "the other write stands"
    );
    // Enter on the row's 保存 cell loads the current figures
    wait_focus(&s, &format!("#pg-{r}-{SAVE}")).await;
    press(&s, Key::Enter, 1).await;
    s.wait_for(&format!("{row_css}[data-status=clean]")).await;
    assert_eq!(
        s.text_of(&format!("#pg-{r}-{PLANNED}")).await.trim(),
        "2000.00"
    );
    s.close().await;
}

#[tokio::test]
async fn the_grid_takes_the_project_lists_filters_and_keeps_its_year_in_the_address() {
    let s = start().await;
    s.app.add_user("li", Role::Planner, None).await;
    let planner = s.app.login("li", PASSWORD).await;
    let all: PlanGrid = planner
        .json(&format!("/api/plans?year={YEAR}&per_page=100"))
        .await;
    let shaoshan: PlanGrid = planner
        .json(&format!(
            "/api/plans?year={YEAR}&district=shaoshan&per_page=100"
        ))
        .await;
    assert!(
        !shaoshan.items.is_empty() && shaoshan.items.len() < all.items.len(),
        "韶山市 is a part of the year's projects"
    );

    log_in(&s, "li", PASSWORD).await;
    s.open(&format!("/plans?year={YEAR}")).await;
    s.wait_for("[data-testid=plan-grid-row]").await;
    assert_eq!(
        s.count("[data-testid=plan-grid-row]").await,
        all.items.len()
    );
    s.wait_for("#district-filter")
        .await
        .select_by_value("shaoshan")
        .await
        .expect("韶山市 can be chosen");
    s.until("the address to carry the filter and the year", || async {
        let url = s.current_url().await;
        url.contains("district=shaoshan") && url.contains(&format!("year={YEAR}"))
    })
    .await;
    s.until("the grid to hold 韶山市's projects only", || async {
        s.count("[data-testid=plan-grid-row]").await == shaoshan.items.len()
    })
    .await;
    for row in &shaoshan.items {
        s.wait_for(&format!(
            "[data-testid=plan-grid-row][data-code='{}']",
            row.code
        ))
        .await;
    }
    let template = s
        .wait_for("[data-testid=plan-template-link]")
        .await
        .attr("href")
        .await
        .expect("an href")
        .unwrap_or_default();
    assert!(template.contains("district=shaoshan"), "{template}");
    s.close().await;
}
