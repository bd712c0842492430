//! Warnings (预警) for a month: gathers each project's plan and its reports for months up to
//! the month, and lets the shared rules (`keyproj_shared::warning`) judge them with the rule
//! set in force. Nothing is stored: the answer for a month is computed from the reports up to
//! it, so a later month's report never changes it.

use std::collections::HashMap;

use keyproj_shared::warning::{ColourCount, MonthFacts, ReportFact, YearToDate};
use keyproj_shared::{
    AnnualPlan, Category, District, LagMode, Level, Money, Percent, Period, ProgressStatus,
    ProjectFilter, ReportState, RuleSet, Sort, UNASSIGNED_KEY, UNASSIGNED_LABEL, Warning,
    WarningQuery,
};

use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::models::plan::{self, PlanRow, RuleSetRow};
use crate::models::project::ProjectRow;
use crate::plans;
use crate::verdicts::{Month, Tally, VerdictCache};

pub fn rule_set(r: RuleSetRow) -> Result<RuleSet, ApiError> {
    let bp = |v: i32| Percent::from_basis_points(i64::from(v));
    Ok(RuleSet {
        version: r.version,
        lag_mode: LagMode::from_key(&r.lag_mode).ok_or_else(|| {
            ApiError::internal(anyhow::anyhow!(
                "stored lag mode {:?} is unknown",
                r.lag_mode
            ))
        })?,
        lag_yellow_from: bp(r.lag_yellow_from_bp),
        lag_red_above: bp(r.lag_red_above_bp),
        relative_yellow_up_to: bp(r.relative_yellow_up_to_bp),
        start_lag_red_months: r.start_lag_red_months,
        report_deadline_day: r.report_deadline_day,
        not_reported_red_months: r.not_reported_red_months,
        divergence_above: bp(r.divergence_above_bp),
        reason: r.reason,
        created_by: r.created_by,
        created_at: r.created_at,
    })
}

pub fn current_rules(conn: &mut DbConnection) -> Result<RuleSet, ApiError> {
    rule_set(RuleSetRow::current(conn)?)
}

/// One project's verdicts for the month, with its 本年完成投资.
pub struct Judged {
    pub project: ProjectRow,
    pub year_to_date: YearToDate,
    pub warnings: Vec<Warning>,
}

/// Report rows as the rules read them, by project id (rows with an unknown month or status
/// are left out).
pub fn facts_by_project(rows: Vec<plan::ReportFactRow>) -> HashMap<i32, Vec<ReportFact>> {
    let mut reports: HashMap<i32, Vec<ReportFact>> = HashMap::new();
    for (project, id, p, state, inv, progress, status, at) in rows {
        let (Ok(p), Ok(status)) = (p.parse::<Period>(), status.parse::<ProgressStatus>()) else {
            continue;
        };
        reports.entry(project).or_default().push(ReportFact {
            id: i64::from(id),
            period: p,
            approved: state == ReportState::Approved.key(),
            investment_completed: Money::from_cents(inv),
            physical_progress: Percent::from_basis_points(i64::from(progress)),
            status,
            submitted_at: at,
        });
    }
    reports
}

/// What the rules read of a set of projects for one year, up to a month: their current
/// plans for the year, the years they have plans for, and their reports up to the month.
pub struct Gathered {
    plans: HashMap<i32, AnnualPlan>,
    years: HashMap<i32, Vec<i32>>,
    reports: HashMap<i32, Vec<ReportFact>>,
}

impl Gathered {
    /// Three reads whatever the number of projects (in chunks past 5,000).
    pub fn of(
        conn: &mut DbConnection,
        rows: &[ProjectRow],
        upto: Period,
    ) -> Result<Self, ApiError> {
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let codes: HashMap<i32, &str> = rows.iter().map(|r| (r.id, r.code.as_str())).collect();
        let mut plans: HashMap<i32, AnnualPlan> = HashMap::new();
        for r in PlanRow::current_for_year_of(conn, upto.year(), &ids)? {
            if let Some(code) = codes.get(&r.project_id) {
                plans.insert(r.project_id, plans::view(code, &r)?);
            }
        }
        let mut years: HashMap<i32, Vec<i32>> = HashMap::new();
        for (project, year) in plan::plan_years(conn, &ids)? {
            years.entry(project).or_default().push(year);
        }
        let reports = facts_by_project(plan::report_facts_up_to(conn, &ids, &upto.to_string())?);
        Ok(Gathered {
            plans,
            years,
            reports,
        })
    }

