//! The access matrix: every operation of the served document, called by a stranger and by
//! each role, answers 401 or 403 exactly where the access rules below say, and the
//! document lists those statuses where they happen. The rules are written here once, from
//! the roles' descriptions in the README, as the oracle the server and the document are both
//! held to: a new route fails this test until its access is added.

use std::collections::BTreeMap;

use keyproj_shared::Role;
use reqwest::Method;
use serde_json::Value;

use crate::docs::operations;
use crate::helpers::conformance::document;
use crate::helpers::{SHAOSHAN, Session, TestApp, YUHU, spawn_app};
use crate::reports::count;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Access {
    Anyone,
    /// any logged-in user; what they see is their own
    LoggedIn,
    /// logged in; an owner only for their organisation's projects
    ProjectReaders,
    /// owners of the project, and admins
    Reporters,
    /// owners (of any organisation) and admins
    Importers,
    /// finance and admins
    Reviewers,
    /// planners and admins
    Planners,
    Admins,
}

fn access(method: &str, template: &str) -> Access {
    use Access::*;
    match (method, template) {
        ("GET", "/api/audit" | "/api/projects/{code}/audit" | "/api/reports") => Reviewers,
        ("POST", "/api/reports/{id}/approve" | "/api/reports/{id}/return") => Reviewers,
        ("PATCH", "/api/projects/{code}") => Planners,
        ("POST", "/api/projects/{code}/reports") => Reporters,
        ("GET", "/api/projects/{code}/reports") => ProjectReaders,
        ("GET", "/api/reports/{id}" | "/api/session") => LoggedIn,
        // owners see their own organisation's months; the ranking is counts only
        (
            "GET",
            "/api/timeliness"
            | "/api/timeliness/ranking"
            | "/api/timeliness/due"
            | "/api/export/timeliness.csv"
            | "/api/export/timeliness.xlsx"
            | "/api/export/timeliness-ranking.csv"
            | "/api/export/timeliness-ranking.xlsx",
        ) => LoggedIn,
        ("PUT", "/api/projects/{code}/plans/{year}") => Planners,
        ("GET", "/api/plans/template.xlsx" | "/api/plans") | ("POST", "/api/plans/import") => {
            Planners
        }
        // owners for their organisation's projects, admins for any; only the uploader gets
        // a batch's error workbook (others 404)
        ("GET", "/api/reports/template.xlsx") | ("POST", "/api/reports/import") => Importers,
        ("GET", "/api/reports/imports/{id}/errors.xlsx") => LoggedIn,
        ("PUT", "/api/warning-rules") => Admins,
        (_, p) if p == "/api/users" || p.starts_with("/api/users/") => Admins,
        // logging in, and logging out (which is 204 even without a session)
        ("POST" | "DELETE", "/api/session") => Anyone,
        (
            "GET",
            "/api/projects"
            | "/api/projects/{code}"
            | "/api/summary"
            | "/api/pivot"
            | "/api/reconciliation"
            | "/api/owners"
            | "/api/export/projects.csv"
            | "/api/export/projects.xlsx"
            | "/api/export/oc4ids.json"
            | "/api/export/oc4ids-policy"
            | "/api/evaluation"
            | "/api/export/evaluation.xlsx"
            | "/api/warnings"
            | "/api/warnings/summary"
            | "/api/budget"
            | "/api/warning-rules"
            | "/api/projects/{code}/plans"
            | "/api/projects/{code}/warnings"
            | "/api/projects/{code}/progress"
            | "/api/export/warnings.csv"
            | "/api/export/warnings.xlsx"
            | "/api/openapi.json"
            | "/api/hello"
            | "/healthz",
        ) => Anyone,
        _ => panic!("{method} {template}: add its access to the matrix"),
    }
}

/// Whether `role` (of `org`, for owners) passes `access` on a project of SHAOSHAN.
fn allowed(access: Access, role: Role, org: Option<&str>) -> bool {
    use Access::*;
    match access {
        Anyone | LoggedIn => true,
        ProjectReaders => role != Role::Owner || org == Some(SHAOSHAN),
        Reporters => role == Role::Admin || org == Some(SHAOSHAN),
        Importers => matches!(role, Role::Admin | Role::Owner),
        Reviewers => matches!(role, Role::Finance | Role::Admin),
        Planners => matches!(role, Role::Planner | Role::Admin),
        Admins => role == Role::Admin,
    }
}

