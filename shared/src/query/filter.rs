//! The project filters that the list, the summary, the pivot and the exports share.

use std::ops::RangeInclusive;
use std::str::FromStr;

use super::parse::{Parser, one_of, params, set};
use crate::problem::FieldError;
use crate::vocab::{Category, District, Nature, ProgressStatus, UNASSIGNED_KEY, UNASSIGNED_LABEL};

const MAX_Q_CHARS: usize = 100;
/// The years a filter's year bound may name.
pub const YEARS: RangeInclusive<i32> = 1900..=2100;

pub const UNREPORTED_KEY: &str = "unreported";
pub const UNREPORTED_LABEL: &str = "暂无审核通过的进度";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistrictFilter {
    Is(District),
    Unassigned,
}

impl DistrictFilter {
    pub fn key(self) -> &'static str {
        match self {
            DistrictFilter::Is(d) => d.key(),
            DistrictFilter::Unassigned => UNASSIGNED_KEY,
        }
    }
}

impl FromStr for DistrictFilter {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        if s == UNASSIGNED_KEY || s == UNASSIGNED_LABEL {
            return Ok(DistrictFilter::Unassigned);
        }
        s.parse().map(DistrictFilter::Is).map_err(|_| ())
    }
}

/// The `status` filter: the status of the latest approved report, or `unreported` for
/// projects without an approved report yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Is(ProgressStatus),
    Unreported,
}

impl StatusFilter {
    pub fn key(self) -> &'static str {
        match self {
            StatusFilter::Is(s) => s.key(),
            StatusFilter::Unreported => UNREPORTED_KEY,
        }
    }
}

impl FromStr for StatusFilter {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        if s == UNREPORTED_KEY || s == UNREPORTED_LABEL {
            return Ok(StatusFilter::Unreported);
        }
        s.parse().map(StatusFilter::Is).map_err(|_| ())
    }
}

/// The filters shared by the list, the summary and the exports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    pub district: Option<DistrictFilter>,
    pub category: Option<Category>,
    pub nature: Option<Nature>,
    /// An organisation name exactly as the organisations table has it.
    pub owner: Option<String>,
    pub start_year_from: Option<i32>,
    pub start_year_to: Option<i32>,
    pub end_year_from: Option<i32>,
    pub end_year_to: Option<i32>,
    pub has_social: Option<bool>,
    /// Substring of name, owners or content.
    pub q: Option<String>,
    /// The approved construction status.
    pub status: Option<StatusFilter>,
}

params! {
    /// The filter parameters, in the order they are read and written.
    pub(crate) FilterParams for ProjectFilter {
        "district" {
            read: |f, s| {
                set(
                    &mut f.district,
                    one_of(
                        s,
                        "县市区",
                        District::ALL
                            .iter()
                            .map(|d| d.label())
                            .chain([UNASSIGNED_LABEL]),
                        "、",
                    ),
                )
            },
            write: |f| f.district.map(|d| d.key().to_string()),
        }
        "category" {
            read: |f, s| {
                set(
                    &mut f.category,
                    one_of(s, "项目类别", Category::ALL.iter().map(|c| c.label()), "、"),
                )
            },
            write: |f| f.category.map(|c| c.key().to_string()),
        }
        "nature" {
            read: |f, s| {
                set(
                    &mut f.nature,
                    one_of(s, "建设性质", Nature::ALL.iter().map(|n| n.label()), "、"),
                )
            },
            write: |f| f.nature.map(|n| n.key().to_string()),
        }
        "owner" {
            read: |f, s| set(&mut f.owner, Ok(Some(s.trim().to_string()))),
            write: |f| f.owner.clone(),
        }
        "start_year_from" {
            read: |f, s| set(&mut f.start_year_from, year(s).map(Some)),
            write: |f| f.start_year_from.map(|y| y.to_string()),
        }
        "start_year_to" {
            read: |f, s| {
                set(
                    &mut f.start_year_to,
                    year_to(f.start_year_from, s).map(Some),
                )
            },
            write: |f| f.start_year_to.map(|y| y.to_string()),
        }
        "end_year_from" {
            read: |f, s| set(&mut f.end_year_from, year(s).map(Some)),
            write: |f| f.end_year_from.map(|y| y.to_string()),
        }
        "end_year_to" {
            read: |f, s| set(&mut f.end_year_to, year_to(f.end_year_from, s).map(Some)),
            write: |f| f.end_year_to.map(|y| y.to_string()),
        }
        "has_social" {
            read: |f, s| {
                set(
                    &mut f.has_social,
                    match s {
                        "true" => Ok(Some(true)),
                        "false" => Ok(Some(false)),
                        _ => Err("应为 true 或 false".to_string()),
                    },
                )
            },
            write: |f| f.has_social.map(|b| b.to_string()),
        }
        "q" {
            read: |f, s| {
                let t = s.trim();
                if t.chars().count() > MAX_Q_CHARS {
                    return Err(format!("搜索词最多 {MAX_Q_CHARS} 个字"));
                }
                set(&mut f.q, Ok(Some(t.to_string()).filter(|t| !t.is_empty())))
            },
            write: |f| f.q.clone(),
        }
        "status" {
            read: |f, s| {
                set(
                    &mut f.status,
                    one_of(
                        s,
                        "建设状态",
                        ProgressStatus::ALL
                            .iter()
                            .map(|s| s.key())
                            .chain([UNREPORTED_KEY]),
                        ", ",
                    ),
                )
            },
            write: |f| f.status.map(|s| s.key().to_string()),
        }
    }
}

