//! Names the gazetteers do not hold yet: found in documents by their shape
//! and the cues around them, typed, grouped and ranked for a maintainer to
//! review (`dossier gazetteer suggest`), and counted at ingest so that
//! nothing a document names vanishes silently.
//!
//! - [`cues`] reads the word lists of `gazetteers/relations/names.rules`;
//! - `scan` splits a text into words with their shapes;
//! - [`find`] reads one document: capitalised runs of words outside the
//!   listed names, typed by titles, roles, head words, prepositions and the
//!   layout of signatory entries;
//! - [`group`] joins the candidates of many documents into suggestions.

pub mod cues;
pub mod find;
pub mod group;
mod scan;

pub use cues::Cues;
pub use find::{Candidate, Cue, candidates};
pub use group::{Collector, Example, Suggestion};

use crate::gazetteer::Gazetteer;
use crate::mention::Mention;
use std::ops::Range;

/// The listed spans of a document's mentions, with their types, as
/// [`candidates`] takes them.
pub fn listed_spans(
    gazetteer: &Gazetteer,
    mentions: &[Mention],
) -> Vec<(Range<usize>, crate::model::EntityType)> {
    let entries = gazetteer.entries();
    mentions
        .iter()
        .map(|m| {
            (
                m.start as usize..m.end as usize,
                entries[m.entity as usize].kind,
            )
        })
        .collect()
}

/// The number of distinct names among a document's candidates that have
/// a type: what ingest counts as "not in any gazetteer".
pub fn distinct_typed(candidates: &[Candidate]) -> usize {
    let mut keys: Vec<String> = candidates
        .iter()
        .filter(|c| c.kind.is_some())
        .map(|c| crate::normalize::key(&c.name, crate::normalize::Case::Fold))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

/// The suggestions for every stored document, with the names `matcher`
/// (the loaded gazetteers) lists left out; texts are read in chunks and
/// matched on `workers` threads.
pub fn from_store(
    store: &crate::store::Store,
    gazetteer: &Gazetteer,
    matcher: &crate::matcher::Matcher,
    cues: &Cues,
    workers: usize,
) -> Result<Vec<Suggestion>, crate::store::StoreError> {
    /// Bytes of text read before matching them.
    const CHUNK_BYTES: usize = 32 << 20;
    let documents = store.document_ids()?;
    let mut collector = Collector::new();
    let mut rest = documents.as_slice();
    while !rest.is_empty() {
        let mut chunk = Vec::new();
        let mut bytes = 0;
        while let Some(((id, path), tail)) = rest.split_first() {
            if bytes >= CHUNK_BYTES {
                break;
            }
            let text = store.document_text(*id)?.unwrap_or_default();
            bytes += text.len();
            chunk.push((path.clone(), text));
            rest = tail;
        }
        crate::pipeline::ordered_map(
            chunk,
            workers,
            |(path, text)| {
                let found = document_candidates(gazetteer, matcher, cues, &text);
                (path, text, found)
            },
            |(path, text, found)| {
                collector.add(&path, &text, &found);
                std::ops::ControlFlow::<()>::Continue(())
            },
        );
    }
    Ok(collector.finish())
}

/// The candidates of one text, the names `matcher` finds left out.
pub fn document_candidates(
    gazetteer: &Gazetteer,
    matcher: &crate::matcher::Matcher,
    cues: &Cues,
    text: &str,
) -> Vec<Candidate> {
    let mut matches = Vec::new();
    matcher.find(text, &mut crate::matcher::Scratch::default(), &mut matches);
    let entries = gazetteer.entries();
    let mut listed: Vec<(Range<usize>, crate::model::EntityType)> = Vec::new();
    for m in &matches {
        let range = m.start as usize..m.end as usize;
        if listed.last().is_none_or(|(last, _)| *last != range) {
            listed.push((range, entries[m.entity as usize].kind));
        }
    }
    candidates(text, &listed, cues)
}
