//! What 报送情况 and the final evaluation read from reports: submission times, and approved
//! figures. Light selections (no texts), one query each.

use diesel::prelude::*;
use keyproj_shared::{ProgressStatus, ReportState};

use crate::db::DbConnection;
use crate::schema::{projects, reports};

/// A submission as timeliness sees it.
#[derive(Debug, Clone, Queryable)]
pub struct SubmissionRow {
    pub id: i32,
    pub project_id: i32,
    pub period: String,
    pub submitted_at: String,
    /// Set only by a return (an approval leaves it empty, and a return must give one), so it
    /// marks a returned report even after its resubmission superseded it.
    pub review_reason: Option<String>,
}

impl SubmissionRow {
    pub fn returned(&self) -> bool {
        self.review_reason.is_some()
    }

    /// Every submission for the months `from..=until` (`YYYY-MM`).
    pub fn between(
        conn: &mut DbConnection,
        from: &str,
        until: &str,
    ) -> QueryResult<Vec<SubmissionRow>> {
        reports::table
            .filter(reports::period.ge(from))
            .filter(reports::period.le(until))
            .order(reports::id)
            .select((
                reports::id,
                reports::project_id,
                reports::period,
                reports::submitted_at,
                reports::review_reason,
            ))
            .load(conn)
    }
}

/// A project as timeliness and the evaluation list it.
#[derive(Debug, Clone, Queryable)]
pub struct ProjectName {
    pub id: i32,
    pub code: String,
    pub name: String,
}

impl ProjectName {
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<ProjectName>> {
        projects::table
            .order(projects::code)
            .select((projects::id, projects::code, projects::name))
            .load(conn)
    }
}

/// An approved report's figures.
#[derive(Debug, Clone, Queryable)]
pub struct ApprovedRow {
    pub project_id: i32,
    pub period: String,
    pub status: String,
    pub investment_completed_cents: i64,
    pub actual_end: Option<String>,
}

impl ApprovedRow {
    /// The approved reports of months up to `until` (`YYYY-MM`), per project by month. One
    /// month has at most one approved report (approving a correction supersedes the one
    /// before).
    pub fn up_to(conn: &mut DbConnection, until: &str) -> QueryResult<Vec<ApprovedRow>> {
        reports::table
            .filter(reports::state.eq(ReportState::Approved.key()))
            .filter(reports::period.le(until))
            .order((reports::project_id, reports::period, reports::id))
            .select((
                reports::project_id,
                reports::period,
                reports::status,
                reports::investment_completed_cents,
                reports::actual_end,
            ))
            .load(conn)
    }

    /// For each project that finance has seen completed, the first month approved as
    /// 已竣工: it reports no more after that month.
    pub fn first_completed(conn: &mut DbConnection) -> QueryResult<Vec<(i32, Option<String>)>> {
        reports::table
            .filter(reports::state.eq(ReportState::Approved.key()))
            .filter(reports::status.eq(ProgressStatus::Completed.key()))
            .group_by(reports::project_id)
            .select((reports::project_id, diesel::dsl::min(reports::period)))
            .load(conn)
    }
}
