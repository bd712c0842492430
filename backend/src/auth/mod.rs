//! Who is asking, and may they.
//!
//! - `password`: argon2id hashes, checked on blocking threads.
//! - `session`: session tokens, the session cookie, and resolving a token to its user.
//! - `extract`: what handlers take: `Signed<A>`, a logged-in caller with access `A`.
//! - `client`: the client's address, scheme and host, from proxy headers only when trusted.
//! - `csrf`: the same-origin rule, a middleware on every unsafe method under `/api`.
//! - `gate`: logins from one address, a few at a time.
//!
//! Every request re-reads the session and the user, so logging out, disabling a user or
//! changing their role takes effect at the next request.

pub mod client;
pub mod csrf;
pub mod extract;
pub mod gate;
pub mod password;
pub mod session;

use keyproj_shared::{Owner, Role, SessionUser};
use sha2::{Digest, Sha256};

use crate::audit::Actor;
use crate::config::Settings;
use crate::error::ApiError;
use crate::models::organisation::OrganisationRow;
use crate::models::user::UserRow;

pub use client::{client_ip, is_tls, origin};
pub use extract::{
    Access, Admins, Caller, Importers, LoggedIn, Planners, Reviewers, Signed, request_id,
};
pub use gate::LoginGate;
pub use password::{dummy_hash, hash_password, verify_password};
pub use session::{
    new_token, removal_cookie, session_cookie, signed_in_marker, signed_in_marker_removal,
    token_hash,
};

/// Failed logins from one IP that stop that IP (for every account)…
pub const MAX_FAILURES: usize = 5;
/// …within this window.
pub const FAILURE_WINDOW_SECS: u64 = 15 * 60;
/// Failed logins for one account, from anywhere, in the window before the account is paced…
pub const ACCOUNT_FREE_FAILURES: usize = 10;
/// …to one attempt per this many seconds: spraying it from many IPs is slowed, while its
/// owner waits at most this long, never a whole window.
pub const ACCOUNT_PACE_SECS: u64 = 60;

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

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}
