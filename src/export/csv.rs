//! Two CSV files for Neo4j's bulk importer: `nodes.csv` and `edges.csv`,
//! read by `neo4j-admin database import full --nodes=nodes.csv
//! --relationships=edges.csv` with its default options.
//!
//! `nodes.csv` has the header
//! `id:ID,name,path,type,aliases:string[],mentions:long,documents:string[],:LABEL`:
//! the view's id (`entity:7`, `document:1`), the name (a document's
//! title), a document's path (empty for an entity, which the importer
//! leaves without the property), the type as dossier writes it (`person`),
//! the other names, the settled
//! mentions, the paths of the documents mentioning the node, and the type
//! capitalised as the node's label (`Person`, `Organisation`, `Place`,
//! `State`, `Document`).
//!
//! `edges.csv` has the header
//! `:START_ID,:END_ID,:TYPE,weight:long,quote,documents:string[],dates:string[],date_sources:string[],from,until,former:boolean`:
//! the subject's and the object's ids, the relation kind upper-cased with
//! `-` turned into `_` as the relationship type (`resides-in` becomes
//! `RESIDES_IN`), the pieces of evidence, the sentence of the first one,
//! the paths of the documents holding evidence, the dates the evidence
//! gives (ISO 8601 text, `--MM-DD` when the year is unknown, so strings and
//! not Neo4j dates) and where the text gives them (`sentence`, `paragraph`,
//! `dateline`, `letter`, `document`), and the period the evidence gives the
//! relation: `from` and `until` (ISO 8601 text as precise as the text,
//! empty when not given) and `former` (`true` when some evidence calls it a
//! role no longer held).
//!
//! Arrays are joined with `;`, the importer's default array delimiter, which
//! splits an array at every delimiter and has no escape for one inside a
//! value (its `ArrayExtractor` scans for the character; the Neo4j knowledge
//! base says to choose a delimiter the data never holds). So when a path or
//! an alias holds a `;`, the arrays are joined with `|` instead, or with the
//! ASCII unit separator U+001F when a value holds `|` too, and
//! [`write()`] says which ([`Written`]): the import then needs
//! `--array-delimiter`. Values are never altered for the delimiter's sake,
//! unless every one of those three occurs in them (U+001F then becomes a
//! space). Line breaks
//! in any cell are written as spaces, so the importer needs no
//! `--multiline-fields`. Quoting follows RFC 4180 (a `"` is doubled), which is
//! what the importer expects unless `--legacy-style-quoting` is given.
//!
//! A cell of text that comes from documents, gazetteers or file names
//! (names, paths, aliases, quotes) beginning with `=`, `+`, `-`, `@`, a tab
//! or a carriage return gets a leading `'` ([`crate::spreadsheet`], OWASP's
//! rule against CSV injection): investigators open these files in
//! spreadsheets, which would run such a cell as a formula. Neo4j keeps the
//! quote as part of the value. What dossier writes itself (ids, counts,
//! kinds, dates such as `--05-05`) is left as it is.
//!
//! Both files are written under a temporary name and renamed when complete,
//! so an interrupted export never leaves a half-written file under the final
//! name.

use super::ExportError;
use super::background::BackgroundWriter;
use super::target::Target;
use super::view::{EdgeView, NodeView, View};
use crate::model::NodeType;
use crate::spreadsheet::guarded as guarded_cell;
use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::path::Path;

/// The header of `nodes.csv`.
const NODE_HEADER: [&str; 8] = [
    "id:ID",
    "name",
    "path",
    "type",
    "aliases:string[]",
    "mentions:long",
    "documents:string[]",
    ":LABEL",
];

/// The header of `edges.csv`.
const EDGE_HEADER: [&str; 11] = [
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
    "former:boolean",
];

/// The array delimiters an export may use, in order of preference: the
/// importer's default, then characters names rarely hold.
const ARRAY_DELIMITERS: [char; 3] = [';', '|', '\u{1F}'];

