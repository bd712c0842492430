//! 批量填报 on 我的项目: the template link, a workbook uploaded for a dry run shown row by
//! row, then the confirmed import.

use keyproj_shared::{IMPORT_COLUMNS, ReportList, Role};

use crate::harness::start;
use crate::helpers::{PASSWORD, SHAOSHAN};

/// A workbook of one row for `code` in May 2024, written as an owner would fill it.
fn workbook(code: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("月报").expect("a name");
    for (c, col) in (0u16..).zip(IMPORT_COLUMNS) {
        sheet.write_string(0, c, col.header).expect("a header");
        let value = match col.field {
            "project_code" => code,
            "period" => "2024年5月",
            "physical_progress_pct" => "45",
            "investment_completed" => "12.5",
            "status" => "在建",
            _ => continue,
        };
        sheet.write_string(1, c, value).expect("a cell");
    }
    book.save_to_buffer().expect("a workbook")
}

#[tokio::test]
async fn an_owner_checks_a_workbook_row_by_row_then_imports_it() {
    let s = start().await;
    s.app.add_user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = s.app.projects_of(SHAOSHAN).await;
    let owner = s.app.login("zhang", PASSWORD).await;

    s.open("/login").await;
    let field = s.wait_for("#login-username").await;
    field.send_keys("zhang").await.expect("type");
    let field = s.wait_for("#login-password").await;
    field.send_keys(PASSWORD).await.expect("type");
    s.wait_for("[data-testid=login-submit]")
        .await
        .click()
        .await
        .expect("log in");
    s.wait_for("[data-testid=import-reports]").await;
    let href = s
        .wait_for("[data-testid=template-link]")
        .await
        .attr("href")
        .await
        .expect("an attribute")
        .expect("a link");
    assert!(href.starts_with("/api/reports/template.xlsx"), "{href}");

    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("yuebao.xlsx");
    std::fs::write(&path, workbook(&own.code)).expect("the file");
    s.wait_for("[data-testid=import-file]")
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("choose the file");
    s.wait_for("[data-testid=import-dry-run]")
        .await
        .click()
        .await
        .expect("dry run");
    s.wait_for("[data-testid=import-row][data-action=new]")
        .await;
    assert!(
        s.text_of("[data-testid=import-summary]")
            .await
            .contains("试导入")
    );
    let before: ReportList = owner
        .json(&format!("/api/projects/{}/reports", own.code))
        .await;
    assert!(before.items.is_empty(), "the dry run wrote nothing");

    s.wait_for("[data-testid=import-confirm]")
        .await
        .click()
        .await
        .expect("confirm");
    s.until("the import is done", || async {
        s.text_of("[data-testid=import-summary]")
            .await
            .contains("已导入")
    })
    .await;
    let after: ReportList = owner
        .json(&format!("/api/projects/{}/reports", own.code))
        .await;
    assert_eq!(after.items.len(), 1);
    assert_eq!(after.items[0].period, "2024-05");
    s.close().await;
}
