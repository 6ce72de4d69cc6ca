//! Entity precision and recall on the sample corpus (`../shared/corpus`)
//! against its gold annotations (`../shared/gold/seeds.json`), with the
//! shipped gazetteers.
//!
//! The samples live outside the repository. Without them the test prints a
//! notice and passes, except in CI (`CI=true`), where a missing corpus must
//! not pass silently.

use crate::support::{Scratch, manifest_dir};

/// The floor for precision and recall, overall and per entity type.
const FLOOR: f64 = 0.95;

#[test]
fn entity_precision_and_recall_on_the_samples() {
    let corpus = manifest_dir().join("../shared/corpus");
    let gold = manifest_dir().join("../shared/gold/seeds.json");
    if !corpus.is_dir() || !gold.is_file() {
        let missing = if corpus.is_dir() {
            "../shared/gold/seeds.json"
        } else {
            "../shared/corpus"
        };
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!(
                "{missing} not found (looked in {}): CI must score the sample corpus",
                manifest_dir().join("..").display()
            );
        }
        println!("skipped: {missing} not found");
        return;
    }
    let s = Scratch::new();
    let corpus = corpus.canonicalize().unwrap();
    let run = s.ingest(&[corpus.to_str().unwrap()]);
    let files = std::fs::read_dir(&corpus)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_file())
        .count();
    assert_eq!(run.summary().new, files, "{}", run.stderr);

    let report: serde_json::Value = s
        .run(&["eval", "--gold", gold.to_str().unwrap(), "--format", "json"])
        .ok()
        .json();
    let table = s
        .run(&["eval", "--gold", gold.to_str().unwrap()])
        .ok()
        .stdout;
    println!("{table}");
    for finding in report["missed"].as_array().unwrap() {
        println!("missed          {finding}");
    }
    for finding in report["false_positives"].as_array().unwrap() {
        println!("false positive  {finding}");
    }
    assert_eq!(
        report["missing_documents"],
        serde_json::json!([]),
        "every gold document is ingested"
    );

    let score = |s: &serde_json::Value| -> (f64, f64, u64) {
        let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("no {k} in {s}"));
        let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        (
            ratio(n("correct"), n("predicted")),
            ratio(n("found"), n("gold")),
            n("gold"),
        )
    };
    let mut rows = vec![("all entities".to_string(), score(&report["entities_total"]))];
    let by_type = report["entities"].as_object().unwrap();
    let types: Vec<&String> = by_type.keys().collect();
    assert_eq!(types, ["organisation", "person", "place", "state"]);
    for (kind, s) in by_type {
        rows.push((kind.clone(), score(s)));
    }
    let mut failures = Vec::new();
    for (what, (precision, recall, gold)) in &rows {
        assert!(*gold > 0, "no gold {what}");
        if *precision < FLOOR || *recall < FLOOR {
            failures.push(format!(
                "{what}: precision {precision:.3}, recall {recall:.3} (floor {FLOOR})"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
