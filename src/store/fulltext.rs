//! Full-text search of the documents' text, for `dossier serve`.
//!
//! An FTS5 index (`documents_fts`, contentless: it holds the words, not a
//! second copy of the text) and a table of what it was built from
//! (`documents_fts_state`: id and SHA-256 of each indexed document). The
//! index is not written by ingest, which it would slow by about a third;
//! [`Store::sync_fulltext`] brings it in step with the documents table
//! (new, changed and forgotten documents) in one transaction, and the
//! server calls it at start and whenever another connection has committed
//! since (`PRAGMA data_version`). A database that never served has
//! neither table.

use super::{DocumentId, Store, StoreError};
use rusqlite::OptionalExtension;

/// What [`Store::sync_fulltext`] changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FulltextSync {
    /// Documents indexed (new or changed).
    pub indexed: usize,
    /// Documents taken out (forgotten, or changed before re-indexing).
    pub removed: usize,
}

/// A document the full-text index found.
#[derive(Clone, Debug, PartialEq)]
pub struct TextHit {
    /// The document.
    pub document: DocumentId,
    /// Its path.
    pub path: String,
    /// Its title.
    pub title: String,
}

impl Store {
    /// Brings the full-text index in step with the stored documents,
    /// making it first if there is none.
    pub fn sync_fulltext(&mut self) -> Result<FulltextSync, StoreError> {
        let new = !self.has_fulltext()?;
        let tx = self.conn.transaction()?;
        if new {
            tx.execute_batch(
                "CREATE VIRTUAL TABLE documents_fts USING fts5(
                     title, body, content='', contentless_delete=1,
                     tokenize='unicode61 remove_diacritics 2');
                 INSERT INTO documents_fts (documents_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
                 CREATE TABLE IF NOT EXISTS documents_fts_state (
                     document_id INTEGER PRIMARY KEY,
                     sha256      TEXT NOT NULL);
                 DELETE FROM documents_fts_state;",
            )?;
        }
        let stale: Vec<DocumentId> = {
            let mut stmt = tx.prepare(
                "SELECT s.document_id FROM documents_fts_state s
                 LEFT JOIN documents d ON d.id = s.document_id
                 WHERE d.id IS NULL OR d.sha256 <> s.sha256",
            )?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        {
            let mut delete = tx.prepare("DELETE FROM documents_fts WHERE rowid = ?1")?;
            let mut forget =
                tx.prepare("DELETE FROM documents_fts_state WHERE document_id = ?1")?;
            for id in &stale {
                delete.execute([id])?;
                forget.execute([id])?;
            }
        }
        let indexed = tx.execute(
            "INSERT INTO documents_fts (rowid, title, body)
             SELECT d.id, d.title, d.text FROM documents d
             WHERE NOT EXISTS (SELECT 1 FROM documents_fts_state s WHERE s.document_id = d.id)",
            [],
        )?;
        tx.execute(
            "INSERT INTO documents_fts_state (document_id, sha256)
             SELECT d.id, d.sha256 FROM documents d
             WHERE NOT EXISTS (SELECT 1 FROM documents_fts_state s WHERE s.document_id = d.id)",
            [],
        )?;
        tx.commit()?;
        Ok(FulltextSync {
            indexed,
            removed: stale.len(),
        })
    }

    /// Whether another connection committed since this one last asked (or
    /// since it opened, the first time).
    pub fn changed_since_asked(&self, last: &mut Option<i64>) -> Result<bool, StoreError> {
        let now: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let changed = last.is_some_and(|l| l != now);
        *last = Some(now);
        Ok(changed)
    }

    /// Whether the full-text index exists.
    pub fn has_fulltext(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE name = 'documents_fts'",
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// The documents holding every word of `words` (in title or text), best
    /// first (BM25), at most `limit`, and whether more than
    /// [`RANKED_AT_MOST`] hold them: ranking that many would take most of a
    /// second, so they come in the order they were stored instead. The
    /// words are searched as they are: no operator of FTS5's query syntax
    /// is read from them.
    pub fn search_text(
        &self,
        words: &str,
        limit: usize,
    ) -> Result<(Vec<TextHit>, bool), StoreError> {
        let phrase = match_expression(words);
        if phrase.is_empty() || !self.has_fulltext()? {
            return Ok((Vec::new(), false));
        }
        let found: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?1 LIMIT ?2)",
            )?
            .query_row(rusqlite::params![phrase, RANKED_AT_MOST as i64 + 1], |r| {
                r.get(0)
            })?;
        let many = found > RANKED_AT_MOST as i64;
        let order = if many { "f.rowid" } else { "f.rank" };
        let inner = if many { "" } else { "ORDER BY rank" };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT d.id, d.path, d.title FROM (
                 SELECT rowid, rank FROM documents_fts WHERE documents_fts MATCH ?1
                 {inner} LIMIT ?2) f
             JOIN documents d ON d.id = f.rowid ORDER BY {order}"
        ))?;
        let rows = stmt.query_map(rusqlite::params![phrase, limit as i64], |r| {
            Ok(TextHit {
                document: r.get(0)?,
                path: r.get(1)?,
                title: r.get(2)?,
            })
        })?;
        Ok((rows.collect::<Result<_, _>>()?, many))
    }
}

/// Documents a full-text search ranks at most; past it, they come in the
/// order they were stored.
pub const RANKED_AT_MOST: usize = 5_000;

impl Store {
    /// The documents whose path holds `part` (ignoring case), by path, at
    /// most `limit`.
    pub fn documents_by_path_part(
        &self,
        part: &str,
        limit: usize,
    ) -> Result<Vec<TextHit>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, path, title FROM documents WHERE instr(lower(path), lower(?1)) > 0
             ORDER BY path LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![part, limit as i64], |r| {
            Ok(TextHit {
                document: r.get(0)?,
                path: r.get(1)?,
                title: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// `words` as an FTS5 query that asks for each word, each one quoted (so
/// `AND`, `*`, `"` or `:` in them are text, not syntax).
pub fn match_expression(words: &str) -> String {
    words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_quoted_and_syntax_is_dropped() {
        assert_eq!(match_expression("harbour board"), "\"harbour\" \"board\"");
        assert_eq!(
            match_expression("a\" OR body:x*"),
            "\"a\" \"OR\" \"body\" \"x\""
        );
        assert_eq!(match_expression("  ;; "), "");
    }
}
