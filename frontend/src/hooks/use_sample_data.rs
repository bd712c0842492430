//! Whether the server's database holds the `--demo` sample: written into the page by the
//! server (so the banner is there with the first frame and nothing moves), else asked of
//! `/healthz` (`sample_data`) once per page load. Every page then says so.

use yew::prelude::*;

use crate::services;

/// `Some(true)` once the server has said its data is the made-up sample, `Some(false)` when it
/// said it is not, `None` until it answers (and when it cannot: then no banner is shown).
#[hook]
pub fn use_sample_data() -> Option<bool> {
    let sample = use_state(services::sample_from_page);
    {
        let known = sample.is_some();
        let sample = sample.setter();
        use_effect_with((), move |_| {
            if known {
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(h) = services::health().await {
                    sample.set(Some(h.sample_data));
                }
            });
        });
    }
    *sample
}
