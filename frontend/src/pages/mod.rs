//! One file per page. Pages read the route, load data through `services` (via
//! `hooks::use_api`), and lay out `components`.

pub mod budget;
pub mod not_found;
pub mod overview;
pub mod project;
pub mod projects;
pub mod schedule;

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UnderConstructionProps {
    pub title: AttrValue,
    pub description: AttrValue,
}

/// The body of a page that a later issue fills in.
#[component]
pub fn UnderConstruction(props: &UnderConstructionProps) -> Html {
    html! {
        <section class="page">
            <h1>{ props.title.clone() }</h1>
            <div class="state placeholder" data-testid="under-construction">
                <p class="placeholder-title">{ "建设中" }</p>
                <p>{ props.description.clone() }</p>
            </div>
        </section>
    }
}
