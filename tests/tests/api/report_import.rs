//! Monthly reports from a workbook: the template, the dry run, the real import in one
//! transaction, the replay of the same file, the marked-up error workbook, what real files
//! contain, and every bad input refused with its status and nothing written. Each test
//! writes its workbook itself (rust_xlsxwriter).

use std::io::{Cursor, Read};

use calamine::{Reader, Xlsx};
use keyproj_shared::{
    AuditPage, IMPORT_COLUMNS, ImportResult, Report, ReportList, Role, RowAction,
};
use reqwest::{Method, Response};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::helpers::{SHAOSHAN, Session, TestApp, ok_json, problem, report_body, spawn_app};
use crate::reports::count;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The headers a filled template has, in the template's order.
pub fn headers() -> Vec<&'static str> {
    IMPORT_COLUMNS.iter().map(|c| c.header).collect()
}

/// A row for the template's columns: code, period, progress, investment, status; the rest
/// as `report_body` has them.
pub fn row(code: &str, period: &str, pct: &str, invested: &str) -> Vec<String> {
    IMPORT_COLUMNS
        .iter()
        .map(|c| match c.field {
            "project_code" => code.to_string(),
            "period" => period.to_string(),
            "physical_progress_pct" => pct.to_string(),
            "investment_completed" => invested.to_string(),
            "social_investment_completed" => "0".to_string(),
            "status" => "在建".to_string(),
            "actual_start" => "2021-03-01".to_string(),
            "progress_text" => "主体结构施工中".to_string(),
            _ => String::new(),
        })
        .collect()
}

fn write_rows(sheet: &mut Worksheet, first: u32, header: &[&str], rows: &[Vec<String>]) {
    for (c, h) in (0u16..).zip(header) {
        sheet.write_string(first, c, *h).expect("a header");
    }
    for (r, cells) in (first + 1..).zip(rows) {
        for (c, v) in (0u16..).zip(cells) {
            if !v.is_empty() {
                sheet.write_string(r, c, v).expect("a cell");
            }
        }
    }
}

/// A workbook with one 月报 sheet of text cells.
pub fn workbook(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("月报").expect("a name");
    write_rows(sheet, 0, header, rows);
    book.save_to_buffer().expect("a workbook")
}

/// A multipart body with `bytes` as its `file` part, and its content type.
pub fn multipart(bytes: &[u8], name: &str) -> (String, Vec<u8>) {
    let boundary = "keyprojTestBoundary5f3a9c";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {XLSX}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads `bytes` as the `file` part of a multipart body.
async fn upload(s: &Session, bytes: &[u8], name: &str, dry_run: bool) -> Response {
    let (content_type, body) = multipart(bytes, name);
    s.request(
        Method::POST,
        &format!("/api/reports/import?dry_run={dry_run}"),
    )
    .header("content-type", content_type)
    .body(body)
    .send()
    .await
    .expect("answered")
}

async fn dry(s: &Session, bytes: &[u8]) -> ImportResult {
    ok_json(upload(s, bytes, "yuebao.xlsx", true).await, "dry run").await
}

async fn owner(app: &TestApp) -> (Session, String, String) {
    let s = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, other) = app.projects_of(SHAOSHAN).await;
    (s, own.code, other.code)
}

/// The problem of a refused import and the `result` it carries.
async fn refused(res: Response) -> (u16, keyproj_shared::Problem, Option<ImportResult>) {
    let status = res.status().as_u16();
    let body = res.text().await.expect("a body");
    let value: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let result = value
        .get("result")
        .map(|r| serde_json::from_value(r.clone()).expect("an ImportResult"));
    let p: keyproj_shared::Problem = serde_json::from_value(value).expect("a problem");
    assert_eq!(p.status, status);
    (status, p, result)
}

