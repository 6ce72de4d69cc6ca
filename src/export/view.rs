//! What every export writes: the nodes and edges of the graph, or of the
//! part of it the filters select, each with the attributes the formats
//! need, handed to the writer one at a time (memory does not grow with the
//! output).
//!
//! Nodes come documents first (by path), then entities by type and name;
//! edges come grouped by the document of their first piece of evidence, so
//! that each document's text is read once for the quotes, and within it by
//! relation id. Both orders are deterministic.

use super::{ExportError, Tally, count};
use crate::graph::Graph;
use crate::model::NodeType;
use crate::store::{Reader, halting};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;
use std::rc::Rc;

/// Which part of the graph to export. Every field narrows the selection;
/// the default selects everything.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// Only nodes of these types (documents included only if listed); empty:
    /// every type.
    pub types: Vec<NodeType>,
    /// Only relations of these kinds; empty: every kind.
    pub relations: Vec<String>,
    /// Only what lies within `depth` relations of this name.
    pub around: Option<String>,
    /// Only what lies within `depth` relations of this entity (by id:
    /// a web page's entity, whose name others may share).
    pub around_entity: Option<i64>,
    /// Hops for `around` (default 1).
    pub depth: Option<u64>,
    /// Only the edges a query of the query language matches.
    pub query: Option<String>,
    /// Only relations with at least this many pieces of evidence.
    pub min_weight: u32,
    /// Only relations with evidence in this document (a path or part of it).
    pub document: Option<String>,
}

impl Filters {
    /// Whether no filter is set: the whole graph is selected.
    pub fn selects_all(&self) -> bool {
        self.types.is_empty()
            && self.relations.is_empty()
            && self.around.is_none()
            && self.around_entity.is_none()
            && self.query.is_none()
            && self.min_weight == 0
            && self.document.is_none()
    }
}

/// A node as the exports write it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    /// Stable id: `entity:<db id>` or `document:<db id>`.
    pub id: String,
    /// Canonical name, or a document's title (its path if it has none).
    pub label: String,
    /// A document's path; `None` for an entity.
    pub path: Option<String>,
    /// Its type.
    pub kind: NodeType,
    /// Other names, sorted (none for documents).
    pub aliases: Vec<String>,
    /// Settled mentions (for a document, the mentions it contains).
    pub mentions: u64,
    /// Paths of the documents mentioning it, sorted (a document: itself);
    /// shared, as one path is listed by many nodes.
    pub documents: Vec<Rc<str>>,
}

/// An edge as the exports write it.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeView {
    /// Stable id: `relation:<db id>`.
    pub id: String,
    /// Node id of the subject.
    pub source: String,
    /// Node id of the object.
    pub target: String,
    /// The relation kind.
    pub relation: String,
    /// Pieces of evidence.
    pub weight: u32,
    /// The sentence of the first piece of evidence.
    pub quote: String,
    /// Paths of the documents holding evidence, sorted.
    pub documents: Vec<String>,
    /// The dates the evidence gives, sorted (ISO 8601, as precise as the
    /// text; `--MM-DD` when the year is unknown).
    pub dates: Vec<String>,
    /// Where the text gives those dates (`sentence`, `paragraph`,
    /// `dateline`, `letter`, `document`), sorted.
    pub date_sources: Vec<String>,
    /// Since when the relation held, if its evidence says (ISO 8601).
    pub from: Option<String>,
    /// Until when it held, if its evidence says (ISO 8601).
    pub until: Option<String>,
    /// Whether some evidence calls it a role no longer held.
    pub former: bool,
    /// With `former`, the earliest date of the evidence saying so: it had
    /// ended by then (ISO 8601).
    pub ended_by: Option<String>,
}

/// The selected part of a loaded graph.
pub struct View<'a> {
    store: &'a dyn Reader,
    graph: &'a Graph,
    nodes: Vec<NodeIndex>,
    edges: FxHashSet<EdgeIndex>,
    /// Every document's path, sorted, read once for nodes and edges.
    paths: PathRanks,
    /// Where the items handed to writers are counted.
    tally: Option<&'a Tally>,
}

/// The stored documents' paths, sorted, and each document's rank among
/// them: ranks sort as their paths do, and each path is read and allocated
/// once however many nodes and edges list it.
pub(crate) struct PathRanks {
    /// (document id, path), sorted by path.
    pub paths: Vec<(i64, Rc<str>)>,
    /// Each document's place in `paths`.
    pub rank: FxHashMap<i64, u32>,
}

