//! The word lists name finding reads (`gazetteers/relations/names.rules`),
//! folded for lookup.

use crate::normalize::{Case, key};
use crate::relations::rules::RuleSet;
use rustc_hash::{FxHashMap, FxHashSet};

/// Phrases of one or more words, found by their last word.
#[derive(Debug, Default)]
pub(crate) struct Phrases {
    /// Last word → the words before it, each phrase once.
    by_last: FxHashMap<String, Vec<Vec<String>>>,
}

impl Phrases {
    fn new(items: &[String]) -> Phrases {
        let mut by_last: FxHashMap<String, Vec<Vec<String>>> = FxHashMap::default();
        for item in items {
            let mut words: Vec<String> = item.split_whitespace().map(fold_word).collect();
            words.retain(|w| !w.is_empty());
            let Some(last) = words.pop() else { continue };
            let before = by_last.entry(last).or_default();
            if !before.contains(&words) {
                before.push(words);
            }
        }
        Phrases { by_last }
    }

    /// The number of words of the longest phrase ending with `words[at]`,
    /// or 0.
    pub(crate) fn ending_at(&self, words: &[&str], at: usize) -> usize {
        let Some(befores) = self.by_last.get(words[at]) else {
            return 0;
        };
        befores
            .iter()
            .filter(|before| {
                before.len() <= at
                    && before
                        .iter()
                        .zip(&words[at - before.len()..at])
                        .all(|(a, b)| a == b)
            })
            .map(|before| before.len() + 1)
            .max()
            .unwrap_or(0)
    }

    /// Whether the one-word phrase `word` is listed.
    pub(crate) fn has_word(&self, word: &str) -> bool {
        self.by_last
            .get(word)
            .is_some_and(|befores| befores.iter().any(Vec::is_empty))
    }
}

/// Bits of [`Cues::mark`]: which lists a word is in (for the phrase
/// lists, as a phrase's last word).
pub(crate) mod mark {
    pub const PARTICLE: u32 = 1;
    pub const NOT_NAME: u32 = 1 << 1;
    pub const GIVEN: u32 = 1 << 2;
    pub const SUFFIX: u32 = 1 << 3;
    pub const ORDINAL: u32 = 1 << 4;
    pub const PLACE_PREFIX: u32 = 1 << 5;
    pub const TITLE: u32 = 1 << 6;
    pub const ROLE: u32 = 1 << 7;
    pub const ORGANISATION_HEAD: u32 = 1 << 8;
    pub const STATE_HEAD: u32 = 1 << 9;
    pub const PLACE_HEAD: u32 = 1 << 10;
    pub const PLACE_PREPOSITION: u32 = 1 << 11;
    pub const PERSON_VERB: u32 = 1 << 12;
    pub const ORGANISATION_NOUN: u32 = 1 << 13;
    pub const PLACE_NOUN: u32 = 1 << 14;
    pub const KEY: u32 = 1 << 15;
    /// A head word of any kind.
    pub const HEAD: u32 = ORGANISATION_HEAD | STATE_HEAD | PLACE_HEAD;
}

/// Every list name finding reads.
#[derive(Debug, Default)]
pub struct Cues {
    /// Per word, the [`mark`] bits of the lists it is in: one lookup
    /// answers every "is it a ..." of a word.
    marks: FxHashMap<String, u32>,
    pub(crate) titles: Phrases,
    pub(crate) roles: Phrases,
    pub(crate) organisation_heads: Phrases,
    pub(crate) state_heads: Phrases,
    pub(crate) place_heads: Phrases,
    pub(crate) place_prepositions: Phrases,
    pub(crate) person_verbs: Phrases,
    pub(crate) organisation_nouns: Phrases,
    pub(crate) place_nouns: Phrases,
    pub(crate) person_keys: Phrases,
    pub(crate) organisation_keys: Phrases,
    pub(crate) place_keys: Phrases,
    pub(crate) particles: FxHashSet<String>,
    pub(crate) not_names: FxHashSet<String>,
}

