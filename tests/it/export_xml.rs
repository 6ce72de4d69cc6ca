//! `export graphml` and `export gexf` on the fixture documents, checked
//! three ways: `xmllint` validates each file against its schema (the local
//! copies in `tests/schemas/`, so no network is needed), independent readers
//! read it back (networkx and igraph for GraphML, networkx and Python's
//! ElementTree for GEXF), and what they read is compared with `export
//! json`, the graph's stable contract. The XML exports hold every document
//! and every entity with a relation (the JSON also lists entities that are
//! only mentioned), and every relation.
//!
//! A name with the characters XML treats specially (`&`, `<`, `>`, `"`) and
//! a quote with control characters XML 1.0 forbids must come back intact
//! (the forbidden characters as U+FFFD). `--merge-parallel` must turn the
//! edges of one pair of nodes into one.

use crate::exported::{Graph, JsonEdge};
use crate::python::{run_python, tool};
use crate::support::{Scratch, manifest_dir};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

impl JsonEdge {
    /// The sentences of its evidence with their whitespace collapsed, as
    /// the exports quote them.
    fn quotes(&self) -> Vec<String> {
        self.evidence
            .iter()
            .map(|v| v.quote.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// The documents holding its evidence, sorted, joined with `; `.
    fn documents(&self) -> String {
        let documents: BTreeSet<&str> = self.evidence.iter().map(|v| v.document.as_str()).collect();
        documents.into_iter().collect::<Vec<_>>().join("; ")
    }
}

impl Graph {
    /// The edges as (source, target, relation, weight), sorted.
    fn edge_keys(&self) -> Vec<(String, String, String, f64)> {
        let mut keys: Vec<_> = self
            .edges
            .iter()
            .map(|e| {
                (
                    e.source.clone(),
                    e.target.clone(),
                    e.relation.clone(),
                    e.weight as f64,
                )
            })
            .collect();
        keys.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        keys
    }

    /// The edge from `source` to `target` of kind `relation`.
    #[track_caller]
    fn edge(&self, source: &str, target: &str, relation: &str) -> &JsonEdge {
        self.edges
            .iter()
            .find(|e| {
                (e.source.as_str(), e.target.as_str(), e.relation.as_str())
                    == (source, target, relation)
            })
            .unwrap_or_else(|| {
                panic!("no {relation} edge from {source} to {target} in export json")
            })
    }
}

/// Runs `xmllint --noout --schema` on `file` with the schema at
/// `tests/schemas/<schema>`, which must accept it.
#[track_caller]
fn validate(s: &Scratch, schema: &str, file: &str) {
    let schema = manifest_dir().join("tests/schemas").join(schema);
    let output = Command::new(tool("xmllint"))
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(s.path().join(file))
        .output()
        .expect("run xmllint");
    assert!(
        output.status.success(),
        "{file} does not validate against {}:\n{}",
        schema.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// What a reader read: the graph's kind, its nodes' and edges' attributes,
/// and for GEXF what ElementTree reads of the elements networkx ignores.
#[derive(Debug, Deserialize)]
struct Read {
    directed: bool,
    multigraph: bool,
    nodes: BTreeMap<String, BTreeMap<String, Value>>,
    /// Each edge's attributes, with `source` and `target` added.
    edges: Vec<BTreeMap<String, Value>>,
    /// GEXF only: `graph` and `meta` attributes, and each edge's `kind` by
    /// id.
    #[serde(default)]
    xml: Option<Xml>,
}

/// What ElementTree reads of a GEXF file.
#[derive(Debug, Deserialize)]
struct Xml {
    version: String,
    creator: String,
    graph: BTreeMap<String, String>,
    kinds: BTreeMap<String, String>,
}

/// Reads a GraphML file with networkx (`reader` = `networkx`) or igraph
/// (`igraph`), or a GEXF file with networkx and ElementTree (`gexf`).
fn read(s: &Scratch, reader: &str, file: &str) -> Read {
    let code = r#"
import json, sys
import xml.etree.ElementTree as ET
reader, path = sys.argv[1], sys.argv[2]
out = {}
if reader == "networkx":
    import networkx as nx
    g = nx.read_graphml(path)
elif reader == "gexf":
    import networkx as nx
    g = nx.read_gexf(path)
    root = ET.parse(path).getroot()
    ns = {"g": "http://gexf.net/1.3"}
    graph = root.find("g:graph", ns)
    out["xml"] = {
        "version": root.get("version"),
        "creator": root.find("g:meta/g:creator", ns).text,
        "graph": dict(graph.attrib),
        "kinds": {e.get("id"): e.get("kind") for e in graph.iterfind("g:edges/g:edge", ns)},
    }
if reader in ("networkx", "gexf"):
    out["directed"] = g.is_directed()
    out["multigraph"] = g.is_multigraph()
    out["nodes"] = {n: d for n, d in g.nodes(data=True)}
    out["edges"] = [dict(d, source=u, target=v) for u, v, d in g.edges(data=True)]
else:
    import igraph
    g = igraph.Graph.Read_GraphML(path)
    out["directed"] = g.is_directed()
    out["multigraph"] = g.has_multiple()
    out["nodes"] = {v["id"]: v.attributes() for v in g.vs}
    out["edges"] = [
        dict(e.attributes(), source=g.vs[e.source]["id"], target=g.vs[e.target]["id"])
        for e in g.es
    ]
print(json.dumps(out))
"#;
    let path = s.path().join(file);
    let text = run_python(code, &[reader, &path.display().to_string()]);
    serde_json::from_str(&text).expect("the reader's JSON")
}

/// The string attribute `key` of `item`, which must be there.
#[track_caller]
fn text<'a>(item: &'a BTreeMap<String, Value>, key: &str) -> &'a str {
    item.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string `{key}` in {item:?}"))
}

/// The numeric attribute `key` of `item`, which must be there.
#[track_caller]
fn number(item: &BTreeMap<String, Value>, key: &str) -> f64 {
    item.get(key)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("no number `{key}` in {item:?}"))
}

/// Checks the nodes a reader read against `export json`: the same ids, and
/// for each the label and type; with `all`, also aliases, mentions and
/// documents.
#[track_caller]
fn check_nodes(read: &Read, graph: &Graph, all: bool) {
    let exported = graph.exported();
    let ids: BTreeSet<&str> = read.nodes.keys().map(String::as_str).collect();
    let wanted: BTreeSet<&str> = exported.keys().copied().collect();
    assert_eq!(ids, wanted, "node ids against export json");
    for (id, node) in &read.nodes {
        let json = exported[id.as_str()];
        assert_eq!(text(node, "label"), json.label(), "{id}");
        assert_eq!(text(node, "type"), json.kind, "{id}");
        // Only documents have a path (igraph gives the others an empty one).
        let path = node
            .get("path")
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty());
        assert_eq!(path, json.path.as_deref(), "{id}");
        if !all {
            continue;
        }
        assert_eq!(number(node, "mentions"), json.mentions as f64, "{id}");
        assert_eq!(text(node, "documents"), json.documents.join("; "), "{id}");
        let aliases = node
            .get("aliases")
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert_eq!(aliases, json.aliases.join(" | "), "{id}");
    }
}

