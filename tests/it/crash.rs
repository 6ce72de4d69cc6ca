//! A killed or interrupted ingest leaves the database with whole documents
//! only (each with all its mentions, the entity totals agreeing), and the
//! same ingest run again picks up exactly the rest.
//!
//! Two ways to stop a run mid-way: SIGKILL after a delay (where it lands
//! depends on the machine, so several delays are tried), and named pipes
//! (FIFOs) among the inputs, which hold the run at a known document until
//! the test writes to them: that makes "a batch was committed, the next one
//! was not" happen on every machine.

#![cfg(unix)]

use crate::support::{Scratch, Summary};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const PART: usize = 1500;
const NAMES: [&str; 12] = [
    "Volodymyr Zelensky",
    "Ramzan Kadyrov",
    "Vilnius",
    "Verkhovna Rada",
    "Seimas",
    "Ukraine",
    "Dzhokhar Dudayev",
    "Alla Dudayeva",
    "Grozny",
    "Kyiv",
    "Tbilisi",
    "Bundestag",
];

/// Writes `corpus/part_a` and `corpus/part_b`, PART documents each. Every
/// document names two entities of the shipped gazetteers, one of them
/// twice: 3 mentions, 2 entities.
fn write_corpus(s: &Scratch) {
    for i in 0..2 * PART {
        let part = if i < PART { "part_a" } else { "part_b" };
        let (a, b) = (NAMES[i % 12], NAMES[(i * 7 + 3) % 12]);
        s.write(
            &format!("corpus/{part}/report_{i:04}.txt"),
            format!(
                "Field report {i}\n\n{a} was named by the courier, and {b} later.\n\
                 The courier arrived late and the notes were copied by hand before noon.\n\
                 A second reading confirmed that {a} had been expected since morning.\n"
            ),
        );
    }
}

/// Removes the database and its WAL files, for the next trial.
fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(path));
    }
}

/// Checks that the database holds whole documents only and returns how
/// many: SQLite finds it sound, every document has its 3 mentions of 2
/// entities, and the entity totals add up to the documents' mentions.
#[track_caller]
fn whole_documents(s: &Scratch) -> Vec<String> {
    if !s.db().exists() {
        return Vec::new();
    }
    {
        let conn = rusqlite::Connection::open(s.db()).expect("open the database");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity check");
        assert_eq!(check, "ok");
    }
    let documents = s.documents();
    for d in &documents {
        assert_eq!(
            (d.mentions, d.entities),
            (3, 2),
            "{} is stored without all its mentions",
            d.path
        );
    }
    let total: i64 = s.entities(&[]).iter().map(|e| e.mentions).sum();
    assert_eq!(
        total,
        3 * documents.len() as i64,
        "the entity totals do not match the stored documents"
    );
    documents.into_iter().map(|d| d.path).collect()
}

/// Runs the same ingest of `paths` (`total` documents, `stored` of them in
/// the database already) again and checks it completes what was missing;
/// `others` documents from other inputs are stored besides.
#[track_caller]
fn resume(s: &Scratch, paths: &[&str], stored: usize, total: usize, others: usize) {
    let summary = s.ingest(paths).summary();
    assert_eq!(
        summary.counts(),
        (total - stored, 0, stored, 0, 0),
        "after {stored} stored"
    );
    assert_eq!(summary.mentions, 3 * (total - stored) as u64);
    assert_eq!(whole_documents(s).len(), total + others);
}

/// A running `dossier`, killed when dropped so that a failing test leaves
/// no process behind (one may be blocked on a FIFO forever).
struct Running(Option<Child>);

