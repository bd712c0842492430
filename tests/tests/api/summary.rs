use keyproj::models::project::Sums;
use keyproj_shared::{GroupBy, ProjectDetail, ProjectPage, Report, Role, Summary, Totals};
use serde_json::json;

use crate::helpers::{SHAOSHAN, TestApp, all_projects, ok_json, report_body, spawn_app};

#[tokio::test]
async fn every_grouping_adds_up_to_the_list_totals() {
    let app = spawn_app().await;
    let list: ProjectPage = app.json("/api/projects", &[]).await;
    for g in GroupBy::ALL {
        let s: Summary = app.json("/api/summary", &[("group_by", g.key())]).await;
        assert_eq!(s.group_by, g.key());
        assert_eq!(s.total, list.totals, "{}", g.key());
        let regrouped = Totals::from_rows(s.groups.iter().map(|x| {
            (
                x.total_investment,
                x.planned_investment,
                Some(x.social_investment),
            )
        }))
        .expect("no overflow");
        assert_eq!(regrouped.total_investment, s.total.total_investment);
        assert_eq!(regrouped.planned_investment, s.total.planned_investment);
        assert_eq!(regrouped.social_investment, s.total.social_investment);
        assert_eq!(s.groups.iter().map(|x| x.count).sum::<u64>(), 87);
    }
}

/// Checks the district summary against the rows the list serves, group by group.
async fn assert_district_groups_match_rows(app: &TestApp) -> Summary {
    let all = all_projects(app).await;
    let s: Summary = app.json("/api/summary", &[("group_by", "district")]).await;
    let mut counted = 0;
    for g in &s.groups {
        let members: Vec<_> = all
            .iter()
            .filter(|i| i.district.map_or("unassigned", |d| d.key()) == g.key)
            .collect();
        let t = Totals::from_rows(members.iter().map(|i| {
            (
                i.total_investment,
                i.planned_investment,
                i.social_investment,
            )
        }))
        .expect("no overflow");
        assert_eq!(g.count, t.count, "{}", g.key);
        assert_eq!(g.total_investment, t.total_investment, "{}", g.key);
        assert_eq!(g.planned_investment, t.planned_investment, "{}", g.key);
        assert_eq!(g.social_investment, t.social_investment, "{}", g.key);
        assert_eq!(g.social_share_pct, t.social_share_pct, "{}", g.key);
        counted += g.count;
    }
    assert_eq!(counted, all.len() as u64, "every project is in one group");
    s
}

#[tokio::test]
async fn district_groups_match_the_rows_of_each_district() {
    let app = spawn_app().await;
    let s = assert_district_groups_match_rows(&app).await;
    let labels: Vec<&str> = s.groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(labels.last(), Some(&"未分配"));
    assert_eq!(labels.first(), Some(&"市本级"));
}

/// The rollup as kept by the triggers, and as summing the projects gives it now.
async fn rollup_and_fresh_sums(app: &TestApp) -> (Vec<(String, Sums)>, Vec<(String, Sums)>) {
    let pool = app.db();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().expect("connection");
        keyproj::models::project::rollup::compare_with_projects(&mut conn).expect("both read")
    })
    .await
    .expect("joined")
}

