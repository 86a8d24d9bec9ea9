//! A requester's relations with workers: blocks and messages.
//!
//! Its tables: `schema/relations.sql`.

use super::*;

impl Tx<'_> {
    /// Whether the requester has blocked the worker.
    pub fn is_blocked(&self, requester: &str, worker_id: &str) -> Result<bool, StoreError> {
        self.value(
            "SELECT EXISTS(SELECT 1 FROM worker_blocks WHERE requester = ?1 AND worker_id = ?2)",
            [requester, worker_id],
        )
    }

    /// Blocks the worker; blocking again keeps the first block and its time, with the new reason.
    pub fn block_worker(&self, requester: &str, block: &WorkerBlock) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO worker_blocks(requester, worker_id, reason, block_time) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT(requester, worker_id) DO UPDATE SET reason = excluded.reason",
            params![
                requester,
                block.worker_id,
                block.reason,
                ts(block.block_time)
            ],
        )?;
        Ok(())
    }

    /// Lifts a block; whether there was one.
    pub fn unblock_worker(&self, requester: &str, worker_id: &str) -> Result<bool, StoreError> {
        let n = self.exec(
            "DELETE FROM worker_blocks WHERE requester = ?1 AND worker_id = ?2",
            [requester, worker_id],
        )?;
        Ok(n > 0)
    }

    pub fn blocked_worker_count(&self, requester: &str) -> Result<i64, StoreError> {
        self.value(
            "SELECT COUNT(*) FROM worker_blocks WHERE requester = ?1",
            [requester],
        )
    }

    /// One page of the requester's blocks, oldest first.
    pub fn blocked_workers(
        &self,
        requester: &str,
        page_size: i64,
        page_number: i64,
    ) -> Result<Page<WorkerBlock>, StoreError> {
        let list = List {
            columns: "worker_id, reason, block_time",
            from: "worker_blocks",
            filter: "requester = ?1",
            order: "block_time, worker_id",
        };
        self.page(&list, &[&requester], page_size, page_number, |r| {
            Ok(WorkerBlock {
                worker_id: r.get(0)?,
                reason: r.get(1)?,
                block_time: time(r.get(2)?),
            })
        })
    }

    /// Whether the worker has had work approved or rejected by the requester: the legacy
    /// condition for NotifyWorkers and GrantBonus.
    pub fn has_reviewed_work_of(
        &self,
        requester: &str,
        worker_id: &str,
    ) -> Result<bool, StoreError> {
        self.value(
            "SELECT EXISTS(SELECT 1 FROM assignments a JOIN hits h ON h.hit_id = a.hit_id \
             WHERE a.worker_id = ?1 AND h.requester = ?2 AND a.status IN ('Approved', 'Rejected'))",
            [worker_id, requester],
        )
    }

    pub fn insert_worker_message(&self, m: &WorkerMessage) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO worker_messages(requester, worker_id, subject, message_text, sent_time) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                m.requester,
                m.worker_id,
                m.subject,
                m.message_text,
                ts(m.sent_time)
            ],
        )?;
        Ok(())
    }

    /// Every message delivered to the worker, oldest first.
    pub fn worker_messages(&self, worker_id: &str) -> Result<Vec<WorkerMessage>, StoreError> {
        self.all(
            "SELECT requester, worker_id, subject, message_text, sent_time FROM worker_messages \
             WHERE worker_id = ?1 ORDER BY seq",
            [worker_id],
            |r| {
                Ok(WorkerMessage {
                    requester: r.get(0)?,
                    worker_id: r.get(1)?,
                    subject: r.get(2)?,
                    message_text: r.get(3)?,
                    sent_time: time(r.get(4)?),
                })
            },
        )
    }
}
