//! Writing gazetteers: `dossier gazetteer add` and `dossier gazetteer import`.
//!
//! Both keep a file as the maintainer wrote it: comments, blank lines and
//! untouched entity lines stay byte for byte; new entities go in at their
//! sorted place (by folded canonical name), merged aliases are appended to
//! the existing line. Files are replaced atomically (write, then rename).

use super::identity::{Identity, Names, identify};
use super::parse::{parse_line, split_list};
use crate::model::EntityType;
use crate::normalize::{Case, key};
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

/// What `add` did.
#[derive(Debug)]
pub struct AddOutcome {
    /// The file written.
    pub file: PathBuf,
    /// The line the new entity is on.
    pub line: usize,
    /// Notes for the user, e.g. an alias that another entity also claims.
    pub notes: Vec<String>,
}

/// What `import` did, for the report.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Input lines that made a new entity.
    pub added: usize,
    /// Input lines that gave an entity (already there, or added by an
    /// earlier line) aliases or attributes.
    pub merged: usize,
    /// Input lines with nothing new.
    pub unchanged: usize,
    /// Input lines that were refused: line number (1-based) and why.
    pub refused: Vec<(usize, String)>,
    /// Attribute values of the gazetteer kept against a different value
    /// in the input: line number and what was kept. Hand-made data is not
    /// overwritten by an import.
    pub kept: Vec<(usize, String)>,
    /// Input lines taken as an entity the loaded gazetteers already hold
    /// under another canonical name: line number and what was done.
    pub identified: Vec<(usize, String)>,
    /// Names of input lines that other loaded entities also bear (their
    /// mentions will be ambiguous): line number and the note.
    pub shared: Vec<(usize, String)>,
    /// The files written.
    pub files: Vec<PathBuf>,
    /// The names the import brought, one entry per added or merged input
    /// line (its name and aliases as given): what stored documents may now
    /// match differently.
    pub names: Vec<super::Entry>,
}

/// Why an edit could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The entity is already there.
    #[error("{kind} `{name}` is already in {file}:{line}; to add names to it, edit that line")]
    Duplicate {
        /// Its type.
        kind: EntityType,
        /// Its name as given.
        name: String,
        /// Where it is.
        file: PathBuf,
        /// Its line.
        line: usize,
    },
    /// A name or attribute cannot be written in the format.
    #[error("{0}")]
    Invalid(String),
    /// The input of an import is not readable as TSV or CSV.
    #[error("{path}:{line}: {message}")]
    BadInput {
        /// The input file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// One line of a gazetteer file being edited.
pub(super) enum Line {
    /// A comment, blank or unparsable line, kept as it is.
    Verbatim(String),
    /// An entity; `text` is `None` once it was changed and must be rewritten.
    Entity {
        key: String,
        name: String,
        aliases: Vec<String>,
        attributes: Vec<(String, String)>,
        text: Option<String>,
    },
}

impl Line {
    fn render(&self) -> String {
        match self {
            Line::Verbatim(text) => text.clone(),
            Line::Entity {
                text: Some(text), ..
            } => text.clone(),
            Line::Entity {
                name,
                aliases,
                attributes,
                ..
            } => render_entity(name, aliases, attributes),
        }
    }
}

fn render_entity(name: &str, aliases: &[String], attributes: &[(String, String)]) -> String {
    let mut out = name.to_string();
    if !aliases.is_empty() || !attributes.is_empty() {
        out.push('\t');
        out.push_str(&aliases.join("|"));
    }
    if !attributes.is_empty() {
        out.push('\t');
        let pairs: Vec<String> = attributes.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push_str(&pairs.join(";"));
    }
    out
}

/// A gazetteer file in memory.
pub(super) struct EditableFile {
    pub(super) path: PathBuf,
    /// The file's line ending, kept when it is written back.
    newline: &'static str,
    pub(super) lines: Vec<Line>,
    /// Folded canonical name → index into `lines`.
    pub(super) index: FxHashMap<String, usize>,
}

impl EditableFile {
    pub(super) fn open(dir: &Path, kind: EntityType) -> Result<EditableFile, EditError> {
        let path = dir.join(kind.file_name());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => strip_bom(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
                "# {kind} gazetteer: canonical name<TAB>alias|alias<TAB>key=value;key=value\n"
            ),
            Err(source) => return Err(EditError::Io { path, source }),
        };
        let mut lines = Vec::new();
        let mut index = FxHashMap::default();
        for (n, raw) in text.lines().enumerate() {
            match parse_line(raw, n + 1) {
                Ok(Some(parsed)) => {
                    let name_key = key(parsed.name, Case::Fold);
                    index.entry(name_key.clone()).or_insert(lines.len());
                    lines.push(Line::Entity {
                        key: name_key,
                        name: parsed.name.to_string(),
                        aliases: parsed.aliases.iter().map(|a| a.to_string()).collect(),
                        attributes: parsed
                            .attributes
                            .iter()
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect(),
                        text: Some(raw.to_string()),
                    });
                }
                _ => lines.push(Line::Verbatim(raw.to_string())),
            }
        }
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Ok(EditableFile {
            path,
            newline,
            lines,
            index,
        })
    }

    /// Inserts entities (sorted by key, keys not yet in the file) at their
    /// sorted places, in one pass. Returns the line numbers they landed on.
    pub(super) fn insert_sorted(&mut self, mut new: Vec<Line>) -> Vec<usize> {
        new.sort_by(|a, b| line_key(a).cmp(line_key(b)));
        let old = std::mem::take(&mut self.lines);
        let mut placed = Vec::with_capacity(new.len());
        let mut pending = new.into_iter().peekable();
        let last_entity = old.iter().rposition(|l| matches!(l, Line::Entity { .. }));
        for (i, line) in old.into_iter().enumerate() {
            if let Line::Entity { key: here, .. } = &line {
                while pending.peek().is_some_and(|p| line_key(p) < here.as_str()) {
                    placed.push(self.lines.len() + 1);
                    self.lines.push(pending.next().expect("peeked"));
                }
            }
            self.lines.push(line);
            if Some(i) == last_entity {
                for p in pending.by_ref() {
                    placed.push(self.lines.len() + 1);
                    self.lines.push(p);
                }
            }
        }
        for p in pending {
            placed.push(self.lines.len() + 1);
            self.lines.push(p);
        }
        self.index.clear();
        for (i, line) in self.lines.iter().enumerate() {
            if let Line::Entity { key, .. } = line {
                self.index.entry(key.clone()).or_insert(i);
            }
        }
        placed
    }

    pub(super) fn write(&self) -> Result<(), EditError> {
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(&line.render());
            text.push_str(self.newline);
        }
        let io = |source| EditError::Io {
            path: self.path.clone(),
            source,
        };
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let tmp = self.path.with_extension("tsv.tmp");
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, &self.path).map_err(io)
    }
}

