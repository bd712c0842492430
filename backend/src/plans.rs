//! Annual plans: reading a project's plans with their history, and revising a year's plan
//! (`PUT /api/projects/{code}/plans/{year}`). A revision is a new row; the audit trail gets
//! one `project` entry, action `plan`, with the plan before and after.

use keyproj_shared::plan::PLAN_YEARS;
use keyproj_shared::{
    AnnualPlan, Finding, FindingKind, Milestone, Money, Percent, PlanBody, PlanContext,
    PlanMismatch, PlanValues, ProjectPlans, plan_etag,
};
use serde_json::{Value, json};

use crate::audit::{self, Actor};
use crate::clock;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::models::plan::{NewPlan, PlanRow};
use crate::models::project::ProjectRow;
use crate::precondition::Expected;

/// Advisory-lock class (`db::lock_pair`) serialising the plan revisions of one project.
const PLAN_LOCK: i32 = 50;

pub fn find_project(conn: &mut DbConnection, code: &str) -> Result<ProjectRow, ApiError> {
    ProjectRow::find_by_code(conn, code).map_err(|e| match e {
        diesel::result::Error::NotFound => ApiError::NotFound(format!("没有编号为“{code}”的项目")),
        e => e.into(),
    })
}

/// A stored revision on the wire.
pub fn view(code: &str, r: &PlanRow) -> Result<AnnualPlan, ApiError> {
    let milestones: Vec<Milestone> =
        serde_json::from_str(&r.milestones_json).map_err(ApiError::internal)?;
    let monthly_breakdown = match &r.breakdown_json {
        Some(j) => Some(
            serde_json::from_str::<Vec<i64>>(j)
                .map_err(ApiError::internal)?
                .into_iter()
                .map(Percent::from_basis_points)
                .collect(),
        ),
        None => None,
    };
    Ok(AnnualPlan {
        year: r.year,
        version: r.version,
        planned_investment: Money::from_cents(r.planned_investment_cents),
        social_investment: Money::from_cents(r.social_investment_cents),
        target_progress_pct: r
            .target_progress_bp
            .map(|b| Percent::from_basis_points(i64::from(b))),
        content: r.content.clone(),
        baseline_completed: r.baseline_completed_cents.map(Money::from_cents),
        milestones,
        monthly_breakdown,
        reason: r.reason.clone(),
        over_total_reason: r.over_total_reason.clone(),
        created_by: r.created_by_name.clone(),
        created_at: r.created_at.clone(),
        etag: plan_etag(code, r.year, r.version),
    })
}

/// The years a project's plans may be for: its span, within 2020-2030.
pub fn span(p: &ProjectRow) -> (i32, i32) {
    (
        p.start_earliest_year.max(*PLAN_YEARS.start()),
        p.end_latest_year.min(*PLAN_YEARS.end()),
    )
}

pub fn project_plans(conn: &mut DbConnection, code: &str) -> Result<ProjectPlans, ApiError> {
    let p = find_project(conn, code)?;
    let history = PlanRow::history(conn, p.id)?;
    let mut current = history.clone();
    current.sort_by_key(|r| (r.year, std::cmp::Reverse(r.version)));
    current.dedup_by_key(|r| r.year);
    let plans_total = Money::sum(
        current
            .iter()
            .map(|r| Money::from_cents(r.planned_investment_cents)),
    )
    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("plan sum overflow")))?;
    let (first_year, last_year) = span(&p);
    Ok(ProjectPlans {
        code: p.code.clone(),
        total_investment: Money::from_cents(p.total_investment_cents),
        planned_investment: Money::from_cents(p.planned_investment_cents),
        first_year,
        last_year,
        plans: current
            .iter()
            .map(|r| view(&p.code, r))
            .collect::<Result<_, _>>()?,
        history: history
            .iter()
            .map(|r| view(&p.code, r))
            .collect::<Result<_, _>>()?,
        plans_total,
    })
}

