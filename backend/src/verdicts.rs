//! The month's warnings, judged once per server and kept: a per-process cache of every
//! project's verdicts for a month, valid for (data version, rule-set version, whether the
//! month's report deadline has passed).
//!
//! A read checks the data version (one primary-key read). When it moved, the change log
//! (`warning_changes`, written by `data_version::bump_touching` in the writer's transaction)
//! says which projects the writes touched, and only those are judged again; a version with
//! no record (a write that did not say what it touched) makes it judge everything, as does a
//! new rule set, or the month's report deadline passing since (the only way the clock enters
//! a verdict: before it, "not reported" cannot fire; after it, every earlier deadline has
//! passed too). So every server sharing a database answers what `warnings::judge` would
//! answer on the spot, and a plan update costs one project's judging, not 100,000.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use keyproj_shared::warning::report_deadline_utc;
use keyproj_shared::{Level, Percent, Period, ProjectFilter, RuleId, RuleSet, Sort, Warning};

use crate::clock;
use crate::db::{DbConnection, data_version};
use crate::error::ApiError;
use crate::models::project::ProjectRow;
use crate::warnings;

/// How many months a server keeps (the least recently used goes first).
const MONTHS_KEPT: usize = 6;

/// One project's verdicts for the month, with what the list and the counts group by.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub id: i32,
    pub code: String,
    /// The district key (`unassigned` when none), as `warnings::district_of` gives it.
    pub district: String,
    pub category: String,
    pub warnings: Vec<Warning>,
    /// The worst of red, yellow and green; `None` when no rule gave one.
    pub colour: Option<Level>,
    /// The investment-lag gap (序时进度 − 投资完成率), where it could be computed.
    pub gap: Option<Percent>,
}

impl Verdict {
    fn of(j: warnings::Judged) -> Verdict {
        let (district, _) = warnings::district_of(&j.project);
        let gap = j
            .warnings
            .iter()
            .find(|w| w.rule == RuleId::InvestmentLag)
            .and_then(|w| w.gap);
        Verdict {
            id: j.project.id,
            code: j.project.code,
            district,
            category: j.project.category,
            colour: warnings::colour(&j.warnings),
            warnings: j.warnings,
            gap,
        }
    }
}

/// Every project's verdicts for one month.
#[derive(Debug)]
pub struct Month {
    pub period: Period,
    pub rules: RuleSet,
    data_version: i64,
    deadline_passed: bool,
    by_id: HashMap<i32, Arc<Verdict>>,
    /// Every project's id, by code: shared with the next version while no code changes.
    by_code: Arc<Vec<i32>>,
    last_used: AtomicU64,
}

impl Month {
    fn new(
        period: Period,
        rules: RuleSet,
        data_version: i64,
        deadline_passed: bool,
        by_id: HashMap<i32, Arc<Verdict>>,
        by_code: Option<Arc<Vec<i32>>>,
    ) -> Month {
        let by_code = by_code.unwrap_or_else(|| {
            let mut all: Vec<&Arc<Verdict>> = by_id.values().collect();
            all.sort_by(|a, b| a.code.cmp(&b.code));
            Arc::new(all.into_iter().map(|v| v.id).collect())
        });
        Month {
            period,
            rules,
            data_version,
            deadline_passed,
            by_id,
            by_code,
            last_used: AtomicU64::new(0),
        }
    }

    /// The verdicts of the projects matching `filter`, by code.
    pub fn matching(
        &self,
        conn: &mut DbConnection,
        filter: &ProjectFilter,
    ) -> Result<Vec<Arc<Verdict>>, ApiError> {
        if *filter == ProjectFilter::default() {
            return Ok(self
                .by_code
                .iter()
                .filter_map(|id| self.by_id.get(id).cloned())
                .collect());
        }
        crate::catalog::check_filter(conn, filter)?;
        let mut out: Vec<Arc<Verdict>> = ProjectRow::matching_ids(conn, filter)?
            .into_iter()
            .filter_map(|id| self.by_id.get(&id).cloned())
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(out)
    }

