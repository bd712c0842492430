//! 年度计划: the workbook template of a year and its upload.

use keyproj_shared::{PlanImportResult, ProjectFilter};

use super::api::{decode, send_body, url};
use super::error::ApiError;
use super::query_string::encode_pairs;

/// `/api/plans/template.xlsx?year=YYYY` with the list's filters: a plain link, the browser
/// downloads it. The same rows as the grid of `year` and `filter`.
pub fn plan_template_url(year: i32, filter: &ProjectFilter) -> String {
    let mut pairs = vec![("year", year.to_string())];
    pairs.extend(filter.to_pairs());
    url("/plans/template.xlsx", &encode_pairs(&pairs))
}

/// `POST /api/plans/import` with the workbook as the multipart part `file`, and the reason
/// for rows that give none.
pub async fn import_plans(
    file: &web_sys::File,
    reason: &str,
) -> Result<PlanImportResult, ApiError> {
    let network = |_| ApiError::Network("POST /api/plans/import".to_string());
    let form = web_sys::FormData::new().map_err(network)?;
    if !reason.trim().is_empty() {
        form.append_with_str("reason", reason.trim())
            .map_err(network)?;
    }
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(network)?;
    decode(
        &send_body(
            "POST",
            &url("/plans/import", ""),
            Some((form.into(), None)),
            &[],
        )
        .await?,
    )
}
