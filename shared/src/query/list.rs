//! `GET /api/projects`: the filters, a sort, and a page by number or by cursor.

use super::filter::{FilterParams, ProjectFilter};
use super::parse::{Parser, params, per_page_within, positive, set, unless_default};
use super::sort::Sort;
use super::warnings::{ColourFilter, period};
use crate::dates::Period;
use crate::problem::FieldError;

pub const MAX_PER_PAGE: u32 = 100;
pub const DEFAULT_PER_PAGE: u32 = 20;
const MAX_CURSOR_LEN: usize = 1024;
/// The list's paging parameters, which its exports do not take.
const PAGING_PARAMS: [&str; 3] = ["page", "per_page", "cursor"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub filter: ProjectFilter,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
    /// Keyset paging: the `next_cursor` of the previous page. Opaque here; the backend decodes
    /// it, so a deep page costs what page 1 costs instead of an ever larger OFFSET.
    pub cursor: Option<String>,
    /// Only projects of this 预警 colour for `warning_period`.
    pub warning: Option<ColourFilter>,
    /// `sort=gap` (`Some(false)`) or `sort=-gap` (`Some(true)`): by the investment-lag gap
    /// for `warning_period` (序时进度 − 投资完成率), projects without one last; `sort` then
    /// stays the default.
    pub gap_descending: Option<bool>,
    /// The month `warning` and the gap are judged for; `None`: the current reporting month
    /// (`current_reporting_month`).
    pub warning_period: Option<Period>,
}

/// The `sort` values that sort on the investment-lag gap.
pub const GAP_SORT_KEY: &str = "gap";

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            filter: ProjectFilter::default(),
            sort: Sort::default(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            cursor: None,
            warning: None,
            gap_descending: None,
            warning_period: None,
        }
    }
}

params! {
    /// The list's own parameters, after the filters.
    ListParams for ListQuery {
        "sort" {
            read: |q, s| match s.strip_prefix('-').unwrap_or(s) {
                GAP_SORT_KEY => set(&mut q.gap_descending, Ok(Some(s.starts_with('-')))),
                _ => set(&mut q.sort, Sort::parse_param(s).map_err(|m| {
                    format!("{m}；或 {GAP_SORT_KEY}（按预警差距）")
                })),
            },
            write: |q| match q.gap_descending {
                Some(true) => Some(format!("-{GAP_SORT_KEY}")),
                Some(false) => Some(GAP_SORT_KEY.to_string()),
                None => unless_default(q.sort, Sort::default()),
            },
        }
        "page" {
            read: |q, s| set(&mut q.page, positive(s)),
            write: |q| unless_default(q.page, 1),
        }
        "per_page" {
            read: |q, s| set(&mut q.per_page, per_page_within(s, MAX_PER_PAGE)),
            write: |q| unless_default(q.per_page, DEFAULT_PER_PAGE),
        }
        "cursor" {
            read: |q, s| {
                if s.len() > MAX_CURSOR_LEN {
                    return Err("无法识别的游标：请使用上一页返回的 next_cursor".to_string());
                }
                set(&mut q.cursor, Ok(Some(s.to_string())))
            },
            write: |q| q.cursor.clone(),
        }
        "warning" {
            read: |q, s| set(&mut q.warning, ColourFilter::parse_param(s)),
            write: |q| q.warning.map(|w| w.key().to_string()),
        }
        "period" {
            read: |q, s| set(&mut q.warning_period, period(s)),
            write: |q| q.warning_period.map(|p| p.to_string()),
        }
    }
}

