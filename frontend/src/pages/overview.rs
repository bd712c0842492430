//! 总览: the headline figures of all projects, the split by 建设性质, and the charts: money
//! by category and by district (government and social stacked), the social share of each,
//! and the projects starting and completing each year. Every bar opens the project list
//! filtered to it.

use std::cell::Cell;

use keyproj_shared::address;
use keyproj_shared::{
    AppRoute, GroupBy, Money, Period, Reconciliation, Summary, SummaryGroup, WarningQuery,
};
use yew::prelude::*;

use crate::components::charts::{
    BarChart, BarRow, Column, ColumnChart, ColumnGroup, Segment, Unit, bar_chart, column_chart,
};
use crate::components::error_box::error_box;
use crate::components::loading::loading;
use crate::components::money::{format_money, format_percent};
use crate::hooks::{Fetched, answer, use_api, use_title};
use crate::services::{self, ApiError, nav};

/// What the dashboard draws, fetched at once.
pub struct Dashboard {
    district: Summary,
    category: Summary,
    nature: Summary,
    start_year: Summary,
    end_year: Summary,
    reconciliation: Reconciliation,
}

/// The summary of every project grouped by `group_by` (one of `address::DASHBOARD_GROUPS`,
/// which the server preloads).
async fn summary_by(group_by: GroupBy) -> Result<Summary, ApiError> {
    services::summary(&address::dashboard_summary(group_by)).await
}

/// The six requests go out together; the first failure is the answer.
async fn load() -> Result<Dashboard, ApiError> {
    let (district, category, nature, start_year, end_year, reconciliation) = futures::try_join!(
        summary_by(GroupBy::District),
        summary_by(GroupBy::Category),
        summary_by(GroupBy::Nature),
        summary_by(GroupBy::StartYear),
        summary_by(GroupBy::EndYear),
        services::reconciliation(),
    )?;
    Ok(Dashboard {
        district,
        category,
        nature,
        start_year,
        end_year,
        reconciliation,
    })
}

thread_local! {
    static MARKED: Cell<bool> = const { Cell::new(false) };
}

/// `performance.mark("keyproj-first-data")`, the first time the dashboard shows data.
fn mark_first_data() {
    if MARKED.with(|m| m.replace(true)) {
        return;
    }
    if let Some(perf) = gloo::utils::window().performance() {
        let _ = perf.mark("keyproj-first-data");
    }
}

#[component]
pub fn OverviewPage() -> Html {
    use_title(String::new());
    let api = use_api(AttrValue::Static("dashboard"), |_| {
        Box::pin(async { answer(load().await) })
    });
    let ready = api.is_ready();
    use_effect_with(ready, |ready| {
        if *ready {
            mark_first_data();
        }
    });
    let body = match api.get::<Dashboard>() {
        Fetched::Loading => loading(),
        Fetched::Failed(error) => error_box(error, &api.retry, Html::default()),
        Fetched::Ready(d) => dashboard(d),
    };
    html! {
        <section class="page overview">
            <h1>{ "总览" }</h1>
            <p class="lead">
                { "湘潭市“十四五”民政事业发展规划附件1所列重点建设项目。点击图中任一条形，可查看对应的项目清单。" }
            </p>
            <WarningTiles />
            { body }
        </section>
    }
}

/// The three tiles: each a list of the 预警 page for the month, and how many rows it has.
fn tile_queries(period: Period) -> [(&'static str, &'static str, WarningQuery); 3] {
    let [red, yellow, not_reported] = address::dashboard_tiles(period);
    [
        ("红色预警", "tile-red", red),
        ("黄色预警", "tile-yellow", yellow),
        ("未按时报送", "tile-not-reported", not_reported),
    ]
}

async fn tile_counts(period: Period) -> Result<[u64; 3], ApiError> {
    let [a, b, c] = tile_queries(period).map(|(_, _, q)| q);
    let (a, b, c) = futures::try_join!(
        services::warning_count(&a),
        services::warning_count(&b),
        services::warning_count(&c),
    )?;
    Ok([a, b, c])
}

