//! 报送情况 (催报): on time, late and not reported at the deadline's edge, which submission
//! counts, the current month, access, the ranking's order, an owner's due list, and the
//! exports. The server's clock cannot be set from outside, so a test moves a stored
//! submission time behind the API to put it one second either side of a deadline.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use diesel::RunQueryDsl;
use keyproj_shared::{
    DueList, Ranking, Report, Role, Timeliness, TimelinessMonth, TimelinessProject,
};
use serde_json::json;

use crate::helpers::{
    SHAOSHAN, Session, TestApp, YUHU, all_projects, fields, ok_json, problem, report_body,
    spawn_app,
};

const XIANGXIANG: &str = "湘乡市民政局";

async fn submit(s: &Session, code: &str, period: &str) -> Report {
    ok_json(
        s.report(code, &report_body(period, "10")).await,
        "submission",
    )
    .await
}

/// Moves a report's stored submission time.
fn submitted_at(app: &TestApp, report: &Report, at: &str) {
    let pool = app.db();
    let mut conn = pool.get().expect("connection");
    let n = diesel::sql_query(format!(
        "UPDATE reports SET submitted_at = '{at}' WHERE id = {}",
        report.id
    ))
    .execute(&mut conn)
    .expect("update");
    assert_eq!(n, 1);
}

/// The codes of an organisation's projects, in code order.
async fn codes_of(app: &TestApp, org: &str) -> Vec<String> {
    all_projects(app)
        .await
        .into_iter()
        .filter(|p| p.owners.iter().any(|o| o.name == org))
        .map(|p| p.code)
        .collect()
}

fn project<'a>(m: &'a TimelinessMonth, org: &str, code: &str) -> &'a TimelinessProject {
    m.organisations
        .iter()
        .find(|o| o.name == org)
        .and_then(|o| o.projects.iter().find(|p| p.code == code))
        .unwrap_or_else(|| panic!("{org} {code} in {m:?}"))
}

async fn month(s: &Session, period: &str) -> TimelinessMonth {
    s.json(&format!("/api/timeliness?period={period}")).await
}

/// The current month in China, `YYYY-MM`.
fn this_month() -> String {
    keyproj::clock::today_in_china(keyproj::clock::now())
        .expect("today")
        .period()
        .to_string()
}

#[tokio::test]
async fn a_report_a_second_before_the_deadline_is_on_time_and_a_second_after_is_late() {
    let app = spawn_app().await;
    let owner = app.user("shao", Role::Owner, Some(SHAOSHAN)).await;
    let planner = app.user("gui", Role::Planner, None).await;
    let codes = codes_of(&app, SHAOSHAN).await;
    // March 2025 is due by the end of 5 April 2025 in Beijing, 16:00 UTC
    let before = submit(&owner, &codes[0], "2025-03").await;
    submitted_at(&app, &before, "2025-04-05T15:59:59.000Z");
    let after = submit(&owner, &codes[1], "2025-03").await;
    submitted_at(&app, &after, "2025-04-05T16:00:01.000Z");
    let edge = submit(&owner, &codes[2], "2025-03").await;
    submitted_at(&app, &edge, "2025-04-05T16:00:00.000Z");

    let m = month(&planner, "2025-03").await;
    assert_eq!(m.due_date, "2025-04-05");
    assert_eq!(m.late_from, "2025-04-05T16:00:00.000Z");
    assert_eq!(m.deadline_label, "2025年4月5日24时（北京时间）");
    assert!(m.over);
    let on_time = project(&m, SHAOSHAN, &codes[0]);
    assert_eq!(on_time.status, Timeliness::OnTime);
    assert_eq!(
        on_time.submitted_at.as_deref(),
        Some("2025-04-05T15:59:59.000Z")
    );
    assert_eq!(on_time.report_id, Some(before.id));
    assert_eq!(project(&m, SHAOSHAN, &codes[1]).status, Timeliness::Late);
    assert_eq!(project(&m, SHAOSHAN, &codes[2]).status, Timeliness::Late);
    let silent = project(&m, SHAOSHAN, &codes[3]);
    assert_eq!(silent.status, Timeliness::NotReported);
    assert_eq!(silent.submitted_at, None);
    let shaoshan = m
        .organisations
        .iter()
        .find(|o| o.name == SHAOSHAN)
        .expect("韶山");
    assert_eq!(shaoshan.projects.len(), codes.len());
    assert_eq!(
        (
            shaoshan.counts.on_time,
            shaoshan.counts.late,
            shaoshan.counts.not_reported,
            shaoshan.counts.due
        ),
        (1, 2, codes.len() as u64 - 3, 0)
    );
    // every project once in the totals, whatever its number of owners
    assert_eq!(m.totals.projects, 87);
    assert_eq!((m.totals.on_time, m.totals.late), (1, 2));
    assert_eq!(m.totals.not_reported, 84);
}

