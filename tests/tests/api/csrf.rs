//! The CSRF rule is middleware on every unsafe method under /api. Each such route of the
//! served document gets a request the server would accept, then is sent without
//! `X-Requested-With` and from another origin: 403, and nothing changes.

use keyproj_shared::Role;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};

use crate::docs::operations;
use crate::helpers::{
    PASSWORD, SHAOSHAN, Session, TestApp, ok_json, problem, report_body, spawn_app, spawn_app_with,
};

/// A write the server would accept, and where to see the object it changes.
struct Write {
    /// None: no session cookie (logging in)
    who: Option<Session>,
    path: String,
    body: Value,
    /// a workbook upload: sent as multipart instead of `body`
    upload: Option<Vec<u8>>,
    if_match: Option<String>,
    /// who reads the object, and where: the answer must not change on a refused request
    shown_to: Session,
    shown_at: String,
}

enum Sent {
    WithoutHeader,
    FromAnotherSite,
    AsTheApp,
}

impl Write {
    fn request(&self, app: &TestApp, method: &Method, sent: Sent) -> RequestBuilder {
        let mut r = app
            .client
            .request(method.clone(), format!("{}{}", app.address, self.path));
        r = match &self.upload {
            Some(bytes) => {
                let (content_type, body) = crate::report_import::multipart(bytes, "csrf.xlsx");
                r.header("content-type", content_type).body(body)
            }
            None => r.json(&self.body),
        };
        if let Some(s) = &self.who {
            r = r.header("cookie", &s.cookie);
        }
        if let Some(e) = &self.if_match {
            r = r.header("if-match", e);
        }
        match sent {
            Sent::WithoutHeader => r,
            Sent::FromAnotherSite => r
                .header("x-requested-with", "keyproj")
                .header("origin", "http://evil.example"),
            Sent::AsTheApp => r.header("x-requested-with", "keyproj"),
        }
    }

    async fn shown(&self) -> (u16, String) {
        let res = self.shown_to.get(&self.shown_at).await;
        (res.status().as_u16(), res.text().await.expect("a body"))
    }
}

struct Fixtures {
    admin: Session,
    planner: Session,
    finance: Session,
    owner: Session,
    /// projects of the owner's organisation, one per fixture that needs its own
    own: Vec<String>,
}

impl Fixtures {
    async fn new(app: &TestApp) -> Fixtures {
        let admin = app.user("root", Role::Admin, None).await;
        let planner = app.user("ping", Role::Planner, None).await;
        let finance = app.user("cai", Role::Finance, None).await;
        let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
        let own = crate::helpers::all_projects(app)
            .await
            .into_iter()
            .filter(|p| p.owners.iter().any(|o| o.name == SHAOSHAN))
            .map(|p| p.code)
            .collect::<Vec<_>>();
        assert!(own.len() >= 3, "{own:?}");
        Fixtures {
            admin,
            planner,
            finance,
            owner,
            own,
        }
    }

