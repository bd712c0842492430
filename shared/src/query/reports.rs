//! `GET /api/reports?state=submitted&project=B09&page=1&per_page=100`: the review queue.

use super::parse::{
    Parser, at_most, one_of, params, per_page_within, positive, set, unless_default,
};
use crate::problem::FieldError;
use crate::vocab::ReportState;

pub const MAX_REPORTS_PER_PAGE: u32 = 500;
/// The longest `project` code the queue is narrowed to, in characters.
pub const MAX_REPORT_PROJECT_LEN: usize = 20;
pub const DEFAULT_REPORTS_PER_PAGE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportQuery {
    pub state: Option<ReportState>,
    /// A project code.
    pub project: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

impl Default for ReportQuery {
    fn default() -> Self {
        ReportQuery {
            state: None,
            project: None,
            page: 1,
            per_page: DEFAULT_REPORTS_PER_PAGE,
        }
    }
}

params! {
    ReportParams for ReportQuery {
        "state" {
            read: |q, s| {
                set(
                    &mut q.state,
                    one_of(
                        s,
                        "审核状态",
                        ReportState::ALL.iter().map(|s| s.key()),
                        ", ",
                    ),
                )
            },
            write: |q| q.state.map(|s| s.key().to_string()),
        }
        "project" {
            read: |q, s| {
                let code = at_most(s, MAX_REPORT_PROJECT_LEN, "项目编号过长")?;
                set(&mut q.project, Ok(Some(code.trim().to_string())))
            },
            write: |q| q.project.clone(),
        }
        "page" {
            read: |q, s| set(&mut q.page, positive(s)),
            write: |q| unless_default(q.page, 1),
        }
        "per_page" {
            read: |q, s| set(&mut q.per_page, per_page_within(s, MAX_REPORTS_PER_PAGE)),
            write: |q| unless_default(q.per_page, DEFAULT_REPORTS_PER_PAGE),
        }
    }
}

impl ReportQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Parser::new(pairs, ReportParams::KEYS);
        let mut q = ReportQuery::default();
        ReportParams::read(&mut p, &mut q);
        p.finish(q)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        ReportParams::write(self, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{assert_unique, fields, owned, pairs};
    use super::*;

    #[test]
    fn a_report_query_survives_a_round_trip_through_its_pairs() {
        let q = ReportQuery {
            state: Some(ReportState::ALL[0]),
            project: Some("B09".into()),
            page: 2,
            per_page: MAX_REPORTS_PER_PAGE,
        };
        assert_eq!(ReportQuery::from_pairs(&owned(q.to_pairs())), Ok(q));
        assert_eq!(ReportQuery::default().to_pairs(), []);
        assert_eq!(ReportQuery::from_pairs(&[]), Ok(ReportQuery::default()));
        assert_unique(&[ReportParams::KEYS]);
    }

    #[test]
    fn a_bad_report_query_names_each_parameter() {
        let r = ReportQuery::from_pairs(&pairs(&[
            ("state", "lost"),
            ("project", &"B".repeat(21)),
            ("page", "0"),
            ("per_page", "501"),
            ("district", "yuhu"),
        ]));
        assert_eq!(
            fields(r),
            ["district", "state", "project", "page", "per_page"]
        );
    }
}
