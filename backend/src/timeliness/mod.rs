//! 报送情况 (催报): per month, each owner organisation's projects as reported on time, late or
//! not at all; the organisations ranked by their on-time rate; and what an owner still has
//! to report. The rule itself (deadline, which submission counts) is
//! `keyproj_shared::timeliness`; this module gathers the facts and applies it.
//!
//! Who may read: planners, finance and admins see every organisation; an owner sees only
//! their own organisation's projects in the month view and the due list, and the ranking
//! whole (it holds counts only, as a 通报 does).
//!
//! Which projects must report for a month: every project, from the first month shown,
//! until the month finance first approved a report saying 已竣工 (that month included).

pub mod export;

use std::collections::{HashMap, HashSet};

use keyproj_shared::timeliness::{
    TIE_RULE, add_months, counting_submission, last_month_over, months, ranking_order, rate,
};
use keyproj_shared::{
    CalendarDate, DueList, DueMonth, DueProject, DueRule, Period, Ranking, RankingEntry,
    RankingQuery, Role, Timeliness, TimelinessCounts, TimelinessMonth, TimelinessOrganisation,
    TimelinessProject, TimelinessQuery,
};

use crate::auth::AuthUser;
use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::models::organisation::OrganisationRow;
use crate::models::timeliness::{ApprovedRow, ProjectName, SubmissionRow};

/// How far back an owner's due list looks for months not reported.
const DUE_LOOKBACK_MONTHS: i32 = 12;

/// What the answers are made of, for a run of months.
struct Facts {
    rule: DueRule,
    now: String,
    projects: Vec<ProjectName>,
    organisations: Vec<OrganisationRow>,
    /// organisation id → its projects' ids, in code order
    members: HashMap<i32, Vec<i32>>,
    /// project id → the first month approved as 已竣工
    ended: HashMap<i32, String>,
    /// (project id, month) → the counting submission's (time, report id)
    counted: HashMap<(i32, String), (String, i32)>,
}

fn today(now: chrono::DateTime<chrono::Utc>) -> Result<CalendarDate, ApiError> {
    clock::today_in_china(now)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the clock is outside 1900-2100")))
}

impl Facts {
    fn load(conn: &mut DbConnection, from: Period, until: Period) -> Result<Facts, ApiError> {
        let clock_now = clock::now();
        let projects = ProjectName::all(conn)?;
        let order: HashMap<i32, usize> = projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id, i))
            .collect();
        let mut members: HashMap<i32, Vec<i32>> = HashMap::new();
        for link in OrganisationRow::all_links(conn)? {
            let list = members.entry(link.organisation_id).or_default();
            if !list.contains(&link.project_id) {
                list.push(link.project_id);
            }
        }
        for list in members.values_mut() {
            list.sort_by_key(|id| order.get(id).copied().unwrap_or(usize::MAX));
        }
        let ended = ApprovedRow::first_completed(conn)?
            .into_iter()
            .filter_map(|(id, p)| Some((id, p?)))
            .collect();
        let mut by_month: HashMap<(i32, String), Vec<SubmissionRow>> = HashMap::new();
        for s in SubmissionRow::between(conn, &from.to_string(), &until.to_string())? {
            by_month
                .entry((s.project_id, s.period.clone()))
                .or_default()
                .push(s);
        }
        let counted = by_month
            .into_iter()
            .filter_map(|(key, subs)| {
                let at = counting_submission(
                    subs.iter().map(|s| (s.submitted_at.as_str(), s.returned())),
                )?;
                let id = subs.iter().find(|s| s.submitted_at == at)?.id;
                Some((key, (at.to_string(), id)))
            })
            .collect();
        Ok(Facts {
            rule: DueRule::default(),
            now: clock::stamp(clock_now),
            projects,
            organisations: OrganisationRow::all(conn)?,
            members,
            ended,
            counted,
        })
    }

    /// Whether a project must report for the month.
    fn expected(&self, project_id: i32, period: Period) -> bool {
        self.ended
            .get(&project_id)
            .is_none_or(|end| period.to_string() <= *end)
    }

    fn status(&self, project_id: i32, period: Period) -> (Timeliness, Option<&(String, i32)>) {
        let counted = self.counted.get(&(project_id, period.to_string()));
        let status = self
            .rule
            .classify(period, counted.map(|(at, _)| at.as_str()), &self.now);
        (status, counted)
    }

    fn project(&self, id: i32) -> Option<&ProjectName> {
        self.projects.iter().find(|p| p.id == id)
    }

    /// The organisations the caller may see, each with its projects.
    fn visible(&self, user: &AuthUser) -> Result<Vec<(&OrganisationRow, &[i32])>, ApiError> {
        let own = own_organisation(user)?;
        Ok(self
            .organisations
            .iter()
            .filter(|o| own.is_none_or(|id| id == o.id))
            .filter_map(|o| {
                let m = self.members.get(&o.id)?;
                (!m.is_empty()).then_some((o, m.as_slice()))
            })
            .collect())
    }
}

