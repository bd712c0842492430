//! `GET /api/export/projects.{csv,xlsx}`: the list's filters and sort, every matching row,
//! no paging.

use super::filter::{FilterParams, ProjectFilter};
use super::list::ListQuery;
use super::parse::{Parser, params, set, unless_default};
use super::sort::Sort;
use crate::problem::FieldError;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportQuery {
    pub filter: ProjectFilter,
    pub sort: Sort,
}

params! {
    /// The export's own parameter, after the filters.
    ExportParams for ExportQuery {
        "sort" {
            read: |q, s| set(&mut q.sort, Sort::parse_param(s)),
            write: |q| unless_default(q.sort, Sort::default()),
        }
    }
}

/// The export of the list on screen: its filters and sort, without its page.
impl From<&ListQuery> for ExportQuery {
    fn from(list: &ListQuery) -> Self {
        ExportQuery {
            filter: list.filter.clone(),
            sort: list.sort,
        }
    }
}

impl ExportQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Parser::new(pairs, &[FilterParams::KEYS, ExportParams::KEYS].concat());
        let mut q = ExportQuery::default();
        FilterParams::read(&mut p, &mut q.filter);
        ExportParams::read(&mut p, &mut q);
        p.finish(q)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.filter.to_pairs();
        ExportParams::write(self, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{assert_unique, fields, owned, pairs};
    use super::super::sort::SortColumn;
    use super::*;

    #[test]
    fn an_export_takes_the_filters_and_a_sort_but_no_paging() {
        let q = ExportQuery {
            filter: ProjectFilter {
                has_social: Some(true),
                ..ProjectFilter::default()
            },
            sort: Sort {
                column: SortColumn::Name,
                descending: true,
            },
        };
        assert_eq!(
            q.to_pairs(),
            [("has_social", "true".to_string()), ("sort", "-name".into())]
        );
        assert_eq!(ExportQuery::from_pairs(&owned(q.to_pairs())), Ok(q.clone()));
        assert_eq!(
            fields(ExportQuery::from_pairs(&pairs(&[("per_page", "5")]))),
            ["per_page"]
        );
        assert_unique(&[FilterParams::KEYS, ExportParams::KEYS]);
        let list = ListQuery {
            filter: q.filter.clone(),
            sort: q.sort,
            page: 4,
            ..ListQuery::default()
        };
        assert_eq!(ExportQuery::from(&list), q);
    }
}
