//! Annual plans from a workbook (`POST /api/plans/import`) and the template to fill
//! (`GET /api/plans/template.xlsx`).
//!
//! Each row is checked by the rules of `PUT /api/projects/{code}/plans/{year}`
//! (`PlanBody::parse`) and stored by the same `plans::store`; this module only finds the
//! values in the workbook and says where each problem is. The whole file is checked first
//! and written in one transaction, or not at all; a row whose values equal the year's
//! current plan writes nothing, so the same file uploaded twice changes nothing.

pub mod template;

use std::collections::HashMap;

use keyproj_shared::plan_import::BREAKDOWN_FIELDS;
use keyproj_shared::{
    CellError, MilestoneBody, MilestoneKind, Money, PLAN_IMPORT_COLUMNS, PlanBody, PlanContext,
    PlanImportResult, PlanImportRow, PlanRowAction, PlanValues, column_letter,
};

use crate::audit::Actor;
use crate::auth;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::import::Upload;
use crate::import::cells::{Cell, free_text, number_text, period_text, word_text};
use crate::import::workbook::{self, DataRow, Sheet};
use crate::models::plan::PlanRow;
use crate::models::project::ProjectRow;
use crate::plans;

/// The reason given for the whole file, used where a changed row's 调整原因 is blank.
pub const MAX_FILE_REASON_BYTES: usize = 4 * 1024;

/// The input columns: a row with none of them filled is skipped.
fn is_input(field: &str) -> bool {
    PLAN_IMPORT_COLUMNS
        .iter()
        .any(|c| c.field == field && !c.locked)
}

/// A checked row, ready to store.
struct Ready {
    project: ProjectRow,
    year: i32,
    before: Option<PlanRow>,
    values: PlanValues,
}

/// What the project's current plans are, loaded once per project.
struct Known {
    project: ProjectRow,
    current: Vec<PlanRow>,
}

/// Checks the whole workbook and, when every row is right, stores every changed plan in one
/// transaction. A file with errors is a 422 carrying every error; nothing is written.
pub fn run(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: i32,
    upload: &Upload,
    file_reason: Option<&str>,
) -> Result<PlanImportResult, ApiError> {
    let sheet = workbook::read_columns(&upload.bytes, PLAN_IMPORT_COLUMNS, "年度计划表")?;
    let file_reason = file_reason.map(str::trim).filter(|r| !r.is_empty());
    db::write_transaction(conn, |conn| -> Result<PlanImportResult, ApiError> {
        let mut result = PlanImportResult {
            file_name: upload.file_name.clone(),
            sha256: auth::sha256_hex(&upload.bytes),
            sheet: sheet.name.clone(),
            rows_total: u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX),
            created: 0,
            changed: 0,
            unchanged: 0,
            blank: 0,
            rows_with_errors: 0,
            errors: sheet.file_errors.clone(),
            rows: Vec::new(),
        };
        if result.has_errors() {
            return Err(ApiError::PlanImportRejected(Box::new(result)));
        }
        let mut known: HashMap<String, Option<Known>> = HashMap::new();
        let mut seen: HashMap<(i32, i32), u32> = HashMap::new();
        let mut ready = Vec::new();
        for data in &sheet.rows {
            let mut errors = Vec::new();
            let (row, r) = check_row(
                conn,
                &sheet,
                data,
                file_reason,
                &mut known,
                &mut seen,
                &mut errors,
            )?;
            if !errors.is_empty() {
                result.rows_with_errors += 1;
                result.errors.extend(errors);
            }
            if let Some(r) = r {
                ready.push((result.rows.len(), r));
            }
            result.rows.push(row);
        }
        if result.has_errors() {
            return Err(ApiError::PlanImportRejected(Box::new(result)));
        }
        // locks in project order, so two uploads cannot wait on each other
        let mut ids: Vec<i32> = ready.iter().map(|(_, r)| r.project.id).collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            plans::lock(conn, id)?;
        }
        for (i, r) in &ready {
            let stored = plans::store(
                conn,
                actor,
                user_id,
                &r.project,
                r.year,
                r.before.as_ref(),
                &r.values,
            )?;
            result.rows[*i].version = Some(stored.version);
        }
        for row in &result.rows {
            match row.action {
                PlanRowAction::Created => result.created += 1,
                PlanRowAction::Changed => result.changed += 1,
                PlanRowAction::Unchanged => result.unchanged += 1,
                PlanRowAction::Blank => result.blank += 1,
                PlanRowAction::Error => {}
            }
        }
        if !ready.is_empty() {
            // plans feed the public reads (the plan list, the evaluation, the reconciliation)
            // and the cached warnings of exactly these projects
            let touched: Vec<i32> = ready.iter().map(|(_, r)| r.project.id).collect();
            db::data_version::bump_touching(conn, &touched)?;
        }
        Ok(result)
    })
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

