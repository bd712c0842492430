//! The error workbook: the upload's report sheet written again, each bad cell filled red
//! with its message as a note, so the owner fixes the file in place and uploads it again.
//! (rust_xlsxwriter writes new files only: the other sheets and the formatting of the
//! original are not carried over; its values are, cell by cell.)

use std::collections::BTreeMap;

use keyproj_shared::{CellError, column_letter};
use rust_xlsxwriter::{Color, Format, Note, Workbook, Worksheet, XlsxError};

use super::cells::Cell;
use super::workbook::Sheet;
use crate::export::defuse;

fn write(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let plain = Format::new();
    let f = format.unwrap_or(&plain);
    match cell {
        Cell::Empty if format.is_some() => {
            sheet.write_blank(row, col, f)?;
        }
        Cell::Empty => {}
        Cell::Number(n) | Cell::Date(n) => {
            sheet.write_number_with_format(row, col, *n, f)?;
        }
        Cell::Bool(b) => {
            sheet.write_boolean_with_format(row, col, *b, f)?;
        }
        Cell::Text(t) | Cell::Error(t) => {
            sheet.write_string_with_format(row, col, defuse(t), f)?;
        }
    }
    Ok(())
}

/// The marked-up copy. Errors without a column (a missing column) are noted on the first
/// header cell.
pub fn workbook(source: &Sheet, errors: &[&CellError]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let name: String = source.name.chars().take(31).collect();
    if sheet
        .set_name(if name.is_empty() { "月报" } else { &name })
        .is_err()
    {
        sheet.set_name("月报")?;
    }
    let bad = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));
    let bold = Format::new().set_bold();
    // messages by (row, column letter)
    let mut by_cell: BTreeMap<(u32, String), Vec<String>> = BTreeMap::new();
    for e in errors {
        let column = if e.column.is_empty() {
            "A".to_string()
        } else {
            e.column.clone()
        };
        let row = if e.column.is_empty() {
            source.header_row
        } else {
            e.row
        };
        by_cell
            .entry((row, column))
            .or_default()
            .push(e.message.clone());
    }
    let header_row0 = source.header_row.saturating_sub(1);
    let rows = std::iter::once((header_row0, &source.headers))
        .chain(source.rows.iter().map(|r| (r.excel_row - 1, &r.cells)));
    for (r0, cells) in rows {
        let width = cells.len().max(1);
        for c in 0..width {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            let letter = column_letter(u32::try_from(c).unwrap_or(0));
            let cell = cells.get(c).unwrap_or(&Cell::Empty);
            let messages = by_cell.remove(&(r0 + 1, letter));
            let format = if messages.is_some() {
                Some(&bad)
            } else if r0 == header_row0 {
                Some(&bold)
            } else {
                None
            };
            write(sheet, r0, col, cell, format)?;
            if let Some(m) = messages {
                sheet.insert_note(r0, col, &Note::new(m.join("\n")).set_author("keyproj"))?;
            }
        }
    }
    // errors in cells beyond a row's last value
    for ((row, letter), messages) in by_cell {
        let col = letter
            .bytes()
            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
            .saturating_sub(1);
        let col = u16::try_from(col).unwrap_or(0);
        sheet.write_blank(row - 1, col, &bad)?;
        sheet.insert_note(
            row - 1,
            col,
            &Note::new(messages.join("\n")).set_author("keyproj"),
        )?;
    }
    book.save_to_buffer()
}
