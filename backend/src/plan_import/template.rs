//! The workbook a planner fills for a year: one row per project, code, name, year, the
//! current plan's version and last year's figures locked, the year's current plan (where
//! there is one) filled into the input cells, Chinese headers with units, Excel's own
//! validation, and a 说明 sheet. The columns come from `PLAN_IMPORT_COLUMNS`, the list the
//! importer reads them by, so uploading the template untouched changes nothing.

use std::collections::HashMap;

use keyproj_shared::plan_import::BREAKDOWN_FIELDS;
use keyproj_shared::{
    AnnualPlan, MAX_IMPORT_ROWS, MilestoneKind, Money, PLAN_IMPORT_COLUMNS, PLAN_SHEET,
    plan::MAX_CONTENT_CHARS, report::MAX_REASON_CHARS,
};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, Workbook, Worksheet,
    XlsxError,
};

use crate::export::defuse;
use crate::import::template::{Input, input_sheet, notes_sheet, protect};

/// A project as the template shows it: its code and name, and its current plans by year.
pub struct TemplateRow {
    pub code: String,
    pub name: String,
    pub plans: HashMap<i32, AnnualPlan>,
}

fn at(field: &str) -> u16 {
    PLAN_IMPORT_COLUMNS
        .iter()
        .position(|c| c.field == field)
        .and_then(|i| u16::try_from(i).ok())
        .unwrap_or(0)
}

/// The template for `year`, one row per project.
pub fn workbook(rows: &[TemplateRow], year: i32) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let input = |field: &str| match field {
        "planned_investment" | "social_investment" | "baseline_completed" => Input::Money,
        "start_month" | "topping_out_month" | "completion_month" | "content"
        | "over_total_reason" | "reason" => Input::Text,
        _ => Input::Plain,
    };
    let (sheet, locked) = input_sheet(
        &mut book,
        PLAN_SHEET,
        PLAN_IMPORT_COLUMNS,
        (12, 14),
        input,
        validation,
    )?;
    sheet.set_column_width(at("project_name"), 36)?;
    sheet.set_column_width(at("content"), 30)?;
    for (r, row) in (1u32..).zip(rows) {
        write_row(sheet, r, row, year, &locked)?;
    }
    protect(sheet)?;
    notes(book.add_worksheet(), year)?;
    book.save_to_buffer()
}

fn write_row(
    sheet: &mut Worksheet,
    r: u32,
    row: &TemplateRow,
    year: i32,
    locked: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(r, at("project_code"), &row.code, locked)?;
    sheet.write_string_with_format(r, at("project_name"), defuse(&row.name), locked)?;
    sheet.write_number_with_format(r, at("year"), f64::from(year), locked)?;
    let current = row.plans.get(&year);
    let version = current.map_or(0, |p| p.version);
    sheet.write_number_with_format(r, at("current_version"), f64::from(version), locked)?;
    let last = row.plans.get(&(year - 1));
    let shown = [
        (
            "last_year_planned",
            last.map(|p| p.planned_investment.to_string()),
        ),
        (
            "last_year_social",
            last.map(|p| p.social_investment.to_string()),
        ),
        (
            "last_year_target",
            last.and_then(|p| p.target_progress_pct.map(|t| t.to_string())),
        ),
    ];
    for (field, value) in shown {
        let value = value.unwrap_or_else(|| "—".to_string());
        sheet.write_string_with_format(r, at(field), value, locked)?;
    }
    let Some(p) = current else {
        return Ok(());
    };
    // the year's current plan, so that an untouched row uploads as unchanged: figures as
    // numbers (at most 12 significant digits, which a double holds exactly to the cent),
    // text as it was typed (an xlsx string cell is never read as a formula)
    let mut numbers: Vec<(&str, String)> = vec![
        ("planned_investment", p.planned_investment.to_string()),
        ("social_investment", p.social_investment.to_string()),
    ];
    if let Some(t) = p.target_progress_pct {
        numbers.push(("target_progress_pct", t.to_string()));
    }
    if let Some(b) = p.baseline_completed {
        numbers.push(("baseline_completed", b.to_string()));
    }
    if let Some(b) = &p.monthly_breakdown {
        for (field, share) in BREAKDOWN_FIELDS.iter().zip(b) {
            numbers.push((field, share.to_string()));
        }
    }
    let number = Format::new().set_unlocked().set_num_format("0.00");
    for (field, value) in numbers {
        match value.parse::<f64>() {
            Ok(n) => sheet.write_number_with_format(r, at(field), n, &number)?,
            Err(_) => sheet.write_string_with_format(r, at(field), value, &number)?,
        };
    }
    let mut texts: Vec<(&str, String)> = vec![("content", p.content.clone())];
    for (field, kind) in [
        ("start_month", MilestoneKind::Start),
        ("topping_out_month", MilestoneKind::ToppingOut),
        ("completion_month", MilestoneKind::Completion),
    ] {
        if let Some(m) = p.milestones.iter().find(|m| m.kind == kind) {
            texts.push((field, m.month.clone()));
        }
    }
    if let Some(o) = &p.over_total_reason {
        texts.push(("over_total_reason", o.clone()));
    }
    let text = Format::new().set_unlocked().set_num_format("@");
    for (field, value) in texts {
        if !value.is_empty() {
            sheet.write_string_with_format(r, at(field), value, &text)?;
        }
    }
    Ok(())
}

/// Excel's own check of a column, so a wrong value is caught while typing; the server
/// checks again on upload.
fn validation(field: &str) -> Result<Option<DataValidation>, XlsxError> {
    let amount = Money::MAX.cents() as f64 / 100.0;
    let v = match field {
        "planned_investment" | "social_investment" | "baseline_completed" => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, amount))
            .set_error_title("金额")?
            .set_error_message("以万元计的金额，不能为负数，最多两位小数")?,
        f if f == "target_progress_pct" || BREAKDOWN_FIELDS.contains(&f) => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_error_title("百分比")?
            .set_error_message("0 到 100 之间的数，如 60 或 60.5")?,
        "content" => DataValidation::new()
            .allow_text_length(DataValidationRule::LessThanOrEqualTo(
                u32::try_from(MAX_CONTENT_CHARS).unwrap_or(u32::MAX),
            ))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message("最多 2000 字")?,
        "over_total_reason" | "reason" => DataValidation::new()
            .allow_text_length(DataValidationRule::LessThanOrEqualTo(
                u32::try_from(MAX_REASON_CHARS).unwrap_or(u32::MAX),
            ))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message("最多 500 字")?,
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// The 说明 sheet of the 年度计划 template.
fn notes(sheet: &mut Worksheet, year: i32) -> Result<(), XlsxError> {
    let general = [
        format!("{year} 年度投资计划。已有计划的项目，输入列中已填入现行计划；改动后上传即生成新的调整版本，未改动的行不会生成新版本。"),
        "整行输入列都不填的项目不导入；一个文件要么全部导入，要么一行也不导入：有错误时返回每处错误所在的工作表、行号和列字母。".to_string(),
        "新建或调整的每一行须有调整原因：在“调整原因”列填写，或在上传时填写统一的原因。".to_string(),
        format!("列可以调换顺序（按表头识别），空行和隐藏行会被跳过；每个文件最多 {MAX_IMPORT_ROWS} 行。"),
        "月份可写作 2025-03、2025年3月或使用 Excel/WPS 的日期格式。".to_string(),
    ];
    notes_sheet(sheet, PLAN_IMPORT_COLUMNS, &general)
}
