//! The workbook an owner fills: one row per project, code, name and the last approved
//! figures locked (sheet protection, input cells unlocked), the report's columns with their
//! Chinese headers and data validation, and a 说明 sheet explaining each column. The
//! columns come from `IMPORT_COLUMNS`, the list the importer reads them by.

use keyproj_shared::{
    IMPORT_COLUMNS, ImportColumn, MAX_IMPORT_ROWS, Money, Period, ProgressStatus, ProjectItem,
    report::{MAX_REASON_CHARS, MAX_REPORT_TEXT_CHARS},
};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, Note,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::export::defuse;

pub const SHEET: &str = "月报";
pub const NOTES_SHEET: &str = "说明";

/// The template for `period`, one row per project.
pub fn workbook(items: &[ProjectItem], period: Period) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let input = |field: &str| match field {
        "investment_completed" | "social_investment_completed" => Input::Money,
        "period" | "actual_start" | "actual_end" => Input::Text,
        _ => Input::Plain,
    };
    let (sheet, locked) = input_sheet(
        &mut book,
        SHEET,
        IMPORT_COLUMNS,
        (14, 16),
        input,
        validation,
    )?;
    sheet.set_column_width(1, 36)?;
    for (r, item) in (1u32..).zip(items) {
        write_project(sheet, r, item, period, &locked)?;
    }
    protect(sheet)?;
    notes(book.add_worksheet())?;
    book.save_to_buffer()
}

/// How an input column's cells are formatted.
pub enum Input {
    Plain,
    /// Kept as typed (a month such as 2025-06 must not become a date).
    Text,
    /// 万元 to the hundredth.
    Money,
}

/// A sheet to fill in, the part both workbook templates share: the header row of `columns`
/// (bold, each with its note), each input column unlocked with its format and Excel's own
/// check down to the last row an upload may hold, locked columns `widths.0` wide and input
/// ones `widths.1`. Gives back the sheet and the format of locked cells.
pub fn input_sheet<'a>(
    book: &'a mut Workbook,
    name: &str,
    columns: &[ImportColumn],
    widths: (u16, u16),
    input: impl Fn(&str) -> Input,
    validation: impl Fn(&str) -> Result<Option<DataValidation>, XlsxError>,
) -> Result<(&'a mut Worksheet, Format), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_locked();
    let locked = Format::new()
        .set_locked()
        .set_background_color(Color::RGB(0xF2F2F2));
    let plain = Format::new().set_unlocked();
    let text = Format::new().set_unlocked().set_num_format("@");
    let money = Format::new().set_unlocked().set_num_format("0.00");
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    // input columns unlocked as columns, so rows added below the list are editable too
    let last = u32::try_from(MAX_IMPORT_ROWS).unwrap_or(u32::MAX);
    for (c, column) in (0u16..).zip(columns) {
        sheet.write_string_with_format(0, c, column.header, &header)?;
        sheet.set_column_width(c, if column.locked { widths.0 } else { widths.1 })?;
        let note = Note::new(column.note).set_author("keyproj");
        sheet.insert_note(0, c, &note)?;
        if !column.locked {
            let format = match input(column.field) {
                Input::Plain => &plain,
                Input::Text => &text,
                Input::Money => &money,
            };
            sheet.set_column_format(c, format)?;
            if let Some(v) = validation(column.field)? {
                sheet.add_data_validation(1, c, last, c, &v)?;
            }
        }
    }
    Ok((sheet, locked))
}

/// Header row and the first two columns (code, name) frozen; locked cells protected, while
/// rows and columns may still be resized.
pub fn protect(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 2)?;
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    sheet.protect_with_options(&options);
    Ok(())
}

