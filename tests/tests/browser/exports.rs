use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use keyproj_shared::ProjectPage;

use crate::harness::start;

#[tokio::test]
async fn the_csv_xlsx_and_oc4ids_exports_download_and_hold_the_filtered_rows() {
    let s = start().await;
    let api: ProjectPage = s
        .app
        .json(
            "/api/projects",
            &[("district", "shaoshan"), ("per_page", "100")],
        )
        .await;
    let want: Vec<String> = api.items.iter().map(|i| i.code.clone()).collect();
    s.open("/projects?district=shaoshan").await;
    s.wait_for("[data-testid=project-row]").await;

    s.wait_for("#export-csv")
        .await
        .click()
        .await
        .expect("click CSV");
    let csv_path = s.downloaded(".csv").await;
    let bytes = std::fs::read(&csv_path).expect("the CSV");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let codes: Vec<String> = reader
        .records()
        .map(|r| r.expect("a record")[0].to_string())
        .filter(|c| !c.starts_with("合计"))
        .collect();
    assert_eq!(codes, want);

    s.wait_for("#export-xlsx")
        .await
        .click()
        .await
        .expect("click XLSX");
    let xlsx_path = s.downloaded(".xlsx").await;
    let bytes = std::fs::read(&xlsx_path).expect("the workbook");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx");
    let sheet = book.worksheet_range("重点项目").expect("the sheet");
    let codes: Vec<String> = sheet
        .rows()
        .skip(1)
        .filter_map(|r| match &r[0] {
            Data::String(c) if !c.starts_with("合计") => Some(c.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(codes, want);

    // the OC4IDS package carries the same filters
    s.wait_for("#export-oc4ids")
        .await
        .click()
        .await
        .expect("click OC4IDS");
    let json_path = s.downloaded(".json").await;
    let package: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).expect("the package")).expect("JSON");
    let ids: Vec<String> = package["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .map(|id| id.rsplit('-').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids, want);
    s.close().await;
}