impl PathRanks {
    /// The paths of every document of `store`.
    pub fn of(store: &dyn Reader) -> Result<PathRanks, ExportError> {
        let mut paths: Vec<(i64, Rc<str>)> = store
            .document_paths()?
            .into_iter()
            .map(|(id, path)| (id, Rc::from(path)))
            .collect();
        paths.sort_by(|a, b| a.1.cmp(&b.1));
        let rank = paths
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i as u32))
            .collect();
        Ok(PathRanks { paths, rank })
    }

    /// The path of rank `rank`.
    pub fn path(&self, rank: u32) -> &Rc<str> {
        &self.paths[rank as usize].1
    }
}

/// Documents' texts read one at a time, the last one kept: a reader going
/// through evidence grouped by document reads each text once.
pub(crate) struct Texts<'a> {
    store: &'a dyn Reader,
    current: Option<(i64, String)>,
    /// Where a damaged text is noted, to be left out; without one, a
    /// damaged text fails the export.
    tally: Option<&'a Tally>,
}

impl<'a> Texts<'a> {
    /// A reader of the texts of `store`, noting damaged ones in `tally`.
    pub fn new(store: &'a dyn Reader, tally: Option<&'a Tally>) -> Result<Texts<'a>, ExportError> {
        Ok(Texts {
            store,
            current: None,
            tally,
        })
    }

    /// The text of `document` (empty for a document that is gone, or whose
    /// stored text is damaged when there is a tally to note it in).
    pub fn of(&mut self, document: i64) -> Result<&str, ExportError> {
        if self.current.as_ref().is_none_or(|(id, _)| *id != document) {
            let text = match self.store.document_text(document) {
                Ok(text) => text.unwrap_or_default(),
                Err(e) => match (e.damaged_text(), self.tally) {
                    (Some(path), Some(tally)) => {
                        tally.damaged(path);
                        String::new()
                    }
                    _ => return Err(e.into()),
                },
            };
            self.current = Some((document, text));
        }
        Ok(&self.current.as_ref().expect("read above").1)
    }
}

