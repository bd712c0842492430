//! One file per page. Pages read the route, load data through `services` (via
//! `hooks::use_api`), and lay out `components`.

pub mod audit;
pub mod budget;
pub mod evaluation;
pub mod login;
pub mod my_projects;
pub mod not_found;
pub mod overview;
pub mod plan_grid;
pub mod plans;
pub mod project;
pub mod project_month;
pub mod projects;
pub mod reports;
pub mod review;
pub mod schedule;
pub mod timeliness;
pub mod users;
pub mod warning_rules;
pub mod warnings;

use keyproj_shared::{AppRoute, ProjectFilter};
use yew::prelude::*;

use crate::services::nav;

/// The same filtered set seen another way: as a list, on the schedule, in the budget pivot.
/// `here` is `projects`, `schedule` or `budget`: the page showing them.
pub fn view_links(filter: &ProjectFilter, here: &'static str) -> Html {
    let pairs = filter.to_pairs();
    let views: [(&'static str, AppRoute, &'static str); 3] = [
        ("projects", AppRoute::Projects, "列表"),
        ("schedule", AppRoute::Schedule, "进度计划"),
        ("budget", AppRoute::Budget, "预算汇总"),
    ];
    html! {
        <nav class="views" aria-label="查看方式">
            { for views.iter().map(|(key, route, label)| {
                let here = *key == here;
                html! {
                    <a href={nav::href(route, &pairs)} aria-current={here.then_some("page")}
                        class={if here { "view active" } else { "view" }}
                        data-testid={format!("view-{key}")}>
                        { *label }
                    </a>
                }
            }) }
        </nav>
    }
}
