//! The read operations: each checks what the client asked, runs the model's queries and hands
//! the rows and sums to `views`.

use std::collections::HashMap;

use keyproj_shared::{
    Category, ExportQuery, Finding, GroupBy, ListQuery, Money, Pivot, ProjectDetail, ProjectFilter,
    ProjectItem, ProjectPage, Reconciliation, ReconciliationRow, Summary, SummaryGroup,
    SummaryQuery, Totals,
};

use super::derived::PlanWide;
use super::views;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::findings;
use crate::models::organisation::{OrganisationRow, parse_owner_ids};
use crate::models::plan::PlanRow;
use crate::models::project::list::WithOwners;
use crate::models::project::{Cursor, ProjectRow, Sums, rollup};
use crate::models::report::ReportRow;
use crate::models::subtotal::SubtotalRow;

/// The owner filter names an organisation; an unknown one is the client's mistake.
pub fn check_filter(conn: &mut DbConnection, f: &ProjectFilter) -> Result<(), ApiError> {
    if let Some(owner) = &f.owner
        && !OrganisationRow::exists(conn, owner)?
    {
        return Err(ApiError::field(
            "owner",
            format!("没有名为“{owner}”的建设主体"),
        ));
    }
    Ok(())
}

/// Categories whose published subtotal differs from the sum of their rows.
pub fn mismatched_categories(conn: &mut DbConnection) -> Result<Vec<Category>, ApiError> {
    Ok(reconciliation_rows(conn)?
        .into_iter()
        .filter(|r| !r.matches)
        .filter_map(|r| r.category)
        .collect())
}

/// List items for rows, each with its owners and whether it has findings, and its content.
pub(crate) fn items_for(
    conn: &mut DbConnection,
    rows: Vec<ProjectRow>,
) -> Result<Vec<(ProjectItem, String)>, ApiError> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut owners = OrganisationRow::owners_of(conn, &ids)?;
    let mismatched = mismatched_categories(conn)?;
    rows.into_iter()
        .map(|row| {
            let o = owners.remove(&row.id).unwrap_or_default();
            item_of(row, o, &mismatched)
        })
        .collect()
}

fn item_of(
    row: ProjectRow,
    owners: Vec<OrganisationRow>,
    mismatched: &[Category],
) -> Result<(ProjectItem, String), ApiError> {
    let in_mismatch = mismatched.iter().any(|c| c.key() == row.category);
    let flagged = !findings::for_row(&row, in_mismatch).is_empty();
    let content = row.content.clone();
    Ok((views::item(row, owners, flagged)?, content))
}

/// The owners that `ids` (from `owner_ids_column`) name, from the plan-wide organisations;
/// `None` when one is not there (then they are read again).
fn owners_named(ids: Option<&str>, plan: &PlanWide) -> Option<Vec<OrganisationRow>> {
    parse_owner_ids(ids)?
        .into_iter()
        .map(|id| plan.organisation(id).cloned())
        .collect()
}

/// The page's items: owners from the page's own statement when the plan-wide organisations
/// know them all, else read for the page (an organisation newer than `plan`).
fn page_items(
    conn: &mut DbConnection,
    rows: Vec<WithOwners>,
    plan: &PlanWide,
) -> Result<Vec<ProjectItem>, ApiError> {
    let known: Option<Vec<Vec<OrganisationRow>>> = rows
        .iter()
        .map(|(_, ids)| owners_named(ids.as_deref(), plan))
        .collect();
    let rows: Vec<ProjectRow> = rows.into_iter().map(|(r, _)| r).collect();
    let items = match known {
        Some(owners) => rows
            .into_iter()
            .zip(owners)
            .map(|(row, o)| item_of(row, o, &plan.mismatched))
            .collect::<Result<Vec<_>, _>>()?,
        None => items_for(conn, rows)?,
    };
    Ok(items.into_iter().map(|(i, _)| i).collect())
}

/// The cursor of a list request, refused unless this server made it for the same sort.
fn cursor_of(q: &ListQuery) -> Result<Option<Cursor>, ApiError> {
    let Some(token) = &q.cursor else {
        return Ok(None);
    };
    let cursor = Cursor::decode(token).ok_or_else(|| {
        ApiError::field("cursor", "无法识别的游标：请使用上一页返回的 next_cursor")
    })?;
    if cursor.sort != q.sort {
        return Err(ApiError::field(
            "cursor",
            format!(
                "游标属于排序 sort={}，与本次的 sort={} 不一致；换排序后请从第一页开始",
                cursor.sort, q.sort
            ),
        ));
    }
    Ok(Some(cursor))
}

