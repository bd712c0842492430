//! Sums read from `project_rollup`, the per-cell counts and sums that triggers keep in step
//! with `projects` (migration 000004). A cell is one (district, category, nature, start year,
//! completion year); at 100,000 projects there are a few thousand, so a summary reads those
//! instead of every project. Only filters on those dimensions can be answered here.
//! On SQLite, unfiltered totals, which every list page needs for its reconciliation flags,
//! read the five rows of `category_totals` instead; PostgreSQL has no such table (see its
//! migration 000004) and sums the cells.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use keyproj_shared::{DistrictFilter, ProjectFilter};

use super::filter::{ColumnOf, ConditionOn, DimensionColumns, Dimensions, split};
use super::sums::{DistrictAndCategory, FIGURES, Over, Sums, sum_of, sums_by, sums_where};
use crate::db::DbConnection;
use crate::schema::{category_totals, project_rollup};

/// The key the rollup gives projects without a district.
const UNASSIGNED: &str = "";

/// The dimensions of `f` when they are all it has: then the rollup's cells answer it.
pub fn covers(f: &ProjectFilter) -> Option<Dimensions> {
    let (dimensions, projects_only) = split(f);
    projects_only.is_empty().then_some(dimensions)
}

impl DimensionColumns for project_rollup::table {
    fn district(d: DistrictFilter) -> ConditionOn<Self> {
        Box::new(project_rollup::district_key.eq(match d {
            DistrictFilter::Is(d) => d.key(),
            DistrictFilter::Unassigned => UNASSIGNED,
        }))
    }
    fn category() -> ColumnOf<Self, Text> {
        Box::new(project_rollup::category)
    }
    fn nature() -> ColumnOf<Self, Text> {
        Box::new(project_rollup::nature)
    }
    fn start_year() -> ColumnOf<Self, Integer> {
        Box::new(project_rollup::start_year)
    }
    fn end_year() -> ColumnOf<Self, Integer> {
        Box::new(project_rollup::end_year)
    }
}

/// The sums by `$key` of the cells in `$dimensions`.
macro_rules! cells_by {
    ($conn:expr, $dimensions:expr, $key:expr, $key_type:ty) => {
        sums_by!(
            $conn,
            project_rollup::table,
            $key,
            $key_type,
            $dimensions.conditions::<project_rollup::table>(),
            Over::Kept
        )
    };
}

fn district_of(key: String) -> Option<String> {
    (key != UNASSIGNED).then_some(key)
}

/// Whether `category_totals` answers: an unfiltered total, on SQLite.
fn by_category_table(conn: &DbConnection, d: &Dimensions) -> bool {
    matches!(conn, DbConnection::Sqlite(_)) && *d == Dimensions::default()
}

pub fn sums(conn: &mut DbConnection, d: &Dimensions) -> QueryResult<Sums> {
    if by_category_table(conn, d) {
        let unfiltered = Vec::<ConditionOn<category_totals::table>>::new();
        return sums_where!(conn, category_totals::table, unfiltered, Over::Kept);
    }
    sums_where!(
        conn,
        project_rollup::table,
        d.conditions::<project_rollup::table>(),
        Over::Kept
    )
}

pub fn sums_by_district(
    conn: &mut DbConnection,
    d: &Dimensions,
) -> QueryResult<Vec<(Option<String>, Sums)>> {
    let rows = cells_by!(conn, d, project_rollup::district_key, String)?;
    Ok(rows.into_iter().map(|(k, s)| (district_of(k), s)).collect())
}

pub fn sums_by_category(
    conn: &mut DbConnection,
    d: &Dimensions,
) -> QueryResult<Vec<(String, Sums)>> {
    if by_category_table(conn, d) {
        let unfiltered = Vec::<ConditionOn<category_totals::table>>::new();
        return sums_by!(
            conn,
            category_totals::table,
            category_totals::category,
            String,
            unfiltered,
            Over::Kept
        );
    }
    cells_by!(conn, d, project_rollup::category, String)
}

pub fn sums_by_nature(conn: &mut DbConnection, d: &Dimensions) -> QueryResult<Vec<(String, Sums)>> {
    cells_by!(conn, d, project_rollup::nature, String)
}

