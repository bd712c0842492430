use diesel::prelude::*;

use crate::db::DbConnection;
use crate::models::organisation::OrganisationRow;
use crate::schema::{organisations, users};

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i32,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub organisation_id: Option<i32>,
    pub disabled: bool,
    pub created_at: String,
    pub version: i32,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub organisation_id: Option<i32>,
    pub disabled: bool,
    pub created_at: &'a str,
    pub version: i32,
}

#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChangeset {
    pub role: Option<String>,
    pub organisation_id: Option<Option<i32>>,
    pub password_hash: Option<String>,
    pub disabled: Option<bool>,
}

/// A user with their organisation, if any.
pub type UserWithOrg = (UserRow, Option<OrganisationRow>);

impl UserRow {
    pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<UserWithOrg>> {
        users::table
            .left_join(organisations::table)
            .filter(users::id.eq(id))
            .select((UserRow::as_select(), Option::<OrganisationRow>::as_select()))
            .first(conn)
            .optional()
    }

    /// The account of this name in any case (`ZHANG` finds `zhang`), by the expression the
    /// unique index `users_username_lower` is on; `username` is normalised already.
    pub fn find_by_username(
        conn: &mut DbConnection,
        username: &str,
    ) -> QueryResult<Option<UserRow>> {
        users::table
            .filter(lower(users::username).eq(username.to_ascii_lowercase()))
            .select(UserRow::as_select())
            .first(conn)
            .optional()
    }

    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<UserWithOrg>> {
        users::table
            .left_join(organisations::table)
            .order(users::id)
            .select((UserRow::as_select(), Option::<OrganisationRow>::as_select()))
            .load(conn)
    }

    /// Every row as stored, for copying a database.
    pub fn all_rows(conn: &mut DbConnection) -> QueryResult<Vec<UserRow>> {
        users::table
            .order(users::id)
            .select(UserRow::as_select())
            .load(conn)
    }

    /// The usernames of these users.
    pub fn names(
        conn: &mut DbConnection,
        ids: &[i32],
    ) -> QueryResult<std::collections::HashMap<i32, String>> {
        Ok(users::table
            .filter(users::id.eq_any(ids))
            .select((users::id, users::username))
            .load::<(i32, String)>(conn)?
            .into_iter()
            .collect())
    }

    /// Changes a user if they are still at `expected_version` (any version when `None`),
    /// moving them to the next; answers how many rows changed.
    pub fn update(
        conn: &mut DbConnection,
        id: i32,
        expected_version: Option<i32>,
        changes: &UserChangeset,
    ) -> QueryResult<usize> {
        let target = users::table.filter(users::id.eq(id));
        match expected_version {
            Some(v) => diesel::update(target.filter(users::version.eq(v)))
                .set((changes, users::version.eq(users::version + 1)))
                .execute(conn),
            None => diesel::update(target)
                .set((changes, users::version.eq(users::version + 1)))
                .execute(conn),
        }
    }
}

impl NewUserRow<'_> {
    /// Inserts the user and answers their id, found by the unique username.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(users::table)
            .values(self)
            .execute(conn)?;
        users::table
            .filter(lower(users::username).eq(self.username.to_ascii_lowercase()))
            .select(users::id)
            .first(conn)
    }
}
