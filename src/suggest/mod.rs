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

/// What finding unlisted names needs beside a text and its mentions:
/// the cues, and the type of every gazetteer entry.
pub struct Finder {
    cues: Cues,
    kinds: Vec<crate::model::EntityType>,
}

impl Finder {
    /// The finder for `gazetteer` (its entries' types) and the cues of the
    /// rule files `rules`.
    pub fn new(gazetteer: &Gazetteer, rules: &crate::relations::rules::RuleSet) -> Finder {
        Finder {
            cues: Cues::from_rules(rules),
            kinds: gazetteer.entries().iter().map(|e| e.kind).collect(),
        }
    }

    /// The candidates of `text`, whose listed names are `mentions`.
    pub fn candidates(&self, text: &str, mentions: &[Mention]) -> Vec<Candidate> {
        self.around(text, mentions.iter().map(|m| (m.start, m.end, m.entity)))
    }

    /// The candidates of `text`, its listed names found with `matcher`.
    pub fn candidates_matching(
        &self,
        text: &str,
        matcher: &crate::matcher::Matcher,
    ) -> Vec<Candidate> {
        let mut matches = Vec::new();
        matcher.find(text, &mut crate::matcher::Scratch::default(), &mut matches);
        self.around(text, matches.iter().map(|m| (m.start, m.end, m.entity)))
    }

    /// The candidates of `text` around its listed names, given as (start,
    /// end, entry); the candidates of one ambiguous span count once.
    fn around(&self, text: &str, spans: impl Iterator<Item = (u32, u32, u32)>) -> Vec<Candidate> {
        let mut listed: Vec<(Range<usize>, crate::model::EntityType)> = Vec::new();
        for (start, end, entity) in spans {
            let range = start as usize..end as usize;
            if listed.last().is_none_or(|(last, _)| *last != range) {
                listed.push((range, self.kinds[entity as usize]));
            }
        }
        candidates(text, &listed, &self.cues)
    }
}

/// The number of distinct names among a document's candidates that have
/// a type: what ingest counts as "not in any gazetteer".
pub fn distinct_typed(candidates: &[Candidate]) -> usize {
    let mut keys: Vec<&str> = candidates
        .iter()
        .filter(|c| c.kind.is_some())
        .map(|c| c.key.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

/// The suggestions for every stored document, with the names `matcher`
/// (the loaded gazetteers) lists left out; texts are read in chunks and
/// matched on `workers` threads. `None` when `stop` was set (Ctrl-C)
/// before the end.
pub fn from_store(
    store: &crate::store::Store,
    finder: &Finder,
    matcher: &crate::matcher::Matcher,
    workers: usize,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<Option<Vec<Suggestion>>, crate::store::StoreError> {
    use std::ops::ControlFlow;
    let stopped = || stop.load(std::sync::atomic::Ordering::Relaxed);
    /// Bytes of text read before matching them.
    const CHUNK_BYTES: usize = 32 << 20;
    let documents = store.document_ids()?;
    let mut collector = Collector::new();
    store.texts_in_chunks(&documents, CHUNK_BYTES, |chunk| {
        crate::parallel::ordered_map(
            chunk,
            workers,
            |(_, path, text)| {
                let found = finder.candidates_matching(&text, matcher);
                (path, text, found)
            },
            |(path, text, found)| {
                if stopped() {
                    return ControlFlow::Break(());
                }
                collector.add(&path, &text, &found);
                ControlFlow::Continue(())
            },
        );
        if stopped() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })?;
    if stopped() {
        return Ok(None);
    }
    Ok(Some(collector.finish()))
}
