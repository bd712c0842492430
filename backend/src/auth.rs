//! Who is asking, and may they: passwords, session tokens, the session cookie, the CSRF rule,
//! and the extractors handlers use (`CurrentUser`, `SameOrigin`).
//!
//! - Passwords are argon2id PHC strings, hashed and checked on blocking threads.
//! - A session token is 256 random bits, sent to the browser once in the `keyproj_session`
//!   cookie (HttpOnly, SameSite=Strict, Path=/, Secure over TLS); the database keeps only its
//!   SHA-256, so any server sharing the database can check it.
//! - Every request re-reads the session and the user, so logging out, disabling a user or
//!   changing their role takes effect at the next request.

use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::sync::OnceLock;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use keyproj_shared::{Owner, Role, SessionUser};
use sha2::{Digest, Sha256};
use tracing_actix_web::RequestId;

use crate::clock;
use crate::config::Settings;
use crate::db::{self, DbConnection, DbPool};
use crate::error::ApiError;
use crate::models::organisation::OrganisationRow;
use crate::models::session::SessionRow;
use crate::models::user::UserRow;

pub const SESSION_COOKIE: &str = "keyproj_session";
/// Failed logins counted per username and per IP…
pub const MAX_FAILURES: usize = 5;
/// …within this window.
pub const FAILURE_WINDOW_SECS: u64 = 15 * 60;

#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub idle_secs: u64,
    pub max_secs: u64,
    pub trust_proxy_headers: bool,
}

impl From<&Settings> for AuthConfig {
    fn from(s: &Settings) -> Self {
        AuthConfig {
            idle_secs: s.session_idle_secs.max(1),
            max_secs: s.session_max_secs.max(1),
            trust_proxy_headers: s.trust_proxy_headers,
        }
    }
}

/// Who made a change, as the audit trail records it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub username: String,
    pub role: String,
    pub organisation_id: Option<i32>,
    pub request_id: String,
}

impl Actor {
    /// The command line or start-up code, acting without an account.
    pub fn system(what: &str) -> Actor {
        Actor {
            user_id: None,
            username: format!("({what})"),
            role: "system".to_string(),
            organisation_id: None,
            request_id: random_hex(16),
        }
    }
}

/// A logged-in user as the current request sees them.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: i32,
    pub username: String,
    pub role: Role,
    pub organisation: Option<OrganisationRow>,
}

impl AuthUser {
    pub fn from_row(u: UserRow, org: Option<OrganisationRow>) -> Result<AuthUser, ApiError> {
        let role = u.role.parse::<Role>().map_err(|_| {
            ApiError::internal(anyhow::anyhow!("stored role {:?} is unknown", u.role))
        })?;
        Ok(AuthUser {
            id: u.id,
            username: u.username,
            role,
            organisation: org,
        })
    }

    /// 403 unless the user has one of these roles.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            return Ok(());
        }
        let names: Vec<_> = roles.iter().map(|r| r.label()).collect();
        Err(ApiError::Forbidden(format!(
            "此操作需要以下角色之一：{}；当前角色为{}",
            names.join("、"),
            self.role.label()
        )))
    }

    pub fn wire(&self) -> SessionUser {
        SessionUser {
            id: i64::from(self.id),
            username: self.username.clone(),
            role: self.role,
            organisation: self.organisation.as_ref().map(|o| Owner {
                id: i64::from(o.id),
                name: o.name.clone(),
            }),
        }
    }

    pub fn actor(&self, request_id: &str) -> Actor {
        Actor {
            user_id: Some(self.id),
            username: self.username.clone(),
            role: self.role.key().to_string(),
            organisation_id: self.organisation.as_ref().map(|o| o.id),
            request_id: request_id.to_string(),
        }
    }
}

/// The extractor for every handler that needs a login: 401 without a valid session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub session_id: i32,
    pub user: AuthUser,
    pub expires_at: String,
    pub request_id: String,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        self.user.actor(&self.request_id)
    }
}

/// The request's id, from tracing-actix-web's logger (or a fresh one without it).
pub fn request_id(req: &HttpRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|r| r.to_string())
        .unwrap_or_else(|| random_hex(16))
}

