//! The query strings of `/api/projects` and `/api/summary`: parsed and validated here, so the
//! backend refuses exactly what the frontend would never build, and both agree on the names.

use std::fmt;
use std::str::FromStr;

use crate::audit::AUDIT_ENTITIES;
use crate::problem::FieldError;
use crate::vocab::{
    Category, District, Nature, ProgressStatus, ReportState, UNASSIGNED_KEY, UNASSIGNED_LABEL,
};

pub const MAX_PER_PAGE: u32 = 100;
pub const DEFAULT_PER_PAGE: u32 = 20;
const MAX_Q_CHARS: usize = 100;
const MAX_CURSOR_LEN: usize = 1024;
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

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

pub const UNREPORTED_KEY: &str = "unreported";
pub const UNREPORTED_LABEL: &str = "暂无审核通过的进度";

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

/// The filters shared by the list, the summary and (later) the exports.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortColumn {
    Code,
    Name,
    Category,
    Nature,
    Owner,
    District,
    Start,
    End,
    TotalInvestment,
    PlannedInvestment,
    SocialSharePct,
    SocialInvestment,
}

impl SortColumn {
    pub const ALL: &'static [SortColumn] = &[
        SortColumn::Code,
        SortColumn::Name,
        SortColumn::Category,
        SortColumn::Nature,
        SortColumn::Owner,
        SortColumn::District,
        SortColumn::Start,
        SortColumn::End,
        SortColumn::TotalInvestment,
        SortColumn::PlannedInvestment,
        SortColumn::SocialSharePct,
        SortColumn::SocialInvestment,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            SortColumn::Code => "code",
            SortColumn::Name => "name",
            SortColumn::Category => "category",
            SortColumn::Nature => "nature",
            SortColumn::Owner => "owner",
            SortColumn::District => "district",
            SortColumn::Start => "start",
            SortColumn::End => "end",
            SortColumn::TotalInvestment => "total_investment",
            SortColumn::PlannedInvestment => "planned_investment",
            SortColumn::SocialSharePct => "social_share_pct",
            SortColumn::SocialInvestment => "social_investment",
        }
    }
}

/// `sort=total_investment` ascends, `sort=-total_investment` descends. Ties fall back to code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            column: SortColumn::Code,
            descending: false,
        }
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.descending { "-" } else { "" };
        write!(f, "{sign}{}", self.column.key())
    }
}

impl FromStr for Sort {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (descending, name) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        SortColumn::ALL
            .iter()
            .find(|c| c.key() == name)
            .map(|&column| Sort { column, descending })
            .ok_or(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub filter: ProjectFilter,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
    /// Keyset paging: the `next_cursor` of the previous page. Opaque here; the backend decodes
    /// it, so a deep page costs what page 1 costs instead of an ever larger OFFSET.
    pub cursor: Option<String>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            filter: ProjectFilter::default(),
            sort: Sort::default(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            cursor: None,
        }
    }
}

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

const FILTER_KEYS: &[&str] = &[
    "district",
    "category",
    "nature",
    "owner",
    "start_year_from",
    "start_year_to",
    "end_year_from",
    "end_year_to",
    "has_social",
    "q",
    "status",
];

/// Collects one error per bad parameter instead of stopping at the first.
struct Parser<'a> {
    pairs: &'a [(String, String)],
    errors: Vec<FieldError>,
}

impl<'a> Parser<'a> {
    fn new(pairs: &'a [(String, String)], allowed: &[&str]) -> Self {
        let mut errors = Vec::new();
        // At most one entry per allowed key, so a list is enough (and a set's code would be
        // the only B-tree in the web app's public bundle).
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in pairs {
            if v.chars().any(char::is_control) {
                errors.push(FieldError::new(k, "含有控制字符"));
            } else if !allowed.contains(&k.as_str()) {
                errors.push(FieldError::new(
                    k,
                    format!("未知参数；可用参数: {}", allowed.join(", ")),
                ));
            } else if seen.contains(&k.as_str()) {
                errors.push(FieldError::new(k, "参数重复"));
            } else {
                seen.push(k);
            }
        }
        Parser { pairs, errors }
    }

