//! The 建设主体 names the owner filter offers, loaded once per visit.

use std::rc::Rc;

use yew::prelude::*;

use super::{Fetched, answer, use_api};
use crate::services;

/// The names once they are in; `None` while they load or if they could not be had (the
/// filter then offers only the owner already chosen).
#[hook]
pub fn use_owners() -> Option<Rc<Vec<String>>> {
    let api = use_api(AttrValue::Static("owners"), |_| {
        Box::pin(async { answer(services::owners().await) })
    });
    match api.get::<Rc<Vec<String>>>() {
        Fetched::Ready(names) => Some(Rc::clone(names)),
        Fetched::Loading | Fetched::Failed(_) => None,
    }
}
