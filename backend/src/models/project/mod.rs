//! The projects: their rows, inserts and edits here; the list's filter, sort columns,
//! keyset cursors and sums in the submodules, each defined once.

mod columns;
mod filter;
mod in_year;
mod keyset;
pub mod list;
pub mod rollup;
pub mod sums;

use diesel::prelude::*;

pub use columns::KeyValue;
pub use filter::Condition;
pub use keyset::Cursor;
pub use sums::{DistrictAndCategory, Sums, SumsTuple};

use crate::db::DbConnection;
use crate::schema::{project_owners, projects, published_rows};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = projects)]
pub struct ProjectRow {
    pub id: i32,
    pub code: String,
    pub category: String,
    pub serial: i32,
    pub name: String,
    pub nature: String,
    pub nature_published: String,
    pub owner_published: String,
    pub content: String,
    pub start_published: String,
    pub start_earliest_year: i32,
    pub start_earliest_month: Option<i32>,
    pub start_latest_year: i32,
    pub start_latest_month: Option<i32>,
    pub start_approximate: bool,
    pub end_published: String,
    pub end_earliest_year: i32,
    pub end_earliest_month: Option<i32>,
    pub end_latest_year: i32,
    pub end_latest_month: Option<i32>,
    pub end_approximate: bool,
    pub total_investment_cents: i64,
    pub planned_investment_cents: i64,
    pub social_share_bp: Option<i32>,
    pub social_investment_cents: Option<i64>,
    pub remarks: Option<String>,
    pub district: Option<String>,
    pub district_basis: String,
    pub district_note: String,
    /// Master-data version, the project's ETag.
    pub version: i32,
    pub approved_report_id: Option<i32>,
    pub approved_period: Option<String>,
    pub approved_progress_bp: Option<i32>,
    pub approved_investment_completed_cents: Option<i64>,
    pub approved_social_investment_completed_cents: Option<i64>,
    pub approved_status: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = projects)]
pub struct NewProject {
    pub code: String,
    pub category: String,
    pub serial: i32,
    pub name: String,
    pub nature: String,
    pub nature_published: String,
    pub owner_published: String,
    pub content: String,
    pub start_published: String,
    pub start_earliest_year: i32,
    pub start_earliest_month: Option<i32>,
    pub start_latest_year: i32,
    pub start_latest_month: Option<i32>,
    pub start_approximate: bool,
    pub end_published: String,
    pub end_earliest_year: i32,
    pub end_earliest_month: Option<i32>,
    pub end_latest_year: i32,
    pub end_latest_month: Option<i32>,
    pub end_approximate: bool,
    pub total_investment_cents: i64,
    pub planned_investment_cents: i64,
    pub social_share_bp: Option<i32>,
    pub social_investment_cents: Option<i64>,
    pub remarks: Option<String>,
    pub district: Option<String>,
    pub district_basis: String,
    pub district_note: String,
}

/// Every cell as printed. Inserted once with its project, never changed.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = published_rows)]
pub struct PublishedRowRow {
    pub project_id: i32,
    pub serial: String,
    pub name: String,
    pub nature: String,
    pub owner: String,
    pub content: String,
    pub start_year: String,
    pub end_year: String,
    pub total_investment: String,
    pub planned_investment: String,
    pub social_share: String,
    pub remarks: String,
}

/// A planner's edit of the master data; `None` leaves a column alone.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = projects)]
pub struct ProjectChangeset {
    pub district: Option<Option<String>>,
    pub district_basis: Option<String>,
    pub district_note: Option<String>,
    pub start_published: Option<String>,
    pub start_earliest_year: Option<i32>,
    pub start_earliest_month: Option<Option<i32>>,
    pub start_latest_year: Option<i32>,
    pub start_latest_month: Option<Option<i32>>,
    pub start_approximate: Option<bool>,
    pub end_published: Option<String>,
    pub end_earliest_year: Option<i32>,
    pub end_earliest_month: Option<Option<i32>>,
    pub end_latest_year: Option<i32>,
    pub end_latest_month: Option<Option<i32>>,
    pub end_approximate: Option<bool>,
    pub total_investment_cents: Option<i64>,
    pub planned_investment_cents: Option<i64>,
    pub social_share_bp: Option<Option<i32>>,
    pub social_investment_cents: Option<Option<i64>>,
    pub remarks: Option<Option<String>>,
}

