//! Whole-table passes, for the loaded graph and the exports: each reads
//! one table (or one join) in one statement and hands every row to a
//! callback, so nothing grows with the database but what the caller keeps.
//!
//! A callback may fail with the caller's own error (an export's write);
//! the pass stops there and returns it.

use super::{DocumentId, EntityId, Store, StoreError};
use rusqlite::OptionalExtension;

/// The result of one SQLite call, as a store error.
fn sql<T>(result: rusqlite::Result<T>) -> Result<T, StoreError> {
    Ok(result?)
}

/// A relation as a pass reads it.
#[derive(Debug, Clone, Copy)]
pub struct RelationRow<'a> {
    /// Database id.
    pub id: i64,
    /// The subject entity.
    pub subject: EntityId,
    /// The relation kind.
    pub kind: &'a str,
    /// The object, when it is an entity.
    pub object_entity: Option<EntityId>,
    /// The object, when it is a document.
    pub object_document: Option<DocumentId>,
}

/// A document with what the JSON export says of it.
#[derive(Debug, Clone)]
pub struct DocumentSummary {
    /// Database id.
    pub id: DocumentId,
    /// Path (identity).
    pub path: String,
    /// Title.
    pub title: String,
    /// SHA-256 of the original file, in hexadecimal.
    pub sha256: String,
    /// Size of the original file in bytes.
    pub size: i64,
    /// What it was decoded as.
    pub encoding: String,
    /// When it was ingested (UTC).
    pub ingested_at: String,
    /// Settled mentions.
    pub mentions: i64,
    /// Mentions as one candidate of an ambiguous name.
    pub ambiguous: i64,
}

/// A piece of evidence as a pass reads it: where it is, not yet quoted.
#[derive(Debug, Clone)]
pub struct EvidenceSpan {
    /// Database id.
    pub id: i64,
    /// The relation it supports.
    pub relation: i64,
    /// The document it is in.
    pub document: DocumentId,
    /// Byte offset of the sentence's start.
    pub start: i64,
    /// Byte offset just past the sentence.
    pub end: i64,
    /// The rule that found it.
    pub rule: String,
    /// The rule's confidence.
    pub confidence: f64,
    /// The date the text gives (ISO 8601), if any.
    pub date: Option<String>,
}

/// A relation's first piece of evidence (by id), with every document and
/// date of all its pieces.
#[derive(Debug, Clone)]
pub struct FirstEvidence {
    /// The relation.
    pub relation: i64,
    /// The document of the first piece.
    pub document: DocumentId,
    /// Byte offset of its sentence's start.
    pub start: i64,
    /// Byte offset just past its sentence.
    pub end: i64,
    /// The ids of every document with evidence, joined by commas.
    pub documents: Option<String>,
    /// Every date the evidence gives, joined by commas.
    pub dates: Option<String>,
}

