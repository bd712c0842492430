//! Keyset paging of the project list. A cursor holds the sort and the last row's position in
//! it (its sort value and code), so the next page is "rows after this position", which an
//! index answers at any depth; OFFSET would read and discard every earlier row.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::dsl::sql;
use diesel::sql_types::{BigInt, Bool, Text};
use keyproj_shared::{Sort, SortColumn};
use serde_json::{Value, json};

use super::ProjectRow;
use super::columns::{KeyValue, column};
use super::filter::Condition;

/// Where the last row of a page sits in the list's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort: Sort,
    pub value: KeyValue,
    pub code: String,
}

impl Cursor {
    /// The position of `row` in the order of `sort`.
    pub fn after(row: &ProjectRow, sort: Sort) -> Cursor {
        Cursor {
            sort,
            value: column(sort.column).value(row),
            code: row.code.clone(),
        }
    }

    /// Opaque to clients: base64url of `[sort, value, code]`.
    pub fn encode(&self) -> String {
        let value = column(self.sort.column).encode(&self.value);
        let raw = json!([self.sort.to_string(), value, self.code]).to_string();
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// `None` for anything `encode` did not make.
    pub fn decode(token: &str) -> Option<Cursor> {
        let raw = URL_SAFE_NO_PAD.decode(token).ok()?;
        let parts: Vec<Value> = serde_json::from_slice(&raw).ok()?;
        let [sort, value, code] = <[Value; 3]>::try_from(parts).ok()?;
        let sort: Sort = sort.as_str()?.parse().ok()?;
        Some(Cursor {
            value: column(sort.column).decode(value)?,
            sort,
            code: code.as_str()?.to_string(),
        })
    }

    /// Rows strictly after this position in `ORDER BY key [DESC] (NULLs last), code`.
    /// The leading `key <= v` (or `>=`) is redundant but lets an index range-scan.
    pub fn condition(&self) -> Condition {
        let c = column(self.sort.column);
        let key = c.expression();
        let (strict, loose) = if self.sort.descending {
            ("<", "<=")
        } else {
            (">", ">=")
        };
        let code = self.code.clone();
        if self.sort.column == SortColumn::Code {
            return Box::new(sql::<Bool>(&format!("{key} {strict} ")).bind::<Text, _>(code));
        }
        let or_null = if c.nullable() {
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
        for (sort, value) in [
            ("code", KeyValue::Null),
            ("-social_investment", KeyValue::Null),
            ("-total_investment", KeyValue::Int(-42)),
            ("district", KeyValue::Int(999)),
            (
                "-owner",
                KeyValue::Text("湘潭市民政局\n韶山市 \"养老\"".into()),
            ),
        ] {
            let c = Cursor {
                sort: sort.parse().expect("sort"),
                value,
                code: "C05".into(),
            };
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
    }

    #[test]
    fn tokens_that_were_not_encoded_here_are_refused() {
        let token = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
        for bad in [
            "".to_string(),
            "x".into(),
            "W10".into(),
            "WyJjb2RlIiwxXQ".into(),
            "!!!".into(),
            // a value of another kind than the column's
            token(json!(["owner", 3, "A01"])),
            token(json!(["total_investment", "3", "A01"])),
            token(json!(["total_investment", null, "A01"])),
            token(json!(["code", "A01", "A01"])),
        ] {
            assert_eq!(Cursor::decode(&bad), None, "{bad}");
        }
    }
}
