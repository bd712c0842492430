use std::collections::HashMap;

use keyproj_shared::{District, Money, ProjectDetail, ProjectItem, ProjectPage, Totals};

use crate::helpers::{TestApp, all_projects, fields, problem, spawn_app};

fn totals_of<'a>(items: impl IntoIterator<Item = &'a ProjectItem>) -> Totals {
    Totals::from_rows(items.into_iter().map(|i| {
        (
            i.total_investment,
            i.planned_investment,
            i.social_investment,
        )
    }))
    .expect("no overflow")
}

/// Which rows a filter should keep, judged from the rows themselves.
type Keep = Box<dyn Fn(&ProjectItem) -> bool>;

fn codes(items: &[ProjectItem]) -> Vec<String> {
    items.iter().map(|i| i.code.clone()).collect()
}

async fn every_page(app: &TestApp, query: &[(&str, &str)]) -> (Vec<ProjectItem>, Totals) {
    let mut q: Vec<(&str, &str)> = query.to_vec();
    q.push(("per_page", "100"));
    let p: ProjectPage = app.json("/api/projects", &q).await;
    assert!(p.total <= 100, "the test needs one page");
    assert_eq!(p.total, p.items.len() as u64);
    (p.items, p.totals)
}

#[tokio::test]
async fn the_list_answers_all_87_projects_with_totals_over_the_whole_set() {
    let app = spawn_app().await;
    let p: ProjectPage = app.json("/api/projects", &[]).await;
    assert_eq!(
        (p.total, p.page, p.per_page, p.items.len()),
        (87, Some(1), 20, 20)
    );
    let all = all_projects(&app).await;
    assert_eq!(p.totals, totals_of(&all));
    assert_eq!(codes(&p.items), codes(&all[..20]));
}

#[tokio::test]
async fn pages_tile_the_list_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let all = all_projects(&app).await;
    let mut paged = Vec::new();
    for page in 1..=13 {
        let p: ProjectPage = app
            .json(
                "/api/projects",
                &[("per_page", "7"), ("page", &page.to_string())],
            )
            .await;
        assert_eq!(p.total, 87);
        paged.extend(p.items);
    }
    assert_eq!(codes(&paged), codes(&all));
    let beyond: ProjectPage = app.json("/api/projects", &[("page", "99")]).await;
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 87);
}

#[tokio::test]
async fn filtering_by_district_accepts_the_chinese_name_and_matches_the_rows() {
    let app = spawn_app().await;
    let all = all_projects(&app).await;
    for d in District::ALL {
        let (by_label, totals) = every_page(&app, &[("district", d.label())]).await;
        let (by_key, _) = every_page(&app, &[("district", d.key())]).await;
        let expected: Vec<&ProjectItem> = all.iter().filter(|i| i.district == Some(*d)).collect();
        assert_eq!(codes(&by_label), codes(&by_key));
        assert_eq!(
            codes(&by_label),
            expected.iter().map(|i| i.code.clone()).collect::<Vec<_>>()
        );
        assert_eq!(totals, totals_of(expected));
    }
    let (shaoshan, _) = every_page(&app, &[("district", "韶山市")]).await;
    assert!(!shaoshan.is_empty());
    let (unassigned, _) = every_page(&app, &[("district", "未分配")]).await;
    assert!(unassigned.iter().all(|i| i.district.is_none()));
    assert_eq!(
        unassigned.len(),
        all.iter().filter(|i| i.district.is_none()).count()
    );
}

