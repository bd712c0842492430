//! The data version: one number in the database (table `data_version`, one row) that moves
//! with every write that changes what the public reads show. The read routes derive their
//! ETag from it (`routes::conditional`), so a client that already has the current answer gets
//! a 304 after one primary-key read, and every server sharing the database agrees.
//!
//! **Every write transaction that changes projects, reports or anything else a public read
//! shows must call [`bump`] before it commits**, as its last statement: edits, report
//! submission and review, seeding and `migrate-data` do. A write that forgets it leaves
//! browsers showing the data as it was until the next write.

use diesel::prelude::*;

use super::DbConnection;
use crate::schema::data_version;

/// The version a read request's ETag was made from, read before its data
/// (`routes::conditional` puts it in the request's extensions for the handler).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtRequest(pub i64);

/// The only row's key.
const ROW: i32 = 1;

/// Raises the version by one, inside the caller's write transaction: readers see the new
/// version and the new data together, at commit. Called last, so that on PostgreSQL the row
/// lock it takes is held for the shortest time and always after the transaction's other
/// locks (no lock-order deadlock between writers).
pub fn bump(conn: &mut DbConnection) -> QueryResult<()> {
    let n = diesel::update(data_version::table.find(ROW))
        .set(data_version::version.eq(data_version::version + 1))
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(diesel::result::Error::NotFound)
    }
}

/// The current version: one read by primary key.
pub fn current(conn: &mut DbConnection) -> QueryResult<i64> {
    data_version::table
        .find(ROW)
        .select(data_version::version)
        .first(conn)
}

/// Sets the version past `at_least` (and past its own), for a database that takes over from
/// another (`migrate-data`): tags the old one handed out must never name the new one's data.
pub fn move_past(conn: &mut DbConnection, at_least: i64) -> QueryResult<()> {
    let next = current(conn)?.max(at_least) + 1;
    diesel::update(data_version::table.find(ROW))
        .set(data_version::version.eq(next))
        .execute(conn)
        .map(drop)
}

/// How many versions the change log (`warning_changes`) keeps: each write that records its
/// projects drops the records of versions this far behind it. A server whose cached month is
/// older than the oldest kept record finds a version without one in [`touched_since`] and
/// re-judges everything, as after any write that did not say what it touched: pruning costs
/// a long-idle cache one full judging, never a missed change.
pub const CHANGES_KEPT: i64 = 1_000;

/// [`bump`], saying which projects the write touched (their plans, reports or master data):
/// records (new version, project) in the same transaction, so that a server's cached
/// warnings (`crate::verdicts`) re-judge only these projects instead of all of them.
pub fn bump_touching(conn: &mut DbConnection, project_ids: &[i32]) -> QueryResult<()> {
    use crate::schema::warning_changes;
    bump(conn)?;
    let version = current(conn)?;
    let mut ids = project_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    // one row at a time: the connection serving both engines has no multi-row insert, and a
    // write touches a handful of projects (an import: one per report)
    for id in ids {
        diesel::insert_into(warning_changes::table)
            .values((
                warning_changes::version.eq(version),
                warning_changes::project_id.eq(id),
            ))
            .execute(conn)?;
    }
    // by the primary key's first column: the rows of the oldest versions, usually none or one
    diesel::delete(
        warning_changes::table.filter(warning_changes::version.le(version - CHANGES_KEPT)),
    )
    .execute(conn)?;
    Ok(())
}

/// What the versions after `after`, up to `upto`, touched: `None` when some version in that
/// range left no record (a write that did not say what it touched, or a jump of the version
/// by `move_past`), and so anything may have changed.
pub fn touched_since(
    conn: &mut DbConnection,
    after: i64,
    upto: i64,
) -> QueryResult<Option<Vec<i32>>> {
    use crate::schema::warning_changes;
    if upto <= after {
        return Ok(Some(Vec::new()));
    }
    let rows: Vec<(i64, i32)> = warning_changes::table
        .filter(warning_changes::version.gt(after))
        .filter(warning_changes::version.le(upto))
        .select((warning_changes::version, warning_changes::project_id))
        .load(conn)?;
    let mut versions: Vec<i64> = rows.iter().map(|(v, _)| *v).collect();
    versions.sort_unstable();
    versions.dedup();
    if versions.len() as i64 != upto - after {
        return Ok(None);
    }
    let mut ids: Vec<i32> = rows.into_iter().map(|(_, id)| id).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(Some(ids))
}