fn line_key(line: &Line) -> &str {
    match line {
        Line::Entity { key, .. } => key,
        Line::Verbatim(_) => "",
    }
}

/// Checks that a name can be written on a gazetteer line.
fn validate_name(what: &str, name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if what == "name" && name.trim_start().starts_with('#') {
        return Err(format!(
            "the name `{name}` starts with `#`, which makes the line a comment; give it as an alias of a name without `#`"
        ));
    }
    if name.contains(['\t', '\n', '\r', '|']) {
        return Err(format!(
            "the {what} `{name}` contains a TAB, a line break or `|`, which the format reserves"
        ));
    }
    if !name.chars().any(char::is_alphanumeric) {
        return Err(format!("the {what} `{name}` has no letters or digits"));
    }
    Ok(())
}

fn parse_attribute(pair: &str) -> Result<(String, String), String> {
    let (k, v) = pair
        .split_once('=')
        .ok_or_else(|| format!("attribute `{pair}` is not key=value"))?;
    let (k, v) = (k.trim(), v.trim());
    let valid = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !v.contains([';', '\t', '\n', '\r']);
    if !valid {
        return Err(format!(
            "attribute `{pair}`: the key must be letters, digits, `_`, `-` or `.`, and the value must not hold `;`, TAB or a line break"
        ));
    }
    Ok((k.to_string(), v.to_string()))
}

