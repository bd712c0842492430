//! 年度计划: a planner downloads nothing but the link, uploads a workbook with an error and
//! sees it named by sheet, row and column with nothing written, then uploads the corrected
//! one and sees the plan created.

use keyproj_shared::{PLAN_IMPORT_COLUMNS, ProjectPlans, Role};

use crate::harness::start;
use crate::helpers::PASSWORD;

/// A 年度计划 workbook of one row: each (field of `PLAN_IMPORT_COLUMNS`, value) in its column.
pub(crate) fn workbook(cells: &[(&str, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("年度计划").expect("a name");
    for (c, col) in (0u16..).zip(PLAN_IMPORT_COLUMNS) {
        sheet.write_string(0, c, col.header).expect("a header");
        if let Some((_, value)) = cells.iter().find(|(f, _)| *f == col.field) {
            sheet.write_string(1, c, *value).expect("a cell");
        }
    }
    book.save_to_buffer().expect("a workbook")
}

/// The row of `code`'s plan for `year` with `planned` as 年度计划投资.
fn one_plan(code: &str, year: i32, planned: &str) -> Vec<u8> {
    let year = year.to_string();
    workbook(&[
        ("project_code", code),
        ("year", &year),
        ("planned_investment", planned),
        ("reason", "年初编制"),
    ])
}

#[tokio::test]
async fn a_planner_uploads_a_years_plans_sees_each_error_by_cell_then_the_plan_created() {
    let s = start().await;
    s.app.add_user("li", Role::Planner, None).await;
    let planner = s.app.login("li", PASSWORD).await;
    let plans: ProjectPlans = planner.json("/api/projects/A01/plans").await;
    let year = plans.first_year;

    s.open("/login").await;
    s.wait_for("#login-username")
        .await
        .send_keys("li")
        .await
        .expect("type");
    s.wait_for("#login-password")
        .await
        .send_keys(PASSWORD)
        .await
        .expect("type");
    s.wait_for("[data-testid=login-submit]")
        .await
        .click()
        .await
        .expect("log in");
    s.wait_for("[data-testid=nav-plans]").await;
    s.open("/plans").await;
    let href = s
        .wait_for("[data-testid=plan-template-link]")
        .await
        .attr("href")
        .await
        .expect("an attribute")
        .expect("a link");
    assert!(href.starts_with("/api/plans/template.xlsx?year="), "{href}");

    let dir = tempfile::tempdir().expect("a folder");
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, one_plan("A01", year, "1.234")).expect("the file");
    s.wait_for("[data-testid=plan-file]")
        .await
        .send_keys(&bad.display().to_string())
        .await
        .expect("choose the file");
    s.wait_for("[data-testid=plan-upload]")
        .await
        .click()
        .await
        .expect("upload");
    s.until("the error is listed by its cell", || async {
        s.text_of("[data-testid=plan-workbook]")
            .await
            .contains("年度计划!H2")
    })
    .await;
    let none: ProjectPlans = planner.json("/api/projects/A01/plans").await;
    assert!(none.plans.is_empty(), "nothing written");

    let good = dir.path().join("good.xlsx");
    std::fs::write(&good, one_plan("A01", year, "1.23")).expect("the file");
    s.wait_for("[data-testid=plan-file]")
        .await
        .send_keys(&good.display().to_string())
        .await
        .expect("choose the file");
    s.wait_for("[data-testid=plan-upload]")
        .await
        .click()
        .await
        .expect("upload");
    s.wait_for("[data-testid=plan-import-row][data-action=created]")
        .await;
    let after: ProjectPlans = planner.json("/api/projects/A01/plans").await;
    assert_eq!(after.plans.len(), 1);
    assert_eq!(after.plans[0].planned_investment.to_string(), "1.23");
    s.close().await;
}
