//! GraphML 1.0, written so that Gephi, yEd, networkx and igraph open it as
//! is and `xmllint --schema graphml.xsd` accepts it.
//!
//! Format choices:
//! - One directed graph (`edgedefault="directed"`). Node and edge ids are the
//!   view's stable ids (`entity:7`, `document:1`, `relation:12`), which are
//!   XML name tokens as the schema requires.
//! - Every `<key>` has a descriptive id (never `d0`, `d1`, …), an explicit
//!   `for` and an `attr.type`. Key ids are unique in the file, so the edge
//!   label is `edge-label` and the edge documents `edge-documents`; their
//!   `attr.name` is still `label` and `documents`, the names Gephi and
//!   networkx show.
//! - Nodes: `label` (the canonical name, or a document's title), `path` (a
//!   document's path; left out for entities), `type`
//!   (`person`, `organisation`, `place`, `state`, `document`), `aliases`
//!   (joined with ` | `; left out when there are none), `mentions` (`long`)
//!   and `documents` (paths joined with `; `). GraphML has no list type, so
//!   lists are joined into one string.
//! - Edges: `label` (the relation kind), `relation` (the same), `weight`
//!   (`double`: the number of pieces of evidence, which Gephi takes as the
//!   edge weight), `quote` (the sentence of the first piece of evidence),
//!   `documents` (joined with `; `), `dates` (the dates the evidence gives,
//!   ISO 8601 joined with `; `) and `date_sources` (where the text gives
//!   them: `sentence`, `paragraph`, `dateline`, `letter`, `document`), each
//!   left out when empty; and the period its evidence gives the relation:
//!   `from` and `until` (ISO 8601, as precise as the text) and `former`
//!   (`boolean`, written only when true), each left out when absent.
//! - All text goes through `escape`: markup characters and quotes become
//!   entity references, tab, line feed and carriage return become character
//!   references (so attribute normalisation cannot turn them into spaces),
//!   and the characters XML 1.0 forbids become U+FFFD.
//! - Nodes and edges are written one at a time as the view hands them over,
//!   so memory does not grow with the graph, except with `merge_parallel`.
//!
//! With `merge_parallel`, all edges from one node to another become one
//! edge, which is what Gephi does on import anyway (it sums the weights of
//! parallel edges): its label and relation join the kinds in alphabetical
//! order (`leads + member-of`), its weight is the total evidence, its quote
//! the first edge's, its documents, dates and date sources the union, its
//! period from the earliest start to the latest end, `former` if any is. The edges are grouped by
//! (source, target) before any is written, so in this mode memory grows with
//! the number of node pairs (each keeps its kinds, weight, first quote and
//! documents). The merged edge keeps the id of the first edge of its pair.

use super::ExportError;
use super::view::{EdgeView, NodeView, View};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::{BufWriter, Write};

/// Everything before the first node: the root element, the keys and the
/// opening of the graph.
const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="path" for="node" attr.name="path" attr.type="string"/>
  <key id="type" for="node" attr.name="type" attr.type="string"/>
  <key id="aliases" for="node" attr.name="aliases" attr.type="string"/>
  <key id="mentions" for="node" attr.name="mentions" attr.type="long"/>
  <key id="documents" for="node" attr.name="documents" attr.type="string"/>
  <key id="edge-label" for="edge" attr.name="label" attr.type="string"/>
  <key id="relation" for="edge" attr.name="relation" attr.type="string"/>
  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>
  <key id="quote" for="edge" attr.name="quote" attr.type="string"/>
  <key id="edge-documents" for="edge" attr.name="documents" attr.type="string"/>
  <key id="dates" for="edge" attr.name="dates" attr.type="string"/>
  <key id="date-sources" for="edge" attr.name="date_sources" attr.type="string"/>
  <key id="from" for="edge" attr.name="from" attr.type="string"/>
  <key id="until" for="edge" attr.name="until" attr.type="string"/>
  <key id="former" for="edge" attr.name="former" attr.type="boolean"/>
  <graph id="dossier" edgedefault="directed">
"#;

/// Everything after the last edge.
const FOOTER: &str = "  </graph>\n</graphml>\n";