/// What a new entity (`kind`, `name`, `aliases`) meets in gazetteers
/// loaded beside the folder it is added to: the same entity there (the
/// two lines merge), or one of its names naming another entity (its
/// mentions will be ambiguous).
pub fn notes_against(
    loaded: &super::Gazetteer,
    kind: EntityType,
    name: &str,
    aliases: &[String],
) -> Vec<String> {
    let name_key = key(name.trim(), Case::Fold);
    let given = folded_names(name.trim(), aliases.iter().map(|a| a.trim()));
    let mut notes = Vec::new();
    for entry in loaded.entries() {
        let place = format!(
            "{}:{}",
            loaded.files()[entry.origin.file as usize].display(),
            entry.origin.line
        );
        if entry.kind == kind && key(&entry.name, Case::Fold) == name_key {
            notes.push(format!(
                "{kind} `{}` is also at {place}: when both folders are loaded the two lines are one entity, their aliases and attributes together",
                entry.name
            ));
            continue;
        }
        notes.extend(shared_name_notes(
            &given,
            entry.kind,
            &entry.name,
            &entry.aliases,
            &format!(" ({place})"),
        ));
    }
    notes
}

/// Each of a new entity's names (`name`, then `aliases`) with its folded
/// form, to compare with other entities' names.
fn folded_names<'a>(
    name: &'a str,
    aliases: impl IntoIterator<Item = &'a str>,
) -> Vec<(&'a str, String)> {
    std::iter::once(name)
        .chain(aliases)
        .map(|n| (n, key(n, Case::Fold)))
        .collect()
}

/// A note for each of `given` ([`folded_names`]) that is also a name of
/// another entity (`kind` `canonical` with `aliases`), found at `place`
/// (empty in the same folder, else ` (file:line)`).
fn shared_name_notes(
    given: &[(&str, String)],
    kind: EntityType,
    canonical: &str,
    aliases: &[String],
    place: &str,
) -> Vec<String> {
    let mut notes = Vec::new();
    for other in std::iter::once(canonical).chain(aliases.iter().map(String::as_str)) {
        let other_key = key(other, Case::Fold);
        for (given_name, given_key) in given {
            if *given_key == other_key {
                notes.push(format!(
                    "`{given_name}` also names {kind} `{canonical}`{place}: its mentions will be ambiguous unless a document settles them"
                ));
            }
        }
    }
    notes
}

/// Adds one entity to `dir`'s file for `kind`, at its sorted place. Refuses
/// an entity whose canonical name (folded) is already there.
pub fn add_entry(
    dir: &Path,
    kind: EntityType,
    name: &str,
    aliases: &[String],
    attributes: &[String],
) -> Result<AddOutcome, EditError> {
    let name = name.trim();
    validate_name("name", name).map_err(EditError::Invalid)?;
    let mut clean_aliases: Vec<String> = Vec::new();
    for alias in aliases.iter().map(|a| a.trim()) {
        validate_name("alias", alias).map_err(EditError::Invalid)?;
        let folded = key(alias, Case::Fold);
        if folded != key(name, Case::Fold)
            && !clean_aliases.iter().any(|a| key(a, Case::Fold) == folded)
        {
            clean_aliases.push(alias.to_string());
        }
    }
    let attributes = attributes
        .iter()
        .map(|a| parse_attribute(a))
        .collect::<Result<Vec<_>, _>>()
        .map_err(EditError::Invalid)?;
    let mut file = EditableFile::open(dir, kind)?;
    let name_key = key(name, Case::Fold);
    if let Some(&i) = file.index.get(&name_key) {
        return Err(EditError::Duplicate {
            kind,
            name: name.to_string(),
            file: file.path.clone(),
            line: i + 1,
        });
    }
    // Names the new entity shares with any entity of any type in `dir`.
    let mut notes = Vec::new();
    let given = folded_names(name, clean_aliases.iter().map(String::as_str));
    for other_kind in EntityType::ALL {
        let other_file = if other_kind == kind {
            None
        } else {
            Some(EditableFile::open(dir, other_kind)?)
        };
        for line in &other_file.as_ref().unwrap_or(&file).lines {
            let Line::Entity {
                name: other,
                aliases: other_aliases,
                ..
            } = line
            else {
                continue;
            };
            notes.extend(shared_name_notes(
                &given,
                other_kind,
                other,
                other_aliases,
                "",
            ));
        }
    }
    let placed = file.insert_sorted(vec![Line::Entity {
        key: name_key,
        name: name.to_string(),
        aliases: clean_aliases,
        attributes,
        text: None,
    }]);
    file.write()?;
    Ok(AddOutcome {
        file: file.path.clone(),
        line: placed[0],
        notes,
    })
}

/// One entity read from an import file.
struct Incoming {
    /// Its line in the input (1-based).
    line: usize,
    kind: EntityType,
    name: String,
    aliases: Vec<String>,
    attributes: Vec<(String, String)>,
}

