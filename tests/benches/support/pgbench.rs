//! The same SQL statements the server runs for a set of list URLs, run by pgbench on the same
//! PostgreSQL server: the database's own ceiling for those requests. The statements are
//! recorded (diesel's instrumentation) while the library answers each URL as the server does:
//! the data version, then `catalog::project_page`. Their bind values are written in as
//! literals; each URL's statements are one pgbench script, all scripts in turn at random.

use std::process::Command;
use std::sync::{Arc, Mutex};

use diesel::Connection;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use keyproj::catalog;
use keyproj::db::{DbConnection, data_version};
use keyproj_shared::ListQuery;

struct Recorder(Arc<Mutex<Vec<String>>>);

impl Instrumentation for Recorder {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(query.to_string());
        }
    }
}

/// `SELECT … $1 … -- binds: ["yuhu", 21]` as plain SQL with the values in place.
fn with_literals(recorded: &str) -> String {
    let (sql, binds) = recorded
        .rsplit_once(" -- binds: ")
        .unwrap_or((recorded, "[]"));
    let values = parse_binds(binds);
    let mut out = sql.to_string();
    // from the highest number down, so $1 does not rewrite the start of $10
    for (i, v) in values.iter().enumerate().rev() {
        out = out.replace(&format!("${}", i + 1), v);
    }
    out
}

/// The Debug list of bind values as SQL literals: Rust strings become quoted SQL strings,
/// lists of numbers PostgreSQL array literals, anything else (numbers, booleans) stays as
/// written.
fn parse_binds(list: &str) -> Vec<String> {
    let list = list.trim();
    let inner = list
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .unwrap_or(list);
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == ',') {
            chars.next();
        }
        let Some(first) = chars.next() else { break };
        if first == '[' {
            // a list of numbers (`eq_any` of ids binds one array): PostgreSQL's array literal
            let mut s = String::new();
            for c in chars.by_ref() {
                if c == ']' {
                    break;
                }
                s.push(c);
            }
            out.push(format!("'{{{}}}'", s.replace(' ', "")));
        } else if first == '"' {
            let mut s = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some('n') => s.push('\n'),
                        Some(other) => s.push(other),
                        None => {}
                    },
                    c => s.push(c),
                }
            }
            out.push(format!("'{}'", s.replace('\'', "''")));
        } else {
            let mut s = String::from(first);
            while let Some(c) = chars.peek().copied() {
                if c == ',' {
                    break;
                }
                s.push(c);
                chars.next();
            }
            out.push(s.trim().to_string());
        }
    }
    out
}

/// The statements the server runs for each of `paths` (list URLs), each as one script.
pub fn scripts(url: &str, paths: &[String]) -> Vec<String> {
    let recorded = Arc::new(Mutex::new(Vec::new()));
    let mut pg = diesel::PgConnection::establish(url).expect("postgres");
    pg.set_instrumentation(Recorder(recorded.clone()));
    let mut conn = DbConnection::Postgres(pg);
    let derived = catalog::Derived::default();
    let mut out = Vec::new();
    for path in paths {
        let query = path.split_once('?').map(|(_, q)| q).unwrap_or("");
        // the rotating set's queries are plain ASCII, nothing percent-encoded
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let q = ListQuery::from_pairs(&pairs).expect("a valid list query");
        // the plan-wide values are read once per data version, not per request
        let version = data_version::current(&mut conn).expect("version");
        let plan = derived
            .at(&mut conn, Some(version))
            .expect("plan-wide values");
        recorded.lock().unwrap_or_else(|e| e.into_inner()).clear();
        data_version::current(&mut conn).expect("version");
        catalog::project_page(&mut conn, &q, &plan).expect("a page");
        let statements = std::mem::take(&mut *recorded.lock().unwrap_or_else(|e| e.into_inner()));
        let script: Vec<String> = statements
            .iter()
            .map(|s| format!("{};", with_literals(s).replace('\n', " ")))
            .collect();
        out.push(script.join("\n") + "\n");
    }
    out
}

/// Transactions per second of `pgbench -c<connections> -j2 -M extended` over the scripts.
pub fn pgbench(url: &str, scripts: &[String], connections: u32, secs: u32) -> Option<f64> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new("pgbench");
    cmd.args([
        "-n",
        "-M",
        "extended",
        "-j2",
        &format!("-c{connections}"),
        &format!("-T{secs}"),
    ]);
    for (i, s) in scripts.iter().enumerate() {
        let file = dir.path().join(format!("list{i}.sql"));
        std::fs::write(&file, s).expect("a pgbench script");
        cmd.arg("-f").arg(&file);
    }
    let out = cmd.arg(url).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        println!(
            "  pgbench failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return None;
    }
    text.lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}
