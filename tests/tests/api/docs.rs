//! The written district rule lists every project's assignment; it must be what the API serves.

use std::path::PathBuf;

use keyproj_shared::UNASSIGNED_LABEL;

use crate::helpers::{all_projects, spawn_app};

#[tokio::test]
async fn the_district_table_in_the_docs_is_what_the_api_serves() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/district-rule.md");
    let doc = std::fs::read_to_string(&path).expect("docs/district-rule.md");
    let documented: Vec<(String, String, String)> = doc
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            // | code | name | district | basis |
            let code = cells.get(1)?;
            let is_code = code.len() == 3 && code.starts_with(|c: char| c.is_ascii_uppercase());
            is_code.then(|| (code.to_string(), cells[2].to_string(), cells[3].to_string()))
        })
        .collect();
    let app = spawn_app().await;
    let served: Vec<(String, String, String)> = all_projects(&app)
        .await
        .into_iter()
        .map(|i| {
            let district = i.district.map_or(UNASSIGNED_LABEL, |d| d.label());
            (i.code, i.name, district.to_string())
        })
        .collect();
    assert_eq!(documented, served);
}
