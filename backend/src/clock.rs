//! Time as keyproj stores it: RFC 3339 UTC with milliseconds, one fixed width
//! (`2026-11-29T04:14:06.123Z`), so stored times compare and sort as text on both engines.

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeDelta, Utc};
use keyproj_shared::CalendarDate;

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn secs(n: u64) -> TimeDelta {
    TimeDelta::seconds(
        i64::try_from(n)
            .unwrap_or(i64::MAX / 1000)
            .min(i64::MAX / 1000),
    )
}

/// Today's date in China (UTC+8, no daylight saving): the owners' month and day.
pub fn today_in_china(t: DateTime<Utc>) -> Option<CalendarDate> {
    let local = t.with_timezone(&FixedOffset::east_opt(8 * 3600)?);
    CalendarDate::new(local.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_have_one_width_and_round_trip() {
        let t = parse("2026-11-29T04:14:06.123Z").expect("parses");
        assert_eq!(stamp(t), "2026-11-29T04:14:06.123Z");
        let whole = parse("2026-11-29T04:14:06Z").expect("parses");
        assert_eq!(stamp(whole), "2026-11-29T04:14:06.000Z");
    }

    #[test]
    fn china_is_eight_hours_ahead() {
        let t = parse("2026-11-30T16:30:00Z").expect("parses");
        assert_eq!(
            today_in_china(t).map(|d| d.to_string()),
            Some("2026-12-01".into())
        );
    }
}
