//! `GET /api/warnings?period=2025-06&level=red&rule=investment_lag&district=yuhu&page=1` and
//! `GET /api/warnings/summary?period=2025-06`: the month (required), the project filters of
//! the list, and for the list the warning's level and rule and paging.

use super::filter::{FilterParams, ProjectFilter};
use super::parse::{Parser, params, per_page_within, positive, set, unless_default};
use crate::dates::Period;
use crate::problem::FieldError;
use crate::warning::{Level, RuleId};

pub const MAX_WARNINGS_PER_PAGE: u32 = 500;
pub const DEFAULT_WARNINGS_PER_PAGE: u32 = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningQuery {
    pub filter: ProjectFilter,
    /// `None` only while parsing: `from_pairs` requires it.
    pub period: Option<Period>,
    pub level: Option<Level>,
    pub rule: Option<RuleId>,
    pub page: u32,
    pub per_page: u32,
}

impl Default for WarningQuery {
    fn default() -> Self {
        WarningQuery {
            filter: ProjectFilter::default(),
            period: None,
            level: None,
            rule: None,
            page: 1,
            per_page: DEFAULT_WARNINGS_PER_PAGE,
        }
    }
}

pub(crate) fn period(s: &str) -> Result<Option<Period>, String> {
    s.parse::<Period>()
        .map(Some)
        .map_err(|()| "应为年月，格式 YYYY-MM，如 2025-06".to_string())
}

pub(crate) fn keyed<T: Copy>(
    s: &str,
    what: &str,
    all: &[T],
    key: impl Fn(T) -> &'static str,
) -> Result<Option<T>, String> {
    all.iter()
        .copied()
        .find(|v| key(*v) == s)
        .map(Some)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|v| key(*v)).collect();
            format!("未知的{what}；可选: {}", names.join(", "))
        })
}

params! {
    /// The month, first among the warnings' own parameters.
    PeriodParams for WarningQuery {
        "period" {
            read: |q, s| set(&mut q.period, period(s)),
            write: |q| q.period.map(|p| p.to_string()),
        }
    }
}

params! {
    /// The list's own parameters, after the filters and the month.
    WarningParams for WarningQuery {
        "level" {
            read: |q, s| set(&mut q.level, keyed(s, "预警等级", Level::ALL, Level::key)),
            write: |q| q.level.map(|l| l.key().to_string()),
        }
        "rule" {
            read: |q, s| set(&mut q.rule, keyed(s, "预警规则", RuleId::ALL, RuleId::key)),
            write: |q| q.rule.map(|r| r.key().to_string()),
        }
        "page" {
            read: |q, s| set(&mut q.page, positive(s)),
            write: |q| unless_default(q.page, 1),
        }
        "per_page" {
            read: |q, s| set(&mut q.per_page, per_page_within(s, MAX_WARNINGS_PER_PAGE)),
            write: |q| unless_default(q.per_page, DEFAULT_WARNINGS_PER_PAGE),
        }
    }
}

impl WarningQuery {
    /// The list's query: filters, `period` (required), `level`, `rule`, paging.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let keys = [FilterParams::KEYS, PeriodParams::KEYS, WarningParams::KEYS].concat();
        Self::read(pairs, &keys, true)
    }

    /// The summary's query: filters and `period` (required).
    pub fn summary_from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let keys = [FilterParams::KEYS, PeriodParams::KEYS].concat();
        Self::read(pairs, &keys, false)
    }

    /// One project's query: `period` (required) and nothing else.
    pub fn period_from_pairs(pairs: &[(String, String)]) -> Result<Period, Vec<FieldError>> {
        let mut p = Parser::new(pairs, PeriodParams::KEYS);
        let mut q = WarningQuery::default();
        PeriodParams::read(&mut p, &mut q);
        if p.raw("period").is_none() {
            p.error("period", "必须指定月份，格式 YYYY-MM");
        }
        p.finish(q).and_then(|q| {
            q.period
                .ok_or_else(|| vec![FieldError::new("period", "必须指定月份，格式 YYYY-MM")])
        })
    }

    fn read(
        pairs: &[(String, String)],
        keys: &[&str],
        list: bool,
    ) -> Result<Self, Vec<FieldError>> {
        let mut p = Parser::new(pairs, keys);
        let mut q = WarningQuery::default();
        FilterParams::read(&mut p, &mut q.filter);
        PeriodParams::read(&mut p, &mut q);
        if list {
            WarningParams::read(&mut p, &mut q);
        }
        if p.raw("period").is_none() {
            p.error("period", "必须指定月份，格式 YYYY-MM");
        }
        p.finish(q)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.filter.to_pairs();
        PeriodParams::write(self, &mut out);
        WarningParams::write(self, &mut out);
        out
    }
}

