//! Gazetteers: the hand-edited lists of names that dossier looks for.
//!
//! A gazetteer directory holds one UTF-8 file per entity type
//! ([`EntityType::file_name`]). Each line is one entity:
//!
//! ```text
//! # comment
//! Chechen Republic of Ichkeria<TAB>Ichkeria|Chechen Republic<TAB>kind=self-declared;capital=Grozny
//! ```
//!
//! canonical name, then aliases separated by `|`, then `key=value`
//! attributes separated by `;`. The second and third columns are optional.
//!
//! [`Gazetteer::load`] reads several directories on top of each other (the
//! shipped one first, an investigator's own after it); an entity named again
//! (same type, same folded name) in a later folder gains the later aliases
//! and attributes. Named twice in one file, it is an error, as `gazetteer
//! check` says.
//! Loading fails on any malformed line, naming file and line: a gazetteer
//! that loses an entity silently would lose every mention of it.
//!
//! This module knows nothing about documents or SQLite.

mod edit;
mod identity;
mod merge;
mod parse;
pub mod same_as;
pub mod shipped;

pub use edit::{AddOutcome, EditError, ImportReport, add_entry, import_file, notes_against};
pub use merge::{MergeOutcome, find_entry, merge_entries};
pub(crate) use parse::split_list;
pub use parse::{LineError, ParsedLine, entity_lines, parse_line};

use crate::model::EntityType;
use crate::normalize::{Case, key};
use hashbrown::HashTable;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One gazetteer entity as written in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The entity's type (which file it lives in).
    pub kind: EntityType,
    /// The canonical name (first column).
    pub name: String,
    /// Other names of the same entity, in file order, without duplicates.
    pub aliases: Vec<String>,
    /// `key=value` attributes in file order (a later value of a key wins).
    pub attributes: Vec<(String, String)>,
    /// Where the entity was (first) defined.
    pub origin: Origin,
}

impl Entry {
    /// An entry made in code (tests, benchmarks), placed at line 1 of the
    /// first file.
    pub fn new(
        kind: EntityType,
        name: &str,
        aliases: &[&str],
        attributes: &[(&str, &str)],
    ) -> Entry {
        Entry {
            kind,
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            attributes: attributes
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            origin: Origin { file: 0, line: 1 },
        }
    }

    /// The canonical name followed by the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The value of attribute `key`, if set.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether this entity's names match only with the case as written
    /// (attribute `case=exact`).
    pub fn case_exact(&self) -> bool {
        self.attribute("case") == Some("exact")
    }
}

/// A place in a gazetteer file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Index into [`Gazetteer::files`].
    pub file: u32,
    /// 1-based line number.
    pub line: u32,
}

/// Every entity of a set of gazetteer directories, ready for the matcher.
#[derive(Debug, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    files: Vec<PathBuf>,
    fingerprint: String,
    entities_fingerprint: String,
    beside_fingerprint: String,
}

/// What [`Gazetteer::load_with`]'s reader found in a folder beside its
/// name lists.
#[derive(Debug, Default)]
pub struct Beside {
    /// The byte strings the folder's fingerprint covers, in order.
    pub fingerprinted: Vec<Vec<u8>>,
    /// The malformed lines of those files.
    pub errors: Vec<(PathBuf, LineError)>,
}

/// Why a gazetteer could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// A directory or file could not be read.
    #[error("cannot read gazetteer {path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file is not UTF-8.
    #[error("{path}:{line}: gazetteer files must be UTF-8")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The first line that is not UTF-8.
        line: usize,
    },
    /// One or more lines are malformed.
    #[error("{}", render_line_errors(.0))]
    Malformed(Vec<(PathBuf, LineError)>),
}

fn render_line_errors(errors: &[(PathBuf, LineError)]) -> String {
    const SHOWN: usize = 20;
    let mut out = String::new();
    for (path, error) in errors.iter().take(SHOWN) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("{}:{}", path.display(), error));
    }
    if errors.len() > SHOWN {
        out.push_str(&format!(
            "\n… and {} more malformed lines",
            errors.len() - SHOWN
        ));
    }
    out
}

