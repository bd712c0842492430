//! The connection pool, for either engine. SQLite (embedded, bundled) is the default;
//! a `postgres://` URL selects PostgreSQL. Queries are written once against the
//! `DbConnection` enum, whose backend only allows what both engines understand.

pub mod data_version;
mod version_reads;
pub use version_reads::VersionReads;
mod statements;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::pg::sql_state;
use diesel::r2d2::{ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
pub use statements::StatementCounter;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<Manager>;
pub type PooledConn = PooledConnection<Manager>;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

const BUSY_TIMEOUT_MS: u32 = 5_000;

/// Which engine a database URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    Sqlite(String),
    Postgres(String),
}

impl Engine {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite://path`, `sqlite:path` or a
    /// bare path is a SQLite file.
    pub fn from_url(url: &str) -> Engine {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Engine::Postgres(url.to_string());
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        Engine::Sqlite(path.to_string())
    }

    pub fn name(&self) -> &'static str {
        match self {
            Engine::Sqlite(_) => "sqlite",
            Engine::Postgres(_) => "postgres",
        }
    }
}

/// Opens connections of one engine only: a PostgreSQL URL that cannot connect must fail,
/// never fall back to creating a SQLite file of that name.
#[derive(Debug)]
pub struct Manager {
    engine: Engine,
    counter: Option<StatementCounter>,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        match &self.engine {
            Engine::Postgres(url) => {
                let mut conn =
                    PgConnection::establish(url).map_err(diesel::r2d2::Error::ConnectionError)?;
                if let Some(c) = &self.counter {
                    conn.set_instrumentation(c.instrumentation());
                }
                Ok(DbConnection::Postgres(conn))
            }
            Engine::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                // SQLite keeps these per connection, and forgets foreign keys by default
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {BUSY_TIMEOUT_MS};
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = FULL;
                     PRAGMA foreign_keys = ON;"
                ))
                .map_err(diesel::r2d2::Error::QueryError)?;
                if let Some(c) = &self.counter {
                    conn.set_instrumentation(c.instrumentation());
                }
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    /// Only used where a pool is built with `test_on_check_out`; keyproj's is not (see
    /// `connect`).
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    /// r2d2 asks this, without blocking, each time a connection goes back to the pool. A
    /// connection left inside a transaction or in diesel's error state is dropped, and so is
    /// a PostgreSQL connection whose server is gone (libpq then reports no server version),
    /// so the next checkout gets a fresh one instead of a round trip to test every checkout.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking()
            || conn.is_broken()
            || matches!(conn, DbConnection::Postgres(c) if c.version().is_err())
    }
}

/// Runs `f` with a pooled connection off the actix worker, which must never wait on the
/// database.
pub async fn with_conn<T, F>(pool: &DbPool, f: F) -> Result<T, crate::error::ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, crate::error::ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

/// Opens the pool and brings the schema up to date.
pub fn connect(database_url: &str, size: u32) -> anyhow::Result<DbPool> {
    connect_counted(database_url, size, None)
}

/// `connect`, counting every SQL statement the pool's connections run in `counter` when
/// given (the tests' measure of statements per request).
pub fn connect_counted(
    database_url: &str,
    size: u32,
    counter: Option<StatementCounter>,
) -> anyhow::Result<DbPool> {
    let pool = pool_of(database_url, size, counter)?;
    let mut conn = pool.get().context("getting a connection to migrate")?;
    migrate(&mut conn)?;
    crate::audit::chain::seal_on_start(&mut conn)?;
    Ok(pool)
}

/// A pool on a database `connect` has brought up to date already, e.g. the data version's
/// own connection (`VersionReads`).
pub fn pool_of(
    database_url: &str,
    size: u32,
    counter: Option<StatementCounter>,
) -> anyhow::Result<DbPool> {
    let engine = Engine::from_url(database_url);
    if let Engine::Sqlite(path) = &engine
        && let Some(dir) = Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the database folder {}", dir.display()))?;
    }
    let shown = match &engine {
        Engine::Sqlite(path) => path.clone(),
        Engine::Postgres(_) => "the PostgreSQL database".to_string(),
    };
    Pool::builder()
        .max_size(size.max(1))
        // no `SELECT 1` per checkout: `has_broken` drops bad connections on their way back
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(10))
        .build(Manager {
            engine: engine.clone(),
            counter,
        })
        .with_context(|| format!("opening {shown}"))
}

/// One connection to a database as it is, neither migrated nor seeded: for tools that must
/// only read, such as `keyproj audit verify`.
pub fn open(database_url: &str) -> anyhow::Result<DbConnection> {
    let engine = Engine::from_url(database_url);
    if let Engine::Sqlite(path) = &engine
        && !Path::new(path).exists()
    {
        anyhow::bail!("there is no database at {path}");
    }
    Manager {
        engine,
        counter: None,
    }
    .connect()
    .context("opening the database")
}

fn migrate(conn: &mut DbConnection) -> anyhow::Result<()> {
    let result = match conn {
        // two servers starting together on one file must not both migrate: the write lock,
        // taken first, makes the second wait and then find nothing pending
        DbConnection::Sqlite(c) => {
            c.immediate_transaction(|c| c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()))
        }
        DbConnection::Postgres(c) => {
            // two servers starting together must not both migrate
            c.batch_execute("SELECT pg_advisory_lock(7061)")?;
            let r = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            c.batch_execute("SELECT pg_advisory_unlock(7061)")?;
            r
        }
    };
    result.map_err(|e| anyhow::anyhow!("running migrations: {e}"))
}

