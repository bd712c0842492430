use keyproj_shared::{FindingKind, ProjectDetail, Reconciliation};

use crate::helpers::{money, spawn_app};

/// (scope, count, 总投资, 计划投资, social investment) computed by hand from the 87 rows.
const COMPUTED: &[(&str, u64, &str, &str, &str)] = &[
    ("total", 87, "488707.12", "475403.12", "156423.22"),
    ("A", 8, "5270.00", "5270.00", "0.00"),
    ("B", 50, "256417.32", "255563.32", "27523.22"),
    ("C", 7, "51167.00", "40167.00", "0.00"),
    ("D", 18, "168647.00", "167247.00", "128900.00"),
    ("E", 4, "7205.80", "7155.80", "0.00"),
];

/// (scope, label, count, 总投资, 计划投资) exactly as the table prints them.
const PUBLISHED: &[(&str, &str, u64, &str, &str)] = &[
    ("total", "总计项目(87)", 87, "592917.92", "579613.92"),
    ("A", "一、儿童福利类项目(8个)", 8, "5270", "5270"),
    (
        "B",
        "二、老年人福利类项目(50个)",
        50,
        "356417.32",
        "355563.32",
    ),
    ("C", "三、城乡社区治理类项目(7个)", 7, "51167", "40167"),
    ("D", "四、社会公益类项目(18个)", 18, "172857.8", "171457.8"),
    ("E", "五、残障人福利类项目(4个)", 4, "7205.8", "7155.8"),
];

#[tokio::test]
async fn computed_totals_are_the_exact_sums_of_the_rows() {
    let app = spawn_app().await;
    let rec: Reconciliation = app.json("/api/reconciliation", &[]).await;
    assert_eq!(rec.rows.len(), COMPUTED.len());
    for (row, &(scope, count, total, planned, social)) in rec.rows.iter().zip(COMPUTED) {
        assert_eq!(row.scope, scope);
        assert_eq!(row.computed.count, count, "{scope}");
        assert_eq!(row.computed.total_investment, money(total), "{scope}");
        assert_eq!(row.computed.planned_investment, money(planned), "{scope}");
        assert_eq!(row.computed.social_investment, money(social), "{scope}");
    }
}

#[tokio::test]
async fn published_subtotals_are_kept_exactly_as_printed() {
    let app = spawn_app().await;
    let rec: Reconciliation = app.json("/api/reconciliation", &[]).await;
    for (row, &(scope, label, count, total, planned)) in rec.rows.iter().zip(PUBLISHED) {
        assert_eq!(row.scope, scope);
        assert_eq!(row.published.label, label);
        assert_eq!(row.published.count, count);
        assert_eq!(row.published.total_investment_text, total);
        assert_eq!(row.published.planned_investment_text, planned);
        assert_eq!(row.published.total_investment, money(total));
        assert_eq!(row.published.planned_investment, money(planned));
    }
}

#[tokio::test]
async fn differences_are_shown_where_the_printed_subtotal_does_not_add_up() {
    let app = spawn_app().await;
    let rec: Reconciliation = app.json("/api/reconciliation", &[]).await;
    let by_scope = |s: &str| {
        rec.rows
            .iter()
            .find(|r| r.scope == s)
            .unwrap_or_else(|| panic!("row {s}"))
    };
    for s in ["A", "C", "E"] {
        assert!(by_scope(s).matches, "{s}");
    }
    let b = by_scope("B");
    assert!(!b.matches);
    assert_eq!(b.difference.total_investment, money("-100000.00"));
    assert_eq!(b.difference.planned_investment, money("-100000.00"));
    assert_eq!(b.difference.count, 0);
    let d = by_scope("D");
    assert_eq!(d.difference.total_investment, money("-4210.80"));
    let total = by_scope("total");
    assert!(!total.matches);
    assert_eq!(total.difference.total_investment, money("-104210.80"));
    // the printed 总计 is the sum of the printed subtotals, so it inherits their errors
    let follows = total
        .sum_of_published_categories
        .as_ref()
        .expect("on the total row");
    assert_eq!(
        (follows.count, follows.total_investment),
        (0, money("0.00"))
    );
    assert_eq!(follows.planned_investment, money("0.00"));
}

#[tokio::test]
async fn a_row_whose_text_states_another_total_is_flagged() {
    let app = spawn_app().await;
    let rec: Reconciliation = app.json("/api/reconciliation", &[]).await;
    let codes: Vec<&str> = rec.contradictions.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, ["B18"]);
    let c = &rec.contradictions[0];
    assert_eq!(c.stated_text, "预计总投资7亿元");
    assert_eq!(c.stated_amount, money("70000.00"));
    assert_eq!(c.total_investment, money("100000.00"));
    assert_eq!(c.difference, money("30000.00"));

    let b18: ProjectDetail = app.json("/api/projects/B18", &[]).await;
    let kinds: Vec<FindingKind> = b18.findings.iter().map(|f| f.kind).collect();
    assert!(
        kinds.contains(&FindingKind::TextContradictsAmount),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&FindingKind::CategorySubtotalMismatch),
        "{kinds:?}"
    );
    assert!(b18.item.has_findings);
}

#[tokio::test]
async fn a_row_in_a_category_that_adds_up_carries_no_subtotal_finding() {
    let app = spawn_app().await;
    let a01: ProjectDetail = app.json("/api/projects/A01", &[]).await;
    assert!(a01.findings.is_empty(), "{:?}", a01.findings);
    assert!(!a01.item.has_findings);
    // 四-13 is built wholly in 2021-2023, yet plans only 2560 of its 3200 within 2021-2025
    let d13: ProjectDetail = app.json("/api/projects/D13", &[]).await;
    assert!(
        d13.findings
            .iter()
            .any(|f| f.kind == FindingKind::PlannedDiffersFromSchedule)
    );
}
