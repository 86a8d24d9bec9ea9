//! Storage: an embedded SQLite database. It knows the domain's records, not XML or HTTP.
//!
//! Every call runs inside one transaction (`read`) or savepoint of one (`write`), so a handler's
//! checks and changes are atomic: a refused approval leaves no trace, and an acknowledged one is
//! committed before the response is written. Writes are group-committed on one connection
//! (`commit`); reads of a file run beside them on a small pool of their own connections, which
//! WAL lets see the last commit while a write is under way, and which keep that snapshot from
//! one call to the next until something is committed (`readers`).

/// Reads a record whose fields stand in the row's columns in this order, from the first; a field
/// given a function is read through it (`grant_time: time`).
macro_rules! from_columns {
    ($r:ident, $ty:ident { $($field:ident $(: $conv:expr)?),* $(,)? }) => {{
        let mut at = 0usize;
        let mut next = || {
            at += 1;
            at - 1
        };
        Ok($ty {
            $($field: from_columns!(@read $r.get(next())? $(, $conv)?),)*
        })
    }};
    (@read $v:expr) => {
        $v
    };
    (@read $v:expr, $conv:expr) => {
        $conv($v)
    };
}

mod accounts;
mod assignments;
mod batch;
mod bonuses;
mod checkpoint;
mod commit;
mod enums;
mod hits;
mod listing;
mod migrations;
mod notifications;
mod paging;
mod qualifications;
mod readers;
mod records;
mod relations;
mod review;
mod workers;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::types::FromSql;
use rusqlite::{params, Connection, OptionalExtension, Params, Row};

use batch::BatchThread;
use commit::{BeforeCommit, Writer};

use crate::money::Cents;
use paging::List;
use readers::Readers;

pub use batch::{Batched, Settle};
pub use enums::*;
pub use migrations::SCHEMA_VERSION;
pub use qualifications::QualificationTypeSearch;
pub use records::*;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored record is corrupt: {0}")]
    Corrupt(String),
    #[error("the database has schema version {found}, newer than this build's {known}: it was written by a later turkstand")]
    NewerSchema { found: u32, known: u32 },
    #[error("the write was not committed: {0}")]
    NotCommitted(String),
    #[error("cannot start the store's checkpoint thread: {0}")]
    Thread(std::io::Error),
}

/// Statements each connection keeps prepared: more than the store has, so that none is parsed
/// twice (rusqlite's default is 16).
const STATEMENT_CACHE: usize = 256;

/// Runs a statement without parameters from the connection's statement cache. Transaction
/// control goes through here: `execute_batch` (and rusqlite's transactions) parse the text
/// afresh every time, which cost more than the query of a cheap read.
fn run_cached(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(drop)
}

pub struct Store {
    writer: Arc<Writer>,
    batches: BatchThread,
    /// The read connections of a file database; a `:memory:` one is read on the writer's.
    readers: Option<Arc<Readers>>,
}

/// Lists grown past their buckets' size are split before each commit.
const BEFORE_COMMIT: BeforeCommit = |tx| tx.split_overfull_buckets();

/// One open transaction. All record access goes through here.
pub struct Tx<'c> {
    tx: &'c Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path`; `:memory:` keeps everything in memory.
    pub fn open(path: &str) -> Result<Store, StoreError> {
        Store::open_with_cache(path, None)
    }

    /// Opens like [`Store::open`], the writer keeping up to `cache_mib` MiB of pages in memory
    /// instead of SQLite's 2 MiB: a bulk load into a large database otherwise reads back from
    /// the file most pages it changes.
    pub fn open_with_cache(path: &str, cache_mib: Option<u32>) -> Result<Store, StoreError> {
        let memory = path == ":memory:";
        let mut conn = if memory {
            Connection::open_in_memory()?
        } else {
            Connection::open(path)?
        };
        // WAL with synchronous=NORMAL: a committed transaction survives the process being killed
        // (kill -9); only an operating-system crash could lose the last commits.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        if let Some(mib) = cache_mib {
            // Negative: a size in KiB rather than in pages.
            conn.pragma_update(None, "cache_size", -i64::from(mib) * 1024)?;
        }
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrate(&mut conn)?;
        let readers = (!memory).then(|| Arc::new(Readers::new(path)));
        let checkpoints = match &readers {
            None => None,
            Some(readers) => {
                // Checkpoints run on their own thread instead, not inside a write's commit.
                conn.pragma_update(None, "wal_autocheckpoint", 0)?;
                Some(checkpoint::Checkpointer::start(path, readers.clone())?)
            }
        };
        let writer = Arc::new(Writer::new(conn, checkpoints, readers.clone()));
        let store = Store {
            batches: BatchThread::start(writer.clone(), BEFORE_COMMIT)?,
            writer,
            readers,
        };
        // Lists a migration filled are cut into buckets before anything reads them.
        store.write(|_| Ok::<_, StoreError>(()))?;
        Ok(store)
    }

    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        // The batch thread reads what its batch has written so far, not yet committed.
        let Some(readers) = self
            .readers
            .as_ref()
            .filter(|_| !self.writer.batching_here())
        else {
            return self.write(f);
        };
        readers.read(f)
    }

    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.writer.write(BEFORE_COMMIT, f)
    }

    /// Runs `call` on the batch thread (see `batch`), whose writes commit together before
    /// each call's settle is told how they ended.
    pub fn run_batched(&self, call: Batched) {
        self.batches.submit(call);
    }
}

fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn time(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

fn opt_time(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.map(time)
}

fn json_requirements(s: String) -> rusqlite::Result<Vec<QualificationRequirement>> {
    serde_json::from_str(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The statement shapes every table's access is made of; each statement is prepared once per
/// connection and reused.
impl Tx<'_> {
    /// The first row the query yields, if any.
    fn one<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(sql)?
            .query_row(params, f)
            .optional()?)
    }

    /// The value in the first column of the one row the query always yields (EXISTS, COUNT, MIN).
    fn value<T: FromSql>(&self, sql: &str, params: impl Params) -> Result<T, StoreError> {
        Ok(self
            .tx
            .prepare_cached(sql)?
            .query_row(params, |r| r.get(0))?)
    }

    /// Every row the query yields, in its order.
    fn all<T, F>(&self, sql: &str, params: impl Params, f: F) -> Result<Vec<T>, StoreError>
    where
        F: FnMut(&Row<'_>) -> rusqlite::Result<T>,
    {
        let mut stmt = self.tx.prepare_cached(sql)?;
        let rows = stmt.query_map(params, f)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Runs a statement; how many rows it changed.
    fn exec(&self, sql: &str, params: impl Params) -> Result<usize, StoreError> {
        Ok(self.tx.prepare_cached(sql)?.execute(params)?)
    }
}

impl Tx<'_> {
    // --- meta ---

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.one("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
