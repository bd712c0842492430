//! The first reads of a public page travel beside the wasm: the server names them in the
//! page's HTML (`<link rel="preload" as="fetch">`), and the app, once it runs, finds each
//! already answered instead of asking again. Checked from the browser's own records: the
//! resource timing entries (a read the app made itself is an entry of type `fetch`), and
//! the console, where Chromium warns of a preload nobody used. `/healthz` is not read at
//! all: the HTML says whether the data is the sample.

use std::time::Duration;

use crate::console::{PUBLIC_PAGES, lines};
use crate::harness::start;

/// The API reads the page loaded, as `(initiator, address)`: `link` for a preload, `fetch`
/// for a read the app made itself.
const READS: &str = r#"
    return performance.getEntriesByType('resource')
        .map(e => [e.initiatorType, new URL(e.name).pathname + new URL(e.name).search])
        .filter(([_, u]) => u.startsWith('/api/') || u === '/healthz');
"#;

/// The API addresses the page's HTML preloads (the build's own preload of the wasm aside).
const PRELOADS: &str = r#"
    return [...document.querySelectorAll('link[rel=preload][as=fetch]')]
        .map(l => new URL(l.href).pathname + new URL(l.href).search)
        .filter(u => u.startsWith('/api/') || u === '/healthz');
"#;

#[tokio::test]
async fn every_first_read_of_a_public_page_was_preloaded_and_every_preload_was_used() {
    let s = start().await;
    for (path, drawn) in PUBLIC_PAGES {
        s.open(path).await;
        s.wait_for(drawn).await;
        let preloads: Vec<String> =
            serde_json::from_value(s.client.execute(PRELOADS, vec![]).await.expect("preloads"))
                .expect("a list of addresses");
        assert!(
            !preloads.is_empty(),
            "{path}: the page's reads are preloaded"
        );
        // Chromium warns of an unused preload a few seconds after the load event.
        tokio::time::sleep(Duration::from_millis(3500)).await;
        let reads: Vec<(String, String)> = serde_json::from_value(
            s.client
                .execute(READS, vec![])
                .await
                .expect("resource timing"),
        )
        .expect("pairs");
        let own: Vec<_> = reads.iter().filter(|(how, _)| how != "link").collect();
        assert!(own.is_empty(), "{path}: read without a preload: {own:?}");
        let mut loaded: Vec<String> = reads.into_iter().map(|(_, u)| u).collect();
        loaded.sort();
        let mut named = preloads.clone();
        named.sort();
        assert_eq!(loaded, named, "{path}");
        let unused: Vec<String> = lines(&s.client, "WARNING")
            .await
            .into_iter()
            .filter(|l| l.contains("preloaded using link preload but not used"))
            .collect();
        assert!(unused.is_empty(), "{path}: {unused:#?}");
    }
    s.close().await;
}
