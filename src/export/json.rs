//! Node-link JSON: the machine-readable form of the whole graph.
//!
//! ```json
//! {"nodes":[{"id":"entity:7","type":"person","name":"…","aliases":["…"],
//!            "attributes":{"k":"v"},"documents":["path"],"mentions":3},
//!           {"id":"document:1","type":"document","name":"title", …, "path":"corpus/a.txt"}],
//!  "edges":[{"source":"entity:7","target":"document:1","relation":"signed","weight":1,
//!            "evidence":[{"document":"corpus/a.txt","start":10,"end":52,"quote":"…","rule":"…",
//!                         "confidence":0.9,"date":"2022-07-10","date_source":"letter"}]}]}
//! ```
//!
//! A piece of evidence has a `date` (ISO 8601, as precise as the text) and
//! its `date_source` when the text dates it, and `from`, `until` and
//! `former` when it bounds its relation ("judge (2002–2005)", "former
//! head of …"); an edge has the period of all its evidence: `from` (the
//! earliest start), `until` (the latest end), `former` and `ended_by` (the
//! earliest date of the evidence calling it former). Each is left out when
//! absent (or false).
//!
//! The shape is a contract with scripts and later exports: fields are only
//! ever added. One node or edge per line, so two exports diff well.
//!
//! The entities of a `same-as` group are one node, their node entity's
//! (its id, name, type and attributes; the other members' names among its
//! aliases, their mentions in its counts), and their relations its edges.

use super::view::{PathRanks, Texts};
use super::{Tally, count};
use crate::store::{Reader, halting};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

pub use super::ExportError;

