//! `dossier forget`: a document goes with its mentions, postings and
//! evidence and the relations left without evidence, in one transaction;
//! the other documents stay as they were, the references stay whole, and
//! ingesting the file again brings back what went.

use crate::support::{Document, Scratch};
use serde_json::Value;
use std::collections::BTreeMap;

/// The document forgotten below: it states relations, some of them only
/// there.
const FORGOTTEN: &str = "relations/news_parliament_resolution.txt";

/// `export json` with what an ingest's time and a document's id change
/// taken out: document ids as their paths, no `ingested_at`; nodes and
/// edges sorted.
fn graph(s: &Scratch) -> (Vec<String>, Vec<String>) {
    let mut graph: Value = s.run(&["export", "json"]).ok().json();
    let mut paths: BTreeMap<String, String> = BTreeMap::new();
    for node in graph["nodes"].as_array_mut().unwrap() {
        if node["type"] == "document" {
            paths.insert(
                node["id"].as_str().unwrap().to_string(),
                node["path"].as_str().unwrap().to_string(),
            );
            node["attributes"]
                .as_object_mut()
                .unwrap()
                .remove("ingested_at");
        }
    }
    let named = |id: &Value| {
        let id = id.as_str().unwrap();
        paths.get(id).cloned().unwrap_or_else(|| id.to_string())
    };
    let mut nodes: Vec<String> = Vec::new();
    for node in graph["nodes"].as_array().unwrap() {
        let mut node = node.clone();
        node["id"] = Value::from(named(&node["id"]));
        nodes.push(node.to_string());
    }
    let mut edges: Vec<String> = Vec::new();
    for edge in graph["edges"].as_array().unwrap() {
        let mut edge = edge.clone();
        edge["source"] = Value::from(named(&edge["source"]));
        edge["target"] = Value::from(named(&edge["target"]));
        edges.push(edge.to_string());
    }
    nodes.sort();
    edges.sort();
    (nodes, edges)
}

/// `documents` without what an ingest's time changes.
fn documents(s: &Scratch) -> Vec<Document> {
    s.documents()
        .into_iter()
        .map(|mut d| {
            d.ingested_at.clear();
            d.id = 0;
            d
        })
        .collect()
}

/// Rows of `sql` over the scratch database, each as text.
fn rows(s: &Scratch, sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let columns = stmt.column_count();
    stmt.query_map([], |r| {
        Ok((0..columns)
            .map(|i| match r.get_ref(i).unwrap() {
                rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                other => format!("{other:?}"),
            })
            .collect::<Vec<_>>()
            .join(" "))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn a_document_goes_with_what_came_from_it_and_comes_back_the_same() {
    let s = Scratch::with_fixture_graph();
    let before_graph = graph(&s);
    let before_documents = s.documents();
    let gone = before_documents
        .iter()
        .find(|d| d.path == FORGOTTEN)
        .unwrap()
        .clone();
    let evidence_there = rows(
        &s,
        &format!(
            "SELECT count(*) FROM evidence WHERE document_id = {}",
            gone.id
        ),
    );
    let run = s.run(&["forget", "news_parliament_resolution"]).ok();
    let line = run.stdout.lines().next().unwrap();
    assert!(
        line.starts_with(&format!(
            "forgot {FORGOTTEN} (id {}): {} mentions, {} pieces of evidence, ",
            gone.id, gone.mentions, evidence_there[0]
        )),
        "{}",
        run.stdout
    );
    assert!(line.ends_with("relations left without evidence"), "{line}");
    assert_eq!(run.stdout.lines().count(), 1);
    // The references are whole; nothing refers to the document; no
    // relation is left without evidence.
    assert_eq!(rows(&s, "PRAGMA foreign_key_check"), Vec::<String>::new());
    for sql in [
        format!("SELECT id FROM evidence WHERE document_id = {}", gone.id),
        format!(
            "SELECT id FROM relations WHERE object_document_id = {}",
            gone.id
        ),
        "SELECT id FROM relations r WHERE NOT EXISTS
         (SELECT 1 FROM evidence e WHERE e.relation_id = r.id)"
            .to_string(),
        format!(
            "SELECT document_id FROM document_mentions WHERE document_id = {}",
            gone.id
        ),
    ] {
        assert_eq!(rows(&s, &sql), Vec::<String>::new(), "{sql}");
    }
    // The other documents are untouched, row for row, and no entity lists
    // the document among its own any more.
    let after: Vec<Document> = s.documents();
    let others: Vec<Document> = before_documents
        .iter()
        .filter(|d| d.path != FORGOTTEN)
        .cloned()
        .collect();
    assert_eq!(after, others);
    assert!(
        s.entities(&[])
            .iter()
            .all(|e| !e.documents.iter().any(|d| d == FORGOTTEN))
    );
    assert_ne!(graph(&s), before_graph);
    // Ingested again, the file brings back the same graph.
    let again = s.ingest(&["relations"]);
    assert_eq!(again.summary().counts(), (1, 0, 6, 0, 0));
    assert_eq!(graph(&s), before_graph);
    assert_eq!(documents(&s), {
        let mut d: Vec<Document> = before_documents
            .into_iter()
            .map(|mut d| {
                d.ingested_at.clear();
                d.id = 0;
                d
            })
            .collect();
        d.sort_by(|a, b| a.path.cmp(&b.path));
        d
    });
    assert_eq!(rows(&s, "PRAGMA foreign_key_check"), Vec::<String>::new());
}

/// Names that designate no one document are refused and said; the others
/// go. Nothing gone is exit 2, some refused exit 1.
#[test]
fn names_are_read_as_everywhere_and_an_unclear_one_is_refused() {
    let s = Scratch::with_fixture_graph();
    let count = s.documents().len();
    let run = s.run(&["forget", "relations/news"]).expect_code(2);
    assert!(
        run.stderr.starts_with(
            "error: `relations/news` matches 4 documents: relations/news_deployment.txt (id "
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("; give a longer path or the id\n"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
    assert_eq!(s.documents().len(), count);
    let id = s
        .documents()
        .into_iter()
        .find(|d| d.path == "corpus/congo_briefing.txt")
        .unwrap()
        .id
        .to_string();
    let run = s
        .run(&["forget", &id, "no_such_document", "congo_briefing"])
        .expect_code(1);
    assert_eq!(
        run.stderr,
        "error: no stored document matches `no_such_document`; `dossier documents` lists them\n"
    );
    assert!(
        run.stdout
            .starts_with(&format!("forgot corpus/congo_briefing.txt (id {id}): ")),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 1, "named twice, forgotten once");
    assert_eq!(s.documents().len(), count - 1);
    let none = Scratch::new();
    let run = none.run(&["forget", "a.txt"]).expect_code(2);
    assert!(
        run.stderr.starts_with("error: no database at "),
        "{}",
        run.stderr
    );
}
