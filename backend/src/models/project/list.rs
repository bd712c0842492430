//! The filtered, sorted project list: a page of it, or all of it for an export.

use diesel::expression::{AppearsOnTable, ValidGrouping, is_aggregate};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::Bool;
use keyproj_shared::{ListQuery, ProjectFilter, Sort};

use super::ProjectRow;
use super::columns::{sorted, sorted_by_value};
use super::filter::{BoxedProjects, filtered};
use super::keyset::Cursor;
use super::sums::{Sums, SumsTuple, window_figures};
use crate::db::{DbConnection, MultiBackend};
use crate::models::organisation::owner_ids_column;

/// A row of a page with its owners' ids (`organisation::owner_ids_column`).
pub type WithOwners = (ProjectRow, Option<String>);
use crate::schema::projects;

/// `projects.id IN (…)` of a page's ids, as a condition of the statement that reads the page's
/// rows. diesel's `eq_any` cannot take a boxed query of the two-engine backend (it asks each
/// engine's own backend for its SQL), so this writes that one condition itself.
struct IdIn<Ids>(Ids);

impl<Ids> Expression for IdIn<Ids> {
    type SqlType = Bool;
}

impl<Ids> AppearsOnTable<projects::table> for IdIn<Ids> {}

impl<Ids> SelectableExpression<projects::table> for IdIn<Ids> {}

impl<Ids> ValidGrouping<()> for IdIn<Ids> {
    type IsAggregate = is_aggregate::Never;
}

impl<Ids> QueryId for IdIn<Ids> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Ids: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for IdIn<Ids> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("projects.id IN (");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

impl ProjectRow {
    /// The filtered, sorted matches of a page: after `cursor` when given (keyset), else at
    /// `q.page` (OFFSET), one more than the page to tell whether another follows. Callers
    /// select only what the sort and the sums need from it: every match passes through it.
    fn page_query(
        conn: &DbConnection,
        q: &ListQuery,
        cursor: Option<&Cursor>,
        order: fn(BoxedProjects<'static>, Sort) -> BoxedProjects<'static>,
    ) -> BoxedProjects<'static> {
        let limit = i64::from(q.per_page) + 1;
        let query = order(filtered(conn, &q.filter), q.sort);
        let query = match cursor {
            Some(c) => query.filter(c.condition()),
            None => query.offset(i64::from(q.page.saturating_sub(1)) * i64::from(q.per_page)),
        };
        query.limit(limit)
    }

    /// One page of the filtered, sorted list, plus the first row of the next page if there
    /// is one, each with its owners' ids. The page is cut from the matches' ids first, so the
    /// whole rows and their owners are read for the page's rows only.
    pub fn page(
        conn: &mut DbConnection,
        q: &ListQuery,
        cursor: Option<&Cursor>,
    ) -> QueryResult<Vec<WithOwners>> {
        let owners = owner_ids_column(conn);
        let ids = Self::page_query(conn, q, cursor, sorted).select(projects::id);
        sorted(projects::table.into_boxed(), q.sort)
            .filter(IdIn(ids))
            .select((ProjectRow::as_select(), owners))
            .load(conn)
    }

    /// `page` without a cursor, with the sums over every matching row, in one pass over the
    /// matches: their ids and summed columns only, the sums as window functions over what
    /// the WHERE keeps (before the page is cut), then the page's ids. A second statement reads
    /// those rows with their owners. `None` when the page is empty.
    pub fn page_and_sums(
        conn: &mut DbConnection,
        q: &ListQuery,
    ) -> QueryResult<(Vec<WithOwners>, Option<Sums>)> {
        let page: Vec<(i32, SumsTuple)> = Self::page_query(conn, q, None, sorted_by_value)
            .select((projects::id, window_figures()))
            .load(conn)?;
        let Some(&(_, sums)) = page.first() else {
            return Ok((Vec::new(), None));
        };
        let ids: Vec<i32> = page.into_iter().map(|(id, _)| id).collect();
        let owners = owner_ids_column(conn);
        let rows = sorted(projects::table.into_boxed(), q.sort)
            .filter(projects::id.eq_any(ids))
            .select((ProjectRow::as_select(), owners))
            .load(conn)?;
        Ok((rows, Some(Sums::from(sums))))
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
