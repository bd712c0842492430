//! `GET /api/timeliness?period=YYYY-MM` and `GET /api/timeliness/ranking?months=12&until=YYYY-MM`
//! (and their exports): which month, and which run of months.

use super::parse::{Parser, params, set, unless_default};
use crate::dates::Period;
use crate::problem::FieldError;

/// The ranking's default run of months, and the longest one: the plan's five years.
pub const DEFAULT_RANKING_MONTHS: u32 = 12;
pub const MAX_RANKING_MONTHS: u32 = 60;

fn month(s: &str) -> Result<Option<Period>, String> {
    s.parse()
        .map(Some)
        .map_err(|()| "应为年月，格式 YYYY-MM，如 2026-11".to_string())
}

/// The month of 报送情况; `None`: the month before the current one (China time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelinessQuery {
    pub period: Option<Period>,
}

params! {
    TimelinessParams for TimelinessQuery {
        "period" {
            read: |q, s| set(&mut q.period, month(s)),
            write: |q| q.period.map(|p| p.to_string()),
        }
    }
}

impl TimelinessQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Parser::new(pairs, TimelinessParams::KEYS);
        let mut q = TimelinessQuery::default();
        TimelinessParams::read(&mut p, &mut q);
        p.finish(q)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        TimelinessParams::write(self, &mut out);
        out
    }
}

/// The ranking's window: `months` months ending with `until` (`None`: the latest month whose
/// deadline has passed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankingQuery {
    pub months: u32,
    pub until: Option<Period>,
}

impl Default for RankingQuery {
    fn default() -> Self {
        RankingQuery {
            months: DEFAULT_RANKING_MONTHS,
            until: None,
        }
    }
}

params! {
    RankingParams for RankingQuery {
        "months" {
            read: |q, s| {
                let n = s.parse::<u32>().ok().filter(|n| (1..=MAX_RANKING_MONTHS).contains(n));
                set(
                    &mut q.months,
                    n.ok_or_else(|| format!("应为 1 到 {MAX_RANKING_MONTHS} 之间的整数")),
                )
            },
            write: |q| unless_default(q.months, DEFAULT_RANKING_MONTHS),
        }
        "until" {
            read: |q, s| set(&mut q.until, month(s)),
            write: |q| q.until.map(|p| p.to_string()),
        }
    }
}

impl RankingQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Parser::new(pairs, RankingParams::KEYS);
        let mut q = RankingQuery::default();
        RankingParams::read(&mut p, &mut q);
        p.finish(q)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        RankingParams::write(self, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{fields, owned, pairs};
    use super::*;

    #[test]
    fn a_month_and_a_window_are_read_and_written_back() {
        let q = TimelinessQuery::from_pairs(&pairs(&[("period", "2026-11")])).expect("valid");
        assert_eq!(TimelinessQuery::from_pairs(&owned(q.to_pairs())), Ok(q));
        let r = RankingQuery::from_pairs(&pairs(&[("months", "6"), ("until", "2025-12")]))
            .expect("valid");
        assert_eq!(r.months, 6);
        assert_eq!(RankingQuery::from_pairs(&owned(r.to_pairs())), Ok(r));
    }

    #[test]
    fn bad_values_are_named() {
        assert_eq!(
            fields(TimelinessQuery::from_pairs(&pairs(&[(
                "period", "2026-13"
            )]))),
            ["period"]
        );
        for bad in ["0", "61", "x", "-1"] {
            assert_eq!(
                fields(RankingQuery::from_pairs(&pairs(&[("months", bad)]))),
                ["months"],
                "{bad}"
            );
        }
        assert_eq!(
            fields(RankingQuery::from_pairs(&pairs(&[("until", "2026")]))),
            ["until"]
        );
    }
}
