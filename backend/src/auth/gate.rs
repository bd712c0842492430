//! Logins from one address run a few at a time, the rest queued, not refused.
//!
//! An attempt counts as a failure from the moment it starts until its password proves right
//! (`accounts::begin_login`), so that parallel guesses cannot all pass the count of five
//! before any is recorded. Without a queue, an office behind one NAT address logging in at
//! nine o'clock would see 429s for right passwords, since the attempts in flight count.
//! Queued, at most `PER_ADDRESS` attempts per address are in flight on each server, so right
//! passwords are never refused for their neighbours' sake, and guesses still stop at five.
//!
//! Hashing itself takes turns too: argon2 is CPU work, and 32 hashes at once on two cores
//! left a read waiting for its share of the CPU (p99 240-480 ms in `benches/login_burst.rs`).
//! At most half the cores hash at once (at least one), so reads always have CPU to run on;
//! a burst of logins takes longer instead.

use std::hash::{DefaultHasher, Hash, Hasher};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Attempts from one address in flight at once, per server.
pub const PER_ADDRESS: usize = 2;
/// Addresses share a queue when they hash alike: enough stripes that this is rare, and no
/// map to grow with every address seen.
const STRIPES: usize = 256;

pub struct LoginGate {
    stripes: Vec<Semaphore>,
    hashing: Semaphore,
}

impl Default for LoginGate {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        LoginGate {
            stripes: (0..STRIPES).map(|_| Semaphore::new(PER_ADDRESS)).collect(),
            hashing: Semaphore::new((cores / 2).max(1)),
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

    /// Waits for a turn to hash a password; the turn ends when the permit is dropped.
    pub async fn hash_turn(&self) -> SemaphorePermit<'_> {
        self.hashing
            .acquire()
            .await
            .expect("the gate's semaphores are never closed")
    }
}
