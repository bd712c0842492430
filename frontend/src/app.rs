//! Routes and the page frame: header with the nav bar, then the page of the current route.
//! The location lives in the app's state; `services::nav` changes it (links, controls) and
//! reports back/forward, and the page of the route re-renders with the new query string.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use keyproj_shared::Role;

use crate::components::header::header;
use crate::hooks::{Auth, use_session};
use crate::pages::{
    audit::audit_page, budget::BudgetPage, login::LoginPage, my_projects::my_projects_page,
    not_found::not_found, overview::OverviewPage, project::ProjectPage, projects::ProjectsPage,
    reports::reports_page, review::review_page, schedule::SchedulePage, users::users_page,
};
use crate::services::{
    self,
    nav::{self, Location},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// 总览, `/`
    Overview,
    /// 项目, `/projects`: the filterable list; its state is the query string.
    Projects,
    /// `/projects/{code}`
    Project {
        code: String,
    },
    /// 进度计划, `/schedule`
    Schedule,
    /// 预算, `/budget`
    Budget,
    /// `/projects/{code}/reports`: a project's 月报, and the form to submit one.
    Reports {
        code: String,
    },
    /// `/login`
    Login,
    /// 我的项目, `/my-projects` (owners)
    MyProjects,
    /// 审核, `/review` (finance, admins)
    Review,
    /// 用户, `/users` (admins)
    Users,
    /// 审计, `/audit` (admins; finance may read it too)
    Audit,
    NotFound,
}

impl Route {
    /// The route of a path; a trailing slash is ignored.
    pub fn parse(path: &str) -> Route {
        let path = match path.trim_end_matches('/') {
            "" => "/",
            p => p,
        };
        match path {
            "/" => Route::Overview,
            "/projects" => Route::Projects,
            "/schedule" => Route::Schedule,
            "/budget" => Route::Budget,
            "/login" => Route::Login,
            "/my-projects" => Route::MyProjects,
            "/review" => Route::Review,
            "/users" => Route::Users,
            "/audit" => Route::Audit,
            p => match p.strip_prefix("/projects/") {
                Some(code) if !code.is_empty() && !code.contains('/') => Route::Project {
                    code: code.to_string(),
                },
                Some(rest) => match rest.strip_suffix("/reports") {
                    Some(code) if !code.is_empty() && !code.contains('/') => Route::Reports {
                        code: code.to_string(),
                    },
                    _ => Route::NotFound,
                },
                _ => Route::NotFound,
            },
        }
    }

    /// The nav entry a page belongs to; a project page belongs to 项目.
    pub fn section(&self) -> Option<Section> {
        match self {
            Route::Overview => Some(Section::Overview),
            Route::Projects | Route::Project { .. } => Some(Section::Projects),
            Route::Schedule => Some(Section::Schedule),
            Route::Budget => Some(Section::Budget),
            Route::Reports { .. } | Route::MyProjects => Some(Section::MyProjects),
            Route::Review => Some(Section::Review),
            Route::Users => Some(Section::Users),
            Route::Audit => Some(Section::Audit),
            Route::Login | Route::NotFound => None,
        }
    }
}

/// The entries of the nav bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Projects,
    Schedule,
    Budget,
    MyProjects,
    Review,
    Users,
    Audit,
}

impl Section {
    pub const ALL: &'static [Section] = &[
        Section::Overview,
        Section::Projects,
        Section::Schedule,
        Section::Budget,
        Section::MyProjects,
        Section::Review,
        Section::Users,
        Section::Audit,
    ];

    /// Who sees the entry in the nav bar (everyone when empty).
    pub const fn roles(self) -> &'static [Role] {
        match self {
            Section::Overview | Section::Projects | Section::Schedule | Section::Budget => &[],
            Section::MyProjects => &[Role::Owner],
            Section::Review => &[Role::Finance, Role::Admin],
            Section::Users | Section::Audit => &[Role::Admin],
        }
    }

    /// Whether the nav bar offers the entry to someone of `role` (`None`: not logged in).
    pub fn visible(self, role: Option<Role>) -> bool {
        self.roles().is_empty() || role.is_some_and(|r| self.roles().contains(&r))
    }

    pub const fn label(self) -> &'static str {
        match self {
            Section::Overview => "总览",
            Section::Projects => "项目",
            Section::Schedule => "进度计划",
            Section::Budget => "预算",
            Section::MyProjects => "我的项目",
            Section::Review => "审核",
            Section::Users => "用户",
            Section::Audit => "审计",
        }
    }

    pub const fn key(self) -> &'static str {
        match self {
            Section::Overview => "overview",
            Section::Projects => "projects",
            Section::Schedule => "schedule",
            Section::Budget => "budget",
            Section::MyProjects => "my-projects",
            Section::Review => "review",
            Section::Users => "users",
            Section::Audit => "audit",
        }
    }

    pub const fn path(self) -> &'static str {
        match self {
            Section::Overview => "/",
            Section::Projects => "/projects",
            Section::Schedule => "/schedule",
            Section::Budget => "/budget",
            Section::MyProjects => "/my-projects",
            Section::Review => "/review",
            Section::Users => "/users",
            Section::Audit => "/audit",
        }
    }
}

