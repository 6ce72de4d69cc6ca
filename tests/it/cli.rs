//! The command line as people meet it: completions and the manual page,
//! progress bars and tables on a terminal (a pseudo-terminal made by
//! `script`; skipped with a notice where it is missing, a failure under
//! `CI=true`), colour, the shell's exit code with piped input, and a copied
//! binary that works without the source tree.

use crate::support::{BIN, Run, Scratch};
use std::path::Path;
use std::process::{Command, Stdio};

/// `dossier completions SHELL` writes a script each shell recognises.
#[test]
fn completions_generate_for_each_shell() {
    let s = Scratch::new();
    let cases = [
        ("bash", "complete -F _dossier"),
        ("zsh", "#compdef dossier"),
        ("fish", "complete -c dossier"),
        ("elvish", "edit:completion:arg-completer[dossier]"),
        ("powershell", "Register-ArgumentCompleter"),
    ];
    for (shell, marker) in cases {
        let run = s.run(&["completions", shell]).ok();
        assert!(run.stdout.contains(marker), "{shell}:\n{}", run.stdout);
        // The commands and their flags are in it.
        for word in ["ingest", "gazetteer", "format", "color", "wide"] {
            assert!(run.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    // Bash reads the bash script without a syntax error.
    if let Ok(status) = Command::new("bash")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        && status.success()
    {
        let script = s.write("dossier.bash", s.run(&["completions", "bash"]).ok().stdout);
        let check = Command::new("bash")
            .arg("-n")
            .arg(&script)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
    let run = s.run(&["completions", "tcsh"]).expect_code(2);
    assert!(run.stderr.contains("possible values"), "{}", run.stderr);
}

/// `dossier man` prints roff; `-o DIR` writes a page per command.
#[test]
fn the_manual_page_is_roff() {
    let s = Scratch::new();
    let run = s.run(&["man"]).ok();
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with('.'), "not roff: {first}");
    assert!(run.stdout.contains("\n.TH dossier 1"), "{}", run.stdout);
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
    ] {
        assert!(run.stdout.contains(section), "no {section}");
    }
    let run = s.run(&["man", "-o", "pages"]).ok();
    for page in [
        "dossier.1",
        "dossier-ingest.1",
        "dossier-gazetteer-add.1",
        "dossier-man.1",
    ] {
        let text = s.read(&format!("pages/{page}"));
        assert!(text.contains(".TH"), "{page}: {text}");
    }
    assert!(run.stderr.contains("pages into pages"), "{}", run.stderr);
}

/// A failed query in piped input ends the shell with 1; a query that finds
/// nothing is no failure.
#[test]
fn the_shell_fails_a_script_with_a_failed_query() {
    let s = Scratch::with_fixture_graph();
    let cases: [(&[u8], i32); 4] = [
        (b"?who recognised Ichkeria\n", 0),
        // Nothing found is no error.
        (b"?p recognised Vilnius\n", 0),
        (b"?p resides_in Vilnius\n?who recognised Ichkeria\n", 1),
        (b"?p signed\n", 1),
    ];
    for (input, code) in cases {
        let run = s.run_with_stdin(&["shell"], input);
        assert_eq!(
            run.code,
            code,
            "{}:\n{}",
            String::from_utf8_lossy(input),
            run.stderr
        );
        if code == 1 {
            assert!(run.stderr.contains("of the input failed"), "{}", run.stderr);
        }
    }
}

/// Without `-q`, a run whose stderr is no terminal shows no bar (the
/// summary only); colour is off unless asked, and asked it is on.
#[test]
fn pipes_get_no_bar_and_no_colour_unless_asked() {
    let s = Scratch::new();
    s.copy_fixture("corpus");
    let run = s.ingest(&["corpus"]);
    assert!(
        !run.stderr.contains('\r') && !run.stderr.contains("ETA"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\x1b'), "{:?}", run.stderr);
    let run = s.run(&["mentions", "Nobody Known"]).expect_code(2);
    assert!(run.stderr.starts_with("error: "), "{:?}", run.stderr);
    let run = s
        .run(&["--color", "always", "mentions", "Nobody Known"])
        .expect_code(2);
    assert!(
        run.stderr.starts_with("\x1b[1;31merror:\x1b[0m "),
        "{:?}",
        run.stderr
    );
    let run = s.run(&["--color=always", "entities", "-n", "1"]).ok();
    assert!(run.stdout.starts_with("\x1b[1mTYPE"), "{:?}", run.stdout);
    let run = s
        .run(&["--color", "always", "entities", "-n", "1", "-f", "csv"])
        .ok();
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
}

/// `--wide` keeps whole cells in a pipe, where tables are otherwise cut at
/// their fixed widths as before.
#[test]
fn wide_cuts_nothing() {
    let s = Scratch::new();
    s.copy_fixture("corpus");
    s.ingest(&["corpus"]);
    let cut = s.run(&["entities", "-n", "3"]).ok().stdout;
    assert!(cut.contains('…'), "{cut}");
    let wide = s.run(&["--wide", "entities", "-n", "3"]).ok().stdout;
    assert!(!wide.contains('…'), "{wide}");
    let longest = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest(&wide) > longest(&cut));
}

/// A copy of the binary, run from another folder with no environment at
/// all, reads the gazetteers built into it; `gazetteer path` says where
/// they are, and additions are not written into that copy.
#[test]
fn a_copied_binary_works_without_the_source_tree() {
    let root = tempfile::tempdir().unwrap();
    let bin = root.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let copied = bin.join("dossier");
    std::fs::copy(BIN, &copied).unwrap();
    let work = root.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("note.txt"),
        "Report from Vilnius\n\nThe Seimas of Lithuania condemned Russia on Tuesday.\n",
    )
    .unwrap();
    let cache = root.path().join("cache");
    // No environment at all; then only a cache folder.
    let environments: [&[(&str, &Path)]; 2] = [&[], &[("XDG_CACHE_HOME", &cache)]];
    for env in environments {
        let run = |args: &[&str]| -> Run {
            let mut command = Command::new(&copied);
            command
                .env_clear()
                .envs(env.iter().copied())
                .current_dir(&work)
                .args(["--db", "dossier.sqlite"])
                .args(args)
                .stdin(Stdio::null());
            let output = command.output().expect("run the copy");
            Run {
                code: output.status.code().unwrap_or(-1),
                stdout: String::from_utf8(output.stdout).unwrap(),
                stderr: String::from_utf8(output.stderr).unwrap(),
            }
        };
        let ingest = run(&["ingest", "note.txt"]).ok();
        assert!(ingest.summary().mentions >= 3, "{}", ingest.stderr);
        let why = run(&["why", "Seimas", "condemned", "Russia", "-f", "json"]).ok();
        assert!(why.stdout.contains("condemned"), "{}", why.stdout);
        let path = run(&["gazetteer", "path"]).ok();
        let first = path.stdout.lines().next().unwrap_or_default();
        assert!(first.contains("built into dossier"), "{}", path.stdout);
        let (dir, _) = first.split_once('\t').unwrap();
        assert!(Path::new(dir).join("people.tsv").is_file(), "{dir}");
        if !env.is_empty() {
            assert!(Path::new(dir).starts_with(cache.join("dossier")), "{dir}");
        }
        assert!(
            path.stdout.contains("additions go nowhere by default"),
            "{}",
            path.stdout
        );
        let add = run(&["gazetteer", "add", "person", "Imaginary Person"]).expect_code(2);
        assert!(add.stderr.contains("built into dossier"), "{}", add.stderr);
        let check = run(&["gazetteer", "check"]);
        assert!(check.stdout.contains(dir), "{}", check.stdout);
        std::fs::remove_file(work.join("dossier.sqlite")).unwrap();
    }
}

/// `gazetteer path` lists the folders in load order and where additions go.
#[test]
fn gazetteer_path_lists_the_folders_in_order() {
    let s = Scratch::new().also_gazetteer(Path::new("mine"));
    std::fs::create_dir_all(s.path().join("mine")).unwrap();
    let run = s.run(&["gazetteer", "path"]).ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[0].contains("\tshipped: "), "{}", run.stdout);
    assert_eq!(lines[1], "mine\t--gazetteer");
    assert_eq!(lines[2], "additions go to mine (or --into DIR)");
    // A gazetteers folder in the working directory is the shipped one.
    s.write("gazetteers/people.tsv", "Imaginary Person\t\n");
    let run = s.run(&["gazetteer", "path"]).ok();
    assert!(
        run.stdout
            .starts_with("gazetteers\tshipped: ./gazetteers\n"),
        "{}",
        run.stdout
    );
    // $DOSSIER_GAZETTEERS comes before it.
    let output = s
        .command(&["gazetteer", "path"])
        .env("DOSSIER_GAZETTEERS", "elsewhere")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("elsewhere\tshipped: $DOSSIER_GAZETTEERS\n"),
        "{stdout}"
    );
}

