//! The page for an address the app does not know.

use keyproj_shared::AppRoute;
use yew::prelude::*;

pub fn not_found() -> Html {
    html! {
        <section class="page" data-testid="not-found">
            <h1>{ "页面不存在" }</h1>
            <p>{ "您访问的地址没有对应的页面，可能已被移动或输入有误。" }</p>
            <p>
                <a href="/">{ "返回总览" }</a>
                { "　" }
                <a href={AppRoute::Projects.path()}>{ "查看项目列表" }</a>
            </p>
        </section>
    }
}
