//! `keyproj audit verify`: walks the chain in id order and names the first entry that does
//! not match, reading only: it neither migrates nor seals what it checks.

use std::fmt;

use diesel::QueryResult;

use super::chain::{GENESIS, seal};
use crate::db::{self, DbConnection};
use crate::models::audit::AuditRow;

/// Entries read per query.
const SLICE: i64 = 1_000;

/// What is wrong with the first entry that does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// No seal at all (written before the chain and never sealed, or its seal erased).
    Unsealed,
    /// It links to `found`, but the entry before it has hash `expected`: an entry before it
    /// was removed, inserted or moved.
    Link { expected: String, found: String },
    /// Its content no longer gives its stored hash: it was edited.
    Content { stored: String, computed: String },
}

/// The first entry that does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub id: i32,
    /// The entry before it in id order, if any.
    pub previous_id: Option<i32>,
    /// How many entries before it matched.
    pub intact: u64,
    pub fault: Fault,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry matches; `head` is the newest entry's id and hash, worth recording
    /// elsewhere (see docs/api.md): whoever rewrites the whole chain changes it.
    Intact {
        rows: u64,
        head: Option<(i32, String)>,
    },
    Broken(Break),
}

impl Verdict {
    pub fn is_intact(&self) -> bool {
        matches!(self, Verdict::Intact { .. })
    }
}

/// Checks every entry, oldest first: that it links to the entry before it (the first to
/// `GENESIS`), and that its content gives its hash. Stops at the first that does not.
pub fn verify(conn: &mut DbConnection) -> QueryResult<Verdict> {
    let mut prev: Option<(i32, String)> = None;
    let mut rows = 0u64;
    loop {
        let after = prev.as_ref().map_or(i32::MIN, |(id, _)| *id);
        let slice = AuditRow::after(conn, after, SLICE)?;
        if slice.is_empty() {
            return Ok(Verdict::Intact { rows, head: prev });
        }
        for row in slice {
            let broken = |fault| {
                Ok(Verdict::Broken(Break {
                    id: row.id,
                    previous_id: prev.as_ref().map(|(id, _)| *id),
                    intact: rows,
                    fault,
                }))
            };
            let (Some(prev_hash), Some(hash)) = (&row.prev_hash, &row.hash) else {
                return broken(Fault::Unsealed);
            };
            let expected = prev.as_ref().map_or(GENESIS, |(_, h)| h.as_str());
            if prev_hash != expected {
                return broken(Fault::Link {
                    expected: expected.to_string(),
                    found: prev_hash.clone(),
                });
            }
            let computed = seal(&row.content(), prev_hash);
            if &computed != hash {
                return broken(Fault::Content {
                    stored: hash.clone(),
                    computed,
                });
            }
            rows += 1;
            prev = Some((row.id, hash.clone()));
        }
    }
}

/// `verify` on the database a URL names, opened as it is.
pub fn verify_database(database_url: &str) -> anyhow::Result<Verdict> {
    let mut conn = db::open(database_url)?;
    Ok(verify(&mut conn)?)
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Intact { rows, head: None } => {
                write!(f, "OK: the audit trail is empty ({rows} entries)")
            }
            Verdict::Intact {
                rows,
                head: Some((id, hash)),
            } => write!(
                f,
                "OK: {rows} audit entries form one unbroken chain; the newest is entry {id}, hash {hash}"
            ),
            Verdict::Broken(b) => {
                let before = match b.previous_id {
                    Some(id) => format!("the entry before it (id {id})"),
                    None => "the start of the chain".to_string(),
                };
                write!(f, "BROKEN at audit entry id {}: ", b.id)?;
                match &b.fault {
                    Fault::Unsealed => write!(f, "it has no hash")?,
                    Fault::Link { expected, found } => write!(
                        f,
                        "link: its prev_hash is {found}, but {before} has hash {expected}; an entry was removed, inserted or moved"
                    )?,
                    Fault::Content { stored, computed } => write!(
                        f,
                        "content hash: its content hashes to {computed}, not to its stored hash {stored}; the entry was edited"
                    )?,
                }
                write!(f, " ({} entries before it match)", b.intact)
            }
        }
    }
}
