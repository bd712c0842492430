use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use keyproj_shared::{
    NEW_USER_FIELDS, NewUser, USER_PATCH_FIELDS, UserItem, UserList, UserPatch, ValidNewUser,
    ValidUserPatch,
};

use super::body::{self, Body};
use super::no_store;
use crate::accounts;
use crate::auth::{self, Admins, Signed};
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::precondition::Expected;

fn with_etag(mut res: actix_web::HttpResponseBuilder, user: &UserItem) -> HttpResponse {
    res.insert_header((header::ETAG, user.etag.clone()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(user)
}

/// Every account (admins only).
#[utoipa::path(
    operation_id = "list_users",
    tag = "users",
    responses(
        (status = 200, body = UserList),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list(
    signed: Signed<Admins>,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, ApiError> {
    let list = signed
        .with_conn(&pool, |conn, _| accounts::list(conn))
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(list))
}

/// One account, with its ETag (admins only).
#[utoipa::path(
    operation_id = "get_user",
    tag = "users",
    params(("id" = i32, Path)),
    responses((status = 200, body = UserItem), (status = 404, body = keyproj_shared::Problem, content_type = "application/problem+json"))
)]
#[get("/users/{id}")]
pub async fn get_one(
    signed: Signed<Admins>,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let item = signed
        .with_conn(&pool, move |conn, _| accounts::get(conn, id))
        .await?;
    Ok(with_etag(HttpResponse::Ok(), &item))
}

/// Create an account (admins only). `organisation` is an organisation name, for owners.
#[utoipa::path(
    tag = "users",
    request_body = NewUser,
    responses(
        (status = 201, body = UserItem),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the username is taken", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 422, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create(
    signed: Signed<Admins>,
    pool: web::Data<DbPool>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // the admin first, the body next; the slow hash with no connection held
    let caller = signed.caller_only(&pool).await?;
    let valid = new_user(&body)?;
    let password = valid.password.clone();
    let hash = web::block(move || auth::hash_password(&password)).await??;
    let actor = caller.actor();
    let item = with_conn(&pool, move |conn| {
        accounts::create(conn, &actor, &valid, &hash)
    })
    .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, format!("/api/users/{}", item.id)));
    Ok(with_etag(res, &item))
}

fn new_user(body: &[u8]) -> Result<ValidNewUser, ApiError> {
    let mut b = Body::parse(body, NEW_USER_FIELDS)?;
    let new = NewUser {
        username: b.required_string("username"),
        role: b.required_string("role"),
        organisation: b.string("organisation"),
        password: b.required_string("password"),
    };
    let valid = new.parse();
    let errors = body::merge(
        b.errors,
        valid.as_ref().err().map(Vec::as_slice).unwrap_or_default(),
        "",
    );
    match valid {
        Ok(v) if errors.is_empty() => Ok(v),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// Change an account's role, organisation or password (admins only; `If-Match` required).
#[utoipa::path(
    tag = "users",
    params(("id" = i32, Path), ("If-Match" = String, Header, description = "the user's ETag, e.g. \"u3-v1\"")),
    request_body = UserPatch,
    responses(
        (status = 200, body = UserItem),
        (status = 409, description = "an administrator changing their own role", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 412, description = "stale If-Match; the body's current_etag and the ETag header give the current one", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update(
    req: HttpRequest,
    signed: Signed<Admins>,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let caller = signed.caller_only(&pool).await?;
    let expected = Expected::from_request(&req)?;
    let valid = user_patch(&body)?;
    let hash = match valid.password.clone() {
        Some(p) => Some(web::block(move || auth::hash_password(&p)).await??),
        None => None,
    };
    let actor = caller.actor();
    let id = id.into_inner();
    let item = with_conn(&pool, move |conn| {
        accounts::update(conn, &actor, id, &expected, &valid, hash.as_deref())
    })
    .await?;
    Ok(with_etag(HttpResponse::Ok(), &item))
}

fn user_patch(body: &[u8]) -> Result<ValidUserPatch, ApiError> {
    let mut b = Body::parse(body, USER_PATCH_FIELDS)?;
    let patch = UserPatch {
        role: b.string("role"),
        organisation: b.string("organisation"),
        password: b.string("password"),
    };
    let valid = patch.parse();
    let errors = body::merge(
        b.errors,
        valid.as_ref().err().map(Vec::as_slice).unwrap_or_default(),
        keyproj_shared::NOTHING_TO_CHANGE_USER,
    );
    match valid {
        Ok(v) if errors.is_empty() => Ok(v),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// Disable an account: its sessions end at once (admins only).
#[utoipa::path(
    tag = "users",
    params(("id" = i32, Path)),
    responses(
        (status = 200, body = UserItem),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 409, description = "an administrator disabling themselves", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/disable")]
pub async fn disable(
    signed: Signed<Admins>,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    set_disabled(signed, &pool, id.into_inner(), true).await
}

/// Enable a disabled account again (admins only).
#[utoipa::path(
    tag = "users",
    params(("id" = i32, Path)),
    responses((status = 200, body = UserItem), (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"))
)]
#[post("/users/{id}/enable")]
pub async fn enable(
    signed: Signed<Admins>,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    set_disabled(signed, &pool, id.into_inner(), false).await
}

async fn set_disabled(
    signed: Signed<Admins>,
    pool: &DbPool,
    id: i32,
    disabled: bool,
) -> Result<HttpResponse, ApiError> {
    let item = signed
        .with_conn(pool, move |conn, caller| {
            accounts::set_disabled(conn, &caller.actor(), id, disabled)
        })
        .await?;
    Ok(with_etag(HttpResponse::Ok(), &item))
}
