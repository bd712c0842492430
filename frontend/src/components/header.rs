//! The app's header: its title, the main navigation, and who is logged in.

use yew::prelude::*;

use crate::app::Section;
use crate::hooks::{Auth, SessionState};
use crate::services::nav;

/// `active`: the section the current page belongs to, highlighted in the nav bar. Every
/// entry is a real link (open in a new tab works; a plain click is followed in-app), saying
/// `aria-current="page"` when it is the current section. The entries a role works with
/// (我的项目, 审核, 用户, 审计) show only to that role.
pub fn header(active: Option<Section>, auth: &Auth, on_logout: &Callback<()>) -> Html {
    let role = auth.role();
    let account = match &auth.state {
        SessionState::Checking => html! {},
        SessionState::Anonymous => html! {
            <a href={nav::login_href()} class="nav-link login-link" data-testid="nav-login">
                { "登录" }
            </a>
        },
        SessionState::User(u) => {
            let logout = on_logout.clone();
            let org = u.organisation.as_ref().map(|o| o.name.clone());
            html! {
                <>
                    <span class="session-user" data-testid="session-user" title={org}>
                        <span class="session-name">{ &u.username }</span>
                        <span class="session-role" data-testid="session-role">{ u.role.label() }</span>
                    </span>
                    <button type="button" class="logout" data-testid="logout"
                        onclick={Callback::from(move |_: MouseEvent| logout.emit(()))}>
                        { "退出" }
                    </button>
                </>
            }
        }
    };
    html! {
        <header class="app-header">
            <div class="app-header-inner">
                <a href="/" class="app-title">{ "湘潭市“十四五”民政重点项目" }</a>
                <nav class="app-nav" aria-label="主导航">
                    <ul>
                        { for Section::ALL.iter().filter(|s| s.visible(role)).map(|&s| {
                            let here = active == Some(s);
                            html! {
                                <li>
                                    <a href={s.path()} class={if here { "nav-link active" } else { "nav-link" }}
                                        aria-current={here.then_some("page")}
                                        data-testid={format!("nav-{}", s.key())}>
                                        { s.label() }
                                    </a>
                                </li>
                            }
                        }) }
                    </ul>
                </nav>
                <div class="account" role="group" aria-label="账号">{ account }</div>
            </div>
        </header>
    }
}
