//! The page for an address the app does not know.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[component]
pub fn NotFoundPage() -> Html {
    html! {
        <section class="page" data-testid="not-found">
            <h1>{ "页面不存在" }</h1>
            <p>{ "您访问的地址没有对应的页面，可能已被移动或输入有误。" }</p>
            <p>
                <Link<Route> to={Route::Overview}>{ "返回总览" }</Link<Route>>
                { "　" }
                <Link<Route> to={Route::Projects}>{ "查看项目列表" }</Link<Route>>
            </p>
        </section>
    }
}
