//! `GET /api/export/oc4ids.json`: every package is checked against the official OC4IDS 0.9.5
//! schema (tests/data/oc4ids, offline), and then for what the schema cannot say.

use std::collections::HashSet;
use std::sync::OnceLock;

use jsonschema::{Draft, Registry, Validator};
use keyproj_shared::{ProjectPage, Report, Role};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, YUHU, conformance, content_type, fields, ok_json, problem, report_body, spawn_app,
};

const PATH: &str = "/api/export/oc4ids.json";
const PROJECT_SCHEMA_ID: &str =
    "https://standard.open-contracting.org/infrastructure/schema/0__9__5/project-schema.json";

/// The project schema, registered under its id so that nothing is fetched.
fn registry() -> &'static Registry<'static> {
    static R: OnceLock<Registry<'static>> = OnceLock::new();
    R.get_or_init(|| {
        let project: Value =
            serde_json::from_str(include_str!("../../data/oc4ids/project-schema.json"))
                .expect("the project schema is JSON");
        Registry::new()
            .draft(Draft::Draft4)
            .retrieve_known_draft_meta_schemas(false)
            .add(PROJECT_SCHEMA_ID, Draft::Draft4.create_resource(project))
            .expect("the project schema's id is a URI")
            .prepare()
            .expect("the registry is complete")
    })
}

/// The package schema, checking formats (date-time, uri) too.
fn validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        let package: Value = serde_json::from_str(include_str!(
            "../../data/oc4ids/project-package-schema.json"
        ))
        .expect("the package schema is JSON");
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .with_registry(registry())
            .build(&package)
            .expect("the OC4IDS package schema compiles")
    })
}

/// The package for these filters, checked against the API document and the OC4IDS schema.
async fn package(app: &TestApp, query: &[(&str, &str)]) -> Value {
    let res = app.get_query(PATH, query).await;
    let status = res.status().as_u16();
    let ct = content_type(&res);
    let body = res.text().await.expect("a body");
    assert_eq!(status, 200, "{query:?}: {body}");
    conformance::check(Some(&Method::GET), PATH, status, &ct, &body);
    let v: Value = serde_json::from_str(&body).expect("the package is JSON");
    let errors: Vec<String> = validator()
        .iter_errors(&v)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not OC4IDS 0.9.5: {errors:#?}");
    v
}

fn projects(package: &Value) -> &Vec<Value> {
    package["projects"].as_array().expect("projects")
}

fn project<'a>(package: &'a Value, code: &str) -> &'a Value {
    let id = format!("oc4ids-unregistered-{code}");
    projects(package)
        .iter()
        .find(|p| p["id"] == id.as_str())
        .unwrap_or_else(|| panic!("no project {id}"))
}

