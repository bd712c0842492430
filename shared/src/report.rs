//! Monthly progress reports (月报): what an owner submits, how it is checked, and how the
//! API shows a report and its review.

use crate::dates::{CalendarDate, Period};
use crate::money::{Money, Percent};
use crate::problem::FieldError;
use crate::text::{self, Lines};
use crate::vocab::{ProgressStatus, ReportState};
use crate::wire::wire;

/// The body of `POST /api/projects/{code}/reports`: exactly these names, nothing else.
pub const REPORT_FIELDS: &[&str] = &[
    "period",
    "physical_progress_pct",
    "investment_completed",
    "social_investment_completed",
    "status",
    "actual_start",
    "actual_end",
    "progress_text",
    "problems_text",
    "over_total_reason",
];

/// Fields the server sets itself; a body naming one is refused with a message saying so.
pub const SERVER_SET_FIELDS: &[&str] = &[
    "id",
    "state",
    "approved_by",
    "approved_at",
    "reviewed_by",
    "reviewed_at",
    "review_reason",
    "submitted_by",
    "submitted_at",
    "organisation_id",
    "project_id",
    "project_code",
    "supersedes_id",
    "version",
    "etag",
];

pub const MAX_REPORT_TEXT_CHARS: usize = 5000;
pub const MAX_REASON_CHARS: usize = 500;

wire! {
    /// A report as typed into the form: every value still text, so the form can hold what the
    /// user typed and show the message for each field. `parse` turns it into `ReportValues`.
    ///
    /// On the wire `physical_progress_pct` may also be a JSON number (`45` or `45.5`); money
    /// must be a decimal string (`"1234.50"`, at most two decimals).
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ReportBody {
        /// The month reported on, `YYYY-MM`; not after the current month (China time).
        pub period: String,
        /// 形象进度 in %, 0-100, at most two decimals: `"45"`, `"45.5"`.
        pub physical_progress_pct: String,
        /// 累计完成投资 (cumulative), 万元, from 0 to the ceiling `"100000000.00"` (`Money::MAX`).
        pub investment_completed: String,
        /// The part of it that is social investment, 万元, up to the same ceiling; `"0"` when
        /// absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub social_investment_completed: Option<String>,
        /// `not_started`, `in_progress`, `completed` or `suspended` (or 未开工, 在建, 已竣工, 停工).
        pub status: String,
        /// `YYYY-MM-DD`, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub actual_start: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub actual_end: Option<String>,
        /// 进展情况
        #[serde(default)]
        pub progress_text: String,
        /// 存在问题
        #[serde(default)]
        pub problems_text: String,
        /// Required when `investment_completed` exceeds the project's 总投资.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub over_total_reason: Option<String>,
    }
}

/// A checked report, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportValues {
    pub period: Period,
    pub physical_progress: Percent,
    pub investment_completed: Money,
    pub social_investment_completed: Money,
    pub status: ProgressStatus,
    pub actual_start: Option<CalendarDate>,
    pub actual_end: Option<CalendarDate>,
    pub progress_text: String,
    pub problems_text: String,
    pub over_total_reason: Option<String>,
}

/// What checking a report needs beyond the report: the project's 总投资 and today's date
/// (China time). Either may be left out, e.g. by a form that does not know them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportContext {
    pub total_investment: Option<Money>,
    pub today: Option<CalendarDate>,
}

fn money_field(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<Money> {
    if raw.trim().is_empty() {
        errors.push(FieldError::new(field, "必填"));
        return None;
    }
    Money::parse_amount(raw)
        .map_err(|e| errors.push(FieldError::new(field, e)))
        .ok()
}

fn text_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: &str,
    max_chars: usize,
) -> Option<String> {
    let t = raw.trim();
    if let Err(e) = text::check(field, t, max_chars, Lines::Many) {
        errors.push(e);
        return None;
    }
    Some(t.to_string())
}

fn date_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: Option<&str>,
    today: Option<CalendarDate>,
) -> Option<CalendarDate> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    match raw.parse::<CalendarDate>() {
        Ok(d) if today.is_some_and(|t| d > t) => {
            errors.push(FieldError::new(field, "实际日期不能晚于今天"));
            None
        }
        Ok(d) => Some(d),
        Err(()) => {
            errors.push(FieldError::new(
                field,
                "应为有效日期，格式 YYYY-MM-DD，如 2024-03-15",
            ));
            None
        }
    }
}

impl ReportBody {
    /// Every problem, one per field, in Chinese; empty when the report may be submitted.
    pub fn validate(&self, ctx: ReportContext) -> Vec<FieldError> {
        self.parse(ctx).err().unwrap_or_default()
    }

