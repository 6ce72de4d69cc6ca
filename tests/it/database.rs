//! Whose database a command may touch, and how: another program's database
//! is refused by every command and left byte for byte as it was; commands
//! that only read never change a dossier database either (no migration, no
//! journal mode, no mark), and read one on a read-only mount; version
//! numbers no dossier writes are one-line errors.

use crate::support::{BIN, Scratch};
use std::path::{Path, PathBuf};

/// Every command that opens the database, with arguments that would get
/// it that far. The reading ones first.
const COMMANDS: &[&[&str]] = &[
    &["documents"],
    &["entities"],
    &["mentions", "Angela Merkel"],
    &["why", "Angela Merkel", "*", "*"],
    &["query", "?p signed ?d"],
    &["export", "json"],
    &["shell"],
    &["eval", "--gold", "gold.json"],
    &["gazetteer", "suggest"],
    &["forget", "letter.txt"],
    &["ingest", "letter.txt"],
    &["reindex"],
    &["migrate"],
    &["serve", "--port", "0"],
];

/// The commands of [`COMMANDS`] that only read.
const READING: usize = 9;

/// A scratch folder with one small document to ingest.
fn scratch() -> Scratch {
    let s = Scratch::new();
    s.write(
        "letter.txt",
        "Angela Merkel wrote to the mayor of Paris about the river banks.\n",
    );
    s
}

/// The bytes of the database, and whether a write-ahead log with content
/// or a rollback journal lies beside it. A reader of a database in WAL
/// mode may leave SQLite's empty log and shared-memory index beside it
/// (the next writer uses them): that changes nothing in the database.
fn files_of(db: &Path) -> (Vec<u8>, bool) {
    let beside = |suffix: &str| {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        std::fs::metadata(name).is_ok_and(|m| m.len() > 0)
    };
    (
        std::fs::read(db).unwrap(),
        beside("-wal") || beside("-journal"),
    )
}

/// Runs `args` and asserts that it failed with exit code 2, one error line
/// that contains `expected`, and left the database's files as they were.
#[track_caller]
fn refused_unchanged(s: &Scratch, args: &[&str], expected: &str) {
    let before = files_of(s.db());
    let run = s.run(args).expect_code(2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: {}", run.stderr);
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(expected),
        "{args:?}: {}",
        run.stderr
    );
    assert!(
        files_of(s.db()) == before,
        "{args:?} changed the database's files"
    );
}

/// `PRAGMA name` of the database, read without changing it.
fn pragma(db: &Path, name: &str) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .unwrap()
}

/// Runs SQL on the database with a plain connection, as another program
/// would.
fn execute(db: &Path, sql: &str) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
}

/// The case: `documents` on another program's database exited 0
/// and added dossier's tables, a version number and WAL mode to it.
#[test]
fn another_programs_database_is_refused_by_every_command_and_left_alone() {
    let s = scratch();
    execute(
        s.db(),
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);",
    );
    for args in COMMANDS {
        refused_unchanged(
            &s,
            args,
            "not a dossier database: it holds tables dossier did not make (`customers`)",
        );
    }
    // Another program's mark, even on an otherwise empty file.
    let marked = Scratch::new();
    execute(marked.db(), "PRAGMA application_id = 42;");
    refused_unchanged(&marked, &["ingest", "-"], "marked as another program's");
    // A file that is no database at all.
    let text = Scratch::new();
    std::fs::write(text.db(), "name,city\nAda,Paris\n").unwrap();
    for args in [&["documents"][..], &["ingest", "-"]] {
        refused_unchanged(&text, args, "the file is not an SQLite database");
    }
}

/// `user_version = -1` gave "Integer -1 out of range", `0` a hundred lines
/// of migration SQL: each is one line now, from every command, and the
/// file is left as it was.
#[test]
fn version_numbers_no_dossier_writes_are_one_line_errors() {
    let s = scratch();
    s.ingest(&["letter.txt"]);
    for (version, expected) in [
        ("0", "schema version 0, which no dossier writes"),
        ("-1", "schema version -1, which no dossier writes"),
        ("99", "schema version 99, newer than this dossier knows"),
    ] {
        execute(s.db(), &format!("PRAGMA user_version = {version};"));
        for args in COMMANDS {
            refused_unchanged(&s, args, expected);
        }
    }
}

/// Reading commands leave a dossier database byte for byte as it was,
/// and one written before dossier marked its databases is read as it is
/// and marked by the next command that writes.
#[test]
fn reading_commands_change_nothing_and_writing_ones_mark_earlier_databases() {
    let s = scratch();
    s.ingest(&["letter.txt"]);
    assert_eq!(
        pragma(s.db(), "application_id"),
        i64::from(i32::from_be_bytes(*b"DOSR"))
    );
    // Unmarked, as an earlier dossier left it, and out of WAL mode, which
    // a reading command does not turn back on.
    execute(
        s.db(),
        "PRAGMA application_id = 0; PRAGMA journal_mode = DELETE;",
    );
    let before = files_of(s.db());
    for args in &COMMANDS[..READING] {
        s.run(args);
        assert!(files_of(s.db()) == before, "{args:?} changed the database");
    }
    s.run(&["documents"]).ok();
    assert_eq!(pragma(s.db(), "application_id"), 0);
    let beside_wal = |suffix: &str| {
        let mut name = s.db().as_os_str().to_owned();
        name.push(suffix);
        std::path::PathBuf::from(name).exists()
    };
    assert!(!beside_wal("-wal") && !beside_wal("-shm"));
    s.ingest(&["letter.txt"]);
    assert_eq!(
        pragma(s.db(), "application_id"),
        i64::from(i32::from_be_bytes(*b"DOSR"))
    );
}

