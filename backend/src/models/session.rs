use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::{login_failures, sessions};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: i32,
    pub token_hash: String,
    pub user_id: i32,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub revoked: bool,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i32,
    pub created_at: &'a str,
    pub last_seen_at: &'a str,
    pub expires_at: &'a str,
    pub revoked: bool,
}

impl NewSession<'_> {
    /// Inserts the session and answers its id, found by the unique token hash.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(sessions::table)
            .values(self)
            .execute(conn)?;
        sessions::table
            .filter(sessions::token_hash.eq(self.token_hash))
            .select(sessions::id)
            .first(conn)
    }
}

impl SessionRow {
    pub fn find_by_token_hash(
        conn: &mut DbConnection,
        token_hash: &str,
    ) -> QueryResult<Option<SessionRow>> {
        sessions::table
            .filter(sessions::token_hash.eq(token_hash))
            .select(SessionRow::as_select())
            .first(conn)
            .optional()
    }

    pub fn touch(conn: &mut DbConnection, id: i32, now: &str) -> QueryResult<usize> {
        diesel::update(sessions::table.find(id))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)
    }

    pub fn revoke(conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
        diesel::update(sessions::table.find(id))
            .set(sessions::revoked.eq(true))
            .execute(conn)
    }

    pub fn revoke_all_of(conn: &mut DbConnection, user_id: i32) -> QueryResult<usize> {
        diesel::update(
            sessions::table
                .filter(sessions::user_id.eq(user_id))
                .filter(sessions::revoked.eq(false)),
        )
        .set(sessions::revoked.eq(true))
        .execute(conn)
    }

    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<SessionRow>> {
        sessions::table
            .order(sessions::id)
            .select(SessionRow::as_select())
            .load(conn)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = login_failures)]
pub struct LoginFailureRow {
    pub id: i32,
    pub username: String,
    pub ip: String,
    pub at: String,
}

impl LoginFailureRow {
    pub fn record(
        conn: &mut DbConnection,
        username: &str,
        ip: &str,
        at: &str,
    ) -> QueryResult<usize> {
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::username.eq(username),
                login_failures::ip.eq(ip),
                login_failures::at.eq(at),
            ))
            .execute(conn)
    }

    /// Records a failure in advance (a login attempt in progress) and answers its id. Call
    /// it inside the transaction that serialises this username's attempts, so the newest
    /// row of the username is this one.
    pub fn reserve(
        conn: &mut DbConnection,
        username: &str,
        ip: &str,
        at: &str,
    ) -> QueryResult<i32> {
        Self::record(conn, username, ip, at)?;
        login_failures::table
            .filter(login_failures::username.eq(username))
            .order(login_failures::id.desc())
            .select(login_failures::id)
            .first(conn)
    }

    /// Withdraws a failure recorded in advance: the attempt succeeded.
    pub fn forget(conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
        diesel::delete(login_failures::table.find(id)).execute(conn)
    }

    /// The failures since `since` for this username and for this IP, oldest first.
    pub fn recent(
        conn: &mut DbConnection,
        username: &str,
        ip: &str,
        since: &str,
    ) -> QueryResult<(Vec<String>, Vec<String>)> {
        let by_user = login_failures::table
            .filter(login_failures::username.eq(username))
            .filter(login_failures::at.gt(since))
            .order(login_failures::at)
            .select(login_failures::at)
            .load(conn)?;
        let by_ip = login_failures::table
            .filter(login_failures::ip.eq(ip))
            .filter(login_failures::at.gt(since))
            .order(login_failures::at)
            .select(login_failures::at)
            .load(conn)?;
        Ok((by_user, by_ip))
    }

    /// Forgets failures older than `before`: they no longer count.
    pub fn prune(conn: &mut DbConnection, before: &str) -> QueryResult<usize> {
        diesel::delete(login_failures::table.filter(login_failures::at.le(before))).execute(conn)
    }

    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<LoginFailureRow>> {
        login_failures::table
            .order(login_failures::id)
            .select(LoginFailureRow::as_select())
            .load(conn)
    }
}
