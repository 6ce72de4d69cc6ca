//! `cargo bench --bench query`: the query language on a graph of more than
//! a million relations.
//!
//! The graph is built once (minutes) under the benchmark data folder
//! (`target/bench-data/`, or `$DOSSIER_BENCH_DATA`): the 1 GB corpus of
//! `make_bench.py` with its 100k gazetteer, plus 300 MB made with another
//! seed and its own gazetteer, ingested with the shipped relation rules
//! (1.07M relations, 1.33M pieces of evidence). Measured, each the median
//! of several runs in this process:
//! - loading the graph from SQLite;
//! - a one-pattern query with a bound name (`?x recognised "S"`, S the
//!   most recognised state);
//! - a three-pattern join from a named person with a few organisations
//!   (`"P" leads ?o, ?o condemned ?s, ?s recognised ?t`), counted;
//! - a three-pattern join with no name at all, limited.

mod common;

use common::{Corpus, ensure_generated, imported_gazetteer, median_and_best, shipped_rules};
use dossier::graph::Graph;
use dossier::store::Store;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let Some(data) = common::measuring() else {
        return;
    };
    let db = match build(&data) {
        Ok(db) => db,
        Err(e) => {
            eprintln!("benchmark skipped: {e}");
            return;
        }
    };
    let store = Store::open(&db).expect("open the graph database");
    let mut loads = Vec::new();
    let mut graph = None;
    for _ in 0..3 {
        let started = Instant::now();
        graph = Some(Graph::load(&store).expect("load"));
        loads.push(started.elapsed().as_secs_f64());
    }
    let graph = graph.expect("loaded");
    let (median, best) = median_and_best(&mut loads);
    println!(
        "dossier query benchmark: {} nodes, {} relations",
        graph.graph.node_count(),
        graph.graph.edge_count()
    );
    println!("  load the graph from SQLite: {median:.2} s (best {best:.2} s)");
    let conn = rusqlite::Connection::open(&db).expect("open the graph database");
    let state = pick(
        &conn,
        "SELECT o.name FROM relations r JOIN entities o ON o.id = r.object_entity_id
         WHERE r.kind = 'recognised' GROUP BY r.object_entity_id ORDER BY count(*) DESC, o.id LIMIT 1",
    );
    let person = pick(
        &conn,
        "SELECT s.name FROM relations r JOIN entities s ON s.id = r.subject_id
         WHERE r.kind = 'leads' GROUP BY r.subject_id HAVING count(*) BETWEEN 3 AND 8
         ORDER BY count(*) DESC, s.id LIMIT 1",
    );
    let queries = [
        (
            "one pattern, a bound name",
            format!("?x recognised \"{state}\""),
        ),
        (
            "three patterns from a named person",
            format!("\"{person}\" leads ?o, ?o condemned ?s, ?s recognised ?t return count(?t)"),
        ),
        (
            "three patterns, no name, limited",
            "?p leads ?o, ?o condemned ?s, ?s occupies ?t limit 100".to_string(),
        ),
    ];
    for (label, query) in queries {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let answer = dossier::query::ask(&query, &graph, &store).expect("the query runs");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            rows = answer.rows.len();
        }
        let (median, best) = median_and_best(&mut times);
        println!("  {label}: {median:.1} ms (best {best:.1} ms), {rows} rows: {query}");
    }
}

/// The first value of a query's first row.
fn pick(conn: &rusqlite::Connection, sql: &str) -> String {
    conn.query_row(sql, [], |r| r.get(0))
        .expect("the graph has such an entity")
}

/// Builds (once) and returns the graph database.
fn build(data: &Path) -> Result<std::path::PathBuf, String> {
    let main = data.join("g1m");
    let extra = data.join("g1m-extra");
    let db = common::graph_database(data);
    if db.exists() {
        return Ok(db);
    }
    ensure_generated(
        &main,
        &Corpus {
            entities: 100_000,
            megabytes: 1000,
            files: 100_000,
            seed: 1,
            real: true,
        },
    )?;
    ensure_generated(
        &extra,
        &Corpus {
            entities: 100_000,
            megabytes: 300,
            files: 30_000,
            seed: 2,
            real: false,
        },
    )?;
    let rules = shipped_rules(data);
    let gazetteers = [imported_gazetteer(&main), imported_gazetteer(&extra), rules];
    for corpus in [main.join("corpus"), extra.join("corpus")] {
        eprintln!("ingesting {} (once)…", corpus.display());
        let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
        command.arg("--db").arg(&db).arg("--no-default-gazetteers");
        for dir in &gazetteers {
            command.arg("--gazetteer").arg(dir);
        }
        let status = command
            .arg("ingest")
            .arg(&corpus)
            .status()
            .map_err(|e| format!("cannot run dossier: {e}"))?;
        if !status.success() {
            return Err(format!("ingesting {} failed", corpus.display()));
        }
    }
    Ok(db)
}
