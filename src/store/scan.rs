//! Whole-table passes, for the loaded graph and the exports: each reads
//! one table (or one join) in one statement and hands every row to a
//! callback, so nothing grows with the database but what the caller keeps.
//!
//! A callback that may fail (an export's write) answers
//! [`ControlFlow::Break`] to stop the pass; see [`super::halting`].

use super::{DocumentId, EntityId, Store, StoreError};
use rusqlite::{OptionalExtension, Row};
use std::ops::ControlFlow;

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
    /// The period its evidence gives it: the earliest start (ISO 8601, as
    /// precise as the text).
    pub valid_from: Option<&'a str>,
    /// The latest end its evidence gives it.
    pub valid_until: Option<&'a str>,
    /// Whether some evidence calls it a role no longer held.
    pub former: bool,
    /// The earliest date (with a year) of the evidence calling it former:
    /// it had ended by then.
    pub ended_by: Option<&'a str>,
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
    /// Where the text gives it (`sentence`, `paragraph`, `dateline`,
    /// `letter`, `document`).
    pub date_source: Option<String>,
    /// Since when the relation held, as this evidence says.
    pub valid_from: Option<String>,
    /// Until when it held, as this evidence says.
    pub valid_until: Option<String>,
    /// Whether this evidence calls it a former role.
    pub former: bool,
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
    /// Where the text gives those dates (`letter`, `sentence` …), each
    /// once, joined by commas.
    pub date_sources: Option<String>,
}

/// The columns of a [`RelationRow`], the relations table as `r` and its
/// periods as `p` ([`RELATION_PERIODS`]).
const RELATION_COLUMNS: &str = "SELECT r.id, r.subject_id, r.kind, r.object_entity_id,
     r.object_document_id, p.valid_from, p.valid_until, p.former, p.ended_by";

/// Each relation's period, from the evidence that bounds it: the
/// `WHERE` is the `evidence_period` index's own, so only that small index
/// is read.
const RELATION_PERIODS: &str = "LEFT JOIN (
       SELECT relation_id, min(valid_from) AS valid_from, max(valid_until) AS valid_until,
              max(former) AS former,
              min(CASE WHEN former <> 0 AND date GLOB '[0-9][0-9][0-9][0-9]*' THEN date END)
                AS ended_by
       FROM evidence
       WHERE valid_from IS NOT NULL OR valid_until IS NOT NULL OR former <> 0
       GROUP BY relation_id) p ON p.relation_id = r.id";

impl Store {
    /// Runs `query` and hands each row, as `read` makes it, to `each`
    /// until it breaks. A row `read` makes nothing of (`None`: one the
    /// caller does not want, known from its first column) is skipped
    /// before the rest of it is read.
    fn pass<T>(
        &self,
        query: &str,
        read: impl Fn(&Row<'_>) -> rusqlite::Result<Option<T>>,
        each: &mut dyn FnMut(T) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(query)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(item) = read(row)?
                && each(item).is_break()
            {
                break;
            }
        }
        Ok(())
    }

    /// Every document's id and path, in no order.
    pub fn each_document_path(
        &self,
        each: &mut dyn FnMut(DocumentId, String),
    ) -> Result<(), StoreError> {
        self.pass(
            "SELECT id, path FROM documents",
            |row| Ok(Some((row.get(0)?, row.get(1)?))),
            &mut |(id, path)| {
                each(id, path);
                ControlFlow::Continue(())
            },
        )
    }

