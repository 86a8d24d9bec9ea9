//! The schema as numbered migrations. A database's `PRAGMA user_version` is the number of the
//! last migration applied to it, so a file written by an earlier build opens with this one.
//!
//! Each domain's tables are written once, in `schema/<domain>.sql`. To change the schema, add a
//! migration with the next number whose statements live beside their domain's
//! (`schema/<domain>.<version>.sql`); never edit a migration that has shipped, since the files
//! users have were made by it.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// One version of the schema: its statements, domain by domain, each table created before
/// anything that refers to it.
struct Migration {
    version: u32,
    statements: &'static [&'static str],
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        // The schema as it stood before it was versioned. Files from then carry user_version 0 and
        // all of it, or (from builds before the HIT listing) most of it, so every statement here is
        // `IF NOT EXISTS` or guarded by `NOT EXISTS`: applied to such a file it adds only what the
        // file lacks. Later migrations run exactly once and need no such guards.
        version: 1,
        statements: &[
            include_str!("schema/meta.sql"),
            include_str!("schema/accounts.sql"),
            include_str!("schema/hits.sql"),
            include_str!("schema/assignments.sql"),
            include_str!("schema/listing.sql"),
            include_str!("schema/qualifications.sql"),
            include_str!("schema/bonuses.sql"),
            include_str!("schema/notifications.sql"),
            include_str!("schema/relations.sql"),
            include_str!("schema/review.sql"),
            include_str!("schema/workers.sql"),
        ],
    },
    Migration {
        // Lists paged through counted buckets, and expiry found on a time-ordered index.
        version: 2,
        statements: &[include_str!("schema/listing.2.sql")],
    },
    Migration {
        // Less work in each CreateHIT: no token index entry for a HIT without a token, and no
        // first-bucket check for each list entry. Pending qualification requests paged from
        // an index and counted per type.
        version: 3,
        statements: &[
            include_str!("schema/hits.3.sql"),
            include_str!("schema/listing.3.sql"),
            include_str!("schema/qualifications.3.sql"),
        ],
    },
    Migration {
        // Approvals and rejections leave the HIT's listing alone.
        version: 4,
        statements: &[include_str!("schema/listing.4.sql")],
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// Brings the database up to `SCHEMA_VERSION`, one migration per transaction: a failed upgrade
/// leaves the file at the last version that completed.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    for m in MIGRATIONS {
        // Immediate: two processes opening one file at once cannot both apply a migration.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found >= m.version {
            continue;
        }
        for statements in m.statements {
            tx.execute_batch(statements)?;
        }
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::ScratchDir;
    use crate::store::Store;

    fn version(conn: &Connection) -> u32 {
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn versions_count_up_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1);
        }
    }

    #[test]
    fn a_new_database_gets_the_latest_schema_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn), SCHEMA_VERSION);
        conn.execute("INSERT INTO meta(key, value) VALUES ('k', 'v')", [])
            .unwrap();
        migrate(&mut conn).unwrap();
        let kept: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'k'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, "v");
    }

    #[test]
    fn an_unversioned_database_with_the_tables_is_brought_to_the_latest_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        for statements in MIGRATIONS[0].statements {
            conn.execute_batch(statements).unwrap();
        }
        assert_eq!(version(&conn), 0);
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn), SCHEMA_VERSION);
    }

    #[test]
    fn a_database_from_a_newer_build_is_refused() {
        let dir = ScratchDir::new("newer");
        let path = dir.file("newer.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        let refused = Store::open(&path).err();
        assert!(
            matches!(
                refused,
                Some(StoreError::NewerSchema { found, known })
                    if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION
            ),
            "{refused:?}"
        );
    }
}
