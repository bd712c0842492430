//! The pages of the web app, written once: the server picks the bundle that answers a path
//! by it, the app draws the page of it and links to it by it, and the nav bar shows an
//! entry to the roles it names.
//!
//! The app comes as two bundles: the public pages (dashboard, list, project, schedule,
//! budget), which most visitors need, and the pages behind a login (login, my projects,
//! reports, review, users, audit) in a second one under `/account/`, so that the public
//! download does not carry them.

use crate::vocab::Role;

/// The folder of the build output, and the URL prefix, of the signed-in bundle.
pub const ACCOUNT_BUNDLE: &str = "account";

/// Which wasm bundle draws a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// `index.html`: the pages anyone may read.
    Public,
    /// `account/index.html` ([`ACCOUNT_BUNDLE`]): the pages behind a login.
    Account,
}

/// A page of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppRoute {
    /// 总览, `/`
    Overview,
    /// 项目, `/projects`: the filterable list; its state is the query string.
    Projects,
    /// `/projects/{code}`
    Project { code: String },
    /// 进度计划, `/schedule`
    Schedule,
    /// 预算, `/budget`
    Budget,
    /// 预警, `/warnings`: a month's warnings; its state (month, filters) is the query string.
    Warnings,
    /// `/projects/{code}/reports`: a project's 月报, and the form to submit one.
    Reports { code: String },
    /// `/login`
    Login,
    /// 我的项目, `/my-projects`
    MyProjects,
    /// 审核, `/review`
    Review,
    /// 用户, `/users`
    Users,
    /// 审计, `/audit`
    Audit,
    /// 报送情况, `/timeliness`: a month's timeliness and the ranking (signed in).
    Timeliness,
    /// 终期评估, `/evaluation`: the plan's final evaluation (public).
    Evaluation,
    /// 年度计划, `/plans`: a year's annual plans, the template and the upload (planners).
    Plans,
    /// Any other path, kept as it came.
    NotFound { path: String },
}

impl AppRoute {
    /// The page of project `code`.
    pub fn project(code: &str) -> AppRoute {
        AppRoute::Project { code: code.into() }
    }

    /// The reports of project `code`.
    pub fn reports(code: &str) -> AppRoute {
        AppRoute::Reports { code: code.into() }
    }

    /// The page at `path` (no query string); a trailing slash is ignored.
    pub fn parse(path: &str) -> AppRoute {
        let trimmed = match path.trim_end_matches('/') {
            "" => "/",
            p => p,
        };
        match trimmed {
            "/" => AppRoute::Overview,
            "/projects" => AppRoute::Projects,
            "/schedule" => AppRoute::Schedule,
            "/budget" => AppRoute::Budget,
            "/warnings" => AppRoute::Warnings,
            "/login" => AppRoute::Login,
            "/my-projects" => AppRoute::MyProjects,
            "/review" => AppRoute::Review,
            "/users" => AppRoute::Users,
            "/audit" => AppRoute::Audit,
            "/timeliness" => AppRoute::Timeliness,
            "/evaluation" => AppRoute::Evaluation,
            "/plans" => AppRoute::Plans,
            p => {
                let project = p.strip_prefix("/projects/");
                match (project, project.and_then(|r| r.strip_suffix("/reports"))) {
                    (_, Some(code)) if is_code(code) => AppRoute::Reports { code: code.into() },
                    (Some(code), _) if is_code(code) => AppRoute::Project { code: code.into() },
                    _ => AppRoute::NotFound { path: path.into() },
                }
            }
        }
    }

    /// The href of the page, without query string.
    pub fn path(&self) -> String {
        match self {
            AppRoute::Overview => "/".into(),
            AppRoute::Projects => "/projects".into(),
            AppRoute::Project { code } => format!("/projects/{code}"),
            AppRoute::Schedule => "/schedule".into(),
            AppRoute::Budget => "/budget".into(),
            AppRoute::Warnings => "/warnings".into(),
            AppRoute::Reports { code } => format!("/projects/{code}/reports"),
            AppRoute::Login => "/login".into(),
            AppRoute::MyProjects => "/my-projects".into(),
            AppRoute::Review => "/review".into(),
            AppRoute::Users => "/users".into(),
            AppRoute::Audit => "/audit".into(),
            AppRoute::Timeliness => "/timeliness".into(),
            AppRoute::Evaluation => "/evaluation".into(),
            AppRoute::Plans => "/plans".into(),
            AppRoute::NotFound { path } => path.clone(),
        }
    }

    /// The bundle that draws the page; the public one says when a page does not exist.
    pub const fn bundle(&self) -> Bundle {
        match self {
            AppRoute::Overview
            | AppRoute::Projects
            | AppRoute::Project { .. }
            | AppRoute::Schedule
            | AppRoute::Budget
            | AppRoute::Warnings
            | AppRoute::Evaluation
            | AppRoute::NotFound { .. } => Bundle::Public,
            AppRoute::Reports { .. }
            | AppRoute::Login
            | AppRoute::MyProjects
            | AppRoute::Review
            | AppRoute::Users
            | AppRoute::Audit
            | AppRoute::Timeliness
            | AppRoute::Plans => Bundle::Account,
        }
    }

