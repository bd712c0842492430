//! `keyproj backup --to FILE`: a consistent copy of a live SQLite database, taken while the
//! server keeps serving. `VACUUM INTO` reads one snapshot (WAL readers never block writers,
//! nor writers them), so the copy holds every transaction committed before it began and
//! none of a transaction in flight.
//!
//! The copy is written under a hidden name beside FILE, synced, checked
//! (`PRAGMA integrity_check`, and readable as a keyproj database), and only then renamed to
//! FILE: a file of that name is always a whole backup, never a half-written one.
//!
//! PostgreSQL has its own tool for this, `pg_dump`; see docs/operations.md.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, QueryableByName, RunQueryDsl};

use crate::db::{DbConnection, Engine};
use crate::migrate_data::{self, TableCheck};

/// What was written.
#[derive(Debug)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    /// Row counts and money sums of the copy, table by table.
    pub tables: Vec<TableCheck>,
}

impl Backup {
    pub fn print(&self) {
        println!(
            "wrote {} ({} bytes, {:.1} MiB); PRAGMA integrity_check: ok",
            self.path.display(),
            self.bytes,
            self.bytes as f64 / (1024.0 * 1024.0)
        );
        println!("{:<22} {:>8}   money sums", "table", "rows");
        for t in &self.tables {
            let sums: Vec<String> = t
                .sums
                .iter()
                .map(|(col, sum)| format!("{col} {sum}"))
                .collect();
            println!("{:<22} {:>8}   {}", t.table, t.rows, sums.join("; "));
        }
    }
}

/// Refusal for a PostgreSQL database, naming the tool that does the job there.
pub const POSTGRES_REFUSAL: &str = "keyproj backup copies SQLite databases only. Back up PostgreSQL with its own tool: \
     pg_dump -Fc --dbname=URL --file=FILE, restore with pg_restore (see docs/operations.md, “Backups and restore”)";

/// Copies the SQLite database at `database_url` to `to`. An existing `to` is refused unless
/// `force`.
pub fn run(database_url: &str, to: &Path, force: bool) -> anyhow::Result<Backup> {
    let source = match Engine::from_url(database_url) {
        Engine::Postgres(_) => bail!(POSTGRES_REFUSAL),
        Engine::Sqlite(path) => PathBuf::from(path),
    };
    if !source.is_file() {
        bail!("there is no SQLite database at {}", source.display());
    }
    if to.is_dir() {
        bail!("{} is a folder; name the backup file", to.display());
    }
    if to.exists() {
        if same_file(&source, to)? {
            bail!("{} is the database itself", to.display());
        }
        if !force {
            bail!(
                "{} exists already; pass --force to replace it",
                to.display()
            );
        }
    }
    let name = to
        .file_name()
        .with_context(|| format!("{} names no file", to.display()))?;
    let dir = match to.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let partial = dir.join(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    // a leftover of a killed run with our pid would make VACUUM INTO refuse
    let _ = std::fs::remove_file(&partial);
    let written = copy_and_check(&source, &partial);
    let tables = match written {
        Ok(tables) => tables,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, to)
        .with_context(|| format!("renaming {} to {}", partial.display(), to.display()))?;
    // the rename itself must survive a power cut
    File::open(&dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("syncing the folder {}", dir.display()))?;
    let bytes = std::fs::metadata(to)?.len();
    Ok(Backup {
        path: to.to_path_buf(),
        bytes,
        tables,
    })
}

/// `VACUUM INTO` the partial file, sync it, and read it back.
fn copy_and_check(source: &Path, partial: &Path) -> anyhow::Result<Vec<TableCheck>> {
    let partial_name = partial
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", partial.display()))?;
    let mut conn = open(source)?;
    // a bound parameter, not a quoted literal: any file name is safe
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(partial_name)
        .execute(&mut conn)
        .with_context(|| format!("copying {} (VACUUM INTO)", source.display()))?;
    drop(conn);
    File::open(partial)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("syncing {}", partial.display()))?;

    let mut copy = open(partial)?;
    let integrity = integrity_check(&mut copy)?;
    if integrity != "ok" {
        bail!("the copy fails PRAGMA integrity_check: {integrity}");
    }
    let mut copy = DbConnection::Sqlite(copy);
    migrate_data::inventory(&mut copy).context("reading the copy as a keyproj database")
}

fn open(path: &Path) -> anyhow::Result<SqliteConnection> {
    let url = path
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", path.display()))?;
    let mut conn =
        SqliteConnection::establish(url).with_context(|| format!("opening {}", path.display()))?;
    // the server holds the write lock for moments at a time; wait for it rather than fail
    conn.batch_execute("PRAGMA busy_timeout = 10000;")?;
    Ok(conn)
}

#[derive(QueryableByName)]
struct IntegrityLine {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// `PRAGMA integrity_check`: "ok", or the problems found, one per line.
pub fn integrity_check(conn: &mut SqliteConnection) -> anyhow::Result<String> {
    let lines: Vec<IntegrityLine> = diesel::sql_query("PRAGMA integrity_check").load(conn)?;
    Ok(lines
        .into_iter()
        .map(|l| l.integrity_check)
        .collect::<Vec<_>>()
        .join("\n"))
}

fn same_file(a: &Path, b: &Path) -> anyhow::Result<bool> {
    Ok(a.canonicalize()? == b.canonicalize()?)
}
