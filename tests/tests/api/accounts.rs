use std::time::Duration;

use keyproj_shared::{Role, SessionInfo, UserItem, UserList};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{PASSWORD, SHAOSHAN, fields, ok_json, problem, spawn_app, spawn_app_with};

fn set_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("keyproj_session="))
        .expect("a session cookie")
        .to_string()
}

#[tokio::test]
async fn an_owner_logs_in_sees_who_they_are_and_logs_out_at_once() {
    let app = spawn_app().await;
    app.add_user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let res = app.login_response("zhang", PASSWORD).await;
    assert_eq!(res.status(), 200);
    let cookie = set_cookie(&res);
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    let token = cookie
        .split(';')
        .next()
        .and_then(|c| c.strip_prefix("keyproj_session="))
        .expect("a token");
    assert_eq!(token.len(), 64, "256 bits, hex");
    let info: SessionInfo = ok_json(res, "login").await;
    assert_eq!(info.user.username, "zhang");
    assert_eq!(info.user.role, Role::Owner);
    assert_eq!(
        info.user.organisation.map(|o| o.name).as_deref(),
        Some(SHAOSHAN)
    );

    let s = app.login("zhang", PASSWORD).await;
    let me: SessionInfo = s.json("/api/session").await;
    assert_eq!(me.user.username, "zhang");
    let out = s.delete("/api/session").await;
    assert_eq!(out.status(), 204);
    assert!(set_cookie(&out).contains("Max-Age=0"));
    let (status, _) = problem(s.get("/api/session").await).await;
    assert_eq!(status, 401, "logout takes effect at once");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_a_trusted_proxy_says_tls() {
    let app = spawn_app_with(|s| s.trust_proxy_headers = true).await;
    app.add_user("li", Role::Planner, None).await;
    let res = app
        .client
        .post(format!("{}/api/session", app.address))
        .header("x-requested-with", "keyproj")
        .header("x-forwarded-proto", "https")
        .json(&json!({"username": "li", "password": PASSWORD}))
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), 200);
    assert!(set_cookie(&res).contains("Secure"));
}

#[tokio::test]
async fn an_untrusted_forwarded_proto_does_not_make_the_cookie_secure() {
    let app = spawn_app().await;
    app.add_user("li", Role::Planner, None).await;
    for header in ["x-forwarded-proto", "forwarded"] {
        let value = if header == "forwarded" {
            "proto=https"
        } else {
            "https"
        };
        let res = app
            .client
            .post(format!("{}/api/session", app.address))
            .header("x-requested-with", "keyproj")
            .header(header, value)
            .json(&json!({"username": "li", "password": PASSWORD}))
            .send()
            .await
            .expect("answered");
        assert_eq!(res.status(), 200);
        let cookie = set_cookie(&res);
        assert!(cookie.starts_with("keyproj_session="), "{cookie}");
        assert!(!cookie.contains("Secure"), "{header}: {cookie}");
    }
}

#[tokio::test]
async fn an_unknown_user_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    app.add_user("wang", Role::Finance, None).await;
    let wrong = app.login_response("wang", "not the password").await;
    let unknown = app.login_response("nobody", "not the password").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let a = wrong.text().await.expect("body");
    let b = unknown.text().await.expect("body");
    assert_eq!(a, b);
    // a disabled account answers the same, even with the right password
    let admin = app.user("root", Role::Admin, None).await;
    let users: UserList = admin.json("/api/users").await;
    let wang = users
        .items
        .iter()
        .find(|u| u.username == "wang")
        .expect("wang");
    let res = admin
        .post(&format!("/api/users/{}/disable", wang.id), &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let disabled = app.login_response("wang", PASSWORD).await;
    assert_eq!(disabled.status(), 401);
    assert_eq!(disabled.text().await.expect("body"), a);
}

