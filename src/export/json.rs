//! Node-link JSON: the machine-readable form of the whole graph.
//!
//! ```json
//! {"nodes":[{"id":"entity:7","type":"person","name":"…","aliases":["…"],
//!            "attributes":{"k":"v"},"documents":["path"],"mentions":3},
//!           {"id":"document:1","type":"document","name":"title", …, "path":"corpus/a.txt"}],
//!  "edges":[{"source":"entity:7","target":"document:1","relation":"signed","weight":1,
//!            "evidence":[{"document":"corpus/a.txt","start":10,"end":52,"quote":"…","rule":"…"}]}]}
//! ```
//!
//! The shape is a contract with scripts and later exports: fields are only
//! ever added. One node or edge per line, so two exports diff well.

use crate::store::Store;
use rusqlite::params;
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
}

/// A relation between two nodes with its evidence.
#[derive(Debug, Serialize)]
pub struct Edge {
    /// Node id of the subject.
    pub source: String,
    /// Node id of the object.
    pub target: String,
    /// The relation kind.
    pub relation: String,
    /// The number of evidence records.
    pub weight: usize,
    /// The evidence.
    pub evidence: Vec<Evidence>,
}

/// Writes the whole graph of `store` as node-link JSON.
pub fn write(store: &Store, out: &mut dyn Write) -> Result<(), ExportError> {
    write_filtered(store, out, None)
}

/// Writes the part of the graph a [`super::view::View`] selects, in the
/// same shape and order as [`write`].
pub fn write_selected(
    store: &Store,
    out: &mut dyn Write,
    view: &super::view::View<'_>,
) -> Result<(), ExportError> {
    let selection = (view.node_ids(), view.relation_ids());
    write_filtered(store, out, Some(&selection))
}

type Selection = (rustc_hash::FxHashSet<String>, rustc_hash::FxHashSet<i64>);

