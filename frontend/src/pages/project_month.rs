//! The project page's plan part: its annual plans with their revisions, the year planned
//! against actual with the warning months marked, and a month's warnings with their
//! arithmetic. The project page loads the default month with the project (so nothing moves
//! in when it arrives); another month is fetched here, and the last month's figures stay in
//! place until it is in.

use std::rc::Rc;

use keyproj_shared::{Period, ProjectPlans, ProjectProgress, ProjectWarnings, Warning};
use yew::prelude::*;

use crate::components::annual_plans::annual_plans;
use crate::components::error_box::error_box;
use crate::components::loading::results_box;
use crate::components::money::{format_money, format_percent};
use crate::components::progress_chart::{level_class, progress_chart, progress_table};
use crate::hooks::{Fetched, answer, use_api};
use crate::services::{self, ApiError};

/// A month of one project: the year's progress and the month's warnings.
pub struct Month {
    pub progress: ProjectProgress,
    pub warnings: ProjectWarnings,
}

/// Both answers for `period`, asked together.
pub async fn load_month(code: &str, period: Period) -> Result<Month, ApiError> {
    let (progress, warnings) = futures::try_join!(
        services::project_progress(code, period),
        services::project_warnings(code, period),
    )?;
    Ok(Month { progress, warnings })
}

/// The month a page opens on: the last month whose reports are due (as on the 预警 page).
pub fn default_month() -> Option<Period> {
    crate::pages::warnings::default_period()
}

#[derive(Properties, PartialEq)]
pub struct ProjectMonthProps {
    pub code: AttrValue,
    pub plans: Rc<ProjectPlans>,
    /// The default month's figures, loaded with the project.
    pub first: Rc<Month>,
}

impl PartialEq for Month {
    fn eq(&self, other: &Self) -> bool {
        self.progress == other.progress && self.warnings == other.warnings
    }
}

#[component]
pub fn ProjectMonth(props: &ProjectMonthProps) -> Html {
    let first_period: Option<Period> = props.first.warnings.period.parse().ok();
    let chosen = use_state(|| first_period);
    // "" while the month is the one loaded with the page: nothing to fetch
    let key = match (*chosen, first_period) {
        (Some(p), f) if Some(p) != f => AttrValue::from(format!("{}|{p}", props.code)),
        _ => AttrValue::Static(""),
    };
    let other = use_api(key.clone(), |key| {
        Box::pin(async move {
            let Some((code, period)) = key.split_once('|') else {
                return answer(Ok(()));
            };
            match period.parse::<Period>() {
                Ok(p) => answer(load_month(code, p).await),
                Err(()) => answer::<()>(Ok(())),
            }
        })
    });
    let (month, updating, failed): (&Month, bool, Option<&ApiError>) = if key.is_empty() {
        (&props.first, false, None)
    } else {
        match other.get_keeping::<Month>() {
            (Fetched::Ready(m), updating) => (m, updating, None),
            (Fetched::Loading, _) => (&props.first, true, None),
            (Fetched::Failed(e), _) => (&props.first, false, Some(e)),
        }
    };
    let on_month = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(p) = input.value().parse::<Period>() {
                chosen.set(Some(p));
            }
        })
    };
    let value = chosen.map(|p| p.to_string()).unwrap_or_default();
    // the years with a plan, each a shortcut to its last month up to the default one
    let years = props.plans.plans.iter().map(|plan| {
        let month = match first_period {
            Some(f) if f.year() == plan.year => Some(f),
            Some(f) if f.year() < plan.year => None,
            _ => Period::new(plan.year, 12),
        };
        let chosen = chosen.clone();
        let current = month.is_some() && *chosen == month;
        let onclick = Callback::from(move |_: MouseEvent| chosen.set(month));
        html! {
            <button type="button" class={if current { "button current" } else { "button" }}
                disabled={month.is_none()} aria-pressed={current.to_string()} {onclick}
                data-testid="plan-year">
                { format!("{} 年", plan.year) }
            </button>
        }
    });
    html! {
        <>
            <h2>{ "年度计划" }</h2>
            { annual_plans(&props.plans) }

            <h2 id="project-month-title">{ "计划与实际、预警" }</h2>
            <div class="toolbar">
                <label>
                    { "月份 " }
                    <input type="month" value={value} onchange={on_month}
                        data-testid="project-month" aria-label="查看月份" />
                </label>
                if !props.plans.plans.is_empty() {
                    <div class="segmented" role="group" aria-label="有年度计划的年份">
                        { for years }
                    </div>
                }
                <span class="note">{ "只使用该月及以前月份的月报；默认为最近一个应报送的月份。" }</span>
            </div>
            if month.progress.planned.is_none() {
                <p class="note" data-testid="no-plan-for-year">
                    { format!("{} 年没有年度计划，无法计算序时进度，图中只有已审核的数字。", month.progress.year) }
                </p>
            }
            if let Some(e) = failed {
                { error_box(e, &other.retry, Html::default()) }
            }
            { results_box(updating, html! {
                <>
                    { progress_chart(&month.progress) }
                    { progress_table(&month.progress) }
                    { month_warnings(&month.warnings) }
                </>
            }) }
        </>
    }
}

fn figure(m: Option<keyproj_shared::Money>) -> String {
    m.map_or_else(
        || "未知".to_string(),
        |m| format!("{} 万元", format_money(m)),
    )
}

fn warning_item(w: &Warning) -> Html {
    html! {
        <li data-testid="project-warning" data-rule={w.rule.key()} data-level={w.level.key()}>
            <span class={level_class(w.level)}>{ w.level.label() }</span>
            { " " }<strong>{ w.rule.label() }</strong>{ "：" }
            <span data-testid="project-warning-explanation">{ w.explanation.clone() }</span>
        </li>
    }
}

/// The month's 本年完成投资 and each verdict with its arithmetic.
fn month_warnings(w: &ProjectWarnings) -> Html {
    let y = &w.year_to_date;
    html! {
        <section aria-labelledby="month-warnings-title" data-testid="project-warnings">
            <h3 id="month-warnings-title">
                { format!("{} 预警（规则第 {} 版）", w.period, w.rule_set_version) }
            </h3>
            <p class="note" data-testid="project-year-to-date">
                { format!(
                    "年度计划投资 {}；累计完成投资（已审核）{}；上年末累计完成投资 {}；本年完成投资 {}；投资完成率 {}；序时进度 {}。",
                    figure(y.planned),
                    figure(y.cumulative),
                    figure(y.baseline),
                    figure(y.completed),
                    y.completion_rate.map_or_else(|| "未知".to_string(), format_percent),
                    y.expected_progress.map_or_else(|| "无".to_string(), format_percent),
                ) }
                if !y.note.is_empty() {
                    { " " }{ y.note.clone() }
                }
            </p>
            if w.warnings.is_empty() {
                <p class="muted">{ "这个月没有预警。" }</p>
            } else {
                <ul class="warning-items">
                    { for w.warnings.iter().map(warning_item) }
                </ul>
            }
        </section>
    }
}
