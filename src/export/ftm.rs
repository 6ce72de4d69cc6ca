//! FollowTheMoney entities as JSON lines, for Aleph, `ftm` and the
//! OpenSanctions tools: one entity per line,
//! `{"id": …, "schema": …, "properties": {"name": ["…"], …}}`, every property
//! value a list of strings, empty properties left out.
//!
//! Ids are the view's ids with a prefix and `-` for `:`: `entity:12` becomes
//! `dossier-entity-12`, `document:3` `dossier-document-3` and `relation:5`
//! `dossier-relation-5`.
//!
//! Nodes:
//! - a person is a `Person` (`name`, `alias`);
//! - an organisation is an `Organization` (`name`, `alias`);
//! - a state is a `PublicBody` (`name`, `alias`). FollowTheMoney has no
//!   schema for a polity; in the texts dossier reads a state acts as a body
//!   (it recognises, condemns, occupies, is led and has members), and
//!   `PublicBody` is the subtype of `Organization` for a public authority,
//!   so a state can be the `organization` of a `Membership` or a
//!   `Directorship`, which a `Country` or an `Address` could not;
//! - a place is an `Address` (`full` and `name` the place's name, `alias`),
//!   the one schema of the model for a location;
//! - a document is a `Document` (`title` its title, `fileName` its path as
//!   dossier stores it: the model has no property for a path, and the path
//!   is how dossier names the file).
//!
//! Relations, from the subject to the object:
//! - `member-of` is a `Membership` (`member`, `organization`, `role`
//!   `member`);
//! - `leads` is a `Directorship` (`director`, `organization`, `role`
//!   `leads`);
//! - `signed` is a `Documentation` (`entity` the signer, `document`, `role`
//!   `signed`);
//! - every other kind (`resides-in`, `recognised`, `condemned`, `occupies`,
//!   `appealed-to` and any a gazetteer adds) is an `UnknownLink` (`subject`,
//!   `object`, `role` the kind).
//!
//! A relation whose ends do not fit its schema's ranges (a `Membership` of
//! a place, a `Documentation` whose object is not a document) is an
//! `UnknownLink` too. Every relation also gets `description`, the sentence
//! of its first piece of evidence; `date`, the dates its evidence gives that
//! have a year (a `--MM-DD` date is not a FollowTheMoney date); and `proof`,
//! the documents holding its evidence that the export holds. The dates go to
//! `date` and not `startDate`: they say when a text reports the relation,
//! not when it began. When the evidence gives the relation a period ("judge
//! (2002–2005)", "since 1994"), its ends are `startDate` and `endDate`.

use super::ExportError;
use super::view::{EdgeView, NodeView, View};
use crate::model::NodeType;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};
use std::io::Write;

/// Writes `view` as FollowTheMoney JSON lines to `out`: the nodes, then the
/// relations.
pub fn write(view: &View<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    // The entity ids of the documents written, by path, for `proof`: the
    // one thing kept from the nodes for the relations, an entry per
    // document.
    let mut documents: FxHashMap<String, String> = FxHashMap::default();
    view.each_node(|node: &NodeView| {
        let id = ftm_id(&node.id);
        if let Some(path) = &node.path {
            documents.insert(path.clone(), id.clone());
        }
        let (schema, properties) = node_properties(node);
        line(out, &id, schema, properties)
    })?;
    view.each_edge(|edge: &EdgeView| {
        let ends = (kind_of(view, &edge.source), kind_of(view, &edge.target));
        let link = Link::of(&edge.relation, ends);
        let mut properties = Properties::default();
        properties.add(link.source, [ftm_id(&edge.source)]);
        properties.add(link.target, [ftm_id(&edge.target)]);
        properties.add("role", [link.role.unwrap_or(&edge.relation).to_string()]);
        properties.add("description", [edge.quote.clone()]);
        properties.add("date", edge.dates.iter().filter(|d| has_year(d)).cloned());
        properties.add("startDate", edge.from.iter().cloned());
        properties.add("endDate", edge.until.iter().cloned());
        properties.add(
            "proof",
            edge.documents
                .iter()
                .filter_map(|path| documents.get(path).cloned()),
        );
        line(out, &ftm_id(&edge.id), link.schema, properties)
    })?;
    out.flush()?;
    Ok(())
}

/// The schema and properties of a node.
fn node_properties(node: &NodeView) -> (&'static str, Properties) {
    let mut properties = Properties::default();
    let schema = match node.kind {
        NodeType::Person => "Person",
        NodeType::Organisation => "Organization",
        NodeType::State => "PublicBody",
        NodeType::Place => {
            properties.add("full", [node.label.clone()]);
            "Address"
        }
        NodeType::Document => {
            let path = node.path.as_deref().unwrap_or(&node.label);
            properties.add("fileName", [path.to_string()]);
            properties.add("title", [node.label.clone()]);
            return ("Document", properties);
        }
    };
    properties.add("name", [node.label.clone()]);
    properties.add("alias", node.aliases.iter().cloned());
    (schema, properties)
}

/// The schema of a relation and the names of its properties.
#[derive(Debug, PartialEq)]
struct Link {
    /// The schema.
    schema: &'static str,
    /// The property holding the subject.
    source: &'static str,
    /// The property holding the object.
    target: &'static str,
    /// The role, when it is not the relation kind itself.
    role: Option<&'static str>,
}

