//! What the benchmarks share: where their data lives and how it is made
//! with `../shared/bench/make_bench.py`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder of benchmark data: `$DOSSIER_BENCH_DATA`, else
/// `target/bench-data` when the generator is beside the crate.
pub fn bench_data() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOSSIER_BENCH_DATA") {
        return Some(PathBuf::from(dir));
    }
    generator()
        .exists()
        .then(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"))
}

/// The benchmark data folder when this run should measure: under `cargo
/// bench` (`cargo test --benches` runs benchmarks too, and must not) and
/// with data to use; otherwise says why it skips and gives `None`.
pub fn measuring() -> Option<PathBuf> {
    if !std::env::args().any(|a| a == "--bench") {
        return None;
    }
    let data = bench_data();
    if data.is_none() {
        eprintln!("benchmark skipped: no ../shared/bench/make_bench.py and no DOSSIER_BENCH_DATA");
    }
    data
}

/// The graph database of more than a million relations that `cargo bench
/// --bench query` builds and `--bench export` reads.
pub fn graph_database(data: &Path) -> PathBuf {
    data.join("g1m/graph.sqlite")
}

fn generator() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/make_bench.py")
}

/// What to generate.
pub struct Corpus {
    /// Gazetteer entities.
    pub entities: usize,
    /// Megabytes of text.
    pub megabytes: usize,
    /// Files.
    pub files: usize,
    /// The generator's seed.
    pub seed: u32,
    /// Whether the real sample documents are mixed in.
    pub real: bool,
}

/// Makes `dir` (gazetteer.tsv and corpus/) once.
pub fn ensure_generated(dir: &Path, corpus: &Corpus) -> Result<(), String> {
    if dir.join("gazetteer.tsv").exists() && dir.join("corpus").exists() {
        return Ok(());
    }
    eprintln!("generating {} (once)…", dir.display());
    let mut command = Command::new("python3");
    command
        .arg(generator())
        .arg("--out")
        .arg(dir)
        .arg("--entities")
        .arg(corpus.entities.to_string())
        .arg("--megabytes")
        .arg(corpus.megabytes.to_string())
        .arg("--files")
        .arg(corpus.files.to_string())
        .arg("--seed")
        .arg(corpus.seed.to_string());
    if !corpus.real {
        command.arg("--real").arg("");
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run python3 {}: {e}", generator().display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed", generator().display()))
    }
}

/// `dir/gazetteer/`, imported from `dir/gazetteer.tsv` once.
pub fn imported_gazetteer(dir: &Path) -> PathBuf {
    let gazetteer = dir.join("gazetteer");
    if !gazetteer.join("people.tsv").exists() {
        std::fs::create_dir_all(&gazetteer).expect("create gazetteer dir");
        dossier::gazetteer::import_file(&dir.join("gazetteer.tsv"), &gazetteer, None)
            .expect("import the bench gazetteer");
    }
    gazetteer
}

/// `dir/rules/`: the shipped relation rules alone, in a gazetteer directory
/// of their own (refreshed each run).
pub fn shipped_rules(dir: &Path) -> PathBuf {
    let rules_dir = dir.join("rules");
    let target = rules_dir.join(dossier::relations::rules::DIR);
    std::fs::create_dir_all(&target).expect("create rules dir");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("gazetteers")
        .join(dossier::relations::rules::DIR);
    for entry in std::fs::read_dir(&shipped).expect("shipped rules") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, target.join(path.file_name().expect("name"))).expect("copy rules");
    }
    rules_dir
}

/// The median of `values` (sorted in place), and the smallest.
pub fn median_and_best(values: &mut [f64]) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    (values[values.len() / 2], values[0])
}
