//! A project's year, planned against actual: the plan due by each month (年度计划投资 ×
//! 序时进度) and 本年完成投资 from approved reports, with the months that were yellow or red
//! marked, drawn as one SVG in a fixed box (nothing moves when the figures arrive), and the
//! same figures as a table, which is the chart's text alternative. Props only; integer
//! geometry on the exact amounts, as the other charts.

use keyproj_shared::{Level, Money, ProgressMonth, ProjectProgress};
use yew::prelude::*;

use super::charts::{nice_step, scale};
use super::money::{format_int, format_money, format_percent};

/// The SVG's box (viewBox units); the CSS keeps this aspect ratio for the loading state too.
pub const CHART_W: i64 = 640;
pub const CHART_H: i64 = 250;
const LEFT: i64 = 70;
const RIGHT: i64 = 10;
const TOP: i64 = 14;
/// Month labels, then the row of warning marks.
const BOTTOM: i64 = 50;

fn plot_h() -> i64 {
    CHART_H - TOP - BOTTOM
}

/// The x of a month's centre (1-12).
fn x_of(month: i64) -> i64 {
    let slot = (CHART_W - LEFT - RIGHT) / 12;
    LEFT + slot * (month - 1) + slot / 2
}

/// The axis's end and step in whole 万元: covers the largest amount drawn in at most 5 steps.
fn axis(months: &[ProgressMonth]) -> (i64, i64) {
    let max_cents = months
        .iter()
        .flat_map(|m| [m.expected_completed, m.completed])
        .flatten()
        .map(Money::cents)
        .max()
        .unwrap_or(0)
        .max(0);
    let max = (max_cents + 99) / 100;
    let step = nice_step(max.max(1), 5);
    (step * ((max + step - 1) / step).max(1), step)
}

fn y_of(cents: i64, top_units: i64) -> i64 {
    TOP + plot_h() - scale(cents.max(0), top_units * 100, plot_h())
}

/// A polyline's points for the runs of months that have a value; a gap breaks the line.
fn runs(
    months: &[ProgressMonth],
    value: impl Fn(&ProgressMonth) -> Option<Money>,
    top: i64,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for (i, m) in months.iter().enumerate() {
        match value(m) {
            Some(v) => run.push(format!("{},{}", x_of(i as i64 + 1), y_of(v.cents(), top))),
            None if !run.is_empty() => out.push(std::mem::take(&mut run).join(" ")),
            None => {}
        }
    }
    if !run.is_empty() {
        out.push(run.join(" "));
    }
    out
}

fn mark_class(l: Level) -> Option<(&'static str, &'static str)> {
    match l {
        Level::Red => Some(("mark mark-red", "红")),
        Level::Yellow => Some(("mark mark-yellow", "黄")),
        Level::Green | Level::Info => None,
    }
}

fn month_no(period: &str) -> String {
    period
        .get(5..)
        .and_then(|m| m.parse::<u32>().ok())
        .map_or_else(|| period.to_string(), |m| format!("{m}月"))
}

/// The chart: plan due (dashed) and 本年完成投资 (solid, dots), warning months marked.
pub fn progress_chart(p: &ProjectProgress) -> Html {
    let (top, step) = axis(&p.months);
    let ticks: Vec<i64> = (0..=top / step).map(|i| i * step).collect();
    let plan = runs(&p.months, |m| m.expected_completed, top);
    let actual = runs(&p.months, |m| m.completed, top);
    let marks: Vec<String> = p
        .months
        .iter()
        .filter_map(|m| {
            let (_, word) = mark_class(m.colour?)?;
            Some(format!("{}{word}色", month_no(&m.period)))
        })
        .collect();
    let label = format!(
        "{}年计划与实际：虚线为计划应完成投资，实线为本年完成投资（已审核）{}。逐月数字见下表。",
        p.year,
        if marks.is_empty() {
            "，无黄色或红色预警月份".to_string()
        } else {
            format!("；预警月份：{}", marks.join("、"))
        }
    );
    let base = TOP + plot_h();
    html! {
        <figure class="chart progress-chart" data-testid="progress-chart">
            <figcaption>
                <span class="chart-title">{ format!("{} 年计划与实际（万元）", p.year) }</span>
                <span class="legend">
                    <span class="legend-item"><span class="swatch line-plan" aria-hidden="true"></span>{ "计划应完成投资（年度计划投资 × 序时进度）" }</span>
                    <span class="legend-item"><span class="swatch line-actual" aria-hidden="true"></span>{ "本年完成投资（已审核）" }</span>
                    <span class="legend-item"><span class="swatch mark-red" aria-hidden="true"></span>{ "红色预警月份" }</span>
                    <span class="legend-item"><span class="swatch mark-yellow" aria-hidden="true"></span>{ "黄色预警月份" }</span>
                </span>
            </figcaption>
            <svg class="progress-svg" viewBox={format!("0 0 {CHART_W} {CHART_H}")} role="img"
                aria-label={label}>
                { for ticks.iter().map(|t| {
                    let ty = y_of(t * 100, top).to_string();
                    html! {
                        <g>
                            <line class="grid" x1={LEFT.to_string()} x2={(CHART_W - RIGHT).to_string()}
                                y1={ty.clone()} y2={ty.clone()} />
                            <text class="axis-label" x={(LEFT - 6).to_string()} y={ty}
                                text-anchor="end" dominant-baseline="middle">{ format_int(*t) }</text>
                        </g>
                    }
                }) }
                { for p.months.iter().enumerate().map(|(i, m)| {
                    let x = x_of(i as i64 + 1);
                    let mark = m.colour.and_then(mark_class);
                    html! {
                        <g>
                            <text class="axis-label" x={x.to_string()} y={(base + 16).to_string()}
                                text-anchor="middle">{ month_no(&m.period) }</text>
                            if let Some((class, word)) = mark {
                                <g data-testid="progress-mark" data-period={m.period.clone()}>
                                    <rect class={class} x={(x - 10).to_string()} y={(base + 24).to_string()}
                                        width="20" height="18" rx="3" />
                                    <text class="mark-text" x={x.to_string()} y={(base + 37).to_string()}
                                        text-anchor="middle">{ word }</text>
                                </g>
                            }
                        </g>
                    }
                }) }
                { for plan.iter().map(|pts| html! {
                    <polyline class="line-plan" points={pts.clone()} />
                }) }
                { for actual.iter().map(|pts| html! {
                    <polyline class="line-actual" points={pts.clone()} />
                }) }
                { for p.months.iter().enumerate().filter_map(|(i, m)| {
                    let v = m.completed?;
                    Some(html! {
                        <circle class="dot-actual" cx={x_of(i as i64 + 1).to_string()}
                            cy={y_of(v.cents(), top).to_string()} r="3.5" />
                    })
                }) }
            </svg>
        </figure>
    }
}

