//! The app's header: its title and the main navigation.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Section;

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
                <a href="/" class="app-title">{ "湘潭市“十四五”民政重点项目" }</a>
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

/// A nav entry: a real link (open in new tab works; a plain click is followed in-app by the
/// frame), saying `aria-current="page"` when it is the current section.
#[component]
fn NavLink(props: &NavLinkProps) -> Html {
    html! {
        <a href={props.section.route().to_path()}
            class={classes!("nav-link", props.active.then_some("active"))}
            aria-current={props.active.then_some("page")}
            data-testid={format!("nav-{}", props.section.key())}>
            { props.section.label() }
        </a>
    }
}