    /// The value, or None when absent or empty (an emptied form field means "no filter").
    fn raw(&self, key: &str) -> Option<&'a str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    fn parse<T>(&mut self, key: &str, f: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let raw = self.raw(key)?;
        match f(raw) {
            Ok(v) => Some(v),
            Err(message) => {
                self.errors.push(FieldError::new(key, message));
                None
            }
        }
    }

    fn year(&mut self, key: &str) -> Option<i32> {
        self.parse(key, |s| match s.parse::<i32>() {
            Ok(y) if YEARS.contains(&y) => Ok(y),
            _ => Err(format!(
                "应为 {}-{} 之间的四位年份",
                YEARS.start(),
                YEARS.end()
            )),
        })
    }

    fn filter(&mut self) -> ProjectFilter {
        let district = self.parse("district", |s| {
            s.parse::<DistrictFilter>().map_err(|_| {
                let names: Vec<_> = District::ALL.iter().map(|d| d.label()).collect();
                format!(
                    "未知的县市区；可选: {}、{}",
                    names.join("、"),
                    UNASSIGNED_LABEL
                )
            })
        });
        let category = self.parse("category", |s| {
            s.parse::<Category>().map_err(|_| {
                let names: Vec<_> = Category::ALL.iter().map(|c| c.label()).collect();
                format!("未知的项目类别；可选: {}", names.join("、"))
            })
        });
        let nature = self.parse("nature", |s| {
            s.parse::<Nature>().map_err(|_| {
                let names: Vec<_> = Nature::ALL.iter().map(|n| n.label()).collect();
                format!("未知的建设性质；可选: {}", names.join("、"))
            })
        });
        let owner = self.parse("owner", |s| Ok(s.trim().to_string()));
        let start_year_from = self.year("start_year_from");
        let start_year_to = self.year("start_year_to");
        let end_year_from = self.year("end_year_from");
        let end_year_to = self.year("end_year_to");
        for (from, to, key) in [
            (start_year_from, start_year_to, "start_year_to"),
            (end_year_from, end_year_to, "end_year_to"),
        ] {
            if let (Some(a), Some(b)) = (from, to)
                && a > b
            {
                self.errors
                    .push(FieldError::new(key, "结束年份不能早于起始年份"));
            }
        }
        let has_social = self.parse("has_social", |s| match s {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err("应为 true 或 false".to_string()),
        });
        let q = self.parse("q", |s| {
            let t = s.trim();
            if t.chars().count() > MAX_Q_CHARS {
                Err(format!("搜索词最多 {MAX_Q_CHARS} 个字"))
            } else {
                Ok(t.to_string())
            }
        });
        let status = self.parse("status", |s| {
            s.parse::<StatusFilter>().map_err(|_| {
                let names: Vec<_> = ProgressStatus::ALL.iter().map(|s| s.key()).collect();
                format!(
                    "未知的建设状态；可选: {}, {UNREPORTED_KEY}",
                    names.join(", ")
                )
            })
        });
        ProjectFilter {
            district,
            category,
            nature,
            owner,
            start_year_from,
            start_year_to,
            end_year_from,
            end_year_to,
            has_social,
            q: q.filter(|t| !t.is_empty()),
            status,
        }
    }

    fn sort(&mut self) -> Sort {
        self.parse("sort", |s| {
            s.parse::<Sort>().map_err(|_| {
                let names: Vec<_> = SortColumn::ALL.iter().map(|c| c.key()).collect();
                format!("未知的排序列；可选: {}（前加 - 为降序）", names.join(", "))
            })
        })
        .unwrap_or_default()
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

fn positive(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("应为正整数".to_string()),
    }
}

