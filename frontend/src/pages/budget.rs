//! 预算: placeholder until the budget view is built.

use yew::prelude::*;

use super::UnderConstruction;

#[component]
pub fn BudgetPage() -> Html {
    html! {
        <UnderConstruction
            title="预算"
            description="按县市区、类别查看总投资、“十四五”计划投资与社会投资。此页面正在建设中。" />
    }
}
