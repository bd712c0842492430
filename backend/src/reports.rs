//! Progress reports: submission (with idempotency keys), history, the review queue, and
//! finance's approve/return, which moves a project's approved figures.
//!
//! Who may do what:
//! - submit: an owner for a project of their own organisation, or an admin;
//! - read a project's reports: any logged-in user, but an owner only their own
//!   organisation's projects;
//! - the queue, approve and return: finance and admins, never on a report they submitted.

use keyproj_shared::{
    FieldError, Money, Percent, ProgressStatus, Report, ReportBody, ReportContext, ReportList,
    ReportPage, ReportQuery, ReportState, ReportValues, Role, UserRef, etag,
};
use serde_json::json;

use crate::audit;
use crate::audit::Actor;
use crate::auth::{self, AuthUser};
use crate::clock;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::models::organisation::OrganisationRow;
use crate::models::project::{ApprovedFigures, ProjectRow};
use crate::models::report::{NewReport, ReportRow, Review};
use crate::models::user::UserRow;
use crate::precondition::Expected;

/// Advisory lock classes (PostgreSQL; SQLite's immediate transactions already serialise),
/// always taken in this order.
const IDEMPOTENCY_LOCK: i32 = 1;
const PROJECT_LOCK: i32 = 2;

pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 200;

/// A submission as the handler parsed it.
#[derive(Debug, Clone)]
pub struct Submission {
    pub code: String,
    pub body: ReportBody,
    /// What was wrong with the body's shape: unknown or server-set fields, wrong types.
    pub shape_errors: Vec<FieldError>,
    pub idempotency_key: Option<String>,
    /// SHA-256 of the project code and the body with its keys sorted: the same request
    /// sent again has the same fingerprint.
    pub fingerprint: String,
}

#[derive(Debug, Clone)]
pub enum Decision {
    Approve,
    Return(String),
}

fn project_by_code(conn: &mut DbConnection, code: &str) -> Result<ProjectRow, ApiError> {
    ProjectRow::find_by_code(conn, code).map_err(|e| match e {
        diesel::result::Error::NotFound => ApiError::NotFound(format!("没有编号为“{code}”的项目")),
        e => e.into(),
    })
}

fn is_own_project(
    conn: &mut DbConnection,
    user: &AuthUser,
    project: &ProjectRow,
) -> Result<bool, ApiError> {
    let Some(org) = &user.organisation else {
        return Ok(false);
    };
    Ok(OrganisationRow::owners_of(conn, &[project.id])?
        .remove(&project.id)
        .unwrap_or_default()
        .iter()
        .any(|o| o.id == org.id))
}

fn may_report(
    conn: &mut DbConnection,
    user: &AuthUser,
    project: &ProjectRow,
) -> Result<(), ApiError> {
    match user.role {
        Role::Admin => Ok(()),
        Role::Owner if is_own_project(conn, user, project)? => Ok(()),
        Role::Owner => Err(ApiError::Forbidden(format!(
            "项目 {} 不属于本单位（{}），不能填报",
            project.code,
            user.organisation
                .as_ref()
                .map(|o| o.name.as_str())
                .unwrap_or("未知单位")
        ))),
        _ => Err(ApiError::Forbidden(
            "只有建设单位和系统管理员可以填报进度".to_string(),
        )),
    }
}

fn may_read(
    conn: &mut DbConnection,
    user: &AuthUser,
    project: &ProjectRow,
) -> Result<(), ApiError> {
    if user.role == Role::Owner && !is_own_project(conn, user, project)? {
        return Err(ApiError::Forbidden(format!(
            "项目 {} 不属于本单位，不能查看其进度报告",
            project.code
        )));
    }
    Ok(())
}

fn corrupt(what: &str, v: &str) -> ApiError {
    ApiError::internal(anyhow::anyhow!("stored {what} {v:?} is not a known value"))
}

