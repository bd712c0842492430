//! The answer to a workbook upload: the counts, then one line per row with what it does (or
//! would do) and each error where Excel shows it (sheet, row, column).

use keyproj_shared::{ImportResult, ImportRow, RowAction, import_column};
use yew::prelude::*;

use crate::components::table::{Col, data_table};

const COLUMNS: &[Col] = &[
    ("行", true),
    ("项目编号", false),
    ("月份", false),
    ("结果", false),
    ("问题", false),
];

/// The counts and the table of rows.
pub fn import_result(r: &ImportResult) -> Html {
    let summary = format!(
        "共 {} 行：新报告 {}，更正 {}，无变化 {}，有错误 {}。",
        r.rows_total, r.new_reports, r.corrections, r.unchanged, r.rows_with_errors
    );
    html! {
        <div class="import-result" data-testid="import-result">
            <p data-testid="import-summary">
                { if r.applied { "已导入。" } else if r.dry_run { "试导入（未写入）。" } else { "" } }
                { summary }
            </p>
            if !r.file_errors.is_empty() {
                <ul class="error-fields" data-testid="import-file-errors">
                    { for r.file_errors.iter().map(|e| html! {
                        <li>{ format!("{}（第 {} 行表头）：{}", e.sheet, e.row, e.message) }</li>
                    }) }
                </ul>
            }
            if let Some(link) = &r.error_workbook {
                <p><a class="button" href={link.clone()} data-testid="error-workbook">
                    { "下载标注了错误的工作簿" }
                </a></p>
            }
            if !r.rows.is_empty() {
                { data_table("导入结果", "import-rows", "import-rows", COLUMNS,
                    r.rows.iter().map(row).collect()) }
            }
        </div>
    }
}

fn row(r: &ImportRow) -> Html {
    let class = match r.action {
        RowAction::Error | RowAction::Forbidden => "bad",
        _ => "",
    };
    html! {
        <tr class={class} data-testid="import-row" data-action={r.action.key()}>
            <td class="num">{ r.row }</td>
            <td class="code">{ &r.project_code }</td>
            <td class="nowrap">{ r.period.clone().unwrap_or_default() }</td>
            <td>{ r.action.label() }</td>
            <td>
                { for r.errors.iter().map(|e| {
                    let header = import_column(&e.field).map_or(e.field.as_str(), |c| c.header);
                    html! { <div>{ format!("{}{} {}：{}", e.column, e.row, header, e.message) }</div> }
                }) }
            </td>
        </tr>
    }
}
