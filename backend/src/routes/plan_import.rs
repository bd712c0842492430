//! Annual plans from a workbook: `GET /api/plans/template.xlsx` and `POST /api/plans/import`.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures::StreamExt;
use keyproj_shared::plan::PLAN_YEARS;
use keyproj_shared::report::MAX_REASON_CHARS;
use keyproj_shared::{ExportQuery, MAX_IMPORT_FILE_BYTES, PlanImportResult};

use super::{RawQuery, no_store};
use crate::auth::{Planners, Signed};
use crate::catalog;
use crate::db::{self, DbPool};
use crate::error::ApiError;
use crate::import::Upload;
use crate::models::plan::PlanRow;
use crate::models::project::ProjectRow;
use crate::plan_import::template::{self, TemplateRow};
use crate::plan_import::{self, MAX_FILE_REASON_BYTES};
use crate::plans;

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The upload's form, as the document describes it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PlanImportForm {
    /// The filled template (.xlsx), at most 10 MB and 5000 data rows.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// 调整原因 for every row that creates or changes a plan and has none of its own; at
    /// most 500 characters.
    #[schema(value_type = Option<String>)]
    reason: Option<String>,
}

/// The year of the template: `year`, once, 2020-2030; the other pairs are the list filters.
fn template_year(pairs: &mut Vec<(String, String)>) -> Result<i32, ApiError> {
    let raw: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "year")
        .map(|(_, v)| v.clone())
        .collect();
    pairs.retain(|(k, _)| k != "year");
    let range = format!("{}-{}", PLAN_YEARS.start(), PLAN_YEARS.end());
    match raw.as_slice() {
        [] => Err(ApiError::field(
            "year",
            format!("必填：计划年度，{range} 之间，如 2025"),
        )),
        [one] => match one.trim().parse::<i32>() {
            Ok(y) if PLAN_YEARS.contains(&y) => Ok(y),
            _ => Err(ApiError::field(
                "year",
                format!("应为 {range} 之间的四位年份，如 2025"),
            )),
        },
        _ => Err(ApiError::field("year", "只能给一次")),
    }
}

/// The workbook to fill for a year (planners and admins): every project whose span
/// includes the year, or those the list's filters select; code, name, year, the current
/// plan's version and last year's figures locked; the year's current plan filled in.
#[utoipa::path(
    tag = "plans",
    params(
        ("year" = i32, Query, minimum = 2020, maximum = 2030, description = "the plan year, 2020-2030 (required)", example = "2025"),
        ("sort" = Option<String>, Query, description = "as for /api/projects; so are all its filters"),
    ),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX workbook: sheet 年度计划, and 说明"),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, description = "neither a planner nor an admin", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, description = "year missing or outside 2020-2030, or a bad filter", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/plans/template.xlsx")]
pub async fn plan_template(
    signed: Signed<Planners>,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let mut pairs = query.into_inner();
    let (year, rows) = signed
        .with_conn(&pool, move |conn, _| {
            let year = template_year(&mut pairs)?;
            let q = ExportQuery::from_pairs(&pairs).map_err(ApiError::Validation)?;
            catalog::check_filter(conn, &q.filter)?;
            let projects: Vec<ProjectRow> = ProjectRow::matching(conn, &q.filter, q.sort)?
                .into_iter()
                .filter(|p| p.start_earliest_year <= year && year <= p.end_latest_year)
                .collect();
            let ids: Vec<i32> = projects.iter().map(|p| p.id).collect();
            let mut current = PlanRow::current_of_projects(conn, &ids)?;
            let rows = projects
                .into_iter()
                .map(|p| {
                    let plans = current
                        .remove(&p.id)
                        .unwrap_or_default()
                        .iter()
                        .filter(|r| r.year == year || r.year == year - 1)
                        .map(|r| Ok((r.year, plans::view(&p.code, r)?)))
                        .collect::<Result<HashMap<_, _>, ApiError>>()?;
                    Ok(TemplateRow {
                        code: p.code,
                        name: p.name,
                        plans,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            Ok((year, rows))
        })
        .await?;
    let body = web::block(move || template::workbook(&rows, year))
        .await?
        .map_err(ApiError::internal)?;
    Ok(no_store(HttpResponse::Ok())
        .content_type(XLSX_TYPE)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "keyproj-年度计划-{year}.xlsx"
            ))],
        })
        .body(body))
}

