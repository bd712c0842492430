//! Input rules that hold on every route: what a body may be, how much of an error comes
//! back, what text may contain.

use keyproj_shared::{ProjectDetail, Role};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{SHAOSHAN, Session, TestApp, content_type, problem, report_body, spawn_app};

/// One body-taking route of each kind: login, report submit, project edit, user create.
struct Routes {
    admin: Session,
    planner: Session,
    owner: Session,
    own_code: String,
    etag: String,
}

async fn routes(app: &TestApp) -> Routes {
    let admin = app.user("root", Role::Admin, None).await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let detail: ProjectDetail = app.json(&format!("/api/projects/{}", own.code), &[]).await;
    Routes {
        admin,
        planner,
        owner,
        own_code: own.code,
        etag: detail.etag,
    }
}

impl Routes {
    /// Each route with a body it would accept as JSON, as (session, method, path, body).
    fn each(&self) -> Vec<(&Session, Method, String, serde_json::Value)> {
        vec![
            (
                &self.owner,
                Method::POST,
                "/api/session".to_string(),
                json!({"username": "zhang", "password": crate::helpers::PASSWORD}),
            ),
            (
                &self.owner,
                Method::POST,
                format!("/api/projects/{}/reports", self.own_code),
                report_body("2024-03", "10"),
            ),
            (
                &self.planner,
                Method::PATCH,
                format!("/api/projects/{}", self.own_code),
                json!({"reason": "调整", "remarks": "改"}),
            ),
            (
                &self.admin,
                Method::POST,
                "/api/users".to_string(),
                json!({"username": "wang", "role": "planner", "password": crate::helpers::PASSWORD}),
            ),
        ]
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused_with_415_naming_the_content_type() {
    let app = spawn_app().await;
    let r = routes(&app).await;
    for (session, method, path, body) in r.each() {
        let text = body.to_string();
        let sent: [(Option<&str>, &str); 4] = [
            (Some("text/plain"), text.as_str()),
            (
                Some("application/x-www-form-urlencoded"),
                "username=a&password=b",
            ),
            (
                Some("multipart/form-data; boundary=x"),
                "--x\r\n\r\na\r\n--x--\r\n",
            ),
            (None, text.as_str()),
        ];
        for (ct, payload) in sent {
            let mut req = session
                .request(method.clone(), &path)
                .header("if-match", &r.etag)
                .body(payload.to_string());
            if let Some(ct) = ct {
                req = req.header("content-type", ct);
            }
            let res = req.send().await.expect("answered");
            let (status, p) = problem(res).await;
            assert_eq!(status, 415, "{method} {path} as {ct:?}");
            assert_eq!(p.errors.len(), 1, "{p:?}");
            assert_eq!(p.errors[0].field, "Content-Type");
            if let Some(ct) = ct {
                assert!(p.errors[0].message.contains(ct), "{p:?}");
            }
        }
    }
    // nothing was written: no report, the project at version 1
    let history = r
        .owner
        .get(&format!("/api/projects/{}/reports", r.own_code))
        .await;
    let history: serde_json::Value = history.json().await.expect("json");
    assert_eq!(
        history["items"].as_array().map(Vec::len),
        Some(0),
        "{history}"
    );
    let detail: ProjectDetail = app
        .json(&format!("/api/projects/{}", r.own_code), &[])
        .await;
    assert_eq!(detail.version, 1);
}

#[tokio::test]
async fn json_with_a_charset_parameter_is_accepted() {
    let app = spawn_app().await;
    let r = routes(&app).await;
    let res = r
        .owner
        .request(
            Method::POST,
            &format!("/api/projects/{}/reports", r.own_code),
        )
        .header("content-type", "application/json; charset=utf-8")
        .body(report_body("2024-03", "10").to_string())
        .send()
        .await
        .expect("answered");
    assert_eq!(
        res.status(),
        201,
        "{}",
        res.text().await.unwrap_or_default()
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_problem_naming_the_limit() {
    let app = spawn_app().await;
    let r = routes(&app).await;
    let big = json!({"reason": "x".repeat(300 * 1024)}).to_string();
    for (session, method, path, _) in r.each() {
        let res = session
            .request(method.clone(), &path)
            .header("if-match", &r.etag)
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .expect("answered");
        let (status, p) = problem(res).await;
        assert_eq!(status, 413, "{method} {path}");
        assert_eq!(p.errors.len(), 1, "{p:?}");
        assert_eq!(p.errors[0].field, "body");
        assert!(p.errors[0].message.contains("262144"), "{p:?}");
    }
    // streamed in chunks, without a Content-Length: found too long while read
    let (head, body) = chunked_post(&app, "/api/session", &big).await;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{head}"
    );
    assert!(body.contains("262144"), "{body}");
}

/// POSTs `body` with `Transfer-Encoding: chunked`; answers the head and body as text.
async fn chunked_post(app: &TestApp, path: &str, body: &str) -> (String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.direct.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&host)
        .await
        .expect("connects");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         X-Requested-With: keyproj\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("head sent");
    for chunk in body.as_bytes().chunks(16 * 1024) {
        let mut c = format!("{:x}\r\n", chunk.len()).into_bytes();
        c.extend_from_slice(chunk);
        c.extend_from_slice(b"\r\n");
        // the server may answer and close before the rest is sent
        if stream.write_all(&c).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    (head.to_string(), body.to_string())
}

#[tokio::test]
async fn a_write_without_a_body_still_needs_no_content_type() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let res = admin
        .request(Method::DELETE, "/api/session")
        .send()
        .await
        .expect("answered");
    assert!(res.status().is_success(), "{}", res.status());
    assert_ne!(content_type(&res), "application/problem+json");
}

#[tokio::test]
async fn thousands_of_unknown_keys_get_a_short_answer_that_counts_them() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let mut body = report_body("2024-03", "10");
    for i in 0..5000 {
        body[format!("k{i}")] = json!(1);
    }
    let sent = body.to_string().len();
    let res = owner.report(&own.code, &body).await;
    let bytes = res.content_length();
    let (status, p) = problem(res).await;
    assert_eq!(status, 422);
    assert_eq!(p.errors.len(), keyproj_shared::MAX_LISTED_ERRORS);
    assert_eq!(p.errors_total, Some(5000));
    assert!(
        p.detail.as_deref().unwrap_or_default().contains("5000"),
        "{p:?}"
    );
    let answer = serde_json::to_string(&p).expect("json").len();
    assert!(
        answer < 16 * 1024 && answer < sent,
        "answer {answer} bytes ({bytes:?}) for a body of {sent}"
    );
}

#[tokio::test]
async fn a_few_errors_are_listed_without_a_total() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let mut body = report_body("2024-03", "10");
    body["k1"] = json!(1);
    body["k2"] = json!(1);
    let (status, p) = problem(owner.report(&own.code, &body).await).await;
    assert_eq!(status, 422);
    assert_eq!(p.errors.len(), 2);
    assert_eq!(p.errors_total, None);
}