/// The project list's `warning` filter: the project's colour for the month (its worst of
/// red, yellow and green), or `none` when no rule gave one (no plan for the year, or
/// nothing known).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourFilter {
    Red,
    Yellow,
    Green,
    None,
}

impl ColourFilter {
    pub const ALL: &'static [ColourFilter] = &[
        ColourFilter::Red,
        ColourFilter::Yellow,
        ColourFilter::Green,
        ColourFilter::None,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ColourFilter::Red => "red",
            ColourFilter::Yellow => "yellow",
            ColourFilter::Green => "green",
            ColourFilter::None => "none",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ColourFilter::Red => "红色预警",
            ColourFilter::Yellow => "黄色预警",
            ColourFilter::Green => "绿色",
            ColourFilter::None => "未评定",
        }
    }

    /// Whether a project of `colour` (`None`: no colour) passes.
    pub fn matches(self, colour: Option<Level>) -> bool {
        match self {
            ColourFilter::Red => colour == Some(Level::Red),
            ColourFilter::Yellow => colour == Some(Level::Yellow),
            ColourFilter::Green => colour == Some(Level::Green),
            ColourFilter::None => {
                !matches!(colour, Some(Level::Red | Level::Yellow | Level::Green))
            }
        }
    }

    pub(crate) fn parse_param(s: &str) -> Result<Option<ColourFilter>, String> {
        keyed(s, "预警颜色", ColourFilter::ALL, ColourFilter::key)
    }
}

/// The month the project list's `warning` filter and `sort=gap` judge when the query names
/// none: the current reporting month, i.e. the month before `today` (China time) — the last
/// month whose reports are due, as the 预警 page shows by default.
pub fn current_reporting_month(today: Period) -> Option<Period> {
    crate::warning::previous_month(today)
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{fields, owned, pairs};
    use super::*;

    #[test]
    fn the_month_is_required_and_strict() {
        assert_eq!(fields(WarningQuery::from_pairs(&pairs(&[]))), ["period"]);
        assert_eq!(
            fields(WarningQuery::from_pairs(&pairs(&[("period", "2025-6")]))),
            ["period"]
        );
        assert_eq!(
            fields(WarningQuery::summary_from_pairs(&pairs(&[
                ("period", "2025-06"),
                ("level", "red")
            ]))),
            ["level"]
        );
    }

    #[test]
    fn a_query_survives_a_round_trip_through_its_pairs() {
        let q = WarningQuery::from_pairs(&pairs(&[
            ("district", "yuhu"),
            ("period", "2025-06"),
            ("level", "yellow"),
            ("rule", "investment_lag"),
            ("page", "2"),
        ]))
        .expect("valid");
        assert_eq!(q.level, Some(Level::Yellow));
        assert_eq!(WarningQuery::from_pairs(&owned(q.to_pairs())), Ok(q));
        assert_eq!(
            fields(WarningQuery::from_pairs(&pairs(&[
                ("period", "2025-06"),
                ("level", "purple"),
                ("rule", "x")
            ]))),
            ["level", "rule"]
        );
    }
}
