//! keyproj's single-page app: 湘潭市“十四五”民政事业重点项目.
//!
//! `app` draws the page of the route, `pages` one file per page, `components` the
//! props-only building blocks, `hooks` the fetch and form state, and `services` the client
//! of the same-origin REST API and the address bar.
//! The crate builds two bundles (see `keyproj_shared::AppRoute::bundle`): `src/main.rs`
//! the public pages, `src/bin/keyproj-account.rs` the signed-in ones.

mod app;
mod components;
mod hooks;
mod pages;
mod services;
mod util;

/// Starts the bundle of the public pages.
pub fn run_public() {
    app::run::<app::PublicPages>();
}

/// Starts the bundle of the pages behind a login.
pub fn run_account() {
    app::run::<app::AccountPages>();
}
