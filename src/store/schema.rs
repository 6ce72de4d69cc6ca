//! The schema, as an append-only list of migrations tracked by
//! `PRAGMA user_version`.
//!
//! Rules: never edit or remove an entry, never reorder them; a change of
//! schema is a new entry at the end, with a comment saying why. Each
//! migration runs in the same transaction as the version bump, so a database
//! is always at exactly one version.

use rusqlite::{Connection, TransactionBehavior};

/// The migrations, oldest first. The database's `user_version` is the
/// number of them applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_documents_state.sql"),
];

/// The schema version this build writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Why the schema cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The database was written by a newer dossier.
    #[error(
        "the database has schema version {found}, newer than this dossier knows ({VERSION}); use a newer dossier"
    )]
    TooNew {
        /// The version found.
        found: u32,
    },
    /// SQLite failed.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Brings the database up to [`VERSION`], applying the missing migrations.
pub fn migrate(conn: &mut Connection) -> Result<(), SchemaError> {
    // A plain read first: an up-to-date database (the usual case) needs no
    // lock, so opening never waits for a running ingest.
    let current: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current == VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let found: u32 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > VERSION {
        return Err(SchemaError::TooNew { found });
    }
    for sql in &MIGRATIONS[found as usize..] {
        tx.execute_batch(sql)?;
    }
    if found < VERSION {
        tx.pragma_update(None, "user_version", VERSION)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrate_twice_is_harmless() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, VERSION);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", VERSION + 1)
            .unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(SchemaError::TooNew { .. })
        ));
    }
}
