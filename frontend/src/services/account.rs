//! Logging in and out, and the users an admin manages.

use keyproj_shared::{LoginRequest, NewUser, SessionInfo, UserItem, UserList, UserPatch};

use super::api::{SESSION_URL, decode, send, url};
use super::error::ApiError;
use super::json;

/// `GET /api/session`: who is logged in; `None` when nobody is (401).
pub async fn session() -> Result<Option<SessionInfo>, ApiError> {
    match send("GET", SESSION_URL, None, &[]).await {
        Ok(text) => decode(&text).map(Some),
        Err(e) if e.status() == Some(401) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `POST /api/session`: 401 for a wrong name or password, 429 after repeated failures.
pub async fn login(username: &str, password: &str) -> Result<SessionInfo, ApiError> {
    let body = json::to_string(&LoginRequest {
        username: username.to_string(),
        password: password.to_string(),
    });
    decode(&send("POST", SESSION_URL, Some(&body), &[]).await?)
}

/// `DELETE /api/session`.
pub async fn logout() -> Result<(), ApiError> {
    send("DELETE", SESSION_URL, None, &[]).await.map(drop)
}

/// `GET /api/users` (admins).
pub async fn users() -> Result<UserList, ApiError> {
    decode(&send("GET", &url("/users", ""), None, &[]).await?)
}

/// `POST /api/users`: 409 when the name is taken.
pub async fn create_user(user: &NewUser) -> Result<UserItem, ApiError> {
    let body = json::to_string(user);
    decode(&send("POST", &url("/users", ""), Some(&body), &[]).await?)
}

/// `PATCH /api/users/{id}` with the `etag` the user was read with.
pub async fn update_user(id: i64, etag: &str, patch: &UserPatch) -> Result<UserItem, ApiError> {
    let path = format!("/users/{id}");
    decode(
        &send(
            "PATCH",
            &url(&path, ""),
            Some(&json::to_string(patch)),
            &[("If-Match", etag)],
        )
        .await?,
    )
}

/// `POST /api/users/{id}/disable` or `/enable`.
pub async fn set_user_disabled(id: i64, disabled: bool) -> Result<UserItem, ApiError> {
    let what = if disabled { "disable" } else { "enable" };
    let path = format!("/users/{id}/{what}");
    decode(&send("POST", &url(&path, ""), None, &[]).await?)
}
