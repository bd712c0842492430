//! The state of the 年度计划 grid (`pages::plan_grid`): its rows as loaded from
//! `GET /api/plans?year=`, the cell with the focus and its draft, and each row's save
//! (`PUT /api/projects/{code}/plans/{year}` with the row's `If-Match`): saving, saved, 412
//! with the current plan, 422 placed at the cells at fault.
//!
//! The grid edits the fields that fit a row; a plan's monthly breakdown and its free-named
//! milestones are carried over unchanged (the workbook and the project page show them).

use std::rc::Rc;

use keyproj_shared::{
    AnnualPlan, FieldError, MilestoneBody, MilestoneKind, Money, Percent, Period, PlanBody,
    PlanGrid, PlanGridQuery, PlanGridRow, ProjectFilter, plan_etag,
};
use yew::prelude::*;

use crate::services::{self, ApiError};

/// The editable fields, in column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Planned,
    Social,
    Baseline,
    Target,
    Start,
    ToppingOut,
    Completion,
    Content,
    OverTotalReason,
}

pub const FIELDS: [Field; 9] = [
    Field::Planned,
    Field::Social,
    Field::Baseline,
    Field::Target,
    Field::Start,
    Field::ToppingOut,
    Field::Completion,
    Field::Content,
    Field::OverTotalReason,
];

/// Columns before the editable ones: 项目, 总投资, "十四五"计划投资, 上年计划投资.
pub const LEADING: usize = 4;
/// Every column: the leading ones, the fields, and 状态.
pub const COLUMNS: usize = LEADING + FIELDS.len() + 1;
pub const STATUS_COL: usize = COLUMNS - 1;
pub const PER_PAGE: u32 = 100;

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Planned => "年度计划投资（万元）",
            Field::Social => "其中社会投资（万元）",
            Field::Baseline => "上年末累计完成投资（万元）",
            Field::Target => "年末形象进度目标（%）",
            Field::Start => "开工（年月）",
            Field::ToppingOut => "主体封顶（年月）",
            Field::Completion => "竣工（年月）",
            Field::Content => "年度建设内容",
            Field::OverTotalReason => "超总投资原因",
        }
    }

    fn milestone(self) -> Option<MilestoneKind> {
        match self {
            Field::Start => Some(MilestoneKind::Start),
            Field::ToppingOut => Some(MilestoneKind::ToppingOut),
            Field::Completion => Some(MilestoneKind::Completion),
            _ => None,
        }
    }

    /// The body field the server names in its errors (milestones by position).
    pub fn wire(self) -> &'static str {
        match self {
            Field::Planned => "planned_investment",
            Field::Social => "social_investment",
            Field::Baseline => "baseline_completed",
            Field::Target => "target_progress_pct",
            Field::Content => "content",
            Field::OverTotalReason => "over_total_reason",
            Field::Start | Field::ToppingOut | Field::Completion => "milestones",
        }
    }

    pub fn numeric(self) -> bool {
        !matches!(self, Field::Content | Field::OverTotalReason)
    }

    /// The text of this field in `plan`, as it is typed.
    pub fn text(self, plan: Option<&AnnualPlan>) -> String {
        let Some(p) = plan else {
            return String::new();
        };
        match self {
            Field::Planned => p.planned_investment.to_string(),
            Field::Social => p.social_investment.to_string(),
            Field::Baseline => p
                .baseline_completed
                .map(|m| m.to_string())
                .unwrap_or_default(),
            Field::Target => p
                .target_progress_pct
                .map(|t| t.to_string())
                .unwrap_or_default(),
            Field::Content => p.content.clone(),
            Field::OverTotalReason => p.over_total_reason.clone().unwrap_or_default(),
            f => f
                .milestone()
                .and_then(|k| p.milestone(k))
                .map(|m| m.to_string())
                .unwrap_or_default(),
        }
    }

    /// What is wrong with `text` on its own, by the rules the server uses.
    pub fn check(self, text: &str, year: i32) -> Option<String> {
        let t = text.trim();
        match self {
            Field::Planned if t.is_empty() => Some("必填".to_string()),
            Field::Planned | Field::Social | Field::Baseline if !t.is_empty() => {
                Money::parse_amount(t).err()
            }
            Field::Target if !t.is_empty() => match t.parse::<Percent>() {
                Ok(p) if (0..=10_000).contains(&p.basis_points()) => None,
                Ok(_) => Some("应在 0 到 100 之间".to_string()),
                Err(e) => Some(format!("{e}：应为 0 到 100 的百分数，如 25 或 25.5")),
            },
            Field::Start | Field::ToppingOut | Field::Completion if !t.is_empty() => {
                match t.parse::<Period>() {
                    Ok(p) if p.year() == year => None,
                    Ok(_) => Some(format!("计划月份应在 {year} 年内")),
                    Err(()) => Some(format!("应为年月，格式 YYYY-MM，如 {year}-03")),
                }
            }
            _ => None,
        }
    }
}

