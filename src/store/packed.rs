//! The packed layouts of mentions and postings.
//!
//! Why packed: the benchmark corpus has about 1.1M mentions per 100 MB.
//! Written as one SQLite row each they cost 1.8 s per million with foreign
//! keys checked, 0.57 s without, and an index by entity 0.34 s more (sqlite3
//! shell, this machine): far more than reading and matching the text. One
//! blob per document and one posting chunk per entity per batch make the
//! rows written scale with documents and distinct entities instead.
//!
//! Layouts (schema version 3 on), each field a LEB128 varint
//! ([`integer_encoding::VarInt`]: 7 bits a byte, low bits first; "signed"
//! fields zigzag-encoded), each number the difference from the record
//! before (from 0 for the first):
//! - a document's mentions, ordered by start then entity: `(start - previous
//!   start, end - start, entity_id, resolution)`;
//! - a posting chunk, ordered by entity then document: `(entity_id -
//!   previous entity_id, document_id - previous document_id (signed),
//!   settled mentions, ambiguous mentions)`. A chunk holds the entities of
//!   one bucket ([`bucket`]: 64 consecutive ids) for one ingest batch; one
//!   row per entity cost 0.5 s per 100 MB of corpus (138k rows), one per
//!   bucket a few thousand rows.
//!
//! Versions 1 and 2 stored each field as a little-endian `u32` (16 bytes a
//! record); the differences take 6–7 bytes a mention and about 5 a
//! posting, and every byte written is a byte SQLite logs and then copies
//! (see `schema` for the migration).
//!
//! Decoding stops at a partial or impossible record, so a damaged blob
//! yields what it holds before the damage and never panics.

use super::{DocumentId, EntityId};
use integer_encoding::VarInt;
use std::borrow::Cow;

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

/// Packs mentions (sorted by start then entity first, if they are not).
pub fn encode_mentions(mentions: &[StoredMention]) -> Vec<u8> {
    let mentions = in_order(mentions, |m| (m.start, m.entity));
    let mut out = Vec::with_capacity(mentions.len() * 8);
    let mut start = 0;
    for m in mentions.iter() {
        put(&mut out, m.start - start);
        put(&mut out, m.end.saturating_sub(m.start));
        put(&mut out, m.entity as u64);
        put(&mut out, m.resolution);
        start = m.start;
    }
    out
}

/// Unpacks mentions.
pub fn decode_mentions(data: &[u8]) -> Vec<StoredMention> {
    let mut fields = Varints(data);
    let mut start: u32 = 0;
    std::iter::from_fn(|| {
        let gap: u32 = fields.next()?;
        let length: u32 = fields.next()?;
        let entity: u64 = fields.next()?;
        let resolution = fields.next()?;
        start = start.checked_add(gap)?;
        Some(StoredMention {
            start,
            end: start.checked_add(length)?,
            entity: EntityId::try_from(entity).ok()?,
            resolution,
        })
    })
    .collect()
}

/// Packs postings (sorted by entity then document first, if they are not).
pub fn encode_postings(postings: &[Posting]) -> Vec<u8> {
    let postings = in_order(postings, |p| (p.entity, p.document));
    let mut out = Vec::with_capacity(postings.len() * 6);
    let (mut entity, mut document) = (0, 0);
    for p in postings.iter() {
        put(&mut out, (p.entity - entity) as u64);
        put(&mut out, p.document - document);
        put(&mut out, p.mentions);
        put(&mut out, p.ambiguous);
        (entity, document) = (p.entity, p.document);
    }
    out
}

/// Unpacks postings.
pub fn decode_postings(data: &[u8]) -> Vec<Posting> {
    let mut fields = Varints(data);
    let (mut entity, mut document): (EntityId, DocumentId) = (0, 0);
    std::iter::from_fn(|| {
        let gap: u64 = fields.next()?;
        let step: i64 = fields.next()?;
        let mentions = fields.next()?;
        let ambiguous = fields.next()?;
        entity = entity.checked_add(EntityId::try_from(gap).ok()?)?;
        document = document.checked_add(step)?;
        Some(Posting {
            entity,
            document,
            mentions,
            ambiguous,
        })
    })
    .collect()
}

/// `items`, sorted by `key` if they are not already (packing needs the
/// order for its differences; callers nearly always have it).
fn in_order<T: Clone, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Cow<'_, [T]> {
    if items.is_sorted_by_key(&key) {
        Cow::Borrowed(items)
    } else {
        let mut sorted = items.to_vec();
        sorted.sort_unstable_by_key(key);
        Cow::Owned(sorted)
    }
}

