//! 审核 context: each submitted report on a page of the review queue, set beside the
//! project's last approved figures, 总投资, the year's plan, and the warnings its approval
//! would give (`keyproj_shared::review`). The whole page takes four statements, whatever its
//! length: the projects, their reports up to the page's latest month, their current plans,
//! and the rule set.

use std::collections::HashMap;

use keyproj_shared::review::{
    PreviousApproval, ReviewChange, ReviewContext, as_if_approved, compare_verdicts,
    previous_approval, review_notes,
};
use keyproj_shared::warning::{MonthFacts, ReportFact};
use keyproj_shared::{Money, Period, ReportState};

use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::models::plan::{self, PlanRow};
use crate::models::project::ProjectRow;
use crate::models::report::ReportRow;
use crate::{plans, warnings};

/// The context of each report in `reports` that is still `submitted`, in their order.
pub fn contexts(
    conn: &mut DbConnection,
    reports: &[ReportRow],
) -> Result<Vec<ReviewContext>, ApiError> {
    let pending: Vec<&ReportRow> = reports
        .iter()
        .filter(|r| r.state == ReportState::Submitted.key())
        .collect();
    let Some(latest) = pending.iter().map(|r| r.period.as_str()).max() else {
        return Ok(Vec::new());
    };
    let mut ids: Vec<i32> = pending.iter().map(|r| r.project_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let projects: HashMap<i32, ProjectRow> = ProjectRow::by_ids(conn, &ids)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let facts = warnings::facts_by_project(plan::report_facts_up_to(conn, &ids, latest)?);
    let plans = PlanRow::current_of_projects(conn, &ids)?;
    let rules = warnings::current_rules(conn)?;
    let now = clock::stamp(clock::now());
    let none: Vec<ReportFact> = Vec::new();
    let no_plans: Vec<PlanRow> = Vec::new();
    let mut out = Vec::with_capacity(pending.len());
    for r in pending {
        let (Some(project), Ok(period)) = (projects.get(&r.project_id), r.period.parse::<Period>())
        else {
            continue;
        };
        let id = i64::from(r.id);
        let reports: Vec<ReportFact> = facts
            .get(&project.id)
            .unwrap_or(&none)
            .iter()
            .filter(|f| f.period <= period)
            .cloned()
            .collect();
        let Some(this) = reports.iter().find(|f| f.id == id) else {
            continue;
        };
        let project_plans = plans.get(&project.id).unwrap_or(&no_plans);
        let plan = project_plans
            .iter()
            .find(|p| p.year == period.year())
            .map(|p| plans::view(&project.code, p))
            .transpose()?;
        let plan_years: Vec<i32> = project_plans.iter().map(|p| p.year).collect();
        let total_investment = Money::from_cents(project.total_investment_cents);
        let month = |reports| MonthFacts {
            code: &project.code,
            name: &project.name,
            period,
            now: &now,
            total_investment,
            plan: plan.as_ref(),
            plan_years: &plan_years,
            reports,
        };
        let today = month(&reports).evaluate(&rules);
        let approved = as_if_approved(&reports, id);
        let after = month(&approved);
        let previous = previous_approval(&reports, id, period);
        out.push(ReviewContext {
            report_id: id,
            total_investment,
            plan_investment: Money::from_cents(project.planned_investment_cents),
            previous: previous.map(PreviousApproval::of),
            change: previous.and_then(|p| ReviewChange::between(p, this)),
            year_to_date: after.year_to_date(),
            rule_set_version: rules.version,
            verdicts: compare_verdicts(&today, &after.evaluate(&rules)),
            notes: review_notes(this, previous, total_investment),
        });
    }
    Ok(out)
}