/// NUL, ESC (as in a terminal colour code) and BEL.
const CONTROLS: [&str; 3] = ["\u{0}", "\u{1b}[31m", "\u{7}"];

#[tokio::test]
async fn control_characters_are_refused_in_every_text_field_and_change_nothing() {
    let app = spawn_app().await;
    let r = routes(&app).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let res = r
        .owner
        .report(&r.own_code, &report_body("2024-03", "10"))
        .await;
    let submitted: serde_json::Value = res.json().await.expect("a report");
    let report_id = submitted["id"].as_i64().expect("an id");
    for c in CONTROLS {
        let text = format!("正常{c}文字");
        let mut cases: Vec<(&Session, Method, String, serde_json::Value, &str)> = Vec::new();
        for field in ["progress_text", "problems_text", "over_total_reason"] {
            let mut body = report_body("2024-04", "10");
            body[field] = json!(text);
            cases.push((
                &r.owner,
                Method::POST,
                format!("/api/projects/{}/reports", r.own_code),
                body,
                field,
            ));
        }
        let edit = format!("/api/projects/{}", r.own_code);
        cases.push((
            &r.planner,
            Method::PATCH,
            edit.clone(),
            json!({"reason": text, "remarks": "改"}),
            "reason",
        ));
        cases.push((
            &r.planner,
            Method::PATCH,
            edit.clone(),
            json!({"reason": "调整", "remarks": text}),
            "remarks",
        ));
        cases.push((
            &r.planner,
            Method::PATCH,
            edit,
            json!({"reason": "调整", "owners": [text]}),
            "owners",
        ));
        cases.push((
            &finance,
            Method::POST,
            format!("/api/reports/{report_id}/return"),
            json!({"reason": text}),
            "reason",
        ));
        let new_user = |field: &str| {
            let mut body = json!({"username": "wang", "role": "owner", "organisation": SHAOSHAN, "password": crate::helpers::PASSWORD});
            body[field] = json!(text);
            body
        };
        cases.push((
            &r.admin,
            Method::POST,
            "/api/users".to_string(),
            new_user("username"),
            "username",
        ));
        cases.push((
            &r.admin,
            Method::POST,
            "/api/users".to_string(),
            new_user("organisation"),
            "organisation",
        ));
        for (session, method, path, body, field) in cases {
            let res = session
                .request(method.clone(), &path)
                .header("if-match", &r.etag)
                .json(&body)
                .send()
                .await
                .expect("answered");
            let (status, p) = problem(res).await;
            assert_eq!(status, 422, "{method} {path} {field} with {c:?}");
            assert_eq!(crate::helpers::fields(&p), [field], "{c:?}: {p:?}");
        }
    }
    // nothing was written
    let detail: ProjectDetail = app
        .json(&format!("/api/projects/{}", r.own_code), &[])
        .await;
    assert_eq!(detail.version, 1);
    let report: serde_json::Value = finance
        .get(&format!("/api/reports/{report_id}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(report["state"], "submitted", "{report}");
    let users: serde_json::Value = r.admin.get("/api/users").await.json().await.expect("json");
    assert_eq!(users["items"].as_array().map(Vec::len), Some(4), "{users}");
}

#[tokio::test]
async fn line_breaks_stay_allowed_in_multi_line_text_but_not_in_names() {
    let app = spawn_app().await;
    let r = routes(&app).await;
    let path = format!("/api/projects/{}", r.own_code);
    let (status, p) = problem(
        r.planner
            .patch(
                &path,
                Some(&r.etag),
                &json!({"reason": "调整", "owners": ["甲\n乙"]}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, crate::helpers::fields(&p)),
        (422, vec!["owners".to_string()])
    );
    let res = r
        .planner
        .patch(
            &path,
            Some(&r.etag),
            &json!({"reason": "第一条\n第二条", "remarks": "备注\r\n\t第二行"}),
        )
        .await;
    let after: ProjectDetail = crate::helpers::ok_json(res, "edit").await;
    assert_eq!(after.version, 2);
}

#[tokio::test]
async fn bidi_overrides_are_refused_in_text() {
    let app = spawn_app().await;
    let r = routes(&app).await;
    for c in ['\u{202E}', '\u{2066}'] {
        let mut body = report_body("2024-04", "10");
        body["progress_text"] = json!(format!("完成{c}了"));
        let (status, p) = problem(r.owner.report(&r.own_code, &body).await).await;
        assert_eq!(status, 422);
        assert_eq!(crate::helpers::fields(&p), ["progress_text"]);
    }
}

#[tokio::test]
async fn planning_years_outside_1900_to_2100_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let r = routes(&app).await;
    let path = format!("/api/projects/{}", r.own_code);
    for field in ["start", "end"] {
        for year in ["0000", "9999", "0001-9999", "1899", "2101.3"] {
            let (status, p) = problem(
                r.planner
                    .patch(
                        &path,
                        Some(&r.etag),
                        &json!({"reason": "调整", field: year}),
                    )
                    .await,
            )
            .await;
            assert_eq!(status, 422, "{field} {year}");
            assert_eq!(crate::helpers::fields(&p), [field], "{year}: {p:?}");
            assert!(p.errors[0].message.contains("1900"), "{p:?}");
        }
    }
    let res = r
        .planner
        .patch(
            &path,
            Some(&r.etag),
            &json!({"reason": "调整", "start": "1900", "end": "2100.12"}),
        )
        .await;
    let after: ProjectDetail = crate::helpers::ok_json(res, "edit").await;
    assert_eq!(after.item.end.latest_year, 2100);
}

#[tokio::test]
async fn another_organisations_report_is_404_like_a_missing_one() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let other = app
        .user("zhao", Role::Owner, Some(crate::helpers::YUHU))
        .await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let res = owner.report(&own.code, &report_body("2024-03", "10")).await;
    let report: serde_json::Value = res.json().await.expect("a report");
    let id = report["id"].as_i64().expect("an id");
    // the owner's own organisation reads it
    let mine = owner.get(&format!("/api/reports/{id}")).await;
    assert_eq!(mine.status(), 200);
    let (status, theirs) = problem(other.get(&format!("/api/reports/{id}")).await).await;
    assert_eq!(status, 404);
    let (status, missing) = problem(other.get(&format!("/api/reports/{}", id + 1000)).await).await;
    assert_eq!(status, 404);
    assert_eq!(
        (&theirs.kind, &theirs.title),
        (&missing.kind, &missing.title)
    );
    let detail = theirs.detail.unwrap_or_default();
    assert!(!detail.contains(&own.code), "{detail}");
    assert!(!detail.contains(&own.name), "{detail}");
    assert_eq!(
        detail,
        missing
            .detail
            .unwrap_or_default()
            .replace(&(id + 1000).to_string(), &id.to_string())
    );
    // review routes are refused by role before any id is looked up: the same 403 for both
    for path in [
        format!("/api/reports/{id}/approve"),
        format!("/api/reports/{}/approve", id + 1000),
    ] {
        let (status, _) = problem(other.post(&path, &json!({})).await).await;
        assert_eq!(status, 403, "{path}");
    }
}

#[tokio::test]
async fn outside_the_api_unknown_and_forbidden_paths_get_a_small_404_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("dist");
    std::fs::create_dir_all(site.join(".git")).expect("dist");
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>shell</title>",
    )
    .expect("index");
    std::fs::write(site.join(".git/config"), "[core]").expect("a hidden file");
    std::fs::write(site.join("app.js"), "console.log(1)").expect("asset");
    let db = crate::helpers::fresh_database(dir.path());
    let app = crate::helpers::spawn_app_on(dir, db, Some(&site)).await;
    for path in [
        "/.git/config",
        "/.env",
        "/missing.js",
        "/account/missing-0123456789abcdef_bg.wasm",
        "/nowhere",
        "/images/logo.png",
        "/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(content_type(&res), "text/html; charset=utf-8", "{path}");
        let body = res.text().await.expect("a body");
        assert!(
            body.contains("页面不存在") && body.contains(r#"href="/""#),
            "{path}: {body}"
        );
        assert!(!body.contains("[core]"), "{path}");
    }
    // the app's pages and files are still served, and the API still answers problems
    assert_eq!(app.get("/projects/B09").await.status(), 200);
    assert_eq!(app.get("/app.js").await.status(), 200);
    let (status, _) = problem(app.get("/api/nowhere").await).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn usernames_are_normalised_refuse_invisible_characters_and_are_unique_in_any_case() {
    let app = spawn_app().await;
    let admin = app.user("root", Role::Admin, None).await;
    let create = |name: &str| json!({"username": name, "role": "planner", "password": crate::helpers::PASSWORD});
    for bad in [
        "zh\u{200B}ang",
        "ad\u{202E}nim",
        "li\u{2066}",
        "a b",
        "Émile",
    ] {
        let (status, p) = problem(admin.post("/api/users", &create(bad)).await).await;
        assert_eq!(status, 422, "{bad:?}");
        assert_eq!(crate::helpers::fields(&p), ["username"], "{bad:?}");
    }
    // fullwidth letters are the same name, stored in the plain form
    let res = admin.post("/api/users", &create("ＺｈａｎｇＳａｎ")).await;
    let made: keyproj_shared::UserItem = crate::helpers::ok_json(res, "create").await;
    assert_eq!(made.username, "ZhangSan");
    for taken in ["zhangsan", "ZHANGSAN", "ｚｈａｎｇｓａｎ", "ROOT"] {
        let res = admin.post("/api/users", &create(taken)).await;
        let (status, _) = problem(res).await;
        assert_eq!(status, 409, "{taken}");
    }
    // logging in by any case or form finds the account
    for name in ["zhangsan", "ZHANGSAN", "ｚｈａｎｇｓａｎ", " ZhangSan "] {
        let res = app.login_response(name, crate::helpers::PASSWORD).await;
        assert_eq!(res.status(), 200, "{name}");
        let info: keyproj_shared::SessionInfo = res.json().await.expect("json");
        assert_eq!(info.user.username, "ZhangSan");
    }
    let users: keyproj_shared::UserList = admin.json("/api/users").await;
    assert_eq!(users.items.len(), 2);
}
