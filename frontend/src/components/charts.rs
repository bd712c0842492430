//! The dashboard's charts, drawn as SVG by yew, props only. Geometry is integer arithmetic on
//! the exact amounts (hundredths of 万元, hundredths of a percent): no float is ever formatted,
//! and every figure shown is the exact `Money`/`Percent` text the page passes in.
//!
//! Horizontal bars put their labels and figures in HTML beside a stretched SVG strip, so the
//! words stay readable from a phone to a wide screen; the year columns are one SVG.

use yew::prelude::*;

use super::money::format_int;

/// Width of a bar strip in SVG units; bars stretch it to the space they have.
const STRIP: i64 = 1000;

/// The smallest step of 1, 2 or 5 × 10ⁿ that covers `max` in at most `ticks` steps.
pub fn nice_step(max: i64, ticks: i64) -> i64 {
    let mut power = 1_i64;
    loop {
        for m in [1, 2, 5] {
            let step = m * power;
            if step * ticks >= max {
                return step;
            }
        }
        power = power.saturating_mul(10);
    }
}

/// `value` of `top` in `width` units, rounded down; 0 when `top` is 0.
pub fn scale(value: i64, top: i64, width: i64) -> i64 {
    if top <= 0 {
        return 0;
    }
    let v = i128::from(value.clamp(0, top)) * i128::from(width) / i128::from(top);
    i64::try_from(v).unwrap_or(0)
}

/// A CSS percentage with one decimal, from per-mille: `205` → `20.5%`.
pub fn css_percent(permille: i64) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

/// What the raw values of a chart are. Both are hundredths of the unit shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Hundredths of 万元 (`Money::cents`).
    Money,
    /// Hundredths of a percent (`Percent::basis_points`).
    Percent,
}

/// An axis in whole display units (万元 or %): its step, its end, and tick labels.
struct Axis {
    /// Raw units.
    top: i64,
    ticks: Vec<(i64, String)>,
}

impl Axis {
    fn new(max_raw: i64, unit: Unit) -> Axis {
        let max = (max_raw.max(0) + 99) / 100;
        let step = nice_step(max.max(1), 5);
        let n = (max + step - 1) / step;
        let n = n.max(1);
        let suffix = match unit {
            Unit::Money => "",
            Unit::Percent => "%",
        };
        let ticks = (0..=n)
            .map(|i| (i * step * 100, format!("{}{suffix}", format_int(i * step))))
            .collect();
        Axis {
            top: n * step * 100,
            ticks,
        }
    }
}

/// One coloured piece of a bar, and where it leads.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Raw value (see [`Unit`]).
    pub value: i64,
    /// CSS class: `seg gov`, `seg social`, `seg share`.
    pub class: &'static str,
    pub href: String,
    /// What a reader hears and sees on hover, with the exact figure.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    pub label: String,
    pub segments: Vec<Segment>,
    /// The exact figure printed after the bar.
    pub value: String,
}

/// Horizontal bars, stacked where a row has several segments; every segment is a link.
pub struct BarChart {
    pub title: &'static str,
    /// Says what the figures after the bars are, e.g. "总投资（万元）".
    pub value_caption: &'static str,
    pub unit: Unit,
    pub rows: Vec<BarRow>,
    /// (CSS class of the swatch, e.g. `swatch gov`; words) for each kind of segment.
    pub legend: &'static [(&'static str, &'static str)],
    pub testid: &'static str,
}