/// A node of the graph: an entity or a document.
#[derive(Debug, Serialize)]
pub struct Node {
    /// `entity:<id>` or `document:<id>`.
    pub id: String,
    /// `person`, `organisation`, `place`, `state` or `document`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Canonical name, or a document's title.
    pub name: String,
    /// Other names (empty for documents).
    pub aliases: Vec<String>,
    /// Gazetteer attributes; for documents their metadata.
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// Paths of the documents the entity is mentioned in (for a document,
    /// its own path).
    pub documents: Vec<String>,
    /// Settled mentions (for a document, the mentions it contains).
    pub mentions: i64,
    /// Mentions where the entity is one candidate of an ambiguous name.
    pub ambiguous_mentions: i64,
    /// A document's path; absent for entities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// One piece of evidence of an edge.
#[derive(Debug, Serialize)]
pub struct Evidence {
    /// Path of the document.
    pub document: String,
    /// Byte offset of the sentence.
    pub start: i64,
    /// Byte offset just past the sentence.
    pub end: i64,
    /// The sentence.
    pub quote: String,
    /// The rule that found it.
    pub rule: String,
    /// How sure the rule is, 0 to 1.
    pub confidence: f64,
    /// When, as the text says (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Where the text gives the date: `sentence`, `paragraph`, `dateline`,
    /// `letter` or `document`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_source: Option<String>,
    /// Since when the relation held, as this evidence says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Until when it held, as this evidence says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Whether this evidence calls it a role no longer held.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub former: bool,
}

/// Writes the whole graph of `store` as node-link JSON.
pub fn write(store: &dyn Reader, out: &mut dyn Write) -> Result<(), ExportError> {
    write_filtered(store, out, None, None)
}

/// [`write()`], counting every node, piece of evidence and edge into
/// `tally`.
pub fn write_counted(
    store: &dyn Reader,
    out: &mut dyn Write,
    tally: &Tally,
) -> Result<(), ExportError> {
    write_filtered(store, out, None, Some(tally))
}

/// Writes the part of the graph a [`super::view::View`] selects, in the
/// same shape and order as [`write()`].
pub fn write_selected(
    store: &dyn Reader,
    out: &mut dyn Write,
    view: &super::view::View<'_>,
) -> Result<(), ExportError> {
    let selection = (view.node_ids(), view.relation_ids());
    if let Some(tally) = view.tally() {
        // The view expects its nodes and edges; the evidence is spooled too.
        tally.expect(view.evidence_count());
    }
    write_filtered(store, out, Some(&selection), view.tally())
}

type Selection = (rustc_hash::FxHashSet<String>, rustc_hash::FxHashSet<i64>);

fn write_filtered(
    store: &dyn Reader,
    out: &mut dyn Write,
    selection: Option<&Selection>,
    tally: Option<&Tally>,
) -> Result<(), ExportError> {
    // The id is only spelled out when there is a selection to look it up in.
    let keep_node =
        |id: &dyn Fn() -> String| selection.is_none_or(|(nodes, _)| nodes.contains(&id()));
    let keep_relation = |id: i64| selection.is_none_or(|(_, relations)| relations.contains(&id));
    let paths = SortedPaths::of(store)?;
    // The entities of a `same-as` group are their node's one node.
    let same_as = store.same_as()?;
    if let (Some(tally), None) = (tally, selection) {
        // The entities are counted once gathered, below.
        let (relations, evidence) = store.relation_and_evidence_counts()?;
        tally.expect(paths.ranks.paths.len() as u64 + relations + evidence);
    }
    out.write_all(b"{\"nodes\":[\n")?;
    let mut first = true;
    let mut separator = |out: &mut dyn Write| -> std::io::Result<()> {
        if !std::mem::take(&mut first) {
            out.write_all(b",\n")?;
        }
        Ok(())
    };
    let wanted_document = |id: i64| keep_node(&|| format!("document:{id}"));
    halting(
        |each| store.each_document_summary(&wanted_document, each),
        |d| -> Result<(), ExportError> {
            let id = d.id;
            let mut attributes = BTreeMap::new();
            attributes.insert("sha256".into(), d.sha256.into());
            attributes.insert("size".into(), d.size.into());
            attributes.insert("encoding".into(), d.encoding.into());
            attributes.insert("ingested_at".into(), d.ingested_at.into());
            let node = Node {
                id: format!("document:{id}"),
                kind: "document".into(),
                name: d.title,
                aliases: Vec::new(),
                attributes,
                documents: vec![d.path.clone()],
                mentions: d.mentions,
                ambiguous_mentions: d.ambiguous,
                path: Some(d.path),
            };
            separator(out)?;
            serde_json::to_writer(&mut *out, &node).map_err(std::io::Error::from)?;
            count(tally, 1)?;
            Ok(())
        },
    )?;
    {
        let mut postings = paths.postings(store, &same_as)?;
        // Only entities that are mentioned or related are nodes: look those
        // up by id rather than walk a gazetteer that may hold a million.
        let mut wanted: std::collections::HashSet<i64> = postings.keys().copied().collect();
        store.each_related_entity(&mut |id| {
            wanted.insert(same_as.node(id));
        })?;
        let mut entities: Vec<(String, String, i64, String)> = Vec::with_capacity(wanted.len());
        // Entities outside the selection are not even looked up.
        wanted.retain(|&id| keep_node(&|| format!("entity:{id}")));
        for &id in &wanted {
            let (kind, name, attributes) = store.entity_record(id)?;
            entities.push((kind, name, id, attributes));
        }
        entities.sort();
        if let (Some(tally), None) = (tally, selection) {
            tally.expect(entities.len() as u64);
        }
        let mut node = Vec::new();
        for (kind, name, id, attributes) in entities {
            let EntityPostings {
                mentions,
                ambiguous,
                mut ranks,
            } = postings.remove(&id).unwrap_or_default();
            let attributes: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(&attributes).unwrap_or_default();
            ranks.sort_unstable();
            ranks.dedup();
            // A `Node` as serde writes it, with the document paths spliced
            // in already escaped (each path is escaped once, not once per
            // entity that mentions it: millions of times for a large graph).
            let head = EntityHead {
                id: format!("entity:{id}"),
                kind: &kind,
                name: &name,
                aliases: store.sorted_aliases(id)?,
                attributes,
            };
            node.clear();
            serde_json::to_writer(&mut node, &head).map_err(std::io::Error::from)?;
            node.pop();
            node.extend_from_slice(b",\"documents\":[");
            for (i, &rank) in ranks.iter().enumerate() {
                if i > 0 {
                    node.push(b',');
                }
                node.extend_from_slice(paths.json[rank as usize].as_bytes());
            }
            node.extend_from_slice(b"],");
            let tail = EntityTail {
                mentions,
                ambiguous_mentions: ambiguous,
            };
            let at = node.len();
            serde_json::to_writer(&mut node, &tail).map_err(std::io::Error::from)?;
            node.remove(at);
            separator(out)?;
            out.write_all(&node)?;
            count(tally, 1)?;
        }
    }
    out.write_all(b"\n],\"edges\":[\n")?;
    let spool = Spool::gather(store, &paths, &keep_relation, tally)?;
    let mut first_edge = true;
    let mut edge = Vec::new();
    let mut piece = Vec::new();
    // The rows lend their kind, so the write is stopped by hand rather
    // than through `halting`.
    let mut failure = None;
    let mut write_edge = |row: crate::store::RelationRow<'_>| -> Result<(), ExportError> {
        let relation = row.id;
        if !keep_relation(relation) {
            return Ok(());
        }
        let target = match (row.object_entity, row.object_document) {
            (Some(entity), _) => format!("entity:{}", same_as.node(entity)),
            (None, Some(document)) => format!("document:{document}"),
            (None, None) => return Ok(()),
        };
        let pieces = spool.pieces(relation);
        // The edge as the format has it, its evidence copied from the
        // spool: the head without its closing brace, then the array.
        edge.clear();
        let head = EdgeHead {
            source: format!("entity:{}", same_as.node(row.subject)),
            target,
            relation: row.kind,
            weight: pieces.len(),
            from: row.valid_from,
            until: row.valid_until,
            former: row.former,
            ended_by: row.ended_by.filter(|_| row.former),
        };
        serde_json::to_writer(&mut edge, &head).map_err(std::io::Error::from)?;
        edge.pop();
        edge.extend_from_slice(b",\"evidence\":[");
        for (i, entry) in pieces.iter().enumerate() {
            if i > 0 {
                edge.push(b',');
            }
            spool.read(entry, &mut piece)?;
            edge.extend_from_slice(&piece);
        }
        edge.extend_from_slice(b"]}");
        if !std::mem::take(&mut first_edge) {
            out.write_all(b",\n")?;
        }
        out.write_all(&edge)?;
        count(tally, 1)?;
        Ok(())
    };
    store.each_relation_in_order(&mut |row| match write_edge(row) {
        Ok(()) => std::ops::ControlFlow::Continue(()),
        Err(e) => {
            failure = Some(e);
            std::ops::ControlFlow::Break(())
        }
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    Ok(())
}

/// What the postings say of one entity.
#[derive(Default)]
struct EntityPostings {
    /// Settled mentions.
    mentions: i64,
    /// Mentions as one candidate of an ambiguous name.
    ambiguous: i64,
    /// The [`SortedPaths`] ranks of the documents mentioning it.
    ranks: Vec<u32>,
}

/// An entity's [`Node`] up to its `documents`, in its field order.
#[derive(Serialize)]
struct EntityHead<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'a str,
    name: &'a str,
    aliases: Vec<String>,
    attributes: BTreeMap<String, serde_json::Value>,
}

/// An entity's [`Node`] after its `documents` (an entity has no `path`).
#[derive(Serialize)]
struct EntityTail {
    mentions: i64,
    ambiguous_mentions: i64,
}

/// An edge's fields before its `evidence` array, in the order of the
/// format (see the module documentation).
#[derive(Serialize)]
struct EdgeHead<'a> {
    source: String,
    target: String,
    relation: &'a str,
    weight: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    former: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    ended_by: Option<&'a str>,
}

