//! The ceiling on amounts (`Money::MAX`, 10⁸ 万元): every amount a client sends is held to it,
//! and with every project and every approved report at it, every read still answers 200 with
//! the exact sums. A stored amount past the ceiling (a write around the API) is refused by the
//! database, and one already there caps the sums instead of failing every reader.

use diesel::RunQueryDsl;
use keyproj_shared::{
    GroupBy, Money, Pivot, ProjectDetail, ProjectItem, ProjectPage, Reconciliation, Report, Role,
    Summary, Totals, UNASSIGNED_KEY,
};
use serde_json::json;

use crate::helpers::{
    SHAOSHAN, Session, TestApp, all_projects, content_type, fields, ok_json, problem, report_body,
    spawn_app,
};

/// `Money::MAX` as a client types it, and one hundredth above it.
const CEILING: &str = "100000000.00";
const ABOVE: &str = "100000000.01";

/// A list filter and which projects it keeps.
type Filter = (&'static str, &'static str, fn(&ProjectItem) -> bool);

fn times(n: u64, m: Money) -> Money {
    Money::from_cents(i64::try_from(n).expect("a count") * m.cents())
}

/// Sums that must be exact: every amount at the ceiling, social amounts as listed.
fn assert_exact(t: &Totals, social: Money, what: &str) {
    let expected = times(t.count, Money::MAX);
    assert!(t.count > 0, "{what}: empty");
    assert_eq!(t.total_investment, expected, "{what}: 总投资");
    assert_eq!(t.planned_investment, expected, "{what}: 计划投资");
    assert_eq!(t.investment_completed, expected, "{what}: 累计完成投资");
    assert_eq!(t.social_investment, social, "{what}: 社会投资");
}

fn social_of<'a>(items: impl IntoIterator<Item = &'a ProjectItem>) -> Money {
    Money::sum(
        items
            .into_iter()
            .map(|p| p.social_investment.unwrap_or(Money::ZERO)),
    )
    .expect("no overflow")
}

/// The key a summary groups an item under.
fn group_key(by: GroupBy, p: &ProjectItem) -> String {
    match by {
        GroupBy::District => p.district.map_or(UNASSIGNED_KEY, |d| d.key()).to_string(),
        GroupBy::Category => p.category.key().to_string(),
        GroupBy::Nature => p.nature.key().to_string(),
        GroupBy::StartYear => p.start.earliest_year.to_string(),
        GroupBy::EndYear => p.end.latest_year.to_string(),
    }
}

async fn edit(s: &Session, code: &str, body: serde_json::Value) -> reqwest::Response {
    let d: ProjectDetail = s.json(&format!("/api/projects/{code}")).await;
    s.patch(&format!("/api/projects/{code}"), Some(&d.etag), &body)
        .await
}

async fn approve(finance: &Session, r: &Report) {
    let res = finance
        .post_if_match(
            &format!("/api/reports/{}/approve", r.id),
            &r.etag,
            &json!({}),
        )
        .await;
    let _: Report = ok_json(res, "approval").await;
}

fn report_at(amount: &str) -> serde_json::Value {
    let mut body = report_body("2024-03", amount);
    body["social_investment_completed"] = json!(amount);
    body
}

