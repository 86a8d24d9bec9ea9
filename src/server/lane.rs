//! The blocking threads some work is sent to, so that it holds up no async worker.
//!
//! Parsing is synchronous work. For a body of a few kilobytes it is over in well under a
//! millisecond and is best done where the request arrived. A body near `max_body_bytes` (a
//! flood of attributes, a huge form) takes milliseconds of CPU, and on an async worker that is
//! time every other connection waits. Such bodies are parsed on tokio's blocking threads
//! instead, and no more of them at once than half the cores, so the rest of the machine keeps
//! answering everyone else. The lane is one for the process: it shares out the cores.
//!
//! A call that writes waits for its batch of writes to commit (the store's group commit). On
//! an async worker that wait would stall every connection the worker serves, and with as many
//! workers as cores no batch could hold more writes than there are cores. Such calls run on
//! the store's batch thread instead, which gathers as many into a batch as are queued, and
//! the async worker awaits the answer.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, LazyLock};

use tokio::sync::{oneshot, Semaphore};

use crate::store::{Store, StoreError};

/// Bodies larger than this are parsed on the lane. Ordinary calls are far smaller, so the
/// lane's thread hop and queue touch only the few that are not.
pub(super) const LARGE_BODY_BYTES: usize = 64 * 1024;

static PLACES: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Arc::new(Semaphore::new((cores / 2).max(1)))
});

/// `parse()`: inline for a body that is not `large`, else on a blocking thread once one of the
/// lane's places is free. `None` if the runtime is shutting down; a panic in `parse` goes on
/// in the caller, as it would have inline.
pub(super) async fn parse<T: Send + 'static>(
    large: bool,
    parse: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    if !large {
        return Some(parse());
    }
    on_blocking_thread(&PLACES, parse).await
}

/// `call()`: inline if it only reads, else on `store`'s batch thread (see the module's
/// comment), `Err` if its batch did not commit. `None` if the store is closing.
pub(super) async fn call<T: Send + 'static>(
    store: &Store,
    writes: bool,
    call: impl FnOnce() -> T + Send + 'static,
) -> Option<Result<T, StoreError>> {
    if !writes {
        return Some(Ok(call()));
    }
    let (answer, answered) = oneshot::channel();
    store.run_batched(Box::new(move || {
        // A panic goes on in the caller, as it would have inline.
        let out = panic::catch_unwind(AssertUnwindSafe(call));
        Box::new(move |committed| {
            let _ = answer.send(out.map(|out| committed.map(|()| out)));
        })
    }));
    match answered.await {
        Ok(Ok(done)) => Some(done),
        Ok(Err(panicked)) => panic::resume_unwind(panicked),
        Err(_) => None,
    }
}

/// `work()` on a blocking thread once `places` has one free; a panic goes on in the caller, as
/// it would have inline.
async fn on_blocking_thread<T: Send + 'static>(
    places: &Arc<Semaphore>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    // The semaphore is never closed, so this only waits.
    let place = places.clone().acquire_owned().await.ok();
    let done = tokio::task::spawn_blocking(move || {
        // Held until the work is done, even if the client has gone meanwhile.
        let _place = place;
        work()
    })
    .await;
    match done {
        Ok(done) => Some(done),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => None,
    }
}
