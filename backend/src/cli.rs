//! `keyproj user …`: account management from the command line, for the first admin and
//! for scripts. Runs on the configured database (migrated and seeded first, so organisation
//! names resolve on a fresh one).

use std::io::{BufRead, Write};

use anyhow::Context;

use crate::accounts;
use crate::config::{Settings, UserCommand};
use crate::db;
use crate::models::user::UserRow;
use crate::seed;

/// Runs one `user` command; the password of `user add` is the first line of `input`.
pub fn run_user_command(
    settings: &Settings,
    command: &UserCommand,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let pool = db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get().context("getting a database connection")?;
    seed::load(&mut conn)?;
    match command {
        UserCommand::Add {
            username,
            role,
            org,
        } => {
            let mut line = String::new();
            input
                .read_line(&mut line)
                .context("reading the password from stdin")?;
            let password = line.trim_end_matches(['\n', '\r']);
            let user = accounts::cli_add(&mut conn, username, role, org.as_deref(), password)?;
            writeln!(
                out,
                "created user {} (id {}, {}{})",
                user.username,
                user.id,
                user.role.key(),
                user.organisation
                    .map(|o| format!(", {}", o.name))
                    .unwrap_or_default()
            )?;
        }
        UserCommand::Disable { username } => {
            let user = accounts::cli_set_disabled(&mut conn, username, true)?;
            writeln!(
                out,
                "disabled user {}; their sessions have ended",
                user.username
            )?;
        }
        UserCommand::Enable { username } => {
            let user = accounts::cli_set_disabled(&mut conn, username, false)?;
            writeln!(out, "enabled user {}", user.username)?;
        }
        UserCommand::List => {
            let users = accounts::list(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))?;
            writeln!(
                out,
                "{:>4}  {:<24} {:<8} {:<8} organisation",
                "id", "username", "role", "state"
            )?;
            for u in users.items {
                writeln!(
                    out,
                    "{:>4}  {:<24} {:<8} {:<8} {}",
                    u.id,
                    u.username,
                    u.role.key(),
                    if u.disabled { "disabled" } else { "active" },
                    u.organisation.map(|o| o.name).unwrap_or_default()
                )?;
            }
        }
    }
    Ok(())
}

/// Whether a user of this name exists (for scripts and tests).
pub fn user_exists(settings: &Settings, username: &str) -> anyhow::Result<bool> {
    let pool = db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    Ok(UserRow::find_by_username(&mut conn, username)?.is_some())
}