    pub fn get(&self, id: i32) -> Option<&Arc<Verdict>> {
        self.by_id.get(&id)
    }
}

/// A server's cache (one per server, in the app's data: servers of one process do not share).
#[derive(Debug, Default)]
pub struct VerdictCache {
    months: Mutex<HashMap<Period, Arc<Month>>>,
    clock: AtomicU64,
}

fn judged(
    conn: &mut DbConnection,
    rows: Vec<ProjectRow>,
    period: Period,
    rules: &RuleSet,
) -> Result<Vec<Verdict>, ApiError> {
    Ok(warnings::judge(conn, rows, period, rules)?
        .into_iter()
        .map(Verdict::of)
        .collect())
}

impl VerdictCache {
    fn cached(&self, period: Period) -> Option<Arc<Month>> {
        self.months
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&period)
            .cloned()
    }

    fn keep(&self, month: Arc<Month>) {
        let mut months = self
            .months
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // a slower refresh must not replace a newer one
        if months
            .get(&month.period)
            .is_some_and(|m| m.data_version > month.data_version)
        {
            return;
        }
        months.insert(month.period, month);
        while months.len() > MONTHS_KEPT {
            let Some(oldest) = months
                .values()
                .min_by_key(|m| m.last_used.load(Ordering::Relaxed))
                .map(|m| m.period)
            else {
                break;
            };
            months.remove(&oldest);
        }
    }

    /// The month's verdicts as of now, judging again only what changed since they were kept.
    pub fn month(&self, conn: &mut DbConnection, period: Period) -> Result<Arc<Month>, ApiError> {
        // the version first: whatever is read after it is at least as new
        let version = data_version::current(conn)?;
        let rules = warnings::current_rules(conn)?;
        let now = clock::stamp(clock::now());
        let deadline_passed = report_deadline_utc(period, rules.report_deadline_day)
            .is_some_and(|d| now.as_str() >= d.as_str());
        let tick = self.clock.fetch_add(1, Ordering::Relaxed) + 1;
        let kept = self
            .cached(period)
            .filter(|m| m.rules.version == rules.version && m.deadline_passed == deadline_passed);
        let month = match kept {
            Some(m) if m.data_version >= version => m,
            Some(m) => match data_version::touched_since(conn, m.data_version, version)? {
                Some(ids) => {
                    let mut by_id = m.by_id.clone();
                    let rows = ProjectRow::by_ids(conn, &ids)?;
                    // the order by code stands while the same projects keep their codes
                    let same_codes = rows.len() == ids.len()
                        && rows
                            .iter()
                            .all(|r| m.by_id.get(&r.id).is_some_and(|v| v.code == r.code));
                    for id in &ids {
                        by_id.remove(id);
                    }
                    for v in judged(conn, rows, period, &rules)? {
                        by_id.insert(v.id, Arc::new(v));
                    }
                    let order = same_codes.then(|| m.by_code.clone());
                    let m = Arc::new(Month::new(
                        period,
                        rules,
                        version,
                        deadline_passed,
                        by_id,
                        order,
                    ));
                    self.keep(m.clone());
                    m
                }
                None => self.everything(conn, period, rules, version, deadline_passed)?,
            },
            None => self.everything(conn, period, rules, version, deadline_passed)?,
        };
        month.last_used.store(tick, Ordering::Relaxed);
        Ok(month)
    }

    fn everything(
        &self,
        conn: &mut DbConnection,
        period: Period,
        rules: RuleSet,
        version: i64,
        deadline_passed: bool,
    ) -> Result<Arc<Month>, ApiError> {
        let rows = ProjectRow::matching(conn, &ProjectFilter::default(), Sort::default())?;
        let by_id = judged(conn, rows, period, &rules)?
            .into_iter()
            .map(|v| (v.id, Arc::new(v)))
            .collect();
        let m = Arc::new(Month::new(
            period,
            rules,
            version,
            deadline_passed,
            by_id,
            None,
        ));
        self.keep(m.clone());
        Ok(m)
    }
}
