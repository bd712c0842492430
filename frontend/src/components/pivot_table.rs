//! 县市区 × 类别: one figure per cell (the metric chosen), then each district's five totals,
//! and a totals row. Rows sort by any column. Props only; every cell links to its projects.

use keyproj_shared::{
    AppRoute, Category, DistrictFilter, Pivot, ProjectFilter, SummaryGroup, Totals,
};
use std::cmp::Reverse;
use yew::prelude::*;

use super::money::{format_money, format_percent};
use crate::services::nav;

/// The figures the pivot can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Count,
    Total,
    Planned,
    Social,
    Share,
}

impl Metric {
    pub const ALL: &'static [Metric] = &[
        Metric::Count,
        Metric::Total,
        Metric::Planned,
        Metric::Social,
        Metric::Share,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            Metric::Count => "count",
            Metric::Total => "total",
            Metric::Planned => "planned",
            Metric::Social => "social",
            Metric::Share => "share",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Metric::Count => "项目数",
            Metric::Total => "总投资",
            Metric::Planned => "“十四五”计划投资",
            Metric::Social => "社会投资",
            Metric::Share => "社会投资占比",
        }
    }

    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.iter().copied().find(|m| m.key() == s)
    }

    /// The figure as an integer to sort by; no share sorts below every share.
    fn value(self, t: &Totals) -> i64 {
        match self {
            Metric::Count => i64::try_from(t.count).unwrap_or(i64::MAX),
            Metric::Total => t.total_investment.cents(),
            Metric::Planned => t.planned_investment.cents(),
            Metric::Social => t.social_investment.cents(),
            Metric::Share => t.social_share_pct.map_or(-1, |p| p.basis_points()),
        }
    }

    /// The exact figure as shown.
    fn text(self, t: &Totals) -> String {
        match self {
            Metric::Count => t.count.to_string(),
            Metric::Total => format_money(t.total_investment),
            Metric::Planned => format_money(t.planned_investment),
            Metric::Social => format_money(t.social_investment),
            Metric::Share => t
                .social_share_pct
                .map_or_else(|| "—".to_string(), format_percent),
        }
    }
}

/// What the rows are ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// The plan's order of districts, 未分配 last.
    #[default]
    Plan,
    /// A district's total of one figure.
    Metric(Metric),
    /// The figure shown in one category's column.
    Category(Category),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PivotSort {
    pub by: SortBy,
    pub descending: bool,
}

impl PivotSort {
    /// `total`, `-total`, `B`, `-B`; empty for the plan's order.
    pub fn parse(s: &str) -> Option<PivotSort> {
        let (descending, key) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let by = if key.is_empty() || key == "district" {
            SortBy::Plan
        } else if let Some(m) = Metric::parse(key) {
            SortBy::Metric(m)
        } else {
            SortBy::Category(Category::ALL.iter().copied().find(|c| c.key() == key)?)
        };
        Some(PivotSort { by, descending })
    }

    /// The URL value; `None` for the default order.
    pub fn key(self) -> Option<String> {
        let key = match self.by {
            SortBy::Plan if !self.descending => return None,
            SortBy::Plan => "district",
            SortBy::Metric(m) => m.key(),
            SortBy::Category(c) => c.key(),
        };
        Some(format!("{}{key}", if self.descending { "-" } else { "" }))
    }

    /// A click on the sorted column flips it; figures start largest first.
    fn next(self, by: SortBy) -> PivotSort {
        if self.by == by {
            PivotSort {
                by,
                descending: !self.descending,
            }
        } else {
            PivotSort {
                by,
                descending: by != SortBy::Plan,
            }
        }
    }
}

pub fn group_totals(g: &SummaryGroup) -> Totals {
    Totals {
        count: g.count,
        total_investment: g.total_investment,
        planned_investment: g.planned_investment,
        social_investment: g.social_investment,
        social_share_pct: g.social_share_pct,
        ..Totals::default()
    }
}