/// Where a row stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Clean,
    Changed,
    Saving,
    Saved(i32),
    /// 412: someone else saved first; their current plan (None: it could not be read).
    Conflict(Option<Box<AnnualPlan>>),
    Invalid,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub grid: PlanGridRow,
    pub values: Vec<String>,
    /// Errors at a field's cell, and errors of the row as a whole (`None`).
    pub errors: Vec<(Option<Field>, String)>,
    pub status: Status,
}

impl Row {
    pub fn new(grid: PlanGridRow) -> Row {
        let values = FIELDS.iter().map(|f| f.text(grid.plan.as_ref())).collect();
        Row {
            grid,
            values,
            errors: Vec::new(),
            status: Status::Clean,
        }
    }

    pub fn error_at(&self, f: Field) -> Option<&str> {
        self.errors
            .iter()
            .find(|(at, _)| *at == Some(f))
            .map(|(_, m)| m.as_str())
    }

    /// The body that saves this row: its cells, and what the grid does not show carried
    /// over from the current plan. Also which milestone position is which field.
    fn body(&self, reason: &str) -> (PlanBody, Vec<Field>) {
        let plan = self.grid.plan.as_ref();
        let value = |f: Field| {
            let i = FIELDS.iter().position(|x| *x == f).unwrap_or_default();
            self.values[i].trim().to_string()
        };
        let optional = |f: Field| Some(value(f)).filter(|v| !v.is_empty());
        let mut milestones = Vec::new();
        let mut positions = Vec::new();
        for f in [Field::Start, Field::ToppingOut, Field::Completion] {
            if let (Some(kind), Some(month)) = (f.milestone(), optional(f)) {
                milestones.push(MilestoneBody {
                    kind: kind.key().to_string(),
                    name: None,
                    month,
                });
                positions.push(f);
            }
        }
        milestones.extend(
            plan.iter()
                .flat_map(|p| &p.milestones)
                .filter(|m| m.kind == MilestoneKind::Other)
                .map(|m| MilestoneBody {
                    kind: m.kind.key().to_string(),
                    name: Some(m.name.clone()),
                    month: m.month.clone(),
                }),
        );
        let body = PlanBody {
            reason: reason.trim().to_string(),
            planned_investment: value(Field::Planned),
            social_investment: optional(Field::Social),
            target_progress_pct: optional(Field::Target),
            content: value(Field::Content),
            baseline_completed: optional(Field::Baseline),
            milestones,
            monthly_breakdown: plan
                .and_then(|p| p.monthly_breakdown.as_ref())
                .map(|b| b.iter().map(ToString::to_string).collect()),
            over_total_reason: optional(Field::OverTotalReason),
        };
        (body, positions)
    }
}

/// The cell of a server error: `milestones[i].month` is the milestone sent at `i`.
fn field_of(e: &FieldError, positions: &[Field]) -> Option<Field> {
    if let Some(rest) = e.field.strip_prefix("milestones[") {
        let i: usize = rest.split(']').next()?.parse().ok()?;
        return positions.get(i).copied();
    }
    FIELDS
        .iter()
        .copied()
        .find(|f| f.milestone().is_none() && f.wire() == e.field)
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub year: i32,
    pub page: u32,
    pub total: u64,
    pub rows: Vec<Row>,
    pub loading: bool,
    pub error: Option<ApiError>,
    pub active: (usize, usize),
    /// The draft of the cell being edited.
    pub editing: Option<String>,
    /// What the last save said, for the live region.
    pub announcement: String,
    /// The server's word on the session's 调整原因, shown at that field.
    pub reason_error: Option<String>,
}

