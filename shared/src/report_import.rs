//! Monthly reports from a workbook: the template's columns (written once here, read by the
//! template writer, the importer, the 说明 sheet and the page) and the import's answer.

use crate::wire::wire;

/// The most data rows one workbook may hold.
pub const MAX_IMPORT_ROWS: usize = 5000;
/// The largest file accepted, in bytes (10 MB).
pub const MAX_IMPORT_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The most a workbook may inflate to, summing the uncompressed sizes its zip directory
/// declares (100 MB).
pub const MAX_IMPORT_INFLATED_BYTES: u64 = 100 * 1024 * 1024;

/// One column of the 月报 sheet. `field` is the report field it fills (`REPORT_FIELDS`),
/// or one of the template's own: `project_code`, `project_name`, `approved_*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportColumn {
    pub field: &'static str,
    /// The header as the template writes it; the importer finds columns by it.
    pub header: &'static str,
    /// Filled by the server and locked in the template; ignored on import.
    pub locked: bool,
    /// A workbook without this column is refused with one error.
    pub required: bool,
    /// The 说明 sheet's explanation.
    pub note: &'static str,
}

const fn col(
    field: &'static str,
    header: &'static str,
    locked: bool,
    required: bool,
    note: &'static str,
) -> ImportColumn {
    ImportColumn {
        field,
        header,
        locked,
        required,
        note,
    }
}

/// The 月报 sheet's columns, in the template's order. An uploaded sheet may have them in
/// any order: they are found by header.
pub const IMPORT_COLUMNS: &[ImportColumn] = &[
    col(
        "project_code",
        "项目编号",
        true,
        true,
        "附件1 的项目编号，如 B09；决定本行填报哪个项目（模板中已锁定）",
    ),
    col(
        "project_name",
        "项目名称",
        true,
        false,
        "仅供核对，导入时不读取",
    ),
    col(
        "approved_period",
        "上次审核通过月份",
        true,
        false,
        "最近一次审核通过的月报的月份，仅供参考",
    ),
    col(
        "approved_progress_pct",
        "上次审核通过形象进度(%)",
        true,
        false,
        "仅供参考",
    ),
    col(
        "approved_investment_completed",
        "上次审核通过累计完成投资(万元)",
        true,
        false,
        "仅供参考",
    ),
    col(
        "approved_status",
        "上次审核通过建设状态",
        true,
        false,
        "仅供参考",
    ),
    col(
        "period",
        "填报月份",
        false,
        true,
        "必填。本月报所属月份，如 2024-05、2024年5月、2024.5，或 Excel 日期；不能晚于本月",
    ),
    col(
        "physical_progress_pct",
        "形象进度(%)",
        false,
        true,
        "必填。0 到 100 的百分数，最多两位小数，如 45 或 45.5",
    ),
    col(
        "investment_completed",
        "累计完成投资(万元)",
        false,
        true,
        "必填。开工以来累计完成的投资，万元，最多两位小数；超过总投资时须填写“超总投资原因”",
    ),
    col(
        "social_investment_completed",
        "其中社会投资(万元)",
        false,
        false,
        "累计完成投资中的社会投资，万元；不填为 0，不能超过累计完成投资",
    ),
    col(
        "status",
        "建设状态",
        false,
        true,
        "必填。未开工、在建、已竣工或停工（下拉选择）",
    ),
    col(
        "actual_start",
        "实际开工日期",
        false,
        false,
        "已开工的填写，如 2024-03-15 或 2024年3月15日；不能晚于今天",
    ),
    col(
        "actual_end",
        "实际竣工日期",
        false,
        false,
        "已竣工的填写；不能早于实际开工日期，不能晚于今天",
    ),
    col(
        "progress_text",
        "进展情况",
        false,
        false,
        "本月工程进展，最多 5000 字",
    ),
    col(
        "problems_text",
        "存在问题",
        false,
        false,
        "存在的问题和需要协调的事项，最多 5000 字",
    ),
    col(
        "over_total_reason",
        "超总投资原因",
        false,
        false,
        "累计完成投资超过项目总投资时必填，最多 500 字",
    ),
];

