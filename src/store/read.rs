//! Read queries behind the listing commands.

use super::{DocumentId, EntityId, Store, StoreError};
use crate::model::EntityType;
use crate::normalize::{Case, key};
use rusqlite::{OptionalExtension, params};

/// An entity with its mention counts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EntityRow {
    /// Database id.
    pub id: EntityId,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Canonical name.
    pub name: String,
    /// Mentions whose entity is settled (unique or resolved by context).
    pub mentions: i64,
    /// Mentions where it is one candidate of an unresolved ambiguous name.
    pub ambiguous: i64,
    /// Paths of the documents that mention it, sorted.
    pub documents: Vec<String>,
}

/// Which entities to list.
#[derive(Debug, Clone, Default)]
pub struct EntityFilter {
    /// Only this type.
    pub kind: Option<EntityType>,
    /// Only mentions in this document.
    pub document: Option<DocumentId>,
    /// At most this many rows.
    pub limit: Option<usize>,
}

/// One mention with its place and surroundings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MentionRow {
    /// The entity's database id.
    pub entity_id: EntityId,
    /// The entity's type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// The entity's canonical name.
    pub entity: String,
    /// The document's path.
    pub document: String,
    /// 1-based line of the mention's start.
    pub line: usize,
    /// Byte offset of the start in the document text.
    pub start: i64,
    /// Byte offset just past the end.
    pub end: i64,
    /// The text as written.
    pub surface: String,
    /// Up to 60 characters before, on the same paragraph.
    pub before: String,
    /// Up to 60 characters after.
    pub after: String,
    /// `unique`, `context` or `ambiguous`.
    pub resolution: &'static str,
}

/// A stored document with its counts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocumentRow {
    /// Database id.
    pub id: DocumentId,
    /// Path (identity).
    pub path: String,
    /// Title.
    pub title: String,
    /// Size of the original file in bytes.
    pub size: i64,
    /// What it was decoded as.
    pub encoding: String,
    /// When it was ingested (UTC).
    pub ingested_at: String,
    /// Settled mentions.
    pub mentions: i64,
    /// Distinct entities mentioned.
    pub entities: i64,
}

/// A name's lookup result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedEntity {
    /// Database id.
    pub id: EntityId,
    /// Type.
    pub kind: EntityType,
    /// Canonical name.
    pub name: String,
}

impl Store {
    /// Entities with their mention counts, most mentioned first.
    pub fn entities(&self, filter: &EntityFilter) -> Result<Vec<EntityRow>, StoreError> {
        let mut sql = String::from(
            "SELECT e.id, e.type, e.name,
                    sum(m.resolution <= 1) AS settled, sum(m.resolution > 1) AS ambiguous
             FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE 1",
        );
        if filter.kind.is_some() {
            sql.push_str(" AND e.type = ?1");
        }
        if filter.document.is_some() {
            sql.push_str(" AND m.document_id = ?2");
        }
        sql.push_str(" GROUP BY e.id ORDER BY settled DESC, ambiguous DESC, e.name, e.id");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn().prepare(&sql)?;
        let kind = filter.kind.map(|k| k.as_str());
        let mut rows = Vec::new();
        let mut query = stmt.query(params![kind, filter.document])?;
        while let Some(row) = query.next()? {
            rows.push(EntityRow {
                id: row.get(0)?,
                kind: type_at(row, 1)?,
                name: row.get(2)?,
                mentions: row.get(3)?,
                ambiguous: row.get(4)?,
                documents: Vec::new(),
            });
        }
        let mut docs = self.conn().prepare_cached(
            "SELECT DISTINCT d.path FROM mentions m JOIN documents d ON d.id = m.document_id
             WHERE m.entity_id = ?1 AND (?2 IS NULL OR m.document_id = ?2) ORDER BY d.path",
        )?;
        for row in &mut rows {
            row.documents = docs
                .query_map(params![row.id, filter.document], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
        }
        Ok(rows)
    }

    /// The entities a name or alias designates (case-, diacritic- and
    /// punctuation-insensitively), by type then name.
    pub fn entities_named(&self, name: &str) -> Result<Vec<NamedEntity>, StoreError> {
        let folded = key(name, Case::Fold);
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, type, name FROM entities WHERE folded = ?1
             UNION SELECT e.id, e.type, e.name FROM aliases a JOIN entities e ON e.id = a.entity_id WHERE a.folded = ?1
             ORDER BY 2, 3",
        )?;
        let mut out = Vec::new();
        let mut rows = stmt.query([folded])?;
        while let Some(row) = rows.next()? {
            out.push(NamedEntity {
                id: row.get(0)?,
                kind: type_at(row, 1)?,
                name: row.get(2)?,
            });
        }
        Ok(out)
    }

