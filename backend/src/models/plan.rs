//! Annual plan revisions and warning rule sets: the rows and the queries on them.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::{plan_revisions, warning_rule_sets};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_revisions)]
pub struct PlanRow {
    pub id: i32,
    pub project_id: i32,
    pub year: i32,
    pub version: i32,
    pub planned_investment_cents: i64,
    pub social_investment_cents: i64,
    pub target_progress_bp: Option<i32>,
    pub content: String,
    pub baseline_completed_cents: Option<i64>,
    pub milestones_json: String,
    pub breakdown_json: Option<String>,
    pub reason: String,
    pub over_total_reason: Option<String>,
    pub created_by: i32,
    pub created_by_name: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = plan_revisions)]
pub struct NewPlan {
    pub project_id: i32,
    pub year: i32,
    pub version: i32,
    pub planned_investment_cents: i64,
    pub social_investment_cents: i64,
    pub target_progress_bp: Option<i32>,
    pub content: String,
    pub baseline_completed_cents: Option<i64>,
    pub milestones_json: String,
    pub breakdown_json: Option<String>,
    pub reason: String,
    pub over_total_reason: Option<String>,
    pub created_by: i32,
    pub created_by_name: String,
    pub created_at: String,
}

impl NewPlan {
    /// Inserts the revision. `(project_id, year, version)` is unique, so of two writers
    /// revising the same version one fails here even without the lock.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(plan_revisions::table)
            .values(self)
            .execute(conn)
    }
}

impl PlanRow {
    /// Every revision of a project's plans, newest first (by year, then version).
    pub fn history(conn: &mut DbConnection, project_id: i32) -> QueryResult<Vec<PlanRow>> {
        plan_revisions::table
            .filter(plan_revisions::project_id.eq(project_id))
            .order(plan_revisions::id.desc())
            .select(PlanRow::as_select())
            .load(conn)
    }

    /// Every revision of every project, in id order: what a copy of the database holds.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<PlanRow>> {
        plan_revisions::table
            .order(plan_revisions::id)
            .select(PlanRow::as_select())
            .load(conn)
    }

    /// The current plan of each year: the newest revision per year, by year.
    pub fn current(conn: &mut DbConnection, project_id: i32) -> QueryResult<Vec<PlanRow>> {
        let mut rows = Self::history(conn, project_id)?;
        rows.sort_by_key(|r| (r.year, std::cmp::Reverse(r.version)));
        rows.dedup_by_key(|r| r.year);
        Ok(rows)
    }

    /// The current plan of one year.
    pub fn current_of_year(
        conn: &mut DbConnection,
        project_id: i32,
        year: i32,
    ) -> QueryResult<Option<PlanRow>> {
        plan_revisions::table
            .filter(plan_revisions::project_id.eq(project_id))
            .filter(plan_revisions::year.eq(year))
            .order(plan_revisions::version.desc())
            .select(PlanRow::as_select())
            .first(conn)
            .optional()
    }

    /// The current plans of every project for a year, with the project's code.
    pub fn current_for_year(conn: &mut DbConnection, year: i32) -> QueryResult<Vec<PlanRow>> {
        let mut rows: Vec<PlanRow> = plan_revisions::table
            .filter(plan_revisions::year.eq(year))
            .order((plan_revisions::project_id, plan_revisions::version.desc()))
            .select(PlanRow::as_select())
            .load(conn)?;
        rows.dedup_by_key(|r| r.project_id);
        Ok(rows)
    }

    /// The current plans of the given projects for a year.
    pub fn current_for_year_of(
        conn: &mut DbConnection,
        year: i32,
        project_ids: &[i32],
    ) -> QueryResult<Vec<PlanRow>> {
        let mut out = Vec::new();
        for ids in project_ids.chunks(5_000) {
            let mut rows: Vec<PlanRow> = plan_revisions::table
                .filter(plan_revisions::year.eq(year))
                .filter(plan_revisions::project_id.eq_any(ids))
                .order((plan_revisions::project_id, plan_revisions::version.desc()))
                .select(PlanRow::as_select())
                .load(conn)?;
            rows.dedup_by_key(|r| r.project_id);
            out.extend(rows);
        }
        Ok(out)
    }

    /// The current plans of every project, every year: for reconciliation.
    /// The current plan of each year of each of `ids`, by project, years in order.
    pub fn current_of_projects(
        conn: &mut DbConnection,
        ids: &[i32],
    ) -> QueryResult<std::collections::HashMap<i32, Vec<PlanRow>>> {
        let mut rows: Vec<PlanRow> = plan_revisions::table
            .filter(plan_revisions::project_id.eq_any(ids))
            .order((
                plan_revisions::project_id,
                plan_revisions::year,
                plan_revisions::version.desc(),
            ))
            .select(PlanRow::as_select())
            .load(conn)?;
        rows.dedup_by_key(|r| (r.project_id, r.year));
        let mut by_project = std::collections::HashMap::<i32, Vec<PlanRow>>::new();
        for r in rows {
            by_project.entry(r.project_id).or_default().push(r);
        }
        Ok(by_project)
    }

    pub fn all_current(conn: &mut DbConnection) -> QueryResult<Vec<PlanRow>> {
        let mut rows: Vec<PlanRow> = plan_revisions::table
            .order((
                plan_revisions::project_id,
                plan_revisions::year,
                plan_revisions::version.desc(),
            ))
            .select(PlanRow::as_select())
            .load(conn)?;
        rows.dedup_by_key(|r| (r.project_id, r.year));
        Ok(rows)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = warning_rule_sets)]
