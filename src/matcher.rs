//! Finding gazetteer names in text: a trie over normalised tokens.
//!
//! Text and names are cut into tokens by [`crate::normalize::tokenize`];
//! every distinct name token gets a small integer id, and the names become
//! paths in a trie keyed by token ids. A document is tokenised once, each
//! token looked up once in the vocabulary (a token no name contains gets no
//! id and can neither start nor continue a match), and the trie walked from
//! each token for the **leftmost-longest** match: `Chechen Republic of
//! Ichkeria` is one mention, not three. Word boundaries hold by construction,
//! since tokens are whole words.
//!
//! Why a token trie and not a byte automaton: with 100k entities (256k
//! names) the aho-corasick crate over lowercased text measured 63 MB/s on one
//! core and needs the text lowercased first (which is not enough for
//! diacritics, apostrophes and line breaks), while a token trie measured
//! about 170 MB/s and stays fast at 1M entities, where the automaton takes
//! 20 s and 950 MB to build (docs/benchmarks.md, 2026-11-21).
//!
//! Names whose entity carries `case=exact`, and all-capitals acronyms such as
//! `UN` or `US`, match only where the text has the same case (diacritics and
//! punctuation still folded), so `us` or `male` in prose are not mentions.
//! Names with fewer than [`MIN_LETTERS`] letters are not matched at all.
//!
//! This module knows nothing about SQLite, files or documents: text in,
//! matches out.

use crate::gazetteer::Gazetteer;
use crate::normalize::{Case, key, letter_count, token_hash, tokenize};
use hashbrown::HashTable;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Names with fewer letters and digits than this are never matched.
pub const MIN_LETTERS: usize = 2;

const NONE: u32 = u32::MAX;
/// Set on a buffered token's id when the token before it in the text is not
/// in the vocabulary (so no name spans the two). Token ids stay below it.
const GAP: u32 = 1 << 31;

/// One candidate entity of a match. Ambiguous names give several matches
/// with the same span, one per entity, in gazetteer order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// Byte offset of the first token.
    pub start: u32,
    /// Byte offset just past the last token.
    pub end: u32,
    /// Index of the entity in [`Gazetteer::entries`].
    pub entity: u32,
}

/// A vocabulary entry: a name token, found by the hash of its folded text.
/// Tokens up to [`INLINE`] bytes (nearly all) keep their text in the entry
/// itself, so checking a hit costs no further memory access.
#[derive(Clone, Copy, Debug)]
struct Word {
    hash: u64,
    id: u32,
    /// The trie node of names starting with this token, or [`NONE`].
    root: u32,
    /// Length of the folded text; above [`INLINE`] the text is only in
    /// `Matcher::texts`.
    len: u8,
    inline: [u8; INLINE],
}

/// Bytes of token text kept in a vocabulary entry.
const INLINE: usize = 23;

impl Word {
    fn is(&self, token: &str, texts: &[Box<str>]) -> bool {
        let bytes = token.as_bytes();
        if bytes.len() <= INLINE {
            usize::from(self.len) == bytes.len() && self.inline[..bytes.len()] == *bytes
        } else {
            *texts[self.id as usize] == *token
        }
    }
}

/// A trie node. The first child is kept inline (most nodes have one);
/// further children live in `Matcher::edges`.
#[derive(Clone, Copy, Debug)]
struct Node {
    /// The entity the node completes, when it is exactly one and its case
    /// does not matter (the common case: no trip to `outputs`); else [`NONE`].
    entity: u32,
    /// Head of the node's output list, or [`NONE`] (empty, or inlined in
    /// `entity`).
    output: u32,
    /// Token of the inline child, or [`NONE`] when the node has no child.
    child_token: u32,
    child: u32,
    /// Whether more children are in `edges`.
    more: bool,
}

/// An entity a trie node completes.
#[derive(Clone, Copy, Debug)]
struct Output {
    entity: u32,
    /// Index into `exact_keys`, or [`NONE`] when the case does not matter.
    exact: u32,
    /// The next output of the same node, or [`NONE`].
    next: u32,
}