#[tokio::test]
async fn a_later_correction_keeps_a_month_on_time_and_a_late_resubmission_after_a_return_is_late() {
    let app = spawn_app().await;
    let owner = app.user("shao", Role::Owner, Some(SHAOSHAN)).await;
    let finance = app.user("cai", Role::Finance, None).await;
    let codes = codes_of(&app, SHAOSHAN).await;
    // corrected after the deadline (now): the first submission still counts
    let first = submit(&owner, &codes[0], "2025-05").await;
    submitted_at(&app, &first, "2025-06-02T01:00:00.000Z");
    let correction = submit(&owner, &codes[0], "2025-05").await;
    assert_eq!(correction.supersedes_id, Some(first.id));
    // returned, then resubmitted after the deadline: late
    let sent = submit(&owner, &codes[1], "2025-05").await;
    submitted_at(&app, &sent, "2025-06-03T01:00:00.000Z");
    let ret = format!("/api/reports/{}/return", sent.id);
    let returned: Report = ok_json(
        finance
            .post_if_match(
                &ret,
                &sent.etag,
                &json!({"reason": "累计完成投资与台账不符"}),
            )
            .await,
        "return",
    )
    .await;
    // returned and not resubmitted: not reported
    let only_returned = submit(&owner, &codes[2], "2025-05").await;
    submitted_at(&app, &only_returned, "2025-06-03T01:00:00.000Z");
    let ret2 = format!("/api/reports/{}/return", only_returned.id);
    let _: Report = ok_json(
        finance
            .post_if_match(&ret2, &only_returned.etag, &json!({"reason": "请补充"}))
            .await,
        "return",
    )
    .await;
    let m = month(&finance, "2025-05").await;
    let corrected = project(&m, SHAOSHAN, &codes[0]);
    assert_eq!(corrected.status, Timeliness::OnTime);
    assert_eq!(corrected.report_id, Some(first.id));
    assert_eq!(
        project(&m, SHAOSHAN, &codes[2]).status,
        Timeliness::NotReported
    );
    // before the resubmission the returned report alone does not count
    assert_eq!(
        project(&m, SHAOSHAN, &codes[1]).status,
        Timeliness::NotReported
    );
    let again = submit(&owner, &codes[1], "2025-05").await;
    assert_eq!(again.supersedes_id, Some(returned.id));
    let m = month(&finance, "2025-05").await;
    let resubmitted = project(&m, SHAOSHAN, &codes[1]);
    assert_eq!(resubmitted.status, Timeliness::Late);
    assert_eq!(resubmitted.report_id, Some(again.id));
}

