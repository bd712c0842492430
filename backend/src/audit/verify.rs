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
    /// The chain holds together, but this entry's hash is not the one recorded earlier
    /// (`Anchor`): the chain was rewritten up to here and resealed.
    Anchor { expected: String, found: String },
    /// The entry recorded earlier (`Anchor`) is gone: the chain was cut or rewritten.
    Missing,
}

/// An entry's id and hash as `verify` printed them once and someone kept elsewhere: the
/// chain must still hold it. Written `ID:HASH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: i32,
    pub hash: String,
}

impl std::str::FromStr for Anchor {
    type Err = String;

    fn from_str(s: &str) -> Result<Anchor, String> {
        let (id, hash) = s
            .split_once(':')
            .ok_or_else(|| format!("expected ID:HASH, got {s:?}"))?;
        let id = id
            .parse()
            .map_err(|e| format!("{id:?} is not an id: {e}"))?;
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{hash:?} is not a SHA-256 in hex"));
        }
        Ok(Anchor { id, hash })
    }
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
/// `GENESIS`), that its content gives its hash, and that the `anchor` entry, if given, still
/// has the hash recorded for it. Stops at the first entry that does not.
pub fn verify(conn: &mut DbConnection, anchor: Option<&Anchor>) -> QueryResult<Verdict> {
    let mut prev: Option<(i32, String)> = None;
    let mut rows = 0u64;
    loop {
        let after = prev.as_ref().map_or(i32::MIN, |(id, _)| *id);
        let slice = AuditRow::after(conn, after, SLICE)?;
        let next = slice.first().map(|r| r.id);
        if let Some(b) = missing(anchor, &prev, next, rows) {
            return Ok(b);
        }
        if slice.is_empty() {
            return Ok(Verdict::Intact { rows, head: prev });
        }
        for row in slice {
            if let Some(b) = missing(anchor, &prev, Some(row.id), rows) {
                return Ok(b);
            }
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
            if let Some(a) = anchor.filter(|a| a.id == row.id && a.hash != *hash) {
                return broken(Fault::Anchor {
                    expected: a.hash.clone(),
                    found: hash.clone(),
                });
            }
            rows += 1;
            prev = Some((row.id, hash.clone()));
        }
    }
}

/// The anchor's entry is missing if the walk, between `prev` and `next` (the end when
/// `None`), passes its id without meeting it.
fn missing(
    anchor: Option<&Anchor>,
    prev: &Option<(i32, String)>,
    next: Option<i32>,
    rows: u64,
) -> Option<Verdict> {
    let prev_id = prev.as_ref().map(|(id, _)| *id);
    let a = anchor?;
    let passed = prev_id.is_none_or(|p| a.id > p) && next.is_none_or(|n| a.id < n);
    passed.then_some(Verdict::Broken(Break {
        id: a.id,
        previous_id: prev_id,
        intact: rows,
        fault: Fault::Missing,
    }))
}

/// `verify` on the database a URL names, opened as it is.
pub fn verify_database(database_url: &str, anchor: Option<&Anchor>) -> anyhow::Result<Verdict> {
    let mut conn = db::open(database_url)?;
    Ok(verify(&mut conn, anchor)?)
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
                    Fault::Anchor { expected, found } => write!(
                        f,
                        "anchor: its hash is {found}, not {expected} as recorded; the chain was rewritten up to here"
                    )?,
                    Fault::Missing => write!(
                        f,
                        "anchor: the recorded entry is gone; the chain was cut or rewritten"
                    )?,
                }
                write!(f, " ({} entries before it match)", b.intact)
            }
        }
    }
}