pub struct RuleSetRow {
    pub version: i32,
    pub lag_mode: String,
    pub lag_yellow_from_bp: i32,
    pub lag_red_above_bp: i32,
    pub relative_yellow_up_to_bp: i32,
    pub start_lag_red_months: i32,
    pub report_deadline_day: i32,
    pub not_reported_red_months: i32,
    pub divergence_above_bp: i32,
    pub reason: String,
    pub created_by: String,
    pub created_at: String,
}

impl RuleSetRow {
    /// The rule set in force: the newest version.
    pub fn current(conn: &mut DbConnection) -> QueryResult<RuleSetRow> {
        warning_rule_sets::table
            .order(warning_rule_sets::version.desc())
            .select(RuleSetRow::as_select())
            .first(conn)
    }

    /// Every version, oldest first.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<RuleSetRow>> {
        warning_rule_sets::table
            .order(warning_rule_sets::version)
            .select(RuleSetRow::as_select())
            .load(conn)
    }

    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(warning_rule_sets::table)
            .values(self)
            .execute(conn)
    }
}

/// A report as the warning rules read it: (project id, report id, period, state,
/// 累计完成投资, 形象进度, status, submitted at).
pub type ReportFactRow = (i32, i32, String, String, i64, i32, String, String);

/// Every report of the given projects for months up to `period` (`YYYY-MM`, which sorts as
/// text): what a month's warnings may use, and nothing later.
pub fn report_facts_up_to(
    conn: &mut DbConnection,
    project_ids: &[i32],
    period: &str,
) -> QueryResult<Vec<ReportFactRow>> {
    use crate::schema::reports;
    let mut out = Vec::new();
    // in chunks, so that no engine meets a statement with too many parameters
    for ids in project_ids.chunks(5_000) {
        out.extend(
            reports::table
                .filter(reports::project_id.eq_any(ids))
                .filter(reports::period.le(period))
                .select((
                    reports::project_id,
                    reports::id,
                    reports::period,
                    reports::state,
                    reports::investment_completed_cents,
                    reports::physical_progress_bp,
                    reports::status,
                    reports::submitted_at,
                ))
                .load::<ReportFactRow>(conn)?,
        );
    }
    Ok(out)
}

/// The years each of the given projects has a plan for.
pub fn plan_years(conn: &mut DbConnection, project_ids: &[i32]) -> QueryResult<Vec<(i32, i32)>> {
    let mut out = Vec::new();
    for ids in project_ids.chunks(5_000) {
        out.extend(
            plan_revisions::table
                .filter(plan_revisions::project_id.eq_any(ids))
                .select((plan_revisions::project_id, plan_revisions::year))
                .distinct()
                .load::<(i32, i32)>(conn)?,
        );
    }
    Ok(out)
}