impl Incoming {
    /// The line as a gazetteer entry (its origin: the input line).
    fn as_entry(&self) -> super::Entry {
        super::Entry {
            kind: self.kind,
            name: self.name.clone(),
            aliases: self.aliases.clone(),
            attributes: Vec::new(),
            origin: super::Origin {
                file: 0,
                line: self.line as u32,
            },
        }
    }
}

/// Imports a list from elsewhere into the gazetteer directory `dir`.
///
/// Two input formats: TSV `type<TAB>name<TAB>alias|alias[<TAB>k=v;k=v]`
/// (a header line starting with `type` is skipped), and CSV with a header
/// whose columns `type` and `name` are required, `aliases` (split on `|`)
/// is optional and every other non-empty column becomes an attribute.
/// Files ending in `.csv` are read as CSV, anything else as TSV.
///
/// `known` is what is loaded beside `dir` (all gazetteer folders of the
/// run). A line whose canonical name is already a name of exactly one
/// entity of its type there, under another canonical name ("Soviet Union"
/// when the lists hold "USSR" with that alias), is that entity: it is
/// written under the known canonical name, with its own as an alias, so
/// that the two load as one entity instead of making every mention
/// ambiguous. So does a line one of whose aliases of three words or more
/// one known entity alone bears, when no other known entity shares any of
/// its names. A shorter shared alias ("Georgia" for a US state) identifies
/// nothing.
pub fn import_file(
    input: &Path,
    dir: &Path,
    known: Option<&super::Gazetteer>,
) -> Result<ImportReport, EditError> {
    let mut report = ImportReport::default();
    let mut incoming = if input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        read_csv(input, &mut report)?
    } else {
        read_tsv(input, &mut report)?
    };
    if let Some(known) = known {
        identify_known(&mut incoming, known, &mut report);
    }
    for kind in EntityType::ALL {
        let of_kind: Vec<&Incoming> = incoming.iter().filter(|i| i.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let mut file = EditableFile::open(dir, kind)?;
        let mut new: Vec<Line> = Vec::new();
        let mut new_index: FxHashMap<String, usize> = FxHashMap::default();
        let mut touched = false;
        for item in of_kind {
            let name_key = key(&item.name, Case::Fold);
            let existed = file.index.contains_key(&name_key);
            let target = if let Some(&i) = file.index.get(&name_key) {
                Some(&mut file.lines[i])
            } else if let Some(&i) = new_index.get(&name_key) {
                Some(&mut new[i])
            } else {
                None
            };
            match target {
                Some(Line::Entity {
                    key: existing_key,
                    name,
                    aliases,
                    attributes,
                    text,
                }) => {
                    let mut changed = false;
                    for alias in &item.aliases {
                        let folded = key(alias, Case::Fold);
                        if folded != *existing_key
                            && !aliases.iter().any(|a| key(a, Case::Fold) == folded)
                        {
                            aliases.push(alias.clone());
                            changed = true;
                        }
                    }
                    for pair in &item.attributes {
                        match attributes.iter().find(|(k, _)| *k == pair.0) {
                            Some(same) if same == pair => {}
                            // The gazetteer's own value stays; a value an
                            // earlier line of this input gave is replaced.
                            Some((k, v)) if existed => report.kept.push((
                                item.line,
                                format!(
                                    "{kind} `{name}` keeps {k}={v} (the input says {k}={})",
                                    pair.1
                                ),
                            )),
                            _ => {
                                attributes.retain(|(k, _)| *k != pair.0);
                                attributes.push(pair.clone());
                                changed = true;
                            }
                        }
                    }
                    if changed {
                        report.names.push(item.as_entry());
                        report.merged += 1;
                        *text = None;
                        touched = true;
                    } else {
                        report.unchanged += 1;
                    }
                }
                Some(Line::Verbatim(_)) => unreachable!("the index points at entity lines"),
                None => {
                    let mut aliases: Vec<String> = Vec::new();
                    for alias in &item.aliases {
                        let folded = key(alias, Case::Fold);
                        if folded != name_key
                            && !aliases.iter().any(|a| key(a, Case::Fold) == folded)
                        {
                            aliases.push(alias.clone());
                        }
                    }
                    new_index.insert(name_key.clone(), new.len());
                    new.push(Line::Entity {
                        key: name_key,
                        name: item.name.clone(),
                        aliases,
                        attributes: item.attributes.clone(),
                        text: None,
                    });
                    report.names.push(item.as_entry());
                    report.added += 1;
                    touched = true;
                }
            }
        }
        if touched {
            file.insert_sorted(new);
            file.write()?;
            report.files.push(file.path.clone());
        }
    }
    Ok(report)
}

