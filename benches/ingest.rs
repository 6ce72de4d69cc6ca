//! `cargo bench`: ingest throughput on the synthetic benchmark corpus.
//!
//! Data: `../shared/bench/make_bench.py` output, made on first run under
//! `target/bench-data/` (or taken from `$DOSSIER_BENCH_DATA`, a folder
//! holding `e100k/` and `e1m/`). Sizes: 100 MB of text, gazetteers of 100k
//! and 1M entities. Without `../shared` and without the env variable the
//! benchmark says so and exits.
//!
//! Stages measured, each printed as one line:
//! - gazetteer: read the directory and build the matcher (seconds, names);
//! - match: decode + tokenise + match + resolve, in memory, on 1 and on all
//!   threads (MB/s; the expected mention count is printed with it), then
//!   the same with relation extraction (the shipped rules);
//! - ingest: the release binary end to end into a fresh database (MB/s,
//!   wall-clock, peak memory as the binary reports it), with the shipped
//!   relation rules and without them;
//! - the share of the ingest speed relation extraction keeps, from the
//!   medians of the same run (the issue: it must not halve it).
//!
//! `DOSSIER_BENCH=quick` runs the 100k gazetteer only.

mod common;

use common::{Corpus, ensure_generated, imported_gazetteer, shipped_rules};
use dossier::ingest::mentions_in;
use dossier::lexicon::Lexicon;
use dossier::matcher::Matcher;
use dossier::parallel::ordered_map;
use std::ops::ControlFlow;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let Some(data) = common::measuring() else {
        return;
    };
    let quick = std::env::var("DOSSIER_BENCH").is_ok_and(|v| v == "quick");
    let sizes: &[(&str, usize)] = if quick {
        &[("e100k", 100_000)]
    } else {
        &[("e100k", 100_000), ("e1m", 1_000_000)]
    };
    println!(
        "dossier ingest benchmark, {} cores",
        dossier::parallel::cores()
    );
    for &(name, entities) in sizes {
        let dir = data.join(name);
        let corpus = Corpus {
            entities,
            megabytes: 100,
            files: 10_000,
            seed: 1,
            real: true,
        };
        if let Err(e) = ensure_generated(&dir, &corpus) {
            eprintln!("benchmark skipped: {e}");
            return;
        }
        run(&dir, entities);
    }
}

