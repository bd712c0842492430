//! The page frame: header with the nav bar, then the page of the current route
//! (`keyproj_shared::AppRoute`). The location lives in the app's state; `services::nav`
//! changes it (links, controls) through the browser history, which tells the app of every
//! change, back/forward included, and the page re-renders with the new query string.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use keyproj_shared::{AppRoute, Bundle};

use crate::components::header::{Section, header};
use crate::components::sample_banner::{sample_banner, sample_state};
use crate::hooks::{Auth, use_sample_data, use_session};
use crate::pages::{
    audit::audit_page, budget::BudgetPage, login::LoginPage, my_projects::my_projects_page,
    not_found::not_found, overview::OverviewPage, project::ProjectPage, projects::ProjectsPage,
    reports::reports_page, review::review_page, schedule::SchedulePage, users::users_page,
    warnings::WarningsPage,
};
use crate::pages::{evaluation::EvaluationPage, plans::plans_page, timeliness::timeliness_page};
use crate::services::{
    self,
    nav::{self, Location},
};

/// The pages one bundle draws (`AppRoute::bundle`). A page of the other bundle is reached
/// by a full page load (`nav::push` and `follow_link` see to it), so `page` is only asked
/// for its own; it answers the not-found page for the others all the same.
pub trait Pages: 'static {
    const BUNDLE: Bundle;

    fn page(route: AppRoute, search: AttrValue, auth: &Auth) -> Html;
}

pub struct PublicPages;

impl Pages for PublicPages {
    const BUNDLE: Bundle = Bundle::Public;

    fn page(route: AppRoute, search: AttrValue, auth: &Auth) -> Html {
        match route {
            AppRoute::Overview => html! { <OverviewPage /> },
            AppRoute::Projects => html! { <ProjectsPage {search} /> },
            AppRoute::Project { code } => {
                html! { <ProjectPage code={AttrValue::from(code)} role={auth.role()} /> }
            }
            AppRoute::Schedule => html! { <SchedulePage {search} /> },
            AppRoute::Budget => html! { <BudgetPage {search} /> },
            AppRoute::Warnings => html! { <WarningsPage {search} role={auth.role()} /> },
            AppRoute::Evaluation => html! { <EvaluationPage /> },
            AppRoute::Reports { .. }
            | AppRoute::Login
            | AppRoute::MyProjects
            | AppRoute::Review
            | AppRoute::Users
            | AppRoute::Audit
            | AppRoute::Timeliness
            | AppRoute::Plans
            | AppRoute::NotFound { .. } => not_found(),
        }
    }
}

/// The pages that need a login are plain functions that check the session and only then
/// draw their component (which asks the server for its data).
pub struct AccountPages;

impl Pages for AccountPages {
    const BUNDLE: Bundle = Bundle::Account;

    fn page(route: AppRoute, search: AttrValue, auth: &Auth) -> Html {
        match route {
            AppRoute::Reports { code } => reports_page(&AttrValue::from(code), auth),
            AppRoute::Login => html! { <LoginPage {search} auth={auth.clone()} /> },
            AppRoute::MyProjects => my_projects_page(auth),
            AppRoute::Review => review_page(&search, auth),
            AppRoute::Users => users_page(auth),
            AppRoute::Audit => audit_page(&search, auth),
            AppRoute::Timeliness => timeliness_page(&search, auth),
            AppRoute::Plans => plans_page(&search, auth),
            AppRoute::Overview
            | AppRoute::Projects
            | AppRoute::Project { .. }
            | AppRoute::Schedule
            | AppRoute::Budget
            | AppRoute::Warnings
            | AppRoute::Evaluation
            | AppRoute::NotFound { .. } => not_found(),
        }
    }
}

/// Draws bundle `P` into the page.
pub fn run<P: Pages>() {
    nav::set_owner(P::BUNDLE);
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
            let listening = nav::listen(move || setter.set(Location::current()));
            move || drop(listening)
        });
    }
    let auth = use_session();
    let sample = use_sample_data();
    let route = AppRoute::parse(&location.path);
    let active = Section::of(&route);
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
        <div class="app" data-sample={sample_state(sample)} onclick={Callback::from(follow_link)}>
            <a class="skip-link" href="#main">{ "跳到正文" }</a>
            { sample_banner(sample) }
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
