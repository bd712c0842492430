//! The app's header: its title and the main navigation.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::{Route, Section};

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The section the current page belongs to, highlighted in the nav bar.
    pub active: Option<Section>,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    html! {
        <header class="app-header">
            <div class="app-header-inner">
                <Link<Route> to={Route::Overview} classes="app-title">
                    { "湘潭市“十四五”民政重点项目" }
                </Link<Route>>
                <nav class="app-nav" aria-label="主导航">
                    <ul>
                        { for Section::ALL.iter().map(|&s| html! {
                            <li><NavLink section={s} active={props.active == Some(s)} /></li>
                        }) }
                    </ul>
                </nav>
            </div>
        </header>
    }
}

#[derive(Properties, PartialEq)]
struct NavLinkProps {
    section: Section,
    active: bool,
}

/// A nav entry: a real link (open in new tab works) that navigates in-app on a plain click,
/// and says `aria-current="page"` when it is the current section.
#[component]
fn NavLink(props: &NavLinkProps) -> Html {
    let navigator = use_navigator();
    let route = props.section.route();
    let href = route.to_path();
    let onclick = Callback::from(move |e: MouseEvent| {
        if e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() || e.button() != 0 {
            return;
        }
        if let Some(nav) = &navigator {
            e.prevent_default();
            nav.push(&route);
        }
    });
    html! {
        <a {href} {onclick}
            class={classes!("nav-link", props.active.then_some("active"))}
            aria-current={props.active.then_some("page")}
            data-testid={format!("nav-{}", props.section.key())}>
            { props.section.label() }
        </a>
    }
}