impl<'a> View<'a> {
    /// Selects the part of `graph` that `filters` describe. Entities with
    /// mentions but no relation are nodes only when no filter is given
    /// (they belong to the whole graph, not to any relation's part).
    pub fn new(
        store: &'a dyn Reader,
        graph: &'a Graph,
        filters: &Filters,
    ) -> Result<View<'a>, ExportError> {
        let kinds: Option<Vec<u16>> = if filters.relations.is_empty() {
            None
        } else {
            let mut kinds = Vec::new();
            for name in &filters.relations {
                match graph.kind(name) {
                    Some(k) => kinds.push(k),
                    None if graph.empty_kinds().contains(&name.as_str()) => {}
                    None => {
                        return Err(ExportError::Filter(format!(
                            "unknown relation `{name}` (stored: {})",
                            graph.kinds.join(", ")
                        )));
                    }
                }
            }
            Some(kinds)
        };
        let type_ok = |node: NodeIndex| {
            filters.types.is_empty() || filters.types.contains(&graph.graph[node].kind)
        };
        let mut edges: FxHashSet<EdgeIndex> = graph
            .graph
            .edge_references()
            .filter(|e| kinds.as_ref().is_none_or(|k| k.contains(&e.weight().kind)))
            .filter(|e| e.weight().weight >= filters.min_weight)
            .filter(|e| type_ok(e.source()) && type_ok(e.target()))
            .map(|e| e.id())
            .collect();
        if let Some(query) = &filters.query {
            let answer = crate::query::ask(query, graph, store).map_err(|e| {
                ExportError::Filter(format!("--query: {}", e.render(query).trim_end()))
            })?;
            let matched: FxHashSet<EdgeIndex> = answer
                .rows
                .iter()
                .flat_map(|r| r.edges.iter().copied())
                .collect();
            edges.retain(|e| matched.contains(e));
        }
        if let Some(document) = &filters.document {
            let documents = store.documents_matching(document)?;
            if documents.is_empty() {
                return Err(ExportError::Filter(format!(
                    "no document matches `{document}`"
                )));
            }
            let mut with_evidence: FxHashSet<i64> = FxHashSet::default();
            for (id, _) in &documents {
                with_evidence.extend(store.relations_with_evidence_in(*id)?);
            }
            edges.retain(|e| with_evidence.contains(&graph.graph[*e].relation));
        }
        let centre = match (filters.around_entity, &filters.around) {
            (Some(id), _) => Some(
                graph
                    .entity(id)
                    .ok_or_else(|| ExportError::Filter(format!("entity {id} has no relations")))?,
            ),
            (None, Some(name)) => Some(around_node(store, graph, name)?),
            (None, None) => None,
        };
        if let Some(centre) = centre {
            let depth = filters.depth.unwrap_or(1);
            let mut reached: FxHashMap<NodeIndex, u64> = FxHashMap::default();
            reached.insert(centre, 0);
            let mut queue = VecDeque::from([centre]);
            while let Some(node) = queue.pop_front() {
                let d = reached[&node];
                if d >= depth {
                    continue;
                }
                for e in graph
                    .graph
                    .edges_directed(node, petgraph::Direction::Outgoing)
                    .chain(
                        graph
                            .graph
                            .edges_directed(node, petgraph::Direction::Incoming),
                    )
                {
                    if !edges.contains(&e.id()) {
                        continue;
                    }
                    let other = if e.source() == node {
                        e.target()
                    } else {
                        e.source()
                    };
                    if let std::collections::hash_map::Entry::Vacant(slot) = reached.entry(other) {
                        slot.insert(d + 1);
                        queue.push_back(other);
                    }
                }
            }
            edges.retain(|e| {
                let (s, t) = graph
                    .graph
                    .edge_endpoints(*e)
                    .expect("an edge of the graph");
                reached.contains_key(&s) && reached.contains_key(&t)
            });
        }
        let mut nodes: FxHashSet<NodeIndex> = FxHashSet::default();
        for e in &edges {
            let (s, t) = graph
                .graph
                .edge_endpoints(*e)
                .expect("an edge of the graph");
            nodes.insert(s);
            nodes.insert(t);
        }
        if filters.selects_all() {
            nodes.extend(graph.graph.node_indices());
        }
        let mut nodes: Vec<NodeIndex> = nodes.into_iter().collect();
        nodes.sort_by(|a, b| {
            let (x, y) = (&graph.graph[*a], &graph.graph[*b]);
            let doc = |k: NodeType| k != NodeType::Document;
            (doc(x.kind), x.kind, &x.name, x.id).cmp(&(doc(y.kind), y.kind, &y.name, y.id))
        });
        Ok(View {
            store,
            graph,
            nodes,
            edges,
            paths: PathRanks::of(store)?,
            tally: None,
        })
    }

    /// Counts every node and edge handed to a writer into `tally`, which
    /// expects them all.
    pub fn count_into(&mut self, tally: &'a Tally) {
        tally.expect((self.node_count() + self.edge_count()) as u64);
        self.tally = Some(tally);
    }

    /// Where the view counts what it hands out, if anywhere.
    pub(crate) fn tally(&self) -> Option<&'a Tally> {
        self.tally
    }

    /// The pieces of evidence of the selected edges.
    pub fn evidence_count(&self) -> u64 {
        self.edges
            .iter()
            .map(|e| u64::from(self.graph.graph[*e].weight))
            .sum()
    }

    /// The graph the view selects from.
    pub fn graph(&self) -> &Graph {
        self.graph
    }

    /// Number of selected nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of selected edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The ids (`entity:<id>`, `document:<id>`) of the selected nodes.
    pub fn node_ids(&self) -> FxHashSet<String> {
        self.nodes
            .iter()
            .map(|n| node_id(&self.graph.graph[*n]))
            .collect()
    }

    /// The database ids of the selected relations.
    pub fn relation_ids(&self) -> FxHashSet<i64> {
        self.edges
            .iter()
            .map(|e| self.graph.graph[*e].relation)
            .collect()
    }

    /// Whether `text` occurs in a value the exports write as an element of
    /// a list: a document path, or an alias (dates and their sources are
    /// ISO 8601 and fixed words, and never hold a delimiter).
    pub fn list_values_hold(&self, text: &str) -> Result<bool, ExportError> {
        if self.paths.paths.iter().any(|(_, path)| path.contains(text)) {
            return Ok(true);
        }
        Ok(self.store.aliases_hold(text)?)
    }

    /// Calls `each` with every selected node, in order.
    pub fn each_node(
        &self,
        mut each: impl FnMut(&NodeView) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        let rank = &self.paths.rank;
        // Mention counts and documents of the selected entities, from the
        // postings (a group's node counts every member's); aliases by id.
        let wanted: FxHashSet<i64> = self
            .nodes
            .iter()
            .filter(|n| self.graph.graph[**n].kind != NodeType::Document)
            .map(|n| self.graph.graph[*n].id)
            .collect();
        let same_as = self.graph.same_as();
        let mut mentions: FxHashMap<i64, (u64, Vec<u32>)> = FxHashMap::default();
        self.store.each_posting(&mut |p| {
            let node = same_as.node(p.entity);
            if wanted.contains(&node)
                && let Some(&r) = rank.get(&p.document)
            {
                let entry = mentions.entry(node).or_default();
                entry.0 += u64::from(p.mentions);
                entry.1.push(r);
            }
        })?;
        for &node in &self.nodes {
            let n = &self.graph.graph[node];
            let view = if n.kind == NodeType::Document {
                let count = self.store.document_mention_count(n.id)?;
                // A document node's name in the graph is its path.
                let title = self.store.document_title(n.id)?;
                NodeView {
                    id: node_id(n),
                    label: title
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| n.name.clone()),
                    path: Some(n.name.clone()),
                    kind: n.kind,
                    aliases: Vec::new(),
                    mentions: count.unwrap_or(0).max(0) as u64,
                    documents: vec![Rc::from(n.name.as_str())],
                }
            } else {
                let (count, mut ranks) = mentions.remove(&n.id).unwrap_or_default();
                ranks.sort_unstable();
                ranks.dedup();
                let documents: Vec<Rc<str>> =
                    ranks.iter().map(|&r| self.paths.path(r).clone()).collect();
                NodeView {
                    id: node_id(n),
                    label: n.name.clone(),
                    path: None,
                    kind: n.kind,
                    aliases: self.store.sorted_aliases(n.id)?,
                    mentions: count,
                    documents,
                }
            };
            each(&view)?;
            count(self.tally, 1)?;
        }
        Ok(())
    }

    /// Calls `each` with every selected edge: grouped by the document of
    /// its first piece of evidence, then by relation id.
    pub fn each_edge(
        &self,
        mut each: impl FnMut(&EdgeView) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        let by_relation: FxHashMap<i64, EdgeIndex> = self
            .edges
            .iter()
            .map(|e| (self.graph.graph[*e].relation, *e))
            .collect();
        // One query: each relation's first piece of evidence (for the quote)
        // with all its documents and dates, grouped by that first
        // document so each text is read once.
        let mut texts = Texts::new(self.store, self.tally)?;
        let wanted = |relation: i64| by_relation.contains_key(&relation);
        halting(
            |each| self.store.each_first_evidence(&wanted, each),
            |first| -> Result<(), ExportError> {
                let relation = first.relation;
                let Some(&edge) = by_relation.get(&relation) else {
                    return Ok(());
                };
                let text = texts.of(first.document)?;
                let (start, end) = (first.start, first.end);
                let quote = text
                    .get(start.max(0) as usize..end.max(0) as usize)
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                // Document ids and dates come joined with commas (an ISO date
                // has none).
                let mut ranks: Vec<u32> = first
                    .documents
                    .as_deref()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|d| d.parse::<i64>().ok())
                    .filter_map(|d| self.paths.rank.get(&d).copied())
                    .collect();
                ranks.sort_unstable();
                ranks.dedup();
                let documents: Vec<String> = ranks
                    .iter()
                    .map(|&r| self.paths.path(r).to_string())
                    .collect();
                let dates = comma_list(first.dates.as_deref());
                let date_sources = comma_list(first.date_sources.as_deref());
                let (s, t) = self
                    .graph
                    .graph
                    .edge_endpoints(edge)
                    .expect("an edge of the graph");
                let data = self.graph.graph[edge];
                each(&EdgeView {
                    id: format!("relation:{relation}"),
                    source: node_id(&self.graph.graph[s]),
                    target: node_id(&self.graph.graph[t]),
                    relation: self.graph.kinds[data.kind as usize].clone(),
                    weight: data.weight,
                    quote,
                    documents,
                    dates,
                    date_sources,
                    from: data.from.and_then(|d| d.iso()),
                    until: data.until.and_then(|d| d.iso()),
                    former: data.former,
                    ended_by: data.ended_by.and_then(|d| d.iso()),
                })?;
                count(self.tally, 1)?;
                Ok(())
            },
        )
    }
}

