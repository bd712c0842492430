//! Logging in and out, and managing accounts (API, command line and demo mode). Each
//! function runs on a blocking thread with a connection in hand; every change writes its
//! audit entry in the same transaction.

use keyproj_shared::{
    Owner, Role, SessionInfo, UserItem, UserList, ValidNewUser, ValidUserPatch, etag,
};
use serde_json::{Value, json};

use crate::audit::{self, Actor};
use crate::auth::{
    self, ACCOUNT_FREE_FAILURES, ACCOUNT_PACE_SECS, AuthConfig, AuthUser, FAILURE_WINDOW_SECS,
    MAX_FAILURES,
};
use crate::clock;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::models::organisation::OrganisationRow;
use crate::models::session::{LoginFailureRow, NewSession, SessionRow};
use crate::models::user::{NewUserRow, UserChangeset, UserRow};
use crate::precondition::Expected;

fn bad_login() -> ApiError {
    ApiError::Unauthorized("用户名或密码错误".to_string())
}

/// Seconds until `at` is `secs` old, at least 1.
fn secs_until(at: &str, secs: u64, now: chrono::DateTime<chrono::Utc>) -> Option<u64> {
    let leaves = clock::parse(at)? + clock::secs(secs);
    let ms = (leaves - now).num_milliseconds().max(0);
    Some(u64::try_from(ms).unwrap_or(0).div_ceil(1000).max(1))
}

/// The IP's limit: seconds until fewer than `MAX_FAILURES` of its failures (oldest first)
/// are in the window, if that many are in it now.
fn ip_retry_after(failures: &[String], now: chrono::DateTime<chrono::Utc>) -> Option<u64> {
    if failures.len() < MAX_FAILURES {
        return None;
    }
    secs_until(
        &failures[failures.len() - MAX_FAILURES],
        FAILURE_WINDOW_SECS,
        now,
    )
}

/// The account's pace: past `ACCOUNT_FREE_FAILURES` in the window, seconds until its newest
/// failure is `ACCOUNT_PACE_SECS` old, if it is younger.
fn account_retry_after(failures: &[String], now: chrono::DateTime<chrono::Utc>) -> Option<u64> {
    if failures.len() < ACCOUNT_FREE_FAILURES {
        return None;
    }
    let newest = failures.last()?;
    if clock::parse(newest)? + clock::secs(ACCOUNT_PACE_SECS) <= now {
        return None;
    }
    secs_until(newest, ACCOUNT_PACE_SECS, now)
}

pub struct LoggedIn {
    pub token: String,
    pub info: SessionInfo,
}

/// Advisory-lock classes (`db::lock_pair`) that serialise login attempts per username and
/// per IP on PostgreSQL; SQLite's immediate transaction serialises them already.
const LOGIN_USER_LOCK: i32 = 3;
const LOGIN_IP_LOCK: i32 = 4;

fn lock_key(s: &str) -> i32 {
    let digest = auth::sha256_hex(s.as_bytes());
    // the first 32 bits of the hash; collisions only make two names share a queue
    u32::from_str_radix(&digest[..8], 16).map_or(0, |n| n as i32)
}

/// A login attempt, counted as a failure from the moment it starts until its password
/// proves right: so concurrent attempts cannot all pass the count before any is recorded.
pub struct Attempt {
    failure_id: i32,
    ip: String,
    user: Option<UserRow>,
}