/// Stores a new revision of `year`'s plan if the caller saw the current one (`If-Match`).
pub fn revise(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: i32,
    code: &str,
    year: i32,
    if_match: &Expected,
    body: &PlanBody,
) -> Result<AnnualPlan, ApiError> {
    db::write_transaction(conn, |conn| -> Result<AnnualPlan, ApiError> {
        let p = find_project(conn, code)?;
        db::lock_pair(conn, PLAN_LOCK, p.id)?;
        let current = PlanRow::current(conn, p.id)?;
        let before = current.iter().find(|r| r.year == year);
        let version = before.map_or(0, |r| r.version);
        let etag = plan_etag(&p.code, year, version);
        if !if_match.matches(&etag) {
            return Err(ApiError::PreconditionFailed {
                etag,
                version: i64::from(version),
            });
        }
        let other_years_planned = Money::sum(
            current
                .iter()
                .filter(|r| r.year != year)
                .map(|r| Money::from_cents(r.planned_investment_cents)),
        )
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("plan sum overflow")))?;
        let ctx = PlanContext {
            first_year: p.start_earliest_year,
            last_year: p.end_latest_year,
            total_investment: Money::from_cents(p.total_investment_cents),
            other_years_planned,
        };
        let v = body.parse(year, &ctx).map_err(ApiError::Validation)?;
        let after = store(conn, actor, user_id, &p, year, before, &v)?;
        // plans feed the public reads (the plan list, the evaluation, the reconciliation)
        db::data_version::bump_touching(conn, &[p.id])?;
        Ok(after)
    })
}

/// Stores `v` as the next revision of `year`'s plan after `before` (the current one, if
/// any), and audits it: one `project` entry, action `plan`. The caller holds the project's
/// plan lock inside a write transaction, and bumps the data version.
pub fn store(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: i32,
    p: &ProjectRow,
    year: i32,
    before: Option<&PlanRow>,
    v: &PlanValues,
) -> Result<AnnualPlan, ApiError> {
    let version = before.map_or(0, |r| r.version);
    let row = new_row(p, year, version + 1, v, actor, user_id)?;
    row.insert(conn)?;
    let stored = PlanRow::current_of_year(conn, p.id, year)?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the plan just stored is gone")))?;
    let after = view(&p.code, &stored)?;
    let before = before.map(|r| view(&p.code, r)).transpose()?;
    audit::record(
        conn,
        actor,
        audit::PROJECT,
        &p.code,
        "plan",
        before.as_ref().map(audit_json).as_ref(),
        Some(&audit_json(&after)),
    )?;
    Ok(after)
}

/// Locks the plans of `project_id` until the transaction ends (PostgreSQL).
pub fn lock(conn: &mut DbConnection, project_id: i32) -> Result<(), ApiError> {
    db::lock_pair(conn, PLAN_LOCK, project_id)?;
    Ok(())
}

/// Whether `v` says what the stored revision `r` says, its reason aside: a bulk upload
/// of the same figures writes nothing.
pub fn same_values(code: &str, r: &PlanRow, v: &PlanValues) -> Result<bool, ApiError> {
    let stored = view(code, r)?;
    let key = |m: &Milestone| (m.kind, m.name.clone(), m.month.clone());
    let mut a: Vec<_> = stored.milestones.iter().map(key).collect();
    let mut b: Vec<_> = v.milestones.iter().map(key).collect();
    a.sort();
    b.sort();
    Ok(stored.planned_investment == v.planned_investment
        && stored.social_investment == v.social_investment
        && stored.target_progress_pct == v.target_progress
        && stored.content == v.content
        && stored.baseline_completed == v.baseline_completed
        && a == b
        && stored.monthly_breakdown == v.monthly_breakdown
        && stored.over_total_reason == v.over_total_reason)
}

