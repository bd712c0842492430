//! The addresses the app reads, written once. The app's services fetch them, and the server
//! names a public page's first reads in the page's HTML (`<link rel="preload">`, see
//! [`first_reads`]), so that they are on their way while the wasm downloads instead of
//! after it has run: on a phone that is the difference between the figures arriving with
//! the app and one more round trip after it.
//!
//! Query strings are `application/x-www-form-urlencoded` (the `form_urlencoded` crate), as
//! browsers and the server's parser (the same crate, under actix's `web::Query`) use.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::dates::{CalendarDate, Period};
use crate::problem::FieldError;
use crate::query::{GroupBy, ListQuery, ProjectFilter, SummaryQuery, WarningQuery};
use crate::route::AppRoute;
use crate::warning::{Level, RuleId, previous_month};

/// Every endpoint lives under this path of the origin that served the app.
pub const API_BASE: &str = "/api";

/// `GET /healthz` (beside the API, not under it): whether the data is the `--demo` sample.
pub const HEALTH: &str = "/healthz";

/// The `<meta name=…>` in which the server's HTML says whether the data is the `--demo`
/// sample (`content="yes"` or `"no"`), so the app draws the banner, or not, with its first
/// frame instead of asking `/healthz` and pushing the page down when it answers.
pub const SAMPLE_META: &str = "keyproj-sample";

