//! A key project as the API shows it.

use crate::money::{Money, Percent};
use crate::report::ApprovedProgress;
use crate::schedule::ScheduleDate;
use crate::vocab::{Category, District, Nature};
use crate::wire::wire;

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Owner {
        pub id: i64,
        pub name: String,
    }
}

wire! {
    /// Why a project has the district it has (docs/district-rule.md).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum DistrictBasis {
        /// The project name names the district.
        ProjectName = "project_name",
        /// The name does not, but an owner's name does.
        OwnerName = "owner_name",
        /// Neither names a district, and the project or its owner is a municipal (湘潭市) body.
        MunicipalBody = "municipal_body",
        /// The source does not say; the project is left unassigned.
        Unassigned = "unassigned",
        /// A planner set it (the note says who, when and why).
        Edited = "edited",
    }
}

impl DistrictBasis {
    pub const fn label(self) -> &'static str {
        match self {
            DistrictBasis::ProjectName => "依据项目名称",
            DistrictBasis::OwnerName => "依据建设主体名称",
            DistrictBasis::MunicipalBody => "市直单位或市级项目",
            DistrictBasis::Unassigned => "原表未载明县市区",
            DistrictBasis::Edited => "规划人员修改",
        }
    }
}

wire! {
    /// One row of the project list.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ProjectItem {
        /// Stable code: category letter and 序号, e.g. `B09`.
        pub code: String,
        pub category: Category,
        /// 序号 within its category.
        pub serial: i32,
        pub name: String,
        pub nature: Nature,
        /// 建设性质 exactly as printed, e.g. `新建或续建`.
        pub nature_published: String,
        pub owners: Vec<Owner>,
        /// `None` where the source does not place the project.
        pub district: Option<District>,
        pub start: ScheduleDate,
        pub end: ScheduleDate,
        /// 总投资(万元)
        pub total_investment: Money,
        /// "十四五"计划投资(万元)
        pub planned_investment: Money,
        /// 社会投资占比(%); `None` where the table is empty.
        pub social_share_pct: Option<Percent>,
        /// total × share, rounded half away from zero to 0.01 万元; `None` with no share.
        pub social_investment: Option<Money>,
        /// 备注
        pub remarks: Option<String>,
        /// The row has at least one reconciliation finding.
        pub has_findings: bool,
        /// The latest approved progress report's figures; `None` until finance approves one.
        #[serde(default)]
        pub approved: Option<ApprovedProgress>,
    }
}

wire! {
    /// Every column exactly as the table prints it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PublishedRow {
        pub serial: String,
        pub name: String,
        pub nature: String,
        pub owner: String,
        pub content: String,
        pub start_year: String,
        pub end_year: String,
        pub total_investment: String,
        pub planned_investment: String,
        pub social_share: String,
        pub remarks: String,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ProjectDetail {
        #[serde(flatten)]
        pub item: ProjectItem,
        /// 主要建设内容和规模, in full, line breaks kept.
        pub content: String,
        pub category_label: String,
        pub district_basis: DistrictBasis,
        /// How the rule applied to this row, in words.
        pub district_note: String,
        /// 总投资 − 计划投资: what lies outside 2021-2025.
        pub outside_plan_investment: Money,
        /// 总投资 − social investment.
        pub government_investment: Money,
        /// Every cell as published, never changed: the current values above may differ after
        /// a planner's edit (see the project's audit trail for who changed what and why).
        pub published: PublishedRow,
        pub findings: Vec<Finding>,
        /// Master-data version: it changes with every edit (not with report approvals).
        #[serde(default)]
        pub version: i64,
        /// Send this back as `If-Match` with `PATCH /api/projects/{code}`, e.g. `"p12-v3"`.
        #[serde(default)]
        pub etag: String,
    }
}

wire! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum FindingKind {
        /// The published subtotal of the project's category differs from the sum of its rows.
        CategorySubtotalMismatch = "category_subtotal_mismatch",
        /// The row's own content text states an amount its 总投资 does not carry.
        TextContradictsAmount = "text_contradicts_amount",
        /// The schedule and the amount planned for 2021-2025 do not agree, e.g. a project built
        /// wholly within 2021-2025 whose planned amount is below its total.
        PlannedDiffersFromSchedule = "planned_differs_from_schedule",
        /// The project's annual plans for 2021-2025 are all entered and do not add up to its
        /// "十四五"计划投资.
        AnnualPlansDifferFromPlanned = "annual_plans_differ_from_planned",
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Finding {
        pub kind: FindingKind,
        pub message: String,
    }
}