fn audit_json(p: &AnnualPlan) -> Value {
    json!({
        "year": p.year,
        "version": p.version,
        "planned_investment": p.planned_investment,
        "social_investment": p.social_investment,
        "target_progress_pct": p.target_progress_pct,
        "content": p.content,
        "baseline_completed": p.baseline_completed,
        "milestones": p.milestones,
        "monthly_breakdown": p.monthly_breakdown,
        "reason": p.reason,
        "over_total_reason": p.over_total_reason,
    })
}

fn new_row(
    p: &ProjectRow,
    year: i32,
    version: i32,
    v: &PlanValues,
    actor: &Actor,
    user_id: i32,
) -> Result<NewPlan, ApiError> {
    let bp = |x: Percent| i32::try_from(x.basis_points()).map_err(ApiError::internal);
    Ok(NewPlan {
        project_id: p.id,
        year,
        version,
        planned_investment_cents: v.planned_investment.cents(),
        social_investment_cents: v.social_investment.cents(),
        target_progress_bp: v.target_progress.map(bp).transpose()?,
        content: v.content.clone(),
        baseline_completed_cents: v.baseline_completed.map(Money::cents),
        milestones_json: serde_json::to_string(&v.milestones).map_err(ApiError::internal)?,
        breakdown_json: v
            .monthly_breakdown
            .as_ref()
            .map(|b| serde_json::to_string(&b.iter().map(|p| p.basis_points()).collect::<Vec<_>>()))
            .transpose()
            .map_err(ApiError::internal)?,
        reason: v.reason.clone(),
        over_total_reason: v.over_total_reason.clone(),
        created_by: user_id,
        created_by_name: actor.username.clone(),
        created_at: clock::stamp(clock::now()),
    })
}

/// The plan period whose annual plans must add up to "十四五"计划投资.
const PLAN_PERIOD: std::ops::RangeInclusive<i32> = 2021..=2025;

/// The sum of a project's current plans for 2021-2025 when all five are entered, from
/// `current` (one row per year).
fn five_year_sum(current: &[&PlanRow]) -> Option<Money> {
    let years: Vec<i32> = current.iter().map(|r| r.year).collect();
    if !PLAN_PERIOD.clone().all(|y| years.contains(&y)) {
        return None;
    }
    Money::sum(
        current
            .iter()
            .filter(|r| PLAN_PERIOD.contains(&r.year))
            .map(|r| Money::from_cents(r.planned_investment_cents)),
    )
}

/// Every project whose annual plans for 2021-2025 are all entered and do not add up to its
/// "十四五"计划投资: a reconciliation finding.
pub fn mismatches(conn: &mut DbConnection) -> Result<Vec<PlanMismatch>, ApiError> {
    let current = PlanRow::all_current(conn)?;
    let mut out = Vec::new();
    let mut by_project: std::collections::BTreeMap<i32, Vec<&PlanRow>> = Default::default();
    for r in &current {
        by_project.entry(r.project_id).or_default().push(r);
    }
    for (project_id, rows) in by_project {
        let Some(sum) = five_year_sum(&rows) else {
            continue;
        };
        let p = ProjectRow::find(conn, project_id)?;
        let planned = Money::from_cents(p.planned_investment_cents);
        if sum != planned {
            out.push(PlanMismatch {
                code: p.code,
                name: p.name,
                plans_total: sum,
                planned_investment: planned,
                difference: sum
                    .checked_sub(planned)
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("difference overflow")))?,
            });
        }
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

/// The same finding for one project, as its detail page shows it.
pub fn finding(conn: &mut DbConnection, p: &ProjectRow) -> Result<Option<Finding>, ApiError> {
    let current = PlanRow::current(conn, p.id)?;
    let rows: Vec<&PlanRow> = current.iter().collect();
    let planned = Money::from_cents(p.planned_investment_cents);
    Ok(five_year_sum(&rows)
        .filter(|sum| *sum != planned)
        .map(|sum| Finding {
            kind: FindingKind::AnnualPlansDifferFromPlanned,
            message: format!(
                "2021-2025年各年度计划投资合计{sum}万元，与“十四五”计划投资{planned}万元不符"
            ),
        }))
}
