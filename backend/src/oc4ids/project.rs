//! One project as an OC4IDS 0.9 project object. The mapping table, field by field, with the
//! codelists used, is docs/oc4ids.md; keep the two together.
//!
//! Empty values are left out rather than sent as `""`, `[]` or `{}`: OC4IDS forbids them.

use chrono::{Datelike, NaiveDate};
use keyproj_shared::{Category, Money, Nature, ProgressStatus, ScheduleDate};
use serde_json::{Map, Value, json};

use crate::catalog::ExportProject;
use crate::config::Oc4idsSettings;

/// China Standard Time: the plan's dates are local dates.
const OFFSET: &str = "+08:00";

/// The classification scheme of the plan's five categories (一 to 五).
pub const CATEGORY_SCHEME: &str = "XTMZ-14FYP-ANNEX1-CATEGORY";

/// Party ids of the two funders the table names only as shares.
pub const GOVERNMENT_FUNDER: &str = "funder-government";
pub const SOCIAL_FUNDER: &str = "funder-social";
/// The publisher's party id, when no owner has the publisher's name.
pub const PUBLISHER_PARTY: &str = "publisher";

/// Yuan as an exact JSON integer: a hundredth of 万元 is 100 yuan, and `Money::MAX` ×100 is
/// far inside both i64 and the integers a double holds exactly.
pub fn yuan(m: Money) -> Value {
    Value::from(m.cents().saturating_mul(100))
}

fn value(m: Money) -> Value {
    json!({ "amount": yuan(m), "currency": "CNY" })
}

/// The party id of an owner organisation.
pub fn owner_party(id: i64) -> String {
    format!("org-{id}")
}

pub fn project_id(settings: &Oc4idsSettings, code: &str) -> String {
    format!("oc4ids-{}-{code}", settings.prefix)
}

/// The first and the last instant of a year or of one of its months, local time.
fn first_instant(year: i32, month: Option<u8>) -> String {
    format!("{year:04}-{:02}-01T00:00:00{OFFSET}", month.unwrap_or(1))
}

fn last_instant(year: i32, month: Option<u8>) -> String {
    let m = u32::from(month.unwrap_or(12));
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, m + 1, 1)
    };
    let last_day = next.and_then(|d| d.pred_opt()).map_or(31, |d| d.day());
    format!("{year:04}-{m:02}-{last_day:02}T23:59:59{OFFSET}")
}

/// A report's month `YYYY-MM` as its first and last instant.
fn month_period(period: &str) -> Option<Value> {
    let (y, m) = period.split_once('-')?;
    let (year, month): (i32, u8) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&month).then(|| {
        json!({
            "startDate": first_instant(year, Some(month)),
            "endDate": last_instant(year, Some(month)),
        })
    })
}

/// A report's `YYYY-MM-DD` as the start of that day.
fn day(date: &str) -> Option<String> {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .map(|d| format!("{d}T00:00:00{OFFSET}"))
}

/// 建设性质 → projectType (closed codelist). 续建 continues a construction; the mixed forms
/// take their first nature, and the description keeps the published words.
pub fn project_type(n: Nature) -> &'static str {
    match n {
        Nature::New | Nature::Continued | Nature::NewOrContinued | Nature::NewAndRenovation => {
            "construction"
        }
        Nature::Expansion => "expansion",
        Nature::Renovation => "rehabilitation",
    }
}

/// Whether the type says all that 建设性质 says.
fn type_is_exact(n: Nature) -> bool {
    matches!(n, Nature::New | Nature::Expansion | Nature::Renovation)
}

/// Category → projectSector (open codelist). Welfare, care and assistance buildings are
/// "health, including … human services"; community service buildings are public buildings
/// ("governance"), and so are the funeral and social-assistance facilities of 社会公益类.
pub fn sector(c: Category) -> &'static str {
    match c {
        Category::ChildWelfare | Category::ElderlyWelfare | Category::DisabilityWelfare => "health",
        Category::CommunityGovernance | Category::PublicWelfare => "governance",
    }
}

/// The category's numeral in the plan's table (一 to 五).
pub fn category_numeral(c: Category) -> &'static str {
    match c {
        Category::ChildWelfare => "一",
        Category::ElderlyWelfare => "二",
        Category::CommunityGovernance => "三",
        Category::PublicWelfare => "四",
        Category::DisabilityWelfare => "五",
    }
}

/// projectStatus (closed codelist) from the latest approved report; with none, a project
/// whose start the plan fixes is in preparation, one it gives only a range for is still
/// being identified.
pub fn status(p: &ExportProject) -> &'static str {
    match p.item.approved.as_ref().map(|a| a.status) {
        Some(ProgressStatus::NotStarted) => "preparation",
        Some(ProgressStatus::InProgress | ProgressStatus::Suspended) => "implementation",
        Some(ProgressStatus::Completed) => "completion",
        None if p.item.start.approximate => "identification",
        None => "preparation",
    }
}

