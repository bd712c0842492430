//! Months (`YYYY-MM`) and days (`YYYY-MM-DD`) as reports carry them. chrono keeps the
//! calendar (month lengths, leap years); the text is split by hand because chrono's parser
//! is lenient where the wire is not (it takes `2024-5-01`, `+2024-05-01`, ` 2024-05-01`), and
//! two fixed layouts need none of its format machinery in the wasm bundle.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// The years a report may be for.
const PERIOD_YEARS: RangeInclusive<i32> = 2000..=2100;
/// The years an actual start or end date may fall in, and a planned one (`ScheduleDate`).
pub const DATE_YEARS: RangeInclusive<i32> = 1900..=2100;

/// A month, `YYYY-MM`, held as its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period(NaiveDate);

impl Period {
    /// The month, or `None` for a month 1-12 does not name or a year outside 2000-2100.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        if !PERIOD_YEARS.contains(&year) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, 1).map(Period)
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// 1-12.
    pub fn month(self) -> u32 {
        self.0.month()
    }

    pub fn first_day(self) -> NaiveDate {
        self.0
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl FromStr for Period {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (y, m) = s.split_once('-').ok_or(())?;
        let year = i32::try_from(digits(y, 4).ok_or(())?).map_err(|_| ())?;
        Period::new(year, digits(m, 2).ok_or(())?).ok_or(())
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate(NaiveDate);

impl CalendarDate {
    /// The date, or `None` for a year outside 1900-2100 or a day its month lacks.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day).and_then(CalendarDate::new)
    }

    /// `None` for a year outside 1900-2100.
    pub fn new(date: NaiveDate) -> Option<Self> {
        DATE_YEARS
            .contains(&date.year())
            .then_some(CalendarDate(date))
    }

    pub fn naive(self) -> NaiveDate {
        self.0
    }

    /// The month the date falls in. Not range-checked as a report's period is: a date of
    /// 1999 has a month too, and it sorts before every reportable one.
    pub fn period(self) -> Period {
        // Day 1 exists in every month.
        Period(self.0.with_day(1).unwrap_or(self.0))
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    }
}

impl FromStr for CalendarDate {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(());
        };
        let year = i32::try_from(digits(y, 4).ok_or(())?).map_err(|_| ())?;
        let month = digits(m, 2).ok_or(())?;
        let day = digits(d, 2).ok_or(())?;
        CalendarDate::from_ymd(year, month, day).ok_or(())
    }
}

/// Exactly `n` ASCII digits: no sign, no space, no short form.
fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_four_digits_a_dash_and_two() {
        let p: Period = "2024-05".parse().expect("valid");
        assert_eq!((p.year(), p.month()), (2024, 5));
        assert_eq!(p.to_string(), "2024-05");
        for bad in [
            "2024-5",
            "2024-05-1",
            "+2024-05",
            " 2024-05",
            "2024-05 ",
            "2024-13",
            "2024-00",
            "1999-12",
            "2101-01",
            "2024",
            "2024/05",
            "２０２４-05",
            "",
        ] {
            assert_eq!(bad.parse::<Period>(), Err(()), "{bad:?}");
        }
        assert!("2000-01".parse::<Period>().is_ok());
        assert!("2100-12".parse::<Period>().is_ok());
    }

    #[test]
    fn a_date_is_strict_and_follows_the_calendar() {
        let d: CalendarDate = "2024-03-05".parse().expect("valid");
        assert_eq!(d.to_string(), "2024-03-05");
        assert_eq!(
            d.naive(),
            NaiveDate::from_ymd_opt(2024, 3, 5).expect("a day")
        );
        for ok in [
            "2024-02-29",
            "2000-02-29",
            "1900-01-01",
            "2100-12-31",
            "2024-04-30",
        ] {
            assert!(ok.parse::<CalendarDate>().is_ok(), "{ok}");
        }
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2100-02-29",
            "2024-04-31",
            "2024-02-30",
            "2024-05-00",
            "2024-05-1",
            "2024-5-01",
            "+2024-05-01",
            " 2024-05-01",
            "2024-05-01-",
            "1899-12-31",
            "2101-01-01",
            "2024-05",
        ] {
            assert_eq!(bad.parse::<CalendarDate>(), Err(()), "{bad:?}");
        }
    }

    #[test]
    fn a_date_knows_its_month_and_both_order_by_time() {
        let d = CalendarDate::from_ymd(2024, 6, 30).expect("a day");
        assert_eq!(d.period().to_string(), "2024-06");
        assert!(d.period() > "2024-05".parse().expect("valid"));
        assert!(d < CalendarDate::from_ymd(2024, 7, 1).expect("a day"));
        assert_eq!(
            CalendarDate::from_ymd(1950, 2, 3).map(|d| d.period().to_string()),
            Some("1950-02".into())
        );
        assert_eq!(CalendarDate::from_ymd(1899, 1, 1), None);
        assert_eq!(Period::new(2024, 13), None);
    }
}
