//! Capitals that stand for their states: "Kyiv's recognition of …",
//! "Moscow said …".
//!
//! A mention of a place with `kind=capital` and `country=X` becomes a
//! mention of the state X when the words right after it make it an actor:
//! `'s` (or `'`) followed by one of the *possessive* words (recognition,
//! decision, position, …), or directly one of the *verbs* (said, condemned,
//! recognised, …), unless the word before it is one of the *not-after*
//! words, which make it a place ("replies from Moscow denied"). The word
//! lists are data: `metonymy.txt` in each gazetteer directory. The surface stays as written; only the entity changes, so the
//! evidence still shows "Kyiv".
//!
//! Pure: text and mentions in, mentions out.

use crate::gazetteer::Gazetteer;
use crate::mention::{Mention, Resolution};
use crate::model::EntityType;
use crate::normalize::{Case, key, tokenize};
use rustc_hash::{FxHashMap, FxHashSet};

/// The file of word lists, read from each gazetteer directory.
pub const FILE: &str = "metonymy.txt";

/// The word lists of [`FILE`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rules {
    /// Words after `NAME's` that make NAME an actor.
    pub possessive: Vec<String>,
    /// Words right after NAME that make it an actor.
    pub verbs: Vec<String>,
    /// Words right before NAME that make it a place whatever follows.
    pub not_after: Vec<String>,
}

impl Rules {
    /// Parses [`FILE`]'s text: `possessive: w w …` and `verb: w w …` lines,
    /// `#` comments, blank lines. An unknown line kind is an error naming
    /// its line.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut rules = Rules::default();
        rules.extend(text)?;
        Ok(rules)
    }

    /// Adds the lines of another file.
    pub fn extend(&mut self, text: &str) -> Result<(), String> {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((kind, words)) = line.split_once(':') else {
                return Err(format!(
                    "{}: expected `possessive:` or `verb:` and words",
                    n + 1
                ));
            };
            let list = match kind.trim() {
                "possessive" => &mut self.possessive,
                "verb" => &mut self.verbs,
                "not-after" => &mut self.not_after,
                other => {
                    return Err(format!(
                        "{}: unknown kind `{other}` (expected `possessive`, `verb` or `not-after`)",
                        n + 1
                    ));
                }
            };
            list.extend(words.split_whitespace().map(|w| key(w, Case::Fold)));
        }
        Ok(())
    }
}

/// The rules compiled against a gazetteer.
#[derive(Debug, Default)]
pub struct Metonymy {
    /// Capital entity index → state entity index.
    states: FxHashMap<u32, u32>,
    possessive: FxHashSet<String>,
    verbs: FxHashSet<String>,
    not_after: FxHashSet<String>,
}

impl Metonymy {
    /// Links each capital of `gazetteer` to the state its `country=` names
    /// (by canonical name or alias, state entities only), to be read with
    /// the word lists `rules`.
    pub fn build(gazetteer: &Gazetteer, rules: &Rules) -> Metonymy {
        let mut state_by_name: FxHashMap<String, u32> = FxHashMap::default();
        for (i, entry) in gazetteer.entries().iter().enumerate() {
            if entry.kind == EntityType::State {
                for name in entry.names() {
                    state_by_name
                        .entry(key(name, Case::Fold))
                        .or_insert(i as u32);
                }
            }
        }
        let mut states = FxHashMap::default();
        for (i, entry) in gazetteer.entries().iter().enumerate() {
            if entry.kind == EntityType::Place
                && entry.attribute("kind") == Some("capital")
                && let Some(country) = entry.attribute("country")
                && let Some(&state) = state_by_name.get(&key(country, Case::Fold))
            {
                states.insert(i as u32, state);
            }
        }
        Metonymy {
            states,
            possessive: rules.possessive.iter().cloned().collect(),
            verbs: rules.verbs.iter().cloned().collect(),
            not_after: rules.not_after.iter().cloned().collect(),
        }
    }