/// Errors that mean "another writer got in the way; the same work may succeed again":
/// PostgreSQL's serialization failure (40001) and deadlock (40P01), SQLite's busy database.
pub trait Contention {
    fn is_contention(&self) -> bool;
}

impl Contention for diesel::result::Error {
    fn is_contention(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
            // by SQLSTATE, which a server with localised messages still sends as is
            Error::DatabaseError(_, info) => match info.sqlstate() {
                Some(code) => matches!(
                    code,
                    sql_state::T_R_SERIALIZATION_FAILURE | sql_state::T_R_DEADLOCK_DETECTED
                ),
                // SQLite has no SQLSTATE and no translations: its SQLITE_BUSY text is fixed
                None => info.message().contains("database is locked"),
            },
            _ => false,
        }
    }
}

impl Contention for anyhow::Error {
    fn is_contention(&self) -> bool {
        self.chain().any(|e| {
            e.downcast_ref::<diesel::result::Error>()
                .is_some_and(Contention::is_contention)
        })
    }
}

const WRITE_ATTEMPTS: u32 = 4;

/// A transaction for writes, retried from the start when it loses to another writer (see
/// `Contention`); what is still contended after that goes back to the caller, which answers
/// 503. On SQLite it is `BEGIN IMMEDIATE`, taking the write lock at the start so two writers
/// queue on the busy timeout instead of failing halfway; on PostgreSQL an ordinary one.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    mut f: impl FnMut(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error> + Contention,
{
    let mut attempt = 1;
    loop {
        match transaction_once(conn, &mut f) {
            Err(e) if e.is_contention() && attempt < WRITE_ATTEMPTS => {
                tracing::warn!(attempt, "write transaction contended; retrying");
                std::thread::sleep(Duration::from_millis(20 * u64::from(attempt)));
                attempt += 1;
            }
            result => return result,
        }
    }
}

fn transaction_once<T, E>(
    conn: &mut DbConnection,
    f: &mut impl FnMut(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        DbConnection::Postgres(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    let result = f(conn);
    let end = match (&result, &mut *conn) {
        (Ok(_), DbConnection::Sqlite(c)) => AnsiTransactionManager::commit_transaction(c),
        (Ok(_), DbConnection::Postgres(c)) => AnsiTransactionManager::commit_transaction(c),
        (Err(_), DbConnection::Sqlite(c)) => AnsiTransactionManager::rollback_transaction(c),
        (Err(_), DbConnection::Postgres(c)) => AnsiTransactionManager::rollback_transaction(c),
    };
    let value = result?;
    end?;
    Ok(value)
}

/// Serialises a section across every server sharing a PostgreSQL database, until the
/// enclosing transaction ends; SQLite's immediate transaction already does.
pub fn lock_for_transaction(conn: &mut DbConnection, key: i64) -> diesel::QueryResult<()> {
    if let DbConnection::Postgres(c) = conn {
        c.batch_execute(&format!("SELECT pg_advisory_xact_lock({key})"))?;
    }
    Ok(())
}

/// Like `lock_for_transaction`, for one key within a class of keys (e.g. one project's
/// reports): `pg_advisory_xact_lock(class, key)`. Take locks of several classes always in the
/// same order (ascending class) so two transactions never wait on each other.
pub fn lock_pair(conn: &mut DbConnection, class: i32, key: i32) -> diesel::QueryResult<()> {
    if let DbConnection::Postgres(c) = conn {
        c.batch_execute(&format!("SELECT pg_advisory_xact_lock({class}, {key})"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error, SqlState};

    use super::*;

    /// A server error as libpq would hand it over: a code and a message in the server's
    /// language.
    struct ServerSaid(Option<&'static str>, &'static str);

    impl DatabaseErrorInformation for ServerSaid {
        fn message(&self) -> &str {
            self.1
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
        fn sqlstate(&self) -> Option<SqlState> {
            self.0.and_then(|c| c.parse().ok())
        }
    }

    fn error(code: Option<&'static str>, message: &'static str) -> Error {
        Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(ServerSaid(code, message)),
        )
    }

    #[test]
    fn contention_is_told_by_sqlstate_whatever_language_the_server_speaks() {
        assert!(error(Some("40P01"), "检测到死锁").is_contention());
        assert!(error(Some("40P01"), "Verklemmung (Deadlock) entdeckt").is_contention());
        assert!(error(Some("40001"), "could not serialize access").is_contention());
        // the English words without the code are not enough on PostgreSQL…
        assert!(!error(Some("23505"), "deadlock detected").is_contention());
        assert!(!error(Some("XX000"), "database is locked").is_contention());
        // …and SQLite, which has no SQLSTATE, is told by its fixed SQLITE_BUSY text
        assert!(error(None, "database is locked").is_contention());
        assert!(!error(None, "UNIQUE constraint failed: users.username").is_contention());
        assert!(
            Error::DatabaseError(
                DatabaseErrorKind::SerializationFailure,
                Box::new(String::from("x"))
            )
            .is_contention()
        );
    }
}
