//! 规划终期评估: each outcome from approved reports up to 2025-12, "no approved report" never
//! counted as zero, the 十四五 part of a cumulative figure, the groups with the published
//! subtotals' findings, public reading, and the workbook laid out as a report.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use keyproj_shared::{Evaluation, EvaluationProject, Outcome, Reconciliation, Report, Role};
use serde_json::json;

use crate::helpers::{Session, YUHU, fields, ok_json, problem, report_body, spawn_app};

/// Submits a report and has finance approve it.
async fn approved(
    by: &Session,
    finance: &Session,
    code: &str,
    period: &str,
    completed: &str,
    status: &str,
    actual_end: Option<&str>,
) -> Report {
    let mut body = report_body(period, completed);
    body["status"] = json!(status);
    if let Some(end) = actual_end {
        body["actual_end"] = json!(end);
    }
    let r: Report = ok_json(by.report(code, &body).await, "submission").await;
    ok_json(
        finance
            .post_if_match(
                &format!("/api/reports/{}/approve", r.id),
                &r.etag,
                &json!({}),
            )
            .await,
        "approval",
    )
    .await
}

fn project<'a>(e: &'a Evaluation, code: &str) -> &'a EvaluationProject {
    e.projects
        .iter()
        .find(|p| p.code == code)
        .unwrap_or_else(|| panic!("{code}"))
}

fn text(m: &Option<keyproj_shared::Money>) -> Option<String> {
    m.map(|m| m.to_string())
}

/// 雨湖区民政局's projects (B08 2021-2022, B09 2021-2023, B10 2021-2024, B11 2020-2022,
/// B12 2021-2022, D05 2021, D06 2022, E02 2021-2022) and 湘潭县救助管理站's D08 (2020-2021).
async fn evaluated() -> (crate::helpers::TestApp, Evaluation) {
    let app = spawn_app().await;
    let owner = app.user("yu", Role::Owner, Some(YUHU)).await;
    let admin = app.user("guan", Role::Admin, None).await;
    let finance = app.user("cai", Role::Finance, None).await;
    let f = &finance;
    // completed by the planned end (2023): on time, from the report's 实际竣工日期
    approved(
        &owner,
        f,
        "B09",
        "2023-07",
        "5409.88",
        "completed",
        Some("2023-06-30"),
    )
    .await;
    // in progress in 2022, completed first reported 2023-03 after the planned 2022: late
    approved(&owner, f, "B08", "2022-06", "1000", "in_progress", None).await;
    approved(&owner, f, "B08", "2023-03", "3000", "completed", None).await;
    // under construction at 2025-12; its completion approved for 2026-01 does not count
    approved(&owner, f, "B10", "2025-12", "0", "in_progress", None).await;
    approved(
        &owner,
        f,
        "B10",
        "2026-01",
        "10477",
        "completed",
        Some("2026-01-10"),
    )
    .await;
    approved(&owner, f, "D06", "2025-06", "0", "not_started", None).await;
    approved(&owner, f, "E02", "2025-11", "900", "suspended", None).await;
    // started in 2020: the 2020-12 cumulative is taken off
    approved(&owner, f, "B11", "2020-12", "500", "in_progress", None).await;
    approved(&owner, f, "B11", "2025-12", "1700", "in_progress", None).await;
    // started in 2020 without a 2020 figure: its 十四五 part is unknown
    approved(&admin, f, "D08", "2025-12", "100", "in_progress", None).await;
    // B12: only a report awaiting review, and one approved for 2026: no approved report
    let mut body = report_body("2025-12", "14700");
    body["status"] = json!("completed");
    let _: Report = ok_json(owner.report("B12", &body).await, "submission").await;
    approved(&owner, f, "B12", "2026-02", "14700", "completed", None).await;
    // read without logging in
    let e: Evaluation = app.json("/api/evaluation", &[]).await;
    (app, e)
}

