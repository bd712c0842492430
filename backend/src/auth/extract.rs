//! What handlers take to know who is asking.
//!
//! `Signed<A>` reads only the session cookie and the request id: it touches no database.
//! The handler then runs its work with `signed.with_conn(&pool, |conn, caller| …)`, which
//! resolves the session, checks the access `A` and does the work on one pooled connection
//! in one blocking task. The access is part of the handler's signature, so a handler cannot
//! forget it: `Signed<Admins>` answers 403 to anyone but an admin before the work runs.

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use keyproj_shared::Role;
use tracing_actix_web::RequestId;

use super::session::{self, SESSION_COOKIE};
use super::{AuthConfig, AuthUser, random_hex};
use crate::audit::Actor;
use crate::db::{self, DbConnection, DbPool};
use crate::error::ApiError;

/// Who may use a route, as a type: `Signed<Admins>`.
pub trait Access {
    /// The roles allowed; empty for any logged-in user.
    const ROLES: &'static [Role];
}

/// Any logged-in user; what a route may do for them is decided by the service (an owner's
/// organisation, for instance).
pub struct LoggedIn;
/// Admins only.
pub struct Admins;
/// Finance and admins: the review queue and the audit trail.
pub struct Reviewers;
/// Planners and admins: a project's master data.
pub struct Planners;
/// Owners (for their organisation's projects, checked per row) and admins: workbook imports.
pub struct Importers;

impl Access for LoggedIn {
    const ROLES: &'static [Role] = &[];
}
impl Access for Admins {
    const ROLES: &'static [Role] = &[Role::Admin];
}
impl Access for Reviewers {
    const ROLES: &'static [Role] = &[Role::Finance, Role::Admin];
}
impl Access for Planners {
    const ROLES: &'static [Role] = &[Role::Planner, Role::Admin];
}
impl Access for Importers {
    const ROLES: &'static [Role] = &[Role::Owner, Role::Admin];
}

/// A request that carries a session cookie: 401 without one. The session itself is checked
/// by `with_conn`, on the connection the work uses.
pub struct Signed<A: Access = LoggedIn> {
    token: String,
    request_id: String,
    config: web::Data<AuthConfig>,
    access: PhantomData<fn() -> A>,
}

/// The logged-in user a request acts for, once its session is resolved.
#[derive(Debug, Clone)]
pub struct Caller {
    pub session_id: i32,
    pub expires_at: String,
    pub user: AuthUser,
    pub request_id: String,
}

impl Caller {
    pub fn actor(&self) -> Actor {
        self.user.actor(&self.request_id)
    }
}

impl<A: Access> Signed<A> {
    /// Resolves the session and checks the access on `conn`: 401, then 403.
    fn caller(&self, conn: &mut DbConnection) -> Result<Caller, ApiError> {
        let (session, user) = session::resolve(conn, &self.config, &self.token)?;
        if !A::ROLES.is_empty() {
            user.require(A::ROLES)?;
        }
        Ok(Caller {
            session_id: session.id,
            expires_at: session.expires_at,
            user,
            request_id: self.request_id.clone(),
        })
    }

    /// Resolves the caller and runs `f` for them, on one connection off the actix worker.
    pub async fn with_conn<T, F>(self, pool: &DbPool, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, Caller) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
        A: 'static,
    {
        db::with_conn(pool, move |conn| {
            let caller = self.caller(conn)?;
            f(conn, caller)
        })
        .await
    }

    /// Only the caller, for work that must not hold a connection (hashing a password).
    pub async fn caller_only(self, pool: &DbPool) -> Result<Caller, ApiError>
    where
        A: 'static,
    {
        self.with_conn(pool, |_, caller| Ok(caller)).await
    }
}

impl<A: Access> FromRequest for Signed<A> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(config) = req.app_data::<web::Data<AuthConfig>>().cloned() else {
            return ready(Err(ApiError::internal(anyhow::anyhow!(
                "the auth settings are not registered"
            ))));
        };
        let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()) else {
            return ready(Err(ApiError::Unauthorized("请先登录".to_string())));
        };
        ready(Ok(Signed {
            token,
            request_id: request_id(req),
            config,
            access: PhantomData,
        }))
    }
}

/// The request's id, from tracing-actix-web's logger (or a fresh one without it).
pub fn request_id(req: &HttpRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|r| r.to_string())
        .unwrap_or_else(|| random_hex(16))
}