pub fn sums_by_start_year(
    conn: &mut DbConnection,
    d: &Dimensions,
) -> QueryResult<Vec<(i32, Sums)>> {
    cells_by!(conn, d, project_rollup::start_year, i32)
}

pub fn sums_by_end_year(conn: &mut DbConnection, d: &Dimensions) -> QueryResult<Vec<(i32, Sums)>> {
    cells_by!(conn, d, project_rollup::end_year, i32)
}

pub fn sums_by_district_and_category(
    conn: &mut DbConnection,
    d: &Dimensions,
) -> QueryResult<Vec<(DistrictAndCategory, Sums)>> {
    let rows = cells_by!(
        conn,
        d,
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
    #[derive(QueryableByName)]
    struct Cell {
        #[diesel(sql_type = Text)]
        key: String,
        #[diesel(embed)]
        sums: Figures,
    }
    /// `Sums` by the names `aliased` gives its figures.
    #[derive(QueryableByName)]
    struct Figures {
        #[diesel(sql_type = BigInt)]
        f0: i64,
        #[diesel(sql_type = BigInt)]
        f1: i64,
        #[diesel(sql_type = BigInt)]
        f2: i64,
        #[diesel(sql_type = BigInt)]
        f3: i64,
        #[diesel(sql_type = BigInt)]
        f4: i64,
        #[diesel(sql_type = BigInt)]
        f5: i64,
        #[diesel(sql_type = BigInt)]
        f6: i64,
    }
    let load = |conn: &mut DbConnection, sql: &str| -> QueryResult<Vec<(String, Sums)>> {
        Ok(diesel::sql_query(sql)
            .load::<Cell>(conn)?
            .into_iter()
            .map(|Cell { key, sums: f }| {
                (key, Sums::from((f.f0, f.f1, f.f2, f.f3, f.f4, f.f5, f.f6)))
            })
            .collect())
    };
    let aliased = |expressions: Vec<String>| -> String {
        debug_assert_eq!(expressions.len(), FIGURES.len());
        (0..)
            .zip(expressions)
            .map(|(i, e)| format!("{e} AS f{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let names: Vec<String> = (0..FIGURES.len()).map(|i| format!("f{i}")).collect();
    let names = names.join(", ");
    let cell = "district_key || '/' || category || '/' || nature || '/' || CAST(start_year AS TEXT) || '/' || CAST(end_year AS TEXT)";
    let columns = aliased(Over::Kept.expressions().map(String::from).collect());
    let sums = aliased(Over::Projects.terms().map(sum_of).collect());
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
            "SELECT {cell} AS key, {names} FROM (\
             SELECT COALESCE(district, '') AS district_key, category, nature, \
             start_earliest_year AS start_year, end_latest_year AS end_year, {sums} \
             FROM projects GROUP BY COALESCE(district, ''), category, nature, start_earliest_year, end_latest_year\
             ) AS cells {fresh_categories} ORDER BY key"
        ),
    )?;
    Ok((kept, fresh))
}

#[cfg(test)]
mod tests {
    use keyproj_shared::{Category, StatusFilter};

    use super::*;

    #[test]
    fn the_rollup_answers_filters_on_its_dimensions_only() {
        let dimensions = ProjectFilter {
            district: Some(DistrictFilter::Unassigned),
            category: Some(Category::ElderlyWelfare),
            start_year_from: Some(2021),
            end_year_to: Some(2025),
            ..ProjectFilter::default()
        };
        assert!(covers(&dimensions).is_some());
        for projects_only in [
            ProjectFilter {
                owner: Some("韶山市民政局".into()),
                ..dimensions.clone()
            },
            ProjectFilter {
                q: Some("敬老院".into()),
                ..dimensions.clone()
            },
            ProjectFilter {
                has_social: Some(false),
                ..dimensions.clone()
            },
            ProjectFilter {
                status: Some(StatusFilter::Unreported),
                ..dimensions.clone()
            },
        ] {
            assert_eq!(covers(&projects_only), None, "{projects_only:?}");
        }
    }
}
