//! `dossier gazetteer check`: everything a maintainer should fix or know.
//!
//! Errors (the gazetteer cannot be used as it is): malformed lines, the
//! same canonical name twice for one type in one directory, and a
//! `same-as` that names nothing, several entries, or goes round in a
//! circle. Warnings (it works, but may not do what was meant): a name
//! claimed by two entities (mentions of it stay ambiguous), names too short
//! or too common to match safely, names that are common-noun phrases
//! (`phrases`), aliases that repeat, unsorted files, `same-as` chains.

use super::phrases::{Reading, reading};
use crate::gazetteer::{Gazetteer, GazetteerError, entity_lines, same_as};
use crate::matcher::is_acronym;
use crate::model::EntityType;
use crate::normalize::{Case, key, letter_count};
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Must be fixed: loading fails or the data contradicts itself.
    Error,
    /// Works, but probably not as meant.
    Warning,
}

/// One finding, located at a file and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The gazetteer file.
    pub file: PathBuf,
    /// 1-based line; 0 for the file or directory as a whole.
    pub line: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Line 0: about the file or directory as a whole.
        match self.line {
            0 => write!(f, "{}: {level}: {}", self.file.display(), self.message),
            line => write!(
                f,
                "{}:{line}: {level}: {}",
                self.file.display(),
                self.message
            ),
        }
    }
}

/// Where a name was seen, for the cross-entity checks.
#[derive(Clone)]
struct Seen {
    kind: EntityType,
    canonical: String,
    file: usize,
    line: usize,
}

/// The file name of the list of common words, read from each directory.
pub const COMMON_WORDS_FILE: &str = "common-words.txt";

/// The shipped list of common words, built in: checked against whatever
/// directories are loaded, so that a maintainer's own folder, checked
/// alone, still hears about `the` or `In`.
const SHIPPED_COMMON_WORDS: &str = include_str!("../../gazetteers/common-words.txt");

/// The shipped word lists of name finding, built in for the same reason:
/// their particles and head words tell names from common-noun phrases.
const SHIPPED_NAME_RULES: &str = include_str!("../../gazetteers/relations/names.rules");

/// Files a gazetteer directory may hold besides the entity files.
const OTHER_KNOWN_FILES: [&str; 2] = [COMMON_WORDS_FILE, "metonymy.txt"];