    /// Up to `limit` canonical names that share a word with `name`, most
    /// mentioned first: suggestions for a name that designates nothing.
    pub fn similar_names(&self, name: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let folded = key(name, Case::Fold);
        let mut words: Vec<&str> = folded
            .split(' ')
            .filter(|w| w.chars().count() >= 3)
            .collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let mut out: Vec<String> = Vec::new();
        let mut stmt = self.conn().prepare_cached(
            "SELECT e.name FROM entities e
             WHERE e.folded LIKE '%' || ?1 || '%' ESCAPE '\\'
             ORDER BY (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) DESC, e.name LIMIT ?2",
        )?;
        for word in words {
            let pattern = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            for name in stmt.query_map(params![pattern, limit as i64], |r| r.get::<_, String>(0))? {
                let name = name?;
                if !out.contains(&name) && out.len() < limit {
                    out.push(name);
                }
            }
        }
        Ok(out)
    }

    /// Every mention of the given entities, by document path and offset,
    /// with the line and the surrounding text.
    pub fn mentions_of(&self, entities: &[EntityId]) -> Result<Vec<MentionRow>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.entity_id, e.type, e.name, d.id, d.path, m.start, m.end, m.resolution
             FROM mentions m JOIN entities e ON e.id = m.entity_id JOIN documents d ON d.id = m.document_id
             WHERE m.entity_id = ?1",
        )?;
        let mut raw = Vec::new();
        for &entity in entities {
            let mut rows = stmt.query([entity])?;
            while let Some(row) = rows.next()? {
                raw.push((
                    row.get::<_, EntityId>(0)?,
                    type_at(row, 1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, DocumentId>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, i64>(6)?,
                    row.get::<_, i64>(7)?,
                ));
            }
        }
        raw.sort_by(|a, b| (&a.4, a.5, a.0).cmp(&(&b.4, b.5, b.0)));
        let mut out = Vec::with_capacity(raw.len());
        let mut cached: Option<(DocumentId, String)> = None;
        for (entity_id, kind, entity, doc_id, path, start, end, resolution) in raw {
            if cached.as_ref().map(|c| c.0) != Some(doc_id) {
                let text = self.document_text(doc_id)?.unwrap_or_default();
                cached = Some((doc_id, text));
            }
            let text = &cached.as_ref().expect("just set").1;
            let (s, e) = (start as usize, end as usize);
            if e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
                continue;
            }
            out.push(MentionRow {
                entity_id,
                kind,
                entity,
                document: path,
                line: text[..s].bytes().filter(|&b| b == b'\n').count() + 1,
                start,
                end,
                surface: text[s..e].to_string(),
                before: context_before(&text[..s], 60),
                after: context_after(&text[e..], 60),
                resolution: match resolution {
                    0 => "unique",
                    1 => "context",
                    _ => "ambiguous",
                },
            });
        }
        Ok(out)
    }

    /// Every document with its counts, by path.
    pub fn documents(&self) -> Result<Vec<DocumentRow>, StoreError> {
        let mut stmt = self.conn().prepare(
            "SELECT d.id, d.path, d.title, d.size, d.encoding, d.ingested_at,
                    (SELECT count(*) FROM mentions m WHERE m.document_id = d.id AND m.resolution <= 1),
                    (SELECT count(DISTINCT m.entity_id) FROM mentions m WHERE m.document_id = d.id)
             FROM documents d ORDER BY d.path",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(DocumentRow {
                id: row.get(0)?,
                path: row.get(1)?,
                title: row.get(2)?,
                size: row.get(3)?,
                encoding: row.get(4)?,
                ingested_at: row.get(5)?,
                mentions: row.get(6)?,
                entities: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The documents a user's words designate: an exact path, an id, or a
    /// path ending with or containing the words. Several when it is unclear.
    pub fn documents_matching(&self, what: &str) -> Result<Vec<(DocumentId, String)>, StoreError> {
        let exact: Option<(DocumentId, String)> = self
            .conn()
            .query_row(
                "SELECT id, path FROM documents WHERE path = ?1 OR CAST(id AS TEXT) = ?1",
                [what],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some(found) = exact {
            return Ok(vec![found]);
        }
        let mut stmt = self.conn().prepare(
            "SELECT id, path FROM documents WHERE instr(path, ?1) > 0 ORDER BY path LIMIT 20",
        )?;
        let rows = stmt.query_map([what], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Counts of what the database holds: documents, entities mentioned,
    /// mentions.
    pub fn totals(&self) -> Result<(i64, i64, i64), StoreError> {
        Ok(self.conn().query_row(
            "SELECT (SELECT count(*) FROM documents),
                    (SELECT count(DISTINCT entity_id) FROM mentions),
                    (SELECT count(*) FROM mentions WHERE resolution <= 1)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }
}

/// Reads an entity type from column `index`.
pub(crate) fn type_at(
    row: &rusqlite::Row<'_>,
    index: usize,
) -> Result<EntityType, rusqlite::Error> {
    let text: String = row.get(index)?;
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The end of `text`, at most `chars` characters, within the paragraph,
/// with white space runs folded to one space.
fn context_before(text: &str, chars: usize) -> String {
    let paragraph = text.rsplit("\n\n").next().unwrap_or(text);
    let start = paragraph
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    fold_space(&paragraph[start..])
}

fn context_after(text: &str, chars: usize) -> String {
    let paragraph = text.split("\n\n").next().unwrap_or(text);
    let end = paragraph
        .char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(paragraph.len());
    fold_space(&paragraph[..end])
}

fn fold_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// An entity as found in one document, with every name it goes by.
#[derive(Debug, Clone)]
pub struct FoundEntity {
    /// Database id.
    pub id: EntityId,
    /// Type.
    pub kind: EntityType,
    /// Canonical name.
    pub name: String,
    /// Canonical name, aliases and the surfaces written in the document.
    pub names: Vec<String>,
    /// Whether every mention of it in the document is an unresolved
    /// ambiguous candidate.
    pub only_ambiguous: bool,
}

impl Store {
    /// The entities mentioned in a document (ambiguous candidates included).
    pub fn entities_in(&self, document: DocumentId) -> Result<Vec<FoundEntity>, StoreError> {
        let text = self.document_text(document)?.unwrap_or_default();
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.entity_id, e.type, e.name, m.start, m.end, m.resolution
             FROM mentions m JOIN entities e ON e.id = m.entity_id
             WHERE m.document_id = ?1 ORDER BY m.entity_id, m.start",
        )?;
        let mut aliases = self
            .conn()
            .prepare_cached("SELECT alias FROM aliases WHERE entity_id = ?1")?;
        let mut out: Vec<FoundEntity> = Vec::new();
        let mut rows = stmt.query([document])?;
        while let Some(row) = rows.next()? {
            let id: EntityId = row.get(0)?;
            let (start, end): (usize, usize) = (row.get(3)?, row.get(4)?);
            let ambiguous = row.get::<_, i64>(5)? > 1;
            if out.last().map(|e| e.id) != Some(id) {
                let name: String = row.get(2)?;
                let mut names = vec![name.clone()];
                names.extend(
                    aliases
                        .query_map([id], |r| r.get::<_, String>(0))?
                        .collect::<Result<Vec<_>, _>>()?,
                );
                out.push(FoundEntity {
                    id,
                    kind: type_at(row, 1)?,
                    name,
                    names,
                    only_ambiguous: true,
                });
            }
            let entity = out.last_mut().expect("pushed above");
            entity.only_ambiguous &= ambiguous;
            if let Some(surface) = text.get(start..end)
                && !entity.names.iter().any(|n| n == surface)
            {
                entity.names.push(surface.to_string());
            }
        }
        Ok(out)
    }
}
