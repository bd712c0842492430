//! The API contract: each operation is called once without a session and held to the rule
//! the helpers apply to every answer (conformance.rs); the checker itself can fail.

use reqwest::Method;

use crate::docs::{concrete, operations};
use crate::helpers::conformance::{breach, document};
use crate::helpers::{content_type, spawn_app};

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
