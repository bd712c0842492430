//! The filtered, sorted project list: a page of it, or all of it for an export.

use diesel::prelude::*;
use keyproj_shared::{ListQuery, ProjectFilter, Sort};

use super::ProjectRow;
use super::columns::sorted;
use super::filter::filtered;
use super::keyset::Cursor;
use crate::db::DbConnection;

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
}
