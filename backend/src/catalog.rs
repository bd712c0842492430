//! Reads of the plan: turns rows into the `shared` wire types. Runs on a blocking thread with
//! a connection in hand; handlers only parse, call one of these, and answer.

use std::collections::HashMap;

use keyproj_shared::{
    ApprovedProgress, Category, Difference, District, DistrictBasis, ExportQuery, GroupBy,
    ListQuery, Money, Nature, Owner, Percent, Pivot, PivotCell, ProgressStatus, ProjectDetail,
    ProjectFilter, ProjectItem, ProjectPage, PublishedFigures, PublishedRow, Reconciliation,
    ReconciliationRow, ScheduleDate, Summary, SummaryGroup, SummaryQuery, TextContradiction,
    Totals, UNASSIGNED_KEY, UNASSIGNED_LABEL,
};

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::findings;
use crate::models::organisation::OrganisationRow;
use crate::models::project::{ProjectRow, PublishedRowRow, Sums};
use crate::models::project_keyset::Cursor;
use crate::models::subtotal::{SubtotalRow, TOTAL_SCOPE};

fn corrupt(what: &str, value: &str) -> ApiError {
    ApiError::internal(anyhow::anyhow!(
        "stored {what} {value:?} is not a known value"
    ))
}

fn category_of(key: &str) -> Result<Category, ApiError> {
    key.parse().map_err(|_| corrupt("category", key))
}

fn district_of(key: Option<&str>) -> Result<Option<District>, ApiError> {
    key.map(|k| k.parse().map_err(|_| corrupt("district", k)))
        .transpose()
}

fn month(m: Option<i32>) -> Option<u8> {
    m.and_then(|m| u8::try_from(m).ok())
}

/// The wire totals of database sums; `investment_completed` counts approved figures only.
fn totals(s: &Sums) -> Totals {
    let total_investment = Money::from_cents(s.total_investment_cents);
    let social_investment = Money::from_cents(s.social_investment_cents);
    Totals {
        count: u64::try_from(s.count).unwrap_or(0),
        total_investment,
        planned_investment: Money::from_cents(s.planned_investment_cents),
        social_investment,
        social_share_pct: Percent::ratio(social_investment, total_investment),
        investment_completed: Money::from_cents(s.approved_completed_cents),
    }
}