/// The stored documents' paths, sorted and ranked as the other exports
/// have them, each also as a JSON string.
struct SortedPaths {
    ranks: PathRanks,
    /// Each path of `ranks`, by rank, quoted and escaped.
    json: Vec<String>,
}

impl SortedPaths {
    fn of(store: &dyn Reader) -> Result<SortedPaths, ExportError> {
        let ranks = PathRanks::of(store)?;
        let json = ranks
            .paths
            .iter()
            .map(|(_, path)| serde_json::to_string(&**path).map_err(std::io::Error::from))
            .collect::<Result<_, _>>()?;
        Ok(SortedPaths { ranks, json })
    }

    /// Every mentioned entity's mention counts and the ranks of the
    /// documents mentioning it, from one pass over the postings (a lookup
    /// per entity read 64 entities' postings each time); a `same-as`
    /// group's under its node, every member's added up.
    fn postings(
        &self,
        store: &dyn Reader,
        same_as: &crate::store::SameAs,
    ) -> Result<rustc_hash::FxHashMap<i64, EntityPostings>, ExportError> {
        let mut out: rustc_hash::FxHashMap<i64, EntityPostings> = rustc_hash::FxHashMap::default();
        store.each_posting(&mut |p| {
            let entry = out.entry(same_as.node(p.entity)).or_default();
            entry.mentions += i64::from(p.mentions);
            entry.ambiguous += i64::from(p.ambiguous);
            if let Some(&rank) = self.ranks.rank.get(&p.document) {
                entry.ranks.push(rank);
            }
        })?;
        Ok(out)
    }
}

