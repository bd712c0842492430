//! What real workbooks hold, turned into the text the report rules read (`ReportBody`).
//!
//! Excel and WPS store months and dates as serial day numbers (WPS's built-in Chinese date
//! formats come back from calamine as plain numbers), people type them as `2024-05`,
//! `2024年5月` or `2024.5`, and numbers arrive as text with full-width digits, thousands
//! separators and trailing spaces. This only normalises the writing: whether a value is
//! allowed is decided by the shared rules, the same as for `POST /api/projects/{code}/reports`.

use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate};
use regex::Regex;

/// A cell as read, independent of the reader.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell Excel formats as a date: its serial day number.
    Date(f64),
    /// `#N/A`, `#DIV/0!` …
    Error(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => fold(t).is_empty(),
            _ => false,
        }
    }

    /// The cell as it reads, for the marked-up copy and messages.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) | Cell::Date(n) => number(*n),
            Cell::Bool(b) => b.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// Full-width forms (`２０２４`, `，`, `．`, `（`) as their ASCII letters, the ideographic
/// and no-break spaces as spaces, trimmed.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A float as the shortest decimal that reads back as it; a float that only carries binary
/// noise past the tenth decimal (`1234.5600000000001`) as the decimal it stands for.
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{n:.0}");
    }
    let short = n.to_string();
    let decimals = short.split_once('.').map_or(0, |(_, d)| d.len());
    if decimals <= 2 {
        return short;
    }
    let rounded = format!("{n:.10}");
    let rounded = rounded.trim_end_matches('0').trim_end_matches('.');
    let round_decimals = rounded.split_once('.').map_or(0, |(_, d)| d.len());
    if round_decimals <= 2 {
        rounded.to_string()
    } else {
        short
    }
}

/// A number for a money or percentage column: `None` when blank. Text loses its thousands
/// separators, inner spaces and a trailing `%`; anything else is left for the rules to
/// name.
pub fn number_text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Empty => None,
        Cell::Number(n) | Cell::Date(n) => Some(number(*n)),
        Cell::Text(t) => {
            let t = fold(t);
            if t.is_empty() {
                return None;
            }
            let t: String = t.chars().filter(|c| *c != ',' && *c != ' ').collect();
            Some(t.strip_suffix('%').unwrap_or(&t).to_string())
        }
        other => Some(other.display()),
    }
}

/// Excel's day 0 in the 1900 date system, as Excel counts it (it believes 1900 was a leap
/// year, so every serial from 61 on is one day past the real count from 1899-12-31).
fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(serial.floor() as u64))
}

static YEAR_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份?)?(?:\s*[-/.]?\s*(\d{1,2})\s*[日号]?)?$")
        .expect("a valid pattern")
});
static YEAR_MONTH_COMPACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})(\d{2})$").expect("a valid pattern"));
static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
        .expect("a valid pattern")
});

/// The month of a 填报月份 cell as `YYYY-MM`, or the cell's own text for the rules to refuse;
/// `Err` for a number that could name two months.
pub fn period_text(cell: &Cell) -> Result<Option<String>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(n) => Ok(Some(serial_date(*n).map_or_else(
            || number(*n),
            |d| format!("{:04}-{:02}", d.year(), d.month()),
        ))),
        // 2024.5 typed into a number cell: year.month. 2024.1 may have been 2024.10 before
        // Excel dropped the zero, so it is refused rather than guessed.
        Cell::Number(n) if (2000.0..2101.0).contains(n) => {
            let text = number(*n);
            match text.split_once('.') {
                None => Err(format!("“{text}”只有年份，请写成 {text}-05 这样的年月")),
                Some((_, "1")) => Err(format!(
                    "“{text}”可能是 1 月也可能是 10 月（Excel 会去掉末尾的 0），请写成 {y}-01 或 {y}-10",
                    y = text.split('.').next().unwrap_or_default()
                )),
                Some((y, m)) => Ok(Some(format!("{y}-{m:0>2}"))),
            }
        }
        Cell::Number(n) => Ok(Some(serial_date(*n).map_or_else(
            || number(*n),
            |d| format!("{:04}-{:02}", d.year(), d.month()),
        ))),
        Cell::Text(t) => {
            let t = fold(t);
            if t.is_empty() {
                return Ok(None);
            }
            if let Some(c) = YEAR_MONTH
                .captures(&t)
                .or_else(|| YEAR_MONTH_COMPACT.captures(&t))
            {
                return Ok(Some(format!("{}-{:0>2}", &c[1], &c[2])));
            }
            Ok(Some(t))
        }
        other => Ok(Some(other.display())),
    }
}

