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
        self.in_windows(text, &listed, WINDOW_BYTES)
    }

    /// The candidates of `text`, read in windows of about `window` bytes
    /// when it is longer (see [`WINDOW_BYTES`]), with ranges in `text`.
    fn in_windows(
        &self,
        text: &str,
        listed: &[(Range<usize>, crate::model::EntityType)],
        window: usize,
    ) -> Vec<Candidate> {
        if text.len() <= window {
            return candidates(text, listed, &self.cues);
        }
        let mut out = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = window_end(text, start + window, listed);
            let first = listed.partition_point(|(r, _)| r.start < start);
            let last = listed.partition_point(|(r, _)| r.start < end);
            let here: Vec<(Range<usize>, crate::model::EntityType)> = listed[first..last]
                .iter()
                .map(|(r, kind)| (r.start - start..r.end - start, *kind))
                .collect();
            let base = out.len();
            out.extend(
                candidates(&text[start..end], &here, &self.cues)
                    .into_iter()
                    .map(|mut c| {
                        c.range = c.range.start + start..c.range.end + start;
                        c.abbreviates = c.abbreviates.map(|i| i + base);
                        c
                    }),
            );
            start = end;
        }
        out
    }
}

/// A text longer than this is read for names in windows of about this
/// many bytes: the finder holds every word of what it reads with its shape
/// and folded form (about 12 bytes a byte of text; a 200 MB text on one
/// line had taken 2.5 GB so), and names lie within a few lines. Shorter
/// texts, nearly all, are read whole.
const WINDOW_BYTES: usize = 4 << 20;

/// Where a window of `text` reaching `from` ends: at the first line break
/// from there, or in a text without one at the first space, and never
/// inside a listed name (`listed`, ordered by start); the text's end when
/// there is neither.
fn window_end(
    text: &str,
    from: usize,
    listed: &[(Range<usize>, crate::model::EntityType)],
) -> usize {
    let bytes = text.as_bytes();
    let mut cut = from;
    loop {
        if cut >= bytes.len() {
            return bytes.len();
        }
        cut = match memchr::memchr(b'\n', &bytes[cut..]) {
            Some(at) => cut + at,
            None => match memchr::memchr(b' ', &bytes[cut..]) {
                Some(at) => cut + at,
                None => return bytes.len(),
            },
        };
        // The name starting last before the cut, if the cut falls in it.
        let before = listed.partition_point(|(r, _)| r.start < cut);
        match before.checked_sub(1).map(|i| &listed[i].0) {
            Some(name) if name.end > cut => cut = name.end,
            _ => return cut + 1,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Entry;
    use crate::model::EntityType;

    /// A long text is read in windows (a 200 MB one had taken 2.5 GB read
    /// whole); cut at line breaks, they find what the whole text gives,
    /// abbreviations still pointing at their names. On one line, cut at
    /// spaces, every candidate still lies where its name is written.
    #[test]
    fn windows_find_what_the_whole_text_finds() {
        let mut rules = crate::relations::rules::RuleSet::default();
        rules
            .extend(
                include_str!("../../gazetteers/relations/names.rules"),
                "names.rules",
            )
            .unwrap();
        let gazetteer = Gazetteer::from_entries(vec![
            Entry::new(EntityType::Place, "Vilnius", &[], &[]),
            Entry::new(EntityType::Person, "Anna Berg", &[], &[]),
        ]);
        let finder = Finder::new(&gazetteer, &rules);
        let matcher = crate::matcher::Matcher::build(&gazetteer);
        let paragraph = "Mayor Olaf Strand of Velmora met Anna Berg in Vilnius.\n\
                         The Harbour Trust (HT) wrote to Minister Ilse Varga.\n\n";
        let lines = paragraph.repeat(30);
        let one_line = lines.replace('\n', " ");
        for text in [&lines, &one_line] {
            let mut matches = Vec::new();
            matcher.find(text, &mut crate::matcher::Scratch::default(), &mut matches);
            let listed: Vec<(Range<usize>, EntityType)> = matches
                .iter()
                .map(|m| {
                    let kind = finder.kinds[m.entity as usize];
                    (m.start as usize..m.end as usize, kind)
                })
                .collect();
            let whole = finder.in_windows(text, &listed, usize::MAX);
            assert!(whole.iter().any(|c| c.abbreviates.is_some()));
            for window in [100, 333, 1000] {
                let windows = finder.in_windows(text, &listed, window);
                if text == &lines {
                    assert_eq!(windows, whole, "windows of {window}");
                }
                for c in &windows {
                    assert_eq!(
                        text[c.range.clone()].split_whitespace().collect::<Vec<_>>(),
                        c.name.split(' ').collect::<Vec<_>>()
                    );
                }
            }
        }
    }
}