/// A page of the list, in at most two statements after the version the request's ETag read
/// (`plan`'s): the sums and the page, or, when only the projects can answer the filter and no
/// cursor cuts the matches, the page with the sums of every match in one pass.
pub fn project_page(
    conn: &mut DbConnection,
    q: &ListQuery,
    plan: &PlanWide,
) -> Result<ProjectPage, ApiError> {
    let cursor = cursor_of(q)?;
    if let Some(owner) = &q.filter.owner
        && !plan.organisation_named(owner)
    {
        // perhaps newer than `plan`: the database decides
        check_filter(conn, &q.filter)?;
    }
    let in_one_pass = cursor.is_none() && rollup::covers(&q.filter).is_none();
    let (mut rows, sums) = if in_one_pass {
        let (rows, sums) = ProjectRow::page_and_sums(conn, q)?;
        let sums = match sums {
            Some(s) => s,
            // nothing on the first page: nothing matches
            None if q.page <= 1 => Sums::default(),
            // past the last page
            None => ProjectRow::sums(conn, &q.filter)?,
        };
        (rows, sums)
    } else {
        let sums = ProjectRow::sums(conn, &q.filter)?;
        (ProjectRow::page(conn, q, cursor.as_ref())?, sums)
    };
    let totals = views::totals(&sums);
    let more = rows.len() > q.per_page as usize;
    rows.truncate(q.per_page as usize);
    let next_cursor = rows
        .last()
        .filter(|_| more)
        .map(|(last, _)| Cursor::after(last, q.sort).encode());
    let items = page_items(conn, rows, plan)?;
    Ok(ProjectPage {
        items,
        total: totals.count,
        page: cursor.is_none().then_some(q.page),
        per_page: q.per_page,
        next_cursor,
        totals,
    })
}

/// A project with its findings: the project, its published cells and owners in one
/// statement, its annual plans in another. `plan` gives the plan-wide values at the request's
/// version; without it (inside a write) they are read.
pub fn project_detail(
    conn: &mut DbConnection,
    code: &str,
    plan: Option<&PlanWide>,
) -> Result<ProjectDetail, ApiError> {
    let (row, published, owner_ids) =
        ProjectRow::find_with_published(conn, code).map_err(|e| match e {
            diesel::result::Error::NotFound => {
                ApiError::NotFound(format!("没有编号为“{code}”的项目"))
            }
            e => e.into(),
        })?;
    let read_now;
    let plan = match plan {
        Some(p) => p,
        None => {
            read_now = PlanWide::read(conn, 0)?;
            &read_now
        }
    };
    let owners = match owners_named(owner_ids.as_deref(), plan) {
        Some(o) => o,
        None => OrganisationRow::owners_of(conn, &[row.id])?
            .remove(&row.id)
            .unwrap_or_default(),
    };
    let mismatch = plan
        .mismatched
        .contains(&views::category_of(&row.category)?);
    let mut findings = findings::for_row(&row, mismatch);
    findings.extend(crate::plans::finding(conn, &row)?);
    views::detail(row, published, owners, findings)
}

/// Every project an export holds, with its content, and the totals over them.
pub fn export_rows(
    conn: &mut DbConnection,
    q: &ExportQuery,
) -> Result<(Vec<(ProjectItem, String)>, Totals), ApiError> {
    check_filter(conn, &q.filter)?;
    let rows = ProjectRow::matching(conn, &q.filter, q.sort)?;
    let items = items_for(conn, rows)?;
    // the same database sums as the list's, so the 合计 row always equals its totals
    let totals = views::totals(&ProjectRow::sums(conn, &q.filter)?);
    Ok((items, totals))
}

/// What the OC4IDS export says of one project.
pub struct ExportProject {
    pub item: ProjectItem,
    pub content: String,
    pub findings: Vec<Finding>,
    /// The actual start and end dates (`YYYY-MM-DD`) of the latest approved report.
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
    /// The current annual plans (年度计划投资 by year), where planners entered them.
    pub plans: Vec<(i32, Money)>,
}

/// Checks an export's filter, once, before anything is sent; answers the categories whose
/// published subtotal does not add up (every page's findings need them).
pub fn export_start(conn: &mut DbConnection, q: &ExportQuery) -> Result<Vec<Category>, ApiError> {
    check_filter(conn, &q.filter)?;
    mismatched_categories(conn)
}

