//! Group commit: concurrent writes share one transaction and one commit.
//!
//! Each write runs inside a savepoint of the transaction open on the writer connection, so a
//! write that fails (or panics) is rolled back alone. Most writes run on the store's batch
//! thread (`batch`), which holds the batch open while it works through the calls queued for
//! it and commits once it has run out of them. A write on any other thread joins the open
//! batch too; if the batch thread holds none and no other writer is waiting for the
//! connection, it commits the transaction itself, and otherwise waits for that commit. Either
//! way a write is acknowledged only once its changes are committed.
//! With WAL and `synchronous = NORMAL` a commit reaches the operating system before it returns,
//! so an acknowledged write survives the process being killed.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};

use rusqlite::Connection;

use super::checkpoint::Checkpointer;
use super::readers::Readers;
use super::{run_cached, StoreError, Tx};

/// One transaction's worth of writes: how it ended, once it has.
#[derive(Default)]
struct Batch {
    outcome: OnceLock<Result<(), String>>,
}

struct Open {
    batch: Arc<Batch>,
    /// A statement failed in a way that may have ended the transaction: the batch cannot commit.
    broken: bool,
    /// The batch thread has written in it, and alone commits it, once its calls are done.
    held: bool,
}

thread_local! {
    /// The writer whose batch thread this is (its address), or 0 on any other thread.
    static BATCHING_FOR: Cell<usize> = const { Cell::new(0) };
}

pub(super) struct Writer {
    state: Mutex<State>,
    committed: Condvar,
    /// Writers waiting for the connection: while there are any, the batch stays open for them.
    waiting: AtomicUsize,
    /// Told of each commit, for a file database.
    checkpoints: Option<Checkpointer>,
    /// Told of each commit before anyone else, for a file database: its kept snapshots are
    /// then out of date.
    readers: Option<Arc<Readers>>,
}

struct State {
    conn: Connection,
    open: Option<Open>,
}