pub fn bar_chart(props: &BarChart) -> Html {
    let max = props
        .rows
        .iter()
        .map(|r| r.segments.iter().map(|s| s.value.max(0)).sum::<i64>())
        .max()
        .unwrap_or(0);
    let axis = Axis::new(max, props.unit);
    let grid: Vec<i64> = axis
        .ticks
        .iter()
        .skip(1)
        .map(|(v, _)| scale(*v, axis.top, STRIP))
        .collect();
    let row = |r: &BarRow| {
        let mut x = 0;
        let segments = r.segments.iter().filter(|s| s.value > 0).map(|s| {
            // A sliver stays visible (and clickable) however small its share.
            let w = scale(s.value, axis.top, STRIP).max(3);
            let at = x;
            x += w;
            html! {
                <a href={s.href.clone()} data-testid="chart-link" aria-label={s.label.clone()}>
                    <title>{ s.label.clone() }</title>
                    <rect class={s.class} x={at.to_string()} y="4"
                        width={w.to_string()} height="16" />
                </a>
            }
        });
        html! {
            <div class="bar-row">
                <span class="bar-label">{ r.label.clone() }</span>
                <svg class="bar-strip" viewBox={format!("0 0 {STRIP} 24")}
                    preserveAspectRatio="none" focusable="false">
                    { for grid.iter().map(|x| html! {
                        <line class="grid" x1={x.to_string()} x2={x.to_string()} y1="0" y2="24"
                            vector-effect="non-scaling-stroke" />
                    }) }
                    { for segments }
                </svg>
                <span class="bar-value num">{ r.value.clone() }</span>
            </div>
        }
    };
    html! {
        <figure class="chart bar-chart" data-testid={props.testid}>
            <figcaption>
                <span class="chart-title">{ props.title }</span>
                { legend(props.legend) }
            </figcaption>
            <div class="bars">
                <div class="bar-row bar-head" aria-hidden="true">
                    <span></span><span></span>
                    <span class="bar-value">{ props.value_caption }</span>
                </div>
                { for props.rows.iter().map(row) }
                <div class="bar-row bar-axis" aria-hidden="true">
                    <span></span>
                    <span class="axis-ticks">
                        { for axis.ticks.iter().map(|(v, label)| html! {
                            <span style={format!("left:{}", css_percent(scale(*v, axis.top, 1000)))}>
                                { label.clone() }
                            </span>
                        }) }
                    </span>
                    <span></span>
                </div>
            </div>
        </figure>
    }
}

fn legend(items: &[(&'static str, &'static str)]) -> Html {
    if items.is_empty() {
        return html! {};
    }
    html! {
        <span class="legend">
            { for items.iter().map(|(class, label)| html! {
                <span class="legend-item">
                    <span class={*class} aria-hidden="true"></span>
                    { *label }
                </span>
            }) }
        </span>
    }
}

/// One column of a year: a count, how many of it are approximate, and its link.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub count: u64,
    /// Drawn hatched on top of the column.
    pub approximate: u64,
    pub class: &'static str,
    pub href: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnGroup {
    pub label: String,
    pub columns: Vec<Column>,
}

/// Grouped columns of counts (e.g. projects starting and completing each year).
pub struct ColumnChart {
    pub title: &'static str,
    pub groups: Vec<ColumnGroup>,
    pub legend: &'static [(&'static str, &'static str)],
    pub testid: &'static str,
}

const COL_W: i64 = 420;
const COL_H: i64 = 210;
const LEFT: i64 = 30;
const RIGHT: i64 = 6;
const TOP: i64 = 18;
const BOTTOM: i64 = 24;

