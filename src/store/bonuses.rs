//! Bonus payments.
//!
//! Its tables: `schema/bonuses.sql`.

use super::*;

const BONUS_COLUMNS: &str =
    "requester, worker_id, assignment_id, hit_id, amount_cents, fee_cents, \
    reason, grant_time, unique_request_token, request_id";

fn bonus_from_row(r: &Row<'_>) -> rusqlite::Result<Bonus> {
    from_columns!(
        r,
        Bonus {
            requester,
            worker_id,
            assignment_id,
            hit_id,
            amount: Cents,
            fee: Cents,
            reason,
            grant_time: time,
            unique_request_token,
            request_id,
        }
    )
}

impl Tx<'_> {
    pub fn insert_bonus(&self, b: &Bonus) -> Result<(), StoreError> {
        self.exec(
            &format!(
                "INSERT INTO bonuses({BONUS_COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"
            ),
            params![
                b.requester,
                b.worker_id,
                b.assignment_id,
                b.hit_id,
                b.amount.0,
                b.fee.0,
                b.reason,
                ts(b.grant_time),
                b.unique_request_token,
                b.request_id
            ],
        )?;
        Ok(())
    }

    /// The latest bonus the requester granted with `token` at or after `since`.
    pub fn bonus_by_token(
        &self,
        requester: &str,
        token: &str,
        since: DateTime<Utc>,
    ) -> Result<Option<Bonus>, StoreError> {
        let sql = format!(
            "SELECT {BONUS_COLUMNS} FROM bonuses WHERE requester = ?1 AND unique_request_token = ?2 \
             AND grant_time >= ?3 ORDER BY grant_time DESC, seq DESC LIMIT 1"
        );
        self.one(&sql, params![requester, token, ts(since)], bonus_from_row)
    }

    /// Every bonus a worker was paid, newest first.
    pub fn worker_bonuses(&self, worker_id: &str) -> Result<Vec<Bonus>, StoreError> {
        let sql = format!(
            "SELECT {BONUS_COLUMNS} FROM bonuses WHERE worker_id = ?1 ORDER BY grant_time DESC, seq DESC"
        );
        self.all(&sql, [worker_id], bonus_from_row)
    }

    /// One page of the requester's bonuses for a HIT and/or an assignment, oldest first.
    pub fn bonuses(
        &self,
        requester: &str,
        hit_id: Option<&str>,
        assignment_id: Option<&str>,
        page_size: i64,
        page_number: i64,
    ) -> Result<Page<Bonus>, StoreError> {
        let mut filter = String::from("requester = ?");
        let mut args: Vec<&dyn rusqlite::ToSql> = vec![&requester];
        if let Some(a) = &assignment_id {
            filter.push_str(" AND assignment_id = ?");
            args.push(a);
        }
        if let Some(h) = &hit_id {
            filter.push_str(" AND hit_id = ?");
            args.push(h);
        }
        let list = List {
            columns: BONUS_COLUMNS,
            from: "bonuses",
            filter: &filter,
            order: "seq",
        };
        self.page(&list, &args, page_size, page_number, bonus_from_row)
    }
}