#[tokio::test]
async fn filters_combine_and_each_keeps_only_matching_rows() {
    let app = spawn_app().await;
    let all = all_projects(&app).await;
    let cases: Vec<(Vec<(&str, &str)>, Keep)> = vec![
        (
            vec![("category", "B")],
            Box::new(|i| i.category.key() == "B"),
        ),
        (
            vec![
                ("category", "老年人福利类"),
                ("district", "韶山市"),
                ("start_year_from", "2021"),
                ("start_year_to", "2021"),
            ],
            Box::new(|i| {
                i.category.key() == "B"
                    && i.district == Some(District::Shaoshan)
                    && i.start.earliest_year == 2021
            }),
        ),
        (
            vec![("nature", "改扩建")],
            Box::new(|i| i.nature_published == "改扩建"),
        ),
        (
            vec![("nature", "new_or_continued")],
            Box::new(|i| i.nature_published == "新建或续建"),
        ),
        (
            vec![("has_social", "true")],
            Box::new(|i| i.social_investment.is_some_and(|m| m > Money::ZERO)),
        ),
        (
            vec![("has_social", "false")],
            Box::new(|i| i.social_investment.is_none()),
        ),
        (
            vec![("end_year_from", "2025")],
            Box::new(|i| i.end.latest_year >= 2025),
        ),
        (
            vec![("end_year_to", "2022")],
            Box::new(|i| i.end.latest_year <= 2022),
        ),
        (
            vec![("start_year_to", "2020")],
            Box::new(|i| i.start.earliest_year <= 2020),
        ),
        (
            vec![("owner", "韶山市民政局")],
            Box::new(|i| i.owners.iter().any(|o| o.name == "韶山市民政局")),
        ),
        (
            vec![("owner", "清溪镇人民政府")],
            Box::new(|i| i.owners.iter().any(|o| o.name == "清溪镇人民政府")),
        ),
    ];
    for (query, keep) in cases {
        let (items, totals) = every_page(&app, &query).await;
        let expected: Vec<&ProjectItem> = all.iter().filter(|i| keep(i)).collect();
        assert!(!expected.is_empty(), "{query:?} should match something");
        assert_eq!(
            codes(&items),
            expected.iter().map(|i| i.code.clone()).collect::<Vec<_>>(),
            "{query:?}"
        );
        assert_eq!(totals, totals_of(expected), "{query:?}");
    }
}

#[tokio::test]
async fn text_search_finds_chinese_in_name_owner_and_content() {
    let app = spawn_app().await;
    let all = all_projects(&app).await;
    let mut details = Vec::new();
    for i in &all {
        let d: ProjectDetail = app.json(&format!("/api/projects/{}", i.code), &[]).await;
        details.push(d);
    }
    // 敬老院 is in names; 福利院 in owners; 中央空调 only in a content cell; % and _ are literal
    // three characters and more go through SQLite's trigram index, fewer through LIKE; a
    // double quote is text, not query syntax
    for q in [
        "敬老院",
        "福利院",
        "中央空调",
        "骨灰",
        "%",
        "_",
        "社区",
        "市民政局",
        "\"",
        "敬老院\"",
        "光荣院建设项目",
        "养",
    ] {
        let (found, _) = every_page(&app, &[("q", q)]).await;
        let expected: Vec<String> = details
            .iter()
            .filter(|d| {
                d.item.name.contains(q)
                    || d.item.owners.iter().any(|o| o.name.contains(q))
                    || d.published.owner.contains(q)
                    || d.content.contains(q)
            })
            .map(|d| d.item.code.clone())
            .collect();
        assert_eq!(codes(&found), expected, "q={q}");
    }
    let (content_only, _) = every_page(&app, &[("q", "中央空调")]).await;
    assert_eq!(codes(&content_only), ["A03"]);
}

