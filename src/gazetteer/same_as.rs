//! `same-as`: gazetteer entries that are one real-world entity for the
//! graph, while each keeps its own names and type for matching.
//!
//! `same-as=NAME` on a line names another entry by its canonical name
//! (case, accents and punctuation aside), `same-as=TYPE:NAME` when entries
//! of several types bear that name. Every entry that points at another
//! joins that entry's *group*, and the entry pointed at is the group's
//! *node*: its name and type are the group's in queries and exports. A
//! chain (`A` → `B` → `C`) is followed to its end, so `A` and `B` are both
//! of `C`'s group, and `gazetteer check` warns about it; a cycle groups
//! nobody and is an error, as is a `same-as` that names nothing or
//! several entries.
//!
//! [`resolve`] is the one reading of the attribute: the store's gazetteer
//! sync writes its links, `gazetteer check` reports its problems and
//! `gazetteer merge` refuses what it would report.

use super::Entry;
use crate::model::EntityType;
use crate::normalize::{Case, key};
use rustc_hash::{FxHashMap, FxHashSet};

/// The attribute's key.
pub const ATTRIBUTE: &str = "same-as";

/// What a `same-as` value names: a canonical name, perhaps with a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target<'a> {
    /// The type written before a `:`, if any.
    pub kind: Option<EntityType>,
    /// The canonical name.
    pub name: &'a str,
}

impl<'a> Target<'a> {
    /// Reads a value: `TYPE:NAME` when the part before the first `:` is a
    /// type word (`state`, `org`, `country` …), else the whole value is
    /// the name.
    pub fn parse(value: &'a str) -> Target<'a> {
        if let Some((before, after)) = value.split_once(':')
            && let Ok(kind) = before.trim().parse::<EntityType>()
            && !after.trim().is_empty()
        {
            return Target {
                kind: Some(kind),
                name: after.trim(),
            };
        }
        Target {
            kind: None,
            name: value.trim(),
        }
    }
}

/// The value that names `entry` from another line: its canonical name,
/// with its type when `entries` hold another entry of another type under
/// the same canonical name.
pub fn value_naming(entries: &[Entry], entry: &Entry) -> String {
    let folded = key(&entry.name, Case::Fold);
    let shared = entries
        .iter()
        .any(|e| e.kind != entry.kind && key(&e.name, Case::Fold) == folded);
    if shared {
        format!("{}:{}", entry.kind, entry.name)
    } else {
        entry.name.clone()
    }
}

/// Something wrong with an entry's `same-as` (indices into the entries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The value names no entry's canonical name; `alias_of` are the
    /// entries that bear it as an alias.
    Unknown {
        /// The entry with the attribute.
        entry: usize,
        /// The value as written.
        value: String,
        /// Entries with the name as an alias.
        alias_of: Vec<usize>,
    },
    /// The value names the canonical names of several entries.
    Ambiguous {
        /// The entry with the attribute.
        entry: usize,
        /// The value as written.
        value: String,
        /// The entries it names.
        candidates: Vec<usize>,
    },
    /// The value names the entry itself.
    Itself {
        /// The entry with the attribute.
        entry: usize,
    },
    /// The entry named is itself the same as another: the chain is
    /// followed to `node`, but the line had better name it.
    Chain {
        /// The entry with the attribute.
        entry: usize,
        /// The entries in between, in order.
        via: Vec<usize>,
        /// Where the chain ends.
        node: usize,
    },
    /// Entries that name each other in a circle: none of them is grouped.
    Cycle {
        /// The entries of the circle, from the first in load order.
        entries: Vec<usize>,
    },
}

impl Problem {
    /// Whether the group is lost (an error), not merely badly written.
    pub fn is_error(&self) -> bool {
        !matches!(self, Problem::Chain { .. })
    }

    /// The entry the problem is reported at.
    pub fn entry(&self) -> usize {
        match self {
            Problem::Unknown { entry, .. }
            | Problem::Ambiguous { entry, .. }
            | Problem::Itself { entry }
            | Problem::Chain { entry, .. } => *entry,
            Problem::Cycle { entries } => entries[0],
        }
    }

    /// The problem in words, entries by type and canonical name.
    pub fn describe(&self, entries: &[Entry]) -> String {
        let named = |i: &usize| format!("{} `{}`", entries[*i].kind, entries[*i].name);
        let list = |is: &[usize]| is.iter().map(named).collect::<Vec<_>>().join(", ");
        match self {
            Problem::Unknown {
                value, alias_of, ..
            } if alias_of.is_empty() => {
                format!("{ATTRIBUTE}={value} names no entry: write another entry's canonical name")
            }
            Problem::Unknown {
                value, alias_of, ..
            } => format!(
                "{ATTRIBUTE}={value} names no entry's canonical name; it is an alias of {}: write the canonical name",
                list(alias_of)
            ),
            Problem::Ambiguous {
                value, candidates, ..
            } => format!(
                "{ATTRIBUTE}={value} names {}: write TYPE:NAME ({})",
                list(candidates),
                candidates
                    .iter()
                    .map(|&i| format!("{}:{}", entries[i].kind, entries[i].name))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            Problem::Itself { entry } => {
                format!("{ATTRIBUTE} names {} itself", named(entry))
            }
            Problem::Chain { via, node, .. } => format!(
                "{ATTRIBUTE} names {}, which is itself the same as {}: the chain is followed, but write {ATTRIBUTE}={}",
                list(via),
                named(node),
                value_naming(entries, &entries[*node])
            ),
            Problem::Cycle { entries: circle } => format!(
                "{ATTRIBUTE} goes round in a circle ({} and back): none of them is grouped",
                circle.iter().map(named).collect::<Vec<_>>().join(" → ")
            ),
        }
    }
}

/// The groups the entries' `same-as` attributes make.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Groups {
    /// (member, node) for every entry that belongs to another's group, by
    /// member.
    pub links: Vec<(usize, usize)>,
    /// What is wrong, by entry.
    pub problems: Vec<Problem>,
}

