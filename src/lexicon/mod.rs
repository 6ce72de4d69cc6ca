//! A gazetteer folder as a whole: its name lists ([`Gazetteer`]), its
//! metonymy words ([`crate::metonymy::FILE`]) and its relation rules
//! (`relations/*.rules`), loaded together and fingerprinted together.
//!
//! Each part is loaded by its own module; this one only reads the folders
//! in order and hands each file to the part it belongs to, so the
//! gazetteer knows nothing of rules and the rules nothing of folders.

mod check;
mod phrases;

pub use check::{COMMON_WORDS_FILE, Diagnostic, Severity, check};

use crate::gazetteer::{Beside, Gazetteer, GazetteerError, LineError};
use crate::metonymy;
use crate::relations::rules::{self, RuleSet};
use std::path::{Path, PathBuf};

/// Everything a set of gazetteer folders holds, later folders on top of
/// earlier ones.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// The names.
    pub gazetteer: Gazetteer,
    /// The word lists that make a capital stand for its state.
    pub metonymy: metonymy::Rules,
    /// The relation rules of every folder, in load order.
    pub rules: RuleSet,
}

impl Lexicon {
    /// Reads every folder of `dirs`: its metonymy words, then its relation
    /// rules in file-name order, then its name lists. A malformed line in
    /// any of them fails the load, naming file and line.
    pub fn load(dirs: &[PathBuf]) -> Result<Lexicon, GazetteerError> {
        let mut metonymy = metonymy::Rules::default();
        let mut rules = RuleSet::default();
        let gazetteer = Gazetteer::load_with(dirs, &mut |dir| {
            let mut beside = Beside::default();
            read_metonymy(dir, &mut metonymy, &mut beside)?;
            read_rules(dir, &mut rules, &mut beside)?;
            Ok(beside)
        })?;
        Ok(Lexicon {
            gazetteer,
            metonymy,
            rules,
        })
    }

    /// A short hash of every file read: it changes whenever any name,
    /// alias, attribute, metonymy word or rule does (documents matched
    /// under another one are stale).
    pub fn fingerprint(&self) -> &str {
        self.gazetteer.fingerprint()
    }

    /// The fingerprint of the relation rules and metonymy words alone. Two
    /// lexicons with the same one read a text the same way wherever they
    /// name the same things.
    pub fn rules_fingerprint(&self) -> &str {
        self.gazetteer.beside_fingerprint()
    }
}

/// Reads `DIR/metonymy.rules`, when the folder has one.
fn read_metonymy(
    dir: &Path,
    into: &mut metonymy::Rules,
    beside: &mut Beside,
) -> Result<(), GazetteerError> {
    let path = dir.join(metonymy::FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(GazetteerError::Io { path, source }),
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    beside.fingerprinted.push(b"metonymy".to_vec());
    beside.fingerprinted.push(text.as_bytes().to_vec());
    if let Err(message) = into.extend(text) {
        let (line, message) = message.split_once(": ").unwrap_or(("0", &message));
        beside.errors.push((
            path,
            LineError {
                line: line.parse().unwrap_or(0),
                message: message.to_string(),
            },
        ));
    }
    Ok(())
}

/// Reads `DIR/relations/*.rules` in name order.
fn read_rules(dir: &Path, into: &mut RuleSet, beside: &mut Beside) -> Result<(), GazetteerError> {
    let files = rules::files_in(dir).map_err(|source| GazetteerError::Io {
        path: dir.join(rules::DIR),
        source,
    })?;
    for path in files {
        let text = crate::gazetteer::read_text(&path)?;
        beside.fingerprinted.push(b"rules".to_vec());
        beside
            .fingerprinted
            .push((text.len() as u64).to_le_bytes().to_vec());
        beside.fingerprinted.push(text.as_bytes().to_vec());
        if let Err(line_errors) = into.extend(&text, &path.display().to_string()) {
            beside
                .errors
                .extend(line_errors.into_iter().map(|e| (path.clone(), e)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// Writes `files` (name, content) into `dir` and loads it.
    fn write_and_load(dir: &Path, files: &[(&str, &str)]) -> Lexicon {
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        Lexicon::load(&[dir.to_path_buf()]).unwrap()
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The fingerprints are stored in databases (with each document, and
    /// as the key of the entity sync): their input must never change, or
    /// every stored document would look stale after an upgrade. Pinned
    /// here against SHA-256 computed over the documented layout.
    #[test]
    fn fingerprints_keep_their_layout() {
        let dir = tempfile::tempdir().unwrap();
        let people = "\u{FEFF}Some Person\tS. Person\n";
        let states = "Russia\tRF\n";
        let metonymy = "# none yet\n";
        let rules = "# no rules\n";
        std::fs::create_dir(dir.path().join(rules::DIR)).unwrap();
        std::fs::write(dir.path().join(rules::DIR).join("a.rules"), rules).unwrap();
        std::fs::write(dir.path().join(metonymy::FILE), metonymy).unwrap();
        let lexicon = write_and_load(
            dir.path(),
            &[("people.tsv", people), ("states.tsv", states)],
        );
        let file = |kind: &str, text: &str| -> Vec<u8> {
            [
                kind.as_bytes(),
                &(text.len() as u64).to_le_bytes(),
                text.as_bytes(),
            ]
            .concat()
        };
        let entities = [file("person", people), file("state", states)].concat();
        let beside = [
            b"metonymy".as_slice(),
            metonymy.as_bytes(),
            b"rules",
            &(rules.len() as u64).to_le_bytes(),
            rules.as_bytes(),
        ]
        .concat();
        let all = [beside.as_slice(), &entities].concat();
        assert_eq!(
            lexicon.gazetteer.entities_fingerprint(),
            hex(&Sha256::digest(&entities)[..8])
        );
        assert_eq!(lexicon.fingerprint(), hex(&Sha256::digest(&all)[..8]));
        assert_eq!(
            lexicon.rules_fingerprint(),
            hex(&Sha256::digest(&beside)[..8])
        );
    }

    #[test]
    fn the_rules_change_the_fingerprint_but_not_the_entities_one() {
        let dir = tempfile::tempdir().unwrap();
        let before = write_and_load(dir.path(), &[("states.tsv", "Russia\n")]);
        let rules = (metonymy::FILE, "# capitals standing for states\n");
        let after = write_and_load(dir.path(), &[rules]);
        assert_ne!(before.fingerprint(), after.fingerprint());
        assert_ne!(before.rules_fingerprint(), after.rules_fingerprint());
        assert_eq!(
            before.gazetteer.entities_fingerprint(),
            after.gazetteer.entities_fingerprint()
        );
        let edited = write_and_load(dir.path(), &[("states.tsv", "Russia\tRF\n")]);
        assert_ne!(
            after.gazetteer.entities_fingerprint(),
            edited.gazetteer.entities_fingerprint()
        );
    }

    #[test]
    fn a_malformed_rule_line_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(rules::DIR)).unwrap();
        std::fs::write(
            dir.path().join(rules::DIR).join("bad.rules"),
            "rule nonsense without a form\n",
        )
        .unwrap();
        let err = Lexicon::load(&[dir.path().to_path_buf()]).unwrap_err();
        assert!(err.to_string().contains("bad.rules:1"), "{err}");
    }
}
