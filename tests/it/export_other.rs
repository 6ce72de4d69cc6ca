//! `export csv`, `export ftm` and `export dot` on the fixture documents,
//! each read back by a reader that is not dossier: Python's `csv` module
//! for the Neo4j import files, the `followthemoney` package's model for the
//! FollowTheMoney entities, and Graphviz's `dot` for the DOT text. What they
//! read is compared with `export json`, the graph's stable contract: the
//! exports hold every document and every entity with a relation (the JSON
//! also lists entities that are only mentioned), and every relation.
//!
//! A name with every character the formats treat specially (`&`, `"`, `\`,
//! and `;` in an alias) must come back unchanged.

use crate::exported::{Graph, JsonEdge};
use crate::python::{run_python, tool};
use crate::support::Scratch;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// The organisation whose name holds every character the formats treat
/// specially.
const HOSTILE: &str = r#"Smith & Sons "Quoted" \ Ltd"#;

/// One document naming [`HOSTILE`] (an alias has a `;`), ingested with a
/// gazetteer of its own on top of the shipped ones, whose relation rules
/// find that Alla Dudayeva leads it and that it signed the statement.
fn hostile() -> Scratch {
    let s = Scratch::new();
    s.write(
        "mine/organisations.tsv",
        format!("{HOSTILE}\tSmith; Sons Ltd|SSQ\n"),
    );
    s.write(
        "docs/statement.txt",
        format!(
            "Statement by {HOSTILE}\n\n\
             Alla Dudayeva, head of {HOSTILE}, spoke in Kyiv on 3 June 2032.\n"
        ),
    );
    s.run(&["--gazetteer", "mine", "ingest", "docs"]).ok();
    s
}

impl Graph {
    /// The type of the node `id`.
    fn kind(&self, id: &str) -> &str {
        let node = self.nodes.iter().find(|n| n.id == id);
        &node.unwrap_or_else(|| panic!("no node {id}")).kind
    }
}

/// The types `neo4j-admin database import` knows in a header (`name:type`,
/// or `name:type[]` for an array).
const NEO4J_TYPES: [&str; 16] = [
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "byte",
    "short",
    "char",
    "string",
    "point",
    "date",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
];

/// Checks a header as `neo4j-admin` reads it: each of `special` exactly
/// once, no other `:`-only column, and every property column either untyped
/// or typed with a type Neo4j knows. Returns the column of each header.
#[track_caller]
fn neo4j_header(header: &[String], special: &[&str]) -> BTreeMap<String, usize> {
    for s in special {
        let count = header.iter().filter(|h| h.ends_with(s)).count();
        assert_eq!(count, 1, "{s} must appear once in {header:?}");
    }
    for h in header {
        if special.iter().any(|s| h.ends_with(s)) {
            continue;
        }
        let (name, kind) = h.rsplit_once(':').unwrap_or((h, "string"));
        assert!(!name.is_empty(), "a column without a name: {h}");
        let kind = kind.strip_suffix("[]").unwrap_or(kind);
        assert!(
            NEO4J_TYPES.contains(&kind),
            "Neo4j knows no type `{kind}` in {h}"
        );
    }
    let columns: BTreeMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.clone(), i))
        .collect();
    assert_eq!(
        columns.len(),
        header.len(),
        "duplicate columns in {header:?}"
    );
    columns
}

/// One CSV file as Python's `csv` module reads it.
#[derive(Debug, Deserialize)]
struct CsvFile {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// `nodes.csv` and `edges.csv` of `dir` as Python's `csv` module reads them.
#[derive(Debug, Deserialize)]
struct CsvExport {
    nodes: CsvFile,
    edges: CsvFile,
}

/// Reads the CSV export in `dir` with Python.
fn read_csv(s: &Scratch, dir: &str) -> CsvExport {
    let code = r#"
import csv, json, sys
out = {}
for name in ("nodes", "edges"):
    with open(f"{sys.argv[1]}/{name}.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    out[name] = {"header": rows[0], "rows": rows[1:]}
print(json.dumps(out))
"#;
    let dir = s.path().join(dir);
    let text = run_python(code, &[&dir.display().to_string()]);
    serde_json::from_str(&text).expect("the reader's JSON")
}

/// An array cell split as Neo4j splits it at `delimiter` (nothing for an
/// empty cell), its formula guard taken off.
fn split(cell: &str, delimiter: char) -> Vec<String> {
    let cell = unguarded(cell);
    if cell.is_empty() {
        Vec::new()
    } else {
        cell.split(delimiter).map(str::to_string).collect()
    }
}

/// What a spreadsheet reads as a formula at the start of a cell (OWASP).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell without the `'` that guards a formula.
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// The cell of `column` in `row`.
fn at<'a>(row: &'a [String], columns: &BTreeMap<String, usize>, column: &str) -> &'a str {
    &row[columns[column]]
}