impl Groups {
    /// The node of each grouped entry (entries of no group are absent).
    pub fn node_of(&self) -> FxHashMap<usize, usize> {
        self.links.iter().copied().collect()
    }
}

/// Reads every `same-as` of `entries` into groups, with the problems
/// found. Entries without the attribute cost nothing but a look at their
/// attributes; the canonical names are folded only when some entry has it.
pub fn resolve(entries: &[Entry]) -> Groups {
    let linking: Vec<(usize, &str)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.attribute(ATTRIBUTE).map(|v| (i, v)))
        .collect();
    let mut groups = Groups::default();
    if linking.is_empty() {
        return groups;
    }
    let wanted: FxHashSet<String> = linking
        .iter()
        .map(|(_, v)| key(Target::parse(v).name, Case::Fold))
        .collect();
    // Every entry whose canonical name is one of the names wanted.
    let folded: Vec<Option<String>> = crate::parallel::chunked_map(entries, |e| {
        let k = key(&e.name, Case::Fold);
        wanted.contains(&k).then_some(k)
    });
    let mut holders: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, k) in folded.iter().enumerate() {
        if let Some(k) = k {
            holders.entry(k.as_str()).or_default().push(i);
        }
    }
    // Each linking entry's direct target.
    let mut next: FxHashMap<usize, usize> = FxHashMap::default();
    for &(i, value) in &linking {
        let target = Target::parse(value);
        let name = key(target.name, Case::Fold);
        let candidates: Vec<usize> = holders
            .get(name.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|&j| target.kind.is_none_or(|k| entries[j].kind == k))
            .collect();
        match candidates[..] {
            // The entries bearing the name as an alias are filled in below,
            // in one pass for every such problem.
            [] => groups.problems.push(Problem::Unknown {
                entry: i,
                value: value.to_string(),
                alias_of: Vec::new(),
            }),
            [j] if j == i => groups.problems.push(Problem::Itself { entry: i }),
            [j] => {
                next.insert(i, j);
            }
            _ => groups.problems.push(Problem::Ambiguous {
                entry: i,
                value: value.to_string(),
                candidates,
            }),
        }
    }
    fill_alias_holders(entries, &mut groups.problems);
    // Followed to the end of each chain; a circle groups nobody.
    let mut circles: FxHashSet<usize> = FxHashSet::default();
    for &(i, _) in &linking {
        let Some(&first) = next.get(&i) else {
            continue;
        };
        let mut path = vec![i];
        let mut at = first;
        let mut circle = None;
        while let Some(&after) = next.get(&at) {
            if let Some(start) = path.iter().position(|&p| p == at) {
                circle = Some(path[start..].to_vec());
                break;
            }
            path.push(at);
            at = after;
        }
        match circle {
            Some(mut members) => {
                // Reported once, from its first member in load order.
                let least = *members.iter().min().expect("a circle has members");
                let turn = members.iter().position(|&m| m == least).expect("a member");
                members.rotate_left(turn);
                if circles.insert(least) {
                    groups.problems.push(Problem::Cycle { entries: members });
                }
            }
            None => {
                if path.len() > 1 {
                    groups.problems.push(Problem::Chain {
                        entry: i,
                        via: path[1..].to_vec(),
                        node: at,
                    });
                }
                groups.links.push((i, at));
            }
        }
    }
    groups.links.sort_unstable();
    groups.problems.sort_by_key(|p| (p.entry(), !p.is_error()));
    groups
}

