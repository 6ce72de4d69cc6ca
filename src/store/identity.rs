//! Whose a database file is, read before anything is written to it: a
//! dossier database carries dossier's mark in its header (SQLite's
//! `application_id`), or, written by a dossier from before the mark, the
//! tables of dossier's first schema; an empty file is nobody's yet; any
//! other database is another program's and is left alone.

use super::schema::{SchemaError, VERSION};
use rusqlite::{Connection, ErrorCode};

/// dossier's mark, SQLite's `PRAGMA application_id` of every database it
/// writes: the bytes `DOSR` read as a big-endian number.
pub const APPLICATION_ID: i32 = i32::from_be_bytes(*b"DOSR");

/// The tables of dossier's first schema (migration 1), which every dossier
/// database holds: a database without the mark is taken for one written
/// by an earlier dossier only when it has them all.
const FIRST_TABLES: [&str; 8] = [
    "meta",
    "documents",
    "entities",
    "aliases",
    "document_mentions",
    "entity_postings",
    "relations",
    "evidence",
];

/// What a database file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// No table yet (a new or empty file): dossier may make it its own.
    Empty,
    /// A dossier database at schema `version` (1 to [`VERSION`]);
    /// `marked` tells whether it carries [`APPLICATION_ID`] already.
    Dossier {
        /// Its schema version.
        version: u32,
        /// Whether it carries the mark.
        marked: bool,
    },
}

/// Reads whose database `conn` is, changing nothing; another program's
/// database, or one whose version no dossier writes, is an error.
pub fn identify(conn: &Connection) -> Result<Identity, SchemaError> {
    let header = |pragma: &str| -> Result<i64, SchemaError> {
        conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
            .map_err(not_sqlite)
    };
    let application_id = header("application_id")?;
    let version = header("user_version")?;
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(not_sqlite)?;
    let marked = application_id == i64::from(APPLICATION_ID);
    if application_id != 0 && !marked {
        return Err(SchemaError::OtherApplication {
            id: application_id as u32,
        });
    }
    if !marked && tables.is_empty() && version == 0 {
        return Ok(Identity::Empty);
    }
    if !marked && !FIRST_TABLES.iter().all(|t| tables.iter().any(|n| n == t)) {
        tables.retain(|t| !FIRST_TABLES.contains(&t.as_str()));
        return Err(SchemaError::Foreign {
            tables: list_some(&tables),
        });
    }
    match u32::try_from(version) {
        Ok(v) if v > VERSION => Err(SchemaError::TooNew { found: v }),
        Ok(v) if v > 0 => Ok(Identity::Dossier { version: v, marked }),
        _ => Err(SchemaError::OddVersion { found: version }),
    }
}

/// A file SQLite cannot read as a database says so in dossier's words.
fn not_sqlite(e: rusqlite::Error) -> SchemaError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => SchemaError::NotSqlite,
        _ => SchemaError::Sqlite(e),
    }
}

/// `a, b, c and 4 more`: the first few names of a list, for a one-line
/// message.
fn list_some(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity_of(sql: &str) -> Result<Identity, SchemaError> {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(sql).unwrap();
        identify(&conn)
    }

    /// Every way a database can be found, with what dossier makes of it.
    #[test]
    fn databases_are_told_apart() {
        let first = FIRST_TABLES
            .map(|t| format!("CREATE TABLE {t} (x);"))
            .join("");
        let cases: Vec<(String, &str)> = vec![
            (String::new(), "Empty"),
            ("PRAGMA user_version = 0".into(), "Empty"),
            (
                "CREATE TABLE customers (id)".into(),
                "not a dossier database: it holds tables dossier did not make (`customers`)",
            ),
            (
                "CREATE TABLE a (x); CREATE TABLE b (x); CREATE TABLE c (x); CREATE TABLE d (x);"
                    .into(),
                "(`a`, `b`, `c` and 1 more)",
            ),
            // Some of dossier's tables are not enough.
            (
                "CREATE TABLE meta (x); CREATE TABLE documents (x); PRAGMA user_version = 2".into(),
                "not a dossier database",
            ),
            (
                "PRAGMA application_id = 1234".into(),
                "marked as another program's (application_id 0x000004d2)",
            ),
            (
                format!("{first} PRAGMA user_version = 2"),
                "Dossier { version: 2, marked: false }",
            ),
            (
                format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 3"),
                "Dossier { version: 3, marked: true }",
            ),
            (
                format!("{first} PRAGMA user_version = 0"),
                "schema version 0, which no dossier writes",
            ),
            (
                format!("{first} PRAGMA user_version = -1"),
                "schema version -1, which no dossier writes",
            ),
            (
                format!("PRAGMA application_id = {APPLICATION_ID}"),
                "schema version 0, which no dossier writes",
            ),
            (
                format!("{first} PRAGMA user_version = {}", VERSION + 1),
                "newer than this dossier knows",
            ),
        ];
        for (sql, expected) in cases {
            let found = match identity_of(&sql) {
                Ok(identity) => format!("{identity:?}"),
                Err(e) => e.to_string(),
            };
            assert!(found.contains(expected), "{sql}: {found}");
            assert!(!found.contains('\n'), "{sql}: {found}");
        }
    }
}