fn write_filtered(
    store: &Store,
    out: &mut dyn Write,
    selection: Option<&Selection>,
) -> Result<(), ExportError> {
    let keep_node = |id: &str| selection.is_none_or(|(nodes, _)| nodes.contains(id));
    let keep_relation = |id: i64| selection.is_none_or(|(_, relations)| relations.contains(&id));
    let conn = store.conn();
    out.write_all(b"{\"nodes\":[\n")?;
    let mut first = true;
    let mut separator = |out: &mut dyn Write| -> std::io::Result<()> {
        if !std::mem::take(&mut first) {
            out.write_all(b",\n")?;
        }
        Ok(())
    };
    {
        let mut stmt = conn.prepare(
            "SELECT d.id, d.path, d.title, d.sha256, d.size, d.encoding, d.ingested_at,
                    coalesce(m.mentions, 0), coalesce(m.ambiguous, 0)
             FROM documents d LEFT JOIN document_mentions m ON m.document_id = d.id ORDER BY d.path",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if !keep_node(&format!("document:{}", row.get::<_, i64>(0)?)) {
                continue;
            }
            let path: String = row.get(1)?;
            let mut attributes = BTreeMap::new();
            attributes.insert("sha256".into(), row.get::<_, String>(3)?.into());
            attributes.insert("size".into(), row.get::<_, i64>(4)?.into());
            attributes.insert("encoding".into(), row.get::<_, String>(5)?.into());
            attributes.insert("ingested_at".into(), row.get::<_, String>(6)?.into());
            let node = Node {
                id: format!("document:{}", row.get::<_, i64>(0)?),
                kind: "document".into(),
                name: row.get(2)?,
                aliases: Vec::new(),
                attributes,
                documents: vec![path.clone()],
                mentions: row.get(7)?,
                ambiguous_mentions: row.get(8)?,
                path: Some(path),
            };
            separator(out)?;
            serde_json::to_writer(&mut *out, &node).map_err(std::io::Error::from)?;
        }
    }
    {
        let totals: std::collections::HashMap<i64, crate::store::Totals> =
            store.entity_totals()?.into_iter().collect();
        // Only entities that are mentioned or related are nodes: look those
        // up by id rather than walk a gazetteer that may hold a million.
        let mut wanted: std::collections::HashSet<i64> = totals.keys().copied().collect();
        {
            let mut related = conn.prepare(
                "SELECT subject_id FROM relations
                 UNION SELECT object_entity_id FROM relations WHERE object_entity_id IS NOT NULL",
            )?;
            for id in related.query_map([], |r| r.get::<_, i64>(0))? {
                wanted.insert(id?);
            }
        }
        let mut entity =
            conn.prepare("SELECT type, name, attributes FROM entities WHERE id = ?1")?;
        let mut entities: Vec<(String, String, i64, String)> = Vec::with_capacity(wanted.len());
        for id in wanted {
            let (kind, name, attributes): (String, String, String) =
                entity.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            entities.push((kind, name, id, attributes));
        }
        entities.sort();
        let mut aliases =
            conn.prepare("SELECT alias FROM aliases WHERE entity_id = ?1 ORDER BY alias")?;
        let paths = store.document_paths()?;
        for (kind, name, id, attributes) in entities {
            let total = totals.get(&id).copied();
            let total = total.unwrap_or_default();
            let attributes: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(&attributes).unwrap_or_default();
            if !keep_node(&format!("entity:{id}")) {
                continue;
            }
            let node = Node {
                id: format!("entity:{id}"),
                kind,
                name,
                aliases: aliases
                    .query_map([id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?,
                attributes,
                documents: {
                    let mut docs: Vec<String> = store
                        .postings(id)?
                        .iter()
                        .filter_map(|p| paths.get(&p.document).cloned())
                        .collect();
                    docs.sort();
                    docs
                },
                mentions: total.mentions,
                ambiguous_mentions: total.ambiguous,
                path: None,
            };
            separator(out)?;
            serde_json::to_writer(&mut *out, &node).map_err(std::io::Error::from)?;
        }
    }
    out.write_all(b"\n],\"edges\":[\n")?;
    let mut first_edge = true;
    {
        let mut stmt = conn.prepare(
            "SELECT r.id, r.subject_id, r.kind, r.object_entity_id, r.object_document_id
             FROM relations r ORDER BY r.subject_id, r.kind, r.object_entity_id, r.object_document_id",
        )?;
        let mut evidence = conn.prepare(
            "SELECT d.path, v.sentence_start, v.sentence_end,
                    CAST(substr(CAST(d.text AS BLOB), v.sentence_start + 1, v.sentence_end - v.sentence_start) AS TEXT),
                    v.rule, v.confidence, v.date
             FROM evidence v JOIN documents d ON d.id = v.document_id
             WHERE v.relation_id = ?1 ORDER BY d.path, v.sentence_start, v.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let relation: i64 = row.get(0)?;
            if !keep_relation(relation) {
                continue;
            }
            let target = match (row.get::<_, Option<i64>>(3)?, row.get::<_, Option<i64>>(4)?) {
                (Some(entity), _) => format!("entity:{entity}"),
                (None, Some(document)) => format!("document:{document}"),
                (None, None) => continue,
            };
            let evidence: Vec<Evidence> = evidence
                .query_map(params![relation], |r| {
                    Ok(Evidence {
                        document: r.get(0)?,
                        start: r.get(1)?,
                        end: r.get(2)?,
                        quote: r.get(3)?,
                        rule: r.get(4)?,
                        confidence: r.get(5)?,
                        date: r.get(6)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            let edge = Edge {
                source: format!("entity:{}", row.get::<_, i64>(1)?),
                target,
                relation: row.get(2)?,
                weight: evidence.len(),
                evidence,
            };
            if !std::mem::take(&mut first_edge) {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut *out, &edge).map_err(std::io::Error::from)?;
        }
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    Ok(())
}