/// The owner filter names an organisation; an unknown one is the client's mistake.
fn check_filter(conn: &mut DbConnection, f: &ProjectFilter) -> Result<(), ApiError> {
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
fn mismatched_categories(conn: &mut DbConnection) -> Result<Vec<Category>, ApiError> {
    Ok(reconciliation_rows(conn)?
        .into_iter()
        .filter(|r| !r.matches)
        .filter_map(|r| r.category)
        .collect())
}

impl ProjectRow {
    /// The latest approved figures, once a report is approved.
    fn approved(&self) -> Result<Option<ApprovedProgress>, ApiError> {
        let (Some(report_id), Some(period), Some(bp), Some(completed), Some(social), Some(status)) = (
            self.approved_report_id,
            &self.approved_period,
            self.approved_progress_bp,
            self.approved_investment_completed_cents,
            self.approved_social_investment_completed_cents,
            &self.approved_status,
        ) else {
            return Ok(None);
        };
        Ok(Some(ApprovedProgress {
            report_id: i64::from(report_id),
            period: period.clone(),
            physical_progress_pct: Percent::from_basis_points(i64::from(bp)),
            investment_completed: Money::from_cents(completed),
            social_investment_completed: Money::from_cents(social),
            status: status
                .parse::<ProgressStatus>()
                .map_err(|_| corrupt("status", status))?,
        }))
    }

    fn into_item(
        self,
        owners: Vec<OrganisationRow>,
        has_findings: bool,
    ) -> Result<ProjectItem, ApiError> {
        let schedule = |published: String, ey, em, ly, lm, approximate| ScheduleDate {
            published,
            earliest_year: ey,
            earliest_month: month(em),
            latest_year: ly,
            latest_month: month(lm),
            approximate,
        };
        let approved = self.approved()?;
        Ok(ProjectItem {
            approved,
            category: category_of(&self.category)?,
            nature: self
                .nature
                .parse::<Nature>()
                .map_err(|_| corrupt("nature", &self.nature))?,
            district: district_of(self.district.as_deref())?,
            start: schedule(
                self.start_published,
                self.start_earliest_year,
                self.start_earliest_month,
                self.start_latest_year,
                self.start_latest_month,
                self.start_approximate,
            ),
            end: schedule(
                self.end_published,
                self.end_earliest_year,
                self.end_earliest_month,
                self.end_latest_year,
                self.end_latest_month,
                self.end_approximate,
            ),
            code: self.code,
            serial: self.serial,
            name: self.name,
            nature_published: self.nature_published,
            owners: owners
                .into_iter()
                .map(|o| Owner {
                    id: i64::from(o.id),
                    name: o.name,
                })
                .collect(),
            total_investment: Money::from_cents(self.total_investment_cents),
            planned_investment: Money::from_cents(self.planned_investment_cents),
            social_share_pct: self
                .social_share_bp
                .map(|bp| Percent::from_basis_points(i64::from(bp))),
            social_investment: self.social_investment_cents.map(Money::from_cents),
            remarks: self.remarks,
            has_findings,
        })
    }
}

/// List items for rows, each with its owners and whether it has findings, and its content.
fn items_for(
    conn: &mut DbConnection,
    rows: Vec<ProjectRow>,
) -> Result<Vec<(ProjectItem, String)>, ApiError> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut owners = OrganisationRow::owners_of(conn, &ids)?;
    let mismatched = mismatched_categories(conn)?;
    rows.into_iter()
        .map(|row| {
            let in_mismatch = mismatched.iter().any(|c| c.key() == row.category);
            let flagged = !findings::for_row(&row, in_mismatch).is_empty();
            let o = owners.remove(&row.id).unwrap_or_default();
            let content = row.content.clone();
            Ok((row.into_item(o, flagged)?, content))
        })
        .collect()
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

pub fn project_page(conn: &mut DbConnection, q: &ListQuery) -> Result<ProjectPage, ApiError> {
    let cursor = cursor_of(q)?;
    check_filter(conn, &q.filter)?;
    let totals = totals(&ProjectRow::sums(conn, &q.filter)?);
    let mut rows = ProjectRow::page(conn, q, cursor.as_ref())?;
    let more = rows.len() > q.per_page as usize;
    rows.truncate(q.per_page as usize);
    let next_cursor = rows
        .last()
        .filter(|_| more)
        .map(|last| Cursor::after(last, q.sort).encode());
    let items = items_for(conn, rows)?.into_iter().map(|(i, _)| i).collect();
    Ok(ProjectPage {
        items,
        total: totals.count,
        page: cursor.is_none().then_some(q.page),
        per_page: q.per_page,
        next_cursor,
        totals,
    })
}

pub fn project_detail(conn: &mut DbConnection, code: &str) -> Result<ProjectDetail, ApiError> {
    let row = ProjectRow::find_by_code(conn, code).map_err(|e| match e {
        diesel::result::Error::NotFound => ApiError::NotFound(format!("没有编号为“{code}”的项目")),
        e => e.into(),
    })?;
    let published = PublishedRowRow::find(conn, row.id)?;
    let owners = OrganisationRow::owners_of(conn, &[row.id])?
        .remove(&row.id)
        .unwrap_or_default();
    let category = category_of(&row.category)?;
    let mismatch = mismatched_categories(conn)?.contains(&category);
    let findings = findings::for_row(&row, mismatch);
    let basis = DistrictBasis::from_key(&row.district_basis)
        .ok_or_else(|| corrupt("district basis", &row.district_basis))?;
    let district_note = row.district_note.clone();
    let content = row.content.clone();
    let version = i64::from(row.version);
    let etag = keyproj_shared::etag('p', i64::from(row.id), version);
    let item = row.into_item(owners, !findings.is_empty())?;
    let total = item.total_investment;
    let social = item.social_investment.unwrap_or(Money::ZERO);
    Ok(ProjectDetail {
        outside_plan_investment: sub(total, item.planned_investment)?,
        government_investment: sub(total, social)?,
        item,
        content,
        category_label: category.label().to_string(),
        district_basis: basis,
        district_note,
        published: PublishedRow {
            serial: published.serial,
            name: published.name,
            nature: published.nature,
            owner: published.owner,
            content: published.content,
            start_year: published.start_year,
            end_year: published.end_year,
            total_investment: published.total_investment,
            planned_investment: published.planned_investment,
            social_share: published.social_share,
            remarks: published.remarks,
        },
        findings,
        version,
        etag,
    })
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
    let totals = totals(&ProjectRow::sums(conn, &q.filter)?);
    Ok((items, totals))
}

/// A district key's label and its place in the plan's order; unassigned comes last.
fn district_group(key: Option<&str>) -> Result<(String, String, i64), ApiError> {
    Ok(match district_of(key)? {
        Some(d) => (
            d.key().into(),
            d.label().into(),
            District::ALL.iter().position(|x| *x == d).unwrap_or(0) as i64,
        ),
        None => (UNASSIGNED_KEY.into(), UNASSIGNED_LABEL.into(), i64::MAX),
    })
}

fn category_group(key: &str) -> Result<(String, String, i64), ApiError> {
    let c = category_of(key)?;
    Ok((
        c.key().into(),
        c.label().into(),
        i64::from(u32::from(c.letter())),
    ))
}

fn nature_group(key: &str) -> Result<(String, String, i64), ApiError> {
    let n: Nature = key.parse().map_err(|_| corrupt("nature", key))?;
    let pos = Nature::ALL.iter().position(|x| *x == n).unwrap_or(0) as i64;
    Ok((n.key().into(), n.label().into(), pos))
}

fn year_group(y: i32) -> Result<(String, String, i64), ApiError> {
    Ok((y.to_string(), format!("{y}年"), i64::from(y)))
}

/// Database sums per group, as wire groups in the plan's order. `approximate` picks which
/// of the dates' approximate counts the grouping is about.
fn groups<K>(
    sums: Vec<(K, Sums)>,
    describe: impl Fn(&K) -> Result<(String, String, i64), ApiError>,
    approximate: impl Fn(&Sums) -> i64,
) -> Result<Vec<SummaryGroup>, ApiError> {
    let mut out = Vec::with_capacity(sums.len());
    for (k, s) in &sums {
        let (key, label, pos) = describe(k)?;
        let t = totals(s);
        out.push((
            pos,
            SummaryGroup {
                key,
                label,
                count: t.count,
                total_investment: t.total_investment,
                planned_investment: t.planned_investment,
                social_investment: t.social_investment,
                social_share_pct: t.social_share_pct,
                investment_completed: t.investment_completed,
                approximate_count: u64::try_from(approximate(s)).unwrap_or(0),
            },
        ));
    }
    out.sort_by_key(|(pos, _)| *pos);
    Ok(out.into_iter().map(|(_, g)| g).collect())
}

fn grouped(
    conn: &mut DbConnection,
    f: &ProjectFilter,
    group_by: GroupBy,
) -> Result<Vec<SummaryGroup>, ApiError> {
    let none = |_: &Sums| 0;
    match group_by {
        GroupBy::District => groups(
            ProjectRow::sums_by_district(conn, f)?,
            |k| district_group(k.as_deref()),
            none,
        ),
        GroupBy::Category => groups(
            ProjectRow::sums_by_category(conn, f)?,
            |k| category_group(k),
            none,
        ),
        GroupBy::Nature => groups(
            ProjectRow::sums_by_nature(conn, f)?,
            |k| nature_group(k),
            none,
        ),
        GroupBy::StartYear => groups(
            ProjectRow::sums_by_start_year(conn, f)?,
            |y| year_group(*y),
            |s| s.start_approximate,
        ),
        GroupBy::EndYear => groups(
            ProjectRow::sums_by_end_year(conn, f)?,
            |y| year_group(*y),
            |s| s.end_approximate,
        ),
    }
}

pub fn summary(conn: &mut DbConnection, q: &SummaryQuery) -> Result<Summary, ApiError> {
    check_filter(conn, &q.filter)?;
    Ok(Summary {
        group_by: q.group_by.key().to_string(),
        groups: grouped(conn, &q.filter, q.group_by)?,
        total: totals(&ProjectRow::sums(conn, &q.filter)?),
    })
}

/// 县市区 × 类别 over the filtered set.
pub fn pivot(conn: &mut DbConnection, f: &ProjectFilter) -> Result<Pivot, ApiError> {
    check_filter(conn, f)?;
    let mut cells = Vec::new();
    for ((district, category), s) in ProjectRow::sums_by_district_and_category(conn, f)? {
        let (key, _, pos) = district_group(district.as_deref())?;
        let category = category_of(&category)?;
        cells.push((
            (pos, category),
            PivotCell {
                district: key,
                category,
                totals: totals(&s),
            },
        ));
    }
    cells.sort_by_key(|(order, _)| *order);
    Ok(Pivot {
        rows: grouped(conn, f, GroupBy::District)?,
        columns: grouped(conn, f, GroupBy::Category)?,
        cells: cells.into_iter().map(|(_, c)| c).collect(),
        total: totals(&ProjectRow::sums(conn, f)?),
    })
}

fn published_figures(s: &SubtotalRow) -> PublishedFigures {
    PublishedFigures {
        label: s.label.clone(),
        count: u64::try_from(s.project_count).unwrap_or(0),
        total_investment: Money::from_cents(s.total_investment_cents),
        planned_investment: Money::from_cents(s.planned_investment_cents),
        total_investment_text: s.total_investment_text.clone(),
        planned_investment_text: s.planned_investment_text.clone(),
    }
}

fn overflow() -> ApiError {
    ApiError::internal(anyhow::anyhow!("money arithmetic overflowed"))
}

fn add(a: Money, b: Money) -> Result<Money, ApiError> {
    a.checked_add(b).ok_or_else(overflow)
}

fn sub(a: Money, b: Money) -> Result<Money, ApiError> {
    a.checked_sub(b).ok_or_else(overflow)
}

fn difference(computed: &Totals, published: &PublishedFigures) -> Result<Difference, ApiError> {
    Ok(Difference {
        count: computed.count as i64 - published.count as i64,
        total_investment: sub(computed.total_investment, published.total_investment)?,
        planned_investment: sub(computed.planned_investment, published.planned_investment)?,
    })
}

fn reconciliation_rows(conn: &mut DbConnection) -> Result<Vec<ReconciliationRow>, ApiError> {
    let by_category: HashMap<String, Sums> =
        ProjectRow::sums_by_category(conn, &ProjectFilter::default())?
            .into_iter()
            .collect();
    // every project has a category, so the categories' exact sums add up to the whole; every
    // list page comes here for its flags, and this saves it a second pass over the data
    let all = by_category
        .values()
        .try_fold(Sums::default(), |acc, s| acc.checked_add(s))
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the category sums overflow")))?;
    let subtotals = SubtotalRow::all(conn)?;
    let mut rows = Vec::with_capacity(subtotals.len());
    for s in &subtotals {
        let published = published_figures(s);
        let (category, computed) = if s.scope == TOTAL_SCOPE {
            (None, totals(&all))
        } else {
            let c = category_of(&s.scope)?;
            let members = by_category.get(&s.scope).copied().unwrap_or_default();
            (Some(c), totals(&members))
        };
        let difference = difference(&computed, &published)?;
        rows.push(ReconciliationRow {
            scope: s.scope.clone(),
            category,
            matches: difference.count == 0
                && difference.total_investment == Money::ZERO
                && difference.planned_investment == Money::ZERO,
            published,
            computed,
            difference,
            sum_of_published_categories: None,
        });
    }
    // Does the printed 总计 follow the printed subtotals, or the rows?
    let mut printed = Totals::default();
    for r in rows.iter().filter(|r| r.category.is_some()) {
        printed.count += r.published.count;
        printed.total_investment = add(printed.total_investment, r.published.total_investment)?;
        printed.planned_investment =
            add(printed.planned_investment, r.published.planned_investment)?;
    }
    if let Some(total_row) = rows.iter_mut().find(|r| r.category.is_none()) {
        total_row.sum_of_published_categories = Some(difference(&printed, &total_row.published)?);
    }
    Ok(rows)
}

pub fn reconciliation(conn: &mut DbConnection) -> Result<Reconciliation, ApiError> {
    let rows = reconciliation_rows(conn)?;
    let mut contradictions = Vec::new();
    for row in ProjectRow::all(conn)? {
        let total = Money::from_cents(row.total_investment_cents);
        for (stated_text, stated_amount) in findings::contradictions(&row) {
            contradictions.push(TextContradiction {
                code: row.code.clone(),
                name: row.name.clone(),
                stated_text,
                stated_amount,
                total_investment: total,
                difference: sub(total, stated_amount)?,
            });
        }
    }
    Ok(Reconciliation {
        rows,
        contradictions,
    })
}