#[tokio::test]
async fn each_outcome_has_its_case_and_a_project_without_an_approved_report_is_not_zero() {
    let (app, e) = evaluated().await;
    assert_eq!(e.as_of, "2025-12");
    assert_eq!(e.projects.len(), 87);
    let on_time = project(&e, "B09");
    assert_eq!(on_time.outcome, Outcome::CompletedOnTime);
    assert_eq!(on_time.completed_in.as_deref(), Some("2023-06"));
    assert_eq!(
        on_time.rate_pct.map(|p| p.to_string()),
        Some("100.00".into())
    );
    let late = project(&e, "B08");
    assert_eq!(late.outcome, Outcome::CompletedLate);
    assert_eq!(late.completed_in.as_deref(), Some("2023-03"));
    assert_eq!(late.report_period.as_deref(), Some("2023-03"));
    let building = project(&e, "B10");
    assert_eq!(building.outcome, Outcome::UnderConstruction);
    assert_eq!(building.report_period.as_deref(), Some("2025-12"));
    assert_eq!(text(&building.investment_completed), Some("0.00".into()));
    assert_eq!(
        building.rate_pct.map(|p| p.to_string()),
        Some("0.00".into())
    );
    assert_eq!(project(&e, "D06").outcome, Outcome::NotStarted);
    let stopped = project(&e, "E02");
    assert_eq!(stopped.outcome, Outcome::Suspended);
    assert_eq!(
        stopped.rate_pct.map(|p| p.to_string()),
        Some("50.00".into())
    );
    let baseline = project(&e, "B11");
    assert_eq!(text(&baseline.cumulative_completed), Some("1700.00".into()));
    assert_eq!(text(&baseline.investment_completed), Some("1200.00".into()));
    assert_eq!(
        baseline.rate_pct.map(|p| p.to_string()),
        Some("60.00".into())
    );
    let unsplit = project(&e, "D08");
    assert_eq!(unsplit.outcome, Outcome::UnderConstruction);
    assert_eq!(text(&unsplit.cumulative_completed), Some("100.00".into()));
    assert_eq!(unsplit.investment_completed, None);
    assert!(
        unsplit
            .note
            .as_deref()
            .is_some_and(|n| n.contains("早于2021年"))
    );
    for code in ["B12", "D05"] {
        let none = project(&e, code);
        assert_eq!(none.outcome, Outcome::NoReport, "{code}");
        assert_eq!(none.investment_completed, None, "{code}");
        assert_eq!(none.rate_pct, None, "{code}");
        assert!(none.note.as_deref().is_some_and(|n| n.contains("不计为零")));
    }

    let t = &e.total;
    assert_eq!(t.projects, 87);
    let o = &t.outcomes;
    assert_eq!(
        (
            o.completed_on_time,
            o.completed_late,
            o.under_construction,
            o.suspended,
            o.not_started,
            o.no_report
        ),
        (1, 1, 3, 1, 1, 80)
    );
    // only the six known figures: B09 5409.88 + B08 3000 + B10 0 + D06 0 + E02 900 + B11 1200,
    // against their plans 5409.88 + 3460.44 + 10477 + 2100 + 1800 + 2000
    assert_eq!(t.with_figure, 6);
    assert_eq!(t.investment_completed.to_string(), "10509.88");
    assert_eq!(t.planned_of_with_figure.to_string(), "25247.32");
    assert_eq!(t.rate_pct.map(|p| p.to_string()), Some("41.63".into()));
    // the rows' own sum, which is not the printed 总计 (a finding of its own)
    let r: Reconciliation = app.json("/api/reconciliation", &[]).await;
    let rows_total = r
        .rows
        .iter()
        .find(|row| row.scope == "total")
        .expect("总计");
    assert_eq!(t.planned_investment, rows_total.computed.planned_investment);
    let by_district: u64 = e.by_district.iter().map(|g| g.projects).sum();
    let by_category: u64 = e.by_category.iter().map(|g| g.projects).sum();
    assert_eq!((by_district, by_category), (87, 87));
}

#[tokio::test]
async fn the_categories_carry_the_published_subtotals_and_their_findings() {
    let (app, e) = evaluated().await;
    let r: Reconciliation = app.json("/api/reconciliation", &[]).await;
    assert!(
        r.rows.iter().any(|row| !row.matches),
        "the plan has findings"
    );
    for g in &e.by_category {
        let row = r
            .rows
            .iter()
            .find(|row| row.scope == g.key)
            .unwrap_or_else(|| panic!("{}", g.key));
        assert_eq!(g.published.as_ref(), Some(&row.published), "{}", g.key);
        assert_eq!(g.finding.is_some(), !row.matches, "{}", g.key);
        if let Some(f) = &g.finding {
            assert!(f.contains(&row.published.label), "{f}");
        }
    }
    let total = r
        .rows
        .iter()
        .find(|row| row.scope == "total")
        .expect("总计");
    assert_eq!(e.total.published.as_ref(), Some(&total.published));
    // the plan prints no district totals
    assert!(e.by_district.iter().all(|g| g.published.is_none()));
    let (status, p) = problem(app.get("/api/evaluation?year=2025").await).await;
    assert_eq!((status, fields(&p)), (422, vec!["year".to_string()]));
}

#[tokio::test]
async fn the_workbook_is_laid_out_as_a_report_with_title_date_units_and_totals() {
    let (app, e) = evaluated().await;
    let res = app.get("/api/export/evaluation.xlsx").await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("body");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    assert_eq!(book.sheet_names(), ["按类别", "按县市区", "项目明细"]);
    let sheet = book.worksheet_range("按类别").expect("by category");
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let title = cell(0, 0).to_string();
    assert!(title.contains("终期评估"), "{title}");
    let subtitle = cell(1, 0).to_string();
    assert!(
        subtitle.contains("数据截至：2025年12月") && subtitle.contains("万元"),
        "{subtitle}"
    );
    assert_eq!(cell(3, 0), Data::String("分组".into()));
    for (i, g) in e.by_category.iter().enumerate() {
        assert_eq!(cell(4 + i as u32, 0), Data::String(g.label.clone()));
    }
    let totals = 4 + e.by_category.len() as u32;
    assert_eq!(cell(totals, 0), Data::String("合计".into()));
    assert_eq!(cell(totals, 1), Data::Float(87.0));
    assert_eq!(cell(totals, 7), Data::Float(80.0), "无已审核报告");
    assert_eq!(cell(totals, 11), Data::Float(10509.88));
    assert_eq!(cell(totals, 12), Data::Float(41.63));

    let sheet = book.worksheet_range("项目明细").expect("projects");
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let row = |code: &str| {
        (4..4 + 87)
            .find(|&r| cell(r, 0) == Data::String(code.into()))
            .unwrap_or_else(|| panic!("{code}"))
    };
    let none = row("B12");
    assert_eq!(cell(none, 5), Data::String("无已审核报告".into()));
    assert_eq!(cell(none, 10), Data::Empty, "no report is not a zero");
    let zero = row("B10");
    assert_eq!(cell(zero, 10), Data::Float(0.0));
    assert_eq!(cell(4 + 87, 10), Data::Float(10509.88));
}