/// 建设内容 and then, as labelled notes, everything of the row the structured fields cannot
/// carry: the schedule and 建设性质 as published, 备注, findings, a suspension.
fn description(p: &ExportProject) -> String {
    let item = &p.item;
    let mut notes: Vec<String> = Vec::new();
    notes.push(format!(
        "【工期（原表）】开工年份：{}；竣工年份：{}",
        item.start.published.trim(),
        item.end.published.trim()
    ));
    if !type_is_exact(item.nature) {
        notes.push(format!(
            "【建设性质（原表）】{}",
            item.nature_published.replace('\n', "/")
        ));
    }
    if let Some(r) = item
        .remarks
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        notes.push(format!("【备注】{r}"));
    }
    for f in &p.findings {
        notes.push(format!("【核对发现】{}", f.message));
    }
    if let Some(a) = &item.approved
        && a.status == ProgressStatus::Suspended
    {
        notes.push(format!("【进度】{}月报（已审核）：停工", a.period));
    }
    let content = p.content.trim();
    let notes = notes.join("\n");
    if content.is_empty() {
        notes
    } else {
        format!("{content}\n\n{notes}")
    }
}

/// The plan's window for one date: from the first instant of its earliest to the last of its
/// latest reading ("2021" is the whole year, "2021.8" August, "2021-2023" three years).
fn window(d: &ScheduleDate) -> (String, String) {
    (
        first_instant(d.earliest_year, d.earliest_month),
        last_instant(d.latest_year, d.latest_month),
    )
}

fn milestone(id: &str, title: &str, due: &ScheduleDate, met: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), id.into());
    m.insert("title".into(), title.into());
    m.insert("type".into(), "delivery".into());
    m.insert("code".into(), id.into());
    m.insert("dueDate".into(), window(due).1.into());
    if let Some(date) = met.and_then(day) {
        m.insert("dateMet".into(), date.into());
        m.insert("status".into(), "met".into());
    }
    Value::Object(m)
}

fn party(id: &str, name: &str, roles: &[&str]) -> Value {
    json!({ "id": id, "name": name, "roles": roles })
}

fn reference(id: &str, name: &str) -> Value {
    json!({ "id": id, "name": name })
}

/// The parties: each owner, the publisher (civil-affairs bureau), and the funders the budget
/// names. An owner that is the publisher is one party with both roles' reasons.
fn parties(p: &ExportProject, s: &Oc4idsSettings, funders: &[(&str, &str)]) -> (Vec<Value>, Value) {
    let mut out = Vec::new();
    let mut authority = None;
    for o in &p.item.owners {
        let id = owner_party(o.id);
        if o.name == s.publisher {
            authority = Some(reference(&id, &o.name));
        }
        out.push(party(&id, &o.name, &["publicAuthority"]));
    }
    let authority = authority.unwrap_or_else(|| {
        out.push(party(PUBLISHER_PARTY, &s.publisher, &["publicAuthority"]));
        reference(PUBLISHER_PARTY, &s.publisher)
    });
    for (id, name) in funders {
        out.push(party(id, name, &["funder"]));
    }
    (out, authority)
}

/// 总投资 split by source, the "十四五" share by period, and the funders named.
fn budget(p: &ExportProject) -> (Value, Vec<(&'static str, &'static str)>) {
    let item = &p.item;
    let total = item.total_investment;
    let social = item.social_investment.unwrap_or(Money::ZERO);
    let government = total.checked_sub(social).unwrap_or(Money::ZERO);
    let gov_name = "政府投资（原表未载明出资单位）";
    let social_name = "社会投资（原表未载明投资方）";
    let mut lines = Vec::new();
    let mut funders = Vec::new();
    if government > Money::ZERO || social == Money::ZERO {
        lines.push(json!({
            "id": "government",
            "description": "政府投资：总投资减社会投资",
            "amount": value(government),
            "sourceParty": reference(GOVERNMENT_FUNDER, gov_name),
        }));
        funders.push((GOVERNMENT_FUNDER, gov_name));
    }
    if social > Money::ZERO {
        let share = item
            .social_share_pct
            .map(|s| format!("（社会投资占比{s}%）"))
            .unwrap_or_default();
        lines.push(json!({
            "id": "social",
            "description": format!("社会投资{share}"),
            "amount": value(social),
            "sourceParty": reference(SOCIAL_FUNDER, social_name),
        }));
        funders.push((SOCIAL_FUNDER, social_name));
    }
    let mut description = String::from("总投资（原表，万元×10000折算为元）");
    if item.social_share_pct.is_none() {
        description.push_str("；原表社会投资占比为空，全部按政府投资计");
    }
    let mut breakdowns = vec![
        json!({ "id": "source", "budgetBreakdown": lines }),
        json!({
            "id": "plan-period",
            "budgetBreakdown": [{
                "id": "2021-2025",
                "description": "“十四五”计划投资",
                "amount": value(item.planned_investment),
                "period": {
                    "startDate": first_instant(2021, None),
                    "endDate": last_instant(2025, None),
                },
            }],
        }),
    ];
    breakdowns.extend(annual_plans(p));
    let budget = json!({
        "description": description,
        "amount": value(total),
        "budgetBreakdowns": breakdowns,
    });
    (budget, funders)
}

