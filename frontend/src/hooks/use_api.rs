//! `use_api`: runs an API call whenever its key changes, and offers a retry.
//!
//! The hook is deliberately not generic: the key is a string (a page's query string, a
//! project code) and the answer an `Rc<dyn Any>` that the page reads back with
//! [`UseApi::get`]. One copy of the hook's code serves every page, which keeps the wasm small.

use std::any::Any;
use std::cell::Cell;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use yew::prelude::*;

use crate::services::ApiError;

/// A finished request: the value, type-erased, or what went wrong.
pub type Answer = Result<Rc<dyn Any>, ApiError>;

/// The request a page makes for a key.
pub type Fetch = fn(AttrValue) -> LocalBoxFuture<'static, Answer>;

/// Erases the type of an answer; [`UseApi::get`] gives it back.
pub fn answer<T: 'static>(result: Result<T, ApiError>) -> Answer {
    result.map(|v| Rc::new(v) as Rc<dyn Any>)
}

/// Where a request stands, as the page sees it.
pub enum Fetched<'a, T> {
    Loading,
    Failed(&'a ApiError),
    Ready(&'a T),
}

type Slot = Option<((AttrValue, u32), Answer)>;

/// What a page gets back: the state, and a callback that runs the same request again.
pub struct UseApi {
    slot: UseStateHandle<Slot>,
    current: (AttrValue, u32),
    pub retry: Callback<()>,
}

impl UseApi {
    /// The answer for the current key, read as a `T` (the type the page's fetch returns).
    pub fn get<T: 'static>(&self) -> Fetched<'_, T> {
        match &*self.slot {
            Some((key, Ok(v))) if *key == self.current => {
                v.downcast_ref().map_or(Fetched::Loading, Fetched::Ready)
            }
            Some((key, Err(e))) if *key == self.current => Fetched::Failed(e),
            _ => Fetched::Loading,
        }
    }

    /// Like [`get`](Self::get), but while the same key is asked for again (after `retry`),
    /// the previous answer stays: a page refreshing after a change keeps its forms.
    pub fn get_refreshing<T: 'static>(&self) -> Fetched<'_, T> {
        match &*self.slot {
            Some((key, Ok(v))) if key.0 == self.current.0 => {
                v.downcast_ref().map_or(Fetched::Loading, Fetched::Ready)
            }
            _ => self.get(),
        }
    }

    /// Like [`get`](Self::get), but while the answer for a new key is on its way, the last
    /// answer (for the key before) stays on the page, and `true` says it is being replaced.
    /// The page keeps its place, and the control just used keeps the keyboard focus, where
    /// a loading state would unmount both (a keyboard user would start again from the top).
    pub fn get_keeping<T: 'static>(&self) -> (Fetched<'_, T>, bool) {
        match &*self.slot {
            Some((key, Ok(v))) if *key != self.current => match v.downcast_ref() {
                Some(v) => (Fetched::Ready(v), true),
                None => (Fetched::Loading, false),
            },
            _ => (self.get(), false),
        }
    }

    pub fn is_ready(&self) -> bool {
        matches!(&*self.slot, Some((key, Ok(_))) if *key == self.current)
    }
}

/// Calls `fetch(key)` on first render and again whenever `key` changes or `retry` is
/// emitted. Until the answer for the current key is in, the state is `Loading`; an answer
/// that arrives after the key has moved on (or the page is gone) is dropped, so a slow old
/// request can never show up in place of a newer one.
#[hook]
pub fn use_api(key: AttrValue, fetch: Fetch) -> UseApi {
    // The last answer, with the (key, attempt) it answers.
    let slot = use_state(|| None::<((AttrValue, u32), Answer)>);
    let attempt = use_state(|| 0_u32);
    let current = (key, *attempt);

    {
        let slot = slot.clone();
        use_effect_with(current.clone(), move |deps| {
            let stale = Rc::new(Cell::new(false));
            let future = fetch(deps.0.clone());
            let deps = deps.clone();
            {
                let stale = Rc::clone(&stale);
                wasm_bindgen_futures::spawn_local(async move {
                    let result = future.await;
                    if !stale.get() {
                        slot.set(Some((deps, result)));
                    }
                });
            }
            move || stale.set(true)
        });
    }

    let retry = Callback::from(move |()| attempt.set(attempt.wrapping_add(1)));
    UseApi {
        slot,
        current,
        retry,
    }
}
