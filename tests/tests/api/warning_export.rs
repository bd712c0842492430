//! `GET /api/export/warnings.csv|.xlsx`: the 预警 page's month as a download, every matching
//! verdict with its arithmetic and the project's 本年完成投资 figures.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use keyproj_shared::{Role, WarningPage};
use serde_json::json;

use crate::helpers::{SHAOSHAN, content_type, fields, ok_json, problem, report_body, spawn_app};
use crate::plans::{first, known_project, plan_body, put_plan};

const JUNE_LAG: &str =
    "2024年6月：序时进度 50.00%，投资完成率 32.00%，落后 18.00 个百分点（10.00–30.00）→ 黄色";

/// A project 18 points behind its 2024 plan in June; answers its code.
async fn behind_in_june(app: &crate::helpers::TestApp) -> String {
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let code = known_project(app, &planner, SHAOSHAN).await;
    let mut b = plan_body("1000");
    b["milestones"] = json!([]);
    b["baseline_completed"] = json!("100");
    let _: keyproj_shared::AnnualPlan = ok_json(
        put_plan(&planner, &code, "2024", Some(&first(&code, 2024)), &b).await,
        "plan",
    )
    .await;
    let r: keyproj_shared::Report = ok_json(
        owner.report(&code, &report_body("2024-06", "420")).await,
        "report",
    )
    .await;
    let _: keyproj_shared::Report = ok_json(
        finance
            .post_if_match(
                &format!("/api/reports/{}/approve", r.id),
                &r.etag,
                &json!({}),
            )
            .await,
        "approval",
    )
    .await;
    code
}

#[tokio::test]
async fn the_csv_holds_every_warning_the_list_gives_with_its_arithmetic() {
    let app = spawn_app().await;
    let code = behind_in_june(&app).await;
    let query = [("period", "2024-06")];
    let list: WarningPage = app
        .json(
            "/api/warnings",
            &[("period", "2024-06"), ("per_page", "500")],
        )
        .await;

    let res = app.get_query("/api/export/warnings.csv", &query).await;
    assert_eq!(res.status(), 200);
    assert!(content_type(&res).starts_with("text/csv"));
    let text = res.text().await.expect("a body");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[0], "项目编号");
    assert_eq!(&headers[9], "计算过程");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let (body, totals) = rows.split_at(rows.len() - 1);
    assert_eq!(
        body.len(),
        list.items.len(),
        "every warning of the month, no paging"
    );
    assert_eq!(&totals[0][1], format!("{} 条", list.items.len()));
    let lag = body
        .iter()
        .find(|r| r[0] == code && &r[2] == "投资滞后")
        .expect("the lag row");
    assert_eq!(&lag[3], "黄色");
    assert_eq!(&lag[4], "18.00");
    assert_eq!(
        (&lag[5], &lag[6], &lag[7], &lag[8]),
        ("1000.00", "320.00", "32.00", "50.00")
    );
    assert_eq!(&lag[9], JUNE_LAG);

    // the list's filters apply: only the yellow investment lag
    let res = app
        .get_query(
            "/api/export/warnings.csv",
            &[
                ("period", "2024-06"),
                ("level", "yellow"),
                ("rule", "investment_lag"),
            ],
        )
        .await;
    let text = res.text().await.expect("a body");
    let n = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .count();
    assert_eq!(n, 2, "one warning and the 合计 row: {text}");
}

#[tokio::test]
async fn the_workbook_has_a_title_the_rule_set_version_and_number_cells() {
    let app = spawn_app().await;
    let code = behind_in_june(&app).await;
    let res = app
        .get_query(
            "/api/export/warnings.xlsx",
            &[("period", "2024-06"), ("rule", "investment_lag")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("body");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    let sheet = book.worksheet_range("预警2024-06").expect("the sheet");
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String("重点项目2024年6月预警".into()));
    assert!(matches!(cell(1, 0), Data::String(s) if s.starts_with("规则第 1 版")));
    assert_eq!(cell(3, 0), Data::String("项目编号".into()));
    assert_eq!(cell(4, 0), Data::String(code));
    assert_eq!(cell(4, 6), Data::Float(320.0));
    assert_eq!(cell(4, 9), Data::String(JUNE_LAG.into()));
}

#[tokio::test]
async fn an_export_without_a_month_or_with_a_bad_filter_is_422_naming_it() {
    let app = spawn_app().await;
    for (query, field) in [
        (vec![], "period"),
        (vec![("period", "2024-13")], "period"),
        (vec![("period", "2024-06"), ("level", "purple")], "level"),
    ] {
        for ext in ["csv", "xlsx"] {
            let (status, p) = problem(
                app.get_query(&format!("/api/export/warnings.{ext}"), &query)
                    .await,
            )
            .await;
            assert_eq!(
                (status, fields(&p)),
                (422, vec![field.to_string()]),
                "{ext} {query:?}"
            );
        }
    }
}
