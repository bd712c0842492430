//! Annual plans from a workbook (年度计划批量录入): the template's columns (written once here,
//! read by the template writer, the importer and the 说明 sheet) and the upload's answer.
//!
//! Each row is one project's plan for one year, checked by the rules of
//! `PUT /api/projects/{code}/plans/{year}` (`PlanBody::parse`).

use crate::report_import::{CellError, ImportColumn};
use crate::wire::wire;

/// The sheet the template writes and the importer looks for first.
pub const PLAN_SHEET: &str = "年度计划";

/// The months of the optional breakdown, as the template's columns name them: `m01`..`m12`.
pub const BREAKDOWN_FIELDS: [&str; 12] = [
    "m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "m09", "m10", "m11", "m12",
];

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

const MONTH_NOTE: &str = "选填。分月计划：截至该月末累计应完成的年度计划投资占比(%)；填写时 1-12 月须全部填写、不下降、12 月为 100；全部不填则序时进度从计划开工月起按月平均";

/// The 年度计划 sheet's columns, in the template's order (found by header on upload, in any
/// order). `locked` columns are filled by the server for reference; of them the importer
/// reads only 项目编号, 年度 and 现行版本.
pub const PLAN_IMPORT_COLUMNS: &[ImportColumn] = &[
    col(
        "project_code",
        "项目编号",
        true,
        true,
        "附件1 的项目编号，如 B09；决定本行是哪个项目的计划（模板中已锁定）",
    ),
    col(
        "project_name",
        "项目名称",
        true,
        false,
        "仅供核对，导入时不读取",
    ),
    col(
        "year",
        "年度",
        true,
        true,
        "计划所属年度（模板中已锁定）；须在项目工期内，且在 2020-2030 年之间",
    ),
    col(
        "current_version",
        "现行版本",
        true,
        false,
        "下载模板时该年度计划的版本（0 为尚无计划）；上传时如已被他人调整，本行报错而不覆盖",
    ),
    col(
        "last_year_planned",
        "上年计划投资(万元)",
        true,
        false,
        "上一年度现行计划的年度计划投资，仅供参考",
    ),
    col(
        "last_year_social",
        "上年其中社会投资(万元)",
        true,
        false,
        "仅供参考",
    ),
    col(
        "last_year_target",
        "上年末形象进度目标(%)",
        true,
        false,
        "仅供参考",
    ),
    col(
        "planned_investment",
        "年度计划投资(万元)",
        false,
        true,
        "本行要录入时必填。万元，最多两位小数；各年度合计超过项目总投资时须填写“超总投资原因”。整行输入列都不填的，导入时跳过",
    ),
    col(
        "social_investment",
        "其中社会投资(万元)",
        false,
        false,
        "万元；不填为 0，不能超过年度计划投资",
    ),
    col(
        "target_progress_pct",
        "年末形象进度目标(%)",
        false,
        false,
        "0 到 100 的百分数，如 60",
    ),
    col(
        "content",
        "年度建设内容",
        false,
        false,
        "本年度计划完成的建设内容，最多 2000 字",
    ),
    col(
        "baseline_completed",
        "上年末累计完成投资(万元)",
        false,
        false,
        "没有上年审核通过的月报时，计算本年完成投资的基数；万元",
    ),
    col(
        "start_month",
        "计划开工月份",
        false,
        false,
        "开工节点，须在本年度内，如 2025-03 或 2025年3月",
    ),
    col(
        "topping_out_month",
        "计划主体封顶月份",
        false,
        false,
        "主体封顶节点，须在本年度内",
    ),
    col(
        "completion_month",
        "计划竣工月份",
        false,
        false,
        "竣工节点，须在本年度内",
    ),
    col("m01", "1月累计(%)", false, false, MONTH_NOTE),
    col("m02", "2月累计(%)", false, false, MONTH_NOTE),
    col("m03", "3月累计(%)", false, false, MONTH_NOTE),
    col("m04", "4月累计(%)", false, false, MONTH_NOTE),
    col("m05", "5月累计(%)", false, false, MONTH_NOTE),
    col("m06", "6月累计(%)", false, false, MONTH_NOTE),
    col("m07", "7月累计(%)", false, false, MONTH_NOTE),
    col("m08", "8月累计(%)", false, false, MONTH_NOTE),
    col("m09", "9月累计(%)", false, false, MONTH_NOTE),
    col("m10", "10月累计(%)", false, false, MONTH_NOTE),
    col("m11", "11月累计(%)", false, false, MONTH_NOTE),
    col("m12", "12月累计(%)", false, false, MONTH_NOTE),
    col(
        "over_total_reason",
        "超总投资原因",
        false,
        false,
        "各年度计划投资合计超过项目总投资时必填，最多 500 字",
    ),
    col(
        "reason",
        "调整原因",
        false,
        false,
        "本行新建或调整计划的原因，最多 500 字；不填则用上传时填写的统一原因，两者都没有的变更行报错",
    ),
];