wire! {
    /// Sums over a set of projects, all exact.
    #[derive(Debug, Clone, PartialEq, Eq, Default)]
    pub struct Totals {
        pub count: u64,
        pub total_investment: Money,
        pub planned_investment: Money,
        pub social_investment: Money,
        /// social ÷ total; `None` when the total is zero.
        pub social_share_pct: Option<Percent>,
        /// 累计完成投资 by the latest approved report of each project; submitted or returned
        /// reports never count.
        #[serde(default)]
        pub investment_completed: Money,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ProjectPage {
        pub items: Vec<ProjectItem>,
        /// Matching projects over all pages.
        pub total: u64,
        /// The page number asked for; `null` when the page was reached by `cursor`.
        pub page: Option<u32>,
        pub per_page: u32,
        /// Pass as `cursor` for the page after this one (keyset paging, same filters and sort);
        /// `null` on the last page.
        #[serde(default)]
        pub next_cursor: Option<String>,
        /// Over the whole filtered set, not just this page.
        pub totals: Totals,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SummaryGroup {
        pub key: String,
        pub label: String,
        pub count: u64,
        pub total_investment: Money,
        pub planned_investment: Money,
        pub social_investment: Money,
        pub social_share_pct: Option<Percent>,
        /// 累计完成投资 of the group: each project's latest approved report only.
        #[serde(default)]
        pub investment_completed: Money,
        /// Projects in this group whose grouping date is a range (year groups only).
        #[serde(default)]
        pub approximate_count: u64,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Summary {
        pub group_by: String,
        pub groups: Vec<SummaryGroup>,
        pub total: Totals,
    }
}

wire! {
    /// count, 总投资, 计划投资: the three figures the published subtotal rows carry.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PublishedFigures {
        /// The label as printed, e.g. `二、老年人福利类项目(50个)`.
        pub label: String,
        pub count: u64,
        pub total_investment: Money,
        pub planned_investment: Money,
        /// The amount cells as printed, e.g. `7205.8`.
        pub total_investment_text: String,
        pub planned_investment_text: String,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Difference {
        /// computed − published
        pub count: i64,
        pub total_investment: Money,
        pub planned_investment: Money,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReconciliationRow {
        /// `total` for the 总计 row, else the category key.
        pub scope: String,
        pub category: Option<Category>,
        pub published: PublishedFigures,
        pub computed: Totals,
        pub difference: Difference,
        pub matches: bool,
        /// For the 总计 row: the sum of the five published category rows, which shows whether
        /// the printed total follows the printed subtotals or the project rows.
        pub sum_of_published_categories: Option<Difference>,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct TextContradiction {
        pub code: String,
        pub name: String,
        /// The words in 主要建设内容和规模 that state an amount, e.g. `预计总投资7亿元`.
        pub stated_text: String,
        pub stated_amount: Money,
        pub total_investment: Money,
        /// total_investment − stated_amount
        pub difference: Money,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Reconciliation {
        pub rows: Vec<ReconciliationRow>,
        pub contradictions: Vec<TextContradiction>,
        /// Projects whose annual plans for 2021-2025 are all entered and add up to another
        /// amount than "十四五"计划投资.
        #[serde(default)]
        pub plan_mismatches: Vec<PlanMismatch>,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PlanMismatch {
        pub code: String,
        pub name: String,
        /// The sum of the current annual plans of 2021-2025.
        pub plans_total: Money,
        /// "十四五"计划投资
        pub planned_investment: Money,
        /// plans_total − planned_investment
        pub difference: Money,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Health {
        pub status: String,
        pub projects: u64,
        /// Whether the database holds the made-up annual plans and reports `--demo` loads
        /// (then every page shows a banner saying so).
        #[serde(default)]
        pub sample_data: bool,
    }
}

wire! {
    /// One cell of the district × category pivot.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PivotCell {
        /// A district key, or `unassigned`.
        pub district: String,
        pub category: Category,
        pub totals: Totals,
    }
}

wire! {
    /// 县市区 × 类别: rows are districts, columns categories, each with its totals.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Pivot {
        /// One per district present in the filtered set, in the plan's order; `unassigned` last.
        pub rows: Vec<SummaryGroup>,
        /// One per category present, A to E.
        pub columns: Vec<SummaryGroup>,
        /// Only the non-empty cells.
        pub cells: Vec<PivotCell>,
        pub total: Totals,
    }
}
