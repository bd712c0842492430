//! Exact fixed-point amounts. The plan prints money in 万元 with at most two decimals, so an
//! amount is a whole number of hundredths of 万元 (百元). Floats never touch it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::wire::{Error, FromJson, Json, ToJson, parse_str, string};

/// An amount in 万元, held as integer hundredths. On the wire it is a decimal string
/// with exactly two decimals, e.g. `"5409.88"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "5409.88"))]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("不是有效的数字")]
    NotANumber,
    #[error("最多保留两位小数")]
    TooManyDecimals,
    #[error("数值超出范围")]
    OutOfRange,
}

impl Money {
    pub const ZERO: Money = Money(0);

    /// The ceiling on every amount a client may send: 100,000,000.00 万元 (10⁸ 万元, 10¹⁰
    /// hundredths), far above any civil-affairs project. With it a sum of N amounts is at most
    /// N × 10¹⁰ hundredths, so i64 (9.2 × 10¹⁸) holds the sum of 900 million of them: at the
    /// scale benchmark's 100,000 projects a sum is at most 10¹⁵, 9,000 times under the limit.
    /// Sums (totals, summaries, pivots) may exceed it; only input is held to it.
    pub const MAX: Money = Money(10_000_000_000);

    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// An amount as a client types it: trimmed, at most two decimals, from 0 to `Money::MAX`.
    /// This is the one parser of amounts from input (report and edit forms, and the server
    /// checking them), so every amount field gets the ceiling. The error is the message for
    /// the field, in Chinese.
    pub fn parse_amount(raw: &str) -> Result<Money, String> {
        match raw.trim().parse::<Money>() {
            Ok(m) if m < Money::ZERO => Err("金额不能为负数".into()),
            Ok(m) if m <= Money::MAX => Ok(m),
            Ok(_) | Err(DecimalError::OutOfRange) => {
                Err(format!("金额不能超过 {} 万元（1 亿万元）", Money::MAX))
            }
            Err(e) => Err(format!("{e}：应为以万元计的金额，如 \"1234.56\"")),
        }
    }

