//! 开工年份 / 竣工年份 as the plan prints them: a year ("2021"), a year and month ("2021.8"), or
//! a range of years ("2021-2023", kept as earliest and latest and flagged approximate).

use crate::dates::DATE_YEARS;
use crate::wire::wire;

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ScheduleDate {
        /// The cell exactly as published.
        pub published: String,
        pub earliest_year: i32,
        pub earliest_month: Option<u8>,
        pub latest_year: i32,
        pub latest_month: Option<u8>,
        /// True where the source gives a range instead of one date.
        pub approximate: bool,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("无法识别的年份: {0}")]
pub struct BadScheduleText(pub String);

impl ScheduleDate {
    pub fn parse_published(text: &str) -> Result<Self, BadScheduleText> {
        let bad = || BadScheduleText(text.to_string());
        let t = text.trim();
        let point = |s: &str| -> Option<(i32, Option<u8>)> {
            let (y, m) = match s.split_once('.') {
                Some((y, m)) => (y, Some(m)),
                None => (s, None),
            };
            if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let year: i32 = y.parse().ok()?;
            // the report dates' range: a plan of 0000 or 9999 is a typing mistake
            DATE_YEARS.contains(&year).then_some(())?;
            let month = match m {
                Some(m) => {
                    let v: u8 = m.parse().ok()?;
                    (1..=12).contains(&v).then_some(v)?;
                    Some(v)
                }
                None => None,
            };
            Some((year, month))
        };
        let (earliest, latest, approximate) = match t.split_once('-') {
            Some((a, b)) => (point(a).ok_or_else(bad)?, point(b).ok_or_else(bad)?, true),
            None => {
                let p = point(t).ok_or_else(bad)?;
                (p, p, false)
            }
        };
        if (earliest.0, earliest.1.unwrap_or(0)) > (latest.0, latest.1.unwrap_or(0)) {
            return Err(bad());
        }
        Ok(ScheduleDate {
            published: text.to_string(),
            earliest_year: earliest.0,
            earliest_month: earliest.1,
            latest_year: latest.0,
            latest_month: latest.1,
            approximate,
        })
    }

    /// A short label: "2021", "2021年8月", "约2021-2023".
    pub fn label(&self) -> String {
        let one = |y: i32, m: Option<u8>| match m {
            Some(m) => format!("{y}年{m}月"),
            None => y.to_string(),
        };
        if self.approximate {
            format!(
                "约{}-{}",
                one(self.earliest_year, self.earliest_month),
                one(self.latest_year, self.latest_month)
            )
        } else {
            one(self.earliest_year, self.earliest_month)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_year_is_exact() {
        let d = ScheduleDate::parse_published("2021").expect("parses");
        assert_eq!(
            (d.earliest_year, d.latest_year, d.approximate),
            (2021, 2021, false)
        );
        assert_eq!(d.earliest_month, None);
    }

    #[test]
    fn a_year_with_month_keeps_the_month() {
        let d = ScheduleDate::parse_published("2021.8").expect("parses");
        assert_eq!(
            (d.earliest_year, d.earliest_month, d.approximate),
            (2021, Some(8), false)
        );
        assert_eq!(d.label(), "2021年8月");
    }

    #[test]
    fn a_range_is_kept_as_earliest_and_latest_and_flagged() {
        let d = ScheduleDate::parse_published("2021-2023").expect("parses");
        assert_eq!(
            (d.earliest_year, d.latest_year, d.approximate),
            (2021, 2023, true)
        );
        assert_eq!(d.published, "2021-2023");
        assert_eq!(d.label(), "约2021-2023");
    }

    #[test]
    fn the_years_are_those_of_report_dates() {
        for good in ["1900", "2100.12", "1900-2100"] {
            assert!(ScheduleDate::parse_published(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in [
            "",
            "21",
            "2021.13",
            "2023-2021",
            "二〇二一",
            "2021-",
            "0000",
            "9999",
            "0001-9999",
            "1899",
            "2101.1",
            "2021-2101",
        ] {
            assert!(ScheduleDate::parse_published(bad).is_err(), "{bad:?}");
        }
    }
}
