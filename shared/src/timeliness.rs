//! 催报: when a month's report is due, which submission counts, and whether it came on time.
//! One definition, used by the server's 报送情况 and ranking, by the web app's "what is due"
//! and (through `DueRule`) by the warnings' "not reported" rule.
//!
//! **The deadline.** A month's report is due by the end of the `due_day` (default 5) of the
//! next month, in China time (UTC+8, no daylight saving): the owners, the finance office and
//! the 调度 meeting all keep Beijing time, so "by the 5th" means midnight in Xiangtan, not in
//! UTC. The November 2026 report is on time up to 2026-12-05 23:59:59.999 +08:00, i.e. before
//! `2026-12-05T16:00:00.000Z`.
//!
//! **Which submission counts.** The first report submitted for the month that finance did
//! not return. A correction submitted later never makes an on-time month late (the first
//! one still counts, whether it was approved, is pending or was corrected). A report that
//! finance returned does not count: it was judged not acceptable, and counting it would let a
//! placeholder sent on the 5th make any month on time; its resubmission's time counts, so a
//! month returned and resubmitted after the deadline is late.

use std::fmt;
use std::str::FromStr;

use crate::dates::{CalendarDate, Period};
use crate::money::Percent;
use crate::vocab::{UnknownValue, vocabulary};
use crate::wire::wire;

/// The day of the next month by which a month's report is due, unless a rule set says other.
pub const DEFAULT_DUE_DAY: u32 = 5;
/// Beijing time's offset from UTC, in hours.
pub const CHINA_UTC_OFFSET_HOURS: u32 = 8;

vocabulary! {
    /// How a project's report for a month stands against its deadline; `due`: nothing
    /// counted yet, and the deadline has not passed.
    Timeliness {
        OnTime = "on_time", "按时报送";
        Late = "late", "逾期报送";
        NotReported = "not_reported", "未报送";
        Due = "due", "待报送";
    }
}

/// The deadline rule: a month's report is due by the end of day `due_day` of the next
/// month, China time. `due_day` is 1-28, so that every month has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueRule {
    due_day: u32,
}

impl Default for DueRule {
    fn default() -> Self {
        DueRule {
            due_day: DEFAULT_DUE_DAY,
        }
    }
}

impl DueRule {
    pub fn new(due_day: u32) -> Option<DueRule> {
        (1..=28).contains(&due_day).then_some(DueRule { due_day })
    }

    pub fn due_day(self) -> u32 {
        self.due_day
    }

    /// The last day a month's report is on time (China time).
    pub fn due_date(self, period: Period) -> Option<CalendarDate> {
        let next = add_months(period, 1)?;
        CalendarDate::from_ymd(next.year(), next.month(), self.due_day)
    }

    /// The first instant that is late, as a stored UTC stamp (`2026-12-05T16:00:00.000Z`):
    /// midnight after the due day in China is 16:00 UTC of the same date. Stored stamps have
    /// one fixed width, so a submission is on time when its stamp sorts before this.
    pub fn late_from(self, period: Period) -> Option<String> {
        let d = self.due_date(period)?;
        Some(format!("{d}T{:02}:00:00.000Z", 24 - CHINA_UTC_OFFSET_HOURS))
    }

    /// The deadline as people read it: `2026年12月5日24时（北京时间）`.
    pub fn label(self, period: Period) -> String {
        match add_months(period, 1) {
            Some(next) => format!(
                "{}年{}月{}日24时（北京时间）",
                next.year(),
                next.month(),
                self.due_day
            ),
            None => String::new(),
        }
    }

    /// Whether the month's deadline has passed at `now` (a stored UTC stamp).
    pub fn is_over(self, period: Period, now: &str) -> bool {
        self.late_from(period).is_some_and(|l| now >= l.as_str())
    }

    /// How the month stands at `now`, given the stamp of the submission that counts
    /// (`counting_submission`).
    pub fn classify(self, period: Period, counted: Option<&str>, now: &str) -> Timeliness {
        let Some(late_from) = self.late_from(period) else {
            return Timeliness::NotReported;
        };
        match counted {
            Some(at) if at < late_from.as_str() => Timeliness::OnTime,
            Some(_) => Timeliness::Late,
            None if now >= late_from.as_str() => Timeliness::NotReported,
            None => Timeliness::Due,
        }
    }
}