fn year(s: &str) -> Result<i32, String> {
    match s.parse::<i32>() {
        Ok(y) if YEARS.contains(&y) => Ok(y),
        _ => Err(format!(
            "应为 {}-{} 之间的四位年份",
            YEARS.start(),
            YEARS.end()
        )),
    }
}

/// The end of a year range; its start has been read already (it comes first in the table).
fn year_to(from: Option<i32>, s: &str) -> Result<i32, String> {
    let to = year(s)?;
    match from {
        Some(from) if from > to => Err("结束年份不能早于起始年份".to_string()),
        _ => Ok(to),
    }
}

impl ProjectFilter {
    /// For routes that take the filters and nothing else (the pivot, the exports).
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Parser::new(pairs, FilterParams::KEYS);
        let mut filter = ProjectFilter::default();
        FilterParams::read(&mut p, &mut filter);
        p.finish(filter)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        FilterParams::write(self, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{assert_unique, fields, owned, pairs};
    use super::*;

    #[test]
    fn the_bare_filter_refuses_paging_parameters() {
        assert!(ProjectFilter::from_pairs(&pairs(&[("district", "yuhu")])).is_ok());
        let e = ProjectFilter::from_pairs(&pairs(&[("page", "2")]))
            .err()
            .unwrap_or_default();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "page");
    }

    #[test]
    fn every_filter_survives_a_round_trip_through_its_pairs() {
        let f = ProjectFilter {
            district: Some(DistrictFilter::Is(District::Yuhu)),
            category: Some(Category::ElderlyWelfare),
            nature: Some(Nature::ALL[0]),
            owner: Some("湘潭市民政局".into()),
            start_year_from: Some(2021),
            start_year_to: Some(2022),
            end_year_from: Some(2023),
            end_year_to: Some(2025),
            has_social: Some(false),
            q: Some("敬老院".into()),
            status: Some(StatusFilter::Unreported),
        };
        let back = owned(f.to_pairs());
        assert_eq!(back.len(), FilterParams::KEYS.len(), "{back:?}");
        assert_eq!(ProjectFilter::from_pairs(&back), Ok(f));
        assert_eq!(ProjectFilter::default().to_pairs(), []);
        assert_unique(&[FilterParams::KEYS]);
    }

    #[test]
    fn an_inverted_year_range_is_refused_on_its_end() {
        let r = ProjectFilter::from_pairs(&pairs(&[
            ("end_year_from", "2024"),
            ("end_year_to", "2021"),
        ]));
        assert_eq!(fields(r), ["end_year_to"]);
        let r = ProjectFilter::from_pairs(&pairs(&[
            ("start_year_from", "abc"),
            ("start_year_to", "2021"),
        ]));
        assert_eq!(fields(r), ["start_year_from"]);
        assert_eq!(
            ProjectFilter::from_pairs(&pairs(&[
                ("start_year_from", "2021"),
                ("start_year_to", "2021")
            ]))
            .map(|f| f.start_year_to),
            Ok(Some(2021))
        );
    }

    #[test]
    fn blank_search_text_is_no_filter_and_long_text_is_refused() {
        let f = ProjectFilter::from_pairs(&pairs(&[("q", "   ")])).expect("valid");
        assert_eq!(f.q, None);
        let long = "字".repeat(MAX_Q_CHARS + 1);
        assert_eq!(
            fields(ProjectFilter::from_pairs(&pairs(&[("q", &long)]))),
            ["q"]
        );
    }
}
