//! Waiting for a future on the calling thread, whatever that thread is (a plain thread, a
//! blocking task, or a task of the caller's own runtime): the thread parks until woken. The
//! future itself only waits for work done on the store's runtime (`postgres::runtime`), so
//! nothing here needs a reactor.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `f` to completion, parking between polls.
pub(crate) fn wait<F: Future>(f: F) -> F::Output {
    // Outside tokio's cooperative budget: a caller's task that spent its budget would
    // otherwise be told "not yet" forever.
    let mut f = pin!(tokio::task::unconstrained(f));
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park();
    }
}