    /// `project`'s 本年完成投资 and verdicts for `period`, a month of the year gathered and
    /// not after the month gathered up to.
    pub fn judge(
        &self,
        project: &ProjectRow,
        period: Period,
        rules: &RuleSet,
        now: &str,
    ) -> (YearToDate, Vec<Warning>) {
        let facts = MonthFacts {
            code: &project.code,
            name: &project.name,
            period,
            now,
            total_investment: Money::from_cents(project.total_investment_cents),
            plan: self.plans.get(&project.id),
            plan_years: self.years.get(&project.id).map_or(&[], Vec::as_slice),
            // the rules ignore the reports after `period` (`MonthFacts::reports`)
            reports: self.reports.get(&project.id).map_or(&[], Vec::as_slice),
        };
        (facts.year_to_date(), facts.evaluate(rules))
    }
}

/// Judges every project in `rows` for `period`.
pub fn judge(
    conn: &mut DbConnection,
    rows: Vec<ProjectRow>,
    period: Period,
    rules: &RuleSet,
) -> Result<Vec<Judged>, ApiError> {
    let gathered = Gathered::of(conn, &rows, period)?;
    let now = clock::stamp(clock::now());
    Ok(rows
        .into_iter()
        .map(|project| {
            let (year_to_date, warnings) = gathered.judge(&project, period, rules, &now);
            Judged {
                year_to_date,
                warnings,
                project,
            }
        })
        .collect())
}

/// The warnings of the projects matching `filter` for the month, judged on the spot with
/// their 本年完成投资 (the budget and the export need it; the list reads `crate::verdicts`).
pub fn for_filter(
    conn: &mut DbConnection,
    filter: &ProjectFilter,
    period: Period,
    rules: &RuleSet,
) -> Result<Vec<Judged>, ApiError> {
    crate::catalog::check_filter(conn, filter)?;
    let rows = ProjectRow::matching(conn, filter, Sort::default())?;
    judge(conn, rows, period, rules)
}

pub fn for_project(
    conn: &mut DbConnection,
    code: &str,
    period: Period,
) -> Result<(RuleSet, Judged), ApiError> {
    let rules = current_rules(conn)?;
    let p = plans::find_project(conn, code)?;
    let judged = judge(conn, vec![p], period, &rules)?
        .pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("one project judged, none back")))?;
    Ok((rules, judged))
}

/// One page of the list's warnings, filtered by level and rule, in project-code order, and
/// how many there are in all; from the server's cached verdicts (`crate::verdicts`).
pub fn page(
    conn: &mut DbConnection,
    cache: &VerdictCache,
    q: &WarningQuery,
    period: Period,
) -> Result<(RuleSet, u64, Vec<Warning>), ApiError> {
    let month = cache.month(conn, period)?;
    let skip = (q.page.saturating_sub(1) as usize).saturating_mul(q.per_page as usize);
    let wanted =
        |w: &Warning| q.level.is_none_or(|l| w.level == l) && q.rule.is_none_or(|r| w.rule == r);
    // the whole plan (the dashboard's tiles): the total from the cells, and a walk in code
    // order that stops at the page's end
    if q.filter == ProjectFilter::default()
        && let Some(total) = month.warning_total(&q.filter, q.level, q.rule)
    {
        let mut seen = 0usize;
        let mut items = Vec::new();
        for v in month.ids_by_code().iter().filter_map(|id| month.get(*id)) {
            for w in v.warnings.iter().filter(|w| wanted(w)) {
                if seen >= skip && items.len() < q.per_page as usize {
                    items.push(w.clone());
                }
                seen += 1;
            }
            if items.len() >= q.per_page as usize {
                break;
            }
        }
        return Ok((month.rules.clone(), total, items));
    }
    let mut total = 0usize;
    let mut items = Vec::new();
    for v in month.matching(conn, &q.filter)? {
        for w in &v.warnings {
            if q.level.is_none_or(|l| w.level == l) && q.rule.is_none_or(|r| w.rule == r) {
                if total >= skip && items.len() < q.per_page as usize {
                    items.push(w.clone());
                }
                total += 1;
            }
        }
    }
    Ok((month.rules.clone(), total as u64, items))
}

