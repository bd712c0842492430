//! A project's year, month by month: the plan due by each month (序时进度 × 年度计划投资)
//! against the approved 累计完成投资 and 本年完成投资, with the month's colour. The figures
//! are the warning rules' own (`warning::MonthFacts::year_to_date` and `evaluate`), one month
//! at a time, so the chart of the project page shows exactly what the warnings judged.

use crate::money::{Money, Percent};
use crate::warning::Level;
use crate::wire::wire;

wire! {
    /// One month of the year, as the rules saw it with the reports up to that month.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ProgressMonth {
        /// `YYYY-MM`
        pub period: String,
        /// 序时进度 at the end of the month; `None` without a plan for the year.
        pub expected_progress: Option<Percent>,
        /// The plan due by the month: 年度计划投资 × 序时进度, rounded half away from zero.
        pub expected_completed: Option<Money>,
        /// The approved 累计完成投资 at the month (the latest approved report of the year up
        /// to it); `None` for months after the one asked for, or with no approved report.
        pub cumulative: Option<Money>,
        /// 本年完成投资 = cumulative − 上年末累计完成投资; `None` when either is unknown.
        pub completed: Option<Money>,
        /// 投资完成率 = 本年完成投资 / 年度计划投资.
        pub completion_rate: Option<Percent>,
        /// The project's colour for the month (its worst red, yellow or green verdict);
        /// `None` when no rule gave one, and for months after the one asked for.
        pub colour: Option<Level>,
    }
}

wire! {
    /// `GET /api/projects/{code}/progress?period=YYYY-MM`: every month of the period's year,
    /// judged up to the period.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ProjectProgress {
        pub code: String,
        pub year: i32,
        /// The month asked for: months after it carry the plan only.
        pub period: String,
        pub rule_set_version: i32,
        /// 年度计划投资; `None` without a plan for the year.
        pub planned: Option<Money>,
        /// 上年末累计完成投资 as the rules found it; `None` when unknown.
        pub baseline: Option<Money>,
        /// January to December.
        pub months: Vec<ProgressMonth>,
    }
}

/// The plan due by a month: 年度计划投资 × 序时进度, by the product's one rounding rule.
pub fn plan_due(planned: Money, expected: Percent) -> Money {
    planned.times_percent(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_due_is_the_plan_times_the_expected_share_rounded_half_away_from_zero() {
        let m = |s: &str| s.parse::<Money>().expect("money");
        let p = |s: &str| s.parse::<Percent>().expect("percent");
        assert_eq!(plan_due(m("1000"), p("50")), m("500"));
        assert_eq!(plan_due(m("1000"), p("58.33")), m("583.30"));
        // 0.01 × 33.33 % = 0.003333 → 0.00; 0.03 × 50 % = 0.015 → 0.02
        assert_eq!(plan_due(m("0.01"), p("33.33")), m("0"));
        assert_eq!(plan_due(m("0.03"), p("50")), m("0.02"));
        assert_eq!(plan_due(Money::MAX, p("100")), Money::MAX);
    }
}
