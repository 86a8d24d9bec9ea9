//! The read connections of a file database, and the snapshots they keep between calls.
//!
//! Each read runs in a read transaction. Beginning one takes a shared lock on the log's index
//! (a mutex and an `fcntl` call in SQLite's unix layer) and ending one gives it back, and for a
//! cheap call (GetAccountBalance) that was a sixth of the server's time. A snapshot of the last
//! commit is the snapshot any later read would take until the next commit, so a connection
//! keeps its transaction open when it goes back to the pool, and the next read that takes it
//! goes on in it if nothing has been committed since. The writer counts its commits
//! ([`Readers::committed`]); a snapshot taken before the last of them is ended before the
//! connection is read on again.
//!
//! This holds because the store is its database's only writer: another process's commits are
//! not counted, and so not seen until this store's next one.
//!
//! A kept snapshot holds back checkpoints, which may not copy into the database a page a
//! reader could still need from the log. So the checkpoint thread ends every idle snapshot
//! that a commit has made stale ([`Readers::end_stale`]) before it copies.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rusqlite::Connection;

use super::{run_cached, StoreError, Tx, STATEMENT_CACHE};

/// How many idle read connections are kept; more are opened while more reads run at once.
const IDLE_READERS: usize = 4;

pub(super) struct Readers {
    path: String,
    idle: Mutex<Vec<Idle>>,
    /// Commits so far, counted before their writers are answered.
    commits: AtomicU64,
}

/// An idle connection, and the count of commits its open read transaction has seen, if it has
/// one.
struct Idle {
    conn: Connection,
    snapshot: Option<u64>,
}

impl Readers {
    pub(super) fn new(path: &str) -> Readers {
        Readers {
            path: path.to_string(),
            idle: Mutex::new(Vec::new()),
            commits: AtomicU64::new(0),
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Idle>> {
        // Each change to the pool is one push or pop: a panic cannot leave it half made.
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in a read transaction that sees every commit counted before it began.
    pub(super) fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let idle = self.idle().pop();
        let Idle { conn, snapshot } = match idle {
            Some(idle) => idle,
            None => Idle {
                conn: self.open()?,
                snapshot: None,
            },
        };
        // Read before the transaction begins (SQLite takes its snapshot at the first read), so
        // the snapshot holds at least the commits counted here.
        let now = self.commits.load(Ordering::Acquire);
        let out = (|| {
            if snapshot != Some(now) {
                if snapshot.is_some() {
                    run_cached(&conn, "COMMIT").map_err(StoreError::from)?;
                }
                run_cached(&conn, "BEGIN DEFERRED").map_err(StoreError::from)?;
            }
            f(&Tx { tx: &conn })
        })();
        // Whether the connection goes back to the pool, and with what snapshot.
        let kept = match &out {
            // Kept while it is the latest; one a commit overtook meanwhile is ended now.
            Ok(_) if self.commits.load(Ordering::Acquire) == now => Some(Some(now)),
            Ok(_) => run_cached(&conn, "COMMIT").ok().map(|()| None),
            // The read's own error is the one to report. A rollback that failed leaves the
            // connection in its transaction, and so out of the pool below.
            Err(_) => run_cached(&conn, "ROLLBACK").ok().map(|()| None),
        };
        if let Some(snapshot) = kept {
            let mut idle = self.idle();
            if idle.len() < IDLE_READERS {
                idle.push(Idle { conn, snapshot });
            }
        }
        out
    }

    /// Counts a commit; called by the writer before it tells anyone the commit was made.
    pub(super) fn committed(&self) {
        self.commits.fetch_add(1, Ordering::AcqRel);
    }

    /// Ends the read transactions of idle connections that a commit has made stale. A
    /// connection whose transaction will not end is closed.
    pub(super) fn end_stale(&self) {
        let now = self.commits.load(Ordering::Acquire);
        // Under the lock, so that no read opens a connection meanwhile for want of an idle
        // one; ending a read transaction takes microseconds.
        self.idle().retain_mut(|idle| match idle.snapshot {
            Some(seen) if seen != now => {
                idle.snapshot = None;
                run_cached(&idle.conn, "COMMIT").is_ok()
            }
            _ => true,
        });
    }

    fn open(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // A read that tried to write would be a bug: refuse it loudly.
        conn.pragma_update(None, "query_only", "ON")?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Barrier};

    use crate::store::tests::{wait_for_the_file_to_hold, write_keys, ScratchDir};
    use crate::store::{Store, StoreError};

    /// Leaves `n` read connections idle in `store`'s pool, each keeping a snapshot: `n` reads
    /// at once, each waiting for the others inside its transaction.
    fn idle_snapshots(store: &Arc<Store>, n: usize) {
        let together = Arc::new(Barrier::new(n));
        let reads: Vec<_> = (0..n)
            .map(|_| {
                let (store, together) = (store.clone(), together.clone());
                std::thread::spawn(move || {
                    store
                        .read(|tx| {
                            let seen = tx.meta("k");
                            together.wait();
                            seen
                        })
                        .unwrap()
                })
            })
            .collect();
        for read in reads {
            read.join().unwrap();
        }
    }

    fn set(store: &Store, value: &str) {
        store
            .write(|tx| tx.set_meta("k", value))
            .map_err(|e: StoreError| e)
            .unwrap();
    }

    #[test]
    fn a_read_sees_every_commit_made_before_it_began() {
        let dir = ScratchDir::new("readers");
        let store = Arc::new(Store::open(&dir.file("r.db")).unwrap());
        set(&store, "1");
        idle_snapshots(&store, 4);
        for value in ["2", "3"] {
            set(&store, value);
            // Whichever idle connection each read takes, its snapshot was taken before.
            for _ in 0..8 {
                let seen = store.read(|tx| tx.meta("k")).unwrap();
                assert_eq!(seen.as_deref(), Some(value));
            }
        }
    }

    #[test]
    fn each_of_many_threads_reads_its_own_last_write() {
        let dir = ScratchDir::new("readers-threads");
        let store = Arc::new(Store::open(&dir.file("t.db")).unwrap());
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let store = store.clone();
                std::thread::spawn(move || {
                    let key = format!("t{t}");
                    for i in 0..200 {
                        let value = i.to_string();
                        store
                            .write(|tx| tx.set_meta(&key, &value))
                            .map_err(|e: StoreError| e)
                            .unwrap();
                        // Other threads' reads and commits churn the pool meanwhile.
                        let seen = store.read(|tx| tx.meta(&key)).unwrap();
                        assert_eq!(seen.as_deref(), Some(value.as_str()), "{key}");
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
    }

    #[test]
    fn idle_snapshots_do_not_hold_back_checkpoints() {
        let dir = ScratchDir::new("readers-checkpoint");
        let path = dir.file("c.db");
        let store = Arc::new(Store::open(&path).unwrap());
        set(&store, "0");
        idle_snapshots(&store, 4);
        write_keys(&store, "w", 50);
        // No read comes to end the idle snapshots; the database file alone must still come to
        // hold every write.
        wait_for_the_file_to_hold(&dir, "c.db", "w", 50);
    }
}