#[tokio::test]
async fn every_column_sorts_both_ways_with_code_breaking_ties() {
    let app = spawn_app().await;
    // `owner` sorts by the owner cell as the plan printed it, which a project's page shows
    let mut owner_published = HashMap::new();
    for i in all_projects(&app).await {
        let d: ProjectDetail = app.json(&format!("/api/projects/{}", i.code), &[]).await;
        owner_published.insert(i.code, d.published.owner);
    }
    for column in keyproj_shared::SortColumn::ALL {
        for desc in [false, true] {
            let sort = format!("{}{}", if desc { "-" } else { "" }, column.key());
            let (items, _) = every_page(&app, &[("sort", &sort)]).await;
            assert_eq!(items.len(), 87, "{sort}");
            let key = |i: &ProjectItem| -> (i64, String) {
                use keyproj_shared::SortColumn as C;
                let none_last =
                    |v: Option<i64>| v.unwrap_or(if desc { i64::MIN } else { i64::MAX });
                match column {
                    C::Code => (0, i.code.clone()),
                    C::Name => (0, i.name.clone()),
                    C::Category => (0, i.category.key().to_string()),
                    C::Nature => (
                        keyproj_shared::Nature::ALL
                            .iter()
                            .position(|n| *n == i.nature)
                            .unwrap_or(99) as i64,
                        String::new(),
                    ),
                    C::Owner => (0, owner_published[&i.code].clone()),
                    C::District => (
                        i.district
                            .and_then(|d| District::ALL.iter().position(|x| *x == d))
                            .unwrap_or(999) as i64,
                        String::new(),
                    ),
                    C::Start => (i64::from(i.start.earliest_year), String::new()),
                    C::End => (i64::from(i.end.latest_year), String::new()),
                    C::TotalInvestment => (i.total_investment.cents(), String::new()),
                    C::PlannedInvestment => (i.planned_investment.cents(), String::new()),
                    C::SocialSharePct => (
                        none_last(i.social_share_pct.map(|p| p.basis_points())),
                        String::new(),
                    ),
                    C::SocialInvestment => (
                        none_last(i.social_investment.map(|m| m.cents())),
                        String::new(),
                    ),
                }
            };
            let mut ties = 0;
            for pair in items.windows(2) {
                let (a, b) = (key(&pair[0]), key(&pair[1]));
                let ordered = if desc { a >= b } else { a <= b };
                assert!(ordered, "{sort}: {} before {}", pair[0].code, pair[1].code);
                if a == b {
                    ties += 1;
                    assert!(
                        pair[0].code < pair[1].code,
                        "{sort}: tie not broken by code"
                    );
                }
            }
            // several projects share an owner cell, so the tie-break is tested there too
            if *column == keyproj_shared::SortColumn::Owner {
                assert!(ties > 0, "{sort}: no two projects share an owner");
            }
        }
    }
}

/// Follows `next_cursor` from page 1 to the end.
async fn by_cursor(app: &TestApp, query: &[(&str, &str)], per_page: &str) -> Vec<ProjectItem> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut q: Vec<(&str, &str)> = query.to_vec();
        q.push(("per_page", per_page));
        if let Some(c) = &cursor {
            q.push(("cursor", c));
        }
        let p: ProjectPage = app.json("/api/projects", &q).await;
        assert_eq!(p.page, cursor.as_ref().map_or(Some(1), |_| None));
        items.extend(p.items);
        pages += 1;
        assert!(pages <= 100, "the cursors never reach the end: {query:?}");
        match p.next_cursor {
            Some(next) => cursor = Some(next),
            None => return items,
        }
    }
}

#[tokio::test]
async fn cursor_pages_follow_every_sort_exactly_like_one_long_page() {
    let app = spawn_app().await;
    for column in keyproj_shared::SortColumn::ALL {
        for desc in [false, true] {
            let sort = format!("{}{}", if desc { "-" } else { "" }, column.key());
            for filter in [None, Some(("category", "B"))] {
                let mut query = vec![("sort", sort.as_str())];
                query.extend(filter);
                let (whole, _) = every_page(&app, &query).await;
                // 8 per page puts page edges inside runs of equal values, which code must split
                let paged = by_cursor(&app, &query, "8").await;
                assert_eq!(codes(&paged), codes(&whole), "{query:?}");
            }
        }
    }
}

#[tokio::test]
async fn the_last_page_has_no_next_cursor_and_a_full_page_before_it_has_one() {
    let app = spawn_app().await;
    let all: ProjectPage = app.json("/api/projects", &[("per_page", "87")]).await;
    assert_eq!((all.items.len(), all.next_cursor), (87, None));
    let first: ProjectPage = app.json("/api/projects", &[("per_page", "86")]).await;
    let next = first.next_cursor.expect("one project is left");
    let last: ProjectPage = app
        .json("/api/projects", &[("per_page", "86"), ("cursor", &next)])
        .await;
    assert_eq!(codes(&last.items), codes(&all.items[86..]));
    assert_eq!((last.next_cursor, last.total), (None, 87));
    assert_eq!(last.totals, first.totals);
}