impl Store {
    /// Every document's id and path, in no order.
    pub fn each_document_path<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(DocumentId, String) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = sql(self.conn.prepare("SELECT id, path FROM documents"))?;
        let mut rows = sql(stmt.query([]))?;
        while let Some(row) = sql(rows.next())? {
            each(sql(row.get(0))?, sql(row.get(1))?)?;
        }
        Ok(())
    }

    /// Every relation, in no order.
    pub fn each_relation<E: From<StoreError>>(
        &self,
        each: impl FnMut(RelationRow<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.relations_by(
            "SELECT id, subject_id, kind, object_entity_id, object_document_id FROM relations",
            each,
        )
    }

    /// Every relation, by subject, kind and object.
    pub fn each_relation_in_order<E: From<StoreError>>(
        &self,
        each: impl FnMut(RelationRow<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.relations_by(
            "SELECT r.id, r.subject_id, r.kind, r.object_entity_id, r.object_document_id
             FROM relations r ORDER BY r.subject_id, r.kind, r.object_entity_id, r.object_document_id",
            each,
        )
    }

    fn relations_by<E: From<StoreError>>(
        &self,
        query: &str,
        mut each: impl FnMut(RelationRow<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = sql(self.conn.prepare(query))?;
        let mut rows = sql(stmt.query([]))?;
        while let Some(row) = sql(rows.next())? {
            each(RelationRow {
                id: sql(row.get(0))?,
                subject: sql(row.get(1))?,
                kind: sql(row.get_ref(2))?.as_str().unwrap_or_default(),
                object_entity: sql(row.get(3))?,
                object_document: sql(row.get(4))?,
            })?;
        }
        Ok(())
    }

    /// Every relation's number of pieces of evidence (relations without
    /// any are left out).
    pub fn each_evidence_count(&self, mut each: impl FnMut(i64, u32)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT relation_id, count(*) FROM evidence GROUP BY relation_id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(row.get(0)?, row.get::<_, i64>(1)? as u32);
        }
        Ok(())
    }

    /// Every entity's id, type and canonical name, in no order (the
    /// strings are lent for the call: copy what you keep).
    pub fn each_entity_name(
        &self,
        mut each: impl FnMut(EntityId, &str, &str),
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, type, name FROM entities")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(
                row.get(0)?,
                row.get_ref(1)?.as_str().unwrap_or_default(),
                row.get_ref(2)?.as_str().unwrap_or_default(),
            );
        }
        Ok(())
    }

    /// Every document with its counts, by path.
    pub fn each_document_summary<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(DocumentSummary) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = sql(self.conn.prepare(
            "SELECT d.id, d.path, d.title, d.sha256, d.size, d.encoding, d.ingested_at,
                    coalesce(m.mentions, 0), coalesce(m.ambiguous, 0)
             FROM documents d LEFT JOIN document_mentions m ON m.document_id = d.id ORDER BY d.path",
        ))?;
        let mut rows = sql(stmt.query([]))?;
        while let Some(row) = sql(rows.next())? {
            let summary = sql((|| -> rusqlite::Result<DocumentSummary> {
                Ok(DocumentSummary {
                    id: row.get(0)?,
                    path: row.get(1)?,
                    title: row.get(2)?,
                    sha256: row.get(3)?,
                    size: row.get(4)?,
                    encoding: row.get(5)?,
                    ingested_at: row.get(6)?,
                    mentions: row.get(7)?,
                    ambiguous: row.get(8)?,
                })
            })())?;
            each(summary)?;
        }
        Ok(())
    }

    /// The id of every entity that is the subject or object of a relation.
    pub fn each_related_entity(&self, mut each: impl FnMut(EntityId)) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT subject_id FROM relations
             UNION SELECT object_entity_id FROM relations WHERE object_entity_id IS NOT NULL",
        )?;
        for id in stmt.query_map([], |r| r.get::<_, i64>(0))? {
            each(id?);
        }
        Ok(())
    }

    /// An entity's type, canonical name and attributes (as stored: a JSON
    /// object).
    pub fn entity_record(&self, id: EntityId) -> Result<(String, String, String), StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT type, name, attributes FROM entities WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
    }

    /// An entity's aliases, sorted.
    pub fn sorted_aliases(&self, id: EntityId) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT alias FROM aliases WHERE entity_id = ?1 ORDER BY alias")?;
        let aliases = stmt.query_map([id], |r| r.get(0))?;
        Ok(aliases.collect::<Result<_, _>>()?)
    }

    /// Every piece of evidence, in the order the store keeps it (grouped by
    /// document).
    pub fn each_evidence_span<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(EvidenceSpan) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = sql(self.conn.prepare(
            "SELECT id, relation_id, document_id, sentence_start, sentence_end, rule, confidence, date
             FROM evidence",
        ))?;
        let mut rows = sql(stmt.query([]))?;
        while let Some(row) = sql(rows.next())? {
            let span = sql((|| -> rusqlite::Result<EvidenceSpan> {
                Ok(EvidenceSpan {
                    id: row.get(0)?,
                    relation: row.get(1)?,
                    document: row.get(2)?,
                    start: row.get(3)?,
                    end: row.get(4)?,
                    rule: row.get(5)?,
                    confidence: row.get(6)?,
                    date: row.get(7)?,
                })
            })())?;
            each(span)?;
        }
        Ok(())
    }

    /// Every relation's first piece of evidence, by its document and then
    /// by relation, so a reader quoting them reads each text once.
    pub fn each_first_evidence<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(FirstEvidence) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = sql(self.conn.prepare(
            "SELECT f.relation_id, f.document_id, f.sentence_start, f.sentence_end, g.docs, g.dates
             FROM (SELECT relation_id, min(id) AS first,
                          group_concat(DISTINCT document_id) AS docs,
                          group_concat(DISTINCT date) AS dates
                   FROM evidence GROUP BY relation_id) g
             JOIN evidence f ON f.id = g.first
             ORDER BY f.document_id, f.relation_id",
        ))?;
        let mut rows = sql(stmt.query([]))?;
        while let Some(row) = sql(rows.next())? {
            let first = sql((|| -> rusqlite::Result<FirstEvidence> {
                Ok(FirstEvidence {
                    relation: row.get(0)?,
                    document: row.get(1)?,
                    start: row.get(2)?,
                    end: row.get(3)?,
                    documents: row.get(4)?,
                    dates: row.get(5)?,
                })
            })())?;
            each(first)?;
        }
        Ok(())
    }

    /// Every entity whose folded name or one of whose folded aliases holds
    /// `folded` (every entity when it is empty): id, type and canonical
    /// name, lent for the call.
    pub fn each_entity_holding(
        &self,
        folded: &str,
        mut each: impl FnMut(EntityId, &str, &str),
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, type, name FROM entities WHERE ?1 = '' OR id IN (
               SELECT id FROM entities WHERE instr(folded, ?1) > 0
               UNION SELECT entity_id FROM aliases WHERE instr(folded, ?1) > 0)",
        )?;
        let mut rows = stmt.query([folded])?;
        while let Some(row) = rows.next()? {
            each(
                row.get(0)?,
                row.get_ref(1)?.as_str().unwrap_or_default(),
                row.get_ref(2)?.as_str().unwrap_or_default(),
            );
        }
        Ok(())
    }

    /// The relations with evidence in `document`.
    pub fn relations_with_evidence_in(&self, document: DocumentId) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT relation_id FROM evidence WHERE document_id = ?1")?;
        let ids = stmt.query_map([document], |r| r.get::<_, i64>(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// The settled mentions stored for `document`, if it has a count.
    pub fn document_mention_count(&self, document: DocumentId) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT mentions FROM document_mentions WHERE document_id = ?1")?
            .query_row([document], |r| r.get(0))
            .optional()?)
    }
}
