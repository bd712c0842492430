use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::published_subtotals;

/// The scope of the 总计 row; the category rows use their category key.
pub const TOTAL_SCOPE: &str = "total";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = published_subtotals)]
pub struct SubtotalRow {
    pub scope: String,
    pub position: i32,
    pub label: String,
    pub project_count: i32,
    pub total_investment_cents: i64,
    pub total_investment_text: String,
    pub planned_investment_cents: i64,
    pub planned_investment_text: String,
}

impl SubtotalRow {
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<SubtotalRow>> {
        published_subtotals::table
            .order(published_subtotals::position)
            .select(SubtotalRow::as_select())
            .load(conn)
    }

    /// Inserts the rows that are not there yet; published figures never change.
    pub fn insert_missing(conn: &mut DbConnection, rows: &[SubtotalRow]) -> QueryResult<usize> {
        let mut n = 0;
        for row in rows {
            let present: bool = diesel::select(diesel::dsl::exists(
                published_subtotals::table.filter(published_subtotals::scope.eq(&row.scope)),
            ))
            .get_result(conn)?;
            if !present {
                n += diesel::insert_into(published_subtotals::table)
                    .values(row.clone())
                    .execute(conn)?;
            }
        }
        Ok(n)
    }
}