/// 预警 of the last month whose reports are due: red, yellow, not reported, each a link to
/// the 预警 list filtered to it, with that list's count. Drawn at once with placeholders, so
/// the counts arriving move nothing (CLS).
#[component]
fn WarningTiles() -> Html {
    let period = crate::pages::warnings::default_period();
    let key = AttrValue::from(period.map(|p| p.to_string()).unwrap_or_default());
    let api = use_api(key, |key| {
        Box::pin(async move {
            match key.parse::<Period>() {
                Ok(p) => answer(tile_counts(p).await),
                Err(()) => answer::<()>(Ok(())),
            }
        })
    });
    let Some(period) = period else {
        return Html::default();
    };
    let counts = match api.get::<[u64; 3]>() {
        Fetched::Ready(c) => Some(*c),
        _ => None,
    };
    let failed = matches!(api.get::<[u64; 3]>(), Fetched::Failed(_));
    html! {
        <section class="warning-tiles" aria-labelledby="warning-tiles-title" data-testid="warning-tiles">
            <h2 id="warning-tiles-title" class="tiles-title">
                { format!("{}年{}月预警", period.year(), period.month()) }
            </h2>
            <ul class="tiles">
                { for tile_queries(period).into_iter().enumerate().map(|(i, (label, class, q))| {
                    let value = match counts {
                        Some(c) => c[i].to_string(),
                        None if failed => "—".to_string(),
                        None => "…".to_string(),
                    };
                    html! {
                        <li>
                            <a class={classes!("tile", class)} href={nav::href(&AppRoute::Warnings, &q.to_pairs())}
                                data-testid={class}>
                                <span class="tile-label">{ label }</span>
                                <span class="tile-value num" data-testid="tile-count">{ value }</span>
                                <span class="tile-unit">{ "条" }</span>
                            </a>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

fn kpi(label: &'static str, value: String, unit: &'static str, testid: &'static str) -> Html {
    html! {
        <div class="kpi">
            <dt>{ label }</dt>
            <dd>
                <span class="kpi-value num" data-testid={testid}>{ value }</span>
                if !unit.is_empty() {
                    <span class="unit">{ unit }</span>
                }
            </dd>
        </div>
    }
}

fn projects_href(pairs: &[(&'static str, String)]) -> String {
    nav::href(&AppRoute::Projects, pairs)
}

/// 政府投资 and 社会投资 of a group, stacked; each links to the group's projects.
fn money_rows(groups: &[SummaryGroup], key: &'static str) -> Vec<BarRow> {
    groups
        .iter()
        .map(|g| {
            let government = g
                .total_investment
                .checked_sub(g.social_investment)
                .unwrap_or(Money::ZERO);
            BarRow {
                label: g.label.clone(),
                segments: vec![
                    Segment {
                        value: government.cents(),
                        class: "seg gov",
                        href: projects_href(&[(key, g.key.clone())]),
                        label: format!("{}：政府投资 {} 万元", g.label, format_money(government)),
                    },
                    Segment {
                        value: g.social_investment.cents(),
                        class: "seg social",
                        href: projects_href(&[(key, g.key.clone()), ("has_social", "true".into())]),
                        label: format!(
                            "{}：社会投资 {} 万元",
                            g.label,
                            format_money(g.social_investment)
                        ),
                    },
                ],
                value: format_money(g.total_investment),
            }
        })
        .collect()
}

fn share_rows(groups: &[SummaryGroup], key: &'static str) -> Vec<BarRow> {
    groups
        .iter()
        .map(|g| {
            let share = g
                .social_share_pct
                .map_or_else(|| "—".to_string(), format_percent);
            BarRow {
                label: g.label.clone(),
                segments: vec![Segment {
                    value: g.social_share_pct.map_or(0, |p| p.basis_points()),
                    class: "seg share",
                    href: projects_href(&[(key, g.key.clone()), ("has_social", "true".into())]),
                    label: format!(
                        "{}：社会投资占比 {share}（社会投资 {} 万元）",
                        g.label,
                        format_money(g.social_investment)
                    ),
                }],
                value: share,
            }
        })
        .collect()
}

/// For each year that starts or completes a project: two columns, 开工 and 竣工.
fn year_groups(start: &Summary, end: &Summary) -> Vec<ColumnGroup> {
    let mut years: Vec<&str> = start
        .groups
        .iter()
        .chain(end.groups.iter())
        .map(|g| g.key.as_str())
        .collect();
    crate::util::sort_by_key(&mut years, |y| *y);
    years.dedup();
    let column = |s: &Summary, year: &str, what: &'static str, class, from, to| {
        let g = s.groups.iter().find(|g| g.key == year);
        let count = g.map_or(0, |g| g.count);
        let approximate = g.map_or(0, |g| g.approximate_count);
        let approx_words = if approximate > 0 {
            format!("，其中 {approximate} 个为年份区间")
        } else {
            String::new()
        };
        Column {
            count,
            approximate,
            class,
            href: projects_href(&[(from, year.to_string()), (to, year.to_string())]),
            label: format!("{year}年{what}：{count} 个项目{approx_words}"),
        }
    };
    years
        .into_iter()
        .map(|y| ColumnGroup {
            label: y.to_string(),
            columns: vec![
                column(
                    start,
                    y,
                    "开工",
                    "col start",
                    "start_year_from",
                    "start_year_to",
                ),
                column(end, y, "竣工", "col end", "end_year_from", "end_year_to"),
            ],
        })
        .collect()
}

fn reconciliation_note(r: &Reconciliation) -> Html {
    let Some(total) = r.rows.iter().find(|r| r.category.is_none() && !r.matches) else {
        return html! {};
    };
    html! {
        <div class="callout" role="note" data-testid="overview-reconciliation">
            <p>
                { format!(
                    "原表“总计”行印为总投资 {} 万元、“十四五”计划投资 {} 万元；按 {} 个项目逐行相加为 {} 万元、{} 万元（差额 {} 万元）。本系统的合计均为逐行相加之和。",
                    format_money(total.published.total_investment),
                    format_money(total.published.planned_investment),
                    total.computed.count,
                    format_money(total.computed.total_investment),
                    format_money(total.computed.planned_investment),
                    format_money(total.difference.total_investment),
                ) }
                { " " }
                <a href={format!("{}#reconciliation", AppRoute::Budget.path())}>{ "查看对账" }</a>
            </p>
        </div>
    }
}

const MONEY_LEGEND: &[(&str, &str)] = &[("swatch gov", "政府投资"), ("swatch social", "社会投资")];

fn dashboard(d: &Dashboard) -> Html {
    let t = &d.district.total;
    let share = t
        .social_share_pct
        .map_or_else(|| "—".to_string(), format_percent);
    let nature_max = d
        .nature
        .groups
        .iter()
        .map(|g| g.count)
        .max()
        .unwrap_or(1)
        .max(1);
    html! {
        <>
            <dl class="kpis" aria-label="全部项目合计">
                { kpi("项目数", t.count.to_string(), "个", "kpi-count") }
                { kpi("总投资", format_money(t.total_investment), "万元", "kpi-total") }
                { kpi("“十四五”计划投资", format_money(t.planned_investment), "万元", "kpi-planned") }
                { kpi("社会投资", format_money(t.social_investment), "万元", "kpi-social") }
                { kpi("社会投资占比", share, "", "kpi-social-share") }
                { kpi("累计完成投资（已审核）", format_money(t.investment_completed), "万元", "kpi-completed") }
            </dl>
            { reconciliation_note(&d.reconciliation) }
            <div class="dash-grid">
                { bar_chart(&BarChart {
                    title: "按类别：总投资构成",
                    value_caption: "总投资（万元）",
                    unit: Unit::Money,
                    rows: money_rows(&d.category.groups, "category"),
                    legend: MONEY_LEGEND,
                    testid: "chart-category-investment",
                }) }
                { bar_chart(&BarChart {
                    title: "按县市区：总投资构成",
                    value_caption: "总投资（万元）",
                    unit: Unit::Money,
                    rows: money_rows(&d.district.groups, "district"),
                    legend: MONEY_LEGEND,
                    testid: "chart-district-investment",
                }) }
                { bar_chart(&BarChart {
                    title: "按类别：社会投资占比",
                    value_caption: "社会投资占比",
                    unit: Unit::Percent,
                    rows: share_rows(&d.category.groups, "category"),
                    legend: &[],
                    testid: "chart-category-share",
                }) }
                { bar_chart(&BarChart {
                    title: "按县市区：社会投资占比",
                    value_caption: "社会投资占比",
                    unit: Unit::Percent,
                    rows: share_rows(&d.district.groups, "district"),
                    legend: &[],
                    testid: "chart-district-share",
                }) }
                { column_chart(&ColumnChart {
                    title: "各年开工、竣工项目数",
                    groups: year_groups(&d.start_year, &d.end_year),
                    legend: &[
                        ("swatch start", "开工"),
                        ("swatch end", "竣工"),
                        ("swatch approx", "年份区间（约）"),
                    ],
                    testid: "chart-years",
                }) }
                <section class="chart nature" aria-labelledby="nature-title" data-testid="nature-summary">
                    <h2 class="chart-title" id="nature-title">{ "按建设性质：项目数" }</h2>
                    <ul class="nature-list">
                        { for d.nature.groups.iter().map(|g| html! {
                            <li data-testid="nature-count" data-key={g.key.clone()}>
                                <a href={projects_href(&[("nature", g.key.clone())])}>{ &g.label }</a>
                                <span class="meter" aria-hidden="true">
                                    <span style={format!("width:{}%", g.count * 100 / nature_max)}></span>
                                </span>
                                <span class="num">{ g.count }</span>
                            </li>
                        }) }
                    </ul>
                </section>
            </div>
        </>
    }
}