/// A request as the app sends it (so CSRF passes), with an empty JSON object as body where
/// the operation takes JSON (and none where it takes a file, whose type is checked first):
/// enough to reach the access check, which comes before any reading of the body.
async fn call(app: &TestApp, who: Option<&Session>, method: &str, path: &str) -> u16 {
    let template = crate::helpers::conformance::template_of(path).expect("a documented path");
    let takes_file = !document()["paths"][template][method.to_lowercase()]["requestBody"]
        ["content"]["multipart/form-data"]
        .is_null();
    let m = Method::from_bytes(method.as_bytes()).expect("a method");
    let mut r = app
        .client
        .request(m, format!("{}{path}", app.address))
        .header("x-requested-with", "keyproj");
    if let Some(s) = who {
        r = r.header("cookie", &s.cookie);
    }
    if method != "GET" && !takes_file {
        r = r.header("content-type", "application/json").body("{}");
    }
    r.send().await.expect("answered").status().as_u16()
}

#[tokio::test]
async fn every_operation_answers_401_and_403_exactly_where_the_access_rules_say_and_the_document_lists_them()
 {
    let app = spawn_app().await;
    // the admin first: `/api/users/1` is then the admin itself, whom no call here may disable
    let users = [
        (Role::Admin, None),
        (Role::Owner, Some(SHAOSHAN)),
        (Role::Owner, Some(YUHU)),
        (Role::Planner, None),
        (Role::Finance, None),
    ];
    let mut sessions = Vec::new();
    for (i, (role, org)) in users.iter().enumerate() {
        sessions.push((*role, *org, app.user(&format!("m{i}"), *role, *org).await));
    }
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let tables = ["audit_log", "reports", "users"];
    let snapshot = || async {
        let rows: Vec<i64> = tables.iter().map(|t| count(&app, t)).collect();
        let projects: Value = app.json("/api/projects", &[("per_page", "100")]).await;
        (rows, projects)
    };
    let before = snapshot().await;

    // logging out comes last, so that every other call still has its session
    let (logout, ops): (Vec<_>, Vec<_>) = operations(document())
        .into_iter()
        .partition(|(m, p)| m == "DELETE" && p == "/api/session");
    let mut seen: BTreeMap<(String, String), Vec<u16>> = BTreeMap::new();
    for (i, (method, template)) in ops.iter().chain(&logout).enumerate() {
        if i == ops.len() {
            // nothing any call so far sent was enough to change anything
            let after = snapshot().await;
            if let Some(t) = &app.tally {
                let rows = before
                    .0
                    .iter()
                    .zip(&after.0)
                    .filter(|(b, a)| b != a)
                    .count();
                t.lost((rows + usize::from(before.1 != after.1)) as u64);
            }
            assert!(
                before == after,
                "a refused or invalid call changed something"
            );
        }
        let rule = access(method, template);
        let path = template
            .replace("{code}", &own.code)
            .replace("{id}", "999999")
            .replace("{year}", "2024");
        let what = format!("{method} {path} ({rule:?})");
        let anonymous = call(&app, None, method, &path).await;
        if rule == Access::Anyone {
            assert!(
                ![401, 403].contains(&anonymous),
                "{what}: {anonymous} without a session"
            );
        } else {
            assert_eq!(anonymous, 401, "{what} without a session");
        }
        let mut statuses = vec![anonymous];
        for (role, org, session) in &sessions {
            let status = call(&app, Some(session), method, &path).await;
            if allowed(rule, *role, *org) {
                assert!(
                    ![401, 403].contains(&status),
                    "{what} as {role:?} {org:?}: {status}"
                );
            } else {
                assert_eq!(status, 403, "{what} as {role:?} {org:?}");
            }
            statuses.push(status);
        }
        seen.insert((method.clone(), template.clone()), statuses);
    }

    // the document lists 401 wherever a stranger gets it, and on reads only there (writes all
    // list it: logging in with a wrong password is a 401 too); 403 wherever a role gets it
    for ((method, template), statuses) in &seen {
        let responses = &document()["paths"][template][method.to_lowercase()]["responses"];
        let listed = |s: u16| responses.get(s.to_string()).is_some();
        if statuses[0] == 401 || method == "GET" {
            assert_eq!(
                listed(401),
                statuses[0] == 401,
                "{method} {template}: 401 in the document vs. the server"
            );
        }
        if statuses.contains(&403) {
            assert!(listed(403), "{method} {template} answers 403, undocumented");
        }
    }

    assert!(seen.len() >= 25, "only {} operations", seen.len());
}