#[tokio::test]
async fn the_current_month_is_due_not_unreported_and_a_future_or_bad_month_is_422() {
    let app = spawn_app().await;
    let owner = app.user("shao", Role::Owner, Some(SHAOSHAN)).await;
    let planner = app.user("gui", Role::Planner, None).await;
    let codes = codes_of(&app, SHAOSHAN).await;
    let now = this_month();
    let r = submit(&owner, &codes[0], &now).await;
    let m = month(&planner, &now).await;
    assert!(!m.over);
    assert_eq!(m.totals.not_reported, 0);
    assert_eq!(m.totals.due, 86);
    let reported = project(&m, SHAOSHAN, &codes[0]);
    assert_eq!(reported.status, Timeliness::OnTime);
    assert_eq!(
        reported.submitted_at.as_deref(),
        Some(r.submitted_at.as_str())
    );
    assert_eq!(project(&m, SHAOSHAN, &codes[1]).status, Timeliness::Due);

    let next = keyproj_shared::timeliness::add_months(now.parse().expect("a month"), 1)
        .expect("a month")
        .to_string();
    for bad in [next.as_str(), "2025-13", "2025-3", "x"] {
        let (status, p) =
            problem(planner.get(&format!("/api/timeliness?period={bad}")).await).await;
        assert_eq!(
            (status, fields(&p)),
            (422, vec!["period".to_string()]),
            "{bad}"
        );
    }
    let (status, p) = problem(planner.get("/api/timeliness/ranking?months=61").await).await;
    assert_eq!((status, fields(&p)), (422, vec!["months".to_string()]));
}

#[tokio::test]
async fn an_owner_sees_only_their_organisation_and_strangers_see_nothing() {
    let app = spawn_app().await;
    let owner = app.user("shao", Role::Owner, Some(SHAOSHAN)).await;
    for path in [
        "/api/timeliness",
        "/api/timeliness/ranking",
        "/api/timeliness/due",
        "/api/export/timeliness.csv",
        "/api/export/timeliness-ranking.xlsx",
    ] {
        let (status, _) = problem(app.get(path).await).await;
        assert_eq!(status, 401, "{path}");
    }
    let mine = month(&owner, "2025-03").await;
    let names: Vec<&str> = mine.organisations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, [SHAOSHAN]);
    assert_eq!(
        mine.totals.projects,
        codes_of(&app, SHAOSHAN).await.len() as u64
    );
    for role in [Role::Planner, Role::Finance, Role::Admin] {
        let s = app.user(&format!("u-{}", role.key()), role, None).await;
        let all = month(&s, "2025-03").await;
        assert!(all.organisations.len() > 10, "{role:?}");
        assert!(all.organisations.iter().any(|o| o.name == YUHU));
        assert_eq!(all.totals.projects, 87);
    }
}

/// The expected on-time rate, rounded half up to hundredths, worked out here.
fn pct(part: u64, whole: u64) -> String {
    let bp = (part * 20_000 + whole) / (2 * whole);
    format!("{}.{:02}", bp / 100, bp % 100)
}

