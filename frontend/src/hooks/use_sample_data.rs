//! Whether the server's database holds the `--demo` sample (`/healthz` `sample_data`), asked
//! once per page load: every page then says so.

use yew::prelude::*;

use crate::services;

/// `Some(true)` once the server has said its data is the made-up sample, `Some(false)` when it
/// said it is not, `None` until it answers (and when it cannot: then no banner is shown).
#[hook]
pub fn use_sample_data() -> Option<bool> {
    let sample = use_state(|| None);
    {
        let sample = sample.setter();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(h) = services::health().await {
                    sample.set(Some(h.sample_data));
                }
            });
        });
    }
    *sample
}
