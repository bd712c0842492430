//! Annual investment plans (年度投资计划): what a planner enters for a project and a year, how
//! it is checked, and the expected progress (序时进度) it gives each month.
//!
//! Every amount is exact (`Money`), every share integer hundredths of a percent (`Percent`).

use crate::dates::Period;
use crate::money::{Money, Percent};
use crate::problem::FieldError;
use crate::report::MAX_REASON_CHARS;
use crate::text::{self, Lines};
use crate::wire::wire;

/// The body of `PUT /api/projects/{code}/plans/{year}`: exactly these names.
pub const PLAN_FIELDS: &[&str] = &[
    "reason",
    "planned_investment",
    "social_investment",
    "target_progress_pct",
    "content",
    "baseline_completed",
    "milestones",
    "monthly_breakdown",
    "over_total_reason",
];

/// The years a plan may be for (besides lying within the project's own span).
pub const PLAN_YEARS: std::ops::RangeInclusive<i32> = 2020..=2030;
pub const MAX_CONTENT_CHARS: usize = 2000;
pub const MAX_MILESTONES: usize = 20;
pub const MAX_MILESTONE_NAME_CHARS: usize = 50;

wire! {
    /// What a milestone marks. `other` carries its own name.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum MilestoneKind {
        /// 开工
        Start = "start",
        /// 主体封顶
        ToppingOut = "topping_out",
        /// 竣工
        Completion = "completion",
        /// a free-named milestone
        Other = "other",
    }
}

impl MilestoneKind {
    pub fn label(self) -> &'static str {
        match self {
            MilestoneKind::Start => "开工",
            MilestoneKind::ToppingOut => "主体封顶",
            MilestoneKind::Completion => "竣工",
            MilestoneKind::Other => "其他",
        }
    }
}

wire! {
    /// A planned milestone: its kind, its name (the kind's Chinese label unless `other`) and
    /// the planned month, `YYYY-MM`, within the plan's year.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Milestone {
        pub kind: MilestoneKind,
        pub name: String,
        pub month: String,
    }
}

wire! {
    /// A milestone as typed: `kind` is `start`, `topping_out`, `completion` or `other` (or
    /// 开工, 主体封顶, 竣工); `name` is required for `other`.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct MilestoneBody {
        pub kind: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        pub month: String,
    }
}

wire! {
    /// An annual plan as typed into the form; `parse` checks it.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct PlanBody {
        /// Why this revision (调整原因); required, kept with the revision and in the audit trail.
        pub reason: String,
        /// 年度计划投资, 万元, from 0 to the ceiling `"100000000.00"`.
        pub planned_investment: String,
        /// Its social part, 万元, at most the planned investment; `"0"` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub social_investment: Option<String>,
        /// Year-end 形象进度 target, %, 0-100.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub target_progress_pct: Option<String>,
        /// 年度建设内容
        #[serde(default)]
        pub content: String,
        /// 上年末累计完成投资, 万元: the baseline for 本年完成投资 where no approved report of an
        /// earlier month exists.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub baseline_completed: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub milestones: Vec<MilestoneBody>,
        /// Twelve cumulative shares of the year's plan due by the end of each month, January
        /// first, in %: non-decreasing, the last 100. Absent: progress is linear.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub monthly_breakdown: Option<Vec<String>>,
        /// Required when the plans of all years would add up to more than 总投资.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub over_total_reason: Option<String>,
    }
}

/// A checked plan, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanValues {
    pub reason: String,
    pub planned_investment: Money,
    pub social_investment: Money,
    pub target_progress: Option<Percent>,
    pub content: String,
    pub baseline_completed: Option<Money>,
    pub milestones: Vec<Milestone>,
    pub monthly_breakdown: Option<Vec<Percent>>,
    pub over_total_reason: Option<String>,
}

/// What checking a plan needs beyond the body: the project's span of years, its 总投资, and
/// the sum of its current plans for the other years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanContext {
    pub first_year: i32,
    pub last_year: i32,
    pub total_investment: Money,
    pub other_years_planned: Money,
}

