//! Rows and sums as the `shared` wire types.

use std::collections::HashMap;

use keyproj_shared::{
    ApprovedProgress, Category, Difference, District, DistrictBasis, Finding, Money, Nature, Owner,
    Percent, PivotCell, ProgressStatus, ProjectDetail, ProjectItem, PublishedFigures, PublishedRow,
    ReconciliationRow, ScheduleDate, SummaryGroup, TextContradiction, Totals, UNASSIGNED_KEY,
    UNASSIGNED_LABEL,
};

use crate::error::ApiError;
use crate::findings;
use crate::models::organisation::OrganisationRow;
use crate::models::project::{DistrictAndCategory, ProjectRow, PublishedRowRow, Sums};
use crate::models::subtotal::{SubtotalRow, TOTAL_SCOPE};

fn corrupt(what: &str, value: &str) -> ApiError {
    ApiError::internal(anyhow::anyhow!(
        "stored {what} {value:?} is not a known value"
    ))
}

pub fn category_of(key: &str) -> Result<Category, ApiError> {
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
pub fn totals(s: &Sums) -> Totals {
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

/// The latest approved figures, once a report is approved.
fn approved(row: &ProjectRow) -> Result<Option<ApprovedProgress>, ApiError> {
    let (Some(report_id), Some(period), Some(bp), Some(completed), Some(social), Some(status)) = (
        row.approved_report_id,
        &row.approved_period,
        row.approved_progress_bp,
        row.approved_investment_completed_cents,
        row.approved_social_investment_completed_cents,
        &row.approved_status,
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

/// A list item: the row, its owners and whether it has findings.
pub fn item(
    row: ProjectRow,
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
    let approved = approved(&row)?;
    Ok(ProjectItem {
        approved,
        category: category_of(&row.category)?,
        nature: row
            .nature
            .parse::<Nature>()
            .map_err(|_| corrupt("nature", &row.nature))?,
        district: district_of(row.district.as_deref())?,
        start: schedule(
            row.start_published,
            row.start_earliest_year,
            row.start_earliest_month,
            row.start_latest_year,
            row.start_latest_month,
            row.start_approximate,
        ),
        end: schedule(
            row.end_published,
            row.end_earliest_year,
            row.end_earliest_month,
            row.end_latest_year,
            row.end_latest_month,
            row.end_approximate,
        ),
        code: row.code,
        serial: row.serial,
        name: row.name,
        nature_published: row.nature_published,
        owners: owners
            .into_iter()
            .map(|o| Owner {
                id: i64::from(o.id),
                name: o.name,
            })
            .collect(),
        total_investment: Money::from_cents(row.total_investment_cents),
        planned_investment: Money::from_cents(row.planned_investment_cents),
        social_share_pct: row
            .social_share_bp
            .map(|bp| Percent::from_basis_points(i64::from(bp))),
        social_investment: row.social_investment_cents.map(Money::from_cents),
        remarks: row.remarks,
        has_findings,
    })
}

/// A project's page: its item with its content, how it was published and its findings.
pub fn detail(
    row: ProjectRow,
    published: PublishedRowRow,
    owners: Vec<OrganisationRow>,
    findings: Vec<Finding>,
) -> Result<ProjectDetail, ApiError> {
    let category = category_of(&row.category)?;
    let basis = DistrictBasis::from_key(&row.district_basis)
        .ok_or_else(|| corrupt("district basis", &row.district_basis))?;
    let district_note = row.district_note.clone();
    let content = row.content.clone();
    let version = i64::from(row.version);
    let etag = keyproj_shared::etag('p', i64::from(row.id), version);
    let item = item(row, owners, !findings.is_empty())?;
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

/// A district key's label and its place in the plan's order; unassigned comes last.
pub fn district_group(key: Option<&str>) -> Result<(String, String, i64), ApiError> {
    Ok(match district_of(key)? {
        Some(d) => (
            d.key().into(),
            d.label().into(),
            District::ALL.iter().position(|x| *x == d).unwrap_or(0) as i64,
        ),
        None => (UNASSIGNED_KEY.into(), UNASSIGNED_LABEL.into(), i64::MAX),
    })
}

pub fn category_group(key: &str) -> Result<(String, String, i64), ApiError> {
    let c = category_of(key)?;
    Ok((
        c.key().into(),
        c.label().into(),
        i64::from(u32::from(c.letter())),
    ))
}

pub fn nature_group(key: &str) -> Result<(String, String, i64), ApiError> {
    let n: Nature = key.parse().map_err(|_| corrupt("nature", key))?;
    let pos = Nature::ALL.iter().position(|x| *x == n).unwrap_or(0) as i64;
    Ok((n.key().into(), n.label().into(), pos))
}

pub fn year_group(y: i32) -> Result<(String, String, i64), ApiError> {
    Ok((y.to_string(), format!("{y}年"), i64::from(y)))
}

/// Database sums per group, as wire groups in the plan's order. `approximate` picks which
/// of the dates' approximate counts the grouping is about.
pub fn groups<K>(
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

/// The 县市区 × 类别 cells, districts in the plan's order, then categories.
pub fn pivot_cells(sums: Vec<(DistrictAndCategory, Sums)>) -> Result<Vec<PivotCell>, ApiError> {
    let mut cells = Vec::with_capacity(sums.len());
    for ((district, category), s) in sums {
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
    Ok(cells.into_iter().map(|(_, c)| c).collect())
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

/// Unreachable: a sum of N amounts within `Money::MAX` stays far inside i64 (see
/// `Over::terms` in models/project/sums.rs), and the difference of two stored amounts cannot
/// overflow because the database keeps them ≥ 0 (migration 000001).
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

/// Each published subtotal against the sums of its category's rows (`by_category`), and the
/// published 总计 against all of them.
pub fn reconciliation_rows(
    by_category: &HashMap<String, Sums>,
    subtotals: &[SubtotalRow],
) -> Result<Vec<ReconciliationRow>, ApiError> {
    // every project has a category, so the categories' exact sums add up to the whole; every
    // list page comes here for its flags, and this saves it a second pass over the data. Each
    // category sum is at most its count × Money::MAX (the database clamps every term, see
    // Over::terms), so their sum is at most N × 10¹⁰ hundredths and cannot overflow; the
    // check stays for the types' sake.
    let all = by_category
        .values()
        .try_fold(Sums::default(), |acc, s| acc.checked_add(s))
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the category sums overflow")))?;
    let mut rows = Vec::with_capacity(subtotals.len());
    for s in subtotals {
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

/// The rows whose content states a total that their 总投资 does not carry.
pub fn contradictions(rows: &[ProjectRow]) -> Result<Vec<TextContradiction>, ApiError> {
    let mut out = Vec::new();
    for row in rows {
        let total = Money::from_cents(row.total_investment_cents);
        for (stated_text, stated_amount) in findings::contradictions(row) {
            out.push(TextContradiction {
                code: row.code.clone(),
                name: row.name.clone(),
                stated_text,
                stated_amount,
                total_investment: total,
                difference: sub(total, stated_amount)?,
            });
        }
    }
    Ok(out)
}
