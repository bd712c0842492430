//! keyproj's wire contract: the types the REST API sends and the SPA reads, with their
//! validation. No I/O lives here, and it builds for wasm32.

pub mod account;
pub mod address;
pub mod audit;
pub mod budget;
pub mod dates;
pub mod edit;
pub mod evaluation;
pub mod money;
pub mod owners;
pub mod plan;
pub mod plan_grid;
pub mod plan_import;
pub mod problem;
pub mod progress;
pub mod project;
pub mod query;
pub mod report;
pub mod report_import;
pub mod review;
pub mod route;
pub mod schedule;
pub mod text;
pub mod timeliness;
pub mod vocab;
pub mod warning;
pub mod wire;

pub use account::*;
pub use audit::{AUDIT_ENTITIES, AuditEntry, AuditPage};
pub use budget::{Budget, BudgetGroup, BudgetTally};
pub use dates::{CalendarDate, Period};
pub use edit::{NOTHING_TO_CHANGE, PROJECT_EDIT_FIELDS, ProjectChanges, ProjectEdit};
pub use evaluation::{Evaluation, EvaluationGroup, EvaluationProject, Outcome, OutcomeCounts};
pub use money::{DecimalError, Money, Percent};
pub use owners::OwnerNames;
pub use plan::{
    AnnualPlan, Milestone, MilestoneBody, MilestoneKind, PLAN_FIELDS, PlanBody, PlanContext,
    PlanValues, ProjectPlans, plan_etag,
};
pub use plan_grid::{PlanGrid, PlanGridRow};
pub use plan_import::{
    PLAN_IMPORT_COLUMNS, PLAN_SHEET, PlanImportResult, PlanImportRow, PlanRowAction,
    plan_import_column,
};
pub use problem::{FieldError, MAX_LISTED_ERRORS, PROBLEM_CONTENT_TYPE, Problem};
pub use progress::{ProgressMonth, ProjectProgress};
pub use project::*;
pub use query::{
    AuditQuery, ColourFilter, DistrictFilter, ExportQuery, GroupBy, ListQuery, PlanGridQuery,
    ProjectFilter, RankingQuery, ReportQuery, Sort, SortColumn, StatusFilter, SummaryQuery,
    TimelinessQuery, WarningQuery,
};
pub use report::{
    ApprovedProgress, REPORT_FIELDS, Report, ReportBody, ReportContext, ReportList, ReportPage,
    ReportValues, ReturnRequest, SERVER_SET_FIELDS, UserRef, etag,
};
pub use report_import::{
    CellError, IMPORT_COLUMNS, ImportColumn, ImportResult, ImportRow, MAX_IMPORT_FILE_BYTES,
    MAX_IMPORT_INFLATED_BYTES, MAX_IMPORT_ROWS, RowAction, column_letter, import_column,
};
pub use review::{
    PreviousApproval, ReviewChange, ReviewContext, ReviewNote, ReviewNoteKind, ReviewVerdict,
    VerdictChange,
};
pub use route::{ACCOUNT_BUNDLE, AppRoute, Bundle};
pub use schedule::ScheduleDate;
pub use timeliness::{
    DueList, DueMonth, DueProject, DueRule, Ranking, RankingEntry, Timeliness, TimelinessCounts,
    TimelinessMonth, TimelinessOrganisation, TimelinessProject,
};
pub use vocab::{
    Category, District, Nature, ProgressStatus, ReportState, Role, UNASSIGNED_KEY, UNASSIGNED_LABEL,
};
pub use warning::{
    ColourCount, LagMode, Level, ProjectWarnings, RULE_SET_FIELDS, RuleId, RuleSet, RuleSetBody,
    Warning, WarningPage, WarningSummary, YearToDate,
};

impl Totals {
    /// Adds up rows given as (总投资, 计划投资, social investment), exactly.
    pub fn from_rows<I>(rows: I) -> Option<Totals>
    where
        I: IntoIterator<Item = (Money, Money, Option<Money>)>,
    {
        let mut t = Totals::default();
        for (total, planned, social) in rows {
            t.count += 1;
            t.total_investment = t.total_investment.checked_add(total)?;
            t.planned_investment = t.planned_investment.checked_add(planned)?;
            t.social_investment = t
                .social_investment
                .checked_add(social.unwrap_or(Money::ZERO))?;
        }
        t.social_share_pct = Percent::ratio(t.social_investment, t.total_investment);
        Some(t)
    }
}
