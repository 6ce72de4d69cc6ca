//! GEXF 1.3, Gephi's own format, written so that Gephi and networkx open it
//! as is and `xmllint --schema gexf.xsd` accepts it.
//!
//! Format choices:
//! - The root is `<gexf xmlns="http://gexf.net/1.3"
//!   xmlns:viz="http://gexf.net/1.3/viz" version="1.3">`, then `<meta>` with
//!   the creator `dossier` and a description. There is no
//!   `lastmodifieddate`, so that two exports of one database are identical.
//! - One directed graph (`defaultedgetype="directed"`). Since the writer
//!   streams, it cannot know before the first edge whether any edge carries
//!   a date, so the graph is always `mode="dynamic" timeformat="date"`: an
//!   edge whose evidence gives a date starts (`start`) at the earliest full
//!   date, an edge without one has no `start` and is there from the
//!   beginning, and nodes have no time at all, so they are always there.
//! - A date as precise as the text is made a full date by taking the first
//!   day it covers (`2022` becomes `2022-01-01`, `2022-10` becomes
//!   `2022-10-01`); a date without a year (`--10-12`) is not a point in
//!   time, so it is left out.
//! - Node and edge attributes are declared up front in `<attributes
//!   class="node">` (`type`, `path`, `aliases`, `mentions`, `documents`) and
//!   `<attributes class="edge">` (`relation`, `quote`, `documents` with the
//!   id `edge-documents`, `date_sources` where the text gives the dates,
//!   `from` and `until` as the text gives them, and `former`, a boolean),
//!   all static; `date_sources`, `from` and `until` are left out when empty,
//!   `former` when false. Lists are joined into one string (aliases with ` | `,
//!   documents with `; `), as in the GraphML export; a node without aliases
//!   has no `aliases` value, and only documents have a `path`.
//! - A node's `label` is its canonical name (a document's title); its colour
//!   (`<viz:color>`) tells its type, from the Tableau 10 palette: person
//!   blue `#1f77b4`, organisation orange `#ff7f0e`, place green `#2ca02c`,
//!   state red `#d62728`, document grey `#7f7f7f`.
//! - An edge's `label` and `kind` are its relation kind (with `kind`, Gephi
//!   keeps parallel edges of different kinds apart instead of merging them)
//!   and its `weight` is the number of pieces of evidence.
//! - Text is escaped as in the GraphML export (`graphml::escape`).
//! - Nodes and edges are written one at a time as the view hands them over,
//!   so memory does not grow with the graph.

use super::ExportError;
use super::graphml::escape;
use super::view::{EdgeView, NodeView, View};
use crate::model::NodeType;
use std::io::{BufWriter, Write};

/// Everything before the first node: the root element, the metadata, the
/// graph and its attribute declarations.
const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
  <meta>
    <creator>dossier</creator>
    <description>People, organisations, places, states and documents, and the relations the documents give evidence of</description>
  </meta>
  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">
    <attributes class="node" mode="static">
      <attribute id="type" title="type" type="string"/>
      <attribute id="path" title="path" type="string"/>
      <attribute id="aliases" title="aliases" type="string"/>
      <attribute id="mentions" title="mentions" type="long"/>
      <attribute id="documents" title="documents" type="string"/>
    </attributes>
    <attributes class="edge" mode="static">
      <attribute id="relation" title="relation" type="string"/>
      <attribute id="quote" title="quote" type="string"/>
      <attribute id="edge-documents" title="documents" type="string"/>
      <attribute id="date-sources" title="date_sources" type="string"/>
      <attribute id="valid-from" title="from" type="string"/>
      <attribute id="valid-until" title="until" type="string"/>
      <attribute id="former" title="former" type="boolean"/>
    </attributes>
    <nodes>
"#;

/// Between the last node and the first edge.
const MIDDLE: &str = "    </nodes>\n    <edges>\n";

/// Everything after the last edge.
const FOOTER: &str = "    </edges>\n  </graph>\n</gexf>\n";

