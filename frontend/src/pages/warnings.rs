//! 预警: pick a month; the projects' colours counted by district and by category (each count
//! opens the list filtered to it), then the warnings with their arithmetic. The month, the
//! project filters, the level, the rule and the page live in the address bar, read by the
//! same parser the server uses (`WarningQuery`).

use keyproj_shared::warning::{ColourCount, Warning, WarningPage, WarningSummary};
use keyproj_shared::{AppRoute, FieldError, Level, Period, ProjectFilter, RuleId, WarningQuery};
use yew::prelude::*;

use crate::components::empty::empty;
use crate::components::error_box::page_error;
use crate::components::filters::filter_chips;
use crate::components::loading::loading;
use crate::components::pager::pager;
use crate::components::progress_chart::level_class;
use crate::components::table::data_table;
use crate::hooks::{Fetched, answer, use_api, use_title};
use crate::pages::warning_rules::RuleSetPanel;
use crate::services::query_string::{encode_pairs, parse_pairs};
use crate::services::{self, ApiError, nav};

/// The month shown when the address names none: the last month whose reports are due, i.e.
/// the month before this one (China time).
pub fn default_period() -> Option<Period> {
    keyproj_shared::address::default_period(crate::util::today_in_china()?)
}

/// The query of the address bar, with the default month filled in.
fn parse(search: &str) -> Result<WarningQuery, Vec<FieldError>> {
    let mut pairs = parse_pairs(search);
    if !pairs.iter().any(|(k, v)| k == "period" && !v.is_empty())
        && let Some(p) = default_period()
    {
        pairs.push(("period".to_string(), p.to_string()));
    }
    WarningQuery::from_pairs(&pairs)
}

fn href(q: &WarningQuery) -> String {
    nav::href(&AppRoute::Warnings, &q.to_pairs())
}

/// A count that opens the list for that group and colour (no link for zero).
fn count_cell(q: &WarningQuery, filter: ProjectFilter, level: Level, n: u64) -> Html {
    if n == 0 {
        return html! { <td class="num">{ "0" }</td> };
    }
    let target = WarningQuery {
        filter,
        level: Some(level),
        rule: None,
        page: 1,
        ..q.clone()
    };
    html! {
        <td class="num">
            <a href={href(&target)} class={level_class(level)}>{ n }</a>
        </td>
    }
}

fn colour_table(
    q: &WarningQuery,
    caption: &'static str,
    rows: &[ColourCount],
    filter_of: impl Fn(&str) -> ProjectFilter,
    testid: &'static str,
) -> Html {
    let cols = [
        ("", false),
        ("红色", true),
        ("黄色", true),
        ("绿色", true),
        ("无计划或无数据", true),
    ];
    let body = html! {
        { for rows.iter().map(|c| {
            let f = filter_of(&c.key);
            html! {
                <tr>
                    <th scope="row">{ c.label.clone() }</th>
                    { count_cell(q, f.clone(), Level::Red, c.red) }
                    { count_cell(q, f.clone(), Level::Yellow, c.yellow) }
                    { count_cell(q, f, Level::Green, c.green) }
                    <td class="num">{ c.none }</td>
                </tr>
            }
        }) }
    };
    html! {
        <div>
            <h3>{ caption }</h3>
            { data_table(caption, "warning-counts", testid, &cols, body) }
        </div>
    }
}

fn warning_row(w: &Warning) -> Html {
    html! {
        <tr data-testid="warning-row">
            <td><a href={AppRoute::project(&w.code).path()}>{ w.code.clone() }</a></td>
            <td>{ w.name.clone() }</td>
            <td>{ w.rule.label() }</td>
            <td><span class={level_class(w.level)}>{ w.level.label() }</span></td>
            <td data-testid="warning-explanation">{ w.explanation.clone() }</td>
        </tr>
    }
}

/// The chips of the level and rule filters, each a link that removes it.
fn own_chips(q: &WarningQuery) -> Html {
    let mut chips = Vec::new();
    if let Some(l) = q.level {
        let without = WarningQuery {
            level: None,
            page: 1,
            ..q.clone()
        };
        chips.push((format!("等级：{}", l.label()), href(&without)));
    }
    if let Some(r) = q.rule {
        let without = WarningQuery {
            rule: None,
            page: 1,
            ..q.clone()
        };
        chips.push((format!("规则：{}", r.label()), href(&without)));
    }
    html! {
        { for chips.into_iter().map(|(label, to)| html! {
            <a class="chip" href={to} aria-label={format!("移除筛选 {label}")}>{ label }{ " ×" }</a>
        }) }
    }
}

