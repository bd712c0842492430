//! The 年度计划 grid (`GET /api/plans?year=`): a page of the projects of a year, each with
//! its current plan for the year, the ETag to revise it, and last year's plan beside it.

use std::collections::HashMap;

use keyproj_shared::{Money, PlanGrid, PlanGridQuery, PlanGridRow, plan_etag};

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::models::plan::PlanRow;
use crate::models::project::ProjectRow;
use crate::plans::{span, view};

pub fn page(conn: &mut DbConnection, q: &PlanGridQuery) -> Result<PlanGrid, ApiError> {
    let year = q
        .year
        .ok_or_else(|| ApiError::field("year", "必须指定年度，如 2025"))?;
    let (projects, total) = ProjectRow::page_in_year(conn, &q.filter, year, q.page, q.per_page)?;
    let ids: Vec<i32> = projects.iter().map(|p| p.id).collect();
    let by_project = |rows: Vec<PlanRow>| -> HashMap<i32, PlanRow> {
        rows.into_iter().map(|r| (r.project_id, r)).collect()
    };
    let current = by_project(PlanRow::current_for_year_of(conn, year, &ids)?);
    let previous = by_project(PlanRow::current_for_year_of(conn, year - 1, &ids)?);
    let items = projects
        .iter()
        .map(|p| {
            let plan = current.get(&p.id).map(|r| view(&p.code, r)).transpose()?;
            let version = plan.as_ref().map_or(0, |a| a.version);
            let (first_year, last_year) = span(p);
            Ok(PlanGridRow {
                code: p.code.clone(),
                name: p.name.clone(),
                total_investment: Money::from_cents(p.total_investment_cents),
                planned_investment: Money::from_cents(p.planned_investment_cents),
                first_year,
                last_year,
                etag: plan_etag(&p.code, year, version),
                version,
                plan,
                previous_year_plan: previous.get(&p.id).map(|r| view(&p.code, r)).transpose()?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(PlanGrid {
        year,
        items,
        total: u64::try_from(total).map_err(ApiError::internal)?,
        page: q.page,
        per_page: q.per_page,
    })
}
