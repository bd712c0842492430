//! What a reviewer (审核) needs beside a submitted report: the project's last approved
//! figures, the change since then, 总投资 and the year's plan, what the warning rules would
//! say if the report were approved, and plain sanity facts the rules do not cover.
//!
//! The rule arithmetic is not here: the verdicts come from `warning::MonthFacts::evaluate`
//! run twice, on the reports as they stand and as they would stand after approval.

use crate::dates::Period;
use crate::money::{Money, Percent};
use crate::vocab::ProgressStatus;
use crate::warning::{Level, ReportFact, RuleId, Warning, YearToDate, month_label, months_between};
use crate::wire::wire;

wire! {
    /// The last approved report of the project before the one under review.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PreviousApproval {
        pub report_id: i64,
        pub period: String,
        /// 累计完成投资, 万元.
        pub investment_completed: Money,
        /// 形象进度, %.
        pub physical_progress_pct: Percent,
        pub status: ProgressStatus,
    }
}

wire! {
    /// From the last approved report to this one.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReviewChange {
        /// Δ累计完成投资, 万元 (negative: it went down).
        pub investment_completed: Money,
        /// Δ形象进度, percentage points (negative: it went down).
        pub physical_progress: Percent,
        /// Months from the last approved report's month to this one's (0: a correction of
        /// the same month).
        pub months: i32,
    }
}

wire! {
    /// How a rule's verdict would move if the report were approved.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum VerdictChange {
        /// fires after approval, not today
        New = "new",
        /// a worse level than today
        Raised = "raised",
        /// the same level as today
        Same = "same",
        /// a better level than today
        Lowered = "lowered",
        /// fires today, not after approval
        Cleared = "cleared",
    }
}

impl VerdictChange {
    pub fn label(self) -> &'static str {
        match self {
            VerdictChange::New => "新增",
            VerdictChange::Raised => "升级",
            VerdictChange::Same => "不变",
            VerdictChange::Lowered => "降级",
            VerdictChange::Cleared => "解除",
        }
    }
}

wire! {
    /// One rule's verdict for the report's month if the report were approved, beside the
    /// verdict today.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReviewVerdict {
        pub rule: RuleId,
        /// The level after approval; `None`: the rule would no longer fire.
        pub level: Option<Level>,
        /// The arithmetic after approval, as the 预警 page words it.
        pub explanation: Option<String>,
        /// The level today (the report not approved); `None`: the rule does not fire today.
        pub today: Option<Level>,
        pub today_explanation: Option<String>,
        pub change: VerdictChange,
    }
}

impl ReviewVerdict {
    /// Whether approving would raise a yellow or red warning that is not there today, or
    /// make one worse: what the 审核 page marks.
    pub fn raises(&self) -> bool {
        matches!(self.change, VerdictChange::New | VerdictChange::Raised)
            && matches!(self.level, Some(Level::Yellow | Level::Red))
    }
}

wire! {
    /// A plain fact about the figures that the warning rules do not cover.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ReviewNoteKind {
        /// 累计完成投资 below the last approved figure
        CumulativeDown = "cumulative_down",
        /// 形象进度 below the last approved figure
        ProgressDown = "progress_down",
        /// 累计完成投资 above 总投资
        AboveTotal = "above_total",
    }
}

wire! {
    /// A sanity fact, worded in Chinese with the figures. Always `info`: it informs, it does
    /// not colour the project.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReviewNote {
        pub kind: ReviewNoteKind,
        pub level: Level,
        pub text: String,
    }
}

wire! {
    /// `GET /api/reports`: the context of one submitted report.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReviewContext {
        pub report_id: i64,
        /// 总投资, 万元.
        pub total_investment: Money,
        /// "十四五"计划投资, 万元.
        pub plan_investment: Money,
        /// `None`: no earlier approved report (a first report).
        pub previous: Option<PreviousApproval>,
        /// `None` with `previous`.
        pub change: Option<ReviewChange>,
        /// The report's month as if it were approved: 年度计划投资, 上年末累计完成投资,
        /// 序时进度, 本年完成投资, 投资完成率; `note` says what is unknown (e.g. 无年度计划).
        pub year_to_date: YearToDate,
        /// The rule-set version the verdicts come from.
        pub rule_set_version: i32,
        /// Every rule that fires today or would after approval, for the report's month.
        pub verdicts: Vec<ReviewVerdict>,
        pub notes: Vec<ReviewNote>,
    }
}