impl Cues {
    /// The cues of the lists of `rules` (see `gazetteers/relations/names.rules`).
    pub fn from_rules(rules: &RuleSet) -> Cues {
        let words = |name: &str| -> FxHashSet<String> {
            rules
                .list(name)
                .iter()
                .map(|w| fold_word(w))
                .filter(|w| !w.is_empty())
                .collect()
        };
        let mut marks: FxHashMap<String, u32> = FxHashMap::default();
        let mut set = |name: &str, bit: u32, last_only: bool| {
            for item in rules.list(name) {
                let words: Vec<String> = item.split_whitespace().map(fold_word).collect();
                let marked = if last_only {
                    words.last().into_iter().collect::<Vec<_>>()
                } else {
                    words.iter().collect()
                };
                for word in marked {
                    if !word.is_empty() {
                        *marks.entry(word.clone()).or_default() |= bit;
                    }
                }
            }
        };
        set("name-particles", mark::PARTICLE, false);
        set("not-names", mark::NOT_NAME, false);
        set("given-names", mark::GIVEN, false);
        set("name-suffixes", mark::SUFFIX, false);
        set("ordinals", mark::ORDINAL, false);
        set("place-prefixes", mark::PLACE_PREFIX, false);
        set("name-titles", mark::TITLE, true);
        set("name-roles", mark::ROLE, true);
        set("organisation-heads", mark::ORGANISATION_HEAD, true);
        set("state-heads", mark::STATE_HEAD, true);
        set("place-heads", mark::PLACE_HEAD, true);
        set("place-prepositions", mark::PLACE_PREPOSITION, true);
        set("person-verbs", mark::PERSON_VERB, true);
        set("organisation-nouns", mark::ORGANISATION_NOUN, true);
        set("place-nouns", mark::PLACE_NOUN, true);
        set("person-keys", mark::KEY, true);
        set("organisation-keys", mark::KEY, true);
        set("place-keys", mark::KEY, true);
        Cues {
            marks,
            titles: Phrases::new(rules.list("name-titles")),
            roles: Phrases::new(rules.list("name-roles")),
            organisation_heads: Phrases::new(rules.list("organisation-heads")),
            state_heads: Phrases::new(rules.list("state-heads")),
            place_heads: Phrases::new(rules.list("place-heads")),
            place_prepositions: Phrases::new(rules.list("place-prepositions")),
            person_verbs: Phrases::new(rules.list("person-verbs")),
            organisation_nouns: Phrases::new(rules.list("organisation-nouns")),
            place_nouns: Phrases::new(rules.list("place-nouns")),
            person_keys: Phrases::new(rules.list("person-keys")),
            organisation_keys: Phrases::new(rules.list("organisation-keys")),
            place_keys: Phrases::new(rules.list("place-keys")),
            particles: words("name-particles"),
            not_names: words("not-names"),
        }
    }
}

impl Cues {
    /// The [`mark`] bits of a folded word (0 for a word in no list).
    pub(crate) fn mark(&self, folded: &str) -> u32 {
        self.marks.get(folded).copied().unwrap_or(0)
    }
}

/// The lookup form of one word: folded as names are (case, diacritics), a
/// possessive "'s" and every mark dropped ("People's" → "people",
/// "U.S" → "us").
pub(crate) fn fold_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_word_into(word, &mut out);
    out
}

/// [`fold_word`] into a buffer (appended).
pub(crate) fn fold_word_into(word: &str, out: &mut String) {
    let word = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word);
    if word.is_ascii() {
        out.extend(
            word.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        out.extend(
            key(word, Case::Fold)
                .chars()
                .filter(|c| c.is_alphanumeric()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_found_by_their_last_word() {
        let phrases = Phrases::new(&["prime minister".into(), "minister".into()]);
        let words = ["dutch", "prime", "minister"];
        assert_eq!(phrases.ending_at(&words, 2), 2);
        assert_eq!(phrases.ending_at(&words, 1), 0);
        assert!(phrases.has_word("minister"));
        assert!(!phrases.has_word("prime"));
    }

    #[test]
    fn words_fold_like_names() {
        assert_eq!(fold_word("People's"), "people");
        assert_eq!(fold_word("FERNÁNDEZ"), "fernandez");
        assert_eq!(fold_word("U.S"), "us");
    }
}

#[cfg(test)]
mod agreement {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The ASCII shortcut folds as `normalize::key` does, marks left out.
        #[test]
        fn ascii_words_fold_as_key_does(word in "[A-Za-z0-9'.-]{1,12}") {
            let by_key: String = key(&word, Case::Fold)
                .split(' ')
                .collect::<Vec<_>>()
                .concat()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect();
            let expected = match word.strip_suffix("'s") {
                Some(stem) => key(stem, Case::Fold).chars().filter(|c| c.is_alphanumeric()).collect(),
                None => by_key,
            };
            prop_assert_eq!(fold_word(&word), expected);
        }
    }
}