/// The column of a field.
pub fn import_column(field: &str) -> Option<&'static ImportColumn> {
    IMPORT_COLUMNS.iter().find(|c| c.field == field)
}

wire! {
    /// What a row of the workbook does, or would do in a dry run.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum RowAction {
        /// The first report of that project and month.
        New = "new",
        /// A report for a month already reported: it supersedes the earlier one.
        Correction = "correction",
        /// The same figures as the month's current report: nothing is written.
        Unchanged = "unchanged",
        /// A value is wrong: `errors` says which.
        Error = "error",
        /// The project is not the uploader's organisation's (403 for this row).
        Forbidden = "forbidden",
    }
}

impl RowAction {
    pub fn label(self) -> &'static str {
        match self {
            RowAction::New => "新报告",
            RowAction::Correction => "更正（替代原报告）",
            RowAction::Unchanged => "无变化",
            RowAction::Error => "有错误",
            RowAction::Forbidden => "无权填报",
        }
    }
}

wire! {
    /// One problem in the workbook, where Excel shows it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CellError {
        pub sheet: String,
        /// The row number as Excel shows it (1 is the first row).
        pub row: u32,
        /// The column letter, e.g. `H`; empty for a column that is missing.
        pub column: String,
        /// The report field, e.g. `physical_progress_pct`.
        pub field: String,
        /// What is wrong, in Chinese.
        pub message: String,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ImportRow {
        pub sheet: String,
        /// The row number as Excel shows it.
        pub row: u32,
        pub project_code: String,
        /// `YYYY-MM`, when the month could be read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub period: Option<String>,
        pub action: RowAction,
        /// HTTP status this row alone would get: 201 new or correction, 200 unchanged, 403
        /// forbidden, 404 no such project, 422 bad values.
        pub status: u16,
        /// The report the row made (after a real import) or would supersede.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub report_id: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub supersedes_id: Option<i64>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub errors: Vec<CellError>,
    }
}

wire! {
    /// The answer to `POST /api/reports/import`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ImportResult {
        /// The stored import batch (a real import, or a file with errors whose marked-up copy
        /// is kept); absent for a clean dry run, which stores nothing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub batch_id: Option<i64>,
        pub dry_run: bool,
        /// Whether reports were written (a real import without errors).
        pub applied: bool,
        pub file_name: String,
        /// SHA-256 of the file, hex.
        pub sha256: String,
        /// Data rows read (blank and hidden rows not counted).
        pub rows_total: u32,
        pub new_reports: u32,
        pub corrections: u32,
        pub unchanged: u32,
        pub rows_with_errors: u32,
        /// Problems not tied to a row: a missing column, no 月报 sheet.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub file_errors: Vec<CellError>,
        pub rows: Vec<ImportRow>,
        /// Where the uploader can download the file with each bad cell marked, when it has
        /// errors: `/api/reports/imports/{id}/errors.xlsx`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub error_workbook: Option<String>,
    }
}

impl ImportResult {
    pub fn has_errors(&self) -> bool {
        self.rows_with_errors > 0 || !self.file_errors.is_empty()
    }
}

/// The column letters of a 0-based index: 0 is `A`, 26 is `AA`.
pub fn column_letter(index: u32) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_are_as_excel_shows_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn every_report_field_has_one_column_with_a_unique_header() {
        for f in crate::REPORT_FIELDS {
            assert_eq!(
                IMPORT_COLUMNS.iter().filter(|c| c.field == *f).count(),
                1,
                "{f}"
            );
        }
        let mut headers: Vec<_> = IMPORT_COLUMNS.iter().map(|c| c.header).collect();
        headers.sort_unstable();
        headers.dedup();
        assert_eq!(headers.len(), IMPORT_COLUMNS.len());
    }
}
