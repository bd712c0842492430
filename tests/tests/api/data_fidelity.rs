//! The API against the plan itself: from what the API serves, the annex 1 table is rebuilt
//! cell by cell and compared with the plan's text (tests/data/annex1.txt, cut from the plan as
//! tests/data/README.md says).

use keyproj_shared::{Percent, ProjectDetail, Reconciliation};

use crate::helpers::{all_projects, money, spawn_app};

const EMPTY_CELL: &str = "\u{a0}";

/// Annex 1 as the plan prints it, from its heading to the table's last cell. Kept in the
/// repository so that a clone needs nothing beside it.
const ANNEX_1: &str = include_str!("../../data/annex1.txt");

/// The document's non-empty lines: the text puts each table cell, and each line inside a
/// cell, on its own line between blank lines.
fn paragraphs(doc: &str) -> Vec<&str> {
    doc.lines().filter(|l| !l.is_empty()).collect()
}

fn cell_lines(cell: &str) -> Vec<String> {
    if cell.is_empty() {
        vec![EMPTY_CELL.to_string()]
    } else {
        cell.split('\n').map(str::to_string).collect()
    }
}

#[tokio::test]
async fn the_served_projects_rebuild_annex_1_cell_for_cell() {
    let app = spawn_app().await;
    let rec: Reconciliation = app.json("/api/reconciliation", &[]).await;
    let items = all_projects(&app).await;
    assert_eq!(items.len(), 87);

    let subtotal_row = |label: &str, total: &str, planned: &str| -> Vec<String> {
        [
            label, EMPTY_CELL, EMPTY_CELL, total, planned, EMPTY_CELL, EMPTY_CELL,
        ]
        .map(str::to_string)
        .to_vec()
    };
    let mut rebuilt: Vec<String> = Vec::new();
    for row in &rec.rows {
        let p = &row.published;
        rebuilt.extend(subtotal_row(
            &p.label,
            &p.total_investment_text,
            &p.planned_investment_text,
        ));
        let Some(category) = row.category else {
            continue;
        };
        for item in items.iter().filter(|i| i.category == category) {
            let d: ProjectDetail = app.json(&format!("/api/projects/{}", item.code), &[]).await;
            let c = &d.published;
            for cell in [
                &c.serial,
                &c.name,
                &c.nature,
                &c.owner,
                &c.content,
                &c.start_year,
                &c.end_year,
                &c.total_investment,
                &c.planned_investment,
                &c.social_share,
                &c.remarks,
            ] {
                rebuilt.extend(cell_lines(cell));
            }
        }
    }

    let paras = paragraphs(ANNEX_1);
    let start = paras
        .iter()
        .position(|p| p.starts_with("总计项目"))
        .expect("the 总计 row is in the annex");
    let original = &paras[start..];
    for (i, (got, want)) in rebuilt.iter().zip(original).enumerate() {
        assert_eq!(got, want, "cell {i} of the table differs");
    }
    // the annex ends with the table's last cell, so neither side has lines the other lacks
    assert_eq!(
        rebuilt.len(),
        original.len(),
        "the rebuilt table has {} lines, the annex {}",
        rebuilt.len(),
        original.len()
    );
}

#[tokio::test]
async fn every_amount_equals_its_published_cell_to_the_hundredth() {
    let app = spawn_app().await;
    for item in all_projects(&app).await {
        let d: ProjectDetail = app.json(&format!("/api/projects/{}", item.code), &[]).await;
        let p = &d.published;
        assert_eq!(
            item.total_investment,
            money(&p.total_investment),
            "{}",
            item.code
        );
        assert_eq!(
            item.planned_investment,
            money(&p.planned_investment),
            "{}",
            item.code
        );
        assert_eq!(item.name, p.name);
        assert_eq!(item.start.published, p.start_year);
        assert_eq!(item.end.published, p.end_year);
        assert_eq!(item.nature_published, p.nature);
        assert_eq!(d.content, p.content);
        assert_eq!(item.remarks.clone().unwrap_or_default(), p.remarks);
        match p.social_share.strip_suffix('%') {
            Some(number) => {
                let share: Percent = number.parse().expect("a share");
                assert_eq!(item.social_share_pct, Some(share), "{}", item.code);
                assert_eq!(
                    item.social_investment,
                    Some(item.total_investment.times_percent(share)),
                    "{}",
                    item.code
                );
            }
            None => {
                assert_eq!(p.social_share, "", "{}", item.code);
                assert_eq!(item.social_share_pct, None);
                assert_eq!(item.social_investment, None);
            }
        }
        let serial: i32 = p.serial.trim().parse().expect("a serial number");
        let code = format!("{}{serial:02}", item.category.letter());
        assert_eq!(item.code, code);
    }
}

