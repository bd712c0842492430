//! 预算's year table: each group's 年度计划投资 against 本年完成投资, with 投资完成率. An unknown
//! 本年完成投资 says 未知 (and how many projects it misses), never 0.

use keyproj_shared::BudgetGroup;
use yew::prelude::*;

use super::money::{money_text, percent_text};

fn completed_cell(g: &BudgetGroup) -> Html {
    let sum = match g.completed {
        Some(m) => money_text(m, false),
        None => html! { <span class="muted">{ "未知" }</span> },
    };
    html! {
        <>
            { sum }
            if g.unknown > 0 && g.completed.is_some() {
                <span class="note">{ format!("（另 {} 个项目未知）", g.unknown) }</span>
            }
        </>
    }
}

fn row(g: &BudgetGroup, total: bool) -> Html {
    html! {
        <tr class={if total { "total-row" } else { "" }} data-testid="budget-row" data-key={g.key.clone()}>
            <th scope="row">{ &g.label }</th>
            <td class="num">{ g.projects }</td>
            <td class="num" data-testid="budget-planned">{ money_text(g.planned, false) }</td>
            <td class="num" data-testid="budget-completed">{ completed_cell(g) }</td>
            <td class="num" data-testid="budget-rate">{ percent_text(g.completion_rate) }</td>
        </tr>
    }
}

/// One table: `groups`, then `total`; `heading` names the first column.
pub fn budget_table(
    caption: &str,
    heading: &str,
    groups: &[BudgetGroup],
    total: &BudgetGroup,
) -> Html {
    html! {
        <table class="table budget-year" data-testid="budget-table">
            <caption>{ caption }</caption>
            <thead>
                <tr>
                    <th scope="col">{ heading }</th>
                    <th scope="col" class="num">{ "有计划的项目" }</th>
                    <th scope="col" class="num">{ "年度计划投资" }</th>
                    <th scope="col" class="num">{ "本年完成投资" }</th>
                    <th scope="col" class="num">{ "投资完成率" }</th>
                </tr>
            </thead>
            <tbody>
                { for groups.iter().map(|g| row(g, false)) }
                { row(total, true) }
            </tbody>
        </table>
    }
}
