//! 规划终期评估: how each project stood at the end of the plan period (2025-12), from its
//! approved reports only, and the same by category and by district.
//!
//! - **Outcome.** The latest approved report of a month up to 2025-12 decides: 已竣工 is
//!   completed, on time when the completion month is not after the planned 竣工 of the
//!   schedule (for a range such as "2021-2023" its latest year; a year without a month means
//!   its December), else late. The completion month is the report's 实际竣工日期 when it
//!   gives one, else the month of the first approved report saying 已竣工 (it was complete by
//!   then). 在建 is under construction, 停工 suspended, 未开工 not started.
//! - **No approved report up to 2025-12:** the outcome says so, and the project's investment
//!   is unknown, never zero: it is left out of the completed sum and its plan is left out of
//!   the rate's denominator (both counts are shown).
//! - **十四五 investment completed** = the approved 累计完成投资 at the latest month up to
//!   2025-12, minus the approved 累计 at the latest month up to 2020-12 where there is one.
//!   A project that started before 2021 without such a report has a cumulative figure that
//!   may include earlier years; it is shown, but its 十四五 part is unknown and not summed.

use std::fmt;
use std::str::FromStr;

use crate::dates::Period;
use crate::money::{Money, Percent};
use crate::project::PublishedFigures;
use crate::schedule::ScheduleDate;
use crate::vocab::{Category, District, ProgressStatus, UnknownValue, vocabulary};
use crate::wire::wire;

/// The last month of the plan period; reports after it do not count.
pub const PLAN_LAST_MONTH: (i32, u32) = (2025, 12);
/// The month before the plan period: an approved cumulative figure up to it is the
/// baseline subtracted.
pub const BEFORE_PLAN_MONTH: (i32, u32) = (2020, 12);

vocabulary! {
    /// A project's state at the end of the plan period.
    Outcome {
        CompletedOnTime = "completed_on_time", "按期竣工";
        CompletedLate = "completed_late", "逾期竣工";
        UnderConstruction = "under_construction", "在建";
        Suspended = "suspended", "停工";
        NotStarted = "not_started", "未开工";
        NoReport = "no_report", "无已审核报告";
    }
}

/// The planned 竣工 month: the latest the schedule allows (a year alone: its December).
pub fn planned_end(end: &ScheduleDate) -> Option<Period> {
    planned_end_of(end.latest_year, end.latest_month.map(u32::from))
}

/// `planned_end` from the stored columns `end_latest_year` and `end_latest_month`.
pub fn planned_end_of(latest_year: i32, latest_month: Option<u32>) -> Option<Period> {
    Period::new(latest_year, latest_month.unwrap_or(12))
}

/// The outcome of a project whose latest approved status up to 2025-12 is `status`, with the
/// month it was completed in (for 已竣工).
pub fn outcome(
    status: Option<ProgressStatus>,
    completed_in: Option<Period>,
    planned_end: Option<Period>,
) -> Outcome {
    match status {
        None => Outcome::NoReport,
        Some(ProgressStatus::Completed) => match (completed_in, planned_end) {
            (Some(c), Some(p)) if c <= p => Outcome::CompletedOnTime,
            _ => Outcome::CompletedLate,
        },
        Some(ProgressStatus::InProgress) => Outcome::UnderConstruction,
        Some(ProgressStatus::Suspended) => Outcome::Suspended,
        Some(ProgressStatus::NotStarted) => Outcome::NotStarted,
    }
}

wire! {
    /// One project at the end of the plan period.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct EvaluationProject {
        pub code: String,
        pub name: String,
        pub category: Category,
        pub district: Option<District>,
        /// 竣工年份 as published.
        pub planned_end: String,
        /// "十四五"计划投资
        pub planned_investment: Money,
        pub outcome: Outcome,
        /// The month of the approved report the outcome comes from.
        pub report_period: Option<String>,
        /// `YYYY-MM`, for a completed project.
        pub completed_in: Option<String>,
        /// The approved 累计完成投资 at `report_period`.
        pub cumulative_completed: Option<Money>,
        /// Its 十四五 part; `None` when unknown (no report, or no baseline for a project
        /// started before 2021).
        pub investment_completed: Option<Money>,
        /// investment_completed / planned_investment.
        pub rate_pct: Option<Percent>,
        /// Why a figure is missing, in Chinese.
        pub note: Option<String>,
    }
}