impl Running {
    fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("still running")
    }

    /// Hands the process over, no longer killed on drop.
    fn into_child(mut self) -> Child {
        self.0.take().expect("still running")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn spawn_ingest(s: &Scratch, paths: &[&str]) -> Running {
    let mut args = vec!["ingest"];
    args.extend_from_slice(paths);
    Running(Some(
        s.command(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn dossier ingest"),
    ))
}

#[test]
fn killed_at_any_moment_the_database_holds_whole_documents() {
    let s = Scratch::new();
    write_corpus(&s);
    let total = 2 * PART;

    // A full run first: how long it takes here, and what it finds.
    let started = Instant::now();
    let full = s.ingest(&["corpus"]);
    let took = started.elapsed();
    assert_eq!(full.summary().counts(), (total, 0, 0, 0, 0));
    assert_eq!(full.summary().mentions, 3 * total as u64);
    remove_database(s.db());

    let mut delays: Vec<Duration> = [50, 150, 400]
        .into_iter()
        .map(Duration::from_millis)
        .collect();
    delays.extend([took / 4, took / 2, took * 9 / 10]);
    let mut outcomes = Vec::new();
    for delay in delays {
        let mut running = spawn_ingest(&s, &["corpus"]);
        std::thread::sleep(delay);
        let child = running.child();
        child.kill().expect("kill");
        let status = child.wait().expect("wait");
        let stored = whole_documents(&s);
        outcomes.push(format!(
            "{delay:?}: {} ({} stored)",
            if status.success() {
                "finished"
            } else {
                "killed"
            },
            stored.len()
        ));
        resume(&s, &["corpus"], stored.len(), total, 0);
        remove_database(s.db());
    }
    println!("full run {took:?}; kills: {}", outcomes.join(", "));
}

pub(crate) fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Writes `text` into the FIFO at `path`, failing after `timeout` (the
/// open blocks until the reader opens the other end).
pub(crate) fn feed_fifo(path: &Path, text: &str, timeout: Duration) {
    let (done, wait) = std::sync::mpsc::channel();
    let (path, text) = (path.to_path_buf(), text.to_string());
    std::thread::spawn(move || {
        let result = std::fs::write(&path, text);
        let _ = done.send(result);
    });
    wait.recv_timeout(timeout)
        .expect("dossier never opened the FIFO")
        .expect("write the FIFO");
}

/// The number of stored documents, read without `dossier` (which must not
/// disturb the run being watched).
fn count_documents(db: &Path) -> Option<i64> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()?;
    conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .ok()
}

/// Waits until at least `n` documents are committed.
#[track_caller]
fn wait_for_commit(db: &Path, n: i64, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while count_documents(db).unwrap_or(0) < n {
        assert!(
            child.try_wait().unwrap().is_none(),
            "dossier ended before committing {n} documents"
        );
        assert!(Instant::now() < deadline, "{n} documents never committed");
        std::thread::sleep(Duration::from_millis(20));
    }
}

const FIFO_TEXT: &str = "Note read from a pipe\n\nVilnius, the Seimas and Vilnius again.\n";

/// Starts `ingest corpus/part_a first.fifo corpus/part_b second.fifo` and
/// returns once part_a and the first FIFO are committed; the run then
/// hangs on the second FIFO (never written) with part_b in an open batch.
fn hold_a_batch_open(s: &Scratch) -> Running {
    write_corpus(s);
    let (first, second) = (s.path().join("first.fifo"), s.path().join("second.fifo"));
    mkfifo(&first);
    mkfifo(&second);
    let mut running = spawn_ingest(
        s,
        &[
            "corpus/part_a",
            "first.fifo",
            "corpus/part_b",
            "second.fifo",
        ],
    );
    std::thread::sleep(Duration::from_millis(3000));
    feed_fifo(&first, FIFO_TEXT, Duration::from_secs(10));
    wait_for_commit(s.db(), PART as i64 + 1, running.child());
    running
}

/// part_a, a FIFO, part_b, a FIFO never written: the first batch commits
/// when the first FIFO delivers (its batch is over two seconds old by
/// then); the run then hangs on the second FIFO with part_b in an open
/// batch, and is killed there.
#[test]
fn killed_with_a_batch_open_keeps_the_committed_one() {
    let s = Scratch::new();
    let mut running = hold_a_batch_open(&s);
    let child = running.child();
    // Give part_b time to be read and written into the open batch.
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap();
    assert!(!child.wait().unwrap().success());

    let stored = whole_documents(&s);
    assert!(stored.len() > PART, "{}", stored.len());
    // Whole documents in input order: all of part_a, the FIFO, then (on a
    // slow machine, where part_b took over two seconds) a prefix of part_b.
    let mut input: Vec<String> = (0..2 * PART)
        .map(|i| {
            let part = if i < PART { "part_a" } else { "part_b" };
            format!("corpus/{part}/report_{i:04}.txt")
        })
        .collect();
    input.insert(PART, "first.fifo".to_string());
    let mut sorted_input = input[..stored.len()].to_vec();
    sorted_input.sort();
    assert_eq!(stored, sorted_input, "not a prefix of the input");
    println!("stored when killed: {}", stored.len());

    // The FIFO's document is stored; the rest comes in on the next run.
    resume(
        &s,
        &["corpus/part_a", "corpus/part_b"],
        stored.len() - 1,
        2 * PART,
        1,
    );
}

/// Ctrl-C (SIGINT) once: the run stops after the documents in hand,
/// commits them, says so and exits 130; the next run picks up the rest.
/// The FIFO comes first, so the run is held at its first document when the
/// signal arrives, whatever the machine's speed. The FIFO is fed only once
/// dossier has said it is stopping: the handler runs on its own thread, and
/// a loaded machine may schedule it after the whole (small) corpus is read.
#[test]
fn interrupted_ingest_commits_what_it_has_and_exits_130() {
    let s = Scratch::new();
    write_corpus(&s);
    let fifo = s.path().join("pipe.fifo");
    mkfifo(&fifo);
    let mut running = spawn_ingest(&s, &["pipe.fifo", "corpus/part_a", "corpus/part_b"]);
    let mut stderr = LineWatch::new(running.child().stderr.take().expect("piped"));
    // The interrupt handler is installed first thing; by then dossier is
    // reading the FIFO (or will be: a signal that comes earlier still stops
    // the run after its first document, the FIFO's).
    std::thread::sleep(Duration::from_millis(1000));
    let status = std::process::Command::new("kill")
        .args(["-INT", &running.child().id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    stderr.wait_for(
        "stopping after the documents in hand (Ctrl-C again to stop at once)…",
        Duration::from_secs(10),
    );
    feed_fifo(&fifo, FIFO_TEXT, Duration::from_secs(10));
    let status = running.into_child().wait().unwrap();
    let stderr = stderr.rest();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains(
            "note: every committed document is whole; run the same ingest again to pick up the rest"
        ),
        "{stderr}"
    );
    let summary = Summary::find(&stderr).expect("a summary");
    assert!(summary.interrupted, "{stderr}");
    assert_eq!(
        (summary.documents, summary.counts(), summary.mentions),
        (1, (1, 0, 0, 0, 0), 3),
        "{stderr}"
    );
    assert_eq!(whole_documents(&s), ["pipe.fifo"]);
    resume(&s, &["corpus/part_a", "corpus/part_b"], 0, 2 * PART, 1);
}

/// The lines a child writes to a pipe, read on a thread as they come.
struct LineWatch {
    lines: std::sync::mpsc::Receiver<String>,
    seen: String,
}

impl LineWatch {
    fn new(pipe: impl std::io::Read + Send + 'static) -> LineWatch {
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        LineWatch {
            lines,
            seen: Default::default(),
        }
    }

    /// Waits for a line that contains `text`; panics with what was seen
    /// if none comes in time.
    #[track_caller]
    fn wait_for(&mut self, text: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push_str(&line);
                    self.seen.push('\n');
                    if line.contains(text) {
                        return;
                    }
                }
                Err(_) => panic!("no line with {text:?}; seen:\n{}", self.seen),
            }
        }
    }

    /// Everything written, once the child has closed the pipe.
    fn rest(self) -> String {
        let mut seen = self.seen;
        for line in self.lines.iter() {
            seen.push_str(&line);
            seen.push('\n');
        }
        seen
    }
}