fn run(dir: &Path, entities: usize) {
    let gazetteer_dir = imported_gazetteer(dir);
    let rules_dir = shipped_rules(dir);
    let started = Instant::now();
    let lexicon =
        Lexicon::load(&[gazetteer_dir.clone(), rules_dir.clone()]).expect("load gazetteer");
    let gazetteer = &lexicon.gazetteer;
    let loaded = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let matcher = Matcher::build(gazetteer);
    let metonymy = dossier::metonymy::Metonymy::build(gazetteer, &lexicon.metonymy);
    let relations = dossier::relations::Compiled::build(gazetteer, &lexicon.rules);
    let built = started.elapsed().as_secs_f64();
    println!(
        "{entities:>9} entities  gazetteer: read {loaded:.2} s + matcher {built:.2} s = {:.2} s ({} names)",
        loaded + built,
        matcher.name_count()
    );

    let corpus = dir.join("corpus");
    let mut texts: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(&corpus).expect("corpus dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read corpus file");
        if let Ok(d) = dossier::document::decode(&bytes) {
            texts.push(d.text);
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    for (threads, extract) in [
        (1, false),
        (dossier::parallel::cores(), false),
        (1, true),
        (dossier::parallel::cores(), true),
    ] {
        let started = Instant::now();
        let (mut mentions, mut found) = (0usize, 0usize);
        let _: Option<()> = ordered_map(
            texts.iter().collect(),
            threads,
            |t: &String| {
                if extract {
                    let (m, r) =
                        dossier::ingest::read_text_with(&matcher, &metonymy, &relations, t);
                    (m.len(), r.len())
                } else {
                    (mentions_in(&matcher, &metonymy, t).len(), 0)
                }
            },
            |(m, r)| {
                mentions += m;
                found += r;
                ControlFlow::Continue(())
            },
        );
        let seconds = started.elapsed().as_secs_f64();
        let what = if extract {
            "match + relations"
        } else {
            "match"
        };
        println!(
            "{entities:>9} entities  {what} on {threads} thread(s): {:.0} MB/s ({} mention records, {found} relations in {:.1} MB)",
            bytes as f64 / 1e6 / seconds,
            mentions,
            bytes as f64 / 1e6
        );
    }
    drop(matcher);
    drop(texts);

    let db = dir.join("bench.sqlite");
    let fresh = || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    };
    // This machine is shared and noisy: each figure is the median of three
    // runs, with the best in brackets. Its speed drifts from one minute to
    // the next, so the three rounds each run every case once, in this order:
    // the cases compared with each other (with and without the relation
    // rules) are then measured minutes apart no more than their rounds are.
    let runs: [(&str, bool, Option<&str>, bool); 6] = [
        (
            "first ingest (new database, entities synced)",
            true,
            None,
            true,
        ),
        ("unchanged re-ingest", false, None, true),
        (
            "ingest into a database that has the entities",
            false,
            Some("again"),
            true,
        ),
        ("same, without relation rules", false, Some("again"), false),
        ("first ingest without relation rules", true, None, false),
        ("one worker thread", true, Some("-j1"), true),
    ];
    let mut walls: Vec<Vec<f64>> = vec![Vec::new(); runs.len()];
    let mut phases: Vec<Vec<f64>> = vec![Vec::new(); runs.len()];
    let mut last: Vec<String> = vec![String::new(); runs.len()];
    for _round in 0..3 {
        for (case, &(_, new_database, extra, with_rules)) in runs.iter().enumerate() {
            if new_database {
                fresh();
            }
            if extra == Some("again") {
                // Keep the synced entities, drop the documents.
                let conn = rusqlite::Connection::open(&db).expect("open bench db");
                conn.execute_batch(
                    "DELETE FROM evidence; DELETE FROM relations; DELETE FROM entity_postings;
                     DELETE FROM document_mentions; DELETE FROM documents;",
                )
                .expect("empty bench db");
            }
            let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
            command
                .arg("--db")
                .arg(&db)
                .arg("--no-default-gazetteers")
                .arg("--gazetteer")
                .arg(&gazetteer_dir);
            if with_rules {
                command.arg("--gazetteer").arg(&rules_dir);
            }
            command.arg("ingest").arg(&corpus).arg("--timings");
            if let Some(flag) = extra.filter(|e| e.starts_with('-')) {
                command.arg(flag);
            }
            let started = Instant::now();
            let output = command.output().expect("run dossier");
            walls[case].push(started.elapsed().as_secs_f64());
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            if let Some(seconds) = stderr
                .lines()
                .find(|l| l.starts_with("ingested"))
                .and_then(|l| l.split(" in ").nth(1))
                .and_then(|l| l.split(' ').next())
                .and_then(|s| s.parse::<f64>().ok())
            {
                phases[case].push(seconds);
            }
            last[case] = stderr;
        }
    }
    // Median ingest-phase seconds by (new database, with rules), for the
    // cost of relation extraction within this run.
    let mut medians: Vec<(bool, bool, f64)> = Vec::new();
    for (case, &(label, new_database, extra, with_rules)) in runs.iter().enumerate() {
        let mb = bytes as f64 / 1e6;
        println!(
            "{entities:>9} entities  {label}: ingest phase {}; whole process {}",
            rate(mb, &mut phases[case]),
            rate(mb, &mut walls[case])
        );
        // The unchanged re-ingest and the one-thread run are not compared.
        let compared = (new_database && extra.is_none()) || extra == Some("again");
        if compared && !phases[case].is_empty() {
            medians.push((
                new_database,
                with_rules,
                phases[case][phases[case].len() / 2],
            ));
        }
        for line in last[case]
            .lines()
            .filter(|l| l.starts_with("ingested") || l.starts_with("timings"))
        {
            println!("{:>20}{line}", "");
        }
    }
    // "Relation extraction must not halve ingest throughput": the speed
    // with the rules as a share of the speed without, same kind of run.
    for (new_database, what) in [
        (true, "first ingest"),
        (false, "into a database that has the entities"),
    ] {
        let median = |rules: bool| {
            medians
                .iter()
                .find(|&&(n, r, _)| n == new_database && r == rules)
                .map(|&(_, _, s)| s)
        };
        if let (Some(with), Some(without)) = (median(true), median(false)) {
            println!(
                "{entities:>9} entities  relations keep {:.2} of the ingest speed ({what})",
                without / with
            );
        }
    }
}

/// `median MB/s (best MB/s)` over the given run times.
fn rate(mb: f64, seconds: &mut [f64]) -> String {
    if seconds.is_empty() {
        return "n/a".into();
    }
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    format!(
        "{:.0} MB/s in {median:.2} s (best {:.0} MB/s)",
        mb / median,
        mb / seconds[0]
    )
}
