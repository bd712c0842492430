//! Monthly reports from a workbook (`POST /api/reports/import`) and the template to fill
//! (`GET /api/reports/template.xlsx`).
//!
//! Each row is checked by the rules of the single submission (`ReportBody::parse`, the
//! same permission check, the same storing in `reports::store`); this module only finds the
//! values in the workbook and says where each problem is. A real import writes every row in
//! one transaction, or nothing.

pub mod cells;
pub mod marked;
pub mod template;
pub mod workbook;

use std::collections::HashMap;

use keyproj_shared::{
    CellError, ImportResult, ImportRow, ReportBody, ReportState, Role, RowAction, column_letter,
    import_column,
};
use serde_json::json;

use self::cells::{Cell, date_text, free_text, number_text, period_text, word_text};
use self::workbook::{DataRow, Sheet};
use crate::audit::{self, Actor};
use crate::auth::{self, AuthUser};
use crate::clock;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::models::project::ProjectRow;
use crate::models::report::ReportRow;
use crate::models::report_import::{self as batches, NewImport};
use crate::reports;

/// Advisory lock class of an import (PostgreSQL), taken before the projects' (class 2).
const IMPORT_LOCK: i32 = 3;

/// The uploaded file.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// What the handler answers.
#[derive(Debug)]
pub enum Outcome {
    /// A dry run, or a real import that wrote its reports.
    Done(ImportResult),
    /// The same file imported again by the same user: the first import's answer.
    Replayed(ImportResult),
}

/// A row of the sheet as the report rules see it.
struct Checked {
    row: ImportRow,
    project: Option<ProjectRow>,
    values: Option<keyproj_shared::ReportValues>,
}

/// Imports (or, with `dry_run`, only checks) the workbook for `user`.
pub fn run(
    conn: &mut DbConnection,
    user: &AuthUser,
    actor: &Actor,
    upload: &Upload,
    dry_run: bool,
) -> Result<Outcome, ApiError> {
    may_import(user)?;
    let sha256 = auth::sha256_hex(&upload.bytes);
    if !dry_run && let Some(stored) = batches::applied_result(conn, user.id, &sha256)? {
        return replay(&stored);
    }
    let sheet = workbook::read(&upload.bytes)?;
    let mut result = ImportResult {
        batch_id: None,
        dry_run,
        applied: false,
        file_name: upload.file_name.clone(),
        sha256: sha256.clone(),
        rows_total: u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX),
        new_reports: 0,
        corrections: 0,
        unchanged: 0,
        rows_with_errors: 0,
        file_errors: sheet.file_errors.clone(),
        rows: Vec::new(),
        error_workbook: None,
    };
    if dry_run || !result.file_errors.is_empty() {
        let checked = check_rows(conn, user, &sheet)?;
        finish(&mut result, checked);
        if result.has_errors() {
            keep_errors(conn, user, upload, &sheet, &mut result)?;
            if !dry_run {
                return Err(rejected(result));
            }
        }
        return Ok(Outcome::Done(result));
    }
    // a real import: checked and written in one transaction, so that what was checked is
    // what is written
    let outcome = db::write_transaction(conn, |conn| -> Result<Applied, ApiError> {
        db::lock_pair(conn, IMPORT_LOCK, lock_key(user.id, &sha256))?;
        if let Some(stored) = batches::applied_result(conn, user.id, &sha256)? {
            return Ok(Applied::Before(stored));
        }
        let mut r = result.clone();
        let checked = check_rows(conn, user, &sheet)?;
        let failed = checked
            .iter()
            .any(|c| matches!(c.row.action, RowAction::Error | RowAction::Forbidden));
        if failed {
            finish(&mut r, checked);
            return Ok(Applied::Refused(r));
        }
        let mut made = Vec::new();
        let mut rows = Vec::with_capacity(checked.len());
        for mut c in checked {
            if matches!(c.row.action, RowAction::New | RowAction::Correction)
                && let (Some(project), Some(values)) = (c.project.as_ref(), c.values.take())
            {
                let report = reports::store(conn, user, actor, project, values, None, None)?;
                c.row.report_id = Some(report.id);
                made.push(report.id);
            }
            rows.push(c);
        }
        finish(&mut r, rows);
        r.applied = true;
        let now = clock::stamp(clock::now());
        let id = NewImport {
            user_id: user.id,
            file_name: &upload.file_name,
            sha256: &sha256,
            dry_run: false,
            applied: true,
            rows_total: i32::try_from(r.rows_total).unwrap_or(i32::MAX),
            created_at: &now,
            result_json: "{}",
            error_workbook: None,
        }
        .insert(conn)?;
        r.batch_id = Some(i64::from(id));
        batches::set_result(
            conn,
            id,
            &serde_json::to_string(&r).map_err(ApiError::internal)?,
        )?;
        // under `report` (the entities are fixed by a CHECK the append-only trail cannot be
        // rebuilt to widen on SQLite): the batch is `import-<id>`, its reports are listed
        audit::record(
            conn,
            actor,
            audit::REPORT,
            &format!("import-{id}"),
            "import",
            None,
            Some(&json!({
                "file_name": upload.file_name,
                "sha256": sha256,
                "rows": r.rows_total,
                "reports": made,
                "unchanged": r.unchanged,
            })),
        )?;
        Ok(Applied::Now(r))
    })?;
    match outcome {
        Applied::Now(r) => Ok(Outcome::Done(r)),
        // another request applied the same file first
        Applied::Before(stored) => replay(&stored),
        Applied::Refused(mut r) => {
            keep_errors(conn, user, upload, &sheet, &mut r)?;
            Err(rejected(r))
        }
    }
}