pub enum Action {
    Load(i32, u32),
    Loaded(PlanGrid),
    LoadFailed(ApiError),
    Move(usize, usize),
    Edit(String),
    Draft(String),
    Commit,
    Cancel,
    Saving(usize),
    Saved(usize, AnnualPlan),
    Rejected(usize, Vec<FieldError>, Vec<Field>),
    Conflict(usize, Option<Box<AnnualPlan>>),
    Failed(usize, String),
    Reload(usize),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Load(year, page) => {
                s.year = year;
                s.page = page;
                s.loading = true;
                s.error = None;
                s.editing = None;
            }
            Action::Loaded(g) => {
                if g.year != s.year || g.page != s.page {
                    return self;
                }
                s.total = g.total;
                s.rows = g.items.into_iter().map(Row::new).collect();
                s.loading = false;
                s.active = (0, 0);
            }
            Action::LoadFailed(e) => {
                s.loading = false;
                s.error = Some(e);
            }
            Action::Move(r, c) => {
                s.active = (r.min(s.rows.len().saturating_sub(1)), c.min(COLUMNS - 1));
                s.editing = None;
            }
            Action::Edit(draft) => s.editing = Some(draft),
            Action::Draft(d) => {
                if s.editing.is_some() {
                    s.editing = Some(d);
                }
            }
            Action::Cancel => s.editing = None,
            Action::Commit => {
                let (r, c) = s.active;
                let (Some(draft), Some(i)) = (s.editing.take(), c.checked_sub(LEADING)) else {
                    return Rc::new(s);
                };
                let year = s.year;
                let Some(row) = s.rows.get_mut(r) else {
                    return Rc::new(s);
                };
                let Some(f) = FIELDS.get(i).copied() else {
                    return Rc::new(s);
                };
                if row.values[i] == draft {
                    return Rc::new(s);
                }
                row.values[i] = draft;
                row.errors.retain(|(at, _)| *at != Some(f));
                if let Some(m) = f.check(&row.values[i], year) {
                    row.errors.push((Some(f), m));
                }
                row.status = Status::Changed;
            }
            Action::Saving(r) => {
                if let Some(row) = s.rows.get_mut(r) {
                    row.status = Status::Saving;
                    row.errors.clear();
                }
            }
            Action::Saved(r, plan) => {
                if let Some(row) = s.rows.get_mut(r) {
                    s.announcement = format!("{}：已保存，第 {} 版", row.grid.code, plan.version);
                    s.reason_error = None;
                    row.grid.version = plan.version;
                    row.grid.etag = plan.etag.clone();
                    row.status = Status::Saved(plan.version);
                    row.grid.plan = Some(plan);
                    row.values = FIELDS
                        .iter()
                        .map(|f| f.text(row.grid.plan.as_ref()))
                        .collect();
                }
            }
            Action::Rejected(r, errors, positions) => {
                if let Some(row) = s.rows.get_mut(r) {
                    s.announcement = format!("{}：未保存，请更正标出的内容", row.grid.code);
                    s.reason_error = errors
                        .iter()
                        .find(|e| e.field == "reason")
                        .map(|e| e.message.clone());
                    row.errors = errors
                        .iter()
                        .map(|e| match field_of(e, &positions) {
                            Some(f) => (Some(f), e.message.clone()),
                            None if e.field == "reason" => {
                                (None, format!("调整原因：{}", e.message))
                            }
                            None => (None, e.message.clone()),
                        })
                        .collect();
                    row.status = Status::Invalid;
                }
            }
            Action::Conflict(r, current) => {
                if let Some(row) = s.rows.get_mut(r) {
                    s.announcement = format!("{}：该行已被他人修改，未保存", row.grid.code);
                    row.status = Status::Conflict(current);
                }
            }
            Action::Failed(r, m) => {
                if let Some(row) = s.rows.get_mut(r) {
                    s.announcement = format!("{}：保存失败", row.grid.code);
                    row.status = Status::Failed(m);
                }
            }
            Action::Reload(r) => {
                let year = s.year;
                if let Some(row) = s.rows.get_mut(r)
                    && let Status::Conflict(current) = &row.status
                {
                    let mut grid = row.grid.clone();
                    grid.plan = current.as_deref().cloned();
                    grid.version = current.as_ref().map_or(0, |p| p.version);
                    grid.etag = plan_etag(&grid.code, year, grid.version);
                    *row = Row::new(grid);
                    s.announcement = format!("{}：已载入最新数据", row.grid.code);
                }
            }
        }
        Rc::new(s)
    }
}

/// Loads page `page` of the grid of `year` and `filter`; an answer for another year or
/// page than the latest asked is dropped.
pub fn load(state: &UseReducerHandle<State>, filter: &ProjectFilter, year: i32, page: u32) {
    state.dispatch(Action::Load(year, page));
    let filter = filter.clone();
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let q = PlanGridQuery {
            year: Some(year),
            page,
            per_page: PER_PAGE,
            filter,
        };
        match services::plan_grid(&q).await {
            Ok(g) => state.dispatch(Action::Loaded(g)),
            Err(e) => state.dispatch(Action::LoadFailed(e)),
        }
    });
}

