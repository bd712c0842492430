//! `use_api`: runs an API call whenever its key changes, and offers a retry.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use crate::services::ApiError;
use crate::services::join::BoxFuture;

/// Where a request stands.
#[derive(Debug)]
pub enum ApiState<T> {
    Loading,
    Ready(Rc<T>),
    Failed(ApiError),
}

// Written out because a derive would demand `T: Clone` / `T: PartialEq`; the data sits in
// an `Rc`, and two answers are the same when they are the same allocation.
impl<T> Clone for ApiState<T> {
    fn clone(&self) -> Self {
        match self {
            ApiState::Loading => ApiState::Loading,
            ApiState::Ready(v) => ApiState::Ready(Rc::clone(v)),
            ApiState::Failed(e) => ApiState::Failed(e.clone()),
        }
    }
}

impl<T> PartialEq for ApiState<T> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ApiState::Loading, ApiState::Loading) => true,
            (ApiState::Ready(a), ApiState::Ready(b)) => Rc::ptr_eq(a, b),
            (ApiState::Failed(a), ApiState::Failed(b)) => a == b,
            _ => false,
        }
    }
}

/// What a page gets back: the state, and a callback that runs the same request again.
pub struct UseApi<T> {
    pub state: ApiState<T>,
    pub retry: Callback<()>,
}

/// The request a page makes for a key: a plain `fn` returning a boxed future, so the hook's
/// code is not copied for every closure and future type.
pub type Fetch<K, T> = fn(K) -> BoxFuture<Result<T, ApiError>>;

/// Calls `fetch(key)` on first render and again whenever `key` changes or `retry` is
/// emitted. Until the answer for the current key is in, the state is `Loading`; an answer
/// that arrives after the key has moved on (or the page is gone) is dropped, so a slow old
/// request can never show up in place of a newer one.
#[hook]
pub fn use_api<K, T>(key: K, fetch: Fetch<K, T>) -> UseApi<T>
where
    K: PartialEq + Clone + 'static,
    T: 'static,
{
    // The last answer, with the (key, attempt) it answers.
    let answer = use_state(|| None::<((K, u32), ApiState<T>)>);
    let attempt = use_state(|| 0_u32);
    let current = (key, *attempt);

    {
        let answer = answer.clone();
        use_effect_with(current.clone(), move |deps| {
            let stale = Rc::new(Cell::new(false));
            let future = fetch(deps.0.clone());
            let deps = deps.clone();
            {
                let stale = Rc::clone(&stale);
                wasm_bindgen_futures::spawn_local(async move {
                    let result = future.await;
                    if !stale.get() {
                        let state = match result {
                            Ok(v) => ApiState::Ready(Rc::new(v)),
                            Err(e) => ApiState::Failed(e),
                        };
                        answer.set(Some((deps, state)));
                    }
                });
            }
            move || stale.set(true)
        });
    }

    let state = match &*answer {
        Some((for_key, state)) if *for_key == current => state.clone(),
        _ => ApiState::Loading,
    };
    let retry = Callback::from(move |()| attempt.set(attempt.wrapping_add(1)));
    UseApi { state, retry }
}