/// Of a month's submissions, given as (submitted at, returned by finance), the one that
/// counts: the earliest that was not returned.
pub fn counting_submission<'a>(
    submissions: impl IntoIterator<Item = (&'a str, bool)>,
) -> Option<&'a str> {
    submissions
        .into_iter()
        .filter(|(_, returned)| !returned)
        .map(|(at, _)| at)
        .min()
}

/// The month `n` months after `p` (before it for negative `n`).
pub fn add_months(p: Period, n: i32) -> Option<Period> {
    let index = p.year() * 12 + i32::try_from(p.month()).ok()? - 1 + n;
    Period::new(
        index.div_euclid(12),
        u32::try_from(index.rem_euclid(12)).ok()? + 1,
    )
}

/// The months `from..=until`, oldest first.
pub fn months(from: Period, until: Period) -> Vec<Period> {
    let mut out = Vec::new();
    let mut p = Some(from);
    while let Some(m) = p.filter(|m| *m <= until) {
        out.push(m);
        p = add_months(m, 1);
    }
    out
}

/// The latest month whose deadline has passed at `now` (a stored UTC stamp).
pub fn last_month_over(rule: DueRule, today: CalendarDate, now: &str) -> Option<Period> {
    let previous = add_months(today.period(), -1)?;
    if rule.is_over(previous, now) {
        Some(previous)
    } else {
        add_months(previous, -1)
    }
}

/// A stored UTC stamp (`2026-12-05T15:59:59.999Z`) as Beijing time to the second
/// (`2026-12-05 23:59:59`), for people and spreadsheets; `None` for another shape.
pub fn china_time(stamp: &str) -> Option<String> {
    use chrono::{Datelike, NaiveDate, TimeDelta, Timelike};
    let b = stamp.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[10] != b'T' || !stamp.ends_with('Z') {
        return None;
    }
    let n = |r: std::ops::Range<usize>| stamp.get(r)?.parse::<u32>().ok();
    let year = i32::try_from(n(0..4)?).ok()?;
    let t = NaiveDate::from_ymd_opt(year, n(5..7)?, n(8..10)?)?
        .and_hms_opt(n(11..13)?, n(14..16)?, n(17..19)?)?
        .checked_add_signed(TimeDelta::hours(i64::from(CHINA_UTC_OFFSET_HOURS)))?;
    Some(format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

/// `part / whole` as a percentage with two decimals, rounded half up; `None` when whole is 0.
pub fn rate(part: u64, whole: u64) -> Option<Percent> {
    if whole == 0 {
        return None;
    }
    let bp = (u128::from(part) * 20_000 + u128::from(whole)) / (2 * u128::from(whole));
    i64::try_from(bp).ok().map(Percent::from_basis_points)
}

wire! {
    /// One project's report for the month.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct TimelinessProject {
        pub code: String,
        pub name: String,
        pub status: Timeliness,
        /// UTC, RFC 3339: when the report that counts was submitted.
        pub submitted_at: Option<String>,
        /// That report's id.
        pub report_id: Option<i64>,
    }
}

wire! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct TimelinessCounts {
        pub projects: u64,
        pub on_time: u64,
        pub late: u64,
        pub not_reported: u64,
        pub due: u64,
    }
}

impl TimelinessCounts {
    pub fn add(&mut self, t: Timeliness) {
        self.projects += 1;
        match t {
            Timeliness::OnTime => self.on_time += 1,
            Timeliness::Late => self.late += 1,
            Timeliness::NotReported => self.not_reported += 1,
            Timeliness::Due => self.due += 1,
        }
    }
}

wire! {
    /// An owner organisation's projects for the month.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct TimelinessOrganisation {
        pub id: i64,
        pub name: String,
        pub counts: TimelinessCounts,
        pub projects: Vec<TimelinessProject>,
    }
}

wire! {
    /// `GET /api/timeliness?period=YYYY-MM`: 报送情况 for a month.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct TimelinessMonth {
        pub period: String,
        /// The last day on time, China time, `YYYY-MM-DD`.
        pub due_date: String,
        /// The first late instant, UTC, RFC 3339.
        pub late_from: String,
        /// e.g. `2026年12月5日24时（北京时间）`
        pub deadline_label: String,
        /// Whether the deadline has passed; until then nothing is "not reported", only due.
        pub over: bool,
        /// Every project once, whatever the number of its owners.
        pub totals: TimelinessCounts,
        pub organisations: Vec<TimelinessOrganisation>,
    }
}

