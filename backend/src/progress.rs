//! A project's year month by month (`ProjectProgress`): each month judged by the warning
//! rules with the reports up to that month (`warnings::Gathered`, read once for the year), so the project page's
//! planned-against-actual chart shows exactly the figures and colours the warnings give.

use keyproj_shared::progress::plan_due;
use keyproj_shared::{Period, ProgressMonth, ProjectProgress};

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::warnings::{self, Gathered};
use crate::{clock, plans};

/// Every month of `period`'s year. Months after `period` carry the plan only: what was
/// reported later is not "as of" the month asked for.
pub fn of_project(
    conn: &mut DbConnection,
    code: &str,
    period: Period,
) -> Result<ProjectProgress, ApiError> {
    let year = period.year();
    let mut months = Vec::with_capacity(12);
    let mut out = ProjectProgress {
        code: code.to_string(),
        year,
        period: period.to_string(),
        rule_set_version: 0,
        planned: None,
        baseline: None,
        months: Vec::new(),
    };
    let bad_month = || ApiError::field("period", "应为年月，格式 YYYY-MM，如 2025-06");
    let rules = warnings::current_rules(conn)?;
    let project = plans::find_project(conn, code)?;
    // the year's facts read once; each month reads the reports up to it
    let gathered = Gathered::of(
        conn,
        std::slice::from_ref(&project),
        Period::new(year, 12).ok_or_else(bad_month)?,
    )?;
    let now = clock::stamp(clock::now());
    out.code = project.code.clone();
    out.rule_set_version = rules.version;
    for m in 1..=12 {
        let month = Period::new(year, m).ok_or_else(bad_month)?;
        let (ytd, judged) = gathered.judge(&project, month, &rules, &now);
        let ytd = &ytd;
        out.planned = ytd.planned;
        let expected_completed = match (ytd.planned, ytd.expected_progress) {
            (Some(planned), Some(share)) => Some(plan_due(planned, share)),
            _ => None,
        };
        let judged_month = month <= period;
        if month == period {
            out.baseline = ytd.baseline;
        }
        months.push(ProgressMonth {
            period: month.to_string(),
            expected_progress: ytd.expected_progress,
            expected_completed,
            cumulative: ytd.cumulative.filter(|_| judged_month),
            completed: ytd.completed.filter(|_| judged_month),
            completion_rate: ytd.completion_rate.filter(|_| judged_month),
            colour: warnings::colour(&judged).filter(|_| judged_month),
        });
    }
    out.months = months;
    Ok(out)
}
