//! Schedules on a year grid: a header of years and one SVG strip per project, so labels stay
//! HTML (readable, ellipsised) while the bars stretch to the width there is. Props only.
//!
//! A date the plan gives as a range of years (`2021-2023`) is approximate: the part of a bar
//! that is uncertain is drawn faded with a dashed edge, the certain part solid.

use keyproj_shared::ScheduleDate;
use yew::prelude::*;

use super::charts::css_percent;

/// Width of a strip in SVG units.
const W: i64 = 1000;
/// The plan's window, 2021-2025, is shaded on every strip.
const PLAN_FROM: i32 = 2021;
const PLAN_TO: i32 = 2025;

/// The years a strip covers, first and last inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: i32,
    pub to: i32,
}

impl Span {
    /// 2020-2026 at least, widened to take in every schedule given.
    pub fn covering<'a>(dates: impl IntoIterator<Item = &'a ScheduleDate>) -> Span {
        let mut span = Span {
            from: 2020,
            to: 2026,
        };
        for d in dates {
            span.from = span.from.min(d.earliest_year);
            span.to = span.to.max(d.latest_year);
        }
        span
    }

    fn months(self) -> i64 {
        i64::from(self.to - self.from + 1) * 12
    }

    /// Months since January of `from` → SVG x.
    fn x(self, month: i64) -> i64 {
        let m = month.clamp(0, self.months());
        m * W / self.months()
    }

    /// Tenths of a month since January of `from` → per-mille of the width.
    fn permille_tenths(self, tenths: i64) -> i64 {
        tenths.clamp(0, self.months() * 10) * 1000 / (self.months() * 10)
    }

    fn years(self) -> impl Iterator<Item = i32> {
        self.from..=self.to
    }
}

/// Months since January of `from` where a date's period begins (`first`) or ends.
fn month_start(span: Span, year: i32, month: Option<u8>) -> i64 {
    i64::from(year - span.from) * 12 + month.map_or(0, |m| i64::from(m) - 1)
}

fn month_end(span: Span, year: i32, month: Option<u8>) -> i64 {
    i64::from(year - span.from) * 12 + month.map_or(12, i64::from)
}

/// The pieces of a bar in months since January of `span.from`: (from, to, approximate).
pub fn pieces(span: Span, start: &ScheduleDate, end: &ScheduleDate) -> Vec<(i64, i64, bool)> {
    let first = month_start(span, start.earliest_year, start.earliest_month);
    let last = month_end(span, end.latest_year, end.latest_month);
    // The certain part: from the latest possible start to the earliest possible end.
    let sure_from = if start.approximate {
        month_start(span, start.latest_year, start.latest_month)
    } else {
        first
    };
    let sure_to = if end.approximate {
        month_end(span, end.earliest_year, end.earliest_month)
    } else {
        last
    };
    if sure_from >= sure_to {
        return vec![(first, last.max(first + 1), true)];
    }
    let mut out = Vec::with_capacity(3);
    if first < sure_from {
        out.push((first, sure_from, true));
    }
    out.push((sure_from, sure_to, false));
    if sure_to < last {
        out.push((sure_to, last, true));
    }
    out
}

/// Today in tenths of a month since January of `span.from`, from the browser's clock.
pub fn today_tenths(span: Span) -> Option<i64> {
    #[cfg(target_arch = "wasm32")]
    {
        let now = web_sys::js_sys::Date::new_0();
        let year = i64::from(now.get_full_year());
        let month = i64::from(now.get_month());
        let day = i64::from(now.get_date());
        let t = ((year - i64::from(span.from)) * 12 + month) * 10 + (day - 1) * 10 / 31;
        (0..=span.months() * 10).contains(&t).then_some(t)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = span;
        None
    }
}

/// The year labels above the strips, and the "今天" tag over today's line.
pub fn gantt_header(span: Span, today: Option<i64>) -> Html {
    let year_w = 1000 / (i64::from(span.to - span.from) + 1);
    html! {
        <div class="gantt-years" aria-hidden="true">
            { for span.years().map(|y| {
                let left = i64::from(y - span.from) * 1000 / (i64::from(span.to - span.from) + 1);
                html! {
                    <span class={if (PLAN_FROM..=PLAN_TO).contains(&y) { "year in-plan" } else { "year" }}
                        style={format!("left:{};width:{}", css_percent(left), css_percent(year_w))}>
                        { y }
                    </span>
                }
            }) }
            if let Some(t) = today {
                <span class="today-tag" style={format!("left:{}", css_percent(span.permille_tenths(t)))}>
                    { "今天" }
                </span>
            }
        </div>
    }
}