    /// The roles the page is for, as the API grants them; empty: everyone who may open it
    /// at all (anyone on a public page, anyone logged in on a signed-in one). The page asks
    /// for a login or says 无权访问 by this, and the nav bar offers it by this.
    pub const fn roles(&self) -> &'static [Role] {
        match self {
            AppRoute::MyProjects => &[Role::Owner],
            AppRoute::Review | AppRoute::Audit => &[Role::Finance, Role::Admin],
            AppRoute::Users => &[Role::Admin],
            AppRoute::Plans => &[Role::Planner, Role::Admin],
            // owners see their own organisation in it
            AppRoute::Timeliness => &[Role::Planner, Role::Finance, Role::Admin, Role::Owner],
            AppRoute::Overview
            | AppRoute::Projects
            | AppRoute::Project { .. }
            | AppRoute::Schedule
            | AppRoute::Budget
            | AppRoute::Warnings
            | AppRoute::Reports { .. }
            | AppRoute::Login
            | AppRoute::Evaluation
            | AppRoute::NotFound { .. } => &[],
        }
    }

    /// Whether someone of `role` (`None`: not logged in) is offered the page.
    pub fn offered_to(&self, role: Option<Role>) -> bool {
        let roles = self.roles();
        roles.is_empty() || role.is_some_and(|r| roles.contains(&r))
    }
}

impl AppRoute {
    /// One route of every kind, project pages for `code`. The `match` stops compiling when a
    /// variant is added, so whoever adds one comes here and adds it too (the tests and
    /// `robots.txt` go through every kind from this list).
    pub fn one_of_each(code: &str) -> Vec<AppRoute> {
        let all = vec![
            AppRoute::Overview,
            AppRoute::Projects,
            AppRoute::project(code),
            AppRoute::Schedule,
            AppRoute::Budget,
            AppRoute::Warnings,
            AppRoute::reports(code),
            AppRoute::Login,
            AppRoute::MyProjects,
            AppRoute::Review,
            AppRoute::Users,
            AppRoute::Audit,
            AppRoute::Timeliness,
            AppRoute::Evaluation,
            AppRoute::Plans,
            AppRoute::NotFound {
                path: "/nowhere".into(),
            },
        ];
        for route in &all {
            match route {
                AppRoute::Overview
                | AppRoute::Projects
                | AppRoute::Project { .. }
                | AppRoute::Schedule
                | AppRoute::Budget
                | AppRoute::Warnings
                | AppRoute::Reports { .. }
                | AppRoute::Login
                | AppRoute::MyProjects
                | AppRoute::Review
                | AppRoute::Users
                | AppRoute::Audit
                | AppRoute::Timeliness
                | AppRoute::Evaluation
                | AppRoute::Plans
                | AppRoute::NotFound { .. } => {}
            }
        }
        all
    }
}

/// A project code as a path segment: not empty, one segment.
fn is_code(s: &str) -> bool {
    !s.is_empty() && !s.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_found_again_at_its_own_path() {
        for route in AppRoute::one_of_each("B14") {
            let path = route.path();
            assert_eq!(AppRoute::parse(&path), route, "{path}");
            assert_eq!(AppRoute::parse(&format!("{path}/")).path(), {
                // a trailing slash names the same page (a not-found path is kept as it came)
                match &route {
                    AppRoute::NotFound { .. } => format!("{path}/"),
                    _ => path.clone(),
                }
            });
        }
    }

    #[test]
    fn paths_map_to_routes() {
        let code = || "B14".to_string();
        assert_eq!(AppRoute::parse("/"), AppRoute::Overview);
        assert_eq!(AppRoute::parse(""), AppRoute::Overview);
        assert_eq!(AppRoute::parse("/projects/"), AppRoute::Projects);
        assert_eq!(
            AppRoute::parse("/projects/B14"),
            AppRoute::Project { code: code() }
        );
        assert_eq!(
            AppRoute::parse("/projects/B14/reports/"),
            AppRoute::Reports { code: code() }
        );
        assert_eq!(AppRoute::parse("/budget/"), AppRoute::Budget);
        for nowhere in [
            "/projects/B14/x",
            "/projects//reports",
            "/projects/a/b/reports",
            "/loginx",
            "/nowhere",
        ] {
            assert_eq!(
                AppRoute::parse(nowhere),
                AppRoute::NotFound {
                    path: nowhere.into()
                },
                "{nowhere}"
            );
        }
    }

    #[test]
    fn signed_in_pages_belong_to_the_account_bundle() {
        let account: Vec<String> = AppRoute::one_of_each("B14")
            .into_iter()
            .filter(|r| r.bundle() == Bundle::Account)
            .map(|r| r.path())
            .collect();
        assert_eq!(
            account,
            [
                "/projects/B14/reports",
                "/login",
                "/my-projects",
                "/review",
                "/users",
                "/audit",
                "/timeliness",
                "/plans"
            ]
        );
        assert_eq!(AppRoute::parse("/login/").bundle(), Bundle::Account);
        assert_eq!(
            AppRoute::parse("/projects/a/b/reports").bundle(),
            Bundle::Public
        );
    }

    #[test]
    fn each_role_is_offered_the_pages_the_api_lets_it_use() {
        let offered = |role: Option<Role>| -> Vec<String> {
            AppRoute::one_of_each("B14")
                .into_iter()
                .filter(|r| !r.roles().is_empty() && r.offered_to(role))
                .map(|r| r.path())
                .collect()
        };
        assert!(offered(None).is_empty());
        assert_eq!(offered(Some(Role::Planner)), ["/timeliness", "/plans"]);
        assert_eq!(offered(Some(Role::Owner)), ["/my-projects", "/timeliness"]);
        assert_eq!(
            offered(Some(Role::Finance)),
            ["/review", "/audit", "/timeliness"]
        );
        assert_eq!(
            offered(Some(Role::Admin)),
            ["/review", "/users", "/audit", "/timeliness", "/plans"]
        );
        assert!(AppRoute::Overview.offered_to(None));
    }
}