/// A compiled gazetteer, ready to find names in any number of texts.
/// Read-only once built, so one matcher serves every thread.
///
/// Layout notes (measured on the 100k-entity benchmark, where cache misses
/// and not instructions decide the speed): a token costs one probe of the
/// vocabulary table, whose entries carry the token's trie root and its text
/// (up to 23 bytes), so the common case, a word that starts no name,
/// touches nothing else, and a hit is checked exactly in the same place.
/// Checking hits through a separate text table cost 16% of matching.
pub struct Matcher {
    words: HashTable<Word>,
    /// Folded text of each token id.
    texts: Vec<Box<str>>,
    nodes: Vec<Node>,
    /// (node << 32 | token id) → child, for children beyond the first.
    edges: FxHashMap<u64, u32>,
    outputs: Vec<Output>,
    /// The case-kept keys of exact-case names.
    exact_keys: Vec<Box<str>>,
    names: usize,
}

/// An all-capitals short name such as `UN` or `NATO`: matched with its case.
pub fn is_acronym(name: &str) -> bool {
    // Called for every name when the matcher is built: no allocation, and
    // most names fail at their second letter.
    let mut letters = 0;
    for c in name.chars() {
        if c.is_whitespace() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
            if letters > 6 || !c.is_uppercase() {
                return false;
            }
        }
    }
    letters > 0
}

/// A matcher that may still be being built on another thread: ingest starts
/// reading and hashing documents at once, and waits only when a document
/// needs matching (an unchanged re-ingest never does).
#[derive(Default)]
pub struct Pending {
    built: std::sync::OnceLock<(Matcher, f64)>,
}

impl Pending {
    /// Hands over the built matcher and how many seconds the build took.
    pub fn set(&self, matcher: Matcher, seconds: f64) {
        let _ = self.built.set((matcher, seconds));
    }

    /// The matcher, waiting for it if it is still being built.
    pub fn get(&self) -> &Matcher {
        &self.built.wait().0
    }

    /// The matcher and its build time, if it is built.
    pub fn try_get(&self) -> Option<(&Matcher, f64)> {
        self.built.get().map(|(m, s)| (m, *s))
    }
}

/// Gazetteer entries per block of [`Matcher::build`]'s first stage.
const BUILD_BLOCK: usize = 256;

/// The names of a block of gazetteer entries, cut into folded tokens:
/// what [`Matcher::build`] prepares on every core.
struct TokenisedNames {
    /// The folded text of every token, one after the other.
    folded: String,
    tokens: Vec<NameToken>,
    names: Vec<TokenisedName>,
}

struct NameToken {
    /// Where its folded text is in [`TokenisedNames::folded`].
    text: Range<usize>,
    hash: u64,
}

struct TokenisedName {
    entry: u32,
    /// Where its tokens are in [`TokenisedNames::tokens`].
    tokens: Range<usize>,
    /// The case-kept key, when the name matches only in its own case.
    exact: Option<Box<str>>,
}

impl TokenisedNames {
    /// The names of `entries` that can be matched (enough letters).
    fn of(gazetteer: &Gazetteer, entries: Range<usize>) -> TokenisedNames {
        let mut block = TokenisedNames {
            folded: String::new(),
            tokens: Vec::new(),
            names: Vec::new(),
        };
        for index in entries {
            let entry = &gazetteer.entries()[index];
            let case_exact = entry.case_exact();
            for name in entry.names() {
                let first = block.tokens.len();
                let mut letters = 0;
                tokenize(name, Case::Fold, |_, token| {
                    // Counted only as far as the threshold needs.
                    if letters < MIN_LETTERS {
                        letters += letter_count(token);
                    }
                    let start = block.folded.len();
                    block.folded.push_str(token);
                    block.tokens.push(NameToken {
                        text: start..block.folded.len(),
                        hash: token_hash(token),
                    });
                });
                if letters < MIN_LETTERS || block.tokens.len() == first {
                    block.tokens.truncate(first);
                    continue;
                }
                block.names.push(TokenisedName {
                    entry: index as u32,
                    tokens: first..block.tokens.len(),
                    exact: (case_exact || is_acronym(name)).then(|| key(name, Case::Keep).into()),
                });
            }
        }
        block
    }
}

/// Reusable buffers for [`Matcher::find`], one per thread.
#[derive(Default)]
pub struct Scratch {
    /// (start, end, token id or NONE, root node or NONE) per token.
    tokens: Vec<(u32, u32, u32, u32)>,
    candidates: Vec<u32>,
}

