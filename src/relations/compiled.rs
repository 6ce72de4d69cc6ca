//! The rules compiled against a gazetteer: one vocabulary of folded words,
//! one trie over every trigger and list phrase (so a document's tokens are
//! looked up once, whatever the number of rules), the states' adjectives,
//! and the institutions ("Parliament of Ukraine") the rules can derive.

use super::rules::{Form, Rule, RuleSet, Types};
use crate::gazetteer::Gazetteer;
use crate::model::EntityType;
use crate::normalize::token_hash;
use crate::normalize::{self, Case};
use hashbrown::HashTable;
use rustc_hash::FxHashMap;

/// No word, slot, entity or sentence.
pub(crate) const NONE: u32 = u32::MAX;

/// The word lists a token can belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum Flag {
    Hedge = 1,
    Negation = 1 << 1,
    Preposition = 1 << 2,
    Determiner = 1 << 3,
    Relative = 1 << 4,
    We = 1 << 5,
    Coordinator = 1 << 6,
    ClauseBreak = 1 << 7,
    Institution = 1 << 8,
    StateWord = 1 << 9,
    DocumentWord = 1 << 10,
    Reference = 1 << 11,
    Copula = 1 << 12,
    Possessive = 1 << 13,
    Count = 1 << 14,
    SignatureWord = 1 << 15,
    BlockEnd = 1 << 16,
    OwnBehalf = 1 << 17,
    InfoboxRole = 1 << 18,
    Part = 1 << 19,
    Subdivision = 1 << 20,
    Former = 1 << 21,
    PeriodStart = 1 << 22,
    PeriodJoin = 1 << 23,
    PeriodEnd = 1 << 24,
    Present = 1 << 25,
}

/// The word lists the extractor reads (a rule file may extend them), and
/// the flag each gives its words.
pub(crate) const LISTS: [(&str, Flag); 25] = [
    ("hedges", Flag::Hedge),
    ("negations", Flag::Negation),
    ("prepositions", Flag::Preposition),
    ("determiners", Flag::Determiner),
    ("relatives", Flag::Relative),
    ("we", Flag::We),
    ("coordinators", Flag::Coordinator),
    ("clause-breaks", Flag::ClauseBreak),
    ("institutions", Flag::Institution),
    ("state-words", Flag::StateWord),
    ("document-words", Flag::DocumentWord),
    ("copulas", Flag::Copula),
    ("possessives", Flag::Possessive),
    ("counts", Flag::Count),
    ("signature-words", Flag::SignatureWord),
    ("block-ends", Flag::BlockEnd),
    ("own-behalf", Flag::OwnBehalf),
    ("infobox-roles", Flag::InfoboxRole),
    ("parts", Flag::Part),
    ("subdivisions", Flag::Subdivision),
    ("former", Flag::Former),
    ("period-starts", Flag::PeriodStart),
    ("period-joins", Flag::PeriodJoin),
    ("period-ends", Flag::PeriodEnd),
    ("present-words", Flag::Present),
];

/// What a phrase of the trie stands for.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Output {
    Flag(Flag),
    Trigger(u16),
    Demonym(u32),
}

/// A rule with its word lists as vocabulary ids.
pub(crate) struct CompiledRule {
    pub rule: Rule,
    /// Index of the relation kind in [`Compiled::kinds`].
    pub kind: u16,
    /// Index of the demoted kind, if any.
    pub demoted_kind: Option<u16>,
    pub prepositions: Vec<Vec<u32>>,
    pub demoted_by: Vec<Vec<u32>>,
    /// Words after which a name is not the object (one-word entries).
    pub not_after: Vec<u32>,
    /// Nouns through which the object is named (one-word entries).
    pub through: Vec<u32>,
}

/// A reference noun's constraints.
pub(crate) struct CompiledReference {
    pub types: Types,
    pub kinds: Vec<String>,
    /// Stands for several names at once ("the leaders").
    pub group: bool,
    /// Only the nearest sentence naming several things counts ("they").
    pub nearest: bool,
    /// Stands for one person only ("he", "she").
    pub one: bool,
}