/// Checks the gazetteers of `dirs` as [`crate::gazetteer::Gazetteer::load`] would read
/// them. Returns the findings sorted by file and line; reading errors are
/// findings too.
pub fn check(dirs: &[PathBuf]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Loaded whole for what needs every folder at once: the generic words
    // of the rules' lists, and `same-as` as merged entries read it. When it
    // does not load, the errors below say why, and those checks wait.
    let lexicon = super::Lexicon::load(dirs).ok();
    // The shipped word lists count for a folder checked alone, as the
    // shipped common words do.
    let mut shipped_rules = crate::relations::rules::RuleSet::default();
    let _ = shipped_rules.extend(SHIPPED_NAME_RULES, "names.rules");
    let rule_sets: Vec<&crate::relations::rules::RuleSet> = std::iter::once(&shipped_rules)
        .chain(lexicon.iter().map(|l| &l.rules))
        .collect();
    let words_of = |lists: &[&str], last_only: bool| -> FxHashSet<String> {
        let mut words = FxHashSet::default();
        for list in rule_sets
            .iter()
            .flat_map(|r| lists.iter().map(|n| r.list(n)))
        {
            for item in list {
                let mut item_words = item.split_whitespace();
                let taken: Vec<&str> = if last_only {
                    item_words.next_back().into_iter().collect()
                } else {
                    item_words.collect()
                };
                words.extend(taken.into_iter().map(|w| key(w, Case::Fold)));
            }
        }
        words
    };
    let particles = words_of(&[super::phrases::PARTICLES], false);
    let heads = words_of(&super::phrases::HEAD_LISTS, true);
    let mut files: Vec<PathBuf> = Vec::new();
    let mut common: FxHashSet<String> = FxHashSet::default();
    let lists = dirs
        .iter()
        .filter_map(|dir| std::fs::read_to_string(dir.join(COMMON_WORDS_FILE)).ok());
    for text in lists.chain([SHIPPED_COMMON_WORDS.to_string()]) {
        common.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|w| key(w, Case::Fold)),
        );
    }
    // Every folded name, with who claims it.
    let mut claims: FxHashMap<String, Vec<Seen>> = FxHashMap::default();
    // Names whose one capitalised word is a head word, to look at once
    // every name is claimed: (file, line, the name, that word).
    let mut generic: Vec<(usize, usize, String, String)> = Vec::new();
    // Where each entity's `same-as` was last written: by type and folded
    // canonical name, its file and line.
    let mut same_as_lines: FxHashMap<(EntityType, String), (usize, usize)> = FxHashMap::default();
    for dir in dirs {
        if !dir.is_dir() {
            out.push(Diagnostic {
                severity: Severity::Error,
                file: dir.clone(),
                line: 0,
                message: "no such gazetteer directory".into(),
            });
            continue;
        }
        check_file_names(dir, &mut out);
        let mut canonical_here: FxHashMap<(EntityType, String), usize> = FxHashMap::default();
        for kind in EntityType::ALL {
            let path = dir.join(kind.file_name());
            let text = match read_text(&path) {
                Ok(Some(text)) => text,
                Ok(None) => continue,
                Err(e) => {
                    out.push(e);
                    continue;
                }
            };
            let file = files.len();
            files.push(path.clone());
            let mut previous: Option<String> = None;
            let mut reported_unsorted = false;
            for (line_number, parsed) in entity_lines(&text, 1) {
                let parsed = match parsed {
                    Ok(parsed) => parsed,
                    Err(e) => {
                        out.push(error(&path, line_number, e.message));
                        continue;
                    }
                };
                let canonical_key = key(parsed.name, Case::Fold);
                if let Some(&first) = canonical_here.get(&(kind, canonical_key.clone())) {
                    out.push(error(
                        &path,
                        line_number,
                        format!(
                            "duplicate canonical name `{}` (first at line {first})",
                            parsed.name
                        ),
                    ));
                } else {
                    canonical_here.insert((kind, canonical_key.clone()), line_number);
                }
                if let Some(previous) = &previous
                    && !reported_unsorted
                    && canonical_key < *previous
                {
                    reported_unsorted = true;
                    out.push(warning(
                        &path,
                        line_number,
                        format!(
                            "not sorted: `{}` comes after a name that sorts later; `dossier gazetteer add` keeps files sorted",
                            parsed.name
                        ),
                    ));
                }
                previous = Some(canonical_key.clone());
                if parsed.name.starts_with('\u{FEFF}') {
                    out.push(warning(
                        &path,
                        line_number,
                        "a byte order mark inside the file".into(),
                    ));
                }
                let case_exact = parsed
                    .attributes
                    .iter()
                    .any(|&(k, v)| k == "case" && v == "exact");
                if parsed
                    .attributes
                    .iter()
                    .any(|&(k, _)| k == same_as::ATTRIBUTE)
                {
                    same_as_lines.insert((kind, canonical_key.clone()), (file, line_number));
                }
                let mut own: FxHashSet<String> = FxHashSet::default();
                for (i, name) in std::iter::once(parsed.name)
                    .chain(parsed.aliases.iter().copied())
                    .enumerate()
                {
                    let name_key = if i == 0 {
                        canonical_key.clone()
                    } else {
                        key(name, Case::Fold)
                    };
                    if name.contains("  ") {
                        out.push(warning(
                            &path,
                            line_number,
                            format!("`{name}` has a run of spaces: was a TAB meant?"),
                        ));
                    }
                    if !own.insert(name_key.clone()) {
                        out.push(warning(
                            &path,
                            line_number,
                            format!(
                                "alias `{name}` repeats another name of `{}` (case, accents, apostrophes and dashes do not count)",
                                parsed.name
                            ),
                        ));
                        continue;
                    }
                    let letters = letter_count(&name_key);
                    if letters < crate::matcher::MIN_LETTERS {
                        out.push(warning(
                            &path,
                            line_number,
                            format!("`{name}` is too short to match safely; it is not matched"),
                        ));
                        continue;
                    }
                    // Matched in any case: two letters, or a common word.
                    let any_case = !case_exact && !is_acronym(name);
                    let common_word = any_case && common.contains(&name_key);
                    match reading(name, &|w| particles.contains(w), &|w| heads.contains(w)) {
                        Reading::Name => {}
                        Reading::LowerCase if common_word => {}
                        Reading::LowerCase => out.push(warning(
                            &path,
                            line_number,
                            format!(
                                "`{name}` is all in lower case: a common-noun phrase rather than a name, so what it names in every document becomes one entity; remove it, or write the name it stands for"
                            ),
                        )),
                        Reading::Generic(head) => {
                            generic.push((file, line_number, name.to_string(), head))
                        }
                    }
                    if any_case && letters == 2 {
                        out.push(warning(
                            &path,
                            line_number,
                            format!(
                                "`{name}` has two letters and is not in capitals, so it matches that word in any case; add `case=exact` or remove it"
                            ),
                        ));
                    } else if common_word {
                        out.push(warning(
                            &path,
                            line_number,
                            format!(
                                "`{name}` is a common word and will match ordinary text; add `case=exact` or remove it"
                            ),
                        ));
                    }
                    claims.entry(name_key).or_default().push(Seen {
                        kind,
                        canonical: parsed.name.to_string(),
                        file,
                        line: line_number,
                    });
                }
            }
        }
    }
    for (name_key, seen) in &claims {
        let mut distinct: Vec<&Seen> = Vec::new();
        for s in seen {
            let same = |d: &&Seen| {
                d.kind == s.kind && key(&d.canonical, Case::Fold) == key(&s.canonical, Case::Fold)
            };
            if !distinct.iter().any(same) {
                distinct.push(s);
            }
        }
        if distinct.len() < 2 {
            continue;
        }
        let named: Vec<String> = distinct
            .iter()
            .map(|s| {
                format!(
                    "{} `{}` ({}:{})",
                    s.kind,
                    s.canonical,
                    files[s.file].display(),
                    s.line
                )
            })
            .collect();
        let first = distinct[0];
        out.push(warning(
            &files[first.file],
            first.line,
            format!(
                "ambiguous name `{name_key}` is claimed by {}: {}; a mention stays ambiguous unless its document settles it",
                distinct.len(),
                named.join(" and ")
            ),
        ));
    }
    // A head word that is a listed name on its own (`Mejlis`) is a proper
    // noun.
    for (file, line, name, head) in generic {
        if claims.contains_key(&key(&head, Case::Fold)) {
            continue;
        }
        out.push(warning(
            &files[file],
            line,
            format!(
                "`{name}` has no proper noun, only `{head}`, which says what kind of thing it is: a common-noun phrase rather than a name, so what it names in every document becomes one entity; remove it, or write the name in full"
            ),
        ));
    }
    if let Some(lexicon) = &lexicon {
        check_same_as(&lexicon.gazetteer, &files, &same_as_lines, &mut out);
    }
    for dir in dirs {
        check_relation_rules(dir, &mut out);
    }
    out.sort_by(|a, b| {
        (&a.file, a.line, a.severity, &a.message).cmp(&(&b.file, b.line, b.severity, &b.message))
    });
    out
}

