//! The filtered project list as a file: CSV (UTF-8 with a BOM, so Excel reads the Chinese)
//! and XLSX (amounts as real number cells). Text that a spreadsheet would run as a formula
//! is defused with a leading apostrophe.

use keyproj_shared::{Money, ProjectItem, Totals};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const HEADERS: [&str; 15] = [
    "编号",
    "类别",
    "序号",
    "项目名称",
    "建设性质",
    "项目建设主体",
    "县市区",
    "主要建设内容和规模",
    "开工年份",
    "竣工年份",
    "总投资(万元)",
    "“十四五”计划投资(万元)",
    "社会投资占比(%)",
    "社会投资(万元)",
    "备注",
];

/// Columns 10, 11 and 13 are amounts; 12 a percentage.
const MONEY_COLUMNS: [usize; 3] = [10, 11, 13];
const SHARE_COLUMN: usize = 12;

/// Spreadsheets treat these leading characters as the start of a formula.
pub fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// One row of cells, as text; amounts as plain decimals ("5409.88").
fn cells(item: &ProjectItem, content: &str) -> [String; 15] {
    let owners: Vec<&str> = item.owners.iter().map(|o| o.name.as_str()).collect();
    [
        item.code.clone(),
        item.category.label().to_string(),
        item.serial.to_string(),
        item.name.clone(),
        item.nature_published.replace('\n', "/"),
        owners.join("、"),
        item.district
            .map_or(keyproj_shared::UNASSIGNED_LABEL, |d| d.label())
            .to_string(),
        content.to_string(),
        item.start.published.clone(),
        item.end.published.clone(),
        item.total_investment.to_string(),
        item.planned_investment.to_string(),
        item.social_share_pct
            .map(|p| p.to_string())
            .unwrap_or_default(),
        item.social_investment
            .map(|m| m.to_string())
            .unwrap_or_default(),
        item.remarks.clone().unwrap_or_default(),
    ]
}

fn totals_cells(t: &Totals) -> [String; 15] {
    let mut row: [String; 15] = Default::default();
    row[0] = format!("合计({}个)", t.count);
    row[10] = t.total_investment.to_string();
    row[11] = t.planned_investment.to_string();
    row[12] = t
        .social_share_pct
        .map(|p| p.to_string())
        .unwrap_or_default();
    row[13] = t.social_investment.to_string();
    row
}

pub fn csv(rows: &[(ProjectItem, String)], totals: &Totals) -> anyhow::Result<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(HEADERS)?;
        for (item, content) in rows {
            w.write_record(cells(item, content).iter().map(|c| defuse(c)))?;
        }
        w.write_record(totals_cells(totals).iter().map(|c| defuse(c)))?;
        w.flush()?;
    }
    Ok(out)
}

/// A cents amount as the number Excel stores. Exact sums are made in integers before this;
/// the float is only the cell's representation, shown with two decimals.
fn number(m: Money) -> f64 {
    m.cents() as f64 / 100.0
}

pub fn xlsx(rows: &[(ProjectItem, String)], totals: &Totals) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("重点项目")?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let wrap = Format::new().set_text_wrap();
    for (c, h) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, c, h, &bold)?;
    }
    let write_row = |sheet: &mut rust_xlsxwriter::Worksheet,
                     r: u32,
                     text: [String; 15],
                     amounts: [Option<Money>; 3],
                     share: Option<String>|
     -> Result<(), XlsxError> {
        for (c, value) in text.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            if let Some(i) = MONEY_COLUMNS.iter().position(|&m| m == c) {
                if let Some(m) = amounts[i] {
                    sheet.write_number_with_format(r, col, number(m), &money)?;
                }
            } else if c == SHARE_COLUMN {
                if let Some(p) = &share {
                    let v: f64 = p.parse().unwrap_or(0.0);
                    sheet.write_number_with_format(r, col, v, &money)?;
                }
            } else if !value.is_empty() {
                sheet.write_string_with_format(r, col, defuse(value), &wrap)?;
            }
        }
        Ok(())
    };
    let mut r = 1u32;
    for (item, content) in rows {
        write_row(
            sheet,
            r,
            cells(item, content),
            [
                Some(item.total_investment),
                Some(item.planned_investment),
                item.social_investment,
            ],
            item.social_share_pct.map(|p| p.to_string()),
        )?;
        r += 1;
    }
    write_row(
        sheet,
        r,
        totals_cells(totals),
        [
            Some(totals.total_investment),
            Some(totals.planned_investment),
            Some(totals.social_investment),
        ],
        totals.social_share_pct.map(|p| p.to_string()),
    )?;
    sheet.set_column_width(3, 40)?;
    sheet.set_column_width(5, 24)?;
    sheet.set_column_width(7, 60)?;
    sheet.set_column_range_width(10, 13, 14)?;
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formula_starters_are_defused_and_other_text_is_not() {
        for f in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(defuse(f).starts_with('\''), "{f:?}");
        }
        for t in ["湘潭", "1500.00", "A01", ""] {
            assert_eq!(defuse(t), t);
        }
    }
}