wire! {
    /// One organisation in the ranking.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RankingEntry {
        /// 1 for the first; every organisation has its own place (see the tie rule).
        pub rank: u32,
        pub id: i64,
        pub name: String,
        pub projects: u64,
        /// Reports that were due in months that are over (projects × months).
        pub expected: u64,
        pub on_time: u64,
        pub late: u64,
        pub not_reported: u64,
        /// on_time / expected; `None` when nothing was due.
        pub on_time_rate_pct: Option<Percent>,
    }
}

wire! {
    /// `GET /api/timeliness/ranking`: organisations by on-time rate over a run of months.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Ranking {
        pub from: String,
        pub until: String,
        /// Months in the window whose deadline has passed: only those count.
        pub months_over: Vec<String>,
        /// How ties are broken, in words.
        pub tie_rule: String,
        pub items: Vec<RankingEntry>,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DueMonth {
        pub period: String,
        pub due_date: String,
        pub deadline_label: String,
    }
}

wire! {
    /// A project's months still to report.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DueProject {
        pub code: String,
        pub name: String,
        /// Months of the last twelve that are over with no report counted, oldest first.
        pub overdue: Vec<String>,
        /// Months whose deadline has not passed and that have no report yet.
        pub open: Vec<DueMonth>,
    }
}

wire! {
    /// `GET /api/timeliness/due`: what the caller's organisation still has to report.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DueList {
        /// Today in China, `YYYY-MM-DD`.
        pub today: String,
        /// The nearest deadline of a month still open, if any.
        pub next_deadline: Option<DueMonth>,
        pub projects: Vec<DueProject>,
    }
}

impl DueMonth {
    pub fn of(rule: DueRule, period: Period) -> DueMonth {
        DueMonth {
            period: period.to_string(),
            due_date: rule
                .due_date(period)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            deadline_label: rule.label(period),
        }
    }
}

/// `a/b` against `c/d`, exactly; a share of nothing (`b == 0`) comes after any share.
fn by_share(a: u64, b: u64, c: u64, d: u64) -> std::cmp::Ordering {
    match (b, d) {
        (0, 0) => std::cmp::Ordering::Equal,
        (0, _) => std::cmp::Ordering::Less,
        (_, 0) => std::cmp::Ordering::Greater,
        _ => (u128::from(a) * u128::from(d)).cmp(&(u128::from(c) * u128::from(b))),
    }
}

/// The ranking's order, every place decided: a higher on-time rate first (compared exactly,
/// not as rounded; an organisation with nothing due last); on equal rates, a higher share
/// reported at all (late beats never); then more reports due (the same record over a longer
/// run); then the organisation's name in code-point order.
pub fn ranking_order(a: &RankingEntry, b: &RankingEntry) -> std::cmp::Ordering {
    by_share(b.on_time, b.expected, a.on_time, a.expected)
        .then(by_share(
            b.on_time + b.late,
            b.expected,
            a.on_time + a.late,
            a.expected,
        ))
        .then(b.expected.cmp(&a.expected))
        .then(a.name.cmp(&b.name))
}

pub const TIE_RULE: &str = "按时报送率高者在前（按精确比值比较）；相同时已报送（含逾期）比例高者在前；再相同时应报数多者在前；最后按单位名称排序";