/// Saves row `r` (or, in a conflict, reloads it).
pub fn act_on_row(state: &UseReducerHandle<State>, reason: &str, r: usize) {
    let Some(row) = state.rows.get(r) else { return };
    // a row as stored is not saved again: each PUT is a new revision
    match row.status {
        Status::Conflict(_) => return state.dispatch(Action::Reload(r)),
        Status::Changed | Status::Invalid | Status::Failed(_) => {}
        Status::Clean | Status::Saving | Status::Saved(_) => return,
    }
    // a cell that fails the shared rules on its own shows its message already
    let year = state.year;
    if FIELDS
        .iter()
        .zip(&row.values)
        .any(|(f, v)| f.check(v, year).is_some())
    {
        return;
    }
    let (body, positions) = row.body(reason);
    let (code, etag) = (row.grid.code.clone(), row.grid.etag.clone());
    state.dispatch(Action::Saving(r));
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match services::revise_plan(&code, year, &etag, &body).await {
            Ok(plan) => state.dispatch(Action::Saved(r, plan)),
            Err(e) if e.status() == Some(412) => {
                let current = services::project_plans(&code)
                    .await
                    .ok()
                    .and_then(|p| p.plans.into_iter().find(|p| p.year == year));
                state.dispatch(Action::Conflict(r, current.map(Box::new)));
            }
            Err(ApiError::Problem(p)) if p.status == 422 && !p.errors.is_empty() => {
                state.dispatch(Action::Rejected(r, p.errors, positions));
            }
            Err(e) => state.dispatch(Action::Failed(
                r,
                e.detail()
                    .map_or_else(|| e.title(), |d| format!("{}：{d}", e.title())),
            )),
        }
    });
}

#[cfg(test)]
mod tests {
    use keyproj_shared::{Milestone, Percent};

    use super::*;

    fn plan() -> AnnualPlan {
        AnnualPlan {
            year: 2024,
            version: 3,
            planned_investment: "1000".parse().expect("money"),
            social_investment: "100".parse().expect("money"),
            target_progress_pct: None,
            content: "主体施工".into(),
            baseline_completed: None,
            milestones: vec![
                Milestone {
                    kind: MilestoneKind::Completion,
                    name: "竣工".into(),
                    month: "2024-11".into(),
                },
                Milestone {
                    kind: MilestoneKind::Other,
                    name: "设备进场".into(),
                    month: "2024-08".into(),
                },
            ],
            monthly_breakdown: Some(
                (1..=12)
                    .map(|m| Percent::from_basis_points(if m == 12 { 10_000 } else { m * 800 }))
                    .collect(),
            ),
            reason: "年初编制".into(),
            over_total_reason: None,
            created_by: "li".into(),
            created_at: "2024-01-05T00:00:00Z".into(),
            etag: plan_etag("B09", 2024, 3),
        }
    }

    fn row() -> Row {
        Row::new(PlanGridRow {
            code: "B09".into(),
            name: "项目".into(),
            total_investment: "5000".parse().expect("money"),
            planned_investment: "4000".parse().expect("money"),
            first_year: 2021,
            last_year: 2025,
            plan: Some(plan()),
            version: 3,
            etag: plan_etag("B09", 2024, 3),
            previous_year_plan: None,
        })
    }

    #[test]
    fn a_row_saves_its_cells_and_keeps_what_the_grid_does_not_show() {
        let mut r = row();
        r.values[0] = "1200.5".into();
        r.values[4] = "2024-03".into();
        let (body, positions) = r.body(" 调整 ");
        assert_eq!(body.reason, "调整");
        assert_eq!(body.planned_investment, "1200.5");
        assert_eq!(body.social_investment.as_deref(), Some("100.00"));
        // 开工 and 竣工 from the cells, in column order, then the free-named one kept
        let kinds: Vec<&str> = body.milestones.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["start", "completion", "other"]);
        assert_eq!(positions, [Field::Start, Field::Completion]);
        assert_eq!(body.milestones[2].name.as_deref(), Some("设备进场"));
        let breakdown = body.monthly_breakdown.expect("kept");
        assert_eq!(
            (breakdown[0].as_str(), breakdown[11].as_str()),
            ("8.00", "100.00")
        );
    }

    #[test]
    fn a_server_error_is_placed_at_its_cell_or_on_the_row() {
        let positions = [Field::Start, Field::Completion];
        let at = |f: &str| field_of(&FieldError::new(f, "x"), &positions);
        assert_eq!(at("social_investment"), Some(Field::Social));
        assert_eq!(at("milestones[1].month"), Some(Field::Completion));
        assert_eq!(at("milestones[2].month"), None);
        assert_eq!(at("reason"), None);
        assert_eq!(at("over_total_reason"), Some(Field::OverTotalReason));
    }

    #[test]
    fn a_cell_is_checked_by_the_shared_rules_as_it_is_committed() {
        assert!(Field::Planned.check("", 2024).is_some());
        assert!(Field::Planned.check("1.234", 2024).is_some());
        assert_eq!(Field::Planned.check("1234.5", 2024), None);
        assert_eq!(Field::Social.check("", 2024), None);
        assert!(Field::Target.check("101", 2024).is_some());
        assert!(Field::Start.check("2025-01", 2024).is_some());
        assert_eq!(Field::Start.check("2024-01", 2024), None);
    }
}