/// The `same-as` attributes of `gazetteer` (the folders as loading merges
/// them), each problem at the line that wrote the attribute
/// (`same_as_lines`, by type and folded canonical name, into `files`).
fn check_same_as(
    gazetteer: &Gazetteer,
    files: &[PathBuf],
    same_as_lines: &FxHashMap<(EntityType, String), (usize, usize)>,
    out: &mut Vec<Diagnostic>,
) {
    if same_as_lines.is_empty() {
        return;
    }
    let entries = gazetteer.entries();
    for problem in same_as::resolve(entries).problems {
        let entry = &entries[problem.entry()];
        let (file, line) = match same_as_lines.get(&(entry.kind, key(&entry.name, Case::Fold))) {
            Some(&(file, line)) => (files[file].clone(), line),
            None => (
                gazetteer.files()[entry.origin.file as usize].clone(),
                entry.origin.line as usize,
            ),
        };
        let message = problem.describe(entries);
        out.push(if problem.is_error() {
            error(&file, line, message)
        } else {
            warning(&file, line, message)
        });
    }
}

/// Files of `dir` that look meant as gazetteers but are not read (a
/// misspelt `organizations.tsv`), and a directory of which nothing is.
fn check_file_names(dir: &Path, out: &mut Vec<Diagnostic>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let expected: Vec<&str> = EntityType::ALL.iter().map(|k| k.file_name()).collect();
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let read = |name: &str| expected.contains(&name) || OTHER_KNOWN_FILES.contains(&name);
    for name in &names {
        let gazetteer_like = [".tsv", ".csv", ".txt"]
            .iter()
            .any(|ext| name.to_lowercase().ends_with(ext));
        if gazetteer_like && !read(name) && !name.starts_with('.') {
            out.push(warning(
                &dir.join(name),
                0,
                format!("not read: the entity files are {}", expected.join(", ")),
            ));
        }
    }
    // A folder of rules alone, or of common words alone, is fine.
    let reads_something =
        names.iter().any(|n| read(n)) || dir.join(crate::relations::rules::DIR).is_dir();
    if !reads_something {
        out.push(warning(
            dir,
            0,
            format!(
                "nothing here is read: the entity files are {}",
                expected.join(", ")
            ),
        ));
    }
}

