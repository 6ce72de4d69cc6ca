//! Ctrl-C (SIGINT) outside ingest: an export stopped while it writes, in
//! every format, leaves no hidden `.NAME.XXXXXX.partial` file and the old
//! file as it was, and exits 130; Graphviz is stopped with it, never left
//! running, and a Graphviz that runs past `--layout-timeout` is stopped
//! with a message.

use crate::support::Scratch;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A graph large enough that writing it takes a good part of a second:
/// 400 people and 20 organisations of a gazetteer of the test's own, each
/// person the head of every organisation in one of 400 documents (8,000
/// relations).
fn large_graph() -> Scratch {
    let s = Scratch::new();
    let first = [
        "Anna", "Boris", "Clara", "Dmytro", "Elena", "Fedir", "Galina", "Hanna", "Ivan", "Kira",
        "Lev", "Maria", "Nadia", "Oleh", "Petro", "Rita", "Sasha", "Taras", "Uliana", "Vera",
    ];
    let last = [
        "Abramenko",
        "Bondarenko",
        "Chernenko",
        "Danylenko",
        "Fedorenko",
        "Gavrylenko",
        "Hrytsenko",
        "Ivanenko",
        "Kovalenko",
        "Lysenko",
        "Marchenko",
        "Nazarenko",
        "Onyshchenko",
        "Pavlenko",
        "Romanenko",
        "Savchenko",
        "Tkachenko",
        "Ustymenko",
        "Vasylenko",
        "Yakovenko",
    ];
    let trades = [
        "Mill", "Dock", "Rail", "Mine", "Farm", "Forge", "Glass", "Paper", "Salt", "Steel", "Wool",
        "Brick", "Tram", "Port", "Bread", "Print", "Radio", "Timber", "Clay", "Oil",
    ];
    let people: Vec<String> = first
        .iter()
        .flat_map(|f| last.iter().map(move |l| format!("{f} {l}")))
        .collect();
    let unions: Vec<String> = trades
        .iter()
        .map(|t| format!("Union of {t} Workers"))
        .collect();
    s.write("mine/people.tsv", people.join("\n") + "\n");
    s.write("mine/organisations.tsv", unions.join("\n") + "\n");
    for d in 0..400 {
        let mut text = format!("Report number {d}\n");
        for j in 0..20 {
            let person = &people[(d * 20 + j) % 400];
            let union = &unions[(d / 20 + j) % 20];
            text.push_str(&format!(
                "\n{person}, head of {union}, spoke in Kyiv on {} June 2031.\n",
                j % 27 + 1
            ));
        }
        s.write(&format!("docs/d{d:03}.txt"), text);
    }
    s.run(&["--gazetteer", "mine", "ingest", "docs"]).ok();
    s
}

