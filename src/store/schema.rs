//! The schema, as an append-only list of migrations tracked by
//! `PRAGMA user_version`.
//!
//! Rules: never edit or remove an entry, never reorder them; a change of
//! schema is a new entry at the end, with a comment saying why. Each
//! migration runs in the same transaction as the version bump, so a database
//! is always at exactly one version.

use super::identity::{self, APPLICATION_ID, Identity};
use super::packed::{self, Posting, StoredMention};
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// One step of the schema.
enum Migration {
    /// SQL statements.
    Sql(&'static str),
    /// A change SQL alone cannot make.
    Code(fn(&Transaction<'_>) -> rusqlite::Result<()>),
}

/// The migrations, oldest first. The database's `user_version` is the
/// number of them applied.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(include_str!("migrations/0001_initial.sql")),
    Migration::Sql(include_str!("migrations/0002_documents_state.sql")),
    // Mentions and postings as varints of differences (`packed`), instead
    // of four little-endian u32 a record: a third of the bytes, and so of
    // what an ingest logs and copies.
    Migration::Code(repack_as_varints),
    Migration::Sql(include_str!("migrations/0004_unlisted_and_changed.sql")),
    // Where each piece of evidence's date comes from, and the period and
    // `former` mark it gives its relation.
    Migration::Sql(include_str!("migrations/0005_evidence_dates.sql")),
    // Which entries are one node of the graph (`same-as`).
    Migration::Sql(include_str!("migrations/0006_same_as.sql")),
];

/// The schema version this build writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Why the schema cannot be used, or the file is not dossier's. Every
/// message is one line.
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
    /// A command that only reads found a database of an earlier schema,
    /// which it does not change.
    #[error(
        "the database has schema version {found}, older than this dossier's ({VERSION}): bring it up to date with `dossier migrate` (commands that only read never change the file)"
    )]
    TooOld {
        /// The version found.
        found: u32,
    },
    /// The version number is one no dossier writes (another program
    /// changed `PRAGMA user_version`).
    #[error(
        "the database has schema version {found}, which no dossier writes (1 to {VERSION}): another program changed its `PRAGMA user_version`; restore the file from a copy"
    )]
    OddVersion {
        /// The version found.
        found: i64,
    },
    /// Another program's database: tables dossier did not make, and no
    /// mark of dossier's.
    #[error(
        "not a dossier database: {}; give another file with --db",
        if tables.is_empty() { "another program set its schema version".to_string() } else { format!("it holds tables dossier did not make ({tables})") }
    )]
    Foreign {
        /// The first few of those tables, quoted.
        tables: String,
    },
    /// Another program's mark in the header.
    #[error(
        "not a dossier database: it is marked as another program's (application_id {id:#010x}); give another file with --db"
    )]
    OtherApplication {
        /// The mark found.
        id: u32,
    },
    /// The file is not an SQLite database at all.
    #[error(
        "not a dossier database: the file is not an SQLite database; give another file with --db"
    )]
    NotSqlite,
    /// A migration failed (the database stays at its version).
    #[error("upgrading the schema to version {number} failed: {message}")]
    Migration {
        /// The migration's number.
        number: usize,
        /// SQLite's message, without the statements.
        message: String,
    },
    /// SQLite failed.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Brings the database up to [`VERSION`], applying the missing migrations.
pub fn migrate(conn: &mut Connection) -> Result<(), SchemaError> {
    migrate_to(conn, VERSION)
}

