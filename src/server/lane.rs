//! Where the bodies of large calls are parsed: on blocking threads, a few at a time.
//!
//! Parsing is synchronous work. For a body of a few kilobytes it is over in well under a
//! millisecond and is best done where the request arrived. A body near `max_body_bytes` (a
//! flood of attributes, a huge form) takes milliseconds of CPU, and on an async worker that is
//! time every other connection waits. Such bodies are parsed on tokio's blocking threads
//! instead, and no more of them at once than half the cores, so the rest of the machine keeps
//! answering everyone else. The lane is one for the process: it shares out the cores.

use std::sync::{Arc, LazyLock};

use tokio::sync::Semaphore;

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
    // The semaphore is never closed, so this only waits.
    let place = PLACES.clone().acquire_owned().await.ok();
    let parsed = tokio::task::spawn_blocking(move || {
        // Held until the work is done, even if the client has gone meanwhile.
        let _place = place;
        parse()
    })
    .await;
    match parsed {
        Ok(parsed) => Some(parsed),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => None,
    }
}