/// Checks the edges a reader read against `export json`, one edge per
/// relation: source, target, label, weight, and with `all` the relation,
/// quote and documents.
#[track_caller]
fn check_edges(read: &Read, graph: &Graph, all: bool) {
    let mut got: Vec<(String, String, String, f64)> = read
        .edges
        .iter()
        .map(|e| {
            (
                text(e, "source").to_string(),
                text(e, "target").to_string(),
                text(e, "label").to_string(),
                number(e, "weight"),
            )
        })
        .collect();
    got.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    assert_eq!(got, graph.edge_keys(), "edges against export json");
    if !all {
        return;
    }
    for e in &read.edges {
        let json = graph.edge(text(e, "source"), text(e, "target"), text(e, "label"));
        assert_eq!(text(e, "relation"), json.relation);
        let quotes = json.quotes();
        assert!(
            quotes.iter().any(|q| q == text(e, "quote")),
            "{e:?}: the quote is none of {quotes:?}"
        );
        assert_eq!(text(e, "documents"), json.documents(), "{e:?}");
    }
}

#[test]
fn graphml_is_valid_and_reads_back_as_export_json() {
    let s = Scratch::with_fixture_graph();
    let graph = Graph::of(&s);
    s.run(&["export", "graphml", "-o", "g.graphml"]).ok();
    validate(&s, "graphml/graphml.xsd", "g.graphml");

    let networkx = read(&s, "networkx", "g.graphml");
    assert!(networkx.directed);
    assert!(!networkx.multigraph, "the fixtures have no parallel edges");
    check_nodes(&networkx, &graph, true);
    check_edges(&networkx, &graph, true);
    assert!(networkx.nodes.len() > 40, "{}", networkx.nodes.len());
    assert!(networkx.edges.len() > 30, "{}", networkx.edges.len());
    let kinds: BTreeSet<&str> = networkx.edges.iter().map(|e| text(e, "relation")).collect();
    for kind in ["signed", "resides-in", "member-of", "leads", "recognised"] {
        assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
    }
    let types: BTreeSet<&str> = networkx.nodes.values().map(|n| text(n, "type")).collect();
    assert_eq!(
        types,
        BTreeSet::from(["document", "organisation", "person", "place", "state"])
    );

    let igraph = read(&s, "igraph", "g.graphml");
    assert!(igraph.directed);
    check_nodes(&igraph, &graph, false);
    check_edges(&igraph, &graph, false);

    // The keys: descriptive ids, each declared once, for nodes or edges,
    // with a type; every `<data>` refers to one of them (the schema checks
    // that too).
    let file = s.read("g.graphml");
    let keys: Vec<&str> = file
        .lines()
        .filter(|l| l.trim_start().starts_with("<key "))
        .collect();
    assert_eq!(
        keys.iter().map(|k| k.trim()).collect::<Vec<_>>(),
        [
            r#"<key id="label" for="node" attr.name="label" attr.type="string"/>"#,
            r#"<key id="path" for="node" attr.name="path" attr.type="string"/>"#,
            r#"<key id="type" for="node" attr.name="type" attr.type="string"/>"#,
            r#"<key id="aliases" for="node" attr.name="aliases" attr.type="string"/>"#,
            r#"<key id="mentions" for="node" attr.name="mentions" attr.type="long"/>"#,
            r#"<key id="documents" for="node" attr.name="documents" attr.type="string"/>"#,
            r#"<key id="edge-label" for="edge" attr.name="label" attr.type="string"/>"#,
            r#"<key id="relation" for="edge" attr.name="relation" attr.type="string"/>"#,
            r#"<key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#,
            r#"<key id="quote" for="edge" attr.name="quote" attr.type="string"/>"#,
            r#"<key id="edge-documents" for="edge" attr.name="documents" attr.type="string"/>"#,
            r#"<key id="dates" for="edge" attr.name="dates" attr.type="string"/>"#,
            r#"<key id="date-sources" for="edge" attr.name="date_sources" attr.type="string"/>"#,
            r#"<key id="from" for="edge" attr.name="from" attr.type="string"/>"#,
            r#"<key id="until" for="edge" attr.name="until" attr.type="string"/>"#,
            r#"<key id="former" for="edge" attr.name="former" attr.type="boolean"/>"#,
        ]
    );
    assert!(file.contains(r#"edgedefault="directed""#));

    // Two exports of one database are the same file.
    s.run(&["export", "graphml", "-o", "again.graphml"]).ok();
    assert_eq!(s.read("again.graphml"), file);
}

/// `date` as the first full date it covers, as GEXF's `start` holds it;
/// `None` without a year.
fn full_date(date: &str) -> Option<String> {
    match date.len() {
        _ if date.starts_with("--") => None,
        4 => Some(format!("{date}-01-01")),
        7 => Some(format!("{date}-01")),
        10 => Some(date.to_string()),
        _ => panic!("an unexpected date {date:?}"),
    }
}

/// `date` as the last full date it covers, as GEXF's `end` holds it.
fn last_date(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-12-31"),
        7 => {
            let (year, month): (u32, u32) =
                (date[..4].parse().unwrap(), date[5..].parse().unwrap());
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            format!("{date}-{days:02}")
        }
        _ => date.to_string(),
    }
}

/// The `start` and `end` GEXF gives an edge of `export json`: its period's
/// ends, else (unless former) the earliest full date of its evidence, and
/// for a former role the date it was over by; no start after the end.
fn interval(json: &JsonEdge) -> (Option<String>, Option<String>) {
    let end = match (&json.until, &json.ended_by) {
        (Some(until), _) => Some(last_date(until)),
        (None, Some(by)) if json.former => Some(last_date(by)),
        _ => None,
    };
    let start = match &json.from {
        Some(from) => full_date(from),
        None if !json.former => json
            .evidence
            .iter()
            .filter_map(|v| v.date.as_deref().and_then(full_date))
            .min(),
        None => None,
    };
    let start = start.filter(|s| end.as_ref().is_none_or(|e| s <= e));
    (start, end)
}

#[test]
fn gexf_is_valid_and_reads_back_as_export_json() {
    let s = Scratch::with_fixture_graph();
    let graph = Graph::of(&s);
    s.run(&["export", "gexf", "-o", "g.gexf"]).ok();
    validate(&s, "gexf/gexf.xsd", "g.gexf");

    let gexf = read(&s, "gexf", "g.gexf");
    assert!(gexf.directed);
    check_nodes(&gexf, &graph, true);
    check_edges(&gexf, &graph, true);
    let xml = gexf.xml.as_ref().expect("ElementTree's reading");
    assert_eq!(xml.version, "1.3");
    assert_eq!(xml.creator, "dossier");
    assert_eq!(xml.graph["defaultedgetype"], "directed");
    assert_eq!(xml.graph["mode"], "dynamic");
    assert_eq!(xml.graph["timeformat"], "date");

    // One colour per type, a different one for each.
    let mut colours: BTreeMap<&str, BTreeSet<(i64, i64, i64)>> = BTreeMap::new();
    for node in gexf.nodes.values() {
        let color = &node["viz"]["color"];
        let channel = |c: &str| color[c].as_i64().expect("a colour channel");
        colours.entry(text(node, "type")).or_default().insert((
            channel("r"),
            channel("g"),
            channel("b"),
        ));
    }
    assert_eq!(colours.len(), 5, "{colours:?}");
    assert!(colours.values().all(|c| c.len() == 1), "{colours:?}");
    let distinct: BTreeSet<_> = colours.values().flatten().collect();
    assert_eq!(distinct.len(), 5, "{colours:?}");

    // The kind is the relation; the start and end are its period's, else
    // the start is the earliest full date of the evidence (absent when no
    // evidence gives one).
    let mut dated = 0;
    for e in &gexf.edges {
        let id = text(e, "id");
        assert_eq!(xml.kinds[id], text(e, "label"), "{id}");
        let json = graph.edge(text(e, "source"), text(e, "target"), text(e, "label"));
        let (start, end) = interval(json);
        assert_eq!(
            e.get("start").and_then(Value::as_str),
            start.as_deref(),
            "{id}"
        );
        assert_eq!(e.get("end").and_then(Value::as_str), end.as_deref(), "{id}");
        dated += usize::from(start.is_some());
    }
    assert!(dated > 0, "no edge of the fixtures has a date");
    assert!(
        dated < gexf.edges.len(),
        "every edge of the fixtures has a date"
    );
}

/// The organisation whose name holds every character XML treats
/// specially.
const HOSTILE: &str = r#"Smith & Sons <Ltd> "Quoted""#;

/// A person of the scratch gazetteers, in no shipped list.
const PERSON: &str = "Jonathan Whitlock";

/// A scratch database from `documents` (relative path, text), read with
/// the shipped gazetteers and relation rules plus a gazetteer naming
/// [`PERSON`] and the organisation `organisation`.
fn scratch(organisation: &str, documents: &[(&str, &str)]) -> Scratch {
    let s = Scratch::new();
    s.write("mine/people.tsv", format!("{PERSON}\n"));
    s.write("mine/organisations.tsv", format!("{organisation}\n"));
    for (path, text) in documents {
        s.write(path, text);
    }
    s.run(&["--gazetteer", "mine", "ingest", "docs"]).ok();
    s
}

#[test]
fn hostile_names_and_control_characters_come_back_intact() {
    let s = scratch(
        HOSTILE,
        &[(
            "docs/statement.txt",
            &format!(
                "{PERSON}, member of {HOSTILE}, rang\u{1} the bell\u{7} twice.\n\n\
                 {PERSON} leads {HOSTILE} since 2021.\n"
            ),
        )],
    );
    let graph = Graph::of(&s);
    let organisation = graph
        .nodes
        .iter()
        .find(|n| n.name == HOSTILE)
        .expect("the organisation is an entity");
    let person = graph
        .nodes
        .iter()
        .find(|n| n.name == PERSON)
        .expect("the person is an entity");
    let member = graph.edge(&person.id, &organisation.id, "member-of");
    assert_eq!(
        member.evidence[0].quote,
        format!("{PERSON}, member of {HOSTILE}, rang\u{1} the bell\u{7} twice.")
    );
    // What the exports must quote: the characters XML 1.0 forbids replaced.
    let quote = format!("{PERSON}, member of {HOSTILE}, rang\u{FFFD} the bell\u{FFFD} twice.");

    s.run(&["export", "graphml", "-o", "h.graphml"]).ok();
    s.run(&["export", "gexf", "-o", "h.gexf"]).ok();
    validate(&s, "graphml/graphml.xsd", "h.graphml");
    validate(&s, "gexf/gexf.xsd", "h.gexf");
    for (reader, file) in [
        ("networkx", "h.graphml"),
        ("igraph", "h.graphml"),
        ("gexf", "h.gexf"),
    ] {
        let read = read(&s, reader, file);
        assert_eq!(
            text(&read.nodes[&organisation.id], "label"),
            HOSTILE,
            "{reader}"
        );
        assert_eq!(text(&read.nodes[&person.id], "label"), PERSON, "{reader}");
        let edge = read
            .edges
            .iter()
            .find(|e| text(e, "label") == "member-of")
            .unwrap_or_else(|| panic!("{reader}: no member-of edge"));
        assert_eq!(text(edge, "source"), person.id);
        assert_eq!(text(edge, "target"), organisation.id);
        assert_eq!(text(edge, "quote"), quote, "{reader}");
        if reader == "gexf" {
            let leads = read
                .edges
                .iter()
                .find(|e| text(e, "label") == "leads")
                .expect("a leads edge");
            assert_eq!(text(leads, "start"), "2021-01-01");
            assert!(edge.get("start").is_none(), "{edge:?}");
        }
    }
}

/// The person both leads and is a member of the organisation: member-of
/// with two pieces of evidence in two documents, leads with one.
fn parallel() -> Scratch {
    scratch(
        "Northwind Harbour Trust",
        &[
            (
                "docs/a.txt",
                "Jonathan Whitlock, member of Northwind Harbour Trust, spoke first.\n\n\
                 Jonathan Whitlock leads Northwind Harbour Trust.\n",
            ),
            (
                "docs/b.txt",
                "Jonathan Whitlock, member of Northwind Harbour Trust, spoke again.\n",
            ),
        ],
    )
}

#[test]
fn merge_parallel_makes_one_edge_per_pair() {
    let s = parallel();
    let graph = Graph::of(&s);
    let mut kinds: Vec<(&str, usize)> = graph
        .edges
        .iter()
        .map(|e| (e.relation.as_str(), e.weight))
        .collect();
    kinds.sort();
    assert_eq!(kinds, [("leads", 1), ("member-of", 2)], "{:?}", graph.edges);

    // Without the flag: both edges, as parallel edges.
    s.run(&["export", "graphml", "-o", "parallel.graphml"]).ok();
    validate(&s, "graphml/graphml.xsd", "parallel.graphml");
    let parallel = read(&s, "networkx", "parallel.graphml");
    assert!(parallel.multigraph);
    check_edges(&parallel, &graph, true);

    // With it: one edge with the kinds joined, the weights summed, the
    // first edge's quote and every document.
    s.run(&[
        "export",
        "graphml",
        "--merge-parallel",
        "-o",
        "merged.graphml",
    ])
    .ok();
    validate(&s, "graphml/graphml.xsd", "merged.graphml");
    for reader in ["networkx", "igraph"] {
        let merged = read(&s, reader, "merged.graphml");
        assert!(!merged.multigraph, "{reader}");
        check_nodes(&merged, &graph, reader == "networkx");
        let [edge] = merged.edges.as_slice() else {
            panic!("{reader}: {:?}", merged.edges);
        };
        assert_eq!(text(edge, "source"), text(&parallel.edges[0], "source"));
        assert_eq!(text(edge, "target"), text(&parallel.edges[0], "target"));
        assert_eq!(text(edge, "label"), "leads + member-of", "{reader}");
        assert_eq!(text(edge, "relation"), "leads + member-of", "{reader}");
        assert_eq!(number(edge, "weight"), 3.0, "{reader}");
        assert_eq!(
            text(edge, "quote"),
            text(&parallel.edges[0], "quote"),
            "{reader}"
        );
        assert_eq!(
            text(edge, "documents"),
            "docs/a.txt; docs/b.txt",
            "{reader}"
        );
    }

    // GEXF keeps the two kinds apart.
    s.run(&["export", "gexf", "-o", "parallel.gexf"]).ok();
    validate(&s, "gexf/gexf.xsd", "parallel.gexf");
    let gexf = read(&s, "gexf", "parallel.gexf");
    assert!(gexf.multigraph);
    check_edges(&gexf, &graph, true);
    let kinds: BTreeSet<&str> = gexf
        .xml
        .as_ref()
        .expect("ElementTree's reading")
        .kinds
        .values()
        .map(String::as_str)
        .collect();
    assert_eq!(kinds, BTreeSet::from(["leads", "member-of"]));
}

#[test]
fn the_schemas_reject_what_they_should() {
    // The local schemas are what the tests above trust; make sure they are
    // not so lax that anything passes.
    let s = Scratch::with_fixture_graph();
    s.run(&["export", "graphml", "-o", "g.graphml"]).ok();
    s.run(&["export", "gexf", "-o", "g.gexf"]).ok();
    let rejects = |schema: &str, name: &str, text: String| {
        s.write(name, text);
        let output = Command::new(tool("xmllint"))
            .arg("--noout")
            .arg("--schema")
            .arg(manifest_dir().join("tests/schemas").join(schema))
            .arg(s.path().join(name))
            .output()
            .expect("run xmllint");
        assert!(
            !output.status.success(),
            "{name} validates against {schema}"
        );
    };
    let graphml = s.read("g.graphml");
    let gexf = s.read("g.gexf");
    // A `<data>` whose key is not declared.
    rejects(
        "graphml/graphml.xsd",
        "undeclared.graphml",
        graphml.replacen(r#"<data key="quote">"#, r#"<data key="d0">"#, 1),
    );
    // An edge to a node that does not exist.
    rejects(
        "graphml/graphml.xsd",
        "dangling.graphml",
        graphml.replacen(r#"target="entity:"#, r#"target="nowhere:"#, 1),
    );
    // A colour in the GEXF namespace instead of the viz one.
    rejects(
        "gexf/gexf.xsd",
        "colour.gexf",
        gexf.replace("viz:color", "color"),
    );
    // A start that is not a date.
    rejects(
        "gexf/gexf.xsd",
        "date.gexf",
        gexf.replacen(r#"start=""#, r#"start="about "#, 1),
    );
}