/// The column of a field of the plan sheet.
pub fn plan_import_column(field: &str) -> Option<&'static ImportColumn> {
    PLAN_IMPORT_COLUMNS.iter().find(|c| c.field == field)
}

wire! {
    /// What a row of the plan workbook did.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum PlanRowAction {
        /// The first plan of that project and year (version 1).
        Created = "created",
        /// A new revision of the year's plan.
        Changed = "changed",
        /// The same values as the year's current plan: nothing written.
        Unchanged = "unchanged",
        /// No input cell filled: skipped.
        Blank = "blank",
        /// A value is wrong: the answer's `errors` say which.
        Error = "error",
    }
}

impl PlanRowAction {
    pub fn label(self) -> &'static str {
        match self {
            PlanRowAction::Created => "新建",
            PlanRowAction::Changed => "调整",
            PlanRowAction::Unchanged => "无变化",
            PlanRowAction::Blank => "未填写（跳过）",
            PlanRowAction::Error => "有错误",
        }
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PlanImportRow {
        /// The row number as Excel shows it.
        pub row: u32,
        pub project_code: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub year: Option<i32>,
        pub action: PlanRowAction,
        /// The plan's version after the upload (created, changed or unchanged rows).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub version: Option<i32>,
    }
}

wire! {
    /// The answer to `POST /api/plans/import`; with errors it is the `result` of the 422
    /// problem, and nothing was written.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PlanImportResult {
        pub file_name: String,
        /// SHA-256 of the file, hex.
        pub sha256: String,
        pub sheet: String,
        /// Data rows read (blank and hidden rows of the sheet not counted).
        pub rows_total: u32,
        pub created: u32,
        pub changed: u32,
        pub unchanged: u32,
        /// Rows with no input cell filled.
        pub blank: u32,
        pub rows_with_errors: u32,
        /// Every problem, by sheet, row and column letter, in Chinese.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub errors: Vec<CellError>,
        pub rows: Vec<PlanImportRow>,
    }
}

impl PlanImportResult {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plan_field_has_one_column_with_a_unique_header() {
        for f in crate::plan::PLAN_FIELDS {
            let expected = match *f {
                "milestones" | "monthly_breakdown" => 0,
                _ => 1,
            };
            assert_eq!(
                PLAN_IMPORT_COLUMNS.iter().filter(|c| c.field == *f).count(),
                expected,
                "{f}"
            );
        }
        for f in BREAKDOWN_FIELDS {
            assert!(plan_import_column(f).is_some(), "{f}");
        }
        let mut headers: Vec<_> = PLAN_IMPORT_COLUMNS.iter().map(|c| c.header).collect();
        headers.sort_unstable();
        headers.dedup();
        assert_eq!(headers.len(), PLAN_IMPORT_COLUMNS.len());
        assert_eq!(PLAN_IMPORT_COLUMNS[0].field, "project_code");
    }
}