/// The malformed lines of `DIR/relations/*.rules`.
fn check_relation_rules(dir: &std::path::Path, out: &mut Vec<Diagnostic>) {
    let files = match crate::relations::rules::files_in(dir) {
        Ok(files) => files,
        Err(e) => {
            let folder = dir.join(crate::relations::rules::DIR);
            out.push(error(&folder, 0, format!("cannot read: {e}")));
            return;
        }
    };
    for path in files {
        let text = match read_text(&path) {
            Ok(Some(text)) => text,
            Ok(None) => continue,
            Err(e) => {
                out.push(e);
                continue;
            }
        };
        let mut set = crate::relations::rules::RuleSet::default();
        if let Err(errors) = set.extend(&text, &path.display().to_string()) {
            for e in errors {
                out.push(error(&path, e.line, e.message));
            }
        }
    }
}

/// A gazetteer or rule file's text, as loading reads it (a byte order mark
/// dropped); `None` when the file does not exist.
fn read_text(path: &Path) -> Result<Option<String>, Diagnostic> {
    match crate::gazetteer::read_text(path) {
        Ok(text) => Ok(Some(text)),
        Err(GazetteerError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Ok(None)
        }
        Err(GazetteerError::Io { source, .. }) => {
            Err(error(path, 0, format!("cannot read: {source}")))
        }
        Err(GazetteerError::NotUtf8 { line, .. }) => {
            Err(error(path, line, "the file is not UTF-8".into()))
        }
        Err(other) => Err(error(path, 0, other.to_string())),
    }
}

fn error(path: &Path, line: usize, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: path.to_path_buf(),
        line,
        message,
    }
}