/// A pseudo-terminal run: `dossier args…` under `script`, in the scratch
/// folder, with its transcript (stdout and stderr, as the terminal got
/// them) and exit code. `None`, with a notice, where `script` is missing;
/// a failure under `CI=true`, whose machine has it.
fn in_terminal(s: &Scratch, args: &[&str], env: &[(&str, &str)]) -> Option<(i32, String)> {
    let available = Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("`script` (util-linux) not found: CI must run the terminal tests");
        }
        println!("skipped: `script` (util-linux) not found, so no pseudo-terminal");
        return None;
    }
    let quote = |a: &str| format!("'{}'", a.replace('\'', "'\\''"));
    let mut line = vec![
        quote(BIN),
        "--db".into(),
        quote(&s.db().display().to_string()),
    ];
    line.extend(args.iter().map(|a| quote(a)));
    let output = Command::new("script")
        .args(["-qfec", &line.join(" "), "/dev/null"])
        .current_dir(s.path())
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_GAZETTEERS")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run script");
    Some((
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    ))
}

/// On a terminal, ingest, reindex and export draw a bar with a percentage,
/// a rate and the time left, and clear it before the summary; `-q` draws
/// none.
#[test]
fn progress_bars_on_a_terminal() {
    let s = Scratch::new();
    s.copy_fixture("corpus");
    s.copy_fixture("relations");
    let cases: [(&[&str], &str); 3] = [
        (&["ingest", "corpus", "relations"], "documents"),
        (&["reindex"], "documents"),
        (&["export", "graphml", "-o", "graph.graphml"], "items"),
    ];
    for (args, unit) in cases {
        let Some((code, screen)) = in_terminal(&s, args, &[]) else {
            return;
        };
        assert_eq!(code, 0, "{args:?}:\n{screen}");
        let verb = args[0];
        let bar = screen
            .split(['\r', '\n'])
            .find(|l| l.contains(&format!("{verb} ")) && l.contains('%'))
            .unwrap_or_else(|| panic!("no bar for {args:?}:\n{screen:?}"));
        for part in ["[", "]", unit, "ETA"] {
            assert!(bar.contains(part), "{args:?}: {part} not in {bar:?}");
        }
        let mut quiet = vec!["-q"];
        quiet.extend_from_slice(args);
        let (code, screen) = in_terminal(&s, &quiet, &[]).expect("script ran above");
        assert_eq!(code, 0, "{quiet:?}:\n{screen}");
        assert!(!screen.contains("ETA"), "{quiet:?}:\n{screen:?}");
    }
}

