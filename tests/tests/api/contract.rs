//! The API contract: each operation is called once without a session and held to the rule
//! the helpers apply to every answer (conformance.rs); the checker itself can fail.

use keyproj_shared::{Report, Role, UserList};
use reqwest::Method;
use serde_json::Value;

use crate::docs::{concrete, operations};
use crate::helpers::conformance::{breach, document};
use crate::helpers::{Session, content_type, fields, ok_json, problem, spawn_app};

/// Each operation, called as a stranger would (no session, an empty JSON object as body),
/// answers a status its operation documents, with a body of the documented schema.
#[tokio::test]
async fn every_operation_called_without_a_session_answers_as_documented() {
    let app = spawn_app().await;
    for (method, template) in operations(document()) {
        let m = Method::from_bytes(method.as_bytes()).expect("a method");
        let res = app
            .client
            .request(m.clone(), format!("{}{}", app.address, concrete(&template)))
            .header("x-requested-with", "keyproj")
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("answered");
        let status = res.status().as_u16();
        let ct = content_type(&res);
        let body = res.text().await.expect("a body");
        if let Some(why) = breach(&method, &template, status, &ct, Some(&body)) {
            panic!("{why}: {body}");
        }
    }
}

/// The checker can fail: a status or a body the document does not give is caught.
#[test]
fn an_answer_the_document_does_not_give_is_a_breach() {
    let ok = r#"{"type":"/problems/not-found","title":"未找到","status":404}"#;
    assert_eq!(
        breach(
            "GET",
            "/api/projects/{code}",
            404,
            "application/problem+json",
            Some(ok)
        ),
        None
    );
    assert!(
        breach(
            "GET",
            "/api/projects/{code}",
            418,
            "application/problem+json",
            Some(ok)
        )
        .is_some()
    );
    assert!(
        breach(
            "GET",
            "/api/projects/{code}",
            404,
            "application/problem+json",
            Some(r#"{"status":"x"}"#)
        )
        .is_some()
    );
    assert!(breach("GET", "/api/projects/{code}", 404, "text/html", Some(ok)).is_some());
    assert!(
        breach(
            "PUT",
            "/api/projects/{code}",
            404,
            "application/problem+json",
            Some(ok)
        )
        .is_some()
    );
}

/// A query value for a parameter under no test: a required one gets its first allowed value,
/// or its documented example (a month, say).
fn filler(param: &Value) -> Option<(String, String)> {
    if !param["required"].as_bool().unwrap_or(false) {
        return None;
    }
    let first = match param["schema"]["enum"][0].as_str() {
        Some(v) => v.to_string(),
        // a string example as it is, a number (`year=2025`) as it is written
        None => match &param["example"] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        },
    };
    Some((param["name"].as_str()?.to_string(), first))
}

/// Each documented limit of a query parameter (integer minimum and maximum, allowed values,
/// string maximum length)
/// is the server's: a value just outside is 422 naming the parameter, a value at the edge is
/// answered. Walked over the document, so a limit added to it is tested with nothing more.
#[tokio::test]
async fn every_documented_parameter_limit_is_the_one_the_server_enforces() {
    let app = spawn_app().await;
    let admin = app.user("limits", Role::Admin, None).await;
    let mut checked = 0;
    for (method, template) in operations(document()) {
        if method != "GET" {
            continue;
        }
        let op = &document()["paths"][&template][method.to_lowercase()];
        let params: Vec<&Value> = op["parameters"]
            .as_array()
            .map(|a| a.iter().filter(|p| p["in"] == "query").collect())
            .unwrap_or_default();
        for param in &params {
            let name = param["name"].as_str().expect("a name");
            let schema = &param["schema"];
            let mut outside = Vec::new();
            let mut edges = Vec::new();
            if let Some(min) = schema["minimum"].as_i64() {
                outside.push((min - 1).to_string());
                edges.push(min.to_string());
            }
            if let Some(max) = schema["maximum"].as_i64() {
                outside.push((max + 1).to_string());
                edges.push(max.to_string());
            }
            if let Some(max) = schema["maxLength"]
                .as_u64()
                .and_then(|m| usize::try_from(m).ok())
            {
                outside.push("a".repeat(max + 1));
                edges.push("a".repeat(max));
            }
            if let Some(values) = schema["enum"].as_array() {
                outside.push("nonesuch".to_string());
                edges.extend(values.iter().filter_map(Value::as_str).map(str::to_string));
            }
            let others: Vec<(String, String)> = params
                .iter()
                .filter(|p| p["name"] != name)
                .filter_map(|p| filler(p))
                .collect();
            let url = concrete(&template);
            for (value, accepted) in outside
                .iter()
                .map(|v| (v, false))
                .chain(edges.iter().map(|v| (v, true)))
            {
                let mut query = others.clone();
                query.push((name.to_string(), value.clone()));
                let res = admin
                    .request(Method::GET, &url)
                    .query(&query)
                    .send()
                    .await
                    .expect("answered");
                let what = format!("GET {template} {name}={value}");
                if accepted {
                    let status = res.status();
                    let body = res.text().await.unwrap_or_default();
                    assert!(status.is_success(), "{what}: {status} {body}");
                } else {
                    let (status, p) = problem(res).await;
                    assert_eq!(
                        (status, fields(&p)),
                        (422, vec![name.to_string()]),
                        "{what}"
                    );
                }
                checked += 1;
            }
        }
    }
    // page, per_page, the four year bounds, sort, group_by… on several operations
    assert!(checked > 40, "only {checked} limits were checked");
}

