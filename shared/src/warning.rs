//! Delay warnings (预警): the rules, their thresholds (a versioned rule set, data not code),
//! and the arithmetic that turns one project's month into warnings that explain themselves.
//!
//! No floats: progress and gaps are integer basis points (hundredths of a percent).

use crate::dates::Period;
use crate::money::{Money, Percent};
use crate::plan::{AnnualPlan, MilestoneKind};
use crate::problem::FieldError;
use crate::vocab::ProgressStatus;
use crate::wire::wire;

wire! {
    /// A warning's colour. `info` only informs (divergence).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Level {
        Green = "green",
        Info = "info",
        Yellow = "yellow",
        Red = "red",
    }
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Green => "绿色",
            Level::Info => "提示",
            Level::Yellow => "黄色",
            Level::Red => "红色",
        }
    }
}

wire! {
    /// The rules.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum RuleId {
        /// 投资滞后: 序时进度 − 投资完成率
        InvestmentLag = "investment_lag",
        /// 开工滞后: the planned 开工 month has passed and the project has not started
        StartLag = "start_lag",
        /// 竣工滞后: the planned 竣工 month has passed and the project is not complete
        CompletionLag = "completion_lag",
        /// 未报送: no report for the month submitted by the deadline
        NotReported = "not_reported",
        /// 进度背离: 形象进度 and investment progress far apart
        Divergence = "divergence",
    }
}

impl RuleId {
    pub fn label(self) -> &'static str {
        match self {
            RuleId::InvestmentLag => "投资滞后",
            RuleId::StartLag => "开工滞后",
            RuleId::CompletionLag => "竣工滞后",
            RuleId::NotReported => "未按时报送",
            RuleId::Divergence => "形象进度与投资进度背离",
        }
    }
}

wire! {
    /// How the investment-lag rule measures the gap.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum LagMode {
        /// in percentage points: 序时进度 − 投资完成率
        Points = "points",
        /// relative to the expected figure: (序时进度 − 投资完成率) / 序时进度
        Relative = "relative",
    }
}

wire! {
    /// The thresholds, as data. Every change is a new version; a warning names the version
    /// that produced it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RuleSet {
        pub version: i32,
        pub lag_mode: LagMode,
        /// Points mode: yellow from this gap (points), default 10.00.
        pub lag_yellow_from: Percent,
        /// Points mode: red above this gap (points), default 30.00.
        pub lag_red_above: Percent,
        /// Relative mode: yellow up to this shortfall (%), red above; default 50.00.
        pub relative_yellow_up_to: Percent,
        /// Start lag turns red this many months after the planned 开工 month; default 3.
        pub start_lag_red_months: i32,
        /// Reports for a month are due by this day of the next month (China time); default 5.
        pub report_deadline_day: i32,
        /// Not reported this many months in a row is red; default 2.
        pub not_reported_red_months: i32,
        /// Divergence: 形象进度 and investment progress more than this many points apart; 30.00.
        pub divergence_above: Percent,
        pub reason: String,
        pub created_by: String,
        pub created_at: String,
    }
}

impl RuleSet {
    /// The thresholds the issue names, as version 1 (also seeded by the migration).
    pub fn defaults() -> RuleSet {
        RuleSet {
            version: 1,
            lag_mode: LagMode::Points,
            lag_yellow_from: Percent::from_basis_points(1_000),
            lag_red_above: Percent::from_basis_points(3_000),
            relative_yellow_up_to: Percent::from_basis_points(5_000),
            start_lag_red_months: 3,
            report_deadline_day: 5,
            not_reported_red_months: 2,
            divergence_above: Percent::from_basis_points(3_000),
            reason: "默认规则".to_string(),
            created_by: "(系统)".to_string(),
            created_at: String::new(),
        }
    }

