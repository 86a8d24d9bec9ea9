//! A requester's relations with workers: blocks and messages.

use super::*;

/// Tables of this domain beyond `schema.sql` (`CREATE TABLE IF NOT EXISTS ...`).
pub(super) const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS worker_blocks (
        requester   TEXT NOT NULL,
        worker_id   TEXT NOT NULL,
        reason      TEXT NOT NULL,
        block_time  INTEGER NOT NULL,
        PRIMARY KEY (requester, worker_id)
    );
";

impl Tx<'_> {
    /// Whether the requester has blocked the worker.
    pub fn is_blocked(&self, requester: &str, worker_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM worker_blocks WHERE requester = ?1 AND worker_id = ?2)",
            )?
            .query_row([requester, worker_id], |r| r.get(0))?)
    }
}
