//! Annual plans from a workbook: the template (a real workbook read back), a clean upload
//! applied as revisions with their reason and audit, the same file again changing nothing,
//! the untouched template changing nothing, every error listed by sheet, row and column
//! with nothing written, who may, and files that are not workbooks.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use keyproj_shared::{
    AuditPage, PLAN_IMPORT_COLUMNS, PlanImportResult, ProjectPlans, Role, column_letter,
};
use reqwest::{Method, Response};
use rust_xlsxwriter::Workbook;
use serde_json::json;

use crate::helpers::{SHAOSHAN, Session, TestApp, YUHU, ok_json, problem, spawn_app};
use crate::plans::{first, known_project, put_plan};
use crate::reports::count;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn headers() -> Vec<&'static str> {
    PLAN_IMPORT_COLUMNS.iter().map(|c| c.header).collect()
}

/// The column letter of a field in the template's order.
fn letter(field: &str) -> String {
    let i = PLAN_IMPORT_COLUMNS
        .iter()
        .position(|c| c.field == field)
        .expect("a column");
    column_letter(u32::try_from(i).expect("small"))
}

/// A row in the template's column order from (field, value) pairs.
pub fn row(cells: &[(&str, &str)]) -> Vec<String> {
    PLAN_IMPORT_COLUMNS
        .iter()
        .map(|c| {
            cells
                .iter()
                .find(|(f, _)| *f == c.field)
                .map_or_else(String::new, |(_, v)| (*v).to_string())
        })
        .collect()
}

/// A plan row for `code` and `year` as a planner fills it.
pub fn plan_row(code: &str, year: &str, planned: &str) -> Vec<String> {
    row(&[
        ("project_code", code),
        ("year", year),
        ("planned_investment", planned),
        ("social_investment", "0"),
        ("target_progress_pct", "90"),
        ("content", "主体结构封顶，完成室内装修"),
        ("start_month", &format!("{year}-03")),
        ("completion_month", &format!("{year}年11月")),
        ("reason", "年初编制"),
    ])
}

/// A workbook with one 年度计划 sheet of text cells.
pub fn workbook(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("年度计划").expect("a name");
    for (c, h) in (0u16..).zip(headers()) {
        sheet.write_string(0, c, h).expect("a header");
    }
    for (r, cells) in (1u32..).zip(rows) {
        for (c, v) in (0u16..).zip(cells) {
            if !v.is_empty() {
                sheet.write_string(r, c, v).expect("a cell");
            }
        }
    }
    book.save_to_buffer().expect("a workbook")
}

