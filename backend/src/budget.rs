//! 预算: a year's annual plans against 本年完成投资, grouped by district and by category.
//! 本年完成投资 is each project's, by the rule the warnings use (`warnings`, the shared
//! `year_to_date`), taken at December of the year: no report can be for a month to come, so
//! that is every approved report of the year so far, and the answer depends on the data only
//! (a conditional GET).

use std::collections::BTreeMap;

use keyproj_shared::{Budget, BudgetTally, Category, District, Period, ProjectFilter};

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::warnings;

/// The years a budget can be asked for: those a plan may be entered for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2020..=2030;

pub fn of_year(conn: &mut DbConnection, year: i32) -> Result<Budget, ApiError> {
    let as_of = Period::new(year, 12)
        .ok_or_else(|| ApiError::field("year", "年份应在 2020 到 2030 之间"))?;
    let rules = warnings::current_rules(conn)?;
    let judged = warnings::for_filter(conn, &ProjectFilter::default(), as_of, &rules)?;
    // districts in the plan's order (their enum order), unassigned last; categories likewise
    let mut districts: BTreeMap<(usize, String), (String, BudgetTally)> = BTreeMap::new();
    let mut categories: BTreeMap<usize, (Category, BudgetTally)> = BTreeMap::new();
    let mut total = BudgetTally::default();
    for j in &judged {
        let Some(planned) = j.year_to_date.planned else {
            continue;
        };
        let completed = j.year_to_date.completed;
        let (key, label) = warnings::district_of(&j.project);
        let order = District::ALL
            .iter()
            .position(|d| d.key() == key)
            .unwrap_or(District::ALL.len());
        districts
            .entry((order, key))
            .or_insert_with(|| (label, BudgetTally::default()))
            .1
            .add(planned, completed);
        let category = j.project.category.parse::<Category>().map_err(|_| {
            ApiError::internal(anyhow::anyhow!(
                "stored category {:?} is unknown",
                j.project.category
            ))
        })?;
        let order = Category::ALL
            .iter()
            .position(|c| *c == category)
            .unwrap_or(Category::ALL.len());
        categories
            .entry(order)
            .or_insert_with(|| (category, BudgetTally::default()))
            .1
            .add(planned, completed);
        total.add(planned, completed);
    }
    let overflow = || ApiError::internal(anyhow::anyhow!("budget sum overflow"));
    Ok(Budget {
        year,
        as_of: as_of.to_string(),
        by_district: districts
            .into_iter()
            .map(|((_, key), (label, t))| t.finish(&key, &label).ok_or_else(overflow))
            .collect::<Result<_, _>>()?,
        by_category: categories
            .into_values()
            .map(|(c, t)| t.finish(c.key(), c.label()).ok_or_else(overflow))
            .collect::<Result<_, _>>()?,
        total: total.finish("total", "合计").ok_or_else(overflow)?,
    })
}