/// The latest approved figures of a project, or all `None` when none is approved.
#[derive(Debug, Clone, Default, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = projects, treat_none_as_null = true)]
pub struct ApprovedFigures {
    pub approved_report_id: Option<i32>,
    pub approved_period: Option<String>,
    pub approved_progress_bp: Option<i32>,
    pub approved_investment_completed_cents: Option<i64>,
    pub approved_social_investment_completed_cents: Option<i64>,
    pub approved_status: Option<String>,
}

impl ProjectRow {
    pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<ProjectRow> {
        projects::table
            .filter(projects::code.eq(code))
            .select(ProjectRow::as_select())
            .first(conn)
    }

    /// The project with its cells as published and its owners' ids, in one statement (see
    /// `organisation::owner_ids_column`).
    pub fn find_with_published(
        conn: &mut DbConnection,
        code: &str,
    ) -> QueryResult<(ProjectRow, PublishedRowRow, Option<String>)> {
        let owners = crate::models::organisation::owner_ids_column(conn);
        projects::table
            .inner_join(published_rows::table)
            .filter(projects::code.eq(code))
            .select((
                ProjectRow::as_select(),
                PublishedRowRow::as_select(),
                owners,
            ))
            .first(conn)
    }

    pub fn code_exists(conn: &mut DbConnection, code: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            projects::table.filter(projects::code.eq(code)),
        ))
        .get_result(conn)
    }

    /// Every project, in code order.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<ProjectRow>> {
        projects::table
            .order(projects::code)
            .select(ProjectRow::as_select())
            .load(conn)
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        projects::table.count().get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<ProjectRow> {
        projects::table
            .find(id)
            .select(ProjectRow::as_select())
            .first(conn)
    }

    /// Applies an edit if the project is still at `expected_version`, moving it to the next
    /// version; answers how many rows changed (0: someone else changed it first).
    pub fn apply_edit(
        conn: &mut DbConnection,
        id: i32,
        expected_version: i32,
        changes: &ProjectChangeset,
    ) -> QueryResult<usize> {
        diesel::update(
            projects::table
                .filter(projects::id.eq(id))
                .filter(projects::version.eq(expected_version)),
        )
        .set((changes, projects::version.eq(projects::version + 1)))
        .execute(conn)
    }

    pub fn approved_figures(&self) -> ApprovedFigures {
        ApprovedFigures {
            approved_report_id: self.approved_report_id,
            approved_period: self.approved_period.clone(),
            approved_progress_bp: self.approved_progress_bp,
            approved_investment_completed_cents: self.approved_investment_completed_cents,
            approved_social_investment_completed_cents: self
                .approved_social_investment_completed_cents,
            approved_status: self.approved_status.clone(),
        }
    }

    /// Writes the latest approved figures; the master-data version stays.
    pub fn set_approved(
        conn: &mut DbConnection,
        id: i32,
        figures: &ApprovedFigures,
    ) -> QueryResult<usize> {
        diesel::update(projects::table.filter(projects::id.eq(id)))
            .set(figures)
            .execute(conn)
    }

    /// Replaces the owners with these organisations, in order.
    pub fn replace_owners(
        conn: &mut DbConnection,
        id: i32,
        organisation_ids: &[i32],
    ) -> QueryResult<()> {
        diesel::delete(project_owners::table.filter(project_owners::project_id.eq(id)))
            .execute(conn)?;
        for (position, organisation_id) in (0..).zip(organisation_ids) {
            diesel::insert_into(project_owners::table)
                .values((
                    project_owners::project_id.eq(id),
                    project_owners::organisation_id.eq(organisation_id),
                    project_owners::position.eq(position),
                ))
                .execute(conn)?;
        }
        Ok(())
    }
}

impl NewProject {
    /// Inserts the project and answers its id (found by its unique code: the portable
    /// backend has no RETURNING).
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(projects::table)
            .values(self)
            .execute(conn)?;
        projects::table
            .filter(projects::code.eq(&self.code))
            .select(projects::id)
            .first(conn)
    }
}

impl PublishedRowRow {
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<PublishedRowRow>> {
        published_rows::table
            .order(published_rows::project_id)
            .select(PublishedRowRow::as_select())
            .load(conn)
    }

    pub fn find(conn: &mut DbConnection, project_id: i32) -> QueryResult<PublishedRowRow> {
        published_rows::table
            .find(project_id)
            .select(PublishedRowRow::as_select())
            .first(conn)
    }

    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(published_rows::table)
            .values(self)
            .execute(conn)
    }
}
