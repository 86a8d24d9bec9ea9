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
//! blocking threads too, where a batch gathers as many as are waiting.

use std::sync::{Arc, LazyLock};

use tokio::sync::Semaphore;

/// Bodies larger than this are parsed on the lane. Ordinary calls are far smaller, so the
/// lane's thread hop and queue touch only the few that are not.
pub(super) const LARGE_BODY_BYTES: usize = 64 * 1024;

static PLACES: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Arc::new(Semaphore::new((cores / 2).max(1)))
});

/// At most this many calls that write wait at once on blocking threads. A batch of 16 already
/// spreads a commit over far more writes than two cores can prepare meanwhile, and each thread
/// keeps memory of its own: at 64, 50 connections of writes left the server at 215-246 MB
/// resident, against 156-165 MB at 16, for the same throughput.
const WRITING_AT_ONCE: usize = 16;

static WRITING: LazyLock<Arc<Semaphore>> =
    LazyLock::new(|| Arc::new(Semaphore::new(WRITING_AT_ONCE)));

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

/// `call()`: inline if it only reads, else on a blocking thread (see the module's comment).
/// `None` if the runtime is shutting down.
pub(super) async fn call<T: Send + 'static>(
    writes: bool,
    call: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    if !writes {
        return Some(call());
    }
    on_blocking_thread(&WRITING, call).await
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
