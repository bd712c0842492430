//! The answers of the public reads, kept per data version: the list, a project, the summary,
//! the pivot, the reconciliation and the owner names (`routes::cached_reads`) are computed once per data
//! version, China day and URL, and then served from memory until a write moves the version
//! (through any server: the version comes from the database, `db::VersionReads`) or the day
//! turns. `routes::conditional` looks an answer up after reading the version, and fills the
//! cache on a miss.
//!
//! Keyed by what these answers depend on: the version, the day (the list's warning colours
//! and default month, `conditional::tag`), the path and the query string as sent. Nothing
//! else: these routes take no session, role or header into account, and the body is kept as
//! the handler wrote it, before `Compress` encodes it for each client.
//!
//! Bounded: at most `entries` answers and `bytes` bytes (bodies, headers and keys), the least
//! recently used evicted first; an answer larger than an eighth of `bytes` is not kept.
//! Entries of an older version or day are dropped at once when a newer one is stored.

use std::sync::{Arc, Mutex, MutexGuard};

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::web::Bytes;
use lru::LruCache;

use crate::config::ResponseCacheSettings;

/// One kept answer, as the handler gave it.
#[derive(Debug)]
pub struct Stored {
    pub status: StatusCode,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
}

impl Stored {
    fn size(&self, key: &str) -> usize {
        key.len()
            + self.body.len()
            + self
                .headers
                .iter()
                .map(|(n, v)| n.as_str().len() + v.len())
                .sum::<usize>()
    }
}

/// What the entries were computed at: a newer one makes them all stale.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Generation {
    pub version: i64,
    pub day: String,
}

/// One server's cache (application data).
pub struct ResponseCache {
    limits: ResponseCacheSettings,
    inner: Mutex<Inner>,
}

struct Inner {
    at: Option<Generation>,
    entries: LruCache<String, Arc<Stored>>,
    bytes: usize,
}

impl ResponseCache {
    pub fn new(limits: ResponseCacheSettings) -> Self {
        ResponseCache {
            limits,
            inner: Mutex::new(Inner {
                at: None,
                entries: LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    /// Whether anything is ever kept (`--response-cache-entries 0` turns it off).
    pub fn enabled(&self) -> bool {
        self.limits.entries > 0 && self.limits.bytes > 0
    }

    /// The answer to `key` (path and query) computed at `at`, if kept.
    pub fn get(&self, at: &Generation, key: &str) -> Option<Arc<Stored>> {
        let mut inner = self.lock();
        if inner.at.as_ref() != Some(at) {
            return None;
        }
        inner.entries.get(key).cloned()
    }

    /// Keeps the answer to `key` computed at `at`, unless the cache holds a newer generation
    /// (a slow request of an older version) or the answer is too large.
    pub fn put(&self, at: Generation, key: String, stored: Stored) {
        let size = stored.size(&key);
        if !self.enabled() || size > self.limits.bytes / 8 {
            return;
        }
        let mut inner = self.lock();
        match inner.at.as_ref() {
            Some(current) if *current > at => return,
            Some(current) if *current == at => {}
            _ => {
                inner.entries.clear();
                inner.bytes = 0;
                inner.at = Some(at);
            }
        }
        if let Some(old) = inner.entries.put(key.clone(), Arc::new(stored)) {
            inner.bytes -= old.size(&key);
        }
        inner.bytes += size;
        while inner.entries.len() > self.limits.entries || inner.bytes > self.limits.bytes {
            match inner.entries.pop_lru() {
                Some((k, v)) => inner.bytes -= v.size(&k),
                None => break,
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // entries and their byte count change together under the lock; a panic between the
        // two could only leave the count off, so start over rather than trust it
        self.inner.lock().unwrap_or_else(|e| {
            let mut inner = e.into_inner();
            inner.entries.clear();
            inner.bytes = 0;
            inner
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(entries: usize, bytes: usize) -> ResponseCache {
        ResponseCache::new(ResponseCacheSettings { entries, bytes })
    }

    fn answer(len: usize) -> Stored {
        Stored {
            status: StatusCode::OK,
            headers: Vec::new(),
            body: Bytes::from(vec![b'x'; len]),
        }
    }

    fn at(version: i64) -> Generation {
        Generation {
            version,
            day: "2026-12-06".into(),
        }
    }

    #[test]
    fn the_least_recently_used_answer_goes_first_when_the_entries_are_full() {
        let c = cache(2, 1 << 20);
        c.put(at(1), "a".into(), answer(10));
        c.put(at(1), "b".into(), answer(10));
        assert!(c.get(&at(1), "a").is_some());
        c.put(at(1), "c".into(), answer(10));
        assert!(c.get(&at(1), "b").is_none());
        assert!(c.get(&at(1), "a").is_some());
        assert!(c.get(&at(1), "c").is_some());
    }

    #[test]
    fn the_bytes_bound_holds_and_a_large_answer_is_not_kept() {
        let c = cache(100, 8_000);
        for k in 0..10 {
            c.put(at(1), format!("k{k}"), answer(900));
        }
        let kept = (0..10)
            .filter(|k| c.get(&at(1), &format!("k{k}")).is_some())
            .count();
        assert!((7..10).contains(&kept), "{kept} answers kept");
        assert!(c.lock().bytes <= 8_000);
        c.put(at(1), "big".into(), answer(1_001));
        assert!(c.get(&at(1), "big").is_none());
    }

    #[test]
    fn a_newer_version_drops_the_older_and_an_older_one_is_not_kept() {
        let c = cache(100, 1 << 20);
        c.put(at(1), "a".into(), answer(10));
        c.put(at(2), "b".into(), answer(10));
        assert!(c.get(&at(1), "a").is_none());
        assert!(c.get(&at(2), "a").is_none());
        c.put(at(1), "a".into(), answer(10));
        assert!(c.get(&at(1), "a").is_none());
        assert!(c.get(&at(2), "b").is_some());
        let tomorrow = Generation {
            version: 2,
            day: "2026-12-07".into(),
        };
        assert!(c.get(&tomorrow, "b").is_none());
    }
}