/// Renames each incoming line that names one known entity (see
/// [`import_file`]) to that entity's canonical name, and notes the names
/// the remaining lines share with other entities.
fn identify_known(incoming: &mut [Incoming], known: &super::Gazetteer, report: &mut ImportReport) {
    let mut names = Names::default();
    for (index, entry) in known.entries().iter().enumerate() {
        names.add(index, entry);
    }
    for item in incoming.iter_mut() {
        match identify(
            &names,
            known.entries(),
            item.kind,
            &item.name,
            &item.aliases,
        ) {
            Identity::Known { index, by } => {
                let entry = &known.entries()[index];
                let bears = match by {
                    None => "which already bears that name".to_string(),
                    Some(alias) => format!("which alone bears its name `{alias}`"),
                };
                report.identified.push((
                    item.line,
                    format!(
                        "{} `{}` is {} `{}` ({}), {bears}: written as a line of it, with `{}` as an alias",
                        item.kind,
                        item.name,
                        entry.kind,
                        entry.name,
                        known.locate(entry.origin),
                        item.name
                    ),
                ));
                let own = std::mem::replace(&mut item.name, entry.name.clone());
                item.aliases.insert(0, own);
            }
            Identity::Shares(sharing) => {
                let given = folded_names(&item.name, item.aliases.iter().map(String::as_str));
                for (index, _) in sharing {
                    let entry = &known.entries()[index];
                    let place = format!(" ({})", known.locate(entry.origin));
                    for note in
                        shared_name_notes(&given, entry.kind, &entry.name, &entry.aliases, &place)
                    {
                        report.shared.push((item.line, note));
                    }
                }
            }
        }
    }
}

fn read_tsv(input: &Path, report: &mut ImportReport) -> Result<Vec<Incoming>, EditError> {
    let bytes = std::fs::read(input).map_err(|source| EditError::Io {
        path: input.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| EditError::BadInput {
        path: input.to_path_buf(),
        line: e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1,
        message: "the file is not UTF-8".into(),
    })?;
    let text = strip_bom(text);
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let mut columns: Vec<&str> = raw.split('\t').collect();
        // A last column starting with `#` is a comment (the evidence
        // `gazetteer suggest` writes there).
        if columns.len() > 1
            && columns
                .last()
                .is_some_and(|c| c.trim_start().starts_with('#'))
        {
            columns.pop();
        }
        if line == 1
            && columns[0]
                .trim_start_matches('\u{FEFF}')
                .trim()
                .eq_ignore_ascii_case("type")
        {
            continue;
        }
        let result = (|| {
            if columns.len() < 2 || columns.len() > 4 {
                return Err(format!(
                    "expected type<TAB>name<TAB>aliases[<TAB>attributes], found {} column(s)",
                    columns.len()
                ));
            }
            let kind: EntityType = columns[0]
                .parse()
                .map_err(|e: crate::model::UnknownType| e.to_string())?;
            let aliases = columns.get(2).map(|c| split_list(c)).unwrap_or_default();
            let attributes = match columns.get(3) {
                Some(c) => c
                    .split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(parse_attribute)
                    .collect::<Result<Vec<_>, _>>()?,
                None => Vec::new(),
            };
            incoming(kind, columns[1], aliases, attributes)
        })();
        match result {
            Ok(item) => out.push(Incoming { line, ..item }),
            Err(why) => report.refused.push((line, why)),
        }
    }
    Ok(out)
}

