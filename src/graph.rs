//! The graph the query language runs on, loaded from the store: documents
//! and entities are petgraph nodes, relations are edges (subject → object)
//! with their kind, their database id (for the evidence), their weight
//! (the number of pieces of evidence) and the period their evidence gives
//! them.
//!
//! Only what questions over relations need is loaded: every document,
//! every entity that is related, every relation. Names are resolved through
//! the store (canonical names and aliases, folded), so the graph holds no
//! alias strings; mention counts stay in the store too.
//!
//! Entities of a `same-as` group are one node: the group's node entity
//! (its id, name and type), which every relation of every member attaches
//! to, and which [`Graph::entity`] gives for any member. A relation stays
//! one edge, so a relation stated of two members is two parallel edges.

use crate::model::{EntityType, NodeType};
use crate::relations::dates::Date;
use crate::store::{DocumentId, EntityId, GraphReader, SameAs, StoreError};
use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap;

/// A node: a document or an entity.
#[derive(Clone, Debug)]
pub struct Node {
    /// Its type.
    pub kind: NodeType,
    /// Database id (of the document or the entity).
    pub id: i64,
    /// Canonical name, or a document's path.
    pub name: String,
}

/// An edge: one relation.
#[derive(Clone, Copy, Debug)]
pub struct Edge {
    /// Index into [`Graph::kinds`].
    pub kind: u16,
    /// Database id of the relation (its evidence is looked up by it).
    pub relation: i64,
    /// Pieces of evidence.
    pub weight: u32,
    /// Since when it held, if its evidence says (the earliest start given).
    pub from: Option<Date>,
    /// Until when it held, if its evidence says (the latest end given).
    pub until: Option<Date>,
    /// Whether some evidence calls it a role no longer held ("former
    /// deputy head of …").
    pub former: bool,
    /// With `former`: the earliest date of the evidence that says so; it
    /// had ended by then.
    pub ended_by: Option<Date>,
}

/// The loaded graph.
pub struct Graph {
    /// Nodes and edges.
    pub graph: DiGraph<Node, Edge>,
    /// The relation kinds, sorted.
    pub kinds: Vec<String>,
    /// The edges of each kind, by kind index.
    pub by_kind: Vec<Vec<EdgeIndex>>,
    /// Kinds known to exist (the rules give them) that no edge has yet.
    declared: Vec<String>,
    entities: FxHashMap<EntityId, NodeIndex>,
    documents: FxHashMap<DocumentId, NodeIndex>,
    same_as: SameAs,
}

impl Graph {
    /// Loads the graph from the store: one pass over each table, no sort.
    pub fn load(store: &dyn GraphReader) -> Result<Graph, StoreError> {
        let mut graph = DiGraph::new();
        let mut documents = FxHashMap::default();
        store.each_document_path(&mut |id, path| {
            let node = graph.add_node(Node {
                kind: NodeType::Document,
                id,
                name: path,
            });
            documents.insert(id, node);
        })?;
        // The relations, their kinds, and the entities they relate.
        struct Raw {
            id: i64,
            subject: EntityId,
            kind: u16,
            object_entity: Option<EntityId>,
            object_document: Option<DocumentId>,
            from: Option<Date>,
            until: Option<Date>,
            former: bool,
            ended_by: Option<Date>,
        }
        let mut raw: Vec<Raw> = Vec::new();
        let mut kind_ids: FxHashMap<String, u16> = FxHashMap::default();
        // Keyed by node: a relation of a group's member is its node's.
        let same_as = store.same_as()?;
        let mut related: FxHashMap<EntityId, NodeIndex> = FxHashMap::default();
        store.each_relation(&mut |row| {
            let next = kind_ids.len() as u16;
            let kind = match kind_ids.get(row.kind) {
                Some(&k) => k,
                None => {
                    kind_ids.insert(row.kind.to_string(), next);
                    next
                }
            };
            let subject = same_as.node(row.subject);
            let object_entity = row.object_entity.map(|o| same_as.node(o));
            related.insert(subject, NodeIndex::end());
            if let Some(o) = object_entity {
                related.insert(o, NodeIndex::end());
            }
            raw.push(Raw {
                id: row.id,
                subject,
                kind,
                object_entity,
                object_document: row.object_document,
                from: row.valid_from.and_then(Date::parse),
                until: row.valid_until.and_then(Date::parse),
                former: row.former,
                ended_by: row.ended_by.and_then(Date::parse),
            });
        })?;
        let mut weights: FxHashMap<i64, u32> = FxHashMap::default();
        store.each_evidence_count(&mut |relation, count| {
            weights.insert(relation, count);
        })?;
        store.each_entity_name(&mut |id, kind, name| {
            let Some(slot) = related.get_mut(&id) else {
                return;
            };
            let Ok(kind) = kind.parse::<EntityType>() else {
                return;
            };
            *slot = graph.add_node(Node {
                kind: NodeType::from(kind),
                id,
                name: name.to_string(),
            });
        })?;
        // Kinds sorted by name; edges renumbered to match.
        let mut kinds: Vec<String> = kind_ids.keys().cloned().collect();
        kinds.sort();
        let mut renumber = vec![0u16; kinds.len()];
        for (name, &old) in &kind_ids {
            renumber[old as usize] = kinds.binary_search(name).unwrap_or(0) as u16;
        }
        let mut by_kind = vec![Vec::new(); kinds.len()];
        for r in raw {
            let from = related
                .get(&r.subject)
                .copied()
                .filter(|n| *n != NodeIndex::end());
            let to = match (r.object_entity, r.object_document) {
                (Some(id), _) => related.get(&id).copied().filter(|n| *n != NodeIndex::end()),
                (None, Some(id)) => documents.get(&id).copied(),
                (None, None) => None,
            };
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            let kind = renumber[r.kind as usize];
            let edge = graph.add_edge(
                from,
                to,
                Edge {
                    kind,
                    relation: r.id,
                    weight: weights.get(&r.id).copied().unwrap_or(0),
                    from: r.from,
                    until: r.until,
                    former: r.former,
                    ended_by: r.ended_by,
                },
            );
            by_kind[kind as usize].push(edge);
        }
        related.retain(|_, n| *n != NodeIndex::end());
        // A member's id finds its group's node.
        let members: Vec<(EntityId, NodeIndex)> = same_as
            .links()
            .filter_map(|(member, node)| Some((member, *related.get(&node)?)))
            .collect();
        related.extend(members);
        Ok(Graph {
            graph,
            kinds,
            by_kind,
            declared: Vec::new(),
            entities: related,
            documents,
            same_as,
        })
    }

