//! The colour counts kept per (district, category) cell with the cached verdicts, and the
//! list filtered by colour totalled from them (`backend/src/verdicts.rs`): both must agree
//! with counting and summing project by project, after the writes that move a project
//! between colours and between cells.

use keyproj_shared::{ProjectDetail, ProjectPage, Role, RuleSet, WarningPage, WarningSummary};
use serde_json::json;

use crate::helpers::{TestApp, all_projects, fields, ok_json, problem, spawn_app};
use crate::warning_list::behind_by;
use crate::warnings::{put_rules, rules_body};

const JUNE: (&str, &str) = ("period", "2024-06");

/// The summary of `filter` for June, answered from the cells, and the same projects
/// counted one by one: a start-year filter every project meets makes the server walk them.
async fn both_ways(app: &TestApp, filter: &[(&str, &str)]) -> (WarningSummary, WarningSummary) {
    let mut q = vec![JUNE];
    q.extend_from_slice(filter);
    let cells: WarningSummary = app.json("/api/warnings/summary", &q).await;
    q.push(("start_year_from", "1900"));
    let walked: WarningSummary = app.json("/api/warnings/summary", &q).await;
    (cells, walked)
}

async fn assert_agree(app: &TestApp, when: &str) {
    for filter in [
        &[][..],
        &[("district", "岳塘区")][..],
        &[("category", "B")][..],
        &[("district", "岳塘区"), ("category", "B")][..],
        &[("district", "unassigned")][..],
    ] {
        let (cells, walked) = both_ways(app, filter).await;
        assert_eq!(cells, walked, "{when}, filter {filter:?}");
    }
    // the dashboard's tiles: the 预警 list's totals for the whole plan, and its first page
    for tile in [
        &[("level", "red")][..],
        &[("level", "yellow")][..],
        &[("rule", "not_reported")][..],
        &[][..],
    ] {
        let mut q = vec![JUNE, ("per_page", "3")];
        q.extend_from_slice(tile);
        let cells: WarningPage = app.json("/api/warnings", &q).await;
        q.push(("start_year_from", "1900"));
        let walked: WarningPage = app.json("/api/warnings", &q).await;
        assert_eq!(
            (cells.total, &cells.items),
            (walked.total, &walked.items),
            "{when}, tile {tile:?}"
        );
    }
}

#[tokio::test]
async fn the_colour_counts_kept_per_cell_agree_with_counting_project_by_project() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let mut rules = rules_body("10");
    rules["not_reported_red_months"] = json!(12);
    let _: RuleSet = ok_json(
        put_rules(&admin, Some("\"rules-v1\""), &rules).await,
        "rules",
    )
    .await;
    // June is kept before anything has a colour
    assert_agree(&app, "before any plan").await;
    let all = all_projects(&app).await;
    let b_codes: Vec<String> = all
        .iter()
        .filter(|p| p.code.starts_with('B'))
        .map(|p| p.code.clone())
        .collect();
    let (red, yellow) = (&b_codes[0], &b_codes[1]);
    behind_by(&app, &planner, &admin, &finance, red, "250").await;
    behind_by(&app, &planner, &admin, &finance, yellow, "420").await;
    assert_agree(&app, "after two plans and reports").await;
    let b: WarningSummary = app
        .json("/api/warnings/summary", &[JUNE, ("category", "B")])
        .await;
    assert_eq!((b.total.red, b.total.yellow), (1, 1), "{b:?}");

    // the red project moves to 岳塘区: its count leaves its old cell and joins the new one
    let d: ProjectDetail = app.json(&format!("/api/projects/{red}"), &[]).await;
    let res = planner
        .patch(
            &format!("/api/projects/{red}"),
            Some(&d.etag),
            &json!({"reason": "测试", "district": "岳塘区"}),
        )
        .await;
    let _: ProjectDetail = ok_json(res, "move district").await;
    assert_agree(&app, "after a district change").await;
    let yt: WarningSummary = app
        .json(
            "/api/warnings/summary",
            &[JUNE, ("district", "岳塘区"), ("category", "B")],
        )
        .await;
    assert_eq!(yt.total.red, 1, "{yt:?}");
}