/// Writes `view` as GraphML; with `merge_parallel`, one edge per ordered
/// pair of nodes (see the module documentation).
pub fn write(
    view: &View<'_>,
    out: &mut dyn Write,
    merge_parallel: bool,
) -> Result<(), ExportError> {
    let mut out = BufWriter::new(out);
    out.write_all(HEADER.as_bytes())?;
    view.each_node(|node| write_node(&mut out, node))?;
    if merge_parallel {
        for edge in merge(view)? {
            let label = edge.kinds.join(" + ");
            let documents: Vec<String> = edge.documents.into_iter().collect();
            let dates: Vec<String> = edge.dates.into_iter().collect();
            let date_sources: Vec<String> = edge.date_sources.into_iter().collect();
            write_edge(
                &mut out,
                &Edge {
                    id: &edge.id,
                    source: &edge.source,
                    target: &edge.target,
                    label: &label,
                    weight: edge.weight,
                    quote: &edge.quote,
                    documents: &documents,
                    dates: &dates,
                    date_sources: &date_sources,
                    from: edge.from.as_deref(),
                    until: edge.until.as_deref(),
                    former: edge.former,
                },
            )?;
        }
    } else {
        view.each_edge(|edge| {
            write_edge(
                &mut out,
                &Edge {
                    id: &edge.id,
                    source: &edge.source,
                    target: &edge.target,
                    label: &edge.relation,
                    weight: u64::from(edge.weight),
                    quote: &edge.quote,
                    documents: &edge.documents,
                    dates: &edge.dates,
                    date_sources: &edge.date_sources,
                    from: edge.from.as_deref(),
                    until: edge.until.as_deref(),
                    former: edge.former,
                },
            )
        })?;
    }
    out.write_all(FOOTER.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Writes one `<node>` with its data.
fn write_node(out: &mut impl Write, node: &NodeView) -> Result<(), ExportError> {
    writeln!(out, "    <node id=\"{}\">", escape(&node.id))?;
    data(out, "label", &node.label)?;
    if let Some(path) = &node.path {
        data(out, "path", path)?;
    }
    data(out, "type", node.kind.as_str())?;
    if !node.aliases.is_empty() {
        data(out, "aliases", &node.aliases.join(" | "))?;
    }
    data(out, "mentions", &node.mentions.to_string())?;
    // The longest data of all (an entity named in thousands of documents):
    // written piece by piece rather than joined first.
    write!(out, "      <data key=\"documents\">")?;
    for (i, document) in node.documents.iter().enumerate() {
        if i > 0 {
            out.write_all(b"; ")?;
        }
        out.write_all(escape(document).as_bytes())?;
    }
    writeln!(out, "</data>")?;
    writeln!(out, "    </node>")?;
    Ok(())
}

/// What one `<edge>` holds, merged or not.
struct Edge<'a> {
    /// The edge id.
    id: &'a str,
    /// The source node id.
    source: &'a str,
    /// The target node id.
    target: &'a str,
    /// The relation kind, or the kinds joined with ` + `.
    label: &'a str,
    /// Pieces of evidence.
    weight: u64,
    /// The sentence of the first piece of evidence.
    quote: &'a str,
    /// Paths of the documents holding evidence.
    documents: &'a [String],
    /// The dates the evidence gives.
    dates: &'a [String],
    /// Where the text gives them.
    date_sources: &'a [String],
    /// Since when the relation held.
    from: Option<&'a str>,
    /// Until when it held.
    until: Option<&'a str>,
    /// Whether some evidence calls it former.
    former: bool,
}

/// Writes one `<edge>` with its data.
fn write_edge(out: &mut impl Write, edge: &Edge<'_>) -> Result<(), ExportError> {
    writeln!(
        out,
        "    <edge id=\"{}\" source=\"{}\" target=\"{}\">",
        escape(edge.id),
        escape(edge.source),
        escape(edge.target)
    )?;
    data(out, "edge-label", edge.label)?;
    data(out, "relation", edge.label)?;
    data(out, "weight", &edge.weight.to_string())?;
    data(out, "quote", edge.quote)?;
    data(out, "edge-documents", &edge.documents.join("; "))?;
    if !edge.dates.is_empty() {
        data(out, "dates", &edge.dates.join("; "))?;
    }
    if !edge.date_sources.is_empty() {
        data(out, "date-sources", &edge.date_sources.join("; "))?;
    }
    if let Some(from) = edge.from {
        data(out, "from", from)?;
    }
    if let Some(until) = edge.until {
        data(out, "until", until)?;
    }
    if edge.former {
        data(out, "former", "true")?;
    }
    writeln!(out, "    </edge>")?;
    Ok(())
}

/// Writes `<data key="key">value</data>`, the value escaped.
fn data(out: &mut impl Write, key: &str, value: &str) -> Result<(), ExportError> {
    writeln!(out, "      <data key=\"{key}\">{}</data>", escape(value))?;
    Ok(())
}

/// The edges of one ordered pair of nodes, merged.
struct Merged {
    /// The id of the pair's first edge.
    id: String,
    /// The source node id.
    source: String,
    /// The target node id.
    target: String,
    /// The relation kinds, sorted, without repeats.
    kinds: Vec<String>,
    /// Total pieces of evidence.
    weight: u64,
    /// The first edge's quote.
    quote: String,
    /// Every document holding evidence of any of the edges.
    documents: BTreeSet<String>,
    /// Every date their evidence gives.
    dates: BTreeSet<String>,
    /// Where the text gives them.
    date_sources: BTreeSet<String>,
    /// The earliest start any of them has.
    from: Option<String>,
    /// The latest end any of them has.
    until: Option<String>,
    /// Whether any of them is former.
    former: bool,
}

/// Groups the view's edges by ordered pair of nodes, in the order the pairs
/// first appear.
fn merge(view: &View<'_>) -> Result<Vec<Merged>, ExportError> {
    let mut merged: Vec<Merged> = Vec::new();
    let mut index: FxHashMap<(String, String), usize> = FxHashMap::default();
    view.each_edge(|edge: &EdgeView| {
        let key = (edge.source.clone(), edge.target.clone());
        match index.get(&key) {
            Some(&i) => {
                let pair = &mut merged[i];
                if let Err(at) = pair.kinds.binary_search(&edge.relation) {
                    pair.kinds.insert(at, edge.relation.clone());
                }
                pair.weight += u64::from(edge.weight);
                pair.documents.extend(edge.documents.iter().cloned());
                pair.dates.extend(edge.dates.iter().cloned());
                pair.date_sources.extend(edge.date_sources.iter().cloned());
                pair.from = match (pair.from.take(), edge.from.clone()) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                pair.until = match (pair.until.take(), edge.until.clone()) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                pair.former |= edge.former;
            }
            None => {
                index.insert(key, merged.len());
                merged.push(Merged {
                    id: edge.id.clone(),
                    source: edge.source.clone(),
                    target: edge.target.clone(),
                    kinds: vec![edge.relation.clone()],
                    weight: u64::from(edge.weight),
                    quote: edge.quote.clone(),
                    documents: edge.documents.iter().cloned().collect(),
                    dates: edge.dates.iter().cloned().collect(),
                    date_sources: edge.date_sources.iter().cloned().collect(),
                    from: edge.from.clone(),
                    until: edge.until.clone(),
                    former: edge.former,
                });
            }
        }
        Ok(())
    })?;
    Ok(merged)
}

/// `text` made safe for XML 1.0 element content and attribute values: `&`,
/// `<`, `>`, `"` and `'` become entity references; tab, line feed and
/// carriage return become character references, so that a parser's
/// attribute and line-end normalisation gives them back unchanged; the
/// characters XML 1.0 does not allow at all (the C0 controls other than
/// those three, U+FFFE and U+FFFF) become U+FFFD.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let next_flagged = |from: usize| {
        bytes[from..]
            .iter()
            .position(|&b| FLAGGED[usize::from(b)])
            .map(|k| from + k)
    };
    // Nearly every text has no flagged byte and is borrowed as it is.
    let Some(mut at) = next_flagged(0) else {
        return Cow::Borrowed(text);
    };
    let mut escaped = String::new();
    let mut copied = 0;
    loop {
        // A flagged byte is ASCII or a lead byte: a character starts here.
        let c = text[at..].chars().next().expect("a character starts here");
        let replacement = match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '"' => Some("&quot;"),
            '\'' => Some("&apos;"),
            '\t' => Some("&#9;"),
            '\n' => Some("&#10;"),
            '\r' => Some("&#13;"),
            c if forbidden(c) => Some("\u{FFFD}"),
            _ => None,
        };
        if let Some(replacement) = replacement {
            if escaped.is_empty() {
                escaped.reserve(text.len() + 16);
            }
            escaped.push_str(&text[copied..at]);
            escaped.push_str(replacement);
            copied = at + c.len_utf8();
        }
        match next_flagged(at + c.len_utf8()) {
            Some(next) => at = next,
            None => break,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    escaped.push_str(&text[copied..]);
    Cow::Owned(escaped)
}

