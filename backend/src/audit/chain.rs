//! The audit trail as a hash chain. Each entry's `hash` is the SHA-256 of its content (every
//! column, see `AuditContent`) and of `prev_hash`, the hash of the entry before it; the first
//! links to `GENESIS`. Rewriting, removing or reordering an entry then breaks the chain at
//! that entry or the next one, which `audit::verify` finds.
//!
//! Appending reads the newest entry and inserts after it in one serialised step: on SQLite
//! the write transaction is `BEGIN IMMEDIATE`, which admits one writer at a time; on
//! PostgreSQL `LOCK` below is taken inside the transaction that makes the audited change, so
//! servers sharing the database append one after another. The unique index on `prev_hash`
//! refuses a fork even if a writer skipped the lock.

use diesel::QueryResult;
use sha2::{Digest, Sha256};

use crate::auth::hex;
use crate::db::{self, DbConnection};
use crate::models::audit::{AuditContent, AuditRow, SealedAuditRow};

/// What the first entry links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The advisory-lock class (`db::lock_pair`) of the chain's head. Above every other class:
/// an entry is appended after the change it records, so this lock is taken last.
const LOCK: i32 = 100;

/// Tells the encoding apart from any later one.
const DOMAIN: &[u8] = b"keyproj audit v1\n";

/// The seal of `content` linked to `prev_hash`: SHA-256 over an unambiguous encoding, each
/// text length-prefixed and each absent value marked, so no two contents encode alike.
pub fn seal(content: &AuditContent<'_>, prev_hash: &str) -> String {
    fn text(h: &mut Sha256, s: Option<&str>) {
        match s {
            None => h.update(b"N"),
            Some(s) => {
                h.update(b"T");
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
        }
    }
    fn int(h: &mut Sha256, i: Option<i32>) {
        match i {
            None => h.update(b"N"),
            Some(i) => {
                h.update(b"I");
                h.update(i64::from(i).to_be_bytes());
            }
        }
    }
    // every field named: a new column does not compile until it is sealed too
    let AuditContent {
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
    } = content;
    let mut h = Sha256::new();
    h.update(DOMAIN);
    int(&mut h, Some(*id));
    text(&mut h, Some(at));
    int(&mut h, *user_id);
    text(&mut h, Some(username));
    text(&mut h, Some(role));
    int(&mut h, *organisation_id);
    text(&mut h, Some(entity));
    text(&mut h, Some(entity_id));
    text(&mut h, Some(action));
    text(&mut h, *before_json);
    text(&mut h, *after_json);
    text(&mut h, Some(request_id));
    text(&mut h, Some(prev_hash));
    hex(&h.finalize())
}

/// Appends one entry after the newest, sealed; its id is assigned here (`content.id` is
/// ignored), the next after the newest, so that ids follow the chain. Call inside the write
/// transaction that makes the change (`db::write_transaction`).
pub fn append(conn: &mut DbConnection, mut content: AuditContent<'_>) -> QueryResult<()> {
    db::lock_pair(conn, LOCK, 0)?;
    let (last_id, prev_hash) = match AuditRow::head(conn)? {
        None => (0, GENESIS.to_string()),
        Some((id, Some(hash))) => (id, hash),
        // entries from before the chain that start-up has not sealed yet: seal them now
        Some((id, None)) => {
            seal_pending(conn)?;
            let hash = AuditRow::head(conn)?.and_then(|(_, h)| h).ok_or_else(|| {
                diesel::result::Error::QueryBuilderError(
                    "the audit trail's newest entry cannot be sealed".into(),
                )
            })?;
            (id, hash)
        }
    };
    content.id = last_id + 1;
    let hash = seal(&content, &prev_hash);
    SealedAuditRow {
        content,
        prev_hash: &prev_hash,
        hash: &hash,
    }
    .insert(conn)?;
    Ok(())
}

/// Seals entries written before the chain existed, in id order, after the newest sealed
/// entry before them. Only a tail is sealed: an unsealed entry followed by sealed ones is
/// damage for `verify` to report, not something to paper over. Returns how many it sealed.
fn seal_pending(conn: &mut DbConnection) -> QueryResult<usize> {
    let rows = AuditRow::unsealed(conn)?;
    let Some(first) = rows.first() else {
        return Ok(0);
    };
    if AuditRow::sealed_after(conn, first.id)? {
        tracing::error!(
            id = first.id,
            "audit entry {} has no seal but later entries do; run `keyproj audit verify`",
            first.id
        );
        return Ok(0);
    }
    let mut prev = AuditRow::sealed_before(conn, first.id)?
        .and_then(|r| r.hash)
        .unwrap_or_else(|| GENESIS.to_string());
    for r in &rows {
        let hash = seal(&r.content(), &prev);
        AuditRow::seal(conn, r.id, &prev, &hash)?;
        prev = hash;
    }
    Ok(rows.len())
}

/// After the migrations, whenever keyproj opens a database (`db::connect`): seals the entries
/// it had before the chain (the migration cannot, SQLite having no SHA-256). Serialised with
/// appends and with other processes starting, so the old entries are sealed once, before any
/// new one links to them.
pub fn seal_on_start(conn: &mut DbConnection) -> anyhow::Result<()> {
    if AuditRow::unsealed(conn)?.is_empty() {
        return Ok(());
    }
    let sealed = db::write_transaction(conn, |conn| -> anyhow::Result<usize> {
        db::lock_pair(conn, LOCK, 0)?;
        Ok(seal_pending(conn)?)
    })?;
    if sealed > 0 {
        tracing::info!(sealed, "sealed audit entries written before the hash chain");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(username: &'a str, role: &'a str, after: Option<&'a str>) -> AuditContent<'a> {
        AuditContent {
            id: 7,
            at: "2026-12-05T01:00:00Z",
            user_id: Some(3),
            username,
            role,
            organisation_id: None,
            entity: "project",
            entity_id: "B09",
            action: "edit",
            before_json: None,
            after_json: after,
            request_id: "r1",
        }
    }

    #[test]
    fn the_seal_of_a_fixed_entry_never_changes_so_existing_chains_keep_verifying() {
        // computed independently from the encoding in docs/api.md (Python hashlib)
        assert_eq!(
            seal(&entry("li", "planner", Some("{}")), GENESIS),
            "22db2712a29f7eca4c84c25b0383c13b7d3fc28ddc7c256e5bfcba8e1057909f"
        );
    }

    #[test]
    fn text_moved_between_fields_or_an_empty_text_for_a_null_changes_the_seal() {
        let base = seal(&entry("li", "planner", Some("")), GENESIS);
        assert_ne!(base, seal(&entry("lip", "lanner", Some("")), GENESIS));
        assert_ne!(base, seal(&entry("li", "planner", None), GENESIS));
        let other_prev = "1".repeat(64);
        assert_ne!(base, seal(&entry("li", "planner", Some("")), &other_prev));
    }
}
