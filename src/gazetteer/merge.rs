//! `dossier gazetteer merge A B`: writes `same-as` on A's line so that A is
//! one entity with B for the graph (see [`super::same_as`]), in the style
//! of `add` and `import`: the file is kept sorted, other lines stay byte
//! for byte, and nothing already written is overwritten.
//!
//! A's line is the one of the folder written to; when that folder has no
//! line of A's (A comes from the shipped lists, say), a line of A's
//! canonical name with the attribute alone is added, which loading merges
//! into A.

use super::edit::{EditError, EditableFile, Line};
use super::same_as::{self, ATTRIBUTE, Target};
use super::{Entry, Gazetteer};
use crate::normalize::{Case, key};
use std::path::{Path, PathBuf};

/// What `merge` did.
#[derive(Debug)]
pub struct MergeOutcome {
    /// The entry that now points at the node.
    pub member: Entry,
    /// The group's node: the entry whose name and type the group takes.
    pub node: Entry,
    /// Where the attribute was written, and its value; `None` when the two
    /// were one entity already and nothing was written.
    pub written: Option<(PathBuf, usize, String)>,
    /// Notes for the user (B was itself the same as another entry).
    pub notes: Vec<String>,
}

/// The entry of `loaded` a user's `name` designates: by canonical name,
/// else by alias, case and accents aside; `TYPE:NAME` narrows the type.
pub fn find_entry(loaded: &Gazetteer, name: &str) -> Result<usize, EditError> {
    let target = Target::parse(name);
    let folded = key(target.name, Case::Fold);
    let entries = loaded.entries();
    let of_type = |e: &Entry| target.kind.is_none_or(|k| e.kind == k);
    let mut found: Vec<usize> = (0..entries.len())
        .filter(|&i| of_type(&entries[i]) && key(&entries[i].name, Case::Fold) == folded)
        .collect();
    if found.is_empty() {
        found = (0..entries.len())
            .filter(|&i| {
                of_type(&entries[i])
                    && entries[i]
                        .aliases
                        .iter()
                        .any(|a| key(a, Case::Fold) == folded)
            })
            .collect();
    }
    match found[..] {
        [one] => Ok(one),
        [] => Err(EditError::Invalid(format!(
            "no loaded gazetteer entry is named `{name}` (canonical name or alias)"
        ))),
        _ => Err(EditError::Invalid(format!(
            "`{name}` names {} entries: {}; give one as TYPE:NAME (e.g. `{}:{}`) or by its canonical name",
            found.len(),
            found
                .iter()
                .map(|&i| format!(
                    "{} `{}` ({})",
                    entries[i].kind,
                    entries[i].name,
                    loaded.locate(entries[i].origin)
                ))
                .collect::<Vec<_>>()
                .join(", "),
            entries[found[0]].kind,
            entries[found[0]].name
        ))),
    }
}

