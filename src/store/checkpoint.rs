//! Checkpoints on a thread of their own, off the path of the writes.
//!
//! SQLite's automatic checkpoint runs inside the commit that fills the write-ahead log, so one
//! write in a thousand paid for copying the log into the database and syncing it, while every
//! other write waited for the connection. Here the writer's connection checkpoints nothing:
//! after a commit it only wakes this thread, which runs a passive checkpoint (one that never
//! waits for readers or the writer) on its own connection, at most once per `INTERVAL`.
//! A commit is durable once it is in the log, so nothing here bears on what a kill can lose.
//!
//! SQLite writes the log from its start again only once a checkpoint has copied all of it
//! and before the next commit. Under a steady load commits never pause for that, so the log
//! grew by every page written (gigabytes in a long load test), each frame to a fresh part of
//! the file that the kernel first had to allocate and zero. So when the log has grown past
//! `LONG_LOG_FRAMES`, this thread says so, and the writer copies what is left of it between
//! two batches (`Writer::shorten_log`), which lets its next commit start the log afresh.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::readers::Readers;
use super::StoreError;

/// The least time between two checkpoints: under a steady load, each copies what the last
/// `INTERVAL` of commits wrote.
const INTERVAL: Duration = Duration::from_millis(100);

/// A log this long (128 MiB of 4 KiB pages) is copied to its end by the writer, for its next
/// commit to start it afresh. Shorter limits bounded the file more tightly but paused the
/// writer so often (each copy ends in a sync) that the 99th percentile write got slower.
#[cfg(not(test))]
const LONG_LOG_FRAMES: i64 = 32768;
/// Short enough for a unit test's stream of writes to pass it many times over.
#[cfg(test)]
const LONG_LOG_FRAMES: i64 = 4096;

/// What the checkpoint thread leaves for the writer to copy of a long log, at most (1 MiB),
/// unless `MOST_CATCH_UPS` more checkpoints could not get it there.
const FEW_LEFT: i64 = 256;
const MOST_CATCH_UPS: usize = 4;

#[derive(Default)]
struct Signal {
    committed: bool,
    stop: bool,
}

#[derive(Default)]
struct Shared {
    signal: Mutex<Signal>,
    wake: Condvar,
    /// The last checkpoint left over `LONG_LOG_FRAMES` in the log.
    log_long: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Signal> {
        // Two flags, each written whole: a panic elsewhere cannot leave them half set.
        self.signal.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub(super) struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    /// Whose out-of-date snapshots would keep a checkpoint from copying the log.
    readers: Arc<Readers>,
}

impl Checkpointer {
    /// Starts checkpointing the database at `path`, whose writer must have
    /// `wal_autocheckpoint` off.
    pub(super) fn start(path: &str, readers: Arc<Readers>) -> Result<Checkpointer, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let shared = Arc::new(Shared::default());
        let thread = std::thread::Builder::new()
            .name("turkstand-checkpoint".into())
            .spawn({
                let (shared, readers) = (shared.clone(), readers.clone());
                move || run(&conn, &shared, &readers)
            })
            .map_err(StoreError::Thread)?;
        Ok(Checkpointer {
            shared,
            thread: Some(thread),
            readers,
        })
    }

    /// Whether the writer should copy the log to its end (see the module's comment).
    pub(super) fn log_is_long(&self) -> bool {
        self.shared.log_long.load(Ordering::Acquire)
    }

    /// Runs a passive checkpoint on `conn` (the writer's, between batches); once one has
    /// copied all of the log, the next commit starts it afresh.
    pub(super) fn shorten_log(&self, conn: &Connection) {
        self.readers.end_stale();
        match checkpoint(conn) {
            Ok(log) => self.shared.log_long.store(log.left > 0, Ordering::Release),
            Err(e) => tracing::warn!("checkpoint failed: {e}"),
        }
    }