/// The first step of logging in, in one write transaction serialised per username and per
/// IP: 429 if five failures from the IP are in the window (until the oldest of them is 15
/// minutes old), or if the account has ten failures in it from anywhere and its newest is
/// under a minute old; otherwise this attempt is recorded as a failure in advance and the
/// account it names, if any, is answered for the password check. Failures elsewhere never
/// stop an owner for longer than the account's pace.
pub fn begin_login(conn: &mut DbConnection, username: &str, ip: &str) -> Result<Attempt, ApiError> {
    // one name in any case or look-alike form: one account, one count of failures
    let username = &keyproj_shared::normalize_username(username).to_ascii_lowercase();
    db::write_transaction(conn, |conn| -> Result<Attempt, ApiError> {
        db::lock_pair(conn, LOGIN_USER_LOCK, lock_key(username))?;
        db::lock_pair(conn, LOGIN_IP_LOCK, lock_key(ip))?;
        let now = clock::now();
        let window_start = clock::stamp(now - clock::secs(FAILURE_WINDOW_SECS));
        LoginFailureRow::prune(conn, &window_start)?;
        let (by_user, by_ip) = LoginFailureRow::recent(conn, username, ip, &window_start)?;
        if let Some(secs) = [
            account_retry_after(&by_user, now),
            ip_retry_after(&by_ip, now),
        ]
        .into_iter()
        .flatten()
        .max()
        {
            return Err(ApiError::TooManyRequests {
                retry_after_secs: secs,
            });
        }
        let failure_id = LoginFailureRow::reserve(conn, username, ip, &clock::stamp(now))?;
        Ok(Attempt {
            failure_id,
            ip: ip.to_string(),
            user: UserRow::find_by_username(conn, username)?,
        })
    })
}

/// An attempt whose password proved right, for an account that existed.
pub struct Verified {
    attempt: Attempt,
    user_id: i32,
}

/// The second step, with no connection held: the slow argon2 check. An unknown user costs
/// the same work as a wrong password and gets the same 401; an absurdly long password is
/// never checked (it cannot be anyone's), only counted. The failure stays counted.
pub fn check_password(attempt: Attempt, password: &str) -> Result<Verified, ApiError> {
    let sane = password.chars().count() <= keyproj_shared::MAX_PASSWORD_CHARS;
    let user_id = match &attempt.user {
        Some(u) if sane && auth::verify_password(password, &u.password_hash) => u.id,
        Some(_) if sane => return Err(bad_login()),
        _ => {
            auth::verify_password(password, auth::dummy_hash());
            return Err(bad_login());
        }
    };
    Ok(Verified { attempt, user_id })
}

/// The last step: the attempt's failure is withdrawn and a session opened, unless the
/// account was disabled meanwhile (the same 401 as a wrong password).
pub fn finish_login(
    conn: &mut DbConnection,
    config: &AuthConfig,
    verified: &Verified,
    request_id: &str,
) -> Result<LoggedIn, ApiError> {
    let Verified { attempt, user_id } = verified;
    let (user, org) = UserRow::find(conn, *user_id)?.ok_or_else(bad_login)?;
    if user.disabled {
        return Err(bad_login());
    }
    let (token, token_hash) = auth::new_token()?;
    let now = clock::now();
    let created = clock::stamp(now);
    let expires_at = clock::stamp(now + clock::secs(config.max_secs));
    let auth_user = AuthUser::from_row(user, org)?;
    let actor = auth_user.actor(request_id);
    let ip = &attempt.ip;
    db::write_transaction(conn, |conn| -> Result<(), ApiError> {
        LoginFailureRow::forget(conn, attempt.failure_id)?;
        let id = NewSession {
            token_hash: &token_hash,
            user_id: auth_user.id,
            created_at: &created,
            last_seen_at: &created,
            expires_at: &expires_at,
            revoked: false,
        }
        .insert(conn)?;
        audit::record(
            conn,
            &actor,
            audit::SESSION,
            &id.to_string(),
            "login",
            None,
            Some(&json!({"user_id": auth_user.id, "ip": ip, "expires_at": expires_at})),
        )?;
        Ok(())
    })?;
    Ok(LoggedIn {
        token,
        info: SessionInfo {
            user: auth_user.wire(),
            expires_at,
            idle_timeout_secs: config.idle_secs,
        },
    })
}

/// Who is logged in, for the session that ends at `expires_at`.
pub fn session_info(user: &AuthUser, expires_at: &str, config: &AuthConfig) -> SessionInfo {
    SessionInfo {
        user: user.wire(),
        expires_at: expires_at.to_string(),
        idle_timeout_secs: config.idle_secs,
    }
}

