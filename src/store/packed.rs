//! The packed layouts of mentions and postings.
//!
//! Why packed: the benchmark corpus has about 1.1M mentions per 100 MB.
//! Written as one SQLite row each they cost 1.8 s per million with foreign
//! keys checked, 0.57 s without, and an index by entity 0.34 s more (sqlite3
//! shell, this machine): far more than reading and matching the text. One
//! blob per document and one posting chunk per entity per batch make the
//! rows written scale with documents and distinct entities instead.
//!
//! Layouts, all little-endian `u32`:
//! - a document's mentions: `(start, end, entity_id, resolution)` records,
//!   ordered by start then entity;
//! - a posting chunk: `(entity_id, document_id, settled mentions,
//!   ambiguous mentions)` records, ordered by entity then document. A chunk
//!   holds the entities of one bucket ([`bucket`]: 64 consecutive ids) for
//!   one ingest batch; one row per entity cost 0.5 s per 100 MB of corpus
//!   (138k rows), one per bucket a few thousand rows.
//!
//! Decoding ignores a trailing partial record, so a damaged blob yields
//! what it holds and never panics.

use super::{DocumentId, EntityId};

/// One stored mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredMention {
    /// Byte offset of the start in the document text.
    pub start: u32,
    /// Byte offset just past the end.
    pub end: u32,
    /// Database id of the entity.
    pub entity: EntityId,
    /// 0 unique, 1 resolved by context, N > 1 one of N candidates.
    pub resolution: u32,
}

impl StoredMention {
    /// Whether the entity of this mention is settled (not one of several
    /// candidates).
    pub fn settled(&self) -> bool {
        self.resolution <= 1
    }
}

/// The bucket of an entity's postings: entities `64 b .. 64 b + 63` share
/// bucket `b`.
pub fn bucket(entity: EntityId) -> i64 {
    entity >> 6
}

/// One (entity, document) pair of the postings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    /// The entity.
    pub entity: EntityId,
    /// The document.
    pub document: DocumentId,
    /// Settled mentions of the entity in it.
    pub mentions: u32,
    /// Ambiguous mentions where the entity is a candidate.
    pub ambiguous: u32,
}

/// Packs mentions.
pub fn encode_mentions(mentions: &[StoredMention]) -> Vec<u8> {
    let mut out = Vec::with_capacity(mentions.len() * 16);
    for m in mentions {
        for v in [m.start, m.end, m.entity as u32, m.resolution] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}

/// Unpacks mentions.
pub fn decode_mentions(data: &[u8]) -> Vec<StoredMention> {
    data.chunks_exact(16)
        .map(|r| StoredMention {
            start: u32_at(r, 0),
            end: u32_at(r, 4),
            entity: EntityId::from(u32_at(r, 8)),
            resolution: u32_at(r, 12),
        })
        .collect()
}

/// Packs postings.
pub fn encode_postings(postings: &[Posting]) -> Vec<u8> {
    let mut out = Vec::with_capacity(postings.len() * 16);
    for p in postings {
        for v in [p.entity as u32, p.document as u32, p.mentions, p.ambiguous] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}

/// Unpacks postings.
pub fn decode_postings(data: &[u8]) -> Vec<Posting> {
    data.chunks_exact(16)
        .map(|r| Posting {
            entity: EntityId::from(u32_at(r, 0)),
            document: DocumentId::from(u32_at(r, 4)),
            mentions: u32_at(r, 8),
            ambiguous: u32_at(r, 12),
        })
        .collect()
}

/// An entity's mentions in one document: its posting, less the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntityCount {
    /// The entity.
    pub entity: EntityId,
    /// Settled mentions of it.
    pub mentions: u32,
    /// Ambiguous mentions where it is a candidate.
    pub ambiguous: u32,
}

impl EntityCount {
    /// Its posting in `document`.
    pub fn posting(self, document: DocumentId) -> Posting {
        Posting {
            entity: self.entity,
            document,
            mentions: self.mentions,
            ambiguous: self.ambiguous,
        }
    }
}

/// A document's mentions as the store writes them. Making this is pure, so
/// ingest does it on its workers and the writer only copies it in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackedMentions {
    /// The mention records ([`encode_mentions`]).
    pub data: Vec<u8>,
    /// Settled mentions (resolution 0 or 1).
    pub settled: u32,
    /// Unresolved candidate records.
    pub ambiguous: u32,
    /// One per entity mentioned, in entity order.
    pub entities: Vec<EntityCount>,
}

impl PackedMentions {
    /// Packs `mentions`.
    pub fn new(mentions: &[StoredMention]) -> PackedMentions {
        let settled = mentions.iter().filter(|m| m.settled()).count() as u32;
        PackedMentions {
            data: encode_mentions(mentions),
            settled,
            ambiguous: mentions.len() as u32 - settled,
            entities: entity_counts(mentions),
        }
    }
}

/// The mentions of each entity, one per entity, in entity order.
pub fn entity_counts(mentions: &[StoredMention]) -> Vec<EntityCount> {
    let mut by_entity: Vec<(EntityId, bool)> =
        mentions.iter().map(|m| (m.entity, m.settled())).collect();
    by_entity.sort_unstable_by_key(|&(e, _)| e);
    let mut out: Vec<EntityCount> = Vec::new();
    for (entity, settled) in by_entity {
        if out.last().map(|c| c.entity) != Some(entity) {
            out.push(EntityCount {
                entity,
                mentions: 0,
                ambiguous: 0,
            });
        }
        let count = out.last_mut().expect("pushed above");
        if settled {
            count.mentions += 1;
        } else {
            count.ambiguous += 1;
        }
    }
    out
}

fn u32_at(record: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(record[at..at + 4].try_into().expect("4 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_tolerates_damage() {
        let mentions = vec![
            StoredMention {
                start: 0,
                end: 6,
                entity: 7,
                resolution: 0,
            },
            StoredMention {
                start: 10,
                end: 17,
                entity: 8,
                resolution: 2,
            },
            StoredMention {
                start: 10,
                end: 17,
                entity: 7,
                resolution: 2,
            },
        ];
        let data = encode_mentions(&mentions);
        assert_eq!(decode_mentions(&data), mentions);
        assert_eq!(decode_mentions(&data[..data.len() - 3]), mentions[..2]);
        let postings: Vec<Posting> = entity_counts(&mentions)
            .into_iter()
            .map(|c| c.posting(5))
            .collect();
        assert_eq!(
            postings,
            [
                Posting {
                    entity: 7,
                    document: 5,
                    mentions: 1,
                    ambiguous: 1
                },
                Posting {
                    entity: 8,
                    document: 5,
                    mentions: 0,
                    ambiguous: 1
                }
            ]
        );
        assert_eq!(decode_postings(&encode_postings(&postings)), postings);
        assert_eq!((bucket(63), bucket(64)), (0, 1));
    }
}