/// Reports as the API shows them, with their project's code and name.
fn wire_all(
    conn: &mut DbConnection,
    rows: Vec<(ReportRow, String, String)>,
) -> Result<Vec<Report>, ApiError> {
    let mut ids: Vec<i32> = rows
        .iter()
        .flat_map(|(r, _, _)| [Some(r.submitted_by), r.reviewed_by])
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names = UserRow::names(conn, &ids)?;
    let user = |id: i32| UserRef {
        id: i64::from(id),
        username: names.get(&id).cloned().unwrap_or_default(),
    };
    rows.into_iter()
        .map(|(r, code, name)| {
            Ok(Report {
                id: i64::from(r.id),
                project_code: code,
                project_name: name,
                physical_progress_pct: Percent::from_basis_points(i64::from(
                    r.physical_progress_bp,
                )),
                investment_completed: Money::from_cents(r.investment_completed_cents),
                social_investment_completed: Money::from_cents(r.social_investment_completed_cents),
                status: r
                    .status
                    .parse::<ProgressStatus>()
                    .map_err(|_| corrupt("status", &r.status))?,
                state: r
                    .state
                    .parse::<ReportState>()
                    .map_err(|_| corrupt("state", &r.state))?,
                period: r.period,
                actual_start: r.actual_start,
                actual_end: r.actual_end,
                progress_text: r.progress_text,
                problems_text: r.problems_text,
                over_total_reason: r.over_total_reason,
                supersedes_id: r.supersedes_id.map(i64::from),
                submitted_by: user(r.submitted_by),
                submitted_at: r.submitted_at,
                reviewed_by: r.reviewed_by.map(user),
                reviewed_at: r.reviewed_at,
                review_reason: r.review_reason,
                version: i64::from(r.version),
                etag: report_etag(r.id, r.version),
            })
        })
        .collect()
}

fn report_etag(id: i32, version: i32) -> String {
    etag('r', i64::from(id), i64::from(version))
}

fn wire(conn: &mut DbConnection, r: ReportRow, project: &ProjectRow) -> Result<Report, ApiError> {
    let mut v = wire_all(conn, vec![(r, project.code.clone(), project.name.clone())])?;
    v.pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a report vanished")))
}

fn key_lock(user_id: i32, key: &str) -> i32 {
    let h = auth::sha256_hex(format!("{user_id}:{key}").as_bytes());
    u32::from_str_radix(&h[..8], 16).map_or(0, |v| v as i32)
}

/// Stores a report, or, for an `Idempotency-Key` already used with the same request,
/// answers the report that request created (`true`: a replay). The same key with a different
/// request is a 422. A new report supersedes the project's not-approved reports of the same
/// month.
pub fn submit(
    conn: &mut DbConnection,
    user: &AuthUser,
    actor: &Actor,
    sub: &Submission,
) -> Result<(Report, bool), ApiError> {
    db::write_transaction(conn, |conn| -> Result<(Report, bool), ApiError> {
        let project = project_by_code(conn, &sub.code)?;
        may_report(conn, user, &project)?;
        let context = context_of(&project);
        if !sub.shape_errors.is_empty() {
            // every problem at once: the shape's, then the values' of the other fields
            let mut errors = sub.shape_errors.clone();
            for e in sub.body.validate(context) {
                if !errors.iter().any(|x| x.field == e.field) {
                    errors.push(e);
                }
            }
            return Err(ApiError::Validation(errors));
        }
        if let Some(key) = &sub.idempotency_key {
            db::lock_pair(conn, IDEMPOTENCY_LOCK, key_lock(user.id, key))?;
            if let Some(earlier) = ReportRow::by_idempotency_key(conn, user.id, key)? {
                if earlier.request_fingerprint.as_deref() == Some(sub.fingerprint.as_str()) {
                    let project = ProjectRow::find(conn, earlier.project_id)?;
                    return Ok((wire(conn, earlier, &project)?, true));
                }
                return Err(ApiError::field(
                    "Idempotency-Key",
                    "此 Idempotency-Key 已用于内容不同的请求；提交新的报告请换一个新的 Idempotency-Key",
                ));
            }
        }
        let values = sub.body.parse(context).map_err(ApiError::Validation)?;
        let report = store(
            conn,
            user,
            actor,
            &project,
            values,
            sub.idempotency_key.clone(),
            Some(sub.fingerprint.clone()),
        )?;
        Ok((report, false))
    })
}

