//! Import batches of monthly reports (`report_imports`).

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::report_imports;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = report_imports)]
pub struct NewImport<'a> {
    pub user_id: i32,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub dry_run: bool,
    pub applied: bool,
    pub rows_total: i32,
    pub created_at: &'a str,
    pub result_json: &'a str,
    pub error_workbook: Option<&'a [u8]>,
}

impl NewImport<'_> {
    /// Inserts the batch and answers its id: the user's newest batch of this file.
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(report_imports::table)
            .values(self)
            .execute(conn)?;
        report_imports::table
            .filter(report_imports::user_id.eq(self.user_id))
            .filter(report_imports::sha256.eq(self.sha256))
            .select(diesel::dsl::max(report_imports::id))
            .first::<Option<i32>>(conn)?
            .ok_or(diesel::result::Error::NotFound)
    }
}

/// The stored answer of the user's real import of a file, if there was one.
pub fn applied_result(
    conn: &mut DbConnection,
    user_id: i32,
    sha256: &str,
) -> QueryResult<Option<String>> {
    report_imports::table
        .filter(report_imports::user_id.eq(user_id))
        .filter(report_imports::sha256.eq(sha256))
        .filter(report_imports::applied.eq(true))
        .select(report_imports::result_json)
        .first(conn)
        .optional()
}

/// A batch's marked-up workbook and its file name, if the batch is the user's and has one.
pub fn error_workbook(
    conn: &mut DbConnection,
    id: i32,
    user_id: i32,
) -> QueryResult<Option<(String, Option<Vec<u8>>)>> {
    report_imports::table
        .filter(report_imports::id.eq(id))
        .filter(report_imports::user_id.eq(user_id))
        .select((report_imports::file_name, report_imports::error_workbook))
        .first(conn)
        .optional()
}

/// Sets the answer of a batch once its id is known (the answer names the id).
pub fn set_result(conn: &mut DbConnection, id: i32, result_json: &str) -> QueryResult<usize> {
    diesel::update(report_imports::table.find(id))
        .set(report_imports::result_json.eq(result_json))
        .execute(conn)
}