impl ListQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let allowed: Vec<&str> = FILTER_KEYS
            .iter()
            .copied()
            .chain(["sort", "page", "per_page", "cursor"])
            .collect();
        let mut p = Parser::new(pairs, &allowed);
        let filter = p.filter();
        let sort = p.sort();
        let page = p.parse("page", positive).unwrap_or(1);
        let cursor = p.parse("cursor", |s| {
            if s.len() > MAX_CURSOR_LEN {
                Err("无法识别的游标：请使用上一页返回的 next_cursor".to_string())
            } else {
                Ok(s.to_string())
            }
        });
        if cursor.is_some() && p.raw("page").is_some() {
            p.errors.push(FieldError::new(
                "page",
                "page 与 cursor 不能同时使用：按页码翻页或按游标翻页，二选一",
            ));
        }
        let per_page = p
            .parse("per_page", |s| match positive(s) {
                Ok(n) if n <= MAX_PER_PAGE => Ok(n),
                Ok(_) => Err(format!("每页最多 {MAX_PER_PAGE} 条")),
                Err(e) => Err(e),
            })
            .unwrap_or(DEFAULT_PER_PAGE);
        p.finish(ListQuery {
            filter,
            sort,
            page,
            per_page,
            cursor,
        })
    }

    /// The query string pairs that reproduce this query, defaults left out.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.filter.to_pairs();
        if self.sort != Sort::default() {
            out.push(("sort", self.sort.to_string()));
        }
        if self.page != 1 {
            out.push(("page", self.page.to_string()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            out.push(("per_page", self.per_page.to_string()));
        }
        if let Some(c) = &self.cursor {
            out.push(("cursor", c.clone()));
        }
        out
    }
}

impl SummaryQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let allowed: Vec<&str> = FILTER_KEYS.iter().copied().chain(["group_by"]).collect();
        let mut p = Parser::new(pairs, &allowed);
        let filter = p.filter();
        let group_by = p.parse("group_by", |s| {
            GroupBy::ALL
                .iter()
                .copied()
                .find(|g| g.key() == s)
                .ok_or_else(|| {
                    let names: Vec<_> = GroupBy::ALL.iter().map(|g| g.key()).collect();
                    format!("未知的分组；可选: {}", names.join(", "))
                })
        });
        if group_by.is_none() && p.raw("group_by").is_none() {
            p.errors.push(FieldError::new("group_by", "必须指定分组"));
        }
        let group_by = group_by.unwrap_or(GroupBy::District);
        p.finish(SummaryQuery { filter, group_by })
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.filter.to_pairs();
        out.push(("group_by", self.group_by.key().to_string()));
        out
    }
}

/// The exports: the list's filters and sort, every matching row, no paging.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportQuery {
    pub filter: ProjectFilter,
    pub sort: Sort,
}

impl ExportQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let allowed: Vec<&str> = FILTER_KEYS.iter().copied().chain(["sort"]).collect();
        let mut p = Parser::new(pairs, &allowed);
        let filter = p.filter();
        let sort = p.sort();
        p.finish(ExportQuery { filter, sort })
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.filter.to_pairs();
        if self.sort != Sort::default() {
            out.push(("sort", self.sort.to_string()));
        }
        out
    }
}

impl ProjectFilter {
    /// For routes that take the filters and nothing else (the pivot, the exports).
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Parser::new(pairs, FILTER_KEYS);
        let filter = p.filter();
        p.finish(filter)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(d) = self.district {
            out.push(("district", d.key().to_string()));
        }
        if let Some(c) = self.category {
            out.push(("category", c.key().to_string()));
        }
        if let Some(n) = self.nature {
            out.push(("nature", n.key().to_string()));
        }
        if let Some(o) = &self.owner {
            out.push(("owner", o.clone()));
        }
        for (key, v) in [
            ("start_year_from", self.start_year_from),
            ("start_year_to", self.start_year_to),
            ("end_year_from", self.end_year_from),
            ("end_year_to", self.end_year_to),
        ] {
            if let Some(y) = v {
                out.push((key, y.to_string()));
            }
        }
        if let Some(b) = self.has_social {
            out.push(("has_social", b.to_string()));
        }
        if let Some(q) = &self.q {
            out.push(("q", q.clone()));
        }
        if let Some(s) = self.status {
            out.push(("status", s.key().to_string()));
        }
        out
    }
}

fn per_page_within(max: u32) -> impl FnOnce(&str) -> Result<u32, String> {
    move |s| match positive(s) {
        Ok(n) if n <= max => Ok(n),
        Ok(_) => Err(format!("每页最多 {max} 条")),
        Err(e) => Err(e),
    }
}