/// Fills in, for every [`Problem::Unknown`], the entries of its type that
/// bear its value as an alias: one pass over every alias, only when there
/// is such a problem.
fn fill_alias_holders(entries: &[Entry], problems: &mut [Problem]) {
    let unknown: FxHashSet<String> = problems
        .iter()
        .filter_map(|p| match p {
            Problem::Unknown { value, .. } => Some(key(Target::parse(value).name, Case::Fold)),
            _ => None,
        })
        .collect();
    if unknown.is_empty() {
        return;
    }
    let bearing: Vec<Vec<String>> = crate::parallel::chunked_map(entries, |e| {
        e.aliases
            .iter()
            .map(|a| key(a, Case::Fold))
            .filter(|a| unknown.contains(a))
            .collect()
    });
    for problem in problems {
        let Problem::Unknown {
            value, alias_of, ..
        } = problem
        else {
            continue;
        };
        let target = Target::parse(value);
        let name = key(target.name, Case::Fold);
        alias_of.extend((0..entries.len()).filter(|&j| {
            target.kind.is_none_or(|k| entries[j].kind == k) && bearing[j].contains(&name)
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries from `(type, name, same-as)`.
    fn entries(rows: &[(EntityType, &str, &str)]) -> Vec<Entry> {
        rows.iter()
            .map(|&(kind, name, same)| {
                let attributes: Vec<(&str, &str)> = if same.is_empty() {
                    Vec::new()
                } else {
                    vec![(ATTRIBUTE, same)]
                };
                Entry::new(kind, name, &[], &attributes)
            })
            .collect()
    }

    use EntityType::{Organisation as O, Place as P, State as S};

    #[test]
    fn a_value_may_name_its_type() {
        for (value, kind, name) in [
            ("Ruritania", None, "Ruritania"),
            ("state:Ruritania", Some(S), "Ruritania"),
            ("country: Ruritania", Some(S), "Ruritania"),
            ("org:Eastmoor Council", Some(O), "Eastmoor Council"),
            // Not a type word: the colon is part of the name.
            ("Memorial: Eastmoor", None, "Memorial: Eastmoor"),
            ("state:", None, "state:"),
        ] {
            assert_eq!(Target::parse(value), Target { kind, name }, "{value}");
        }
    }

    /// Each case: the entries, the links (member, node) and the problems
    /// (entry, error?) they make.
    #[test]
    fn groups_and_problems() {
        type Case<'a> = (
            &'a [(EntityType, &'a str, &'a str)],
            &'a [(usize, usize)],
            &'a [(usize, bool)],
        );
        let cases: &[Case] = &[
            // Nothing to do.
            (&[(S, "Ruritania", ""), (P, "Eastmoor", "")], &[], &[]),
            // A place the same as a state, whatever the case and accents.
            (
                &[(P, "Strelsau Oblast", "ruritánia"), (S, "Ruritania", "")],
                &[(0, 1)],
                &[],
            ),
            // Several members, one node.
            (
                &[
                    (S, "Ruritania", ""),
                    (P, "Strelsau Oblast", "Ruritania"),
                    (O, "Ruritanian Crown", "Ruritania"),
                ],
                &[(1, 0), (2, 0)],
                &[],
            ),
            // A name two types bear: ambiguous without a type, fine with.
            (
                &[
                    (S, "Eastmoor", ""),
                    (P, "Eastmoor", ""),
                    (P, "Eastmoor Valley", "Eastmoor"),
                    (O, "Eastmoor Board", "state:Eastmoor"),
                ],
                &[(3, 0)],
                &[(2, true)],
            ),
            // Names nothing, names itself.
            (
                &[(S, "Ruritania", "Borduria"), (P, "Eastmoor", "eastmoor")],
                &[],
                &[(0, true), (1, true)],
            ),
            // A chain is followed, and warned about.
            (
                &[
                    (P, "Strelsau", "Strelsau Oblast"),
                    (P, "Strelsau Oblast", "Ruritania"),
                    (S, "Ruritania", ""),
                ],
                &[(0, 2), (1, 2)],
                &[(0, false)],
            ),
            // A circle groups nobody, nor what leads into it; reported once.
            (
                &[
                    (S, "Ruritania", "Borduria"),
                    (S, "Borduria", "Ruritania"),
                    (P, "Eastmoor", "Ruritania"),
                ],
                &[],
                &[(0, true)],
            ),
        ];
        for (rows, links, problems) in cases {
            let entries = entries(rows);
            let groups = resolve(&entries);
            assert_eq!(groups.links, *links, "{rows:?}");
            let found: Vec<(usize, bool)> = groups
                .problems
                .iter()
                .map(|p| (p.entry(), p.is_error()))
                .collect();
            assert_eq!(found, *problems, "{rows:?}: {:?}", groups.problems);
        }
    }

    #[test]
    fn problems_say_what_to_write() {
        let mut list = entries(&[
            (S, "Eastmoor", ""),
            (P, "Eastmoor", ""),
            (P, "Valley", "Eastmoor"),
            (O, "Board", "Moorland"),
            (S, "Borduria", "Bordurian Republic"),
        ]);
        list[0].aliases.push("Moorland".into());
        let groups = resolve(&list);
        let text: Vec<String> = groups.problems.iter().map(|p| p.describe(&list)).collect();
        assert_eq!(
            text,
            [
                "same-as=Eastmoor names state `Eastmoor`, place `Eastmoor`: write TYPE:NAME (state:Eastmoor or place:Eastmoor)",
                "same-as=Moorland names no entry's canonical name; it is an alias of state `Eastmoor`: write the canonical name",
                "same-as=Bordurian Republic names no entry: write another entry's canonical name",
            ]
        );
        assert_eq!(value_naming(&list, &list[0]), "state:Eastmoor");
        assert_eq!(value_naming(&list, &list[4]), "Borduria");
    }
}
