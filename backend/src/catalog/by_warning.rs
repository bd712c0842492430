//! The project list when it filters on the 预警 colour or sorts on the gap (`warning=`,
//! `sort=gap`): the projects matching the other filters, in the list's SQL order, kept or
//! reordered by the month's cached verdicts (`crate::verdicts`), then paged here. Paged by
//! number only: a cursor cannot name a place in an order the database does not hold.

use keyproj_shared::query::current_reporting_month;
use std::collections::HashMap;

use keyproj_shared::{
    ListQuery, Money, Percent, Period, ProjectFilter, ProjectItem, ProjectPage, Sort, Totals,
};

use super::reads::{check_filter, items_for};
use super::views;
use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::models::project::{ProjectRow, Sums};
use crate::verdicts::VerdictCache;

/// The month a query judges: its `period`, else the current reporting month (China time).
pub fn month_of(q: &ListQuery) -> Result<Period, ApiError> {
    if let Some(p) = q.warning_period {
        return Ok(p);
    }
    clock::today_in_china(clock::now())
        .and_then(|d| current_reporting_month(d.period()))
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no reporting month for today")))
}

pub fn project_page(
    conn: &mut DbConnection,
    cache: &VerdictCache,
    q: &ListQuery,
) -> Result<ProjectPage, ApiError> {
    let (ids, totals) = matching(conn, cache, q)?;
    let skip = (q.page.saturating_sub(1) as usize).saturating_mul(q.per_page as usize);
    let page = rows_in_order(conn, ids.into_iter().skip(skip).take(q.per_page as usize))?;
    let items = items_for(conn, page)?.into_iter().map(|(i, _)| i).collect();
    Ok(ProjectPage {
        items,
        total: totals.count,
        page: Some(q.page),
        per_page: q.per_page,
        next_cursor: None,
        totals,
    })
}

/// The ids the list keeps, in its order, and their totals: the other filters and the order
/// from the database (ids only), the colour, gap and figures from the month's cached
/// verdicts, so no project row is loaded but a page's.
pub fn matching(
    conn: &mut DbConnection,
    cache: &VerdictCache,
    q: &ListQuery,
) -> Result<(Vec<i32>, Totals), ApiError> {
    check_filter(conn, &q.filter)?;
    let month = cache.month(conn, month_of(q)?)?;
    let ids = if q.filter == ProjectFilter::default() && q.sort == Sort::default() {
        month.ids_by_code().to_vec()
    } else {
        ProjectRow::matching_ids_sorted(conn, &q.filter, q.sort)?
    };
    let mut kept: Vec<(i32, Option<Percent>)> = Vec::new();
    let mut total = Sums::default();
    // a project newer than the month's verdicts has none yet (colour none): its row is read
    let mut unjudged: Vec<i32> = Vec::new();
    for id in ids {
        let v = month.get(id);
        if q.warning
            .is_none_or(|w| w.matches(v.and_then(|v| v.colour)))
        {
            match v {
                Some(v) => add(&mut total, &v.sums),
                None => unjudged.push(id),
            }
            kept.push((id, v.and_then(|v| v.gap)));
        }
    }
    if !unjudged.is_empty() {
        add(
            &mut total,
            &sums(ProjectRow::by_ids(conn, &unjudged)?.iter()),
        );
    }
    if let Some(descending) = q.gap_descending {
        // stable: equal gaps stay in code order; no gap comes last either way
        kept.sort_by(|(_, a), (_, b)| match (a, b) {
            (Some(a), Some(b)) if descending => b.cmp(a),
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
    Ok((
        kept.into_iter().map(|(id, _)| id).collect(),
        views::totals(&total),
    ))
}

/// Every project of the list filtered by colour or sorted on the gap, for its export, with
/// the content, and the totals over them.
pub fn export_rows(
    conn: &mut DbConnection,
    cache: &VerdictCache,
    q: &ListQuery,
) -> Result<(Vec<(ProjectItem, String)>, Totals), ApiError> {
    let (ids, totals) = matching(conn, cache, q)?;
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        rows.extend(rows_in_order(conn, chunk.iter().copied())?);
    }
    Ok((items_for(conn, rows)?, totals))
}

/// The rows of `ids` in that order (those that still exist).
pub fn rows_in_order(
    conn: &mut DbConnection,
    ids: impl Iterator<Item = i32>,
) -> Result<Vec<ProjectRow>, ApiError> {
    let ids: Vec<i32> = ids.collect();
    let mut rows: HashMap<i32, ProjectRow> = ProjectRow::by_ids(conn, &ids)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    Ok(ids.iter().filter_map(|id| rows.remove(id)).collect())
}

fn add(s: &mut Sums, o: &Sums) {
    s.count += o.count;
    s.total_investment_cents += o.total_investment_cents;
    s.planned_investment_cents += o.planned_investment_cents;
    s.social_investment_cents += o.social_investment_cents;
    s.approved_completed_cents += o.approved_completed_cents;
    s.start_approximate += o.start_approximate;
    s.end_approximate += o.end_approximate;
}

/// The list's sums over rows in hand: the figures of `models::project::sums::FIGURES`, each
/// amount held to `[0, Money::MAX]` as the SQL holds it, so no sum overflows (see `Over`).
pub fn sums<'a>(rows: impl Iterator<Item = &'a ProjectRow>) -> Sums {
    let held = |c: i64| c.clamp(0, Money::MAX.cents());
    let mut s = Sums::default();
    for r in rows {
        s.count += 1;
        s.total_investment_cents += held(r.total_investment_cents);
        s.planned_investment_cents += held(r.planned_investment_cents);
        s.social_investment_cents += held(r.social_investment_cents.unwrap_or(0));
        s.approved_completed_cents += held(r.approved_investment_completed_cents.unwrap_or(0));
        s.start_approximate += i64::from(r.start_approximate);
        s.end_approximate += i64::from(r.end_approximate);
    }
    s
}