/// A whole number typed or stored as a number (`2025`, `2025.0`, `２０２５`).
fn whole(cell: &Cell) -> Option<Result<i32, ()>> {
    let text = number_text(cell)?;
    Some(text.parse::<i32>().map_err(|_| ()))
}

/// The milestone columns, each with the kind it fills.
const MILESTONE_COLUMNS: [(&str, MilestoneKind); 3] = [
    ("start_month", MilestoneKind::Start),
    ("topping_out_month", MilestoneKind::ToppingOut),
    ("completion_month", MilestoneKind::Completion),
];

/// The column a `PlanBody::parse` field error belongs in, given which column each of the
/// body's milestones came from.
fn column_field(field: &str, milestone_columns: &[&'static str]) -> String {
    if let Some(rest) = field.strip_prefix("milestones[")
        && let Some((i, _)) = rest.split_once(']')
        && let Ok(i) = i.parse::<usize>()
    {
        return milestone_columns
            .get(i)
            .copied()
            .unwrap_or("start_month")
            .to_string();
    }
    if field == "milestones" {
        return "start_month".to_string();
    }
    if let Some(rest) = field.strip_prefix("monthly_breakdown[")
        && let Some((i, _)) = rest.split_once(']')
        && let Ok(i) = i.parse::<usize>()
        && let Some(f) = BREAKDOWN_FIELDS.get(i)
    {
        return (*f).to_string();
    }
    if field == "monthly_breakdown" {
        return BREAKDOWN_FIELDS[11].to_string();
    }
    field.to_string()
}

/// The month column where a breakdown first falls, if it does.
fn falling_month(shares: &[String]) -> Option<&'static str> {
    let parsed: Vec<Option<keyproj_shared::Percent>> =
        shares.iter().map(|s| s.trim().parse().ok()).collect();
    parsed
        .windows(2)
        .position(|w| matches!((w[0], w[1]), (Some(a), Some(b)) if b < a))
        .and_then(|i| BREAKDOWN_FIELDS.get(i + 1).copied())
}

