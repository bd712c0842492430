//! What a page that needs a login shows instead of itself: the login prompt, or why the
//! user's role may not see it.

use keyproj_shared::{Role, SessionUser};
use yew::prelude::*;

use super::loading::loading;
use crate::hooks::{Auth, SessionState};
use crate::services::nav;

/// The logged-in user if they hold one of `roles` (any role when empty); otherwise the
/// page to show instead: loading, the login prompt, or 无权访问.
pub fn gate<'a>(auth: &'a Auth, roles: &[Role]) -> Result<&'a SessionUser, Html> {
    match &auth.state {
        SessionState::Checking => Err(loading()),
        SessionState::Anonymous => Err(html! {
            <div class="state notice" role="status" data-testid="login-needed">
                <p class="notice-title">{ "请先登录" }</p>
                <p>{ "此页面需要登录后使用。" }</p>
                <div class="actions">
                    <a class="button primary" href={nav::login_href()}>{ "登录" }</a>
                </div>
            </div>
        }),
        SessionState::User(u) if roles.is_empty() || roles.contains(&u.role) => Ok(u),
        SessionState::User(_) => {
            let who: Vec<&str> = roles.iter().map(|r| r.label()).collect();
            Err(html! {
                <div class="state notice" role="status" data-testid="forbidden">
                    <p class="notice-title">{ "无权访问" }</p>
                    <p>{ format!("此页面供{}使用。", who.join("、")) }</p>
                    <div class="actions">
                        <a class="button" href="/">{ "返回总览" }</a>
                    </div>
                </div>
            })
        }
    }
}
