//! 审核 context beside a submitted report: 上次审核通过 → 本次 and the change, 总投资 and
//! the year's plan, and a mark, in words as well as colour, for each warning approving would
//! give. Props only: the context comes with the queue (`ReportPage::contexts`).

use keyproj_shared::{
    Level, Money, Percent, Report, ReviewContext, ReviewNote, ReviewVerdict, VerdictChange,
};
use yew::prelude::*;

use super::money::{format_money, format_percent};
use super::progress_chart::level_class;

/// A signed change: `+120.00`, `-50.00`, `0.00`.
fn signed(v: String, negative: bool, zero: bool) -> String {
    if negative || zero { v } else { format!("+{v}") }
}

fn money_change(m: Money) -> String {
    signed(format_money(m), m < Money::ZERO, m == Money::ZERO)
}

fn points_change(p: Percent) -> String {
    signed(p.to_string(), p.basis_points() < 0, p.basis_points() == 0)
}

fn unknown(v: Option<String>) -> String {
    v.unwrap_or_else(|| "未知".to_string())
}

fn item(label: &'static str, value: Html, testid: &'static str) -> Html {
    html! {
        <div class="review-fact">
            <dt>{ label }</dt>
            <dd data-testid={testid}>{ value }</dd>
        </div>
    }
}

/// The comparison: 上次审核通过, 本次, 变化.
fn comparison(r: &Report, c: &ReviewContext) -> Vec<Html> {
    let now = format!(
        "{}：累计完成投资 {} 万元，形象进度 {}",
        r.period,
        format_money(r.investment_completed),
        format_percent(r.physical_progress_pct)
    );
    let Some(p) = &c.previous else {
        return vec![
            item(
                "上次审核通过",
                html! { <span class="muted">{ "无（首次审核，此前无审核通过的月报）" }</span> },
                "review-previous",
            ),
            item("本次", html! { now }, "review-now"),
        ];
    };
    let before = format!(
        "{}：累计完成投资 {} 万元，形象进度 {}，{}",
        p.period,
        format_money(p.investment_completed),
        format_percent(p.physical_progress_pct),
        p.status.label()
    );
    let change = c.change.as_ref().map_or_else(
        || "—".to_string(),
        |d| {
            let gap = if d.months == 0 {
                "同月更正".to_string()
            } else {
                format!("相隔 {} 个月", d.months)
            };
            format!(
                "累计完成投资 {} 万元，形象进度 {} 个百分点，{gap}",
                money_change(d.investment_completed),
                points_change(d.physical_progress)
            )
        },
    );
    vec![
        item("上次审核通过", html! { before }, "review-previous"),
        item("本次", html! { now }, "review-now"),
        item("变化", html! { change }, "review-change"),
    ]
}

/// 总投资 and the year's plan, unknown said as unknown.
fn plan(c: &ReviewContext) -> Vec<Html> {
    let y = &c.year_to_date;
    let totals = format!(
        "{} 万元 / {} 万元",
        format_money(c.total_investment),
        format_money(c.plan_investment)
    );
    let year = &y.period[..4.min(y.period.len())];
    let plan = match y.planned {
        None => html! { <span class="muted">{ format!("{year} 年无年度计划") }</span> },
        Some(planned) => html! {
            <>
                { format!(
                    "年度计划投资 {} 万元，上年末累计 {}，序时进度 {}",
                    format_money(planned),
                    y.baseline.map_or_else(|| "未知".to_string(), |b| format!("{} 万元", format_money(b))),
                    unknown(y.expected_progress.map(format_percent)),
                ) }
                <br />
                { format!(
                    "通过后本年完成投资 {}，投资完成率 {}",
                    y.completed.map_or_else(|| "未知".to_string(), |m| format!("{} 万元", format_money(m))),
                    unknown(y.completion_rate.map(format_percent)),
                ) }
                { (!y.note.is_empty()).then(|| html! { <span class="muted">{ format!("（{}）", y.note) }</span> }) }
            </>
        },
    };
    vec![
        item(
            "总投资 / “十四五”计划投资",
            html! { totals },
            "review-totals",
        ),
        item("年度计划", plan, "review-plan"),
    ]
}

/// One rule's verdict after approval, marked in words: `通过后：黄色（新增）`.
fn verdict(v: &ReviewVerdict) -> Html {
    let rule = v.rule.label();
    let (class, words, explanation) = match (v.level, v.change) {
        (Some(l), change) => (
            level_class(l),
            format!("通过后：{}（{}）", l.label(), change.label()),
            v.explanation.clone().unwrap_or_default(),
        ),
        (None, _) => (
            "level level-green",
            format!("通过后{}", VerdictChange::Cleared.label()),
            v.today_explanation
                .clone()
                .map(|t| format!("今日：{t}"))
                .unwrap_or_default(),
        ),
    };
    html! {
        <li class={classes!("review-verdict", v.raises().then_some("raises"))}
            data-testid="review-verdict" data-rule={v.rule.key()}
            data-level={v.level.map_or("none", Level::key)} data-change={v.change.key()}>
            <span class={class} data-testid="review-mark">{ words }</span>
            { " " }<strong>{ rule }</strong>{ "：" }
            <span data-testid="review-explanation">{ explanation }</span>
        </li>
    }
}

fn note(n: &ReviewNote) -> Html {
    html! {
        <li class="review-note" data-testid="review-note" data-kind={n.kind.key()}>
            <span class={level_class(n.level)}>{ n.level.label() }</span>{ " " }{ &n.text }
        </li>
    }
}

/// The context of report `r`: shown under its row in the queue.
pub fn review_context(r: &Report, c: &ReviewContext) -> Html {
    // what moves the colour first: the warnings approving raises, then the rest
    let mut verdicts: Vec<&ReviewVerdict> = c.verdicts.iter().collect();
    verdicts.sort_by_key(|v| !v.raises());
    let raised = verdicts.iter().filter(|v| v.raises()).count();
    let summary = if raised == 0 {
        html! { <p class="review-summary" data-testid="review-summary">{ "通过后不新增、不加重预警。" }</p> }
    } else {
        html! {
            <p class="review-summary raises" data-testid="review-summary">
                <strong>{ format!("注意：通过后将新增或加重 {raised} 项预警。") }</strong>
            </p>
        }
    };
    html! {
        <div class="review-context" data-testid="review-context" data-id={r.id.to_string()}>
            <dl class="review-facts">
                { for comparison(r, c) }
                { for plan(c) }
            </dl>
            { summary }
            if !verdicts.is_empty() {
                <ul class="review-verdicts">{ for verdicts.into_iter().map(verdict) }</ul>
            }
            if !c.notes.is_empty() {
                <ul class="review-notes">{ for c.notes.iter().map(note) }</ul>
            }
        </div>
    }
}