#[tokio::test]
async fn odd_cells_are_modelled_not_smoothed() {
    let app = spawn_app().await;
    let get = |code: &'static str| {
        let app = &app;
        async move {
            app.json::<ProjectDetail>(&format!("/api/projects/{code}"), &[])
                .await
        }
    };

    // a year and month (一-6: 2021.1 to 2021.8)
    let a06 = get("A06").await;
    assert_eq!(
        (a06.item.start.earliest_year, a06.item.start.earliest_month),
        (2021, Some(1))
    );
    assert_eq!(
        (a06.item.end.latest_year, a06.item.end.latest_month),
        (2021, Some(8))
    );
    assert!(!a06.item.start.approximate);

    // a year range, kept as earliest and latest and flagged (三-1: 2021-2023 to 2022-2024)
    let c01 = get("C01").await;
    assert!(c01.item.start.approximate && c01.item.end.approximate);
    assert_eq!(
        (c01.item.start.earliest_year, c01.item.start.latest_year),
        (2021, 2023)
    );
    assert_eq!(
        (c01.item.end.earliest_year, c01.item.end.latest_year),
        (2022, 2024)
    );

    // mixed natures stay visible
    let b38 = get("B38").await;
    assert_eq!(b38.item.nature_published, "新建或续建");
    assert_eq!(b38.item.nature, keyproj_shared::Nature::NewOrContinued);
    let c05 = get("C05").await;
    assert_eq!(c05.item.nature_published, "新建\n改建");
    assert_eq!(c05.item.nature, keyproj_shared::Nature::NewAndRenovation);

    // several owners, however the cell separates them
    let names = |d: &ProjectDetail| {
        d.item
            .owners
            .iter()
            .map(|o| o.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&c05),
        ["韶山市民政局", "清溪镇人民政府", "银田镇人民政府"]
    );
    assert_eq!(
        names(&get("B43").await),
        ["韶山人民医院", "韶山市卫健局", "韶山市民政局"]
    );
    assert_eq!(
        names(&get("D07").await),
        ["湘潭市雨湖区鹤岭镇人民政府", "湘潭市雨湖区姜畲镇人民政府"]
    );
    let b24 = get("B24").await;
    assert_eq!(names(&b24), ["湘乡市民政局"]);
    assert_eq!(b24.published.owner, "湘乡市 民政局");

    // a share printed with one decimal keeps its value exactly
    let b13 = get("B13").await;
    assert_eq!(b13.published.social_share, "33.3%");
    assert_eq!(
        b13.item.social_share_pct.map(|p| p.to_string()),
        Some("33.30".into())
    );
    assert_eq!(b13.item.social_investment, Some(money("499.50")));

    // content keeps its line breaks
    let e01 = get("E01").await;
    assert!(
        e01.content
            .starts_with("建设内容:\n1、原福利金属制品厂厂房拆除外运,场地平整;\n")
    );

    // the planned amount can be below the total: the rest lies outside 2021-2025
    let c03 = get("C03").await;
    assert_eq!(c03.outside_plan_investment, money("11000.00"));
}

#[tokio::test]
async fn the_source_places_every_project_or_says_it_does_not() {
    let app = spawn_app().await;
    let items = all_projects(&app).await;
    let unassigned: Vec<&str> = items
        .iter()
        .filter(|i| i.district.is_none())
        .map(|i| i.code.as_str())
        .collect();
    // D11 (a company, no place named) and D18 (响水乡, which the table puts under both 雨湖区 and 经开区)
    assert_eq!(unassigned, ["D11", "D18"]);
    for code in unassigned {
        let d: ProjectDetail = app.json(&format!("/api/projects/{code}"), &[]).await;
        assert_eq!(d.district_basis, keyproj_shared::DistrictBasis::Unassigned);
        assert!(d.district_note.contains("未载明"), "{}", d.district_note);
    }
    let b47: ProjectDetail = app.json("/api/projects/B47", &[]).await;
    assert_eq!(
        b47.item.district,
        Some(keyproj_shared::District::EconomicZone)
    );
    assert_eq!(
        b47.district_basis,
        keyproj_shared::DistrictBasis::ProjectName
    );
}