/// A multipart body with `bytes` as its `file` part (and a `reason` part when given).
fn multipart(bytes: &[u8], reason: Option<&str>) -> (String, Vec<u8>) {
    let boundary = "keyprojPlanBoundary7c1e";
    let mut body = Vec::new();
    if let Some(r) = reason {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\n{r}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jihua.xlsx\"\r\nContent-Type: {XLSX}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub async fn upload(s: &Session, bytes: &[u8], reason: Option<&str>) -> Response {
    let (content_type, body) = multipart(bytes, reason);
    s.request(Method::POST, "/api/plans/import")
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("answered")
}

async fn applied(s: &Session, bytes: &[u8]) -> PlanImportResult {
    ok_json(upload(s, bytes, None).await, "plan upload").await
}

/// The template's 年度计划 sheet as text.
async fn template(s: &Session, query: &str) -> (Vec<u8>, Vec<Vec<String>>) {
    let res = s.get(&format!("/api/plans/template.xlsx?{query}")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(crate::helpers::content_type(&res), XLSX);
    let bytes = res.bytes().await.expect("a workbook").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).expect("an xlsx");
    assert_eq!(book.sheet_names(), ["年度计划", "说明"]);
    let range = book.worksheet_range("年度计划").expect("the sheet");
    let rows = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    (bytes, rows)
}

fn at(field: &str) -> usize {
    PLAN_IMPORT_COLUMNS
        .iter()
        .position(|c| c.field == field)
        .expect("a column")
}

async fn planner_and_project(app: &TestApp) -> (Session, String) {
    let planner = app.user("li", Role::Planner, None).await;
    let code = known_project(app, &planner, SHAOSHAN).await;
    (planner, code)
}

#[tokio::test]
async fn a_planner_gets_a_template_for_a_year_with_codes_names_and_last_years_figures_beside() {
    let app = spawn_app().await;
    let (planner, code) = planner_and_project(&app).await;
    let mut body = crate::plans::plan_body("1000");
    body["target_progress_pct"] = json!("45.5");
    let res = put_plan(&planner, &code, "2024", Some(&first(&code, 2024)), &body).await;
    assert_eq!(res.status(), 200);

    let (_, rows) = template(&planner, "year=2025").await;
    assert_eq!(rows[0], headers());
    assert!(rows[0].contains(&"年度计划投资(万元)".to_string()));
    let mine = rows
        .iter()
        .find(|r| r[at("project_code")] == code)
        .expect("the project's row");
    assert_eq!(mine[at("year")], "2025");
    assert_eq!(mine[at("current_version")], "0");
    assert_eq!(mine[at("last_year_planned")], "1000.00");
    assert_eq!(mine[at("last_year_target")], "45.50");
    assert_eq!(mine[at("planned_investment")], "", "no 2025 plan yet");
    assert!(!mine[at("project_name")].is_empty());
    let all = rows.len() - 1;

    // the list's filters choose the projects
    let (_, owned) = template(&planner, &format!("year=2025&owner={SHAOSHAN}")).await;
    assert!(owned.len() - 1 < all, "{} of {all}", owned.len() - 1);
    assert!(owned.iter().any(|r| r[at("project_code")] == code));

    let (status, p) = problem(planner.get("/api/plans/template.xlsx").await).await;
    assert_eq!((status, p.errors[0].field.as_str()), (422, "year"));
    let (status, p) = problem(planner.get("/api/plans/template.xlsx?year=2031").await).await;
    assert_eq!((status, p.errors[0].field.as_str()), (422, "year"));
}

#[tokio::test]
async fn a_clean_upload_creates_revisions_with_their_reason_and_the_same_file_again_changes_nothing()
 {
    let app = spawn_app().await;
    let (planner, code) = planner_and_project(&app).await;
    let before = count(&app, "plan_revisions");
    let book = workbook(&[
        plan_row(&code, "2025", "800"),
        plan_row(&code, "2024", "700"),
    ]);

    let r = applied(&planner, &book).await;
    assert_eq!((r.created, r.changed, r.unchanged), (2, 0, 0));
    assert_eq!(count(&app, "plan_revisions"), before + 2);
    let plans: ProjectPlans = app.json(&format!("/api/projects/{code}/plans"), &[]).await;
    let p2025 = plans.plans.iter().find(|p| p.year == 2025).expect("2025");
    assert_eq!(p2025.version, 1);
    assert_eq!(p2025.reason, "年初编制");
    assert_eq!(p2025.created_by, "li");
    assert_eq!(p2025.planned_investment.to_string(), "800.00");
    assert_eq!(p2025.social_investment.to_string(), "0.00");
    let months: Vec<&str> = p2025.milestones.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(months, ["2025-03", "2025-11"]);
    let admin = app.user("root", Role::Admin, None).await;
    let trail: AuditPage = admin.json(&format!("/api/projects/{code}/audit")).await;
    assert_eq!(trail.items.iter().filter(|e| e.action == "plan").count(), 2);

    // the same file again: nothing written
    let again = applied(&planner, &book).await;
    assert_eq!((again.created, again.changed, again.unchanged), (0, 0, 2));
    assert_eq!(count(&app, "plan_revisions"), before + 2);

    // one figure changed, by an admin with the reason given for the whole file
    let mut changed = plan_row(&code, "2025", "850.5");
    changed[at("reason")] = String::new();
    let res = upload(
        &admin,
        &workbook(&[changed, plan_row(&code, "2024", "700")]),
        Some("年中调整"),
    )
    .await;
    let r: PlanImportResult = ok_json(res, "a revision").await;
    assert_eq!((r.created, r.changed, r.unchanged), (0, 1, 1));
    assert_eq!(count(&app, "plan_revisions"), before + 3);
    let plans: ProjectPlans = app.json(&format!("/api/projects/{code}/plans"), &[]).await;
    let p2025 = plans.plans.iter().find(|p| p.year == 2025).expect("2025");
    assert_eq!((p2025.version, p2025.reason.as_str()), (2, "年中调整"));
    assert_eq!(p2025.planned_investment.to_string(), "850.50");
}

#[tokio::test]
async fn the_template_uploaded_untouched_changes_nothing() {
    let app = spawn_app().await;
    let (planner, code) = planner_and_project(&app).await;
    let mut body = crate::plans::plan_body("1234.56");
    body["milestones"] = json!([
        {"kind": "start", "month": "2025-02"},
        {"kind": "other", "name": "设备安装", "month": "2025-08"},
    ]);
    body["monthly_breakdown"] = json!([
        "0", "5", "10", "20", "30", "40", "50", "60", "70", "80", "90.5", "100"
    ]);
    body["baseline_completed"] = json!("321.09");
    let res = put_plan(&planner, &code, "2025", Some(&first(&code, 2025)), &body).await;
    assert_eq!(res.status(), 200);
    let before = count(&app, "plan_revisions");

    let (bytes, rows) = template(&planner, "year=2025").await;
    let mine = rows
        .iter()
        .find(|r| r[at("project_code")] == code)
        .expect("the row");
    assert_eq!(mine[at("current_version")], "1");
    assert_eq!(mine[at("planned_investment")], "1234.56");
    assert_eq!(mine[at("m11")], "90.5");
    let r = applied(&planner, &bytes).await;
    assert_eq!((r.created, r.changed, r.unchanged), (0, 0, 1));
    assert_eq!(r.blank, r.rows_total - 1);
    assert_eq!(count(&app, "plan_revisions"), before);
}

#[tokio::test]
async fn every_error_is_listed_with_its_sheet_row_and_column_and_nothing_is_written() {
    let app = spawn_app().await;
    let (planner, code) = planner_and_project(&app).await;
    let other = known_project(&app, &planner, YUHU).await;
    // a 2024 plan at version 1, which row 10 claims to have seen at version 0
    let res = put_plan(
        &planner,
        &code,
        "2024",
        Some(&first(&code, 2024)),
        &crate::plans::plan_body("10"),
    )
    .await;
    assert_eq!(res.status(), 200);
    let before = count(&app, "plan_revisions");
    let with = |mut r: Vec<String>, changes: &[(&str, &str)]| {
        for (f, v) in changes {
            r[at(f)] = (*v).to_string();
        }
        r
    };
    let falling: Vec<(String, &str)> = [
        "10", "20", "30", "40", "50", "40", "60", "70", "80", "90", "95", "100",
    ]
    .iter()
    .enumerate()
    .map(|(i, v)| (format!("m{:02}", i + 1), *v))
    .collect();
    let falling: Vec<(&str, &str)> = falling.iter().map(|(f, v)| (f.as_str(), *v)).collect();
    let rows = vec![
        // row 2: no such project
        plan_row("Z99", "2025", "1"),
        // row 3: three decimals
        plan_row(&code, "2022", "12.345"),
        // row 4: social part over the plan
        with(plan_row(&code, "2021", "5"), &[("social_investment", "6")]),
        // row 5: 2021 a second time
        plan_row(&code, "2021", "5"),
        // row 6: outside the project's span
        plan_row(&other, "2030", "1"),
        // row 7: not a year
        with(plan_row(&other, "2025", "1"), &[("year", "2025年")]),
        // row 8: a new plan without a reason, none given for the file either
        with(plan_row(&code, "2023", "1"), &[("reason", "")]),
        // row 9: a breakdown that falls in June
        with(plan_row(&code, "2025", "1"), &falling),
        // row 10: changed since the template was downloaded
        with(plan_row(&code, "2024", "20"), &[("current_version", "0")]),
        // row 11: no code
        with(plan_row(&other, "2023", "1"), &[("project_code", "")]),
        // row 12: 竣工 outside the year
        with(
            plan_row(&other, "2022", "1"),
            &[("completion_month", "2023-01")],
        ),
        // row 13: fine on its own, yet not written either
        plan_row(&other, "2024", "1"),
    ];
    let res = upload(&planner, &workbook(&rows), None).await;
    let status = res.status().as_u16();
    let body: serde_json::Value = res.json().await.expect("JSON");
    assert_eq!(status, 422, "{body}");
    let result: PlanImportResult =
        serde_json::from_value(body["result"].clone()).expect("a result");
    let found: Vec<(u32, String, String)> = result
        .errors
        .iter()
        .map(|e| {
            assert_eq!(e.sheet, "年度计划");
            assert!(!e.message.is_empty());
            (e.row, e.column.clone(), e.field.clone())
        })
        .collect();
    let expect = |row: u32, field: &str| (row, letter(field), field.to_string());
    let wanted = [
        expect(2, "project_code"),
        expect(3, "planned_investment"),
        expect(4, "social_investment"),
        expect(5, "year"),
        expect(6, "year"),
        expect(7, "year"),
        expect(8, "reason"),
        expect(9, "m06"),
        expect(10, "current_version"),
        expect(11, "project_code"),
        expect(12, "completion_month"),
    ];
    assert_eq!(found, wanted);
    assert_eq!(result.rows_with_errors, 11);
    assert_eq!(count(&app, "plan_revisions"), before);
    // the problem's own list names each cell as Excel does
    assert_eq!(
        body["errors"][0]["field"],
        format!("年度计划!{}2", letter("project_code"))
    );
}

#[tokio::test]
async fn a_workbook_without_the_plan_columns_is_one_error_for_the_file() {
    let app = spawn_app().await;
    let (planner, _) = planner_and_project(&app).await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "项目编号").expect("a header");
    sheet.write_string(1, 0, "A01").expect("a cell");
    let bytes = book.save_to_buffer().expect("a workbook");
    let res = upload(&planner, &bytes, Some("年初编制")).await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.expect("JSON");
    let result: PlanImportResult =
        serde_json::from_value(body["result"].clone()).expect("a result");
    let fields: Vec<&str> = result.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["year", "planned_investment"]);
    assert!(result.errors[0].message.contains("年度"));
}

