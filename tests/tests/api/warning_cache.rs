//! The cached verdicts (`backend/src/verdicts.rs`): every server sharing a database answers
//! what judging on the spot would, after writes on any of them.

use keyproj_shared::{Level, ProjectDetail, Role, RuleId, RuleSet, WarningPage, WarningSummary};
use serde_json::json;

use crate::helpers::{
    PASSWORD, SHAOSHAN, TestApp, all_projects, ok_json, report_body, spawn_app, spawn_app_on,
};
use crate::plans::{known_project, put_plan};
use crate::warnings::{approved, plan, put_rules, rules_body, without_milestones};

/// The investment-lag verdict of `code` for June 2024 in the list of `app`.
async fn june_lag(app: &TestApp, code: &str) -> Option<(Level, String, i32)> {
    let page: WarningPage = app
        .json(
            "/api/warnings",
            &[("period", "2024-06"), ("rule", "investment_lag")],
        )
        .await;
    page.items
        .iter()
        .find(|w| w.code == code && w.rule == RuleId::InvestmentLag)
        .map(|w| (w.level, w.explanation.clone(), w.rule_set_version))
}

async fn june_summary(app: &TestApp) -> WarningSummary {
    app.json("/api/warnings/summary", &[("period", "2024-06")])
        .await
}

#[tokio::test]
async fn two_servers_on_one_database_both_see_a_plan_change_in_their_warnings() {
    let a = spawn_app().await;
    let b = spawn_app_on(
        tempfile::tempdir().expect("temp dir"),
        a.database_url.clone(),
        None,
    )
    .await;
    let planner = a.user("li", Role::Planner, None).await;
    let owner = a.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = a.user("qian", Role::Finance, None).await;
    let admin = a.user("root", Role::Admin, None).await;
    let code = known_project(&a, &planner, SHAOSHAN).await;
    // both servers keep June before the project has a plan: no colour anywhere
    for s in [&a, &b] {
        assert_eq!(june_lag(s, &code).await, None);
        let sum = june_summary(s).await;
        assert_eq!((sum.total.red, sum.total.yellow), (0, 0));
    }

    // a's planner enters the plan, a's finance approves June: 32 % done against 50 % → yellow
    let mut body = without_milestones("1000");
    body["baseline_completed"] = json!("100");
    plan(&planner, &code, 2024, &body).await;
    approved(&owner, &finance, &code, report_body("2024-06", "420")).await;
    for s in [&a, &b] {
        let (level, text, _) = june_lag(s, &code).await.expect("a verdict on both");
        assert_eq!(level, Level::Yellow, "{text}");
        assert!(text.contains("投资完成率 32.00%"), "{text}");
    }

    // b's planner doubles the plan: 16 % done → 34 points behind → red, on both servers
    let planner_b = b.login("li", PASSWORD).await;
    body["planned_investment"] = json!("2000");
    body["reason"] = json!("年中调整");
    let res = put_plan(
        &planner_b,
        &code,
        "2024",
        Some(&format!("\"plan-{code}-2024-v1\"")),
        &body,
    )
    .await;
    assert_eq!(res.status(), 200);
    for s in [&a, &b] {
        let (level, text, _) = june_lag(s, &code).await.expect("a verdict on both");
        assert_eq!(level, Level::Red, "{text}");
        assert!(text.contains("投资完成率 16.00%"), "{text}");
        let sum = june_summary(s).await;
        assert_eq!(sum.total.red, 1, "{sum:?}");
    }

    // a new rule set on a (yellow from 20, red above 40): b judges everything again with it
    let mut rules = rules_body("20");
    rules["lag_red_above"] = json!("40");
    let v2: RuleSet = ok_json(
        put_rules(&admin, Some("\"rules-v1\""), &rules).await,
        "new rules",
    )
    .await;
    assert_eq!(v2.version, 2);
    for s in [&b, &a] {
        let (level, text, version) = june_lag(s, &code).await.expect("a verdict on both");
        assert_eq!((level, version), (Level::Yellow, 2), "{text}");
    }
}

#[tokio::test]
async fn a_server_whose_verdicts_are_older_than_the_pruned_change_log_still_sees_every_change() {
    let a = spawn_app().await;
    let b = spawn_app_on(
        tempfile::tempdir().expect("temp dir"),
        a.database_url.clone(),
        None,
    )
    .await;
    let planner = b.user("li", Role::Planner, None).await;
    let owner = b.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = b.user("qian", Role::Finance, None).await;
    let code = known_project(&b, &planner, SHAOSHAN).await;
    // a keeps June while the project has no plan
    assert_eq!(june_lag(&a, &code).await, None);

    // on b: a plan and an approved June report make it yellow, then more writes than the
    // change log keeps, on another project, so that the plan's record is pruned
    let mut body = without_milestones("1000");
    body["baseline_completed"] = json!("100");
    plan(&planner, &code, 2024, &body).await;
    approved(&owner, &finance, &code, report_body("2024-06", "420")).await;
    let other = all_projects(&b)
        .await
        .into_iter()
        .map(|p| p.code)
        .find(|c| *c != code)
        .expect("another project");
    let mut etag = b
        .json::<ProjectDetail>(&format!("/api/projects/{other}"), &[])
        .await
        .etag;
    for i in 0..=keyproj::db::data_version::CHANGES_KEPT {
        let res = planner
            .patch(
                &format!("/api/projects/{other}"),
                Some(&etag),
                &json!({"reason": "核对", "remarks": format!("第{i}次核对")}),
            )
            .await;
        etag = ok_json::<ProjectDetail>(res, "edit").await.etag;
    }
    // a's June is older than every kept record: it judges everything again and sees the plan
    let (level, text, _) = june_lag(&a, &code).await.expect("a verdict");
    assert_eq!(level, Level::Yellow, "{text}");
    let sum = june_summary(&a).await;
    assert_eq!(
        sum.total.red + sum.total.yellow + sum.total.green,
        1,
        "{sum:?}"
    );
}
