//! A project's year month by month (`ProjectProgress`): each month judged by the warning
//! rules with the reports up to that month (`warnings::for_project`), so the project page's
//! planned-against-actual chart shows exactly the figures and colours the warnings give.

use keyproj_shared::progress::plan_due;
use keyproj_shared::{Period, ProgressMonth, ProjectProgress};

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::warnings;

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
    for m in 1..=12 {
        let month = Period::new(year, m)
            .ok_or_else(|| ApiError::field("period", "应为年月，格式 YYYY-MM，如 2025-06"))?;
        let (rules, judged) = warnings::for_project(conn, code, month)?;
        let ytd = &judged.year_to_date;
        out.code = judged.project.code.clone();
        out.rule_set_version = rules.version;
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
            colour: warnings::colour(&judged.warnings).filter(|_| judged_month),
        });
    }
    out.months = months;
    Ok(out)
}
