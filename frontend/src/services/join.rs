//! Waits for several requests at once: they all go out together, and the answer comes when
//! the last one is in. (A `futures` dependency for two functions is not worth its weight.)

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Runs every future to completion, concurrently; the outputs in the order given.
pub async fn join_all<T>(mut futures: Vec<BoxFuture<T>>) -> Vec<T> {
    let mut outputs: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    poll_fn(|cx| {
        let mut pending = false;
        for (future, out) in futures.iter_mut().zip(outputs.iter_mut()) {
            if out.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(v) => *out = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;
    use std::task::{Context, Waker};

    use super::*;

    /// A future that is pending `n` times before giving `v`.
    fn later(n: u32, v: u32, polls: Rc<Cell<u32>>) -> BoxFuture<u32> {
        let mut left = n;
        Box::pin(poll_fn(move |cx| {
            polls.set(polls.get() + 1);
            if left == 0 {
                Poll::Ready(v)
            } else {
                left -= 1;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }))
    }

    #[test]
    fn all_futures_run_together_and_answer_in_order() {
        let polls = Rc::new(Cell::new(0));
        let mut joined = Box::pin(join_all(vec![
            later(2, 1, Rc::clone(&polls)),
            later(0, 2, Rc::clone(&polls)),
            later(1, 3, Rc::clone(&polls)),
        ]));
        let mut cx = Context::from_waker(Waker::noop());
        let mut rounds = 0;
        let out = loop {
            rounds += 1;
            if let Poll::Ready(out) = joined.as_mut().poll(&mut cx) {
                break out;
            }
        };
        assert_eq!(out, [1, 2, 3]);
        // three rounds, not 3 + 1 + 2 one after another; a finished future is not polled again
        assert_eq!(rounds, 3);
        assert_eq!(polls.get(), 3 + 2 + 1);
    }
}
