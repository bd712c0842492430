//! One file per page. Pages read the route, load data through `services` (via
//! `hooks::use_api`), and lay out `components`.

pub mod budget;
pub mod not_found;
pub mod overview;
pub mod project;
pub mod projects;
pub mod schedule;

use keyproj_shared::ProjectFilter;
use yew::prelude::*;

use crate::services::nav;

#[derive(Properties, PartialEq)]
pub struct ViewLinksProps {
    pub filter: ProjectFilter,
    /// `projects`, `schedule` or `budget`: the page showing them.
    pub here: &'static str,
}

/// The same filtered set seen another way: as a list, on the schedule, in the budget pivot.
#[component]
pub fn ViewLinks(props: &ViewLinksProps) -> Html {
    let pairs = props.filter.to_pairs();
    let views: [(&'static str, &'static str, &'static str); 3] = [
        ("projects", "/projects", "列表"),
        ("schedule", "/schedule", "进度计划"),
        ("budget", "/budget", "预算汇总"),
    ];
    html! {
        <nav class="views" aria-label="查看方式">
            { for views.iter().map(|(key, path, label)| {
                let here = *key == props.here;
                html! {
                    <a href={nav::href(path, &pairs)} aria-current={here.then_some("page")}
                        class={classes!("view", here.then_some("active"))}
                        data-testid={format!("view-{key}")}>
                        { *label }
                    </a>
                }
            }) }
        </nav>
    }
}
