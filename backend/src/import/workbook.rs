//! Reading an uploaded workbook: refuse what is not an xlsx or would inflate past the limit
//! before calamine reads it, find the 月报 sheet and its columns by header, and keep the data
//! rows (blank and hidden rows skipped).

use std::io::{Cursor, Read};
use std::sync::LazyLock;

use calamine::{Data, Reader, SheetVisible, Xlsx};
use keyproj_shared::{
    CellError, IMPORT_COLUMNS, ImportColumn, MAX_IMPORT_INFLATED_BYTES, MAX_IMPORT_ROWS,
};
use regex::Regex;

use super::cells::{Cell, fold};
use crate::error::ApiError;

/// Header rows are looked for in this many rows at the top of each sheet.
const HEADER_SEARCH_ROWS: usize = 20;

/// A data row: its number as Excel shows it, and its cells by 0-based column.
#[derive(Debug, Clone)]
pub struct DataRow {
    pub excel_row: u32,
    pub cells: Vec<Cell>,
}

/// The sheet the reports are read from.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    /// The header row as Excel numbers it, and its cells.
    pub header_row: u32,
    pub headers: Vec<Cell>,
    /// Each known column's field and 0-based position.
    columns: Vec<(&'static str, u32)>,
    pub rows: Vec<DataRow>,
    /// Problems of the whole file: no sheet with the headers, a missing required column.
    pub file_errors: Vec<CellError>,
}

impl Sheet {
    pub fn column_of(&self, field: &str) -> Option<u32> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| *c)
    }
}

fn not_xlsx(message: impl Into<String>) -> ApiError {
    ApiError::field("file", message)
}

/// Refuses what is not an xlsx, and a zip whose directory declares more than the inflation
/// limit, without inflating anything.
pub fn precheck(bytes: &[u8]) -> Result<(), ApiError> {
    if bytes.is_empty() {
        return Err(not_xlsx("文件为空；请上传 .xlsx 工作簿"));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(not_xlsx(
            "这是旧版 Excel 97-2003（.xls）或 WPS 的 .et 文件；请在 Excel 或 WPS 中另存为 .xlsx 后上传",
        ));
    }
    if !bytes.starts_with(b"PK") {
        return Err(not_xlsx(
            "不是 Excel 工作簿（.xlsx）；CSV 等文本文件请先在 Excel 或 WPS 中另存为 .xlsx",
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| not_xlsx("文件已损坏，无法作为 .xlsx 工作簿读取"))?;
    let mut inflated: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|_| not_xlsx("文件已损坏，无法作为 .xlsx 工作簿读取"))?;
        inflated = inflated.saturating_add(entry.size());
    }
    if inflated > MAX_IMPORT_INFLATED_BYTES {
        return Err(not_xlsx(format!(
            "工作簿解压后达 {} MB，超过上限 {} MB",
            inflated / (1024 * 1024),
            MAX_IMPORT_INFLATED_BYTES / (1024 * 1024)
        )));
    }
    if zip.index_for_name("xl/workbook.xml").is_none() {
        return Err(not_xlsx(
            "这是一个 zip 压缩包，但不是 Excel 工作簿（.xlsx）",
        ));
    }
    Ok(())
}

/// The workbook's report sheet, or a 4xx for a file that is not one.
pub fn read(bytes: &[u8]) -> Result<Sheet, ApiError> {
    read_columns(bytes, IMPORT_COLUMNS, "月报表")
}

/// The first visible sheet with `columns[0]`'s header in its top rows, its columns found by
/// `columns`' headers; `what` names the table in the error for a workbook without one.
pub fn read_columns(
    bytes: &[u8],
    columns: &'static [ImportColumn],
    what: &str,
) -> Result<Sheet, ApiError> {
    precheck(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|_| not_xlsx("文件已损坏，无法作为 .xlsx 工作簿读取"))?;
    let visible: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    for name in &visible {
        let Ok(range) = book.worksheet_range(name) else {
            continue;
        };
        let (top, left) = range.start().unwrap_or((0, 0));
        let Some((offset, header)) = range
            .rows()
            .take(HEADER_SEARCH_ROWS)
            .enumerate()
            .find(|(_, r)| r.iter().any(|d| is_code_header(&columns[0], d)))
        else {
            continue;
        };
        let cell_of = |d: &Data| to_cell(d);
        let pad = |row: &[Data]| -> Vec<Cell> {
            std::iter::repeat_n(Cell::Empty, left as usize)
                .chain(row.iter().map(cell_of))
                .collect()
        };
        let headers = pad(header);
        let header_row = top + u32::try_from(offset).unwrap_or(0) + 1;
        let mut sheet = Sheet {
            name: name.clone(),
            header_row,
            headers,
            ..Sheet::default()
        };
        map_columns(&mut sheet, columns);
        let hidden = hidden_rows(bytes, name);
        for (i, r) in range.rows().enumerate().skip(offset + 1) {
            let excel_row = top + u32::try_from(i).unwrap_or(u32::MAX) + 1;
            if hidden.contains(&excel_row) {
                continue;
            }
            let cells = pad(r);
            if cells.iter().all(Cell::is_blank) {
                continue;
            }
            if sheet.rows.len() == MAX_IMPORT_ROWS {
                return Err(not_xlsx(format!(
                    "数据行超过 {MAX_IMPORT_ROWS} 行；请分成几个文件上传"
                )));
            }
            sheet.rows.push(DataRow { excel_row, cells });
        }
        return Ok(sheet);
    }
    Ok(Sheet {
        name: visible.first().cloned().unwrap_or_default(),
        header_row: 1,
        file_errors: vec![CellError {
            sheet: visible.first().cloned().unwrap_or_default(),
            row: 1,
            column: String::new(),
            field: columns[0].field.to_string(),
            message: format!(
                "找不到{what}：没有哪张工作表的前 {HEADER_SEARCH_ROWS} 行有“{}”表头；请使用下载的模板",
                columns[0].header
            ),
        }],
        ..Sheet::default()
    })
}