/// What checking a report of `project` needs beyond the report, as of now.
pub(crate) fn context_of(project: &ProjectRow) -> ReportContext {
    ReportContext {
        total_investment: Some(Money::from_cents(project.total_investment_cents)),
        today: clock::today_in_china(clock::now()),
    }
}

/// Whether `user` may report on `project` (an owner of its organisation, or an admin): the
/// rule of the single submission, for the workbook import too.
pub(crate) fn check_may_report(
    conn: &mut DbConnection,
    user: &AuthUser,
    project: &ProjectRow,
) -> Result<(), ApiError> {
    may_report(conn, user, project)
}

/// Stores a checked report of `project`, superseding the month's reports not approved, and
/// audits both. Call it inside a write transaction; it takes the project's lock.
pub(crate) fn store(
    conn: &mut DbConnection,
    user: &AuthUser,
    actor: &Actor,
    project: &ProjectRow,
    values: ReportValues,
    idempotency_key: Option<String>,
    request_fingerprint: Option<String>,
) -> Result<Report, ApiError> {
    db::lock_pair(conn, PROJECT_LOCK, project.id)?;
    let now = clock::now();
    let period = values.period.to_string();
    let earlier = ReportRow::of_period(conn, project.id, &period)?;
    let id = NewReport {
        project_id: project.id,
        period,
        physical_progress_bp: i32::try_from(values.physical_progress.basis_points())
            .map_err(ApiError::internal)?,
        investment_completed_cents: values.investment_completed.cents(),
        social_investment_completed_cents: values.social_investment_completed.cents(),
        status: values.status.key().to_string(),
        actual_start: values.actual_start.map(|d| d.to_string()),
        actual_end: values.actual_end.map(|d| d.to_string()),
        progress_text: values.progress_text,
        problems_text: values.problems_text,
        over_total_reason: values.over_total_reason,
        state: ReportState::Submitted.key().to_string(),
        supersedes_id: earlier.first().map(|r| r.id),
        submitted_by: user.id,
        submitted_at: clock::stamp(now),
        idempotency_key,
        request_fingerprint,
        version: 1,
    }
    .insert(conn)?;
    let open = [ReportState::Submitted.key(), ReportState::Returned.key()];
    for r in earlier.iter().filter(|r| open.contains(&r.state.as_str())) {
        ReportRow::supersede(conn, r.id)?;
        audit::record(
            conn,
            actor,
            audit::REPORT,
            &r.id.to_string(),
            "supersede",
            Some(&json!({"state": r.state})),
            Some(&json!({"state": ReportState::Superseded.key(), "superseded_by": id})),
        )?;
    }
    let row = ReportRow::find(conn, id)?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("report {id} vanished")))?;
    let report = wire(conn, row, project)?;
    audit::record(
        conn,
        actor,
        audit::REPORT,
        &id.to_string(),
        "submit",
        None,
        Some(&serde_json::to_value(&report).map_err(ApiError::internal)?),
    )?;
    // inside the caller's write transaction: a single submission's or a whole import's
    db::data_version::bump_touching(conn, &[project.id])?;
    Ok(report)
}

