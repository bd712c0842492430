//! The sums of a set of projects: count, 总投资, "十四五"计划投资, 社会投资 and its share.

use keyproj_shared::Totals;
use yew::prelude::*;

use super::money::{format_money, format_percent};

/// `caption` says what the figures cover, e.g. "筛选结果合计".
pub fn totals_bar(t: &Totals, caption: &'static str) -> Html {
    let share = t
        .social_share_pct
        .map_or_else(|| "—".to_string(), format_percent);
    let item =
        |label: &'static str, unit: Option<&'static str>, value: String, testid: &'static str| {
            html! {
                <div class="total">
                    <dt>{ label }
                        if let Some(unit) = unit {
                            <span class="unit">{ format!("（{unit}）") }</span>
                        }
                    </dt>
                    <dd class="num" data-testid={testid}>{ value }</dd>
                </div>
            }
        };
    html! {
        <section class="totals" aria-label={caption}>
            <h2 class="totals-caption">{ caption }</h2>
            <dl class="totals-grid">
                { item("项目数", Some("个"), t.count.to_string(), "totals-count") }
                { item("总投资", Some("万元"), format_money(t.total_investment), "totals-total") }
                { item("“十四五”计划投资", Some("万元"), format_money(t.planned_investment), "totals-planned") }
                { item("社会投资", Some("万元"), format_money(t.social_investment), "totals-social") }
                { item("社会投资占比", None, share, "totals-share") }
                { item("累计完成投资（已审核）", Some("万元"), format_money(t.investment_completed), "totals-completed") }
            </dl>
        </section>
    }
}
