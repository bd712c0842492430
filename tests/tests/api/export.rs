use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use keyproj_shared::{Pivot, ProjectPage, Totals};

use crate::helpers::{money, spawn_app};

const FILTER: &[(&str, &str)] = &[("district", "韶山市"), ("sort", "-total_investment")];

#[tokio::test]
async fn the_csv_export_holds_the_filtered_rows_with_a_bom_for_excel() {
    let app = spawn_app().await;
    let mut q = FILTER.to_vec();
    q.push(("per_page", "100"));
    let list: ProjectPage = app.json("/api/projects", &q).await;

    let res = app.get_query("/api/export/projects.csv", FILTER).await;
    assert_eq!(res.status(), 200);
    let ct = res.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(ct.starts_with("text/csv"), "{ct}");
    let cd = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(cd.contains("attachment") && cd.contains(".csv"), "{cd}");
    let bytes = res.bytes().await.expect("body");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");

    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[0], "编号");
    assert_eq!(&headers[10], "总投资(万元)");
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    let (rows, last) = records.split_at(records.len() - 1);
    let last = &last[0];
    assert_eq!(rows.len(), list.items.len());
    for (rec, item) in rows.iter().zip(&list.items) {
        assert_eq!(&rec[0], item.code);
        assert_eq!(&rec[3], item.name);
        assert_eq!(&rec[6], "韶山市");
        assert_eq!(money(&rec[10]), item.total_investment);
        assert_eq!(money(&rec[11]), item.planned_investment);
    }
    assert_eq!(&last[0], format!("合计({}个)", list.total));
    assert_eq!(money(&last[10]), list.totals.total_investment);
    assert_eq!(money(&last[13]), list.totals.social_investment);
}

#[tokio::test]
async fn the_xlsx_export_has_real_number_cells_for_the_filtered_rows() {
    let app = spawn_app().await;
    let mut q = FILTER.to_vec();
    q.push(("per_page", "100"));
    let list: ProjectPage = app.json("/api/projects", &q).await;

    let res = app.get_query("/api/export/projects.xlsx", FILTER).await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("body").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx workbook");
    let sheet = book.worksheet_range("重点项目").expect("the sheet");
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows[0][0], Data::String("编号".into()));
    assert_eq!(rows.len(), list.items.len() + 2, "header, rows, 合计");
    for (row, item) in rows[1..].iter().zip(&list.items) {
        assert_eq!(row[0], Data::String(item.code.clone()));
        let Data::Float(total) = row[10] else {
            panic!(
                "总投资 of {} is not a number cell: {:?}",
                item.code, row[10]
            );
        };
        // the cell's double, printed at two decimals, is the exact amount
        assert_eq!(money(&format!("{total:.2}")), item.total_investment);
    }
    let last = rows[rows.len() - 1];
    let Data::Float(sum) = last[10] else {
        panic!("no 合计 number: {:?}", last[10])
    };
    assert_eq!(money(&format!("{sum:.2}")), list.totals.total_investment);
}

#[tokio::test]
async fn exports_refuse_bad_filters_and_paging_by_name() {
    let app = spawn_app().await;
    for path in ["/api/export/projects.csv", "/api/export/projects.xlsx"] {
        for (q, field) in [
            (("district", "火星区"), "district"),
            (("page", "2"), "page"),
        ] {
            let res = app.get_query(path, &[q]).await;
            assert_eq!(res.status(), 422, "{path} {q:?}");
            let p: keyproj_shared::Problem = res.json().await.expect("problem");
            assert_eq!(p.errors[0].field, field);
        }
    }
}

#[tokio::test]
async fn the_pivot_cells_add_up_to_its_rows_columns_and_total() {
    let app = spawn_app().await;
    let p: Pivot = app.json("/api/pivot", &[]).await;
    let list: ProjectPage = app.json("/api/projects", &[]).await;
    assert_eq!(p.total, list.totals);
    for row in &p.rows {
        let cells = p.cells.iter().filter(|c| c.district == row.key);
        let t = Totals::from_rows(cells.map(|c| {
            (
                c.totals.total_investment,
                c.totals.planned_investment,
                Some(c.totals.social_investment),
            )
        }))
        .expect("no overflow");
        assert_eq!(t.total_investment, row.total_investment, "{}", row.key);
        assert_eq!(t.social_investment, row.social_investment, "{}", row.key);
    }
    for col in &p.columns {
        let n: u64 = p
            .cells
            .iter()
            .filter(|c| c.category.key() == col.key)
            .map(|c| c.totals.count)
            .sum();
        assert_eq!(n, col.count, "{}", col.key);
    }
    let filtered: Pivot = app.json("/api/pivot", &[("district", "韶山市")]).await;
    assert_eq!(filtered.rows.len(), 1);
    assert!(filtered.cells.iter().all(|c| c.district == "shaoshan"));
}
