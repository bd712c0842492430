//! The one place where errors become HTTP answers.
//!
//! Policy:
//! - Every error answer is `application/problem+json` (RFC 9457), with `errors[]` naming each
//!   parameter or field at fault.
//! - A client's mistake is a 4xx: 404 for a missing resource (diesel's `NotFound` included),
//!   422 for a well-formed request with bad values, 400 for a body or query that cannot be
//!   decoded at all, 405 (with `Allow`) for a method a documented path does not declare, 415 for a body that is not `application/json`, 413 for one over the
//!   limit; 401 without a valid session, 403 for a role or organisation that may
//!   not do it (or a cross-site request), 409 for a transition the resource's state forbids
//!   (or a duplicate), 428 for an update without `If-Match`, 412 for a stale one (the answer
//!   carries the current ETag, in the `ETag` header and as `current_etag` in the body), 429
//!   for too many failed logins (with `Retry-After`).
//! - Anything else is ours: the client gets 500 (or 503 when the database is busy) with a
//!   fixed sentence and nothing from inside — no SQL, no paths, no panic text. The full cause
//!   chain goes to the log.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use keyproj_shared::{FieldError, MAX_LISTED_ERRORS, PROBLEM_CONTENT_TYPE, Problem};

use crate::db::Contention;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("invalid request: {0:?}")]
    Validation(Vec<FieldError>),
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("body not {expected}: {sent:?}")]
    UnsupportedMediaType {
        sent: Option<String>,
        /// What the route takes: `application/json`, or `multipart/form-data` for an upload.
        expected: &'static str,
    },
    #[error("body over {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("{method} not allowed; allowed: {allow}")]
    MethodNotAllowed { method: String, allow: String },
    #[error("not logged in: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("If-Match required")]
    PreconditionRequired,
    #[error("stale If-Match; current {etag}")]
    PreconditionFailed { etag: String, version: i64 },
    #[error("too many failed logins")]
    TooManyRequests { retry_after_secs: u64 },
    /// A workbook import that wrote nothing because rows are wrong: 403 when a row names
    /// another organisation's project, 422 otherwise; the answer carries every row.
    #[error("import refused: {} rows with errors", .0.rows_with_errors)]
    ImportRejected(Box<keyproj_shared::ImportResult>),
    /// A plan workbook with errors (422): nothing written; the answer carries every error.
    #[error("plan import refused: {} errors", .0.errors.len())]
    PlanImportRejected(Box<keyproj_shared::PlanImportResult>),
    #[error("database busy")]
    Unavailable(#[source] anyhow::Error),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(e.into())
    }

    fn problem(&self) -> Problem {
        let status = self.status_code().as_u16();
        let (kind, title, detail, mut errors) = match self {
            ApiError::NotFound(what) => ("not-found", "未找到", Some(what.clone()), vec![]),
            ApiError::Validation(errors) => (
                "validation",
                "请求参数有误",
                Some("请按 errors 中的说明修改后重试".to_string()),
                errors.clone(),
            ),
            ApiError::BadRequest(what) => {
                ("bad-request", "请求格式有误", Some(what.clone()), vec![])
            }
            ApiError::UnsupportedMediaType { sent, expected } => (
                "unsupported-media-type",
                "请求体格式不支持",
                Some(format!("Content-Type 应为 {expected}")),
                vec![FieldError::new(
                    "Content-Type",
                    match sent {
                        Some(t) => format!("应为 {expected}，收到的是 {t}"),
                        None => format!("缺少；应为 {expected}"),
                    },
                )],
            ),
            ApiError::PayloadTooLarge { limit } => (
                "payload-too-large",
                "请求体过大",
                Some(format!("请求体最多 {} KiB（{limit} 字节）", limit / 1024)),
                vec![FieldError::new("body", format!("超过上限 {limit} 字节"))],
            ),
            ApiError::MethodNotAllowed { method, allow } => (
                "method-not-allowed",
                "不支持该请求方法",
                Some(format!("这个接口不支持 {method}，只支持 {allow}")),
                vec![],
            ),
            ApiError::Unauthorized(what) => ("unauthorized", "未登录", Some(what.clone()), vec![]),
            ApiError::Forbidden(what) => ("forbidden", "无权操作", Some(what.clone()), vec![]),
            ApiError::Conflict(what) => ("conflict", "状态冲突", Some(what.clone()), vec![]),
            ApiError::PreconditionRequired => (
                "precondition-required",
                "缺少版本号",
                Some("修改须带 If-Match 请求头，值为读取时得到的 ETag".to_string()),
                vec![FieldError::new("If-Match", "必填")],
            ),
            ApiError::PreconditionFailed { etag, .. } => (
                "precondition-failed",
                "内容已被他人修改",
                Some(format!(
                    "读取之后已有人修改了它，当前版本为 {etag}；请重新读取后再修改"
                )),
                vec![FieldError::new("If-Match", "版本已过期")],
            ),
            ApiError::TooManyRequests { retry_after_secs } => (
                "too-many-requests",
                "尝试次数过多",
                Some(format!("登录失败次数过多，请 {retry_after_secs} 秒后再试")),
                vec![],
            ),
            ApiError::ImportRejected(r) => (
                "import-rejected",
                "工作簿有错误，未导入",
                Some(format!(
                    "{} 行有错误，没有写入任何报告；请按 result.rows 中的说明{}修改后重新上传",
                    r.rows_with_errors + u32::try_from(r.file_errors.len()).unwrap_or(0),
                    if r.error_workbook.is_some() {
                        "（或下载 error_workbook 中标注了错误的工作簿）"
                    } else {
                        ""
                    },
                )),
                r.file_errors
                    .iter()
                    .chain(r.rows.iter().flat_map(|row| row.errors.iter()))
                    .map(|e| {
                        FieldError::new(
                            format!("{}!{}{}", e.sheet, e.column, e.row),
                            format!("{}：{}", e.field, e.message),
                        )
                    })
                    .collect(),
            ),
            ApiError::PlanImportRejected(r) => (
                "import-rejected",
                "工作簿有错误，未导入",
                Some(format!(
                    "共 {} 处错误，没有写入任何计划；请按 errors（工作表!单元格）的说明修改后重新上传",
                    r.errors.len()
                )),
                r.errors
                    .iter()
                    .map(|e| {
                        FieldError::new(
                            format!("{}!{}{}", e.sheet, e.column, e.row),
                            format!("{}：{}", e.field, e.message),
                        )
                    })
                    .collect(),
            ),
            ApiError::Unavailable(_) => (
                "unavailable",
                "服务繁忙",
                Some("数据库暂时繁忙，请稍后重试".to_string()),
                vec![],
            ),
            ApiError::Internal(_) => (
                "internal",
                "服务器内部错误",
                Some("服务器处理请求时出错，已记录日志".to_string()),
                vec![],
            ),
        };
        // a body with thousands of unknown keys must not get an answer many times its size
        let errors_total = (errors.len() > MAX_LISTED_ERRORS)
            .then(|| u32::try_from(errors.len()).unwrap_or(u32::MAX));
        errors.truncate(MAX_LISTED_ERRORS);
        let detail = match errors_total {
            Some(n) => Some(format!(
                "共 {n} 项错误，errors 中列出前 {MAX_LISTED_ERRORS} 项；请按说明修改后重试"
            )),
            None => detail,
        };
        Problem {
            kind: format!("/problems/{kind}"),
            title: title.to_string(),
            status,
            detail,
            errors,
            errors_total,
        }
    }
}

