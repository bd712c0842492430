//! A project's annual plans (年度计划), a table per year, and their revision history (调整):
//! who, when, why, and what changed from the revision before. Props only.

use keyproj_shared::{AnnualPlan, Money, ProjectPlans};
use yew::prelude::*;

use super::money::{format_money, format_percent};
use super::report_history::who_when;

fn money_or(m: Option<Money>, none: &str) -> String {
    m.map_or_else(|| none.to_string(), |m| format!("{} 万元", format_money(m)))
}

fn milestones(p: &AnnualPlan) -> String {
    if p.milestones.is_empty() {
        return "未填".to_string();
    }
    p.milestones
        .iter()
        .map(|m| format!("{} {}", m.name, m.month))
        .collect::<Vec<_>>()
        .join("；")
}

fn breakdown(p: &AnnualPlan) -> String {
    match &p.monthly_breakdown {
        Some(b) => b
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}月 {}", i + 1, format_percent(*s)))
            .collect::<Vec<_>>()
            .join("，"),
        None => "未分解：序时进度自计划开工月份（无则 1 月）至 12 月线性推进".to_string(),
    }
}

/// The plan's fields as (label, text), in one order for the table and the comparison.
fn rows(p: &AnnualPlan) -> [(&'static str, String); 8] {
    [
        (
            "年度计划投资",
            format!("{} 万元", format_money(p.planned_investment)),
        ),
        (
            "其中社会投资",
            format!("{} 万元", format_money(p.social_investment)),
        ),
        (
            "形象进度目标（年末）",
            p.target_progress_pct
                .map_or_else(|| "未填".to_string(), format_percent),
        ),
        (
            "年度建设内容",
            if p.content.is_empty() {
                "未填".to_string()
            } else {
                p.content.clone()
            },
        ),
        ("上年末累计完成投资", money_or(p.baseline_completed, "未填")),
        ("节点（计划月份）", milestones(p)),
        ("月度分解（累计）", breakdown(p)),
        (
            "超出总投资的说明",
            p.over_total_reason
                .clone()
                .unwrap_or_else(|| "无".to_string()),
        ),
    ]
}

/// What a revision changed from the one before it: "年度计划投资：900.00 万元 → 1,000.00 万元".
pub fn changes(before: Option<&AnnualPlan>, after: &AnnualPlan) -> Vec<String> {
    let Some(before) = before else {
        return vec!["首次编制".to_string()];
    };
    let (old, new) = (rows(before), rows(after));
    let out: Vec<String> = old
        .iter()
        .zip(new.iter())
        .filter(|(o, n)| o.1 != n.1)
        .map(|(o, n)| format!("{}：{} → {}", n.0, o.1, n.1))
        .collect();
    if out.is_empty() {
        vec!["数字未变".to_string()]
    } else {
        out
    }
}

fn plan_table(p: &AnnualPlan) -> Html {
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label={format!("{} 年度计划", p.year)}>
            <table class="data plan-table" data-testid="annual-plan" data-year={p.year.to_string()}>
                <caption>
                    { format!("{} 年度计划（第 {} 版）", p.year, p.version) }
                </caption>
                <tbody>
                    { for rows(p).into_iter().map(|(label, text)| html! {
                        <tr>
                            <th scope="row">{ label }</th>
                            <td class="pre">{ text }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// Every revision, newest first, each with what it changed from its year's revision before.
fn history(plans: &ProjectPlans) -> Html {
    let previous = |r: &AnnualPlan| {
        plans
            .history
            .iter()
            .find(|h| h.year == r.year && h.version == r.version - 1)
    };
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="年度计划调整记录">
            <table class="data plan-history" data-testid="plan-history">
                <thead>
                    <tr>
                        <th scope="col">{ "年度" }</th>
                        <th scope="col" class="num">{ "版本" }</th>
                        <th scope="col">{ "调整人与时间" }</th>
                        <th scope="col">{ "原因" }</th>
                        <th scope="col">{ "调整内容" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for plans.history.iter().map(|r| html! {
                        <tr data-testid="plan-revision">
                            <td>{ r.year }</td>
                            <td class="num">{ r.version }</td>
                            <td>{ who_when(&r.created_by, &r.created_at) }</td>
                            <td class="pre">{ r.reason.clone() }</td>
                            <td>
                                <ul class="plain">
                                    { for changes(previous(r), r).into_iter().map(|c| html! { <li>{ c }</li> }) }
                                </ul>
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// The current plan of each year (newest year first), then the revisions.
pub fn annual_plans(plans: &ProjectPlans) -> Html {
    if plans.plans.is_empty() {
        return html! {
            <p class="muted" data-testid="no-plans">
                { format!(
                    "尚未编制年度计划（可编制 {}–{} 年）。规划原表没有年度计划，本系统不会代为推算。",
                    plans.first_year, plans.last_year
                ) }
            </p>
        };
    }
    html! {
        <>
            <p class="note">
                { format!(
                    "已编制年度计划合计 {} 万元；“十四五”计划投资 {} 万元，总投资 {} 万元。",
                    format_money(plans.plans_total),
                    format_money(plans.planned_investment),
                    format_money(plans.total_investment)
                ) }
            </p>
            <div class="plan-tables">
                { for plans.plans.iter().rev().map(plan_table) }
            </div>
            <h3>{ "调整记录" }</h3>
            { history(plans) }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(version: i32, planned: &str) -> AnnualPlan {
        AnnualPlan {
            year: 2024,
            version,
            planned_investment: planned.parse().expect("money"),
            social_investment: Money::ZERO,
            target_progress_pct: None,
            content: String::new(),
            baseline_completed: None,
            milestones: Vec::new(),
            monthly_breakdown: None,
            reason: "r".into(),
            over_total_reason: None,
            created_by: "li".into(),
            created_at: String::new(),
            etag: String::new(),
        }
    }

    #[test]
    fn a_revision_says_what_it_changed() {
        assert_eq!(changes(None, &plan(1, "900")), ["首次编制"]);
        assert_eq!(
            changes(Some(&plan(1, "900")), &plan(2, "1000")),
            ["年度计划投资：900.00 万元 → 1,000.00 万元"]
        );
        assert_eq!(
            changes(Some(&plan(1, "900")), &plan(2, "900")),
            ["数字未变"]
        );
    }
}
