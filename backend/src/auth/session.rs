//! Session tokens and the cookie that carries them.
//!
//! A token is 256 random bits, sent to the browser once in the `keyproj_session` cookie
//! (HttpOnly, SameSite=Strict, Path=/, Secure over TLS); the database keeps only its SHA-256,
//! so any server sharing the database can check it.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};

use super::{AuthConfig, AuthUser, hex, random_bytes, sha256_hex};
use crate::clock;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::models::session::SessionRow;
use crate::models::user::UserRow;

pub const SESSION_COOKIE: &str = "keyproj_session";

pub fn unauthorized() -> ApiError {
    ApiError::Unauthorized("登录已失效或未登录，请重新登录".to_string())
}

/// The session and user a token names, if the session is still good; refreshes its
/// last-seen time now and then (not on every request, to spare the database writes).
pub fn resolve(
    conn: &mut DbConnection,
    config: &AuthConfig,
    token: &str,
) -> Result<(SessionRow, AuthUser), ApiError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(unauthorized());
    }
    let session =
        SessionRow::find_by_token_hash(conn, &token_hash(token))?.ok_or_else(unauthorized)?;
    let now = clock::now();
    let expires = clock::parse(&session.expires_at);
    let last_seen = clock::parse(&session.last_seen_at);
    let (Some(expires), Some(last_seen)) = (expires, last_seen) else {
        return Err(unauthorized());
    };
    if session.revoked || now >= expires || now >= last_seen + clock::secs(config.idle_secs) {
        return Err(unauthorized());
    }
    let (user, org) = UserRow::find(conn, session.user_id)?.ok_or_else(unauthorized)?;
    if user.disabled {
        return Err(unauthorized());
    }
    let user = AuthUser::from_row(user, org)?;
    // refresh at most every minute, or a tenth of the idle time if that is shorter
    let every_ms = (config.idle_secs.saturating_mul(100)).min(60_000);
    let since_ms = u64::try_from((now - last_seen).num_milliseconds()).unwrap_or(0);
    if since_ms >= every_ms {
        let stamp = clock::stamp(now);
        db::write_transaction(conn, |conn| SessionRow::touch(conn, session.id, &stamp))?;
    }
    Ok((session, user))
}

/// The session cookie; `Secure` when the request came over TLS.
pub fn session_cookie(token: &str, secure: bool, max_age_secs: u64) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(CookieDuration::seconds(
            i64::try_from(max_age_secs).unwrap_or(i64::MAX),
        ))
        .finish()
}

/// A cookie that makes the browser forget the session.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut c = session_cookie("", secure, 0);
    c.make_removal();
    c
}

/// `keyproj_signed_in=1` (`keyproj_shared::SIGNED_IN_COOKIE`), beside the session cookie and
/// as long-lived, readable by the web app (not HttpOnly): it tells the app a session may
/// exist, nothing more. The server never reads it.
pub fn signed_in_marker(secure: bool, max_age_secs: u64) -> Cookie<'static> {
    Cookie::build(keyproj_shared::SIGNED_IN_COOKIE, "1")
        .path("/")
        .http_only(false)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(CookieDuration::seconds(
            i64::try_from(max_age_secs).unwrap_or(i64::MAX),
        ))
        .finish()
}

/// Removes the marker, with the session cookie.
pub fn signed_in_marker_removal(secure: bool) -> Cookie<'static> {
    let mut c = signed_in_marker(secure, 0);
    c.make_removal();
    c
}

/// A new session token (256 random bits, hex) and the hash to store.
pub fn new_token() -> Result<(String, String), ApiError> {
    let token = hex(&random_bytes(32)?);
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_stored_hashed() {
        let (t, h) = new_token().expect("token");
        assert_eq!(t.len(), 64);
        assert_eq!(h, token_hash(&t));
        assert_ne!(t, h);
    }
}
