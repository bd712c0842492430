//! Typed configuration, read once in main and passed down; nothing reads the environment later.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "keyproj",
    version,
    about = "湘潭市“十四五”民政事业发展规划重点项目 tracker"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    /// Without a command, keyproj serves.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Copy a whole database to another (e.g. SQLite to PostgreSQL) and verify the copy.
    MigrateData {
        /// The database to copy, e.g. `sqlite://data/keyproj.db`.
        #[arg(long)]
        from: String,
        /// The database to fill, e.g. `postgres://user@host/keyproj`.
        #[arg(long)]
        to: String,
        /// Empty a target that already holds data, instead of refusing. Refused anyway when
        /// the target's audit trail is not empty: nothing may delete it.
        #[arg(long)]
        replace: bool,
    },
    /// Write a consistent copy of the SQLite database to FILE while the server keeps
    /// serving (PostgreSQL: use pg_dump, see docs/operations.md).
    Backup {
        /// The backup file to write.
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        /// Replace FILE if it exists, instead of refusing.
        #[arg(long)]
        force: bool,
    },
    /// Manage accounts: `user add`, `user disable`, `user enable`, `user list`.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Check the audit trail: `audit verify`.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit trail's hash chain; print OK and the number of entries, or name the
    /// first entry that does not match and exit with status 1.
    Verify {
        /// `ID:HASH` of an entry as an earlier `verify` printed it, kept where the database's
        /// holder cannot write: the chain must still hold it, which catches a trail rewritten
        /// and resealed, or cut.
        #[arg(long)]
        anchor: Option<crate::audit::verify::Anchor>,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from stdin (one line, at least 10 characters).
    Add {
        #[arg(long)]
        username: String,
        /// admin, planner, finance or owner.
        #[arg(long)]
        role: String,
        /// For owners: the organisation's name as published, e.g. "韶山市民政局".
        #[arg(long)]
        org: Option<String>,
    },
    /// Disable an account; its sessions end at once.
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled account again.
    Enable {
        #[arg(long)]
        username: String,
    },
    /// List every account.
    List,
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// The database: a SQLite file (created if missing), e.g. `data/keyproj.db` or
    /// `sqlite://data/keyproj.db`, or a PostgreSQL URL `postgres://user:password@host/db`.
    #[arg(
        long,
        env = "KEYPROJ_DATABASE_URL",
        default_value = "data/keyproj.db",
        global = true
    )]
    pub database_url: String,

    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "KEYPROJ_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// The built single-page app (trunk's output), served at `/`.
    #[arg(long, env = "KEYPROJ_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,

    /// Database connections in the pool.
    #[arg(long, env = "KEYPROJ_DB_POOL_SIZE", default_value_t = 8)]
    pub db_pool_size: u32,

    /// A session ends after this many seconds without a request.
    #[arg(long, env = "KEYPROJ_SESSION_IDLE_SECS", default_value_t = 30 * 60)]
    pub session_idle_secs: u64,

    /// A session ends this many seconds after login, whatever happens.
    #[arg(long, env = "KEYPROJ_SESSION_MAX_SECS", default_value_t = 12 * 60 * 60)]
    pub session_max_secs: u64,

    /// Behind a reverse proxy: take the client's IP, scheme and host from `Forwarded` /
    /// `X-Forwarded-For`/`-Proto`/`-Host` (login throttling, the cookie's `Secure`, the
    /// same-origin check). Leave off when clients reach keyproj directly, or they could pick
    /// any IP.
    #[arg(long, env = "KEYPROJ_TRUST_PROXY_HEADERS")]
    pub trust_proxy_headers: bool,

    /// Try-out mode: create one account per role (demo-admin, demo-planner, demo-finance,
    /// demo-owner of 韶山市民政局) with random passwords printed to the console, unless they
    /// exist already. Never on a production database.
    #[arg(long)]
    pub demo: bool,

    /// The OC4IDS open-data export (`GET /api/export/oc4ids.json`).
    #[command(flatten)]
    pub oc4ids: Oc4idsSettings,

    /// The bound of the public reads' response cache (`routes::response_cache`).
    #[command(flatten)]
    pub response_cache: ResponseCacheSettings,

    /// Counts every SQL statement the server runs. Not a flag: the tests count the
    /// statements of one request with it.
    #[arg(skip)]
    pub statement_counter: Option<crate::db::StatementCounter>,
}

