//! The warning rule set in force on the 预警 page: its version, who made it and why, every
//! threshold; the history is the audit trail's `warning_rules` entries. Admins change the
//! thresholds here: a new version, sent with `If-Match` of the version they saw and a
//! reason; a refusal is shown at the field it names.

use keyproj_shared::{AppRoute, LagMode, RULE_SET_FIELDS, Role, RuleSet, RuleSetBody};
use yew::prelude::*;

use crate::components::error_box::error_box;
use crate::components::form::{Input, form_error, input, select, server_field_errors};
use crate::components::loading::loading;
use crate::components::select::Choice;
use crate::hooks::{Draft, Fetched, answer, use_api, use_form};
use crate::services::{self, nav};
use crate::util::local_time;

/// The thresholds as (label, text).
fn thresholds(r: &RuleSet) -> Vec<(&'static str, String)> {
    let mode = match r.lag_mode {
        LagMode::Points => "按百分点（序时进度 − 投资完成率）",
        LagMode::Relative => "按相对差距（差距 ÷ 序时进度）",
    };
    vec![
        ("投资滞后的计算方式", mode.to_string()),
        (
            "黄色：落后不少于",
            format!("{} 个百分点", r.lag_yellow_from),
        ),
        ("红色：落后超过", format!("{} 个百分点", r.lag_red_above)),
        (
            "相对方式：黄色至（含）",
            format!("{}%，超过为红色", r.relative_yellow_up_to),
        ),
        (
            "开工滞后转红",
            format!("计划开工月份后满 {} 个月", r.start_lag_red_months),
        ),
        (
            "月报报送截止",
            format!("次月 {} 日（北京时间）", r.report_deadline_day),
        ),
        (
            "未按时报送转红",
            format!("连续 {} 个月", r.not_reported_red_months),
        ),
        (
            "形象进度与投资进度背离",
            format!("相差超过 {} 个百分点（仅提示）", r.divergence_above),
        ),
    ]
}

/// The form starts from the rule set in force.
fn body_of(r: &RuleSet) -> RuleSetBody {
    RuleSetBody {
        reason: String::new(),
        lag_mode: r.lag_mode.key().to_string(),
        lag_yellow_from: r.lag_yellow_from.to_string(),
        lag_red_above: r.lag_red_above.to_string(),
        relative_yellow_up_to: r.relative_yellow_up_to.to_string(),
        start_lag_red_months: r.start_lag_red_months.to_string(),
        report_deadline_day: r.report_deadline_day.to_string(),
        not_reported_red_months: r.not_reported_red_months.to_string(),
        divergence_above: r.divergence_above.to_string(),
    }
}

#[derive(Properties, PartialEq)]
pub struct RuleSetPanelProps {
    pub role: Option<Role>,
    /// A new version is in force: the page's warnings change with it.
    pub on_changed: Callback<()>,
}

#[component]
pub fn RuleSetPanel(props: &RuleSetPanelProps) -> Html {
    let api = use_api(AttrValue::Static("rules"), |_| {
        Box::pin(async { answer(services::warning_rules().await) })
    });
    let body = match api.get_refreshing::<RuleSet>() {
        Fetched::Loading => loading(),
        Fetched::Failed(e) => error_box(e, &api.retry, Html::default()),
        Fetched::Ready(r) => {
            let on_saved = {
                let (retry, changed) = (api.retry.clone(), props.on_changed.clone());
                Callback::from(move |()| {
                    retry.emit(());
                    changed.emit(());
                })
            };
            html! {
                <>
                    <p data-testid="rule-set-version">
                        { format!("现行规则：第 {} 版", r.version) }
                        if !r.created_at.is_empty() {
                            { format!("，{} 于 {} 设定", r.created_by, local_time(&r.created_at)) }
                        }
                        { format!("；原因：{}", r.reason) }
                    </p>
                    <dl data-testid="rule-set">
                        { for thresholds(r).into_iter().map(|(k, v)| html! {
                            <>
                                <dt>{ k }</dt>
                                <dd>{ v }</dd>
                            </>
                        }) }
                    </dl>
                    if props.role == Some(Role::Admin) {
                        <p>
                            <a href={nav::href(&AppRoute::Audit, &[("entity", "warning_rules".to_string())])}
                                data-testid="rule-set-history">
                                { "历次修改记录" }
                            </a>
                        </p>
                        <RuleSetForm key={r.version} current={r.clone()} on_saved={on_saved} />
                    }
                </>
            }
        }
    };
    html! {
        <details class="rule-set" data-testid="rule-set-panel" open={props.role == Some(Role::Admin)}>
            <summary>{ "预警规则与阈值" }</summary>
            { body }
        </details>
    }
}

