use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use keyproj_shared::SessionInfo;

use super::body::Body;
use super::no_store;
use crate::accounts;
use crate::auth::{self, AuthConfig, LoginGate, Signed};
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;

/// Log in: sets the `keyproj_session` cookie (HttpOnly, SameSite=Strict, Path=/, Secure
/// over TLS), and `keyproj_signed_in=1` beside it, readable by the web app, which asks
/// `GET /api/session` only when that marker is there.
#[utoipa::path(
    tag = "session",
    request_body = keyproj_shared::LoginRequest,
    responses(
        (status = 200, body = SessionInfo, description = "logged in; the cookie is set"),
        (status = 401, description = "unknown user, disabled user or wrong password: the same answer", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, description = "cross-site request (no X-Requested-With, or another Origin)", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 429, description = "five failed logins in 15 minutes from this IP, or this account paced to one attempt a minute after ten; see Retry-After", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/session")]
pub async fn login(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    config: web::Data<AuthConfig>,
    gate: web::Data<LoginGate>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let mut b = Body::parse(&body, &["username", "password"])?;
    let username = b.required_string("username").trim().to_string();
    let password = b.required_string("password");
    if !b.errors.is_empty() {
        return Err(ApiError::Validation(b.errors));
    }
    let ip = auth::client_ip(&req, &config);
    let request_id = auth::request_id(&req);
    // queued behind this address's attempts in flight (see auth::gate), counted, checked
    // with no connection held (argon2 is slow), then the session
    let _turn = gate.enter(&ip).await;
    let attempt = with_conn(&pool, move |conn| {
        accounts::begin_login(conn, &username, &ip)
    })
    .await?;
    let verified = {
        let _hashing = gate.hash_turn().await;
        web::block(move || accounts::check_password(attempt, &password)).await??
    };
    let cfg = config.get_ref().clone();
    let logged_in = with_conn(&pool, move |conn| {
        accounts::finish_login(conn, &cfg, &verified, &request_id)
    })
    .await?;
    let tls = auth::is_tls(&req, &config);
    Ok(no_store(HttpResponse::Ok())
        .cookie(auth::session_cookie(&logged_in.token, tls, config.max_secs))
        .cookie(auth::signed_in_marker(tls, config.max_secs))
        .json(logged_in.info))
}

/// Who is logged in: 401 when nobody.
#[utoipa::path(
    tag = "session",
    responses(
        (status = 200, body = SessionInfo),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/session")]
pub async fn current(
    signed: Signed,
    pool: web::Data<DbPool>,
    config: web::Data<AuthConfig>,
) -> Result<HttpResponse, ApiError> {
    let info = signed
        .with_conn(&pool, move |_, caller| {
            Ok(accounts::session_info(
                &caller.user,
                &caller.expires_at,
                &config,
            ))
        })
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(info))
}

/// Log out: the session ends at once and the cookie (and its marker) are removed. 204 even
/// without a session.
#[utoipa::path(
    tag = "session",
    responses((status = 204, description = "logged out"))
)]
#[delete("/session")]
pub async fn logout(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    config: web::Data<AuthConfig>,
    signed: Option<Signed>,
) -> Result<HttpResponse, ApiError> {
    if let Some(signed) = signed {
        let ended = signed
            .with_conn(&pool, |conn, caller| {
                accounts::logout(conn, &caller.actor(), caller.session_id)
            })
            .await;
        match ended {
            // no session, or one already over: there is nothing to end
            Ok(()) | Err(ApiError::Unauthorized(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(HttpResponse::NoContent()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(auth::removal_cookie(auth::is_tls(&req, &config)))
        .cookie(auth::signed_in_marker_removal(auth::is_tls(&req, &config)))
        .finish())
}
