//! The candidates of many documents as suggestions: one per name, its
//! variants as aliases, typed by the votes of its cues, ranked.

use super::find::{Candidate, Cue};
use crate::model::EntityType;
use crate::normalize::{Case, key};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// A suggested gazetteer entity.
#[derive(Clone, Debug, Serialize)]
pub struct Suggestion {
    /// The guessed type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// The canonical name: its most frequent full spelling.
    pub name: String,
    /// Its other spellings and short forms (surname alone, abbreviation).
    pub aliases: Vec<String>,
    /// The strongest cue for the type, in words.
    pub cue: String,
    /// How much that cue says (3 a structure or head word, 2 the words
    /// around, 1 the shape); the first key of the ranking.
    pub strength: u8,
    /// Occurrences, short forms included.
    pub count: usize,
    /// The documents it occurs in, by stored path.
    pub documents: Vec<String>,
    /// Where the strongest cue was seen.
    pub example: Example,
}

/// One occurrence shown with a suggestion.
#[derive(Clone, Debug, Serialize)]
pub struct Example {
    /// The document's stored path.
    pub document: String,
    /// The 1-based line.
    pub line: usize,
    /// The line, cut to about 120 characters around the name.
    pub context: String,
}

/// What is known of one name so far.
#[derive(Default)]
struct Entry {
    /// Cue strength summed per type, in [`EntityType::ALL`] order.
    votes: [u32; 4],
    /// The strongest cue per type, with where it was seen.
    best: [Option<(u8, Cue, u32, usize)>; 4],
    count: usize,
    /// Document indexes, each once, ascending.
    documents: Vec<u32>,
    /// Spellings as written, with their counts.
    spellings: FxHashMap<String, usize>,
    /// Keys of the abbreviations written right after it.
    abbreviations: Vec<String>,
    /// Words of the name.
    words: usize,
    /// Where it was first seen (document, offset).
    first: Option<(u32, usize)>,
}

/// Gathers the candidates of documents, then turns them into suggestions.
#[derive(Default)]
pub struct Collector {
    entries: FxHashMap<String, Entry>,
    /// Per document: its path and text (for the examples, only of the
    /// documents an example points into).
    paths: Vec<String>,
    examples: FxHashMap<(u32, usize), (usize, String)>,
}

impl Collector {
    /// A collector with nothing in it.
    pub fn new() -> Collector {
        Collector::default()
    }

    /// Adds one document's candidates; returns its index.
    pub fn add(&mut self, path: &str, text: &str, candidates: &[Candidate]) -> u32 {
        let index = self.paths.len() as u32;
        self.paths.push(path.to_string());
        for candidate in candidates {
            let name_key = &candidate.key;
            if name_key.is_empty() {
                continue;
            }
            let strength = candidate.cue.strength();
            let entry = self.entries.entry(name_key.clone()).or_default();
            entry.count += 1;
            entry.words = candidate.name.split_whitespace().count();
            if entry.documents.last() != Some(&index) {
                entry.documents.push(index);
            }
            *entry.spellings.entry(candidate.name.clone()).or_default() += 1;
            if entry.first.is_none() {
                entry.first = Some((index, candidate.range.start));
                if candidate.kind.is_none() && entry.words >= 2 {
                    self.examples
                        .entry((index, candidate.range.start))
                        .or_insert_with(|| example_line(text, candidate.range.clone()));
                }
            }
            if let Some(kind) = candidate.kind {
                let slot = type_index(kind);
                entry.votes[slot] += u32::from(strength);
                let better = entry.best[slot]
                    .as_ref()
                    .is_none_or(|(s, ..)| strength > *s);
                if better {
                    entry.best[slot] = Some((
                        strength,
                        candidate.cue.clone(),
                        index,
                        candidate.range.start,
                    ));
                    self.examples
                        .entry((index, candidate.range.start))
                        .or_insert_with(|| example_line(text, candidate.range.clone()));
                }
            }
            if let Some(long) = candidate.abbreviates {
                let long_key = candidates[long].key.clone();
                let long_entry = self.entries.entry(long_key).or_default();
                if !long_entry.abbreviations.contains(name_key) {
                    long_entry.abbreviations.push(name_key.clone());
                }
            }
        }
        index
    }