    pub fn parse(&self, ctx: ReportContext) -> Result<ReportValues, Vec<FieldError>> {
        let mut errors = Vec::new();
        let period = match self.period.trim().parse::<Period>() {
            Ok(p) if ctx.today.is_some_and(|t| p > t.period()) => {
                errors.push(FieldError::new("period", "不能填报未来的月份"));
                None
            }
            Ok(p) => Some(p),
            Err(()) => {
                errors.push(FieldError::new(
                    "period",
                    "应为年月，格式 YYYY-MM，如 2024-03",
                ));
                None
            }
        };
        let physical_progress = match self.physical_progress_pct.trim() {
            "" => {
                errors.push(FieldError::new("physical_progress_pct", "必填"));
                None
            }
            raw => match raw.parse::<Percent>() {
                Ok(p) if (0..=10_000).contains(&p.basis_points()) => Some(p),
                Ok(_) => {
                    errors.push(FieldError::new(
                        "physical_progress_pct",
                        "形象进度应在 0 到 100 之间",
                    ));
                    None
                }
                Err(e) => {
                    errors.push(FieldError::new(
                        "physical_progress_pct",
                        format!("{e}：形象进度为 0 到 100 的百分数，如 45 或 45.5"),
                    ));
                    None
                }
            },
        };
        let investment = money_field(
            &mut errors,
            "investment_completed",
            &self.investment_completed,
        );
        let social = match self.social_investment_completed.as_deref() {
            None => Some(Money::ZERO),
            Some(s) if s.trim().is_empty() => Some(Money::ZERO),
            Some(s) => money_field(&mut errors, "social_investment_completed", s),
        };
        let status = match self.status.trim().parse::<ProgressStatus>() {
            Ok(s) => Some(s),
            Err(_) => {
                let names: Vec<_> = ProgressStatus::ALL
                    .iter()
                    .map(|s| format!("{}（{}）", s.key(), s.label()))
                    .collect();
                errors.push(FieldError::new(
                    "status",
                    format!("未知的建设状态；可选: {}", names.join("、")),
                ));
                None
            }
        };
        let actual_start = date_field(
            &mut errors,
            "actual_start",
            self.actual_start.as_deref(),
            ctx.today,
        );
        let actual_end = date_field(
            &mut errors,
            "actual_end",
            self.actual_end.as_deref(),
            ctx.today,
        );
        if let (Some(s), Some(e)) = (actual_start, actual_end)
            && e < s
        {
            errors.push(FieldError::new(
                "actual_end",
                "实际竣工日期不能早于实际开工日期",
            ));
        }
        let progress_text = text_field(
            &mut errors,
            "progress_text",
            &self.progress_text,
            MAX_REPORT_TEXT_CHARS,
        );
        let problems_text = text_field(
            &mut errors,
            "problems_text",
            &self.problems_text,
            MAX_REPORT_TEXT_CHARS,
        );
        let over_total_reason = match self.over_total_reason.as_deref() {
            None => Some(None),
            Some(r) => text_field(&mut errors, "over_total_reason", r, MAX_REASON_CHARS)
                .map(|t| Some(t).filter(|t| !t.is_empty())),
        };
        if let (Some(inv), Some(soc)) = (investment, social)
            && soc > inv
        {
            errors.push(FieldError::new(
                "social_investment_completed",
                format!("社会投资完成额 {soc} 万元不能超过累计完成投资 {inv} 万元"),
            ));
        }
        if let (Some(inv), Some(total), Some(None)) =
            (investment, ctx.total_investment, &over_total_reason)
            && inv > total
        {
            errors.push(FieldError::new(
                "investment_completed",
                format!(
                    "累计完成投资 {inv} 万元超过项目总投资 {total} 万元；如确属超支，请在 over_total_reason 中说明原因"
                ),
            ));
        }
        match (
            period,
            physical_progress,
            investment,
            social,
            status,
            progress_text,
            problems_text,
            over_total_reason,
        ) {
            (
                Some(period),
                Some(physical_progress),
                Some(investment_completed),
                Some(social_investment_completed),
                Some(status),
                Some(progress_text),
                Some(problems_text),
                Some(over_total_reason),
            ) if errors.is_empty() => Ok(ReportValues {
                period,
                physical_progress,
                investment_completed,
                social_investment_completed,
                status,
                actual_start,
                actual_end,
                progress_text,
                problems_text,
                over_total_reason,
            }),
            _ => Err(errors),
        }
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UserRef {
        pub id: i64,
        pub username: String,
    }
}

wire! {
    /// A stored report with its review.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Report {
        pub id: i64,
        pub project_code: String,
        pub project_name: String,
        pub period: String,
        pub physical_progress_pct: Percent,
        pub investment_completed: Money,
        pub social_investment_completed: Money,
        pub status: ProgressStatus,
        pub actual_start: Option<String>,
        pub actual_end: Option<String>,
        pub progress_text: String,
        pub problems_text: String,
        pub over_total_reason: Option<String>,
        pub state: ReportState,
        /// The earlier report for the same project and month that this one corrects.
        pub supersedes_id: Option<i64>,
        pub submitted_by: UserRef,
        /// UTC, RFC 3339.
        pub submitted_at: String,
        pub reviewed_by: Option<UserRef>,
        pub reviewed_at: Option<String>,
        /// Why it was returned.
        pub review_reason: Option<String>,
        pub version: i64,
        /// Send this back as `If-Match` to approve or return it, e.g. `"r12-v1"`.
        pub etag: String,
    }
}

