//! Counts and exact integer sums over the projects a filter keeps, whole or per group: read
//! from the rollup's cells when the filter is on their dimensions only (see `rollup`),
//! otherwise summed over the projects themselves. The figures are defined once, in `FIGURES`.

use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use keyproj_shared::{Money, ProjectFilter};

use super::ProjectRow;
use super::filter::{Condition, Dimensions, conditions};
use super::rollup;
use crate::db::DbConnection;
use crate::schema::projects;

/// Counts and exact integer sums over a set of projects, computed by the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub count: i64,
    pub total_investment_cents: i64,
    pub planned_investment_cents: i64,
    pub social_investment_cents: i64,
    /// Approved 累计完成投资 only.
    pub approved_completed_cents: i64,
    pub start_approximate: i64,
    pub end_approximate: i64,
}

pub type SumsTuple = (i64, i64, i64, i64, i64, i64, i64);
type SumsSql = (BigInt, BigInt, BigInt, BigInt, BigInt, BigInt, BigInt);

/// A pivot cell's key: the district (None when unassigned) and the category.
pub type DistrictAndCategory = (Option<String>, String);

/// What a figure of `Sums` is: a count, or an amount held to `Money::MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Count,
    Amount,
}

/// `Sums`' figures in its order: what is summed over projects, and the column in which the
/// rollup and `category_totals` keep that sum (their triggers, migration 000004, agree).
pub const FIGURES: [(&str, &str, Figure); 7] = [
    ("1", "projects", Figure::Count),
    (
        "total_investment_cents",
        "total_investment_cents",
        Figure::Amount,
    ),
    (
        "planned_investment_cents",
        "planned_investment_cents",
        Figure::Amount,
    ),
    (
        "social_investment_cents",
        "social_investment_cents",
        Figure::Amount,
    ),
    (
        "approved_investment_completed_cents",
        "approved_completed_cents",
        Figure::Amount,
    ),
    (
        "CASE WHEN start_approximate THEN 1 ELSE 0 END",
        "start_approximate",
        Figure::Count,
    ),
    (
        "CASE WHEN end_approximate THEN 1 ELSE 0 END",
        "end_approximate",
        Figure::Count,
    ),
];

/// Which side of `FIGURES` a query sums.
#[derive(Debug, Clone, Copy)]
pub enum Over {
    Projects,
    /// The rollup's cells or `category_totals`.
    Kept,
}

/// `Money::MAX` in hundredths, as the SQL below writes it.
const CEILING: i64 = Money::MAX.cents();

impl Over {
    pub fn expressions(self) -> impl Iterator<Item = &'static str> {
        FIGURES.iter().map(move |(projects, kept, _)| match self {
            Over::Projects => *projects,
            Over::Kept => *kept,
        })
    }

    /// The terms `figures` sums: each amount held to what valid data can hold.
    ///
    /// Why no sum can overflow: every amount a client sends is at most `Money::MAX` = 10¹⁰
    /// hundredths (checked in `shared`, and refused by the database since migration 000010),
    /// so the sum of N of them is at most N × 10¹⁰; i64 holds 9.2 × 10¹⁸, i.e. 900 million
    /// projects, 9,000 times the scale benchmark's 100,000. A kept cell is the sum over its
    /// `projects`, so it is at most `projects` × 10¹⁰, and the cells' sum is again at most
    /// N × 10¹⁰. The rollup triggers' running sums are such cell sums.
    ///
    /// A row written past the database's checks (by hand, or before migration 000010) could
    /// still hold any i64. Each term is therefore clamped to that bound: such a row counts as
    /// the ceiling in every sum instead of overflowing it, so readers get 200 with a capped
    /// figure rather than 500, while the row itself still shows what is stored. For valid
    /// data the clamp changes nothing.
    pub fn terms(self) -> impl Iterator<Item = String> {
        FIGURES.iter().map(move |(projects, kept, figure)| {
            let (x, bound) = match self {
                Over::Projects => (*projects, CEILING.to_string()),
                Over::Kept => (*kept, format!("projects * {CEILING}")),
            };
            match figure {
                Figure::Count => x.to_string(),
                Figure::Amount => {
                    format!("CASE WHEN {x} > {bound} THEN {bound} WHEN {x} < 0 THEN 0 ELSE {x} END")
                }
            }
        })
    }
}

/// `SUM` as an exact BIGINT on both engines (PostgreSQL would answer NUMERIC), 0 over nothing.
pub fn sum_of(expression: String) -> String {
    format!("CAST(COALESCE(SUM({expression}), 0) AS BIGINT)")
}

/// The select list of `Sums` over every row the query's WHERE keeps, as window functions:
/// the same value on each row of a page, computed in the pass that finds the page.
pub fn window_figures() -> SqlLiteral<SumsSql> {
    let columns: Vec<String> = Over::Projects
        .terms()
        .map(|t| format!("CAST(COALESCE(SUM({t}) OVER (), 0) AS BIGINT)"))
        .collect();
    diesel::dsl::sql::<SumsSql>(&columns.join(", "))
}

/// The select list of `Sums`.
pub fn figures(over: Over) -> SqlLiteral<SumsSql> {
    let columns: Vec<String> = over.terms().map(sum_of).collect();
    diesel::dsl::sql::<SumsSql>(&columns.join(", "))
}