    /// Declares relation kinds that exist though no edge may have them
    /// yet (those the loaded rules give): asking for one finds nothing
    /// rather than being an unknown kind.
    pub fn declare_kinds(&mut self, kinds: impl IntoIterator<Item = String>) {
        for kind in kinds {
            if self.kind(&kind).is_none() && !self.declared.contains(&kind) {
                self.declared.push(kind);
            }
        }
        self.declared.sort();
    }

    /// The kinds without edges that are known all the same: those
    /// declared and the kinds of the annotation schema.
    pub fn empty_kinds(&self) -> Vec<&str> {
        let mut kinds: Vec<&str> = self.declared.iter().map(String::as_str).collect();
        kinds.extend(
            crate::eval::SCHEMA_KINDS
                .iter()
                .filter(|k| self.kind(k).is_none()),
        );
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }

    /// The node of a database entity, if the graph has it: for a member of
    /// a `same-as` group, its group's node.
    pub fn entity(&self, id: EntityId) -> Option<NodeIndex> {
        self.entities.get(&id).copied()
    }

    /// The `same-as` groups the graph was loaded with.
    pub fn same_as(&self) -> &SameAs {
        &self.same_as
    }

    /// The node of a database document.
    pub fn document(&self, id: DocumentId) -> Option<NodeIndex> {
        self.documents.get(&id).copied()
    }

    /// The index of a relation kind.
    pub fn kind(&self, name: &str) -> Option<u16> {
        self.kinds
            .binary_search_by(|k| k.as_str().cmp(name))
            .ok()
            .map(|i| i as u16)
    }

    /// The edges at `node` in `direction` (outgoing: `node` is the subject).
    pub fn edges_at(
        &self,
        node: NodeIndex,
        direction: Direction,
    ) -> impl Iterator<Item = (EdgeIndex, NodeIndex, &Edge)> + '_ {
        use petgraph::visit::EdgeRef;
        self.graph.edges_directed(node, direction).map(move |e| {
            let other = if direction == Direction::Outgoing {
                e.target()
            } else {
                e.source()
            };
            (e.id(), other, e.weight())
        })
    }
}

#[cfg(test)]
impl Graph {
    /// A graph of `nodes` (type and name; an entity's id is its place
    /// from 1) and `edges` (subject, kind, object, by place), for the
    /// tests of what reads graphs.
    pub(crate) fn of(nodes: &[(NodeType, &str)], edges: &[(usize, &str, usize)]) -> Graph {
        let mut graph = DiGraph::new();
        let mut entities = FxHashMap::default();
        let mut documents = FxHashMap::default();
        for (at, (kind, name)) in nodes.iter().enumerate() {
            let id = at as i64 + 1;
            let node = graph.add_node(Node {
                kind: *kind,
                id,
                name: name.to_string(),
            });
            if *kind == NodeType::Document {
                documents.insert(id, node);
            } else {
                entities.insert(id, node);
            }
        }
        let mut kinds: Vec<String> = edges.iter().map(|(_, k, _)| k.to_string()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let mut by_kind = vec![Vec::new(); kinds.len()];
        for (at, (from, kind, to)) in edges.iter().enumerate() {
            let kind = kinds.binary_search(&kind.to_string()).unwrap_or(0) as u16;
            let edge = graph.add_edge(
                NodeIndex::new(*from),
                NodeIndex::new(*to),
                Edge {
                    kind,
                    relation: at as i64 + 1,
                    weight: 1,
                    from: None,
                    until: None,
                    former: false,
                    ended_by: None,
                },
            );
            by_kind[kind as usize].push(edge);
        }
        Graph {
            graph,
            kinds,
            by_kind,
            declared: Vec::new(),
            entities,
            documents,
            same_as: SameAs::default(),
        }
    }
}
