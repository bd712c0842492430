use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use keyproj_shared::{
    NEW_USER_FIELDS, NewUser, Role, USER_PATCH_FIELDS, UserItem, UserList, UserPatch,
};

use super::body::{self, Body};
use super::{if_match, no_store, with_conn};
use crate::accounts;
use crate::auth::{self, CurrentUser, SameOrigin};
use crate::db::DbPool;
use crate::error::ApiError;

const ADMIN: &[Role] = &[Role::Admin];

fn with_etag(mut res: actix_web::HttpResponseBuilder, user: &UserItem) -> HttpResponse {
    res.insert_header((header::ETAG, user.etag.clone()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(user)
}

/// Every account (admins only).
#[utoipa::path(
    get,
    path = "/api/users",
    tag = "users",
    responses(
        (status = 200, body = UserList),
        (status = 401, body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list(user: CurrentUser, pool: web::Data<DbPool>) -> Result<HttpResponse, ApiError> {
    user.user.require(ADMIN)?;
    let list = with_conn(&pool, accounts::list).await?;
    Ok(no_store(HttpResponse::Ok()).json(list))
}

/// One account, with its ETag (admins only).
#[utoipa::path(
    get,
    path = "/api/users/{id}",
    tag = "users",
    params(("id" = i32, Path)),
    responses((status = 200, body = UserItem), (status = 404, body = keyproj_shared::Problem, content_type = "application/problem+json"))
)]
#[get("/users/{id}")]
pub async fn get_one(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    user.user.require(ADMIN)?;
    let id = id.into_inner();
    let item = with_conn(&pool, move |conn| accounts::get(conn, id)).await?;
    Ok(with_etag(HttpResponse::Ok(), &item))
}

/// Create an account (admins only). `organisation` is an organisation name, for owners.
#[utoipa::path(
    post,
    path = "/api/users",
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
    _: SameOrigin,
    user: CurrentUser,
    pool: web::Data<DbPool>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    user.user.require(ADMIN)?;
    let mut b = Body::parse(&body, NEW_USER_FIELDS)?;
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
    let valid = match valid {
        Ok(v) if errors.is_empty() => v,
        _ => return Err(ApiError::Validation(errors)),
    };
    let password = valid.password.clone();
    let hash = web::block(move || auth::hash_password(&password)).await??;
    let actor = user.actor();
    let item = with_conn(&pool, move |conn| {
        accounts::create(conn, &actor, &valid, &hash)
    })
    .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, format!("/api/users/{}", item.id)));
    Ok(with_etag(res, &item))
}

/// Change an account's role, organisation or password (admins only; `If-Match` required).
#[utoipa::path(
    patch,
    path = "/api/users/{id}",
    tag = "users",
    params(("id" = i32, Path), ("If-Match" = String, Header, description = "the user's ETag, e.g. \"u3-v1\"")),
    request_body = UserPatch,
    responses(
        (status = 200, body = UserItem),
        (status = 412, description = "stale If-Match; the body's current_etag and the ETag header give the current one", body = keyproj_shared::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update(
    _: SameOrigin,
    req: HttpRequest,
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    user.user.require(ADMIN)?;
    let expected = if_match(&req)?;
    let mut b = Body::parse(&body, USER_PATCH_FIELDS)?;
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
    let valid = match valid {
        Ok(v) if errors.is_empty() => v,
        _ => return Err(ApiError::Validation(errors)),
    };
    let hash = match valid.password.clone() {
        Some(p) => Some(web::block(move || auth::hash_password(&p)).await??),
        None => None,
    };
    let actor = user.actor();
    let id = id.into_inner();
    let item = with_conn(&pool, move |conn| {
        accounts::update(conn, &actor, id, &expected, &valid, hash.as_deref())
    })
    .await?;
    Ok(with_etag(HttpResponse::Ok(), &item))
}

/// Disable an account: its sessions end at once (admins only).
#[utoipa::path(
    post,
    path = "/api/users/{id}/disable",
    tag = "users",
    params(("id" = i32, Path)),
    responses((status = 200, body = UserItem), (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"))
)]
#[post("/users/{id}/disable")]
pub async fn disable(
    _: SameOrigin,
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    set_disabled(user, pool, id.into_inner(), true).await
}

/// Enable a disabled account again (admins only).
#[utoipa::path(
    post,
    path = "/api/users/{id}/enable",
    tag = "users",
    params(("id" = i32, Path)),
    responses((status = 200, body = UserItem), (status = 403, body = keyproj_shared::Problem, content_type = "application/problem+json"))
)]
#[post("/users/{id}/enable")]
pub async fn enable(
    _: SameOrigin,
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    set_disabled(user, pool, id.into_inner(), false).await
}

async fn set_disabled(
    user: CurrentUser,
    pool: web::Data<DbPool>,
    id: i32,
    disabled: bool,
) -> Result<HttpResponse, ApiError> {
    user.user.require(ADMIN)?;
    let actor = user.actor();
    let item = with_conn(&pool, move |conn| {
        accounts::set_disabled(conn, &actor, id, disabled)
    })
    .await?;
    Ok(with_etag(HttpResponse::Ok(), &item))
}
