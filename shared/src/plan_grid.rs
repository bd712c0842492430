//! The 年度计划 grid (`GET /api/plans?year=`): one row per project whose span includes the
//! year, with its current plan for that year and last year's beside it.

use crate::money::Money;
use crate::plan::AnnualPlan;
use crate::wire::wire;

wire! {
    /// A project's row of the grid.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PlanGridRow {
        pub code: String,
        pub name: String,
        /// 总投资, 万元
        pub total_investment: Money,
        /// "十四五"计划投资, 万元
        pub planned_investment: Money,
        /// The project's span within 2020-2030: the years a plan may be for.
        pub first_year: i32,
        pub last_year: i32,
        /// The current plan for the year; `None` when none is entered yet.
        pub plan: Option<AnnualPlan>,
        /// The current plan's version, 0 when there is none.
        pub version: i32,
        /// What `PUT /api/projects/{code}/plans/{year}` needs as `If-Match` to write this row
        /// (`"plan-{code}-{year}-v0"` when there is no plan yet).
        pub etag: String,
        /// The current plan for the year before, for comparison.
        pub previous_year_plan: Option<AnnualPlan>,
    }
}

wire! {
    /// A page of the grid, in the project list's default order (by code).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PlanGrid {
        pub year: i32,
        pub items: Vec<PlanGridRow>,
        /// How many projects match in all.
        pub total: u64,
        pub page: u32,
        pub per_page: u32,
    }
}
