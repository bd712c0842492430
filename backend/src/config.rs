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
        /// Empty a target that already holds data, instead of refusing.
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// The database: a SQLite file (created if missing), e.g. `data/keyproj.db` or
    /// `sqlite://data/keyproj.db`, or a PostgreSQL URL `postgres://user:password@host/db`.
    #[arg(long, env = "KEYPROJ_DATABASE_URL", default_value = "data/keyproj.db")]
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
}