/// The annual plans (年度计划投资) by year, where planners entered any; none is made up.
fn annual_plans(p: &ExportProject) -> Option<Value> {
    let lines: Vec<Value> = p
        .plans
        .iter()
        .map(|(year, planned)| {
            json!({
                "id": year.to_string(),
                "description": format!("{year}年度计划投资"),
                "amount": value(*planned),
                "period": {
                    "startDate": first_instant(*year, None),
                    "endDate": last_instant(*year, None),
                },
            })
        })
        .collect();
    (!lines.is_empty()).then(|| json!({ "id": "annual-plans", "budgetBreakdown": lines }))
}

/// 形象进度 and 累计完成投资 of the latest approved report.
fn metrics(p: &ExportProject) -> Option<Value> {
    let a = p.item.approved.as_ref()?;
    let observation = |extra: Value| {
        let mut o = Map::new();
        o.insert("id".into(), a.period.clone().into());
        if let Some(period) = month_period(&a.period) {
            o.insert("period".into(), period);
        }
        if let Value::Object(extra) = extra {
            o.extend(extra);
        }
        Value::Object(o)
    };
    // basis points over 100: the shortest double that prints back is the exact decimal
    let pct = a.physical_progress_pct.basis_points() as f64 / 100.0;
    let physical = observation(json!({
        "measure": pct,
        "unit": { "name": "percent", "scheme": "UNCEFACT", "id": "P1" },
    }));
    let financial = observation(json!({ "value": value(a.investment_completed) }));
    Some(json!([
        { "id": "physicalProgress", "title": "形象进度", "observations": [physical] },
        { "id": "financialProgress", "title": "累计完成投资", "observations": [financial] },
    ]))
}

/// The whole project object.
pub fn project(p: &ExportProject, s: &Oc4idsSettings) -> Value {
    let item = &p.item;
    let (budget, funders) = budget(p);
    let (parties, authority) = parties(p, s, &funders);
    let mut o = Map::new();
    o.insert("id".into(), project_id(s, &item.code).into());
    o.insert("language".into(), "zh".into());
    o.insert("title".into(), item.name.trim().into());
    o.insert("description".into(), description(p).into());
    o.insert("status".into(), status(p).into());
    o.insert("type".into(), project_type(item.nature).into());
    o.insert("sector".into(), json!([sector(item.category)]));
    o.insert(
        "additionalClassifications".into(),
        json!([{
            "scheme": CATEGORY_SCHEME,
            "id": category_numeral(item.category),
            "description": item.category.label(),
        }]),
    );
    o.insert(
        "period".into(),
        json!({
            "startDate": window(&item.start).0,
            "endDate": window(&item.end).1,
        }),
    );
    o.insert("budget".into(), budget);
    o.insert("publicAuthority".into(), authority);
    o.insert("parties".into(), parties.into());
    let (start, end) = (p.actual_start.as_deref(), p.actual_end.as_deref());
    o.insert(
        "milestones".into(),
        json!([
            milestone("commencement", "开工", &item.start, start),
            milestone("completion", "竣工", &item.end, end),
        ]),
    );
    if let Some(m) = metrics(p) {
        o.insert("metrics".into(), m);
    }
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_ends_on_its_last_day_and_a_year_on_the_last_of_december() {
        assert_eq!(last_instant(2024, Some(2)), "2024-02-29T23:59:59+08:00");
        assert_eq!(last_instant(2021, Some(8)), "2021-08-31T23:59:59+08:00");
        assert_eq!(last_instant(2025, None), "2025-12-31T23:59:59+08:00");
        assert_eq!(first_instant(2021, Some(8)), "2021-08-01T00:00:00+08:00");
    }

    #[test]
    fn yuan_are_exact_integers() {
        let m: Money = "5409.88".parse().expect("money");
        assert_eq!(yuan(m).to_string(), "54098800");
        assert_eq!(yuan(Money::MAX).to_string(), "1000000000000");
    }
}