/// The next `size` projects of an export after `after` (keyset, in the export's sort), and
/// where the page ended when more may follow.
pub fn export_page(
    conn: &mut DbConnection,
    q: &ExportQuery,
    after: Option<&Cursor>,
    size: u32,
    mismatched: &[Category],
) -> Result<(Vec<ExportProject>, Option<Cursor>), ApiError> {
    let list = ListQuery {
        filter: q.filter.clone(),
        sort: q.sort,
        page: 1,
        per_page: size,
        cursor: None,
        ..ListQuery::default()
    };
    let mut rows: Vec<ProjectRow> = ProjectRow::page(conn, &list, after)?
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    let more = rows.len() > size as usize;
    rows.truncate(size as usize);
    let next = rows
        .last()
        .filter(|_| more)
        .map(|last| Cursor::after(last, q.sort));
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut owners = OrganisationRow::owners_of(conn, &ids)?;
    let report_ids: Vec<i32> = rows.iter().filter_map(|r| r.approved_report_id).collect();
    let mut dates = ReportRow::actual_dates(conn, &report_ids)?;
    let mut plans = PlanRow::current_of_projects(conn, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let in_mismatch = mismatched.iter().any(|c| c.key() == row.category);
        let findings = findings::for_row(&row, in_mismatch);
        let (actual_start, actual_end) = row
            .approved_report_id
            .and_then(|id| dates.remove(&id))
            .unwrap_or_default();
        let content = row.content.clone();
        let o = owners.remove(&row.id).unwrap_or_default();
        let plans = plans
            .remove(&row.id)
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.year, Money::from_cents(p.planned_investment_cents)))
            .collect();
        out.push(ExportProject {
            item: views::item(row, o, !findings.is_empty())?,
            content,
            findings,
            actual_start,
            actual_end,
            plans,
        });
    }
    Ok((out, next))
}

fn grouped(
    conn: &mut DbConnection,
    f: &ProjectFilter,
    group_by: GroupBy,
) -> Result<Vec<SummaryGroup>, ApiError> {
    let none = |_: &Sums| 0;
    match group_by {
        GroupBy::District => views::groups(
            ProjectRow::sums_by_district(conn, f)?,
            |k| views::district_group(k.as_deref()),
            none,
        ),
        GroupBy::Category => views::groups(
            ProjectRow::sums_by_category(conn, f)?,
            |k| views::category_group(k),
            none,
        ),
        GroupBy::Nature => views::groups(
            ProjectRow::sums_by_nature(conn, f)?,
            |k| views::nature_group(k),
            none,
        ),
        GroupBy::StartYear => views::groups(
            ProjectRow::sums_by_start_year(conn, f)?,
            |y| views::year_group(*y),
            |s| s.start_approximate,
        ),
        GroupBy::EndYear => views::groups(
            ProjectRow::sums_by_end_year(conn, f)?,
            |y| views::year_group(*y),
            |s| s.end_approximate,
        ),
    }
}

pub fn summary(conn: &mut DbConnection, q: &SummaryQuery) -> Result<Summary, ApiError> {
    check_filter(conn, &q.filter)?;
    Ok(Summary {
        group_by: q.group_by.key().to_string(),
        groups: grouped(conn, &q.filter, q.group_by)?,
        total: views::totals(&ProjectRow::sums(conn, &q.filter)?),
    })
}

/// 县市区 × 类别 over the filtered set.
pub fn pivot(conn: &mut DbConnection, f: &ProjectFilter) -> Result<Pivot, ApiError> {
    check_filter(conn, f)?;
    Ok(Pivot {
        cells: views::pivot_cells(ProjectRow::sums_by_district_and_category(conn, f)?)?,
        rows: grouped(conn, f, GroupBy::District)?,
        columns: grouped(conn, f, GroupBy::Category)?,
        total: views::totals(&ProjectRow::sums(conn, f)?),
    })
}

fn reconciliation_rows(conn: &mut DbConnection) -> Result<Vec<ReconciliationRow>, ApiError> {
    let by_category: HashMap<String, Sums> =
        ProjectRow::sums_by_category(conn, &ProjectFilter::default())?
            .into_iter()
            .collect();
    views::reconciliation_rows(&by_category, &SubtotalRow::all(conn)?)
}

pub fn reconciliation(conn: &mut DbConnection) -> Result<Reconciliation, ApiError> {
    Ok(Reconciliation {
        rows: reconciliation_rows(conn)?,
        contradictions: views::contradictions(&ProjectRow::all(conn)?)?,
        plan_mismatches: crate::plans::mismatches(conn)?,
    })
}