/// How the transaction of a real import ended.
enum Applied {
    Now(ImportResult),
    Before(String),
    Refused(ImportResult),
}

fn replay(stored: &str) -> Result<Outcome, ApiError> {
    let r: ImportResult = serde_json::from_str(stored).map_err(ApiError::internal)?;
    Ok(Outcome::Replayed(r))
}

fn lock_key(user_id: i32, sha256: &str) -> i32 {
    let h = auth::sha256_hex(format!("import:{user_id}:{sha256}").as_bytes());
    u32::from_str_radix(&h[..8], 16).map_or(0, |v| v as i32)
}

/// Owners (for their organisation's projects, checked per row) and admins.
fn may_import(user: &AuthUser) -> Result<(), ApiError> {
    match user.role {
        Role::Owner | Role::Admin => Ok(()),
        _ => Err(ApiError::Forbidden(
            "只有建设单位和系统管理员可以导入月报".to_string(),
        )),
    }
}

/// The answer to a real import that wrote nothing: 403 when a row names another
/// organisation's project, 422 for any other error; `result` lists every row.
fn rejected(result: ImportResult) -> ApiError {
    ApiError::ImportRejected(Box::new(result))
}

/// Stores the upload's marked-up copy for its uploader, and links it from the answer.
fn keep_errors(
    conn: &mut DbConnection,
    user: &AuthUser,
    upload: &Upload,
    sheet: &Sheet,
    result: &mut ImportResult,
) -> Result<(), ApiError> {
    let errors: Vec<&CellError> = result
        .file_errors
        .iter()
        .chain(result.rows.iter().flat_map(|r| r.errors.iter()))
        .collect();
    let book = marked::workbook(sheet, &errors).map_err(ApiError::internal)?;
    let now = clock::stamp(clock::now());
    let json = serde_json::to_string(&*result).map_err(ApiError::internal)?;
    let id = db::write_transaction(conn, |conn| -> Result<i32, ApiError> {
        Ok(NewImport {
            user_id: user.id,
            file_name: &upload.file_name,
            sha256: &result.sha256,
            dry_run: result.dry_run,
            applied: false,
            rows_total: i32::try_from(result.rows_total).unwrap_or(i32::MAX),
            created_at: &now,
            result_json: &json,
            error_workbook: Some(&book),
        }
        .insert(conn)?)
    })?;
    result.batch_id = Some(i64::from(id));
    result.error_workbook = Some(format!("/api/reports/imports/{id}/errors.xlsx"));
    Ok(())
}