/// Why `year` may not have a plan, if it may not.
pub fn year_problem(year: i32, ctx: &PlanContext) -> Option<String> {
    if !PLAN_YEARS.contains(&year) {
        return Some(format!(
            "年度应在 {}-{} 年之间",
            PLAN_YEARS.start(),
            PLAN_YEARS.end()
        ));
    }
    if year < ctx.first_year || year > ctx.last_year {
        return Some(format!(
            "{year} 年不在项目工期（{}-{} 年）内",
            ctx.first_year, ctx.last_year
        ));
    }
    None
}

fn amount(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<Money> {
    if raw.trim().is_empty() {
        errors.push(FieldError::new(field, "必填"));
        return None;
    }
    Money::parse_amount(raw)
        .map_err(|e| errors.push(FieldError::new(field, e)))
        .ok()
}

fn percent(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<Percent> {
    match raw.trim().parse::<Percent>() {
        Ok(p) if (0..=10_000).contains(&p.basis_points()) => Some(p),
        Ok(_) => {
            errors.push(FieldError::new(field, "应在 0 到 100 之间"));
            None
        }
        Err(e) => {
            errors.push(FieldError::new(
                field,
                format!("{e}：应为 0 到 100 的百分数，如 25 或 25.5"),
            ));
            None
        }
    }
}

fn milestone(
    errors: &mut Vec<FieldError>,
    i: usize,
    m: &MilestoneBody,
    year: i32,
) -> Option<Milestone> {
    let kind = match m.kind.trim() {
        "开工" => Some(MilestoneKind::Start),
        "主体封顶" => Some(MilestoneKind::ToppingOut),
        "竣工" => Some(MilestoneKind::Completion),
        k => MilestoneKind::from_key(k),
    };
    let Some(kind) = kind else {
        errors.push(FieldError::new(
            format!("milestones[{i}].kind"),
            "应为 start（开工）、topping_out（主体封顶）、completion（竣工）或 other（其他）",
        ));
        return None;
    };
    let name = match (kind, m.name.as_deref().map(str::trim)) {
        (MilestoneKind::Other, None | Some("")) => {
            errors.push(FieldError::new(
                format!("milestones[{i}].name"),
                "其他节点须填写名称",
            ));
            return None;
        }
        (MilestoneKind::Other, Some(n)) => {
            if let Some(p) = text::problem(n, MAX_MILESTONE_NAME_CHARS, Lines::One) {
                errors.push(FieldError::new(format!("milestones[{i}].name"), p));
                return None;
            }
            n.to_string()
        }
        (k, _) => k.label().to_string(),
    };
    let field = format!("milestones[{i}].month");
    match m.month.trim().parse::<Period>() {
        Ok(p) if p.year() == year => Some(Milestone {
            kind,
            name,
            month: p.to_string(),
        }),
        Ok(_) => {
            errors.push(FieldError::new(field, format!("计划月份应在 {year} 年内")));
            None
        }
        Err(()) => {
            errors.push(FieldError::new(field, "应为年月，格式 YYYY-MM，如 2025-03"));
            None
        }
    }
}

fn breakdown(errors: &mut Vec<FieldError>, raw: &[String]) -> Option<Vec<Percent>> {
    const FIELD: &str = "monthly_breakdown";
    if raw.len() != 12 {
        errors.push(FieldError::new(
            FIELD,
            format!("应为 12 个月的累计占比（1-12 月），实为 {} 个", raw.len()),
        ));
        return None;
    }
    let before = errors.len();
    let shares: Vec<Percent> = raw
        .iter()
        .enumerate()
        .filter_map(|(i, s)| percent(errors, &format!("{FIELD}[{i}]"), s))
        .collect();
    if errors.len() > before {
        return None;
    }
    if let Some(i) = shares.windows(2).position(|w| w[1] < w[0]) {
        errors.push(FieldError::new(
            FIELD,
            format!(
                "累计占比不能下降：{} 月 {}%，{} 月 {}%",
                i + 1,
                shares[i],
                i + 2,
                shares[i + 1]
            ),
        ));
        return None;
    }
    if shares[11].basis_points() != 10_000 {
        errors.push(FieldError::new(
            FIELD,
            format!("12 月的累计占比应为 100%，实为 {}%", shares[11]),
        ));
        return None;
    }
    Some(shares)
}

impl PlanBody {
    pub fn validate(&self, year: i32, ctx: &PlanContext) -> Vec<FieldError> {
        self.parse(year, ctx).err().unwrap_or_default()
    }

    /// Every problem, one per field, in Chinese; or the plan ready to store.
    pub fn parse(&self, year: i32, ctx: &PlanContext) -> Result<PlanValues, Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(m) = year_problem(year, ctx) {
            errors.push(FieldError::new("year", m));
        }
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            errors.push(FieldError::new("reason", "须说明编制或调整的原因"));
        } else if let Err(e) = text::check("reason", &reason, MAX_REASON_CHARS, Lines::Many) {
            errors.push(e);
        }
        let planned = amount(&mut errors, "planned_investment", &self.planned_investment);
        let social = match self.social_investment.as_deref().map(str::trim) {
            None | Some("") => Some(Money::ZERO),
            Some(s) => amount(&mut errors, "social_investment", s),
        };
        if let (Some(p), Some(s)) = (planned, social)
            && s > p
        {
            errors.push(FieldError::new(
                "social_investment",
                format!("社会投资 {s} 万元不能超过年度计划投资 {p} 万元"),
            ));
        }
        let target_progress = match self.target_progress_pct.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => percent(&mut errors, "target_progress_pct", s),
        };
        let content = self.content.trim().to_string();
        if let Err(e) = text::check("content", &content, MAX_CONTENT_CHARS, Lines::Many) {
            errors.push(e);
        }
        let baseline_completed = match self.baseline_completed.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => amount(&mut errors, "baseline_completed", s),
        };
        if self.milestones.len() > MAX_MILESTONES {
            errors.push(FieldError::new(
                "milestones",
                format!("最多 {MAX_MILESTONES} 个节点"),
            ));
        }
        let milestones: Vec<Milestone> = self
            .milestones
            .iter()
            .take(MAX_MILESTONES)
            .enumerate()
            .filter_map(|(i, m)| milestone(&mut errors, i, m, year))
            .collect();
        for kind in [
            MilestoneKind::Start,
            MilestoneKind::ToppingOut,
            MilestoneKind::Completion,
        ] {
            if milestones.iter().filter(|m| m.kind == kind).count() > 1 {
                errors.push(FieldError::new(
                    "milestones",
                    format!("“{}”节点只能有一个", kind.label()),
                ));
            }
        }
        let monthly_breakdown = self
            .monthly_breakdown
            .as_deref()
            .and_then(|b| breakdown(&mut errors, b));
        let over_total_reason = match self.over_total_reason.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(r) => match text::check("over_total_reason", r, MAX_REASON_CHARS, Lines::Many) {
                Ok(()) => Some(r.to_string()),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        if let Some(p) = planned {
            let sum = ctx.other_years_planned.checked_add(p);
            let over = sum.is_none_or(|s| s > ctx.total_investment);
            if over && over_total_reason.is_none() {
                errors.push(FieldError::new(
                    "planned_investment",
                    format!(
                        "各年度计划投资合计 {} 万元将超过项目总投资 {} 万元；如确需超出，请填写“超总投资原因”（over_total_reason）",
                        sum.map_or_else(|| "—".to_string(), |s| s.to_string()),
                        ctx.total_investment
                    ),
                ));
            }
        }
        match (planned, social) {
            (Some(planned_investment), Some(social_investment)) if errors.is_empty() => {
                Ok(PlanValues {
                    reason,
                    planned_investment,
                    social_investment,
                    target_progress,
                    content,
                    baseline_completed,
                    milestones,
                    monthly_breakdown,
                    over_total_reason,
                })
            }
            _ => Err(errors),
        }
    }
}