/// The pages one bundle draws (see `keyproj_shared::app_paths`). A page of the other bundle
/// is reached by a full page load (`nav::push` and `follow_link` see to it), so `page` is
/// only asked for its own; it answers the not-found page for the others all the same.
pub trait Pages: 'static {
    /// Whether this is the signed-in bundle.
    const ACCOUNT: bool;

    /// Whether the page at `path` is drawn by this bundle.
    fn owns(path: &str) -> bool {
        keyproj_shared::app_paths::is_account_page(path) == Self::ACCOUNT
    }

    fn page(route: Route, search: AttrValue, auth: &Auth) -> Html;
}

pub struct PublicPages;

impl Pages for PublicPages {
    const ACCOUNT: bool = false;

    fn page(route: Route, search: AttrValue, auth: &Auth) -> Html {
        match route {
            Route::Overview => html! { <OverviewPage /> },
            Route::Projects => html! { <ProjectsPage {search} /> },
            Route::Project { code } => {
                html! { <ProjectPage code={AttrValue::from(code)} role={auth.role()} /> }
            }
            Route::Schedule => html! { <SchedulePage {search} /> },
            Route::Budget => html! { <BudgetPage {search} /> },
            Route::Reports { .. }
            | Route::Login
            | Route::MyProjects
            | Route::Review
            | Route::Users
            | Route::Audit
            | Route::NotFound => not_found(),
        }
    }
}

/// The pages that need a login are plain functions that check the session and only then
/// draw their component (which asks the server for its data).
pub struct AccountPages;

impl Pages for AccountPages {
    const ACCOUNT: bool = true;

    fn page(route: Route, search: AttrValue, auth: &Auth) -> Html {
        match route {
            Route::Reports { code } => reports_page(&AttrValue::from(code), auth),
            Route::Login => html! { <LoginPage {search} auth={auth.clone()} /> },
            Route::MyProjects => my_projects_page(auth),
            Route::Review => review_page(&search, auth),
            Route::Users => users_page(auth),
            Route::Audit => audit_page(&search, auth),
            Route::Overview
            | Route::Projects
            | Route::Project { .. }
            | Route::Schedule
            | Route::Budget
            | Route::NotFound => not_found(),
        }
    }
}

/// Draws bundle `P` into the page.
pub fn run<P: Pages>() {
    nav::set_owner(P::owns);
    yew::Renderer::<App<P>>::new().render();
}

/// The layout every page shares. Its click handler makes every plain `<a href="/…">` of the
/// app (nav, table rows, chart bars) an in-app navigation, so pages link with ordinary
/// hrefs that also open in a new tab.
#[component]
pub fn App<P: Pages>() -> Html {
    let location = use_state(Location::current);
    {
        let setter = location.setter();
        use_effect_with((), move |_| {
            let listening = nav::listen(Callback::from(move |()| setter.set(Location::current())));
            move || drop(listening)
        });
    }
    let auth = use_session();
    let route = Route::parse(&location.path);
    let active = route.section();
    let on_logout = {
        let set = auth.set.clone();
        Callback::from(move |()| {
            let set = set.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match services::logout().await {
                    Ok(()) => set.emit(None),
                    Err(e) => {
                        let _ =
                            gloo::utils::window().alert_with_message(&format!("退出登录失败：{e}"));
                    }
                }
            });
        })
    };
    html! {
        <div class="app" onclick={Callback::from(follow_link)}>
            <a class="skip-link" href="#main">{ "跳到正文" }</a>
            { header(active, &auth, &on_logout) }
            <main id="main" class="app-main" tabindex="-1">
                { P::page(route, location.search.clone(), &auth) }
            </main>
            <footer class="app-footer">
                { "数据来源：《湘潭市“十四五”民政事业发展规划》附件1 重点项目表（湘潭市民政局、湘潭市发展和改革委员会，2021年9月）。金额单位：万元。" }
            </footer>
            { chart_defs() }
        </div>
    }
}

