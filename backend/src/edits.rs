//! Planners' master-data edits: `PATCH /api/projects/{code}`. The row in `projects` and the
//! owner links change; `published_rows` never does, so the page shows both. Each edit needs
//! the project's current ETag and a reason, and writes one audit entry with the fields
//! before and after.

use keyproj_shared::{
    DistrictBasis, Money, Percent, ProjectChanges, ProjectDetail, ScheduleDate, etag,
};
use serde_json::{Map, Value, json};

use crate::audit;
use crate::audit::Actor;
use crate::catalog;
use crate::clock;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::models::organisation::OrganisationRow;
use crate::models::project::{ProjectChangeset, ProjectRow};
use crate::precondition::Expected;

fn money_json(cents: Option<i64>) -> Value {
    cents.map_or(Value::Null, |c| Money::from_cents(c).to_string().into())
}

fn share_json(bp: Option<i32>) -> Value {
    bp.map_or(Value::Null, |b| {
        Percent::from_basis_points(i64::from(b)).to_string().into()
    })
}

/// Records a field in the audit maps if its value changes.
fn note(
    before: &mut Map<String, Value>,
    after: &mut Map<String, Value>,
    field: &str,
    old: Value,
    new: Value,
) {
    if old != new {
        before.insert(field.to_string(), old);
        after.insert(field.to_string(), new);
    }
}

fn month(m: Option<u8>) -> Option<i32> {
    m.map(i32::from)
}

pub fn project_etag(p: &ProjectRow) -> String {
    etag('p', i64::from(p.id), i64::from(p.version))
}

