//! Keyset paging of the project list. A cursor holds the sort and the last row's position in
//! it (its sort value and code), so the next page is "rows after this position", which an
//! index answers at any depth; OFFSET would read and discard every earlier row.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::dsl::sql;
use diesel::sql_types::{BigInt, Bool, Text};
use keyproj_shared::{District, Nature, Sort, SortColumn};
use serde_json::{Value, json};

use super::project::{Condition, ProjectRow};

/// The rank a district or nature sorts by; what `rank_sql` gives rows the plan does not list.
pub const UNRANKED: i64 = 999;

/// Where the last row of a page sits in the list's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort: Sort,
    pub value: KeyValue,
    pub code: String,
}

/// A row's value of the sort column. Districts and natures sort by their rank in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValue {
    Null,
    Int(i64),
    Text(String),
}

/// `CASE column WHEN 'key0' THEN 0 … ELSE 999 END`. The keys are our own constants.
pub fn rank_sql(column: &str, keys: impl IntoIterator<Item = &'static str>) -> String {
    let mut sql = format!("CASE {column}");
    for (i, key) in keys.into_iter().enumerate() {
        sql.push_str(&format!(" WHEN '{key}' THEN {i}"));
    }
    sql.push_str(&format!(" ELSE {UNRANKED} END"));
    sql
}

fn rank_of(key: Option<&str>, keys: impl IntoIterator<Item = &'static str>) -> i64 {
    key.and_then(|k| keys.into_iter().position(|x| x == k))
        .map_or(UNRANKED, |i| i as i64)
}

/// The SQL of a sort column and whether it may be NULL (NULLs sort last either way).
fn key_sql(column: SortColumn) -> (String, bool) {
    let plain = |c: &str| (format!("projects.{c}"), false);
    match column {
        SortColumn::Code => plain("code"),
        SortColumn::Name => plain("name"),
        SortColumn::Category => plain("category"),
        SortColumn::Owner => plain("owner_published"),
        SortColumn::Start => plain("start_earliest_year"),
        SortColumn::End => plain("end_latest_year"),
        SortColumn::TotalInvestment => plain("total_investment_cents"),
        SortColumn::PlannedInvestment => plain("planned_investment_cents"),
        SortColumn::SocialSharePct => ("projects.social_share_bp".into(), true),
        SortColumn::SocialInvestment => ("projects.social_investment_cents".into(), true),
        SortColumn::Nature => (
            rank_sql("projects.nature", Nature::ALL.iter().map(|n| n.key())),
            false,
        ),
        SortColumn::District => (
            rank_sql("projects.district", District::ALL.iter().map(|d| d.key())),
            false,
        ),
    }
}

impl Cursor {
    /// The position of `row` in the order of `sort`.
    pub fn after(row: &ProjectRow, sort: Sort) -> Cursor {
        let text = |s: &str| KeyValue::Text(s.to_string());
        let value = match sort.column {
            SortColumn::Code => KeyValue::Null,
            SortColumn::Name => text(&row.name),
            SortColumn::Category => text(&row.category),
            SortColumn::Owner => text(&row.owner_published),
            SortColumn::Start => KeyValue::Int(row.start_earliest_year.into()),
            SortColumn::End => KeyValue::Int(row.end_latest_year.into()),
            SortColumn::TotalInvestment => KeyValue::Int(row.total_investment_cents),
            SortColumn::PlannedInvestment => KeyValue::Int(row.planned_investment_cents),
            SortColumn::SocialSharePct => row
                .social_share_bp
                .map_or(KeyValue::Null, |v| KeyValue::Int(v.into())),
            SortColumn::SocialInvestment => row
                .social_investment_cents
                .map_or(KeyValue::Null, KeyValue::Int),
            SortColumn::Nature => KeyValue::Int(rank_of(
                Some(&row.nature),
                Nature::ALL.iter().map(|n| n.key()),
            )),
            SortColumn::District => KeyValue::Int(rank_of(
                row.district.as_deref(),
                District::ALL.iter().map(|d| d.key()),
            )),
        };
        Cursor {
            sort,
            value,
            code: row.code.clone(),
        }
    }

    /// Opaque to clients: base64url of `[sort, value, code]`.
    pub fn encode(&self) -> String {
        let value = match &self.value {
            KeyValue::Null => Value::Null,
            KeyValue::Int(v) => json!(v),
            KeyValue::Text(s) => json!(s),
        };
        let raw = json!([self.sort.to_string(), value, self.code]).to_string();
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// `None` for anything `encode` did not make.
    pub fn decode(token: &str) -> Option<Cursor> {
        let raw = URL_SAFE_NO_PAD.decode(token).ok()?;
        let parts: Vec<Value> = serde_json::from_slice(&raw).ok()?;
        let [sort, value, code] = <[Value; 3]>::try_from(parts).ok()?;
        let value = match value {
            Value::Null => KeyValue::Null,
            Value::Number(n) => KeyValue::Int(n.as_i64()?),
            Value::String(s) => KeyValue::Text(s),
            _ => return None,
        };
        Some(Cursor {
            sort: sort.as_str()?.parse().ok()?,
            value,
            code: code.as_str()?.to_string(),
        })
    }

    /// Rows strictly after this position in `ORDER BY key [DESC] (NULLs last), code`.
    /// The leading `key <= v` (or `>=`) is redundant but lets an index range-scan.
    pub fn condition(&self) -> Condition {
        let (key, nullable) = key_sql(self.sort.column);
        let (strict, loose) = if self.sort.descending {
            ("<", "<=")
        } else {
            (">", ">=")
        };
        let code = self.code.clone();
        if self.sort.column == SortColumn::Code {
            return Box::new(
                sql::<Bool>(&format!("projects.code {strict} ")).bind::<Text, _>(code),
            );
        }
        let or_null = if nullable {
            format!("{key} IS NULL OR ")
        } else {
            String::new()
        };
        macro_rules! after_value {
            ($sql_type:ty, $v:expr) => {
                Box::new(
                    sql::<Bool>(&format!("({or_null}{key} {loose} "))
                        .bind::<$sql_type, _>($v.clone())
                        .sql(&format!(") AND ({or_null}{key} {strict} "))
                        .bind::<$sql_type, _>($v)
                        .sql(" OR projects.code > ")
                        .bind::<Text, _>(code)
                        .sql(")"),
                )
            };
        }
        match &self.value {
            KeyValue::Int(v) => after_value!(BigInt, *v),
            KeyValue::Text(v) => after_value!(Text, v.clone()),
            KeyValue::Null => Box::new(
                sql::<Bool>(&format!("{key} IS NULL AND projects.code > ")).bind::<Text, _>(code),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_encoding_with_any_text() {
        for value in [
            KeyValue::Null,
            KeyValue::Int(-42),
            KeyValue::Text("湘潭市民政局\n韶山市 \"养老\"".into()),
        ] {
            let c = Cursor {
                sort: "-owner".parse().expect("sort"),
                value,
                code: "C05".into(),
            };
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
    }

    #[test]
    fn tokens_that_were_not_encoded_here_are_refused() {
        for bad in ["", "x", "W10", "WyJjb2RlIiwxXQ", "!!!"] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }
}
