//! Login throttling by address and by account: failures from one address stop that
//! address, not the account's owner elsewhere; an account sprayed from many addresses is
//! paced. Addresses are set with `X-Forwarded-For`, which a server trusts only with
//! `--trust-proxy-headers`.

use keyproj_shared::Role;
use reqwest::Response;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, spawn_app_with};

const WRONG: &str = "guess guess guess";

async fn login_from(app: &TestApp, ip: &str, username: &str, password: &str) -> Response {
    app.client
        .post(format!("{}/api/session", app.address))
        .header("x-requested-with", "keyproj")
        .header("x-forwarded-for", ip)
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("answered")
}

/// Twenty wrong passwords for `username` at once (from `ip` when the server trusts
/// `X-Forwarded-For`, else from the test's own address): at most five may be counted, i.e.
/// answered other than 429, and each answer is 401 or 429.
pub(crate) async fn wrong_password_burst(app: &TestApp, ip: Option<&str>, username: &str) {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let mut req = app
            .client
            .post(format!("{}/api/session", app.address))
            .header("x-requested-with", "keyproj")
            .json(&json!({"username": username, "password": WRONG}));
        if let Some(ip) = ip {
            req = req.header("x-forwarded-for", ip);
        }
        tasks.spawn(async move { req.send().await.expect("answered").status().as_u16() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("joined"));
    }
    let counted = statuses.iter().filter(|s| **s != 429).count();
    assert!(counted <= 5, "{counted} answers were not 429: {statuses:?}");
    assert!(
        statuses.iter().all(|s| [401, 429].contains(s)),
        "{statuses:?}"
    );
}

fn retry_after(res: &Response) -> u64 {
    res.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds")
}

async fn behind_a_proxy() -> TestApp {
    spawn_app_with(|s| s.trust_proxy_headers = true).await
}

#[tokio::test]
async fn five_wrong_passwords_stop_their_address_but_not_the_owner_elsewhere() {
    let app = behind_a_proxy().await;
    app.add_user("zhao", Role::Finance, None).await;
    for _ in 0..5 {
        let res = login_from(&app, "10.0.0.1", "zhao", WRONG).await;
        assert_eq!(res.status(), 401);
    }
    // the guessing address waits, even with the right password and for other accounts
    let res = login_from(&app, "10.0.0.1", "zhao", PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert!((1..=900).contains(&retry_after(&res)));
    app.add_user("qian", Role::Planner, None).await;
    let res = login_from(&app, "10.0.0.1", "qian", PASSWORD).await;
    assert_eq!(res.status(), 429);
    // the owner, somewhere else, gets in
    let res = login_from(&app, "10.0.0.2", "zhao", PASSWORD).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn twenty_concurrent_wrong_passwords_from_one_address_get_at_most_five_not_429() {
    let app = behind_a_proxy().await;
    app.add_user("sun", Role::Planner, None).await;
    wrong_password_burst(&app, Some("10.0.0.9"), "sun").await;
    // the owner at another address is not stopped by them
    let res = login_from(&app, "10.0.0.10", "sun", PASSWORD).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn an_account_sprayed_from_many_addresses_is_paced_to_one_attempt_a_minute() {
    let app = behind_a_proxy().await;
    app.add_user("wu", Role::Planner, None).await;
    // ten failures from five addresses, two each: no address reaches its own limit
    for i in 0..10 {
        let res = login_from(&app, &format!("10.1.0.{}", i / 2), "wu", WRONG).await;
        assert_eq!(res.status(), 401, "attempt {i}");
    }
    // from now on the account takes one attempt a minute, from any address
    let res = login_from(&app, "10.2.0.1", "wu", WRONG).await;
    assert_eq!(res.status(), 429);
    assert!((1..=60).contains(&retry_after(&res)));
    let res = login_from(&app, "10.2.0.2", "wu", PASSWORD).await;
    assert_eq!(
        res.status(),
        429,
        "the owner waits too, but a minute at most"
    );
    assert!((1..=60).contains(&retry_after(&res)));
    // other accounts are not paced
    app.add_user("zheng", Role::Planner, None).await;
    let res = login_from(&app, "10.2.0.3", "zheng", PASSWORD).await;
    assert_eq!(res.status(), 200);
}

/// An office behind one address logging in at nine o'clock: attempts in flight count as
/// failures until their password proves right, so without the per-address queue most of
/// these would be 429.
#[tokio::test]
async fn thirty_two_people_behind_one_address_logging_in_at_once_all_get_in() {
    let app = behind_a_proxy().await;
    for i in 0..32 {
        app.add_user(&format!("office{i}"), Role::Planner, None)
            .await;
    }
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..32 {
        let req = app
            .client
            .post(format!("{}/api/session", app.address))
            .header("x-requested-with", "keyproj")
            .header("x-forwarded-for", "10.3.0.1")
            .json(&json!({"username": format!("office{i}"), "password": PASSWORD}));
        tasks.spawn(async move { req.send().await.expect("answered").status().as_u16() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("joined"));
    }
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    // and guesses from that address still stop at five
    wrong_password_burst(&app, Some("10.3.0.1"), "office0").await;
}