impl fmt::Display for DueRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "次月{}日24时（北京时间）前报送", self.due_day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().expect("a month")
    }

    #[test]
    fn november_is_due_by_the_end_of_the_fifth_of_december_in_china() {
        let r = DueRule::default();
        assert_eq!(
            r.late_from(p("2026-11")).as_deref(),
            Some("2026-12-05T16:00:00.000Z")
        );
        assert_eq!(r.label(p("2026-11")), "2026年12月5日24时（北京时间）");
        assert_eq!(
            r.late_from(p("2025-12")).as_deref(),
            Some("2026-01-05T16:00:00.000Z")
        );
        let ten = DueRule::new(10).expect("a day");
        assert_eq!(
            ten.late_from(p("2024-01")).as_deref(),
            Some("2024-02-10T16:00:00.000Z")
        );
        assert_eq!(DueRule::new(0), None);
        assert_eq!(DueRule::new(29), None);
    }

    #[test]
    fn one_millisecond_decides_on_time_and_late() {
        let r = DueRule::default();
        let now = "2027-01-01T00:00:00.000Z";
        let m = p("2026-11");
        assert_eq!(
            r.classify(m, Some("2026-12-05T15:59:59.999Z"), now),
            Timeliness::OnTime
        );
        assert_eq!(
            r.classify(m, Some("2026-12-05T16:00:00.000Z"), now),
            Timeliness::Late
        );
        assert_eq!(r.classify(m, None, now), Timeliness::NotReported);
        assert_eq!(
            r.classify(m, None, "2026-12-05T15:59:59.999Z"),
            Timeliness::Due
        );
        assert_eq!(
            r.classify(m, None, "2026-12-05T16:00:00.000Z"),
            Timeliness::NotReported
        );
    }

    #[test]
    fn the_first_submission_not_returned_counts() {
        let subs = [
            ("2026-12-03T01:00:00.000Z", true),
            ("2026-12-09T01:00:00.000Z", false),
            ("2026-12-20T01:00:00.000Z", false),
        ];
        assert_eq!(counting_submission(subs), Some("2026-12-09T01:00:00.000Z"));
        assert_eq!(
            counting_submission([("2026-12-03T01:00:00.000Z", true)]),
            None
        );
    }

    #[test]
    fn months_step_across_years() {
        assert_eq!(add_months(p("2026-01"), -1), Some(p("2025-12")));
        assert_eq!(add_months(p("2025-12"), 1), Some(p("2026-01")));
        assert_eq!(add_months(p("2026-11"), -11), Some(p("2025-12")));
        assert_eq!(months(p("2025-11"), p("2026-02")).len(), 4);
        assert!(months(p("2026-02"), p("2025-11")).is_empty());
    }

    #[test]
    fn the_last_month_over_turns_at_the_deadline() {
        let r = DueRule::default();
        let today = CalendarDate::from_ymd(2026, 12, 5).expect("a day");
        assert_eq!(
            last_month_over(r, today, "2026-12-05T15:59:59.999Z"),
            Some(p("2026-10"))
        );
        let today = CalendarDate::from_ymd(2026, 12, 6).expect("a day");
        assert_eq!(
            last_month_over(r, today, "2026-12-05T16:00:00.000Z"),
            Some(p("2026-11"))
        );
    }

    fn entry(name: &str, expected: u64, on_time: u64, late: u64) -> RankingEntry {
        RankingEntry {
            rank: 0,
            id: 0,
            name: name.into(),
            projects: 1,
            expected,
            on_time,
            late,
            not_reported: expected - on_time - late,
            on_time_rate_pct: rate(on_time, expected),
        }
    }

    #[test]
    fn the_ranking_breaks_every_tie_by_its_rule() {
        let mut v = [
            entry("丙", 0, 0, 0),
            entry("乙", 3, 0, 0),
            entry("甲", 3, 0, 1),
            entry("丁", 6, 2, 0),
            entry("戊", 3, 1, 0),
            entry("己", 2, 1, 0),
            entry("庚", 2, 1, 0),
            entry("辛", 9, 0, 0),
        ];
        v.sort_by(ranking_order);
        let names: Vec<&str> = v.iter().map(|e| e.name.as_str()).collect();
        // 1/2 before 1/3; 丁 2/6 = 戊 1/3, both none late: more due first; 甲 reported late;
        // 辛 and 乙 reported nothing: more due first; 丙 had nothing due
        assert_eq!(names, ["己", "庚", "丁", "戊", "甲", "辛", "乙", "丙"]);
    }

    #[test]
    fn stamps_read_in_beijing_time() {
        assert_eq!(
            china_time("2026-12-05T15:59:59.999Z").as_deref(),
            Some("2026-12-05 23:59:59")
        );
        assert_eq!(
            china_time("2026-12-31T16:00:00.000Z").as_deref(),
            Some("2027-01-01 00:00:00")
        );
        assert_eq!(china_time("yesterday"), None);
    }

    #[test]
    fn rates_round_half_up_to_two_decimals() {
        assert_eq!(rate(2, 3).map(|r| r.to_string()), Some("66.67".into()));
        assert_eq!(rate(1, 3).map(|r| r.to_string()), Some("33.33".into()));
        assert_eq!(rate(1, 8).map(|r| r.to_string()), Some("12.50".into()));
        assert_eq!(rate(0, 0), None);
    }
}