/// Applies a checked edit if the project is still at the version `if_match` names.
pub fn edit(
    conn: &mut DbConnection,
    actor: &Actor,
    code: &str,
    if_match: &Expected,
    changes: &ProjectChanges,
) -> Result<ProjectDetail, ApiError> {
    db::write_transaction(conn, |conn| -> Result<ProjectDetail, ApiError> {
        let p = ProjectRow::find_by_code(conn, code).map_err(|e| match e {
            diesel::result::Error::NotFound => {
                ApiError::NotFound(format!("没有编号为“{code}”的项目"))
            }
            e => e.into(),
        })?;
        let stale = |p: &ProjectRow| ApiError::PreconditionFailed {
            etag: project_etag(p),
            version: i64::from(p.version),
        };
        if !if_match.matches(&project_etag(&p)) {
            return Err(stale(&p));
        }
        let start_earliest = changes
            .start
            .as_ref()
            .map_or(p.start_earliest_year, |s| s.earliest_year);
        let end_latest = changes
            .end
            .as_ref()
            .map_or(p.end_latest_year, |e| e.latest_year);
        if end_latest < start_earliest {
            let field = if changes.end.is_some() {
                "end"
            } else {
                "start"
            };
            return Err(ApiError::field(field, "竣工年份不能早于开工年份"));
        }

        let mut before = Map::new();
        let mut after = Map::new();
        let mut cs = ProjectChangeset::default();
        if let Some(d) = changes.district {
            let new = d.map(|d| d.key().to_string());
            note(
                &mut before,
                &mut after,
                "district",
                json!(p.district),
                json!(new),
            );
            cs.district = Some(new);
        }
        let schedule_json = |published: &str| json!(published);
        if let Some(s) = &changes.start {
            note(
                &mut before,
                &mut after,
                "start",
                schedule_json(&p.start_published),
                schedule_json(&s.published),
            );
            set_start(&mut cs, s);
        }
        if let Some(e) = &changes.end {
            note(
                &mut before,
                &mut after,
                "end",
                schedule_json(&p.end_published),
                schedule_json(&e.published),
            );
            set_end(&mut cs, e);
        }
        let total = changes
            .total_investment
            .map_or(p.total_investment_cents, Money::cents);
        if changes.total_investment.is_some() {
            note(
                &mut before,
                &mut after,
                "total_investment",
                money_json(Some(p.total_investment_cents)),
                money_json(Some(total)),
            );
            cs.total_investment_cents = Some(total);
        }
        if let Some(planned) = changes.planned_investment {
            note(
                &mut before,
                &mut after,
                "planned_investment",
                money_json(Some(p.planned_investment_cents)),
                money_json(Some(planned.cents())),
            );
            cs.planned_investment_cents = Some(planned.cents());
        }
        let share_bp = match changes.social_share {
            Some(s) => s
                .map(|s| i32::try_from(s.basis_points()))
                .transpose()
                .map_err(ApiError::internal)?,
            None => p.social_share_bp,
        };
        if changes.social_share.is_some() {
            note(
                &mut before,
                &mut after,
                "social_share_pct",
                share_json(p.social_share_bp),
                share_json(share_bp),
            );
            cs.social_share_bp = Some(share_bp);
        }
        if changes.total_investment.is_some() || changes.social_share.is_some() {
            // the one rounding rule: total × share, half away from zero, to 0.01 万元
            let social = share_bp.map(|bp| {
                Money::from_cents(total)
                    .times_percent(Percent::from_basis_points(i64::from(bp)))
                    .cents()
            });
            note(
                &mut before,
                &mut after,
                "social_investment",
                money_json(p.social_investment_cents),
                money_json(social),
            );
            cs.social_investment_cents = Some(social);
        }
        if let Some(r) = &changes.remarks {
            note(
                &mut before,
                &mut after,
                "remarks",
                json!(p.remarks),
                json!(r),
            );
            cs.remarks = Some(r.clone());
        }
        let owners_before: Vec<OrganisationRow> = OrganisationRow::owners_of(conn, &[p.id])?
            .remove(&p.id)
            .unwrap_or_default();
        if let Some(names) = &changes.owners {
            let old: Vec<&str> = owners_before.iter().map(|o| o.name.as_str()).collect();
            note(&mut before, &mut after, "owners", json!(old), json!(names));
        }
        if after.is_empty() {
            return Err(ApiError::field(
                "reason",
                "提交的值与当前值相同，没有需要修改的内容",
            ));
        }
        if before.contains_key("district") {
            cs.district_basis = Some(DistrictBasis::Edited.key().to_string());
            cs.district_note = Some(format!(
                "{} 于 {} 修改：{}",
                actor.username,
                clock::stamp(clock::now()),
                changes.reason
            ));
        }
        if ProjectRow::apply_edit(conn, p.id, p.version, &cs)? == 0 {
            let now = ProjectRow::find(conn, p.id)?;
            return Err(stale(&now));
        }
        if before.contains_key("owners")
            && let Some(names) = &changes.owners
        {
            let ids = names
                .iter()
                .map(|n| OrganisationRow::find_or_create(conn, n))
                .collect::<Result<Vec<i32>, _>>()?;
            ProjectRow::replace_owners(conn, p.id, &ids)?;
        }
        after.insert("reason".to_string(), json!(changes.reason));
        after.insert("version".to_string(), json!(p.version + 1));
        before.insert("version".to_string(), json!(p.version));
        audit::record(
            conn,
            actor,
            audit::PROJECT,
            &p.code,
            "edit",
            Some(&Value::Object(before)),
            Some(&Value::Object(after)),
        )?;
        let detail = catalog::project_detail(conn, &p.code, None)?;
        db::data_version::bump_touching(conn, &[p.id])?;
        Ok(detail)
    })
}

fn set_start(cs: &mut ProjectChangeset, s: &ScheduleDate) {
    cs.start_published = Some(s.published.trim().to_string());
    cs.start_earliest_year = Some(s.earliest_year);
    cs.start_earliest_month = Some(month(s.earliest_month));
    cs.start_latest_year = Some(s.latest_year);
    cs.start_latest_month = Some(month(s.latest_month));
    cs.start_approximate = Some(s.approximate);
}

fn set_end(cs: &mut ProjectChangeset, e: &ScheduleDate) {
    cs.end_published = Some(e.published.trim().to_string());
    cs.end_earliest_year = Some(e.earliest_year);
    cs.end_earliest_month = Some(month(e.earliest_month));
    cs.end_latest_year = Some(e.latest_year);
    cs.end_latest_month = Some(month(e.latest_month));
    cs.end_approximate = Some(e.approximate);
}