/// Writes `view` as GEXF 1.3.
pub fn write(view: &View<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut out = BufWriter::new(out);
    out.write_all(HEADER.as_bytes())?;
    view.each_node(|node| write_node(&mut out, node))?;
    out.write_all(MIDDLE.as_bytes())?;
    view.each_edge(|edge| write_edge(&mut out, edge))?;
    out.write_all(FOOTER.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// The colour of a node type, as red, green and blue.
fn color(kind: NodeType) -> (u8, u8, u8) {
    match kind {
        NodeType::Person => (0x1f, 0x77, 0xb4),
        NodeType::Organisation => (0xff, 0x7f, 0x0e),
        NodeType::Place => (0x2c, 0xa0, 0x2c),
        NodeType::State => (0xd6, 0x27, 0x28),
        NodeType::Document => (0x7f, 0x7f, 0x7f),
    }
}

/// Writes one `<node>` with its values and colour.
fn write_node(out: &mut impl Write, node: &NodeView) -> Result<(), ExportError> {
    writeln!(
        out,
        "      <node id=\"{}\" label=\"{}\">",
        escape(&node.id),
        escape(&node.label)
    )?;
    writeln!(out, "        <attvalues>")?;
    attvalue(out, "type", node.kind.as_str())?;
    if let Some(path) = &node.path {
        attvalue(out, "path", path)?;
    }
    if !node.aliases.is_empty() {
        attvalue(out, "aliases", &node.aliases.join(" | "))?;
    }
    attvalue(out, "mentions", &node.mentions.to_string())?;
    attvalue(out, "documents", &node.documents.join("; "))?;
    writeln!(out, "        </attvalues>")?;
    let (r, g, b) = color(node.kind);
    writeln!(out, "        <viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>")?;
    writeln!(out, "      </node>")?;
    Ok(())
}

/// Writes one `<edge>` with its values.
fn write_edge(out: &mut impl Write, edge: &EdgeView) -> Result<(), ExportError> {
    let relation = escape(&edge.relation);
    write!(
        out,
        "      <edge id=\"{}\" source=\"{}\" target=\"{}\" label=\"{relation}\" kind=\"{relation}\" weight=\"{}\"",
        escape(&edge.id),
        escape(&edge.source),
        escape(&edge.target),
        edge.weight
    )?;
    let (start, end) = interval(edge);
    if let Some(start) = start {
        write!(out, " start=\"{start}\"")?;
    }
    if let Some(end) = end {
        write!(out, " end=\"{end}\"")?;
    }
    writeln!(out, ">")?;
    writeln!(out, "        <attvalues>")?;
    attvalue(out, "relation", &edge.relation)?;
    attvalue(out, "quote", &edge.quote)?;
    attvalue(out, "edge-documents", &edge.documents.join("; "))?;
    if !edge.date_sources.is_empty() {
        attvalue(out, "date-sources", &edge.date_sources.join("; "))?;
    }
    if let Some(from) = &edge.from {
        attvalue(out, "valid-from", from)?;
    }
    if let Some(until) = &edge.until {
        attvalue(out, "valid-until", until)?;
    }
    if edge.former {
        attvalue(out, "former", "true")?;
    }
    writeln!(out, "        </attvalues>")?;
    writeln!(out, "      </edge>")?;
    Ok(())
}

/// Writes `<attvalue for="id" value="value"/>`, the value escaped.
fn attvalue(out: &mut impl Write, id: &str, value: &str) -> Result<(), ExportError> {
    writeln!(
        out,
        "          <attvalue for=\"{id}\" value=\"{}\"/>",
        escape(value)
    )?;
    Ok(())
}

/// When an edge starts and ends on the timeline (see the module
/// documentation), as full dates.
fn interval(edge: &EdgeView) -> (Option<String>, Option<String>) {
    let end = match (&edge.until, &edge.ended_by) {
        (Some(until), _) => last_day(until),
        (None, Some(by)) if edge.former => last_day(by),
        _ => None,
    };
    let start = match &edge.from {
        Some(from) => full_date(from),
        None if !edge.former => earliest(&edge.dates),
        None => None,
    };
    let start = start.filter(|s| end.as_ref().is_none_or(|e| s <= e));
    (start, end)
}

/// The earliest of `dates` that is, or can be made, a full date.
fn earliest(dates: &[String]) -> Option<String> {
    dates.iter().filter_map(|d| full_date(d)).min()
}

/// The last day `date` (ISO 8601 as precise as the text) covers: `2005`
/// ends on `2005-12-31`, `2009-06` on `2009-06-30`.
fn last_day(date: &str) -> Option<String> {
    let full = full_date(date)?;
    let (year, month) = (
        full[..4].parse::<u16>().ok()?,
        full[5..7].parse::<u8>().ok()?,
    );
    Some(match date.len() {
        4 => format!("{year:04}-12-31"),
        7 => format!(
            "{year:04}-{month:02}-{:02}",
            crate::relations::dates::days_in(month, Some(year))
        ),
        _ => full,
    })
}

/// `date` (ISO 8601 as precise as the text: `2022`, `2022-10` or
/// `2022-10-12`) as the first full date it covers; `None` for a date
/// without a year (`--10-12`) or anything that is not a valid date.
fn full_date(date: &str) -> Option<String> {
    let parts: Vec<&str> = date.split('-').collect();
    let number = |part: &str, digits: usize| {
        (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (year, month, day) = match parts.as_slice() {
        [y] => (number(y, 4)?, 1, 1),
        [y, m] => (number(y, 4)?, number(m, 2)?, 1),
        [y, m, d] => (number(y, 4)?, number(m, 2)?, number(d, 2)?),
        _ => return None,
    };
    if !(1..=12).contains(&month) {
        return None;
    }
    // Four digits: the year fits a u16.
    let days = crate::relations::dates::days_in(month as u8, Some(year as u16));
    // XML Schema 1.0 has no year 0000.
    (year >= 1 && (1..=u32::from(days)).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_dates() {
        let table: &[(&str, Option<&str>)] = &[
            ("2022", Some("2022-01-01")),
            ("2022-10", Some("2022-10-01")),
            ("2022-10-12", Some("2022-10-12")),
            ("1994-12-11", Some("1994-12-11")),
            ("2024-02-29", Some("2024-02-29")),
            ("2023-02-29", None),
            ("1900-02-29", None),
            ("2000-02-29", Some("2000-02-29")),
            ("2022-13", None),
            ("2022-00", None),
            ("2022-04-31", None),
            ("2022-04-00", None),
            ("0000", None),
            ("--10-12", None),
            ("--10", None),
            ("", None),
            ("22", None),
            ("2022-1", None),
            ("2022-10-12T10:00", None),
            ("２０２２", None),
        ];
        for (date, expected) in table {
            assert_eq!(full_date(date).as_deref(), *expected, "full_date({date:?})");
        }
    }

    #[test]
    fn earliest_full_date_wins() {
        let dates = |d: &[&str]| d.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(earliest(&dates(&[])), None);
        assert_eq!(earliest(&dates(&["--03-01"])), None);
        assert_eq!(
            earliest(&dates(&["--01-01", "2022-10-12", "2022-10"])).as_deref(),
            Some("2022-10-01")
        );
        assert_eq!(
            earliest(&dates(&["1999", "1998-12-31"])).as_deref(),
            Some("1998-12-31")
        );
    }

    #[test]
    fn periods_bound_the_timeline() {
        let edge = |dates: &[&str],
                    from: Option<&str>,
                    until: Option<&str>,
                    former: bool,
                    by: Option<&str>| EdgeView {
            id: "relation:1".into(),
            source: "entity:1".into(),
            target: "entity:2".into(),
            relation: "member-of".into(),
            weight: 1,
            quote: String::new(),
            documents: Vec::new(),
            dates: dates.iter().map(|d| d.to_string()).collect(),
            date_sources: Vec::new(),
            from: from.map(str::to_string),
            until: until.map(str::to_string),
            former,
            ended_by: by.map(str::to_string),
        };
        let some = |d: &str| Some(d.to_string());
        #[rustfmt::skip]
        let table = [
            // Said in 2022: from then on.
            (edge(&["2022-07-10"], None, None, false, None), (some("2022-07-10"), None)),
            // "judge (2002–2005)", said in 2022.
            (edge(&["2022-07-10"], Some("2002"), Some("2005"), false, None), (some("2002-01-01"), some("2005-12-31"))),
            // "until June 2009", said in 2022: it did not start when said.
            (edge(&["2022"], None, Some("2009-06"), false, None), (None, some("2009-06-30"))),
            // "former head", said in 2022: over by then, start unknown.
            (edge(&["2022-07-10"], None, None, true, Some("2022-07-10")), (None, some("2022-07-10"))),
            (edge(&[], Some("1994"), None, false, None), (some("1994-01-01"), None)),
            (edge(&["--07-13"], None, None, false, None), (None, None)),
        ];
        for (edge, want) in table {
            assert_eq!(interval(&edge), want, "{edge:?}");
        }
    }

    #[test]
    fn colours_are_distinct() {
        let mut colours: Vec<(u8, u8, u8)> = NodeType::ALL.into_iter().map(color).collect();
        colours.sort();
        colours.dedup();
        assert_eq!(colours.len(), NodeType::ALL.len());
    }
}
