//! Amounts and shares as the plan prints them: 万元 with two decimals, grouped by thousands.

use keyproj_shared::{Money, Percent};
use yew::prelude::*;

/// `1234567.80` → `1,234,567.80`. Works on `Money`'s own decimal string, never on a float.
pub fn format_money(m: Money) -> String {
    group_thousands(&m.to_string())
}

/// `9.24` → `9.24%`.
pub fn format_percent(p: Percent) -> String {
    format!("{p}%")
}

/// `-12345` → `-12,345`.
pub fn format_int(n: i64) -> String {
    group_thousands(&n.to_string())
}

/// Inserts `,` every three digits of the integer part of a decimal string.
fn group_thousands(decimal: &str) -> String {
    let (sign, body) = match decimal.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", decimal),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let mut out = String::with_capacity(decimal.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// An amount in 万元, e.g. `5,409.88 万元` (`unit`: with "万元"; off in table cells whose
/// header already names the unit).
pub fn money_text(value: Money, unit: bool) -> Html {
    html! {
        <span class="money">
            { format_money(value) }
            if unit {
                <span class="unit">{ "万元" }</span>
            }
        </span>
    }
}

/// A share such as `9.24%`, or a muted dash where there is none.
pub fn percent_text(value: Option<Percent>) -> Html {
    match value {
        Some(p) => html! { <span class="percent">{ format_percent(p) }</span> },
        None => html! { <span class="muted" title="无">{ "—" }</span> },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().expect("money")
    }

    #[test]
    fn thousands_are_grouped_in_the_integer_part_only() {
        assert_eq!(format_money(m("0")), "0.00");
        assert_eq!(format_money(m("999.99")), "999.99");
        assert_eq!(format_money(m("1000")), "1,000.00");
        assert_eq!(format_money(m("5409.88")), "5,409.88");
        assert_eq!(format_money(m("592917.92")), "592,917.92");
        assert_eq!(format_money(m("1234567.8")), "1,234,567.80");
        assert_eq!(format_money(m("-1234.5")), "-1,234.50");
    }

    #[test]
    fn integers_are_grouped_too() {
        assert_eq!(format_int(0), "0");
        assert_eq!(format_int(200000), "200,000");
        assert_eq!(format_int(-1234), "-1,234");
    }

    #[test]
    fn a_share_carries_its_sign() {
        assert_eq!(format_percent("9.24".parse().expect("pct")), "9.24%");
    }
}