impl ListQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Parser::new(pairs, &[FilterParams::KEYS, ListParams::KEYS].concat());
        let mut q = ListQuery::default();
        FilterParams::read(&mut p, &mut q.filter);
        ListParams::read(&mut p, &mut q);
        if q.cursor.is_some() && p.raw("page").is_some() {
            p.error(
                "page",
                "page 与 cursor 不能同时使用：按页码翻页或按游标翻页，二选一",
            );
        }
        let by_warning = q.warning.is_some() || q.gap_descending.is_some();
        if q.cursor.is_some() && by_warning {
            p.error(
                "cursor",
                "按预警筛选或按差距排序时请按页码翻页（page），不支持 cursor",
            );
        }
        if q.warning_period.is_some() && !by_warning {
            p.error("period", "period 只与 warning 或 sort=gap 一起使用");
        }
        p.finish(q)
    }

    /// The query of the list's exports (`/api/export/projects.csv|xlsx`): the list's filters,
    /// sort, `warning` and `period`, without its paging (an export holds every matching
    /// row), so that an export holds what the list on screen holds.
    pub fn export_from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = pairs
            .iter()
            .filter(|(k, _)| PAGING_PARAMS.contains(&k.as_str()))
            .map(|(k, _)| FieldError::new(k, "导出包含全部匹配的项目，不分页：请去掉此参数"))
            .collect();
        match Self::from_pairs(pairs) {
            Ok(q) if errors.is_empty() => Ok(q),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(
                    more.into_iter()
                        .filter(|e| !PAGING_PARAMS.contains(&e.field.as_str())),
                );
                Err(errors)
            }
        }
    }

    /// The query string pairs of this list's export (`export_from_pairs` reads them back).
    pub fn export_pairs(&self) -> Vec<(&'static str, String)> {
        ListQuery {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            cursor: None,
            ..self.clone()
        }
        .to_pairs()
    }

    /// Whether the list needs the month's warnings: a `warning` filter or the gap sort.
    pub fn by_warning(&self) -> bool {
        self.warning.is_some() || self.gap_descending.is_some()
    }

    /// The query string pairs that reproduce this query, defaults left out.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.filter.to_pairs();
        ListParams::write(self, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::filter::{DistrictFilter, StatusFilter};
    use super::super::parse::tests::{assert_unique, fields, owned, pairs};
    use super::*;
    use crate::vocab::{District, ProgressStatus};

    #[test]
    fn a_chinese_district_name_is_accepted() {
        let q = ListQuery::from_pairs(&pairs(&[("district", "韶山市")])).expect("valid");
        assert_eq!(
            q.filter.district,
            Some(DistrictFilter::Is(District::Shaoshan))
        );
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let r = ListQuery::from_pairs(&pairs(&[
            ("per_page", "1000"),
            ("start_year_from", "abc"),
            ("district", "火星区"),
            ("sort", "colour"),
            ("bogus", "1"),
        ]));
        assert_eq!(
            fields(r),
            ["bogus", "district", "start_year_from", "sort", "per_page"]
        );
    }

    #[test]
    fn control_characters_are_refused_whatever_the_parameter() {
        let r = ListQuery::from_pairs(&pairs(&[("q", "a\u{0}b")]));
        assert_eq!(fields(r), ["q"]);
    }

    #[test]
    fn a_repeated_parameter_is_refused() {
        let r = ListQuery::from_pairs(&pairs(&[("page", "1"), ("page", "2")]));
        assert_eq!(fields(r), ["page"]);
    }

    #[test]
    fn an_inverted_year_range_is_refused() {
        let r = ListQuery::from_pairs(&pairs(&[
            ("start_year_from", "2024"),
            ("start_year_to", "2021"),
        ]));
        assert_eq!(fields(r), ["start_year_to"]);
    }

    #[test]
    fn a_query_survives_a_round_trip_through_its_pairs() {
        let q = ListQuery::from_pairs(&pairs(&[
            ("district", "unassigned"),
            ("category", "老年人福利类"),
            ("has_social", "true"),
            ("q", "敬老院"),
            ("status", "in_progress"),
            ("sort", "-total_investment"),
            ("page", "2"),
            ("per_page", "50"),
        ]))
        .expect("valid");
        assert_eq!(ListQuery::from_pairs(&owned(q.to_pairs())), Ok(q));
        let by_cursor = ListQuery {
            cursor: Some("abc".into()),
            ..ListQuery::default()
        };
        assert_eq!(
            ListQuery::from_pairs(&owned(by_cursor.to_pairs())),
            Ok(by_cursor)
        );
        assert_eq!(ListQuery::default().to_pairs(), []);
        assert_unique(&[FilterParams::KEYS, ListParams::KEYS]);
    }

    #[test]
    fn the_status_filter_takes_a_status_or_unreported() {
        let q = ListQuery::from_pairs(&pairs(&[("status", "unreported")])).expect("valid");
        assert_eq!(q.filter.status, Some(StatusFilter::Unreported));
        let q = ListQuery::from_pairs(&pairs(&[("status", "在建")])).expect("valid");
        assert_eq!(
            q.filter.status,
            Some(StatusFilter::Is(ProgressStatus::InProgress))
        );
        assert_eq!(
            fields(ListQuery::from_pairs(&pairs(&[("status", "done")]))),
            ["status"]
        );
    }

    #[test]
    fn the_warning_filter_and_the_gap_sort_round_trip_and_refuse_a_cursor() {
        let q = ListQuery::from_pairs(&pairs(&[
            ("warning", "none"),
            ("sort", "-gap"),
            ("period", "2024-06"),
        ]))
        .expect("valid");
        assert_eq!(
            (q.warning, q.gap_descending, q.sort),
            (Some(ColourFilter::None), Some(true), Sort::default())
        );
        assert_eq!(ListQuery::from_pairs(&owned(q.to_pairs())), Ok(q));
        assert_eq!(
            fields(ListQuery::from_pairs(&pairs(&[("warning", "purple")]))),
            ["warning"]
        );
        assert_eq!(
            fields(ListQuery::from_pairs(&pairs(&[
                ("sort", "gap"),
                ("cursor", "abc")
            ]))),
            ["cursor"]
        );
        assert_eq!(
            fields(ListQuery::from_pairs(&pairs(&[("period", "2024-06")]))),
            ["period"]
        );
    }

    #[test]
    fn a_page_number_and_a_cursor_exclude_each_other() {
        let r = ListQuery::from_pairs(&pairs(&[("page", "1"), ("cursor", "abc")]));
        assert_eq!(fields(r), ["page"]);
        let long = "a".repeat(MAX_CURSOR_LEN + 1);
        assert_eq!(
            fields(ListQuery::from_pairs(&pairs(&[("cursor", &long)]))),
            ["cursor"]
        );
    }
}
