use keyproj_shared::{AuditPage, District, DistrictBasis, ProjectDetail, Role};
use serde_json::json;

use crate::helpers::{SHAOSHAN, fields, ok_json, problem, report_body, spawn_app};

#[tokio::test]
async fn a_planner_edits_master_data_and_the_published_values_stay() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    let before: ProjectDetail = app.json("/api/projects/B09", &[]).await;
    assert_eq!(before.version, 1);
    let res = planner
        .patch(
            "/api/projects/B09",
            Some(&before.etag),
            &json!({
                "reason": "据2024年发改批复调整",
                "district": "岳塘区",
                "start": "2022.3",
                "end": "2024-2026",
                "total_investment": "1500",
                "planned_investment": "1200.5",
                "social_share_pct": "33.3",
                "owners": ["湘潭市民政局", "新设的建设单位"],
                "remarks": "已调整",
            }),
        )
        .await;
    let etag = res
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let after: ProjectDetail = ok_json(res, "edit").await;
    assert_eq!(after.version, 2);
    assert_eq!(etag.as_deref(), Some(after.etag.as_str()));
    assert!(after.etag.ends_with("-v2\""), "{}", after.etag);
    let i = &after.item;
    assert_eq!(i.district, Some(District::Yuetang));
    assert_eq!(after.district_basis, DistrictBasis::Edited);
    assert!(
        after.district_note.contains("li"),
        "{}",
        after.district_note
    );
    assert_eq!(
        (i.start.earliest_year, i.start.earliest_month),
        (2022, Some(3))
    );
    assert_eq!((i.end.latest_year, i.end.approximate), (2026, true));
    assert_eq!(i.total_investment.to_string(), "1500.00");
    assert_eq!(i.planned_investment.to_string(), "1200.50");
    assert_eq!(
        i.social_share_pct.map(|p| p.to_string()).as_deref(),
        Some("33.30")
    );
    // 1500 × 33.3% = 499.5, recomputed with the one rounding rule
    assert_eq!(
        i.social_investment.map(|m| m.to_string()).as_deref(),
        Some("499.50")
    );
    let owners: Vec<&str> = i.owners.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(owners, ["湘潭市民政局", "新设的建设单位"]);
    assert_eq!(i.remarks.as_deref(), Some("已调整"));
    assert_eq!(after.published, before.published, "as published, unchanged");
    assert_ne!(after.published.total_investment, "1500");

    let trail: AuditPage = admin.json("/api/projects/B09/audit").await;
    let e = &trail.items[0];
    assert_eq!(
        (e.action.as_str(), e.username.as_str(), e.role.as_str()),
        ("edit", "li", "planner")
    );
    let (b, a) = (
        e.before.clone().expect("before"),
        e.after.clone().expect("after"),
    );
    assert_eq!(a["reason"], "据2024年发改批复调整");
    assert_eq!(a["total_investment"], "1500.00");
    assert_eq!(
        b["total_investment"],
        before.item.total_investment.to_string()
    );
    assert_eq!(a["owners"], json!(["湘潭市民政局", "新设的建设单位"]));

    // clearing what may be empty
    let res = planner
        .patch(
            "/api/projects/B09",
            Some(&after.etag),
            &json!({"reason": "撤销", "social_share_pct": null, "remarks": "", "district": "unassigned"}),
        )
        .await;
    let cleared: ProjectDetail = ok_json(res, "clear").await;
    assert_eq!(cleared.item.social_share_pct, None);
    assert_eq!(cleared.item.social_investment, None);
    assert_eq!(cleared.item.remarks, None);
    assert_eq!(cleared.item.district, None);
}

#[tokio::test]
async fn an_edit_needs_a_reason_the_current_etag_and_good_values() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let d: ProjectDetail = app.json("/api/projects/A01", &[]).await;
    let (status, _) = problem(
        planner
            .patch(
                "/api/projects/A01",
                None,
                &json!({"reason": "x", "remarks": "y"}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 428);
    let cases: Vec<(serde_json::Value, Vec<&str>)> = vec![
        (json!({"remarks": "y"}), vec!["reason"]),
        (json!({"reason": " ", "remarks": "y"}), vec!["reason"]),
        (json!({"reason": "x"}), vec!["reason"]),
        (
            json!({"reason": "x", "code": "Z99", "name": "改名"}),
            vec!["code", "name"],
        ),
        (
            json!({"reason": "x", "code": "Z99", "remarks": 5}),
            vec!["code", "remarks"],
        ),
        (
            json!({"reason": "x", "total_investment": "-1"}),
            vec!["total_investment"],
        ),
        (
            json!({"reason": "x", "total_investment": 100}),
            vec!["total_investment"],
        ),
        (
            json!({"reason": "x", "planned_investment": "1.234"}),
            vec!["planned_investment"],
        ),
        (
            json!({"reason": "x", "social_share_pct": "101"}),
            vec!["social_share_pct"],
        ),
        (
            json!({"reason": "x", "district": "火星区"}),
            vec!["district"],
        ),
        (json!({"reason": "x", "start": "明年"}), vec!["start"]),
        (json!({"reason": "x", "end": "2019"}), vec!["end"]),
        (json!({"reason": "x", "owners": []}), vec!["owners"]),
        (json!({"reason": "x", "owners": "一个单位"}), vec!["owners"]),
    ];
    for (body, expected) in cases {
        let (status, p) = problem(
            planner
                .patch("/api/projects/A01", Some(&d.etag), &body)
                .await,
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(fields(&p), expected, "{body}");
    }
    let ok = planner
        .patch(
            "/api/projects/A01",
            Some(&d.etag),
            &json!({"reason": "核对", "remarks": "一"}),
        )
        .await;
    assert_eq!(ok.status(), 200);
    let res = planner
        .patch(
            "/api/projects/A01",
            Some(&d.etag),
            &json!({"reason": "核对", "remarks": "二"}),
        )
        .await;
    assert_eq!(res.status(), 412);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["current_version"], 2);
    assert!(
        body["current_etag"]
            .as_str()
            .is_some_and(|e| e.ends_with("-v2\""))
    );
    let now: ProjectDetail = app.json("/api/projects/A01", &[]).await;
    assert_eq!(now.item.remarks.as_deref(), Some("一"));
}

#[tokio::test]
async fn owners_and_finance_cannot_edit_projects() {
    let app = spawn_app().await;
    let d: ProjectDetail = app.json("/api/projects/A01", &[]).await;
    for (name, role, org) in [
        ("o", Role::Owner, Some(SHAOSHAN)),
        ("f", Role::Finance, None),
    ] {
        let s = app.user(name, role, org).await;
        let (status, _) = problem(
            s.patch(
                "/api/projects/A01",
                Some(&d.etag),
                &json!({"reason": "x", "remarks": "y"}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 403, "{role:?}");
    }
    let after: ProjectDetail = app.json("/api/projects/A01", &[]).await;
    assert_eq!(after, d);
}

#[tokio::test]
async fn new_owners_decide_who_may_report() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let d: ProjectDetail = app.json(&format!("/api/projects/{}", own.code), &[]).await;
    let res = planner
        .patch(
            &format!("/api/projects/{}", own.code),
            Some(&d.etag),
            &json!({"reason": "移交", "owners": ["湘潭市民政局"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let (status, _) = problem(owner.report(&own.code, &report_body("2024-03", "1")).await).await;
    assert_eq!(status, 403);
}