/// Whether a stored report holds exactly these values (so submitting them again would
/// change nothing).
pub(crate) fn same_values(r: &ReportRow, v: &ReportValues) -> bool {
    r.period == v.period.to_string()
        && i64::from(r.physical_progress_bp) == v.physical_progress.basis_points()
        && r.investment_completed_cents == v.investment_completed.cents()
        && r.social_investment_completed_cents == v.social_investment_completed.cents()
        && r.status == v.status.key()
        && r.actual_start == v.actual_start.map(|d| d.to_string())
        && r.actual_end == v.actual_end.map(|d| d.to_string())
        && r.progress_text == v.progress_text
        && r.problems_text == v.problems_text
        && r.over_total_reason == v.over_total_reason
}

/// A project's reports, newest first.
pub fn history(
    conn: &mut DbConnection,
    user: &AuthUser,
    code: &str,
) -> Result<ReportList, ApiError> {
    let project = project_by_code(conn, code)?;
    may_read(conn, user, &project)?;
    let rows = ReportRow::of_project(conn, project.id)?
        .into_iter()
        .map(|r| (r, project.code.clone(), project.name.clone()))
        .collect();
    Ok(ReportList {
        items: wire_all(conn, rows)?,
    })
}

/// One report. An owner asking for another organisation's report gets the same 404 as for
/// an id that does not exist: report ids are sequential, and a 403 naming the project would
/// tell which ids exist and whose they are. (A project's history is asked for by its public
/// code, so there a 403 tells nothing new.)
pub fn get(conn: &mut DbConnection, user: &AuthUser, id: i32) -> Result<Report, ApiError> {
    let missing = || ApiError::NotFound(format!("没有编号为 {id} 的进度报告"));
    let row = ReportRow::find(conn, id)?.ok_or_else(missing)?;
    let project = ProjectRow::find(conn, row.project_id)?;
    if user.role == Role::Owner && !is_own_project(conn, user, &project)? {
        return Err(missing());
    }
    wire(conn, row, &project)
}

/// The review queue (or any state), oldest first, with the 审核 context of each report still
/// submitted. Finance and admins only: the handler checks the role.
pub fn page(conn: &mut DbConnection, q: &ReportQuery) -> Result<ReportPage, ApiError> {
    let (rows, total) = ReportRow::page(conn, q.state, q.project.as_deref(), q.page, q.per_page)?;
    let reports: Vec<ReportRow> = rows.iter().map(|(r, _, _)| r.clone()).collect();
    Ok(ReportPage {
        contexts: crate::review::contexts(conn, &reports)?,
        items: wire_all(conn, rows)?,
        total: u64::try_from(total).unwrap_or(0),
        page: q.page,
        per_page: q.per_page,
    })
}

fn figures_of(r: Option<&ReportRow>) -> ApprovedFigures {
    match r {
        None => ApprovedFigures::default(),
        Some(r) => ApprovedFigures {
            approved_report_id: Some(r.id),
            approved_period: Some(r.period.clone()),
            approved_progress_bp: Some(r.physical_progress_bp),
            approved_investment_completed_cents: Some(r.investment_completed_cents),
            approved_social_investment_completed_cents: Some(r.social_investment_completed_cents),
            approved_status: Some(r.status.clone()),
        },
    }
}

fn figures_json(f: &ApprovedFigures) -> serde_json::Value {
    json!({
        "report_id": f.approved_report_id,
        "period": f.approved_period,
        "physical_progress_pct": f.approved_progress_bp
            .map(|bp| Percent::from_basis_points(i64::from(bp)).to_string()),
        "investment_completed": f.approved_investment_completed_cents
            .map(|c| Money::from_cents(c).to_string()),
        "social_investment_completed": f.approved_social_investment_completed_cents
            .map(|c| Money::from_cents(c).to_string()),
        "status": f.approved_status,
    })
}