#[tokio::test]
async fn an_owner_gets_a_template_of_their_projects_with_codes_locked_and_a_notes_sheet() {
    let app = spawn_app().await;
    let (s, own, other) = owner(&app).await;
    let res = s.get("/api/reports/template.xlsx?period=2024-05").await;
    assert_eq!(res.status(), 200);
    assert_eq!(crate::helpers::content_type(&res), XLSX);
    let bytes = res.bytes().await.expect("a workbook").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).expect("an xlsx");
    assert_eq!(book.sheet_names(), ["月报", "说明"]);
    let range = book.worksheet_range("月报").expect("the sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0], headers());
    let codes: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(codes.contains(&own.as_str()), "{codes:?}");
    assert!(!codes.contains(&other.as_str()), "{codes:?}");
    let period_col = IMPORT_COLUMNS
        .iter()
        .position(|c| c.field == "period")
        .expect("a period column");
    assert!(rows[1..].iter().all(|r| r[period_col] == "2024-05"));
    let notes = book.worksheet_range("说明").expect("the notes");
    let explained: Vec<String> = notes.rows().skip(1).map(|r| r[0].to_string()).collect();
    for h in headers() {
        assert!(explained.iter().any(|e| e == h), "{h} explained");
    }
    // sheet protection, the status list and the 0-100 rule are in the sheet's XML
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .expect("the sheet's XML")
        .read_to_string(&mut xml)
        .expect("text");
    assert!(xml.contains("<sheetProtection"), "protected");
    assert!(xml.contains("未开工,在建,已竣工,停工"), "status as a list");
    assert!(
        xml.contains("<formula1>0</formula1><formula2>100</formula2>"),
        "0-100"
    );
    assert!(
        xml.contains("locked=\"0\"")
            || zip_text(&mut zip, "xl/styles.xml").contains("locked=\"0\"")
    );

    let (status, p) = problem(s.get("/api/reports/template.xlsx?period=2100-12").await).await;
    assert_eq!(status, 422);
    assert_eq!(p.errors[0].field, "period");
    let finance = app.user("qian", Role::Finance, None).await;
    let (status, _) = problem(finance.get("/api/reports/template.xlsx").await).await;
    assert_eq!(status, 403);
}

fn zip_text(zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> String {
    let mut out = String::new();
    zip.by_name(name)
        .expect("a part")
        .read_to_string(&mut out)
        .expect("text");
    out
}

#[tokio::test]
async fn a_dry_run_writes_nothing_and_says_what_each_row_would_do() {
    let app = spawn_app().await;
    let (s, own, _) = owner(&app).await;
    // 2024-02 reported with the figures the row repeats; 2024-03 with others
    let same: Report = ok_json(s.report(&own, &report_body("2024-02", "10")).await, "r").await;
    let earlier: Report = ok_json(s.report(&own, &report_body("2024-03", "11")).await, "r").await;
    let bytes = workbook(
        &headers(),
        &[
            row(&own, "2024-01", "40", "9"),
            row(&own, "2024-02", "45.5", "10"),
            row(&own, "2024-03", "46", "12"),
            row(&own, "2024-04", "146", "12"),
        ],
    );
    let (reports, audit) = (count(&app, "reports"), count(&app, "audit_log"));
    let r = dry(&s, &bytes).await;
    assert!(r.dry_run && !r.applied);
    let actions: Vec<RowAction> = r.rows.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        [
            RowAction::New,
            RowAction::Unchanged,
            RowAction::Correction,
            RowAction::Error
        ]
    );
    assert_eq!(r.rows[1].report_id, Some(same.id));
    assert_eq!(r.rows[2].supersedes_id, Some(earlier.id));
    assert_eq!(
        (
            r.new_reports,
            r.unchanged,
            r.corrections,
            r.rows_with_errors
        ),
        (1, 1, 1, 1)
    );
    let e = &r.rows[3].errors[0];
    assert_eq!(
        (e.sheet.as_str(), e.row, e.column.as_str()),
        ("月报", 5, "H")
    );
    assert_eq!(e.field, "physical_progress_pct");
    assert!(e.message.contains("0 到 100"), "{}", e.message);
    assert_eq!(count(&app, "reports"), reports);
    assert_eq!(count(&app, "audit_log"), audit);
    assert!(r.error_workbook.is_some(), "a marked copy for the bad row");
}