#[tokio::test]
async fn the_ranking_puts_the_higher_on_time_rate_first_and_breaks_ties_by_the_rule() {
    let app = spawn_app().await;
    let shaoshan = app.user("shao", Role::Owner, Some(SHAOSHAN)).await;
    let yuhu = app.user("yu", Role::Owner, Some(YUHU)).await;
    let xiangxiang = app.user("xiang", Role::Owner, Some(XIANGXIANG)).await;
    let finance = app.user("cai", Role::Finance, None).await;
    let (s_codes, y_codes, x_codes) = (
        codes_of(&app, SHAOSHAN).await,
        codes_of(&app, YUHU).await,
        codes_of(&app, XIANGXIANG).await,
    );
    // two months, 2025-01 and 2025-02. 韶山: 8 on time of 2n; 雨湖: 3 on time of 2m, with
    // a rate below 韶山's although its name sorts first; 湘乡: one late report only.
    for (s, codes, k) in [(&shaoshan, &s_codes, 4), (&yuhu, &y_codes, 1)] {
        for code in &codes[..k] {
            for (period, at) in [
                ("2025-01", "2025-02-01T02:00:00.000Z"),
                ("2025-02", "2025-03-05T15:00:00.000Z"),
            ] {
                let r = submit(s, code, period).await;
                submitted_at(&app, &r, at);
            }
        }
    }
    let y = submit(&yuhu, &y_codes[1], "2025-02").await;
    submitted_at(&app, &y, "2025-03-01T00:00:00.000Z");
    let late = submit(&xiangxiang, &x_codes[0], "2025-02").await;
    submitted_at(&app, &late, "2025-03-06T00:00:00.000Z");

    let r: Ranking = finance
        .json("/api/timeliness/ranking?months=2&until=2025-02")
        .await;
    assert_eq!((r.from.as_str(), r.until.as_str()), ("2025-01", "2025-02"));
    assert_eq!(r.months_over, ["2025-01", "2025-02"]);
    let names: Vec<&str> = r.items.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(&names[..3], [SHAOSHAN, YUHU, XIANGXIANG], "{names:?}");
    let ranks: Vec<u32> = r.items.iter().map(|e| e.rank).collect();
    assert_eq!(ranks, (1..=r.items.len() as u32).collect::<Vec<_>>());
    let first = &r.items[0];
    let n = 2 * s_codes.len() as u64;
    assert_eq!((first.expected, first.on_time, first.late), (n, 8, 0));
    assert_eq!(first.not_reported, n - 8);
    assert_eq!(
        first.on_time_rate_pct.map(|p| p.to_string()),
        Some(pct(8, n))
    );
    let second = &r.items[1];
    let m = 2 * y_codes.len() as u64;
    assert_eq!((second.expected, second.on_time), (m, 3));
    assert_eq!(
        second.on_time_rate_pct.map(|p| p.to_string()),
        Some(pct(3, m))
    );
    assert_eq!(
        r.items[2].on_time_rate_pct.map(|p| p.to_string()),
        Some("0.00".into())
    );
    assert_eq!(r.items[2].late, 1);
    // the rest reported nothing: more reports due first, then by name
    for pair in r.items[3..].windows(2) {
        assert!(
            (pair[0].expected, &pair[1].name) >= (pair[1].expected, &pair[0].name),
            "{:?} before {:?}",
            pair[0],
            pair[1]
        );
    }
    // owners may read the ranking too: it holds counts only
    let seen: Ranking = shaoshan
        .json("/api/timeliness/ranking?months=2&until=2025-02")
        .await;
    assert_eq!(seen, r);
}

#[tokio::test]
async fn an_owner_sees_the_months_still_due_and_the_next_deadline() {
    let app = spawn_app().await;
    let owner = app.user("shao", Role::Owner, Some(SHAOSHAN)).await;
    let codes = codes_of(&app, SHAOSHAN).await;
    let now = this_month();
    let rule = keyproj_shared::DueRule::default();
    let current: keyproj_shared::Period = now.parse().expect("a month");
    let last_over = keyproj_shared::timeliness::last_month_over(
        rule,
        keyproj::clock::today_in_china(keyproj::clock::now()).expect("today"),
        &keyproj::clock::stamp(keyproj::clock::now()),
    )
    .expect("a month");
    let three_back = keyproj_shared::timeliness::add_months(last_over, -2)
        .expect("a month")
        .to_string();
    submit(&owner, &codes[0], &three_back).await;
    submit(&owner, &codes[0], &now).await;

    let due: DueList = owner.json("/api/timeliness/due").await;
    let got: Vec<&str> = due.projects.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(got, codes.iter().map(String::as_str).collect::<Vec<_>>());
    let first = &due.projects[0];
    assert_eq!(first.overdue.len(), 11, "{first:?}");
    assert!(!first.overdue.contains(&three_back));
    assert!(first.open.iter().all(|m| m.period != now));
    let second = &due.projects[1];
    assert_eq!(second.overdue.len(), 12);
    assert_eq!(second.overdue.last(), Some(&last_over.to_string()));
    assert_eq!(
        second.open.last().map(|m| m.period.as_str()),
        Some(now.as_str())
    );
    let next = due.next_deadline.expect("a deadline");
    let earliest_open = keyproj_shared::timeliness::add_months(last_over, 1).expect("a month");
    assert_eq!(next.period, earliest_open.to_string());
    assert_eq!(
        next.due_date,
        rule.due_date(earliest_open).expect("a day").to_string()
    );
    assert!(earliest_open <= current);
}

