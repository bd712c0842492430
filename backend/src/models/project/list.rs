//! The filtered, sorted project list: a page of it, or all of it for an export.

use diesel::prelude::*;
use keyproj_shared::{ListQuery, ProjectFilter, Sort};

use super::ProjectRow;
use super::columns::sorted;
use super::filter::filtered;
use super::keyset::Cursor;
use crate::db::DbConnection;
use crate::schema::projects;

impl ProjectRow {
    /// One page of the filtered, sorted list, plus the first row of the next page if there
    /// is one: after `cursor` when given (keyset), else at `q.page` (OFFSET).
    pub fn page(
        conn: &mut DbConnection,
        q: &ListQuery,
        cursor: Option<&Cursor>,
    ) -> QueryResult<Vec<ProjectRow>> {
        let limit = i64::from(q.per_page) + 1;
        let query = sorted(filtered(conn, &q.filter), q.sort);
        let query = match cursor {
            Some(c) => query.filter(c.condition()),
            None => query.offset(i64::from(q.page.saturating_sub(1)) * i64::from(q.per_page)),
        };
        query
            .limit(limit)
            .select(ProjectRow::as_select())
            .load(conn)
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
