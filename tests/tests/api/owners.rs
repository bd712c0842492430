//! `GET /api/owners`: the owner filter's choices are the distinct 建设主体 of the projects,
//! in Rust's `str` order on both engines, follow an edit under conditional GET, and the route
//! takes no parameters.

use std::collections::BTreeSet;

use keyproj_shared::{OwnerNames, ProjectDetail, Role};
use serde_json::json;

use crate::helpers::{SHAOSHAN, TestApp, all_projects, fields, ok_json, problem, spawn_app};

/// The distinct owner names of every project the public list gives, in `String` order.
async fn owners_of_the_list(app: &TestApp) -> Vec<String> {
    let names: BTreeSet<String> = all_projects(app)
        .await
        .into_iter()
        .flat_map(|p| p.owners.into_iter().map(|o| o.name))
        .collect();
    names.into_iter().collect()
}

/// The names and the ETag of a 200 to `/api/owners` (checked against the document).
async fn owners(app: &TestApp) -> (OwnerNames, String) {
    let res = app.get("/api/owners").await;
    let tag = res
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .expect("an ETag");
    (ok_json(res, "owners").await, tag)
}

async fn status_with_tag(app: &TestApp, tag: &str) -> u16 {
    app.client
        .get(format!("{}/api/owners", app.address))
        .header("if-none-match", tag)
        .send()
        .await
        .expect("answered")
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_names_are_the_distinct_owners_of_the_87_projects_in_str_order() {
    let app = spawn_app().await;
    assert_eq!(all_projects(&app).await.len(), 87);
    let listed = owners_of_the_list(&app).await;
    let got: OwnerNames = app.json("/api/owners", &[]).await;
    assert_eq!(got.names, listed);
    assert!(got.names.contains(&SHAOSHAN.to_string()));
    // each once, ascending by code point
    assert!(got.names.windows(2).all(|w| w[0] < w[1]), "{:?}", got.names);
}

#[tokio::test]
async fn a_new_organisation_owning_an_edited_project_appears_and_the_etag_moves() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let (before, tag) = owners(&app).await;
    assert_eq!(status_with_tag(&app, &tag).await, 304);

    let b09: ProjectDetail = app.json("/api/projects/B09", &[]).await;
    let old: Vec<String> = b09.item.owners.iter().map(|o| o.name.clone()).collect();
    // Latin capitals sort before small letters by code point, not in a locale's order
    let new = ["新设的建设单位", "abc建设公司", "Zeta建设公司"];
    let res = planner
        .patch(
            "/api/projects/B09",
            Some(&b09.etag),
            &json!({"reason": "移交", "owners": new}),
        )
        .await;
    let _: ProjectDetail = ok_json(res, "edit").await;

    assert_eq!(
        status_with_tag(&app, &tag).await,
        200,
        "the old tag is stale"
    );
    let (after, new_tag) = owners(&app).await;
    assert_ne!(new_tag, tag);
    assert_eq!(after.names, owners_of_the_list(&app).await);
    for name in new {
        assert!(after.names.iter().any(|n| n == name), "{name} missing");
        assert!(!before.names.iter().any(|n| n == name), "{name} was there");
    }
    let zeta = after.names.iter().position(|n| n == "Zeta建设公司");
    let abc = after.names.iter().position(|n| n == "abc建设公司");
    assert!(zeta < abc, "{:?}", after.names);
    // an old owner of B09 alone is no longer a choice; one with other projects stays
    let still: BTreeSet<String> = after.names.iter().cloned().collect();
    let listed: BTreeSet<String> = owners_of_the_list(&app).await.into_iter().collect();
    for name in &old {
        assert_eq!(still.contains(name), listed.contains(name), "{name}");
    }
    assert_eq!(status_with_tag(&app, &new_tag).await, 304);
}

#[tokio::test]
async fn an_unknown_parameter_gets_a_422_problem_naming_it() {
    let app = spawn_app().await;
    for (query, field) in [("x=1", "x"), ("owner=韶山市民政局", "owner")] {
        let res = app.get(&format!("/api/owners?{query}")).await;
        assert!(res.headers().get("etag").is_none(), "no tag for an error");
        let (status, p) = problem(res).await;
        assert_eq!(status, 422, "{query}");
        assert_eq!(fields(&p), [field], "{query}");
    }
}
