//! The `keyproj_signed_in` marker: set and removed with the session cookie, readable by the
//! web app, so that an anonymous visit never asks `GET /api/session` (whose 401 is a console
//! error).

use keyproj_shared::{Role, SIGNED_IN_COOKIE};

use crate::helpers::{PASSWORD, spawn_app};

/// The `Set-Cookie` of cookie `name` in `res`.
fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

#[tokio::test]
async fn logging_in_sets_a_readable_marker_beside_the_session_and_logging_out_removes_both() {
    let app = spawn_app().await;
    app.add_user("zhang", Role::Planner, None).await;
    let res = app.login_response("zhang", PASSWORD).await;
    assert_eq!(res.status(), 200);
    let session = set_cookie(&res, "keyproj_session").expect("the session cookie");
    let marker = set_cookie(&res, SIGNED_IN_COOKIE).expect("the marker");
    assert!(
        marker.starts_with(&format!("{SIGNED_IN_COOKIE}=1;")),
        "{marker}"
    );
    assert!(
        !marker.contains("HttpOnly"),
        "the app must read it: {marker}"
    );
    for attribute in ["SameSite=Strict", "Path=/"] {
        assert!(marker.contains(attribute), "{attribute} missing: {marker}");
    }
    let max_age = |c: &str| {
        c.split(';')
            .find_map(|a| a.trim().strip_prefix("Max-Age=").map(str::to_string))
    };
    assert_eq!(
        max_age(&marker),
        max_age(&session),
        "as long-lived as the session"
    );

    let s = app.login("zhang", PASSWORD).await;
    let out = s.delete("/api/session").await;
    assert_eq!(out.status(), 204);
    let removed = set_cookie(&out, SIGNED_IN_COOKIE).expect("the marker's removal");
    assert!(removed.contains("Max-Age=0"), "{removed}");
}

#[tokio::test]
async fn the_marker_grants_nothing() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(format!("{}/api/session", app.address))
        .header("cookie", format!("{SIGNED_IN_COOKIE}=1"))
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), 401);
}
