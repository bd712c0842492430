use std::collections::HashMap;

use diesel::prelude::*;
use keyproj_shared::ReportState;

use crate::db::DbConnection;
use crate::schema::{projects, reports};

/// A report's 实际开工 and 实际竣工 dates, when it gives them.
pub type ActualDates = (Option<String>, Option<String>);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: i32,
    pub project_id: i32,
    pub period: String,
    pub physical_progress_bp: i32,
    pub investment_completed_cents: i64,
    pub social_investment_completed_cents: i64,
    pub status: String,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
    pub progress_text: String,
    pub problems_text: String,
    pub over_total_reason: Option<String>,
    pub state: String,
    pub supersedes_id: Option<i32>,
    pub submitted_by: i32,
    pub submitted_at: String,
    pub reviewed_by: Option<i32>,
    pub reviewed_at: Option<String>,
    pub review_reason: Option<String>,
    pub idempotency_key: Option<String>,
    pub request_fingerprint: Option<String>,
    pub version: i32,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = reports)]
pub struct NewReport {
    pub project_id: i32,
    pub period: String,
    pub physical_progress_bp: i32,
    pub investment_completed_cents: i64,
    pub social_investment_completed_cents: i64,
    pub status: String,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
    pub progress_text: String,
    pub problems_text: String,
    pub over_total_reason: Option<String>,
    pub state: String,
    pub supersedes_id: Option<i32>,
    pub submitted_by: i32,
    pub submitted_at: String,
    pub idempotency_key: Option<String>,
    pub request_fingerprint: Option<String>,
    pub version: i32,
}

/// A review decision, written only while the report is still `submitted` at the version the
/// reviewer saw.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = reports)]
pub struct Review<'a> {
    pub state: &'a str,
    pub reviewed_by: i32,
    pub reviewed_at: &'a str,
    pub review_reason: Option<&'a str>,
}

/// A report with its project's code and name.
pub type ReportWithProject = (ReportRow, String, String);

impl NewReport {
    /// Inserts the report and answers its id. Call it inside a write transaction holding the
    /// project's lock (`db::lock_pair`): the newest report of the project is then this one.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(reports::table)
            .values(self)
            .execute(conn)?;
        reports::table
            .filter(reports::project_id.eq(self.project_id))
            .filter(reports::submitted_by.eq(self.submitted_by))
            .select(diesel::dsl::max(reports::id))
            .first::<Option<i32>>(conn)?
            .ok_or(diesel::result::Error::NotFound)
    }
}

impl ReportRow {
    pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<ReportRow>> {
        reports::table
            .find(id)
            .select(ReportRow::as_select())
            .first(conn)
            .optional()
    }

    pub fn by_idempotency_key(
        conn: &mut DbConnection,
        user_id: i32,
        key: &str,
    ) -> QueryResult<Option<ReportRow>> {
        reports::table
            .filter(reports::submitted_by.eq(user_id))
            .filter(reports::idempotency_key.eq(key))
            .select(ReportRow::as_select())
            .first(conn)
            .optional()
    }

    /// A project's reports, newest first.
    pub fn of_project(conn: &mut DbConnection, project_id: i32) -> QueryResult<Vec<ReportRow>> {
        reports::table
            .filter(reports::project_id.eq(project_id))
            .order(reports::id.desc())
            .select(ReportRow::as_select())
            .load(conn)
    }

    /// The ids of a project's reports.
    pub fn ids_of_project(conn: &mut DbConnection, project_id: i32) -> QueryResult<Vec<i32>> {
        reports::table
            .filter(reports::project_id.eq(project_id))
            .select(reports::id)
            .load(conn)
    }

    /// The reports of a project and month, newest first.
    pub fn of_period(
        conn: &mut DbConnection,
        project_id: i32,
        period: &str,
    ) -> QueryResult<Vec<ReportRow>> {
        reports::table
            .filter(reports::project_id.eq(project_id))
            .filter(reports::period.eq(period))
            .order(reports::id.desc())
            .select(ReportRow::as_select())
            .load(conn)
    }

