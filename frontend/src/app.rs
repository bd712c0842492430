//! Routes and the page frame: header with the nav bar, then the page of the current route.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::header::Header;
use crate::pages::{
    budget::BudgetPage, not_found::NotFoundPage, overview::OverviewPage, project::ProjectPage,
    projects::ProjectsPage, schedule::SchedulePage,
};

#[derive(Routable, Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// 总览
    #[at("/")]
    Overview,
    /// 项目: the filterable list; its state is the query string.
    #[at("/projects")]
    Projects,
    #[at("/projects/:code")]
    Project { code: String },
    /// 进度计划
    #[at("/schedule")]
    Schedule,
    /// 预算
    #[at("/budget")]
    Budget,
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// The entries of the nav bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Projects,
    Schedule,
    Budget,
}

impl Section {
    pub const ALL: &'static [Section] = &[
        Section::Overview,
        Section::Projects,
        Section::Schedule,
        Section::Budget,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            Section::Overview => "总览",
            Section::Projects => "项目",
            Section::Schedule => "进度计划",
            Section::Budget => "预算",
        }
    }

    pub const fn key(self) -> &'static str {
        match self {
            Section::Overview => "overview",
            Section::Projects => "projects",
            Section::Schedule => "schedule",
            Section::Budget => "budget",
        }
    }

    pub fn route(self) -> Route {
        match self {
            Section::Overview => Route::Overview,
            Section::Projects => Route::Projects,
            Section::Schedule => Route::Schedule,
            Section::Budget => Route::Budget,
        }
    }
}

impl Route {
    /// The nav entry a page belongs to; a project page belongs to 项目.
    pub fn section(&self) -> Option<Section> {
        match self {
            Route::Overview => Some(Section::Overview),
            Route::Projects | Route::Project { .. } => Some(Section::Projects),
            Route::Schedule => Some(Section::Schedule),
            Route::Budget => Some(Section::Budget),
            Route::NotFound => None,
        }
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Overview => html! { <OverviewPage /> },
        Route::Projects => html! { <ProjectsPage /> },
        Route::Project { code } => html! { <ProjectPage {code} /> },
        Route::Schedule => html! { <SchedulePage /> },
        Route::Budget => html! { <BudgetPage /> },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

#[component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <Frame />
        </BrowserRouter>
    }
}

/// The layout every page shares.
#[component]
fn Frame() -> Html {
    let active = use_route::<Route>().and_then(|r| r.section());
    html! {
        <>
            <a class="skip-link" href="#main">{ "跳到正文" }</a>
            <Header {active} />
            <main id="main" class="app-main" tabindex="-1">
                <Switch<Route> render={switch} />
            </main>
            <footer class="app-footer">
                { "数据来源：《湘潭市“十四五”民政事业发展规划》附件1 重点项目表（湘潭市民政局、湘潭市发展和改革委员会，2021年9月）。金额单位：万元。" }
            </footer>
        </>
    }
}
