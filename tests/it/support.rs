//! Running the `dossier` binary as a user would: in a scratch directory of
//! its own, with a database of its own, and nothing from the caller's
//! environment (`DOSSIER_DB`, `DOSSIER_GAZETTEERS`) leaking in.
//!
//! Every helper returns what the process printed and how it ended; the tests
//! decide what is right. Parsed forms of the JSON listings (`Entity`,
//! `Mention`, `Document`) are strict: a renamed field fails every test that
//! reads it, which is the point, since scripts read those fields too.

#![allow(dead_code)]

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_dossier");

/// The crate's root directory.
pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures").join(name)
}

/// The gazetteers shipped with dossier.
pub fn shipped_gazetteers() -> PathBuf {
    manifest_dir().join("gazetteers")
}

/// How a run ended and what it printed.
#[derive(Debug)]
pub struct Run {
    /// The exit code; -1 when the process was killed by a signal.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from_output(output: std::process::Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Asserts the exit code, showing both streams when it is not `code`.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code {} instead of {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Asserts exit code 0.
    #[track_caller]
    pub fn ok(self) -> Run {
        self.expect_code(0)
    }

    /// Stdout parsed as JSON into `T`.
    #[track_caller]
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not the expected JSON: {e}\n--- stdout\n{}",
                self.stdout
            )
        })
    }

    /// The stderr lines that start with `prefix`.
    pub fn stderr_lines(&self, prefix: &str) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with(prefix))
            .collect()
    }

    /// The ingest summary line of stderr, parsed.
    #[track_caller]
    pub fn summary(&self) -> Summary {
        Summary::find(&self.stderr)
            .unwrap_or_else(|| panic!("no ingest summary on stderr:\n{}", self.stderr))
    }
}

/// The counts of `ingested N documents in … s (…): a new, b changed,
/// c unchanged, d skipped, e failed; m mentions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// The N after `ingested` (or `interrupted after`).
    pub documents: usize,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub failed: usize,
    pub mentions: u64,
    /// Whether the line began with `interrupted after`.
    pub interrupted: bool,
}

impl Summary {
    /// Finds and parses the summary line in `stderr`.
    pub fn find(stderr: &str) -> Option<Summary> {
        let line = stderr
            .lines()
            .find(|l| l.starts_with("ingested ") || l.starts_with("interrupted after "))?;
        let (interrupted, rest) = match line.strip_prefix("ingested ") {
            Some(rest) => (false, rest),
            None => (true, line.strip_prefix("interrupted after ")?),
        };
        let documents = rest.split(' ').next()?.parse().ok()?;
        let (_, counts) = line.split_once("): ")?;
        let mut summary = Summary {
            documents,
            interrupted,
            ..Summary::default()
        };
        for part in counts.replace(';', ",").split(", ") {
            let (n, label) = part.trim().split_once(' ')?;
            let n: u64 = n.parse().ok()?;
            match label {
                "new" => summary.new = n as usize,
                "changed" => summary.changed = n as usize,
                "unchanged" => summary.unchanged = n as usize,
                "skipped" => summary.skipped = n as usize,
                "failed" => summary.failed = n as usize,
                "mentions" | "mention" => summary.mentions = n,
                _ => return None,
            }
        }
        Some(summary)
    }

    /// (new, changed, unchanged, skipped, failed): the part most tests check.
    pub fn counts(&self) -> (usize, usize, usize, usize, usize) {
        (
            self.new,
            self.changed,
            self.unchanged,
            self.skipped,
            self.failed,
        )
    }
}

/// A row of `entities --format json`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub mentions: i64,
    pub ambiguous: i64,
    pub documents: Vec<String>,
}

/// A row of `mentions NAME --format json`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    pub entity_id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub entity: String,
    pub document: String,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub surface: String,
    pub before: String,
    pub after: String,
    pub resolution: String,
}

/// A row of `documents --format json`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub size: i64,
    pub encoding: String,
    pub ingested_at: String,
    pub mentions: i64,
    pub entities: i64,
    pub unlisted: i64,
}

