//! 预算: a year's annual plans against 本年完成投资, per district and per category
//! (`GET /api/budget?year=`).

use crate::money::{Money, Percent};
use crate::wire::wire;

wire! {
    /// One group's year: the projects with a plan for it, the sum of their plans, and the
    /// sum of their 本年完成投资 where it is known.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct BudgetGroup {
        /// A district or category key, `unassigned`, or `total`.
        pub key: String,
        pub label: String,
        /// Projects with a plan for the year.
        pub projects: u64,
        /// 年度计划投资, summed.
        pub planned: Money,
        /// 本年完成投资 summed over the projects where it is known; `None` when it is known for
        /// none of them (never shown as 0).
        pub completed: Option<Money>,
        /// Projects whose 本年完成投资 is unknown (no approved report in the year, or no
        /// baseline): not counted in `completed`.
        pub unknown: u64,
        /// completed / planned, only when every project's figure is known.
        pub completion_rate: Option<Percent>,
    }
}

wire! {
    /// `GET /api/budget?year=`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Budget {
        pub year: i32,
        /// The month 本年完成投资 is taken at: December of the year (no report can be for a
        /// month to come, so this is every approved report of the year so far).
        pub as_of: String,
        /// In the plan's order of districts, `unassigned` last; only those with a plan.
        pub by_district: Vec<BudgetGroup>,
        pub by_category: Vec<BudgetGroup>,
        pub total: BudgetGroup,
    }
}

/// Sums one group exactly; `None` from `finish` only on i64 overflow (see `Money::sum`).
#[derive(Debug, Clone, Default)]
pub struct BudgetTally {
    projects: u64,
    planned: Vec<Money>,
    completed: Vec<Money>,
    unknown: u64,
}

impl BudgetTally {
    pub fn add(&mut self, planned: Money, completed: Option<Money>) {
        self.projects += 1;
        self.planned.push(planned);
        match completed {
            Some(c) => self.completed.push(c),
            None => self.unknown += 1,
        }
    }

    pub fn finish(&self, key: &str, label: &str) -> Option<BudgetGroup> {
        let planned = Money::sum(self.planned.iter().copied())?;
        let completed = if self.completed.is_empty() {
            None
        } else {
            Some(Money::sum(self.completed.iter().copied())?)
        };
        let completion_rate = match completed {
            Some(c) if self.unknown == 0 => Percent::ratio(c, planned),
            _ => None,
        };
        Some(BudgetGroup {
            key: key.to_string(),
            label: label.to_string(),
            projects: self.projects,
            planned,
            completed,
            unknown: self.unknown,
            completion_rate,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().expect("amount")
    }

    #[test]
    fn the_rate_needs_every_figure_and_unknown_is_never_zero() {
        let mut t = BudgetTally::default();
        t.add(m("100"), Some(m("25")));
        t.add(m("300"), Some(m("75")));
        let g = t.finish("k", "K").expect("sums");
        assert_eq!((g.planned, g.completed), (m("400"), Some(m("100"))));
        assert_eq!(
            g.completion_rate.map(|p| p.to_string()),
            Some("25.00".into())
        );
        t.add(m("100"), None);
        let g = t.finish("k", "K").expect("sums");
        assert_eq!((g.unknown, g.completion_rate), (1, None));
        let mut none = BudgetTally::default();
        none.add(m("100"), None);
        assert_eq!(none.finish("k", "K").expect("sums").completed, None);
    }

    #[test]
    fn sums_past_the_ceiling_stay_exact() {
        let mut t = BudgetTally::default();
        for _ in 0..3 {
            t.add(Money::MAX, Some(Money::MAX));
        }
        let g = t.finish("k", "K").expect("sums");
        assert_eq!(g.planned.cents(), 3 * Money::MAX.cents());
    }
}
