//! `cargo bench --bench export`: every export of the graph of more than a
//! million relations that `cargo bench --bench query` builds (it must have
//! run once), written to a sink. Each format is timed from a loaded graph
//! (JSON, which reads the store itself, from the open store);
//! the peak memory of the process is read after each, to show that writing
//! does not grow it (the output streams). Writers count what they write
//! into a `Tally`, as `dossier export` has them do for its progress bar.

mod common;

use dossier::export::Tally;
use dossier::export::view::{Filters, View};
use dossier::graph::Graph;
use dossier::store::Store;
use std::time::Instant;

/// The process's peak resident memory so far, in MB (Linux).
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let Some(data) = common::measuring() else {
        return;
    };
    let db = common::graph_database(&data);
    if !db.exists() {
        eprintln!(
            "benchmark skipped: run `cargo bench --bench query` first (it builds {})",
            db.display()
        );
        return;
    }
    let store = Store::open(&db).expect("open the graph database");
    // One read transaction for everything, as `dossier export` holds.
    let _snapshot = store.snapshot().expect("begin a read transaction");
    let started = Instant::now();
    let graph = Graph::load(&store).expect("load");
    let tally = Tally::default();
    let mut view = View::new(&store, &graph, &Filters::default()).expect("view");
    view.count_into(&tally);
    println!(
        "dossier export benchmark: {} nodes, {} relations; loaded and selected in {:.2} s, peak memory {:.0} MB",
        view.node_count(),
        view.edge_count(),
        started.elapsed().as_secs_f64(),
        peak_mb().unwrap_or(0.0)
    );
    // The node-link JSON reads the store itself (the whole graph).
    let started = Instant::now();
    let mut sink = CountingSink(0);
    let json_tally = Tally::default();
    dossier::export::json::write_counted(&store, &mut sink, &json_tally).expect("json");
    assert_eq!(
        json_tally.done(),
        json_tally.total(),
        "JSON counts what it writes"
    );
    println!(
        "  json: {:.2} s, {:.0} MB written, peak memory {:.0} MB",
        started.elapsed().as_secs_f64(),
        sink.0 as f64 / 1e6,
        peak_mb().unwrap_or(0.0)
    );
    type Writer =
        fn(&View<'_>, &mut dyn std::io::Write) -> Result<(), dossier::export::ExportError>;
    let formats: [(&str, Writer); 4] = [
        ("graphml", |v, w| {
            dossier::export::graphml::write(v, w, false)
        }),
        ("gexf", dossier::export::gexf::write),
        ("ftm", dossier::export::ftm::write),
        ("dot", dossier::export::dot::write),
    ];
    for (name, write) in formats {
        let started = Instant::now();
        let mut sink = CountingSink(0);
        write(&view, &mut sink).expect("export");
        println!(
            "  {name}: {:.2} s, {:.0} MB written, peak memory {:.0} MB",
            started.elapsed().as_secs_f64(),
            sink.0 as f64 / 1e6,
            peak_mb().unwrap_or(0.0)
        );
    }
    let dir = std::env::temp_dir().join(format!("dossier-export-bench-{}", std::process::id()));
    let started = Instant::now();
    dossier::export::csv::write(&view, &dir).expect("csv");
    println!(
        "  csv (two files): {:.2} s, peak memory {:.0} MB",
        started.elapsed().as_secs_f64(),
        peak_mb().unwrap_or(0.0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Counts what is written and keeps nothing.
struct CountingSink(u64);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