/// While an ingest holds a batch open (here: waiting on a slow input), the
/// reading commands still answer from what is committed: SQLite's WAL lets
/// readers go on beside a writer.
#[test]
fn reading_commands_answer_while_an_ingest_is_running() {
    let s = Scratch::new();
    let ingest = hold_a_batch_open(&s);
    std::thread::sleep(Duration::from_millis(300));

    // Into a file, not a pipe: the listing is larger than a pipe holds, and
    // nobody drains the pipe until the reader has finished.
    let listing = s.path().join("listing.json");
    let mut reader = Running(Some(
        s.command(&["documents", "--format", "json"])
            .stdout(std::fs::File::create(&listing).unwrap())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    ));
    let deadline = Instant::now() + Duration::from_secs(5);
    let finished = loop {
        if reader.child().try_wait().unwrap().is_some() {
            break true;
        }
        if Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if !finished {
        let _ = reader.child().kill();
    }
    let output = reader.into_child().wait_with_output().unwrap();
    drop(ingest);
    assert!(
        finished,
        "`dossier documents` was still waiting after 5 s for the running ingest's open batch"
    );
    assert_eq!(output.status.code(), Some(0));
    let listed: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&listing).unwrap()).unwrap();
    assert_eq!(listed.len(), PART + 1);
}