/// The project's reports as they would stand once report `id` is approved: it counts as
/// approved, and the month's report approved before no longer does (approval supersedes it).
pub fn as_if_approved(reports: &[ReportFact], id: i64) -> Vec<ReportFact> {
    let period = reports.iter().find(|r| r.id == id).map(|r| r.period);
    reports
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if r.id == id {
                r.approved = true;
            } else if Some(r.period) == period {
                r.approved = false;
            }
            r
        })
        .collect()
}

/// The last approved report before report `id`: of the approved ones up to its month (a
/// correction's predecessor of the same month included), the latest month, then latest id.
pub fn previous_approval(reports: &[ReportFact], id: i64, period: Period) -> Option<&ReportFact> {
    reports
        .iter()
        .filter(|r| r.approved && r.id != id && r.period <= period)
        .max_by_key(|r| (r.period, r.id))
}

impl PreviousApproval {
    pub fn of(r: &ReportFact) -> PreviousApproval {
        PreviousApproval {
            report_id: r.id,
            period: r.period.to_string(),
            investment_completed: r.investment_completed,
            physical_progress_pct: r.physical_progress,
            status: r.status,
        }
    }
}

impl ReviewChange {
    /// From `previous` to the report's figures; `None` only if a difference overflowed.
    pub fn between(previous: &ReportFact, now: &ReportFact) -> Option<ReviewChange> {
        Some(ReviewChange {
            investment_completed: now
                .investment_completed
                .checked_sub(previous.investment_completed)?,
            physical_progress: Percent::from_basis_points(
                now.physical_progress
                    .basis_points()
                    .checked_sub(previous.physical_progress.basis_points())?,
            ),
            months: months_between(previous.period, now.period),
        })
    }
}

/// Each rule's verdict today beside its verdict after approval, in rule order.
pub fn compare_verdicts(today: &[Warning], if_approved: &[Warning]) -> Vec<ReviewVerdict> {
    RuleId::ALL
        .iter()
        .filter_map(|&rule| {
            let before = today.iter().find(|w| w.rule == rule);
            let after = if_approved.iter().find(|w| w.rule == rule);
            let change = match (before.map(|w| w.level), after.map(|w| w.level)) {
                (None, None) => return None,
                (None, Some(_)) => VerdictChange::New,
                (Some(_), None) => VerdictChange::Cleared,
                (Some(b), Some(a)) if a > b => VerdictChange::Raised,
                (Some(b), Some(a)) if a < b => VerdictChange::Lowered,
                _ => VerdictChange::Same,
            };
            Some(ReviewVerdict {
                rule,
                level: after.map(|w| w.level),
                explanation: after.map(|w| w.explanation.clone()),
                today: before.map(|w| w.level),
                today_explanation: before.map(|w| w.explanation.clone()),
                change,
            })
        })
        .collect()
}

