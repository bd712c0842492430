//! Annual plans: `GET /api/projects/{code}/plans`, `PUT /api/projects/{code}/plans/{year}`,
//! and the 年度计划 grid `GET /api/plans?year=`.

use super::filter_params::ProjectFilterParams;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, put, web};
use keyproj_shared::{
    AnnualPlan, FieldError, MilestoneBody, PLAN_FIELDS, PlanBody, PlanGrid, PlanGridQuery,
    ProjectPlans,
};
use serde_json::Value;

use super::RawQuery;
use super::body::{self, Body};
use crate::auth::{Planners, Signed};
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::precondition::Expected;
use crate::{plan_grid, plans};

/// A project's annual plans: the current plan of each year, and every revision (调整) with
/// its reason, author and time, newest first.
#[utoipa::path(
    operation_id = "list_plans",
    tag = "plans",
    params(("code" = String, Path, description = "e.g. `B09`")),
    responses(
        (status = 200, body = ProjectPlans),
        (status = 404, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects/{code}/plans")]
pub async fn plans_of_project(
    pool: web::Data<DbPool>,
    code: web::Path<String>,
) -> Result<web::Json<ProjectPlans>, ApiError> {
    let code = code.into_inner();
    let plans = with_conn(&pool, move |conn| plans::project_plans(conn, &code)).await?;
    Ok(web::Json(plans))
}

/// The 年度计划 grid (planners and admins): one row per project whose span includes `year`,
/// by code, with its current plan for the year (its version and the `If-Match` to revise
/// it) and last year's plan. At most 500 rows a page. Not cached: the answer is personal to
/// planners, and each row carries its own version.
#[utoipa::path(
    operation_id = "plan_grid",
    tag = "plans",
    params(
        ("year" = i32, Query, description = "the plan year, 2020-2030 (required)", minimum = 2020, maximum = 2030, example = 2025),
        ("page" = Option<u32>, Query, description = "1-based page", minimum = 1),
        ("per_page" = Option<u32>, Query, description = "1-500, default 100", minimum = 1, maximum = 500),
        ProjectFilterParams,
    ),
    responses(
        (status = 200, body = PlanGrid),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, description = "no year, a year outside 2020-2030, a bad filter or page", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/plans")]
pub async fn grid(
    signed: Signed<Planners>,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let pairs = query.into_inner();
    let grid = signed
        .with_conn(&pool, move |conn, _caller| {
            let q = PlanGridQuery::from_pairs(&pairs).map_err(ApiError::Validation)?;
            plan_grid::page(conn, &q)
        })
        .await?;
    Ok(super::no_store(HttpResponse::Ok()).json(grid))
}

/// Enter or revise a project's plan for a year (planners and admins). `If-Match` carries the
/// year's current plan ETag, or `"plan-{code}-{year}-v0"` when the year has none yet; a
/// `reason` is required. Each call stores a new revision; the old ones stay as history.
#[utoipa::path(
    operation_id = "revise_plan",
    tag = "plans",
    params(
        ("code" = String, Path),
        ("year" = i32, Path, description = "2020-2030, within the project's span"),
        ("If-Match" = String, Header, description = "the year's plan ETag, e.g. \"plan-B09-2025-v1\"; \"plan-B09-2025-v0\" for the first"),
    ),
    request_body = PlanBody,
    responses(
        (status = 200, body = AnnualPlan),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 404, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 412, description = "stale If-Match; current_etag in the body and ETag header", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/projects/{code}/plans/{year}")]
pub async fn revise(
    req: HttpRequest,
    signed: Signed<Planners>,
    pool: web::Data<DbPool>,
    path: web::Path<(String, String)>,
    bytes: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let expected = Expected::from_request(&req);
    let (code, year) = path.into_inner();
    let plan = signed
        .with_conn(&pool, move |conn, caller| {
            let expected = expected?;
            let year = year
                .parse::<i32>()
                .map_err(|_| ApiError::field("year", "年度应为四位数字，如 2025"))?;
            let body = plan_body(&bytes)?;
            plans::revise(
                conn,
                &caller.actor(),
                caller.user.id,
                &code,
                year,
                &expected,
                &body,
            )
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, plan.etag.clone()))
        .json(plan))
}

/// The body as typed; shape errors (unknown field, wrong type) are 422 naming the field.
fn plan_body(bytes: &[u8]) -> Result<PlanBody, ApiError> {
    let mut b = Body::parse(bytes, PLAN_FIELDS)?;
    let raw: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    let mut errors = Vec::new();
    let milestones = milestones(&raw, &mut errors);
    let monthly_breakdown = breakdown(&raw, &mut errors);
    let asked = PlanBody {
        reason: b.required_string("reason"),
        planned_investment: b.money_text("planned_investment", true).unwrap_or_default(),
        social_investment: b.money_text("social_investment", false),
        target_progress_pct: b.decimal_text("target_progress_pct", false),
        content: b.string("content").unwrap_or_default(),
        baseline_completed: b.money_text("baseline_completed", false),
        milestones,
        monthly_breakdown,
        over_total_reason: b.string("over_total_reason"),
    };
    let mut shape = b.errors;
    shape.extend(errors);
    if shape.is_empty() {
        Ok(asked)
    } else {
        Err(ApiError::Validation(body::merge(shape, &[], "")))
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn milestones(raw: &Value, errors: &mut Vec<FieldError>) -> Vec<MilestoneBody> {
    let items = match raw.get("milestones") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.push(FieldError::new("milestones", "类型不对：应为数组"));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
        match (item, field("kind"), field("month")) {
            (Value::Object(o), Some(kind), Some(month))
                if o.keys()
                    .all(|k| ["kind", "name", "month"].contains(&k.as_str())) =>
            {
                out.push(MilestoneBody {
                    kind,
                    name: field("name"),
                    month,
                })
            }
            _ => errors.push(FieldError::new(
                format!("milestones[{i}]"),
                "应为对象 {\"kind\": \"start\", \"month\": \"2025-03\"}（其他节点另加 name）",
            )),
        }
    }
    out
}

fn breakdown(raw: &Value, errors: &mut Vec<FieldError>) -> Option<Vec<String>> {
    match raw.get("monthly_breakdown") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            let list: Option<Vec<String>> = items.iter().map(text).collect();
            if list.is_none() {
                errors.push(FieldError::new(
                    "monthly_breakdown",
                    "类型不对：应为 12 个百分数组成的数组",
                ));
            }
            list
        }
        Some(_) => {
            errors.push(FieldError::new(
                "monthly_breakdown",
                "类型不对：应为 12 个百分数组成的数组",
            ));
            None
        }
    }
}
