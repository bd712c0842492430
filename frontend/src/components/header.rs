//! The app's header: its title, the nav bar and its entries, and who is logged in.

use keyproj_shared::{AppRoute, Role};
use yew::prelude::*;

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
                                    <a href={s.route().path()} class={if here { "nav-link active" } else { "nav-link" }}
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

/// The entries of the nav bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Projects,
    Schedule,
    Budget,
    Warnings,
    MyProjects,
    Review,
    Users,
    Audit,
    Timeliness,
    Evaluation,
    Plans,
}

impl Section {
    pub const ALL: &'static [Section] = &[
        Section::Overview,
        Section::Projects,
        Section::Schedule,
        Section::Budget,
        Section::Warnings,
        Section::Evaluation,
        Section::MyProjects,
        Section::Review,
        Section::Users,
        Section::Audit,
        Section::Timeliness,
        Section::Plans,
    ];

    /// The entry a page belongs to; a project page belongs to 项目, its reports to 我的项目.
    pub fn of(route: &AppRoute) -> Option<Section> {
        match route {
            AppRoute::Overview => Some(Section::Overview),
            AppRoute::Projects | AppRoute::Project { .. } => Some(Section::Projects),
            AppRoute::Schedule => Some(Section::Schedule),
            AppRoute::Budget => Some(Section::Budget),
            AppRoute::Warnings => Some(Section::Warnings),
            AppRoute::Reports { .. } | AppRoute::MyProjects => Some(Section::MyProjects),
            AppRoute::Review => Some(Section::Review),
            AppRoute::Users => Some(Section::Users),
            AppRoute::Audit => Some(Section::Audit),
            AppRoute::Timeliness => Some(Section::Timeliness),
            AppRoute::Evaluation => Some(Section::Evaluation),
            AppRoute::Plans => Some(Section::Plans),
            AppRoute::Login | AppRoute::NotFound { .. } => None,
        }
    }

    /// The page the entry opens.
    pub const fn route(self) -> AppRoute {
        match self {
            Section::Overview => AppRoute::Overview,
            Section::Projects => AppRoute::Projects,
            Section::Schedule => AppRoute::Schedule,
            Section::Budget => AppRoute::Budget,
            Section::Warnings => AppRoute::Warnings,
            Section::MyProjects => AppRoute::MyProjects,
            Section::Review => AppRoute::Review,
            Section::Users => AppRoute::Users,
            Section::Audit => AppRoute::Audit,
            Section::Timeliness => AppRoute::Timeliness,
            Section::Evaluation => AppRoute::Evaluation,
            Section::Plans => AppRoute::Plans,
        }
    }

    /// Whether the nav bar offers the entry to someone of `role` (`None`: not logged in):
    /// to whoever its page is for.
    pub fn visible(self, role: Option<Role>) -> bool {
        self.route().offered_to(role)
    }

    pub const fn label(self) -> &'static str {
        match self {
            Section::Overview => "总览",
            Section::Projects => "项目",
            Section::Schedule => "进度计划",
            Section::Budget => "预算",
            Section::Warnings => "预警",
            Section::MyProjects => "我的项目",
            Section::Review => "审核",
            Section::Users => "用户",
            Section::Audit => "审计",
            Section::Timeliness => "报送情况",
            Section::Evaluation => "终期评估",
            Section::Plans => "年度计划",
        }
    }

    pub const fn key(self) -> &'static str {
        match self {
            Section::Overview => "overview",
            Section::Projects => "projects",
            Section::Schedule => "schedule",
            Section::Budget => "budget",
            Section::Warnings => "warnings",
            Section::MyProjects => "my-projects",
            Section::Review => "review",
            Section::Users => "users",
            Section::Audit => "audit",
            Section::Timeliness => "timeliness",
            Section::Evaluation => "evaluation",
            Section::Plans => "plans",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_entry_opens_a_page_that_belongs_to_it() {
        for &s in Section::ALL {
            assert_eq!(Section::of(&s.route()), Some(s), "{}", s.key());
        }
        let reports = AppRoute::Reports { code: "B14".into() };
        assert_eq!(Section::of(&reports), Some(Section::MyProjects));
        assert_eq!(Section::of(&AppRoute::Login), None);
    }

    #[test]
    fn each_role_sees_its_own_entries() {
        let shown = |role: Option<Role>| -> Vec<&str> {
            Section::ALL
                .iter()
                .filter(|s| s.visible(role))
                .map(|s| s.key())
                .collect()
        };
        let public = [
            "overview",
            "projects",
            "schedule",
            "budget",
            "warnings",
            "evaluation",
        ];
        assert_eq!(shown(None), public);
        assert_eq!(shown(Some(Role::Planner))[6..], ["timeliness", "plans"]);
        assert_eq!(shown(Some(Role::Owner))[6..], ["my-projects", "timeliness"]);
        // finance may read the audit trail (GET /api/audit), so the nav offers it
        assert_eq!(
            shown(Some(Role::Finance))[6..],
            ["review", "audit", "timeliness"]
        );
        assert_eq!(
            shown(Some(Role::Admin))[6..],
            ["review", "users", "audit", "timeliness", "plans"]
        );
    }
}