/// Approves or returns a submitted report at the version `if_match` names. Approving
/// supersedes the month's report approved before (a correction replaces it) and writes the
/// project's latest approved figures, in the same transaction.
pub fn review(
    conn: &mut DbConnection,
    user: &AuthUser,
    actor: &Actor,
    id: i32,
    if_match: &Expected,
    decision: &Decision,
) -> Result<Report, ApiError> {
    let (new_state, verb) = match decision {
        Decision::Approve => (ReportState::Approved, "通过"),
        Decision::Return(_) => (ReportState::Returned, "退回"),
    };
    db::write_transaction(conn, |conn| -> Result<Report, ApiError> {
        let row = ReportRow::find(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("没有编号为 {id} 的进度报告")))?;
        if row.submitted_by == user.id {
            return Err(ApiError::Forbidden(format!(
                "不能{verb}自己提交的报告，须由其他审核人员处理"
            )));
        }
        let state_conflict = |state: &str| {
            let label = state
                .parse::<ReportState>()
                .map(|s| s.label())
                .unwrap_or("未知");
            ApiError::Conflict(format!(
                "报告当前状态为“{label}”，只有待审核的报告可以{verb}"
            ))
        };
        if row.state != ReportState::Submitted.key() {
            return Err(state_conflict(&row.state));
        }
        let current = report_etag(row.id, row.version);
        if !if_match.matches(&current) {
            return Err(ApiError::PreconditionFailed {
                etag: current,
                version: i64::from(row.version),
            });
        }
        let project = ProjectRow::find(conn, row.project_id)?;
        db::lock_pair(conn, PROJECT_LOCK, project.id)?;
        let now = clock::stamp(clock::now());
        let reason = match decision {
            Decision::Return(r) => Some(r.trim()),
            Decision::Approve => None,
        };
        let changed = ReportRow::review(
            conn,
            id,
            row.version,
            &Review {
                state: new_state.key(),
                reviewed_by: user.id,
                reviewed_at: &now,
                review_reason: reason,
            },
        )?;
        if changed == 0 {
            // another reviewer got there first
            let now_row = ReportRow::find(conn, id)?
                .ok_or_else(|| ApiError::NotFound(format!("没有编号为 {id} 的进度报告")))?;
            if now_row.state != ReportState::Submitted.key() {
                return Err(state_conflict(&now_row.state));
            }
            return Err(ApiError::PreconditionFailed {
                etag: report_etag(now_row.id, now_row.version),
                version: i64::from(now_row.version),
            });
        }
        if matches!(decision, Decision::Approve) {
            // an approved correction replaces the month's approved figure
            let replaced = ReportRow::of_period(conn, project.id, &row.period)?;
            for r in replaced
                .iter()
                .filter(|r| r.id != id && r.state == ReportState::Approved.key())
            {
                ReportRow::supersede(conn, r.id)?;
                audit::record(
                    conn,
                    actor,
                    audit::REPORT,
                    &r.id.to_string(),
                    "supersede",
                    Some(&json!({"state": r.state, "version": r.version})),
                    Some(&json!({
                        "state": ReportState::Superseded.key(),
                        "version": r.version + 1,
                        "superseded_by": id,
                    })),
                )?;
            }
            let before = project.approved_figures();
            let latest = ReportRow::latest_approved(conn, project.id)?;
            let after = figures_of(latest.as_ref());
            if before != after {
                ProjectRow::set_approved(conn, project.id, &after)?;
                audit::record(
                    conn,
                    actor,
                    audit::PROJECT,
                    &project.code,
                    "approved_figures",
                    Some(&figures_json(&before)),
                    Some(&figures_json(&after)),
                )?;
            }
        }
        audit::record(
            conn,
            actor,
            audit::REPORT,
            &id.to_string(),
            match decision {
                Decision::Approve => "approve",
                Decision::Return(_) => "return",
            },
            Some(&json!({"state": row.state, "version": row.version})),
            Some(&json!({
                "state": new_state.key(),
                "version": row.version + 1,
                "reviewed_at": now,
                "review_reason": reason,
            })),
        )?;
        let row = ReportRow::find(conn, id)?
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("report {id} vanished")))?;
        let report = wire(conn, row, &project)?;
        db::data_version::bump_touching(conn, &[project.id])?;
        Ok(report)
    })
}