    /// A user the admin may change, as the API shows it.
    async fn user(&self, app: &TestApp, name: &str, disabled: bool) -> Value {
        app.add_user(name, Role::Planner, None).await;
        let list: Value = self.admin.json("/api/users").await;
        let id = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|u| u["username"] == name)
            .expect("the user")["id"]
            .clone();
        if disabled {
            let res = self
                .admin
                .post(&format!("/api/users/{id}/disable"), &json!({}))
                .await;
            let _: Value = ok_json(res, "disabling").await;
        }
        self.admin.json(&format!("/api/users/{id}")).await
    }

    /// A report submitted for review, as finance sees it.
    async fn submitted_report(&self, code: &str) -> Value {
        let res = self.owner.report(code, &report_body("2024-03", "1")).await;
        let r: Value = ok_json(res, "submitting").await;
        self.finance
            .json(&format!("/api/reports/{}", r["id"]))
            .await
    }

    async fn write(&self, app: &TestApp, method: &str, path: &str) -> Write {
        let write = |who: &Session, path: String, body: Value, if_match: Option<Value>| Write {
            who: Some(who.clone()),
            shown_to: who.clone(),
            shown_at: path.clone(),
            path,
            body,
            upload: None,
            if_match: if_match.and_then(|e| e.as_str().map(str::to_string)),
        };
        match (method, path) {
            ("POST", "/api/session") => Write {
                who: None,
                path: path.into(),
                body: json!({"username": "zhang", "password": PASSWORD}),
                upload: None,
                if_match: None,
                shown_to: self.admin.clone(),
                shown_at: "/api/audit?entity=session".into(),
            },
            ("DELETE", "/api/session") => {
                let s = app.login("ping", PASSWORD).await;
                write(&s, path.into(), json!({}), None)
            }
            ("POST", "/api/users") => Write {
                shown_at: "/api/users".into(),
                ..write(
                    &self.admin,
                    path.into(),
                    json!({"username": "newcomer", "role": "planner", "password": PASSWORD}),
                    None,
                )
            },
            ("PATCH", "/api/users/{id}") => {
                let u = self.user(app, "patched", false).await;
                write(
                    &self.admin,
                    format!("/api/users/{}", u["id"]),
                    json!({"role": "finance"}),
                    Some(u["etag"].clone()),
                )
            }
            ("POST", "/api/users/{id}/disable" | "/api/users/{id}/enable") => {
                let enable = path.ends_with("enable");
                let u = self
                    .user(app, if enable { "off" } else { "on" }, enable)
                    .await;
                Write {
                    shown_at: format!("/api/users/{}", u["id"]),
                    ..write(
                        &self.admin,
                        path.replace("{id}", &u["id"].to_string()),
                        json!({}),
                        None,
                    )
                }
            }
            ("PATCH", "/api/projects/{code}") => {
                let p: Value = app.json("/api/projects/A01", &[]).await;
                write(
                    &self.planner,
                    "/api/projects/A01".into(),
                    json!({"reason": "核对", "remarks": "跨站修改"}),
                    Some(p["etag"].clone()),
                )
            }
            ("POST", "/api/projects/{code}/reports") => write(
                &self.owner,
                format!("/api/projects/{}/reports", self.own[0]),
                report_body("2024-03", "1"),
                None,
            ),
            ("POST", "/api/reports/import") => {
                let code = &self.own[0];
                let rows = [crate::report_import::row(code, "2024-04", "40", "1")];
                Write {
                    upload: Some(crate::report_import::workbook(
                        &crate::report_import::headers(),
                        &rows,
                    )),
                    shown_at: format!("/api/projects/{code}/reports"),
                    ..write(
                        &self.owner,
                        "/api/reports/import?dry_run=false".into(),
                        json!({}),
                        None,
                    )
                }
            }
            ("POST", "/api/reports/{id}/approve" | "/api/reports/{id}/return") => {
                let code = if path.ends_with("approve") {
                    &self.own[1]
                } else {
                    &self.own[2]
                };
                let r = self.submitted_report(code).await;
                Write {
                    shown_at: format!("/api/reports/{}", r["id"]),
                    ..write(
                        &self.finance,
                        path.replace("{id}", &r["id"].to_string()),
                        json!({"reason": "累计完成投资与台账不符"}),
                        Some(r["etag"].clone()),
                    )
                }
            }
            ("PUT", "/api/projects/{code}/plans/{year}") => {
                let plans: Value = app.json("/api/projects/A01/plans", &[]).await;
                let year = plans["first_year"].as_i64().expect("a year");
                write(
                    &self.planner,
                    format!("/api/projects/A01/plans/{year}"),
                    json!({"reason": "年初编制", "planned_investment": "1"}),
                    Some(json!(format!("\"plan-A01-{year}-v0\""))),
                )
            }
            ("POST", "/api/plans/import") => {
                let plans: Value = app.json("/api/projects/A01/plans", &[]).await;
                let year = plans["last_year"].as_i64().expect("a year").to_string();
                let rows = [crate::plan_import::row(&[
                    ("project_code", "A01"),
                    ("year", &year),
                    ("planned_investment", "2"),
                    ("reason", "年初编制"),
                ])];
                Write {
                    upload: Some(crate::plan_import::workbook(&rows)),
                    shown_at: "/api/projects/A01/plans".into(),
                    ..write(&self.planner, path.into(), json!({}), None)
                }
            }
            ("PUT", "/api/warning-rules") => Write {
                shown_at: "/api/warning-rules".into(),
                ..write(
                    &self.admin,
                    path.into(),
                    json!({
                        "reason": "调整", "lag_mode": "points", "lag_yellow_from": "15",
                        "lag_red_above": "30", "relative_yellow_up_to": "50",
                        "start_lag_red_months": 3, "report_deadline_day": 5,
                        "not_reported_red_months": 2, "divergence_above": "30",
                    }),
                    Some(json!("\"rules-v1\"")),
                )
            },
            _ => panic!("{method} {path} changes state and has no fixture here: add one"),
        }
    }
}

async fn audit_total(admin: &Session) -> u64 {
    let page: Value = admin.json("/api/audit?per_page=1").await;
    page["total"].as_u64().expect("a total")
}