#[tokio::test]
async fn the_exports_hold_the_month_and_the_ranking_as_the_api_answers_them() {
    let app = spawn_app().await;
    let owner = app.user("shao", Role::Owner, Some(SHAOSHAN)).await;
    let planner = app.user("gui", Role::Planner, None).await;
    let codes = codes_of(&app, SHAOSHAN).await;
    let r = submit(&owner, &codes[0], "2025-03").await;
    submitted_at(&app, &r, "2025-04-05T15:59:59.000Z");
    let m = month(&planner, "2025-03").await;

    let res = planner
        .get("/api/export/timeliness.csv?period=2025-03")
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("keyproj-timeliness-2025-03.csv")
    );
    let bytes = res.bytes().await.expect("body");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        reader
            .headers()
            .expect("headers")
            .iter()
            .collect::<Vec<_>>(),
        [
            "建设单位",
            "项目编号",
            "项目名称",
            "报送情况",
            "报送时间（北京时间）",
            "截止时间"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let rows: usize = m.organisations.iter().map(|o| o.projects.len()).sum();
    assert_eq!(records.len(), rows + 1, "rows and a 合计 row");
    let on_time = records
        .iter()
        .find(|r| &r[0] == SHAOSHAN && r[1] == codes[0])
        .expect("the project's row");
    assert_eq!(&on_time[3], "按时报送");
    assert_eq!(&on_time[4], "2025-04-05 23:59:59");
    assert_eq!(&on_time[5], "2025年4月5日24时（北京时间）");
    let total = records.last().expect("合计");
    assert_eq!(&total[0], "合计");
    assert!(
        total[2].contains("按时报送 1，逾期报送 0，未报送 86"),
        "{total:?}"
    );

    let res = planner
        .get("/api/export/timeliness.xlsx?period=2025-03")
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("body");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    let sheet = book.worksheet_range("报送情况2025-03").expect("the sheet");
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(
        cell(0, 0),
        Data::String("重点项目2025-03月报报送情况".into())
    );
    assert_eq!(cell(3, 3), Data::String("报送情况".into()));
    let row = (4..4 + rows as u32)
        .find(|&r| cell(r, 1) == Data::String(codes[0].clone()))
        .expect("the project's row");
    assert_eq!(cell(row, 3), Data::String("按时报送".into()));

    let ranking: Ranking = planner
        .json("/api/timeliness/ranking?months=3&until=2025-03")
        .await;
    let res = planner
        .get("/api/export/timeliness-ranking.csv?months=3&until=2025-03")
        .await;
    let bytes = res.bytes().await.expect("body");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let names: Vec<&str> = records.iter().map(|r| &r[1]).collect();
    let mut expected: Vec<&str> = ranking.items.iter().map(|e| e.name.as_str()).collect();
    expected.push("");
    assert_eq!(names, expected);
    assert_eq!(&records[0][0], "1");
    assert_eq!(&records[0][1], SHAOSHAN);
    let n = 3 * codes.len() as u64;
    assert_eq!(&records[0][7], pct(1, n));
    let res = planner
        .get("/api/export/timeliness-ranking.xlsx?months=3&until=2025-03")
        .await;
    let bytes = res.bytes().await.expect("body");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    let sheet = book.worksheet_range("按时报送率排名").expect("the sheet");
    assert_eq!(
        sheet.get_value((4, 1)).cloned(),
        Some(Data::String(SHAOSHAN.into()))
    );
    assert_eq!(sheet.get_value((4, 0)).cloned(), Some(Data::Float(1.0)));
}