wire! {
    /// One revision of a project's plan for a year. The current plan is the newest revision.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct AnnualPlan {
        pub year: i32,
        /// 1 for the first plan of the year, +1 per 调整.
        pub version: i32,
        pub planned_investment: Money,
        pub social_investment: Money,
        pub target_progress_pct: Option<Percent>,
        pub content: String,
        pub baseline_completed: Option<Money>,
        pub milestones: Vec<Milestone>,
        /// Cumulative % due by the end of each month, January first; `None`: linear.
        pub monthly_breakdown: Option<Vec<Percent>>,
        pub reason: String,
        pub over_total_reason: Option<String>,
        pub created_by: String,
        /// UTC, RFC 3339.
        pub created_at: String,
        /// What `PUT` needs as `If-Match` to revise this year's plan.
        pub etag: String,
    }
}

wire! {
    /// A project's plans: the current one of each year, every revision, and the checks.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ProjectPlans {
        pub code: String,
        pub total_investment: Money,
        /// "十四五"计划投资
        pub planned_investment: Money,
        /// The years a plan may be for: the project's span within 2020-2030.
        pub first_year: i32,
        pub last_year: i32,
        /// The newest revision of each year, by year.
        pub plans: Vec<AnnualPlan>,
        /// Every revision, newest first.
        pub history: Vec<AnnualPlan>,
        /// The sum of the current plans.
        pub plans_total: Money,
    }
}