/// An owner's organisation id (`None`: the caller sees every organisation).
fn own_organisation(user: &AuthUser) -> Result<Option<i32>, ApiError> {
    match (user.role, &user.organisation) {
        (Role::Owner, Some(o)) => Ok(Some(o.id)),
        (Role::Owner, None) => Err(ApiError::Forbidden(
            "此建设单位账号未关联单位，不能查看报送情况".to_string(),
        )),
        _ => Ok(None),
    }
}

fn not_in_future(field: &str, p: Period, today: CalendarDate) -> Result<(), ApiError> {
    if p > today.period() {
        return Err(ApiError::field(
            field,
            format!(
                "{p} 尚未到来：只能查看本月（{}）及以前的月份",
                today.period()
            ),
        ));
    }
    Ok(())
}

fn missing_clock() -> ApiError {
    ApiError::internal(anyhow::anyhow!(
        "a month next to a valid one is out of range"
    ))
}

/// 报送情况 for one month.
pub fn month(
    conn: &mut DbConnection,
    user: &AuthUser,
    q: &TimelinessQuery,
) -> Result<TimelinessMonth, ApiError> {
    let today = today(clock::now())?;
    let period = match q.period {
        Some(p) => p,
        None => add_months(today.period(), -1).ok_or_else(missing_clock)?,
    };
    not_in_future("period", period, today)?;
    let facts = Facts::load(conn, period, period)?;
    let rule = facts.rule;
    let mut totals = TimelinessCounts::default();
    let mut seen = HashSet::new();
    let mut organisations = Vec::new();
    for (org, members) in facts.visible(user)? {
        let mut counts = TimelinessCounts::default();
        let mut projects = Vec::new();
        for &id in members.iter().filter(|&&id| facts.expected(id, period)) {
            let Some(p) = facts.project(id) else { continue };
            let (status, counted) = facts.status(id, period);
            counts.add(status);
            if seen.insert(id) {
                totals.add(status);
            }
            projects.push(TimelinessProject {
                code: p.code.clone(),
                name: p.name.clone(),
                status,
                submitted_at: counted.map(|(at, _)| at.clone()),
                report_id: counted.map(|(_, id)| i64::from(*id)),
            });
        }
        if !projects.is_empty() {
            organisations.push(TimelinessOrganisation {
                id: i64::from(org.id),
                name: org.name.clone(),
                counts,
                projects,
            });
        }
    }
    Ok(TimelinessMonth {
        period: period.to_string(),
        due_date: rule
            .due_date(period)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        late_from: rule.late_from(period).unwrap_or_default(),
        deadline_label: rule.label(period),
        over: rule.is_over(period, &facts.now),
        totals,
        organisations,
    })
}

