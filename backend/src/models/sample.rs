//! The marker of a database holding the `--demo` sample (table `sample_data`, at most one
//! row), and the counts that decide whether a database is new enough to receive it.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::{plan_revisions, reports, sample_data, users};

/// The only row's key.
const ROW: i32 = 1;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sample_data)]
pub struct SampleRow {
    pub id: i32,
    pub loaded_at: String,
    pub plans: i32,
    pub reports: i32,
}

impl SampleRow {
    pub fn get(conn: &mut DbConnection) -> QueryResult<Option<SampleRow>> {
        sample_data::table
            .find(ROW)
            .select(SampleRow::as_select())
            .first(conn)
            .optional()
    }

    /// Whether the database holds the sample: one read by primary key.
    pub fn present(conn: &mut DbConnection) -> QueryResult<bool> {
        Ok(Self::get(conn)?.is_some())
    }

    /// Marks the database as holding the sample, before the first sample row is written.
    pub fn mark(conn: &mut DbConnection, loaded_at: &str) -> QueryResult<usize> {
        diesel::insert_into(sample_data::table)
            .values(SampleRow {
                id: ROW,
                loaded_at: loaded_at.to_string(),
                plans: 0,
                reports: 0,
            })
            .execute(conn)
    }

    /// Records how much of the sample was written, once it all was.
    pub fn finish(conn: &mut DbConnection, plans: i32, reports: i32) -> QueryResult<usize> {
        diesel::update(sample_data::table.find(ROW))
            .set((
                sample_data::plans.eq(plans),
                sample_data::reports.eq(reports),
            ))
            .execute(conn)
    }
}

/// What a database holds that only its users can have put there: annual plan revisions,
/// reports, and accounts other than `except` (the demo accounts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserData {
    pub plans: i64,
    pub reports: i64,
    pub accounts: i64,
}

impl UserData {
    pub fn count(conn: &mut DbConnection, except: &[&str]) -> QueryResult<UserData> {
        Ok(UserData {
            plans: plan_revisions::table.count().get_result(conn)?,
            reports: reports::table.count().get_result(conn)?,
            accounts: users::table
                .filter(users::username.ne_all(except))
                .count()
                .get_result(conn)?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.plans == 0 && self.reports == 0 && self.accounts == 0
    }
}