/// Every empty string, array or object, by its JSON pointer.
fn empties(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.trim().is_empty() => out.push(at.to_string()),
        Value::Array(a) if a.is_empty() => out.push(at.to_string()),
        Value::Object(o) if o.is_empty() => out.push(at.to_string()),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                empties(x, &format!("{at}/{i}"), out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                empties(x, &format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

/// Every object holding an `amount` number, by its JSON pointer.
fn amounts<'a>(v: &'a Value, at: &str, out: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Object(o) => {
            if o.get("amount").is_some_and(Value::is_number) {
                out.push((at.to_string(), v));
            }
            for (k, x) in o {
                amounts(x, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                amounts(x, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Every `{id, name}` reference to a party: the public authority and each source party.
fn party_references(p: &Value) -> Vec<&Value> {
    let mut refs = vec![&p["publicAuthority"]];
    for group in p["budget"]["budgetBreakdowns"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for line in group["budgetBreakdown"].as_array().into_iter().flatten() {
            if let Some(r) = line.get("sourceParty") {
                refs.push(r);
            }
        }
    }
    refs
}

#[tokio::test]
async fn the_whole_plan_exports_as_a_valid_oc4ids_package_of_87_projects() {
    let app = spawn_app().await;
    let pkg = package(&app, &[]).await;
    assert_eq!(pkg["version"], "0.9");
    assert_eq!(pkg["publisher"]["name"], "湘潭市民政局");
    assert_eq!(pkg["uri"], "http://127.0.0.1:8080/api/export/oc4ids.json");
    let ps = projects(&pkg);
    assert_eq!(ps.len(), 87);
    let ids: HashSet<&str> = ps.iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(ids.len(), 87, "ids are unique");
    assert!(ids.iter().all(|id| id.starts_with("oc4ids-unregistered-")));

    // the schema check is live: a status outside the closed codelist, or a date that is not
    // a date-time, is refused
    let mut bad = pkg.clone();
    bad["projects"][0]["status"] = json!("suspended");
    assert!(!validator().is_valid(&bad));
    let mut bad = pkg.clone();
    bad["projects"][0]["period"]["startDate"] = json!("2021");
    assert!(!validator().is_valid(&bad));

    // the policy a placeholder prefix points to says so
    let policy_url = pkg["publicationPolicy"].as_str().expect("a policy link");
    let path = policy_url
        .strip_prefix("http://127.0.0.1:8080")
        .expect("under the base URL");
    let res = app.get(path).await;
    assert_eq!(res.status(), 200);
    let policy = res.text().await.expect("text");
    assert!(policy.contains("尚未登记"), "{policy}");
    assert!(policy.contains("unregistered"), "{policy}");

    // B18: its text states 7亿元 where 总投资 says 100000 万元; the finding is in the notes
    let b18 = project(&pkg, "B18");
    let description = b18["description"].as_str().expect("a description");
    assert!(description.contains("预计总投资7亿元"), "{description}");
    assert!(
        description.contains("【核对发现】建设内容写明“预计总投资7亿元”"),
        "{description}"
    );
    assert_eq!(b18["budget"]["amount"]["amount"], json!(1_000_000_000i64));
}

#[tokio::test]
async fn a_package_streamed_in_small_pages_is_the_same_package() {
    let whole = spawn_app().await;
    let paged = crate::helpers::spawn_app_with(|s| s.oc4ids.page_size = 10).await;
    for query in [&[][..], &[("sort", "-total_investment")][..]] {
        let mut a = package(&whole, query).await;
        let mut b = package(&paged, query).await;
        assert_eq!(projects(&b).len(), 87);
        // only the moment of publication differs
        a["publishedDate"] = Value::Null;
        b["publishedDate"] = Value::Null;
        assert_eq!(a, b, "{query:?}");
    }
}

#[tokio::test]
async fn amounts_are_exact_yuan_split_by_source_with_the_funders_named() {
    let app = spawn_app().await;
    let pkg = package(&app, &[("q", "雨湖区老年养护院")]).await;
    let b09 = project(&pkg, "B09");
    // 总投资 5409.88 万元; 社会投资 9.24% of it is 499.87 万元
    assert_eq!(
        b09["budget"]["amount"],
        json!({"amount": 54_098_800i64, "currency": "CNY"})
    );
    let source = &b09["budget"]["budgetBreakdowns"][0];
    assert_eq!(source["id"], "source");
    let lines = source["budgetBreakdown"].as_array().expect("lines");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["amount"]["amount"], json!(49_100_100i64));
    assert_eq!(lines[1]["amount"]["amount"], json!(4_998_700i64));
    assert_eq!(lines[1]["sourceParty"]["id"], "funder-social");
    let funders: Vec<&str> = b09["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .filter(|p| {
            p["roles"]
                .as_array()
                .is_some_and(|r| r.contains(&json!("funder")))
        })
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(funders, ["funder-government", "funder-social"]);
    assert_eq!(b09["type"], "construction");
    assert_eq!(b09["sector"], json!(["health"]));
    assert_eq!(b09["additionalClassifications"][0]["id"], "二");
    assert_eq!(b09["period"]["startDate"], "2021-01-01T00:00:00+08:00");
    assert_eq!(b09["period"]["endDate"], "2023-12-31T23:59:59+08:00");
}

#[tokio::test]
async fn a_month_in_the_plan_is_kept_to_the_month() {
    let app = spawn_app().await;
    // A06 starts 2021.1 and ends 2021.8
    let pkg = package(&app, &[("q", "湘乡市流浪人员")]).await;
    let a06 = project(&pkg, "A06");
    assert_eq!(a06["period"]["startDate"], "2021-01-01T00:00:00+08:00");
    assert_eq!(a06["period"]["endDate"], "2021-08-31T23:59:59+08:00");
    assert_eq!(a06["milestones"][1]["code"], "completion");
    assert_eq!(a06["milestones"][1]["dueDate"], "2021-08-31T23:59:59+08:00");
    assert_eq!(a06["type"], "expansion");
    let description = a06["description"].as_str().expect("text");
    assert!(
        description.contains("【备注】“十四五”计划期间安装电梯"),
        "{description}"
    );
}

#[tokio::test]
async fn what_the_schema_cannot_check_holds_for_every_project() {
    let app = spawn_app().await;
    let pkg = package(&app, &[]).await;
    let mut empty = Vec::new();
    empties(&pkg, "", &mut empty);
    assert!(empty.is_empty(), "empty fields: {empty:?}");

    for p in projects(&pkg) {
        let mut found = Vec::new();
        amounts(p, "", &mut found);
        assert!(!found.is_empty());
        for (at, v) in found {
            assert_eq!(v["currency"], "CNY", "{} {at}", p["id"]);
            assert!(v["amount"].is_i64(), "{} {at}: whole yuan", p["id"]);
        }
        let parties: Vec<(&str, &str)> = p["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .map(|x| {
                (
                    x["id"].as_str().expect("id"),
                    x["name"].as_str().expect("name"),
                )
            })
            .collect();
        for r in party_references(p) {
            let pair = (
                r["id"].as_str().expect("id"),
                r["name"].as_str().expect("name"),
            );
            assert!(
                parties.contains(&pair),
                "{}: {pair:?} is not a party",
                p["id"]
            );
        }
        assert_eq!(p["publicAuthority"]["name"], "湘潭市民政局", "{}", p["id"]);
    }
}

#[tokio::test]
async fn a_filtered_export_holds_only_the_filtered_projects() {
    let app = spawn_app().await;
    let filter = [("district", "韶山市"), ("category", "D")];
    let mut q = filter.to_vec();
    q.push(("per_page", "100"));
    let list: ProjectPage = app.json("/api/projects", &q).await;
    assert!(list.items.len() > 1 && list.items.len() < 87);

    let pkg = package(&app, &filter).await;
    let got: Vec<&str> = projects(&pkg)
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    let want: Vec<String> = list
        .items
        .iter()
        .map(|i| format!("oc4ids-unregistered-{}", i.code))
        .collect();
    assert_eq!(got, want);
    let uri = pkg["uri"].as_str().expect("uri");
    assert!(
        uri.contains("district=") && uri.contains("category=D"),
        "{uri}"
    );
}

#[tokio::test]
async fn an_approved_report_shows_in_status_metrics_and_milestones() {
    let app = spawn_app().await;
    let before = package(&app, &[("q", "雨湖区老年养护院")]).await;
    let b09 = project(&before, "B09");
    assert_eq!(b09["status"], "preparation");
    assert!(b09.get("metrics").is_none());
    assert!(b09["milestones"][0].get("dateMet").is_none());

    let owner = app.user("owner", Role::Owner, Some(YUHU)).await;
    let finance = app.user("finance", Role::Finance, None).await;
    let r: Report = ok_json(
        owner.report("B09", &report_body("2024-03", "1200.5")).await,
        "submit",
    )
    .await;

    // submitted, not yet approved: nothing changes
    let pending = package(&app, &[("q", "雨湖区老年养护院")]).await;
    assert_eq!(project(&pending, "B09")["status"], "preparation");

    let _: Report = ok_json(
        finance
            .post_if_match(
                &format!("/api/reports/{}/approve", r.id),
                &r.etag,
                &json!({}),
            )
            .await,
        "approve",
    )
    .await;
    let after = package(&app, &[("q", "雨湖区老年养护院")]).await;
    let b09 = project(&after, "B09");
    assert_eq!(b09["status"], "implementation");
    let metrics = b09["metrics"].as_array().expect("metrics");
    assert_eq!(metrics[0]["id"], "physicalProgress");
    assert_eq!(metrics[0]["observations"][0]["measure"], json!(45.5));
    assert_eq!(
        metrics[0]["observations"][0]["period"]["endDate"],
        "2024-03-31T23:59:59+08:00"
    );
    assert_eq!(metrics[1]["id"], "financialProgress");
    assert_eq!(
        metrics[1]["observations"][0]["value"],
        json!({"amount": 12_005_000i64, "currency": "CNY"})
    );
    assert_eq!(b09["milestones"][0]["dateMet"], "2021-03-01T00:00:00+08:00");
    assert_eq!(b09["milestones"][0]["status"], "met");
}

#[tokio::test]
async fn a_bad_filter_is_refused_naming_the_parameter_and_an_empty_selection_is_404() {
    let app = spawn_app().await;
    let (status, p) = problem(app.get_query(PATH, &[("category", "Z")]).await).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&p), ["category"]);
    let (status, p) = problem(app.get_query(PATH, &[("per_page", "5")]).await).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&p), ["per_page"]);
    let (status, p) = problem(app.get_query(PATH, &[("owner", "没有这个单位")]).await).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&p), ["owner"]);
    let (status, _) = problem(app.get_query(PATH, &[("q", "没有这样的项目名称")]).await).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_route_is_in_the_api_document_with_its_content_type() {
    let doc = conformance::document();
    let op = &doc["paths"][PATH]["get"];
    assert!(
        op["responses"]["200"]["content"]
            .get("application/json")
            .is_some(),
        "{op}"
    );
    assert!(op["responses"]["422"].is_object(), "{op}");
    assert!(op["responses"]["404"].is_object(), "{op}");
}

