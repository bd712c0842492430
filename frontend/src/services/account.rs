//! Logging in and out, and the users an admin manages.

use keyproj_shared::{
    LoginRequest, NewUser, SIGNED_IN_COOKIE, SessionInfo, UserItem, UserList, UserPatch,
};
use wasm_bindgen::JsValue;
use web_sys::js_sys::Reflect;

use super::api::{SESSION_URL, decode, send, url};
use super::error::ApiError;
use super::json;

/// `GET /api/session`: who is logged in; `None` when nobody is (401). Not asked at all when
/// the browser holds no `keyproj_signed_in` marker (the session cookie itself is HttpOnly):
/// then nobody can be, and an anonymous visit logs no 401.
pub async fn session() -> Result<Option<SessionInfo>, ApiError> {
    if !may_be_signed_in() {
        return Ok(None);
    }
    match send("GET", SESSION_URL, None, &[]).await {
        Ok(text) => decode(&text).map(Some),
        Err(e) if e.status() == Some(401) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `document.cookie`, read without the `HtmlDocument` binding for one property.
fn document_cookie() -> String {
    Reflect::get(&gloo::utils::document(), &JsValue::from_str("cookie"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Whether the server set the marker at a login this browser made.
pub fn may_be_signed_in() -> bool {
    let marker = format!("{SIGNED_IN_COOKIE}=1");
    document_cookie().split(';').any(|c| c.trim() == marker)
}

/// Drops the marker once the server has said the session is over (expired while away, ended
/// elsewhere), so that the next visit does not ask again.
pub(super) fn forget_signed_in() {
    let removal = format!("{SIGNED_IN_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict");
    // a failure leaves the marker: the next visit asks once more, nothing worse
    let _ = Reflect::set(
        &gloo::utils::document(),
        &JsValue::from_str("cookie"),
        &JsValue::from_str(&removal),
    );
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