    /// Every relation, in no order.
    pub fn each_relation(&self, each: &mut dyn FnMut(RelationRow<'_>)) -> Result<(), StoreError> {
        self.relations_by(
            &format!("{RELATION_COLUMNS} FROM relations r {RELATION_PERIODS}"),
            &mut |row| {
                each(row);
                ControlFlow::Continue(())
            },
        )
    }

    /// Every relation, by subject, kind and object.
    pub fn each_relation_in_order(
        &self,
        each: &mut dyn FnMut(RelationRow<'_>) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.relations_by(
            &format!(
                "{RELATION_COLUMNS} FROM relations r {RELATION_PERIODS}
                 ORDER BY r.subject_id, r.kind, r.object_entity_id, r.object_document_id"
            ),
            each,
        )
    }

    /// The relations `query` gives, each lent to `each` (the kind is read
    /// in place, not copied).
    fn relations_by(
        &self,
        query: &str,
        each: &mut dyn FnMut(RelationRow<'_>) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(query)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let text = |i: usize| -> rusqlite::Result<Option<&str>> {
                Ok(row.get_ref(i)?.as_str_or_null().unwrap_or_default())
            };
            let relation = RelationRow {
                id: row.get(0)?,
                subject: row.get(1)?,
                kind: row.get_ref(2)?.as_str().unwrap_or_default(),
                object_entity: row.get(3)?,
                object_document: row.get(4)?,
                valid_from: text(5)?,
                valid_until: text(6)?,
                former: row.get::<_, Option<bool>>(7)?.unwrap_or(false),
                ended_by: text(8)?,
            };
            if each(relation).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// Every relation's number of pieces of evidence (relations without
    /// any are left out).
    pub fn each_evidence_count(&self, each: &mut dyn FnMut(i64, u32)) -> Result<(), StoreError> {
        self.pass(
            "SELECT relation_id, count(*) FROM evidence GROUP BY relation_id",
            |row| Ok(Some((row.get(0)?, row.get::<_, i64>(1)? as u32))),
            &mut |(relation, count)| {
                each(relation, count);
                ControlFlow::Continue(())
            },
        )
    }

    /// Every entity's id, type and canonical name, in no order (the
    /// strings are lent for the call: copy what you keep).
    pub fn each_entity_name(
        &self,
        each: &mut dyn FnMut(EntityId, &str, &str),
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, type, name FROM entities")?;
        lend_entity_names(stmt.query([])?, each)
    }

    /// Every document `wanted` accepts, with its counts, by path.
    pub fn each_document_summary(
        &self,
        wanted: &dyn Fn(DocumentId) -> bool,
        each: &mut dyn FnMut(DocumentSummary) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.pass(
            "SELECT d.id, d.path, d.title, d.sha256, d.size, d.encoding, d.ingested_at,
                    coalesce(m.mentions, 0), coalesce(m.ambiguous, 0)
             FROM documents d LEFT JOIN document_mentions m ON m.document_id = d.id ORDER BY d.path",
            |row| {
                let id = row.get(0)?;
                if !wanted(id) {
                    return Ok(None);
                }
                Ok(Some(DocumentSummary {
                    id,
                    path: row.get(1)?,
                    title: row.get(2)?,
                    sha256: row.get(3)?,
                    size: row.get(4)?,
                    encoding: row.get(5)?,
                    ingested_at: row.get(6)?,
                    mentions: row.get(7)?,
                    ambiguous: row.get(8)?,
                }))
            },
            each,
        )
    }

    /// The id of every entity that is the subject or object of a relation.
    pub fn each_related_entity(&self, each: &mut dyn FnMut(EntityId)) -> Result<(), StoreError> {
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

    /// Whether some alias holds `text`, or the name of an entity of a
    /// `same-as` group (which its node lists among its aliases).
    pub fn aliases_hold(&self, text: &str) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM aliases WHERE instr(alias, ?1) > 0)
                 OR EXISTS (SELECT 1 FROM same_as s JOIN entities e ON e.id = s.entity_id
                            WHERE instr(e.name, ?1) > 0)",
            [text],
            |r| r.get(0),
        )?)
    }

    /// An entity's aliases, sorted; for the node of a `same-as` group,
    /// every name of the other members too (but its own canonical name).
    pub fn sorted_aliases(&self, id: EntityId) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT alias FROM aliases WHERE entity_id = ?1
             UNION SELECT e.name FROM same_as s JOIN entities e ON e.id = s.entity_id
                   WHERE s.node_id = ?1 AND e.name <> (SELECT name FROM entities WHERE id = ?1)
             UNION SELECT a.alias FROM same_as s JOIN aliases a ON a.entity_id = s.entity_id
                   WHERE s.node_id = ?1 AND a.alias <> (SELECT name FROM entities WHERE id = ?1)
             ORDER BY 1",
        )?;
        let aliases = stmt.query_map([id], |r| r.get(0))?;
        Ok(aliases.collect::<Result<_, _>>()?)
    }

    /// Every piece of evidence of the relations `wanted` accepts, in the
    /// order the store keeps it (grouped by document).
    pub fn each_evidence_span(
        &self,
        wanted: &dyn Fn(i64) -> bool,
        each: &mut dyn FnMut(EvidenceSpan) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.pass(
            "SELECT relation_id, id, document_id, sentence_start, sentence_end, rule, confidence, date,
                    date_source, valid_from, valid_until, former
             FROM evidence",
            |row| {
                let relation = row.get(0)?;
                if !wanted(relation) {
                    return Ok(None);
                }
                Ok(Some(EvidenceSpan {
                    id: row.get(1)?,
                    relation,
                    document: row.get(2)?,
                    start: row.get(3)?,
                    end: row.get(4)?,
                    rule: row.get(5)?,
                    confidence: row.get(6)?,
                    date: row.get(7)?,
                    date_source: row.get(8)?,
                    valid_from: row.get(9)?,
                    valid_until: row.get(10)?,
                    former: row.get(11)?,
                }))
            },
            each,
        )
    }

    /// The first piece of evidence of every relation `wanted` accepts, by
    /// its document and then by relation, so a reader quoting them reads
    /// each text once.
    pub fn each_first_evidence(
        &self,
        wanted: &dyn Fn(i64) -> bool,
        each: &mut dyn FnMut(FirstEvidence) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.pass(
            "SELECT f.relation_id, f.document_id, f.sentence_start, f.sentence_end, g.docs, g.dates,
                    g.sources
             FROM (SELECT relation_id, min(id) AS first,
                          group_concat(DISTINCT document_id) AS docs,
                          group_concat(DISTINCT date) AS dates,
                          group_concat(DISTINCT date_source) AS sources
                   FROM evidence GROUP BY relation_id) g
             JOIN evidence f ON f.id = g.first
             ORDER BY f.document_id, f.relation_id",
            |row| {
                let relation = row.get(0)?;
                if !wanted(relation) {
                    return Ok(None);
                }
                Ok(Some(FirstEvidence {
                    relation,
                    document: row.get(1)?,
                    start: row.get(2)?,
                    end: row.get(3)?,
                    documents: row.get(4)?,
                    dates: row.get(5)?,
                    date_sources: row.get(6)?,
                }))
            },
            each,
        )
    }

    /// Every folded name of every entity, canonical names and aliases:
    /// entity id and folded form, lent for the call.
    pub fn each_folded_name(&self, each: &mut dyn FnMut(EntityId, &str)) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, folded FROM entities UNION ALL SELECT entity_id, folded FROM aliases",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(row.get(0)?, row.get_ref(1)?.as_str().unwrap_or_default());
        }
        Ok(())
    }

    /// Every entity whose folded name or one of whose folded aliases holds
    /// `folded` (every entity when it is empty): id, type and canonical
    /// name, lent for the call.
    pub fn each_entity_holding(
        &self,
        folded: &str,
        each: &mut dyn FnMut(EntityId, &str, &str),
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, type, name FROM entities WHERE ?1 = '' OR id IN (
               SELECT id FROM entities WHERE instr(folded, ?1) > 0
               UNION SELECT entity_id FROM aliases WHERE instr(folded, ?1) > 0)",
        )?;
        lend_entity_names(stmt.query([folded])?, each)
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

    /// The title of `document`, if it is stored.
    pub fn document_title(&self, document: DocumentId) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT title FROM documents WHERE id = ?1")?
            .query_row([document], |r| r.get(0))
            .optional()?)
    }
}

/// Lends each row's id, type and name (the first three columns) to
/// `each`.
fn lend_entity_names(
    mut rows: rusqlite::Rows<'_>,
    each: &mut dyn FnMut(EntityId, &str, &str),
) -> Result<(), StoreError> {
    while let Some(row) = rows.next()? {
        each(
            row.get(0)?,
            row.get_ref(1)?.as_str().unwrap_or_default(),
            row.get_ref(2)?.as_str().unwrap_or_default(),
        );
    }
    Ok(())
}
