//! The app's header: its title and the main navigation.

use yew::prelude::*;

use crate::app::Section;

/// `active`: the section the current page belongs to, highlighted in the nav bar. Every
/// entry is a real link (open in a new tab works; a plain click is followed in-app), saying
/// `aria-current="page"` when it is the current section.
pub fn header(active: Option<Section>) -> Html {
    html! {
        <header class="app-header">
            <div class="app-header-inner">
                <a href="/" class="app-title">{ "湘潭市“十四五”民政重点项目" }</a>
                <nav class="app-nav" aria-label="主导航">
                    <ul>
                        { for Section::ALL.iter().map(|&s| {
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
            </div>
        </header>
    }
}
