//! The project list when it filters on the 预警 colour or sorts on the gap (`warning=`,
//! `sort=gap`): the projects matching the other filters, in the list's SQL order, kept or
//! reordered by the month's cached verdicts (`crate::verdicts`), then paged here. Paged by
//! number only: a cursor cannot name a place in an order the database does not hold.

use keyproj_shared::query::current_reporting_month;
use keyproj_shared::{ListQuery, Money, Percent, Period, ProjectPage};

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
    check_filter(conn, &q.filter)?;
    let month = cache.month(conn, month_of(q)?)?;
    let mut rows: Vec<(ProjectRow, Option<Percent>)> =
        ProjectRow::matching(conn, &q.filter, q.sort)?
            .into_iter()
            .filter_map(|r| {
                let v = month.get(r.id);
                let colour = v.and_then(|v| v.colour);
                q.warning
                    .is_none_or(|w| w.matches(colour))
                    .then(|| (r, v.and_then(|v| v.gap)))
            })
            .collect();
    if let Some(descending) = q.gap_descending {
        // stable: equal gaps stay in code order; no gap comes last either way
        rows.sort_by(|(_, a), (_, b)| match (a, b) {
            (Some(a), Some(b)) if descending => b.cmp(a),
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
    let totals = views::totals(&sums(rows.iter().map(|(r, _)| r)));
    let skip = (q.page.saturating_sub(1) as usize).saturating_mul(q.per_page as usize);
    let page: Vec<ProjectRow> = rows
        .into_iter()
        .skip(skip)
        .take(q.per_page as usize)
        .map(|(r, _)| r)
        .collect();
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

/// The list's sums over rows in hand: the figures of `models::project::sums::FIGURES`, each
/// amount held to `[0, Money::MAX]` as the SQL holds it, so no sum overflows (see `Over`).
fn sums<'a>(rows: impl Iterator<Item = &'a ProjectRow>) -> Sums {
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