/// Counts the rows' actions into the answer.
fn finish(result: &mut ImportResult, checked: Vec<Checked>) {
    for c in &checked {
        match c.row.action {
            RowAction::New => result.new_reports += 1,
            RowAction::Correction => result.corrections += 1,
            RowAction::Unchanged => result.unchanged += 1,
            RowAction::Error | RowAction::Forbidden => result.rows_with_errors += 1,
        }
    }
    result.rows = checked.into_iter().map(|c| c.row).collect();
}

/// The cell of a field in a row (empty when the sheet has no such column).
fn cell<'a>(sheet: &Sheet, row: &'a DataRow, field: &str) -> &'a Cell {
    static EMPTY: Cell = Cell::Empty;
    sheet
        .column_of(field)
        .and_then(|c| row.cells.get(c as usize))
        .unwrap_or(&EMPTY)
}

fn error_at(sheet: &Sheet, row: u32, field: &str, message: impl Into<String>) -> CellError {
    CellError {
        sheet: sheet.name.clone(),
        row,
        column: sheet
            .column_of(field)
            .map(column_letter)
            .unwrap_or_default(),
        field: field.to_string(),
        message: message.into(),
    }
}

/// Every row checked by the single submission's rules, and what it would do.
fn check_rows(
    conn: &mut DbConnection,
    user: &AuthUser,
    sheet: &Sheet,
) -> Result<Vec<Checked>, ApiError> {
    if !sheet.file_errors.is_empty() {
        return Ok(Vec::new());
    }
    let mut projects: HashMap<String, Option<ProjectRow>> = HashMap::new();
    let mut allowed: HashMap<i32, Result<(), String>> = HashMap::new();
    let mut seen: HashMap<(i32, String), u32> = HashMap::new();
    let mut out = Vec::with_capacity(sheet.rows.len());
    for data in &sheet.rows {
        out.push(check_row(
            conn,
            user,
            sheet,
            data,
            &mut projects,
            &mut allowed,
            &mut seen,
        )?);
    }
    Ok(out)
}

