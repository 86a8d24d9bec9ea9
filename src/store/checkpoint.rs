//! Checkpoints on a thread of their own, off the path of the writes.
//!
//! SQLite's automatic checkpoint runs inside the commit that fills the write-ahead log, so one
//! write in a thousand paid for copying the log into the database and syncing it, while every
//! other write waited for the connection. Here the writer's connection checkpoints nothing:
//! after a commit it only wakes this thread, which runs a passive checkpoint (one that never
//! waits for readers or the writer) on its own connection, at most once per `INTERVAL`.
//! A commit is durable once it is in the log, so nothing here bears on what a kill can lose.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::StoreError;

/// The least time between two checkpoints: under a steady load, each copies what the last
/// `INTERVAL` of commits wrote.
const INTERVAL: Duration = Duration::from_millis(100);

#[derive(Default)]
struct Signal {
    committed: bool,
    stop: bool,
}

#[derive(Default)]
struct Shared {
    signal: Mutex<Signal>,
    wake: Condvar,
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
}

impl Checkpointer {
    /// Starts checkpointing the database at `path`, whose writer must have
    /// `wal_autocheckpoint` off.
    pub(super) fn start(path: &str) -> Result<Checkpointer, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let shared = Arc::new(Shared::default());
        let thread = std::thread::Builder::new()
            .name("turkstand-checkpoint".into())
            .spawn({
                let shared = shared.clone();
                move || run(&conn, &shared)
            })
            .map_err(StoreError::Thread)?;
        Ok(Checkpointer {
            shared,
            thread: Some(thread),
        })
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

fn run(conn: &Connection, shared: &Shared) {
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
        // The result row says how much of the log was copied; a busy database is simply
        // tried again after the next commit.
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!("checkpoint failed: {e}");
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
    use std::time::{Duration, Instant};

    use rusqlite::Connection;

    use crate::store::{Store, StoreError};

    #[test]
    fn commits_reach_the_database_file_without_the_writer_checkpointing() {
        let dir = std::env::temp_dir().join(format!("turkstand-checkpoint-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.db");
        let store = Store::open(path.to_str().unwrap()).unwrap();
        for i in 0..50 {
            store
                .write(|tx| tx.set_meta(&format!("k{i}"), "v"))
                .map_err(|e: StoreError| e)
                .unwrap();
        }
        // The database file alone, without its log, holds every write once the checkpoint
        // thread has copied the log into it.
        let copy = dir.join("copy.db");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            std::fs::copy(&path, &copy).unwrap();
            let found: i64 = Connection::open(&copy)
                .and_then(|c| {
                    c.query_row("SELECT COUNT(*) FROM meta WHERE key LIKE 'k%'", [], |r| {
                        r.get(0)
                    })
                })
                .unwrap_or(-1);
            if found == 50 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{found} of 50 writes in the file"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
