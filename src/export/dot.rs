//! Graphviz DOT: `digraph dossier { … }`, for `dot -Tsvg` and friends.
//!
//! Every node is written with the view's id as its DOT id (`"entity:7"`),
//! its name as `label`, and a shape and fill colour by type: a person is a
//! blue ellipse, an organisation a green box, a place an orange house, a
//! state a red hexagon and a document a grey folder. A document's label is
//! its title, broken into lines of at most [`LINE_WIDTH`] characters
//! between words (a title runs to 200), and its path is the attribute
//! `path`, which Graphviz keeps but does not draw. Every edge goes from
//! the subject to the object, is labelled with its relation kind, and its
//! `penwidth` grows with the pieces of evidence: `1 + log2(weight)`, so one
//! piece draws a line of width 1 and eight pieces a line of width 4.
//!
//! Ids and labels are always double-quoted. Inside the quotes a `"` is
//! written `\"` and a backslash `\\` (so that `\N`, `\l` and the other
//! escapes of Graphviz labels never fire by accident), a line break is
//! written `\n`, and a `&` is written `&amp;` (Graphviz reads HTML entities
//! in labels, so a name holding `&lt;` would otherwise be drawn as `<`).
//! A tab becomes a space and the other characters XML 1.0 forbids (the
//! remaining C0 controls, U+FFFE, U+FFFF) become U+FFFD, as in the GraphML
//! export: Graphviz copies ids and labels into its SVG as they are, and one
//! such character made the whole picture unreadable XML.
//! No tooltips are written: Graphviz 2.x reads backslashes in them
//! differently from labels, so they could not be escaped exactly.

use super::ExportError;
use super::view::{EdgeView, NodeView, View};
use crate::graph::{Graph, Node};
use crate::model::NodeType;
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::io::Write;

/// Writes `view` as a DOT digraph to `out`.
pub fn write(view: &View<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    writeln!(out, "digraph dossier {{")?;
    writeln!(out, "  node [style=filled, fontname=\"Helvetica\"];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];")?;
    view.each_node(|node: &NodeView| {
        let (shape, colour) = look(node.kind);
        match &node.path {
            Some(path) => writeln!(
                out,
                "  {} [label={}, path={}, shape={shape}, fillcolor=\"{colour}\"];",
                id(&node.id),
                label(&wrap(&node.label, LINE_WIDTH)),
                id(path)
            )?,
            None => writeln!(
                out,
                "  {} [label={}, shape={shape}, fillcolor=\"{colour}\"];",
                id(&node.id),
                label(&node.label)
            )?,
        }
        Ok(())
    })?;
    view.each_edge(|edge: &EdgeView| {
        writeln!(
            out,
            "  {} -> {} [label={}, penwidth={:.2}];",
            id(&edge.source),
            id(&edge.target),
            label(&edge.relation),
            penwidth(edge.weight)
        )?;
        Ok(())
    })?;
    writeln!(out, "}}")?;
    out.flush()?;
    Ok(())
}

/// Writes the nodes and `edges` of `graph` as a DOT digraph, as [`write()`]
/// draws them, each node linked to `url(node)` (Graphviz makes the link
/// clickable in SVG) and `centre` drawn with a thicker border, as the root
/// of a radial layout.
pub fn write_linked(
    graph: &Graph,
    edges: &[EdgeIndex],
    centre: Option<NodeIndex>,
    url: &dyn Fn(&Node) -> String,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "digraph dossier {{")?;
    writeln!(out, "  node [style=filled, fontname=\"Helvetica\"];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];")?;
    let mut nodes: Vec<NodeIndex> = edges
        .iter()
        .filter_map(|e| graph.graph.edge_endpoints(*e))
        .flat_map(|(s, t)| [s, t])
        .chain(centre)
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    let node_id = |n: NodeIndex| id(&format!("n{}", n.index()));
    if let Some(centre) = centre {
        // For a radial layout (`twopi`): the centre in the middle.
        writeln!(
            out,
            "  graph [root={}, overlap=false, ranksep=2.2];",
            node_id(centre)
        )?;
    }
    for n in nodes {
        let node = &graph.graph[n];
        let (shape, colour) = look(node.kind);
        let border = if Some(n) == centre {
            ", penwidth=3"
        } else {
            ""
        };
        writeln!(
            out,
            "  {} [label={}, URL={}, target=\"_top\", shape={shape}, fillcolor=\"{colour}\"{border}];",
            node_id(n),
            label(&wrap(&node.name, LINE_WIDTH)),
            id(&url(node))
        )?;
    }
    for e in edges {
        let Some((s, t)) = graph.graph.edge_endpoints(*e) else {
            continue;
        };
        let edge = &graph.graph[*e];
        writeln!(
            out,
            "  {} -> {} [label={}, penwidth={:.2}];",
            node_id(s),
            node_id(t),
            label(&graph.kinds[edge.kind as usize]),
            penwidth(edge.weight)
        )?;
    }
    writeln!(out, "}}")
}