/// How many matching projects have each colour, in all, by district and by category: from
/// the month's per-cell counts when the filter is on district and category only, else
/// counted over the matching verdicts.
pub fn colour_counts(
    conn: &mut DbConnection,
    month: &Month,
    filter: &ProjectFilter,
) -> Result<(ColourCount, Vec<ColourCount>, Vec<ColourCount>), ApiError> {
    let mut total = ColourCount::new("all", "合计");
    let mut by_district: Vec<ColourCount> = District::ALL
        .iter()
        .map(|d| ColourCount::new(d.key(), d.label()))
        .chain([ColourCount::new(UNASSIGNED_KEY, UNASSIGNED_LABEL)])
        .collect();
    let mut by_category: Vec<ColourCount> = Category::ALL
        .iter()
        .map(|c| ColourCount::new(c.key(), c.label()))
        .collect();
    let mut count = |district: &str, category: &str, t: &Tally| {
        let add = |c: &mut ColourCount| {
            c.red += t[0];
            c.yellow += t[1];
            c.green += t[2];
            c.none += t[3];
        };
        add(&mut total);
        if let Some(c) = by_district.iter_mut().find(|c| c.key == district) {
            add(c);
        }
        if let Some(c) = by_category.iter_mut().find(|c| c.key == category) {
            add(c);
        }
    };
    match month.cells_for(filter) {
        Some(cells) => cells.for_each(|(d, c, t)| count(d, c, t)),
        None => {
            for v in month.matching(conn, filter)? {
                let mut t: Tally = [0; 4];
                t[crate::verdicts::slot(v.colour)] = 1;
                count(&v.district, &v.category, &t);
            }
        }
    }
    Ok((total, by_district, by_category))
}

/// A project's colour for the month: its worst red/yellow/green verdict, `None` when no rule
/// gave one (no plan, or nothing known).
pub fn colour(warnings: &[Warning]) -> Option<Level> {
    warnings
        .iter()
        .map(|w| w.level)
        .filter(|l| *l != Level::Info)
        .max()
}

/// (key, label) of a project's district.
pub fn district_of(p: &ProjectRow) -> (String, String) {
    match p
        .district
        .as_deref()
        .and_then(|d| d.parse::<District>().ok())
    {
        Some(d) => (d.key().to_string(), d.label().to_string()),
        None => (UNASSIGNED_KEY.to_string(), UNASSIGNED_LABEL.to_string()),
    }
}

/// The ETag of a rule-set version.
pub fn rules_etag(version: i32) -> String {
    keyproj_shared::warning::rule_set_etag(version)
}

/// Stores `new` as the next version if the caller saw the version in force; audited as
/// entity `warning_rules`, id the new version.
pub fn revise_rules(
    conn: &mut DbConnection,
    actor: &crate::audit::Actor,
    if_match: &crate::precondition::Expected,
    new: &RuleSet,
) -> Result<RuleSet, ApiError> {
    let problems = new.problems();
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    crate::db::write_transaction(conn, |conn| -> Result<RuleSet, ApiError> {
        crate::db::lock_pair(conn, RULES_LOCK, 0)?;
        let current = current_rules(conn)?;
        if !if_match.matches(&rules_etag(current.version)) {
            return Err(ApiError::PreconditionFailed {
                etag: rules_etag(current.version),
                version: i64::from(current.version),
            });
        }
        let bp = |p: Percent| i32::try_from(p.basis_points()).map_err(ApiError::internal);
        let row = RuleSetRow {
            version: current.version + 1,
            lag_mode: new.lag_mode.key().to_string(),
            lag_yellow_from_bp: bp(new.lag_yellow_from)?,
            lag_red_above_bp: bp(new.lag_red_above)?,
            relative_yellow_up_to_bp: bp(new.relative_yellow_up_to)?,
            start_lag_red_months: new.start_lag_red_months,
            report_deadline_day: new.report_deadline_day,
            not_reported_red_months: new.not_reported_red_months,
            divergence_above_bp: bp(new.divergence_above)?,
            reason: new.reason.clone(),
            created_by: actor.username.clone(),
            created_at: clock::stamp(clock::now()),
        };
        row.insert(conn)?;
        let stored = current_rules(conn)?;
        let json = |r: &RuleSet| serde_json::to_value(r).map_err(ApiError::internal);
        crate::audit::record(
            conn,
            actor,
            crate::audit::WARNING_RULES,
            &stored.version.to_string(),
            "update",
            Some(&json(&current)?),
            Some(&json(&stored)?),
        )?;
        crate::db::data_version::bump(conn)?;
        Ok(stored)
    })
}

/// Advisory-lock class (`db::lock_pair`) serialising rule-set versions.
const RULES_LOCK: i32 = 51;