/// Checks the CSV export in `dir` against `export json`, its arrays joined
/// with `delimiter`; returns it. No cell starts as a formula would.
#[track_caller]
fn check_csv(s: &Scratch, dir: &str, graph: &Graph, delimiter: char) -> CsvExport {
    let csv = read_csv(s, dir);
    // The cells of text from documents, gazetteers and file names.
    let text_columns = [
        "name",
        "path",
        "aliases:string[]",
        "documents:string[]",
        "quote",
    ];
    for file in [&csv.nodes, &csv.edges] {
        for row in &file.rows {
            for (cell, header) in row.iter().zip(&file.header) {
                if text_columns.contains(&header.as_str()) {
                    assert!(!cell.starts_with(FORMULA_STARTS), "{cell:?} in {row:?}");
                }
            }
        }
    }
    let n = neo4j_header(&csv.nodes.header, &[":ID", ":LABEL"]);
    let e = neo4j_header(&csv.edges.header, &[":START_ID", ":END_ID", ":TYPE"]);
    assert!(
        !csv.edges.header.iter().any(|h| h.ends_with(":ID")),
        "{:?}",
        csv.edges.header
    );
    let id = csv
        .nodes
        .header
        .iter()
        .find(|h| h.ends_with(":ID"))
        .expect("an id column");
    let exported = graph.exported();
    let mut ids = BTreeSet::new();
    for row in &csv.nodes.rows {
        assert_eq!(row.len(), csv.nodes.header.len(), "{row:?}");
        let node_id = at(row, &n, id);
        assert!(ids.insert(node_id.to_string()), "{node_id} twice");
        let json = exported
            .get(node_id)
            .unwrap_or_else(|| panic!("{node_id} is not a node of export json with a relation"));
        assert_eq!(unguarded(at(row, &n, "name")), json.label(), "{row:?}");
        assert_eq!(
            unguarded(at(row, &n, "path")),
            json.path.as_deref().unwrap_or_default(),
            "{row:?}"
        );
        assert_eq!(at(row, &n, "type"), json.kind, "{row:?}");
        let mut label = json.kind.clone();
        label[..1].make_ascii_uppercase();
        assert_eq!(at(row, &n, ":LABEL"), label, "{row:?}");
        assert_eq!(
            split(at(row, &n, "aliases:string[]"), delimiter),
            json.aliases
        );
        assert_eq!(
            split(at(row, &n, "documents:string[]"), delimiter),
            json.documents
        );
        let mentions: i64 = at(row, &n, "mentions:long").parse().expect("a long");
        assert_eq!(mentions, json.mentions, "{row:?}");
    }
    let wanted: BTreeSet<String> = exported.keys().map(|k| k.to_string()).collect();
    assert_eq!(ids, wanted, "nodes.csv against export json");

    let mut got = Vec::new();
    for row in &csv.edges.rows {
        assert_eq!(row.len(), csv.edges.header.len(), "{row:?}");
        for end in [":START_ID", ":END_ID"] {
            assert!(
                ids.contains(at(row, &e, end)),
                "{end} of {row:?} is no node"
            );
        }
        let weight: usize = at(row, &e, "weight:long").parse().expect("a long");
        got.push((
            at(row, &e, ":START_ID").to_string(),
            at(row, &e, ":END_ID").to_string(),
            at(row, &e, ":TYPE").to_string(),
            weight,
        ));
        let json = graph
            .edges
            .iter()
            .find(|j| {
                (j.source.as_str(), j.target.as_str())
                    == (at(row, &e, ":START_ID"), at(row, &e, ":END_ID"))
                    && j.relation.to_uppercase().replace('-', "_") == at(row, &e, ":TYPE")
            })
            .unwrap_or_else(|| panic!("{row:?} is not an edge of export json"));
        // The quote is the sentence with its whitespace collapsed, as the
        // view gives it.
        let quotes: Vec<String> = json
            .evidence
            .iter()
            .map(|v| v.quote.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert!(
            quotes.iter().any(|q| q == unguarded(at(row, &e, "quote"))),
            "{row:?}: the quote is none of {:?}",
            json.evidence
        );
        let documents: BTreeSet<String> =
            json.evidence.iter().map(|v| v.document.clone()).collect();
        let documents: Vec<String> = documents.into_iter().collect();
        assert_eq!(
            split(at(row, &e, "documents:string[]"), delimiter),
            documents
        );
        let dates: BTreeSet<String> = json
            .evidence
            .iter()
            .filter_map(|v| v.date.clone())
            .collect();
        let dates: Vec<String> = dates.into_iter().collect();
        assert_eq!(split(at(row, &e, "dates:string[]"), delimiter), dates);
    }
    let mut wanted: Vec<_> = graph
        .edges
        .iter()
        .map(|j| {
            (
                j.source.clone(),
                j.target.clone(),
                j.relation.to_uppercase().replace('-', "_"),
                j.weight,
            )
        })
        .collect();
    got.sort();
    wanted.sort();
    assert_eq!(got, wanted, "edges.csv against export json");
    csv
}

#[test]
fn csv_export_is_what_neo4j_admin_imports() {
    let s = Scratch::with_fixture_graph();
    let graph = Graph::of(&s);
    s.run(&["export", "csv", "-o", "out"]).ok();
    let csv = check_csv(&s, "out", &graph, ';');
    assert_eq!(
        csv.nodes.header,
        [
            "id:ID",
            "name",
            "path",
            "type",
            "aliases:string[]",
            "mentions:long",
            "documents:string[]",
            ":LABEL"
        ]
    );
    assert_eq!(
        csv.edges.header,
        [
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "weight:long",
            "quote",
            "documents:string[]",
            "dates:string[]",
            "date_sources:string[]",
            "from",
            "until",
            "former:boolean"
        ]
    );
    assert!(csv.nodes.rows.len() > 40, "{}", csv.nodes.rows.len());
    assert!(csv.edges.rows.len() > 30, "{}", csv.edges.rows.len());
    let types: BTreeSet<&str> = csv.edges.rows.iter().map(|r| r[2].as_str()).collect();
    for kind in ["SIGNED", "RESIDES_IN", "MEMBER_OF", "LEADS", "RECOGNISED"] {
        assert!(types.contains(kind), "no {kind} in {types:?}");
    }
    // No file is left under its temporary name.
    let mut files: Vec<String> = std::fs::read_dir(s.path().join("out"))
        .expect("the export's folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(files, ["edges.csv", "nodes.csv"]);
}

/// Checks a FollowTheMoney export with the `followthemoney` package: every
/// line an entity of a schema that exists and is not abstract, with an id
/// the model accepts and no other line has; every property one of its
/// schema, every value a string of the property's type (nothing the model
/// would clean away or change), required properties present, every
/// reference to an entity of the file within the property's range. Returns
/// the number of entities of each schema and of each (schema, role).
#[track_caller]
fn check_ftm(s: &Scratch, file: &str) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let code = r#"
import json, sys
from collections import Counter
from followthemoney import model, registry
from followthemoney.exc import InvalidData

problems, counts, roles, entities = [], Counter(), Counter(), {}
with open(sys.argv[1], encoding="utf-8") as f:
    lines = f.read().split("\n")
if lines[-1] != "":
    problems.append("the last line does not end with a line break")
for number, line in enumerate(lines[:-1], 1):
    data = json.loads(line)
    where = f"line {number} ({data.get('id')})"
    if list(data) != ["id", "schema", "properties"]:
        problems.append(f"{where}: fields {list(data)}")
    schema = model.get(data.get("schema"))
    if schema is None or schema.abstract:
        problems.append(f"{where}: no schema {data.get('schema')!r}")
        continue
    if not registry.entity.validate(data["id"]) or not data["id"].startswith("dossier-"):
        problems.append(f"{where}: bad id")
    if data["id"] in entities:
        problems.append(f"{where}: the id is taken")
    entities[data["id"]] = (where, schema, data)
    counts[schema.name] += 1
    for role in data["properties"].get("role", []):
        roles[f"{schema.name} {role}"] += 1

for where, schema, data in entities.values():
    properties = data["properties"]
    for name, values in properties.items():
        prop = schema.properties.get(name)
        if prop is None:
            problems.append(f"{where}: {schema.name} has no property {name}")
            continue
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            problems.append(f"{where}: {name} is not a list of strings: {values!r}")
            continue
        if prop.type == registry.entity:
            for value in values:
                if value not in entities:
                    problems.append(f"{where}: {name} points at {value}, not in the file")
                elif prop.range is not None and not entities[value][1].is_a(prop.range):
                    problems.append(f"{where}: {name} is a {entities[value][1].name}, not a {prop.range.name}")
    try:
        schema.validate(data)
    except InvalidData as e:
        problems.append(f"{where}: {e.errors}")
    for name in schema.required:
        if not properties.get(name):
            problems.append(f"{where}: required {name} missing")
    proxy = model.get_proxy(data, cleaned=False)
    cleaned = {k: sorted(v) for k, v in proxy.to_dict()["properties"].items()}
    if cleaned != {k: sorted(v) for k, v in properties.items()}:
        problems.append(f"{where}: the model cleans {properties} into {cleaned}")

print(json.dumps({"problems": problems, "counts": counts, "roles": roles}))
"#;
    #[derive(Deserialize)]
    struct Report {
        problems: Vec<String>,
        counts: BTreeMap<String, usize>,
        roles: BTreeMap<String, usize>,
    }
    let path = s.path().join(file);
    let report: Report =
        serde_json::from_str(&run_python(code, &[&path.display().to_string()])).expect("JSON");
    assert!(
        report.problems.is_empty(),
        "{file} is not valid FollowTheMoney:\n{}",
        report.problems.join("\n")
    );
    (report.counts, report.roles)
}

/// The FollowTheMoney schema the export gives an edge of `graph`.
fn link_schema(graph: &Graph, edge: &JsonEdge) -> &'static str {
    let (source, target) = (graph.kind(&edge.source), graph.kind(&edge.target));
    let legal = |k: &str| matches!(k, "person" | "organisation" | "state");
    let organization = |k: &str| matches!(k, "organisation" | "state");
    match edge.relation.as_str() {
        "member-of" if legal(source) && organization(target) => "Membership",
        "leads" if legal(source) && organization(target) => "Directorship",
        "signed" if target == "document" => "Documentation",
        _ => "UnknownLink",
    }
}