/// A full disk stopped the run with exit 2 ("nothing done") and no summary
/// although hundreds of documents had gone in. The database lies on a
/// small tmpfs of its own (a user and mount namespace, `unshare -rm`): the
/// run stops at the batch that does not fit, says what went in, exits 1,
/// and what went in is whole. Skipped where namespaces are not allowed.
#[test]
fn a_full_disk_stops_the_run_with_what_went_in() {
    let allowed = std::process::Command::new("unshare")
        .args(["-r", "-m", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !allowed {
        eprintln!("skipped: `unshare -rm` is not allowed here, so no small disk to fill");
        return;
    }
    let s = Scratch::new();
    // 1,000 documents of 20 kB: 20 MB, on a disk of 12 MB.
    let paragraph = "The harbour council of Vilnius wrote to the Seimas again. ".repeat(340);
    for i in 0..1000 {
        s.write(&format!("in/letter_{i:03}.txt"), &paragraph);
    }
    std::fs::create_dir(s.path().join("disk")).unwrap();
    let gazetteer = crate::support::fixture("gazetteer");
    let script = r#"mount -t tmpfs -o size=12m none disk || exit 99
"$0" --db disk/db.sqlite --no-default-gazetteers --gazetteer "$1" ingest in
echo "exit $?" >&2
"$0" --db disk/db.sqlite --no-default-gazetteers --gazetteer "$1" documents --format json"#;
    let output = std::process::Command::new("unshare")
        .args(["-r", "-m", "sh", "-c", script, crate::support::BIN])
        .arg(&gazetteer)
        .current_dir(s.path())
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_GAZETTEERS")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("exit 1\n"), "{stderr}");
    assert!(
        stderr.contains("error: database error: database or disk is full: the ingest stopped there; the documents counted below went in whole"),
        "{stderr}"
    );
    let summary = Summary::find(&stderr).unwrap_or_else(|| panic!("no summary: {stderr}"));
    let stored: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert!(summary.new > 0 && summary.new < 1000, "{stderr}");
    assert_eq!(stored.len(), summary.new, "{stderr}");
    // Whole documents, in input order.
    for (i, doc) in stored.iter().enumerate() {
        assert_eq!(doc["path"], format!("in/letter_{i:03}.txt"));
        assert_eq!(doc["mentions"], 680);
    }
}