#[tokio::test]
async fn five_failed_logins_for_a_username_from_one_address_get_429_with_retry_after() {
    let app = spawn_app().await;
    app.add_user("zhao", Role::Finance, None).await;
    for _ in 0..5 {
        assert_eq!(
            app.login_response("zhao", "guess guess guess")
                .await
                .status(),
            401
        );
    }
    // even the right password waits now
    let res = app.login_response("zhao", PASSWORD).await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=900).contains(&retry), "{retry}");
    let (_, p) = problem(res).await;
    assert!(p.detail.is_some_and(|d| d.contains("秒")));
}

#[tokio::test]
async fn five_failed_logins_from_one_ip_get_429_whatever_the_username() {
    let app = spawn_app().await;
    for i in 0..5 {
        let res = app
            .login_response(&format!("nobody{i}"), "guess guess guess")
            .await;
        assert_eq!(res.status(), 401);
    }
    let res = app
        .login_response("somebody-else", "guess guess guess")
        .await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_forged_or_missing_session_is_401() {
    let app = spawn_app().await;
    let s = app.user("qian", Role::Admin, None).await;
    let forged = format!("keyproj_session={}", "ab".repeat(32));
    for cookie in [
        forged.as_str(),
        "keyproj_session=not-a-token",
        "keyproj_session=",
        "other=1",
    ] {
        let res = app
            .client
            .get(format!("{}/api/session", app.address))
            .header("cookie", cookie)
            .send()
            .await
            .expect("answered");
        let (status, _) = problem(res).await;
        assert_eq!(status, 401, "{cookie}");
    }
    // a forged session cannot write either
    let res = app
        .client
        .post(format!("{}/api/users", app.address))
        .header("cookie", &forged)
        .header("x-requested-with", "keyproj")
        .json(&json!({"username": "x", "role": "admin", "password": PASSWORD}))
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), 401);
    let users: UserList = s.json("/api/users").await;
    assert_eq!(users.items.len(), 1);
}