/// Organisations by on-time rate over `q.months` months ending with `q.until`.
pub fn ranking(conn: &mut DbConnection, q: &RankingQuery) -> Result<Ranking, ApiError> {
    let clock_now = clock::now();
    let now = clock::stamp(clock_now);
    let today = today(clock_now)?;
    let rule = DueRule::default();
    let until = match q.until {
        Some(p) => p,
        None => last_month_over(rule, today, &now).ok_or_else(missing_clock)?,
    };
    not_in_future("until", until, today)?;
    let span = i32::try_from(q.months).map_err(ApiError::internal)?;
    let from = add_months(until, 1 - span).ok_or_else(|| {
        ApiError::field(
            "months",
            format!("{until} 往前 {span} 个月超出了可选的年份"),
        )
    })?;
    let facts = Facts::load(conn, from, until)?;
    let over: Vec<Period> = months(from, until)
        .into_iter()
        .filter(|m| rule.is_over(*m, &facts.now))
        .collect();
    let mut items: Vec<RankingEntry> = facts
        .organisations
        .iter()
        .filter_map(|o| Some((o, facts.members.get(&o.id).filter(|m| !m.is_empty())?)))
        .map(|(o, members)| {
            let mut c = TimelinessCounts::default();
            for &id in members {
                for &m in over.iter().filter(|&&m| facts.expected(id, m)) {
                    c.add(facts.status(id, m).0);
                }
            }
            RankingEntry {
                rank: 0,
                id: i64::from(o.id),
                name: o.name.clone(),
                projects: members.len() as u64,
                expected: c.projects,
                on_time: c.on_time,
                late: c.late,
                not_reported: c.not_reported,
                on_time_rate_pct: rate(c.on_time, c.projects),
            }
        })
        .collect();
    items.sort_by(ranking_order);
    for (i, e) in items.iter_mut().enumerate() {
        e.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    Ok(Ranking {
        from: from.to_string(),
        until: until.to_string(),
        months_over: over.iter().map(ToString::to_string).collect(),
        tie_rule: TIE_RULE.to_string(),
        items,
    })
}

/// What the caller's organisation (every project, for the other roles) still has to
/// report: months of the last twelve that are over without a report, and months still open.
pub fn due(conn: &mut DbConnection, user: &AuthUser) -> Result<DueList, ApiError> {
    let clock_now = clock::now();
    let now = clock::stamp(clock_now);
    let today = today(clock_now)?;
    let rule = DueRule::default();
    let last_over = last_month_over(rule, today, &now).ok_or_else(missing_clock)?;
    let from = add_months(last_over, 1 - DUE_LOOKBACK_MONTHS).ok_or_else(missing_clock)?;
    let facts = Facts::load(conn, from, today.period())?;
    let mut ids: Vec<i32> = facts
        .visible(user)?
        .into_iter()
        .flat_map(|(_, members)| members.iter().copied())
        .collect::<HashSet<i32>>()
        .into_iter()
        .collect();
    let order: HashMap<i32, usize> = facts
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    ids.sort_by_key(|id| order.get(id).copied().unwrap_or(usize::MAX));
    let window = months(from, today.period());
    let mut next: Option<Period> = None;
    let mut projects = Vec::new();
    for id in ids {
        let Some(p) = facts.project(id) else { continue };
        let mut overdue = Vec::new();
        let mut open = Vec::new();
        for &m in window.iter().filter(|&&m| facts.expected(id, m)) {
            match facts.status(id, m).0 {
                Timeliness::NotReported => overdue.push(m.to_string()),
                Timeliness::Due => {
                    next = Some(next.map_or(m, |n| n.min(m)));
                    open.push(DueMonth::of(rule, m));
                }
                Timeliness::OnTime | Timeliness::Late => {}
            }
        }
        projects.push(DueProject {
            code: p.code.clone(),
            name: p.name.clone(),
            overdue,
            open,
        });
    }
    Ok(DueList {
        today: today.to_string(),
        next_deadline: next.map(|m| DueMonth::of(rule, m)),
        projects,
    })
}
