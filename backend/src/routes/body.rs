//! JSON request bodies, read field by field so that every problem is named at once: each
//! unknown or server-set field, each value of the wrong type. The shared types' `parse`
//! then checks the values.
//!
//! What may carry a body is decided here too, for every `/api` route at once
//! ([`json_only`]): a body is JSON (415 otherwise) of at most [`BODY_LIMIT`] bytes (413),
//! except where the API document says the operation takes `multipart/form-data` (the
//! workbook upload): there a multipart body of at most [`UPLOAD_LIMIT`] bytes.

use actix_web::HttpMessage;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use keyproj_shared::{FieldError, SERVER_SET_FIELDS};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The largest request body read, in bytes (actix's `PayloadConfig`, set in `startup`).
pub const BODY_LIMIT: usize = 256 * 1024;

/// The largest multipart body: the largest file and room for the part headers. The file's
/// own limit is checked as it is read (`routes::report_import`).
pub const UPLOAD_LIMIT: usize = keyproj_shared::MAX_IMPORT_FILE_BYTES + 64 * 1024;

pub const JSON: &str = "application/json";
pub const MULTIPART: &str = "multipart/form-data";

/// Middleware: a request that carries a body must say `Content-Type: application/json`
/// (parameters such as `charset` allowed) — a form or `text/plain` is refused before any
/// handler reads it, whatever the route. A body over the limit, found before or while it
/// is read, is a 413 problem rather than actix's plain-text one.
pub async fn json_only(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Some(refusal) = refusal(&req) {
        return Ok(req.error_response(refusal).map_into_right_body());
    }
    let res = next.call(req).await?;
    let overflowed = res
        .response()
        .error()
        .is_some_and(|e| matches!(e.as_error::<PayloadError>(), Some(PayloadError::Overflow)));
    if overflowed {
        let (req, _) = res.into_parts();
        let answer = actix_web::ResponseError::error_response(&ApiError::PayloadTooLarge {
            limit: BODY_LIMIT,
        });
        return Ok(ServiceResponse::new(req, answer).map_into_right_body());
    }
    Ok(res.map_into_left_body())
}

/// Why a request's body is refused before it is read, if it is.
fn refusal(req: &ServiceRequest) -> Option<ApiError> {
    let headers = req.headers();
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let has_body = length.is_some_and(|n| n > 0) || headers.contains_key(header::TRANSFER_ENCODING);
    if !has_body {
        return None;
    }
    // the media type the route's documented request body takes
    let expected = req
        .app_data::<actix_web::web::Data<utoipa::openapi::OpenApi>>()
        .and_then(|doc| super::openapi::request_media_types(doc, req.method(), req.path()))
        .filter(|types| types.iter().any(|t| t == MULTIPART))
        .map_or(JSON, |_| MULTIPART);
    let limit = if expected == MULTIPART {
        UPLOAD_LIMIT
    } else {
        BODY_LIMIT
    };
    if length.is_some_and(|n| n > limit as u64) {
        return Some(ApiError::PayloadTooLarge { limit });
    }
    let sent = headers.get(header::CONTENT_TYPE).map(|v| {
        String::from_utf8_lossy(v.as_bytes())
            .chars()
            .take(100)
            .collect()
    });
    match req.mime_type() {
        Ok(Some(m)) if m.essence_str() == expected => None,
        _ => Some(ApiError::UnsupportedMediaType { sent, expected }),
    }
}

pub struct Body {
    map: Map<String, Value>,
    pub errors: Vec<FieldError>,
}

impl Body {
    /// The body as a JSON object whose fields are all in `allowed`: 400 if it is not JSON,
    /// 422 if it is not an object; each other field becomes an error naming it.
    pub fn parse(bytes: &[u8], allowed: &[&str]) -> Result<Body, ApiError> {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| {
            ApiError::BadRequest(format!(
                "请求体不是有效的 JSON（第 {} 行第 {} 列）",
                e.line(),
                e.column()
            ))
        })?;
        let Value::Object(map) = value else {
            return Err(ApiError::field("body", "请求体应为 JSON 对象"));
        };
        let mut errors = Vec::new();
        for key in map.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let message = if SERVER_SET_FIELDS.contains(&key.as_str()) {
                "此字段由系统设置，不能提交".to_string()
            } else {
                format!("未知字段；可提交的字段: {}", allowed.join(", "))
            };
            errors.push(FieldError::new(short(key), message));
        }
        Ok(Body { map, errors })
    }

    /// The object with its keys sorted, as text: two bodies that mean the same have the same
    /// canonical form (serde_json's map is ordered by key).
    pub fn canonical(&self) -> String {
        Value::Object(self.map.clone()).to_string()
    }

    fn wrong_type(&mut self, key: &str, expected: &str) {
        self.errors
            .push(FieldError::new(key, format!("类型不对：应为{expected}")));
    }

    /// A string field; absent or null is `None`.
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.wrong_type(key, "字符串");
                None
            }
        }
    }

    /// A string field that must be there; missing is an error, answered as "".
    pub fn required_string(&mut self, key: &str) -> String {
        if !self.map.contains_key(key) || self.map.get(key) == Some(&Value::Null) {
            self.errors.push(FieldError::new(key, "必填"));
            return String::new();
        }
        self.string(key).unwrap_or_default()
    }

    /// A decimal given as a string or a JSON number, as text (the number's own digits; it
    /// is never computed with).
    pub fn decimal_text(&mut self, key: &str, required: bool) -> Option<String> {
        match self.map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.errors.push(FieldError::new(key, "必填"));
                }
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                self.wrong_type(key, "数字或数字字符串");
                None
            }
        }
    }

    /// A money field: a decimal string only, so no float ever carries money.
    pub fn money_text(&mut self, key: &str, required: bool) -> Option<String> {
        match self.map.get(key) {
            Some(Value::Number(_)) => {
                self.errors.push(FieldError::new(
                    key,
                    "金额应写成字符串，如 \"1234.56\"（万元，最多两位小数）",
                ));
                None
            }
            _ if required => Some(self.required_string(key)),
            _ => self.string(key),
        }
    }

    /// A list of strings.
    pub fn string_list(&mut self, key: &str) -> Option<Vec<String>> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let list: Option<Vec<String>> = items
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect();
                if list.is_none() {
                    self.wrong_type(key, "字符串数组");
                }
                list
            }
            Some(_) => {
                self.wrong_type(key, "字符串数组");
                None
            }
        }
    }

    /// Whether the field is present with JSON null.
    pub fn is_null(&self, key: &str) -> bool {
        self.map.get(key) == Some(&Value::Null)
    }
}

/// The shape's errors, then the values' errors for fields not named yet; `noise` is a
/// message left out when the shape is wrong (e.g. "nothing to change", which a refused
/// field would otherwise also cause).
pub fn merge(shape: Vec<FieldError>, values: &[FieldError], noise: &str) -> Vec<FieldError> {
    let shape_failed = !shape.is_empty();
    let mut errors = shape;
    for e in values {
        if shape_failed && e.message == noise {
            continue;
        }
        if !errors.iter().any(|x| x.field == e.field) {
            errors.push(e.clone());
        }
    }
    errors
}

/// A field name as reported back: at most 64 characters of it.
fn short(key: &str) -> String {
    key.chars().take(64).collect()
}