/// The list's count and 总投资 total for `query` in June.
async fn count_and_total(app: &TestApp, query: &[(&str, &str)]) -> (u64, i64) {
    let mut q = vec![JUNE];
    q.extend_from_slice(query);
    let page: ProjectPage = app.json("/api/projects", &q).await;
    (page.total, page.totals.total_investment.cents())
}

#[tokio::test]
async fn the_list_by_colour_totals_its_projects_as_the_unfiltered_list_sums_them() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let mut rules = rules_body("10");
    rules["not_reported_red_months"] = json!(12);
    let _: RuleSet = ok_json(
        put_rules(&admin, Some("\"rules-v1\""), &rules).await,
        "rules",
    )
    .await;
    let all = all_projects(&app).await;
    behind_by(&app, &planner, &admin, &finance, &all[2].code, "250").await;
    behind_by(&app, &planner, &admin, &finance, &all[7].code, "420").await;
    let whole: ProjectPage = app.json("/api/projects", &[]).await;
    let mut count = 0;
    let mut total = 0;
    for colour in ["red", "yellow", "green", "none"] {
        let (n, t) = count_and_total(&app, &[("warning", colour)]).await;
        count += n;
        total += t;
    }
    assert_eq!(
        (count, total),
        (whole.total, whole.totals.total_investment.cents())
    );
    // sorted on a column, the colour filter keeps the database's order
    let by_size: ProjectPage = app
        .json(
            "/api/projects",
            &[
                JUNE,
                ("warning", "none"),
                ("sort", "-total_investment"),
                ("per_page", "100"),
            ],
        )
        .await;
    let sizes: Vec<i64> = by_size
        .items
        .iter()
        .map(|i| i.total_investment.cents())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    assert_eq!(by_size.total as usize, all.len() - 2);
}

/// The codes of a CSV export's rows and its 合计 row's first cell.
async fn exported(app: &TestApp, query: &[(&str, &str)]) -> (Vec<String>, String) {
    let res = app.get_query("/api/export/projects.csv", query).await;
    assert_eq!(res.status(), 200, "{query:?}");
    let bytes = res.bytes().await.expect("body");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let mut codes: Vec<String> = reader
        .records()
        .map(|r| r.expect("a record")[0].to_string())
        .collect();
    let last = codes.pop().expect("a 合计 row");
    (codes, last)
}

#[tokio::test]
async fn the_lists_export_holds_what_the_list_by_colour_or_by_gap_holds() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    let finance = app.user("qian", Role::Finance, None).await;
    let mut rules = rules_body("10");
    rules["not_reported_red_months"] = json!(12);
    let _: RuleSet = ok_json(
        put_rules(&admin, Some("\"rules-v1\""), &rules).await,
        "rules",
    )
    .await;
    let all = all_projects(&app).await;
    let (red, yellow) = (&all[30].code, &all[4].code);
    behind_by(&app, &planner, &admin, &finance, red, "250").await;
    behind_by(&app, &planner, &admin, &finance, yellow, "420").await;

    let (codes, last) = exported(&app, &[JUNE, ("warning", "red")]).await;
    assert_eq!((codes, last.as_str()), (vec![red.clone()], "合计(1个)"));
    let (codes, _) = exported(&app, &[JUNE, ("warning", "yellow"), ("sort", "-gap")]).await;
    assert_eq!(codes, vec![yellow.clone()]);
    // by the gap, most behind first, every project: as the list orders them
    let (codes, last) = exported(&app, &[JUNE, ("sort", "-gap")]).await;
    let list: ProjectPage = app
        .json(
            "/api/projects",
            &[JUNE, ("sort", "-gap"), ("per_page", "100")],
        )
        .await;
    let listed: Vec<String> = list.items.into_iter().map(|i| i.code).collect();
    assert_eq!(codes[..2], [red.clone(), yellow.clone()]);
    assert_eq!(codes, listed);
    assert_eq!(last, format!("合计({}个)", all.len()));
    // an export holds every row: the list's paging is refused, naming the parameter
    for (k, v) in [("page", "2"), ("per_page", "10")] {
        let res = app
            .get_query(
                "/api/export/projects.csv",
                &[JUNE, ("warning", "red"), (k, v)],
            )
            .await;
        let (status, p) = problem(res).await;
        assert_eq!((status, fields(&p)), (422, vec![k.to_string()]), "{p:?}");
    }
}