#[tokio::test]
async fn a_registered_prefix_names_the_projects_and_the_policy_no_longer_says_placeholder() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.oc4ids.prefix = "bu3kcz".into();
        s.oc4ids.base_url = "https://open.example.org/keyproj".into();
        s.oc4ids.publisher = "湘潭市民政局（测试）".into();
    })
    .await;
    let pkg = package(&app, &[("category", "E")]).await;
    assert!(
        projects(&pkg).iter().all(|p| p["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("oc4ids-bu3kcz-E"))),
        "{pkg}"
    );
    assert_eq!(pkg["publisher"]["name"], "湘潭市民政局（测试）");
    assert_eq!(
        pkg["publicationPolicy"],
        "https://open.example.org/keyproj/api/export/oc4ids-policy"
    );
    let policy = app
        .get("/api/export/oc4ids-policy")
        .await
        .text()
        .await
        .expect("text");
    assert!(policy.contains("已在 OC4IDS 登记"), "{policy}");
    assert!(!policy.contains("尚未登记"), "{policy}");
}

/// Where a planner entered an annual plan, the budget is broken down by year too, in exact
/// yuan; a project without one has no such breakdown (none is made up).
#[tokio::test]
async fn annual_plans_break_the_budget_down_by_year_where_they_exist() {
    let app = spawn_app().await;
    let before = package(&app, &[("q", "雨湖区老年养护院")]).await;
    let ids = |pkg: &Value| -> Vec<String> {
        project(pkg, "B09")["budget"]["budgetBreakdowns"]
            .as_array()
            .expect("breakdowns")
            .iter()
            .filter_map(|b| b["id"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(ids(&before), ["source", "plan-period"]);
    let planner = app.user("li", Role::Planner, None).await;
    let mut body = crate::plans::plan_body("1234.56");
    body["milestones"] = json!([{"kind": "start", "month": "2022-03"}]);
    let res = crate::plans::put_plan(
        &planner,
        "B09",
        "2022",
        Some(&crate::plans::first("B09", 2022)),
        &body,
    )
    .await;
    assert!(
        res.status().is_success(),
        "{}",
        res.text().await.unwrap_or_default()
    );
    let after = package(&app, &[("q", "雨湖区老年养护院")]).await;
    assert_eq!(ids(&after), ["source", "plan-period", "annual-plans"]);
    let years = &project(&after, "B09")["budget"]["budgetBreakdowns"][2]["budgetBreakdown"];
    assert_eq!(
        years,
        &json!([{
            "id": "2022",
            "description": "2022年度计划投资",
            "amount": {"amount": 12_345_600i64, "currency": "CNY"},
            "period": {
                "startDate": "2022-01-01T00:00:00+08:00",
                "endDate": "2022-12-31T23:59:59+08:00",
            },
        }])
    );
}