/// Logs an error with its whole cause chain.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::ImportRejected(r) => {
                if r.rows.iter().any(|row| row.status == 403) {
                    StatusCode::FORBIDDEN
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                }
            }
            ApiError::PlanImportRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if matches!(self, ApiError::Internal(_) | ApiError::Unavailable(_)) {
            tracing::error!(error = %Chain(self), "request failed");
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        ));
        if matches!(self, ApiError::Unavailable(_)) {
            res.insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")));
        }
        let mut body = serde_json::to_value(self.problem()).unwrap_or_default();
        match self {
            ApiError::TooManyRequests { retry_after_secs } => {
                res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                if let Ok(v) = HeaderValue::from_str(allow) {
                    res.insert_header((header::ALLOW, v));
                }
            }
            ApiError::PreconditionFailed { etag, version } => {
                if let Ok(v) = HeaderValue::from_str(etag) {
                    res.insert_header((header::ETAG, v));
                }
                // RFC 9457 extension members: the version the client must re-read
                if let Some(obj) = body.as_object_mut() {
                    obj.insert("current_etag".into(), etag.clone().into());
                    obj.insert("current_version".into(), (*version).into());
                }
            }
            // RFC 9457 extension members: every row, and the marked-up workbook
            ApiError::ImportRejected(r) => {
                if let Some(obj) = body.as_object_mut() {
                    if let Some(link) = &r.error_workbook {
                        obj.insert("error_workbook".into(), link.clone().into());
                    }
                    obj.insert(
                        "result".into(),
                        serde_json::to_value(&**r).unwrap_or_default(),
                    );
                }
            }
            ApiError::PlanImportRejected(r) => {
                if let Some(obj) = body.as_object_mut() {
                    obj.insert(
                        "result".into(),
                        serde_json::to_value(&**r).unwrap_or_default(),
                    );
                }
            }
            _ => {}
        }
        res.body(body.to_string())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => ApiError::NotFound("请求的记录不存在".to_string()),
            // a check-then-insert lost a race on PostgreSQL: a duplicate, said without the SQL
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => ApiError::Conflict("记录已存在".to_string()),
            e if e.is_contention() => ApiError::Unavailable(e.into()),
            e => ApiError::Internal(e.into()),
        }
    }
}

impl Contention for ApiError {
    fn is_contention(&self) -> bool {
        matches!(self, ApiError::Unavailable(_))
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        ApiError::Unavailable(e.into())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(e.into())
    }
}
