//! Read queries behind the listing commands.

use super::packed::{self, StoredMention};
use super::{DocumentId, EntityId, Store, StoreError};
use crate::model::EntityType;
use crate::normalize::{Case, key};
use rusqlite::OptionalExtension;
use std::collections::HashMap;

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

/// Mention totals of one entity over all documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Settled mentions.
    pub mentions: i64,
    /// Mentions as one candidate of an ambiguous name.
    pub ambiguous: i64,
    /// Documents mentioning it.
    pub documents: i64,
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

/// The mentions of some entities in the first documents that name them
/// ([`Store::mentions_of_in`]).
#[derive(Debug, Clone)]
pub struct MentionSample {
    /// The mentions, by document path and offset.
    pub rows: Vec<MentionRow>,
    /// The paths of those documents whose stored text is damaged (left out).
    pub damaged: Vec<String>,
    /// The documents that name the entities in all (their `same-as`
    /// groups included), before the sample was cut.
    pub documents: usize,
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
    /// Distinct names found that no gazetteer lists (see
    /// `dossier gazetteer suggest`).
    pub unlisted: i64,
}

/// At most this many documents are given for words that several paths
/// hold ([`Store::documents_matching`]).
pub const MATCHING_SHOWN: usize = 20;

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
        let mut rows = match filter.document {
            None => {
                let mut totals = self.entity_totals()?;
                totals.sort_by_key(|(id, t)| {
                    (
                        std::cmp::Reverse(t.mentions),
                        std::cmp::Reverse(t.ambiguous),
                        *id,
                    )
                });
                let mut info = self
                    .conn()
                    .prepare_cached("SELECT type, name FROM entities WHERE id = ?1")?;
                let mut rows = Vec::new();
                for (id, t) in totals {
                    let Some((kind, name)) = info
                        .query_row([id], |r| Ok((type_at(r, 0)?, r.get::<_, String>(1)?)))
                        .optional()?
                    else {
                        continue;
                    };
                    if filter.kind.is_some_and(|k| k != kind) {
                        continue;
                    }
                    rows.push(EntityRow {
                        id,
                        kind,
                        name,
                        mentions: t.mentions,
                        ambiguous: t.ambiguous,
                        documents: Vec::new(),
                    });
                }
                // Ties in count are ordered by name, then id.
                rows.sort_by(|a, b| {
                    (b.mentions, b.ambiguous, &a.name, a.id).cmp(&(
                        a.mentions,
                        a.ambiguous,
                        &b.name,
                        b.id,
                    ))
                });
                if let Some(limit) = filter.limit {
                    rows.truncate(limit);
                }
                rows
            }
            Some(document) => self.entities_of_document(document, filter)?,
        };
        let paths = self.document_paths()?;
        for row in &mut rows {
            row.documents = match filter.document {
                Some(document) => paths.get(&document).cloned().into_iter().collect(),
                None => {
                    let mut docs: Vec<String> = self
                        .postings(row.id)?
                        .iter()
                        .filter_map(|p| paths.get(&p.document).cloned())
                        .collect();
                    docs.sort();
                    docs
                }
            };
        }
        Ok(rows)
    }

    /// Every mentioned entity with its totals, by id.
    pub fn entity_totals(&self) -> Result<Vec<(EntityId, Totals)>, StoreError> {
        let mut totals: HashMap<EntityId, Totals> = HashMap::new();
        self.each_posting(|p| {
            let t = totals.entry(p.entity).or_default();
            t.mentions += i64::from(p.mentions);
            t.ambiguous += i64::from(p.ambiguous);
            t.documents += 1;
        })?;
        let mut out: Vec<(EntityId, Totals)> = totals.into_iter().collect();
        out.sort_unstable_by_key(|(id, _)| *id);
        Ok(out)
    }

    fn entities_of_document(
        &self,
        document: DocumentId,
        filter: &EntityFilter,
    ) -> Result<Vec<EntityRow>, StoreError> {
        let mentions = self.document_mentions(document)?;
        let mut info = self
            .conn()
            .prepare_cached("SELECT type, name FROM entities WHERE id = ?1")?;
        let mut rows = Vec::new();
        for posting in packed::entity_counts(&mentions) {
            let entity = posting.entity;
            let (kind, name) =
                info.query_row([entity], |r| Ok((type_at(r, 0)?, r.get::<_, String>(1)?)))?;
            if filter.kind.is_some_and(|k| k != kind) {
                continue;
            }
            rows.push(EntityRow {
                id: entity,
                kind,
                name,
                mentions: i64::from(posting.mentions),
                ambiguous: i64::from(posting.ambiguous),
                documents: Vec::new(),
            });
        }
        rows.sort_by(|a, b| {
            (b.mentions, b.ambiguous, &a.name, a.id).cmp(&(a.mentions, a.ambiguous, &b.name, b.id))
        });
        if let Some(limit) = filter.limit {
            rows.truncate(limit);
        }
        Ok(rows)
    }

    /// Calls `each` with every posting (entity, document, mention counts)
    /// of the inverted index, in no particular order: one pass for
    /// whatever needs them all.
    pub fn each_posting(&self, mut each: impl FnMut(&packed::Posting)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT data FROM entity_postings")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let data: Vec<u8> = row.get(0)?;
            for p in packed::decode_postings(&data) {
                each(&p);
            }
        }
        Ok(())
    }

    /// Every document that mentions `entity`, ordered by document id.
    pub fn postings(&self, entity: EntityId) -> Result<Vec<packed::Posting>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT data FROM entity_postings WHERE bucket = ?1")?;
        let mut out = Vec::new();
        let mut rows = stmt.query([packed::bucket(entity)])?;
        while let Some(row) = rows.next()? {
            let data: Vec<u8> = row.get(0)?;
            out.extend(
                packed::decode_postings(&data)
                    .into_iter()
                    .filter(|p| p.entity == entity),
            );
        }
        out.sort_unstable_by_key(|p| p.document);
        Ok(out)
    }

    /// The stored mentions of a document, by start offset.
    pub fn document_mentions(
        &self,
        document: DocumentId,
    ) -> Result<Vec<StoredMention>, StoreError> {
        let data: Option<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT data FROM document_mentions WHERE document_id = ?1")?
            .query_row([document], |r| r.get(0))
            .optional()?;
        Ok(data
            .map(|d| packed::decode_mentions(&d))
            .unwrap_or_default())
    }

    /// Every document's path, by id.
    pub fn document_paths(&self) -> Result<HashMap<DocumentId, String>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, path FROM documents")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The entities a name or alias designates (case-, diacritic- and
    /// punctuation-insensitively), by type then name. An entity of a
    /// `same-as` group is given as its group's node: a name of any member
    /// designates the one node, once.
    pub fn entities_named(&self, name: &str) -> Result<Vec<NamedEntity>, StoreError> {
        let folded = key(name, Case::Fold);
        let mut stmt = self.conn().prepare_cached(
            "SELECT DISTINCT n.id, n.type, n.name FROM (
               SELECT id FROM entities
               WHERE type IN ('person', 'organisation', 'place', 'state') AND folded = ?1
               UNION SELECT entity_id FROM aliases WHERE folded = ?1) named
             LEFT JOIN same_as s ON s.entity_id = named.id
             JOIN entities n ON n.id = coalesce(s.node_id, named.id)
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

    /// Up to `limit` canonical names close to `name`, for a name that
    /// designates nothing: entities sharing a word with it, and entities
    /// whose name or alias is spelled almost the same (Jaro-Winkler ≥ 0.88
    /// on the folded forms, so `Zelenski` finds `Zelensky`). Mentioned
    /// entities come first, most mentioned first.
    ///
    /// Bounded whatever is typed: the name is read up to
    /// [`crate::spelling::SUGGESTION_CHARS`]; the names and aliases are read
    /// in one pass, compared in spelling only when their length allows
    /// (`spelling::similar_lengths`); mentions are counted for the
    /// entities found only, and the spelling tie-break is computed for the
    /// first of them only.
    pub fn similar_names(&self, name: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        use crate::spelling::{SIMILAR_NAME, cut_name, name_similarity, similar_lengths};
        let whole = key(name, Case::Fold);
        let folded = cut_name(&whole);
        let lengths = similar_lengths(folded.chars().count());
        // Rare words say more than common ones (`georgia` more than
        // `republic`): each shared word counts 1 / ln(e + entities using it).
        let mut users: HashMap<&str, Vec<EntityId>> = folded
            .split(' ')
            .filter(|w| w.chars().count() >= 3)
            .map(|w| (w, Vec::new()))
            .collect();
        // Every (entity, one of its folded names, is alias) that shares a
        // whole word with the name, or is spelled almost the same.
        let mut sharing: Vec<(EntityId, String, bool)> = Vec::new();
        let mut spelled: Vec<(EntityId, String, bool)> = Vec::new();
        for (sql, alias) in [
            ("SELECT id, folded FROM entities", false),
            ("SELECT entity_id, folded FROM aliases", true),
        ] {
            let mut stmt = self.conn().prepare_cached(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let id: EntityId = row.get(0)?;
                let candidate: String = row.get(1)?;
                let mut shares = false;
                for word in candidate.split(' ') {
                    if let Some(ids) = users.get_mut(word) {
                        ids.push(id);
                        shares = true;
                    }
                }
                let alike = lengths.contains(&candidate.chars().count())
                    && name_similarity(folded, &candidate) >= SIMILAR_NAME;
                match (shares, alike) {
                    (true, true) => {
                        spelled.push((id, candidate.clone(), alias));
                        sharing.push((id, candidate, alias));
                    }
                    (true, false) => sharing.push((id, candidate, alias)),
                    (false, true) => spelled.push((id, candidate, alias)),
                    (false, false) => {}
                }
            }
        }
        let weights: HashMap<&str, f64> = users
            .into_iter()
            .map(|(word, mut ids)| {
                ids.sort_unstable();
                ids.dedup();
                (word, 1.0 / (std::f64::consts::E + ids.len() as f64).ln())
            })
            .collect();
        let score = |candidate: &str| -> f64 {
            let mut seen: Vec<&str> = Vec::new();
            candidate
                .split(' ')
                .filter(|w| {
                    weights.contains_key(w) && !seen.contains(w) && {
                        seen.push(w);
                        true
                    }
                })
                .map(|w| weights[w])
                .sum()
        };
        let mut found_ids: Vec<EntityId> = sharing.iter().chain(&spelled).map(|r| r.0).collect();
        found_ids.sort_unstable();
        found_ids.dedup();
        let totals = self.mention_totals_of(&found_ids)?;
        // (weight of shared words, mentions, names to compare in spelling)
        // per entity; a name spelled almost the same counts only for a
        // mentioned entity.
        let mut found: HashMap<EntityId, (f64, i64, Vec<String>)> = HashMap::new();
        for (id, candidate, alias) in sharing {
            // A word shared with the canonical name counts a little more.
            let shared = score(&candidate) * if alias { 0.9 } else { 1.0 };
            let mentions = totals.get(&id).copied().unwrap_or(0);
            let entry = found.entry(id).or_insert((shared, mentions, Vec::new()));
            entry.0 = entry.0.max(shared);
            entry.2.push(candidate);
        }
        for (id, candidate, alias) in spelled {
            let Some(&mentions) = totals.get(&id) else {
                continue;
            };
            let shared = score(&candidate) * if alias { 0.9 } else { 1.0 };
            let entry = found.entry(id).or_insert((shared, mentions, Vec::new()));
            entry.0 = entry.0.max(shared);
            entry.2.push(candidate);
        }
        // Mentioned before unmentioned; then the weight of shared words; then
        // how often mentioned; then spelling; then the name. Spelling is
        // compared for the first entities only: enough of them to give
        // `limit` names, and all that tie with the last of those.
        let mut ranked: Vec<(f64, i64, EntityId, Vec<String>)> = found
            .into_iter()
            .map(|(id, (shared, mentions, names))| (shared, mentions, id, names))
            .collect();
        let before_spelling =
            |a: &(f64, i64, EntityId, Vec<String>), b: &(f64, i64, EntityId, Vec<String>)| {
                (b.1 > 0)
                    .cmp(&(a.1 > 0))
                    .then(b.0.total_cmp(&a.0))
                    .then(b.1.cmp(&a.1))
            };
        ranked.sort_by(before_spelling);
        let mut name_of = self
            .conn()
            .prepare_cached("SELECT name FROM entities WHERE id = ?1")?;
        let mut names: HashMap<EntityId, String> = HashMap::new();
        let mut distinct: Vec<String> = Vec::new();
        let mut first = 0;
        while first < ranked.len() && distinct.len() < limit {
            let tied = ranked[first..]
                .iter()
                .take_while(|r| before_spelling(r, &ranked[first]).is_eq())
                .count();
            for r in &ranked[first..first + tied] {
                let name: String = name_of.query_row([r.2], |row| row.get(0))?;
                if !distinct.contains(&name) {
                    distinct.push(name.clone());
                }
                names.insert(r.2, name);
            }
            first += tied;
        }
        let mut best: Vec<(f64, i64, f64, &str)> = ranked[..first]
            .iter()
            .map(|(shared, mentions, id, candidates)| {
                let similarity = candidates
                    .iter()
                    .map(|c| name_similarity(folded, c))
                    .fold(f64::MIN, f64::max);
                (*shared, *mentions, similarity, names[id].as_str())
            })
            .collect();
        best.sort_by(|a, b| {
            (b.1 > 0)
                .cmp(&(a.1 > 0))
                .then(b.0.total_cmp(&a.0))
                .then(b.1.cmp(&a.1))
                .then(b.2.total_cmp(&a.2))
                .then(a.3.cmp(b.3))
        });
        let mut out: Vec<String> = Vec::new();
        for (_, _, _, name) in best {
            if !out.iter().any(|o| o == name) && out.len() < limit {
                out.push(name.to_string());
            }
        }
        Ok(out)
    }

    /// The settled and ambiguous mentions of each of `entities` that has
    /// any (`entities` sorted): read from their buckets of the postings
    /// only, unless they are spread over so many that one pass over all
    /// is cheaper.
    fn mention_totals_of(
        &self,
        entities: &[EntityId],
    ) -> Result<HashMap<EntityId, i64>, StoreError> {
        /// Buckets read one by one before a whole pass is cheaper.
        const BUCKETS_READ_ALONE: usize = 512;
        let mut totals: HashMap<EntityId, i64> = HashMap::new();
        let mut add = |p: &packed::Posting| {
            if entities.binary_search(&p.entity).is_ok() {
                *totals.entry(p.entity).or_default() +=
                    i64::from(p.mentions) + i64::from(p.ambiguous);
            }
        };
        let mut buckets: Vec<i64> = entities.iter().map(|&e| packed::bucket(e)).collect();
        buckets.dedup();
        if buckets.len() > BUCKETS_READ_ALONE {
            self.each_posting(add)?;
            return Ok(totals);
        }
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT data FROM entity_postings WHERE bucket = ?1")?;
        for bucket in buckets {
            let mut rows = stmt.query([bucket])?;
            while let Some(row) = rows.next()? {
                let data: Vec<u8> = row.get(0)?;
                packed::decode_postings(&data).iter().for_each(&mut add);
            }
        }
        Ok(totals)
    }

    /// Every mention of the given entities and of the other members of
    /// their `same-as` groups, by document path and offset, with the line
    /// and the surrounding text; and the paths of the documents left out
    /// because their stored text is damaged.
    pub fn mentions_of(
        &self,
        entities: &[EntityId],
    ) -> Result<(Vec<MentionRow>, Vec<String>), StoreError> {
        let sample = self.mentions_of_in(entities, usize::MAX)?;
        Ok((sample.rows, sample.damaged))
    }

    /// [`Store::mentions_of`] in the first `max_documents` documents (by
    /// id) that mention them: a page shows a bounded sample of an entity
    /// that thousands of documents mention.
    pub fn mentions_of_in(
        &self,
        entities: &[EntityId],
        max_documents: usize,
    ) -> Result<MentionSample, StoreError> {
        let mut info = self
            .conn()
            .prepare_cached("SELECT type, name FROM entities WHERE id = ?1")?;
        let mut names: HashMap<EntityId, (EntityType, String)> = HashMap::new();
        let mut documents: Vec<DocumentId> = Vec::new();
        let mut grouped: Vec<EntityId> = Vec::with_capacity(entities.len());
        for &entity in entities {
            for member in self.group_of(entity)? {
                if !grouped.contains(&member) {
                    grouped.push(member);
                }
            }
        }
        for &entity in &grouped {
            names.insert(
                entity,
                info.query_row([entity], |r| Ok((type_at(r, 0)?, r.get(1)?)))?,
            );
            documents.extend(self.postings(entity)?.iter().map(|p| p.document));
        }
        documents.sort_unstable();
        documents.dedup();
        let in_all = documents.len();
        documents.truncate(max_documents);
        // A bounded sample reads its few paths; the whole list reads them
        // all at once.
        let paths: HashMap<DocumentId, String> = if documents.len() <= 100 {
            let mut paths = HashMap::new();
            for &d in &documents {
                if let Some(path) = self.document_path(d)? {
                    paths.insert(d, path);
                }
            }
            paths
        } else {
            self.document_paths()?
        };
        let mut out = Vec::new();
        let mut damaged = Vec::new();
        for document in documents {
            let text = match self.document_text(document) {
                Ok(text) => text.unwrap_or_default(),
                Err(StoreError::DamagedText { path }) => {
                    damaged.push(path);
                    continue;
                }
                Err(e) => return Err(e),
            };
            let path = paths.get(&document).cloned().unwrap_or_default();
            let mut line = 1;
            let mut counted_to = 0;
            for m in self.document_mentions(document)? {
                let Some((kind, entity)) = names.get(&m.entity) else {
                    continue;
                };
                let (s, e) = (m.start as usize, m.end as usize);
                if e > text.len() || s > e || !text.is_char_boundary(s) || !text.is_char_boundary(e)
                {
                    continue;
                }
                line += line_breaks(&text[counted_to..s]);
                counted_to = s;
                out.push(MentionRow {
                    entity_id: m.entity,
                    kind: *kind,
                    entity: entity.clone(),
                    document: path.clone(),
                    line,
                    start: i64::from(m.start),
                    end: i64::from(m.end),
                    surface: text[s..e].to_string(),
                    before: context_before(&text[..s], 60),
                    after: context_after(
                        &text[e..],
                        60,
                        is_heading(&text[text[..s].rfind('\n').map_or(0, |i| i + 1)..]),
                    ),
                    resolution: match m.resolution {
                        0 => "unique",
                        1 => "context",
                        _ => "ambiguous",
                    },
                });
            }
        }
        out.sort_by(|a, b| {
            (&a.document, a.start, a.entity_id).cmp(&(&b.document, b.start, b.entity_id))
        });
        damaged.sort();
        Ok(MentionSample {
            rows: out,
            damaged,
            documents: in_all,
        })
    }

    /// The path of document `id`.
    pub fn document_path(&self, id: DocumentId) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT path FROM documents WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// The id of the document stored under exactly `path`.
    pub fn document_id(&self, path: &str) -> Result<Option<DocumentId>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM documents WHERE path = ?1")?
            .query_row([path], |r| r.get(0))
            .optional()?)
    }

    /// Every document with its counts, by path.
    pub fn documents(&self) -> Result<Vec<DocumentRow>, StoreError> {
        let mut stmt = self.conn().prepare(&format!(
            "{DOCUMENT_ROW} FROM documents d LEFT JOIN document_mentions m ON m.document_id = d.id
             ORDER BY d.path"
        ))?;
        let rows = stmt.query_map([], document_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One document with its counts.
    pub fn document(&self, id: DocumentId) -> Result<Option<DocumentRow>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "{DOCUMENT_ROW} FROM documents d LEFT JOIN document_mentions m ON m.document_id = d.id
                 WHERE d.id = ?1"
            ))?
            .query_row([id], document_row)
            .optional()?)
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
        let mut stmt = self.conn().prepare(&format!(
            "SELECT id, path FROM documents WHERE instr(path, ?1) > 0 ORDER BY path LIMIT {MATCHING_SHOWN}"
        ))?;
        let rows = stmt.query_map([what], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many relations and pieces of evidence are stored (what an export
    /// of the whole graph will write).
    pub fn relation_and_evidence_counts(&self) -> Result<(u64, u64), StoreError> {
        Ok(self.conn().query_row(
            "SELECT (SELECT count(*) FROM relations), (SELECT count(*) FROM evidence)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Counts of what the database holds: documents, entities mentioned,
    /// mentions.
    pub fn totals(&self) -> Result<(i64, i64, i64), StoreError> {
        Ok(self.conn().query_row(
            "SELECT (SELECT count(*) FROM documents),
                    (SELECT coalesce(sum(entities), 0) FROM document_mentions),
                    (SELECT coalesce(sum(mentions), 0) FROM document_mentions)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }
}

/// The columns [`document_row`] reads.
const DOCUMENT_ROW: &str = "SELECT d.id, d.path, d.title, d.size, d.encoding, d.ingested_at,
    coalesce(m.mentions, 0), coalesce(m.entities, 0), coalesce(m.unlisted, 0)";

/// A [`DocumentRow`] from the columns of [`DOCUMENT_ROW`].
fn document_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentRow> {
    Ok(DocumentRow {
        id: row.get(0)?,
        path: row.get(1)?,
        title: row.get(2)?,
        size: row.get(3)?,
        encoding: row.get(4)?,
        ingested_at: row.get(5)?,
        mentions: row.get(6)?,
        entities: row.get(7)?,
        unlisted: row.get(8)?,
    })
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

/// The end of `text`, at most `chars` characters, within the paragraph and
/// the list item or heading (see [`starts_block`]), with white space runs
/// folded to one space.
fn context_before(text: &str, chars: usize) -> String {
    // Only the last few hundred bytes are looked at, so a long document with
    // many mentions costs time in proportion to its mentions, not more.
    let text = &text[text.floor_char_boundary(text.len().saturating_sub(chars * 4))..];
    // Back line by line from the mention's own, while the line reached does
    // not start a block and the one before it is not blank.
    let mut from = text.rfind('\n').map_or(0, |i| i + 1);
    while from > 0 && !starts_block(&text[from..]) {
        let previous_start = text[..from - 1].rfind('\n').map_or(0, |i| i + 1);
        let previous = &text[previous_start..from];
        if previous.trim().is_empty() || is_heading(previous) {
            break;
        }
        from = previous_start;
    }
    let block = text[from..].trim_start_matches([' ', '\t']);
    let start = block
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    fold_space(&block[start..])
}

/// The start of `text`, at most `chars` characters, within the paragraph
/// and the list item or heading, white space folded. `in_heading`: the
/// mention's line is a heading, which does not run on.
fn context_after(text: &str, chars: usize, in_heading: bool) -> String {
    let text = &text[..text.floor_char_boundary(chars * 4)];
    // On line by line from the mention's own, until a blank line or one
    // that starts a block.
    let mut end = text.find('\n').unwrap_or(text.len());
    while end < text.len() && !in_heading {
        let next = &text[end + 1..];
        let line = next.split('\n').next().unwrap_or(next);
        if line.trim().is_empty() || starts_block(next) {
            break;
        }
        end += 1 + line.len();
    }
    let block = &text[..end];
    let end = block
        .char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(block.len());
    fold_space(&block[..end])
}

/// Whether a line is a Markdown heading, which never wraps onto the next.
fn is_heading(line: &str) -> bool {
    line.trim_start_matches([' ', '\t']).starts_with('#')
}

/// Whether a line starts a block of its own, which a mention's context
/// does not run into: a list item (by the bullets the sentence splitter
/// knows, `relations::sentence::bullet_end`, and Markdown's `+`) or a
/// Markdown heading. Other lines are the same sentence wrapped.
fn starts_block(line: &str) -> bool {
    let line = line.trim_start_matches([' ', '\t']);
    let line = line.split('\n').next().unwrap_or(line);
    !line.is_empty()
        && (is_heading(line)
            || line.starts_with("+ ")
            || crate::relations::sentence::bullet_end(line, 0, line.len()).is_some())
}

/// The 1-based line of byte `offset` in `text`, counting line breaks as
/// the mentions listing does.
pub fn line_at(text: &str, offset: usize) -> usize {
    line_breaks(&text[..text.floor_char_boundary(offset)]) + 1
}

/// Line breaks in `text`: `\n`, `\r\n`, and a `\r` alone (old Mac files).
fn line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    let lone_cr = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr
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
        let mut mentions = self.document_mentions(document)?;
        mentions.sort_by_key(|m| (m.entity, m.start));
        let mut out: Vec<FoundEntity> = Vec::new();
        for m in mentions {
            if out.last().map(|e| e.id) != Some(m.entity) {
                let (kind, name, names) = self.entity_names(m.entity)?;
                out.push(FoundEntity {
                    id: m.entity,
                    kind,
                    name,
                    names,
                    only_ambiguous: true,
                });
            }
            let entity = out.last_mut().expect("pushed above");
            entity.only_ambiguous &= !m.settled();
            if let Some(surface) = text.get(m.start as usize..m.end as usize)
                && !entity.names.iter().any(|n| n == surface)
            {
                entity.names.push(surface.to_string());
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_breaks_of_every_convention() {
        for (text, want) in [
            ("a\nb\nc", 2),
            ("a\r\nb\r\nc", 2),
            ("a\rb\rc", 2),
            ("abc", 0),
            ("a\r", 1),
        ] {
            assert_eq!(super::line_breaks(text), want, "{text:?}");
        }
    }

    /// A mention's context runs over wrapped lines of its sentence, not
    /// into the next list item, heading or paragraph. (text with the
    /// mention as `[M]`, context before, context after)
    #[test]
    fn context_stays_in_its_block() {
        let cases = [
            (
                "a wrapped\nline with [M] in\nit goes on",
                "a wrapped line with ",
                " in it goes on",
            ),
            (
                "- first item\n- second [M] item\n- third",
                "- second ",
                " item",
            ),
            ("1. one\n2. [M] two\n3) three", "2. ", " two"),
            (
                "# Heading\nbody with [M]\n\nnext paragraph",
                "body with ",
                "",
            ),
            ("## On [M]\nbody text", "## On ", ""),
            (
                "Signed by:\n  * [M], Vilnius\n  * Another",
                "* ",
                ", Vilnius",
            ),
            ("no break [M] at all", "no break ", " at all"),
        ];
        for (text, before, after) in cases {
            let at = text.find("[M]").unwrap();
            assert_eq!(super::context_before(&text[..at], 60), before, "{text:?}");
            let line = &text[text[..at].rfind('\n').map_or(0, |i| i + 1)..];
            let in_heading = super::is_heading(line);
            assert_eq!(
                super::context_after(&text[at + 3..], 60, in_heading),
                after,
                "{text:?}"
            );
        }
        assert!(super::starts_block("12) x") && !super::starts_block("1950 was"));
    }
}

/// One piece of evidence for a relation, as stored.
#[derive(Debug, Clone)]
pub struct EvidenceRecord {
    /// The relation it supports.
    pub relation: i64,
    /// The relation kind.
    pub kind: String,
    /// The subject.
    pub subject: EntityId,
    /// The object, when it is an entity.
    pub object_entity: Option<EntityId>,
    /// The object, when it is a document (`signed`).
    pub object_document: Option<DocumentId>,
    /// The document the evidence is in.
    pub document: DocumentId,
    /// Byte span of the sentence (or signatory entry) in the document.
    pub sentence: std::ops::Range<usize>,
    /// Byte span of the words naming the subject.
    pub subject_span: std::ops::Range<usize>,
    /// Byte span of the words naming the object, if an entity.
    pub object_span: Option<std::ops::Range<usize>>,
    /// The rule that found it.
    pub rule: String,
    /// The rule's confidence.
    pub confidence: f64,
    /// The date the text gives (ISO 8601), if any.
    pub date: Option<String>,
    /// Where the text gives it (`sentence`, `paragraph`, `dateline`,
    /// `letter`, `document`); `None` without a date, and for evidence
    /// stored before sources were (until reindexed).
    pub date_source: Option<String>,
    /// Since when the relation held, as this evidence says (ISO 8601).
    pub valid_from: Option<String>,
    /// Until when it held, as this evidence says (ISO 8601).
    pub valid_until: Option<String>,
    /// Whether this evidence calls it a former role.
    pub former: bool,
}

/// What a relation points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationObject {
    /// An entity.
    Entity(EntityId),
    /// A document.
    Document(DocumentId),
}

const EVIDENCE_COLUMNS: &str = "e.relation_id, r.kind, r.subject_id, r.object_entity_id,
     r.object_document_id, e.document_id, e.sentence_start, e.sentence_end, e.subject_start,
     e.subject_end, e.object_start, e.object_end, e.rule, e.confidence, e.date, e.date_source,
     e.valid_from, e.valid_until, e.former";

fn evidence_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EvidenceRecord> {
    let span = |a: usize, b: usize| -> rusqlite::Result<std::ops::Range<usize>> {
        Ok(r.get::<_, i64>(a)? as usize..r.get::<_, i64>(b)? as usize)
    };
    let object_start: Option<i64> = r.get(10)?;
    let object_end: Option<i64> = r.get(11)?;
    Ok(EvidenceRecord {
        relation: r.get(0)?,
        kind: r.get(1)?,
        subject: r.get(2)?,
        object_entity: r.get(3)?,
        object_document: r.get(4)?,
        document: r.get(5)?,
        sentence: span(6, 7)?,
        subject_span: span(8, 9)?,
        object_span: object_start
            .zip(object_end)
            .map(|(a, b)| a as usize..b as usize),
        rule: r.get(12)?,
        confidence: r.get(13)?,
        date: r.get(14)?,
        date_source: r.get(15)?,
        valid_from: r.get(16)?,
        valid_until: r.get(17)?,
        former: r.get(18)?,
    })
}

impl Store {
    /// Every piece of evidence found in `document`, in text order.
    pub fn evidence_in(&self, document: DocumentId) -> Result<Vec<EvidenceRecord>, StoreError> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence e JOIN relations r ON r.id = e.relation_id
             WHERE e.document_id = ?1 ORDER BY e.sentence_start, e.id"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([document], evidence_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The evidence of the relations of `subject` (any subject when
    /// `None`) of `kinds` (any when empty) to `object` (any when `None`),
    /// by kind, document and place. At least one end must be given.
    pub fn evidence_of(
        &self,
        subject: Option<EntityId>,
        kinds: &[String],
        object: Option<RelationObject>,
    ) -> Result<Vec<EvidenceRecord>, StoreError> {
        // The subject's and the object's `same-as` groups stand for them.
        let objects = match object {
            Some(RelationObject::Entity(id)) => self.group_of(id)?,
            _ => Vec::new(),
        };
        let (end, ids) = match (subject, object) {
            (Some(subject), _) => ("r.subject_id", self.group_of(subject)?),
            (None, Some(RelationObject::Entity(_))) => ("r.object_entity_id", objects.clone()),
            (None, Some(RelationObject::Document(id))) => ("r.object_document_id", vec![id]),
            (None, None) => return Ok(Vec::new()),
        };
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence e JOIN relations r ON r.id = e.relation_id
             WHERE {end} IN (SELECT value FROM json_each(?1))
             ORDER BY r.kind, e.document_id, e.sentence_start, e.id"
        );
        let ids = serde_json::to_string(&ids).unwrap_or_default();
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([ids], evidence_row)?;
        let mut out: Vec<EvidenceRecord> = rows.collect::<Result<_, _>>()?;
        out.retain(|e| {
            let kind_ok = kinds.is_empty() || kinds.contains(&e.kind);
            let object_ok = match object {
                None => true,
                Some(RelationObject::Entity(_)) => {
                    e.object_entity.is_some_and(|o| objects.contains(&o))
                }
                Some(RelationObject::Document(id)) => e.object_document == Some(id),
            };
            kind_ok && object_ok
        });
        Ok(out)
    }

    /// Every piece of evidence of a relation, in the order stored.
    pub fn evidence_of_relation(&self, relation: i64) -> Result<Vec<EvidenceRecord>, StoreError> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence e JOIN relations r ON r.id = e.relation_id
             WHERE e.relation_id = ?1 ORDER BY e.id"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([relation], evidence_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The type, canonical name and every name of an entity.
    pub fn entity_names(
        &self,
        id: EntityId,
    ) -> Result<(EntityType, String, Vec<String>), StoreError> {
        let (kind, name) = self
            .conn()
            .prepare_cached("SELECT type, name FROM entities WHERE id = ?1")?
            .query_row([id], |r| Ok((type_at(r, 0)?, r.get::<_, String>(1)?)))?;
        let mut names = vec![name.clone()];
        let mut aliases = self
            .conn()
            .prepare_cached("SELECT alias FROM aliases WHERE entity_id = ?1")?;
        names.extend(
            aliases
                .query_map([id], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?,
        );
        Ok((kind, name, names))
    }

    /// The relation kinds stored, in order.
    pub fn relation_kinds(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare("SELECT DISTINCT kind FROM relations ORDER BY kind")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