/// A database of schema version 5, as the dossier of that version made it
/// (the migrations' own statements; the third changes only rows, of which
/// there are none).
fn version_5_database(db: &Path) {
    let dir = crate::support::manifest_dir().join("src/store/migrations");
    let mut sql = String::from("PRAGMA page_size = 65536; PRAGMA journal_mode = WAL;");
    for name in [
        "0001_initial.sql",
        "0002_documents_state.sql",
        "0004_unlisted_and_changed.sql",
        "0005_evidence_dates.sql",
    ] {
        sql.push_str(&std::fs::read_to_string(dir.join(name)).unwrap());
    }
    sql.push_str("PRAGMA user_version = 5;");
    execute(db, &sql);
}

/// A reading command does not migrate an older database: it says how to,
/// and `dossier migrate` does.
#[test]
fn an_older_schema_is_migrated_only_when_asked() {
    let s = scratch();
    version_5_database(s.db());
    for args in &COMMANDS[..READING] {
        refused_unchanged(
            &s,
            args,
            "schema version 5, older than this dossier's (6): bring it up to date with `dossier migrate`",
        );
    }
    let run = s.run(&["migrate"]).ok();
    assert!(
        run.stdout.contains("brought from schema version 5 to 6"),
        "{}",
        run.stdout
    );
    assert_eq!(pragma(s.db(), "user_version"), 6);
    assert_eq!(
        pragma(s.db(), "application_id"),
        i64::from(i32::from_be_bytes(*b"DOSR"))
    );
    s.run(&["documents"]).ok();
    let again = s.run(&["migrate"]).ok();
    assert!(again.stdout.contains("at schema version 6 already"));
}

/// Runs `dossier --db <dir>/<db name> args` with `dir` mounted read-only
/// (a bind mount in a mount namespace of its own; as a user who is not
/// root and cannot make one, the folder made read-only instead). `None`
/// when neither can be done here.
fn run_read_only(dir: &Path, db_name: &str, args: &[&str]) -> Option<std::process::Output> {
    let mount = tempfile::tempdir().unwrap();
    let mounted: PathBuf = mount.path().join("ro");
    std::fs::create_dir(&mounted).unwrap();
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        "mount --bind '{dir}' '{ro}' && mount -o remount,ro,bind '{ro}' && ! touch '{ro}/probe' 2>/dev/null && exec '{BIN}' --db '{ro}/{db_name}' {args}",
        dir = dir.display(),
        ro = mounted.display(),
        args = quoted.join(" ")
    );
    let probe = std::process::Command::new("unshare")
        .args(["--mount", "true"])
        .output();
    if probe.is_ok_and(|o| o.status.success()) {
        return Some(
            std::process::Command::new("unshare")
                .args(["--mount", "sh", "-c", &script])
                .env_remove("DOSSIER_DB")
                .output()
                .unwrap(),
        );
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        return None;
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let output = std::process::Command::new(BIN)
        .arg("--db")
        .arg(dir.join(db_name))
        .args(args)
        .env_remove("DOSSIER_DB")
        .output()
        .unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    Some(output)
}

/// On a read-only mount even queries failed ("unable to open database
/// file"): a database in WAL mode needs a shared-memory file beside it.
/// Every reading command reads it now; a writing one says why it cannot.
#[test]
fn a_database_on_a_read_only_mount_is_read() {
    let s = scratch();
    s.ingest(&["letter.txt"]);
    let data = s.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::copy(s.db(), data.join("graph.sqlite")).unwrap();
    let cases: [(&[&str], i32, &str); 4] = [
        (&["documents", "--format", "json"], 0, "letter.txt"),
        (&["entities"], 0, "Angela Merkel"),
        (&["query", "entities person"], 0, "Angela Merkel"),
        (&["export", "json"], 0, "Angela Merkel"),
    ];
    for (args, code, expected) in cases {
        let Some(output) = run_read_only(&data, "graph.sqlite", args) else {
            eprintln!("skipped: neither a read-only mount nor a read-only folder can be made here");
            return;
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stdout.contains(expected), "{args:?}: {stdout}\n{stderr}");
    }
    let output = run_read_only(&data, "graph.sqlite", &["forget", "letter.txt"]).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// A database copied onto a read-only mount with a write-ahead log still
/// holding transactions cannot be read there without its shared memory
/// (read as immutable it would miss them): one line says so.
#[test]
fn a_pending_log_on_a_read_only_mount_is_a_one_line_error() {
    let s = scratch();
    s.ingest(&["letter.txt"]);
    let data = s.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let writer = rusqlite::Connection::open(s.db()).unwrap();
    writer
        .execute_batch(
            "PRAGMA wal_autocheckpoint = 0;
             INSERT INTO meta (key, value) VALUES ('note', 'not yet copied');",
        )
        .unwrap();
    let mut log = s.db().as_os_str().to_owned();
    log.push("-wal");
    std::fs::copy(s.db(), data.join("graph.sqlite")).unwrap();
    std::fs::copy(&log, data.join("graph.sqlite-wal")).unwrap();
    drop(writer);
    let Some(output) = run_read_only(&data, "graph.sqlite", &["documents"]) else {
        eprintln!("skipped: neither a read-only mount nor a read-only folder can be made here");
        return;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("write-ahead log"), "{stderr}");
}

/// A file with no table yet (an ingest killed before its schema went in)
/// reads as an empty database, and stays as it was.
#[test]
fn an_empty_file_reads_as_an_empty_database() {
    let s = scratch();
    std::fs::write(s.db(), b"").unwrap();
    let run = s.run(&["documents", "--format", "json"]).ok();
    assert_eq!(run.stdout.trim(), "[]");
    assert!(std::fs::read(s.db()).unwrap().is_empty());
}
