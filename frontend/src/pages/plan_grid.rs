//! The 年度计划 grid on `/plans`: a year's plans, one row per project, edited by keyboard
//! (the WAI-ARIA grid pattern: one cell in the tab order, arrows move, Enter or F2 edits,
//! Enter commits, Esc cancels, Tab and Shift-Tab step through the cells). A changed row is
//! saved on its own; the row then says saving, saved, someone else changed it (412, with the
//! current figures and a reload), or what is wrong at the cell at fault (422). The state and
//! the saving live in `hooks::use_plan_grid`.

use std::cell::RefCell;
use std::rc::Rc;

use keyproj_shared::{AnnualPlan, ProjectFilter};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::components::error_box::error_box;
use crate::components::loading::loading;
use crate::components::money::format_money;
use crate::hooks::use_plan_grid::{
    Action, COLUMNS, FIELDS, Field, LEADING, PER_PAGE, Row, STATUS_COL, State, Status, act_on_row,
    load,
};

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
#[derive(Properties, PartialEq)]
pub struct Props {
    pub year: i32,
    /// The project list's filters, from the address.
    pub filter: ProjectFilter,
    /// Set after each render: whether a row holds unsaved changes (the year picker asks).
    pub unsaved: Rc<RefCell<bool>>,
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
    {
        let unsaved = props.unsaved.clone();
        let now = state
            .rows
            .iter()
            .any(|r| matches!(r.status, Status::Changed | Status::Invalid));
        use_effect(move || *unsaved.borrow_mut() = now);
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
        Callback::from(move |_: MouseEvent| {
            // another page drops this one's unsaved rows: ask first
            let unsaved = state
                .rows
                .iter()
                .any(|r| matches!(r.status, Status::Changed | Status::Invalid));
            if unsaved
                && !gloo::utils::window()
                    .confirm_with_message("本页有未保存的修改，翻页后将丢失。确定翻页？")
                    .unwrap_or(false)
            {
                return;
            }
            load(&state, &filter, state.year, page)
        })
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
            Status::Conflict(current) => (conflict_text(current.as_deref()), Some("载入最新数据")),
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
