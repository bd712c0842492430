//! Progress reports (月报), their review, and the audit trail.

use keyproj_shared::{
    AuditPage, AuditQuery, ImportResult, Report, ReportBody, ReportList, ReportPage, ReportQuery,
    ReturnRequest,
};

use super::api::{decode, encode_path_segment, send, send_body, url};
use super::error::ApiError;
use super::json;
use super::query_string::encode_pairs;

/// `GET /api/projects/{code}/reports`: newest first.
pub async fn project_reports(code: &str) -> Result<ReportList, ApiError> {
    let path = format!("/projects/{}/reports", encode_path_segment(code));
    decode(&send("GET", &url(&path, ""), None, &[]).await?)
}

/// `POST /api/projects/{code}/reports`. `key` makes a retry safe: the same key with the same
/// body answers the report the first attempt created.
pub async fn submit_report(code: &str, body: &ReportBody, key: &str) -> Result<Report, ApiError> {
    let path = format!("/projects/{}/reports", encode_path_segment(code));
    let body = json::to_string(body);
    decode(
        &send(
            "POST",
            &url(&path, ""),
            Some(&body),
            &[("Idempotency-Key", key)],
        )
        .await?,
    )
}

/// `/api/reports/template.xlsx?period=YYYY-MM`: a plain link, the browser downloads it.
pub fn template_url(period: &str) -> String {
    let period = period.trim();
    if period.is_empty() {
        url("/reports/template.xlsx", "")
    } else {
        url(
            "/reports/template.xlsx",
            &super::query_string::encode_pairs(&[("period", period.to_string())]),
        )
    }
}

/// `POST /api/reports/import?dry_run=…` with the workbook as the multipart part `file`.
pub async fn import_workbook(
    file: &web_sys::File,
    dry_run: bool,
) -> Result<ImportResult, ApiError> {
    let network = |_| ApiError::Network("POST /api/reports/import".to_string());
    let form = web_sys::FormData::new().map_err(network)?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(network)?;
    let target = url("/reports/import", &format!("dry_run={dry_run}"));
    decode(&send_body("POST", &target, Some((form.into(), None)), &[]).await?)
}

/// `GET /api/reports?state=…`: the review queue (finance, admins), oldest first.
pub async fn report_queue(query: &ReportQuery) -> Result<ReportPage, ApiError> {
    let q = encode_pairs(&query.to_pairs());
    decode(&send("GET", &url("/reports", &q), None, &[]).await?)
}

/// `POST /api/reports/{id}/approve`, or `/return` with a reason, with the report's ETag.
pub async fn review_report(
    id: i64,
    etag: &str,
    return_reason: Option<&str>,
) -> Result<Report, ApiError> {
    let (what, body) = match return_reason {
        Some(reason) => (
            "return",
            json::to_string(&ReturnRequest {
                reason: reason.to_string(),
            }),
        ),
        None => ("approve", "{}".to_string()),
    };
    let path = format!("/reports/{id}/{what}");
    decode(&send("POST", &url(&path, ""), Some(&body), &[("If-Match", etag)]).await?)
}

/// `GET /api/audit?…` (finance, admins), newest first.
pub async fn audit(query: &AuditQuery) -> Result<AuditPage, ApiError> {
    let q = encode_pairs(&query.to_pairs());
    decode(&send("GET", &url("/audit", &q), None, &[]).await?)
}

/// A fresh `Idempotency-Key`: 128 random bits from the browser's CSPRNG, in hex.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0_u8; 16];
    let random = gloo::utils::window()
        .crypto()
        .ok()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok());
    if random.is_none() {
        // No crypto (a very old browser): the time is unique enough for one user's retries.
        let now = gloo::utils::window()
            .performance()
            .map_or(0.0, |p| p.time_origin() + p.now());
        bytes[..8].copy_from_slice(&now.to_bits().to_be_bytes());
    }
    let mut key = String::with_capacity(32);
    for b in bytes {
        key.push_str(&format!("{b:02x}"));
    }
    key
}
