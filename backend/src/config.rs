//! Typed configuration, read once in main and passed down; nothing reads the environment later.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "keyproj",
    version,
    about = "湘潭市“十四五”民政事业发展规划重点项目 tracker"
)]
pub struct Settings {
    /// SQLite database file (created if missing), e.g. `data/keyproj.db` or `sqlite://data/keyproj.db`.
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