/// Brings the database up to `version` (tests stop short of [`VERSION`] to
/// build an older database), and marks it as dossier's. Another program's
/// database, or a version no dossier writes, is refused before anything is
/// written.
fn migrate_to(conn: &mut Connection, version: u32) -> Result<(), SchemaError> {
    // A plain read first: an up-to-date database (the usual case) needs no
    // lock, so opening never waits for a running ingest.
    if identity::identify(conn)?
        == (Identity::Dossier {
            version,
            marked: true,
        })
    {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let found = match identity::identify(&tx)? {
        Identity::Empty => 0,
        Identity::Dossier { version, .. } => version,
    };
    for (number, migration) in MIGRATIONS
        .iter()
        .enumerate()
        .take(version as usize)
        .skip(found as usize)
    {
        match migration {
            Migration::Sql(sql) => tx.execute_batch(sql),
            Migration::Code(change) => change(&tx),
        }
        .map_err(|e| SchemaError::Migration {
            number: number + 1,
            message: short_message(e),
        })?;
    }
    if found < version {
        tx.pragma_update(None, "user_version", version)?;
    }
    // Databases of earlier dossiers get the mark at their first write.
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

/// SQLite's message without the statements it failed in (a migration's
/// are a hundred lines).
fn short_message(e: rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg,
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg,
        e => e.to_string(),
    }
}

/// Migration 3: rewrites every mention blob and posting chunk from records
/// of four little-endian `u32` to the varint layout of `packed`.
fn repack_as_varints(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    repack(tx, "document_mentions", "document_id", |data| {
        let mentions: Vec<StoredMention> = u32_records(data)
            .map(|[start, end, entity, resolution]| StoredMention {
                start,
                end,
                entity: entity.into(),
                resolution,
            })
            .collect();
        packed::encode_mentions(&mentions)
    })?;
    repack(tx, "entity_postings", "rowid", |data| {
        let postings: Vec<Posting> = u32_records(data)
            .map(|[entity, document, mentions, ambiguous]| Posting {
                entity: entity.into(),
                document: document.into(),
                mentions,
                ambiguous,
            })
            .collect();
        packed::encode_postings(&postings)
    })
}

/// Rewrites the `data` blob of every row of `table` (keyed by `key`).
fn repack(
    tx: &Transaction<'_>,
    table: &str,
    key: &str,
    convert: impl Fn(&[u8]) -> Vec<u8>,
) -> rusqlite::Result<()> {
    let keys: Vec<i64> = tx
        .prepare(&format!("SELECT {key} FROM {table}"))?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut read = tx.prepare(&format!("SELECT data FROM {table} WHERE {key} = ?1"))?;
    let mut write = tx.prepare(&format!("UPDATE {table} SET data = ?2 WHERE {key} = ?1"))?;
    for id in keys {
        let data: Vec<u8> = read.query_row([id], |r| r.get(0))?;
        write.execute(rusqlite::params![id, convert(&data)])?;
    }
    Ok(())
}

/// The records of four little-endian `u32` of schema versions 1 and 2 (a
/// trailing partial record ignored).
fn u32_records(data: &[u8]) -> impl Iterator<Item = [u32; 4]> + '_ {
    data.chunks_exact(16).map(|r| {
        std::array::from_fn(|i| {
            u32::from_le_bytes([r[4 * i], r[4 * i + 1], r[4 * i + 2], r[4 * i + 3]])
        })
    })
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

    /// A database of version 2 keeps its mentions and postings, now in the
    /// varint layout.
    #[test]
    fn version_2_blobs_are_repacked() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 2).unwrap();
        // Blobs alone; their document does not matter here.
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let fixed = |records: &[[u32; 4]]| -> Vec<u8> {
            records
                .iter()
                .flatten()
                .flat_map(|v| v.to_le_bytes())
                .collect()
        };
        // (start, end, entity, resolution) and (entity, document, settled,
        // ambiguous), with a damaged tail on the first.
        let mut mentions = fixed(&[[0, 6, 70_000, 0], [10, 17, 3, 2], [10, 17, 9, 2]]);
        mentions.extend_from_slice(&[1, 2, 3]);
        let postings = fixed(&[[3, 1, 0, 1], [9, 1, 0, 1], [70_000, 1, 1, 0]]);
        conn.execute(
            "INSERT INTO document_mentions (document_id, mentions, ambiguous, entities, data)
             VALUES (1, 1, 2, 3, ?1)",
            [&mentions],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO entity_postings (bucket, batch, data) VALUES (0, 1, ?1)",
            [&postings],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let blob = |sql: &str| -> Vec<u8> { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        let mention = |start, end, entity, resolution| StoredMention {
            start,
            end,
            entity,
            resolution,
        };
        assert_eq!(
            packed::decode_mentions(&blob("SELECT data FROM document_mentions")),
            [
                mention(0, 6, 70_000, 0),
                mention(10, 17, 3, 2),
                mention(10, 17, 9, 2)
            ]
        );
        let posting = |entity, mentions, ambiguous| Posting {
            entity,
            document: 1,
            mentions,
            ambiguous,
        };
        assert_eq!(
            packed::decode_postings(&blob("SELECT data FROM entity_postings")),
            [posting(3, 0, 1), posting(9, 0, 1), posting(70_000, 1, 0)]
        );
    }

    /// Evidence stored at version 4 reads back with no date source, no
    /// period and no `former` mark, and the index of bounded evidence is
    /// there.
    #[test]
    fn version_4_evidence_gains_empty_date_columns() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 4).unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO evidence (relation_id, document_id, sentence_start, sentence_end,
                 subject_start, subject_end, rule, confidence, date)
             VALUES (1, 1, 0, 10, 0, 4, 'signed-list', 0.9, '2022-07-10');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let row: (String, Option<String>, Option<String>, Option<String>, i64) = conn
            .query_row(
                "SELECT date, date_source, valid_from, valid_until, former FROM evidence",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(row, ("2022-07-10".into(), None, None, None, 0));
        let index: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'evidence_period'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(index, 1);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", VERSION + 1)
            .unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(SchemaError::TooNew { .. })
        ));
    }
}