/// The distinct items of a comma-joined list (dates and their sources: an
/// ISO date has no comma), sorted.
fn comma_list(joined: Option<&str>) -> Vec<String> {
    let mut items: Vec<String> = joined
        .unwrap_or_default()
        .split(',')
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .collect();
    items.sort();
    items.dedup();
    items
}

/// The stable id of a node in every export: `document:<db id>` or
/// `entity:<db id>`.
fn node_id(node: &crate::graph::Node) -> String {
    match node.kind {
        NodeType::Document => format!("document:{}", node.id),
        _ => format!("entity:{}", node.id),
    }
}

/// The node a name designates, for `--around`.
fn around_node(store: &dyn Reader, graph: &Graph, name: &str) -> Result<NodeIndex, ExportError> {
    let named = store.entities_named(name)?;
    let nodes: Vec<NodeIndex> = named.iter().filter_map(|n| graph.entity(n.id)).collect();
    match nodes.as_slice() {
        [node] => Ok(*node),
        [] if named.is_empty() => {
            let similar = store.similar_names(name, 5)?;
            Err(ExportError::Filter(format!(
                "--around: no entity is named `{name}`{}",
                crate::spelling::did_you_mean(&similar)
            )))
        }
        [] => Err(ExportError::Filter(format!(
            "--around: `{name}` has no relations"
        ))),
        _ => Err(ExportError::Filter(format!(
            "--around: `{name}` is ambiguous: {}",
            named
                .iter()
                .map(|n| format!("{} `{}`", n.kind, n.name))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