fn choice_links(q: &WarningQuery) -> Html {
    let level_link = |l: Level| {
        let to = WarningQuery {
            level: Some(l),
            page: 1,
            ..q.clone()
        };
        let current = q.level == Some(l);
        html! {
            <a href={href(&to)} class={if current { "button current" } else { "button" }}
                aria-current={current.then_some("true")}>{ l.label() }</a>
        }
    };
    let rule_link = |r: RuleId| {
        let to = WarningQuery {
            rule: Some(r),
            page: 1,
            ..q.clone()
        };
        let current = q.rule == Some(r);
        html! {
            <a href={href(&to)} class={if current { "button current" } else { "button" }}
                aria-current={current.then_some("true")}>{ r.label() }</a>
        }
    };
    html! {
        <div class="toolbar">
            <div class="segmented" role="group" aria-label="预警等级">
                <span class="segmented-label">{ "等级：" }</span>
                { for Level::ALL.iter().map(|l| level_link(*l)) }
            </div>
            <div class="segmented" role="group" aria-label="预警规则">
                <span class="segmented-label">{ "规则：" }</span>
                { for RuleId::ALL.iter().map(|r| rule_link(*r)) }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct WarningsPageProps {
    /// The query string, without `?`.
    pub search: AttrValue,
    /// The logged-in user's role: admins change the thresholds here.
    pub role: Option<keyproj_shared::Role>,
}

#[component]
pub fn WarningsPage(props: &WarningsPageProps) -> Html {
    use_title("预警".to_string());
    let parsed = parse(&props.search);
    let key = match &parsed {
        Ok(q) => AttrValue::from(encode_pairs(&q.to_pairs())),
        Err(_) => props.search.clone(),
    };
    let list = use_api(key.clone(), |key| {
        Box::pin(async move {
            answer(match parse(&key) {
                Ok(q) => services::warnings(&q).await,
                Err(errors) => Err(ApiError::invalid_query(errors)),
            })
        })
    });
    let summary = use_api(key, |key| {
        Box::pin(async move {
            answer(match parse(&key) {
                Ok(q) => services::warning_summary(&q).await,
                Err(errors) => Err(ApiError::invalid_query(errors)),
            })
        })
    });
    let q = parsed.unwrap_or_default();

    let on_month = {
        let q = q.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(p) = input.value().parse::<Period>() {
                nav::push(&href(&WarningQuery {
                    period: Some(p),
                    page: 1,
                    ..q.clone()
                }));
            }
        })
    };
    let on_filter = {
        let q = q.clone();
        Callback::from(move |filter: ProjectFilter| {
            nav::push(&href(&WarningQuery {
                filter,
                page: 1,
                ..q.clone()
            }))
        })
    };
    let on_page = {
        let q = q.clone();
        Callback::from(move |page: u32| nav::push(&href(&WarningQuery { page, ..q.clone() })))
    };

    let summary_body = match summary.get::<WarningSummary>() {
        Fetched::Loading => loading(),
        Fetched::Failed(error) => page_error(error, &summary.retry, &AppRoute::Warnings),
        Fetched::Ready(s) => html! {
            <>
                <p class="lead" data-testid="warning-totals">
                    { format!(
                        "{} 预警（规则第 {} 版）：红色 {} 个，黄色 {} 个，绿色 {} 个，无计划或无数据 {} 个项目。",
                        s.period, s.rule_set_version, s.total.red, s.total.yellow, s.total.green, s.total.none
                    ) }
                </p>
                <div class="warning-tables">
                    { colour_table(&q, "按县市区", &s.by_district, |k| ProjectFilter {
                        district: k.parse().ok(),
                        ..q.filter.clone()
                    }, "warnings-by-district") }
                    { colour_table(&q, "按类别", &s.by_category, |k| ProjectFilter {
                        category: k.parse().ok(),
                        ..q.filter.clone()
                    }, "warnings-by-category") }
                </div>
            </>
        },
    };
    let list_body = match list.get::<WarningPage>() {
        Fetched::Loading => loading(),
        Fetched::Failed(error) => page_error(error, &list.retry, &AppRoute::Warnings),
        Fetched::Ready(p) if p.items.is_empty() => empty(
            "这个月没有符合条件的预警。",
            html! { <a href={AppRoute::Warnings.path()} class="button">{ "清除筛选条件" }</a> },
        ),
        Fetched::Ready(p) => html! {
            <>
                { data_table(
                    "预警明细",
                    "warning-list",
                    "warnings",
                    &[("编号", false), ("项目名称", false), ("规则", false), ("等级", false), ("计算过程", false)],
                    html! { { for p.items.iter().map(warning_row) } },
                ) }
                { pager(p.page, p.per_page, p.total, &on_page) }
            </>
        },
    };
    let month = q.period.map(|p| p.to_string()).unwrap_or_default();
    let on_rules = {
        let (a, b) = (list.retry.clone(), summary.retry.clone());
        Callback::from(move |()| {
            a.emit(());
            b.emit(());
        })
    };

    html! {
        <section class="page warnings">
            <div class="page-head">
                <h1>{ "预警" }</h1>
            </div>
            <div class="toolbar">
                <label>
                    { "月份 " }
                    <input type="month" value={month} onchange={on_month}
                        data-testid="warning-month" aria-label="预警月份" />
                </label>
            </div>
            <RuleSetPanel role={props.role} on_changed={on_rules} />
            { filter_chips(&q.filter, &on_filter) }
            { own_chips(&q) }
            { summary_body }
            <h2>{ "预警明细" }</h2>
            <div class="toolbar">
                <div class="exports" role="group" aria-label="导出预警明细">
                    <a class="button" download="" href={services::warnings_export_url("csv", &q)}
                        data-testid="warnings-csv">{ "导出 CSV" }</a>
                    <a class="button" download="" href={services::warnings_export_url("xlsx", &q)}
                        data-testid="warnings-xlsx">{ "导出 Excel" }</a>
                </div>
            </div>
            { choice_links(&q) }
            { list_body }
            <p class="note">
                { "序时进度：有月度分解时按分解，否则自计划开工月份至 12 月线性推进。本年完成投资 = 当月累计完成投资 − 上年末累计完成投资；投资完成率 = 本年完成投资 ÷ 年度计划投资。只使用该月及以前月份的月报。" }
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_bar_holds_the_month_filters_level_and_rule() {
        let q = parse("period=2024-06&district=yuhu&level=red&rule=investment_lag&page=2")
            .expect("valid");
        assert_eq!(q.period.map(|p| p.to_string()).as_deref(), Some("2024-06"));
        assert_eq!(
            (q.level, q.rule, q.page),
            (Some(Level::Red), Some(RuleId::InvestmentLag), 2)
        );
        let fields: Vec<String> = parse("period=2024-06&level=x")
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["level"]);
    }
}