/// The rules, ready to run on documents.
pub struct Compiled {
    /// The vocabulary while it is being built (folded word to id); emptied
    /// once `by_hash` and `words` hold it.
    vocab: FxHashMap<Box<str>, u32>,
    /// The vocabulary as texts read it: (hash, id) by [`token_hash`], so a
    /// token the matcher has hashed is looked up without hashing again.
    by_hash: HashTable<(u64, u32)>,
    /// The folded text of each vocabulary id.
    words: Vec<Box<str>>,
    /// A bit per vocabulary word, at 16 bits of its hash: most words of a
    /// text are not in the vocabulary, and this says so in one load.
    sketches: Box<[u64; SKETCH_WORDS]>,
    children: FxHashMap<(u32, u32), u32>,
    /// The trie node of each word at the root (the first step of every
    /// walk, an array access instead of a hash lookup), or [`NONE`].
    roots: Vec<u32>,
    /// Per trie node, a bit for each child word's id modulo 64: most words
    /// after a phrase's first are not its next word, and this says so
    /// without a hash lookup.
    child_masks: Vec<u64>,
    /// The flags of the one-word list entries, by word id (see
    /// [`Compiled::word_flags`]).
    word_flags: Vec<u32>,
    outputs: Vec<Vec<Output>>,
    pub(crate) rules: Vec<CompiledRule>,
    /// Relation kinds; a rule and a [`Found`](super::Found) name theirs by index here.
    pub kinds: Vec<String>,
    entity_types: Vec<EntityType>,
    entity_kinds: FxHashMap<u32, Box<str>>,
    institutions: FxHashMap<(Vec<u32>, u32), u32>,
    references: FxHashMap<u32, Vec<CompiledReference>>,
    /// Words that are one letter away from a trigger (typos in hand-typed
    /// lists), keyed by every one-letter deletion.
    fuzzy: FxHashMap<Box<str>, u32>,
    /// The trigger words typos are looked for, by folded text.
    typo_words: FxHashMap<Box<str>, u32>,
    /// The [`letter_mask`] and length in letters of each of `typo_words`.
    typo_masks: Vec<(u32, u8)>,
    pub(crate) s_word: u32,
    pub(crate) as_word: u32,
    pub(crate) by_word: u32,
    pub(crate) of_word: u32,
    pub(crate) under_word: u32,
    pub(crate) to_word: u32,
    pub(crate) in_word: u32,
    pub(crate) that_word: u32,
    pub(crate) its_word: u32,
    pub(crate) a_word: u32,
    pub(crate) an_word: u32,
    pub(crate) among_word: u32,
    /// The month names and date words of the `dates.rules` lists.
    pub(crate) dates: super::dates::DateWords,
}

impl Compiled {
    /// Compiles the relation rules `set` against the gazetteer's entities.
    pub fn build(gazetteer: &Gazetteer, set: &RuleSet) -> Compiled {
        let mut compiled = Compiled {
            vocab: FxHashMap::default(),
            by_hash: HashTable::new(),
            words: Vec::new(),
            sketches: Box::new([0; SKETCH_WORDS]),
            children: FxHashMap::default(),
            roots: Vec::new(),
            child_masks: Vec::new(),
            word_flags: Vec::new(),
            outputs: vec![Vec::new()],
            rules: Vec::new(),
            kinds: Vec::new(),
            entity_types: gazetteer.entries().iter().map(|e| e.kind).collect(),
            entity_kinds: FxHashMap::default(),
            institutions: FxHashMap::default(),
            references: FxHashMap::default(),
            fuzzy: FxHashMap::default(),
            typo_words: FxHashMap::default(),
            typo_masks: Vec::new(),
            s_word: 0,
            as_word: 0,
            by_word: 0,
            of_word: 0,
            under_word: 0,
            to_word: 0,
            in_word: 0,
            that_word: 0,
            its_word: 0,
            a_word: 0,
            an_word: 0,
            among_word: 0,
            dates: super::dates::DateWords::from_rules(set),
        };
        compiled.s_word = compiled.intern("s");
        compiled.as_word = compiled.intern("as");
        compiled.by_word = compiled.intern("by");
        compiled.of_word = compiled.intern("of");
        compiled.under_word = compiled.intern("under");
        compiled.to_word = compiled.intern("to");
        compiled.in_word = compiled.intern("in");
        compiled.that_word = compiled.intern("that");
        compiled.its_word = compiled.intern("its");
        compiled.a_word = compiled.intern("a");
        compiled.an_word = compiled.intern("an");
        compiled.among_word = compiled.intern("among");
        for (name, flag) in LISTS {
            for phrase in set.list(name) {
                compiled.add_phrase(phrase, Output::Flag(flag));
            }
        }
        compiled.add_references(set);
        compiled.add_rules(set);
        compiled.add_entities(gazetteer, set);
        compiled.index_vocabulary();
        compiled.roots = vec![NONE; compiled.words.len()];
        compiled.child_masks = vec![0; compiled.outputs.len()];
        for (&(node, word), &child) in &compiled.children {
            if node == 0 {
                compiled.roots[word as usize] = child;
            }
            compiled.child_masks[node as usize] |= 1 << (word % 64);
        }
        // One-word list entries ("is", "the", "for") are most of a text's
        // vocabulary words: their flags are read from `word_flags`, without a
        // walk, and a word that starts nothing longer is no root at all.
        compiled.word_flags = vec![0; compiled.words.len()];
        for word in 0..compiled.roots.len() {
            let node = compiled.roots[word];
            if node == NONE {
                continue;
            }
            let outputs = &mut compiled.outputs[node as usize];
            outputs.retain(|output| match output {
                Output::Flag(flag) => {
                    compiled.word_flags[word] |= *flag as u32;
                    false
                }
                _ => true,
            });
            if outputs.is_empty() && compiled.child_masks[node as usize] == 0 {
                compiled.roots[word] = NONE;
            }
        }
        compiled
    }