/// Ends a session at once; `actor` is its user.
pub fn logout(conn: &mut DbConnection, actor: &Actor, session_id: i32) -> Result<(), ApiError> {
    db::write_transaction(conn, |conn| -> Result<(), ApiError> {
        SessionRow::revoke(conn, session_id)?;
        audit::record(
            conn,
            actor,
            audit::SESSION,
            &session_id.to_string(),
            "logout",
            None,
            None,
        )?;
        Ok(())
    })
}

fn item(u: UserRow, org: Option<OrganisationRow>) -> Result<UserItem, ApiError> {
    let a = AuthUser::from_row(u.clone(), org)?;
    Ok(UserItem {
        id: i64::from(u.id),
        username: u.username,
        role: a.role,
        organisation: a.organisation.map(|o| Owner {
            id: i64::from(o.id),
            name: o.name,
        }),
        disabled: u.disabled,
        created_at: u.created_at,
        version: i64::from(u.version),
        etag: user_etag(&u.id, u.version),
    })
}

fn user_etag(id: &i32, version: i32) -> String {
    etag('u', i64::from(*id), i64::from(version))
}

/// What the audit trail records of a user: never the password hash.
fn audit_view(u: &UserItem) -> Value {
    json!({
        "username": u.username,
        "role": u.role.key(),
        "organisation": u.organisation.as_ref().map(|o| o.name.clone()),
        "disabled": u.disabled,
        "version": u.version,
    })
}

pub fn list(conn: &mut DbConnection) -> Result<UserList, ApiError> {
    let items = UserRow::all(conn)?
        .into_iter()
        .map(|(u, o)| item(u, o))
        .collect::<Result<_, _>>()?;
    Ok(UserList { items })
}

fn find_item(conn: &mut DbConnection, id: i32) -> Result<UserItem, ApiError> {
    let (u, o) = UserRow::find(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("没有编号为 {id} 的用户")))?;
    item(u, o)
}

pub fn get(conn: &mut DbConnection, id: i32) -> Result<UserItem, ApiError> {
    find_item(conn, id)
}

/// The organisation of that exact name, or a 422 naming `organisation` with suggestions.
fn organisation_named(conn: &mut DbConnection, name: &str) -> Result<OrganisationRow, ApiError> {
    if let Some(o) = OrganisationRow::find_by_name(conn, name)? {
        return Ok(o);
    }
    let like = OrganisationRow::names_like(conn, name, 5)?;
    let hint = if like.is_empty() {
        String::new()
    } else {
        format!("；相近的有：{}", like.join("、"))
    };
    Err(ApiError::field(
        "organisation",
        format!("没有名为“{name}”的建设主体{hint}"),
    ))
}

/// Creates an account from a checked request and its password's hash.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    new: &ValidNewUser,
    password_hash: &str,
) -> Result<UserItem, ApiError> {
    db::write_transaction(conn, |conn| -> Result<UserItem, ApiError> {
        if UserRow::find_by_username(conn, &new.username)?.is_some() {
            return Err(ApiError::Conflict(format!(
                "用户名“{}”已被使用",
                new.username
            )));
        }
        let organisation_id = match &new.organisation {
            Some(name) => Some(organisation_named(conn, name)?.id),
            None => None,
        };
        let id = NewUserRow {
            username: &new.username,
            password_hash,
            role: new.role.key(),
            organisation_id,
            disabled: false,
            created_at: &clock::stamp(clock::now()),
            version: 1,
        }
        .insert(conn)?;
        let created = find_item(conn, id)?;
        audit::record(
            conn,
            actor,
            audit::USER,
            &id.to_string(),
            "create",
            None,
            Some(&audit_view(&created)),
        )?;
        Ok(created)
    })
}