fn cell<'a>(pivot: &'a Pivot, district: &str, category: Category) -> Option<&'a Totals> {
    pivot
        .cells
        .iter()
        .find(|c| c.district == district && c.category == category)
        .map(|c| &c.totals)
}

/// The rows in the order asked for (stable: ties keep the plan's order).
pub fn sorted_rows(pivot: &Pivot, sort: PivotSort, metric: Metric) -> Vec<&SummaryGroup> {
    let mut rows: Vec<&SummaryGroup> = pivot.rows.iter().collect();
    let key = |g: &SummaryGroup| match sort.by {
        SortBy::Plan => 0,
        SortBy::Metric(m) => m.value(&group_totals(g)),
        SortBy::Category(c) => cell(pivot, &g.key, c).map_or(-1, |t| metric.value(t)),
    };
    if sort.descending && sort.by == SortBy::Plan {
        rows.reverse();
    } else if sort.descending {
        crate::util::sort_by_key(&mut rows, |g| Reverse(key(g)));
    } else {
        crate::util::sort_by_key(&mut rows, |g| key(g));
    }
    rows
}

/// `filter`: the filters the pivot was made with; cell links add district and category.
pub fn pivot_table(
    pivot: &Pivot,
    metric: Metric,
    sort: PivotSort,
    on_sort: &Callback<PivotSort>,
    filter: &ProjectFilter,
) -> Html {
    let categories: Vec<Category> = pivot
        .columns
        .iter()
        .filter_map(|c| c.key.parse().ok())
        .collect();
    let link = |district: Option<&str>, category: Option<Category>| {
        let mut f = filter.clone();
        if let Some(d) = district {
            f.district = d.parse::<DistrictFilter>().ok();
        }
        if let Some(c) = category {
            f.category = Some(c);
        }
        nav::href(&AppRoute::Projects, &f.to_pairs())
    };
    let header = |by: SortBy, label: &'static str, testid: String| {
        let active = sort.by == by;
        let aria = match (active, sort.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        };
        let arrow = match (active, sort.descending) {
            (false, _) => "↕",
            (true, false) => "↑",
            (true, true) => "↓",
        };
        let on_sort = on_sort.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_sort.emit(sort.next(by)));
        let class = if by == SortBy::Plan { "" } else { "num" };
        html! {
            <th scope="col" {class} aria-sort={aria}>
                <button type="button" class={if active { "sort active" } else { "sort" }}
                    data-sort={testid} {onclick}>
                    { label }<span class="sort-arrow" aria-hidden="true">{ arrow }</span>
                </button>
            </th>
        }
    };
    let totals_cells = |t: &Totals, testid: Option<&'static str>| {
        Metric::ALL
            .iter()
            .map(|m| {
                let id = testid.map(|p| format!("{p}-{}", m.key()));
                html! {
                    <td class={if *m == Metric::Total { "num strong" } else { "num" }}
                        data-col={m.key()} data-testid={id}>
                        { m.text(t) }
                    </td>
                }
            })
            .collect::<Html>()
    };
    let rows = sorted_rows(pivot, sort, metric);
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="县市区 × 类别">
            <table class="data pivot" data-testid="pivot-table">
                <thead>
                    <tr>
                        { header(SortBy::Plan, "县市区", "district".into()) }
                        { for categories.iter().map(|c| header(SortBy::Category(*c), c.label(), c.key().into())) }
                        { for Metric::ALL.iter().map(|m| header(SortBy::Metric(*m), m.label(), m.key().into())) }
                    </tr>
                </thead>
                <tbody>
                    { for rows.into_iter().map(|g| html! {
                        <tr data-testid="pivot-row" data-key={g.key.clone()}>
                            <th scope="row"><a href={link(Some(&g.key), None)}>{ &g.label }</a></th>
                            { for categories.iter().map(|c| match cell(pivot, &g.key, *c) {
                                Some(t) => html! {
                                    <td class="num cell" data-col={c.key()}>
                                        <a href={link(Some(&g.key), Some(*c))}
                                            title={format!("{} · {}：{} 个项目", g.label, c.label(), t.count)}>
                                            { metric.text(t) }
                                        </a>
                                    </td>
                                },
                                None => html! { <td class="num muted" data-col={c.key()}>{ "·" }</td> },
                            }) }
                            { totals_cells(&group_totals(g), None) }
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    <tr data-testid="pivot-total">
                        <th scope="row">{ "合计" }</th>
                        { for categories.iter().zip(pivot.columns.iter()).map(|(c, g)| html! {
                            <td class="num" data-col={c.key()} data-testid={format!("pivot-total-{}", c.key())}>
                                <a href={link(None, Some(*c))}>{ metric.text(&group_totals(g)) }</a>
                            </td>
                        }) }
                        { totals_cells(&pivot.total, Some("pivot-total")) }
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use keyproj_shared::{Money, PivotCell};

    use super::*;

    fn group(key: &str, count: u64, total: i64) -> SummaryGroup {
        SummaryGroup {
            key: key.into(),
            label: key.into(),
            count,
            total_investment: Money::from_cents(total),
            planned_investment: Money::from_cents(total),
            social_investment: Money::ZERO,
            social_share_pct: None,
            investment_completed: Money::ZERO,
            approximate_count: 0,
        }
    }

    fn pivot() -> Pivot {
        let a = Category::ChildWelfare;
        Pivot {
            rows: vec![
                group("municipal", 3, 500),
                group("yuhu", 1, 900),
                group("unassigned", 2, 100),
            ],
            columns: vec![group("A", 6, 1500)],
            cells: vec![
                PivotCell {
                    district: "municipal".into(),
                    category: a,
                    totals: group_totals(&group("", 3, 500)),
                },
                PivotCell {
                    district: "unassigned".into(),
                    category: a,
                    totals: group_totals(&group("", 2, 100)),
                },
            ],
            total: group_totals(&group("", 6, 1500)),
        }
    }

    fn keys(rows: Vec<&SummaryGroup>) -> Vec<&str> {
        rows.into_iter().map(|g| g.key.as_str()).collect()
    }

    #[test]
    fn rows_sort_by_a_total_a_category_cell_or_the_plan() {
        let p = pivot();
        let by = |s: &str| PivotSort::parse(s).expect("sort");
        assert_eq!(
            keys(sorted_rows(&p, by(""), Metric::Total)),
            ["municipal", "yuhu", "unassigned"]
        );
        assert_eq!(
            keys(sorted_rows(&p, by("-total"), Metric::Total)),
            ["yuhu", "municipal", "unassigned"]
        );
        assert_eq!(
            keys(sorted_rows(&p, by("count"), Metric::Total)),
            ["yuhu", "unassigned", "municipal"]
        );
        // yuhu has no A cell: it sorts below every filled one
        assert_eq!(
            keys(sorted_rows(&p, by("-A"), Metric::Count)),
            ["municipal", "unassigned", "yuhu"]
        );
        assert_eq!(
            keys(sorted_rows(&p, by("-district"), Metric::Total)),
            ["unassigned", "yuhu", "municipal"]
        );
    }

    #[test]
    fn a_sort_survives_the_address_bar() {
        for s in ["-total", "share", "B", "-E", "-district"] {
            assert_eq!(
                PivotSort::parse(s).and_then(PivotSort::key).as_deref(),
                Some(s)
            );
        }
        assert_eq!(PivotSort::parse("").and_then(PivotSort::key), None);
        assert_eq!(PivotSort::parse("colour"), None);
        let s = PivotSort::default().next(SortBy::Metric(Metric::Total));
        assert_eq!(s.key().as_deref(), Some("-total"));
        assert_eq!(
            s.next(SortBy::Metric(Metric::Total)).key().as_deref(),
            Some("total")
        );
    }
}
