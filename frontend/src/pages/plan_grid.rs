//! The 年度计划 grid on `/plans`: a year's plans, one row per project, edited by keyboard
//! (the WAI-ARIA grid pattern: one cell in the tab order, arrows move, Enter or F2 edits,
//! Enter commits, Esc cancels, Tab and Shift-Tab step through the cells). A changed row is
//! saved on its own with `PUT /api/projects/{code}/plans/{year}` and the row's `If-Match`;
//! the row then says saving, saved, someone else changed it (412, with the current figures
//! and a reload), or what is wrong at the cell at fault (422).
//!
//! The grid edits the fields that fit a row; a plan's monthly breakdown and its free-named
//! milestones are carried over unchanged (the workbook and the project page show them).

use std::cell::RefCell;
use std::rc::Rc;

use keyproj_shared::{
    AnnualPlan, FieldError, MilestoneBody, MilestoneKind, Money, Percent, Period, PlanBody,
    PlanGrid, PlanGridQuery, PlanGridRow, ProjectFilter, plan_etag,
};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::components::error_box::error_box;
use crate::components::loading::loading;
use crate::components::money::format_money;
use crate::services::{self, ApiError};

/// The editable fields, in column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
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

const FIELDS: [Field; 9] = [
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
const LEADING: usize = 4;
/// Every column: the leading ones, the fields, and 状态.
const COLUMNS: usize = LEADING + FIELDS.len() + 1;
const STATUS_COL: usize = COLUMNS - 1;
const PER_PAGE: u32 = 100;

impl Field {
    fn label(self) -> &'static str {
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
    fn wire(self) -> &'static str {
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

    fn numeric(self) -> bool {
        !matches!(self, Field::Content | Field::OverTotalReason)
    }

    /// The text of this field in `plan`, as it is typed.
    fn text(self, plan: Option<&AnnualPlan>) -> String {
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
    fn check(self, text: &str, year: i32) -> Option<String> {
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
enum Status {
    Clean,
    Changed,
    Saving,
    Saved(i32),
    /// 412: someone else saved first; their current plan (None: it could not be read).
    Conflict(Option<AnnualPlan>),
    Invalid,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Row {
    grid: PlanGridRow,
    values: Vec<String>,
    /// Errors at a field's cell, and errors of the row as a whole (`None`).
    errors: Vec<(Option<Field>, String)>,
    status: Status,
}

impl Row {
    fn new(grid: PlanGridRow) -> Row {
        let values = FIELDS.iter().map(|f| f.text(grid.plan.as_ref())).collect();
        Row {
            grid,
            values,
            errors: Vec::new(),
            status: Status::Clean,
        }
    }

    fn error_at(&self, f: Field) -> Option<&str> {
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
struct State {
    year: i32,
    page: u32,
    total: u64,
    rows: Vec<Row>,
    loading: bool,
    error: Option<ApiError>,
    active: (usize, usize),
    /// The draft of the cell being edited.
    editing: Option<String>,
    /// What the last save said, for the live region.
    announcement: String,
    /// The server's word on the session's 调整原因, shown at that field.
    reason_error: Option<String>,
}

enum Action {
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
    Conflict(usize, Option<AnnualPlan>),
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
                    grid.plan = current.clone();
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

/// Focuses the element `id`. An editor opened on a cell's value (Enter, F2) has it
/// selected, so that typing replaces it; one opened by typing has the caret after it.
fn focus(id: &str, select_all: bool) {
    let Some(e) = gloo::utils::document().get_element_by_id(id) else {
        return;
    };
    if let Some(e) = e.dyn_ref::<HtmlElement>() {
        let _ = e.focus();
    }
    if let Some(input) = e.dyn_ref::<HtmlInputElement>() {
        if select_all {
            input.select();
        } else {
            let end = u32::try_from(input.value().encode_utf16().count()).unwrap_or(u32::MAX);
            let _ = input.set_selection_range(end, end);
        }
    }
}

fn cell_id(r: usize, c: usize) -> String {
    format!("pg-{r}-{c}")
}

fn load(state: &UseReducerHandle<State>, filter: &ProjectFilter, year: i32, page: u32) {
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
fn act_on_row(state: &UseReducerHandle<State>, reason: &str, r: usize) {
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
                state.dispatch(Action::Conflict(r, current));
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

#[derive(Properties, PartialEq)]
pub struct Props {
    pub year: i32,
    /// The project list's filters, from the address.
    pub filter: ProjectFilter,
}

#[component]
pub fn PlanGridEditor(props: &Props) -> Html {
    let state = use_reducer(|| State {
        year: props.year,
        page: 1,
        total: 0,
        rows: Vec::new(),
        loading: true,
        error: None,
        active: (0, 0),
        editing: None,
        announcement: String::new(),
        reason_error: None,
    });
    let reason = use_state(String::new);
    // set by a key or a click in the grid: the render that follows moves the focus
    let want_focus = use_mut_ref(|| false);
    {
        let state = state.clone();
        use_effect_with((props.year, props.filter.clone()), move |(year, filter)| {
            load(&state, filter, *year, 1)
        });
    }
    {
        let want_focus = want_focus.clone();
        let active = state.active;
        let editing = state.editing.clone();
        let value = active
            .1
            .checked_sub(LEADING)
            .and_then(|i| state.rows.get(active.0)?.values.get(i).cloned());
        use_effect(move || {
            if want_focus.replace(false) {
                match editing {
                    Some(draft) => focus("pg-editor", Some(draft) == value),
                    None => focus(&cell_id(active.0, active.1), false),
                }
            }
        });
    }
    let onkeydown = {
        let (state, reason, want_focus) = (state.clone(), reason.clone(), want_focus.clone());
        Callback::from(move |e: KeyboardEvent| {
            if state.editing.is_some() || state.rows.is_empty() {
                return;
            }
            let (r, c) = state.active;
            let last_row = state.rows.len() - 1;
            let editable = (LEADING..STATUS_COL).contains(&c);
            let to = match e.key().as_str() {
                "ArrowUp" => Some((r.saturating_sub(1), c)),
                "ArrowDown" => Some(((r + 1).min(last_row), c)),
                "ArrowLeft" => Some((r, c.saturating_sub(1))),
                "ArrowRight" => Some((r, (c + 1).min(COLUMNS - 1))),
                "Home" if e.ctrl_key() => Some((0, 0)),
                "End" if e.ctrl_key() => Some((last_row, COLUMNS - 1)),
                "Home" => Some((r, 0)),
                "End" => Some((r, COLUMNS - 1)),
                // Tab steps through the cells; past the first or the last it leaves the grid
                "Tab" if e.shift_key() => match (r, c) {
                    (0, 0) => None,
                    (r, 0) => Some((r - 1, COLUMNS - 1)),
                    (r, c) => Some((r, c - 1)),
                },
                "Tab" => match (r, c) {
                    (r, STATUS_COL) if r == last_row => None,
                    (r, STATUS_COL) => Some((r + 1, 0)),
                    (r, c) => Some((r, c + 1)),
                },
                "Enter" | "F2" if editable => {
                    e.prevent_default();
                    want_focus.replace(true);
                    let value = state.rows[r].values[c - LEADING].clone();
                    state.dispatch(Action::Edit(value));
                    return;
                }
                "Enter" | " " if c == STATUS_COL => {
                    e.prevent_default();
                    want_focus.replace(true);
                    act_on_row(&state, &reason, r);
                    return;
                }
                // typing starts an edit with what is typed, as in a spreadsheet
                k if editable
                    && k.chars().count() == 1
                    && !e.ctrl_key()
                    && !e.meta_key()
                    && !e.alt_key() =>
                {
                    e.prevent_default();
                    want_focus.replace(true);
                    state.dispatch(Action::Edit(k.to_string()));
                    return;
                }
                _ => return,
            };
            if let Some((r, c)) = to {
                e.prevent_default();
                want_focus.replace(true);
                state.dispatch(Action::Move(r, c));
            }
        })
    };
    let editor_keys = {
        let (state, want_focus) = (state.clone(), want_focus.clone());
        Callback::from(move |e: KeyboardEvent| {
            // the editor's keys are its own: the grid's do not apply while typing
            e.stop_propagation();
            let (r, c) = state.active;
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    want_focus.replace(true);
                    state.dispatch(Action::Commit);
                }
                "Escape" => {
                    e.prevent_default();
                    want_focus.replace(true);
                    state.dispatch(Action::Cancel);
                }
                "Tab" => {
                    e.prevent_default();
                    want_focus.replace(true);
                    state.dispatch(Action::Commit);
                    let c = if e.shift_key() {
                        c.saturating_sub(1)
                    } else {
                        (c + 1).min(COLUMNS - 1)
                    };
                    state.dispatch(Action::Move(r, c));
                }
                _ => {}
            }
        })
    };
    let on_draft = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                state.dispatch(Action::Draft(i.value()));
            }
        })
    };
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                reason.set(i.value());
            }
        })
    };
    let save_all = {
        let (state, reason) = (state.clone(), reason.clone());
        Callback::from(move |_: MouseEvent| {
            for (r, row) in state.rows.iter().enumerate() {
                if row.status == Status::Changed {
                    act_on_row(&state, &reason, r);
                }
            }
        })
    };
    let page_to = |page: u32| {
        let (state, filter) = (state.clone(), props.filter.clone());
        Callback::from(move |_: MouseEvent| load(&state, &filter, state.year, page))
    };

    let body = if let Some(e) = &state.error {
        let (state, filter) = (state.clone(), props.filter.clone());
        let retry = Callback::from(move |()| load(&state, &filter, state.year, state.page));
        error_box(e, &retry, Html::default())
    } else if state.loading {
        loading()
    } else if state.rows.is_empty() {
        html! { <p data-testid="plan-grid-empty">{ format!("{} 年没有在建设期内的项目。", state.year) }</p> }
    } else {
        let ctx = RowCtx {
            state: &state,
            want_focus: &want_focus,
            reason: &reason,
            onkeydown: &onkeydown,
            editor_keys: &editor_keys,
            on_draft: &on_draft,
        };
        let first_index = (state.page.saturating_sub(1) * PER_PAGE) as usize;
        html! {
            <div class="table-wrap plan-grid-wrap">
                <table role="grid" class="plan-grid" data-testid="plan-grid"
                    aria-labelledby="plan-grid-title" aria-describedby="plan-grid-keys"
                    aria-rowcount={(state.total + 1).to_string()}
                    aria-colcount={COLUMNS.to_string()}>
                    <thead>
                        <tr role="row" aria-rowindex="1">
                            <th role="columnheader" scope="col" aria-colindex="1">{ "项目" }</th>
                            <th role="columnheader" scope="col" aria-colindex="2">{ "总投资（万元）" }</th>
                            <th role="columnheader" scope="col" aria-colindex="3">{ "“十四五”计划投资（万元）" }</th>
                            <th role="columnheader" scope="col" aria-colindex="4">{ format!("{} 年计划投资（万元）", state.year - 1) }</th>
                            { for FIELDS.iter().enumerate().map(|(i, f)| html! {
                                <th role="columnheader" scope="col" aria-colindex={(LEADING + i + 1).to_string()}>{ f.label() }</th>
                            }) }
                            <th role="columnheader" scope="col" aria-colindex={COLUMNS.to_string()}>{ "保存" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for state.rows.iter().enumerate().map(|(r, row)| ctx.row(r, first_index + r + 2, row)) }
                    </tbody>
                </table>
            </div>
        }
    };
    let pages = state.total.div_ceil(u64::from(PER_PAGE)).max(1);
    html! {
        <section class="plan-grid-section" data-testid="plan-grid-section" aria-labelledby="plan-grid-title">
            <h2 id="plan-grid-title">{ format!("{} 年度计划表", state.year) }</h2>
            <p id="plan-grid-keys" class="lead">
                { "方向键在单元格间移动，Tab / Shift+Tab 移到下一格 / 上一格；Enter 或 F2 编辑，Enter 确认，Esc 取消；在“保存”列按 Enter 保存该行。金额以万元计，最多两位小数。" }
            </p>
            <div class="form-row">
                <label>{ "调整原因（本次编辑的各行共用，必填） " }
                    <input type="text" id="plan-grid-reason" maxlength="500" data-testid="plan-grid-reason"
                        aria-invalid={state.reason_error.as_ref().map(|_| "true")}
                        aria-describedby={state.reason_error.as_ref().map(|_| "plan-grid-reason-error")}
                        value={(*reason).clone()} oninput={on_reason} />
                </label>
                if let Some(m) = &state.reason_error {
                    <span class="field-error" id="plan-grid-reason-error">{ m.clone() }</span>
                }
                <button type="button" class="button primary" data-testid="plan-grid-save-all"
                    onclick={save_all}
                    disabled={!state.rows.iter().any(|r| r.status == Status::Changed)}>
                    { "保存全部修改" }
                </button>
            </div>
            <p class="sr-only" role="status" aria-live="polite" data-testid="plan-grid-announcement">
                { state.announcement.clone() }
            </p>
            { body }
            if pages > 1 {
                <nav class="pager" aria-label="年度计划表分页">
                    <button type="button" class="button" disabled={state.page <= 1}
                        onclick={page_to(state.page.saturating_sub(1))}>{ "上一页" }</button>
                    <span>{ format!("第 {} / {} 页，共 {} 个项目", state.page, pages, state.total) }</span>
                    <button type="button" class="button" disabled={u64::from(state.page) >= pages}
                        onclick={page_to(state.page + 1)}>{ "下一页" }</button>
                </nav>
            }
        </section>
    }
}