/// Makes the entry `member` names one entity with the entry `node` names
/// (each a canonical name or alias, `TYPE:NAME` when several entries bear
/// it), by writing `same-as` on `member`'s line in `dir`. `loaded` is what
/// the run loads, `dir` included when it exists.
///
/// When `node` is itself the same as another entry, `member` points at
/// that entry, the group's node. Refused: the same entry twice; a
/// `member` that already has a `same-as` (it is not overwritten); a
/// `member` that others point at (merge the other way).
pub fn merge_entries(
    dir: &Path,
    loaded: &Gazetteer,
    member: &str,
    node: &str,
) -> Result<MergeOutcome, EditError> {
    let entries = loaded.entries();
    let a = find_entry(loaded, member)?;
    let b = find_entry(loaded, node)?;
    let named = |i: usize| format!("{} `{}`", entries[i].kind, entries[i].name);
    if a == b {
        return Err(EditError::Invalid(format!(
            "`{member}` and `{node}` are the same entry, {} ({})",
            named(a),
            loaded.locate(entries[a].origin)
        )));
    }
    let groups = same_as::resolve(entries);
    let node_of = groups.node_of();
    let head = |i: usize| node_of.get(&i).copied().unwrap_or(i);
    let target = head(b);
    let mut outcome = MergeOutcome {
        member: entries[a].clone(),
        node: entries[target].clone(),
        written: None,
        notes: Vec::new(),
    };
    if head(a) == target {
        return Ok(outcome);
    }
    if let Some(value) = entries[a].attribute(ATTRIBUTE) {
        return Err(EditError::Invalid(format!(
            "{} already has {ATTRIBUTE}={value} ({}); edit that line to change it",
            named(a),
            loaded.locate(entries[a].origin)
        )));
    }
    let pointing: Vec<String> = groups
        .links
        .iter()
        .filter(|&&(_, n)| n == a)
        .map(|&(m, _)| named(m))
        .collect();
    if !pointing.is_empty() {
        let b_is_free =
            entries[b].attribute(ATTRIBUTE).is_none() && !groups.links.iter().any(|&(_, n)| n == b);
        let other_way = if b_is_free {
            format!(
                "merge the other way (`dossier gazetteer merge '{}' '{}'`), or ",
                entries[b].name, entries[a].name
            )
        } else {
            String::new()
        };
        return Err(EditError::Invalid(format!(
            "{} is the node of a group ({} {} the same as it): {other_way}point those lines at {} first",
            named(a),
            pointing.join(", "),
            if pointing.len() == 1 { "is" } else { "are" },
            named(target)
        )));
    }
    if target != b {
        outcome.notes.push(format!(
            "{} is the same as {}: {} points at {}, the group's node",
            named(b),
            named(target),
            named(a),
            named(target)
        ));
    }
    let value = same_as::value_naming(entries, &entries[target]);
    let mut file = EditableFile::open(dir, entries[a].kind)?;
    let name_key = key(&entries[a].name, Case::Fold);
    let line = match file.index.get(&name_key) {
        Some(&i) => {
            if let Line::Entity {
                attributes, text, ..
            } = &mut file.lines[i]
            {
                attributes.push((ATTRIBUTE.to_string(), value.clone()));
                *text = None;
            }
            i + 1
        }
        None => file.insert_sorted(vec![Line::Entity {
            key: name_key,
            name: entries[a].name.clone(),
            aliases: Vec::new(),
            attributes: vec![(ATTRIBUTE.to_string(), value.clone())],
            text: None,
        }])[0],
    };
    file.write()?;
    outcome.written = Some((file.path.clone(), line, value));
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityType;

    /// A folder with the given files, loaded.
    fn folder(files: &[(&str, &str)]) -> (tempfile::TempDir, Gazetteer) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let loaded = Gazetteer::load(&[dir.path().to_path_buf()]).unwrap();
        (dir, loaded)
    }

    const STATES: &str = "# states\nEastmoor\tEast Moor\nRuritania\t\tkind=kingdom\n";
    const PLACES: &str = "# places\nEastmoor\nStrelsau Oblast\tStrelsau\n";

    #[test]
    fn writes_the_attribute_on_the_line_keeping_the_rest() {
        let (dir, loaded) = folder(&[("states.tsv", STATES), ("places.tsv", PLACES)]);
        let done = merge_entries(dir.path(), &loaded, "strelsau", "Ruritania").unwrap();
        let (file, line, value) = done.written.unwrap();
        assert_eq!(
            (file.file_name().unwrap().to_str(), line),
            (Some("places.tsv"), 3)
        );
        assert_eq!(value, "Ruritania");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("places.tsv")).unwrap(),
            "# places\nEastmoor\nStrelsau Oblast\tStrelsau\tsame-as=Ruritania\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("states.tsv")).unwrap(),
            STATES
        );
        // Loaded again, the two are one group; merging again writes nothing.
        let again = Gazetteer::load(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(same_as::resolve(again.entries()).links.len(), 1);
        let twice = merge_entries(dir.path(), &again, "Strelsau Oblast", "ruritania").unwrap();
        assert!(twice.written.is_none());
    }

    /// A name several types bear needs its type, in the argument and in the
    /// value written.
    #[test]
    fn a_shared_name_needs_its_type() {
        let (dir, loaded) = folder(&[("states.tsv", STATES), ("places.tsv", PLACES)]);
        let err = merge_entries(dir.path(), &loaded, "Strelsau", "Eastmoor").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("`Eastmoor` names 2 entries: place `Eastmoor` ("),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("TYPE:NAME (e.g. `place:Eastmoor`)"),
            "{err}"
        );
        let done = merge_entries(dir.path(), &loaded, "Strelsau", "state:East Moor").unwrap();
        assert_eq!(done.node.kind, EntityType::State);
        assert_eq!(done.written.unwrap().2, "state:Eastmoor");
    }

    /// Refusals: unknown names, the same entry twice, a same-as already
    /// written, an entry others point at.
    #[test]
    fn refusals_say_why() {
        let (dir, loaded) = folder(&[
            (
                "states.tsv",
                "Borduria\nEastmoor\nRuritania\nSylvania\t\tsame-as=Borduria\n",
            ),
            ("places.tsv", "Strelsau\t\tsame-as=Ruritania\n"),
        ]);
        let refused = |a: &str, b: &str| {
            merge_entries(dir.path(), &loaded, a, b)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            refused("Gondor", "Ruritania"),
            "no loaded gazetteer entry is named `Gondor` (canonical name or alias)"
        );
        assert!(
            refused("ruritania", "Ruritania")
                .starts_with("`ruritania` and `Ruritania` are the same entry")
        );
        assert!(
            refused("Strelsau", "Borduria")
                .starts_with("place `Strelsau` already has same-as=Ruritania (")
        );
        assert_eq!(
            refused("Borduria", "Eastmoor"),
            "state `Borduria` is the node of a group (state `Sylvania` is the same as it): merge the other way (`dossier gazetteer merge 'Eastmoor' 'Borduria'`), or point those lines at state `Eastmoor` first"
        );
        assert_eq!(
            refused("Ruritania", "Sylvania"),
            "state `Ruritania` is the node of a group (place `Strelsau` is the same as it): point those lines at state `Borduria` first"
        );
        // Into a member: the line points at its node.
        let done = merge_entries(dir.path(), &loaded, "Eastmoor", "Sylvania").unwrap();
        assert_eq!(done.node.name, "Borduria");
        assert_eq!(done.notes.len(), 1, "{:?}", done.notes);
    }

    /// An entry of another folder gets a line of its own in the folder
    /// written to, at its sorted place.
    #[test]
    fn an_entry_of_another_folder_gets_a_line() {
        let shipped = tempfile::tempdir().unwrap();
        let mine = tempfile::tempdir().unwrap();
        std::fs::write(shipped.path().join("states.tsv"), STATES).unwrap();
        std::fs::write(
            mine.path().join("places.tsv"),
            "# mine\nAardvark Hill\nZebra Plain\n",
        )
        .unwrap();
        std::fs::write(shipped.path().join("places.tsv"), PLACES).unwrap();
        let dirs = [shipped.path().to_path_buf(), mine.path().to_path_buf()];
        let loaded = Gazetteer::load(&dirs).unwrap();
        merge_entries(mine.path(), &loaded, "Strelsau Oblast", "Ruritania").unwrap();
        assert_eq!(
            std::fs::read_to_string(mine.path().join("places.tsv")).unwrap(),
            "# mine\nAardvark Hill\nStrelsau Oblast\t\tsame-as=Ruritania\nZebra Plain\n"
        );
        assert_eq!(
            std::fs::read_to_string(shipped.path().join("places.tsv")).unwrap(),
            PLACES
        );
        let again = Gazetteer::load(&dirs).unwrap();
        assert_eq!(same_as::resolve(again.entries()).links.len(), 1);
    }
}