/// On a terminal a table fits its width; colour marks it unless
/// `NO_COLOR` or `--color never`.
#[test]
fn tables_fit_the_terminal_and_colour_follows_no_color() {
    let s = Scratch::new();
    s.copy_fixture("corpus");
    s.ingest(&["corpus"]);
    let Some((code, screen)) = in_terminal(&s, &["entities"], &[("COLUMNS", "60")]) else {
        return;
    };
    assert_eq!(code, 0, "{screen}");
    let plain = strip_ansi(&screen);
    let lines: Vec<&str> = plain.lines().map(|l| l.trim_end_matches('\r')).collect();
    assert!(lines.len() > 5, "{plain}");
    for line in &lines {
        assert!(
            unicode_width::UnicodeWidthStr::width(*line) <= 60,
            "wider than 60: {line:?}"
        );
    }
    assert!(plain.contains('…'), "{plain}");
    assert!(screen.starts_with("\x1b[1mTYPE"), "{screen:?}");
    let (_, wide) = in_terminal(&s, &["--wide", "entities"], &[("COLUMNS", "60")]).unwrap();
    assert!(
        wide.lines().any(|l| l.trim_end().chars().count() > 60),
        "{wide}"
    );
    for (args, env) in [
        (&["entities"][..], &[("NO_COLOR", "1")][..]),
        (&["--color", "never", "entities"][..], &[][..]),
    ] {
        let (_, screen) = in_terminal(&s, args, env).unwrap();
        assert!(!screen.contains('\x1b'), "{args:?} {env:?}: {screen:?}");
    }
    let (code, screen) = in_terminal(&s, &["mentions", "Nobody Known"], &[]).unwrap();
    assert_eq!(code, 2);
    assert!(screen.starts_with("\x1b[1;31merror:\x1b[0m"), "{screen:?}");
}

/// `text` without ANSI escape sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