/// Every piece of evidence of the exported relations, written as JSON once
/// into a temporary file, and an index of where each is, in the order the
/// edges list them.
///
/// Edges are written in relation order, and looking up each relation's
/// evidence (and reading its document for the quote) jumped all over the
/// store: two thirds of the export's time. Read in the order the store
/// keeps it instead, evidence comes grouped by document, so each text is
/// read once; the file keeps memory to an index entry per piece however
/// long the quotes.
struct Spool {
    file: std::fs::File,
    /// Sorted by relation, then as the edges order their evidence: by
    /// document path, sentence start and id.
    index: Vec<SpoolEntry>,
    /// Where each relation's entries are in `index`.
    ranges: rustc_hash::FxHashMap<i64, (u32, u32)>,
}

/// Where one piece of evidence is in the spool, with its sort key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SpoolEntry {
    relation: i64,
    path_rank: u32,
    start: i64,
    id: i64,
    offset: u64,
    len: u32,
}

impl Spool {
    /// Writes the evidence of the relations `keep` accepts.
    fn gather(
        store: &dyn Reader,
        paths: &SortedPaths,
        keep: &dyn Fn(i64) -> bool,
        tally: Option<&Tally>,
    ) -> Result<Spool, ExportError> {
        // The spool is written on a thread of its own while the store is
        // read (it runs to a gigabyte).
        let mut file = super::background::BackgroundWriter::new(tempfile::tempfile()?);
        let mut index = Vec::new();
        let mut texts = Texts::new(store, tally)?;
        let mut offset = 0u64;
        let mut json = Vec::new();
        halting(
            |each| store.each_evidence_span(keep, each),
            |span| -> Result<(), ExportError> {
                let relation = span.relation;
                // Evidence of a document that is gone has no edge to go in.
                let Some(&path_rank) = paths.ranks.rank.get(&span.document) else {
                    return Ok(());
                };
                let text = texts.of(span.document)?.as_bytes();
                let (start, end) = (span.start, span.end);
                let from = usize::try_from(start).unwrap_or(0).min(text.len());
                let to = usize::try_from(end).unwrap_or(0).clamp(from, text.len());
                let piece = Evidence {
                    document: paths.ranks.path(path_rank).to_string(),
                    start,
                    end,
                    // Spans lie on character boundaries; were one not to, the
                    // quote keeps what can be read rather than failing.
                    quote: String::from_utf8_lossy(&text[from..to]).into_owned(),
                    rule: span.rule,
                    confidence: span.confidence,
                    date: span.date,
                    date_source: span.date_source,
                    from: span.valid_from,
                    until: span.valid_until,
                    former: span.former,
                };
                json.clear();
                serde_json::to_writer(&mut json, &piece).map_err(std::io::Error::from)?;
                file.write_all(&json)?;
                index.push(SpoolEntry {
                    relation,
                    path_rank,
                    start,
                    id: span.id,
                    offset,
                    len: json.len() as u32,
                });
                offset += json.len() as u64;
                count(tally, 1)?;
                Ok(())
            },
        )?;
        index.sort_unstable();
        let mut ranges = rustc_hash::FxHashMap::default();
        for (i, entry) in index.iter().enumerate() {
            ranges
                .entry(entry.relation)
                .or_insert((i as u32, i as u32))
                .1 = i as u32 + 1;
        }
        let file = file.finish()?;
        Ok(Spool {
            file,
            index,
            ranges,
        })
    }

    /// The pieces of evidence of `relation`, in the edges' order.
    fn pieces(&self, relation: i64) -> &[SpoolEntry] {
        match self.ranges.get(&relation) {
            Some(&(from, to)) => &self.index[from as usize..to as usize],
            None => &[],
        }
    }

    /// The JSON of one piece of evidence, into `buffer`.
    fn read(&self, entry: &SpoolEntry, buffer: &mut Vec<u8>) -> std::io::Result<()> {
        buffer.resize(entry.len as usize, 0);
        read_at(&self.file, buffer, entry.offset)
    }
}

/// Reads `buffer.len()` bytes of `file` at `offset`.
#[cfg(unix)]
fn read_at(file: &std::fs::File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

/// Reads `buffer.len()` bytes of `file` at `offset`.
#[cfg(not(unix))]
fn read_at(mut file: &std::fs::File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek};
    file.seek(std::io::SeekFrom::Start(offset))?;
    file.read_exact(buffer)
}