    /// Every problem with the thresholds, naming the field.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        let pct = |p: Percent| (0..=10_000).contains(&p.basis_points());
        for (f, p) in [
            ("lag_yellow_from", self.lag_yellow_from),
            ("lag_red_above", self.lag_red_above),
            ("relative_yellow_up_to", self.relative_yellow_up_to),
            ("divergence_above", self.divergence_above),
        ] {
            if !pct(p) {
                e.push(FieldError::new(f, "应在 0 到 100 之间"));
            }
        }
        if self.lag_red_above < self.lag_yellow_from {
            e.push(FieldError::new("lag_red_above", "红色阈值不能低于黄色阈值"));
        }
        if !(1..=24).contains(&self.start_lag_red_months) {
            e.push(FieldError::new("start_lag_red_months", "应在 1 到 24 之间"));
        }
        if !(1..=28).contains(&self.report_deadline_day) {
            e.push(FieldError::new("report_deadline_day", "应在 1 到 28 之间"));
        }
        if !(1..=12).contains(&self.not_reported_red_months) {
            e.push(FieldError::new(
                "not_reported_red_months",
                "应在 1 到 12 之间",
            ));
        }
        e
    }
}

/// The ETag of a rule-set version (`"rules-v1"`): what `PUT /api/warning-rules` needs as
/// `If-Match` to replace it.
pub fn rule_set_etag(version: i32) -> String {
    format!("\"rules-v{version}\"")
}

/// The body of `PUT /api/warning-rules`: every threshold, and why it changes.
pub const RULE_SET_FIELDS: &[&str] = &[
    "reason",
    "lag_mode",
    "lag_yellow_from",
    "lag_red_above",
    "relative_yellow_up_to",
    "start_lag_red_months",
    "report_deadline_day",
    "not_reported_red_months",
    "divergence_above",
];

wire! {
    /// A new rule set as typed: percentages and points as decimal strings (`"10"`), months
    /// and the day as whole numbers in strings. Every field is required.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct RuleSetBody {
        pub reason: String,
        /// `points` or `relative`
        pub lag_mode: String,
        pub lag_yellow_from: String,
        pub lag_red_above: String,
        pub relative_yellow_up_to: String,
        pub start_lag_red_months: String,
        pub report_deadline_day: String,
        pub not_reported_red_months: String,
        pub divergence_above: String,
    }
}

impl RuleSetBody {
    /// The rule set it asks for (version, author and time left for the server), or every
    /// problem naming its field.
    pub fn parse(&self) -> Result<RuleSet, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            errors.push(FieldError::new("reason", "修改规则须说明原因"));
        } else if let Err(e) = crate::text::check(
            "reason",
            &reason,
            crate::report::MAX_REASON_CHARS,
            crate::text::Lines::Many,
        ) {
            errors.push(e);
        }
        let lag_mode = LagMode::from_key(self.lag_mode.trim()).unwrap_or_else(|| {
            errors.push(FieldError::new("lag_mode", "应为 points 或 relative"));
            LagMode::Points
        });
        let mut pct = |field: &str, raw: &str| match raw.trim().parse::<Percent>() {
            Ok(p) => p,
            Err(e) => {
                errors.push(FieldError::new(
                    field,
                    format!("{e}：应为百分数，如 10 或 12.5"),
                ));
                Percent::from_basis_points(0)
            }
        };
        let lag_yellow_from = pct("lag_yellow_from", &self.lag_yellow_from);
        let lag_red_above = pct("lag_red_above", &self.lag_red_above);
        let relative_yellow_up_to = pct("relative_yellow_up_to", &self.relative_yellow_up_to);
        let divergence_above = pct("divergence_above", &self.divergence_above);
        let mut whole = |field: &str, raw: &str| match raw.trim().parse::<i32>() {
            Ok(n) => n,
            Err(_) => {
                errors.push(FieldError::new(field, "应为整数"));
                1
            }
        };
        let start_lag_red_months = whole("start_lag_red_months", &self.start_lag_red_months);
        let report_deadline_day = whole("report_deadline_day", &self.report_deadline_day);
        let not_reported_red_months =
            whole("not_reported_red_months", &self.not_reported_red_months);
        let set = RuleSet {
            version: 0,
            lag_mode,
            lag_yellow_from,
            lag_red_above,
            relative_yellow_up_to,
            start_lag_red_months,
            report_deadline_day,
            not_reported_red_months,
            divergence_above,
            reason,
            created_by: String::new(),
            created_at: String::new(),
        };
        for e in set.problems() {
            if !errors.iter().any(|x| x.field == e.field) {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }
}