/// What [`write()`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    /// The character joining array values: `;`, the importer's default,
    /// unless a value holds it (then the import needs
    /// `--array-delimiter`).
    pub array_delimiter: char,
}

/// Writes `nodes.csv` and `edges.csv` of `view` into `dir`, creating it if
/// need be and replacing files of those names (see [`Target`]: an export
/// that fails leaves the old ones).
pub fn write(view: &View<'_>, dir: &Path) -> Result<Written, ExportError> {
    let mut delimiter = ARRAY_DELIMITERS[ARRAY_DELIMITERS.len() - 1];
    for candidate in ARRAY_DELIMITERS {
        if !view.list_values_hold(candidate.encode_utf8(&mut [0; 4]))? {
            delimiter = candidate;
            break;
        }
    }
    std::fs::create_dir_all(dir)?;
    let nodes = Target::open(&dir.join("nodes.csv"))?;
    let edges = Target::open(&dir.join("edges.csv"))?;
    write_nodes(view, nodes.file()?, delimiter)?;
    write_edges(view, edges.file()?, delimiter)?;
    nodes.commit()?;
    edges.commit()?;
    Ok(Written {
        array_delimiter: delimiter,
    })
}

/// The label Neo4j gets for a node of type `kind`.
fn label(kind: NodeType) -> &'static str {
    match kind {
        NodeType::Person => "Person",
        NodeType::Organisation => "Organisation",
        NodeType::Place => "Place",
        NodeType::State => "State",
        NodeType::Document => "Document",
    }
}

/// The relationship type Neo4j gets for a relation kind: upper case, with
/// `_` for `-` (`resides-in` becomes `RESIDES_IN`).
fn relationship_type(relation: &str) -> String {
    relation.to_uppercase().replace('-', "_")
}

/// A CSV writer on `file`. The files run to a gigabyte: the system calls
/// happen on a thread of their own, a mebibyte at a time.
fn create(file: File) -> Result<csv::Writer<BackgroundWriter<File>>, ExportError> {
    Ok(csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(BackgroundWriter::new(file)))
}

/// Writes out what `out` holds and reports any failure of the writing.
fn finish(out: csv::Writer<BackgroundWriter<File>>) -> Result<(), ExportError> {
    let background = out
        .into_inner()
        .map_err(|e| io::Error::new(e.error().kind(), e.error().to_string()))?;
    background.finish()?;
    Ok(())
}

/// Writes the node file.
fn write_nodes(view: &View<'_>, file: File, delimiter: char) -> Result<(), ExportError> {
    let mut out = create(file)?;
    out.write_record(NODE_HEADER).map_err(io::Error::from)?;
    view.each_node(|node: &NodeView| {
        let mentions = node.mentions.to_string();
        let record = [
            cell(&node.id),
            cell(&node.label),
            cell(node.path.as_deref().unwrap_or_default()),
            Cow::Borrowed(node.kind.as_str()),
            guarded(array(&node.aliases, delimiter)),
            Cow::Borrowed(mentions.as_str()),
            guarded(array(&node.documents, delimiter)),
            Cow::Borrowed(label(node.kind)),
        ];
        out.write_record(record.iter().map(|c| c.as_bytes()))
            .map_err(io::Error::from)?;
        Ok(())
    })?;
    finish(out)
}

/// Writes the relationship file.
fn write_edges(view: &View<'_>, file: File, delimiter: char) -> Result<(), ExportError> {
    let mut out = create(file)?;
    out.write_record(EDGE_HEADER).map_err(io::Error::from)?;
    view.each_edge(|edge: &EdgeView| {
        let kind = relationship_type(&edge.relation);
        let weight = edge.weight.to_string();
        let record = [
            cell(&edge.source),
            cell(&edge.target),
            cell(&kind),
            Cow::Borrowed(weight.as_str()),
            cell(&edge.quote),
            guarded(array(&edge.documents, delimiter)),
            Cow::Owned(array(&edge.dates, delimiter)),
            Cow::Owned(array(&edge.date_sources, delimiter)),
            Cow::Borrowed(edge.from.as_deref().unwrap_or_default()),
            Cow::Borrowed(edge.until.as_deref().unwrap_or_default()),
            Cow::Borrowed(if edge.former { "true" } else { "false" }),
        ];
        out.write_record(record.iter().map(|c| c.as_bytes()))
            .map_err(io::Error::from)?;
        Ok(())
    })?;
    finish(out)
}

