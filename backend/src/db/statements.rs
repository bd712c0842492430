//! Counting the SQL statements a pool runs, through diesel's instrumentation: how the tests
//! check that a request costs the few statements it should (`Settings::statement_counter`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::connection::{Instrumentation, InstrumentationEvent};

/// A count shared by every connection of a pool; clones count together.
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// The statements started since the pool opened.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    pub(super) fn instrumentation(&self) -> Counting {
        Counting(self.0.clone())
    }
}

pub(super) struct Counting(Arc<AtomicU64>);

impl Instrumentation for Counting {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}