/// Splits `?a=1&b=2` (leading `?` optional) into decoded pairs, order kept. `+` is a space;
/// bad escapes are kept as they come and invalid UTF-8 is replaced, as the server does.
pub fn parse_pairs(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// Encodes pairs as `a=1&b=2` (no leading `?`; empty when there are none).
pub fn encode_pairs(pairs: &[(&'static str, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// RFC 3986 unreserved characters stay, everything else in a path segment is escaped.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One path segment (a project code), escaped.
pub fn encode_path_segment(s: &str) -> String {
    utf8_percent_encode(s, NOT_UNRESERVED).to_string()
}

/// `/api{path}`, with `?{query}` when there is one.
pub fn api_url(path: &str, query: &str) -> String {
    if query.is_empty() {
        format!("{API_BASE}{path}")
    } else {
        format!("{API_BASE}{path}?{query}")
    }
}

/// A page whose address holds the project filters plus parameters of its own (e.g. the
/// schedule's `group`): the filters, validated like the server does, and the page's own
/// pairs, left for the page to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilteredSearch {
    pub filter: ProjectFilter,
    pub own: Vec<(String, String)>,
}

impl FilteredSearch {
    /// The value of one of the page's own parameters, if present and not empty.
    pub fn own(&self, key: &str) -> Option<&str> {
        self.own
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// Splits the address bar into the page's own parameters (`own_keys`) and the project
/// filters, and validates the filters; unknown parameters are refused as the API would.
pub fn filtered_search(search: &str, own_keys: &[&str]) -> Result<FilteredSearch, Vec<FieldError>> {
    let (own, rest): (Vec<_>, Vec<_>) = parse_pairs(search)
        .into_iter()
        .partition(|(k, _)| own_keys.contains(&k.as_str()));
    let filter = ProjectFilter::from_pairs(&rest)?;
    Ok(FilteredSearch { filter, own })
}

/// The own parameters of 进度计划 (`/schedule`): how the chart groups its rows.
pub const SCHEDULE_OWN: &[&str] = &["group"];
/// The own parameters of 预算 (`/budget`): the figure shown, the order, the plan year.
pub const BUDGET_OWN: &[&str] = &["metric", "sort", "year"];
/// The plan years 预算 offers: the plan period.
pub const BUDGET_YEARS: std::ops::RangeInclusive<i32> = 2021..=2025;
/// The year 预算 shows first: the last of the plan period, the latest any plan can be.
pub const BUDGET_DEFAULT_YEAR: i32 = 2025;

/// 预算's plan year in the address: the default when absent, `None` when it is not one of
/// [`BUDGET_YEARS`] (the page then says so).
pub fn budget_year(search: &FilteredSearch) -> Option<i32> {
    match search.own("year") {
        None => Some(BUDGET_DEFAULT_YEAR),
        Some(v) => v.parse().ok().filter(|y| BUDGET_YEARS.contains(y)),
    }
}

/// The month the pages open on, for `today` in China: the last month whose reports are
/// due (预警, a project's page, the dashboard's tiles).
pub fn default_period(today: CalendarDate) -> Option<Period> {
    previous_month(today.period())
}

/// `GET /api/projects?…`: a page of the filtered, sorted list.
pub fn projects(query: &ListQuery) -> String {
    api_url("/projects", &encode_pairs(&query.to_pairs()))
}

/// The first page of every project of `filter`, as many per page as the API gives.
pub fn all_projects_first(filter: &ProjectFilter) -> ListQuery {
    ListQuery {
        filter: filter.clone(),
        per_page: crate::query::MAX_PER_PAGE,
        ..ListQuery::default()
    }
}

/// `GET /api/projects/{code}`.
pub fn project(code: &str) -> String {
    api_url(&format!("/projects/{}", encode_path_segment(code)), "")
}

/// `GET /api/projects/{code}/plans`.
pub fn project_plans(code: &str) -> String {
    api_url(
        &format!("/projects/{}/plans", encode_path_segment(code)),
        "",
    )
}

fn month(period: Period) -> String {
    encode_pairs(&[("period", period.to_string())])
}

/// `GET /api/projects/{code}/progress?period=`.
pub fn project_progress(code: &str, period: Period) -> String {
    let path = format!("/projects/{}/progress", encode_path_segment(code));
    api_url(&path, &month(period))
}

/// `GET /api/projects/{code}/warnings?period=`.
pub fn project_warnings(code: &str, period: Period) -> String {
    let path = format!("/projects/{}/warnings", encode_path_segment(code));
    api_url(&path, &month(period))
}

/// `GET /api/summary?group_by=…&…`.
pub fn summary(query: &SummaryQuery) -> String {
    api_url("/summary", &encode_pairs(&query.to_pairs()))
}

/// `GET /api/reconciliation`.
pub fn reconciliation() -> String {
    api_url("/reconciliation", "")
}

/// `GET /api/warnings?…`.
pub fn warnings(query: &WarningQuery) -> String {
    api_url("/warnings", &encode_pairs(&query.to_pairs()))
}

/// `GET /api/warnings?…&per_page=1`: one row asked for, only its total counts.
pub fn warning_count(query: &WarningQuery) -> String {
    warnings(&WarningQuery {
        per_page: 1,
        page: 1,
        ..query.clone()
    })
}

/// `GET /api/warnings/summary?period=…&…`.
pub fn warning_summary(query: &WarningQuery) -> String {
    let mut pairs = query.filter.to_pairs();
    if let Some(p) = query.period {
        pairs.push(("period", p.to_string()));
    }
    api_url("/warnings/summary", &encode_pairs(&pairs))
}

/// `GET /api/pivot?…`.
pub fn pivot(filter: &ProjectFilter) -> String {
    api_url("/pivot", &encode_pairs(&filter.to_pairs()))
}

/// `GET /api/budget?year=`.
pub fn budget(year: i32) -> String {
    api_url("/budget", &format!("year={year}"))
}

/// `GET /api/evaluation`.
pub fn evaluation() -> String {
    api_url("/evaluation", "")
}

/// `GET /api/owners`: the names the owner filter offers (项目, 进度计划, 预算, whatever their
/// address says).
pub fn owners() -> String {
    api_url("/owners", "")
}

/// The groupings the dashboard draws, each a summary of every project.
pub const DASHBOARD_GROUPS: [GroupBy; 5] = [
    GroupBy::District,
    GroupBy::Category,
    GroupBy::Nature,
    GroupBy::StartYear,
    GroupBy::EndYear,
];

/// The summary of every project by `group_by`.
pub fn dashboard_summary(group_by: GroupBy) -> SummaryQuery {
    SummaryQuery {
        filter: ProjectFilter::default(),
        group_by,
    }
}

/// The dashboard's three 预警 tiles for `period`: red, yellow, not reported.
pub fn dashboard_tiles(period: Period) -> [WarningQuery; 3] {
    let q = |level, rule| WarningQuery {
        period: Some(period),
        level,
        rule,
        ..WarningQuery::default()
    };
    [
        q(Some(Level::Red), None),
        q(Some(Level::Yellow), None),
        q(None, Some(RuleId::NotReported)),
    ]
}

/// The reads a public page makes as soon as it is drawn, for the address's query string
/// `search` on `today` (China): the ones whose address the page's own state decides. An
/// address the page would refuse reads nothing; the signed-in pages are left out (their
/// reads wait for the session). The browser tests check, page by page, that the app asks
/// for exactly these and finds each already on its way.
pub fn first_reads(route: &AppRoute, search: &str, today: CalendarDate) -> Vec<String> {
    let period = default_period(today);
    match route {
        AppRoute::Overview => {
            let mut r: Vec<String> = DASHBOARD_GROUPS
                .iter()
                .map(|&g| summary(&dashboard_summary(g)))
                .collect();
            r.push(reconciliation());
            if let Some(p) = period {
                r.extend(dashboard_tiles(p).iter().map(warning_count));
            }
            r
        }
        AppRoute::Projects => ListQuery::from_pairs(&parse_pairs(search))
            .map(|q| projects(&q))
            .into_iter()
            .chain([owners()])
            .collect(),
        AppRoute::Project { code } => {
            let mut r = vec![project(code), project_plans(code)];
            if let Some(p) = period {
                r.push(project_progress(code, p));
                r.push(project_warnings(code, p));
            }
            r
        }
        AppRoute::Schedule => filtered_search(search, SCHEDULE_OWN)
            .map(|s| projects(&all_projects_first(&s.filter)))
            .into_iter()
            .chain([owners()])
            .collect(),
        AppRoute::Budget => {
            let mut r = match filtered_search(search, BUDGET_OWN) {
                Ok(s) => {
                    let mut r = vec![pivot(&s.filter)];
                    r.extend(budget_year(&s).map(budget));
                    r
                }
                Err(_) => Vec::new(),
            };
            r.extend([reconciliation(), owners()]);
            r
        }
        AppRoute::Warnings => {
            let mut pairs = parse_pairs(search);
            if !pairs.iter().any(|(k, v)| k == "period" && !v.is_empty())
                && let Some(p) = period
            {
                pairs.push(("period".into(), p.to_string()));
            }
            WarningQuery::from_pairs(&pairs)
                .map(|q| vec![warnings(&q), warning_summary(&q)])
                .unwrap_or_default()
        }
        AppRoute::Evaluation => vec![evaluation()],
        AppRoute::Reports { .. }
        | AppRoute::Login
        | AppRoute::MyProjects
        | AppRoute::Review
        | AppRoute::Users
        | AppRoute::Audit
        | AppRoute::Timeliness
        | AppRoute::Plans
        | AppRoute::NotFound { .. } => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> CalendarDate {
        CalendarDate::from_ymd(y, m, d).expect("a date")
    }

    #[test]
    fn urls_are_same_origin_and_encoded() {
        assert_eq!(api_url("/projects", ""), "/api/projects");
        assert_eq!(
            api_url("/summary", "group_by=category"),
            "/api/summary?group_by=category"
        );
        assert_eq!(encode_path_segment("B09"), "B09");
        assert_eq!(encode_path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_path_segment("敬~x"), "%E6%95%AC~x");
    }

    #[test]
    fn the_dashboard_reads_its_summaries_and_the_tiles_of_last_month() {
        let reads = first_reads(&AppRoute::Overview, "", day(2026, 1, 15));
        assert!(reads.contains(&"/api/summary?group_by=end_year".to_string()));
        assert!(reads.contains(&"/api/reconciliation".to_string()));
        assert!(
            reads.contains(&"/api/warnings?period=2025-12&level=red&per_page=1".to_string()),
            "{reads:?}"
        );
        assert_eq!(reads.len(), 9, "{reads:?}");
    }

    #[test]
    fn a_list_address_reads_its_page_and_a_refused_one_only_the_owner_names() {
        let reads = first_reads(
            &AppRoute::Projects,
            "?district=shaoshan&sort=-total_investment",
            day(2026, 12, 6),
        );
        assert_eq!(
            reads,
            [
                "/api/projects?district=shaoshan&sort=-total_investment",
                "/api/owners"
            ]
        );
        // the owner filter's names load whatever the address says
        let refused = first_reads(&AppRoute::Schedule, "?district=nowhere", day(2026, 12, 6));
        assert_eq!(refused, ["/api/owners"]);
        let budget = first_reads(&AppRoute::Budget, "year=2019", day(2026, 12, 6));
        assert_eq!(budget, ["/api/pivot", "/api/reconciliation", "/api/owners"]);
    }

    #[test]
    fn a_signed_in_page_reads_nothing_before_the_session() {
        assert!(first_reads(&AppRoute::Review, "", day(2026, 12, 6)).is_empty());
    }
}