/// The bytes [`escape`] looks at: the C0 controls, the five markup
/// characters, and 0xEF, the first byte of U+FFFE and U+FFFF (and of other
/// characters, which stay as they are).
static FLAGGED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table[0xEF] = true;
    table
};

/// Whether XML 1.0 forbids `c` anywhere in a document, even as a character
/// reference (its `Char` production). Surrogates cannot occur in a Rust
/// string, so only these remain.
/// Whether XML 1.0 forbids `c` anywhere in a document (the GraphML, GEXF
/// and DOT exports write U+FFFD for it; Graphviz copies DOT labels into SVG).
pub(crate) fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_table() {
        let table: &[(&str, &str)] = &[
            ("", ""),
            ("plain text", "plain text"),
            ("Smith & Sons", "Smith &amp; Sons"),
            ("<Ltd>", "&lt;Ltd&gt;"),
            ("\"Quoted\"", "&quot;Quoted&quot;"),
            ("O'Brien", "O&apos;Brien"),
            ("&amp;", "&amp;amp;"),
            ("]]>", "]]&gt;"),
            ("a\tb", "a&#9;b"),
            ("a\nb", "a&#10;b"),
            ("a\r\nb", "a&#13;&#10;b"),
            ("nul\u{0}here", "nul\u{FFFD}here"),
            ("bell\u{7}", "bell\u{FFFD}"),
            ("\u{B}\u{C}", "\u{FFFD}\u{FFFD}"),
            ("esc\u{1B}[0m", "esc\u{FFFD}[0m"),
            ("unit\u{1F}sep", "unit\u{FFFD}sep"),
            ("\u{FFFE}\u{FFFF}", "\u{FFFD}\u{FFFD}"),
            // Allowed, if discouraged: DEL, C1 controls, non-characters
            // outside U+FFFE and U+FFFF, and the line separators.
            ("\u{7F}\u{85}\u{9F}", "\u{7F}\u{85}\u{9F}"),
            ("\u{FDD0}\u{1FFFE}", "\u{FDD0}\u{1FFFE}"),
            ("\u{2028}\u{2029}", "\u{2028}\u{2029}"),
            ("Ичкерия Noxçiyçö 😀", "Ичкерия Noxçiyçö 😀"),
            ("\u{FFFD}", "\u{FFFD}"),
        ];
        for (input, expected) in table {
            assert_eq!(escape(input), *expected, "escape({input:?})");
        }
    }

    #[test]
    fn escape_borrows_when_nothing_changes() {
        assert!(matches!(escape("Alla Dudayeva"), Cow::Borrowed(_)));
        assert!(matches!(escape("A & B"), Cow::Owned(_)));
    }

    #[test]
    fn every_char_escapes_to_valid_xml() {
        // The `Char` production of XML 1.0, written out independently of
        // `forbidden`.
        let xml_char = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}');
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let text = c.to_string();
            let escaped = escape(&text);
            let expected: Cow<'_, str> = if !xml_char(c) {
                Cow::Borrowed("\u{FFFD}")
            } else if matches!(c, '&' | '<' | '>' | '"' | '\'' | '\t' | '\n' | '\r') {
                assert!(
                    escaped.starts_with('&') && escaped.ends_with(';'),
                    "{escaped:?}"
                );
                escaped.clone()
            } else {
                Cow::Borrowed(text.as_str())
            };
            assert_eq!(escaped, expected, "U+{:04X}", c as u32);
        }
    }
}
