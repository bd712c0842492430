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
    /// The seal (`audit::chain`): the previous entry's `hash`, and the SHA-256 of this
    /// entry's content and `prev_hash`. Empty only on entries from before the chain, until
    /// start-up seals them.
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// What an entry says: every column but its seal, which is computed over exactly these.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditContent<'a> {
    pub id: i32,
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

/// An entry as it is appended: its content and its seal.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct SealedAuditRow<'a> {
    #[diesel(embed)]
    pub content: AuditContent<'a>,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// Which entries to read: an entity kind, and ids of it.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// A project's trail: the project (by code) and its reports (by id).
    pub project: Option<(String, Vec<String>)>,
}

impl SealedAuditRow<'_> {
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(audit_log::table)
            .values(self)
            .execute(conn)
    }
}

impl AuditRow {
    /// The content the seal covers (every column but the seal itself).
    pub fn content(&self) -> AuditContent<'_> {
        let AuditRow {
            id,
            at,
            user_id,
            username,
            role,
            organisation_id,
            entity,
            entity_id,
            action,
            before_json,
            after_json,
            request_id,
            prev_hash: _,
            hash: _,
        } = self;
        AuditContent {
            id: *id,
            at,
            user_id: *user_id,
            username,
            role,
            organisation_id: *organisation_id,
            entity,
            entity_id,
            action,
            before_json: before_json.as_deref(),
            after_json: after_json.as_deref(),
            request_id,
        }
    }

    /// The newest entry's id and hash: what the next entry links to.
    pub fn head(conn: &mut DbConnection) -> QueryResult<Option<(i32, Option<String>)>> {
        audit_log::table
            .order(audit_log::id.desc())
            .select((audit_log::id, audit_log::hash))
            .first(conn)
            .optional()
    }

    /// Up to `limit` entries after `after_id`, oldest first: the chain read in slices.
    pub fn after(conn: &mut DbConnection, after_id: i32, limit: i64) -> QueryResult<Vec<AuditRow>> {
        audit_log::table
            .filter(audit_log::id.gt(after_id))
            .order(audit_log::id)
            .limit(limit)
            .select(AuditRow::as_select())
            .load(conn)
    }

    /// Entries not yet sealed (written before the chain existed), oldest first.
    pub fn unsealed(conn: &mut DbConnection) -> QueryResult<Vec<AuditRow>> {
        audit_log::table
            .filter(audit_log::hash.is_null())
            .order(audit_log::id)
            .select(AuditRow::as_select())
            .load(conn)
    }

    /// The newest sealed entry before `id`: what an unsealed entry there links to.
    pub fn sealed_before(conn: &mut DbConnection, id: i32) -> QueryResult<Option<AuditRow>> {
        audit_log::table
            .filter(audit_log::id.lt(id).and(audit_log::hash.is_not_null()))
            .order(audit_log::id.desc())
            .select(AuditRow::as_select())
            .first(conn)
            .optional()
    }

    /// Whether any sealed entry comes after `id`.
    pub fn sealed_after(conn: &mut DbConnection, id: i32) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            audit_log::table.filter(audit_log::id.gt(id).and(audit_log::hash.is_not_null())),
        ))
        .get_result(conn)
    }

    /// Fills in an old entry's seal: the one update the database's trigger allows.
    pub fn seal(
        conn: &mut DbConnection,
        id: i32,
        prev_hash: &str,
        hash: &str,
    ) -> QueryResult<usize> {
        diesel::update(audit_log::table.filter(audit_log::id.eq(id).and(audit_log::hash.is_null())))
            .set((audit_log::prev_hash.eq(prev_hash), audit_log::hash.eq(hash)))
            .execute(conn)
    }

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
