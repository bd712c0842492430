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

use crate::catalog::by_warning;
use crate::clock;
use crate::db::{DbConnection, data_version};
use crate::error::ApiError;
use crate::models::project::{ProjectRow, Sums};
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
    /// The project's figures as the list sums them (count 1), so the list filtered by
    /// colour can total its matches without loading their rows.
    pub sums: Sums,
}

impl Verdict {
    fn of(j: warnings::Judged) -> Verdict {
        let (district, _) = warnings::district_of(&j.project);
        let gap = j
            .warnings
            .iter()
            .find(|w| w.rule == RuleId::InvestmentLag)
            .and_then(|w| w.gap);
        let sums = by_warning::sums(std::iter::once(&j.project));
        Verdict {
            sums,
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

/// How many projects of one (district, category) cell have each colour: red, yellow, green,
/// none (`ColourCount`'s order). Kept with the verdicts and moved with every re-judged
/// project, so the colour counts cost O(cells), not O(projects).
pub type Tally = [u64; 4];

pub fn slot(colour: Option<Level>) -> usize {
    match colour {
        Some(Level::Red) => 0,
        Some(Level::Yellow) => 1,
        Some(Level::Green) => 2,
        Some(Level::Info) | None => 3,
    }
}

/// The counts of every (district key, category key) cell that has a project.
pub type Cells = HashMap<(String, String), Tally>;

/// How many warnings of each (level, rule) a cell's projects have: the 预警 list's totals
/// (the dashboard's tiles) without a walk.
type WarningCells = HashMap<(String, String), HashMap<(Level, RuleId), u64>>;

/// Adds `v` to the counts (`by` 1) or takes it out (`by` -1).
fn count(cells: &mut Cells, warnings: &mut WarningCells, v: &Verdict, add: bool) {
    let key = (v.district.clone(), v.category.clone());
    let move_by = |n: &mut u64| *n = if add { *n + 1 } else { n.saturating_sub(1) };
    move_by(&mut cells.entry(key.clone()).or_default()[slot(v.colour)]);
    let per_rule = warnings.entry(key).or_default();
    for w in &v.warnings {
        move_by(per_rule.entry((w.level, w.rule)).or_default());
    }
}

/// Verdicts changed since `base` was built: `None` for a project gone. Folded into a new
/// base once it holds more than this many, so an update costs O(changes) amortised, not a
/// copy of 100,000 entries.
const OVERLAY_MAX: usize = 4_096;

/// Every project's verdicts for one month.
#[derive(Debug)]
pub struct Month {
    pub period: Period,
    pub rules: RuleSet,
    data_version: i64,
    deadline_passed: bool,
    base: Arc<HashMap<i32, Arc<Verdict>>>,
    overlay: HashMap<i32, Option<Arc<Verdict>>>,
    /// Every project's id, by code: shared with the next version while no code changes.
    by_code: Arc<Vec<i32>>,
    cells: Cells,
    warning_cells: WarningCells,
    last_used: AtomicU64,
}

impl Month {
    fn new(
        period: Period,
        rules: RuleSet,
        data_version: i64,
        deadline_passed: bool,
        all: HashMap<i32, Arc<Verdict>>,
    ) -> Month {
        let mut cells = Cells::new();
        let mut warning_cells = WarningCells::new();
        for v in all.values() {
            count(&mut cells, &mut warning_cells, v, true);
        }
        let mut month = Month {
            period,
            rules,
            data_version,
            deadline_passed,
            base: Arc::new(all),
            overlay: HashMap::new(),
            by_code: Arc::new(Vec::new()),
            cells,
            warning_cells,
            last_used: AtomicU64::new(0),
        };
        month.by_code = month.order_by_code();
        month
    }

    fn order_by_code(&self) -> Arc<Vec<i32>> {
        let mut all: Vec<&Arc<Verdict>> = self.all().collect();
        all.sort_by(|a, b| a.code.cmp(&b.code));
        Arc::new(all.into_iter().map(|v| v.id).collect())
    }

    /// Every verdict, in no order.
    fn all(&self) -> impl Iterator<Item = &Arc<Verdict>> {
        self.base
            .iter()
            .filter(|(id, _)| !self.overlay.contains_key(id))
            .map(|(_, v)| v)
            .chain(self.overlay.values().flatten())
    }

    /// This month at `version` with the projects of `ids` judged again (`fresh`: those of
    /// them that still exist), the counts moved by what changed.
    fn with(&self, version: i64, ids: &[i32], fresh: Vec<Verdict>) -> Month {
        let mut overlay = self.overlay.clone();
        let mut cells = self.cells.clone();
        let mut warning_cells = self.warning_cells.clone();
        let mut codes_moved = false;
        for id in ids {
            if let Some(old) = self.get(*id) {
                count(&mut cells, &mut warning_cells, old, false);
            }
            overlay.insert(*id, None);
        }
        for v in fresh {
            count(&mut cells, &mut warning_cells, &v, true);
            codes_moved |= self.get(v.id).is_none_or(|old| old.code != v.code);
            overlay.insert(v.id, Some(Arc::new(v)));
        }
        codes_moved |= ids
            .iter()
            .any(|id| self.get(*id).is_some() && overlay.get(id).is_some_and(Option::is_none));
        let mut base = self.base.clone();
        if overlay.len() > OVERLAY_MAX {
            let mut all = (*base).clone();
            for (id, v) in overlay.drain() {
                match v {
                    Some(v) => all.insert(id, v),
                    None => all.remove(&id),
                };
            }
            base = Arc::new(all);
        }
        let mut month = Month {
            period: self.period,
            rules: self.rules.clone(),
            data_version: version,
            deadline_passed: self.deadline_passed,
            base,
            overlay,
            by_code: self.by_code.clone(),
            cells,
            warning_cells,
            last_used: AtomicU64::new(0),
        };
        if codes_moved {
            month.by_code = month.order_by_code();
        }
        month
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
                .filter_map(|id| self.get(*id).cloned())
                .collect());
        }
        crate::catalog::check_filter(conn, filter)?;
        let mut out: Vec<Arc<Verdict>> = ProjectRow::matching_ids(conn, filter)?
            .into_iter()
            .filter_map(|id| self.get(id).cloned())
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(out)
    }

    /// Every project's id, by code.
    pub fn ids_by_code(&self) -> &[i32] {
        &self.by_code
    }

    pub fn get(&self, id: i32) -> Option<&Arc<Verdict>> {
        match self.overlay.get(&id) {
            Some(v) => v.as_ref(),
            None => self.base.get(&id),
        }
    }

    /// How many warnings of `level` and `rule` (either, when `None`) the projects matching
    /// `filter` have, from the cells, when the filter is on district and category only.
    pub fn warning_total(
        &self,
        filter: &ProjectFilter,
        level: Option<Level>,
        rule: Option<RuleId>,
    ) -> Option<u64> {
        let cells = self.cells_for(filter)?;
        Some(
            cells
                .filter_map(|(d, c, _)| self.warning_cells.get(&(d.to_string(), c.to_string())))
                .flat_map(|per_rule| per_rule.iter())
                .filter(|((l, r), _)| level.is_none_or(|x| x == *l) && rule.is_none_or(|x| x == *r))
                .map(|(_, n)| n)
                .sum(),
        )
    }

    /// The colour counts of every (district, category) cell, when `filter` is on those two
    /// dimensions only (else `None`: the caller walks the matching verdicts).
    pub fn cells_for(
        &self,
        filter: &ProjectFilter,
    ) -> Option<impl Iterator<Item = (&str, &str, &Tally)>> {
        let on_cells = ProjectFilter {
            district: filter.district,
            category: filter.category,
            ..ProjectFilter::default()
        };
        if on_cells != *filter {
            return None;
        }
        let district = filter.district.map(|d| d.key());
        let category = filter.category.map(|c| c.key());
        Some(self.cells.iter().filter_map(move |((d, c), t)| {
            (district.is_none_or(|k| k == d) && category.is_none_or(|k| k == c)).then_some((
                d.as_str(),
                c.as_str(),
                t,
            ))
        }))
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
                    let rows = ProjectRow::by_ids(conn, &ids)?;
                    let fresh = judged(conn, rows, period, &rules)?;
                    let m = Arc::new(Month {
                        rules,
                        ..m.with(version, &ids, fresh)
                    });
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
        let all = judged(conn, rows, period, &rules)?
            .into_iter()
            .map(|v| (v.id, Arc::new(v)))
            .collect();
        let m = Arc::new(Month::new(period, rules, version, deadline_passed, all));
        self.keep(m.clone());
        Ok(m)
    }
}