#[test]
fn ftm_export_is_valid_followthemoney() {
    let s = Scratch::with_fixture_graph();
    let graph = Graph::of(&s);
    s.run(&["export", "ftm", "-o", "g.ftm"]).ok();
    let (counts, roles) = check_ftm(&s, "g.ftm");
    let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
    for node in graph.exported().values() {
        let schema = match node.kind.as_str() {
            "person" => "Person",
            "organisation" => "Organization",
            "state" => "PublicBody",
            "place" => "Address",
            "document" => "Document",
            other => panic!("a node of type {other}"),
        };
        *wanted.entry(schema.to_string()).or_default() += 1;
    }
    let mut wanted_roles: BTreeMap<String, usize> = BTreeMap::new();
    for edge in &graph.edges {
        let schema = link_schema(&graph, edge);
        *wanted.entry(schema.to_string()).or_default() += 1;
        let role = match schema {
            "Membership" => "member",
            "Directorship" => "leads",
            _ => &edge.relation,
        };
        *wanted_roles.entry(format!("{schema} {role}")).or_default() += 1;
    }
    assert_eq!(counts, wanted);
    assert_eq!(roles, wanted_roles);
    for schema in [
        "Person",
        "Organization",
        "PublicBody",
        "Address",
        "Document",
    ] {
        assert!(counts.contains_key(schema), "no {schema} in {counts:?}");
    }
    for schema in ["Membership", "Directorship", "Documentation", "UnknownLink"] {
        assert!(counts.contains_key(schema), "no {schema} in {counts:?}");
    }
    // A document's title is its `title`, its path its `fileName`.
    let text = s.read("g.ftm");
    let mut documents = 0;
    for line in text.lines() {
        let entity: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        if entity["schema"] != "Document" {
            continue;
        }
        let id = entity["id"]
            .as_str()
            .and_then(|id| id.strip_prefix("dossier-document-"))
            .expect("a document id");
        let json = graph
            .nodes
            .iter()
            .find(|n| n.id == format!("document:{id}"))
            .expect("the document in export json");
        let properties = &entity["properties"];
        assert_eq!(
            properties["title"],
            serde_json::json!([json.name]),
            "{line}"
        );
        assert_eq!(
            properties["fileName"],
            serde_json::json!([json.path.as_deref().expect("a path")]),
            "{line}"
        );
        documents += 1;
    }
    assert!(documents > 0);
    // A `--MM-DD` date is dropped, a full one kept.
    assert!(!text.contains("\"--"), "{text}");
    assert!(text.contains("\"date\":[\"20"), "{text}");
}