#[tokio::test]
async fn every_unsafe_route_refuses_a_cross_site_request_that_it_would_otherwise_accept() {
    let app = spawn_app().await;
    let fixtures = Fixtures::new(&app).await;
    let doc: Value = app.json("/api/openapi.json", &[]).await;
    let unsafe_ops: Vec<(String, String)> = operations(&doc)
        .into_iter()
        .filter(|(m, _)| m != "GET")
        .collect();
    assert!(unsafe_ops.len() >= 10, "{unsafe_ops:?}");
    for (m, template) in &unsafe_ops {
        let method = Method::from_bytes(m.as_bytes()).expect("a method");
        let w = fixtures.write(&app, m, template).await;
        let what = format!("{m} {}", w.path);
        let before = (w.shown().await, audit_total(&fixtures.admin).await);
        for sent in [Sent::WithoutHeader, Sent::FromAnotherSite] {
            let res = w
                .request(&app, &method, sent)
                .send()
                .await
                .expect("answered");
            assert!(
                !res.headers().contains_key("set-cookie"),
                "{what} set a cookie"
            );
            let (status, p) = problem(res).await;
            assert_eq!(status, 403, "{what}: {p:?}");
            assert!(
                p.detail
                    .as_deref()
                    .is_some_and(|d| d.contains("跨站请求被拒绝")),
                "{what}: {p:?}"
            );
            let after = (w.shown().await, audit_total(&fixtures.admin).await);
            if let Some(t) = app.tally.as_ref().filter(|_| before != after) {
                t.lost(1);
            }
            assert_eq!(before, after, "{what} changed something");
        }
        // the same request as the app sends it is accepted: so the refusals were CSRF's
        let res = w
            .request(&app, &method, Sent::AsTheApp)
            .send()
            .await
            .expect("answered");
        let status = res.status();
        assert!(
            status.is_success(),
            "{what} as the app: {status} {}",
            res.text().await.unwrap_or_default()
        );
        assert!(
            audit_total(&fixtures.admin).await > before.1,
            "{what} as the app left no audit entry"
        );
    }
}

#[tokio::test]
async fn a_post_from_another_origin_is_403() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let path = format!("/api/projects/{}/reports", own.code);
    let host = app.address.trim_start_matches("http://").to_string();
    let cross: [(&str, String); 7] = [
        ("origin", "http://evil.example".into()),
        // the right host by another scheme is another origin
        ("origin", format!("https://{host}")),
        ("referer", format!("https://{host}/page")),
        ("origin", format!("http://{host}.evil.example")),
        ("origin", "null".into()),
        ("referer", "http://evil.example/page".into()),
        ("sec-fetch-site", "cross-site".into()),
    ];
    for (name, value) in &cross {
        let res = owner
            .request(Method::POST, &path)
            .header(*name, value)
            .json(&report_body("2024-03", "1"))
            .send()
            .await
            .expect("answered");
        let (status, _) = problem(res).await;
        assert_eq!(status, 403, "{name}: {value}");
    }
    let history: keyproj_shared::ReportList = owner.json(&path).await;
    assert!(history.items.is_empty(), "nothing was stored");
    // the same origin, as the browser sends it, passes
    for (name, value) in [
        ("origin", format!("http://{host}")),
        ("referer", format!("http://{host}/projects/{}", own.code)),
        ("sec-fetch-site", "same-origin".to_string()),
    ] {
        let res = owner
            .request(Method::POST, &path)
            .header(name, value.as_str())
            .json(&report_body("2024-03", "1"))
            .send()
            .await
            .expect("answered");
        assert_eq!(res.status(), 201, "{name}: {value}");
    }
}

#[tokio::test]
async fn a_forwarded_scheme_counts_for_the_origin_only_behind_a_trusted_proxy() {
    let untrusted = spawn_app().await;
    let trusted = spawn_app_with(|s| s.trust_proxy_headers = true).await;
    for (app, expected) in [(&untrusted, 403), (&trusted, 201)] {
        let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
        let (own, _) = app.projects_of(SHAOSHAN).await;
        let host = app.address.trim_start_matches("http://").to_string();
        let res = owner
            .request(Method::POST, &format!("/api/projects/{}/reports", own.code))
            .header("x-forwarded-proto", "https")
            .header("origin", format!("https://{host}"))
            .json(&report_body("2024-03", "1"))
            .send()
            .await
            .expect("answered");
        assert_eq!(res.status(), expected, "trusted: {}", expected == 201);
    }
}

#[tokio::test]
async fn an_unknown_api_path_is_protected_too() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/api/not-yet-written", app.address))
        .json(&json!({}))
        .send()
        .await
        .expect("answered");
    let (status, _) = problem(res).await;
    assert_eq!(status, 403);
}
