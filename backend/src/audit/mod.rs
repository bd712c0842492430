//! The audit trail: every change appends one entry in the same transaction as the change,
//! and the database refuses to update or delete entries (triggers in the migrations). The
//! entries form a hash chain (`chain`) that `verify` checks, so that even someone who drops
//! the triggers cannot rewrite the trail unnoticed.

pub mod chain;
pub mod verify;

use keyproj_shared::{AuditEntry, AuditPage, AuditQuery};
use serde_json::Value;

use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::models::audit::{AuditContent, AuditFilter, AuditRow};
use crate::models::project::ProjectRow;
use crate::models::report::ReportRow;

/// Who made a change, as the audit trail records it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub username: String,
    pub role: String,
    pub organisation_id: Option<i32>,
    pub request_id: String,
}

impl Actor {
    /// The command line or start-up code, acting without an account.
    pub fn system(what: &str) -> Actor {
        Actor {
            user_id: None,
            username: format!("({what})"),
            role: "system".to_string(),
            organisation_id: None,
            request_id: crate::auth::random_hex(16),
        }
    }
}

pub const PROJECT: &str = "project";
pub const REPORT: &str = "report";
pub const USER: &str = "user";
pub const SESSION: &str = "session";
pub const WARNING_RULES: &str = "warning_rules";

/// Appends one entry. Call it inside the transaction that makes the change.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    entity: &str,
    entity_id: &str,
    action: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> diesel::QueryResult<()> {
    let before = before.map(Value::to_string);
    let after = after.map(Value::to_string);
    chain::append(
        conn,
        AuditContent {
            id: 0,
            at: &clock::stamp(clock::now()),
            user_id: actor.user_id,
            username: &actor.username,
            role: &actor.role,
            organisation_id: actor.organisation_id,
            entity,
            entity_id,
            action,
            before_json: before.as_deref(),
            after_json: after.as_deref(),
            request_id: &actor.request_id,
        },
    )
}

fn parse_json(s: Option<String>) -> Option<Value> {
    s.map(|s| serde_json::from_str(&s).unwrap_or(Value::String(s)))
}

fn entry(r: AuditRow) -> AuditEntry {
    AuditEntry {
        id: i64::from(r.id),
        at: r.at,
        user_id: r.user_id.map(i64::from),
        username: r.username,
        role: r.role,
        organisation_id: r.organisation_id.map(i64::from),
        entity: r.entity,
        entity_id: r.entity_id,
        action: r.action,
        before: parse_json(r.before_json),
        after: parse_json(r.after_json),
        request_id: r.request_id,
    }
}

fn page_of(
    conn: &mut DbConnection,
    f: &AuditFilter,
    q: &AuditQuery,
) -> Result<AuditPage, ApiError> {
    let (rows, total) = AuditRow::page(conn, f, q.page, q.per_page)?;
    Ok(AuditPage {
        items: rows.into_iter().map(entry).collect(),
        total: u64::try_from(total).unwrap_or(0),
        page: q.page,
        per_page: q.per_page,
    })
}

/// The whole trail, or one entity's, newest first.
pub fn global(conn: &mut DbConnection, q: &AuditQuery) -> Result<AuditPage, ApiError> {
    let f = AuditFilter {
        entity: q.entity.clone(),
        entity_id: q.entity_id.clone(),
        project: None,
    };
    page_of(conn, &f, q)
}

/// A project's trail: its edits, its approved figures, and its reports' lives.
pub fn of_project(
    conn: &mut DbConnection,
    code: &str,
    q: &AuditQuery,
) -> Result<AuditPage, ApiError> {
    let project = ProjectRow::find_by_code(conn, code).map_err(|e| match e {
        diesel::result::Error::NotFound => ApiError::NotFound(format!("没有编号为“{code}”的项目")),
        e => e.into(),
    })?;
    let reports = ReportRow::ids_of_project(conn, project.id)?
        .into_iter()
        .map(|id| id.to_string())
        .collect();
    let f = AuditFilter {
        project: Some((project.code, reports)),
        ..AuditFilter::default()
    };
    page_of(conn, &f, q)
}