/// A scratch directory (the working directory of every run) with a database
/// in it, and the gazetteer options every run gets.
pub struct Scratch {
    dir: tempfile::TempDir,
    db: PathBuf,
    gazetteer_args: Vec<String>,
}

impl Scratch {
    /// Runs use the shipped gazetteers.
    pub fn new() -> Scratch {
        let dir = tempfile::Builder::new()
            .prefix("dossier-it-")
            .tempdir()
            .expect("create a temp dir");
        let db = dir.path().join("test.sqlite");
        Scratch {
            dir,
            db,
            gazetteer_args: Vec::new(),
        }
    }

    /// A scratch folder with the fixture documents (`corpus/` and
    /// `relations/`) ingested with the shipped gazetteers and rules.
    pub fn with_fixture_graph() -> Scratch {
        let s = Scratch::new();
        s.copy_fixture("corpus");
        s.copy_fixture("relations");
        s.ingest(&["corpus", "relations"]);
        s
    }

    /// Runs use only `tests/fixtures/gazetteer`.
    pub fn with_fixture_gazetteer() -> Scratch {
        Scratch::new().gazetteers(&[&fixture("gazetteer")])
    }

    /// Runs use only these gazetteer directories (no shipped ones).
    pub fn gazetteers(mut self, dirs: &[&Path]) -> Scratch {
        self.gazetteer_args = vec!["--no-default-gazetteers".to_string()];
        for dir in dirs {
            self.gazetteer_args.push("--gazetteer".to_string());
            self.gazetteer_args.push(dir.display().to_string());
        }
        self
    }

    /// Runs also read `dir`, on top of the gazetteers they already use
    /// (the shipped ones, unless [`Scratch::gazetteers`] left them out).
    pub fn also_gazetteer(mut self, dir: &Path) -> Scratch {
        self.gazetteer_args.push("--gazetteer".to_string());
        self.gazetteer_args.push(dir.display().to_string());
        self
    }

    /// The scratch directory, which is also the working directory of runs.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The database file.
    pub fn db(&self) -> &Path {
        &self.db
    }