/// What every row's cells share.
struct RowCtx<'a> {
    state: &'a UseReducerHandle<State>,
    want_focus: &'a Rc<RefCell<bool>>,
    reason: &'a UseStateHandle<String>,
    onkeydown: &'a Callback<KeyboardEvent>,
    editor_keys: &'a Callback<KeyboardEvent>,
    on_draft: &'a Callback<InputEvent>,
}

impl RowCtx<'_> {
    /// The cell's focus handler: a click or a focus puts it in the roving tab stop.
    fn onfocus(&self, r: usize, c: usize) -> Callback<FocusEvent> {
        let state = self.state.clone();
        Callback::from(move |_: FocusEvent| {
            if state.active != (r, c) && state.editing.is_none() {
                state.dispatch(Action::Move(r, c));
            }
        })
    }

    fn tabindex(&self, r: usize, c: usize) -> &'static str {
        if self.state.active == (r, c) {
            "0"
        } else {
            "-1"
        }
    }

    fn row(&self, r: usize, rowindex: usize, row: &Row) -> Html {
        let g = &row.grid;
        let previous = g
            .previous_year_plan
            .as_ref()
            .map_or_else(|| "—".to_string(), |p| format_money(p.planned_investment));
        let readonly = |c: usize, class: &'static str, text: String| {
            html! {
                <td role="gridcell" id={cell_id(r, c)} class={class} aria-readonly="true"
                    aria-colindex={(c + 1).to_string()} tabindex={self.tabindex(r, c)}
                    onkeydown={self.onkeydown.clone()} onfocus={self.onfocus(r, c)}>
                    { text }
                </td>
            }
        };
        html! {
            <tr role="row" aria-rowindex={rowindex.to_string()} data-testid="plan-grid-row"
                data-code={g.code.clone()} data-status={status_key(&row.status)}>
                <th role="rowheader" scope="row" id={cell_id(r, 0)} aria-colindex="1"
                    tabindex={self.tabindex(r, 0)}
                    onkeydown={self.onkeydown.clone()} onfocus={self.onfocus(r, 0)}>
                    <span class="code">{ &g.code }</span>{ " " }{ &g.name }
                </th>
                { readonly(1, "num", format_money(g.total_investment)) }
                { readonly(2, "num", format_money(g.planned_investment)) }
                { readonly(3, "num", previous) }
                { for FIELDS.iter().enumerate().map(|(i, f)| self.field_cell(r, row, i, *f)) }
                { self.status_cell(r, row) }
            </tr>
        }
    }

    fn field_cell(&self, r: usize, row: &Row, i: usize, f: Field) -> Html {
        let c = LEADING + i;
        let error = row.error_at(f);
        let error_id = format!("pg-err-{r}-{c}");
        let editing = self.state.active == (r, c) && self.state.editing.is_some();
        let content = if editing {
            let draft = self.state.editing.clone().unwrap_or_default();
            html! {
                <input id="pg-editor" type="text" class="grid-editor" data-testid="plan-grid-editor"
                    aria-label={format!("{} {}", row.grid.code, f.label())}
                    aria-invalid={error.map(|_| "true")}
                    aria-describedby={error.map(|_| error_id.clone())}
                    value={draft} oninput={self.on_draft.clone()} onkeydown={self.editor_keys.clone()}
                    inputmode={f.numeric().then_some("decimal")} />
            }
        } else {
            html! { { row.values[i].clone() } }
        };
        let class = classes!(
            f.numeric().then_some("num"),
            error.map(|_| "invalid"),
            (row.values[i] != f.text(row.grid.plan.as_ref())).then_some("changed"),
        );
        html! {
            <td role="gridcell" id={cell_id(r, c)} class={class} aria-colindex={(c + 1).to_string()}
                tabindex={self.tabindex(r, c)} data-field={f.wire()}
                aria-invalid={error.map(|_| "true")}
                aria-describedby={error.map(|_| error_id.clone())}
                onkeydown={self.onkeydown.clone()} onfocus={self.onfocus(r, c)}
                ondblclick={self.dblclick(r, c, row.values[i].clone())}>
                { content }
                if let Some(m) = error {
                    <span class="cell-error" id={error_id.clone()} data-testid="plan-grid-cell-error">{ m }</span>
                }
            </td>
        }
    }

    fn dblclick(&self, r: usize, c: usize, value: String) -> Callback<MouseEvent> {
        let (state, want_focus) = (self.state.clone(), self.want_focus.clone());
        Callback::from(move |_: MouseEvent| {
            want_focus.replace(true);
            state.dispatch(Action::Move(r, c));
            state.dispatch(Action::Edit(value.clone()));
        })
    }

    fn status_cell(&self, r: usize, row: &Row) -> Html {
        let c = STATUS_COL;
        let onclick = {
            let (state, reason) = (self.state.clone(), self.reason.clone());
            Callback::from(move |_: MouseEvent| act_on_row(&state, &reason, r))
        };
        let row_errors: Vec<&str> = row
            .errors
            .iter()
            .filter(|(at, _)| at.is_none())
            .map(|(_, m)| m.as_str())
            .collect();
        let (text, button) = match &row.status {
            Status::Clean => (String::new(), None),
            Status::Changed => ("已修改，未保存".to_string(), Some("保存")),
            Status::Saving => ("保存中…".to_string(), None),
            Status::Saved(v) => (format!("已保存（第 {v} 版）"), None),
            Status::Invalid => ("未保存：请更正".to_string(), Some("保存")),
            Status::Failed(m) => (format!("保存失败：{m}"), Some("重试")),
            Status::Conflict(current) => (conflict_text(current.as_ref()), Some("载入最新数据")),
        };
        html! {
            <td role="gridcell" id={cell_id(r, c)} class="grid-status" aria-colindex={COLUMNS.to_string()}
                tabindex={self.tabindex(r, c)} data-testid="plan-grid-status"
                onkeydown={self.onkeydown.clone()} onfocus={self.onfocus(r, c)}>
                if let Some(label) = button {
                    <button type="button" class="button small" tabindex="-1" {onclick}
                        data-testid="plan-grid-row-action">{ label }</button>
                }
                <span class="grid-row-state">{ text }</span>
                { for row_errors.iter().map(|m| html! { <span class="cell-error" data-testid="plan-grid-row-error">{ *m }</span> }) }
            </td>
        }
    }
}

fn status_key(s: &Status) -> &'static str {
    match s {
        Status::Clean => "clean",
        Status::Changed => "changed",
        Status::Saving => "saving",
        Status::Saved(_) => "saved",
        Status::Conflict(_) => "conflict",
        Status::Invalid => "invalid",
        Status::Failed(_) => "failed",
    }
}

fn conflict_text(current: Option<&AnnualPlan>) -> String {
    match current {
        Some(p) => format!(
            "已被他人修改，未保存。现行计划（第 {} 版，{} {}）：年度计划投资 {} 万元，其中社会投资 {} 万元",
            p.version,
            p.created_by,
            p.created_at,
            format_money(p.planned_investment),
            format_money(p.social_investment),
        ),
        None => "已被他人修改，未保存；请载入最新数据后再改".to_string(),
    }
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