/// The sanity facts about `report` that the rules do not cover: 累计完成投资 or 形象进度 below
/// the last approved figures, 累计完成投资 above 总投资.
pub fn review_notes(
    report: &ReportFact,
    previous: Option<&ReportFact>,
    total_investment: Money,
) -> Vec<ReviewNote> {
    let note = |kind, text| ReviewNote {
        kind,
        level: Level::Info,
        text,
    };
    let mut out = Vec::new();
    if let Some(p) = previous {
        let when = month_label(p.period);
        if report.investment_completed < p.investment_completed {
            out.push(note(
                ReviewNoteKind::CumulativeDown,
                format!(
                    "累计完成投资 {} 万元低于上次审核通过的 {} 万元（{when}），累计数一般不应减少",
                    report.investment_completed, p.investment_completed
                ),
            ));
        }
        if report.physical_progress < p.physical_progress {
            out.push(note(
                ReviewNoteKind::ProgressDown,
                format!(
                    "形象进度 {}% 低于上次审核通过的 {}%（{when}）",
                    report.physical_progress, p.physical_progress
                ),
            ));
        }
    }
    if report.investment_completed > total_investment {
        out.push(note(
            ReviewNoteKind::AboveTotal,
            format!(
                "累计完成投资 {} 万元超过总投资 {} 万元",
                report.investment_completed, total_investment
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(id: i64, period: &str, approved: bool, inv: &str, pct: &str) -> ReportFact {
        ReportFact {
            id,
            period: period.parse().expect("period"),
            approved,
            investment_completed: inv.parse().expect("money"),
            physical_progress: pct.parse().expect("percent"),
            status: ProgressStatus::InProgress,
            submitted_at: String::new(),
        }
    }

    #[test]
    fn approval_counts_the_report_and_supersedes_the_months_earlier_approval() {
        let reports = [
            fact(1, "2026-05", true, "100", "10"),
            fact(2, "2026-06", true, "200", "20"),
            fact(3, "2026-06", false, "210", "21"),
        ];
        let after = as_if_approved(&reports, 3);
        let approved: Vec<i64> = after.iter().filter(|r| r.approved).map(|r| r.id).collect();
        assert_eq!(approved, [1, 3]);
        let previous = previous_approval(&reports, 3, reports[2].period).map(|r| r.id);
        assert_eq!(previous, Some(2));
    }

    #[test]
    fn the_change_and_the_notes_read_from_the_last_approval() {
        let before = fact(1, "2026-03", true, "300", "40");
        let now = fact(2, "2026-06", false, "250.5", "35");
        let change = ReviewChange::between(&before, &now).expect("change");
        assert_eq!(change.investment_completed.to_string(), "-49.50");
        assert_eq!(change.physical_progress.to_string(), "-5.00");
        assert_eq!(change.months, 3);
        let notes = review_notes(&now, Some(&before), "200".parse().expect("money"));
        let kinds: Vec<_> = notes.iter().map(|n| n.kind).collect();
        assert_eq!(
            kinds,
            [
                ReviewNoteKind::CumulativeDown,
                ReviewNoteKind::ProgressDown,
                ReviewNoteKind::AboveTotal
            ]
        );
        assert_eq!(
            notes[0].text,
            "累计完成投资 250.50 万元低于上次审核通过的 300.00 万元（2026年3月），累计数一般不应减少"
        );
        assert!(review_notes(&now, None, "5000".parse().expect("money")).is_empty());
    }

    fn warning(rule: RuleId, level: Level) -> Warning {
        Warning {
            code: "B09".into(),
            name: "n".into(),
            period: "2026-06".into(),
            rule,
            level,
            gap: None,
            rule_set_version: 1,
            explanation: level.label().to_string(),
        }
    }

    #[test]
    fn each_rules_verdict_is_set_beside_todays() {
        let today = [
            warning(RuleId::InvestmentLag, Level::Green),
            warning(RuleId::StartLag, Level::Yellow),
        ];
        let after = [
            warning(RuleId::InvestmentLag, Level::Red),
            warning(RuleId::Divergence, Level::Info),
        ];
        let v = compare_verdicts(&today, &after);
        let got: Vec<_> = v.iter().map(|v| (v.rule, v.change, v.raises())).collect();
        assert_eq!(
            got,
            [
                (RuleId::InvestmentLag, VerdictChange::Raised, true),
                (RuleId::StartLag, VerdictChange::Cleared, false),
                (RuleId::Divergence, VerdictChange::New, false),
            ]
        );
        assert_eq!(v[0].today_explanation.as_deref(), Some("绿色"));
    }

    #[test]
    fn a_context_reads_and_writes_the_same_through_serde_and_the_apps_own_reader() {
        let before = fact(1, "2026-03", true, "300", "40");
        let now = fact(2, "2026-06", false, "250.5", "35");
        let c = ReviewContext {
            report_id: 2,
            total_investment: "5000".parse().expect("money"),
            plan_investment: "4000".parse().expect("money"),
            previous: Some(PreviousApproval::of(&before)),
            change: ReviewChange::between(&before, &now),
            year_to_date: YearToDate {
                period: "2026-06".into(),
                planned: None,
                cumulative: None,
                baseline: None,
                baseline_source: None,
                completed: None,
                completion_rate: None,
                expected_progress: None,
                note: "2026 年无年度计划".into(),
            },
            rule_set_version: 3,
            verdicts: compare_verdicts(
                &[warning(RuleId::StartLag, Level::Yellow)],
                &[warning(RuleId::InvestmentLag, Level::Red)],
            ),
            notes: review_notes(&now, Some(&before), "200".parse().expect("money")),
        };
        let json = serde_json::to_string(&c).expect("serde writes");
        assert_eq!(crate::wire::to_string(&c), json);
        let ours: ReviewContext = crate::wire::from_str(&json).expect("the app reads");
        assert_eq!(ours, c);
        assert_eq!(
            serde_json::from_str::<ReviewContext>(&json).expect("serde reads"),
            c
        );
    }
}
