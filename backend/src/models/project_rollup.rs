//! Sums read from `project_rollup`, the per-cell counts and sums that triggers keep in step
//! with `projects` (migration 000004). A cell is one (district, category, nature, start year,
//! completion year); at 100,000 projects there are a few thousand, so a summary reads those
//! instead of every project. Only filters on those dimensions can be answered here.
//! On SQLite, unfiltered totals, which every list page needs for its reconciliation flags,
//! read the five rows of `category_totals` instead; PostgreSQL has no such table (see its
//! migration 000004) and sums the cells.

use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use keyproj_shared::{DistrictFilter, ProjectFilter};

use super::project::{DistrictAndCategory, Sums, SumsTuple};
use crate::db::DbConnection;
use crate::schema::{category_totals, project_rollup};

/// The key the rollup gives projects without a district.
const UNASSIGNED: &str = "";

/// Whether every condition of `f` is on a dimension of the rollup.
pub fn covers(f: &ProjectFilter) -> bool {
    f.owner.is_none() && f.q.is_none() && f.has_social.is_none() && f.status.is_none()
}

fn sum_of(column: &str) -> SqlLiteral<BigInt> {
    diesel::dsl::sql::<BigInt>(&format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"))
}

#[allow(clippy::type_complexity)]
fn sums_columns() -> (
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
) {
    (
        sum_of("projects"),
        sum_of("total_investment_cents"),
        sum_of("planned_investment_cents"),
        sum_of("social_investment_cents"),
        sum_of("approved_completed_cents"),
        sum_of("start_approximate"),
        sum_of("end_approximate"),
    )
}

/// The cells matching a filter that `covers` accepted, the same conditions `restrict!` puts
/// on projects.
macro_rules! cells {
    ($query:expr, $filter:expr) => {{
        let mut q = $query;
        let f: &ProjectFilter = $filter;
        match f.district {
            Some(DistrictFilter::Is(d)) => q = q.filter(project_rollup::district_key.eq(d.key())),
            Some(DistrictFilter::Unassigned) => {
                q = q.filter(project_rollup::district_key.eq(UNASSIGNED))
            }
            None => {}
        }
        if let Some(c) = f.category {
            q = q.filter(project_rollup::category.eq(c.key()));
        }
        if let Some(n) = f.nature {
            q = q.filter(project_rollup::nature.eq(n.key()));
        }
        if let Some(y) = f.start_year_from {
            q = q.filter(project_rollup::start_year.ge(y));
        }
        if let Some(y) = f.start_year_to {
            q = q.filter(project_rollup::start_year.le(y));
        }
        if let Some(y) = f.end_year_from {
            q = q.filter(project_rollup::end_year.ge(y));
        }
        if let Some(y) = f.end_year_to {
            q = q.filter(project_rollup::end_year.le(y));
        }
        q
    }};
}

macro_rules! sums_by {
    ($conn:expr, $filter:expr, $key:expr, $key_type:ty) => {
        cells!(
            project_rollup::table
                .group_by($key)
                .select(($key, sums_columns()))
                .into_boxed(),
            $filter
        )
        .load::<($key_type, SumsTuple)>($conn)
        .map(|rows| rows.into_iter().map(|(k, s)| (k, Sums::from(s))).collect())
    };
}

fn district_of(key: String) -> Option<String> {
    (key != UNASSIGNED).then_some(key)
}

/// Whether `category_totals` answers: an unfiltered total, on SQLite.
fn by_category_table(conn: &DbConnection, f: &ProjectFilter) -> bool {
    matches!(conn, DbConnection::Sqlite(_)) && *f == ProjectFilter::default()
}

pub fn sums(conn: &mut DbConnection, f: &ProjectFilter) -> QueryResult<Sums> {
    if by_category_table(conn, f) {
        return category_totals::table
            .select(sums_columns())
            .first::<SumsTuple>(conn)
            .map(Sums::from);
    }
    cells!(project_rollup::table.select(sums_columns()).into_boxed(), f)
        .first::<SumsTuple>(conn)
        .map(Sums::from)
}

pub fn sums_by_district(
    conn: &mut DbConnection,
    f: &ProjectFilter,
) -> QueryResult<Vec<(Option<String>, Sums)>> {
    let rows: Vec<(String, Sums)> = sums_by!(conn, f, project_rollup::district_key, String)?;
    Ok(rows.into_iter().map(|(k, s)| (district_of(k), s)).collect())
}

pub fn sums_by_category(
    conn: &mut DbConnection,
    f: &ProjectFilter,
) -> QueryResult<Vec<(String, Sums)>> {
    if by_category_table(conn, f) {
        return category_totals::table
            .group_by(category_totals::category)
            .select((category_totals::category, sums_columns()))
            .load::<(String, SumsTuple)>(conn)
            .map(|rows| rows.into_iter().map(|(k, s)| (k, Sums::from(s))).collect());
    }
    sums_by!(conn, f, project_rollup::category, String)
}

pub fn sums_by_nature(
    conn: &mut DbConnection,
    f: &ProjectFilter,
) -> QueryResult<Vec<(String, Sums)>> {
    sums_by!(conn, f, project_rollup::nature, String)
}

pub fn sums_by_start_year(
    conn: &mut DbConnection,
    f: &ProjectFilter,
) -> QueryResult<Vec<(i32, Sums)>> {
    sums_by!(conn, f, project_rollup::start_year, i32)
}

pub fn sums_by_end_year(
    conn: &mut DbConnection,
    f: &ProjectFilter,
) -> QueryResult<Vec<(i32, Sums)>> {
    sums_by!(conn, f, project_rollup::end_year, i32)
}

pub fn sums_by_district_and_category(
    conn: &mut DbConnection,
    f: &ProjectFilter,
) -> QueryResult<Vec<(DistrictAndCategory, Sums)>> {
    let rows: Vec<((String, String), Sums)> = sums_by!(
        conn,
        f,
        (project_rollup::district_key, project_rollup::category),
        (String, String)
    )?;
    Ok(rows
        .into_iter()
        .map(|((d, c), s)| ((district_of(d), c), s))
        .collect())
}

/// Every cell of the rollup and (SQLite) every row of `category_totals` as the triggers keep them, and
/// as summing the projects gives them now, each in key order: the two are equal unless a
/// write bypassed the triggers.
#[allow(clippy::type_complexity)]
pub fn compare_with_projects(
    conn: &mut DbConnection,
) -> QueryResult<(Vec<(String, Sums)>, Vec<(String, Sums)>)> {
    use diesel::sql_types::Text;
    #[derive(QueryableByName)]
    struct Cell {
        #[diesel(sql_type = Text)]
        key: String,
        #[diesel(sql_type = BigInt)]
        n: i64,
        #[diesel(sql_type = BigInt)]
        total: i64,
        #[diesel(sql_type = BigInt)]
        planned: i64,
        #[diesel(sql_type = BigInt)]
        social: i64,
        #[diesel(sql_type = BigInt)]
        approved: i64,
        #[diesel(sql_type = BigInt)]
        start_approx: i64,
        #[diesel(sql_type = BigInt)]
        end_approx: i64,
    }
    let load = |conn: &mut DbConnection, sql: &str| -> QueryResult<Vec<(String, Sums)>> {
        Ok(diesel::sql_query(sql)
            .load::<Cell>(conn)?
            .into_iter()
            .map(|c| {
                let sums = Sums::from((
                    c.n,
                    c.total,
                    c.planned,
                    c.social,
                    c.approved,
                    c.start_approx,
                    c.end_approx,
                ));
                (c.key, sums)
            })
            .collect())
    };
    let cell = "district_key || '/' || category || '/' || nature || '/' || CAST(start_year AS TEXT) || '/' || CAST(end_year AS TEXT)";
    let columns = "projects AS n, total_investment_cents AS total, \
         planned_investment_cents AS planned, social_investment_cents AS social, \
         approved_completed_cents AS approved, start_approximate AS start_approx, \
         end_approximate AS end_approx";
    let sums = "CAST(COUNT(*) AS BIGINT) AS n, \
         CAST(SUM(total_investment_cents) AS BIGINT) AS total, \
         CAST(SUM(planned_investment_cents) AS BIGINT) AS planned, \
         CAST(COALESCE(SUM(social_investment_cents), 0) AS BIGINT) AS social, \
         CAST(COALESCE(SUM(approved_investment_completed_cents), 0) AS BIGINT) AS approved, \
         CAST(SUM(CASE WHEN start_approximate THEN 1 ELSE 0 END) AS BIGINT) AS start_approx, \
         CAST(SUM(CASE WHEN end_approximate THEN 1 ELSE 0 END) AS BIGINT) AS end_approx";
    // category_totals exists on SQLite only
    let (kept_categories, fresh_categories) = if matches!(conn, DbConnection::Sqlite(_)) {
        (
            format!(
                "UNION ALL SELECT 'category/' || category AS key, {columns} FROM category_totals"
            ),
            format!(
                "UNION ALL SELECT 'category/' || category AS key, {sums} FROM projects GROUP BY category"
            ),
        )
    } else {
        (String::new(), String::new())
    };
    let kept = load(
        conn,
        &format!(
            "SELECT {cell} AS key, {columns} FROM project_rollup {kept_categories} ORDER BY key"
        ),
    )?;
    let fresh = load(
        conn,
        &format!(
            "SELECT {cell} AS key, n, total, planned, social, approved, start_approx, end_approx FROM (\
             SELECT COALESCE(district, '') AS district_key, category, nature, \
             start_earliest_year AS start_year, end_latest_year AS end_year, {sums} \
             FROM projects GROUP BY COALESCE(district, ''), category, nature, start_earliest_year, end_latest_year\
             ) AS cells {fresh_categories} ORDER BY key"
        ),
    )?;
    Ok((kept, fresh))
}
