//! keyproj's single-page app: 湘潭市“十四五”民政事业重点项目.
//!
//! `app` holds the routes, `pages` one file per page, `components` the props-only building
//! blocks, `hooks` the fetch state, and `services` the client of the same-origin REST API.

mod app;
mod components;
mod hooks;
mod pages;
mod services;
mod util;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
