//! The published 总计 and category rows next to the sums of the project rows, differences
//! marked; and the rows whose text states another amount than their 总投资. Props only.

use keyproj_shared::{AppRoute, Money, Reconciliation, ReconciliationRow};
use yew::prelude::*;

use super::money::format_money;

fn diff_money(m: Money) -> Html {
    if m == Money::ZERO {
        html! { <td class="num muted">{ "0.00" }</td> }
    } else {
        html! { <td class="num diff" data-diff="true">{ format_money(m) }</td> }
    }
}

fn diff_count(n: i64) -> Html {
    if n == 0 {
        html! { <td class="num muted">{ "0" }</td> }
    } else {
        html! { <td class="num diff" data-diff="true">{ n }</td> }
    }
}

/// A published amount, with the cell as printed on hover.
fn printed(m: Money, text: &str) -> Html {
    html! { <td class="num" title={format!("原表：{text}")}>{ format_money(m) }</td> }
}

fn row(r: &ReconciliationRow) -> Html {
    let class = match (r.category.is_none(), r.matches) {
        (true, true) => "total",
        (true, false) => "total mismatch",
        (false, true) => "category",
        (false, false) => "category mismatch",
    };
    html! {
        <tr data-testid="reconciliation-row" data-scope={r.scope.clone()}
            data-matches={if r.matches { "true" } else { "false" }}
            {class}>
            <th scope="row">{ &r.published.label }</th>
            <td class="num">{ r.published.count }</td>
            <td class="num">{ r.computed.count }</td>
            { diff_count(r.difference.count) }
            { printed(r.published.total_investment, &r.published.total_investment_text) }
            <td class="num">{ format_money(r.computed.total_investment) }</td>
            { diff_money(r.difference.total_investment) }
            { printed(r.published.planned_investment, &r.published.planned_investment_text) }
            <td class="num">{ format_money(r.computed.planned_investment) }</td>
            { diff_money(r.difference.planned_investment) }
            <td class="status">
                if r.matches {
                    <span class="badge ok">{ "一致" }</span>
                } else {
                    <span class="badge bad">{ "不一致" }</span>
                }
            </td>
        </tr>
    }
}

pub fn reconciliation_table(rec: &Reconciliation) -> Html {
    // What the printed 总计 follows: the printed subtotals, or the rows.
    let total_note = rec
        .rows
        .iter()
        .find_map(|r| r.sum_of_published_categories.as_ref().map(|d| (r, d)))
        .map(|(r, d)| {
            let follows = d.count == 0 && d.total_investment == Money::ZERO
                && d.planned_investment == Money::ZERO;
            if follows {
                html! {
                    <p class="note" data-testid="total-follows-subtotals">
                        { "原表“总计”行等于五个类别小计之和，因此带有各类别小计的差额（合计 " }
                        <strong class="diff-text">{ format_money(r.difference.total_investment) }</strong>
                        { " 万元）。" }
                    </p>
                }
            } else {
                html! {
                    <p class="note">
                        { format!(
                            "五个类别小计之和与原表“总计”相差：项目数 {}，总投资 {} 万元，计划投资 {} 万元。",
                            d.count,
                            format_money(d.total_investment),
                            format_money(d.planned_investment)
                        ) }
                    </p>
                }
            }
        });
    html! {
        <>
            <div class="table-scroll" tabindex="0" role="region" aria-label="原表与计算对账">
                <table class="data reconciliation" data-testid="reconciliation-table">
                    <thead>
                        <tr>
                            <th scope="col" rowspan="2">{ "原表行" }</th>
                            <th scope="colgroup" colspan="3" class="group">{ "项目数" }</th>
                            <th scope="colgroup" colspan="3" class="group">{ "总投资（万元）" }</th>
                            <th scope="colgroup" colspan="3" class="group">{ "“十四五”计划投资（万元）" }</th>
                            <th scope="col" rowspan="2">{ "核对" }</th>
                        </tr>
                        <tr>
                            { for (0..3).flat_map(|_| [
                                html! { <th scope="col" class="num">{ "原表" }</th> },
                                html! { <th scope="col" class="num">{ "各项目之和" }</th> },
                                html! { <th scope="col" class="num">{ "差额" }</th> },
                            ]) }
                        </tr>
                    </thead>
                    <tbody>
                        { for rec.rows.iter().map(row) }
                    </tbody>
                </table>
            </div>
            <p class="note">{ "差额 = 各项目之和 − 原表数；悬停原表数可见原表印刷的数字。" }</p>
            { for total_note }

            <h3>{ "文字与金额不符" }</h3>
            if rec.contradictions.is_empty() {
                <p class="muted">{ "无" }</p>
            } else {
                <div class="table-scroll" tabindex="0" role="region" aria-label="文字与金额不符">
                    <table class="data contradictions" data-testid="contradictions">
                        <thead>
                            <tr>
                                <th scope="col">{ "编号" }</th>
                                <th scope="col">{ "项目名称" }</th>
                                <th scope="col">{ "内容中的表述" }</th>
                                <th scope="col" class="num">{ "表述金额（万元）" }</th>
                                <th scope="col" class="num">{ "总投资（万元）" }</th>
                                <th scope="col" class="num">{ "差额（万元）" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for rec.contradictions.iter().map(|c| html! {
                                <tr data-testid="contradiction" data-code={c.code.clone()}>
                                    <td class="code">{ &c.code }</td>
                                    <td><a href={AppRoute::project(&c.code).path()}>{ &c.name }</a></td>
                                    <td>{ "“" }{ &c.stated_text }{ "”" }</td>
                                    <td class="num">{ format_money(c.stated_amount) }</td>
                                    <td class="num">{ format_money(c.total_investment) }</td>
                                    { diff_money(c.difference) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="note">{ "差额 = 总投资 − 内容中表述的金额。" }</p>
            }
        </>
    }
}