/// What Graphviz drew: every node's and edge's title and texts, read from
/// the SVG, and every node's shape and fill colour and every edge's pen
/// width, read from its JSON output.
#[derive(Debug, Deserialize)]
struct Drawing {
    nodes: BTreeMap<String, Vec<String>>,
    edges: Vec<(String, Vec<String>)>,
    shapes: BTreeMap<String, (String, String)>,
    paths: BTreeMap<String, String>,
    penwidths: Vec<(String, String, String, f64)>,
}

/// Draws `file` with Graphviz as SVG and as JSON, and reads both.
#[track_caller]
fn draw(s: &Scratch, file: &str) -> Drawing {
    let dot = tool("dot");
    for format in ["svg", "json"] {
        let output = Command::new(&dot)
            .current_dir(s.path())
            .args([
                format!("-T{format}").as_str(),
                file,
                "-o",
                &format!("g.{format}"),
            ])
            .output()
            .expect("run dot");
        assert!(
            output.status.success() && output.stderr.is_empty(),
            "dot -T{format} {file}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let code = r#"
import json, sys
import xml.etree.ElementTree as ET
svg = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1] + "/g.svg").getroot()
nodes, edges = {}, []
for g in root.iter(svg + "g"):
    kind = g.get("class")
    if kind not in ("node", "edge"):
        continue
    title = g.find(svg + "title").text
    texts = [t.text for t in g.iter(svg + "text")]
    if kind == "node":
        nodes[title] = texts
    else:
        edges.append((title, texts))
with open(sys.argv[1] + "/g.json", encoding="utf-8") as f:
    drawn = json.load(f)
objects = drawn.get("objects", [])
shapes = {o["name"]: (o["shape"], o["fillcolor"]) for o in objects}
paths = {o["name"]: o["path"] for o in objects if "path" in o}
penwidths = [(objects[e["tail"]]["name"], objects[e["head"]]["name"], e["label"], float(e["penwidth"]))
             for e in drawn.get("edges", [])]
print(json.dumps({"nodes": nodes, "edges": edges, "shapes": shapes, "paths": paths, "penwidths": penwidths}))
"#;
    let out = run_python(code, &[&s.path().display().to_string()]);
    serde_json::from_str(&out).expect("the reader's JSON")
}

