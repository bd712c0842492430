//! Whether the server's database holds the `--demo` sample (`/healthz` `sample_data`), asked
//! once per page load: every page then says so.

use yew::prelude::*;

use crate::services;

/// `true` once the server has said its data is the made-up sample; `false` until then and
/// when it is not (or cannot say: no banner is better than a wrong one).
#[hook]
pub fn use_sample_data() -> bool {
    let sample = use_state(|| false);
    {
        let sample = sample.setter();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(h) = services::health().await {
                    sample.set(h.sample_data);
                }
            });
        });
    }
    *sample
}