impl Matcher {
    /// Compiles every name of every entity.
    ///
    /// In two stages: the names are cut into folded, hashed tokens on every
    /// core, a block of entries at a time, while this thread numbers the
    /// tokens and grows the trie in gazetteer order (the ids and the trie
    /// are the same whatever the number of cores).
    pub fn build(gazetteer: &Gazetteer) -> Matcher {
        let mut matcher = Matcher {
            words: HashTable::new(),
            texts: Vec::new(),
            nodes: Vec::new(),
            edges: FxHashMap::default(),
            outputs: Vec::new(),
            exact_keys: Vec::new(),
            names: 0,
        };
        // Each token's trie root, by token id (moved into the vocabulary at
        // the end, so growing the trie needs no table lookups).
        let mut roots: Vec<u32> = Vec::new();
        let entries = gazetteer.entries();
        let blocks: Vec<Range<usize>> = (0..entries.len())
            .step_by(BUILD_BLOCK)
            .map(|start| start..(start + BUILD_BLOCK).min(entries.len()))
            .collect();
        let mut ids: Vec<u32> = Vec::new();
        let _: Option<()> = crate::parallel::ordered_map(
            blocks,
            crate::parallel::cores(),
            |block| TokenisedNames::of(gazetteer, block),
            |block| {
                for name in &block.names {
                    ids.clear();
                    for token in &block.tokens[name.tokens.clone()] {
                        let text = &block.folded[token.text.clone()];
                        ids.push(matcher.word_id(token.hash, text, &mut roots));
                    }
                    let exact = match &name.exact {
                        Some(key) => {
                            matcher.exact_keys.push(key.clone());
                            (matcher.exact_keys.len() - 1) as u32
                        }
                        None => NONE,
                    };
                    let node = matcher.insert_path(&ids, &mut roots);
                    if matcher.add_output(node, name.entry, exact) {
                        matcher.names += 1;
                    }
                }
                std::ops::ControlFlow::Continue(())
            },
        );
        matcher
            .words
            .iter_mut()
            .for_each(|w| w.root = roots[w.id as usize]);
        matcher.inline_single_outputs();
        matcher.edges.shrink_to_fit();
        matcher.words.shrink_to_fit(|w| w.hash);
        matcher
    }

