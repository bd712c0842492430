//! The final evaluation as a workbook laid out as a report: by category (with the published
//! subtotals beside), by district, and every project; each sheet with its title, the date of
//! the data and the units (万元), and its 合计 row.

use keyproj_shared::timeliness::china_time;
use keyproj_shared::{Evaluation, EvaluationGroup, UNASSIGNED_LABEL};

use crate::sheet::{Cell, Table};

const TITLE: &str = "湘潭市“十四五”民政事业发展规划重点项目终期评估";

fn subtitle(e: &Evaluation) -> String {
    format!(
        "数据截至：{}年{}月（只计已审核的月报）；生成时间：{}（北京时间）；金额单位：万元；完成率：%",
        &e.as_of[..4],
        e.as_of[5..].trim_start_matches('0'),
        china_time(&e.generated_at).unwrap_or_default()
    )
}

const GROUP_HEADERS: [&str; 14] = [
    "分组",
    "项目数",
    "按期竣工",
    "逾期竣工",
    "在建",
    "停工",
    "未开工",
    "无已审核报告",
    "“十四五”计划投资",
    "有完成数的项目",
    "其计划投资",
    "“十四五”完成投资",
    "完成率(%)",
    "原表小计核对",
];

fn group_row(g: &EvaluationGroup) -> Vec<Cell> {
    let o = &g.outcomes;
    vec![
        Cell::text(&g.label),
        Cell::Count(g.projects),
        Cell::Count(o.completed_on_time),
        Cell::Count(o.completed_late),
        Cell::Count(o.under_construction),
        Cell::Count(o.suspended),
        Cell::Count(o.not_started),
        Cell::Count(o.no_report),
        Cell::Money(Some(g.planned_investment)),
        Cell::Count(g.with_figure),
        Cell::Money(Some(g.planned_of_with_figure)),
        Cell::Money(Some(g.investment_completed)),
        Cell::Pct(g.rate_pct),
        Cell::text(match (&g.published, &g.finding) {
            (None, _) => String::new(),
            (Some(_), None) => "与原表一致".to_string(),
            (Some(_), Some(f)) => f.clone(),
        }),
    ]
}

fn groups_table(e: &Evaluation, sheet: &str, what: &str, groups: &[EvaluationGroup]) -> Table {
    Table {
        sheet: sheet.to_string(),
        title: format!("{TITLE}（{what}）"),
        subtitle: subtitle(e),
        headers: GROUP_HEADERS.to_vec(),
        rows: groups.iter().map(group_row).collect(),
        totals: vec![group_row(&e.total)],
        widths: vec![(0, 16.0), (8, 16.0), (10, 14.0), (11, 16.0), (13, 60.0)],
    }
}

const PROJECT_HEADERS: [&str; 13] = [
    "编号",
    "项目名称",
    "类别",
    "县市区",
    "计划竣工",
    "评估结果",
    "依据月报",
    "竣工月份",
    "“十四五”计划投资",
    "累计完成投资",
    "“十四五”完成投资",
    "完成率(%)",
    "说明",
];

fn projects_table(e: &Evaluation) -> Table {
    let rows = e
        .projects
        .iter()
        .map(|p| {
            vec![
                Cell::text(&p.code),
                Cell::text(&p.name),
                Cell::text(p.category.label()),
                Cell::text(p.district.map_or(UNASSIGNED_LABEL, |d| d.label())),
                Cell::text(&p.planned_end),
                Cell::text(p.outcome.label()),
                Cell::text(p.report_period.clone().unwrap_or_default()),
                Cell::text(p.completed_in.clone().unwrap_or_default()),
                Cell::Money(Some(p.planned_investment)),
                Cell::Money(p.cumulative_completed),
                Cell::Money(p.investment_completed),
                Cell::Pct(p.rate_pct),
                Cell::text(p.note.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let t = &e.total;
    Table {
        sheet: "项目明细".to_string(),
        title: format!("{TITLE}（项目明细）"),
        subtitle: subtitle(e),
        headers: PROJECT_HEADERS.to_vec(),
        rows,
        totals: vec![vec![
            Cell::text(format!("合计（{}个）", t.projects)),
            Cell::text(t.outcomes.to_string()),
            Cell::text(""),
            Cell::text(""),
            Cell::text(""),
            Cell::text(""),
            Cell::text(""),
            Cell::text(""),
            Cell::Money(Some(t.planned_investment)),
            Cell::text(""),
            Cell::Money(Some(t.investment_completed)),
            Cell::Pct(t.rate_pct),
            Cell::text(format!(
                "完成投资与完成率只计有完成数的{}个项目（其计划投资{}万元）",
                t.with_figure, t.planned_of_with_figure
            )),
        ]],
        widths: vec![(1, 40.0), (8, 16.0), (9, 14.0), (10, 16.0), (12, 60.0)],
    }
}

pub fn tables(e: &Evaluation) -> Vec<Table> {
    vec![
        groups_table(e, "按类别", "按类别", &e.by_category),
        groups_table(e, "按县市区", "按县市区", &e.by_district),
        projects_table(e),
    ]
}
