//! 待报事项 on 我的项目: for each project of the owner's organisation, the months of the last
//! twelve that are over without a report, and the next deadline. The page loads the answer;
//! this draws it.

use keyproj_shared::{AppRoute, DueList};
use yew::prelude::*;

/// The due list as a callout: the next deadline, then each project with months missing.
pub fn due_list(d: &DueList) -> Html {
    let behind: Vec<_> = d
        .projects
        .iter()
        .filter(|p| !p.overdue.is_empty())
        .collect();
    let next = match &d.next_deadline {
        Some(m) => {
            let open = d
                .projects
                .iter()
                .filter(|p| p.open.iter().any(|o| o.period == m.period))
                .count();
            format!(
                "下一个截止时间：{} 月报须于{}前报送，本单位还有 {} 个项目未报。",
                m.period, m.deadline_label, open
            )
        }
        None => "本单位已报送所有未到截止时间的月份。".to_string(),
    };
    html! {
        <div class="callout due" data-testid="due" role="status">
            <p class="callout-title">{ "待报事项" }</p>
            <p data-testid="due-next">{ next }</p>
            if behind.is_empty() {
                <p>{ "近12个月没有逾期未报的月份。" }</p>
            } else {
                <ul>
                    { for behind.iter().map(|p| html! {
                        <li data-testid="due-project" data-code={p.code.clone()}>
                            <a href={AppRoute::reports(&p.code).path()}>{ format!("{} {}", p.code, p.name) }</a>
                            { format!("：{} 个月逾期未报（{}）", p.overdue.len(), p.overdue.join("、")) }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}