/// Appends `value` as a varint (zigzag-encoded if signed).
fn put(out: &mut Vec<u8>, value: impl VarInt) {
    let mut buf = [0; 10];
    let n = value.encode_var(&mut buf);
    out.extend_from_slice(&buf[..n]);
}

/// The varints of a blob, one after another; `None` at the end, at a
/// partial varint, or at a value too large for the type asked.
struct Varints<'a>(&'a [u8]);

impl Varints<'_> {
    fn next<T: VarInt>(&mut self) -> Option<T> {
        let (value, used) = T::decode_var(self.0)?;
        self.0 = &self.0[used..];
        Some(value)
    }
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
    /// Distinct names in the text that no gazetteer lists (typed
    /// candidates of `dossier gazetteer suggest`).
    pub unlisted: u32,
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
            unlisted: 0,
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mention(start: u32, end: u32, entity: EntityId, resolution: u32) -> StoredMention {
        StoredMention {
            start,
            end,
            entity,
            resolution,
        }
    }

    #[test]
    fn counts_by_entity_and_sorts_what_it_packs() {
        let mentions = [
            mention(0, 6, 7, 0),
            mention(10, 17, 8, 2),
            mention(10, 17, 7, 2),
        ];
        let sorted = [mentions[0], mentions[2], mentions[1]];
        assert_eq!(decode_mentions(&encode_mentions(&mentions)), sorted);
        assert_eq!(encode_mentions(&mentions), encode_mentions(&sorted));
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
        let reversed: Vec<Posting> = postings.iter().rev().copied().collect();
        assert_eq!(decode_postings(&encode_postings(&reversed)), postings);
        assert_eq!((bucket(63), bucket(64)), (0, 1));
    }

    /// What the layout is for: a typical mention takes 6–7 bytes, not 16,
    /// and a posting about 5.
    #[test]
    fn typical_records_are_small() {
        let mentions: Vec<StoredMention> = (0..100)
            .map(|i| mention(i * 110, i * 110 + 12, 40_000 + EntityId::from(i) * 997, 0))
            .collect();
        // One byte each for the gap, the length and the resolution, three for
        // the entity.
        assert_eq!(encode_mentions(&mentions).len(), 100 * 6);
        let postings: Vec<Posting> = (0..64)
            .map(|i| Posting {
                entity: 6_400 + i,
                document: 9_000 + (i * 37) % 800,
                mentions: 2,
                ambiguous: 0,
            })
            .collect();
        assert!(encode_postings(&postings).len() <= 64 * 6);
    }

    fn mentions() -> impl Strategy<Value = Vec<StoredMention>> {
        proptest::collection::vec((any::<u32>(), 0..200u32, 1..5_000_000i64, 0..4u32), 0..40)
            .prop_map(|raw| {
                let mut out: Vec<StoredMention> = raw
                    .into_iter()
                    .map(|(start, length, entity, resolution)| {
                        let start = start.min(u32::MAX - 200);
                        mention(start, start + length, entity, resolution)
                    })
                    .collect();
                out.sort_unstable_by_key(|m| (m.start, m.entity));
                out
            })
    }

    fn postings() -> impl Strategy<Value = Vec<Posting>> {
        proptest::collection::vec(
            (
                1..5_000_000i64,
                1..10_000_000i64,
                any::<u32>(),
                any::<u32>(),
            ),
            0..40,
        )
        .prop_map(|raw| {
            let mut out: Vec<Posting> = raw
                .into_iter()
                .map(|(entity, document, mentions, ambiguous)| Posting {
                    entity,
                    document,
                    mentions,
                    ambiguous,
                })
                .collect();
            out.sort_unstable_by_key(|p| (p.entity, p.document));
            out
        })
    }

    proptest! {
        /// Packing round-trips, and a blob cut anywhere gives back a
        /// prefix of its records: what was whole before the cut.
        #[test]
        fn round_trips_and_cuts_give_prefixes(mentions in mentions(), postings in postings(), cut in any::<prop::sample::Index>()) {
            let data = encode_mentions(&mentions);
            prop_assert_eq!(&decode_mentions(&data), &mentions);
            let part = decode_mentions(&data[..cut.index(data.len() + 1)]);
            prop_assert_eq!(&part[..], &mentions[..part.len()]);
            let data = encode_postings(&postings);
            prop_assert_eq!(&decode_postings(&data), &postings);
            let part = decode_postings(&data[..cut.index(data.len() + 1)]);
            prop_assert_eq!(&part[..], &postings[..part.len()]);
        }

        /// Any bytes at all decode to something, without a panic.
        #[test]
        fn damage_never_panics(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode_mentions(&data);
            let _ = decode_postings(&data);
        }
    }
}
