//! The projects whose span includes a year: the rows of the 年度计划 grid.

use diesel::prelude::*;
use keyproj_shared::{ProjectFilter, Sort};

use super::ProjectRow;
use super::columns::sorted;
use super::filter::{BoxedProjects, filtered};
use crate::db::DbConnection;
use crate::schema::projects;

/// The projects matching `f` whose span (earliest 开工 year to latest 竣工 year) includes
/// `year`.
fn in_year(conn: &DbConnection, f: &ProjectFilter, year: i32) -> BoxedProjects<'static> {
    filtered(conn, f)
        .filter(projects::start_earliest_year.le(year))
        .filter(projects::end_latest_year.ge(year))
}

impl ProjectRow {
    /// Page `page` (1-based) of `per_page` of the projects matching `f` in `year`, in the
    /// list's default order (by code), and how many match in all.
    pub fn page_in_year(
        conn: &mut DbConnection,
        f: &ProjectFilter,
        year: i32,
        page: u32,
        per_page: u32,
    ) -> QueryResult<(Vec<ProjectRow>, i64)> {
        let total = in_year(conn, f, year).count().get_result::<i64>(conn)?;
        let rows = sorted(in_year(conn, f, year), Sort::default())
            .offset(i64::from(page.saturating_sub(1)) * i64::from(per_page))
            .limit(i64::from(per_page))
            .select(ProjectRow::as_select())
            .load(conn)?;
        Ok((rows, total))
    }
}
