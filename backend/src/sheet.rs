//! A table laid out as a report, written as CSV (UTF-8 with a BOM, so Excel reads the
//! Chinese; header, rows and totals rows only, so a program can read it) or as XLSX sheets
//! (a title, a line saying the date of the data and the units, the header, the rows and the
//! totals rows in bold; counts, amounts and rates as number cells). Text a spreadsheet would
//! run as a formula is defused as the project export does (`export::defuse`).

use keyproj_shared::{Money, Percent};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::export::defuse;

pub enum Cell {
    Text(String),
    Count(u64),
    /// 万元
    Money(Option<Money>),
    /// %
    Pct(Option<Percent>),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn as_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Money(m) => m.map(|m| m.to_string()).unwrap_or_default(),
            Cell::Pct(p) => p.map(|p| p.to_string()).unwrap_or_default(),
        }
    }
}

pub struct Table {
    /// The sheet's name (at most 31 characters).
    pub sheet: String,
    pub title: String,
    /// The date of the data, the units, the rule applied.
    pub subtitle: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    pub totals: Vec<Vec<Cell>>,
    /// Column widths, by position; the others keep Excel's.
    pub widths: Vec<(u16, f64)>,
}

pub fn csv(table: &Table) -> anyhow::Result<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(&table.headers)?;
        for row in table.rows.iter().chain(&table.totals) {
            // every record as wide as the header: a short totals row is padded
            let mut cells: Vec<String> = row.iter().map(|c| defuse(&c.as_text())).collect();
            cells.resize(cells.len().max(table.headers.len()), String::new());
            w.write_record(&cells)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A cents amount as the number Excel stores: sums are made exactly in integers before; the
/// float is only the cell, shown with two decimals.
fn money_number(m: Money) -> f64 {
    m.cents() as f64 / 100.0
}

fn percent_number(p: Percent) -> f64 {
    p.basis_points() as f64 / 100.0
}

fn write_row(
    sheet: &mut Worksheet,
    r: u32,
    row: &[Cell],
    text: &Format,
    number: &Format,
    count: &Format,
) -> Result<(), XlsxError> {
    for (c, cell) in (0u16..).zip(row) {
        match cell {
            Cell::Text(s) if s.is_empty() => {}
            Cell::Text(s) => {
                sheet.write_string_with_format(r, c, defuse(s), text)?;
            }
            Cell::Count(n) => {
                sheet.write_number_with_format(r, c, *n as f64, count)?;
            }
            Cell::Money(Some(m)) => {
                sheet.write_number_with_format(r, c, money_number(*m), number)?;
            }
            Cell::Pct(Some(p)) => {
                sheet.write_number_with_format(r, c, percent_number(*p), number)?;
            }
            Cell::Money(None) | Cell::Pct(None) => {}
        }
    }
    Ok(())
}

fn add_sheet(book: &mut Workbook, t: &Table) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name(&t.sheet)?;
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let number = Format::new().set_num_format("#,##0.00");
    let count = Format::new().set_num_format("0");
    let bold_number = number.clone().set_bold();
    let bold_count = count.clone().set_bold();
    sheet.write_string_with_format(0, 0, &t.title, &title)?;
    sheet.write_string(1, 0, &t.subtitle)?;
    for (c, h) in (0u16..).zip(&t.headers) {
        sheet.write_string_with_format(3, c, *h, &bold)?;
    }
    let mut r = 4u32;
    for row in &t.rows {
        write_row(sheet, r, row, &wrap, &number, &count)?;
        r += 1;
    }
    for row in &t.totals {
        write_row(sheet, r, row, &bold, &bold_number, &bold_count)?;
        r += 1;
    }
    for (c, w) in &t.widths {
        sheet.set_column_width(*c, *w)?;
    }
    sheet.set_freeze_panes(4, 0)?;
    Ok(())
}

/// A workbook of one sheet per table, in order.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    for t in tables {
        add_sheet(&mut book, t)?;
    }
    book.save_to_buffer()
}