wire! {
    /// A project's reports, newest first.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReportList {
        pub items: Vec<Report>,
    }
}

wire! {
    /// The review queue: oldest first.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReportPage {
        pub items: Vec<Report>,
        pub total: u64,
        pub page: u32,
        pub per_page: u32,
        /// For each item still `submitted`: what the reviewer judges it against (审核).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub contexts: Vec<crate::review::ReviewContext>,
    }
}

wire! {
    /// The body of `POST /api/reports/{id}/return`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReturnRequest {
        pub reason: String,
    }
}

impl ReturnRequest {
    pub fn validate(&self) -> Vec<FieldError> {
        let reason = self.reason.trim();
        if reason.is_empty() {
            vec![FieldError::new("reason", "退回须说明原因")]
        } else {
            text::check("reason", reason, MAX_REASON_CHARS, Lines::Many)
                .err()
                .into_iter()
                .collect()
        }
    }
}

wire! {
    /// A project's latest approved figures: the report of the latest month that finance
    /// approved (for one month, the latest approval). Only these count in totals.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ApprovedProgress {
        pub report_id: i64,
        pub period: String,
        pub physical_progress_pct: Percent,
        pub investment_completed: Money,
        pub social_investment_completed: Money,
        pub status: ProgressStatus,
    }
}

/// The strong ETag of a resource: `"<kind><id>-v<version>"`, e.g. `"p12-v3"` for project 12
/// at version 3 (`p` project, `r` report, `u` user). Quotes included, as sent in headers.
pub fn etag(kind: char, id: i64, version: i64) -> String {
    format!("\"{kind}{id}-v{version}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> ReportBody {
        ReportBody {
            period: "2024-03".into(),
            physical_progress_pct: "45.5".into(),
            investment_completed: "100".into(),
            social_investment_completed: Some("10.25".into()),
            status: "in_progress".into(),
            ..Default::default()
        }
    }

    fn ctx() -> ReportContext {
        ReportContext {
            total_investment: Some(Money::from_cents(20_000)),
            today: "2024-06-30".parse().ok(),
        }
    }

    fn fields(b: &ReportBody) -> Vec<String> {
        b.validate(ctx()).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_sound_report_parses_exactly() {
        let v = body().parse(ctx()).expect("valid");
        assert_eq!(v.physical_progress.basis_points(), 4550);
        assert_eq!(v.investment_completed.cents(), 10_000);
        assert_eq!(v.social_investment_completed.cents(), 1025);
        assert_eq!(v.period.to_string(), "2024-03");
    }

    #[test]
    fn progress_outside_0_to_100_or_with_three_decimals_is_named() {
        for bad in ["101", "-1", "45.123", "abc", ""] {
            let b = ReportBody {
                physical_progress_pct: bad.into(),
                ..body()
            };
            assert_eq!(fields(&b), ["physical_progress_pct"], "{bad}");
        }
        for ok in ["0", "100", "100.00", "0.01"] {
            let b = ReportBody {
                physical_progress_pct: ok.into(),
                ..body()
            };
            assert!(fields(&b).is_empty(), "{ok}");
        }
    }

    #[test]
    fn money_must_be_non_negative_with_two_decimals_at_most() {
        for bad in ["-1", "1.234", "1e3", ""] {
            let b = ReportBody {
                investment_completed: bad.into(),
                ..body()
            };
            assert_eq!(fields(&b), ["investment_completed"], "{bad}");
        }
    }

    #[test]
    fn more_than_the_total_needs_a_reason() {
        let b = ReportBody {
            investment_completed: "200.01".into(),
            ..body()
        };
        assert_eq!(fields(&b), ["investment_completed"]);
        let b = ReportBody {
            over_total_reason: Some("设计变更增加了工程量".into()),
            ..b
        };
        assert!(fields(&b).is_empty());
    }

    #[test]
    fn social_investment_cannot_exceed_the_investment() {
        let b = ReportBody {
            social_investment_completed: Some("100.01".into()),
            ..body()
        };
        assert_eq!(fields(&b), ["social_investment_completed"]);
    }

    #[test]
    fn dates_and_periods_are_checked() {
        let b = ReportBody {
            period: "2024-13".into(),
            actual_start: Some("2024-02-30".into()),
            ..body()
        };
        assert_eq!(fields(&b), ["period", "actual_start"]);
        let b = ReportBody {
            period: "2024-07".into(),
            actual_start: Some("2024-03-01".into()),
            actual_end: Some("2024-02-01".into()),
            ..body()
        };
        assert_eq!(fields(&b), ["period", "actual_end"]);
        assert!("2024-02-29".parse::<CalendarDate>().is_ok());
        assert!("2023-02-29".parse::<CalendarDate>().is_err());
    }

    #[test]
    fn etags_name_the_kind_the_id_and_the_version() {
        assert_eq!(etag('p', 12, 3), "\"p12-v3\"");
    }
}