/// Points with two decimals and no sign, as the explanations print them.
fn points(bp: i64) -> String {
    Percent::from_basis_points(bp.abs()).to_string()
}

/// `"2025年6月"`
pub fn month_label(p: Period) -> String {
    format!("{}年{}月", p.year(), p.month())
}

/// The investment-lag arithmetic: its level and its explanation.
pub fn investment_lag(
    period: Period,
    expected: Percent,
    actual: Percent,
    rules: &RuleSet,
) -> (Level, String) {
    let gap = expected.basis_points() - actual.basis_points();
    let head = format!(
        "{}：序时进度 {expected}%，投资完成率 {actual}%，",
        month_label(period)
    );
    let lead = if gap > 0 {
        format!("落后 {} 个百分点", points(gap))
    } else if gap < 0 {
        format!("领先 {} 个百分点", points(gap))
    } else {
        "与序时进度持平".to_string()
    };
    match rules.lag_mode {
        LagMode::Points => {
            let (y, r) = (
                rules.lag_yellow_from.basis_points(),
                rules.lag_red_above.basis_points(),
            );
            let (level, band) = if gap > r {
                (Level::Red, format!("（>{}）", points(r)))
            } else if gap >= y {
                (Level::Yellow, format!("（{}–{}）", points(y), points(r)))
            } else {
                (Level::Green, format!("（<{}）", points(y)))
            };
            (level, format!("{head}{lead}{band}→ {}", level.label()))
        }
        LagMode::Relative => {
            let y = rules.relative_yellow_up_to.basis_points();
            if gap <= 0 || expected.basis_points() == 0 {
                return (
                    Level::Green,
                    format!("{head}{lead}→ {}", Level::Green.label()),
                );
            }
            // shortfall = gap / expected, in basis points, rounded half up (both positive)
            let e = expected.basis_points();
            let shortfall = (gap * 10_000 * 2 + e) / (e * 2);
            let level = if shortfall > y {
                Level::Red
            } else {
                Level::Yellow
            };
            let band = if level == Level::Red {
                format!("（>{}%）", points(y))
            } else {
                format!("（≤{}%）", points(y))
            };
            (
                level,
                format!(
                    "{head}{lead}，相对序时进度不足 {}%{band}→ {}",
                    points(shortfall),
                    level.label()
                ),
            )
        }
    }
}