fn check_row(
    conn: &mut DbConnection,
    user: &AuthUser,
    sheet: &Sheet,
    data: &DataRow,
    projects: &mut HashMap<String, Option<ProjectRow>>,
    allowed: &mut HashMap<i32, Result<(), String>>,
    seen: &mut HashMap<(i32, String), u32>,
) -> Result<Checked, ApiError> {
    let n = data.excel_row;
    let code = word_text(cell(sheet, data, "project_code")).to_uppercase();
    let mut errors = Vec::new();
    let period = match period_text(cell(sheet, data, "period")) {
        Ok(p) => p.unwrap_or_default(),
        Err(e) => {
            errors.push(error_at(sheet, n, "period", e));
            String::new()
        }
    };
    let body = ReportBody {
        period: period.clone(),
        physical_progress_pct: number_text(cell(sheet, data, "physical_progress_pct"))
            .unwrap_or_default(),
        investment_completed: number_text(cell(sheet, data, "investment_completed"))
            .unwrap_or_default(),
        social_investment_completed: number_text(cell(sheet, data, "social_investment_completed")),
        status: word_text(cell(sheet, data, "status")),
        actual_start: date_text(cell(sheet, data, "actual_start")),
        actual_end: date_text(cell(sheet, data, "actual_end")),
        progress_text: free_text(cell(sheet, data, "progress_text")),
        problems_text: free_text(cell(sheet, data, "problems_text")),
        over_total_reason: Some(free_text(cell(sheet, data, "over_total_reason")))
            .filter(|t| !t.is_empty()),
    };
    let mut row = ImportRow {
        sheet: sheet.name.clone(),
        row: n,
        project_code: code.clone(),
        period: body
            .period
            .parse::<keyproj_shared::Period>()
            .ok()
            .map(|p| p.to_string()),
        action: RowAction::Error,
        status: 422,
        report_id: None,
        supersedes_id: None,
        errors: Vec::new(),
    };
    let project = if code.is_empty() {
        errors.push(error_at(sheet, n, "project_code", "必填"));
        None
    } else {
        if !projects.contains_key(&code) {
            let found = match ProjectRow::find_by_code(conn, &code) {
                Ok(p) => Some(p),
                Err(diesel::result::Error::NotFound) => None,
                Err(e) => return Err(e.into()),
            };
            projects.insert(code.clone(), found);
        }
        projects.get(&code).cloned().flatten()
    };
    let Some(project) = project else {
        if !code.is_empty() {
            errors.push(error_at(
                sheet,
                n,
                "project_code",
                format!("没有编号为“{code}”的项目"),
            ));
            row.status = 404;
        }
        row.errors = errors;
        return Ok(Checked {
            row,
            project: None,
            values: None,
        });
    };
    if let std::collections::hash_map::Entry::Vacant(slot) = allowed.entry(project.id) {
        slot.insert(match reports::check_may_report(conn, user, &project) {
            Ok(()) => Ok(()),
            Err(ApiError::Forbidden(why)) => Err(why),
            Err(e) => return Err(e),
        });
    }
    if let Some(Err(why)) = allowed.get(&project.id) {
        errors.push(error_at(sheet, n, "project_code", why.clone()));
        row.action = RowAction::Forbidden;
        row.status = 403;
        row.errors = errors;
        return Ok(Checked {
            row,
            project: None,
            values: None,
        });
    }
    let parsed = body.parse(reports::context_of(&project));
    let values = match parsed {
        Ok(v) if errors.is_empty() => Some(v),
        Ok(_) => None,
        Err(field_errors) => {
            for e in field_errors {
                // the ambiguity of a month is said once, in its own words
                if e.field == "period" && errors.iter().any(|x| x.field == "period") {
                    continue;
                }
                errors.push(error_at(sheet, n, &e.field, e.message));
            }
            None
        }
    };
    let Some(values) = values else {
        row.errors = errors;
        return Ok(Checked {
            row,
            project: Some(project),
            values: None,
        });
    };
    let period = values.period.to_string();
    if let Some(first) = seen.get(&(project.id, period.clone())) {
        row.errors = vec![error_at(
            sheet,
            n,
            "period",
            format!(
                "项目 {code} 的 {period} 月报已在第 {first} 行填报，同一文件中每个项目每月只能填一行"
            ),
        )];
        return Ok(Checked {
            row,
            project: Some(project),
            values: None,
        });
    }
    seen.insert((project.id, period.clone()), n);
    let earlier = ReportRow::of_period(conn, project.id, &period)?;
    let current = earlier.first();
    let live = [ReportState::Submitted.key(), ReportState::Approved.key()];
    match current {
        Some(c) if live.contains(&c.state.as_str()) && reports::same_values(c, &values) => {
            row.action = RowAction::Unchanged;
            row.status = 200;
            row.report_id = Some(i64::from(c.id));
        }
        Some(c) => {
            row.action = RowAction::Correction;
            row.status = 201;
            row.supersedes_id = Some(i64::from(c.id));
        }
        None => {
            row.action = RowAction::New;
            row.status = 201;
        }
    }
    Ok(Checked {
        row,
        project: Some(project),
        values: Some(values),
    })
}

/// The field a column header names, for messages.
pub fn header_of(field: &str) -> &'static str {
    import_column(field).map_or("", |c| c.header)
}