pub fn column_chart(props: &ColumnChart) -> Html {
    let max = props
        .groups
        .iter()
        .flat_map(|g| g.columns.iter().map(|c| c.count))
        .max()
        .unwrap_or(0);
    let max = i64::try_from(max).unwrap_or(i64::MAX);
    let step = nice_step(max.max(1), 4);
    let top = step * ((max + step - 1) / step).max(1);
    let plot_w = COL_W - LEFT - RIGHT;
    let plot_h = COL_H - TOP - BOTTOM;
    let base = TOP + plot_h;
    let y = |v: i64| base - scale(v, top, plot_h);
    let n = i64::try_from(props.groups.len()).unwrap_or(1).max(1);
    let group_w = plot_w / n;
    let per_group = i64::try_from(props.groups.first().map_or(1, |g| g.columns.len()))
        .unwrap_or(1)
        .max(1);
    let col_w = ((group_w - 8) / per_group).clamp(4, 26);
    let ticks: Vec<i64> = (0..=top / step).map(|i| i * step).collect();

    let group = |(gi, g): (usize, &ColumnGroup)| {
        let gx = LEFT + i64::try_from(gi).unwrap_or(0) * group_w;
        let x0 = gx + (group_w - col_w * per_group) / 2;
        let columns = g.columns.iter().enumerate().map(|(ci, c)| {
            let x = x0 + i64::try_from(ci).unwrap_or(0) * col_w;
            let count = i64::try_from(c.count).unwrap_or(0);
            let approx = i64::try_from(c.approximate).unwrap_or(0).min(count);
            let yt = y(count);
            let ya = y(count - approx);
            let w = (col_w - 2).to_string();
            html! {
                <a href={c.href.clone()} data-testid="chart-link" aria-label={c.label.clone()}>
                    <title>{ c.label.clone() }</title>
                    <rect class={c.class} x={x.to_string()} y={yt.to_string()}
                        width={w.clone()} height={(base - yt).max(0).to_string()} />
                    if approx > 0 {
                        <rect class="col-approx" x={x.to_string()} y={yt.to_string()}
                            width={w} height={(ya - yt).to_string()} />
                    }
                    if count > 0 {
                        <text class="col-count" x={(x + (col_w - 2) / 2).to_string()}
                            y={(yt - 4).to_string()} text-anchor="middle">{ count }</text>
                    }
                </a>
            }
        });
        html! {
            <g>
                { for columns }
                <text class="axis-label" x={(gx + group_w / 2).to_string()}
                    y={(COL_H - 6).to_string()} text-anchor="middle">{ g.label.clone() }</text>
            </g>
        }
    };

    html! {
        <figure class="chart column-chart" data-testid={props.testid}>
            <figcaption>
                <span class="chart-title">{ props.title }</span>
                { legend(props.legend) }
            </figcaption>
            <svg class="column-svg" viewBox={format!("0 0 {COL_W} {COL_H}")} role="group"
                aria-label={props.title}>
                { for ticks.iter().map(|t| {
                    let ty = y(*t).to_string();
                    html! {
                        <g>
                            <line class="grid" x1={LEFT.to_string()} x2={(COL_W - RIGHT).to_string()}
                                y1={ty.clone()} y2={ty.clone()} />
                            <text class="axis-label" x={(LEFT - 4).to_string()} y={ty}
                                text-anchor="end" dominant-baseline="middle">{ t }</text>
                        </g>
                    }
                }) }
                { for props.groups.iter().enumerate().map(group) }
            </svg>
        </figure>
    }
}

/// One part of a whole, e.g. 社会投资 of 总投资.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub value: i64,
    pub class: &'static str,
}

/// A whole split into its parts, side by side in one bar (no axis, no links); `label` is
/// spoken in place of the drawing, with the exact figures.
pub fn split_bar(parts: &[Part], label: String) -> Html {
    let whole: i64 = parts.iter().map(|p| p.value.max(0)).sum();
    let mut x = 0;
    let rects = parts.iter().filter(|p| p.value > 0).map(|p| {
        let w = scale(p.value, whole, STRIP).max(3);
        let at = x;
        x += w;
        html! {
            <rect class={p.class} x={at.to_string()} y="0"
                width={w.to_string()} height="20" />
        }
    });
    html! {
        <svg class="split-bar" viewBox={format!("0 0 {STRIP} 20")} preserveAspectRatio="none"
            role="img" aria-label={label}>
            <rect class="seg empty" x="0" y="0" width={STRIP.to_string()} height="20" />
            { for rects }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(1, 5), 1);
        assert_eq!(nice_step(7, 5), 2);
        assert_eq!(nice_step(96, 5), 20);
        assert_eq!(nice_step(159_840, 5), 50_000);
        assert_eq!(nice_step(68, 4), 20);
    }

    #[test]
    fn an_axis_covers_the_largest_value_in_whole_units() {
        // 159,840.00 万元 → 0 … 200,000 by 50,000
        let a = Axis::new(15_984_000, Unit::Money);
        assert_eq!(a.top, 20_000_000);
        let labels: Vec<_> = a.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0", "50,000", "100,000", "150,000", "200,000"]);
        // 95.24% → 0 … 100%
        let p = Axis::new(9_524, Unit::Percent);
        assert_eq!(p.top, 10_000);
        assert_eq!(p.ticks.last().map(|t| t.1.as_str()), Some("100%"));
        // nothing at all still draws an axis
        assert_eq!(Axis::new(0, Unit::Money).top, 100);
    }

    #[test]
    fn scaling_is_integer_and_clamped() {
        assert_eq!(scale(50, 100, 1000), 500);
        assert_eq!(scale(1, 3, 1000), 333);
        assert_eq!(scale(200, 100, 1000), 1000);
        assert_eq!(scale(5, 0, 1000), 0);
        assert_eq!(css_percent(205), "20.5%");
        assert_eq!(css_percent(1000), "100.0%");
    }
}
