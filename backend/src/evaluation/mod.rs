//! 规划终期评估: each project at the end of the plan period from its approved reports up to
//! 2025-12, and the same by category and by district with the published subtotals' findings
//! beside them. The rules are written once in `keyproj_shared::evaluation`. Public, like
//! `/api/summary`: it is derived from the plan and from approved figures, which the project
//! pages already show to anyone.

pub mod export;

use std::collections::HashMap;

use keyproj_shared::evaluation::{BEFORE_PLAN_MONTH, PLAN_LAST_MONTH, outcome, planned_end_of};
use keyproj_shared::{
    Category, District, Evaluation, EvaluationGroup, EvaluationProject, Money, OutcomeCounts,
    Percent, Period, ProgressStatus, ReconciliationRow, UNASSIGNED_KEY, UNASSIGNED_LABEL,
};

use crate::catalog;
use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::models::project::ProjectRow;
use crate::models::timeliness::ApprovedRow;

const PLAN_FIRST_YEAR: i32 = 2021;

fn month(ym: (i32, u32)) -> Result<Period, ApiError> {
    Period::new(ym.0, ym.1).ok_or_else(|| ApiError::internal(anyhow::anyhow!("{ym:?}")))
}

fn corrupt(what: &str, v: &str) -> ApiError {
    ApiError::internal(anyhow::anyhow!("stored {what} {v:?} is not a known value"))
}

/// Unreachable: at most 10⁵ amounts within `Money::MAX` add up far inside i64.
fn overflow() -> ApiError {
    ApiError::internal(anyhow::anyhow!("money arithmetic overflowed"))
}

/// One project's evaluation from its approved reports up to 2025-12, oldest month first.
fn project(row: &ProjectRow, approved: &[&ApprovedRow]) -> Result<EvaluationProject, ApiError> {
    let planned = Money::from_cents(row.planned_investment_cents);
    let latest = approved.last();
    let status = latest
        .map(|r| {
            r.status
                .parse::<ProgressStatus>()
                .map_err(|_| corrupt("status", &r.status))
        })
        .transpose()?;
    let completed_in = match (status, latest) {
        (Some(ProgressStatus::Completed), Some(r)) => {
            let from_date = r
                .actual_end
                .as_deref()
                .and_then(|d| d.get(..7))
                .and_then(|m| m.parse::<Period>().ok());
            let first_report = approved
                .iter()
                .find(|a| a.status == ProgressStatus::Completed.key())
                .and_then(|a| a.period.parse::<Period>().ok());
            from_date.or(first_report)
        }
        _ => None,
    };
    let planned_end = planned_end_of(
        row.end_latest_year,
        row.end_latest_month.and_then(|m| u32::try_from(m).ok()),
    );
    let before = month(BEFORE_PLAN_MONTH)?.to_string();
    let baseline = approved.iter().rev().find(|a| a.period <= before);
    let cumulative = latest.map(|r| Money::from_cents(r.investment_completed_cents));
    let (investment, note) = match (cumulative, baseline) {
        (None, _) => (
            None,
            Some("截至2025年12月没有已审核的月报，完成投资未知（不计为零）".to_string()),
        ),
        (Some(c), Some(b)) => (
            Some(
                c.checked_sub(Money::from_cents(b.investment_completed_cents))
                    .ok_or_else(overflow)?,
            ),
            Some(format!(
                "已减去{}已审核累计完成投资{}万元",
                b.period,
                Money::from_cents(b.investment_completed_cents)
            )),
        ),
        (Some(c), None) if row.start_earliest_year >= PLAN_FIRST_YEAR => (Some(c), None),
        (Some(_), None) => (
            None,
            Some(format!(
                "开工年份{}早于2021年，且没有2020年12月及以前的已审核累计数，无法分出“十四五”期间完成的部分",
                row.start_published
            )),
        ),
    };
    Ok(EvaluationProject {
        code: row.code.clone(),
        name: row.name.clone(),
        category: row
            .category
            .parse::<Category>()
            .map_err(|_| corrupt("category", &row.category))?,
        district: row
            .district
            .as_deref()
            .map(|d| d.parse::<District>().map_err(|_| corrupt("district", d)))
            .transpose()?,
        planned_end: row.end_published.clone(),
        planned_investment: planned,
        outcome: outcome(status, completed_in, planned_end),
        report_period: latest.map(|r| r.period.clone()),
        completed_in: completed_in.map(|p| p.to_string()),
        cumulative_completed: cumulative,
        investment_completed: investment,
        rate_pct: investment.and_then(|i| Percent::ratio(i, planned)),
        note,
    })
}

