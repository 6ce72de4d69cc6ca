//! Which known entity a gazetteer line names under another canonical name:
//! the rule `gazetteer import` writes by and [`super::Gazetteer::load`]
//! merges folders by, so that an investigator's "Soviet Union" is the
//! shipped "USSR" however the line got into its folder.

use super::Entry;
use crate::model::EntityType;
use crate::normalize::{Case, key};
use rustc_hash::FxHashMap;

/// Words an alias needs to identify a known entity on its own: shorter
/// names ("Supreme Court", a surname) are shared by distinct entities too
/// often.
pub(crate) const IDENTIFYING_WORDS: usize = 3;

/// Known entries by (type, folded name), for every name of each.
#[derive(Default)]
pub(crate) struct Names {
    holders: FxHashMap<(EntityType, String), Vec<usize>>,
    /// [`super::name_hash`] of each (type, folded name) held.
    hashes: rustc_hash::FxHashSet<u64>,
}

impl Names {
    /// Adds entry `index`, under each of its names.
    pub(crate) fn add(&mut self, index: usize, entry: &Entry) {
        for name in entry.names() {
            let folded = key(name, Case::Fold);
            self.hashes.insert(super::name_hash(entry.kind, &folded));
            let holders = self.holders.entry((entry.kind, folded)).or_default();
            if !holders.contains(&index) {
                holders.push(index);
            }
        }
    }

    /// The known entries bearing `name` as one of their names.
    fn holders(&self, kind: EntityType, name: &str) -> &[usize] {
        self.holders
            .get(&(kind, key(name, Case::Fold)))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Whether [`identify`] may find `entry`, whose canonical name has the
    /// [`super::name_hash`] `hash`, to be a known entry: its main name, or
    /// one of its aliases long enough to identify, is held. Cheap: most
    /// entries of a large folder are passed over without folding a name.
    pub(crate) fn may_know(&self, entry: &Entry, hash: u64) -> bool {
        !self.hashes.is_empty()
            && (self.hashes.contains(&hash)
                || entry.aliases.iter().any(|alias| {
                    alias.split_whitespace().count() >= IDENTIFYING_WORDS
                        && self
                            .hashes
                            .contains(&super::name_hash(entry.kind, &key(alias, Case::Fold)))
                }))
    }
}

/// What a line (`kind`, `name`, `aliases`) is among the known entries.
pub(crate) enum Identity<'a> {
    /// Known entry `index` under another canonical name: the line's main
    /// name is one of its names (`by` is `None`), or one of the line's
    /// aliases of [`IDENTIFYING_WORDS`] or more, `by`, is its alone and no
    /// other known entry shares any of the line's names.
    Known { index: usize, by: Option<&'a str> },
    /// Other entries that share one of its names, each with the first
    /// name shared (none when the line is new or bears a known entry's
    /// canonical name, with which it merges by name).
    Shares(Vec<(usize, &'a str)>),
}

/// Identifies the line `kind`, `name`, `aliases` among `entries`, indexed
/// by `names`.
pub(crate) fn identify<'a>(
    names: &Names,
    entries: &[Entry],
    kind: EntityType,
    name: &'a str,
    aliases: &'a [String],
) -> Identity<'a> {
    let name_key = key(name, Case::Fold);
    let is_own = |index: usize| key(&entries[index].name, Case::Fold) == name_key;
    if let [one] = names.holders(kind, name) {
        return if is_own(*one) {
            Identity::Shares(Vec::new())
        } else {
            Identity::Known {
                index: *one,
                by: None,
            }
        };
    }
    let mut sharing: Vec<(usize, &str)> = Vec::new();
    for given in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
        for &index in names.holders(kind, given) {
            if !is_own(index) && !sharing.iter().any(|(i, _)| *i == index) {
                sharing.push((index, given));
            }
        }
    }
    match sharing[..] {
        [(index, shared)] if shared.split_whitespace().count() >= IDENTIFYING_WORDS => {
            Identity::Known {
                index,
                by: Some(shared),
            }
        }
        _ => Identity::Shares(sharing),
    }
}