/// Months from `from` to `to` (positive when `to` is later).
pub fn months_between(from: Period, to: Period) -> i32 {
    (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32
}

/// The month before `p`.
pub fn previous_month(p: Period) -> Option<Period> {
    if p.month() == 1 {
        Period::new(p.year() - 1, 12)
    } else {
        Period::new(p.year(), p.month() - 1)
    }
}

/// The month after `p`.
pub fn next_month(p: Period) -> Option<Period> {
    if p.month() == 12 {
        Period::new(p.year() + 1, 1)
    } else {
        Period::new(p.year(), p.month() + 1)
    }
}

/// The instant (UTC, RFC 3339 with milliseconds, as `submitted_at` is stored) by which a
/// report for `period` counts as on time: the end of day `deadline_day` of the next month,
/// China time, as 报送情况 reckons it (`timeliness::DueRule`, the one definition). A report
/// submitted strictly before it is on time.
pub fn report_deadline_utc(period: Period, deadline_day: i32) -> Option<String> {
    let day = u32::try_from(deadline_day.clamp(1, 28)).ok()?;
    crate::timeliness::DueRule::new(day)?.late_from(period)
}

/// Whether any of `submitted_at` (the month's reports' submission times) is by the deadline.
pub fn submitted_by_deadline<'a, I>(submitted_at: I, period: Period, deadline_day: i32) -> bool
where
    I: IntoIterator<Item = &'a str>,
{
    let Some(deadline) = report_deadline_utc(period, deadline_day) else {
        return false;
    };
    submitted_at.into_iter().any(|s| s < deadline.as_str())
}

wire! {
    /// One rule's verdict on one project for one month.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Warning {
        pub code: String,
        pub name: String,
        pub period: String,
        pub rule: RuleId,
        pub level: Level,
        /// Investment lag only: 序时进度 − 投资完成率, points (negative: ahead).
        pub gap: Option<Percent>,
        /// The rule-set version that produced it.
        pub rule_set_version: i32,
        /// The arithmetic, in Chinese, with the figures.
        pub explanation: String,
    }
}

/// 投资完成率 = 本年完成投资 / 年度计划投资; `None` when the plan is zero.
pub fn completion_rate(year_to_date: Money, planned: Money) -> Option<Percent> {
    Percent::ratio(year_to_date, planned)
}

wire! {
    /// 本年完成投资 for a month, and how it was found. `completed` is `None` when it cannot be
    /// known (never guessed as zero); `note` says why.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct YearToDate {
        pub period: String,
        /// 年度计划投资; `None` without a plan for the year.
        pub planned: Option<Money>,
        /// The approved 累计完成投资 at the month (the latest approved report of the year up
        /// to it).
        pub cumulative: Option<Money>,
        /// 上年末累计完成投资.
        pub baseline: Option<Money>,
        /// `report` (the latest approved report up to December of the previous year) or
        /// `plan` (the plan's baseline).
        pub baseline_source: Option<String>,
        /// 本年完成投资 = cumulative − baseline.
        pub completed: Option<Money>,
        /// 投资完成率 = completed / planned.
        pub completion_rate: Option<Percent>,
        /// 序时进度 for the month.
        pub expected_progress: Option<Percent>,
        pub note: String,
    }
}

wire! {
    /// `GET /api/warnings`: one page of the month's verdicts, by project code.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct WarningPage {
        pub period: String,
        pub rule_set_version: i32,
        pub items: Vec<Warning>,
        pub total: u64,
        pub page: u32,
        pub per_page: u32,
    }
}

wire! {
    /// How many projects of a group have each colour for the month (a project counts once,
    /// with its worst colour; `none`: no rule gave a colour, e.g. no plan for the year).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ColourCount {
        pub key: String,
        pub label: String,
        pub red: u64,
        pub yellow: u64,
        pub green: u64,
        pub none: u64,
    }
}

wire! {
    /// `GET /api/warnings/summary`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct WarningSummary {
        pub period: String,
        pub rule_set_version: i32,
        pub total: ColourCount,
        pub by_district: Vec<ColourCount>,
        pub by_category: Vec<ColourCount>,
    }
}

wire! {
    /// `GET /api/projects/{code}/warnings`: the month's 本年完成投资 and verdicts.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ProjectWarnings {
        pub code: String,
        pub period: String,
        pub rule_set_version: i32,
        pub year_to_date: YearToDate,
        pub warnings: Vec<Warning>,
    }
}

impl ColourCount {
    pub fn new(key: &str, label: &str) -> ColourCount {
        ColourCount {
            key: key.to_string(),
            label: label.to_string(),
            red: 0,
            yellow: 0,
            green: 0,
            none: 0,
        }
    }