/// The values just outside and at the edge of a body field's documented limits.
fn body_cases(schema: &Value) -> (Vec<Value>, Vec<Value>) {
    let (mut outside, mut edges) = (Vec::new(), Vec::new());
    let chars = |n: u64| Value::from("字".repeat(usize::try_from(n).expect("a length")));
    if let Some(max) = schema["maxLength"].as_u64() {
        outside.push(chars(max + 1));
        edges.push(chars(max));
    }
    if let Some(min) = schema["minLength"].as_u64().filter(|m| *m > 0) {
        outside.push(chars(min - 1));
        edges.push(chars(min));
    }
    if let Some(values) = schema["enum"].as_array() {
        outside.push("nonesuch".into());
        edges.extend(values.iter().cloned());
    }
    if let Some(max) = schema["maxItems"].as_u64() {
        let item = |i: u64| Value::from(format!("单位{i}"));
        outside.push((0..=max).map(item).collect());
        edges.push((0..max).map(item).collect());
    }
    if let Some(max) = schema["items"]["maxLength"].as_u64() {
        outside.push(Value::Array(vec![chars(max + 1)]));
        edges.push(Value::Array(vec![chars(max)]));
    }
    (outside, edges)
}

/// A body the server accepts for the schema `name` (the `n`th: names and remarks differ each
/// time), into which one field at a time is set to a value at or outside its limit.
fn valid_body(name: &str, n: usize) -> Value {
    match name {
        "ReportBody" => crate::helpers::report_body("2024-02", "1.00"),
        "ReturnRequest" => serde_json::json!({"reason": "请补充附件"}),
        "ProjectEdit" => {
            serde_json::json!({"reason": "边界检查", "remarks": format!("边界检查 {n}")})
        }
        "NewUser" => serde_json::json!({
            "username": format!("edge{n}"), "role": "planner", "password": "a long enough password"
        }),
        "UserPatch" => serde_json::json!({"password": format!("another long password {n}")}),
        "LoginRequest" => serde_json::json!({"username": "bodies", "password": "wrong password"}),
        other => panic!("add a valid {other} body here"),
    }
}

/// The ETag of the object a write acts on (`/api/reports/5/return` acts on `/api/reports/5`),
/// if it has one.
async fn current_etag(s: &Session, path: &str) -> Option<String> {
    let object = ["/approve", "/return", "/disable", "/enable"]
        .iter()
        .find_map(|a| path.strip_suffix(a))
        .unwrap_or(path);
    let res = s.get(object).await;
    if !res.status().is_success() {
        return None;
    }
    let v: Value = res.json().await.ok()?;
    v["etag"].as_str().map(str::to_string)
}

/// Each documented limit of a request-body field (length, number of items, allowed values)
/// is the server's: a body with the field just outside is 422 naming it; at the edge the
/// field is not named (other fields may be, as each body here holds that field alone).
#[tokio::test]
async fn every_documented_body_field_limit_is_the_one_the_server_enforces() {
    let app = spawn_app().await;
    let admin = app.user("bodies", Role::Admin, None).await;
    let finance = app.user("bodies-finance", Role::Finance, None).await;
    app.add_user("bodies-target", Role::Planner, None).await;
    let users: UserList = admin.json("/api/users").await;
    let target = users
        .items
        .iter()
        .find(|u| u.username == "bodies-target")
        .expect("the target user")
        .id;
    let report: Report = ok_json(
        admin
            .report("B09", &crate::helpers::report_body("2024-01", "1.00"))
            .await,
        "a report",
    )
    .await;
    let mut checked = 0;
    for (method, template) in operations(document()) {
        let op = &document()["paths"][&template][method.to_lowercase()];
        let Some(reference) =
            op["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str()
        else {
            continue;
        };
        let name = reference.rsplit('/').next().expect("a name");
        let properties = document()["components"]["schemas"][name]["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let path = template.replace("{code}", "B09").replace(
            "{id}",
            &if template.starts_with("/api/users") {
                target.to_string()
            } else {
                report.id.to_string()
            },
        );
        // returning a report is finance's; an admin never reviews what they submitted
        let who = if path.ends_with("/return") {
            &finance
        } else {
            &admin
        };
        for (field, schema) in &properties {
            let (outside, mut edges) = body_cases(schema);
            // an organisation must also be a published name: none is as long as the limit
            if field == "organisation" {
                edges.clear();
            }
            for (value, accepted) in outside
                .into_iter()
                .map(|v| (v, false))
                .chain(edges.into_iter().map(|v| (v, true)))
            {
                let m = Method::from_bytes(method.as_bytes()).expect("a method");
                checked += 1;
                let mut body = valid_body(name, checked);
                body[field] = value.clone();
                let mut req = who.request(m, &path).json(&body);
                if let Some(etag) = current_etag(who, &path).await {
                    req = req.header("if-match", etag);
                }
                let res = req.send().await.expect("answered");
                let what = format!("{method} {path} {field}={}", value.to_string().len());
                let status = res.status().as_u16();
                if status == 422 || !accepted {
                    let (status, p) = problem(res).await;
                    let named = fields(&p).contains(field);
                    assert_eq!(status, 422, "{what}: {p:?}");
                    assert_eq!(named, !accepted, "{what}: {p:?}");
                }
            }
        }
    }
    // reasons, texts, names, passwords, roles, owners…
    assert!(checked >= 25, "only {checked} body limits were checked");
}