fn group<'a>(
    key: &str,
    label: &str,
    members: impl Iterator<Item = &'a EvaluationProject>,
) -> Result<EvaluationGroup, ApiError> {
    let mut g = EvaluationGroup {
        key: key.to_string(),
        label: label.to_string(),
        projects: 0,
        outcomes: OutcomeCounts::default(),
        planned_investment: Money::ZERO,
        with_figure: 0,
        planned_of_with_figure: Money::ZERO,
        investment_completed: Money::ZERO,
        rate_pct: None,
        published: None,
        finding: None,
    };
    for p in members {
        g.projects += 1;
        g.outcomes.add(p.outcome);
        g.planned_investment = g
            .planned_investment
            .checked_add(p.planned_investment)
            .ok_or_else(overflow)?;
        if let Some(i) = p.investment_completed {
            g.with_figure += 1;
            g.planned_of_with_figure = g
                .planned_of_with_figure
                .checked_add(p.planned_investment)
                .ok_or_else(overflow)?;
            g.investment_completed = g.investment_completed.checked_add(i).ok_or_else(overflow)?;
        }
    }
    g.rate_pct = Percent::ratio(g.investment_completed, g.planned_of_with_figure);
    Ok(g)
}

/// The published subtotal beside a group, and what differs.
fn with_published(mut g: EvaluationGroup, r: Option<&ReconciliationRow>) -> EvaluationGroup {
    if let Some(r) = r {
        g.published = Some(r.published.clone());
        if !r.matches {
            g.finding = Some(format!(
                "原表“{}”：{}个项目，总投资{}万元，“十四五”计划投资{}万元；各项目之和与之相差：项目数{}，总投资{}万元，计划投资{}万元",
                r.published.label,
                r.published.count,
                r.published.total_investment_text,
                r.published.planned_investment_text,
                r.difference.count,
                r.difference.total_investment,
                r.difference.planned_investment
            ));
        }
    }
    g
}

pub fn evaluation(conn: &mut DbConnection) -> Result<Evaluation, ApiError> {
    let last = month(PLAN_LAST_MONTH)?;
    let rows = ProjectRow::all(conn)?;
    let approved = ApprovedRow::up_to(conn, &last.to_string())?;
    let mut by_project: HashMap<i32, Vec<&ApprovedRow>> = HashMap::new();
    for a in &approved {
        by_project.entry(a.project_id).or_default().push(a);
    }
    let projects = rows
        .iter()
        .map(|r| {
            project(
                r,
                by_project.get(&r.id).map(Vec::as_slice).unwrap_or_default(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let reconciliation = catalog::reconciliation(conn)?.rows;
    let published = |scope: &str| reconciliation.iter().find(|r| r.scope == scope);
    let by_category = Category::ALL
        .iter()
        .map(|c| {
            let g = group(
                c.key(),
                c.label(),
                projects.iter().filter(|p| p.category == *c),
            )?;
            Ok(with_published(g, published(c.key())))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let mut by_district = District::ALL
        .iter()
        .map(|d| {
            group(
                d.key(),
                d.label(),
                projects.iter().filter(|p| p.district == Some(*d)),
            )
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    if projects.iter().any(|p| p.district.is_none()) {
        by_district.push(group(
            UNASSIGNED_KEY,
            UNASSIGNED_LABEL,
            projects.iter().filter(|p| p.district.is_none()),
        )?);
    }
    let total = with_published(
        group("total", "合计", projects.iter())?,
        published(crate::models::subtotal::TOTAL_SCOPE),
    );
    Ok(Evaluation {
        as_of: last.to_string(),
        generated_at: clock::stamp(clock::now()),
        projects,
        by_category,
        by_district,
        total,
    })
}