#[tokio::test]
async fn a_session_idle_longer_than_the_idle_timeout_is_401() {
    let app = spawn_app_with(|s| s.session_idle_secs = 1).await;
    let s = app.user("sun", Role::Planner, None).await;
    assert_eq!(s.get("/api/session").await.status(), 200);
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let (status, _) = problem(s.get("/api/session").await).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_busy_session_still_ends_at_its_absolute_expiry() {
    let app = spawn_app_with(|s| s.session_max_secs = 2).await;
    let s = app.user("zhou", Role::Planner, None).await;
    for _ in 0..3 {
        assert_eq!(s.get("/api/session").await.status(), 200);
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (status, _) = problem(s.get("/api/session").await).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn disabling_a_user_or_changing_their_role_takes_effect_at_once() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let planner = app.user("wu", Role::Planner, None).await;
    let finance = app.user("zheng", Role::Finance, None).await;
    assert_eq!(finance.get("/api/reports").await.status(), 200);
    let users: UserList = admin.json("/api/users").await;
    let find = |name: &str| {
        users
            .items
            .iter()
            .find(|u| u.username == name)
            .cloned()
            .expect("user")
    };

    let res = admin
        .post(&format!("/api/users/{}/disable", find("wu").id), &json!({}))
        .await;
    let disabled: UserItem = ok_json(res, "disable").await;
    assert!(disabled.disabled);
    assert_eq!(planner.get("/api/session").await.status(), 401);

    let z = find("zheng");
    let res = admin
        .patch(
            &format!("/api/users/{}", z.id),
            Some(&z.etag),
            &json!({"role": "planner"}),
        )
        .await;
    let changed: UserItem = ok_json(res, "role change").await;
    assert_eq!(changed.role, Role::Planner);
    let (status, _) = problem(finance.get("/api/reports").await).await;
    assert_eq!(status, 403, "the new role applies to the open session");
    let me: SessionInfo = finance.json("/api/session").await;
    assert_eq!(me.user.role, Role::Planner);

    // enabling again lets the planner log in again
    let res = admin
        .post(&format!("/api/users/{}/enable", find("wu").id), &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    app.login("wu", PASSWORD).await;
}

#[tokio::test]
async fn passwords_under_10_characters_are_refused_and_64_or_more_accepted() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let create = |name: &str, password: &str| json!({"username": name, "role": "planner", "password": password});
    for (name, password) in [("a", "123456789"), ("b", "九个字的中文密码啊"), ("c", "")] {
        let (status, p) = problem(admin.post("/api/users", &create(name, password)).await).await;
        assert_eq!(
            (status, fields(&p)),
            (422, vec!["password".to_string()]),
            "{password:?}"
        );
    }
    let (status, p) = problem(
        admin
            .post("/api/users", &create("d", &"x".repeat(2000)))
            .await,
    )
    .await;
    assert_eq!((status, fields(&p)), (422, vec!["password".to_string()]));
    let long = "长".repeat(100);
    for (name, password) in [("e", "十个字的中文密码对吧"), ("f", long.as_str())] {
        let res = admin.post("/api/users", &create(name, password)).await;
        assert_eq!(res.status(), 201, "{password}");
        app.login(name, password).await;
    }
}

#[tokio::test]
async fn planners_owners_and_finance_cannot_manage_users() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let others = [
        app.user("planner", Role::Planner, None).await,
        app.user("owner", Role::Owner, Some(SHAOSHAN)).await,
        app.user("finance", Role::Finance, None).await,
    ];
    let before: UserList = admin.json("/api/users").await;
    let victim = before
        .items
        .iter()
        .find(|u| u.username == "finance")
        .cloned()
        .expect("finance");
    for s in &others {
        let calls = [
            s.get("/api/users").await,
            s.get(&format!("/api/users/{}", victim.id)).await,
            s.post(
                "/api/users",
                &json!({"username": "evil", "role": "admin", "password": PASSWORD}),
            )
            .await,
            s.patch(
                &format!("/api/users/{}", victim.id),
                Some(&victim.etag),
                &json!({"role": "admin"}),
            )
            .await,
            s.post(&format!("/api/users/{}/disable", victim.id), &json!({}))
                .await,
        ];
        for res in calls {
            let (status, _) = problem(res).await;
            assert_eq!(status, 403, "{}", s.username);
        }
    }
    let after: UserList = admin.json("/api/users").await;
    assert_eq!(before, after, "nothing changed");
}

#[tokio::test]
async fn user_changes_need_the_current_etag_and_valid_values() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let res = admin
        .post(
            "/api/users",
            &json!({"username": "feng", "role": "owner", "organisation": SHAOSHAN, "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert!(res.headers().contains_key("etag"));
    let feng: UserItem = ok_json(res, "create").await;
    assert_eq!(feng.etag, format!("\"u{}-v1\"", feng.id));

    let (status, p) = problem(
        admin
            .post(
                "/api/users",
                &json!({"username": "feng", "role": "planner", "password": PASSWORD}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 409, "{p:?}");
    for (body, field) in [
        (
            json!({"username": "a1", "role": "owner", "password": PASSWORD}),
            "organisation",
        ),
        (
            json!({"username": "a2", "role": "finance", "organisation": SHAOSHAN, "password": PASSWORD}),
            "organisation",
        ),
        (
            json!({"username": "a3", "role": "owner", "organisation": "没有这个单位", "password": PASSWORD}),
            "organisation",
        ),
        (
            json!({"username": "a4", "role": "boss", "password": PASSWORD}),
            "role",
        ),
        (
            json!({"username": "a 5", "role": "admin", "password": PASSWORD}),
            "username",
        ),
        (
            json!({"username": "a6", "role": "admin", "password": PASSWORD, "disabled": false}),
            "disabled",
        ),
    ] {
        let (status, p) = problem(admin.post("/api/users", &body).await).await;
        assert_eq!(
            (status, fields(&p)),
            (422, vec![field.to_string()]),
            "{body}"
        );
    }

    let path = format!("/api/users/{}", feng.id);
    let (status, _) = problem(admin.patch(&path, None, &json!({"role": "planner"})).await).await;
    assert_eq!(status, 428);
    let res = admin
        .patch(&path, Some(&feng.etag), &json!({"role": "planner"}))
        .await;
    let planner: UserItem = ok_json(res, "patch").await;
    assert_eq!((planner.role, planner.organisation), (Role::Planner, None));
    let res = admin
        .patch(&path, Some(&feng.etag), &json!({"role": "finance"}))
        .await;
    assert_eq!(res.status(), 412);
    assert_eq!(
        res.headers().get("etag").and_then(|v| v.to_str().ok()),
        Some(planner.etag.as_str())
    );
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["current_etag"], planner.etag.as_str());
    assert_eq!(body["current_version"], 2);
    // an admin cannot demote themselves
    let me: SessionInfo = admin.json("/api/session").await;
    let mine: UserItem = admin.json(&format!("/api/users/{}", me.user.id)).await;
    let (status, _) = problem(
        admin
            .patch(
                &format!("/api/users/{}", me.user.id),
                Some(&mine.etag),
                &json!({"role": "planner"}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn a_new_password_ends_the_users_sessions() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let chen = app.user("chen", Role::Finance, None).await;
    let users: UserList = admin.json("/api/users").await;
    let c = users
        .items
        .iter()
        .find(|u| u.username == "chen")
        .expect("chen");
    let res = admin
        .patch(
            &format!("/api/users/{}", c.id),
            Some(&c.etag),
            &json!({"password": "a brand new password"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(chen.get("/api/session").await.status(), 401);
    assert_eq!(app.login_response("chen", PASSWORD).await.status(), 401);
    app.login("chen", "a brand new password").await;
}

#[tokio::test]
async fn the_command_line_adds_lists_disables_and_enables_users() {
    let app = spawn_app().await;
    let settings = crate::helpers::settings(&app.database_url, std::path::Path::new("."));
    let run = move |command: keyproj::UserCommand, input: &'static str| {
        let settings = settings.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                let mut out = Vec::new();
                let r = keyproj::cli::run_user_command(
                    &settings,
                    &command,
                    &mut std::io::Cursor::new(input.as_bytes()),
                    &mut out,
                );
                (r, String::from_utf8(out).expect("utf-8"))
            })
            .await
            .expect("joined")
        }
    };
    let add = |username: &str, role: &str, org: Option<&str>| keyproj::UserCommand::Add {
        username: username.into(),
        role: role.into(),
        org: org.map(Into::into),
    };
    let (r, _) = run(add("short", "admin", None), "123456789\n").await;
    let e = format!("{:#}", r.expect_err("a short password is refused"));
    assert!(e.contains("--password"), "{e}");
    let (r, _) = run(add("o", "owner", Some("韶山")), "long enough password\n").await;
    let e = format!("{:#}", r.expect_err("an unknown organisation"));
    assert!(e.contains("--org") && e.contains(SHAOSHAN), "suggests: {e}");
    let (r, out) = run(add("boss", "admin", None), "long enough password\n").await;
    r.expect("added");
    assert!(out.contains("boss"), "{out}");
    let (r, _) = run(
        add("o", "owner", Some(SHAOSHAN)),
        "another good password\r\n",
    )
    .await;
    r.expect("added");
    app.login("boss", "long enough password").await;
    app.login("o", "another good password").await;

    let (r, out) = run(keyproj::UserCommand::List, "").await;
    r.expect("listed");
    assert!(out.contains("boss") && out.contains(SHAOSHAN), "{out}");
    let (r, _) = run(
        keyproj::UserCommand::Disable {
            username: "o".into(),
        },
        "",
    )
    .await;
    r.expect("disabled");
    assert_eq!(
        app.login_response("o", "another good password")
            .await
            .status(),
        401
    );
    let (r, _) = run(
        keyproj::UserCommand::Enable {
            username: "o".into(),
        },
        "",
    )
    .await;
    r.expect("enabled");
    app.login("o", "another good password").await;
}

#[tokio::test]
async fn demo_mode_creates_one_account_per_role_once() {
    let app = spawn_app_with(|s| s.demo = true).await;
    let roles: Vec<Role> = app.demo_accounts.iter().map(|(_, r, _)| *r).collect();
    assert_eq!(
        roles,
        [Role::Admin, Role::Planner, Role::Finance, Role::Owner]
    );
    for (username, _, password) in &app.demo_accounts {
        assert!(password.chars().count() >= 10);
        app.login(username, password).await;
    }
    // a second start on the same database creates nothing and changes no password
    let again = crate::helpers::spawn_app_configured(
        tempfile::tempdir().expect("dir"),
        app.database_url.clone(),
        None,
        |s| s.demo = true,
    )
    .await;
    assert!(again.demo_accounts.is_empty());
    let (username, _, password) = &app.demo_accounts[0];
    again.login(username, password).await;
    // without --demo there are no accounts at all
    let plain = spawn_app().await;
    assert_eq!(
        plain.login_response("demo-admin", password).await.status(),
        401
    );
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = spawn_app().await;
    let res = app.get("/api/projects/A01").await;
    let id = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("X-Request-Id");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let s = app.user("root", Role::Admin, None).await;
    let res = s
        .request(Method::GET, "/api/nope")
        .send()
        .await
        .expect("answered");
    assert!(res.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn twenty_concurrent_wrong_passwords_get_at_most_five_answers_that_are_not_429() {
    let app = spawn_app().await;
    app.add_user("sun", Role::Planner, None).await;
    crate::logins::wrong_password_burst(&app, None, "sun").await;
    // each wrong password was counted: even the right one waits now
    assert_eq!(app.login_response("sun", PASSWORD).await.status(), 429);
}

#[tokio::test]
async fn a_right_password_after_wrong_ones_logs_in_and_is_not_counted() {
    let app = spawn_app().await;
    app.add_user("zhou", Role::Planner, None).await;
    for _ in 0..4 {
        let res = app.login_response("zhou", "guess guess guess").await;
        assert_eq!(res.status(), 401);
    }
    // the fifth attempt is right: it logs in, and does not count as a failure
    assert_eq!(app.login_response("zhou", PASSWORD).await.status(), 200);
    assert_eq!(app.login_response("zhou", PASSWORD).await.status(), 200);
    assert_eq!(
        app.login_response("zhou", "guess guess guess")
            .await
            .status(),
        401
    );
    assert_eq!(app.login_response("zhou", PASSWORD).await.status(), 429);
}

#[tokio::test]
async fn if_match_may_list_several_etags_and_any_current_strong_one_matches() {
    let app = spawn_app().await;
    let admin = app.user("wu", Role::Admin, None).await;
    app.add_user("zheng", Role::Planner, None).await;
    let users: UserList = admin.json("/api/users").await;
    let target = users
        .items
        .into_iter()
        .find(|u| u.username == "zheng")
        .expect("user");
    let path = format!("/api/users/{}", target.id);
    let change = json!({"role": "finance"});
    // neither a weak tag nor `*` names a version
    for stale in [
        format!("\"u{}-v99\", W/{}", target.id, target.etag),
        "*".to_string(),
    ] {
        let (status, _) = problem(admin.patch(&path, Some(&stale), &change).await).await;
        assert_eq!(status, 412, "{stale}");
    }
    let list = format!("\"u{}-v99\", {}", target.id, target.etag);
    let changed: UserItem = ok_json(admin.patch(&path, Some(&list), &change).await, &list).await;
    assert_eq!(
        (changed.role, changed.version),
        (Role::Finance, target.version + 1)
    );
}
