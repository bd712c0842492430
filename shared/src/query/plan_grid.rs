//! `GET /api/plans?year=2025&district=yuhu&page=1`: the 年度计划 grid's year (required), the
//! project list's filters, and paging.

use super::filter::{FilterParams, ProjectFilter};
use super::parse::{Parser, params, per_page_within, positive, set, unless_default};
use crate::plan::PLAN_YEARS;
use crate::problem::FieldError;

pub const MAX_PLAN_GRID_PER_PAGE: u32 = 500;
pub const DEFAULT_PLAN_GRID_PER_PAGE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanGridQuery {
    pub filter: ProjectFilter,
    /// `None` only while parsing: `from_pairs` requires it.
    pub year: Option<i32>,
    pub page: u32,
    pub per_page: u32,
}

impl Default for PlanGridQuery {
    fn default() -> Self {
        PlanGridQuery {
            filter: ProjectFilter::default(),
            year: None,
            page: 1,
            per_page: DEFAULT_PLAN_GRID_PER_PAGE,
        }
    }
}

fn plan_year(s: &str) -> Result<Option<i32>, String> {
    s.parse::<i32>()
        .ok()
        .filter(|y| PLAN_YEARS.contains(y))
        .map(Some)
        .ok_or_else(|| {
            format!(
                "年度应为 {}-{} 之间的四位数字，如 2025",
                PLAN_YEARS.start(),
                PLAN_YEARS.end()
            )
        })
}

params! {
    /// The grid's own parameters, after the filters.
    PlanGridParams for PlanGridQuery {
        "year" {
            read: |q, s| set(&mut q.year, plan_year(s)),
            write: |q| q.year.map(|y| y.to_string()),
        }
        "page" {
            read: |q, s| set(&mut q.page, positive(s)),
            write: |q| unless_default(q.page, 1),
        }
        "per_page" {
            read: |q, s| set(&mut q.per_page, per_page_within(s, MAX_PLAN_GRID_PER_PAGE)),
            write: |q| unless_default(q.per_page, DEFAULT_PLAN_GRID_PER_PAGE),
        }
    }
}

impl PlanGridQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let keys = [FilterParams::KEYS, PlanGridParams::KEYS].concat();
        let mut p = Parser::new(pairs, &keys);
        let mut q = PlanGridQuery::default();
        FilterParams::read(&mut p, &mut q.filter);
        PlanGridParams::read(&mut p, &mut q);
        if p.raw("year").is_none() {
            p.error("year", "必须指定年度，如 2025");
        }
        p.finish(q)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.filter.to_pairs();
        PlanGridParams::write(self, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{fields, owned, pairs};
    use super::*;

    #[test]
    fn the_year_is_required_and_within_the_plan_years() {
        assert_eq!(fields(PlanGridQuery::from_pairs(&pairs(&[]))), ["year"]);
        for bad in ["2019", "2031", "25", "二〇二五"] {
            assert_eq!(
                fields(PlanGridQuery::from_pairs(&pairs(&[("year", bad)]))),
                ["year"],
                "{bad}"
            );
        }
    }

    #[test]
    fn a_query_survives_a_round_trip_through_its_pairs() {
        let q = PlanGridQuery::from_pairs(&pairs(&[
            ("district", "yuhu"),
            ("year", "2025"),
            ("page", "2"),
            ("per_page", "500"),
        ]))
        .expect("valid");
        assert_eq!(q.year, Some(2025));
        assert_eq!(PlanGridQuery::from_pairs(&owned(q.to_pairs())), Ok(q));
        assert_eq!(
            fields(PlanGridQuery::from_pairs(&pairs(&[
                ("year", "2025"),
                ("per_page", "501")
            ]))),
            ["per_page"]
        );
    }
}