#[tokio::test]
async fn the_summaries_follow_edits_approvals_and_direct_writes_at_once() {
    let app = spawn_app().await;
    let (kept, fresh) = rollup_and_fresh_sums(&app).await;
    assert!(!kept.is_empty());
    assert_eq!(kept, fresh, "after loading annex 1");

    // a planner moves a project to another district and changes its amounts and schedule
    let planner = app.user("li", Role::Planner, None).await;
    let before: ProjectDetail = app.json("/api/projects/B09", &[]).await;
    let edited: ProjectDetail = ok_json(
        planner
            .patch(
                "/api/projects/B09",
                Some(&before.etag),
                &json!({"reason": "调整", "district": "岳塘区", "start": "2022.3",
                        "end": "2024-2026", "total_investment": "1500.55",
                        "planned_investment": "1200.5", "social_share_pct": "33.3"}),
            )
            .await,
        "edit",
    )
    .await;
    // and another out of every district, which empties no cell but opens one
    let other: ProjectDetail = app.json("/api/projects/A01", &[]).await;
    let _: ProjectDetail = ok_json(
        planner
            .patch(
                "/api/projects/A01",
                Some(&other.etag),
                &json!({"reason": "调整", "district": "unassigned"}),
            )
            .await,
        "unassign",
    )
    .await;

    // an owner's report, approved by finance, counts as completed investment
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("wang", Role::Finance, None).await;
    let (own, _) = app.projects_of(SHAOSHAN).await;
    let report: Report = ok_json(
        owner
            .report(&own.code, &report_body("2026-10", "88.08"))
            .await,
        "report",
    )
    .await;
    let _: Report = ok_json(
        finance
            .post_if_match(
                &format!("/api/reports/{}/approve", report.id),
                &report.etag,
                &json!({}),
            )
            .await,
        "approve",
    )
    .await;

    // and a write straight into the database, past the API
    {
        use diesel::RunQueryDsl;
        let pool = app.db();
        let mut conn = pool.get().expect("connection");
        diesel::sql_query("UPDATE projects SET nature = 'expansion' WHERE code = 'C02'")
            .execute(&mut conn)
            .expect("a direct write");
    }

    let (kept, fresh) = rollup_and_fresh_sums(&app).await;
    assert_eq!(kept, fresh, "after the writes");
    assert_district_groups_match_rows(&app).await;
    let yuetang: ProjectPage = app
        .json(
            "/api/projects",
            &[("district", "岳塘区"), ("per_page", "100")],
        )
        .await;
    assert!(yuetang.items.iter().any(|i| i.code == edited.item.code));
    let list: ProjectPage = app.json("/api/projects", &[]).await;
    assert_eq!(list.totals.investment_completed.to_string(), "88.08");
    let own_category = own.category.key();
    for g in GroupBy::ALL {
        let s: Summary = app.json("/api/summary", &[("group_by", g.key())]).await;
        assert_eq!(s.total, list.totals, "{}", g.key());
        let completed: Vec<(&str, String)> = s
            .groups
            .iter()
            .filter(|g| g.investment_completed != keyproj_shared::Money::ZERO)
            .map(|g| (g.key.as_str(), g.investment_completed.to_string()))
            .collect();
        assert_eq!(completed.len(), 1, "{}: {completed:?}", g.key());
        assert_eq!(completed[0].1, "88.08", "{}", g.key());
        if *g == GroupBy::Category {
            assert_eq!(completed[0].0, own_category);
        }
    }
}

#[tokio::test]
async fn the_summary_takes_the_same_filters_as_the_list() {
    let app = spawn_app().await;
    let filters = [("district", "韶山市"), ("category", "B")];
    let list: ProjectPage = app.json("/api/projects", &filters).await;
    let mut q = filters.to_vec();
    q.push(("group_by", "start_year"));
    let s: Summary = app.json("/api/summary", &q).await;
    assert_eq!(s.total, list.totals);
    assert!(s.groups.windows(2).all(|w| w[0].key < w[1].key));
}

#[tokio::test]
async fn year_groups_count_the_approximate_dates_in_them() {
    let app = spawn_app().await;
    let all = all_projects(&app).await;
    let s: Summary = app.json("/api/summary", &[("group_by", "end_year")]).await;
    for g in &s.groups {
        let approx = all
            .iter()
            .filter(|i| i.end.latest_year.to_string() == g.key && i.end.approximate)
            .count() as u64;
        assert_eq!(g.approximate_count, approx, "{}", g.key);
    }
    assert!(s.groups.iter().any(|g| g.approximate_count > 0));
}
