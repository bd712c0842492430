//! The API contract: each operation is called once without a session and held to the rule
//! the helpers apply to every answer (conformance.rs); the checker itself can fail.

use keyproj_shared::Role;
use reqwest::Method;
use serde_json::Value;

use crate::docs::{concrete, operations};
use crate::helpers::conformance::{breach, document};
use crate::helpers::{content_type, fields, problem, spawn_app};

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
        if let Some(why) = breach(&method, &template, status, &ct, &body) {
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
            ok
        ),
        None
    );
    assert!(
        breach(
            "GET",
            "/api/projects/{code}",
            418,
            "application/problem+json",
            ok
        )
        .is_some()
    );
    assert!(
        breach(
            "GET",
            "/api/projects/{code}",
            404,
            "application/problem+json",
            r#"{"status":"x"}"#
        )
        .is_some()
    );
    assert!(breach("GET", "/api/projects/{code}", 404, "text/html", ok).is_some());
    assert!(
        breach(
            "PUT",
            "/api/projects/{code}",
            404,
            "application/problem+json",
            ok
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
    let first = param["schema"]["enum"][0]
        .as_str()
        .or_else(|| param["example"].as_str())?;
    Some((param["name"].as_str()?.to_string(), first.to_string()))
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
