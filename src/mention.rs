//! Mentions: matches of one document with their ambiguity settled or kept.
//!
//! The matcher gives one [`Match`] per candidate entity of a span. A span
//! with one candidate is a [`Resolution::Unique`] mention. A span with
//! several (a name two entities share, such as `Georgia` the state and
//! `Georgia` the US state) is resolved by its document: when exactly one of
//! the candidates is also mentioned unambiguously elsewhere in the same
//! document, the span is that entity ([`Resolution::Context`]). Otherwise it
//! stays [`Resolution::Ambiguous`], one mention per candidate, so no
//! candidate is silently dropped and none is silently chosen.

use crate::matcher::Match;
use rustc_hash::FxHashSet;

/// How a mention's entity was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The name belongs to one entity only.
    Unique,
    /// The name is shared, and the document names exactly one of its
    /// entities unambiguously elsewhere.
    Context,
    /// The name is shared and nothing settles it: one of this many
    /// candidates.
    Ambiguous(u32),
}

impl Resolution {
    /// The database code: 0 unique, 1 by context, N > 1 one of N candidates.
    pub fn code(self) -> u32 {
        match self {
            Resolution::Unique => 0,
            Resolution::Context => 1,
            Resolution::Ambiguous(n) => n,
        }
    }

    /// The inverse of [`Resolution::code`].
    pub fn from_code(code: u32) -> Resolution {
        match code {
            0 => Resolution::Unique,
            1 => Resolution::Context,
            n => Resolution::Ambiguous(n),
        }
    }
}

/// One entity named at one place of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset where the name starts in the document text.
    pub start: u32,
    /// Byte offset just past the name.
    pub end: u32,
    /// Index of the entity in the gazetteer.
    pub entity: u32,
    /// How the entity was decided.
    pub resolution: Resolution,
}

/// Turns one document's matches (ordered by start, candidates of a span
/// adjacent) into mentions, resolving what the document settles.
pub fn resolve(matches: &[Match]) -> Vec<Mention> {
    let spans = group_spans(matches);
    let unique: FxHashSet<u32> = spans
        .iter()
        .filter(|s| s.len() == 1)
        .map(|s| s[0].entity)
        .collect();
    let mut out = Vec::with_capacity(matches.len());
    for span in spans {
        let first = span[0];
        if span.len() == 1 {
            out.push(mention(first, first.entity, Resolution::Unique));
            continue;
        }
        let settled: Vec<u32> = span
            .iter()
            .map(|m| m.entity)
            .filter(|e| unique.contains(e))
            .collect();
        if let [only] = settled[..] {
            out.push(mention(first, only, Resolution::Context));
        } else {
            let n = span.len() as u32;
            out.extend(
                span.iter()
                    .map(|m| mention(*m, m.entity, Resolution::Ambiguous(n))),
            );
        }
    }
    out
}

fn mention(m: Match, entity: u32, resolution: Resolution) -> Mention {
    Mention {
        start: m.start,
        end: m.end,
        entity,
        resolution,
    }
}

fn group_spans(matches: &[Match]) -> Vec<&[Match]> {
    let mut out = Vec::new();
    let mut begin = 0;
    for i in 1..=matches.len() {
        let boundary = i == matches.len()
            || (matches[i].start, matches[i].end) != (matches[begin].start, matches[begin].end);
        if boundary {
            out.push(&matches[begin..i]);
            begin = i;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: u32, entity: u32) -> Match {
        Match {
            start,
            end: start + 5,
            entity,
        }
    }

    #[test]
    fn unique_context_and_ambiguous() {
        // Entity 7 and 8 share a name at 10 and 30; 7 is named alone at 50.
        let got = resolve(&[m(10, 7), m(10, 8), m(30, 7), m(30, 8), m(50, 7)]);
        let summary: Vec<(u32, u32, Resolution)> = got
            .iter()
            .map(|x| (x.start, x.entity, x.resolution))
            .collect();
        assert_eq!(
            summary,
            [
                (10, 7, Resolution::Context),
                (30, 7, Resolution::Context),
                (50, 7, Resolution::Unique)
            ]
        );
    }

    #[test]
    fn unsettled_names_keep_every_candidate() {
        let got = resolve(&[m(10, 7), m(10, 8), m(30, 9)]);
        let summary: Vec<(u32, u32, Resolution)> = got
            .iter()
            .map(|x| (x.start, x.entity, x.resolution))
            .collect();
        assert_eq!(
            summary,
            [
                (10, 7, Resolution::Ambiguous(2)),
                (10, 8, Resolution::Ambiguous(2)),
                (30, 9, Resolution::Unique)
            ]
        );
        assert!(resolve(&[]).is_empty());
    }

    #[test]
    fn both_candidates_named_elsewhere_stays_ambiguous() {
        let got = resolve(&[m(1, 7), m(1, 8), m(20, 7), m(40, 8)]);
        assert_eq!(got[0].resolution, Resolution::Ambiguous(2));
        assert_eq!(got.len(), 4);
    }
}