/// How much the response cache of the public reads may hold (`routes::response_cache`).
#[derive(Debug, Clone, Args)]
pub struct ResponseCacheSettings {
    /// Answers kept at most; 0 turns the cache off.
    #[arg(
        long = "response-cache-entries",
        env = "KEYPROJ_RESPONSE_CACHE_ENTRIES",
        default_value_t = 4096
    )]
    pub entries: usize,

    /// Bytes kept at most (bodies, headers and URLs); an answer over an eighth of it is not kept.
    #[arg(
        long = "response-cache-bytes",
        env = "KEYPROJ_RESPONSE_CACHE_BYTES",
        default_value_t = 64 << 20
    )]
    pub bytes: usize,
}

impl Default for ResponseCacheSettings {
    fn default() -> Self {
        ResponseCacheSettings {
            entries: 4096,
            bytes: 64 << 20,
        }
    }
}

/// The placeholder project-identifier prefix: while it is in use, the package's publication
/// policy says that no prefix has been registered.
pub const OC4IDS_PLACEHOLDER_PREFIX: &str = "unregistered";

/// One keyset page of the OC4IDS stream: a few hundred kilobytes of JSON.
pub const OC4IDS_PAGE_SIZE: u32 = 500;

/// Who publishes the OC4IDS package and under which identifiers.
#[derive(Debug, Clone, Args)]
pub struct Oc4idsSettings {
    /// The package's publisher.
    #[arg(
        long = "oc4ids-publisher",
        env = "KEYPROJ_OC4IDS_PUBLISHER",
        default_value = "湘潭市民政局"
    )]
    pub publisher: String,

    /// The address users reach keyproj at; the package's `uri` and its publication-policy
    /// link start with it.
    #[arg(long = "oc4ids-base-url", env = "KEYPROJ_OC4IDS_BASE_URL", default_value = "http://127.0.0.1:8080", value_parser = base_url)]
    pub base_url: String,

    /// The OC4IDS project-identifier prefix registered for the publisher (project ids are
    /// `oc4ids-<prefix>-<code>`); the default is a placeholder until one is registered.
    #[arg(long = "oc4ids-prefix", env = "KEYPROJ_OC4IDS_PREFIX", default_value = OC4IDS_PLACEHOLDER_PREFIX, value_parser = id_prefix)]
    pub prefix: String,

    /// Projects read, mapped and sent per step of the stream. Not a flag: the tests make it
    /// small to cross page boundaries with the 87 projects.
    #[arg(skip = OC4IDS_PAGE_SIZE)]
    pub page_size: u32,
}

impl Default for Oc4idsSettings {
    fn default() -> Self {
        Oc4idsSettings {
            publisher: "湘潭市民政局".to_string(),
            base_url: "http://127.0.0.1:8080".to_string(),
            prefix: OC4IDS_PLACEHOLDER_PREFIX.to_string(),
            page_size: OC4IDS_PAGE_SIZE,
        }
    }
}

impl Oc4idsSettings {
    pub fn prefix_registered(&self) -> bool {
        self.prefix != OC4IDS_PLACEHOLDER_PREFIX
    }
}

/// An http(s) URL without a trailing slash, so that paths can be appended.
fn base_url(s: &str) -> Result<String, String> {
    let t = s.trim().trim_end_matches('/');
    let rest = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    if rest.is_empty() || rest.contains(|c: char| c.is_whitespace() || c == '?' || c == '#') {
        return Err(
            "must be an address like https://example.org or https://example.org/keyproj".into(),
        );
    }
    Ok(t.to_string())
}

/// Registered OC4IDS prefixes are short letters and digits (e.g. `bu3kcz`).
fn id_prefix(s: &str) -> Result<String, String> {
    let ok = !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(s.to_string())
    } else {
        Err("letters and digits only, e.g. bu3kcz".into())
    }
}
