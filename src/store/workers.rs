//! Simulated workers' own properties (locale), and what the marketplace offers them.
//!
//! Its tables: `schema/workers.sql`.

use super::*;

impl Tx<'_> {
    /// The locale a worker gave, if any.
    pub fn worker_locale(&self, worker_id: &str) -> Result<Option<Locale>, StoreError> {
        let row: Option<(Option<String>, Option<String>)> = self.one(
            "SELECT locale_country, locale_subdivision FROM worker_profiles WHERE worker_id = ?1",
            [worker_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(match row {
            Some((Some(country), subdivision)) => Some(Locale {
                country: Some(country),
                subdivision,
            }),
            _ => None,
        })
    }

    /// Sets (or, with `None`, clears) a worker's locale.
    pub fn set_worker_locale(
        &self,
        worker_id: &str,
        locale: Option<&Locale>,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO worker_profiles(worker_id, locale_country, locale_subdivision) VALUES (?1, ?2, ?3) \
             ON CONFLICT(worker_id) DO UPDATE SET locale_country = excluded.locale_country, \
             locale_subdivision = excluded.locale_subdivision",
            params![
                worker_id,
                locale.and_then(|l| l.country.as_deref()),
                locale.and_then(|l| l.subdivision.as_deref())
            ],
        )?;
        Ok(())
    }

    /// HITs, oldest first, that are open, unexpired at `now`, have a free slot, and on which
    /// the worker holds no assignment it has not given back: the candidates a worker may accept,
    /// before qualification and block checks.
    pub fn open_hits_for_worker(
        &self,
        worker_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        self.all(
            "SELECT h.hit_id FROM hits h \
             WHERE h.state = 'Open' AND h.expiration > ?1 \
               AND h.max_assignments > (SELECT COUNT(*) FROM assignments a WHERE a.hit_id = h.hit_id \
                   AND a.status IN ('Accepted', 'Submitted', 'Approved', 'Rejected')) \
               AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.hit_id = h.hit_id AND a.worker_id = ?2 \
                   AND a.status NOT IN ('Returned', 'Abandoned')) \
             ORDER BY h.seq",
            params![ts(now), worker_id],
            |r| r.get(0),
        )
    }

    /// The flags (Adult, Masters) the admin API gave a worker.
    pub fn worker_flags(&self, worker_id: &str) -> Result<Vec<WorkerFlag>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT flag FROM worker_flags WHERE worker_id = ?1 ORDER BY flag")?;
        let rows = stmt.query_map([worker_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn set_worker_flag(
        &self,
        worker_id: &str,
        flag: WorkerFlag,
        on: bool,
    ) -> Result<(), StoreError> {
        let sql = if on {
            "INSERT OR IGNORE INTO worker_flags(worker_id, flag) VALUES (?1, ?2)"
        } else {
            "DELETE FROM worker_flags WHERE worker_id = ?1 AND flag = ?2"
        };
        self.exec(sql, params![worker_id, flag])?;
        Ok(())
    }
}
