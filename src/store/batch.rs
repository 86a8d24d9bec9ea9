//! The batch thread: calls that write are queued for it and run on it one after another, all
//! in the one batch it holds open, which takes every call queued when it began (up to a limit)
//! and commits once they have run; only then is each call told how its batch ended, and
//! answered. Calls queued meanwhile wait for the next batch: letting them join this one
//! measured no faster, and kept the first calls waiting longer.
//!
//! Each call written this way costs one hand-over to the thread and one back, where calls
//! that each waited for the connection and then for a commit woke and slept several times
//! apiece; on two cores those thread switches took more time than the writes' own SQL.

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use super::commit::{BeforeCommit, Writer};
use super::StoreError;

/// What a call run on the batch thread leaves to be done once its batch has ended: it is given
/// `Ok` if the batch committed.
pub type Settle = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// A call for the batch thread; what it returns is run once its batch has ended.
pub type Batched = Box<dyn FnOnce() -> Settle + Send>;

/// At most this many calls share a batch, so that the last of them is not kept long waiting
/// for the commit: a CreateHIT's own work takes about 0.1 ms.
const MOST_IN_A_BATCH: usize = 32;

#[derive(Default)]
struct Queue {
    calls: VecDeque<Batched>,
    closed: bool,
}

#[derive(Default)]
struct Shared {
    queue: Mutex<Queue>,
    arrived: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // Every change to the queue is a single push, drain or flag: a panic cannot leave it
        // half made.
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub(super) struct BatchThread {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl BatchThread {
    pub(super) fn start(
        writer: Arc<Writer>,
        before_commit: BeforeCommit,
    ) -> Result<BatchThread, StoreError> {
        let shared = Arc::new(Shared::default());
        let thread = std::thread::Builder::new()
            .name("turkstand-writer".into())
            .spawn({
                let shared = shared.clone();
                move || run(&writer, &shared, before_commit)
            })
            .map_err(StoreError::Thread)?;
        Ok(BatchThread {
            shared,
            thread: Some(thread),
        })
    }

    /// Queues `call`. A call queued after the store began to close is dropped unrun, and so
    /// never settled.
    pub(super) fn submit(&self, call: Batched) {
        let mut queue = self.shared.lock();
        if queue.closed {
            return;
        }
        queue.calls.push_back(call);
        drop(queue);
        self.shared.arrived.notify_one();
    }
}

impl Drop for BatchThread {
    /// Lets the thread run what is queued, then waits for it to end; unless the store is being
    /// dropped on the batch thread itself (by the last call holding it), which then ends once
    /// the batch it is running has settled.
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.arrived.notify_one();
        if let Some(thread) = self.thread.take() {
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

fn run(writer: &Writer, shared: &Shared, before_commit: BeforeCommit) {
    writer.batch_here();
    loop {
        let calls: Vec<Batched> = {
            let mut queue = shared.lock();
            while queue.calls.is_empty() && !queue.closed {
                queue = shared
                    .arrived
                    .wait(queue)
                    .unwrap_or_else(|p| p.into_inner());
            }
            if queue.calls.is_empty() {
                return;
            }
            let n = queue.calls.len().min(MOST_IN_A_BATCH);
            queue.calls.drain(..n).collect()
        };
        // A call that panicked (callers catch their own panics) is rolled back to its
        // savepoint by the writer; its caller hears nothing and answers that it is shutting
        // down.
        let settles: Vec<Settle> = calls
            .into_iter()
            .filter_map(|call| panic::catch_unwind(AssertUnwindSafe(call)).ok())
            .collect();
        let outcome = writer.commit_held(before_commit);
        for settle in settles {
            settle(outcome.clone().map_err(StoreError::NotCommitted));
        }
        writer.shorten_log();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use crate::store::tests::ScratchDir;
    use crate::store::{Store, StoreError};

    #[test]
    fn batched_calls_read_their_own_writes_and_settle_once_committed() {
        let dir = ScratchDir::new("batch");
        let path = dir.file("b.db");
        let store = std::sync::Arc::new(Store::open(&path).unwrap());
        let (settled, settles) = mpsc::channel();
        for i in 0..100 {
            let (store, settled) = (store.clone(), settled.clone());
            store.clone().run_batched(Box::new(move || {
                let key = format!("k{i}");
                let wrote = store.write(|tx| {
                    tx.set_meta(&key, "v")?;
                    if i % 7 == 0 {
                        return Err(StoreError::Corrupt("refused".into()));
                    }
                    Ok(())
                });
                // Not yet committed, and still seen here.
                let seen = store.read(|tx| tx.meta(&key)).unwrap().is_some();
                Box::new(move |committed: Result<(), StoreError>| {
                    settled
                        .send((i, wrote.is_ok(), seen, committed.is_ok()))
                        .unwrap();
                })
            }));
        }
        // A write from another thread meanwhile joins whatever batch is open.
        store.write(|tx| tx.set_meta("outside", "v")).unwrap();
        drop(settled);
        let mut answers: Vec<_> = settles.iter().collect();
        answers.sort();
        assert_eq!(answers.len(), 100);
        for (i, wrote, seen, committed) in answers {
            assert!(committed, "k{i}");
            assert_eq!((wrote, seen), (i % 7 != 0, i % 7 != 0), "k{i}");
        }
        drop(store);
        let store = Store::open(&path).unwrap();
        for i in 0..100 {
            let kept = store
                .read(|tx| tx.meta(&format!("k{i}")))
                .unwrap()
                .is_some();
            assert_eq!(kept, i % 7 != 0, "k{i}");
        }
        assert!(store.read(|tx| tx.meta("outside")).unwrap().is_some());
    }
}