impl From<SumsTuple> for Sums {
    fn from(t: SumsTuple) -> Self {
        Sums {
            count: t.0,
            total_investment_cents: t.1,
            planned_investment_cents: t.2,
            social_investment_cents: t.3,
            approved_completed_cents: t.4,
            start_approximate: t.5,
            end_approximate: t.6,
        }
    }
}

impl Sums {
    /// Both sets together; `None` on overflow.
    pub fn checked_add(&self, o: &Sums) -> Option<Sums> {
        Some(Sums {
            count: self.count.checked_add(o.count)?,
            total_investment_cents: self
                .total_investment_cents
                .checked_add(o.total_investment_cents)?,
            planned_investment_cents: self
                .planned_investment_cents
                .checked_add(o.planned_investment_cents)?,
            social_investment_cents: self
                .social_investment_cents
                .checked_add(o.social_investment_cents)?,
            approved_completed_cents: self
                .approved_completed_cents
                .checked_add(o.approved_completed_cents)?,
            start_approximate: self.start_approximate.checked_add(o.start_approximate)?,
            end_approximate: self.end_approximate.checked_add(o.end_approximate)?,
        })
    }
}

/// The sums over the rows of `$table` that meet `$conditions`.
/// A macro because diesel does not name a boxed query's type generically.
macro_rules! sums_where {
    ($conn:expr, $table:expr, $conditions:expr, $over:expr) => {{
        let mut q = $table
            .select($crate::models::project::sums::figures($over))
            .into_boxed();
        for c in $conditions {
            q = q.filter(c);
        }
        q.first::<$crate::models::project::sums::SumsTuple>($conn)
            .map($crate::models::project::sums::Sums::from)
    }};
}
pub(super) use sums_where;

/// The same per value of `$key`.
macro_rules! sums_by {
    ($conn:expr, $table:expr, $key:expr, $key_type:ty, $conditions:expr, $over:expr) => {{
        let mut q = $table
            .group_by($key)
            .select(($key, $crate::models::project::sums::figures($over)))
            .into_boxed();
        for c in $conditions {
            q = q.filter(c);
        }
        q.load::<($key_type, $crate::models::project::sums::SumsTuple)>($conn)
            .map(|rows| {
                rows.into_iter()
                    .map(|(k, s)| (k, $crate::models::project::sums::Sums::from(s)))
                    .collect::<Vec<_>>()
            })
    }};
}
pub(super) use sums_by;

/// Asks the rollup when it can answer `f`, otherwise the projects that meet `f`.
fn answer<T>(
    conn: &mut DbConnection,
    f: &ProjectFilter,
    from_cells: impl FnOnce(&mut DbConnection, &Dimensions) -> QueryResult<T>,
    from_projects: impl FnOnce(&mut DbConnection, Vec<Condition>) -> QueryResult<T>,
) -> QueryResult<T> {
    match rollup::covers(f) {
        Some(dimensions) => from_cells(conn, &dimensions),
        None => {
            let conditions = conditions(conn, f);
            from_projects(conn, conditions)
        }
    }
}

/// `sums_by!` over projects.
macro_rules! projects_by {
    ($key:expr, $key_type:ty) => {
        |conn: &mut DbConnection, conditions: Vec<Condition>| {
            sums_by!(
                conn,
                projects::table,
                $key,
                $key_type,
                conditions,
                Over::Projects
            )
        }
    };
}

impl ProjectRow {
    /// Sums over every project matching the filter.
    pub fn sums(conn: &mut DbConnection, f: &ProjectFilter) -> QueryResult<Sums> {
        answer(conn, f, rollup::sums, |conn, conditions| {
            sums_where!(conn, projects::table, conditions, Over::Projects)
        })
    }

    pub fn sums_by_district(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(Option<String>, Sums)>> {
        let by_district = projects_by!(projects::district, Option<String>);
        answer(conn, f, rollup::sums_by_district, by_district)
    }

    pub fn sums_by_category(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(String, Sums)>> {
        let by_category = projects_by!(projects::category, String);
        answer(conn, f, rollup::sums_by_category, by_category)
    }

    pub fn sums_by_nature(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(String, Sums)>> {
        let by_nature = projects_by!(projects::nature, String);
        answer(conn, f, rollup::sums_by_nature, by_nature)
    }

    /// By start year: the earliest year of 开工年份.
    pub fn sums_by_start_year(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(i32, Sums)>> {
        let by_year = projects_by!(projects::start_earliest_year, i32);
        answer(conn, f, rollup::sums_by_start_year, by_year)
    }

    /// By completion year: the latest year of 竣工年份.
    pub fn sums_by_end_year(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(i32, Sums)>> {
        let by_year = projects_by!(projects::end_latest_year, i32);
        answer(conn, f, rollup::sums_by_end_year, by_year)
    }

    pub fn sums_by_district_and_category(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(DistrictAndCategory, Sums)>> {
        let by_cell = projects_by!(
            (projects::district, projects::category),
            (Option<String>, String)
        );
        answer(conn, f, rollup::sums_by_district_and_category, by_cell)
    }
}
