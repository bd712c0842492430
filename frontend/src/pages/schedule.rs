//! 进度计划: placeholder until the schedule view is built.

use yew::prelude::*;

use super::UnderConstruction;

#[component]
pub fn SchedulePage() -> Html {
    html! {
        <UnderConstruction
            title="进度计划"
            description="按开工、竣工年份查看各项目的建设进度安排。此页面正在建设中。" />
    }
}
