//! One function per endpoint. Every answer goes through [`fetch_json`], which turns a non-2xx
//! answer into an [`ApiError`] carrying the server's `application/problem+json` body.

use gloo::net::http::{Request, Response};
use keyproj_shared::{ListQuery, Problem, ProjectDetail, ProjectPage, Summary, SummaryQuery};
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::query_string::encode_pairs;

/// All endpoints live under this path of the origin that served the app.
const API_BASE: &str = "/api";

/// `GET /api/projects?…`: one page of the filtered, sorted list, with the totals of the
/// whole filtered set.
pub async fn list_projects(query: &ListQuery) -> Result<ProjectPage, ApiError> {
    fetch_json(&url("/projects", &encode_pairs(&query.to_pairs()))).await
}

/// `GET /api/projects/{code}`.
pub async fn get_project(code: &str) -> Result<ProjectDetail, ApiError> {
    let path = format!("/projects/{}", encode_path_segment(code));
    fetch_json(&url(&path, "")).await
}

/// `GET /api/summary?group_by=…&…`.
pub async fn summary(query: &SummaryQuery) -> Result<Summary, ApiError> {
    fetch_json(&url("/summary", &encode_pairs(&query.to_pairs()))).await
}

fn url(path: &str, query: &str) -> String {
    if query.is_empty() {
        format!("{API_BASE}{path}")
    } else {
        format!("{API_BASE}{path}?{query}")
    }
}

/// Percent-encodes everything but unreserved characters, so a code is always one segment.
fn encode_path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn fetch_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let response = Request::get(url)
        .header("Accept", "application/json, application/problem+json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(error_from(response).await);
    }
    let text = response
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| ApiError::Decode(e.to_string()))
}

/// A non-2xx answer: its problem body when it has one, else the bare status.
async fn error_from(response: Response) -> ApiError {
    let status = response.status();
    let status_text = response.status_text();
    let body = response.text().await.unwrap_or_default();
    parse_problem(status, &body).map_or(
        ApiError::Status {
            status,
            status_text,
        },
        ApiError::Problem,
    )
}

/// Reads a problem body; any JSON object with at least a title counts (the content type is
/// not trusted to be exactly `application/problem+json`, a proxy may rewrite it).
fn parse_problem(status: u16, body: &str) -> Option<Problem> {
    let mut problem: Problem = serde_json::from_str(body).ok()?;
    if problem.status == 0 {
        problem.status = status;
    }
    Some(problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_body_is_read_with_its_field_errors() {
        let body = r#"{"type":"about:blank","title":"参数有误","status":400,
            "errors":[{"field":"per_page","message":"每页最多 100 条"}]}"#;
        let p = parse_problem(400, body).expect("a problem");
        assert_eq!(p.title, "参数有误");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].field, "per_page");
        assert!(parse_problem(502, "<html>Bad Gateway</html>").is_none());
    }

    #[test]
    fn urls_are_same_origin_and_encoded() {
        assert_eq!(url("/projects", ""), "/api/projects");
        assert_eq!(
            url("/summary", "group_by=category"),
            "/api/summary?group_by=category"
        );
        assert_eq!(encode_path_segment("B09"), "B09");
        assert_eq!(encode_path_segment("a/b c"), "a%2Fb%20c");
    }
}
