//! What a finance reviewer should look at twice: rows whose own text states an amount their
//! 总投资 does not carry, and rows whose schedule and planned amount do not agree.

use std::sync::LazyLock;

use keyproj_shared::{Finding, FindingKind, Money};
use regex::Regex;

use crate::models::project::ProjectRow;

/// e.g. 预计总投资7亿元, 估算总投资1200万元, 预计建设资金3200万元, 预计项目总投资5000万元
static STATED_AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:预计|估算)?(?:项目)?(?:总投资|建设资金)约?(\d+(?:\.\d{1,2})?)(亿元|万元)")
        .unwrap_or_else(|e| panic!("the stated-amount pattern is a constant: {e}"))
});

const PLAN_FIRST_YEAR: i32 = 2021;
const PLAN_LAST_YEAR: i32 = 2025;

/// Each total amount the text states, as (the words, the amount in 万元).
pub fn stated_amounts(content: &str) -> Vec<(String, Money)> {
    STATED_AMOUNT
        .captures_iter(content)
        .filter_map(|c| {
            let number: Money = c.get(1)?.as_str().parse().ok()?;
            let amount = match c.get(2)?.as_str() {
                "亿元" => Money::from_cents(number.cents().checked_mul(10_000)?),
                _ => number,
            };
            Some((c.get(0)?.as_str().to_string(), amount))
        })
        .collect()
}

/// The stated amounts that differ from the row's 总投资.
pub fn contradictions(row: &ProjectRow) -> Vec<(String, Money)> {
    let total = Money::from_cents(row.total_investment_cents);
    stated_amounts(&row.content)
        .into_iter()
        .filter(|(_, amount)| *amount != total)
        .collect()
}

pub fn for_row(row: &ProjectRow, category_subtotal_mismatch: bool) -> Vec<Finding> {
    let total = Money::from_cents(row.total_investment_cents);
    let planned = Money::from_cents(row.planned_investment_cents);
    let mut out = Vec::new();
    if category_subtotal_mismatch {
        out.push(Finding {
            kind: FindingKind::CategorySubtotalMismatch,
            message: "本项目所在类别的原表小计与各项目之和不一致，详见对账表".to_string(),
        });
    }
    for (words, amount) in contradictions(row) {
        out.push(Finding {
            kind: FindingKind::TextContradictsAmount,
            message: format!("建设内容写明“{words}”（{amount}万元），与总投资{total}万元不符"),
        });
    }
    let within_plan =
        row.start_earliest_year >= PLAN_FIRST_YEAR && row.end_latest_year <= PLAN_LAST_YEAR;
    if within_plan && planned < total {
        out.push(Finding {
            kind: FindingKind::PlannedDiffersFromSchedule,
            message: format!(
                "工期全部在2021-2025年内，但“十四五”计划投资{planned}万元少于总投资{total}万元"
            ),
        });
    }
    if row.start_earliest_year < PLAN_FIRST_YEAR && planned == total {
        out.push(Finding {
            kind: FindingKind::PlannedDiffersFromSchedule,
            message: format!(
                "开工年份{}早于2021年，但“十四五”计划投资等于总投资",
                row.start_published
            ),
        });
    }
    if planned > total {
        out.push(Finding {
            kind: FindingKind::PlannedDiffersFromSchedule,
            message: format!("“十四五”计划投资{planned}万元大于总投资{total}万元"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yi_yuan_is_ten_thousand_wan_yuan() {
        let found = stated_amounts("占地面积约100-200亩,预计总投资7亿元,设计总床位2000张左右");
        assert_eq!(
            found,
            [(
                "预计总投资7亿元".to_string(),
                "70000".parse().expect("money")
            )]
        );
    }

    #[test]
    fn other_amounts_in_the_text_are_not_totals() {
        assert!(stated_amounts("其中农村公益性墓地争取上级投资360万元").is_empty());
        let found = stated_amounts("预计项目总投资5000万元,其中农村公益性墓地争取上级投资360万元");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "5000".parse().expect("money"));
    }
}
