//! 报送情况 and the ranking as tables (see `sheet`): times in Beijing time, as the deadline.

use keyproj_shared::timeliness::china_time;
use keyproj_shared::{Ranking, TimelinessCounts, TimelinessMonth};

use crate::sheet::{Cell, Table};

const MONTH_HEADERS: [&str; 6] = [
    "建设单位",
    "项目编号",
    "项目名称",
    "报送情况",
    "报送时间（北京时间）",
    "截止时间",
];

fn counts_line(c: &TimelinessCounts) -> String {
    format!(
        "{}个项目：按时报送 {}，逾期报送 {}，未报送 {}，待报送 {}",
        c.projects, c.on_time, c.late, c.not_reported, c.due
    )
}

pub fn month_table(m: &TimelinessMonth, generated_at: &str) -> Table {
    let mut rows = Vec::new();
    for org in &m.organisations {
        for p in &org.projects {
            rows.push(vec![
                Cell::text(&org.name),
                Cell::text(&p.code),
                Cell::text(&p.name),
                Cell::text(p.status.label()),
                Cell::text(
                    p.submitted_at
                        .as_deref()
                        .and_then(china_time)
                        .unwrap_or_default(),
                ),
                Cell::text(&m.deadline_label),
            ]);
        }
    }
    let totals = vec![vec![
        Cell::text("合计"),
        Cell::text(""),
        Cell::text(counts_line(&m.totals)),
    ]];
    Table {
        sheet: format!("报送情况{}", m.period),
        title: format!("重点项目{}月报报送情况", m.period),
        subtitle: format!(
            "截止时间：{}；{}；导出时间：{}（北京时间）",
            m.deadline_label,
            if m.over {
                "已过截止时间"
            } else {
                "尚未到截止时间，未报的项目为“待报送”"
            },
            china_time(generated_at).unwrap_or_default()
        ),
        headers: MONTH_HEADERS.to_vec(),
        rows,
        totals,
        widths: vec![(0, 24.0), (2, 40.0), (4, 22.0), (5, 30.0)],
    }
}

const RANKING_HEADERS: [&str; 8] = [
    "名次",
    "建设单位",
    "项目数",
    "应报（项目×月）",
    "按时报送",
    "逾期报送",
    "未报送",
    "按时报送率(%)",
];

pub fn ranking_table(r: &Ranking, generated_at: &str) -> Table {
    let rows = r
        .items
        .iter()
        .map(|e| {
            vec![
                Cell::Count(u64::from(e.rank)),
                Cell::text(&e.name),
                Cell::Count(e.projects),
                Cell::Count(e.expected),
                Cell::Count(e.on_time),
                Cell::Count(e.late),
                Cell::Count(e.not_reported),
                Cell::Pct(e.on_time_rate_pct),
            ]
        })
        .collect();
    let sum = |f: fn(&keyproj_shared::RankingEntry) -> u64| r.items.iter().map(f).sum::<u64>();
    let (expected, on_time) = (sum(|e| e.expected), sum(|e| e.on_time));
    let totals = vec![vec![
        Cell::text("合计"),
        Cell::text(""),
        Cell::text(""),
        Cell::Count(expected),
        Cell::Count(on_time),
        Cell::Count(sum(|e| e.late)),
        Cell::Count(sum(|e| e.not_reported)),
        Cell::Pct(keyproj_shared::timeliness::rate(on_time, expected)),
    ]];
    Table {
        sheet: "按时报送率排名".to_string(),
        title: format!("建设单位按时报送率排名（{} 至 {}）", r.from, r.until),
        subtitle: format!(
            "计入的月份（已过截止时间）：{}；每月报告须于{}；{}；导出时间：{}（北京时间）",
            if r.months_over.is_empty() {
                "无".to_string()
            } else {
                r.months_over.join("、")
            },
            keyproj_shared::DueRule::default(),
            r.tie_rule,
            china_time(generated_at).unwrap_or_default()
        ),
        headers: RANKING_HEADERS.to_vec(),
        rows,
        totals,
        widths: vec![(1, 24.0), (3, 16.0), (7, 16.0)],
    }
}