#[tokio::test]
async fn a_real_import_writes_every_row_in_one_go_audits_the_batch_and_a_second_upload_replays() {
    let app = spawn_app().await;
    let (s, own, _) = owner(&app).await;
    let bytes = workbook(
        &headers(),
        &[
            row(&own, "2024-01", "40", "9"),
            row(&own, "2024-02", "45", "10"),
        ],
    );
    let before = count(&app, "reports");
    let res = upload(&s, &bytes, "yuebao-2024.xlsx", false).await;
    assert_eq!(res.status(), 201);
    assert!(res.headers().get("idempotent-replayed").is_none());
    let r: ImportResult = ok_json(res, "import").await;
    assert!(r.applied);
    assert_eq!(r.new_reports, 2);
    assert_eq!(count(&app, "reports"), before + 2);
    let history: ReportList = s.json(&format!("/api/projects/{own}/reports")).await;
    let ids: Vec<i64> = r.rows.iter().filter_map(|r| r.report_id).collect();
    assert_eq!(ids.len(), 2);
    assert!(
        ids.iter()
            .all(|id| history.items.iter().any(|h| h.id == *id))
    );

    let admin = app.user("root", Role::Admin, None).await;
    let batch = r.batch_id.expect("a batch");
    let trail: AuditPage = admin
        .json(&format!(
            "/api/audit?entity=report&entity_id=import-{batch}"
        ))
        .await;
    assert_eq!(trail.items.len(), 1);
    let after = trail.items[0].after.clone().expect("what was imported");
    assert_eq!(after["file_name"], "yuebao-2024.xlsx");
    assert_eq!(after["sha256"], r.sha256.as_str());
    assert_eq!(after["rows"], 2);
    assert_eq!(after["reports"].as_array().map(Vec::len), Some(2));
    for id in &ids {
        let t: AuditPage = admin
            .json(&format!("/api/audit?entity=report&entity_id={id}"))
            .await;
        assert!(
            t.items.iter().any(|e| e.action == "submit"),
            "report {id} audited"
        );
    }

    let audit = count(&app, "audit_log");
    let again = upload(&s, &bytes, "yuebao-2024.xlsx", false).await;
    assert_eq!(again.status(), 201);
    assert_eq!(
        again
            .headers()
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    let replay: ImportResult = ok_json(again, "replay").await;
    assert_eq!(replay, r);
    assert_eq!(count(&app, "reports"), before + 2);
    assert_eq!(count(&app, "audit_log"), audit);
}

#[tokio::test]
async fn a_real_import_with_one_bad_row_writes_nothing_and_links_a_marked_copy_for_its_uploader() {
    let app = spawn_app().await;
    let (s, own, _) = owner(&app).await;
    let mut bad = row(&own, "2024-02", "45", "10");
    bad[10] = "开工了".to_string(); // 建设状态, column K
    let bytes = workbook(&headers(), &[row(&own, "2024-01", "40", "9"), bad]);
    let (reports, audit) = (count(&app, "reports"), count(&app, "audit_log"));
    let (status, p, result) = refused(upload(&s, &bytes, "bad.xlsx", false).await).await;
    assert_eq!(status, 422);
    assert_eq!(p.errors[0].field, "月报!K3");
    let result = result.expect("every row");
    assert!(!result.applied);
    assert_eq!(result.rows[1].errors[0].field, "status");
    assert_eq!(count(&app, "reports"), reports);
    assert_eq!(count(&app, "audit_log"), audit);

    let link = result.error_workbook.expect("a marked copy");
    let res = s.get(&link).await;
    assert_eq!(res.status(), 200);
    let marked = res.bytes().await.expect("a workbook").to_vec();
    let mut zip = zip::ZipArchive::new(Cursor::new(marked)).expect("a zip");
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect();
    let comments = names
        .iter()
        .find(|n| n.starts_with("xl/comments"))
        .expect("notes on the bad cells")
        .clone();
    let text = zip_text(&mut zip, &comments);
    assert!(text.contains("未知的建设状态"), "{text}");
    assert!(
        zip_text(&mut zip, "xl/worksheets/sheet1.xml").contains("开工了")
            || zip_text(&mut zip, "xl/sharedStrings.xml").contains("开工了")
    );

    let someone = app.user("li", Role::Owner, Some(SHAOSHAN)).await;
    let (status, _) = problem(someone.get(&link).await).await;
    assert_eq!(status, 404, "only the uploader gets it");
}

#[tokio::test]
async fn an_owner_naming_another_organisations_project_gets_403_for_that_row_and_nothing_written() {
    let app = spawn_app().await;
    let (s, own, other) = owner(&app).await;
    let bytes = workbook(
        &headers(),
        &[
            row(&own, "2024-01", "40", "9"),
            row(&other, "2024-01", "40", "9"),
        ],
    );
    let r = dry(&s, &bytes).await;
    assert_eq!(r.rows[1].action, RowAction::Forbidden);
    assert_eq!(r.rows[1].status, 403);
    let before = count(&app, "reports");
    let (status, _, result) = refused(upload(&s, &bytes, "x.xlsx", false).await).await;
    assert_eq!(status, 403);
    let result = result.expect("the rows");
    assert_eq!(result.rows[1].project_code, other);
    assert_eq!(result.rows[1].errors[0].column, "A");
    assert_eq!(count(&app, "reports"), before);

    let finance = app.user("qian", Role::Finance, None).await;
    let (status, _) = problem(upload(&finance, &bytes, "x.xlsx", true).await).await;
    assert_eq!(status, 403, "finance does not report");
}

#[tokio::test]
async fn months_dates_and_numbers_are_read_as_excel_wps_and_people_write_them() {
    let app = spawn_app().await;
    let (s, own, _) = owner(&app).await;
    let h = headers();
    let at = |field: &str| -> u16 {
        IMPORT_COLUMNS
            .iter()
            .position(|c| c.field == field)
            .and_then(|i| u16::try_from(i).ok())
            .expect("a column")
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("月报").expect("a name");
    write_rows(sheet, 0, &h, &[]);
    let wps_month = Format::new().set_num_format("yyyy\"年\"m\"月\"");
    let wps_date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    // (period cell, progress text, investment text)
    let periods: [(&str, Option<f64>); 6] = [
        ("2024-01", None),
        ("2024年2月", None),
        ("2024.3", None),
        ("", Some(45413.0)), // 2024-05-01 as a serial, formatted as WPS's 年月
        ("２０２４－０６", None),
        ("2024/07 ", None),
    ];
    for (r, (text, serial)) in (1u32..).zip(periods) {
        sheet
            .write_string(r, at("project_code"), format!(" {own} "))
            .expect("code");
        match serial {
            Some(n) => sheet
                .write_number_with_format(r, at("period"), n, &wps_month)
                .map(|_| ()),
            None => sheet.write_string(r, at("period"), text).map(|_| ()),
        }
        .expect("period");
        sheet
            .write_string(r, at("physical_progress_pct"), "４５．５ ")
            .expect("pct");
        sheet
            .write_string(r, at("investment_completed"), "1,234.50 ")
            .expect("money");
        sheet.write_string(r, at("status"), "在建").expect("status");
        sheet
            .write_number_with_format(r, at("actual_start"), 44256.0, &wps_date) // 2021-03-01
            .expect("date");
        sheet
            .write_string(r, at("over_total_reason"), "设计变更")
            .expect("reason");
    }
    let bytes = book.save_to_buffer().expect("a workbook");
    let r = dry(&s, &bytes).await;
    let periods: Vec<Option<&str>> = r.rows.iter().map(|r| r.period.as_deref()).collect();
    assert_eq!(
        periods,
        [
            Some("2024-01"),
            Some("2024-02"),
            Some("2024-03"),
            Some("2024-05"),
            Some("2024-06"),
            Some("2024-07")
        ]
    );
    assert!(
        r.rows.iter().all(|r| r.action == RowAction::New),
        "{:#?}",
        r.rows
    );
    ok_json::<ImportResult>(upload(&s, &bytes, "wps.xlsx", false).await, "import").await;
    let history: ReportList = s.json(&format!("/api/projects/{own}/reports")).await;
    let may = history
        .items
        .iter()
        .find(|h| h.period == "2024-05")
        .expect("May");
    assert_eq!(may.physical_progress_pct.to_string(), "45.50");
    assert_eq!(may.investment_completed.to_string(), "1234.50");
    assert_eq!(may.actual_start.as_deref(), Some("2021-03-01"));
}

#[tokio::test]
async fn blank_and_hidden_rows_extra_sheets_and_reordered_columns_are_handled() {
    let app = spawn_app().await;
    let (s, own, _) = owner(&app).await;
    let mut book = Workbook::new();
    let intro = book.add_worksheet();
    intro.set_name("封面").expect("a name");
    intro.write_string(0, 0, "2024年月报").expect("a title");
    let sheet = book.add_worksheet();
    sheet.set_name("填报").expect("a name");
    // columns reversed, a title above the header, a blank row and a hidden one among the data
    let mut h = headers();
    h.reverse();
    let reversed = |mut cells: Vec<String>| {
        cells.reverse();
        cells
    };
    sheet
        .write_string(0, 0, "韶山市 2024 年月报")
        .expect("a title");
    write_rows(
        sheet,
        1,
        &h,
        &[
            reversed(row(&own, "2024-01", "40", "9")),
            vec![String::new(); h.len()],
            reversed(row(&own, "2024-02", "999", "10")),
            reversed(row(&own, "2024-03", "45", "10")),
        ],
    );
    sheet.set_row_hidden(4).expect("hidden"); // Excel row 5: the 999 row
    let other = book.add_worksheet();
    other.set_name("备注").expect("a name");
    other.write_string(0, 0, "项目编号").expect("a decoy");
    let bytes = book.save_to_buffer().expect("a workbook");
    let r = dry(&s, &bytes).await;
    assert_eq!(r.rows_total, 2, "{:#?}", r.rows);
    assert_eq!(r.rows[0].sheet, "填报");
    let numbers: Vec<u32> = r.rows.iter().map(|r| r.row).collect();
    assert_eq!(numbers, [3, 6]);
    assert!(r.rows.iter().all(|r| r.action == RowAction::New));
}

#[tokio::test]
async fn a_missing_required_column_is_one_error_not_one_per_row() {
    let app = spawn_app().await;
    let (s, own, _) = owner(&app).await;
    let keep: Vec<usize> = (0..IMPORT_COLUMNS.len())
        .filter(|i| IMPORT_COLUMNS[*i].field != "investment_completed")
        .collect();
    let h: Vec<&str> = keep.iter().map(|i| IMPORT_COLUMNS[*i].header).collect();
    let rows: Vec<Vec<String>> = ["2024-01", "2024-02", "2024-03"]
        .iter()
        .map(|p| {
            let full = row(&own, p, "40", "9");
            keep.iter().map(|i| full[*i].clone()).collect()
        })
        .collect();
    let r = dry(&s, &workbook(&h, &rows)).await;
    assert_eq!(r.file_errors.len(), 1, "{:#?}", r.file_errors);
    assert_eq!(r.file_errors[0].field, "investment_completed");
    assert!(r.file_errors[0].message.contains("累计完成投资(万元)"));
    assert!(r.rows.is_empty());
    let before = count(&app, "reports");
    let (status, p, _) = refused(upload(&s, &workbook(&h, &rows), "x.xlsx", false).await).await;
    assert_eq!(status, 422);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(count(&app, "reports"), before);
}

#[tokio::test]
async fn a_period_in_the_future_is_refused_and_nothing_written() {
    let app = spawn_app().await;
    let (s, own, _) = owner(&app).await;
    let bytes = workbook(&headers(), &[row(&own, "2100-12", "40", "9")]);
    let before = count(&app, "reports");
    let (status, _, result) = refused(upload(&s, &bytes, "x.xlsx", false).await).await;
    assert_eq!(status, 422);
    let e = &result.expect("the rows").rows[0].errors[0];
    assert_eq!((e.field.as_str(), e.column.as_str()), ("period", "G"));
    assert!(e.message.contains("未来"));
    assert_eq!(count(&app, "reports"), before);
}

/// A zip whose directory says its first part inflates to `size` bytes (the data itself is
/// small): what a zip bomb declares.
fn declaring(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
    let at = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("a central directory");
    bytes[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
    bytes
}

#[tokio::test]
async fn files_that_are_not_xlsx_too_big_too_long_or_inflating_too_far_get_a_clear_4xx() {
    let app = spawn_app().await;
    let (s, own, _) = owner(&app).await;
    let good = workbook(&headers(), &[row(&own, "2024-01", "40", "9")]);
    // a zip that is not a workbook: an xlsx's parts renamed
    let renamed = {
        let mut b = good.clone();
        let from = b"xl/workbook.xml";
        let mut i = 0;
        while i + from.len() <= b.len() {
            if &b[i..i + from.len()] == from {
                b[i..i + from.len()].copy_from_slice(b"xl/notebook.xml");
            }
            i += 1;
        }
        b
    };
    let too_long = workbook(
        &headers(),
        &(0..5001)
            .map(|i| row(&own, &format!("20{:02}-01", i % 20 + 5), "40", "9"))
            .collect::<Vec<_>>(),
    );
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("empty", Vec::new(), 422),
        (
            "csv",
            "项目编号,填报月份\nB01,2024-01\n".as_bytes().to_vec(),
            422,
        ),
        (
            "xls",
            [
                &[0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
                &[0; 504],
            ]
            .concat(),
            422,
        ),
        ("renamed zip", renamed, 422),
        ("bomb", declaring(good.clone(), 200 * 1024 * 1024), 422),
        ("5001 rows", too_long, 422),
        ("11 MB", vec![b'x'; 10 * 1024 * 1024 + 1], 413),
    ];
    let before = (count(&app, "reports"), count(&app, "report_imports"));
    for (what, bytes, expected) in cases {
        for dry_run in [true, false] {
            let (status, p) = problem(upload(&s, &bytes, "f.xlsx", dry_run).await).await;
            assert_eq!(status, expected, "{what}: {p:?}");
            if expected == 422 {
                assert_eq!(p.errors[0].field, "file", "{what}");
            }
        }
    }
    assert_eq!(
        (count(&app, "reports"), count(&app, "report_imports")),
        before
    );
    // JSON where a file is expected
    let (status, p) = problem(
        s.post(
            "/api/reports/import?dry_run=true",
            &serde_json::json!({"file": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 415);
    assert!(p.errors[0].message.contains("multipart/form-data"));
    // the good file is still fine
    assert_eq!(dry(&s, &good).await.new_reports, 1);
}