    /// Builds the hashed view of the finished vocabulary.
    fn index_vocabulary(&mut self) {
        self.words = vec![Box::from(""); self.vocab.len()];
        for (word, &id) in &self.vocab {
            let hash = token_hash(word);
            let bit = sketch(hash);
            self.sketches[bit / 64] |= 1 << (bit % 64);
            self.by_hash.insert_unique(hash, (hash, id), |&(h, _)| h);
            self.words[id as usize] = word.clone();
        }
        self.vocab = FxHashMap::default();
    }

    fn intern(&mut self, word: &str) -> u32 {
        let next = self.vocab.len() as u32;
        *self.vocab.entry(word.into()).or_insert(next)
    }

    fn phrase_ids(&mut self, phrase: &str) -> Vec<u32> {
        let mut words = Vec::new();
        normalize::tokenize(phrase, Case::Fold, |_, token| words.push(token.to_string()));
        words.iter().map(|w| self.intern(w)).collect()
    }

    fn add_phrase(&mut self, phrase: &str, output: Output) {
        let words = self.phrase_ids(phrase);
        if words.is_empty() {
            return;
        }
        let mut node = 0u32;
        for word in words {
            let next = self.outputs.len() as u32;
            node = *self.children.entry((node, word)).or_insert(next);
            if node == next {
                self.outputs.push(Vec::new());
            }
        }
        self.outputs[node as usize].push(output);
    }

    fn add_references(&mut self, set: &RuleSet) {
        for reference in &set.references {
            for word in &reference.words {
                let ids = self.phrase_ids(word);
                if let [id] = ids[..] {
                    self.add_phrase(word, Output::Flag(Flag::Reference));
                    self.references
                        .entry(id)
                        .or_default()
                        .push(CompiledReference {
                            types: reference.types,
                            kinds: reference.kinds.clone(),
                            group: reference.group,
                            nearest: reference.nearest,
                            one: reference.one,
                        });
                }
            }
        }
    }

    fn add_rules(&mut self, set: &RuleSet) {
        for (index, rule) in set.rules.iter().enumerate() {
            let kind = self.kind(&rule.relation);
            let demoted_kind = rule.demoted_to.clone().map(|k| self.kind(&k));
            let prepositions = rule
                .preposition
                .iter()
                .map(|p| self.phrase_ids(p))
                .collect();
            let demoted_by = rule.demoted_by.iter().map(|p| self.phrase_ids(p)).collect();
            let not_after = rule
                .not_after
                .iter()
                .filter_map(|w| match self.phrase_ids(w)[..] {
                    [id] => Some(id),
                    _ => None,
                })
                .collect();
            let through = rule
                .through
                .iter()
                .filter_map(|w| match self.phrase_ids(w)[..] {
                    [id] => Some(id),
                    _ => None,
                })
                .collect();
            for trigger in &rule.triggers {
                self.add_phrase(trigger, Output::Trigger(index as u16));
                let typo_prone = matches!(rule.form, Form::Role | Form::Signatories);
                for word in trigger.split_whitespace().filter(|_| typo_prone) {
                    if word.chars().count() < 6 || !word.chars().all(char::is_alphabetic) {
                        continue;
                    }
                    let folded = normalize::key(word, Case::Fold);
                    let id = self.intern(&folded);
                    if self.typo_words.insert(folded.clone().into(), id).is_none() {
                        let length = folded.chars().count().min(usize::from(u8::MAX)) as u8;
                        self.typo_masks.push((letter_mask(&folded), length));
                    }
                    each_deletion(&folded, |deleted| {
                        self.fuzzy
                            .entry(deleted.into())
                            .and_modify(|e| {
                                if *e != id {
                                    *e = NONE
                                }
                            })
                            .or_insert(id);
                    });
                }
            }
            self.rules.push(CompiledRule {
                rule: rule.clone(),
                kind,
                demoted_kind,
                prepositions,
                demoted_by,
                not_after,
                through,
            });
        }
    }

