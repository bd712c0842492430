//! A month's warnings as a table (see `sheet`): one row per verdict, with the project's
//! 本年完成投资 figures beside the rule's own arithmetic, for the 预警 page's downloads.

use keyproj_shared::timeliness::china_time;
use keyproj_shared::{Period, RuleSet, WarningQuery};

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::sheet::{Cell, Table};
use crate::warnings;

const HEADERS: [&str; 12] = [
    "项目编号",
    "项目名称",
    "规则",
    "等级",
    "差距（百分点）",
    "年度计划投资（万元）",
    "本年完成投资（万元）",
    "投资完成率（%）",
    "序时进度（%）",
    "计算过程",
    "规则版本",
    "说明",
];

/// Every verdict of the month matching the query's filters, level and rule (no paging).
pub fn month_table(
    conn: &mut DbConnection,
    q: &WarningQuery,
    period: Period,
    generated_at: &str,
) -> Result<Table, ApiError> {
    let rules: RuleSet = warnings::current_rules(conn)?;
    let judged = warnings::for_filter(conn, &q.filter, period, &rules)?;
    let mut rows = Vec::new();
    for j in &judged {
        let y = &j.year_to_date;
        for w in j
            .warnings
            .iter()
            .filter(|w| q.level.is_none_or(|l| w.level == l))
            .filter(|w| q.rule.is_none_or(|r| w.rule == r))
        {
            rows.push(vec![
                Cell::text(&w.code),
                Cell::text(&w.name),
                Cell::text(w.rule.label()),
                Cell::text(w.level.label()),
                Cell::Pct(w.gap),
                Cell::Money(y.planned),
                Cell::Money(y.completed),
                Cell::Pct(y.completion_rate),
                Cell::Pct(y.expected_progress),
                Cell::text(&w.explanation),
                Cell::Count(u64::try_from(w.rule_set_version).unwrap_or(0)),
                Cell::text(&y.note),
            ]);
        }
    }
    let count = rows.len() as u64;
    Ok(Table {
        sheet: format!("预警{period}"),
        title: format!("重点项目{}年{}月预警", period.year(), period.month()),
        subtitle: format!(
            "规则第 {} 版；只使用 {period} 及以前月份的月报；金额单位：万元；导出时间：{}（北京时间）",
            rules.version,
            china_time(generated_at).unwrap_or_default()
        ),
        headers: HEADERS.to_vec(),
        rows,
        totals: vec![vec![Cell::text("合计"), Cell::text(format!("{count} 条"))]],
        widths: vec![(1, 36.0), (9, 80.0), (11, 40.0)],
    })
}