fn read_csv(input: &Path, report: &mut ImportReport) -> Result<Vec<Incoming>, EditError> {
    let bad = |line: usize, message: String| EditError::BadInput {
        path: input.to_path_buf(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(input)
        .map_err(|e| bad(1, e.to_string()))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| bad(1, e.to_string()))?
        .iter()
        .map(|h| {
            // A BOM, and spaces in names such as `Country Code`, would make
            // keys no attribute may have.
            h.trim_start_matches('\u{FEFF}')
                .trim()
                .to_ascii_lowercase()
                .replace(' ', "_")
        })
        .collect();
    let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let type_col = column(&["type", "kind"])
        .ok_or_else(|| bad(1, "the CSV header needs a `type` column".into()))?;
    let name_col = column(&["name", "canonical", "canonical name"])
        .ok_or_else(|| bad(1, "the CSV header needs a `name` column".into()))?;
    let alias_col = column(&["aliases", "alias"]);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                report.refused.push((line, e.to_string()));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        let result = (|| {
            // A cell dossier guarded against spreadsheet formulas (the CSV
            // of `gazetteer suggest`) comes back as it was.
            let field =
                |i: usize| crate::spreadsheet::unguarded(record.get(i).unwrap_or("").trim());
            let kind: EntityType = field(type_col)
                .parse()
                .map_err(|e: crate::model::UnknownType| e.to_string())?;
            let aliases = alias_col.map(|i| split_list(field(i))).unwrap_or_default();
            let mut attributes = Vec::new();
            for (i, header) in headers.iter().enumerate() {
                if i == type_col || i == name_col || Some(i) == alias_col || field(i).is_empty() {
                    continue;
                }
                attributes.push(parse_attribute(&format!("{header}={}", field(i)))?);
            }
            incoming(kind, field(name_col), aliases, attributes)
        })();
        match result {
            Ok(item) => out.push(Incoming { line, ..item }),
            Err(why) => report.refused.push((line, why)),
        }
    }
    Ok(out)
}