struct RulesDraft {
    body: RuleSetBody,
}

impl Draft for RulesDraft {}

#[derive(Properties, PartialEq)]
struct RuleSetFormProps {
    current: RuleSet,
    on_saved: Callback<()>,
}

#[component]
fn RuleSetForm(props: &RuleSetFormProps) -> Html {
    let form = {
        let current = props.current.clone();
        use_form("rule-set-form", move || RulesDraft {
            body: body_of(&current),
        })
    };
    let onsubmit = {
        let form = form.clone();
        let (version, on_saved) = (props.current.version, props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(body) = form.submit(|d| d.body.parse().map(|_| d.body.clone())) else {
                return;
            };
            let (form, on_saved) = (form.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::revise_warning_rules(version, &body).await {
                    Ok(_) => {
                        form.finish(|_| {});
                        on_saved.emit(());
                    }
                    Err(e) => {
                        let at_fields = server_field_errors(&e, RULE_SET_FIELDS);
                        form.refuse(e, at_fields);
                    }
                }
            });
        })
    };
    let s = form.get();
    let b = &s.draft.body;
    let errs = &s.errors;
    let modes: Vec<Choice> = vec![
        (AttrValue::Static("points"), AttrValue::Static("按百分点")),
        (
            AttrValue::Static("relative"),
            AttrValue::Static("按相对差距"),
        ),
    ];
    let pct = |id, field, label, value| Input {
        id,
        field,
        label,
        value,
        unit: "%",
        required: true,
        inputmode: "decimal",
        hint: "0 到 100，最多两位小数".into(),
        ..Input::default()
    };
    let whole = |id, field, label, value, hint: &str| Input {
        id,
        field,
        label,
        value,
        required: true,
        inputmode: "numeric",
        hint: hint.to_string(),
        ..Input::default()
    };
    html! {
        <form id="rule-set-form" class="form" novalidate=true {onsubmit} data-testid="rule-set-form"
            aria-label="修改预警阈值">
            <p class="note">
                { format!("保存后成为第 {} 版，立即用于各月预警（含过去月份），并记入修改记录。", props.current.version + 1) }
            </p>
            <div class="form-grid">
                { select(Input { id: "rules-mode", field: "lag_mode", label: "投资滞后计算方式",
                    value: &b.lag_mode, required: true, ..Input::default() },
                    &modes, errs, &form.setter(|d, v| d.body.lag_mode = v)) }
                { input(pct("rules-yellow", "lag_yellow_from", "黄色：落后不少于（百分点）", &b.lag_yellow_from),
                    errs, &form.setter(|d, v| d.body.lag_yellow_from = v)) }
                { input(pct("rules-red", "lag_red_above", "红色：落后超过（百分点）", &b.lag_red_above),
                    errs, &form.setter(|d, v| d.body.lag_red_above = v)) }
                { input(pct("rules-relative", "relative_yellow_up_to", "相对方式：黄色至（含）", &b.relative_yellow_up_to),
                    errs, &form.setter(|d, v| d.body.relative_yellow_up_to = v)) }
                { input(whole("rules-start", "start_lag_red_months", "开工滞后转红（月）", &b.start_lag_red_months, "1 到 24"),
                    errs, &form.setter(|d, v| d.body.start_lag_red_months = v)) }
                { input(whole("rules-deadline", "report_deadline_day", "月报截止日（次月几日）", &b.report_deadline_day, "1 到 28"),
                    errs, &form.setter(|d, v| d.body.report_deadline_day = v)) }
                { input(whole("rules-missed", "not_reported_red_months", "连续未报转红（月）", &b.not_reported_red_months, "1 到 12"),
                    errs, &form.setter(|d, v| d.body.not_reported_red_months = v)) }
                { input(pct("rules-divergence", "divergence_above", "背离提示：相差超过（百分点）", &b.divergence_above),
                    errs, &form.setter(|d, v| d.body.divergence_above = v)) }
            </div>
            { input(Input { id: "rules-reason", field: "reason", label: "修改原因", value: &b.reason,
                kind: "textarea", required: true, hint: "必填，记入修改记录".into(), ..Input::default() },
                errs, &form.setter(|d, v| d.body.reason = v)) }
            if let Some((e, at_fields)) = &s.failure {
                { form_error(e, *at_fields) }
            }
            <div class="form-actions">
                <button type="submit" class="button primary" disabled={s.busy} data-testid="rule-set-save">
                    { if s.busy { "正在保存…" } else { "保存为新版本" } }
                </button>
                <span class="note">{ format!("基于第 {} 版", props.current.version) }</span>
            </div>
        </form>
    }
}