/// Reads the `file` part, refusing it past the limit while it arrives, and the `reason`.
async fn read_form(mut form: Multipart) -> Result<(Upload, Option<String>), ApiError> {
    let broken = |e: actix_multipart::MultipartError| {
        ApiError::BadRequest(format!("multipart 请求体无法解析：{e}"))
    };
    let mut upload = None;
    let mut reason = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(broken)?;
        let (name, limit) = match field.name() {
            Some("file") => ("file", MAX_IMPORT_FILE_BYTES),
            Some("reason") => ("reason", MAX_FILE_REASON_BYTES),
            _ => {
                // drain what is neither
                while let Some(chunk) = field.next().await {
                    chunk.map_err(broken)?;
                }
                continue;
            }
        };
        let file_name: String = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("upload.xlsx")
            .chars()
            .take(200)
            .collect();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(broken)?;
            if bytes.len() + chunk.len() > limit {
                return Err(match name {
                    "file" => ApiError::PayloadTooLarge { limit },
                    _ => ApiError::field("reason", format!("最多 {MAX_REASON_CHARS} 字")),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if name == "file" {
            upload = Some(Upload { file_name, bytes });
        } else {
            let text = String::from_utf8(bytes)
                .map_err(|_| ApiError::field("reason", "应为 UTF-8 文本"))?;
            if text.trim().chars().count() > MAX_REASON_CHARS {
                return Err(ApiError::field(
                    "reason",
                    format!("最多 {MAX_REASON_CHARS} 字"),
                ));
            }
            reason = Some(text);
        }
    }
    let upload = upload.ok_or_else(|| {
        ApiError::field(
            "file",
            "必填：请以 multipart/form-data 的 file 字段上传 .xlsx 工作簿",
        )
    })?;
    Ok((upload, reason))
}

/// Annual plans from a filled template (planners and admins). The whole file is checked
/// first by the rules of `PUT /api/projects/{code}/plans/{year}`: with any error, nothing
/// is written and the 422 lists every error by sheet, row and column letter. A clean file
/// is applied in one transaction: each row that differs from the year's current plan
/// becomes a new revision (audited as a `PUT` is), with the row's 调整原因 or the form's
/// `reason`; a row equal to it, or with no input cell filled, writes nothing, so the same
/// file uploaded again changes nothing.
#[utoipa::path(
    tag = "plans",
    request_body(content = PlanImportForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = PlanImportResult, description = "applied: how many plans were created, changed and unchanged, row by row"),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, description = "neither a planner nor an admin (settled before the upload is read)", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 413, description = "a file over 10 MB", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 415, description = "not multipart/form-data", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, description = "not an xlsx (csv, xls, another zip, empty), over 5000 data rows or inflating past 100 MB; a reason over 500 characters; or errors in rows (nothing written; `result.errors` lists every one by sheet, row, column letter and field, `errors` the first 50 as `sheet!A1`)", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/plans/import")]
pub async fn plan_upload(
    signed: Signed<Planners>,
    pool: web::Data<DbPool>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // who may upload is settled before the upload is read, with no connection held while
    // it arrives
    let caller = signed.caller_only(&pool).await?;
    let (upload, reason) = read_form(Multipart::new(req.headers(), payload)).await?;
    let result: PlanImportResult = db::with_conn(&pool, move |conn| {
        plan_import::run(
            conn,
            &caller.actor(),
            caller.user.id,
            &upload,
            reason.as_deref(),
        )
    })
    .await?;
    Ok(no_store(HttpResponse::Ok()).json(result))
}