/// The text without a leading UTF-8 byte order mark.
pub(crate) fn strip_bom(text: String) -> String {
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

fn incoming(
    kind: EntityType,
    name: &str,
    aliases: Vec<String>,
    attributes: Vec<(String, String)>,
) -> Result<Incoming, String> {
    let name = name.trim();
    validate_name("name", name)?;
    let mut kept = Vec::with_capacity(aliases.len());
    for alias in aliases {
        // An alias without letters (say "--") is dropped, not the entity.
        if validate_name("alias", &alias).is_ok() {
            kept.push(alias);
        }
    }
    Ok(Incoming {
        line: 0,
        kind,
        name: name.to_string(),
        aliases: kept,
        attributes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_keeps_comments_and_sorted_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("states.tsv");
        std::fs::write(
            &path,
            "# states\nAustria\n\n# the Fs\nFrance\tFrench Republic\nGermany\n",
        )
        .unwrap();
        let out = add_entry(
            dir.path(),
            EntityType::State,
            "Finland",
            &["Suomi".into()],
            &["iso=FI".into()],
        )
        .unwrap();
        assert_eq!(out.line, 5);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "# states\nAustria\n\n# the Fs\nFinland\tSuomi\tiso=FI\nFrance\tFrench Republic\nGermany\n"
        );
        add_entry(dir.path(), EntityType::State, "Zambia", &[], &[]).unwrap();
        add_entry(dir.path(), EntityType::State, "Albania", &[], &[]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("Germany\nZambia\n"), "{text}");
        assert!(text.starts_with("# states\nAlbania\nAustria\n"), "{text}");
    }

    #[test]
    fn a_name_starting_with_hash_would_be_a_comment() {
        let dir = tempfile::tempdir().unwrap();
        let err = add_entry(dir.path(), EntityType::Organisation, "#MeToo", &[], &[]).unwrap_err();
        assert!(err.to_string().contains("starts with `#`"), "{err}");
        // As an alias it is fine: it is not at the start of the line.
        add_entry(
            dir.path(),
            EntityType::Organisation,
            "MeToo movement",
            &["#MeToo".into()],
            &[],
        )
        .unwrap();
    }

    #[test]
    fn add_keeps_windows_line_endings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("states.tsv");
        std::fs::write(&path, "# states\r\nAustria\r\nGermany\r\n").unwrap();
        add_entry(dir.path(), EntityType::State, "France", &[], &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# states\r\nAustria\r\nFrance\r\nGermany\r\n"
        );
    }

    #[test]
    fn add_refuses_a_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("states.tsv"), "France\n").unwrap();
        let err = add_entry(dir.path(), EntityType::State, "FRANCE", &[], &[]).unwrap_err();
        assert!(err.to_string().contains("is already in"), "{err}");
        assert!(err.to_string().contains("states.tsv:1"), "{err}");
        let err = add_entry(dir.path(), EntityType::State, "Bad|Name", &[], &[]).unwrap_err();
        assert!(err.to_string().contains("reserves"), "{err}");
    }

    #[test]
    fn import_tsv_adds_merges_and_refuses() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("people.tsv"),
            "# people\nAlla Dudayeva\tA. Dudayeva\n",
        )
        .unwrap();
        let input = dir.path().join("in.tsv");
        std::fs::write(
            &input,
            "person\tAlla Dudayeva\tAlla Dudaeva|A. Dudayeva\nperson\tZelim Ismailov\t\nalien\tX Y\t\nstate\tRussia\tRussian Federation\nperson\t\tnobody\nperson\tAnna Politkovskaya\n",
        )
        .unwrap();
        let report = import_file(&input, dir.path(), None).unwrap();
        assert_eq!((report.added, report.merged, report.unchanged), (3, 1, 0));
        assert_eq!(report.refused.len(), 2, "{:?}", report.refused);
        assert_eq!(report.refused[0].0, 3);
        let people = std::fs::read_to_string(dir.path().join("people.tsv")).unwrap();
        assert_eq!(
            people,
            "# people\nAlla Dudayeva\tA. Dudayeva|Alla Dudaeva\nAnna Politkovskaya\nZelim Ismailov\n"
        );
        let again = import_file(&input, dir.path(), None).unwrap();
        assert_eq!((again.added, again.merged, again.unchanged), (0, 0, 4));
    }

    /// Every input line is counted once; the gazetteer's own attribute
    /// values are kept against the input's, and said so.
    #[test]
    fn import_counts_lines_and_keeps_attribute_values() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("states.tsv"),
            "Russia\tRF\tkind=sovereign\n",
        )
        .unwrap();
        let input = dir.path().join("in.tsv");
        std::fs::write(
            &input,
            "state\tRussia\tRussian Federation\tkind=bogus\nperson\tNew Person\t\nperson\tNew Person\tN. Person\tborn=1950\nperson\tNew Person\t\tborn=1951\nperson\tNew Person\t\n",
        )
        .unwrap();
        let report = import_file(&input, dir.path(), None).unwrap();
        // Lines: Russia merged (alias), New Person added, merged (alias and
        // attribute), merged (a later value of its own import), unchanged.
        assert_eq!((report.added, report.merged, report.unchanged), (1, 3, 1));
        assert_eq!(
            report.kept,
            [(
                1,
                "state `Russia` keeps kind=sovereign (the input says kind=bogus)".to_string()
            )]
        );
        let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
        assert_eq!(
            read("states.tsv"),
            "Russia\tRF|Russian Federation\tkind=sovereign\n"
        );
        assert!(read("people.tsv").contains("New Person\tN. Person\tborn=1951\n"));
    }

    /// What a new line meets in the other loaded folders.
    #[test]
    fn import_takes_a_line_named_like_a_known_entity_as_that_entity() {
        use crate::gazetteer::{Entry, Gazetteer};
        let dir = tempfile::tempdir().unwrap();
        let known = Gazetteer::from_entries(vec![
            Entry::new(EntityType::State, "USSR", &["Soviet Union"], &[]),
            Entry::new(EntityType::State, "Georgia", &[], &[]),
            Entry::new(EntityType::Person, "Anna Kowalska", &["Kowalska"], &[]),
            Entry::new(EntityType::Person, "Jan Kowalski", &["Kowalska"], &[]),
        ]);
        let input = dir.path().join("in.tsv");
        std::fs::write(
            &input,
            "state\tSoviet Union\tUSSR|Soviet Russia\n\
             state\tState of Georgia\tGeorgia\n\
             place\tSoviet Union\t\n\
             person\tKowalska\t\n",
        )
        .unwrap();
        let report = import_file(&input, dir.path(), Some(&known)).unwrap();
        // Only the main name identifies, and only one entity of the same
        // type: the US state that has "Georgia" as an alias stays its own,
        // a place is not a state, a name two people bear settles nothing.
        assert_eq!(report.identified.len(), 1, "{:?}", report.identified);
        assert_eq!(report.identified[0].0, 1);
        assert!(
            report.identified[0]
                .1
                .starts_with("state `Soviet Union` is state `USSR`"),
            "{:?}",
            report.identified
        );
        let states = std::fs::read_to_string(dir.path().join("states.tsv")).unwrap();
        assert!(
            states.ends_with("\nState of Georgia\tGeorgia\nUSSR\tSoviet Union|Soviet Russia\n"),
            "{states}"
        );
        let shared: Vec<usize> = report.shared.iter().map(|(line, _)| *line).collect();
        assert_eq!(shared, vec![2, 4, 4], "{:?}", report.shared);
    }

    #[test]
    fn import_takes_a_long_alias_one_entity_bears_as_that_entity() {
        use crate::gazetteer::{Entry, Gazetteer};
        let dir = tempfile::tempdir().unwrap();
        let known = Gazetteer::from_entries(vec![
            Entry::new(
                EntityType::Organisation,
                "Supreme Court of Ruritania",
                &["Ruritanian Supreme Court", "Supreme Court"],
                &[],
            ),
            Entry::new(
                EntityType::State,
                "North Ruritania",
                &["People's Republic of Ruritania"],
                &[],
            ),
        ]);
        let input = dir.path().join("in.tsv");
        std::fs::write(
            &input,
            "state\tPeople's Republic of North Ruritania\tPeople's Republic of Ruritania|PRR\n\
             organisation\tSupreme Court of Freedonia\tSupreme Court\n",
        )
        .unwrap();
        let report = import_file(&input, dir.path(), Some(&known)).unwrap();
        // Five words name one state; two ("Supreme Court") name any court.
        let identified: Vec<usize> = report.identified.iter().map(|(line, _)| *line).collect();
        assert_eq!(identified, vec![1], "{:?}", report.identified);
        let states = std::fs::read_to_string(dir.path().join("states.tsv")).unwrap();
        assert!(
            states.ends_with(
                "\nNorth Ruritania\tPeople's Republic of North Ruritania|People's Republic of Ruritania|PRR\n"
            ),
            "{states}"
        );
        let shared: Vec<usize> = report.shared.iter().map(|(line, _)| *line).collect();
        assert_eq!(shared, vec![2], "{:?}", report.shared);
    }

    #[test]
    fn notes_against_other_folders() {
        let loaded = crate::gazetteer::Gazetteer::from_entries(vec![
            crate::gazetteer::Entry::new(EntityType::State, "Russia", &["Russian Federation"], &[]),
            crate::gazetteer::Entry::new(
                EntityType::Person,
                "Volodymyr Zelensky",
                &["Vladimir Zelensky"],
                &[],
            ),
        ]);
        let notes = |kind, name: &str, aliases: &[&str]| {
            let aliases: Vec<String> = aliases.iter().map(|a| a.to_string()).collect();
            notes_against(&loaded, kind, name, &aliases)
        };
        assert_eq!(
            notes(EntityType::Place, "Vilnius", &["Wilno"]),
            Vec::<String>::new()
        );
        let same = notes(EntityType::State, "RUSSIA", &["RF"]);
        assert_eq!(same.len(), 1);
        assert!(same[0].starts_with("state `Russia` is also at"), "{same:?}");
        let shared = notes(EntityType::Person, "V. Zelensky", &["vladimir zelensky"]);
        assert_eq!(shared.len(), 1);
        assert!(
            shared[0].starts_with("`vladimir zelensky` also names person `Volodymyr Zelensky`"),
            "{shared:?}"
        );
    }

    #[test]
    fn import_csv_with_extra_columns_as_attributes() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("list.csv");
        std::fs::write(&input, "\u{FEFF}Name,Type,Aliases,Country Code\n\"Kyiv, city\",place,Kiev|Kyjiw,Ukraine\nVilnius,place,,Lithuania\n").unwrap();
        let report = import_file(&input, dir.path(), None).unwrap();
        assert_eq!(report.added, 2);
        let places = std::fs::read_to_string(dir.path().join("places.tsv")).unwrap();
        assert!(
            places.contains("Kyiv, city\tKiev|Kyjiw\tcountry_code=Ukraine\n"),
            "{places}"
        );
        assert!(
            places.contains("Vilnius\t\tcountry_code=Lithuania\n"),
            "{places}"
        );
    }

    /// dossier's CSV guards names a spreadsheet would read as formulas
    /// with a `'`; importing such a file takes the guard off.
    #[test]
    fn import_csv_takes_off_the_formula_guard() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("suggested.csv");
        std::fs::write(
            &input,
            "type,name,aliases\norganisation,'-Minus Association,'@Minus\norganisation,'Quoted Union,\n",
        )
        .unwrap();
        let report = import_file(&input, dir.path(), None).unwrap();
        assert_eq!(report.added, 2);
        let organisations = std::fs::read_to_string(dir.path().join("organisations.tsv")).unwrap();
        assert!(
            organisations.contains("-Minus Association\t@Minus\n"),
            "{organisations}"
        );
        // A quote before anything else is the name's own.
        assert!(organisations.contains("'Quoted Union\n"), "{organisations}");
    }
}