    /// Writes `bytes` to `relative` (creating folders) and returns the path.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, bytes).expect("write a scratch file");
        path
    }

    /// Reads a scratch file as text.
    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(relative)).expect("read a scratch file")
    }

    /// Copies the fixture folder `name` to `<scratch>/<name>` and returns it.
    pub fn copy_fixture(&self, name: &str) -> PathBuf {
        let to = self.dir.path().join(name);
        copy_dir(&fixture(name), &to);
        to
    }

    /// A command running the binary in the scratch directory with
    /// `--db <scratch db>`, the gazetteer options, then `args`.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .current_dir(self.dir.path())
            .env_remove("DOSSIER_DB")
            .env_remove("DOSSIER_GAZETTEERS")
            .arg("--db")
            .arg(&self.db)
            .args(&self.gazetteer_args)
            .args(args)
            .stdin(Stdio::null());
        command
    }

    /// Runs `dossier args…` and waits for it.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from_output(self.command(args).output().expect("run dossier"))
    }

    /// Like [`Scratch::command`] but without `--db` (the gazetteer options
    /// stay), for tests of the database option and its environment.
    pub fn command_without_db(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .current_dir(self.dir.path())
            .env_remove("DOSSIER_DB")
            .env_remove("DOSSIER_GAZETTEERS")
            .args(&self.gazetteer_args)
            .args(args)
            .stdin(Stdio::null());
        command
    }

    /// Runs `dossier args…` without `--db`.
    pub fn run_without_db(&self, args: &[&str]) -> Run {
        Run::from_output(self.command_without_db(args).output().expect("run dossier"))
    }

    /// Runs `dossier args…` with `input` on standard input.
    pub fn run_with_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn dossier");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("piped stdin");
            stdin.write_all(input).expect("write stdin");
        }
        Run::from_output(child.wait_with_output().expect("wait for dossier"))
    }

    /// `dossier ingest paths…`, which must exit 0.
    #[track_caller]
    pub fn ingest(&self, paths: &[&str]) -> Run {
        let mut args = vec!["ingest"];
        args.extend_from_slice(paths);
        self.run(&args).ok()
    }

    /// `entities --format json` plus `args`.
    #[track_caller]
    pub fn entities(&self, args: &[&str]) -> Vec<Entity> {
        let mut all = vec!["entities", "--format", "json"];
        all.extend_from_slice(args);
        self.run(&all).ok().json()
    }

    /// `mentions NAME --format json`.
    #[track_caller]
    pub fn mentions(&self, name: &str) -> Vec<Mention> {
        self.run(&["mentions", name, "--format", "json"])
            .ok()
            .json()
    }

    /// `documents --format json`.
    #[track_caller]
    pub fn documents(&self) -> Vec<Document> {
        self.run(&["documents", "--format", "json"]).ok().json()
    }

    /// Every stored mention, of every entity that has one: the union of
    /// `mentions` over the entities `entities` lists, by document and offset.
    #[track_caller]
    pub fn all_mentions(&self) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        let mut names: Vec<String> = self.entities(&[]).into_iter().map(|e| e.name).collect();
        names.sort();
        names.dedup();
        for name in names {
            for m in self.mentions(&name) {
                if !out.iter().any(|o| {
                    (o.entity_id, &o.document, o.start) == (m.entity_id, &m.document, m.start)
                }) {
                    out.push(m);
                }
            }
        }
        out.sort_by(|a, b| {
            (&a.document, a.start, &a.kind, a.entity_id).cmp(&(
                &b.document,
                b.start,
                &b.kind,
                b.entity_id,
            ))
        });
        out
    }
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy's folder");
    for entry in std::fs::read_dir(from).expect("list a fixture folder") {
        let entry = entry.expect("read a fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// The cells of an aligned table, by header name, checking the alignment
/// on the way: a text cell starts exactly under its header's first
/// character, a number (a column named in `numeric`) ends exactly under its
/// header's last character. Cells are cut at the first run of two spaces, so
/// they must not hold one.
#[track_caller]
pub fn parse_table(table: &str, numeric: &[&str]) -> Vec<Vec<(String, String)>> {
    let mut lines = table.lines();
    let header: Vec<char> = lines.next().expect("a header line").chars().collect();
    // Header names are separated by runs of two or more spaces.
    let mut columns: Vec<(String, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < header.len() {
        if header[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < header.len() && !(header[i] == ' ' && header.get(i + 1).is_none_or(|c| *c == ' '))
        {
            i += 1;
        }
        columns.push((header[start..i].iter().collect(), start, i));
    }
    let mut rows = Vec::new();
    for line in lines {
        let chars: Vec<char> = line.chars().collect();
        let mut row = Vec::new();
        for (name, start, end) in &columns {
            let cell: String = if numeric.contains(&name.as_str()) {
                assert!(
                    chars.len() >= *end
                        && chars[end - 1] != ' '
                        && chars.get(*end).is_none_or(|c| *c == ' '),
                    "the {name} number does not end under its header in\n{line}\nof\n{table}"
                );
                let text: String = chars[..*end].iter().collect();
                text.rsplit("  ")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            } else {
                assert!(
                    chars.len() > *start
                        && chars[*start] != ' '
                        && (*start == 0 || chars[start - 1] == ' '),
                    "the {name} cell does not start under its header in\n{line}\nof\n{table}"
                );
                let text: String = chars[*start..].iter().collect();
                text.split("  ").next().unwrap_or_default().to_string()
            };
            row.push((name.clone(), cell));
        }
        rows.push(row);
    }
    rows
}

/// The cell of `column` in a row of [`parse_table`].
pub fn cell<'a>(row: &'a [(String, String)], column: &str) -> &'a str {
    row.iter()
        .find(|(name, _)| name == column)
        .map(|(_, cell)| cell.as_str())
        .unwrap_or_else(|| panic!("no column {column} in {row:?}"))
}

/// The decoded text the database holds for the document at `path`, read
/// straight from SQLite (`documents.text`): no command prints a whole text.
pub fn stored_text(db: &Path, path: &str) -> String {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the database");
    conn.query_row("SELECT text FROM documents WHERE path = ?1", [path], |r| {
        r.get(0)
    })
    .unwrap_or_else(|e| panic!("no stored text for {path}: {e}"))
}