/// A date cell as `YYYY-MM-DD`, or the cell's own text for the rules to refuse.
pub fn date_text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Empty => None,
        Cell::Date(n) | Cell::Number(n) => {
            Some(serial_date(*n).map_or_else(|| number(*n), |d| d.format("%Y-%m-%d").to_string()))
        }
        Cell::Text(t) => {
            let t = fold(t);
            if t.is_empty() {
                return None;
            }
            match FULL_DATE.captures(&t) {
                Some(c) => Some(format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3])),
                None => Some(t),
            }
        }
        other => Some(other.display()),
    }
}

/// A code or status: folded (full-width letters are ASCII) and trimmed.
pub fn word_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => fold(t),
        other => other.display(),
    }
}

/// Free text: as typed, trimmed.
pub fn free_text(cell: &Cell) -> String {
    cell.display().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn months_are_read_from_serials_and_the_ways_people_write_them() {
        // 45413 is 2024-05-01 in Excel's count
        for cell in [
            Cell::Date(45413.0),
            Cell::Number(45413.0),
            Cell::Number(2024.5),
            text("2024-05"),
            text("2024-5"),
            text("2024年5月"),
            text("２０２４年５月"),
            text("2024.5"),
            text("2024/05"),
            text("202405"),
            text("2024年5月1日"),
            text(" 2024-05 "),
        ] {
            assert_eq!(
                period_text(&cell),
                Ok(Some("2024-05".to_string())),
                "{cell:?}"
            );
        }
        assert_eq!(
            period_text(&Cell::Number(2024.12)),
            Ok(Some("2024-12".into()))
        );
        assert!(period_text(&Cell::Number(2024.1)).is_err());
        assert_eq!(period_text(&text("五月")), Ok(Some("五月".into())));
        assert_eq!(period_text(&Cell::Empty), Ok(None));
    }

    #[test]
    fn dates_are_read_from_serials_and_chinese_writing() {
        for cell in [
            Cell::Date(45366.0),
            Cell::Number(45366.0),
            text("2024-03-15"),
            text("2024/3/15"),
            text("2024年3月15日"),
            text("2024.3.15"),
        ] {
            assert_eq!(date_text(&cell).as_deref(), Some("2024-03-15"), "{cell:?}");
        }
        assert_eq!(date_text(&text("去年")).as_deref(), Some("去年"));
    }

    #[test]
    fn numbers_lose_separators_full_width_digits_and_float_noise() {
        assert_eq!(
            number_text(&text("１，２３４．５ ")).as_deref(),
            Some("1234.5")
        );
        assert_eq!(number_text(&text("1,234.56")).as_deref(), Some("1234.56"));
        assert_eq!(number_text(&text("45%")).as_deref(), Some("45"));
        assert_eq!(
            number_text(&Cell::Number(1234.5600000000001)).as_deref(),
            Some("1234.56")
        );
        assert_eq!(number_text(&Cell::Number(0.125)).as_deref(), Some("0.125"));
        assert_eq!(number_text(&Cell::Number(12.0)).as_deref(), Some("12"));
        assert_eq!(number_text(&text("  ")), None);
    }
}