/// Every project edited to the ceiling, and a report at the ceiling approved on each.
async fn everything_at_the_ceiling(app: &TestApp) -> Vec<ProjectItem> {
    let planner = app.user("planner", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    let finance = app.user("cw", Role::Finance, None).await;
    let projects = all_projects(app).await;
    assert_eq!(projects.len(), 87);
    for p in &projects {
        let body = json!({
            "reason": "上限测试",
            "total_investment": CEILING,
            "planned_investment": CEILING,
        });
        let _: ProjectDetail = ok_json(edit(&planner, &p.code, body).await, &p.code).await;
        let r: Report = ok_json(admin.report(&p.code, &report_at(CEILING)).await, &p.code).await;
        approve(&finance, &r).await;
    }
    all_projects(app).await
}

#[tokio::test]
async fn with_every_amount_at_the_ceiling_every_read_answers_the_exact_sums() {
    let app = spawn_app().await;
    let items = everything_at_the_ceiling(&app).await;
    let social = social_of(&items);
    assert!(social > Money::ZERO, "some projects have social investment");

    // the list, sorted and filtered: its totals cover the whole filtered set
    let everything = times(87, Money::MAX);
    assert_eq!(everything.to_string(), "8700000000.00");
    for sort in [
        "code",
        "-total_investment",
        "planned_investment",
        "-social_investment",
    ] {
        let page: ProjectPage = app.json("/api/projects", &[("sort", sort)]).await;
        assert_eq!(page.totals.count, 87, "{sort}");
        assert_exact(&page.totals, social, sort);
        assert!(page.items.iter().all(|p| p.total_investment == Money::MAX));
    }
    let filters: [Filter; 5] = [
        ("category", "A", |p| p.category.key() == "A"),
        ("district", "unassigned", |p| p.district.is_none()),
        ("has_social", "true", |p| p.social_investment.is_some()),
        ("status", "in_progress", |_| true),
        ("owner", SHAOSHAN, |p| {
            p.owners.iter().any(|o| o.name == SHAOSHAN)
        }),
    ];
    for (key, value, keeps) in filters {
        let page: ProjectPage = app
            .json(
                "/api/projects",
                &[(key, value), ("sort", "-total_investment")],
            )
            .await;
        let kept: Vec<&ProjectItem> = items.iter().filter(|p| keeps(p)).collect();
        assert_eq!(page.totals.count, kept.len() as u64, "{key}={value}");
        assert_exact(&page.totals, social_of(kept), &format!("{key}={value}"));
    }

    for p in &items {
        let d: ProjectDetail = app.json(&format!("/api/projects/{}", p.code), &[]).await;
        assert_eq!(d.item.total_investment, Money::MAX, "{}", p.code);
        assert_eq!(d.outside_plan_investment, Money::ZERO, "{}", p.code);
        let approved = d.item.approved.expect("an approved report");
        assert_eq!(approved.investment_completed, Money::MAX, "{}", p.code);
    }

    for by in GroupBy::ALL {
        let s: Summary = app.json("/api/summary", &[("group_by", by.key())]).await;
        assert_eq!(s.total.count, 87, "{}", by.key());
        assert_exact(&s.total, social, by.key());
        for g in &s.groups {
            let members: Vec<&ProjectItem> = items
                .iter()
                .filter(|p| group_key(*by, p) == g.key)
                .collect();
            let t = Totals {
                count: g.count,
                total_investment: g.total_investment,
                planned_investment: g.planned_investment,
                social_investment: g.social_investment,
                social_share_pct: g.social_share_pct,
                investment_completed: g.investment_completed,
            };
            assert_eq!(g.count, members.len() as u64, "{} {}", by.key(), g.key);
            assert_exact(&t, social_of(members), &format!("{} {}", by.key(), g.key));
        }
    }

    let pivot: Pivot = app.json("/api/pivot", &[]).await;
    assert_exact(&pivot.total, social, "pivot");
    assert_eq!(
        pivot.cells.iter().map(|c| c.totals.count).sum::<u64>(),
        87,
        "every project in one cell"
    );
    for c in &pivot.cells {
        assert_eq!(c.totals.total_investment, times(c.totals.count, Money::MAX));
    }

    let rec: Reconciliation = app.json("/api/reconciliation", &[]).await;
    for row in &rec.rows {
        let t = &row.computed;
        assert_eq!(
            t.total_investment,
            times(t.count, Money::MAX),
            "{}",
            row.scope
        );
        assert_eq!(t.investment_completed, times(t.count, Money::MAX));
    }
    let total_row = rec.rows.iter().find(|r| r.category.is_none());
    assert_eq!(total_row.map(|r| r.computed.count), Some(87));

    let csv = app.get("/api/export/projects.csv?sort=code").await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.expect("a body");
    let last = text.lines().last().expect("a totals row");
    assert!(last.starts_with("合计(87个)"), "{last}");
    assert!(last.contains(",8700000000.00,8700000000.00,"), "{last}");
    let xlsx = app.get("/api/export/projects.xlsx?sort=code").await;
    assert_eq!(xlsx.status(), 200);
    assert!(content_type(&xlsx).contains("spreadsheetml"));
    assert!(xlsx.bytes().await.expect("a body").starts_with(b"PK"));
}

#[tokio::test]
async fn an_amount_one_hundredth_above_the_ceiling_is_refused_naming_its_field() {
    let app = spawn_app().await;
    let planner = app.user("planner", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    for field in ["total_investment", "planned_investment"] {
        let res = edit(&planner, "A01", json!({"reason": "上限", field: ABOVE})).await;
        let (status, p) = problem(res).await;
        assert_eq!(status, 422);
        assert_eq!(fields(&p), [field]);
        assert!(p.errors[0].message.contains(CEILING), "{:?}", p.errors);
    }
    let mut body = report_at(ABOVE);
    body["over_total_reason"] = json!("追加投资");
    let (status, p) = problem(admin.report("A01", &body).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        fields(&p),
        ["investment_completed", "social_investment_completed"]
    );
    assert!(p.errors.iter().all(|e| e.message.contains("万元")));
    // exactly at the ceiling is accepted
    let ok = edit(
        &planner,
        "A01",
        json!({"reason": "上限", "total_investment": CEILING}),
    )
    .await;
    let d: ProjectDetail = ok_json(ok, "edit at the ceiling").await;
    assert_eq!(d.item.total_investment, Money::MAX);
}

#[tokio::test]
async fn the_issues_reproductions_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let planner = app.user("planner", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    let before: ProjectPage = app.json("/api/projects", &[]).await;

    let mut body = report_body("2024-03", "92233720368547758.07");
    body["over_total_reason"] = json!("追加投资");
    let (status, p) = problem(admin.report("A01", &body).await).await;
    assert_eq!(
        (status, fields(&p)),
        (422, vec!["investment_completed".into()])
    );

    for code in ["A01", "B09"] {
        let res = edit(
            &planner,
            code,
            json!({"reason": "调整", "total_investment": "50000000000000000.00"}),
        )
        .await;
        let (status, p) = problem(res).await;
        assert_eq!(
            (status, fields(&p)),
            (422, vec!["total_investment".into()]),
            "{code}"
        );
        let d: ProjectDetail = app.json(&format!("/api/projects/{code}"), &[]).await;
        assert_eq!(d.version, 1, "{code} is unchanged");
    }
    let reports: serde_json::Value = admin.json("/api/projects/A01/reports").await;
    assert_eq!(reports["items"], json!([]), "no report was stored");
    let after: ProjectPage = app.json("/api/projects", &[]).await;
    assert_eq!(after.totals, before.totals);
}

fn execute(app: &TestApp, sql: &str) -> Result<usize, diesel::result::Error> {
    let pool = app.db();
    let mut conn = pool.get().expect("connection");
    diesel::sql_query(sql).execute(&mut conn)
}

fn on_postgres(app: &TestApp) -> bool {
    app.database_url.starts_with("postgres")
}

#[tokio::test]
async fn the_database_refuses_an_amount_past_the_ceiling_and_one_already_stored_caps_the_sums() {
    let app = spawn_app().await;
    let before: ProjectPage = app.json("/api/projects", &[]).await;
    let set = |code: &str, cents: i64| {
        format!("UPDATE projects SET total_investment_cents = {cents} WHERE code = '{code}'")
    };
    let past = Money::MAX.cents() + 1;
    assert!(
        execute(&app, &set("A01", past)).is_err(),
        "a write around the API is refused"
    );
    let report = "UPDATE projects SET approved_investment_completed_cents = 10000000001 \
                  WHERE code = 'A01'";
    assert!(execute(&app, report).is_err());

    // as if written before the ceiling existed: three amounts whose sum overflows i64, in
    // three categories so that no one rollup cell overflows as they are written
    let drop = if on_postgres(&app) {
        "ALTER TABLE projects DROP CONSTRAINT projects_total_investment_cents_within_ceiling"
    } else {
        "DROP TRIGGER projects_amounts_within_ceiling_on_update"
    };
    execute(&app, drop).expect("dropped");
    let items = all_projects(&app).await;
    let mut replaced = 0;
    for category in ["A", "B", "C"] {
        let p = items
            .iter()
            .find(|p| p.category.key() == category)
            .expect("a project");
        execute(&app, &set(&p.code, 4_000_000_000_000_000_000)).expect("stored");
        replaced += p.total_investment.cents();
    }
    // as every write through the app does (`db::data_version::bump`), so that no answer kept
    // for the old version is served
    execute(&app, "UPDATE data_version SET version = version + 1").expect("version moved");
    let capped = Money::from_cents(
        before.totals.total_investment.cents() - replaced + 3 * Money::MAX.cents(),
    );
    // summed over the projects themselves (a filter the rollup does not answer), each
    // such amount counts as the ceiling
    let unreported: ProjectPage = app.json("/api/projects", &[("status", "unreported")]).await;
    assert_eq!(unreported.totals.count, 87);
    assert_eq!(unreported.totals.total_investment, capped);
    // answered by the rollup, the cells holding them are capped at count × ceiling
    let list: ProjectPage = app.json("/api/projects", &[]).await;
    assert!(list.totals.total_investment >= capped);
    assert!(list.totals.total_investment <= times(87, Money::MAX));
    for by in GroupBy::ALL {
        let s: Summary = app.json("/api/summary", &[("group_by", by.key())]).await;
        assert!(s.total.total_investment >= capped, "{}", by.key());
    }
    let pivot: Pivot = app.json("/api/pivot", &[]).await;
    assert_eq!(pivot.total.total_investment, list.totals.total_investment);
    let _: Reconciliation = app.json("/api/reconciliation", &[]).await;
    let _: ProjectDetail = app.json("/api/projects/A01", &[]).await;
    for export in ["csv", "xlsx"] {
        let res = app.get(&format!("/api/export/projects.{export}")).await;
        assert_eq!(res.status(), 200, "{export}");
    }
}