    fn kind(&mut self, name: &str) -> u16 {
        match self.kinds.iter().position(|k| k == name) {
            Some(i) => i as u16,
            None => {
                self.kinds.push(name.to_string());
                (self.kinds.len() - 1) as u16
            }
        }
    }

    /// Adjectives of states, `kind=` of organisations the references ask
    /// for, and the institutions named "WORD of STATE".
    fn add_entities(&mut self, gazetteer: &Gazetteer, set: &RuleSet) {
        let wanted_kinds: Vec<String> = self
            .references
            .values()
            .flatten()
            .flat_map(|r| r.kinds.iter().cloned())
            .collect();
        let institution_words: Vec<String> = set
            .list("institutions")
            .iter()
            .map(|p| normalize::key(p, Case::Fold))
            .collect();
        // "WORD of REST" names of organisations, REST to be matched against
        // state names below.
        let mut wanted_states: FxHashMap<String, Vec<(String, u32)>> = FxHashMap::default();
        for (index, entry) in gazetteer.entries().iter().enumerate() {
            let index = index as u32;
            match entry.kind {
                EntityType::State => {
                    if let Some(demonyms) = entry.attribute("demonym") {
                        for demonym in demonyms.split(',').map(str::trim).filter(|d| !d.is_empty())
                        {
                            self.add_phrase(demonym, Output::Demonym(index));
                        }
                    }
                }
                EntityType::Organisation => {
                    if let Some(kind) = entry.attribute("kind")
                        && wanted_kinds.iter().any(|k| k == kind)
                    {
                        self.entity_kinds.insert(index, kind.into());
                    }
                    for name in entry.names() {
                        let Some(first) = name.split_whitespace().next() else {
                            continue;
                        };
                        let first = first.to_lowercase();
                        if !institution_words.iter().any(|w| w.starts_with(&first)) {
                            continue;
                        }
                        let key = normalize::key(name, Case::Fold);
                        for word in &institution_words {
                            if let Some(rest) = key
                                .strip_prefix(word.as_str())
                                .and_then(|r| r.strip_prefix(" of "))
                            {
                                let rest = rest.strip_prefix("the ").unwrap_or(rest);
                                wanted_states
                                    .entry(rest.to_string())
                                    .or_default()
                                    .push((word.clone(), index));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        if wanted_states.is_empty() {
            return;
        }
        let mut found: FxHashMap<(Vec<u32>, u32), u32> = FxHashMap::default();
        for (index, entry) in gazetteer.entries().iter().enumerate() {
            if entry.kind != EntityType::State {
                continue;
            }
            for name in entry.names() {
                let key = normalize::key(name, Case::Fold);
                let key = key.strip_prefix("the ").unwrap_or(&key);
                let Some(orgs) = wanted_states.get(key) else {
                    continue;
                };
                for (word, org) in orgs.clone() {
                    let words = self.phrase_ids(&word);
                    found
                        .entry((words, index as u32))
                        .and_modify(|o| {
                            if *o != org {
                                *o = NONE
                            }
                        })
                        .or_insert(org);
                }
            }
        }
        found.retain(|_, org| *org != NONE);
        self.institutions = found;
    }

    /// The vocabulary id of a folded word whose [`token_hash`] is `hash`,
    /// or [`NONE`].
    #[inline]
    pub(crate) fn word(&self, folded: &str, hash: u64) -> u32 {
        let bit = sketch(hash);
        if self.sketches[bit / 64] & (1 << (bit % 64)) == 0 {
            return NONE;
        }
        self.by_hash
            .find(hash, |&(h, id)| {
                h == hash && *self.words[id as usize] == *folded
            })
            .map_or(NONE, |&(_, id)| id)
    }

    /// The trigger word one typo away from `folded`, if exactly one is:
    /// first a letter too many ("memeber"), then a letter missing
    /// ("suported"), then a letter changed.
    pub(crate) fn fuzzy_word(&self, folded: &str) -> u32 {
        if folded.chars().count() < 6 || !folded.chars().all(char::is_alphabetic) {
            return NONE;
        }
        // Each of the three typos below leaves at most one letter of
        // `folded` that its trigger word lacks: a word with two is turned
        // away before building a dozen deletions (about a quarter of the
        // words of the benchmark's lists).
        // And each changes the length by one letter at most.
        let mask = letter_mask(folded);
        let letters = folded.chars().count();
        if !self.typo_masks.iter().any(|&(trigger, length)| {
            (mask & !trigger).count_ones() <= 1 && letters.abs_diff(usize::from(length)) <= 1
        }) {
            return NONE;
        }
        let unique = |ids: &mut dyn Iterator<Item = u32>| {
            let mut found = NONE;
            for id in ids {
                if id == NONE || (found != NONE && found != id) {
                    return Some(NONE);
                }
                found = id;
            }
            (found != NONE).then_some(found)
        };
        let extra = unique(&mut deleted_ids(folded, &self.typo_words).into_iter());
        let missing = || unique(&mut self.fuzzy.get(folded).copied().into_iter());
        let changed = || unique(&mut deleted_ids(folded, &self.fuzzy).into_iter());
        extra.or_else(missing).or_else(changed).unwrap_or(NONE)
    }

    /// Calls `each(end, output)` for every phrase starting at token `start`
    /// and ending before `limit`, but for the one-word list entries, whose
    /// flags [`Compiled::word_flags`] gives. `word_at(t)` is the vocabulary
    /// id of token `t`.
    pub(crate) fn phrases_at(
        &self,
        word_at: impl Fn(usize) -> u32,
        start: usize,
        limit: usize,
        mut each: impl FnMut(usize, Output),
    ) {
        let mut node = 0u32;
        let mut t = start;
        while t < limit {
            let word = word_at(t);
            if word == NONE {
                return;
            }
            let next = if node == 0 {
                self.roots.get(word as usize).copied().unwrap_or(NONE)
            } else if self.child_masks[node as usize] & (1 << (word % 64)) == 0 {
                NONE
            } else {
                self.children.get(&(node, word)).copied().unwrap_or(NONE)
            };
            if next == NONE {
                return;
            }
            node = next;
            t += 1;
            for &output in &self.outputs[node as usize] {
                each(t, output);
            }
        }
    }

    /// The flags of the word lists that hold vocabulary word `word` as a
    /// one-word entry; [`Compiled::phrases_at`] gives only the longer
    /// phrases.
    pub(crate) fn word_flags(&self, word: u32) -> u32 {
        self.word_flags.get(word as usize).copied().unwrap_or(0)
    }

    /// The type of a gazetteer entity.
    pub(crate) fn entity_type(&self, entity: u32) -> EntityType {
        self.entity_types[entity as usize]
    }

    /// The organisation "WORDS of STATE", if the gazetteer has exactly one.
    pub(crate) fn institution(&self, words: &[u32], state: u32) -> Option<u32> {
        // The longest prefix of `words` that names an institution.
        (1..=words.len()).rev().find_map(|n| {
            self.institutions
                .get(&(words[..n].to_vec(), state))
                .copied()
        })
    }

    /// The constraints of the reference noun `word`.
    pub(crate) fn references(&self, word: u32) -> &[CompiledReference] {
        self.references.get(&word).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether `entity` fits a reference's `kinds`.
    pub(crate) fn kind_fits(&self, entity: u32, kinds: &[String]) -> bool {
        kinds.is_empty()
            || self
                .entity_kinds
                .get(&entity)
                .is_some_and(|k| kinds.iter().any(|w| **w == **k))
    }

    /// Whether any rule is loaded.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

const SKETCH_WORDS: usize = 1024;

/// The sketch bit of a word: the top 16 bits of its hash (the hash table
/// indexes by the low bits; its tag byte reuses the top 7, which does not
/// matter for a filter).
fn sketch(hash: u64) -> usize {
    (hash >> 48) as usize % (SKETCH_WORDS * 64)
}

/// The letters of `word` as a set of 32 bits (`a` to `z` each their own,
/// other letters sharing the rest): if the letters of one word are among
/// those of another, so are the bits.
fn letter_mask(word: &str) -> u32 {
    word.chars().fold(0, |mask, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            _ => 26 + c as u32 % 6,
        };
        mask | 1 << bit
    })
}

/// The ids `map` gives the words `word` becomes with one letter deleted.
fn deleted_ids(word: &str, map: &FxHashMap<Box<str>, u32>) -> Vec<u32> {
    let mut ids = Vec::new();
    each_deletion(word, |deleted| ids.extend(map.get(deleted).copied()));
    ids
}

/// Calls `each` with every string `word` becomes with one character
/// deleted, built in one buffer (lookups run on many words of every list).
fn each_deletion(word: &str, mut each: impl FnMut(&str)) {
    let mut buffer = String::with_capacity(word.len());
    for (i, c) in word.char_indices() {
        buffer.clear();
        buffer.push_str(&word[..i]);
        buffer.push_str(&word[i + c.len_utf8()..]);
        each(&buffer);
    }
}
