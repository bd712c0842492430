//! A project's annual plans and its month-by-month progress; the warning rule set.

use keyproj_shared::address;
use keyproj_shared::warning::rule_set_etag;
use keyproj_shared::{
    AnnualPlan, Period, PlanBody, PlanGrid, PlanGridQuery, ProjectPlans, ProjectProgress,
    ProjectWarnings, RuleSet, RuleSetBody, WarningPage, WarningQuery,
};

use super::api::{decode, encode_path_segment, fetch_text, send, url};
use super::error::ApiError;
use super::json;
use super::query_string::encode_pairs;

/// `GET /api/projects/{code}/plans`: the current plan of each year and every revision.
pub async fn project_plans(code: &str) -> Result<ProjectPlans, ApiError> {
    decode(&fetch_text(&address::project_plans(code)).await?)
}

/// `GET /api/plans?year=`: a page of the 年度计划 grid.
pub async fn plan_grid(query: &PlanGridQuery) -> Result<PlanGrid, ApiError> {
    decode(&fetch_text(&url("/plans", &encode_pairs(&query.to_pairs()))).await?)
}

/// `PUT /api/projects/{code}/plans/{year}` with `If-Match: etag`: a new revision.
pub async fn revise_plan(
    code: &str,
    year: i32,
    etag: &str,
    body: &PlanBody,
) -> Result<AnnualPlan, ApiError> {
    let path = format!("/projects/{}/plans/{year}", encode_path_segment(code));
    let body = json::to_string(body);
    decode(&send("PUT", &url(&path, ""), Some(&body), &[("If-Match", etag)]).await?)
}

/// `GET /api/projects/{code}/progress?period=`: the period's year, month by month.
pub async fn project_progress(code: &str, period: Period) -> Result<ProjectProgress, ApiError> {
    decode(&fetch_text(&address::project_progress(code, period)).await?)
}

/// `GET /api/projects/{code}/warnings?period=`: the month's 本年完成投资 and verdicts.
pub async fn project_warnings(code: &str, period: Period) -> Result<ProjectWarnings, ApiError> {
    decode(&fetch_text(&address::project_warnings(code, period)).await?)
}

/// How many warnings the list gives for `query` (one item asked for: only its total counts).
pub async fn warning_count(query: &WarningQuery) -> Result<u64, ApiError> {
    let page: WarningPage = decode(&fetch_text(&address::warning_count(query)).await?)?;
    Ok(page.total)
}

/// `GET /api/warning-rules`: the rule set in force.
pub async fn warning_rules() -> Result<RuleSet, ApiError> {
    decode(&fetch_text(&url("/warning-rules", "")).await?)
}

/// `PUT /api/warning-rules` (admins): a new version replacing `version`.
pub async fn revise_warning_rules(version: i32, body: &RuleSetBody) -> Result<RuleSet, ApiError> {
    let etag = rule_set_etag(version);
    let body = json::to_string(body);
    decode(
        &send(
            "PUT",
            &url("/warning-rules", ""),
            Some(&body),
            &[("If-Match", &etag)],
        )
        .await?,
    )
}

/// The download of the 预警 list (`csv` or `xlsx`): the same query, every matching row.
pub fn warnings_export_url(ext: &str, query: &WarningQuery) -> String {
    let q = WarningQuery {
        page: 1,
        ..query.clone()
    };
    url(
        &format!("/export/warnings.{ext}"),
        &encode_pairs(&q.to_pairs()),
    )
}