    /// One page of reports with their project's code and name, oldest first, and how many
    /// there are in all.
    pub fn page(
        conn: &mut DbConnection,
        state: Option<ReportState>,
        project_code: Option<&str>,
        page: u32,
        per_page: u32,
    ) -> QueryResult<(Vec<ReportWithProject>, i64)> {
        let filtered = || {
            let mut q = reports::table.inner_join(projects::table).into_boxed();
            if let Some(s) = state {
                q = q.filter(reports::state.eq(s.key()));
            }
            if let Some(code) = project_code {
                q = q.filter(projects::code.eq(code.to_string()));
            }
            q
        };
        let total = filtered().count().get_result(conn)?;
        let rows = filtered()
            .order(reports::id)
            .offset(i64::from(page.saturating_sub(1)) * i64::from(per_page))
            .limit(i64::from(per_page))
            .select((ReportRow::as_select(), projects::code, projects::name))
            .load(conn)?;
        Ok((rows, total))
    }

    /// Moves a report to `superseded`.
    pub fn supersede(conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
        diesel::update(reports::table.find(id))
            .set((
                reports::state.eq(ReportState::Superseded.key()),
                reports::version.eq(reports::version + 1),
            ))
            .execute(conn)
    }

    /// Dates a sample report's submission and review as if they had happened then (the
    /// `--demo` loader only: its reports are written today for months long past, and the
    /// not-reported rule reads `submitted_at`).
    pub fn date_sample(
        conn: &mut DbConnection,
        id: i32,
        submitted_at: &str,
        reviewed_at: &str,
    ) -> QueryResult<usize> {
        diesel::update(reports::table.find(id))
            .set((
                reports::submitted_at.eq(submitted_at),
                reports::reviewed_at.eq(reviewed_at),
            ))
            .execute(conn)
    }

    /// Records a review if the report is still `submitted` at `expected_version`; answers
    /// how many rows changed.
    pub fn review(
        conn: &mut DbConnection,
        id: i32,
        expected_version: i32,
        review: &Review<'_>,
    ) -> QueryResult<usize> {
        diesel::update(
            reports::table
                .filter(reports::id.eq(id))
                .filter(reports::version.eq(expected_version))
                .filter(reports::state.eq(ReportState::Submitted.key())),
        )
        .set((review, reports::version.eq(reports::version + 1)))
        .execute(conn)
    }

    /// The report whose figures a project shows: of the approved ones, the latest month;
    /// within a month, the latest approval.
    pub fn latest_approved(
        conn: &mut DbConnection,
        project_id: i32,
    ) -> QueryResult<Option<ReportRow>> {
        reports::table
            .filter(reports::project_id.eq(project_id))
            .filter(reports::state.eq(ReportState::Approved.key()))
            .order((
                reports::period.desc(),
                reports::reviewed_at.desc(),
                reports::id.desc(),
            ))
            .select(ReportRow::as_select())
            .first(conn)
            .optional()
    }

    /// The actual start and end dates (`YYYY-MM-DD`) each given report states, by report id.
    pub fn actual_dates(
        conn: &mut DbConnection,
        ids: &[i32],
    ) -> QueryResult<HashMap<i32, ActualDates>> {
        let rows: Vec<(i32, Option<String>, Option<String>)> = reports::table
            .filter(reports::id.eq_any(ids))
            .select((reports::id, reports::actual_start, reports::actual_end))
            .load(conn)?;
        Ok(rows.into_iter().map(|(id, s, e)| (id, (s, e))).collect())
    }

    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<ReportRow>> {
        reports::table
            .order(reports::id)
            .select(ReportRow::as_select())
            .load(conn)
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        reports::table.count().get_result(conn)
    }
}