/// The shape and fill colour of a node of type `kind`.
fn look(kind: NodeType) -> (&'static str, &'static str) {
    match kind {
        NodeType::Person => ("ellipse", "#a6cee3"),
        NodeType::Organisation => ("box", "#b2df8a"),
        NodeType::Place => ("house", "#fdbf6f"),
        NodeType::State => ("hexagon", "#fb9a99"),
        NodeType::Document => ("folder", "#d9d9d9"),
    }
}

/// The longest line of a document's label, in characters, unless one word
/// is longer.
pub const LINE_WIDTH: usize = 40;

/// `text` with its white space runs made single spaces, or line breaks
/// where a line would pass `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut line = 0;
    for word in text.split_whitespace() {
        let length = word.chars().count();
        if line > 0 && line + 1 + length > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += length;
    }
    out
}

/// The line width of an edge with `weight` pieces of evidence.
fn penwidth(weight: u32) -> f64 {
    1.0 + f64::from(weight.max(1)).log2()
}

/// `text` as a quoted DOT id: the same bytes always give the same id, and
/// no text can end the quotes early.
fn id(text: &str) -> String {
    quoted(text, false)
}

/// `text` as a quoted DOT label that Graphviz draws as `text`.
fn label(text: &str) -> String {
    quoted(text, true)
}

/// `text` between double quotes, with `"`, backslashes and line breaks
/// escaped, and `&` too when `entities` (labels, where Graphviz reads HTML
/// entities); a tab becomes a space and what XML forbids U+FFFD.
fn quoted(text: &str, entities: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                // A CRLF is one line break; a lone CR is one too.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '&' if entities => out.push_str("&amp;"),
            '\t' => out.push(' '),
            c if super::graphml::forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_escape_what_dot_and_graphviz_read() {
        assert_eq!(
            label("Smith & Sons \"Quoted\" \\ Ltd"),
            r#""Smith &amp; Sons \"Quoted\" \\ Ltd""#
        );
        assert_eq!(label("a\r\nb\rc\nd"), r#""a\nb\nc\nd""#);
        assert_eq!(label(r"\N"), r#""\\N""#);
    }

    /// Graphviz copies labels and ids into SVG: no character XML forbids
    /// may reach it.
    #[test]
    fn control_characters_never_reach_graphviz() {
        let cases = [
            ("nul\u{0}here", "\"nul\u{FFFD}here\""),
            ("bell\u{7}esc\u{1B}[0m", "\"bell\u{FFFD}esc\u{FFFD}[0m\""),
            ("tab\tstop", "\"tab stop\""),
            (
                "\u{B}\u{C}\u{1F}\u{FFFE}",
                "\"\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\"",
            ),
            ("del\u{7F} stays", "\"del\u{7F} stays\""),
        ];
        for (text, wanted) in cases {
            assert_eq!(label(text), wanted, "{text:?}");
            assert_eq!(id(text), wanted, "{text:?}");
        }
    }

    #[test]
    fn long_titles_break_between_words() {
        let cases = [
            ("Short title", 40, "Short title"),
            ("one two three four", 9, "one two\nthree\nfour"),
            ("one  two\tthree", 40, "one two three"),
            (
                "unbreakable-word-longer-than-the-width x",
                10,
                "unbreakable-word-longer-than-the-width\nx",
            ),
            ("", 40, ""),
        ];
        for (text, width, wanted) in cases {
            assert_eq!(wrap(text, width), wanted, "{text:?}");
        }
    }

    #[test]
    fn ids_are_quoted_without_entities() {
        assert_eq!(id("entity:7"), "\"entity:7\"");
        assert_eq!(id("a&b\"c\\"), r#""a&b\"c\\""#);
    }

    #[test]
    fn pen_width_grows_with_the_log_of_the_weight() {
        assert_eq!(penwidth(0), 1.0);
        assert_eq!(penwidth(1), 1.0);
        assert_eq!(penwidth(8), 4.0);
    }
}