/// One project's bar: its code, its dates, where it leads (no link on the project's own
/// page), and what it says in words (spoken, and shown on hover).
pub struct GanttBar<'a> {
    pub code: &'a str,
    pub start: &'a ScheduleDate,
    pub end: &'a ScheduleDate,
    pub href: Option<String>,
    pub label: String,
}

/// One project's strip: year grid, the plan's window shaded, today's line, and its bar.
pub fn gantt_bar(span: Span, today: Option<i64>, bar: GanttBar<'_>) -> Html {
    let parts = pieces(span, bar.start, bar.end);
    let approximate = parts.iter().any(|p| p.2);
    let n = parts.len();
    let rects = parts.into_iter().enumerate().map(|(i, (from, to, fuzzy))| {
        let x = span.x(from);
        let w = (span.x(to) - x).max(4);
        // A faded end fades away from the certain part.
        let class = match (fuzzy, n, i) {
            (false, _, _) => "sure",
            (true, 1, _) => "fuzzy both",
            (true, _, 0) => "fuzzy left",
            (true, _, _) => "fuzzy right",
        };
        html! {
            <rect class={class} x={x.to_string()} y="5" width={w.to_string()} height="14"
                vector-effect="non-scaling-stroke" />
        }
    });
    let plan_x = span.x(month_start(span, PLAN_FROM, None));
    let plan_w = span.x(month_end(span, PLAN_TO, None)) - plan_x;
    let label = AttrValue::from(bar.label);
    let code = AttrValue::from(bar.code.to_string());
    let approximate = approximate.then_some("true");
    let shapes = html! {
        <>
            <title>{ label.clone() }</title>
            { for rects }
        </>
    };
    html! {
        <svg class="gantt-strip" viewBox={format!("0 0 {W} 24")} preserveAspectRatio="none"
            focusable="false">
            <rect class="plan-window" x={plan_x.to_string()} y="0" width={plan_w.to_string()}
                height="24" />
            { for span.years().skip(1).map(|y| {
                let x = span.x(month_start(span, y, None)).to_string();
                html! {
                    <line class="grid" x1={x.clone()} x2={x} y1="0" y2="24"
                        vector-effect="non-scaling-stroke" />
                }
            }) }
            if let Some(href) = bar.href {
                <a {href} data-testid="gantt-bar" data-code={code}
                    data-approximate={approximate} aria-label={label}>
                    { shapes }
                </a>
            } else {
                <g data-testid="gantt-bar" data-code={code}
                    data-approximate={approximate} role="img" aria-label={label}>
                    { shapes }
                </g>
            }
            if let Some(t) = today {
                <line class="today" x1={(span.permille_tenths(t)).to_string()}
                    x2={(span.permille_tenths(t)).to_string()} y1="0" y2="24"
                    vector-effect="non-scaling-stroke" />
            }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> ScheduleDate {
        ScheduleDate::parse_published(s).expect("schedule")
    }

    const SPAN: Span = Span {
        from: 2020,
        to: 2026,
    };

    #[test]
    fn exact_years_make_one_solid_bar_from_january_to_december() {
        // 2021 → 2023: January 2021 (month 12) to the end of 2023 (month 48)
        assert_eq!(pieces(SPAN, &d("2021"), &d("2023")), [(12, 48, false)]);
        // 2021.1 → 2021.8: January to the end of August 2021
        assert_eq!(pieces(SPAN, &d("2021.1"), &d("2021.8")), [(12, 20, false)]);
    }

    #[test]
    fn ranges_fade_at_the_uncertain_ends() {
        // B31: 2021-2022 → 2022-2024: uncertain 2021, sure 2022, uncertain 2023-2024
        assert_eq!(
            pieces(SPAN, &d("2021-2022"), &d("2022-2024")),
            [(12, 24, true), (24, 36, false), (36, 60, true)]
        );
        // B14: 2021-2023 → 2021-2023: nothing is sure, the whole bar is approximate
        assert_eq!(
            pieces(SPAN, &d("2021-2023"), &d("2021-2023")),
            [(12, 48, true)]
        );
    }

    #[test]
    fn the_span_widens_to_the_data() {
        let a = d("2019");
        let b = d("2028");
        assert_eq!(
            Span::covering([&a, &b]),
            Span {
                from: 2019,
                to: 2028
            }
        );
        assert_eq!(Span::covering([]), SPAN);
        assert_eq!(SPAN.x(0), 0);
        assert_eq!(SPAN.x(84), 1000);
        assert_eq!(SPAN.x(12), 142);
    }
}
