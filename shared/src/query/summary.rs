//! `GET /api/summary`: the filters and the one grouping the totals are broken down by.

use super::filter::{FilterParams, ProjectFilter};
use super::parse::{Parser, params, set};
use crate::problem::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    District,
    Category,
    Nature,
    StartYear,
    EndYear,
}

impl GroupBy {
    pub const ALL: &'static [GroupBy] = &[
        GroupBy::District,
        GroupBy::Category,
        GroupBy::Nature,
        GroupBy::StartYear,
        GroupBy::EndYear,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            GroupBy::District => "district",
            GroupBy::Category => "category",
            GroupBy::Nature => "nature",
            GroupBy::StartYear => "start_year",
            GroupBy::EndYear => "end_year",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryQuery {
    pub filter: ProjectFilter,
    pub group_by: GroupBy,
}

params! {
    /// The summary's own parameter, after the filters. It is required, so always written.
    SummaryParams for SummaryQuery {
        "group_by" {
            read: |q, s| {
                let found = GroupBy::ALL.iter().copied().find(|g| g.key() == s);
                set(
                    &mut q.group_by,
                    found.ok_or_else(|| {
                        let names: Vec<_> = GroupBy::ALL.iter().map(|g| g.key()).collect();
                        format!("未知的分组；可选: {}", names.join(", "))
                    }),
                )
            },
            write: |q| Some(q.group_by.key().to_string()),
        }
    }
}

impl SummaryQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Parser::new(pairs, &[FilterParams::KEYS, SummaryParams::KEYS].concat());
        let mut q = SummaryQuery {
            filter: ProjectFilter::default(),
            group_by: GroupBy::District,
        };
        FilterParams::read(&mut p, &mut q.filter);
        SummaryParams::read(&mut p, &mut q);
        if p.raw("group_by").is_none() {
            p.error("group_by", "必须指定分组");
        }
        p.finish(q)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.filter.to_pairs();
        SummaryParams::write(self, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{assert_unique, fields, owned, pairs};
    use super::*;
    use crate::vocab::Category;

    #[test]
    fn summary_requires_a_known_group() {
        assert!(SummaryQuery::from_pairs(&pairs(&[])).is_err());
        assert!(SummaryQuery::from_pairs(&pairs(&[("group_by", "colour")])).is_err());
        let s = SummaryQuery::from_pairs(&pairs(&[("group_by", "start_year")])).expect("valid");
        assert_eq!(s.group_by, GroupBy::StartYear);
        assert_eq!(
            fields(SummaryQuery::from_pairs(&pairs(&[("group_by", "")]))),
            ["group_by"]
        );
    }

    #[test]
    fn a_summary_survives_a_round_trip_through_its_pairs() {
        for &group_by in GroupBy::ALL {
            let mut q = SummaryQuery {
                filter: ProjectFilter::default(),
                group_by,
            };
            q.filter.category = Some(Category::ChildWelfare);
            let back = owned(q.to_pairs());
            assert_eq!(back.last().map(|(k, _)| k.as_str()), Some("group_by"));
            assert_eq!(SummaryQuery::from_pairs(&back), Ok(q));
        }
        assert_unique(&[FilterParams::KEYS, SummaryParams::KEYS]);
    }
}