    /// Called after each commit.
    pub(super) fn committed(&self) {
        let mut signal = self.shared.lock();
        if !signal.committed {
            signal.committed = true;
            self.shared.wake.notify_one();
        }
    }
}

fn run(conn: &Connection, shared: &Shared, readers: &Readers) {
    loop {
        {
            let mut signal = shared.lock();
            while !signal.committed && !signal.stop {
                signal = shared.wake.wait(signal).unwrap_or_else(|p| p.into_inner());
            }
            if signal.stop {
                return;
            }
            signal.committed = false;
        }
        readers.end_stale();
        // A busy database is simply tried again after the next commit.
        match catch_up(conn) {
            Ok(log) => shared
                .log_long
                .store(log.frames > LONG_LOG_FRAMES, Ordering::Release),
            Err(e) => tracing::warn!("checkpoint failed: {e}"),
        }
        let (signal, _) = shared
            .wake
            .wait_timeout_while(shared.lock(), INTERVAL, |s| !s.stop)
            .unwrap_or_else(|p| p.into_inner());
        if signal.stop {
            return;
        }
    }
}

/// A checkpoint; for a long log, repeated while each leaves less uncopied (what was committed
/// while the one before ran), so that the writer's own checkpoint has little left to copy.
fn catch_up(conn: &Connection) -> rusqlite::Result<Log> {
    let mut log = checkpoint(conn)?;
    for _ in 0..MOST_CATCH_UPS {
        if log.frames <= LONG_LOG_FRAMES || log.left <= FEW_LEFT {
            break;
        }
        let next = checkpoint(conn)?;
        let gaining = next.left < log.left;
        log = next;
        if !gaining {
            break;
        }
    }
    Ok(log)
}

/// The log as a checkpoint left it.
struct Log {
    frames: i64,
    /// Frames not yet copied into the database.
    left: i64,
}

/// A passive checkpoint (one that never waits for readers or the writer).
fn checkpoint(conn: &Connection) -> rusqlite::Result<Log> {
    // The row: whether it was blocked, the frames in the log, the frames copied so far.
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        let (busy, frames, copied): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let left = if busy != 0 {
            frames.max(1)
        } else {
            frames - copied
        };
        Ok(Log { frames, left })
    })
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{mpsc, Arc};

    use crate::store::tests::{wait_for_the_file_to_hold, write_keys, ScratchDir};
    use crate::store::{Store, StoreError};

    #[test]
    fn commits_reach_the_database_file_without_the_writer_checkpointing() {
        let dir = ScratchDir::new("checkpoint");
        let path = dir.file("c.db");
        let store = Store::open(&path).unwrap();
        write_keys(&store, "k", 50);
        // The database file alone, without its log, holds every write once the checkpoint
        // thread has copied the log into it.
        wait_for_the_file_to_hold(&dir, "c.db", "k", 50);
    }

    #[test]
    fn a_steady_stream_of_batches_keeps_the_log_short() {
        let dir = ScratchDir::new("log");
        let path = dir.file("l.db");
        let store = Arc::new(Store::open(&path).unwrap());
        let big = "x".repeat(3000);
        let mut most = 0;
        for round in 0..40 {
            let (done, finished) = mpsc::channel();
            for i in 0..500 {
                let (store, done, big) = (store.clone(), done.clone(), big.clone());
                store.clone().run_batched(Box::new(move || {
                    let _ = store.write(|tx| tx.set_meta(&format!("k{round}-{i}"), &big));
                    Box::new(move |c: Result<(), StoreError>| done.send(c.is_ok()).unwrap())
                }));
            }
            drop(done);
            assert!(finished.iter().all(|ok| ok));
            let wal = std::fs::metadata(dir.file("l.db-wal")).map_or(0, |m| m.len());
            most = most.max(wal);
        }
        // Unbounded, the log grew past 100 MB here.
        let bound = 4 * super::LONG_LOG_FRAMES as u64 * 4096;
        assert!(most < bound, "the log grew to {most} bytes");
    }
}
