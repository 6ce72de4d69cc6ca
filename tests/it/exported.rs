//! `export json` parsed, for the tests of the other exports, which compare
//! what an independent reader finds in their files with it.

#![allow(dead_code)]

use crate::support::Scratch;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// `export json`, parsed.
#[derive(Debug, Deserialize)]
pub struct Graph {
    /// Its nodes.
    pub nodes: Vec<JsonNode>,
    /// Its edges.
    pub edges: Vec<JsonEdge>,
}

/// A node of `export json`.
#[derive(Debug, Deserialize)]
pub struct JsonNode {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub documents: Vec<String>,
    pub mentions: i64,
    pub path: Option<String>,
}

impl JsonNode {
    /// The label the other exports give the node: its name, which is a
    /// document's title and an entity's canonical name (a document's path
    /// is an attribute of its own).
    pub fn label(&self) -> &str {
        &self.name
    }
}

/// An edge of `export json`.
#[derive(Debug, Deserialize)]
pub struct JsonEdge {
    pub source: String,
    pub target: String,
    pub relation: String,
    pub weight: usize,
    /// The period the evidence gives the relation, when it gives one.
    pub from: Option<String>,
    pub until: Option<String>,
    #[serde(default)]
    pub former: bool,
    pub ended_by: Option<String>,
    pub evidence: Vec<JsonEvidence>,
}

/// A piece of evidence of `export json`.
#[derive(Debug, Deserialize)]
pub struct JsonEvidence {
    pub document: String,
    pub quote: String,
    pub date: Option<String>,
}

impl Graph {
    /// `export json` of the scratch database.
    pub fn of(s: &Scratch) -> Graph {
        s.run(&["export", "json"]).ok().json()
    }

    /// The nodes the view-based exports hold: every document and every
    /// entity with a relation, by id.
    pub fn exported(&self) -> BTreeMap<&str, &JsonNode> {
        let related: BTreeSet<&str> = self
            .edges
            .iter()
            .flat_map(|e| [e.source.as_str(), e.target.as_str()])
            .collect();
        self.nodes
            .iter()
            .filter(|n| n.kind == "document" || related.contains(n.id.as_str()))
            .map(|n| (n.id.as_str(), n))
            .collect()
    }
}