/// Disables or enables an account; disabling ends its sessions. Doing it twice changes
/// nothing the second time. Nobody disables themselves.
pub fn set_disabled(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i32,
    disabled: bool,
) -> Result<UserItem, ApiError> {
    if disabled && actor.user_id == Some(id) {
        return Err(ApiError::Conflict("不能停用自己的账号".to_string()));
    }
    db::write_transaction(conn, |conn| -> Result<UserItem, ApiError> {
        let before = find_item(conn, id)?;
        if before.disabled == disabled {
            return Ok(before);
        }
        UserRow::update(
            conn,
            id,
            None,
            &UserChangeset {
                disabled: Some(disabled),
                ..UserChangeset::default()
            },
        )?;
        if disabled {
            SessionRow::revoke_all_of(conn, id)?;
        }
        let after = find_item(conn, id)?;
        audit::record(
            conn,
            actor,
            audit::USER,
            &id.to_string(),
            if disabled { "disable" } else { "enable" },
            Some(&audit_view(&before)),
            Some(&audit_view(&after)),
        )?;
        Ok(after)
    })
}

/// Changes role, organisation or password if the user is still at the version `if_match`
/// names. A new password ends the user's sessions; a new role applies at their next request.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i32,
    if_match: &Expected,
    patch: &ValidUserPatch,
    password_hash: Option<&str>,
) -> Result<UserItem, ApiError> {
    if patch.role.is_some() && actor.user_id == Some(id) {
        return Err(ApiError::Conflict("不能修改自己的角色".to_string()));
    }
    db::write_transaction(conn, |conn| -> Result<UserItem, ApiError> {
        let before = find_item(conn, id)?;
        let stale = || ApiError::PreconditionFailed {
            etag: before.etag.clone(),
            version: before.version,
        };
        if !if_match.matches(&before.etag) {
            return Err(stale());
        }
        let (role, organisation) = patch
            .apply_to(
                before.role,
                before.organisation.as_ref().map(|o| o.name.as_str()),
            )
            .map_err(|e| ApiError::Validation(vec![e]))?;
        let organisation_id = match organisation {
            Some(name) => Some(organisation_named(conn, &name)?.id),
            None => None,
        };
        let version = i32::try_from(before.version).map_err(ApiError::internal)?;
        let changed = UserRow::update(
            conn,
            id,
            Some(version),
            &UserChangeset {
                role: Some(role.key().to_string()),
                organisation_id: Some(organisation_id),
                password_hash: password_hash.map(str::to_string),
                disabled: None,
            },
        )?;
        if changed == 0 {
            return Err(stale());
        }
        if password_hash.is_some() {
            SessionRow::revoke_all_of(conn, id)?;
        }
        let after = find_item(conn, id)?;
        let mut after_view = audit_view(&after);
        if password_hash.is_some()
            && let Some(o) = after_view.as_object_mut()
        {
            o.insert("password".into(), "changed".into());
        }
        audit::record(
            conn,
            actor,
            audit::USER,
            &id.to_string(),
            "update",
            Some(&audit_view(&before)),
            Some(&after_view),
        )?;
        Ok(after)
    })
}

/// A created demo account: username, role, password.
pub type DemoAccount = (String, Role, String);

/// The demo accounts `--demo` creates: one per role.
pub const DEMO_USERS: &[(&str, Role, Option<&str>)] = &[
    ("demo-admin", Role::Admin, None),
    ("demo-planner", Role::Planner, None),
    ("demo-finance", Role::Finance, None),
    ("demo-owner", Role::Owner, Some("韶山市民政局")),
];

/// Creates the demo accounts that do not exist yet, each with a random password, and
/// answers (username, role, password) for those it created.
pub fn create_demo_users(conn: &mut DbConnection) -> Result<Vec<DemoAccount>, ApiError> {
    let actor = Actor::system("demo");
    let mut created = Vec::new();
    for (username, role, org) in DEMO_USERS {
        if UserRow::find_by_username(conn, username)?.is_some() {
            continue;
        }
        let password = readable_password()?;
        let new = ValidNewUser {
            username: (*username).to_string(),
            role: *role,
            organisation: org.map(str::to_string),
            password: password.clone(),
        };
        create(conn, &actor, &new, &auth::hash_password(&password)?)?;
        created.push(((*username).to_string(), *role, password));
    }
    Ok(created)
}