    /// The suggestions, most confident first: by cue strength, then by the
    /// number of documents, then of occurrences, then by name.
    pub fn finish(self) -> Vec<Suggestion> {
        let Collector {
            mut entries,
            paths,
            examples,
        } = self;
        let kind_of = |entry: &Entry| -> Option<usize> {
            (0..4)
                .filter(|&k| entry.votes[k] > 0)
                .max_by_key(|&k| (entry.votes[k], std::cmp::Reverse(k)))
        };
        // Abbreviations join the name they were written after.
        let pairs: Vec<(String, String)> = entries
            .iter()
            .flat_map(|(long, e)| e.abbreviations.iter().map(|a| (long.clone(), a.clone())))
            .collect();
        let mut aliases: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for (long, short) in pairs {
            if long == short || !entries.contains_key(&long) {
                continue;
            }
            if let Some(short_entry) = entries.remove(&short) {
                let spelling = most_frequent(&short_entry.spellings);
                aliases.entry(long.clone()).or_default().push(spelling);
                merge(entries.get_mut(&long).expect("checked"), short_entry);
            }
        }
        // A lone word that is the surname of exactly one person joins it.
        let mut surnames: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for (name_key, entry) in &entries {
            if entry.words >= 2 && kind_of(entry) == Some(0) {
                let last = name_key
                    .split(' ')
                    .rfind(|w| w.chars().any(char::is_alphanumeric) && !matches!(*w, "jr" | "sr"));
                if let Some(last) = last {
                    surnames
                        .entry(last.to_string())
                        .or_default()
                        .push(name_key.clone());
                }
            }
        }
        // A name nothing typed whose last word is a person's surname is a
        // relative ("Mira Kask" beside "Maret Kask").
        for (name_key, entry) in entries.iter_mut() {
            if kind_of(entry).is_some() || !(2..=3).contains(&entry.words) {
                continue;
            }
            let last = name_key.rsplit(' ').next().unwrap_or_default();
            if surnames.contains_key(last) && entry.best[0].is_none() {
                entry.votes[0] += u32::from(Cue::Family.strength());
                entry.best[0] = entry.first.map(|(document, start)| {
                    (Cue::Family.strength(), Cue::Family, document, start)
                });
            }
        }
        let lone: Vec<String> = entries
            .iter()
            .filter(|(k, e)| e.words == 1 && surnames.get(*k).is_some_and(|p| p.len() == 1))
            .filter(|(_, e)| matches!(kind_of(e), None | Some(0)))
            .map(|(k, _)| k.clone())
            .collect();
        for short in lone {
            let person = surnames[&short][0].clone();
            let short_entry = entries.remove(&short).expect("listed above");
            let spelling = most_frequent(&short_entry.spellings);
            aliases.entry(person.clone()).or_default().push(spelling);
            if let Some(person_entry) = entries.get_mut(&person) {
                merge(person_entry, short_entry);
            }
        }
        let mut out: Vec<Suggestion> = entries
            .into_iter()
            .filter_map(|(name_key, entry)| {
                let slot = kind_of(&entry)?;
                let (strength, cue, document, start) = entry.best[slot].clone()?;
                let name = full_spelling(&entry.spellings);
                let mut names: Vec<String> = entry
                    .spellings
                    .keys()
                    .filter(|s| key(s, Case::Fold) != key(&name, Case::Fold))
                    .cloned()
                    .collect();
                names.extend(aliases.remove(&name_key).unwrap_or_default());
                names.sort();
                names.dedup_by(|a, b| key(a, Case::Fold) == key(b, Case::Fold));
                let (line, context) = examples
                    .get(&(document, start))
                    .cloned()
                    .unwrap_or_default();
                Some(Suggestion {
                    kind: EntityType::ALL[slot],
                    name,
                    aliases: names,
                    cue: cue.describe(),
                    strength,
                    count: entry.count,
                    documents: entry
                        .documents
                        .iter()
                        .map(|&d| paths[d as usize].clone())
                        .collect(),
                    example: Example {
                        document: paths[document as usize].clone(),
                        line,
                        context,
                    },
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.strength
                .cmp(&a.strength)
                .then(b.documents.len().cmp(&a.documents.len()))
                .then(b.count.cmp(&a.count))
                .then_with(|| a.name.cmp(&b.name))
        });
        out
    }
}

fn type_index(kind: EntityType) -> usize {
    EntityType::ALL
        .iter()
        .position(|&k| k == kind)
        .expect("every type is in ALL")
}

/// Adds `other`'s occurrences to `into`.
fn merge(into: &mut Entry, other: Entry) {
    into.count += other.count;
    into.documents.extend(other.documents);
    into.documents.sort_unstable();
    into.documents.dedup();
}

fn most_frequent(spellings: &FxHashMap<String, usize>) -> String {
    spellings
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(s, _)| s.clone())
        .unwrap_or_default()
}

/// The most frequent spelling, preferring one not all in capitals.
fn full_spelling(spellings: &FxHashMap<String, usize>) -> String {
    let mixed: FxHashMap<String, usize> = spellings
        .iter()
        .filter(|(s, _)| s.chars().any(char::is_lowercase))
        .map(|(s, c)| (s.clone(), *c))
        .collect();
    if mixed.is_empty() {
        most_frequent(spellings)
    } else {
        most_frequent(&mixed)
    }
}

/// The 1-based line of `range` and the line's text, cut to about 120
/// characters around it.
fn example_line(text: &str, range: std::ops::Range<usize>) -> (usize, String) {
    let line = text[..range.start].matches('\n').count() + 1;
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    let mut from = start;
    let mut to = end;
    if range.start - from > 60 {
        from = text.ceil_char_boundary(range.start - 60);
    }
    if to - range.end > 60 {
        to = text.floor_char_boundary(range.end + 60);
    }
    let mut shown = String::new();
    if from > start {
        shown.push('…');
    }
    shown.push_str(text[from..to].trim());
    if to < end {
        shown.push('…');
    }
    (line, shown.replace('\t', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(text: &str, name: &str, kind: Option<EntityType>, cue: Cue) -> Candidate {
        let start = text.find(name).expect("the name is in the text");
        Candidate {
            range: start..start + name.len(),
            key: key(name, Case::Fold),
            name: name.to_string(),
            kind,
            cue,
            abbreviates: None,
        }
    }

    #[test]
    fn a_surname_alone_and_an_abbreviation_join_their_names() {
        let mut collector = Collector::new();
        let first = "Signed\nStefan Varga\nfor the Northern Water Council (NWC)";
        let mut found = vec![
            candidate(
                first,
                "Stefan Varga",
                Some(EntityType::Person),
                Cue::Signatory,
            ),
            candidate(
                first,
                "Northern Water Council",
                Some(EntityType::Organisation),
                Cue::OrganisationHead("council".into()),
            ),
            candidate(first, "NWC", Some(EntityType::Organisation), Cue::Acronym),
        ];
        found[2].abbreviates = Some(1);
        collector.add("a.txt", first, &found);
        let second = "Varga said so.";
        collector.add(
            "b.txt",
            second,
            &[candidate(second, "Varga", None, Cue::Unknown)],
        );
        let got = collector.finish();
        let names: Vec<(&str, Vec<&str>, usize, usize)> = got
            .iter()
            .map(|s| {
                let aliases = s.aliases.iter().map(String::as_str).collect();
                (s.name.as_str(), aliases, s.count, s.documents.len())
            })
            .collect();
        assert_eq!(
            names,
            [
                ("Stefan Varga", vec!["Varga"], 2, 2),
                ("Northern Water Council", vec!["NWC"], 2, 1),
            ],
            "the person seen in two documents ranks first"
        );
        assert_eq!(got[0].example.line, 2);
        assert_eq!(got[0].example.context, "Stefan Varga");
        assert_eq!(got[0].example.document, "a.txt");
    }

    #[test]
    fn the_type_is_the_one_the_stronger_cues_give() {
        let mut collector = Collector::new();
        let text = "in Kestrel; Mr Kestrel; Kestrel, chairman";
        let found = [
            candidate(
                text,
                "Kestrel",
                Some(EntityType::Place),
                Cue::PlacePreposition("in".into()),
            ),
            candidate(
                text,
                "Kestrel",
                Some(EntityType::Person),
                Cue::Title("mr".into()),
            ),
        ];
        collector.add("a.txt", text, &found);
        let got = collector.finish();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].kind, EntityType::Person);
        assert_eq!(got[0].cue, "after the title `mr`");
        assert_eq!(got[0].count, 2);
    }

    #[test]
    fn untyped_names_are_no_suggestions() {
        let mut collector = Collector::new();
        let text = "Blue Horizon";
        collector.add(
            "a.txt",
            text,
            &[candidate(text, "Blue Horizon", None, Cue::Unknown)],
        );
        assert!(collector.finish().is_empty());
    }
}
