//! What the API tests, the browser tests and the benches share: running programs, the real
//! `keyproj` binary among them, as child processes on free ports. The tests themselves live
//! in tests/api and tests/browser.

use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A port nothing listens on now, for a child process to bind.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A child process, killed when this is dropped, so a failing test leaves none behind.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `keyproj` server process.
pub struct Server {
    pub process: Running,
    pub address: String,
}

impl Server {
    /// Starts `binary` serving `database_url` on a free loopback port, with `extra` arguments;
    /// it has not necessarily answered yet.
    pub fn start(binary: &Path, database_url: &str, extra: &[&str]) -> Server {
        let port = free_port();
        let child = Command::new(binary)
            .args(["--database-url", database_url])
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", binary.display()));
        Server {
            process: Running(child),
            address: format!("http://127.0.0.1:{port}"),
        }
    }

    pub fn pid(&self) -> u32 {
        self.process.0.id()
    }
}

/// Adds an account with `binary user add`, the password given on stdin as an admin would.
pub fn add_user(
    binary: &Path,
    database_url: &str,
    (username, role, org): (&str, &str, Option<&str>),
    password: &str,
) {
    use std::io::Write;
    let mut cmd = Command::new(binary);
    cmd.args(["--database-url", database_url, "user", "add"])
        .args(["--username", username, "--role", role]);
    if let Some(o) = org {
        cmd.args(["--org", o]);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("keyproj user add");
    child
        .stdin
        .as_mut()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("password");
    assert!(
        child.wait().expect("user add").success(),
        "user add {username}"
    );
}

/// The `p` quantile (0 to 1) of sorted samples, by nearest rank.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}
