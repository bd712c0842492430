use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use keyproj_shared::{
    REPORT_FIELDS, Report, ReportBody, ReportList, ReportPage, ReportQuery, ReturnRequest,
};

use super::body::Body;
use super::{RawQuery, no_store};
use crate::auth::{self, Reviewers, Signed};
use crate::db::DbPool;
use crate::error::ApiError;
use crate::precondition::Expected;
use crate::reports::{self, Decision, MAX_IDEMPOTENCY_KEY_CHARS, Submission};

fn with_etag(mut res: actix_web::HttpResponseBuilder, report: &Report) -> HttpResponse {
    res.insert_header((header::ETAG, report.etag.clone()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(report)
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(v) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let bad = || {
        ApiError::field(
            "Idempotency-Key",
            format!("应为 1-{MAX_IDEMPOTENCY_KEY_CHARS} 个可见 ASCII 字符，如一个 UUID"),
        )
    };
    let s = v.to_str().map_err(|_| bad())?.trim();
    if s.is_empty()
        || s.len() > MAX_IDEMPOTENCY_KEY_CHARS
        || !s.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(bad());
    }
    Ok(Some(s.to_string()))
}

/// Submit a monthly progress report (an owner of the project's organisation, or an admin).
/// With an `Idempotency-Key`, a retried request answers the report the first one created.
#[utoipa::path(
    tag = "reports",
    params(
        ("code" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "any unique string, e.g. a UUID; the same key with the same body answers the original report, with a different body 422"),
    ),
    request_body = ReportBody,
    responses(
        (status = 201, body = Report, description = "created (or, for a retried key, the report the first request created)"),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, description = "not an owner of this project's organisation", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, description = "each bad, unknown or server-set field named", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/projects/{code}/reports")]
pub async fn submit(
    req: HttpRequest,
    signed: Signed,
    pool: web::Data<DbPool>,
    code: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let key = idempotency_key(&req);
    let (report, replayed) = signed
        .with_conn(&pool, move |conn, caller| {
            let submission = submission(code, key?, &body)?;
            reports::submit(conn, &caller.user, &caller.actor(), &submission)
        })
        .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, format!("/api/reports/{}", report.id)));
    if replayed {
        res.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(with_etag(res, &report))
}

/// A report as the body asks for it; the shape errors go with it, for the service to
/// answer together with the value errors.
fn submission(code: String, key: Option<String>, body: &[u8]) -> Result<Submission, ApiError> {
    let mut b = Body::parse(body, REPORT_FIELDS)?;
    let report = ReportBody {
        period: b.required_string("period"),
        physical_progress_pct: b
            .decimal_text("physical_progress_pct", true)
            .unwrap_or_default(),
        investment_completed: b
            .money_text("investment_completed", true)
            .unwrap_or_default(),
        social_investment_completed: b.money_text("social_investment_completed", false),
        status: b.required_string("status"),
        actual_start: b.string("actual_start"),
        actual_end: b.string("actual_end"),
        progress_text: b.string("progress_text").unwrap_or_default(),
        problems_text: b.string("problems_text").unwrap_or_default(),
        over_total_reason: b.string("over_total_reason"),
    };
    let fingerprint = auth::sha256_hex(format!("{code}\n{}", b.canonical()).as_bytes());
    Ok(Submission {
        code,
        body: report,
        shape_errors: b.errors,
        idempotency_key: key,
        fingerprint,
    })
}

/// A project's reports, newest first: every correction and review. Owners see only their
/// own organisation's projects.
#[utoipa::path(
    tag = "reports",
    params(("code" = String, Path)),
    responses(
        (status = 200, body = ReportList),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects/{code}/reports")]
pub async fn history(
    signed: Signed,
    pool: web::Data<DbPool>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let list = signed
        .with_conn(&pool, move |conn, caller| {
            reports::history(conn, &caller.user, &code)
        })
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(list))
}

/// The review queue: `state=submitted` (finance and admins); also `project=B09`, paging.
/// Each report still submitted comes with its 审核 context in `contexts`: the last approved
/// report and the change since, 总投资, the year's plan, and the warnings approval would give.
#[utoipa::path(
    tag = "reports",
    params(
        ("state" = Option<String>, Query, description = "submitted, approved, returned or superseded"),
        ("project" = Option<String>, Query, description = "a project code"),
        ("page" = Option<u32>, Query),
        ("per_page" = Option<u32>, Query, description = "1-500, default 100"),
    ),
    responses(
        (status = 200, body = ReportPage),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports")]
pub async fn queue(
    signed: Signed<Reviewers>,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let page = signed
        .with_conn(&pool, move |conn, _| {
            let q = ReportQuery::from_pairs(&query).map_err(ApiError::Validation)?;
            reports::page(conn, &q)
        })
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(page))
}

/// One report, with its ETag.
#[utoipa::path(
    operation_id = "get_report",
    tag = "reports",
    params(("id" = i32, Path)),
    responses((status = 200, body = Report), (status = 404, body = keyproj_shared::Problem, content_type = "application/problem+json"))
)]
// digits only, so that `/reports/import` and `/reports/template.xlsx` are never taken for an id
#[get("/reports/{id:\\d+}")]
pub async fn get_one(
    signed: Signed,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let report = signed
        .with_conn(&pool, move |conn, caller| {
            reports::get(conn, &caller.user, id)
        })
        .await?;
    Ok(with_etag(HttpResponse::Ok(), &report))
}

/// Approve a submitted report (finance and admins; not one's own; `If-Match` required).
#[utoipa::path(
    tag = "reports",
    params(("id" = i32, Path), ("If-Match" = String, Header, description = "the report's ETag, e.g. \"r12-v1\"")),
    responses(
        (status = 200, body = Report),
        (status = 403, description = "not a reviewer, or the reviewer submitted it", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 409, description = "not submitted: approved, returned or superseded", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 412, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 428, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reports/{id}/approve")]
pub async fn approve(
    req: HttpRequest,
    signed: Signed<Reviewers>,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    review(&req, signed, &pool, id.into_inner(), || {
        Ok(Decision::Approve)
    })
    .await
}

/// Return a submitted report to its owner with a reason (finance and admins).
#[utoipa::path(
    tag = "reports",
    params(("id" = i32, Path), ("If-Match" = String, Header)),
    request_body = ReturnRequest,
    responses(
        (status = 200, body = Report),
        (status = 409, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reports/{id}/return")]
pub async fn return_report(
    req: HttpRequest,
    signed: Signed<Reviewers>,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    review(&req, signed, &pool, id.into_inner(), move || {
        let mut b = Body::parse(&body, &["reason"])?;
        let r = ReturnRequest {
            reason: b.required_string("reason"),
        };
        let mut errors = b.errors;
        if errors.is_empty() {
            errors = r.validate();
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        Ok(Decision::Return(r.reason))
    })
    .await
}

/// A review, once the reviewer is known: the decision the body asks for (422), then
/// `If-Match` (428), then the report's state and version.
async fn review(
    req: &HttpRequest,
    signed: Signed<Reviewers>,
    pool: &DbPool,
    id: i32,
    decision: impl FnOnce() -> Result<Decision, ApiError> + Send + 'static,
) -> Result<HttpResponse, ApiError> {
    let expected = Expected::from_request(req);
    let report = signed
        .with_conn(pool, move |conn, caller| {
            let decision = decision()?;
            let expected = expected?;
            reports::review(
                conn,
                &caller.user,
                &caller.actor(),
                id,
                &expected,
                &decision,
            )
        })
        .await?;
    Ok(with_etag(HttpResponse::Ok(), &report))
}