    /// The id of a folded token whose [`token_hash`] is `hash`, numbering
    /// it if new (with no trie root yet in `roots`).
    fn word_id(&mut self, hash: u64, token: &str, roots: &mut Vec<u32>) -> u32 {
        let texts = &self.texts;
        if let Some(word) = self
            .words
            .find(hash, |w| w.hash == hash && w.is(token, texts))
        {
            return word.id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(token.into());
        roots.push(NONE);
        let mut inline = [0; INLINE];
        let len = token.len().min(INLINE);
        inline[..len].copy_from_slice(&token.as_bytes()[..len]);
        let word = Word {
            hash,
            id,
            root: NONE,
            len: token.len().min(usize::from(u8::MAX)) as u8,
            inline,
        };
        self.words.insert_unique(hash, word, |w| w.hash);
        id
    }

    /// Moves every node's only output, when its case does not matter, into
    /// the node itself.
    fn inline_single_outputs(&mut self) {
        for node in &mut self.nodes {
            if node.output == NONE {
                continue;
            }
            let output = self.outputs[node.output as usize];
            if output.next == NONE && output.exact == NONE {
                node.entity = output.entity;
                node.output = NONE;
            }
        }
    }

    fn new_node(&mut self) -> u32 {
        self.nodes.push(Node {
            entity: NONE,
            output: NONE,
            child_token: NONE,
            child: NONE,
            more: false,
        });
        (self.nodes.len() - 1) as u32
    }

    fn child(&self, node: u32, token: u32) -> Option<u32> {
        let n = self.nodes[node as usize];
        if n.child_token == token {
            Some(n.child)
        } else if n.more {
            self.edges
                .get(&((u64::from(node) << 32) | u64::from(token)))
                .copied()
        } else {
            None
        }
    }

    fn insert_path(&mut self, tokens: &[u32], roots: &mut [u32]) -> u32 {
        let mut node = roots[tokens[0] as usize];
        if node == NONE {
            node = self.new_node();
            roots[tokens[0] as usize] = node;
        }
        for &token in &tokens[1..] {
            node = match self.child(node, token) {
                Some(child) => child,
                None => {
                    let child = self.new_node();
                    let parent = &mut self.nodes[node as usize];
                    if parent.child_token == NONE {
                        parent.child_token = token;
                        parent.child = child;
                    } else {
                        parent.more = true;
                        self.edges
                            .insert((u64::from(node) << 32) | u64::from(token), child);
                    }
                    child
                }
            };
        }
        node
    }

    /// Adds `entity` to the outputs of `node`; false when it was there
    /// already (a second name of the entity with the same key and case rule).
    fn add_output(&mut self, node: u32, entity: u32, exact: u32) -> bool {
        let mut at = self.nodes[node as usize].output;
        while at != NONE {
            let output = self.outputs[at as usize];
            let same_rule = match (output.exact, exact) {
                (NONE, NONE) => true,
                (NONE, _) | (_, NONE) => false,
                (a, b) => self.exact_keys[a as usize] == self.exact_keys[b as usize],
            };
            if output.entity == entity && same_rule {
                return false;
            }
            at = output.next;
        }
        self.outputs.push(Output {
            entity,
            exact,
            next: self.nodes[node as usize].output,
        });
        self.nodes[node as usize].output = (self.outputs.len() - 1) as u32;
        true
    }

    /// The number of names compiled (aliases included, too-short ones not).
    pub fn name_count(&self) -> usize {
        self.names
    }

    /// Appends the matches in `text` to `out`, ordered by start offset; the
    /// candidates of one ambiguous span are adjacent, in gazetteer order.
    ///
    /// Offsets are byte offsets into `text`. `text` must be shorter than
    /// 4 GiB (offsets are `u32`); longer texts are cut there.
    pub fn find(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<Match>) {
        self.find_and(text, scratch, out, |_, _, _| {});
    }

    /// [`Matcher::find`], also calling `each(byte_range, folded, hash)` for
    /// every token of the text (`hash` is [`token_hash`] of `folded`), so
    /// that another reader of the tokens (the relation rules) need neither
    /// tokenise nor hash it again.
    pub fn find_and(
        &self,
        text: &str,
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
        mut each: impl FnMut(Range<usize>, &str, u64),
    ) {
        // Offsets are u32: nothing past 4 GiB is matched (ingest refuses
        // such documents before they get here).
        let text = &text[..text.floor_char_boundary(u32::MAX as usize)];
        let Scratch { tokens, candidates } = scratch;
        tokens.clear();
        // Only vocabulary words are kept; a word after a dropped one carries
        // GAP, which ends any walk (names are runs of adjacent tokens). Most
        // tokens of prose are not in the vocabulary, so this keeps the buffer
        // small.
        let mut gap = 0;
        tokenize(text, Case::Fold, |range, token| {
            let hash = token_hash(token);
            each(range.clone(), token, hash);
            let found = self
                .words
                .find(hash, |w| w.hash == hash && w.is(token, &self.texts));
            match found {
                Some(w) => {
                    tokens.push((range.start as u32, range.end as u32, w.id | gap, w.root));
                    gap = 0;
                }
                None => gap = GAP,
            }
        });
        let mut i = 0;
        while i < tokens.len() {
            let mut node = tokens[i].3;
            if node == NONE {
                i += 1;
                continue;
            }
            // Walk as far as the trie goes; remember the last node that ends a
            // name valid for this span.
            candidates.clear();
            let mut best: Option<usize> = None;
            let mut j = i;
            loop {
                let n = self.nodes[node as usize];
                if n.entity != NONE {
                    candidates.clear();
                    candidates.push(n.entity);
                    best = Some(j);
                } else if n.output != NONE {
                    let span = tokens[i].0 as usize..tokens[j].1 as usize;
                    let before = candidates.len();
                    self.valid_outputs(node, &text[span], candidates);
                    if candidates.len() > before {
                        // Longer spans replace shorter ones.
                        candidates.drain(..before);
                        best = Some(j);
                    }
                }
                j += 1;
                if j == tokens.len() || tokens[j].2 & GAP != 0 {
                    break;
                }
                match self.child(node, tokens[j].2) {
                    Some(child) => node = child,
                    None => break,
                }
            }
            let Some(last) = best else {
                i += 1;
                continue;
            };
            let (start, end) = (tokens[i].0, tokens[last].1);
            candidates.sort_unstable();
            candidates.dedup();
            out.extend(
                candidates
                    .drain(..)
                    .map(|entity| Match { start, end, entity }),
            );
            i = last + 1;
        }
    }

    /// Pushes the entities of `node` whose case rule accepts `surface`.
    fn valid_outputs(&self, node: u32, surface: &str, into: &mut Vec<u32>) {
        let mut cased: Option<String> = None;
        let mut at = self.nodes[node as usize].output;
        while at != NONE {
            let output = self.outputs[at as usize];
            let accepted = output.exact == NONE || {
                let cased = cased.get_or_insert_with(|| key(surface, Case::Keep));
                *cased == *self.exact_keys[output.exact as usize]
            };
            if accepted {
                into.push(output.entity);
            }
            at = output.next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Entry;
    use crate::model::EntityType;

    fn entry(kind: EntityType, name: &str, aliases: &[&str], attributes: &[(&str, &str)]) -> Entry {
        Entry::new(kind, name, aliases, attributes)
    }

    fn gazetteer() -> Gazetteer {
        use EntityType::*;
        Gazetteer::from_entries(vec![
            entry(
                State,
                "Chechen Republic of Ichkeria",
                &[
                    "Ichkeria",
                    "Chechen Republic",
                    "Noxçiyçö",
                    "Chechen Republic — Ichkeria",
                ],
                &[],
            ),
            entry(State, "Russia", &["Russian Federation"], &[]),
            entry(State, "United States", &["US", "U.S."], &[]),
            entry(Place, "Male", &[], &[("case", "exact")]),
            entry(State, "Georgia", &[], &[]),
            entry(Place, "Georgia", &["Georgia State"], &[]),
            entry(Person, "Oles Shevchenko", &["Oles' Shevchenko"], &[]),
            entry(Person, "Genovaite Šakaliene", &[], &[]),
            entry(Organisation, "Warsaw — 90", &[], &[]),
            entry(Person, "X", &[], &[]),
        ])
    }

    /// Each row: text, then the matches as `surface=entity index` (several
    /// indices joined by `+` for an ambiguous span).
    #[test]
    fn matches() {
        let matcher = Matcher::build(&gazetteer());
        let cases: &[(&str, &[&str])] = &[
            (
                "the Chechen Republic of Ichkeria declared",
                &["Chechen Republic of Ichkeria=0"],
            ),
            (
                "the Chechen Republic and Ichkeria",
                &["Chechen Republic=0", "Ichkeria=0"],
            ),
            (
                "Chechen\n\nRepublic —\n Ichkeria, Austria",
                &["Chechen\n\nRepublic —\n Ichkeria=0"],
            ),
            (
                "Chechen Republic-Ichkeria",
                &["Chechen Republic-Ichkeria=0"],
            ),
            (
                "sovereignty of Noxciyco (NOXÇIYÇÖ)",
                &["Noxciyco=0", "NOXÇIYÇÖ=0"],
            ),
            (
                "Russia’s war, Russia. Russian forces",
                &["Russia=1", "Russia=1"],
            ),
            (
                "RUSSIA and the russian federation",
                &["RUSSIA=1", "russian federation=1"],
            ),
            ("the US and the U.S. but not us", &["US=2", "U.S.=2"]),
            ("Male voters in Male", &["Male=3", "Male=3"]),
            ("male voters", &[]),
            ("in Georgia today", &["Georgia=4+5"]),
            ("in Georgia State", &["Georgia State=5"]),
            (
                "Oles’ Shevchenko and Oles Shevchenko",
                &["Oles’ Shevchenko=6", "Oles Shevchenko=6"],
            ),
            ("GENOVAITE SAKALIENE", &["GENOVAITE SAKALIENE=7"]),
            ("co-founder of «Warsaw – 90»", &["Warsaw – 90=8"]),
            ("X marks the spot", &[]),
            ("", &[]),
        ];
        let mut scratch = Scratch::default();
        for (text, want) in cases {
            let mut found = Vec::new();
            matcher.find(text, &mut scratch, &mut found);
            let mut got: Vec<String> = Vec::new();
            for m in &found {
                let surface = &text[m.start as usize..m.end as usize];
                match got.last_mut() {
                    Some(last)
                        if last.starts_with(&format!("{surface}="))
                            && found.iter().filter(|o| o.start == m.start).count() > 1 =>
                    {
                        last.push_str(&format!("+{}", m.entity));
                    }
                    _ => got.push(format!("{surface}={}", m.entity)),
                }
            }
            assert_eq!(&got, want, "in {text:?}");
        }
    }

    /// Compatibility characters (ligatures, fullwidth forms, styled
    /// letters) match the plain names, with spans that are exact byte
    /// ranges of the text: each row is a text and its matches as (surface,
    /// start, end, entity index).
    #[test]
    fn compatibility_characters_match_with_exact_spans() {
        use EntityType::*;
        let matcher = Matcher::build(&Gazetteer::from_entries(vec![
            entry(Organisation, "Office of Fjord Affairs", &[], &[]),
            entry(Person, "Efim Lafitte", &[], &[]),
            entry(State, "Ruritania", &[], &[]),
            entry(Organisation, "United Nations", &["UN"], &[]),
        ]));
        /// A match as (surface, start, end, entity index).
        type Span<'a> = (&'a str, u32, u32, u32);
        let cases: &[(&str, &[Span])] = &[
            (
                "The Oﬃce of Fjord Aﬀairs met.",
                &[("Oﬃce of Fjord Aﬀairs", 4, 28, 0)],
            ),
            (
                "ＯＦＦＩＣＥ ＯＦ ＦＪＯＲＤ ＡＦＦＡＩＲＳ",
                &[("ＯＦＦＩＣＥ ＯＦ ＦＪＯＲＤ ＡＦＦＡＩＲＳ", 0, 63, 0)],
            ),
            (
                "Eﬁm Laﬁtte, of Ｒｕｒｉｔａｎｉａ＇ｓ ＵＮ mission",
                &[
                    ("Eﬁm Laﬁtte", 0, 14, 1),
                    ("Ｒｕｒｉｔａｎｉａ", 19, 46, 2),
                    ("ＵＮ", 53, 59, 3),
                ],
            ),
            // `™` stays a mark of its own; an acronym keeps its case.
            ("𝐑𝐮𝐫𝐢𝐭𝐚𝐧𝐢𝐚™ and ｕｎ", &[("𝐑𝐮𝐫𝐢𝐭𝐚𝐧𝐢𝐚", 0, 36, 2)]),
        ];
        let mut scratch = Scratch::default();
        for (text, want) in cases {
            let mut found = Vec::new();
            matcher.find(text, &mut scratch, &mut found);
            let got: Vec<Span> = found
                .iter()
                .map(|m| {
                    let surface = text
                        .get(m.start as usize..m.end as usize)
                        .expect("a match lies on character boundaries");
                    (surface, m.start, m.end, m.entity)
                })
                .collect();
            assert_eq!(&got, want, "in {text:?}");
        }
    }

    #[test]
    fn counts_names_but_not_too_short_ones() {
        let matcher = Matcher::build(&gazetteer());
        // 5 + 2 + 3 + 1 + 1 + 2 + 2 + 1 + 1 names; `X` is too short.
        assert_eq!(matcher.name_count(), 18);
    }

    #[test]
    fn a_gazetteer_of_many_blocks_matches_like_one() {
        // Names over several build blocks, sharing words across blocks, so
        // token ids and trie paths are made by several blocks in turn.
        let words = [
            "north", "river", "union", "guild", "party", "front", "league",
        ];
        let mut entries = Vec::new();
        for i in 0..(3 * BUILD_BLOCK + 17) {
            let (a, b) = (
                words[i % words.len()],
                words[(i / words.len()) % words.len()],
            );
            let name = format!("{a} {b} {i}");
            let alias = format!("{}{i}", &a[..2]).to_uppercase();
            entries.push(Entry::new(EntityType::Organisation, &name, &[&alias], &[]));
        }
        let gazetteer = Gazetteer::from_entries(entries);
        let matcher = Matcher::build(&gazetteer);
        assert_eq!(matcher.name_count(), 2 * gazetteer.len());
        let mut scratch = Scratch::default();
        for (index, entry) in gazetteer.entries().iter().enumerate() {
            for name in entry.names() {
                let text = format!("Before {name}, after.");
                let mut found = Vec::new();
                matcher.find(&text, &mut scratch, &mut found);
                let got: Vec<(&str, u32)> = found
                    .iter()
                    .map(|m| (&text[m.start as usize..m.end as usize], m.entity))
                    .collect();
                assert_eq!(got, [(name, index as u32)], "{text:?}");
            }
        }
    }
}
