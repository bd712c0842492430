use keyproj_shared::{GroupBy, ProjectPage, Summary, Totals};

use crate::helpers::{all_projects, spawn_app};

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

#[tokio::test]
async fn district_groups_match_the_rows_of_each_district() {
    let app = spawn_app().await;
    let all = all_projects(&app).await;
    let s: Summary = app.json("/api/summary", &[("group_by", "district")]).await;
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
        assert_eq!(g.social_investment, t.social_investment, "{}", g.key);
        assert_eq!(g.social_share_pct, t.social_share_pct, "{}", g.key);
    }
    let labels: Vec<&str> = s.groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(labels.last(), Some(&"未分配"));
    assert_eq!(labels.first(), Some(&"市本级"));
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