    /// Sums exactly; `None` only on i64 overflow, which amounts within `Money::MAX` cannot
    /// reach below 900 million terms.
    pub fn sum<I: IntoIterator<Item = Money>>(items: I) -> Option<Money> {
        items
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    /// `self × pct`, rounded to the nearest hundredth of 万元, halves away from zero.
    /// This is the one rounding rule of the product (see docs/data.md).
    pub fn times_percent(self, pct: Percent) -> Money {
        // cents × basis points / 10_000, in i128 so no product can overflow
        let num = i128::from(self.0) * i128::from(pct.basis_points());
        let q = num / 10_000;
        let r = num % 10_000;
        let rounded = if r.abs() * 2 >= 10_000 {
            q + num.signum()
        } else {
            q
        };
        Money(i64::try_from(rounded).unwrap_or(i64::MAX))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_fixed2(f, self.0)
    }
}

impl FromStr for Money {
    type Err = DecimalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_fixed2(s).map(Money)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A percentage held as integer hundredths of a percent; on the wire `"9.24"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "9.24"))]
pub struct Percent(i64);

impl Percent {
    pub const fn from_basis_points(bp: i64) -> Self {
        Percent(bp)
    }

    pub const fn basis_points(self) -> i64 {
        self.0
    }

    /// `part / whole` as a percentage, rounded half away from zero; `None` when whole is 0.
    pub fn ratio(part: Money, whole: Money) -> Option<Percent> {
        if whole.cents() == 0 {
            return None;
        }
        let num = i128::from(part.cents()) * 10_000;
        let den = i128::from(whole.cents());
        let q = num / den;
        let r = num % den;
        let rounded = if r.abs() * 2 >= den.abs() {
            q + (num.signum() * den.signum())
        } else {
            q
        };
        i64::try_from(rounded).ok().map(Percent)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_fixed2(f, self.0)
    }
}

impl FromStr for Percent {
    type Err = DecimalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_fixed2(s).map(Percent)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl FromJson for Money {
    fn from_json(j: Json) -> Result<Self, Error> {
        parse_str(j, |s| s.parse().ok())
    }
}

impl FromJson for Percent {
    fn from_json(j: Json) -> Result<Self, Error> {
        parse_str(j, |s| s.parse().ok())
    }
}

impl ToJson for Money {
    fn write_json(&self, out: &mut String) {
        string(out, &self.to_string());
    }
}

impl ToJson for Percent {
    fn write_json(&self, out: &mut String) {
        string(out, &self.to_string());
    }
}

fn write_fixed2(f: &mut fmt::Formatter<'_>, v: i64) -> fmt::Result {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    write!(f, "{sign}{}.{:02}", a / 100, a % 100)
}

/// Parses `123`, `123.4`, `123.45`, `-1.5`; refuses exponents, blanks and a third decimal.
fn parse_fixed2(s: &str) -> Result<i64, DecimalError> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (body.contains('.') && !digits(frac)) {
        return Err(DecimalError::NotANumber);
    }
    if frac.len() > 2 {
        return Err(DecimalError::TooManyDecimals);
    }
    let int: i64 = int.parse().map_err(|_| DecimalError::OutOfRange)?;
    let mut frac_v: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| DecimalError::NotANumber)?
    };
    if frac.len() == 1 {
        frac_v *= 10;
    }
    let v = int
        .checked_mul(100)
        .and_then(|c| c.checked_add(frac_v))
        .ok_or(DecimalError::OutOfRange)?;
    Ok(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_round_trips_through_its_decimal_string() {
        for s in ["0.00", "5409.88", "592917.92", "-3.05", "100000.00"] {
            assert_eq!(s.parse::<Money>().map(|m| m.to_string()), Ok(s.to_string()));
        }
        assert_eq!("7205.8".parse::<Money>().map(Money::cents), Ok(720_580));
        assert_eq!("5270".parse::<Money>().map(Money::cents), Ok(527_000));
    }

    #[test]
    fn money_refuses_three_decimals_and_non_numbers() {
        assert_eq!("1.234".parse::<Money>(), Err(DecimalError::TooManyDecimals));
        for bad in ["", "abc", "1e3", "1.", ".5", "1,000", " 1", "--1", "NaN"] {
            assert!(bad.parse::<Money>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn an_input_amount_is_held_between_zero_and_the_ceiling() {
        assert_eq!(Money::MAX.to_string(), "100000000.00");
        assert_eq!(Money::parse_amount(" 100000000.00 "), Ok(Money::MAX));
        assert_eq!(Money::parse_amount("0"), Ok(Money::ZERO));
        for above in [
            "100000000.01",
            "50000000000000000.00",
            "92233720368547758.07",
            "99999999999999999999",
        ] {
            let e = Money::parse_amount(above).expect_err(above);
            assert!(e.contains("100000000.00 万元"), "{above}: {e}");
        }
        assert_eq!(
            Money::parse_amount("-0.01"),
            Err("金额不能为负数".to_string())
        );
        assert!(Money::parse_amount("1.234").is_err_and(|e| e.contains("两位小数")));
    }

    #[test]
    fn social_amount_rounds_half_away_from_zero_to_the_hundredth() {
        let m = |s: &str| s.parse::<Money>().expect("money");
        let p = |s: &str| s.parse::<Percent>().expect("pct");
        // 5409.88 × 9.24% = 499.872912
        assert_eq!(m("5409.88").times_percent(p("9.24")), m("499.87"));
        // 1500 × 33.3% = 499.5 exactly
        assert_eq!(m("1500").times_percent(p("33.3")), m("499.50"));
        // 0.05 × 10% = 0.005 → 0.01
        assert_eq!(m("0.05").times_percent(p("10")), m("0.01"));
        assert_eq!(m("0.04").times_percent(p("10")), m("0.00"));
    }

    #[test]
    fn ratio_gives_an_exact_rounded_share() {
        let m = |s: &str| s.parse::<Money>().expect("money");
        assert_eq!(
            Percent::ratio(m("1"), m("3")).map(|p| p.to_string()),
            Some("33.33".into())
        );
        assert_eq!(
            Percent::ratio(m("2"), m("3")).map(|p| p.to_string()),
            Some("66.67".into())
        );
        assert_eq!(Percent::ratio(m("1"), Money::ZERO), None);
    }
}
