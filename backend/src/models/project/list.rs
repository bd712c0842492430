//! The filtered, sorted project list: a page of it, or all of it for an export.

use diesel::prelude::*;
use keyproj_shared::{ListQuery, ProjectFilter, Sort};

use super::ProjectRow;
use super::columns::sorted;
use super::filter::{BoxedProjects, filtered};
use super::keyset::Cursor;
use super::sums::{Sums, SumsTuple, window_figures};
use crate::db::DbConnection;
use crate::models::organisation::owner_ids_column;

/// A row of a page with its owners' ids (`organisation::owner_ids_column`).
pub type WithOwners = (ProjectRow, Option<String>);
use crate::schema::projects;

impl ProjectRow {
    /// The filtered, sorted rows of a page: after `cursor` when given (keyset), else at
    /// `q.page` (OFFSET), one more than the page to tell whether another follows.
    fn page_query(
        conn: &DbConnection,
        q: &ListQuery,
        cursor: Option<&Cursor>,
    ) -> BoxedProjects<'static> {
        let limit = i64::from(q.per_page) + 1;
        let query = sorted(filtered(conn, &q.filter), q.sort);
        let query = match cursor {
            Some(c) => query.filter(c.condition()),
            None => query.offset(i64::from(q.page.saturating_sub(1)) * i64::from(q.per_page)),
        };
        query.limit(limit)
    }

    /// One page of the filtered, sorted list, plus the first row of the next page if there
    /// is one, each with its owners' ids.
    pub fn page(
        conn: &mut DbConnection,
        q: &ListQuery,
        cursor: Option<&Cursor>,
    ) -> QueryResult<Vec<WithOwners>> {
        let owners = owner_ids_column(conn);
        Self::page_query(conn, q, cursor)
            .select((ProjectRow::as_select(), owners))
            .load(conn)
    }

    /// `page` without a cursor, with the sums over every matching row from the same
    /// statement (window functions over what the WHERE keeps, before the page is cut):
    /// one pass over the matches for both. `None` when the page is empty.
    pub fn page_and_sums(
        conn: &mut DbConnection,
        q: &ListQuery,
    ) -> QueryResult<(Vec<WithOwners>, Option<Sums>)> {
        let owners = owner_ids_column(conn);
        let rows: Vec<(ProjectRow, Option<String>, SumsTuple)> = Self::page_query(conn, q, None)
            .select((ProjectRow::as_select(), owners, window_figures()))
            .load(conn)?;
        let sums = rows.first().map(|r| Sums::from(r.2));
        Ok((rows.into_iter().map(|(r, o, _)| (r, o)).collect(), sums))
    }

    /// Every matching project, sorted: what an export holds.
    pub fn matching(
        conn: &mut DbConnection,
        f: &ProjectFilter,
        sort: Sort,
    ) -> QueryResult<Vec<ProjectRow>> {
        sorted(filtered(conn, f), sort)
            .select(ProjectRow::as_select())
            .load(conn)
    }

    /// The ids of every matching project, unordered: what the cached warnings
    /// (`crate::verdicts`) restrict themselves to.
    pub fn matching_ids(conn: &mut DbConnection, f: &ProjectFilter) -> QueryResult<Vec<i32>> {
        filtered(conn, f).select(projects::id).load(conn)
    }

    /// The ids of every matching project in the list's order: what the list filtered by
    /// 预警 colour pages over before it loads the rows of one page.
    pub fn matching_ids_sorted(
        conn: &mut DbConnection,
        f: &ProjectFilter,
        sort: Sort,
    ) -> QueryResult<Vec<i32>> {
        sorted(filtered(conn, f), sort)
            .select(projects::id)
            .load(conn)
    }

    /// The projects of `ids` that exist, in no particular order.
    pub fn by_ids(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<ProjectRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(5_000) {
            out.extend(
                projects::table
                    .filter(projects::id.eq_any(chunk))
                    .select(ProjectRow::as_select())
                    .load(conn)?,
            );
        }
        Ok(out)
    }
}