fn write_project(
    sheet: &mut Worksheet,
    r: u32,
    item: &ProjectItem,
    period: Period,
    locked: &Format,
) -> Result<(), XlsxError> {
    let approved = item.approved.as_ref();
    let at = |field: &str| -> u16 {
        IMPORT_COLUMNS
            .iter()
            .position(|c| c.field == field)
            .and_then(|i| u16::try_from(i).ok())
            .unwrap_or(0)
    };
    sheet.write_string_with_format(r, at("project_code"), &item.code, locked)?;
    sheet.write_string_with_format(r, at("project_name"), defuse(&item.name), locked)?;
    let shown = [
        ("approved_period", approved.map(|a| a.period.clone())),
        (
            "approved_progress_pct",
            approved.map(|a| a.physical_progress_pct.to_string()),
        ),
        (
            "approved_investment_completed",
            approved.map(|a| a.investment_completed.to_string()),
        ),
        (
            "approved_status",
            approved.map(|a| a.status.label().to_string()),
        ),
    ];
    for (field, value) in shown {
        let value = value.unwrap_or_else(|| "—".to_string());
        sheet.write_string_with_format(r, at(field), value, locked)?;
    }
    // the month is filled in; the owner changes it only for a late report
    let unlocked_text = Format::new().set_unlocked().set_num_format("@");
    sheet.write_string_with_format(r, at("period"), period.to_string(), &unlocked_text)?;
    Ok(())
}

/// Excel's own check of a column, so a wrong value is caught while typing; the server
/// checks again on import.
fn validation(field: &str) -> Result<Option<DataValidation>, XlsxError> {
    let amount = Money::MAX.cents() as f64 / 100.0;
    let v = match field {
        "status" => {
            let labels: Vec<&str> = ProgressStatus::ALL.iter().map(|s| s.label()).collect();
            DataValidation::new()
                .allow_list_strings(&labels)?
                .set_error_title("建设状态")?
                .set_error_message("请从下拉列表中选择：未开工、在建、已竣工或停工")?
        }
        "physical_progress_pct" => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_error_title("形象进度")?
            .set_error_message("形象进度为 0 到 100 之间的数，如 45 或 45.5")?,
        "investment_completed" | "social_investment_completed" => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, amount))
            .set_error_title("金额")?
            .set_error_message("以万元计的金额，不能为负数，最多两位小数")?,
        "progress_text" | "problems_text" => DataValidation::new()
            .allow_text_length(DataValidationRule::LessThanOrEqualTo(
                u32::try_from(MAX_REPORT_TEXT_CHARS).unwrap_or(u32::MAX),
            ))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message("最多 5000 字")?,
        "over_total_reason" => DataValidation::new()
            .allow_text_length(DataValidationRule::LessThanOrEqualTo(
                u32::try_from(MAX_REASON_CHARS).unwrap_or(u32::MAX),
            ))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message("最多 500 字")?,
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// The 说明 sheet of the 月报 template.
fn notes(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    let general = [
        "填好后在“我的项目”页面上传：先试导入（不写入），核对每行的结果后再确认导入。".to_string(),
        "一个文件要么全部导入，要么一行也不导入；有错误时可下载标注了错误单元格的工作簿，改正后重新上传。".to_string(),
        "同一文件重复上传不会重复生成报告。导入的报告与逐个填报的一样，须经财务审核后才计入统计。".to_string(),
        format!(
            "列可以调换顺序（按表头识别），空行和隐藏行会被跳过；每个文件最多 {MAX_IMPORT_ROWS} 行。"
        ),
        "日期可写作 2024-03-15、2024/3/15、2024年3月15日，或使用 Excel/WPS 的日期格式；月份可写作 2024-05、2024年5月、2024.5。".to_string(),
    ];
    notes_sheet(sheet, IMPORT_COLUMNS, &general)
}

/// A 说明 sheet, as both workbook templates have it: each of `columns` with whether it is
/// filled in, and its note; then the `general` lines.
pub fn notes_sheet(
    sheet: &mut Worksheet,
    columns: &[ImportColumn],
    general: &[String],
) -> Result<(), XlsxError> {
    sheet.set_name(NOTES_SHEET)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    sheet.write_string_with_format(0, 0, "列名", &bold)?;
    sheet.write_string_with_format(0, 1, "是否必填", &bold)?;
    sheet.write_string_with_format(0, 2, "说明", &bold)?;
    for (r, c) in (1u32..).zip(columns) {
        sheet.write_string(r, 0, c.header)?;
        let required = if c.locked {
            "系统填写（锁定）"
        } else if c.required {
            "必填"
        } else {
            "选填"
        };
        sheet.write_string(r, 1, required)?;
        sheet.write_string_with_format(r, 2, c.note, &wrap)?;
    }
    let after = u32::try_from(columns.len()).unwrap_or(0) + 2;
    for (r, line) in (after..).zip(general) {
        sheet.write_string_with_format(r, 0, line, &wrap)?;
    }
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 16)?;
    sheet.set_column_width(2, 80)?;
    Ok(())
}