    pub fn add(&mut self, colour: Option<Level>) {
        match colour {
            Some(Level::Red) => self.red += 1,
            Some(Level::Yellow) => self.yellow += 1,
            Some(Level::Green) => self.green += 1,
            Some(Level::Info) | None => self.none += 1,
        }
    }
}

/// A report as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFact {
    pub id: i64,
    pub period: Period,
    pub approved: bool,
    pub investment_completed: Money,
    pub physical_progress: Percent,
    pub status: ProgressStatus,
    /// UTC, RFC 3339 with milliseconds.
    pub submitted_at: String,
}

/// Everything the rules need about one project for one month.
#[derive(Debug, Clone)]
pub struct MonthFacts<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub period: Period,
    /// UTC, RFC 3339: deadlines after it have not passed.
    pub now: &'a str,
    pub total_investment: Money,
    /// The current plan for the month's year.
    pub plan: Option<&'a AnnualPlan>,
    /// The years the project has a plan for (it is then expected to report monthly).
    pub plan_years: &'a [i32],
    /// The project's reports, any order; those after the month are ignored.
    pub reports: &'a [ReportFact],
}

impl MonthFacts<'_> {
    /// The latest approved report with a month in `range`, latest month then latest id.
    fn latest_approved(&self, from: Option<Period>, to: Period) -> Option<&ReportFact> {
        self.reports
            .iter()
            .filter(|r| r.approved && r.period <= to && from.is_none_or(|f| r.period >= f))
            .max_by_key(|r| (r.period, r.id))
    }

    pub fn year_to_date(&self) -> YearToDate {
        let p = self.period;
        let planned = self.plan.map(|pl| pl.planned_investment);
        let expected_progress = self.plan.map(|pl| pl.expected_progress(p.month()));
        let jan = Period::new(p.year(), 1);
        let cumulative = self.latest_approved(jan, p).map(|r| r.investment_completed);
        let last_december = Period::new(p.year() - 1, 12);
        let (baseline, baseline_source) =
            match last_december.and_then(|d| self.latest_approved(None, d)) {
                Some(r) => (Some(r.investment_completed), Some("report".to_string())),
                None => match self.plan.and_then(|pl| pl.baseline_completed) {
                    Some(b) => (Some(b), Some("plan".to_string())),
                    None => (None, None),
                },
            };
        let completed = match (cumulative, baseline) {
            (Some(c), Some(b)) => c.checked_sub(b),
            _ => None,
        };
        let completion_rate = match (completed, planned) {
            (Some(c), Some(pl)) => completion_rate(c, pl),
            _ => None,
        };
        let note = match (planned, cumulative, baseline) {
            (None, _, _) => format!("{} 年无年度计划", p.year()),
            (_, None, _) => format!(
                "{}年1月至{}月无审核通过的月报，本年完成投资未知",
                p.year(),
                p.month()
            ),
            (_, _, None) => "无上年末累计完成投资（既无上年审核通过的月报，年度计划也未填基数），本年完成投资未知".to_string(),
            (Some(pl), Some(_), Some(_)) if pl == Money::ZERO => {
                "年度计划投资为 0，投资完成率无法计算".to_string()
            }
            _ => String::new(),
        };
        YearToDate {
            period: p.to_string(),
            planned,
            cumulative,
            baseline,
            baseline_source,
            completed,
            completion_rate,
            expected_progress,
            note,
        }
    }

    fn warning(
        &self,
        rules: &RuleSet,
        rule: RuleId,
        level: Level,
        gap: Option<Percent>,
        text: String,
    ) -> Warning {
        Warning {
            code: self.code.to_string(),
            name: self.name.to_string(),
            period: self.period.to_string(),
            rule,
            level,
            gap,
            rule_set_version: rules.version,
            explanation: text,
        }
    }

    /// Whether a report for `month` was submitted by its deadline; `None` while the deadline
    /// has not passed.
    fn on_time(&self, month: Period, rules: &RuleSet) -> Option<bool> {
        let deadline = report_deadline_utc(month, rules.report_deadline_day)?;
        if self.now < deadline.as_str() {
            return None;
        }
        Some(submitted_by_deadline(
            self.reports
                .iter()
                .filter(|r| r.period == month)
                .map(|r| r.submitted_at.as_str()),
            month,
            rules.report_deadline_day,
        ))
    }

    /// Every rule's verdict. Investment lag is given at every level (green included) when it
    /// can be computed; the other rules only when they fire.
    pub fn evaluate(&self, rules: &RuleSet) -> Vec<Warning> {
        let p = self.period;
        let label = month_label(p);
        let mut out = Vec::new();
        let ytd = self.year_to_date();
        if let (Some(expected), Some(actual)) = (ytd.expected_progress, ytd.completion_rate) {
            let (level, text) = investment_lag(p, expected, actual, rules);
            let gap = Percent::from_basis_points(expected.basis_points() - actual.basis_points());
            out.push(self.warning(rules, RuleId::InvestmentLag, level, Some(gap), text));
        }
        let latest = self.latest_approved(None, p);
        let status = latest.map(|r| r.status);
        if let Some(start) = self.plan.and_then(|pl| pl.milestone(MilestoneKind::Start))
            && p > start
            && matches!(status, None | Some(ProgressStatus::NotStarted))
        {
            let late = months_between(start, p);
            let level = if late >= rules.start_lag_red_months {
                Level::Red
            } else {
                Level::Yellow
            };
            let why = match status {
                None => "无审核通过的月报，视为未开工",
                Some(_) => "最近审核通过的月报状态为未开工",
            };
            out.push(self.warning(
                rules,
                RuleId::StartLag,
                level,
                None,
                format!(
                    "{label}：计划 {} 开工，{why}，已滞后 {late} 个月（满 {} 个月为红色）→ {}",
                    month_label(start),
                    rules.start_lag_red_months,
                    level.label()
                ),
            ));
        }
        if let Some(end) = self
            .plan
            .and_then(|pl| pl.milestone(MilestoneKind::Completion))
            && p > end
            && status != Some(ProgressStatus::Completed)
        {
            let now = status.map_or("无审核通过的月报", |s| s.label());
            out.push(self.warning(
                rules,
                RuleId::CompletionLag,
                Level::Red,
                None,
                format!(
                    "{label}：计划 {} 竣工，已过 {} 个月，建设状态：{now} → {}",
                    month_label(end),
                    months_between(end, p),
                    Level::Red.label()
                ),
            ));
        }
        if self.plan_years.contains(&p.year()) && self.on_time(p, rules) == Some(false) {
            let mut missed = 1;
            let mut m = p;
            while missed < rules.not_reported_red_months {
                match previous_month(m) {
                    Some(prev)
                        if self.plan_years.contains(&prev.year())
                            && self.on_time(prev, rules) == Some(false) =>
                    {
                        missed += 1;
                        m = prev;
                    }
                    _ => break,
                }
            }
            let level = if missed >= rules.not_reported_red_months {
                Level::Red
            } else {
                Level::Yellow
            };
            let deadline = next_month(p).map_or(String::new(), |n| {
                format!(
                    "{}年{}月{}日",
                    n.year(),
                    n.month(),
                    rules.report_deadline_day
                )
            });
            out.push(self.warning(
                rules,
                RuleId::NotReported,
                level,
                None,
                format!(
                    "{label}：截至 {deadline} 未报送月报，已连续 {missed} 个月（连续 {} 个月为红色）→ {}",
                    rules.not_reported_red_months,
                    level.label()
                ),
            ));
        }
        if let Some(r) = latest
            && let Some(inv) = Percent::ratio(r.investment_completed, self.total_investment)
        {
            let diff = r.physical_progress.basis_points() - inv.basis_points();
            if diff.abs() > rules.divergence_above.basis_points() {
                out.push(self.warning(
                    rules,
                    RuleId::Divergence,
                    Level::Info,
                    None,
                    format!(
                        "{label}：形象进度 {}%，投资进度（累计完成投资/总投资）{inv}%，相差 {} 个百分点（>{}）→ {}",
                        r.physical_progress,
                        points(diff),
                        rules.divergence_above,
                        Level::Info.label()
                    ),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::expected_progress;

    fn pct(s: &str) -> Percent {
        s.parse().expect("percent")
    }

    #[test]
    fn jiangmen_january_to_march_is_5_90_points_ahead() {
        let p: Period = "2023-03".parse().expect("period");
        let expected = expected_progress(None, None, 3);
        assert_eq!(expected, pct("25.00"));
        let (level, text) = investment_lag(p, expected, pct("30.90"), &RuleSet::defaults());
        assert_eq!(level, Level::Green);
        assert!(text.contains("领先 5.90 个百分点"), "{text}");
    }

    #[test]
    fn dazhou_january_to_october_is_8_33_points_behind() {
        let p: Period = "2023-10".parse().expect("period");
        let expected = expected_progress(None, None, 10);
        assert_eq!(expected, pct("83.33"));
        let (level, text) = investment_lag(p, expected, pct("75"), &RuleSet::defaults());
        assert_eq!(level, Level::Green);
        assert_eq!(
            text,
            "2023年10月：序时进度 83.33%，投资完成率 75.00%，落后 8.33 个百分点（<10.00）→ 绿色"
        );
    }

    #[test]
    fn the_issues_example_reads_as_written() {
        let p: Period = "2025-06".parse().expect("period");
        let (level, text) = investment_lag(p, pct("50"), pct("32"), &RuleSet::defaults());
        assert_eq!(level, Level::Yellow);
        assert_eq!(
            text,
            "2025年6月：序时进度 50.00%，投资完成率 32.00%，落后 18.00 个百分点（10.00–30.00）→ 黄色"
        );
    }

    #[test]
    fn the_bands_meet_at_10_and_30_points() {
        let p: Period = "2025-06".parse().expect("period");
        let r = RuleSet::defaults();
        let level = |actual: &str| investment_lag(p, pct("50"), pct(actual), &r).0;
        assert_eq!(level("40.01"), Level::Green); // 9.99 behind
        assert_eq!(level("40"), Level::Yellow); // 10
        assert_eq!(level("20"), Level::Yellow); // 30
        assert_eq!(level("19.99"), Level::Red); // 30.01
    }

    #[test]
    fn the_relative_mode_measures_the_shortfall_against_the_expected_figure() {
        let p: Period = "2025-06".parse().expect("period");
        let r = RuleSet {
            lag_mode: LagMode::Relative,
            ..RuleSet::defaults()
        };
        let (level, text) = investment_lag(p, pct("50"), pct("25"), &r);
        assert_eq!(level, Level::Yellow, "{text}");
        assert!(text.contains("不足 50.00%"), "{text}");
        assert_eq!(investment_lag(p, pct("50"), pct("24.99"), &r).0, Level::Red);
        assert_eq!(investment_lag(p, pct("50"), pct("50"), &r).0, Level::Green);
    }

    #[test]
    fn the_deadline_is_the_end_of_the_fifth_of_the_next_month_china_time() {
        let p: Period = "2024-12".parse().expect("period");
        assert_eq!(
            report_deadline_utc(p, 5).as_deref(),
            Some("2025-01-05T16:00:00.000Z")
        );
        assert!(submitted_by_deadline(["2025-01-05T15:59:59.999Z"], p, 5));
        assert!(!submitted_by_deadline(["2025-01-05T16:00:00.000Z"], p, 5));
        assert!(!submitted_by_deadline([], p, 5));
    }

    #[test]
    fn the_default_rule_set_is_valid_and_a_bad_one_is_named() {
        assert!(RuleSet::defaults().problems().is_empty());
        let bad = RuleSet {
            lag_yellow_from: pct("40"),
            report_deadline_day: 31,
            ..RuleSet::defaults()
        };
        let fields: Vec<_> = bad.problems().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["lag_red_above", "report_deadline_day"]);
    }

    fn report(period: &str, at: &str, approved: bool, completed: &str) -> ReportFact {
        ReportFact {
            id: 1,
            period: period.parse().expect("period"),
            approved,
            investment_completed: completed.parse().expect("money"),
            physical_progress: pct("40"),
            status: ProgressStatus::InProgress,
            submitted_at: at.to_string(),
        }
    }

    fn a_plan() -> AnnualPlan {
        AnnualPlan {
            year: 2024,
            version: 1,
            planned_investment: "1000".parse().expect("money"),
            social_investment: Money::ZERO,
            target_progress_pct: None,
            content: String::new(),
            baseline_completed: Some("100".parse().expect("money")),
            milestones: Vec::new(),
            monthly_breakdown: None,
            reason: "r".into(),
            over_total_reason: None,
            created_by: "li".into(),
            created_at: String::new(),
            etag: String::new(),
        }
    }

    #[test]
    fn a_report_by_the_deadline_is_on_time_and_one_after_it_is_not() {
        let plan = a_plan();
        let rules = RuleSet::defaults();
        let judge = |reports: &[ReportFact]| {
            MonthFacts {
                code: "B09",
                name: "n",
                period: "2024-06".parse().expect("period"),
                now: "2026-12-05T00:00:00.000Z",
                total_investment: "5000".parse().expect("money"),
                plan: Some(&plan),
                plan_years: &[2024],
                reports,
            }
            .evaluate(&rules)
            .into_iter()
            .filter(|w| w.rule == RuleId::NotReported)
            .map(|w| w.level)
            .collect::<Vec<_>>()
        };
        let may = report("2024-05", "2024-06-03T01:00:00.000Z", true, "400");
        let on_time = report("2024-06", "2024-07-05T15:59:59.999Z", true, "420");
        let late = report("2024-06", "2024-07-05T16:00:00.000Z", true, "420");
        assert_eq!(judge(&[may.clone(), on_time]), []);
        assert_eq!(judge(&[may.clone(), late]), [Level::Yellow]);
        assert_eq!(judge(&[]), [Level::Red]);
    }

    #[test]
    fn a_month_before_the_deadline_is_not_judged_on_reporting() {
        let plan = a_plan();
        let facts = MonthFacts {
            code: "B09",
            name: "n",
            period: "2024-06".parse().expect("period"),
            now: "2024-07-05T15:00:00.000Z",
            total_investment: "5000".parse().expect("money"),
            plan: Some(&plan),
            plan_years: &[2024],
            reports: &[],
        };
        assert!(facts.evaluate(&RuleSet::defaults()).is_empty());
    }

    #[test]
    fn the_year_to_date_takes_the_latest_approved_report_of_the_year_only() {
        let plan = a_plan();
        let reports = [
            report("2023-12", "x", true, "300"),
            report("2024-02", "x", true, "350"),
            report("2024-05", "x", false, "999"),
            report("2024-07", "x", true, "999"),
        ];
        let facts = MonthFacts {
            code: "B09",
            name: "n",
            period: "2024-06".parse().expect("period"),
            now: "2026-01-01T00:00:00.000Z",
            total_investment: "5000".parse().expect("money"),
            plan: Some(&plan),
            plan_years: &[2024],
            reports: &reports,
        };
        let y = facts.year_to_date();
        assert_eq!(
            (y.cumulative, y.baseline, y.completed),
            (
                Some("350".parse().expect("m")),
                Some("300".parse().expect("m")),
                Some("50".parse().expect("m"))
            )
        );
        assert_eq!(y.baseline_source.as_deref(), Some("report"));
        assert_eq!(y.completion_rate, Some(pct("5")));
    }
}
