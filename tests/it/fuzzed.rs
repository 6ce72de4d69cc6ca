//! The cases kept for the fuzz targets (`fuzz/corpus/TARGET`: seeds, the
//! hostile inputs of issue 20, and every input a fuzzer found failing,
//! kept with its fix), each run through its target's own function, so
//! that `cargo test` holds them without a fuzzer.

#[path = "../../fuzz/src/lib.rs"]
mod harness;

use crate::support::manifest_dir;

/// Runs every kept case of `target` through `run`, naming the case that
/// panics.
fn each_case(target: &str, run: fn(&[u8])) {
    let dir = manifest_dir().join("fuzz/corpus").join(target);
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no case in {}", dir.display());
    for case in cases {
        let bytes = std::fs::read(&case).unwrap();
        if std::panic::catch_unwind(|| run(&bytes)).is_err() {
            panic!("fuzz case {} failed", case.display());
        }
    }
}

#[test]
fn query_cases() {
    each_case("query", harness::query);
}

#[test]
fn gazetteer_cases() {
    each_case("gazetteer", harness::gazetteer);
}

#[test]
fn rules_cases() {
    each_case("rules", harness::rules);
}

#[test]
fn document_cases() {
    each_case("document", harness::document);
}