#[tokio::test]
async fn only_planners_and_admins_may_get_the_template_or_upload() {
    let app = spawn_app().await;
    let (planner, code) = planner_and_project(&app).await;
    let book = workbook(&[plan_row(&code, "2025", "800")]);
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("cai", Role::Finance, None).await;
    let before = count(&app, "plan_revisions");
    for s in [&owner, &finance] {
        let (status, _) = problem(upload(s, &book, None).await).await;
        assert_eq!(status, 403);
        let (status, _) = problem(s.get("/api/plans/template.xlsx?year=2025").await).await;
        assert_eq!(status, 403);
    }
    let (content_type, body) = multipart(&book, None);
    let res = app
        .client
        .post(format!("{}/api/plans/import", app.address))
        .header("x-requested-with", "keyproj")
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("answered");
    let (status, _) = problem(res).await;
    assert_eq!(status, 401);
    assert_eq!(count(&app, "plan_revisions"), before);
    assert_eq!(applied(&planner, &book).await.created, 1);
}

#[tokio::test]
async fn a_file_that_is_not_a_workbook_or_too_large_or_not_multipart_is_refused() {
    let app = spawn_app().await;
    let (planner, _) = planner_and_project(&app).await;
    let before = count(&app, "plan_revisions");
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("empty", Vec::new(), 422),
        ("csv", "项目编号,年度\nA01,2025\n".as_bytes().to_vec(), 422),
        ("11 MB", vec![b'x'; 10 * 1024 * 1024 + 1], 413),
    ];
    for (what, bytes, expected) in cases {
        let (status, p) = problem(upload(&planner, &bytes, None).await).await;
        assert_eq!(status, expected, "{what}: {p:?}");
        if expected == 422 {
            assert_eq!(p.errors[0].field, "file", "{what}");
        }
    }
    let long = "因".repeat(501);
    let (status, p) = problem(upload(&planner, &workbook(&[]), Some(&long)).await).await;
    assert_eq!((status, p.errors[0].field.as_str()), (422, "reason"));
    let (status, p) = problem(
        planner
            .post("/api/plans/import", &json!({"file": "x"}))
            .await,
    )
    .await;
    assert_eq!(status, 415);
    assert!(p.errors[0].message.contains("multipart/form-data"));
    assert_eq!(count(&app, "plan_revisions"), before);
}
