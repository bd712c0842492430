//! Monthly reports from a workbook: the template, the upload (dry run or real), and the
//! marked-up copy of an upload with errors.

use actix_multipart::Multipart;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures::StreamExt;
use keyproj_shared::{ExportQuery, ImportResult, MAX_IMPORT_FILE_BYTES, Period, Role};

use super::{RawQuery, no_store};
use crate::auth::{Importers, Signed};
use crate::catalog;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::ApiError;
use crate::import::{self, Outcome, Upload};

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn attachment(name: &str) -> ContentDisposition {
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(name.to_string())],
    }
}

/// The upload's form, as the document describes it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ImportForm {
    /// The workbook (.xlsx), at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The month a template is for: `period`, or the current month (China time); never a month
/// to come.
fn template_period(pairs: &mut Vec<(String, String)>) -> Result<Period, ApiError> {
    let today = clock::today_in_china(clock::now())
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the clock is out of range")))?;
    let raw: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "period")
        .map(|(_, v)| v.clone())
        .collect();
    pairs.retain(|(k, _)| k != "period");
    match raw.as_slice() {
        [] => Ok(today.period()),
        [one] => match one.trim().parse::<Period>() {
            Ok(p) if p > today.period() => Err(ApiError::field("period", "不能填报未来的月份")),
            Ok(p) => Ok(p),
            Err(()) => Err(ApiError::field(
                "period",
                "应为年月，格式 YYYY-MM，如 2024-03",
            )),
        },
        _ => Err(ApiError::field("period", "只能给一次")),
    }
}