#[allow(clippy::too_many_arguments)]
fn check_row(
    conn: &mut DbConnection,
    sheet: &Sheet,
    data: &DataRow,
    file_reason: Option<&str>,
    known: &mut HashMap<String, Option<Known>>,
    seen: &mut HashMap<(i32, i32), u32>,
    errors: &mut Vec<CellError>,
) -> Result<(PlanImportRow, Option<Ready>), ApiError> {
    let n = data.excel_row;
    let code = word_text(cell(sheet, data, "project_code")).to_uppercase();
    let mut row = PlanImportRow {
        row: n,
        project_code: code.clone(),
        year: None,
        action: PlanRowAction::Error,
        version: None,
    };
    let blank = PLAN_IMPORT_COLUMNS
        .iter()
        .filter(|c| is_input(c.field))
        .all(|c| cell(sheet, data, c.field).is_blank());
    if blank {
        row.action = PlanRowAction::Blank;
        return Ok((row, None));
    }
    if code.is_empty() {
        errors.push(error_at(sheet, n, "project_code", "必填"));
    }
    let year = match whole(cell(sheet, data, "year")) {
        None => {
            errors.push(error_at(sheet, n, "year", "必填：计划所属年度，如 2025"));
            None
        }
        Some(Err(())) => {
            errors.push(error_at(
                sheet,
                n,
                "year",
                format!(
                    "“{}”不是年度；应为四位数字，如 2025",
                    cell(sheet, data, "year").display()
                ),
            ));
            None
        }
        Some(Ok(y)) => Some(y),
    };
    row.year = year;
    if code.is_empty() {
        return Ok((row, None));
    }
    if !known.contains_key(&code) {
        let found = match ProjectRow::find_by_code(conn, &code) {
            Ok(project) => {
                let current = PlanRow::current(conn, project.id)?;
                Some(Known { project, current })
            }
            Err(diesel::result::Error::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        known.insert(code.clone(), found);
    }
    let Some(Some(k)) = known.get(&code) else {
        errors.push(error_at(
            sheet,
            n,
            "project_code",
            format!("没有编号为“{code}”的项目"),
        ));
        return Ok((row, None));
    };
    let Some(year) = year else {
        return Ok((row, None));
    };
    if let Some(first) = seen.get(&(k.project.id, year)) {
        errors.push(error_at(
            sheet,
            n,
            "year",
            format!("项目 {code} 的 {year} 年计划已在第 {first} 行填写，同一文件中每个项目每年只能填一行"),
        ));
        return Ok((row, None));
    }
    seen.insert((k.project.id, year), n);
    let before = k.current.iter().find(|r| r.year == year).cloned();
    // the milestones: the three columns, then the free-named ones of the current plan,
    // which the sheet does not show and an upload keeps
    let mut milestone_columns = Vec::new();
    let mut milestones = Vec::new();
    for (field, kind) in MILESTONE_COLUMNS {
        match period_text(cell(sheet, data, field)) {
            Ok(None) => {}
            Ok(Some(month)) => {
                milestone_columns.push(field);
                milestones.push(MilestoneBody {
                    kind: kind.key().to_string(),
                    name: None,
                    month,
                });
            }
            Err(e) => errors.push(error_at(sheet, n, field, e)),
        }
    }
    if let Some(b) = &before {
        let stored = plans::view(&k.project.code, b)?;
        for m in stored
            .milestones
            .into_iter()
            .filter(|m| m.kind == MilestoneKind::Other)
        {
            milestone_columns.push("start_month");
            milestones.push(MilestoneBody {
                kind: m.kind.key().to_string(),
                name: Some(m.name),
                month: m.month,
            });
        }
    }
    let shares: Vec<Option<String>> = BREAKDOWN_FIELDS
        .iter()
        .map(|f| number_text(cell(sheet, data, f)))
        .collect();
    let monthly_breakdown = shares
        .iter()
        .any(Option::is_some)
        .then(|| shares.into_iter().map(Option::unwrap_or_default).collect());
    let reason = Some(free_text(cell(sheet, data, "reason")))
        .filter(|r| !r.is_empty())
        .or_else(|| file_reason.map(str::to_string));
    let body = PlanBody {
        // checked below, once the row is known to change anything
        reason: reason.clone().unwrap_or_else(|| "—".to_string()),
        planned_investment: number_text(cell(sheet, data, "planned_investment"))
            .unwrap_or_default(),
        social_investment: number_text(cell(sheet, data, "social_investment")),
        target_progress_pct: number_text(cell(sheet, data, "target_progress_pct")),
        content: free_text(cell(sheet, data, "content")),
        baseline_completed: number_text(cell(sheet, data, "baseline_completed")),
        milestones,
        monthly_breakdown,
        over_total_reason: Some(free_text(cell(sheet, data, "over_total_reason")))
            .filter(|t| !t.is_empty()),
    };
    let other_years_planned = Money::sum(
        k.current
            .iter()
            .filter(|r| r.year != year)
            .map(|r| Money::from_cents(r.planned_investment_cents)),
    )
    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("plan sum overflow")))?;
    let ctx = PlanContext {
        first_year: k.project.start_earliest_year,
        last_year: k.project.end_latest_year,
        total_investment: Money::from_cents(k.project.total_investment_cents),
        other_years_planned,
    };
    let values = match body.parse(year, &ctx) {
        Ok(v) => v,
        Err(field_errors) => {
            for e in field_errors {
                let field = match (e.field.as_str(), &body.monthly_breakdown) {
                    ("monthly_breakdown", Some(shares)) => falling_month(shares)
                        .unwrap_or(BREAKDOWN_FIELDS[11])
                        .to_string(),
                    _ => column_field(&e.field, &milestone_columns),
                };
                errors.push(error_at(sheet, n, &field, e.message));
            }
            return Ok((row, None));
        }
    };
    if !errors.is_empty() {
        return Ok((row, None));
    }
    if let Some(b) = &before
        && plans::same_values(&k.project.code, b, &values)?
    {
        row.action = PlanRowAction::Unchanged;
        row.version = Some(b.version);
        return Ok((row, None));
    }
    let current_version = before.as_ref().map_or(0, |b| b.version);
    match whole(cell(sheet, data, "current_version")) {
        Some(Ok(v)) if v != current_version => {
            errors.push(error_at(
                sheet,
                n,
                "current_version",
                format!(
                    "本行按第 {v} 版填写，但 {code} 的 {year} 年计划现在是第 {current_version} 版（下载模板后已有人调整）；请重新下载模板核对后再上传"
                ),
            ));
            return Ok((row, None));
        }
        Some(Err(())) => {
            errors.push(error_at(
                sheet,
                n,
                "current_version",
                "应为模板中的版本号（整数），请勿修改",
            ));
            return Ok((row, None));
        }
        _ => {}
    }
    if reason.is_none() {
        errors.push(error_at(
            sheet,
            n,
            "reason",
            "须说明编制或调整的原因：在“调整原因”列填写，或上传时填写统一的原因",
        ));
        return Ok((row, None));
    }
    row.action = if before.is_some() {
        PlanRowAction::Changed
    } else {
        PlanRowAction::Created
    };
    let project = k.project.clone();
    Ok((
        row,
        Some(Ready {
            project,
            year,
            before,
            values,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_error_lands_in_the_column_it_came_from() {
        let ms = ["topping_out_month", "completion_month"];
        assert_eq!(column_field("milestones[1].month", &ms), "completion_month");
        assert_eq!(column_field("monthly_breakdown[4]", &ms), "m05");
        assert_eq!(column_field("monthly_breakdown", &ms), "m12");
        assert_eq!(
            column_field("planned_investment", &ms),
            "planned_investment"
        );
    }
}