fn unauthorized() -> ApiError {
    ApiError::Unauthorized("登录已失效或未登录，请重新登录".to_string())
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
        let pool = req.app_data::<web::Data<DbPool>>().cloned();
        let config = req.app_data::<web::Data<AuthConfig>>().cloned();
        let request_id = request_id(req);
        Box::pin(async move {
            let (Some(pool), Some(config)) = (pool, config) else {
                return Err(ApiError::internal(anyhow::anyhow!(
                    "the pool or the auth settings are not registered"
                )));
            };
            let token = token.ok_or_else(|| ApiError::Unauthorized("请先登录".to_string()))?;
            let (session, user) =
                crate::routes::with_conn(&pool, move |conn| resolve_session(conn, &config, &token))
                    .await?;
            Ok(CurrentUser {
                session_id: session.id,
                user,
                expires_at: session.expires_at,
                request_id,
            })
        })
    }
}

/// The session and user a token names, if the session is still good; refreshes its
/// last-seen time now and then (not on every request, to spare the database writes).
pub fn resolve_session(
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

/// The CSRF rule, as an extractor every state-changing handler takes first:
/// - the request carries `X-Requested-With` (any value; a cross-site form cannot set it, and
///   a cross-site script cannot without a CORS preflight, which keyproj never grants);
/// - `Sec-Fetch-Site: cross-site` is refused;
/// - if `Origin` (or, without it, `Referer`) is present, its host and port equal `Host`.
///
/// Anything else is 403.
#[derive(Debug, Clone, Copy)]
pub struct SameOrigin;

impl FromRequest for SameOrigin {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(check_same_origin(req).map(|()| SameOrigin))
    }
}

fn forbidden_cross_site(why: &str) -> ApiError {
    ApiError::Forbidden(format!("跨站请求被拒绝：{why}"))
}

/// `host[:port]` of an absolute URL such as an `Origin` or `Referer`.
fn authority_of(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    // userinfo never belongs in an origin
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    (!authority.is_empty()).then_some((scheme, authority))
}

fn without_default_port<'a>(scheme: &str, authority: &'a str) -> &'a str {
    match scheme {
        "http" => authority.strip_suffix(":80").unwrap_or(authority),
        "https" => authority.strip_suffix(":443").unwrap_or(authority),
        _ => authority,
    }
}

pub fn check_same_origin(req: &HttpRequest) -> Result<(), ApiError> {
    let headers = req.headers();
    let has = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.trim().is_empty())
    };
    if !has("x-requested-with") {
        return Err(forbidden_cross_site("缺少 X-Requested-With 请求头"));
    }
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"))
    {
        return Err(forbidden_cross_site("来自其他网站"));
    }
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER));
    let Some(source) = source else {
        return Ok(());
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let scheme = req.connection_info().scheme().to_string();
    let matches = source
        .to_str()
        .ok()
        .and_then(authority_of)
        .is_some_and(|(s, a)| {
            without_default_port(s, a).eq_ignore_ascii_case(without_default_port(&scheme, &host))
        });
    if matches {
        Ok(())
    } else {
        Err(forbidden_cross_site("来源与本站不同"))
    }
}

/// The client's IP for login throttling: the TCP peer, or the proxy's word for it when the
/// settings say to trust proxy headers.
pub fn client_ip(req: &HttpRequest, config: &AuthConfig) -> String {
    if config.trust_proxy_headers
        && let Some(ip) = req.connection_info().realip_remote_addr()
    {
        return ip.to_string();
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
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

/// Random bytes from the OS; an error (which no supported platform gives) is a 500, never
/// a weak secret.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, ApiError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("no randomness from the OS: {e}")))?;
    Ok(buf)
}

/// Random hex for ids that are not secrets (a request id when the logger gave none).
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    let _ = getrandom::fill(&mut buf);
    hex(&buf)
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A new session token (256 random bits, hex) and the hash to store.
pub fn new_token() -> Result<(String, String), ApiError> {
    let token = hex(&random_bytes(32)?);
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// An argon2id PHC string with a fresh salt. Slow on purpose: call it on a blocking thread.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let hash: PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| ApiError::internal(anyhow::anyhow!("hashing a password: {e}")))?;
    Ok(hash.to_string())
}

/// Whether the password matches the PHC string; as slow as hashing.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).ok().is_some_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash no password matches a real account by: checked for unknown usernames, so an
/// unknown user costs as much time as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_hex(32)).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("correct horse battery").expect("hashed");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_256_bits_and_stored_hashed() {
        let (t, h) = new_token().expect("token");
        assert_eq!(t.len(), 64);
        assert_eq!(h, token_hash(&t));
        assert_ne!(t, h);
    }

    #[test]
    fn origins_are_compared_by_host_and_port() {
        assert_eq!(
            authority_of("http://127.0.0.1:8080/page?x"),
            Some(("http", "127.0.0.1:8080"))
        );
        assert_eq!(authority_of("null"), None);
        assert_eq!(without_default_port("https", "a.example:443"), "a.example");
    }
}
