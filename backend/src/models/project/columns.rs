//! The list's sortable columns, each defined once in `column`: its SQL, whether it may be
//! NULL and what a keyset cursor keeps of it. The ORDER BY, a cursor's value, its JSON and
//! the condition "after this row" are all derived from that definition.

use diesel::dsl::sql;
use diesel::expression::{SqlLiteral, TypedExpressionType};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, SingleValue, Text};
use keyproj_shared::{District, Nature, Sort, SortColumn};
use serde_json::{Value, json};

use super::ProjectRow;
use super::filter::BoxedProjects;
use crate::schema::projects;

/// The rank of a district or nature the plan does not list, or of no district: after all.
pub const UNRANKED: i64 = 999;

/// How a column sorts, and the value of it a cursor keeps.
pub enum Key {
    /// The code, which is also every sort's tie-break: a cursor needs no other value.
    Code,
    Text(fn(&ProjectRow) -> &str),
    Int(fn(&ProjectRow) -> i64),
    /// NULLs come last in either direction.
    NullableInt(fn(&ProjectRow) -> Option<i64>),
    /// The plan's order: a key's position in `keys`, `UNRANKED` for any other key or NULL.
    Rank {
        keys: Vec<&'static str>,
        of: fn(&ProjectRow) -> Option<&str>,
    },
}

pub struct ColumnDef {
    /// The column of `projects`, qualified.
    pub column: &'static str,
    pub key: Key,
}

/// A row's value of the sort column, as a cursor keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValue {
    Null,
    Int(i64),
    Text(String),
}

pub fn column(c: SortColumn) -> ColumnDef {
    let def = |column, key| ColumnDef { column, key };
    match c {
        SortColumn::Code => def("projects.code", Key::Code),
        SortColumn::Name => def("projects.name", Key::Text(|r| &r.name)),
        SortColumn::Category => def("projects.category", Key::Text(|r| &r.category)),
        SortColumn::Owner => def(
            "projects.owner_published",
            Key::Text(|r| &r.owner_published),
        ),
        SortColumn::Nature => def(
            "projects.nature",
            Key::Rank {
                keys: Nature::ALL.iter().map(|n| n.key()).collect(),
                of: |r| Some(&r.nature),
            },
        ),
        SortColumn::District => def(
            "projects.district",
            Key::Rank {
                keys: District::ALL.iter().map(|d| d.key()).collect(),
                of: |r| r.district.as_deref(),
            },
        ),
        SortColumn::Start => def(
            "projects.start_earliest_year",
            Key::Int(|r| r.start_earliest_year.into()),
        ),
        SortColumn::End => def(
            "projects.end_latest_year",
            Key::Int(|r| r.end_latest_year.into()),
        ),
        SortColumn::TotalInvestment => def(
            "projects.total_investment_cents",
            Key::Int(|r| r.total_investment_cents),
        ),
        SortColumn::PlannedInvestment => def(
            "projects.planned_investment_cents",
            Key::Int(|r| r.planned_investment_cents),
        ),
        SortColumn::SocialSharePct => def(
            "projects.social_share_bp",
            Key::NullableInt(|r| r.social_share_bp.map(i64::from)),
        ),
        SortColumn::SocialInvestment => def(
            "projects.social_investment_cents",
            Key::NullableInt(|r| r.social_investment_cents),
        ),
    }
}

impl ColumnDef {
    /// The SQL the rows sort by.
    pub fn expression(&self) -> String {
        match &self.key {
            // `CASE column WHEN 'key0' THEN 0 … ELSE 999 END`; the keys are our own constants
            Key::Rank { keys, .. } => {
                let mut sql = format!("CASE {}", self.column);
                for (i, key) in keys.iter().enumerate() {
                    sql.push_str(&format!(" WHEN '{key}' THEN {i}"));
                }
                sql.push_str(&format!(" ELSE {UNRANKED} END"));
                sql
            }
            _ => self.column.to_string(),
        }
    }

    pub fn nullable(&self) -> bool {
        matches!(self.key, Key::NullableInt(_))
    }

    pub fn value(&self, row: &ProjectRow) -> KeyValue {
        match &self.key {
            Key::Code => KeyValue::Null,
            Key::Text(of) => KeyValue::Text(of(row).to_string()),
            Key::Int(of) => KeyValue::Int(of(row)),
            Key::NullableInt(of) => of(row).map_or(KeyValue::Null, KeyValue::Int),
            Key::Rank { keys, of } => KeyValue::Int(
                of(row)
                    .and_then(|k| keys.iter().position(|x| *x == k))
                    .map_or(UNRANKED, |i| i as i64),
            ),
        }
    }

    pub fn encode(&self, value: &KeyValue) -> Value {
        match value {
            KeyValue::Null => Value::Null,
            KeyValue::Int(v) => json!(v),
            KeyValue::Text(s) => json!(s),
        }
    }

    /// `None` unless `value` is one that `encode` gives for this column.
    pub fn decode(&self, value: Value) -> Option<KeyValue> {
        match (&self.key, value) {
            (Key::Code | Key::NullableInt(_), Value::Null) => Some(KeyValue::Null),
            (Key::Text(_), Value::String(s)) => Some(KeyValue::Text(s)),
            (Key::Int(_) | Key::NullableInt(_) | Key::Rank { .. }, Value::Number(n)) => {
                n.as_i64().map(KeyValue::Int)
            }
            _ => None,
        }
    }
}

/// `ORDER BY` the sort's column in its direction, NULLs last either way, then by code.
pub fn sorted(q: BoxedProjects<'static>, sort: Sort) -> BoxedProjects<'static> {
    ordered(q, sort, false)
}

/// The same order, written so that no index answers it: for a statement that reads every
/// match anyway (window sums over them), where walking an index in sort order could not stop
/// early. PostgreSQL 15 costs a LIMIT over such a window as if it could, and then filters all
/// 100,000 projects in code order instead of reading the matches from the search's index.
pub fn sorted_by_value(q: BoxedProjects<'static>, sort: Sort) -> BoxedProjects<'static> {
    ordered(q, sort, true)
}

fn ordered(q: BoxedProjects<'static>, sort: Sort, by_value: bool) -> BoxedProjects<'static> {
    let c = column(sort.column);
    let key = c.expression();
    let q = if c.nullable() {
        q.then_order_by(sql::<Bool>(&format!("{key} IS NULL")))
    } else {
        q
    };
    // the same values in the same collation, as an expression no index is made of
    let (text, int) = if by_value {
        (format!("({key} || '')"), format!("({key} + 0)"))
    } else {
        (key.clone(), key)
    };
    let q = match c.key {
        Key::Code | Key::Text(_) => then_by(q, sql::<Text>(&text), sort.descending),
        Key::Int(_) | Key::NullableInt(_) | Key::Rank { .. } => {
            then_by(q, sql::<BigInt>(&int), sort.descending)
        }
    };
    if by_value {
        q.then_order_by(sql::<Text>("(projects.code || '')").asc())
    } else {
        q.then_order_by(projects::code.asc())
    }
}

fn then_by<ST>(
    q: BoxedProjects<'static>,
    key: SqlLiteral<ST>,
    descending: bool,
) -> BoxedProjects<'static>
where
    ST: SingleValue + TypedExpressionType + Send + 'static,
{
    if descending {
        q.then_order_by(key.desc())
    } else {
        q.then_order_by(key.asc())
    }
}