/// A header as compared: folded, without spaces, lower case.
fn header_key(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// The header without its unit: `形象进度(%)` is also found as `形象进度`.
fn without_unit(key: &str) -> &str {
    match key.rfind('(') {
        Some(i) if key.ends_with(')') && i > 0 => &key[..i],
        _ => key,
    }
}

fn matches(column: &ImportColumn, cell: &str) -> bool {
    let key = header_key(cell);
    if key.is_empty() {
        return false;
    }
    let own = header_key(column.header);
    key == own || key == without_unit(&own) || key == column.field
}

fn is_code_header(code: &ImportColumn, d: &Data) -> bool {
    matches!(d, Data::String(s) if matches(code, s))
}

/// Finds each column by its header; a required column missing, or a header twice, is one
/// error for the file.
fn map_columns(sheet: &mut Sheet, columns: &'static [ImportColumn]) {
    for column in columns {
        let found: Vec<u32> = sheet
            .headers
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, Cell::Text(t) if matches(column, t)))
            .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        let error = |message: String| CellError {
            sheet: sheet.name.clone(),
            row: sheet.header_row,
            column: String::new(),
            field: column.field.to_string(),
            message,
        };
        match found.as_slice() {
            [] if column.required => sheet.file_errors.push(error(format!(
                "缺少必填列“{}”；表头须与模板一致（列的顺序不限）",
                column.header
            ))),
            [] => {}
            [one] => sheet.columns.push((column.field, *one)),
            [first, ..] => {
                let letters: Vec<String> = found
                    .iter()
                    .map(|c| keyproj_shared::column_letter(*c))
                    .collect();
                sheet.file_errors.push(CellError {
                    column: keyproj_shared::column_letter(*first),
                    ..error(format!(
                        "“{}”列出现了 {} 次（{}列）；每列只能有一个",
                        column.header,
                        found.len(),
                        letters.join("、")
                    ))
                });
            }
        }
    }
}

fn to_cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => Cell::Date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(?:\w+:)?(sheet|Relationship|row)\b[^>]*>").expect("a pattern"));
static ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"([\w:]+)\s*=\s*"([^"]*)""#).expect("a pattern"));

fn attrs(tag: &str) -> Vec<(String, String)> {
    ATTR.captures_iter(tag)
        .map(|c| (c[1].to_string(), unescape(&c[2])))
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name || k.rsplit(':').next() == Some(name))
        .map(|(_, v)| v.as_str())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Reads a part of the zip, at most the inflation limit of it.
fn part(bytes: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let file = zip.by_name(name).ok()?;
    let mut out = String::new();
    file.take(MAX_IMPORT_INFLATED_BYTES)
        .read_to_string(&mut out)
        .ok()?;
    Some(out)
}

/// The rows of a sheet that Excel hides (`<row r="5" hidden="1">`), which calamine does not
/// report: found through the workbook's sheet list and relationships.
fn hidden_rows(bytes: &[u8], sheet: &str) -> std::collections::HashSet<u32> {
    let mut hidden = std::collections::HashSet::new();
    let Some(workbook) = part(bytes, "xl/workbook.xml") else {
        return hidden;
    };
    let Some(rel_id) = TAG
        .captures_iter(&workbook)
        .filter(|c| &c[1] == "sheet")
        .map(|c| attrs(&c[0]))
        .find(|a| attr(a, "name") == Some(sheet))
        .and_then(|a| attr(&a, "id").map(str::to_string))
    else {
        return hidden;
    };
    let Some(rels) = part(bytes, "xl/_rels/workbook.xml.rels") else {
        return hidden;
    };
    let Some(target) = TAG
        .captures_iter(&rels)
        .filter(|c| &c[1] == "Relationship")
        .map(|c| attrs(&c[0]))
        .find(|a| attr(a, "Id") == Some(rel_id.as_str()))
        .and_then(|a| attr(&a, "Target").map(str::to_string))
    else {
        return hidden;
    };
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let Some(xml) = part(bytes, &path) else {
        return hidden;
    };
    for c in TAG.captures_iter(&xml).filter(|c| &c[1] == "row") {
        let a = attrs(&c[0]);
        if matches!(attr(&a, "hidden"), Some("1" | "true"))
            && let Some(r) = attr(&a, "r").and_then(|r| r.parse().ok())
        {
            hidden.insert(r);
        }
    }
    hidden
}