/// Sends SIGINT to `child`.
fn interrupt(child: &Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

/// The hidden temporary files of exports in `dir`.
fn partial_files(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.expect("a folder entry").path())
            .filter(|p| p.to_string_lossy().ends_with(".partial"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// How an export ended when it was interrupted in the middle of writing.
#[derive(Debug)]
struct Stopped {
    code: Option<i32>,
    stderr: String,
}

/// Runs `export args`, sends SIGINT (`signals` times, back to back) as soon
/// as its temporary file appears in `dir`, and waits. `None` when the
/// export was done before the signal could be sent.
fn export_interrupted(s: &Scratch, args: &[&str], dir: &Path, signals: usize) -> Option<Stopped> {
    let mut command_args = vec!["export"];
    command_args.extend_from_slice(args);
    let mut child = s
        .command(&command_args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dossier");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if !partial_files(dir).is_empty() {
            for _ in 0..signals {
                interrupt(&child);
            }
            break;
        }
        if child.try_wait().expect("wait").is_some() || Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let output = child.wait_with_output().expect("wait for dossier");
    let stopped = Stopped {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    // It could still have finished between the look and the signal.
    (stopped.code != Some(0)).then_some(stopped)
}

/// Every format, interrupted while it writes: exit 130, no partial file,
/// the old file untouched. Before, the process died at the signal and
/// left its `.partial` file beside the target each time.
#[test]
fn ctrl_c_during_an_export_leaves_no_partial_file() {
    let s = large_graph();
    // (arguments, the file the export replaces, Ctrl-C presses)
    let cases: [(&[&str], &str, usize); 8] = [
        (&["json", "-o", "g.json"], "g.json", 1),
        (
            &["json", "--types", "person,organisation", "-o", "f.json"],
            "f.json",
            1,
        ),
        (&["graphml", "-o", "g.graphml"], "g.graphml", 1),
        (&["gexf", "-o", "g.gexf"], "g.gexf", 1),
        (&["ftm", "-o", "g.ftm"], "g.ftm", 1),
        (&["dot", "-o", "g.dot"], "g.dot", 1),
        (&["csv", "-o", "out"], "out/nodes.csv", 1),
        // Twice: the process ends at once, and still removes the file.
        (&["graphml", "-o", "twice.graphml"], "twice.graphml", 2),
    ];
    for (args, target, signals) in cases {
        s.write(target, "the old export\n");
        let dir = s.path().join(target).parent().unwrap().to_path_buf();
        let stopped = (0..5)
            .find_map(|_| export_interrupted(&s, args, &dir, signals))
            .unwrap_or_else(|| panic!("{args:?} always finished before the signal"));
        assert_eq!(stopped.code, Some(130), "{args:?}: {}", stopped.stderr);
        if signals == 1 {
            assert!(
                stopped
                    .stderr
                    .contains("export interrupted: nothing written"),
                "{args:?}: {}",
                stopped.stderr
            );
        }
        assert_eq!(partial_files(&dir), Vec::<PathBuf>::new(), "{args:?}");
        assert_eq!(s.read(target), "the old export\n", "{args:?}");
    }
}

/// A Graphviz of the test's own, first on the PATH as `dot` and `sfdp`:
/// it notes its process id in `graphviz.pid` and sleeps for a minute.
fn slow_graphviz(s: &Scratch) -> PathBuf {
    let bin = s.path().join("slow-bin");
    let pid = s.path().join("graphviz.pid");
    for name in ["dot", "sfdp"] {
        let script = s.write(
            &format!("slow-bin/{name}"),
            format!("#!/bin/sh\necho $$ > '{}'\nexec sleep 60\n", pid.display()),
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    bin
}

/// The PATH with `bin` first.
fn path_with(bin: &Path) -> std::ffi::OsString {
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

/// The process id Graphviz noted, once it has started.
fn graphviz_pid(s: &Scratch) -> u32 {
    let file = s.path().join("graphviz.pid");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(text) = std::fs::read_to_string(&file)
            && let Ok(pid) = text.trim().parse()
        {
            return pid;
        }
        assert!(Instant::now() < deadline, "Graphviz never started");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether a process `pid` exists (it was not reaped, or was orphaned).
fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Ctrl-C while Graphviz draws: it is killed, not orphaned (before, it ran
/// on after dossier died), and the export exits 130 with nothing written.
#[test]
fn ctrl_c_stops_graphviz() {
    if !Path::new("/proc/self").exists() {
        eprintln!("no /proc: test skipped");
        return;
    }
    let s = Scratch::with_fixture_graph();
    let bin = slow_graphviz(&s);
    let child = s
        .command(&["export", "svg", "-o", "g.svg"])
        .env("PATH", path_with(&bin))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dossier");
    let pid = graphviz_pid(&s);
    interrupt(&child);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(!alive(pid), "Graphviz (pid {pid}) still runs");
    assert!(!s.path().join("g.svg").exists());
    assert_eq!(partial_files(s.path()), Vec::<PathBuf>::new());
}

/// A Graphviz that runs past `--layout-timeout` is killed, with a message
/// naming the option; nothing is written.
#[test]
fn a_slow_layout_is_stopped_at_its_time_limit() {
    let s = Scratch::with_fixture_graph();
    let bin = slow_graphviz(&s);
    let started = Instant::now();
    let output = s
        .command(&["export", "png", "--layout-timeout", "1", "-o", "g.png"])
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(30), "{stderr}");
    assert!(
        stderr.contains("was stopped after 1 s (--layout-timeout)"),
        "{stderr}"
    );
    let pid = graphviz_pid(&s);
    if Path::new("/proc/self").exists() {
        assert!(!alive(pid), "Graphviz (pid {pid}) still runs");
    }
    assert!(!s.path().join("g.png").exists());
    assert_eq!(partial_files(s.path()), Vec::<PathBuf>::new());
}

/// Ctrl-C during `gazetteer suggest`: it stops, lists nothing and exits
/// 130 (before, the handler was ingest's alone). The gazetteer file is a
/// FIFO, so the run is held while it loads when the signal arrives; the
/// FIFO is fed once dossier has said it is stopping.
#[test]
fn ctrl_c_stops_gazetteer_suggest() {
    let s = Scratch::with_fixture_graph();
    std::fs::create_dir(s.path().join("held")).unwrap();
    let fifo = s.path().join("held/people.tsv");
    crate::crash::mkfifo(&fifo);
    let mut child = s
        .command(&["--gazetteer", "held", "gazetteer", "suggest"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dossier");
    // The handler is installed before the gazetteers load.
    std::thread::sleep(Duration::from_millis(1000));
    interrupt(&child);
    let mut stderr = child.stderr.take().expect("piped");
    let mut said = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !String::from_utf8_lossy(&said).contains("stopping the suggestions") {
        assert!(Instant::now() < deadline, "no word of stopping");
        let mut byte = [0u8; 1];
        use std::io::Read as _;
        if stderr.read(&mut byte).unwrap() == 0 {
            break;
        }
        said.push(byte[0]);
    }
    crate::crash::feed_fifo(&fifo, "Zora Kvitka\n", Duration::from_secs(10));
    let output = child.wait_with_output().unwrap();
    use std::io::Read as _;
    stderr.read_to_end(&mut said).unwrap();
    let said = String::from_utf8_lossy(&said);
    assert_eq!(output.status.code(), Some(130), "{said}");
    assert!(
        said.contains("suggest interrupted: nothing listed"),
        "{said}"
    );
    assert!(output.stdout.is_empty());
}