#[test]
fn dot_export_draws_with_graphviz() {
    let s = Scratch::with_fixture_graph();
    let graph = Graph::of(&s);
    s.run(&["export", "dot", "-o", "g.dot"]).ok();
    assert!(s.read("g.dot").starts_with("digraph dossier {\n"));
    let drawing = draw(&s, "g.dot");
    let exported = graph.exported();
    let ids: BTreeSet<&str> = drawing.nodes.keys().map(String::as_str).collect();
    assert_eq!(ids, exported.keys().copied().collect::<BTreeSet<_>>());
    for (id, node) in &exported {
        // A document's title may be drawn on several lines.
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            words(&drawing.nodes[*id].join(" ")),
            words(node.label()),
            "the text of {id}"
        );
        if node.kind != "document" {
            assert_eq!(drawing.nodes[*id].len(), 1, "the text of {id}");
        }
        assert_eq!(
            drawing.paths.get(*id),
            node.path.as_ref(),
            "the path of {id}"
        );
        let (shape, colour) = &drawing.shapes[*id];
        let wanted = match node.kind.as_str() {
            "person" => "ellipse",
            "organisation" => "box",
            "place" => "house",
            "state" => "hexagon",
            _ => "folder",
        };
        assert_eq!(shape, wanted, "{id}");
        assert!(
            colour.starts_with('#') && colour.len() == 7,
            "{id}: {colour}"
        );
    }
    assert!(
        exported
            .values()
            .any(|n| n.kind == "document" && drawing.nodes[&n.id].len() > 1),
        "no long title drawn on several lines"
    );
    let colours: BTreeSet<&String> = drawing.shapes.values().map(|(_, c)| c).collect();
    assert_eq!(colours.len(), 5, "one colour per type: {colours:?}");
    assert_eq!(drawing.edges.len(), graph.edges.len());
    let mut got: Vec<(String, String, String, f64)> = drawing.penwidths.clone();
    let mut wanted: Vec<(String, String, String, f64)> = graph
        .edges
        .iter()
        .map(|e| {
            let width = 1.0 + (e.weight as f64).log2();
            (
                e.source.clone(),
                e.target.clone(),
                e.relation.clone(),
                (width * 100.0).round() / 100.0,
            )
        })
        .collect();
    got.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
    wanted.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
    assert_eq!(got, wanted);
    assert!(
        wanted.iter().any(|w| w.3 > 1.0),
        "no edge of weight 2 or more"
    );
    for (title, texts) in &drawing.edges {
        assert_eq!(texts.len(), 1, "{title}: {texts:?}");
    }
}