/// A single value as a cell: line breaks become spaces, and a formula is
/// guarded ([`formula_guarded`]).
fn cell(value: &str) -> Cow<'_, str> {
    match one_line(value) {
        Cow::Borrowed(value) => guarded_cell(value),
        Cow::Owned(value) => Cow::Owned(guarded_cell(&value).into_owned()),
    }
}

/// `value` with its line breaks made spaces.
fn one_line(value: &str) -> Cow<'_, str> {
    // This runs on every path of every node's document list: memchr scans
    // many bytes at a time.
    if memchr::memchr2(b'\n', b'\r', value.as_bytes()).is_some() {
        Cow::Owned(value.replace("\r\n", " ").replace(['\n', '\r'], " "))
    } else {
        Cow::Borrowed(value)
    }
}

/// An array cell of text from documents, gazetteers or file names,
/// guarded against formulas.
fn guarded(cell: String) -> Cow<'static, str> {
    match guarded_cell(&cell) {
        Cow::Borrowed(_) => Cow::Owned(cell),
        Cow::Owned(guarded) => Cow::Owned(guarded),
    }
}

/// Values as an array cell: joined with `delimiter` (which a value holds
/// only when every one of [`ARRAY_DELIMITERS`] occurs in the data: then it
/// becomes a space), line breaks made spaces, empty values left out (the
/// importer would read them as empty strings).
fn array<S: AsRef<str>>(values: &[S], delimiter: char) -> String {
    let mut joined = String::with_capacity(values.iter().map(|v| v.as_ref().len() + 1).sum());
    for value in values.iter().map(AsRef::as_ref).filter(|v| !v.is_empty()) {
        if !joined.is_empty() {
            joined.push(delimiter);
        }
        let value = one_line(value);
        if value.contains(delimiter) {
            joined.push_str(&value.replace(delimiter, " "));
        } else {
            joined.push_str(&value);
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_cells_keep_their_values_apart() {
        let values = vec![
            "Foo; Bar".to_string(),
            String::new(),
            "Baz\nQux".to_string(),
        ];
        // The delimiter chosen for data holding `;` keeps it.
        assert_eq!(array(&values, '|'), "Foo; Bar|Baz Qux");
        assert_eq!(array(&["a", "b"], ';'), "a;b");
        // Only when every delimiter occurs does the last one become a space.
        assert_eq!(array(&["x\u{1F}y", "z"], '\u{1F}'), "x y\u{1F}z");
        assert_eq!(array::<String>(&[], ';'), "");
    }

    #[test]
    fn cells_lose_line_breaks_only() {
        assert_eq!(cell("a\r\nb\rc\nd; \"e\""), "a b c d; \"e\"");
        assert!(matches!(cell("plain"), Cow::Borrowed("plain")));
    }

    /// Text cells are guarded against formulas (`crate::spreadsheet`),
    /// whole: a single value and an array.
    #[test]
    fn formulas_are_guarded() {
        // Whole cells: a single value and an array.
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(guarded(array(&["@home", "b"], ';')), "'@home;b");
        // Dates are dossier's own text, not guarded: a year-less date
        // stays `--MM-DD`.
        assert_eq!(array(&["--05-05"], ';'), "--05-05");
    }

    #[test]
    fn relationship_types_are_upper_snake_case() {
        assert_eq!(relationship_type("resides-in"), "RESIDES_IN");
        assert_eq!(relationship_type("appealed-to"), "APPEALED_TO");
        assert_eq!(relationship_type("signed"), "SIGNED");
    }
}