/// Work done before each commit, on the whole batch (splitting grown list buckets).
pub(super) type BeforeCommit = fn(&Tx<'_>) -> Result<(), StoreError>;

impl Writer {
    pub(super) fn new(
        conn: Connection,
        checkpoints: Option<Checkpointer>,
        readers: Option<Arc<Readers>>,
    ) -> Writer {
        Writer {
            state: Mutex::new(State { conn, open: None }),
            committed: Condvar::new(),
            waiting: AtomicUsize::new(0),
            checkpoints,
            readers,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The connection is left consistent by every path below, panics included (a panicking
        // write is rolled back to its savepoint before the panic goes on), so a poisoned lock
        // is safe to reuse.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes this thread the writer's batch thread.
    pub(super) fn batch_here(&self) {
        BATCHING_FOR.set(self as *const Writer as usize);
    }

    /// Whether this is the writer's batch thread, whose writes are committed when its calls
    /// are done (and whose reads must see them before that).
    pub(super) fn batching_here(&self) -> bool {
        BATCHING_FOR.get() == self as *const Writer as usize
    }

    /// Runs `f` as part of the open batch (opening one if none is), and returns its result once
    /// the batch has committed; a batch that fails to commit fails every write in it. On the
    /// batch thread it returns at once, and [`Writer::commit_held`] tells how the batch ended.
    pub(super) fn write<T, E: From<StoreError>>(
        &self,
        before_commit: BeforeCommit,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let holding = self.batching_here();
        // The batch thread never waits for a commit, so no writer needs to keep one open for it.
        if !holding {
            self.waiting.fetch_add(1, Ordering::AcqRel);
        }
        let mut st = self.lock();
        if !holding {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
        }
        if st.open.is_none() {
            run_cached(&st.conn, "BEGIN IMMEDIATE").map_err(StoreError::from)?;
            st.open = Some(Open {
                batch: Arc::default(),
                broken: false,
                held: false,
            });
        }
        let (batch, held) = match st.open.as_mut() {
            Some(open) => {
                open.held |= holding;
                (open.batch.clone(), open.held)
            }
            None => Default::default(),
        };
        let out = Self::in_savepoint(&mut st, f);
        if holding {
            drop(st);
            return out.unwrap_or_else(|panicked| panic::resume_unwind(panicked));
        }
        let committing = self.waiting.load(Ordering::Acquire) == 0 && !held;
        if committing {
            self.commit_and_tell(&mut st, before_commit);
        } else {
            while batch.outcome.get().is_none() {
                st = self.committed.wait(st).unwrap_or_else(|p| p.into_inner());
            }
        }
        drop(st);
        if committing {
            self.shorten_log();
        }
        let out = match out {
            Ok(out) => out,
            Err(panicked) => panic::resume_unwind(panicked),
        };
        match batch.outcome.get() {
            Some(Ok(())) => out,
            Some(Err(e)) => Err(StoreError::NotCommitted(e.clone()).into()),
            None => Err(StoreError::NotCommitted("the batch did not end".into()).into()),
        }
    }

    /// Commits the batch the batch thread holds open (if it opened or joined one) and tells how
    /// that ended; called on the batch thread once its calls are done.
    pub(super) fn commit_held(&self, before_commit: BeforeCommit) -> Result<(), String> {
        let mut st = self.lock();
        let Some(batch) = st.open.as_ref().map(|o| o.batch.clone()) else {
            return Ok(());
        };
        self.commit_and_tell(&mut st, before_commit);
        batch
            .outcome
            .get()
            .cloned()
            .unwrap_or_else(|| Err("the batch did not end".into()))
    }

    /// Copies the log into the database if the checkpoint thread found it long, so that the
    /// next commit starts it afresh (see `checkpoint`); called between batches.
    pub(super) fn shorten_log(&self) {
        let Some(checkpoints) = self.checkpoints.as_ref().filter(|c| c.log_is_long()) else {
            return;
        };
        let st = self.lock();
        // A batch opened meanwhile by another thread's write: the next pause will do.
        if st.open.is_none() {
            checkpoints.shorten_log(&st.conn);
        }
    }

    fn commit_and_tell(&self, st: &mut State, before_commit: BeforeCommit) {
        Self::commit(st, before_commit);
        // Before any writer hears of the commit, so that what it does next reads it.
        if let Some(readers) = &self.readers {
            readers.committed();
        }
        self.committed.notify_all();
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.committed();
        }
    }

    /// `f` inside a savepoint, released if it succeeds and rolled back if it fails or panics.
    fn in_savepoint<T, E: From<StoreError>>(
        st: &mut State,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> std::thread::Result<Result<T, E>> {
        let State { conn, open } = st;
        let Some(open) = open.as_mut() else {
            return Ok(Err(StoreError::NotCommitted("no transaction".into()).into()));
        };
        if let Err(e) = run_cached(conn, "SAVEPOINT write") {
            open.broken = true;
            return Ok(Err(StoreError::from(e).into()));
        }
        let tx = Tx { tx: conn };
        let out = panic::catch_unwind(AssertUnwindSafe(|| f(&tx)));
        let end = match &out {
            Ok(Ok(_)) => run_cached(conn, "RELEASE write"),
            _ => run_cached(conn, "ROLLBACK TO write")
                .and_then(|()| run_cached(conn, "RELEASE write")),
        };
        if end.is_err() || conn.is_autocommit() {
            open.broken = true;
        }
        out
    }

    fn commit(st: &mut State, before_commit: BeforeCommit) {
        let Some(open) = st.open.take() else {
            return;
        };
        let result = if open.broken {
            Err("a write failed in a way that ended its transaction".to_string())
        } else {
            before_commit(&Tx { tx: &st.conn })
                .map_err(|e| e.to_string())
                .and_then(|()| run_cached(&st.conn, "COMMIT").map_err(|e| e.to_string()))
        };
        if result.is_err() && !st.conn.is_autocommit() {
            let _ = st.conn.execute_batch("ROLLBACK");
        }
        let _ = open.batch.outcome.set(result);
    }
}

#[cfg(test)]
mod tests {
    use std::panic::AssertUnwindSafe;
    use std::sync::atomic::{AtomicBool, Ordering};

    use crate::store::tests::ScratchDir;
    use crate::store::{Store, StoreError};

    #[test]
    fn concurrent_writes_commit_together_and_fail_alone() {
        let dir = ScratchDir::new("group");
        let path = dir.file("g.db");
        let store = Store::open(&path).unwrap();
        let go = AtomicBool::new(false);
        std::thread::scope(|s| {
            for t in 0..8 {
                let (store, go) = (&store, &go);
                s.spawn(move || {
                    while !go.load(Ordering::Acquire) {
                        std::hint::spin_loop();
                    }
                    for i in 0..60 {
                        let key = format!("k{t}-{i}");
                        let refused = i % 5 == 0;
                        let out = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            store.write(|tx| {
                                tx.set_meta(&key, "v")?;
                                if i == 7 && t == 3 {
                                    panic!("a write that panics");
                                }
                                if refused {
                                    return Err(StoreError::Corrupt("refused".into()));
                                }
                                Ok(())
                            })
                        }));
                        match out {
                            Ok(r) => assert_eq!(r.is_err(), refused, "{key}"),
                            Err(_) => assert_eq!((t, i), (3, 7)),
                        }
                    }
                });
            }
            go.store(true, Ordering::Release);
        });
        drop(store);
        // Reopened, the file holds exactly the writes that were acknowledged.
        let store = Store::open(&path).unwrap();
        store
            .read(|tx| {
                for t in 0..8 {
                    for i in 0..60 {
                        let kept = tx.meta(&format!("k{t}-{i}"))?.is_some();
                        assert_eq!(kept, i % 5 != 0 && (t, i) != (3, 7), "k{t}-{i}");
                    }
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    #[test]
    fn reads_of_a_file_cannot_write() {
        let dir = ScratchDir::new("readonly");
        let store = Store::open(&dir.file("r.db")).unwrap();
        assert!(store.read(|tx| tx.set_meta("k", "v")).is_err());
        assert_eq!(store.read(|tx| tx.meta("k")).unwrap(), None);
    }
}