#[test]
fn a_hostile_name_survives_every_export() {
    let s = hostile();
    let graph = Graph::of(&s);
    let hostile = graph
        .nodes
        .iter()
        .find(|n| n.name == HOSTILE)
        .unwrap_or_else(|| panic!("{HOSTILE} was not found: {graph:?}"));
    assert_eq!(hostile.aliases, ["SSQ", "Smith; Sons Ltd"]);
    let relations: BTreeSet<&str> = graph.edges.iter().map(|e| e.relation.as_str()).collect();
    assert_eq!(relations, BTreeSet::from(["leads", "signed"]));

    // An alias holds `;`: the arrays are joined with `|`, and a note says so.
    let run = s.run(&["export", "csv", "-o", "out"]).ok();
    assert!(run.stderr.contains("joined with `|`"), "{}", run.stderr);
    let csv = check_csv(&s, "out", &graph, '|');
    let row = csv
        .nodes
        .rows
        .iter()
        .find(|r| r[0] == hostile.id)
        .expect("the organisation's row");
    assert_eq!(row[1], HOSTILE);
    assert_eq!(row[2], "", "an entity has no path");
    assert_eq!(split(&row[4], '|'), ["SSQ", "Smith; Sons Ltd"]);
    assert!(csv.edges.rows.iter().any(|r| r[4].contains(HOSTILE)));
    let raw = s.read("out/nodes.csv");
    assert!(raw.contains(r#""Smith & Sons ""Quoted"" \ Ltd""#), "{raw}");

    s.run(&["export", "dot", "-o", "g.dot"]).ok();
    let drawing = draw(&s, "g.dot");
    assert_eq!(drawing.nodes[&hostile.id], [HOSTILE]);
    assert_eq!(drawing.shapes[&hostile.id].0, "box");

    s.run(&["export", "ftm", "-o", "g.ftm"]).ok();
    let (counts, roles) = check_ftm(&s, "g.ftm");
    assert_eq!(counts["Organization"], 1);
    assert_eq!(counts["Directorship"], 1);
    assert_eq!(roles["Documentation signed"], 1);
    let entity: Value = s
        .read("g.ftm")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .find(|v| v["schema"] == "Organization")
        .expect("the organisation");
    assert_eq!(entity["properties"]["name"], serde_json::json!([HOSTILE]));
    assert_eq!(
        entity["properties"]["alias"],
        serde_json::json!(["SSQ", "Smith; Sons Ltd"])
    );
}

#[test]
fn ftm_falls_back_to_unknown_links_and_drops_dates_without_a_year() {
    // A rule of the test's own makes a place the organisation of a
    // membership, which FollowTheMoney's `Membership` cannot hold, and the
    // text gives a day without a year.
    let s = Scratch::new();
    s.write(
        "mine/relations/town.rules",
        "[member-of-town]\nrelation    = member-of\nform        = role\n\
         triggers    = citizen\npreposition = of\nsubject     = person\n\
         object      = place\nconfidence  = 0.8\n",
    );
    s.write(
        "docs/note.txt",
        "Alla Dudayeva, citizen of Kyiv, spoke there on 5 May.\n",
    );
    s.run(&["--gazetteer", "mine", "ingest", "docs"]).ok();
    let graph = Graph::of(&s);
    assert_eq!(graph.edges.len(), 1, "{graph:?}");
    assert_eq!(graph.edges[0].relation, "member-of");
    assert_eq!(graph.edges[0].evidence[0].date.as_deref(), Some("--05-05"));

    s.run(&["export", "ftm", "-o", "g.ftm"]).ok();
    let (counts, roles) = check_ftm(&s, "g.ftm");
    assert_eq!(counts.get("Membership"), None, "{counts:?}");
    assert_eq!(roles["UnknownLink member-of"], 1, "{roles:?}");
    let link: Value = s
        .read("g.ftm")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .find(|v| v["schema"] == "UnknownLink")
        .expect("the link");
    assert_eq!(link["properties"].get("date"), None, "{link}");

    // The CSV keeps the date as the text gives it: a string, not a date.
    s.run(&["export", "csv", "-o", "out"]).ok();
    let csv = check_csv(&s, "out", &graph, ';');
    assert_eq!(csv.edges.rows[0][6], "--05-05");
}

/// Hostile organisation names and file names, one document each: every
/// export format must still parse with its reader, and every CSV must
/// keep a spreadsheet from reading a cell as a formula. Before, a control
/// character made `export svg` invalid XML, and CSV cells began with `=`,
/// `+`, `-` and `@` as they were; a `;` in a path became `,` in the Neo4j
/// arrays.
#[test]
fn hostile_names_parse_in_every_format() {
    // (organisation, the document's file name)
    let cases = [
        ("Union\u{7}of Bakers", "bell.txt"),
        ("=HYPERLINK(\"http://x.example\") Group", "formula.txt"),
        ("+Plus Cooperative", "plus.txt"),
        ("-Minus Association", "minus.txt"),
        ("@Home Society", "at.txt"),
        ("Semicolon Federation", "a;b\u{1b}.txt"),
    ];
    let s = Scratch::new();
    let names: Vec<&str> = cases.iter().map(|(name, _)| *name).collect();
    s.write("mine/organisations.tsv", names.join("\n") + "\n");
    for (name, file) in cases {
        s.write(
            &format!("docs/{file}"),
            format!(
                "Statement\u{1b} by {name}\n\n\
                 Alla Dudayeva, head of {name}, spoke in Kyiv on 3 June 2032.\n"
            ),
        );
    }
    s.run(&["--gazetteer", "mine", "ingest", "docs"]).ok();
    let graph = Graph::of(&s);
    for name in &names {
        assert!(
            graph.nodes.iter().any(|n| n.name == *name),
            "{name:?} is no node: {graph:?}"
        );
    }

    let xml_parses = |file: &str| {
        let output = Command::new(tool("xmllint"))
            .arg("--noout")
            .arg(s.path().join(file))
            .output()
            .expect("run xmllint");
        assert!(
            output.status.success(),
            "{file} is not XML:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    for (format, file) in [
        ("svg", "g.svg"),
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
    ] {
        s.run(&["export", format, "-o", file]).ok();
        xml_parses(file);
    }
    s.run(&["export", "dot", "-o", "g.dot"]).ok();
    let drawing = draw(&s, "g.dot");
    assert_eq!(drawing.nodes.len(), graph.exported().len());
    s.run(&["export", "ftm", "-o", "g.ftm"]).ok();
    check_ftm(&s, "g.ftm");

    // The path holding `;` is one array value, intact.
    s.run(&["export", "csv", "-o", "out"]).ok();
    let csv = check_csv(&s, "out", &graph, '|');
    assert!(
        csv.nodes
            .rows
            .iter()
            .any(|r| split(&r[6], '|').contains(&"docs/a;b\u{1b}.txt".to_string())),
        "{:?}",
        csv.nodes.rows
    );
    // The listings' CSV, read by Python: no cell starts as a formula, and
    // each name comes back behind its guard.
    let code = r#"
import csv, io, json, sys
print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read()), strict=True))))
"#;
    for listing in ["entities", "documents"] {
        let run = s.run(&[listing, "--format", "csv"]).ok();
        let mut python = Command::new(crate::python::python())
            .args(["-c", code])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("run python");
        use std::io::Write as _;
        python
            .stdin
            .take()
            .unwrap()
            .write_all(run.stdout.as_bytes())
            .unwrap();
        let output = python.wait_with_output().unwrap();
        assert!(output.status.success(), "{listing}: {run:?}");
        let rows: Vec<Vec<String>> = serde_json::from_slice(&output.stdout).unwrap();
        for row in &rows {
            for cell in row {
                assert!(!cell.starts_with(FORMULA_STARTS), "{listing}: {row:?}");
            }
        }
        if listing == "entities" {
            for name in &names {
                assert!(
                    rows.iter().any(|r| unguarded(&r[1]) == *name),
                    "{name:?} in {rows:?}"
                );
            }
        }
    }
}
