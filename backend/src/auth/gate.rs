//! Logins from one address run a few at a time, the rest queued, not refused.
//!
//! An attempt counts as a failure from the moment it starts until its password proves right
//! (`accounts::begin_login`), so that parallel guesses cannot all pass the count of five
//! before any is recorded. Without a queue, an office behind one NAT address logging in at
//! nine o'clock would see 429s for right passwords, since the attempts in flight count.
//! Queued, at most `PER_ADDRESS` attempts per address are in flight on each server, so right
//! passwords are never refused for their neighbours' sake, and guesses still stop at five.

use std::hash::{DefaultHasher, Hash, Hasher};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Attempts from one address in flight at once, per server.
pub const PER_ADDRESS: usize = 2;
/// Addresses share a queue when they hash alike: enough stripes that this is rare, and no
/// map to grow with every address seen.
const STRIPES: usize = 256;

pub struct LoginGate {
    stripes: Vec<Semaphore>,
}

impl Default for LoginGate {
    fn default() -> Self {
        LoginGate {
            stripes: (0..STRIPES).map(|_| Semaphore::new(PER_ADDRESS)).collect(),
        }
    }
}

impl LoginGate {
    /// Waits for a turn of `ip`'s queue; the turn ends when the permit is dropped.
    pub async fn enter(&self, ip: &str) -> SemaphorePermit<'_> {
        let mut h = DefaultHasher::new();
        ip.hash(&mut h);
        let stripe = (h.finish() % STRIPES as u64) as usize;
        self.stripes[stripe]
            .acquire()
            .await
            .expect("the gate's semaphores are never closed")
    }
}