/// The ETag of a project's plan for a year, at a version (`0`: no plan yet, so the first
/// `PUT` sends `"plan-B09-2025-v0"`).
pub fn plan_etag(code: &str, year: i32, version: i32) -> String {
    format!("\"plan-{code}-{year}-v{version}\"")
}

impl AnnualPlan {
    /// The planned 开工 month, when it falls in this plan's year.
    pub fn milestone(&self, kind: MilestoneKind) -> Option<Period> {
        self.milestones
            .iter()
            .find(|m| m.kind == kind)
            .and_then(|m| m.month.parse().ok())
    }

    /// 序时进度 at the end of `month` (1-12) of the plan's year.
    pub fn expected_progress(&self, month: u32) -> Percent {
        expected_progress(
            self.monthly_breakdown.as_deref(),
            self.milestone(MilestoneKind::Start).map(Period::month),
            month,
        )
    }
}

/// 序时进度: the share of the year's plan due by the end of `month` (1-12). Where a monthly
/// breakdown is given it is that month's cumulative share. Otherwise it is linear from the
/// planned start month (the 开工 milestone of the year, else January) to December: nothing
/// before the start month, then an equal share per month, 100 % in December. Rounded half
/// away from zero to 0.01 %.
pub fn expected_progress(
    breakdown: Option<&[Percent]>,
    start_month: Option<u32>,
    month: u32,
) -> Percent {
    let month = month.clamp(1, 12);
    if let Some(b) = breakdown
        && let Some(p) = b.get(month as usize - 1)
    {
        return *p;
    }
    let start = start_month.unwrap_or(1).clamp(1, 12);
    if month < start {
        return Percent::from_basis_points(0);
    }
    let elapsed = i64::from(month - start + 1);
    let span = i64::from(13 - start);
    // elapsed / span × 10000 basis points, rounded half up (both positive)
    Percent::from_basis_points((elapsed * 10_000 * 2 + span) / (span * 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> PlanContext {
        PlanContext {
            first_year: 2021,
            last_year: 2025,
            total_investment: "1000".parse().expect("money"),
            other_years_planned: "600".parse().expect("money"),
        }
    }

    fn body() -> PlanBody {
        PlanBody {
            reason: "年初编制".into(),
            planned_investment: "300".into(),
            ..Default::default()
        }
    }

    fn fields(b: &PlanBody, year: i32) -> Vec<String> {
        b.validate(year, &ctx())
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_plan_with_a_reason_and_an_amount_is_accepted() {
        let v = body().parse(2024, &ctx()).expect("valid");
        assert_eq!(v.planned_investment.to_string(), "300.00");
        assert_eq!(v.social_investment, Money::ZERO);
    }

    #[test]
    fn the_year_must_be_in_the_projects_span_and_2020_2030() {
        assert_eq!(fields(&body(), 2026), ["year"]);
        assert_eq!(fields(&body(), 2020), ["year"]);
        let wide = PlanContext {
            first_year: 2015,
            last_year: 2035,
            ..ctx()
        };
        assert!(
            body().validate(2031, &wide)[0]
                .message
                .contains("2020-2030")
        );
        assert!(body().validate(2030, &wide).is_empty());
    }

    #[test]
    fn a_milestone_month_must_lie_in_the_year() {
        let b = PlanBody {
            milestones: vec![
                MilestoneBody {
                    kind: "开工".into(),
                    name: None,
                    month: "2024-03".into(),
                },
                MilestoneBody {
                    kind: "completion".into(),
                    name: None,
                    month: "2025-01".into(),
                },
                MilestoneBody {
                    kind: "other".into(),
                    name: None,
                    month: "2024-13".into(),
                },
            ],
            ..body()
        };
        assert_eq!(
            fields(&b, 2024),
            ["milestones[1].month", "milestones[2].name"]
        );
    }

    #[test]
    fn a_breakdown_must_not_fall_and_must_end_at_100() {
        let mut b = body();
        let mut shares: Vec<String> = (1..=12).map(|m| format!("{}", m * 8)).collect();
        shares[11] = "100".into();
        b.monthly_breakdown = Some(shares.clone());
        assert!(b.validate(2024, &ctx()).is_empty());
        shares[5] = "10".into();
        b.monthly_breakdown = Some(shares.clone());
        assert_eq!(fields(&b, 2024), ["monthly_breakdown"]);
        let mut short = shares[..11].to_vec();
        short[5] = "48".into();
        b.monthly_breakdown = Some(short);
        assert_eq!(fields(&b, 2024), ["monthly_breakdown"]);
        let mut not_full: Vec<String> = (1..=12).map(|m| format!("{}", m * 8)).collect();
        not_full[11] = "99.99".into();
        b.monthly_breakdown = Some(not_full);
        assert!(b.validate(2024, &ctx())[0].message.contains("100%"));
    }

    #[test]
    fn going_past_the_total_needs_a_reason() {
        let mut b = body();
        b.planned_investment = "400.01".into();
        assert_eq!(fields(&b, 2024), ["planned_investment"]);
        b.over_total_reason = Some("追加建设内容".into());
        assert!(b.validate(2024, &ctx()).is_empty());
        b.planned_investment = "400".into();
        b.over_total_reason = None;
        assert!(b.validate(2024, &ctx()).is_empty());
    }

    #[test]
    fn amounts_text_and_social_part_are_checked() {
        let b = PlanBody {
            reason: " ".into(),
            planned_investment: "1.234".into(),
            social_investment: Some("-1".into()),
            target_progress_pct: Some("101".into()),
            content: "a\u{202E}b".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(&b, 2024),
            [
                "reason",
                "planned_investment",
                "social_investment",
                "target_progress_pct",
                "content"
            ]
        );
        let b = PlanBody {
            social_investment: Some("300.01".into()),
            ..body()
        };
        assert_eq!(fields(&b, 2024), ["social_investment"]);
    }

    #[test]
    fn linear_progress_starts_at_the_planned_start_month() {
        let p = |start, m| expected_progress(None, start, m).to_string();
        assert_eq!(p(None, 3), "25.00");
        assert_eq!(p(None, 10), "83.33");
        assert_eq!(p(None, 12), "100.00");
        // 开工 in July: nothing due before, then sixths
        assert_eq!(p(Some(7), 6), "0.00");
        assert_eq!(p(Some(7), 7), "16.67");
        assert_eq!(p(Some(7), 9), "50.00");
        assert_eq!(p(Some(7), 12), "100.00");
    }

    #[test]
    fn a_breakdown_overrides_the_line() {
        let b: Vec<Percent> = [0, 0, 5, 10, 20, 30, 45, 60, 70, 80, 90, 100]
            .iter()
            .map(|v| Percent::from_basis_points(v * 100))
            .collect();
        assert_eq!(expected_progress(Some(&b), Some(1), 3).to_string(), "5.00");
        assert_eq!(expected_progress(Some(&b), None, 12).to_string(), "100.00");
    }
}
