//! The query language from the command line: every saved query of
//! `queries/` against the sample corpus (`../shared/corpus`; skipped with a
//! notice without it, a failure under `CI=true`), compared with its
//! expected answer's row count and SHA-256 in
//! `tests/fixtures/query/saved.sha256` (`UPDATE_EXPECT=1` rewrites it); and queries on the fixture documents, which every clone
//! has: formats, evidence, errors with their caret, standard input.

use crate::support::{Scratch, copy_dir, manifest_dir};

#[test]
fn saved_queries_answer_on_the_samples() {
    let corpus = manifest_dir().join("../shared/corpus");
    if !corpus.is_dir() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/corpus not found: CI must run the saved queries on the samples");
        }
        println!("skipped: ../shared/corpus not found");
        return;
    }
    let s = Scratch::new();
    copy_dir(&corpus, &s.path().join("samples"));
    s.ingest(&["samples"]);
    let mut files: Vec<_> = std::fs::read_dir(manifest_dir().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dq"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "the saved queries are missing");
    // The expected answers hold the samples' names, so they are kept as a
    // row count and a SHA-256 of the TSV, not as text.
    let expected_path = manifest_dir().join("tests/fixtures/query/saved.sha256");
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut got = String::new();
    let mut failures = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.lines().next().is_some_and(|l| l.starts_with('#')),
            "{} must open with a comment saying what it answers",
            file.display()
        );
        let run = s
            .run(&["query", "--file", file.to_str().unwrap(), "-f", "tsv"])
            .ok();
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let rows = run.stdout.lines().count().saturating_sub(1);
        assert!(rows > 0, "{name} answers nothing on the samples");
        let line = format!(
            "{name} {rows} {}",
            dossier::document::sha256_hex(run.stdout.as_bytes())
        );
        if !update && !expected.lines().any(|l| l == line) {
            failures.push(format!(
                "{name}: got `{line}`, expected the line for it in {}; the answer was\n{}",
                expected_path.display(),
                run.stdout
            ));
        }
        got.push_str(&line);
        got.push('\n');
    }
    if update {
        std::fs::write(&expected_path, got).unwrap();
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_join_with_a_name_and_a_count() {
    let s = Scratch::with_fixture_graph();
    let run = s
        .run(&[
            "query",
            "?p:person signed ?d and ?p resides-in ?town return ?town, count(?p) order by count(?p) desc, ?town limit 3",
        ])
        .ok();
    assert_eq!(
        run.stdout,
        "town      count(p)\nVilnius          3\nIstanbul         2\nParis            2\n"
    );
}

#[test]
fn formats_and_evidence() {
    let s = Scratch::with_fixture_graph();
    let query = "?who recognised Ichkeria";
    let json: serde_json::Value = s.run(&["query", query, "--format", "json"]).ok().json();
    assert_eq!(
        json,
        serde_json::json!([
            {"who": "Estonia"},
            {"who": "European Parliament"},
            {"who": "Seimas"}
        ])
    );
    let csv = s.run(&["query", query, "--format", "csv"]).ok().stdout;
    assert_eq!(csv, "who\nEstonia\nEuropean Parliament\nSeimas\n");
    let with_evidence = s
        .run(&[
            "query",
            "Seimas recognised ?what",
            "--evidence",
            "--format",
            "json",
        ])
        .ok()
        .json::<serde_json::Value>();
    let evidence = with_evidence[0]["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 1);
    let piece = &evidence[0];
    assert_eq!(piece["document"], "relations/news_recognition_vote.txt");
    assert_eq!(piece["line"], 5);
    assert_eq!(piece["rule"], "recognised-verb");
    assert_eq!(piece["date"], "2031-12-02");
    assert!(piece["confidence"].as_f64().is_some());
    assert!(piece["start"].as_u64() < piece["end"].as_u64(), "{piece}");
    assert!(
        piece["sentence"]
            .as_str()
            .unwrap()
            .starts_with("The [Seimas] on Tuesday recognised the [Chechen Republic of Ichkeria]"),
        "{piece}"
    );
}

/// `--evidence` shows every piece of evidence of a matched relation, not
/// only the first: in tables joined by ` | `, in JSON one object each.
#[test]
fn evidence_in_full() {
    let s = Scratch::with_fixture_graph();
    let query = "Seimas condemned ?x";
    let json: serde_json::Value = s
        .run(&["query", query, "--evidence", "--format", "json"])
        .ok()
        .json();
    let pieces = json[0]["evidence"].as_array().unwrap();
    let documents: Vec<&str> = pieces
        .iter()
        .map(|p| p["document"].as_str().unwrap())
        .collect();
    assert_eq!(
        documents,
        [
            "corpus/resolution_seimas.txt",
            "relations/news_recognition_vote.txt"
        ]
    );
    let csv = s
        .run(&["query", query, "--evidence", "--format", "csv"])
        .ok()
        .stdout;
    let row = csv.lines().nth(1).unwrap();
    assert_eq!(row.matches(" | ").count(), 1, "{row}");
    assert!(row.contains("corpus/resolution_seimas.txt:"), "{row}");
    assert!(
        row.contains("relations/news_recognition_vote.txt:5:"),
        "{row}"
    );
}

/// A variable in the relation's place stands for any kind and names the
/// relation: returned, it is the kind; it can be filtered on; it stands for
/// one pattern's relation only.
#[test]
fn a_relation_can_be_a_variable() {
    let s = Scratch::with_fixture_graph();
    let cases = [
        (
            "Seimas ?r ?x",
            "r            x\nappealed-to  Government of Lithuania\ncondemned    Russia\nrecognised   Chechen Republic of Ichkeria\n",
        ),
        (
            "Seimas ?r ?x where ?r = recognised or ?r starts-with app return ?r",
            "r\nappealed-to\nrecognised\n",
        ),
        (
            "?a ?r ?b where ?r = occupies return ?r, count(?a)",
            "r         count(a)\noccupies         5\n",
        ),
        (
            "?a ?r Russia return count(distinct ?r)",
            "count(distinct r)\n                1\n",
        ),
    ];
    for (query, expected) in cases {
        let run = s.run(&["query", query]).ok();
        assert_eq!(run.stdout, expected, "{query}");
    }
    let run = s.run(&["query", "Seimas ?r ?x, ?x ?r ?y"]).expect_code(2);
    assert!(
        run.stderr
            .contains("`?r` names a pattern's relation and stands nowhere else"),
        "{}",
        run.stderr
    );
}

/// A query with no rows is an answer: the header, a note, exit 0.
#[test]
fn no_rows_is_an_answer() {
    let s = Scratch::with_fixture_graph();
    let run = s.run(&["query", "Estonia occupies ?x"]).ok();
    assert_eq!(run.stdout, "x\n");
    assert_eq!(
        run.stderr,
        "note: no rows: nothing in the graph matches the query\n"
    );
}

#[test]
fn path_and_neighbours() {
    let s = Scratch::with_fixture_graph();
    let run = s
        .run(&[
            "query",
            "path \"Khava Yakubova\" to \"Oleksandr Merezhko\" --",
            "--format",
            "tsv",
        ])
        .expect_code(2);
    assert!(run.stderr.contains("error at line 1"), "{}", run.stderr);
    let run = s
        .run(&[
            "query",
            "path \"Khava Yakubova\" to \"Oleksandr Merezhko\"",
            "--format",
            "tsv",
        ])
        .ok();
    assert_eq!(
        run.stdout,
        "step\tfrom\trelation\tto\n\
         1\tKhava Yakubova\tsigned →\tcorpus/open_letter_prisoners.txt\n\
         2\tcorpus/open_letter_prisoners.txt\t← signed\tOleksandr Merezhko\n"
    );
    let run = s
        .run(&[
            "query",
            "neighbours Seimas via recognised|condemned",
            "--format",
            "tsv",
        ])
        .ok();
    assert_eq!(
        run.stdout,
        "node\ttype\tdistance\trelation\tfrom\n\
         Chechen Republic of Ichkeria\tstate\t1\trecognised →\tSeimas\n\
         Russia\tstate\t1\tcondemned →\tSeimas\n"
    );
}

/// A path or neighbours query with no rows says why on standard error,
/// and is no error: an entity mentioned but in no relation, or no path
/// within reach. (query, note)
#[test]
fn empty_paths_and_neighbourhoods_say_why() {
    let s = Scratch::with_fixture_graph();
    let cases = [
        (
            "path \"Ramzan Kadyrov\" to Ukraine",
            "note: `Ramzan Kadyrov` has no relations in the database, so no path reaches it\n",
        ),
        (
            "neighbours \"Ramzan Kadyrov\"",
            "note: `Ramzan Kadyrov` has no relations in the database, so it has no neighbours\n",
        ),
        (
            "path \"Khava Yakubova\" to \"Oleksandr Merezhko\" via recognised",
            "note: no path of at most 6 relations joins them through the kinds given\n",
        ),
    ];
    for (query, note) in cases {
        let run = s.run(&["query", query, "--format", "tsv"]).ok();
        assert_eq!(run.stderr, note, "{query}");
        assert_eq!(run.stdout.lines().count(), 1, "only the header: {query}");
    }
}

#[test]
fn errors_point_at_the_query() {
    let s = Scratch::with_fixture_graph();
    let cases = [
        (
            "?p resides_in Vilnius",
            "error at line 1, column 4: unknown relation `resides_in`\n  ?p resides_in Vilnius\n     ^^^^^^^^^^\n",
            Some("did you mean `resides-in`?"),
        ),
        (
            "?p signed \"Alla Dudayev\"",
            "error at line 1, column 11: no entity or document is named `Alla Dudayev`\n",
            Some("did you mean \"Alla Dudayeva\""),
        ),
        (
            "?p signed ?d where ?q = \"x\"",
            "error at line 1, column 20: `?q` is not in any pattern\n",
            None,
        ),
        (
            "?p leads ?o where ?o matches /(unclosed/",
            "error at line 1, column 30: invalid regular expression",
            None,
        ),
    ];
    for (query, start, also) in cases {
        let run = s.run(&["query", query]).expect_code(2);
        assert!(run.stderr.starts_with(start), "{query}:\n{}", run.stderr);
        if let Some(also) = also {
            assert!(run.stderr.contains(also), "{query}:\n{}", run.stderr);
        }
        assert_eq!(run.stdout, "");
    }
    // An ambiguous name lists its candidates with their types.
    let run = s.run(&["query", "?x * Congo"]).expect_code(2);
    assert!(
        run.stderr.contains("`Congo` is ambiguous: it names state `Democratic Republic of the Congo` and state `Republic of the Congo`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_query_from_a_file_or_standard_input() {
    let s = Scratch::with_fixture_graph();
    s.write("q.dq", "# Who occupies what\n?a occupies ?b # any state\n");
    let from_file = s.run(&["query", "--file", "q.dq", "-f", "csv"]).ok().stdout;
    let from_stdin = s
        .run_with_stdin(&["query", "--format", "csv"], b"?a occupies ?b")
        .ok()
        .stdout;
    assert_eq!(from_file, from_stdin);
    assert_eq!(
        from_file,
        "a,b\nRussia,Abkhazia\nRussia,Chechen Republic of Ichkeria\nRussia,Crimea\nRussia,Georgia\nRussia,South Ossetia\n"
    );
}

#[test]
fn the_shell_answers_line_by_line_and_keeps_a_history() {
    let s = Scratch::with_fixture_graph();
    let run = s
        .run_with_stdin(
            &["shell"],
            b"?who recognised Ichkeria\n?p resides_in Vilnius\nneighbours Seimas \\\nvia condemned\nquit\n",
        )
        // Piped input with a failed query: done, some input failed.
        .expect_code(1);
    assert_eq!(
        run.stdout,
        "who\nEstonia\nEuropean Parliament\nSeimas\n(3 rows)\n\
         node    type   distance  relation     from\n\
         Russia  state         1  condemned →  Seimas\n(1 rows)\n"
    );
    assert!(
        run.stderr.contains("did you mean `resides-in`?"),
        "{}",
        run.stderr
    );
    let mut history = s.db().as_os_str().to_os_string();
    history.push(".history");
    let history = std::fs::read_to_string(history).unwrap();
    assert!(history.contains("?who recognised Ichkeria"), "{history}");
}

/// A query whose patterns share no variable is a product of their
/// answers: it is warned of, and stopped by its memory or time budget with
/// an error at the pattern that joins none before it (exit 2), where it
/// once ran until the system killed it; with a `limit` it holds only the
/// rows it prints.
#[test]
fn a_query_past_its_budget_stops_with_a_located_error() {
    let s = Scratch::with_fixture_graph();
    let product = "?a * ?b, ?c * ?d, ?e * ?f";
    let run = s
        .run(&["query", product, "--max-memory", "64K"])
        .expect_code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with(
            "error at line 1, column 10: the query went past its memory budget of 64 KiB (--max-memory): \
             patterns 1, 2 and 3 share no variable, so every answer of each is paired with every answer \
             of the others; join them by a variable or name an entity\n  ?a * ?b, ?c * ?d, ?e * ?f\n           ^^^^^^^\n"
        ),
        "{}",
        run.stderr
    );
    let run = s
        .run(&["query", &format!("{product}, ?g * ?h"), "--timeout", "0.01"])
        .expect_code(2);
    assert!(
        run.stderr
            .contains("the query went past its time budget of 0.01 s (--timeout)"),
        "{}",
        run.stderr
    );
    // With a limit, the same product fits the same budget.
    let run = s
        .run(&[
            "query",
            &format!("{product} limit 2"),
            "--max-memory",
            "64K",
        ])
        .ok();
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
    assert!(
        run.stderr
            .starts_with("warning: patterns 1, 2 and 3 share no variable"),
        "{}",
        run.stderr
    );
    // A joined query says nothing of products.
    let run = s
        .run(&["query", "?p signed ?d, ?p resides-in ?t limit 1"])
        .ok();
    assert_eq!(run.stderr, "");
    // The shell takes the same bounds; a stopped query is a failed one.
    let run = s
        .run_with_stdin(&["shell", "--max-memory", "64K"], product.as_bytes())
        .expect_code(1);
    assert!(
        run.stderr.contains("went past its memory budget of 64 KiB"),
        "{}",
        run.stderr
    );
    for bad in [["--max-memory", "lots"], ["--timeout", "0"]] {
        let run = s.run(&["query", product, bad[0], bad[1]]).expect_code(2);
        assert!(run.stderr.contains(bad[0]), "{}", run.stderr);
    }
}

/// An unknown name of any length is answered at once: suggestions read it
/// up to 256 characters (it once cost time in its length times the
/// entities).
#[test]
fn an_unknown_name_of_any_length_is_answered_at_once() {
    let s = Scratch::with_fixture_graph();
    let long = format!("{}Dudayev", "Qx".repeat(5_000));
    let started = std::time::Instant::now();
    let run = s
        .run(&["query", &format!("?p signed \"{long}\"")])
        .expect_code(2);
    assert!(
        run.stderr
            .starts_with("error at line 1, column 11: no entity or document is named"),
        "{}",
        &run.stderr[..200.min(run.stderr.len())]
    );
    let run = s.run(&["mentions", &long]).expect_code(2);
    assert!(run.stderr.starts_with("error: no entity is named"));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // Names are looked up before the graph is loaded, and the first error
    // is still the planner's: an unknown kind in an earlier pattern first.
    let run = s
        .run(&["query", "?p resides_in ?x, ?x leads Nobodyatall"])
        .expect_code(2);
    assert!(
        run.stderr.contains("unknown relation `resides_in`"),
        "{}",
        run.stderr
    );
    let run = s
        .run(&["query", "?p signed ?d, ?p leads Nobodyatall"])
        .expect_code(2);
    assert!(
        run.stderr.starts_with(
            "error at line 1, column 24: no entity or document is named `Nobodyatall`"
        ),
        "{}",
        run.stderr
    );
    // A name a little misspelt still finds its entity.
    let run = s.run(&["mentions", "Alla Dudayev"]).expect_code(2);
    assert!(
        run.stderr.contains("did you mean: Alla Dudayeva"),
        "{}",
        run.stderr
    );
}
