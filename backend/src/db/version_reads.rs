//! Single-flight reads of the data version (`db::data_version`), for the conditional GET and
//! the response cache (`routes::conditional`): a request that arrives while no read is in
//! flight starts one; one that arrives while a read is in flight waits for the **next** read,
//! which starts after it arrived. Every request so gets a version read that began after it
//! arrived, so the answer reflects every write committed before it arrived, through any
//! server sharing the database, exactly as a read of its own would; under load, the requests
//! of one round share one read instead of each taking a pool connection for it.
//!
//! The read runs in a task of its own, so a client that hangs up cannot leave the others
//! waiting for a read nobody finishes, and on a connection of its own, so that it never
//! queues for the pool behind the handlers' work (one connection: one read at a time).

use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;

use super::{DbPool, data_version, with_conn};
use crate::error::ApiError;

/// One server's version reads (application data).
#[derive(Clone)]
pub struct VersionReads(Arc<Shared>);

struct Shared {
    /// One connection, for these reads only.
    pool: DbPool,
    state: Mutex<State>,
    /// The last finished read; waiters watch it.
    finished: watch::Sender<Finished>,
}

/// Reads are numbered from 1 in the order they start; one runs at a time.
#[derive(Default)]
struct State {
    started: u64,
    running: bool,
}

#[derive(Clone)]
struct Finished {
    read: u64,
    outcome: Result<i64, Arc<ApiError>>,
}

impl VersionReads {
    /// Reads through `pool`, which is theirs alone (`db::pool_of(url, 1, …)`).
    pub fn new(pool: DbPool) -> Self {
        let (finished, _) = watch::channel(Finished {
            read: 0,
            outcome: Ok(0),
        });
        VersionReads(Arc::new(Shared {
            pool,
            state: Mutex::new(State::default()),
            finished,
        }))
    }

    /// The data version, from a read that started after this call.
    pub async fn current(&self) -> Result<i64, ApiError> {
        // subscribed before looking at the state: a read that finishes after this point
        // wakes `changed` below
        let mut rx = self.0.finished.subscribe();
        let need = {
            let mut s = self.lock();
            if s.running {
                s.started + 1
            } else {
                self.start(&mut s)
            }
        };
        loop {
            {
                let f = rx.borrow_and_update();
                if f.read >= need {
                    return f.outcome.clone().map_err(|e| again(&e));
                }
            }
            {
                // the read this request waits for starts when the one before it ends
                let mut s = self.lock();
                if !s.running && s.started < need {
                    self.start(&mut s);
                }
            }
            if rx.changed().await.is_err() {
                return Err(ApiError::internal(anyhow::anyhow!(
                    "the data version reader is gone"
                )));
            }
        }
    }

    /// Starts the next read; answers its number.
    fn start(&self, s: &mut State) -> u64 {
        s.started += 1;
        s.running = true;
        let read = s.started;
        let me = self.clone();
        actix_web::rt::spawn(async move {
            let outcome = with_conn(&me.0.pool, |conn| Ok(data_version::current(conn)?))
                .await
                .map_err(Arc::new);
            // published and marked done together, under the lock the waiters check
            let mut s = me.lock();
            s.running = false;
            me.0.finished.send_replace(Finished { read, outcome });
            drop(s);
        });
        read
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // two integers, always consistent: a panicking holder leaves them usable
        self.0.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The error of a shared read, for each request that waited for it: busy stays busy (503).
fn again(e: &ApiError) -> ApiError {
    let source = anyhow::anyhow!("reading the data version: {e}");
    match e {
        ApiError::Unavailable(_) => ApiError::Unavailable(source),
        _ => ApiError::Internal(source),
    }
}