pub const MAX_REPORTS_PER_PAGE: u32 = 500;
pub const DEFAULT_REPORTS_PER_PAGE: u32 = 100;

/// `GET /api/reports?state=submitted&project=B09&page=1&per_page=100`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportQuery {
    pub state: Option<ReportState>,
    /// A project code.
    pub project: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

impl ReportQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Parser::new(pairs, &["state", "project", "page", "per_page"]);
        let state = p.parse("state", |s| {
            s.parse::<ReportState>().map_err(|_| {
                let names: Vec<_> = ReportState::ALL.iter().map(|s| s.key()).collect();
                format!("未知的审核状态；可选: {}", names.join(", "))
            })
        });
        let project = p.parse("project", |s| {
            if s.chars().count() > 20 {
                Err("项目编号过长".to_string())
            } else {
                Ok(s.trim().to_string())
            }
        });
        let page = p.parse("page", positive).unwrap_or(1);
        let per_page = p
            .parse("per_page", per_page_within(MAX_REPORTS_PER_PAGE))
            .unwrap_or(DEFAULT_REPORTS_PER_PAGE);
        p.finish(ReportQuery {
            state,
            project,
            page,
            per_page,
        })
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(s) = self.state {
            out.push(("state", s.key().to_string()));
        }
        if let Some(p) = &self.project {
            out.push(("project", p.clone()));
        }
        if self.page != 1 {
            out.push(("page", self.page.to_string()));
        }
        if self.per_page != DEFAULT_REPORTS_PER_PAGE {
            out.push(("per_page", self.per_page.to_string()));
        }
        out
    }
}

pub const MAX_AUDIT_PER_PAGE: u32 = 200;
pub const DEFAULT_AUDIT_PER_PAGE: u32 = 50;

/// `GET /api/audit?entity=report&entity_id=12&page=1&per_page=50`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

impl AuditQuery {
    /// The global query; `paging_only` for a project's own trail, which takes only paging.
    pub fn from_pairs(
        pairs: &[(String, String)],
        paging_only: bool,
    ) -> Result<Self, Vec<FieldError>> {
        let allowed: &[&str] = if paging_only {
            &["page", "per_page"]
        } else {
            &["entity", "entity_id", "page", "per_page"]
        };
        let mut p = Parser::new(pairs, allowed);
        let entity = p.parse("entity", |s| {
            if AUDIT_ENTITIES.contains(&s) {
                Ok(s.to_string())
            } else {
                Err(format!(
                    "未知的对象类型；可选: {}",
                    AUDIT_ENTITIES.join(", ")
                ))
            }
        });
        let entity_id = p.parse("entity_id", |s| {
            if s.chars().count() > 100 {
                Err("最多 100 个字符".to_string())
            } else {
                Ok(s.to_string())
            }
        });
        let page = p.parse("page", positive).unwrap_or(1);
        let per_page = p
            .parse("per_page", per_page_within(MAX_AUDIT_PER_PAGE))
            .unwrap_or(DEFAULT_AUDIT_PER_PAGE);
        p.finish(AuditQuery {
            entity,
            entity_id,
            page,
            per_page,
        })
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(e) = &self.entity {
            out.push(("entity", e.clone()));
        }
        if let Some(e) = &self.entity_id {
            out.push(("entity_id", e.clone()));
        }
        if self.page != 1 {
            out.push(("page", self.page.to_string()));
        }
        if self.per_page != DEFAULT_AUDIT_PER_PAGE {
            out.push(("per_page", self.per_page.to_string()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn fields(r: Result<ListQuery, Vec<FieldError>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

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
        let back: Vec<(String, String)> = q
            .to_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(ListQuery::from_pairs(&back), Ok(q));
    }

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
    fn summary_requires_a_known_group() {
        assert!(SummaryQuery::from_pairs(&pairs(&[])).is_err());
        assert!(SummaryQuery::from_pairs(&pairs(&[("group_by", "colour")])).is_err());
        let s = SummaryQuery::from_pairs(&pairs(&[("group_by", "start_year")])).expect("valid");
        assert_eq!(s.group_by, GroupBy::StartYear);
    }
}