/// A plain left click on a link to a page of this bundle: push it instead of reloading.
fn follow_link(e: MouseEvent) {
    if e.default_prevented()
        || e.button() != 0
        || e.meta_key()
        || e.ctrl_key()
        || e.shift_key()
        || e.alt_key()
    {
        return;
    }
    let Some(target) = e.target_dyn_into::<web_sys::Element>() else {
        return;
    };
    let Ok(Some(link)) = target.closest("a[href]") else {
        return;
    };
    if link.has_attribute("download") || link.has_attribute("target") {
        return;
    }
    let Some(href) = link.get_attribute("href") else {
        return;
    };
    if !nav::handles(&href) {
        return;
    }
    e.prevent_default();
    nav::push(&href);
    // A new page: start reading (and tabbing) from its top, as after a full load.
    gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
    if let Some(main) = gloo::utils::document()
        .get_element_by_id("main")
        .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

/// Fills the charts share: hatching for approximate counts, fades for uncertain dates. Static
/// markup, so it goes in as one string rather than as code that builds each element.
fn chart_defs() -> Html {
    Html::from_html_unchecked(AttrValue::Static(CHART_DEFS))
}

const CHART_DEFS: &str = concat!(
    r##"<svg class="chart-defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>"##,
    r##"<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">"##,
    r##"<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="#7f9cc4"/></pattern>"##,
    r##"<linearGradient id="fade-left" x1="0" x2="1" y1="0" y2="0">"##,
    r##"<stop offset="0" stop-color="#1f4e8c" stop-opacity="0.08"/>"##,
    r##"<stop offset="1" stop-color="#1f4e8c" stop-opacity="0.55"/></linearGradient>"##,
    r##"<linearGradient id="fade-right" x1="0" x2="1" y1="0" y2="0">"##,
    r##"<stop offset="0" stop-color="#1f4e8c" stop-opacity="0.55"/>"##,
    r##"<stop offset="1" stop-color="#1f4e8c" stop-opacity="0.08"/></linearGradient>"##,
    r##"<linearGradient id="fade-both" x1="0" x2="1" y1="0" y2="0">"##,
    r##"<stop offset="0" stop-color="#1f4e8c" stop-opacity="0.1"/>"##,
    r##"<stop offset="0.5" stop-color="#1f4e8c" stop-opacity="0.5"/>"##,
    r##"<stop offset="1" stop-color="#1f4e8c" stop-opacity="0.1"/></linearGradient>"##,
    "</defs></svg>"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_routes() {
        assert_eq!(Route::parse("/"), Route::Overview);
        assert_eq!(Route::parse(""), Route::Overview);
        assert_eq!(Route::parse("/projects"), Route::Projects);
        assert_eq!(Route::parse("/projects/"), Route::Projects);
        assert_eq!(
            Route::parse("/projects/B14"),
            Route::Project { code: "B14".into() }
        );
        assert_eq!(Route::parse("/schedule"), Route::Schedule);
        assert_eq!(Route::parse("/budget/"), Route::Budget);
        assert_eq!(Route::parse("/projects/B14/x"), Route::NotFound);
        assert_eq!(
            Route::parse("/projects/B14/reports"),
            Route::Reports { code: "B14".into() }
        );
        assert_eq!(Route::parse("/projects//reports"), Route::NotFound);
        assert_eq!(Route::parse("/review/"), Route::Review);
        assert_eq!(Route::parse("/login"), Route::Login);
        assert_eq!(Route::parse("/my-projects"), Route::MyProjects);
        assert_eq!(Route::parse("/users"), Route::Users);
        assert_eq!(Route::parse("/audit"), Route::Audit);
        assert_eq!(Route::parse("/nowhere"), Route::NotFound);
    }

    #[test]
    fn each_bundle_draws_the_routes_the_server_answers_it_for() {
        let paths = [
            "/",
            "/projects",
            "/projects/B14",
            "/schedule",
            "/budget",
            "/projects/B14/reports",
            "/login",
            "/my-projects",
            "/review",
            "/users",
            "/audit",
        ];
        for path in paths {
            let route = Route::parse(path);
            assert_ne!(route, Route::NotFound, "{path}");
            let account = keyproj_shared::app_paths::is_account_page(path);
            assert_eq!(AccountPages::owns(path), account, "{path}");
            assert_eq!(PublicPages::owns(path), !account, "{path}");
            let signed_in = matches!(
                route,
                Route::Reports { .. }
                    | Route::Login
                    | Route::MyProjects
                    | Route::Review
                    | Route::Users
                    | Route::Audit
            );
            assert_eq!(signed_in, account, "{path}");
        }
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
        let public = ["overview", "projects", "schedule", "budget"];
        assert_eq!(shown(None), public);
        assert_eq!(shown(Some(Role::Planner)), public);
        assert_eq!(shown(Some(Role::Owner))[4..], ["my-projects"]);
        assert_eq!(shown(Some(Role::Finance))[4..], ["review"]);
        assert_eq!(shown(Some(Role::Admin))[4..], ["review", "users", "audit"]);
    }
}
