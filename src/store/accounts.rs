//! Accounts, their money, and the ledger of what left them.

use super::*;

/// Tables of this domain beyond `schema.sql` (`CREATE TABLE IF NOT EXISTS …`).
pub(super) const SCHEMA: &str = "";

impl Tx<'_> {
    /// Makes sure the account exists; a new one starts at `initial`. An existing one keeps its
    /// persisted balance.
    pub fn ensure_account(&self, access_key_id: &str, initial: Cents) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO accounts(access_key_id, balance_cents, initial_cents) VALUES (?1, ?2, ?2) \
                 ON CONFLICT(access_key_id) DO UPDATE SET initial_cents = excluded.initial_cents",
            )?
            .execute(params![access_key_id, initial.0])?;
        Ok(())
    }

    pub fn balance(&self, access_key_id: &str) -> Result<Option<Cents>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT balance_cents FROM accounts WHERE access_key_id = ?1")?
            .query_row([access_key_id], |r| r.get(0).map(Cents))
            .optional()?)
    }

    pub fn set_balance(&self, access_key_id: &str, balance: Cents) -> Result<bool, StoreError> {
        let n = self
            .tx
            .prepare_cached("UPDATE accounts SET balance_cents = ?2 WHERE access_key_id = ?1")?
            .execute(params![access_key_id, balance.0])?;
        Ok(n == 1)
    }

    /// Takes money from a requester's balance and records why. The caller has checked the funds.
    pub fn debit(&self, entry: &LedgerEntry) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE accounts SET balance_cents = balance_cents - ?2 WHERE access_key_id = ?1",
            )?
            .execute(params![entry.requester, entry.amount.0])?;
        self.tx
            .prepare_cached(
                "INSERT INTO ledger(requester, time, kind, amount_cents, hit_id, assignment_id, worker_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                entry.requester,
                ts(entry.time),
                entry.kind.as_str(),
                entry.amount.0,
                entry.hit_id,
                entry.assignment_id,
                entry.worker_id
            ])?;
        Ok(())
    }

    /// Clears every record and puts each account back to its configured balance.
    pub fn reset(&self) -> Result<(), StoreError> {
        self.tx.execute_batch(
            "DELETE FROM ledger; DELETE FROM qualifications; DELETE FROM qualification_requests; \
             DELETE FROM qualification_types; DELETE FROM assignments; DELETE FROM hits; DELETE FROM hit_types; \
             UPDATE accounts SET balance_cents = initial_cents;",
        )?;
        Ok(())
    }
}
