//! Warnings (预警) for a month: the list, the colour counts, one project's, and the rule set.

use super::filter_params::ProjectFilterParams;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, put, web};
use keyproj_shared::warning::{ProjectWarnings, WarningPage, WarningSummary};
use keyproj_shared::{Period, RULE_SET_FIELDS, RuleSet, RuleSetBody, WarningQuery};

use super::RawQuery;
use super::body::{self, Body};
use crate::auth::{Admins, Signed};
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::precondition::Expected;
use crate::verdicts::VerdictCache;
use crate::warnings;

fn required_period(q: &WarningQuery) -> Result<Period, ApiError> {
    q.period
        .ok_or_else(|| ApiError::field("period", "必须指定月份，格式 YYYY-MM"))
}

/// The month's verdicts of every matching project: investment lag at every colour, the
/// other rules where they fire; each names the rule set and explains its arithmetic. Only
/// reports for months up to `period` are used.
#[utoipa::path(
    operation_id = "list_warnings",
    tag = "warnings",
    params(
        ("period" = String, Query, description = "the month, `YYYY-MM` (required)", example = "2024-06"),
        ("level" = Option<String>, Query, description = "green, info, yellow or red"),
        ("rule" = Option<String>, Query, description = "investment_lag, start_lag, completion_lag, not_reported or divergence"),
        ("page" = Option<u32>, Query, description = "1-based page"),
        ("per_page" = Option<u32>, Query, description = "1-500, default 50"),
        ProjectFilterParams,
    ),
    responses(
        (status = 200, body = WarningPage),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/warnings")]
pub async fn list(
    pool: web::Data<DbPool>,
    cache: web::Data<VerdictCache>,
    query: RawQuery,
) -> Result<web::Json<WarningPage>, ApiError> {
    let q = WarningQuery::from_pairs(&query).map_err(ApiError::Validation)?;
    let period = required_period(&q)?;
    let page = with_conn(&pool, move |conn| {
        let (rules, total, items) = warnings::page(conn, &cache, &q, period)?;
        Ok(WarningPage {
            period: period.to_string(),
            rule_set_version: rules.version,
            items,
            total,
            page: q.page,
            per_page: q.per_page,
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// How many matching projects are red, yellow, green or without a colour for the month, in
/// all, by district and by category.
#[utoipa::path(
    operation_id = "warning_summary",
    tag = "warnings",
    params(
        ("period" = String, Query, description = "the month, `YYYY-MM` (required)", example = "2024-06"),
        ProjectFilterParams,
    ),
    responses(
        (status = 200, body = WarningSummary),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/warnings/summary")]
pub async fn summary(
    pool: web::Data<DbPool>,
    cache: web::Data<VerdictCache>,
    query: RawQuery,
) -> Result<web::Json<WarningSummary>, ApiError> {
    let q = WarningQuery::summary_from_pairs(&query).map_err(ApiError::Validation)?;
    let period = required_period(&q)?;
    let out = with_conn(&pool, move |conn| {
        let month = cache.month(conn, period)?;
        let (total, by_district, by_category) = warnings::colour_counts(conn, &month, &q.filter)?;
        Ok(WarningSummary {
            period: period.to_string(),
            rule_set_version: month.rules.version,
            total,
            by_district,
            by_category,
        })
    })
    .await?;
    Ok(web::Json(out))
}

/// One project's 本年完成投资 and verdicts for the month.
#[utoipa::path(
    operation_id = "project_warnings",
    tag = "warnings",
    params(
        ("code" = String, Path),
        ("period" = String, Query, description = "the month, `YYYY-MM` (required)", example = "2024-06"),
    ),
    responses(
        (status = 200, body = ProjectWarnings),
        (status = 404, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects/{code}/warnings")]
pub async fn of_project(
    pool: web::Data<DbPool>,
    code: web::Path<String>,
    query: RawQuery,
) -> Result<web::Json<ProjectWarnings>, ApiError> {
    let period = WarningQuery::period_from_pairs(&query).map_err(ApiError::Validation)?;
    let code = code.into_inner();
    let out = with_conn(&pool, move |conn| {
        let (rules, j) = warnings::for_project(conn, &code, period)?;
        Ok(ProjectWarnings {
            code: j.project.code,
            period: period.to_string(),
            rule_set_version: rules.version,
            year_to_date: j.year_to_date,
            warnings: j.warnings,
        })
    })
    .await?;
    Ok(web::Json(out))
}

/// The warning rule set in force (the newest version) — thresholds are data, not code.
#[utoipa::path(operation_id = "warning_rules", tag = "warnings", responses((status = 200, body = RuleSet)))]
#[get("/warning-rules")]
pub async fn rule_set(pool: web::Data<DbPool>) -> Result<HttpResponse, ApiError> {
    let r = with_conn(&pool, warnings::current_rules).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, warnings::rules_etag(r.version)))
        .json(r))
}

/// Change the thresholds (admins): a new rule-set version, audited as `warning_rules`.
/// `If-Match` carries the version in force (`"rules-v1"`, also the `ETag` of `GET`).
#[utoipa::path(
    operation_id = "revise_warning_rules",
    tag = "warnings",
    params(("If-Match" = String, Header, description = "the rule set in force, e.g. \"rules-v1\"")),
    request_body = RuleSetBody,
    responses(
        (status = 200, body = RuleSet),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 412, description = "stale If-Match; current_etag in the body and ETag header", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/warning-rules")]
pub async fn revise_rules(
    req: HttpRequest,
    signed: Signed<Admins>,
    pool: web::Data<DbPool>,
    bytes: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let expected = Expected::from_request(&req);
    let stored = signed
        .with_conn(&pool, move |conn, caller| {
            let expected = expected?;
            let mut b = Body::parse(&bytes, RULE_SET_FIELDS)?;
            let mut get = |k: &str| b.decimal_text(k, true).unwrap_or_default();
            let asked = RuleSetBody {
                reason: String::new(),
                lag_mode: String::new(),
                lag_yellow_from: get("lag_yellow_from"),
                lag_red_above: get("lag_red_above"),
                relative_yellow_up_to: get("relative_yellow_up_to"),
                start_lag_red_months: get("start_lag_red_months"),
                report_deadline_day: get("report_deadline_day"),
                not_reported_red_months: get("not_reported_red_months"),
                divergence_above: get("divergence_above"),
            };
            let asked = RuleSetBody {
                reason: b.required_string("reason"),
                lag_mode: b.required_string("lag_mode"),
                ..asked
            };
            let parsed = asked.parse();
            let errors = body::merge(
                b.errors,
                parsed.as_ref().err().map(Vec::as_slice).unwrap_or_default(),
                "",
            );
            match parsed {
                Ok(set) if errors.is_empty() => {
                    warnings::revise_rules(conn, &caller.actor(), &expected, &set)
                }
                _ => Err(ApiError::Validation(errors)),
            }
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, warnings::rules_etag(stored.version)))
        .json(stored))
}