/// 16 characters from an alphabet without look-alikes (about 90 bits).
fn readable_password() -> Result<String, ApiError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479";
    let mut out = String::with_capacity(16);
    // rejection sampling: only bytes below a multiple of the alphabet's length, so every
    // character is equally likely
    let limit = 256 - 256 % ALPHABET.len();
    while out.len() < 16 {
        for b in auth::random_bytes(32)? {
            if usize::from(b) < limit && out.len() < 16 {
                out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    Ok(out)
}

/// `keyproj user add`: creates an account, the password already read.
pub fn cli_add(
    conn: &mut DbConnection,
    username: &str,
    role: &str,
    org: Option<&str>,
    password: &str,
) -> anyhow::Result<UserItem> {
    let new = keyproj_shared::NewUser {
        username: username.to_string(),
        role: role.to_string(),
        organisation: org.map(str::to_string),
        password: password.to_string(),
    }
    .parse()
    .map_err(field_errors)?;
    let hash = auth::hash_password(&new.password).map_err(api_error)?;
    create(conn, &Actor::system("cli"), &new, &hash).map_err(api_error)
}

/// `keyproj user disable` / `enable`.
pub fn cli_set_disabled(
    conn: &mut DbConnection,
    username: &str,
    disabled: bool,
) -> anyhow::Result<UserItem> {
    let user = UserRow::find_by_username(conn, username)?
        .ok_or_else(|| anyhow::anyhow!("no user named {username:?}"))?;
    set_disabled(conn, &Actor::system("cli"), user.id, disabled).map_err(api_error)
}

fn field_errors(errors: Vec<keyproj_shared::FieldError>) -> anyhow::Error {
    let lines: Vec<String> = errors
        .into_iter()
        .map(|e| format!("--{}: {}", e.field.replace('_', "-"), e.message))
        .collect();
    anyhow::anyhow!("{}", lines.join("\n"))
}

fn api_error(e: ApiError) -> anyhow::Error {
    match e {
        ApiError::Validation(errors) => field_errors(
            errors
                .into_iter()
                .map(|mut e| {
                    if e.field == "organisation" {
                        e.field = "org".to_string();
                    }
                    e
                })
                .collect(),
        ),
        ApiError::Conflict(m) | ApiError::NotFound(m) => anyhow::anyhow!("{m}"),
        other => anyhow::Error::new(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ips_retry_after_counts_from_its_oldest_counted_failure() {
        let now = clock::parse("2026-01-01T00:15:00.000Z").expect("time");
        let at = |m: u32| format!("2026-01-01T00:{m:02}:00.000Z");
        let four: Vec<String> = (10..14).map(at).collect();
        assert_eq!(ip_retry_after(&four, now), None);
        let five: Vec<String> = (10..15).map(at).collect();
        // the failure at 00:10 leaves the window at 00:25, ten minutes from now
        assert_eq!(ip_retry_after(&five, now), Some(600));
    }

    #[test]
    fn an_account_past_its_free_failures_takes_one_attempt_a_minute() {
        let at = |s: u32| format!("2026-01-01T00:14:{s:02}.000Z");
        let nine: Vec<String> = (0..9).map(at).collect();
        let ten: Vec<String> = (0..10).map(at).collect();
        let now = clock::parse("2026-01-01T00:14:30.000Z").expect("time");
        assert_eq!(account_retry_after(&nine, now), None);
        // the newest, at 00:14:09, is a minute old at 00:15:09
        assert_eq!(account_retry_after(&ten, now), Some(39));
        let later = clock::parse("2026-01-01T00:15:09.000Z").expect("time");
        assert_eq!(account_retry_after(&ten, later), None);
    }

    #[test]
    fn demo_passwords_are_long_enough() {
        let p = readable_password().expect("randomness");
        assert_eq!(p.chars().count(), 16);
        assert!(keyproj_shared::password_problem(&p).is_none());
    }
}