impl Link {
    /// The link for a relation of kind `relation` between nodes of the
    /// given types (`None`: not found in the graph).
    fn of(relation: &str, (source, target): (Option<NodeType>, Option<NodeType>)) -> Link {
        // `LegalEntity` and `Organization` in the model: what a person,
        // an organisation and a state map to.
        let legal_entity = |k: Option<NodeType>| {
            matches!(
                k,
                Some(NodeType::Person | NodeType::Organisation | NodeType::State)
            )
        };
        let organization =
            |k: Option<NodeType>| matches!(k, Some(NodeType::Organisation | NodeType::State));
        match relation {
            "member-of" if legal_entity(source) && organization(target) => Link {
                schema: "Membership",
                source: "member",
                target: "organization",
                role: Some("member"),
            },
            "leads" if legal_entity(source) && organization(target) => Link {
                schema: "Directorship",
                source: "director",
                target: "organization",
                role: Some("leads"),
            },
            // Every node maps to a `Thing`, the range of `entity`.
            "signed" if source.is_some() && target == Some(NodeType::Document) => Link {
                schema: "Documentation",
                source: "entity",
                target: "document",
                role: Some("signed"),
            },
            _ => Link {
                schema: "UnknownLink",
                source: "subject",
                target: "object",
                role: None,
            },
        }
    }
}

/// The properties of an entity, by name, each a list of strings.
#[derive(Default)]
struct Properties(Map<String, Value>);

impl Properties {
    /// Appends the non-empty `values` to property `name`, without the
    /// control characters FollowTheMoney's model deletes when it cleans a
    /// value (all but tab and line breaks).
    fn add(&mut self, name: &str, values: impl IntoIterator<Item = String>) {
        let mut values = values
            .into_iter()
            .map(|v| {
                if v.contains(is_deleted_control) {
                    v.replace(is_deleted_control, "")
                } else {
                    v
                }
            })
            .filter(|v| !v.trim().is_empty())
            .peekable();
        if values.peek().is_none() {
            return;
        }
        let list = self
            .0
            .entry(name)
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            list.extend(values.map(Value::String));
        }
    }
}

/// A control character FollowTheMoney deletes from a value.
fn is_deleted_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Writes one entity as a line of JSON.
fn line(
    out: &mut dyn Write,
    id: &str,
    schema: &str,
    properties: Properties,
) -> Result<(), ExportError> {
    // Written field by field, so that the fields come in the order the
    // FollowTheMoney tools write them.
    out.write_all(b"{\"id\":")?;
    serde_json::to_writer(&mut *out, id).map_err(std::io::Error::from)?;
    out.write_all(b",\"schema\":")?;
    serde_json::to_writer(&mut *out, schema).map_err(std::io::Error::from)?;
    out.write_all(b",\"properties\":")?;
    serde_json::to_writer(&mut *out, &properties.0).map_err(std::io::Error::from)?;
    out.write_all(b"}\n")?;
    Ok(())
}

/// The FollowTheMoney id of a view id: `dossier-` and the view id with every
/// character an id may not hold (`:` among them) written `-`.
fn ftm_id(view_id: &str) -> String {
    let clean: String = view_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("dossier-{clean}")
}

/// The type of the node with view id `id`, looked up in the view's graph.
fn kind_of(view: &View<'_>, id: &str) -> Option<NodeType> {
    let graph = view.graph();
    let node = match id.split_once(':')? {
        ("entity", n) => graph.entity(n.parse().ok()?)?,
        ("document", n) => graph.document(n.parse().ok()?)?,
        _ => return None,
    };
    Some(graph.graph[node].kind)
}

/// Whether an ISO 8601 date names its year (`2022`, `2022-10`,
/// `2022-10-18`), as a FollowTheMoney date must; `--10-18` does not.
fn has_year(date: &str) -> bool {
    date.len() >= 4 && date.as_bytes()[..4].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn relations_fall_back_to_unknown_links_when_the_ends_do_not_fit() {
        use NodeType::*;
        let schema = |r: &str, s: NodeType, t: NodeType| Link::of(r, (Some(s), Some(t))).schema;
        assert_eq!(schema("member-of", Person, Organisation), "Membership");
        assert_eq!(schema("member-of", State, State), "Membership");
        assert_eq!(schema("member-of", Person, Place), "UnknownLink");
        assert_eq!(schema("leads", Person, State), "Directorship");
        assert_eq!(schema("leads", Place, Organisation), "UnknownLink");
        assert_eq!(schema("signed", Organisation, Document), "Documentation");
        assert_eq!(schema("signed", Person, Organisation), "UnknownLink");
        assert_eq!(schema("resides-in", Person, Place), "UnknownLink");
        assert_eq!(Link::of("leads", (None, Some(State))).schema, "UnknownLink");
    }

    #[test]
    fn ids_are_prefixed_and_clean() {
        assert_eq!(ftm_id("entity:12"), "dossier-entity-12");
        assert_eq!(ftm_id("relation:5"), "dossier-relation-5");
    }

    #[test]
    fn only_dates_with_a_year_are_kept() {
        assert!(has_year("2022-10-18"));
        assert!(has_year("2022-10"));
        assert!(has_year("2022"));
        assert!(!has_year("--10-18"));
    }

    #[test]
    fn empty_values_are_left_out() {
        let mut p = Properties::default();
        p.add("alias", [String::new(), " ".to_string()]);
        p.add("name", ["A".to_string()]);
        p.add("name", ["B".to_string()]);
        // Control characters go, as the model's cleaning deletes them.
        p.add(
            "name",
            ["C\u{7}D\u{1b}\u{9f}".to_string(), "\u{1}".to_string()],
        );
        p.add("title", ["a\tb\nc".to_string()]);
        assert_eq!(
            Value::Object(p.0),
            json!({"name": ["A", "B", "CD"], "title": ["a\tb\nc"]})
        );
    }
}
