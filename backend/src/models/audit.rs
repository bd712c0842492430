use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::audit_log;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i32,
    pub at: String,
    pub user_id: Option<i32>,
    pub username: String,
    pub role: String,
    pub organisation_id: Option<i32>,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub request_id: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow<'a> {
    pub at: &'a str,
    pub user_id: Option<i32>,
    pub username: &'a str,
    pub role: &'a str,
    pub organisation_id: Option<i32>,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub before_json: Option<&'a str>,
    pub after_json: Option<&'a str>,
    pub request_id: &'a str,
}

/// Which entries to read: an entity kind, and ids of it.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// A project's trail: the project (by code) and its reports (by id).
    pub project: Option<(String, Vec<String>)>,
}

impl NewAuditRow<'_> {
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(audit_log::table)
            .values(self)
            .execute(conn)
    }
}

impl AuditRow {
    /// One page, newest first, and how many match in all.
    pub fn page(
        conn: &mut DbConnection,
        f: &AuditFilter,
        page: u32,
        per_page: u32,
    ) -> QueryResult<(Vec<AuditRow>, i64)> {
        let filtered = || {
            let mut q = audit_log::table.into_boxed();
            if let Some(e) = &f.entity {
                q = q.filter(audit_log::entity.eq(e.clone()));
            }
            if let Some(id) = &f.entity_id {
                q = q.filter(audit_log::entity_id.eq(id.clone()));
            }
            if let Some((code, reports)) = &f.project {
                q = q.filter(
                    audit_log::entity
                        .eq("project")
                        .and(audit_log::entity_id.eq(code.clone()))
                        .or(audit_log::entity
                            .eq("report")
                            .and(audit_log::entity_id.eq_any(reports.clone()))),
                );
            }
            q
        };
        let total = filtered().count().get_result(conn)?;
        let rows = filtered()
            .order(audit_log::id.desc())
            .offset(i64::from(page.saturating_sub(1)) * i64::from(per_page))
            .limit(i64::from(per_page))
            .select(AuditRow::as_select())
            .load(conn)?;
        Ok((rows, total))
    }

    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<AuditRow>> {
        audit_log::table
            .order(audit_log::id)
            .select(AuditRow::as_select())
            .load(conn)
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        audit_log::table.count().get_result(conn)
    }
}