impl Gazetteer {
    /// Reads the name lists of each directory in `dirs`, later directories
    /// on top of earlier ones. A missing type file is fine; a missing
    /// directory is an error.
    pub fn load(dirs: &[PathBuf]) -> Result<Gazetteer, GazetteerError> {
        Gazetteer::load_with(dirs, &mut |_| Ok(Beside::default()))
    }

    /// [`Gazetteer::load`], calling `read_beside` with each directory
    /// before its name lists for the other files it holds (the lexicon's
    /// metonymy words and relation rules): their bytes go into
    /// [`Gazetteer::fingerprint`] ahead of the folder's lists, and their
    /// malformed lines fail the load with the others.
    pub fn load_with(
        dirs: &[PathBuf],
        read_beside: &mut dyn FnMut(&Path) -> Result<Beside, GazetteerError>,
    ) -> Result<Gazetteer, GazetteerError> {
        let mut gazetteer = Gazetteer::default();
        let mut errors = Vec::new();
        let mut fingerprinted = FingerprintInput::default();
        let mut texts: Vec<EntityText> = Vec::new();
        // The folder (index into `dirs`) of each entity file.
        let mut folder_of_file: Vec<usize> = Vec::new();
        for (folder, dir) in dirs.iter().enumerate() {
            if !dir.is_dir() {
                return Err(GazetteerError::Io {
                    path: dir.clone(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "no such gazetteer directory",
                    ),
                });
            }
            let beside = read_beside(dir)?;
            for bytes in &beside.fingerprinted {
                fingerprinted.update(bytes);
            }
            errors.extend(beside.errors);
            // Read in a fixed order (the fingerprints and the merge depend
            // on it).
            for kind in EntityType::ALL {
                let path = dir.join(kind.file_name());
                let bytes = match std::fs::read(&path) {
                    Ok(bytes) => bytes,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(source) => return Err(GazetteerError::Io { path, source }),
                };
                let text = String::from_utf8(bytes).map_err(|e| GazetteerError::NotUtf8 {
                    path: path.clone(),
                    line: line_of_utf8_error(&e),
                })?;
                let bom = text.starts_with('\u{FEFF}');
                fingerprinted.entity_file(texts.len());
                gazetteer.files.push(path.clone());
                folder_of_file.push(folder);
                texts.push(EntityText {
                    kind,
                    path,
                    file: gazetteer.files.len() as u32 - 1,
                    text: edit::strip_bom(text),
                    bom,
                });
            }
        }
        let pieces: Vec<(usize, Piece<'_>)> = texts
            .iter()
            .enumerate()
            .flat_map(|(t, entity)| pieces(&entity.text).into_iter().map(move |p| (t, p)))
            .collect();
        // Sized for the whole gazetteer at once (a line is at most an entry):
        // growing a table of a million entries step by step had cost as
        // much as filling it.
        let lines: usize = pieces.iter().map(|(_, piece)| piece.lines).sum();
        let mut index = NameIndex {
            table: HashTable::with_capacity(lines),
            hashes: Vec::with_capacity(lines),
            merged: Default::default(),
        };
        gazetteer.entries.reserve(lines);
        let beside_fingerprint = fingerprinted.digest_rules();
        let (fingerprint, entities_fingerprint) = std::thread::scope(|scope| {
            // Hashing (two passes over the entity files) runs beside the
            // parse and the merge, which leaves a core idle.
            let fingerprints = scope.spawn(|| {
                (
                    fingerprinted.digest(&texts),
                    FingerprintInput::entity_files(texts.len()).digest(&texts),
                )
            });
            // Parsed in pieces cut at line ends, on every core (one thread
            // per file left a core idle while the largest file was parsed
            // alone), and merged here in file order as they come.
            let _: Option<()> = crate::parallel::ordered_map(
                pieces,
                crate::parallel::cores(),
                |(t, piece)| (t, parse_piece(texts[t].kind, &piece, texts[t].file)),
                |(t, (entries, mut line_errors))| {
                    let path = &texts[t].path;
                    gazetteer.merge(entries, &mut index, &mut line_errors);
                    errors.extend(line_errors.into_iter().map(|e| (path.clone(), e)));
                    std::ops::ControlFlow::Continue(())
                },
            );
            fingerprints.join().expect("hashing panicked")
        });
        if !errors.is_empty() {
            return Err(GazetteerError::Malformed(errors));
        }
        gazetteer.merge_known(&folder_of_file, &index.hashes);
        gazetteer.fingerprint = fingerprint;
        gazetteer.entities_fingerprint = entities_fingerprint;
        gazetteer.beside_fingerprint = beside_fingerprint;
        Ok(gazetteer)
    }

    /// A gazetteer of entries given in code (tests, benchmarks). The entries
    /// are taken as they are, without merging.
    pub fn from_entries(entries: Vec<Entry>) -> Gazetteer {
        let mut hasher = Sha256::new();
        for entry in &entries {
            hasher.update(format!("{entry:?}").as_bytes());
        }
        let fingerprint = hex(&hasher.finalize()[..8]);
        Gazetteer {
            entries,
            files: vec![PathBuf::from("<memory>")],
            entities_fingerprint: fingerprint.clone(),
            beside_fingerprint: String::new(),
            fingerprint,
        }
    }

    /// Adds the parsed entries of one piece of a file, merging an entity
    /// named again (same type, same folded name) in a later folder into the
    /// first one. Named again in the same file, it is an error, as
    /// `gazetteer check` says (one of the two lines is a mistake), pushed on
    /// `errors`. `load` sized the entries and the index for the whole
    /// gazetteer.
    fn merge(
        &mut self,
        parsed: Vec<(Entry, u64)>,
        index: &mut NameIndex,
        errors: &mut Vec<LineError>,
    ) {
        for (entry, hash) in parsed {
            // Equal hashes are nearly always the same name; the keys are
            // compared only then.
            let entries = &self.entries;
            let same = |&i: &u32| {
                let other = &entries[i as usize];
                index.hashes[i as usize] == hash
                    && other.kind == entry.kind
                    && key(&other.name, Case::Fold) == key(&entry.name, Case::Fold)
            };
            match index.table.find(hash, same) {
                Some(&existing) => {
                    let target = &mut self.entries[existing as usize];
                    let first_here = if target.origin.file == entry.origin.file {
                        Some(target.origin.line)
                    } else {
                        match index.merged.entry((existing, entry.origin.file)) {
                            std::collections::hash_map::Entry::Occupied(first) => {
                                Some(*first.get())
                            }
                            std::collections::hash_map::Entry::Vacant(slot) => {
                                slot.insert(entry.origin.line);
                                None
                            }
                        }
                    };
                    if let Some(first) = first_here {
                        errors.push(LineError {
                            line: entry.origin.line as usize,
                            message: format!(
                                "duplicate canonical name `{}` (first at line {first})",
                                entry.name
                            ),
                        });
                        continue;
                    }
                    for alias in entry.aliases {
                        if !target.names().any(|n| n == alias) {
                            target.aliases.push(alias);
                        }
                    }
                    target.attributes.extend(entry.attributes);
                }
                None => {
                    let i = self.entries.len() as u32;
                    index
                        .table
                        .insert_unique(hash, i, |&i| index.hashes[i as usize]);
                    index.hashes.push(hash);
                    self.entries.push(entry);
                }
            }
        }
    }

    /// Merges each entry of a later folder that is an entry of an earlier
    /// one under another canonical name (see `identity::identify`: "Soviet
    /// Union" in an investigator's folder is the shipped "USSR") into that
    /// entry, its names becoming aliases there, as entries with the same
    /// canonical name already merge. Only the folders before the last are
    /// indexed, and nothing is done for a single folder; `hashes` are the
    /// entries' canonical [`name_hash`]es, which pass most entries over.
    fn merge_known(&mut self, folder_of_file: &[usize], hashes: &[u64]) {
        let folder = |e: &Entry| folder_of_file[e.origin.file as usize];
        let Some(last) = self.entries.last().map(folder) else {
            return;
        };
        let mut names = identity::Names::default();
        let mut merged = vec![false; self.entries.len()];
        let mut start = 0;
        while start < self.entries.len() {
            // Entries come folder by folder, in load order.
            let this = folder(&self.entries[start]);
            let end = start
                + self.entries[start..]
                    .iter()
                    .take_while(|e| folder(e) == this)
                    .count();
            if start > 0 {
                for i in start..end {
                    let entry = &self.entries[i];
                    if !names.may_know(entry, hashes[i]) {
                        continue;
                    }
                    let identity::Identity::Known { index, .. } = identity::identify(
                        &names,
                        &self.entries,
                        entry.kind,
                        &entry.name,
                        &entry.aliases,
                    ) else {
                        continue;
                    };
                    let (given, attributes): (Vec<String>, _) = (
                        entry.names().map(str::to_string).collect(),
                        entry.attributes.clone(),
                    );
                    let target = &mut self.entries[index];
                    for name in given {
                        if !target.names().any(|n| n == name) {
                            target.aliases.push(name);
                        }
                    }
                    target.attributes.extend(attributes);
                    merged[i] = true;
                }
            }
            if this != last {
                for i in (start..end).filter(|&i| !merged[i]) {
                    names.add(i, &self.entries[i]);
                }
            }
            start = end;
        }
        if merged.contains(&true) {
            let mut flags = merged.into_iter();
            self.entries.retain(|_| !flags.next().unwrap_or(false));
        }
    }

    /// All entities, in load order (the order of [`Entry`] indices).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The files that were read, indexed by [`Origin::file`].
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// `file:line` of an origin, for messages.
    pub fn locate(&self, origin: Origin) -> String {
        let file = self
            .files
            .get(origin.file as usize)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        format!("{file}:{}", origin.line)
    }

    /// A short hash of every file's content: it changes whenever any name,
    /// alias, attribute or rule does (documents matched under another one
    /// are stale).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// A short hash of the entity files alone: what the stored entities
    /// mirror, so a change of the rules alone does not compare them again.
    pub fn entities_fingerprint(&self) -> &str {
        &self.entities_fingerprint
    }

    /// The fingerprint of everything but the entity files: what
    /// [`Gazetteer::load_with`] read beside them.
    pub fn beside_fingerprint(&self) -> &str {
        &self.beside_fingerprint
    }

    /// The number of entities.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entities.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The entities loaded so far, found by type and folded name: indices into
/// the entries, kept in a table by [`name_hash`] (a string-keyed map cost as
/// much as parsing at a million entities).
struct NameIndex {
    table: HashTable<u32>,
    /// The name hash of each entry, by index.
    hashes: Vec<u64>,
    /// The line of each (entry, file) where a later file named an entry
    /// again, to tell a name written twice in that file.
    merged: rustc_hash::FxHashMap<(u32, u32), u32>,
}

/// The hash of an entity's type and folded name.
fn name_hash(kind: EntityType, folded: &str) -> u64 {
    crate::normalize::token_hash(folded) ^ (kind as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// An entity file's text, as read.
struct EntityText {
    kind: EntityType,
    path: PathBuf,
    /// Its index in [`Gazetteer::files`].
    file: u32,
    /// The text, without the byte-order mark if it had one.
    text: String,
    /// Whether the file began with a byte-order mark.
    bom: bool,
}

/// What a fingerprint is computed over, in order: small parts (what was
/// read beside the name lists) copied, entity files by their index in the texts read,
/// so that hashing those (megabytes) can wait for a thread of its own.
#[derive(Default)]
struct FingerprintInput(Vec<Hashed>);

enum Hashed {
    Bytes(Vec<u8>),
    /// An entity file: its type, its length and its bytes as read.
    EntityFile(usize),
}

impl FingerprintInput {
    /// The input of the entities fingerprint: the first `count` entity files.
    fn entity_files(count: usize) -> FingerprintInput {
        FingerprintInput((0..count).map(Hashed::EntityFile).collect())
    }

    fn update(&mut self, bytes: &[u8]) {
        self.0.push(Hashed::Bytes(bytes.to_vec()));
    }

    fn entity_file(&mut self, index: usize) {
        self.0.push(Hashed::EntityFile(index));
    }

    /// [`FingerprintInput::digest`] of everything but the entity files.
    fn digest_rules(&self) -> String {
        let mut hasher = Sha256::new();
        for part in &self.0 {
            if let Hashed::Bytes(bytes) = part {
                hasher.update(bytes);
            }
        }
        hex(&hasher.finalize()[..8])
    }

    /// The first 8 bytes of the SHA-256 of the input, in hexadecimal.
    fn digest(&self, texts: &[EntityText]) -> String {
        let mut hasher = Sha256::new();
        for part in &self.0 {
            match part {
                Hashed::Bytes(bytes) => hasher.update(bytes),
                Hashed::EntityFile(index) => {
                    let entity = &texts[*index];
                    let bom: &[u8] = if entity.bom {
                        "\u{FEFF}".as_bytes()
                    } else {
                        b""
                    };
                    hasher.update(entity.kind.as_str().as_bytes());
                    hasher.update(((bom.len() + entity.text.len()) as u64).to_le_bytes());
                    hasher.update(bom);
                    hasher.update(entity.text.as_bytes());
                }
            }
        }
        hex(&hasher.finalize()[..8])
    }
}

/// Gazetteer files are parsed in pieces of about this many bytes.
const PIECE_BYTES: usize = 128 << 10;

/// Consecutive whole lines of a gazetteer file.
struct Piece<'a> {
    text: &'a str,
    /// The file's line number of the first line.
    first_line: usize,
    /// How many lines it holds (the last may lack its line end).
    lines: usize,
}

/// `text` cut into pieces of about [`PIECE_BYTES`], each ending with a line.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let (mut rest, mut first_line) = (text, 1);
    while !rest.is_empty() {
        let cut = match rest.as_bytes().get(PIECE_BYTES..) {
            None => rest.len(),
            Some(after) => {
                memchr::memchr(b'\n', after).map_or(rest.len(), |at| PIECE_BYTES + at + 1)
            }
        };
        let (piece, tail) = rest.split_at(cut);
        let line_ends = memchr::memchr_iter(b'\n', piece.as_bytes()).count();
        out.push(Piece {
            text: piece,
            first_line,
            lines: line_ends + usize::from(!piece.ends_with('\n')),
        });
        first_line += line_ends;
        rest = tail;
    }
    out
}

/// The entries of one piece of an entity file, each with its
/// [`name_hash`], and the errors of its lines.
fn parse_piece(
    kind: EntityType,
    piece: &Piece<'_>,
    file: u32,
) -> (Vec<(Entry, u64)>, Vec<LineError>) {
    let text = piece.text;
    let mut entries = Vec::with_capacity(piece.lines);
    let mut errors = Vec::new();
    for (line_number, parsed) in entity_lines(text, piece.first_line) {
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let mut aliases: Vec<String> = Vec::with_capacity(parsed.aliases.len());
        for alias in parsed.aliases {
            if alias != parsed.name && !aliases.iter().any(|a| a == alias) {
                aliases.push(alias.to_string());
            }
        }
        let entry = Entry {
            kind,
            name: parsed.name.to_string(),
            aliases,
            attributes: parsed
                .attributes
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            origin: Origin {
                file,
                line: line_number as u32,
            },
        };
        entries.push((entry, name_hash(kind, &key(parsed.name, Case::Fold))));
    }
    (entries, errors)
}

/// The directory of the gazetteers that ship with dossier: `$DOSSIER_GAZETTEERS`
/// if set, else `./gazetteers` when it holds a gazetteer, else the copy built
/// into the binary, unpacked ([`shipped::locate`], which also says where the
/// folder comes from and why a copy could not be unpacked).
pub fn default_dir() -> PathBuf {
    match shipped::locate() {
        Ok(shipped) => shipped.dir,
        Err(e) => e.dir,
    }
}

/// A UTF-8 file of a gazetteer folder, without its byte-order mark.
pub fn read_text(path: &Path) -> Result<String, GazetteerError> {
    let bytes = std::fs::read(path).map_err(|source| GazetteerError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| GazetteerError::NotUtf8 {
        path: path.to_path_buf(),
        line: line_of_utf8_error(&e),
    })?;
    Ok(edit::strip_bom(text))
}

/// The 1-based line of the first invalid byte.
fn line_of_utf8_error(e: &std::string::FromUtf8Error) -> usize {
    e.as_bytes()[..e.utf8_error().valid_up_to()]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` (name, content) into `dir` and loads it.
    fn write_and_load(dir: &Path, files: &[(&str, &str)]) -> Gazetteer {
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        Gazetteer::load(&[dir.to_path_buf()]).unwrap()
    }

    fn load_one(people: &str) -> Result<Gazetteer, GazetteerError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("people.tsv"), people).unwrap();
        Gazetteer::load(&[dir.path().to_path_buf()])
    }

    #[test]
    fn loads_names_aliases_and_attributes() {
        let g = load_one(
            "# people\n\nAlla Dudayeva\tA. Dudayeva|Alla Dudaeva\tcountry=Georgia\nPutin\n",
        )
        .unwrap();
        assert_eq!(g.len(), 2);
        let e = &g.entries()[0];
        assert_eq!(e.name, "Alla Dudayeva");
        assert_eq!(e.aliases, ["A. Dudayeva", "Alla Dudaeva"]);
        assert_eq!(e.attribute("country"), Some("Georgia"));
        assert_eq!(g.locate(e.origin).rsplit(':').next(), Some("3"));
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_line() {
        let g = load_one("\u{FEFF}# my people\r\nAnna Politkovskaya\r\n").unwrap();
        assert_eq!(g.len(), 1);
        assert_eq!(g.entries()[0].name, "Anna Politkovskaya");
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let err = load_one("Good\nBad\t\ta|\tx\textra\nAlso|bad\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("people.tsv:2:"), "{text}");
        assert!(text.contains("people.tsv:3:"), "{text}");
    }

    /// Files are parsed in pieces: the pieces are the file, cut after whole
    /// lines, and each knows the file's number of its first line.
    #[test]
    fn pieces_are_whole_lines_with_their_numbers() {
        let mut text: String = (0..40_000)
            .map(|i| format!("Person {i}\tP. {i}|Per {i}\r\n"))
            .collect();
        text.push_str("Last One");
        let cut = pieces(&text);
        assert!(cut.len() > 3, "{} pieces", cut.len());
        assert_eq!(cut.iter().map(|p| p.text).collect::<String>(), text);
        let mut line = 1;
        for (i, piece) in cut.iter().enumerate() {
            assert_eq!(piece.first_line, line);
            assert_eq!(piece.lines, piece.text.lines().count());
            assert!(i == cut.len() - 1 || piece.text.ends_with('\n'));
            line += piece.text.matches('\n').count();
        }
        assert_eq!(cut.iter().map(|p| p.lines).sum::<usize>(), 40_001);
        assert!(pieces("").is_empty());
    }

    /// A bad line deep in a large file, past the first pieces, is named by
    /// its line in the file; the entries around it load in file order.
    #[test]
    fn errors_and_order_survive_the_pieces() {
        let lines: Vec<String> = (1..=30_000)
            .map(|n| match n {
                23_456 => "Bad\t\ta|\tx\textra".to_string(),
                n => format!("Person {n}\tP. {n}"),
            })
            .collect();
        let text = lines.join("\n");
        assert!(pieces(&text).len() > 3);
        let err = load_one(&text).unwrap_err().to_string();
        assert!(err.contains("people.tsv:23456:"), "{err}");
        assert_eq!(err.matches("people.tsv:").count(), 1, "{err}");
        let good = load_one(&text.replace(&lines[23_455], "Person 23456")).unwrap();
        assert_eq!(good.len(), 30_000);
        for (i, entry) in good.entries().iter().enumerate() {
            assert_eq!(entry.name, format!("Person {}", i + 1));
            assert_eq!(entry.origin.line as usize, i + 1);
        }
    }

    #[test]
    fn later_directories_add_aliases_to_the_same_entity() {
        let shipped = tempfile::tempdir().unwrap();
        let own = tempfile::tempdir().unwrap();
        std::fs::write(
            shipped.path().join("states.tsv"),
            "Russia\tRussian Federation\n",
        )
        .unwrap();
        std::fs::write(own.path().join("states.tsv"), "RUSSIA\tRF\tnote=mine\n").unwrap();
        let g = Gazetteer::load(&[shipped.path().into(), own.path().into()]).unwrap();
        assert_eq!(g.len(), 1);
        assert_eq!(g.entries()[0].aliases, ["Russian Federation", "RF"]);
        assert_eq!(g.entries()[0].attribute("note"), Some("mine"));
    }

    #[test]
    fn an_entity_is_its_type_and_folded_name() {
        let (dir, later) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        // Case, diacritics and white space fold away: the first person and
        // the later folder's are one. Another spelling is another entity,
        // and so is the same name as a place.
        write_and_load(
            dir.path(),
            &[
                ("people.tsv", "Ana Noxçiyçö\tA\nAna Nohchiycho\n"),
                ("places.tsv", "Ana Noxciyco\n"),
            ],
        );
        std::fs::write(later.path().join("people.tsv"), "ANA  NOXCIYCO\tB\tx=1\n").unwrap();
        let g = Gazetteer::load(&[dir.path().to_path_buf(), later.path().to_path_buf()]).unwrap();
        let found: Vec<_> = g
            .entries()
            .iter()
            .map(|e| {
                (
                    e.kind,
                    e.name.as_str(),
                    e.aliases.join("|"),
                    e.attributes.len(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (EntityType::Person, "Ana Noxçiyçö", "A|B".to_string(), 1),
                (EntityType::Person, "Ana Nohchiycho", String::new(), 0),
                (EntityType::Place, "Ana Noxciyco", String::new(), 0),
            ]
        );
    }

    /// Ingest had merged a canonical name written twice in one file without
    /// a word, where `gazetteer check` calls it an error: loading refuses
    /// it, at the file and line `check` gives.
    #[test]
    fn a_canonical_name_twice_in_one_file_is_refused() {
        let err = load_one("Ana Noxçiyçö\tA\nAna Nohchiycho\nANA  NOXCIYCO\tB\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(
                "people.tsv:3: duplicate canonical name `ANA  NOXCIYCO` (first at line 1)"
            ),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        // Also when an earlier folder names it: the later file still names
        // it twice.
        let (dir, later) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::write(dir.path().join("states.tsv"), "France\n").unwrap();
        std::fs::write(
            later.path().join("states.tsv"),
            "France\tFR\nGermany\nFRANCE\n",
        )
        .unwrap();
        let err = Gazetteer::load(&[dir.path().to_path_buf(), later.path().to_path_buf()])
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("states.tsv:3: duplicate canonical name `FRANCE` (first at line 1)"),
            "{err}"
        );
    }

    #[test]
    fn fingerprint_follows_content() {
        let a = load_one("Alla Dudayeva\n").unwrap();
        let b = load_one("Alla Dudayeva\n").unwrap();
        let c = load_one("Alla Dudayeva\tAlla Dudaeva\n").unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
    }

    #[test]
    fn a_later_folder_naming_a_known_entity_otherwise_merges_into_it() {
        let shipped = tempfile::tempdir().unwrap();
        let mine = tempfile::tempdir().unwrap();
        std::fs::write(
            shipped.path().join("states.tsv"),
            "Georgia\nNorth Ruritania\tPeople's Republic of Ruritania\nUSSR\tSoviet Union\n",
        )
        .unwrap();
        std::fs::write(
            mine.path().join("states.tsv"),
            "Soviet Union\tUSSR|Soviet state\nState of Georgia\tGeorgia\n\
             Greater Ruritania\tPeople's Republic of Ruritania\n",
        )
        .unwrap();
        let g =
            Gazetteer::load(&[shipped.path().to_path_buf(), mine.path().to_path_buf()]).unwrap();
        let names: Vec<(&str, Vec<&str>)> = g
            .entries()
            .iter()
            .map(|e| {
                (
                    e.name.as_str(),
                    e.aliases.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                ("Georgia", vec![]),
                (
                    "North Ruritania",
                    vec!["People's Republic of Ruritania", "Greater Ruritania"]
                ),
                ("USSR", vec!["Soviet Union", "Soviet state"]),
                // An alias of one word identifies nothing: a US state.
                ("State of Georgia", vec!["Georgia"]),
            ]
        );
    }

    #[test]
    fn missing_directory_is_an_error() {
        let err = Gazetteer::load(&[PathBuf::from("/no/such/dir")]).unwrap_err();
        assert!(err.to_string().contains("/no/such/dir"));
    }
}