fn warning(path: &Path, line: usize, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        file: path.to_path_buf(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_files(files: &[(&str, &str)]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        check(&[dir.path().to_path_buf()])
            .iter()
            .map(|d| {
                let file = d.file.file_name().unwrap().to_string_lossy().into_owned();
                format!("{file}:{}: {:?}: {}", d.line, d.severity, d.message)
            })
            .collect()
    }

    fn has(found: &[String], part: &str) -> bool {
        found.iter().any(|f| f.contains(part))
    }

    #[test]
    fn finds_each_kind_of_problem() {
        let found = check_files(&[
            ("common-words.txt", "# words\nforum\nmale\n"),
            (
                "states.tsv",
                "Georgia\nFrance\tFrench Republic|FRANCE\nFrance\nChad\tX\nTurkey\tForum\nMaldives\n",
            ),
            (
                "places.tsv",
                "Georgia\tGeorgia State\nMale\t\tcase=exact\nBad|line\n",
            ),
        ]);
        assert!(
            has(
                &found,
                "states.tsv:3: Error: duplicate canonical name `France` (first at line 2)"
            ),
            "{found:#?}"
        );
        assert!(
            has(&found, "states.tsv:2: Warning: alias `FRANCE` repeats"),
            "{found:#?}"
        );
        assert!(
            has(&found, "states.tsv:4: Warning: `X` is too short"),
            "{found:#?}"
        );
        assert!(
            has(&found, "states.tsv:5: Warning: `Forum` is a common word"),
            "{found:#?}"
        );
        assert!(has(&found, "not sorted: `France`"), "{found:#?}");
        assert!(
            has(
                &found,
                "ambiguous name `georgia` is claimed by 2: place `Georgia`"
            ),
            "{found:#?}"
        );
        assert!(
            has(&found, "places.tsv:3: Error: the canonical name `Bad|line`"),
            "{found:#?}"
        );
        assert!(
            !has(&found, "`Male` is a common word"),
            "case=exact silences it: {found:#?}"
        );
    }

    /// A folder checked alone still hears of the shipped common words;
    /// two letters not in capitals match in any case; misnamed files and a
    /// folder of which nothing is read are reported.
    #[test]
    fn own_folders_get_the_shipped_checks() {
        let found = check_files(&[
            ("people.tsv", "New Person\tNP\nOb\nThe\n"),
            ("organizations.tsv", "Seimas\n"),
        ]);
        assert_eq!(
            found,
            [
                "organizations.tsv:0: Warning: not read: the entity files are people.tsv, organisations.tsv, places.tsv, states.tsv",
                "people.tsv:2: Warning: `Ob` has two letters and is not in capitals, so it matches that word in any case; add `case=exact` or remove it",
                "people.tsv:3: Warning: `The` is a common word and will match ordinary text; add `case=exact` or remove it",
            ]
        );
        let nothing = check_files(&[("notes.txt", "")]);
        assert_eq!(nothing.len(), 2, "{nothing:?}");
        assert!(has(&nothing, "nothing here is read"));
    }

    /// Each `same-as` problem is reported at the line that wrote it: the
    /// errors where no group is made, a warning for a chain.
    #[test]
    fn same_as_problems() {
        let found = check_files(&[
            (
                "states.tsv",
                "Borduria\t\tsame-as=Ruritania\nEastmoor\nRuritania\t\tsame-as=Borduria\n",
            ),
            (
                "places.tsv",
                "Eastmoor\nEastmoor Valley\t\tsame-as=Eastmoor\nLowmoor\t\tsame-as=Moorland\n\
                 Strelsau\t\tsame-as=Strelsau Oblast\nStrelsau Oblast\t\tsame-as=state:Eastmoor\n",
            ),
        ]);
        let found: Vec<&String> = found
            .iter()
            .filter(|f| !f.contains("ambiguous name"))
            .collect();
        assert_eq!(
            found,
            [
                "places.tsv:2: Error: same-as=Eastmoor names place `Eastmoor`, state `Eastmoor`: write TYPE:NAME (place:Eastmoor or state:Eastmoor)",
                "places.tsv:3: Error: same-as=Moorland names no entry: write another entry's canonical name",
                "places.tsv:4: Warning: same-as names place `Strelsau Oblast`, which is itself the same as state `Eastmoor`: the chain is followed, but write same-as=state:Eastmoor",
                "states.tsv:1: Error: same-as goes round in a circle (state `Borduria` → state `Ruritania` and back): none of them is grouped",
            ],
            "{found:#?}"
        );
    }

    /// Common-noun phrases are warned about (the rule and its cases are in
    /// `phrases`); a head word that is a listed name alone is a name.
    #[test]
    fn common_noun_phrases() {
        let found = check_files(&[(
            "organisations.tsv",
            "Eastmoor Regional Assembly\toccupation authorities|the Assembly\n\
             Mejlis\nMoorland Senate\tthe Mejlis|the Senate\n",
        )]);
        assert_eq!(
            found,
            [
                "organisations.tsv:1: Warning: `occupation authorities` is all in lower case: a common-noun phrase rather than a name, so what it names in every document becomes one entity; remove it, or write the name it stands for",
                "organisations.tsv:1: Warning: `the Assembly` has no proper noun, only `Assembly`, which says what kind of thing it is: a common-noun phrase rather than a name, so what it names in every document becomes one entity; remove it, or write the name in full",
                "organisations.tsv:3: Warning: `the Senate` has no proper noun, only `Senate`, which says what kind of thing it is: a common-noun phrase rather than a name, so what it names in every document becomes one entity; remove it, or write the name in full",
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn a_clean_gazetteer_has_no_findings() {
        let found = check_files(&[("states.tsv", "France\tFrench Republic\nGermany\tFRG\n")]);
        assert_eq!(found, Vec::<String>::new());
    }

    /// Rule files are read for checking as loading reads them: a byte
    /// order mark is no error, bad UTF-8 is reported at its line.
    #[test]
    fn rule_files_are_read_as_loading_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join(crate::relations::rules::DIR);
        std::fs::create_dir(&rules).unwrap();
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("gazetteers/relations/signed.rules");
        let text = std::fs::read_to_string(shipped).unwrap();
        std::fs::write(rules.join("signed.rules"), format!("\u{FEFF}{text}")).unwrap();
        let mut bad = b"# fine\n# fine\n".to_vec();
        bad.extend_from_slice(b"[rule \xFF]\n");
        std::fs::write(rules.join("bad.rules"), bad).unwrap();
        let found: Vec<String> = check(&[dir.path().to_path_buf()])
            .iter()
            .map(|d| {
                let file = d.file.file_name().unwrap().to_string_lossy().into_owned();
                format!("{file}:{}: {}", d.line, d.message)
            })
            .collect();
        assert_eq!(found, ["bad.rules:3: the file is not UTF-8"]);
    }

    #[test]
    fn acronyms() {
        for (name, want) in [
            ("UN", true),
            ("USSR", true),
            ("VTOTs", false),
            ("U.S.", true),
            ("Un", false),
            ("NATO OTAN", false),
            ("ABCDEF", true),
            ("ABCDEFG", false),
            ("ÉU", true),
            ("1945", false),
            ("", false),
        ] {
            assert_eq!(is_acronym(name), want, "{name}");
        }
    }
}