wire! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct OutcomeCounts {
        pub completed_on_time: u64,
        pub completed_late: u64,
        pub under_construction: u64,
        pub suspended: u64,
        pub not_started: u64,
        pub no_report: u64,
    }
}

impl OutcomeCounts {
    pub fn add(&mut self, o: Outcome) {
        let slot = match o {
            Outcome::CompletedOnTime => &mut self.completed_on_time,
            Outcome::CompletedLate => &mut self.completed_late,
            Outcome::UnderConstruction => &mut self.under_construction,
            Outcome::Suspended => &mut self.suspended,
            Outcome::NotStarted => &mut self.not_started,
            Outcome::NoReport => &mut self.no_report,
        };
        *slot += 1;
    }

    pub fn get(&self, o: Outcome) -> u64 {
        match o {
            Outcome::CompletedOnTime => self.completed_on_time,
            Outcome::CompletedLate => self.completed_late,
            Outcome::UnderConstruction => self.under_construction,
            Outcome::Suspended => self.suspended,
            Outcome::NotStarted => self.not_started,
            Outcome::NoReport => self.no_report,
        }
    }
}

wire! {
    /// A category, a district or the whole plan.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct EvaluationGroup {
        /// A category key, a district key, `unassigned`, or `total`.
        pub key: String,
        pub label: String,
        pub projects: u64,
        pub outcomes: OutcomeCounts,
        /// "十四五"计划投资 of every project in the group.
        pub planned_investment: Money,
        /// How many projects have a known 十四五 figure, and their plan.
        pub with_figure: u64,
        pub planned_of_with_figure: Money,
        /// The sum of the known figures.
        pub investment_completed: Money,
        /// investment_completed / planned_of_with_figure.
        pub rate_pct: Option<Percent>,
        /// The published subtotal (categories and the 总计 only; the plan prints no district
        /// totals).
        pub published: Option<PublishedFigures>,
        /// Where the published subtotal differs from the sum of its rows, in Chinese.
        pub finding: Option<String>,
    }
}

wire! {
    /// `GET /api/evaluation`: the plan's final evaluation.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Evaluation {
        /// The last month counted, `2025-12`.
        pub as_of: String,
        /// When this answer was made, UTC, RFC 3339: approvals up to then count.
        pub generated_at: String,
        pub projects: Vec<EvaluationProject>,
        pub by_category: Vec<EvaluationGroup>,
        pub by_district: Vec<EvaluationGroup>,
        pub total: EvaluationGroup,
    }
}

impl fmt::Display for OutcomeCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Outcome::ALL
            .iter()
            .map(|o| format!("{} {}", o.label(), self.get(*o)))
            .collect();
        f.write_str(&parts.join("，"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<Period> {
        s.parse().ok()
    }

    #[test]
    fn the_planned_end_is_the_latest_the_schedule_allows() {
        let end = |t| ScheduleDate::parse_published(t).expect("a schedule");
        assert_eq!(planned_end(&end("2023")), p("2023-12"));
        assert_eq!(planned_end(&end("2023.6")), p("2023-06"));
        assert_eq!(planned_end(&end("2021-2024")), p("2024-12"));
    }

    #[test]
    fn each_outcome_has_its_case() {
        let plan = p("2024-12");
        let done = Some(ProgressStatus::Completed);
        assert_eq!(outcome(done, p("2024-12"), plan), Outcome::CompletedOnTime);
        assert_eq!(outcome(done, p("2025-01"), plan), Outcome::CompletedLate);
        assert_eq!(
            outcome(Some(ProgressStatus::InProgress), None, plan),
            Outcome::UnderConstruction
        );
        assert_eq!(
            outcome(Some(ProgressStatus::NotStarted), None, plan),
            Outcome::NotStarted
        );
        assert_eq!(
            outcome(Some(ProgressStatus::Suspended), None, plan),
            Outcome::Suspended
        );
        assert_eq!(outcome(None, None, plan), Outcome::NoReport);
    }
}