fn money_cell(m: Option<Money>) -> Html {
    match m {
        Some(m) => html! { <td class="num">{ format_money(m) }</td> },
        None => html! { <td class="num muted">{ "—" }</td> },
    }
}

/// The chart's figures, month by month: its text alternative.
pub fn progress_table(p: &ProjectProgress) -> Html {
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="计划与实际逐月数字">
            <table class="data progress-table" data-testid="progress-table">
                <caption class="sr-only">{ format!("{} 年逐月计划与实际", p.year) }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "月份" }</th>
                        <th scope="col" class="num">{ "序时进度" }</th>
                        <th scope="col" class="num">{ "计划应完成（万元）" }</th>
                        <th scope="col" class="num">{ "累计完成投资（万元）" }</th>
                        <th scope="col" class="num">{ "本年完成投资（万元）" }</th>
                        <th scope="col" class="num">{ "投资完成率" }</th>
                        <th scope="col">{ "预警" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for p.months.iter().map(|m| html! {
                        <tr data-testid="progress-row" data-period={m.period.clone()}
                            data-colour={m.colour.map(Level::key)}>
                            <th scope="row">{ m.period.clone() }</th>
                            <td class="num">{ m.expected_progress.map_or_else(|| "—".to_string(), format_percent) }</td>
                            { money_cell(m.expected_completed) }
                            { money_cell(m.cumulative) }
                            { money_cell(m.completed) }
                            <td class="num">{ m.completion_rate.map_or_else(|| "—".to_string(), format_percent) }</td>
                            <td>
                                { match m.colour {
                                    Some(l) => html! { <span class={level_class(l)}>{ l.label() }</span> },
                                    None => html! { <span class="muted">{ "—" }</span> },
                                } }
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// The CSS class of a level's label (`.level-red` …), shared with the 预警 page.
pub fn level_class(l: Level) -> &'static str {
    match l {
        Level::Red => "level level-red",
        Level::Yellow => "level level-yellow",
        Level::Green => "level level-green",
        Level::Info => "level level-info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(m: u32, due: Option<&str>, done: Option<&str>) -> ProgressMonth {
        ProgressMonth {
            period: format!("2024-{m:02}"),
            expected_progress: None,
            expected_completed: due.map(|d| d.parse().expect("money")),
            cumulative: None,
            completed: done.map(|d| d.parse().expect("money")),
            completion_rate: None,
            colour: None,
        }
    }

    #[test]
    fn the_axis_covers_the_largest_amount_in_whole_steps() {
        let ms = [
            month(1, Some("83.33"), None),
            month(12, Some("1000"), Some("320")),
        ];
        assert_eq!(axis(&ms), (1000, 200));
        assert_eq!(axis(&[]), (1, 1));
    }

    #[test]
    fn a_month_without_a_figure_breaks_the_line() {
        let ms = [
            month(1, None, Some("10")),
            month(2, None, None),
            month(3, None, Some("30")),
            month(4, None, Some("40")),
        ];
        let r = runs(&ms, |m| m.completed, 40);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].split(' ').count(), 2);
        assert_eq!(month_no("2024-06"), "6月");
    }
}