#[tokio::test]
async fn a_foreign_or_made_up_cursor_or_one_with_page_gets_422_naming_the_field() {
    let app = spawn_app().await;
    let p: ProjectPage = app
        .json("/api/projects", &[("sort", "-total_investment")])
        .await;
    let cursor = p.next_cursor.expect("more than one page");
    for (query, field) in [
        (vec![("cursor", cursor.as_str())], "cursor"),
        (
            vec![("sort", "name"), ("cursor", cursor.as_str())],
            "cursor",
        ),
        (vec![("cursor", "not-a-cursor")], "cursor"),
        (vec![("cursor", "WyJjb2RlIl0")], "cursor"),
        (
            vec![
                ("sort", "-total_investment"),
                ("page", "2"),
                ("cursor", cursor.as_str()),
            ],
            "page",
        ),
    ] {
        let (status, problem) = problem(app.get_query("/api/projects", &query).await).await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec![field.to_string()]),
            "{query:?}"
        );
    }
}

#[tokio::test]
async fn text_search_follows_a_change_of_name_or_content_at_once() {
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    let (before, _) = every_page(&app, &[("q", "中央空调")]).await;
    assert_eq!(codes(&before), ["A03"]);
    {
        let pool = app.db();
        let mut conn = pool.get().expect("connection");
        diesel::sql_query(
            "UPDATE projects SET content = REPLACE(content, '中央空调', '地源热泵') WHERE code = 'A03'",
        )
        .execute(&mut conn)
        .expect("a content change");
        diesel::sql_query("UPDATE projects SET name = name || '（二期）' WHERE code = 'E01'")
            .execute(&mut conn)
            .expect("a name change");
        // as every write through the app does (`db::data_version::bump`): the answers kept
        // for the old version are not this data's
        diesel::sql_query("UPDATE data_version SET version = version + 1")
            .execute(&mut conn)
            .expect("the data version moved");
    }
    let (old, _) = every_page(&app, &[("q", "中央空调")]).await;
    assert!(old.is_empty(), "{:?}", codes(&old));
    let (new, _) = every_page(&app, &[("q", "地源热泵")]).await;
    assert_eq!(codes(&new), ["A03"]);
    let (renamed, _) = every_page(&app, &[("q", "（二期）")]).await;
    assert_eq!(codes(&renamed), ["E01"]);
}

#[tokio::test]
async fn a_renamed_project_is_found_by_a_new_two_character_search_at_once() {
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    // two characters go through their own index on both engines (SQLite's bigram table,
    // PostgreSQL's bigram sets); 鲲鹏 is in no project of the plan
    let (none, _) = every_page(&app, &[("q", "鲲鹏")]).await;
    assert!(none.is_empty(), "{:?}", codes(&none));
    let rename = |sql: &'static str| {
        let pool = app.db();
        let mut conn = pool.get().expect("connection");
        diesel::sql_query(sql)
            .execute(&mut conn)
            .expect("a name change");
        // as every write through the app does (`db::data_version::bump`): the answers kept
        // for the old version are not this data's
        diesel::sql_query("UPDATE data_version SET version = version + 1")
            .execute(&mut conn)
            .expect("the data version moved");
    };
    rename("UPDATE projects SET name = '鲲鹏' || name WHERE code = 'E01'");
    let (found, totals) = every_page(&app, &[("q", "鲲鹏")]).await;
    assert_eq!(codes(&found), ["E01"]);
    assert_eq!(totals, totals_of(&found));
    // the new first character next to the old first one: a bigram across the edit
    let d: ProjectDetail = app.json("/api/projects/E01", &[]).await;
    let across: String = d.item.name.chars().skip(1).take(2).collect();
    let (spanning, _) = every_page(&app, &[("q", across.as_str())]).await;
    assert!(codes(&spanning).contains(&"E01".to_string()), "q={across}");
    rename("UPDATE projects SET name = REPLACE(name, '鲲鹏', '') WHERE code = 'E01'");
    let (gone, _) = every_page(&app, &[("q", "鲲鹏")]).await;
    assert!(gone.is_empty(), "{:?}", codes(&gone));
    let (gone, _) = every_page(&app, &[("q", across.as_str())]).await;
    assert!(!codes(&gone).contains(&"E01".to_string()), "q={across}");
}