/// The workbook to fill for a month: an owner's organisation's projects (an admin: every
/// project, or those the list's filters select), code, name and the last approved figures
/// locked, the report's columns with Chinese headers and validation, and a 说明 sheet.
#[utoipa::path(
    tag = "reports",
    params(
        ("period" = Option<String>, Query, description = "YYYY-MM, not after the current month (China time); default the current month"),
        ("sort" = Option<String>, Query, description = "as for /api/projects; so are all its filters (an owner's rows are always only their organisation's)"),
    ),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX workbook"),
        (status = 403, description = "neither an owner nor an admin", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/template.xlsx")]
pub async fn template(
    signed: Signed,
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<HttpResponse, ApiError> {
    let mut pairs = query.into_inner();
    let (period, items) = signed
        .with_conn(&pool, move |conn, caller| {
            let user = &caller.user;
            let own = match (user.role, &user.organisation) {
                (Role::Admin, _) => None,
                (Role::Owner, Some(org)) => Some(i64::from(org.id)),
                _ => {
                    return Err(ApiError::Forbidden(
                        "只有建设单位和系统管理员可以填报进度".to_string(),
                    ));
                }
            };
            let period = template_period(&mut pairs)?;
            let q = ExportQuery::from_pairs(&pairs).map_err(ApiError::Validation)?;
            let (rows, _) = catalog::export_rows(conn, &q)?;
            let items: Vec<_> = rows
                .into_iter()
                .map(|(item, _)| item)
                .filter(|item| own.is_none_or(|org| item.owners.iter().any(|o| o.id == org)))
                .collect();
            Ok((period, items))
        })
        .await?;
    let body = web::block(move || import::template::workbook(&items, period))
        .await?
        .map_err(ApiError::internal)?;
    Ok(no_store(HttpResponse::Ok())
        .content_type(XLSX_TYPE)
        .insert_header(attachment(&format!("keyproj-月报-{period}.xlsx")))
        .body(body))
}

/// Reads the `file` part, refusing it past the limit while it arrives.
async fn read_upload(mut form: Multipart) -> Result<Upload, ApiError> {
    let broken = |e: actix_multipart::MultipartError| {
        ApiError::BadRequest(format!("multipart 请求体无法解析：{e}"))
    };
    while let Some(field) = form.next().await {
        let mut field = field.map_err(broken)?;
        if field.name() != Some("file") {
            // drain what is not the file
            while let Some(chunk) = field.next().await {
                chunk.map_err(broken)?;
            }
            continue;
        }
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("upload.xlsx")
            .chars()
            .take(200)
            .collect();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(broken)?;
            if bytes.len() + chunk.len() > MAX_IMPORT_FILE_BYTES {
                return Err(ApiError::PayloadTooLarge {
                    limit: MAX_IMPORT_FILE_BYTES,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Upload { file_name, bytes });
    }
    Err(ApiError::field(
        "file",
        "必填：请以 multipart/form-data 的 file 字段上传 .xlsx 工作簿",
    ))
}

fn dry_run(pairs: &[(String, String)]) -> Result<bool, ApiError> {
    let mut value = None;
    for (k, v) in pairs {
        match k.as_str() {
            "dry_run" if value.is_none() => value = Some(v.as_str()),
            "dry_run" => return Err(ApiError::field("dry_run", "只能给一次")),
            other => {
                return Err(ApiError::field(
                    other.chars().take(64).collect::<String>().as_str(),
                    "未知参数；可用的参数: dry_run",
                ));
            }
        }
    }
    match value {
        None | Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(_) => Err(ApiError::field("dry_run", "应为 true 或 false")),
    }
}

/// Monthly reports from a filled template (owners: their organisation's projects; admins:
/// any). `dry_run=true` (the default) writes nothing and answers what each row would do;
/// `dry_run=false` writes every row in one transaction, or nothing if any row is wrong. The
/// same file imported again by the same user creates nothing and answers the first import
/// (`Idempotent-Replayed: true`). Every row is checked by the rules of
/// `POST /api/projects/{code}/reports`.
#[utoipa::path(
    tag = "reports",
    params(
        ("dry_run" = Option<bool>, Query, description = "true (default): check only; false: import"),
    ),
    request_body(content = ImportForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = ImportResult, description = "the dry run: what each row would do, and every error by sheet, row, column and field (with a link to the marked-up workbook when there are errors)"),
        (status = 201, body = ImportResult, description = "imported; or, with `Idempotent-Replayed: true`, the same file imported before"),
        (status = 403, description = "neither an owner nor an admin; or a row names another organisation's project (nothing written; `result` lists every row)", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 413, description = "a file over 10 MB", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 415, description = "not multipart/form-data", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, description = "not an xlsx (csv, xls, another zip, empty), over 5000 data rows or inflating past 100 MB; or, for a real import, rows with errors (nothing written; `result` lists every row, `error_workbook` links the marked-up copy)", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reports/import")]
pub async fn upload(
    signed: Signed<Importers>,
    pool: web::Data<DbPool>,
    query: RawQuery,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // who may import is settled before the upload is read (a planner gets 403, whatever the
    // body), and with no connection held while it arrives
    let caller = signed.caller_only(&pool).await?;
    let dry_run = dry_run(&query)?;
    let upload = read_upload(Multipart::new(req.headers(), payload)).await?;
    let outcome = db::with_conn(&pool, move |conn| {
        import::run(conn, &caller.user, &caller.actor(), &upload, dry_run)
    })
    .await?;
    Ok(match outcome {
        Outcome::Done(r) if r.dry_run => no_store(HttpResponse::Ok()).json(r),
        Outcome::Done(r) => no_store(HttpResponse::Created()).json(r),
        Outcome::Replayed(r) => no_store(HttpResponse::Created())
            .insert_header(("Idempotent-Replayed", "true"))
            .json(r),
    })
}

/// An upload with errors, each bad cell filled red with its message as a note. Only its
/// uploader may fetch it.
#[utoipa::path(
    tag = "reports",
    params(("id" = i32, Path, description = "the import batch, as `batch_id` of the answer")),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX workbook"),
        (status = 404, description = "no such batch of this user's, or it had no errors", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/imports/{id}/errors.xlsx")]
pub async fn error_workbook(
    signed: Signed,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (name, book) = signed
        .with_conn(&pool, move |conn, caller| {
            let missing = || ApiError::NotFound(format!("没有编号为 {id} 的导入错误工作簿"));
            match crate::models::report_import::error_workbook(conn, id, caller.user.id)? {
                Some((name, Some(book))) => Ok((name, book)),
                _ => Err(missing()),
            }
        })
        .await?;
    let stem = name.strip_suffix(".xlsx").unwrap_or(&name);
    Ok(no_store(HttpResponse::Ok())
        .content_type(XLSX_TYPE)
        .insert_header(attachment(&format!("{stem}-错误标注.xlsx")))
        .body(book))
}