    /// Turns the settled capital mentions that act as their state into
    /// mentions of the state.
    pub fn apply(&self, text: &str, mentions: &mut [Mention]) {
        if self.states.is_empty() {
            return;
        }
        for mention in mentions.iter_mut() {
            if matches!(mention.resolution, Resolution::Ambiguous(_)) {
                continue;
            }
            let Some(&state) = self.states.get(&mention.entity) else {
                continue;
            };
            if !self.placed(&text[..mention.start as usize])
                && self.acts(&text[mention.end as usize..])
            {
                mention.entity = state;
            }
        }
    }

    /// Whether `before` (the text up to a capital) ends with a not-after
    /// word.
    fn placed(&self, before: &str) -> bool {
        let start = before.floor_char_boundary(before.len().saturating_sub(32));
        let mut last: Option<String> = None;
        tokenize(&before[start..], Case::Fold, |_, t| {
            last = Some(t.to_string())
        });
        last.is_some_and(|w| self.not_after.contains(&w))
    }

    /// Whether `after` (the text right after a capital) starts with `'s
    /// WORD` / `' WORD` for a possessive word, or with a verb.
    fn acts(&self, after: &str) -> bool {
        // Three tokens are enough: ' s WORD.
        let window = &after[..after.floor_char_boundary(64)];
        let mut tokens: Vec<String> = Vec::with_capacity(3);
        tokenize(window, Case::Fold, |_, t| {
            if tokens.len() < 3 {
                tokens.push(t.to_string());
            }
        });
        match tokens.as_slice() {
            [apostrophe, s, word, ..] if apostrophe == "'" && s == "s" => {
                self.possessive.contains(word)
            }
            [apostrophe, word, ..] if apostrophe == "'" => self.possessive.contains(word),
            [word, ..] => self.verbs.contains(word),
            [] => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Entry;

    fn entry(kind: EntityType, name: &str, attributes: &[(&str, &str)]) -> Entry {
        Entry::new(kind, name, &[], attributes)
    }

    #[test]
    fn capitals_that_act_become_their_state() {
        let gazetteer = Gazetteer::from_entries(vec![
            entry(
                EntityType::Place,
                "Kyiv",
                &[("kind", "capital"), ("country", "Ukraine")],
            ),
            entry(EntityType::State, "Ukraine", &[]),
            entry(
                EntityType::Place,
                "Lviv",
                &[("kind", "city"), ("country", "Ukraine")],
            ),
        ]);
        let rules =
            Rules::parse("# c\npossessive: recognition\nverb: said denied\nnot-after: from in\n")
                .unwrap();
        let metonymy = Metonymy::build(&gazetteer, &rules);
        // Each row: the text, whether the mention at 0 becomes the state.
        let cases = [
            ("Kyiv’s recognition of", true),
            ("Kyiv's RECOGNITION", true),
            ("Kyiv said on Monday", true),
            ("Kyiv’s streets", false),
            ("Kyiv is a city", false),
            ("Kyiv", false),
        ];
        for (text, becomes) in cases {
            let mut mentions = [Mention {
                start: 0,
                end: 4,
                entity: 0,
                resolution: Resolution::Unique,
            }];
            metonymy.apply(text, &mut mentions);
            assert_eq!(mentions[0].entity == 1, becomes, "{text}");
        }
        let mut lviv = [Mention {
            start: 0,
            end: 4,
            entity: 2,
            resolution: Resolution::Unique,
        }];
        metonymy.apply("Lviv said", &mut lviv);
        assert_eq!(lviv[0].entity, 2, "only capitals stand for their state");
    }

    #[test]
    fn unknown_line_kinds_are_errors() {
        assert!(
            Rules::parse("adjective: big")
                .unwrap_err()
                .starts_with("1: unknown kind")
        );
        assert!(
            Rules::parse("\nno colon here")
                .unwrap_err()
                .starts_with("2: expected")
        );
    }
}
