//! The vocabulary shared by every stage: entity types and their names.

use std::fmt;
use std::str::FromStr;

/// The kind of thing a gazetteer entity is. Each type has its own gazetteer
/// file, named by [`EntityType::file_name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    /// A human being.
    Person,
    /// A body of people: a parliament, party, government, court, newspaper.
    Organisation,
    /// A location that is not a polity: a city, region, river, continent.
    Place,
    /// A sovereign, self-declared or federated polity acting as such.
    State,
}

impl EntityType {
    /// Every type, in the order of their files.
    pub const ALL: [EntityType; 4] = [
        EntityType::Person,
        EntityType::Organisation,
        EntityType::Place,
        EntityType::State,
    ];

    /// The name used in files, the database and the CLI (`person`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organisation => "organisation",
            EntityType::Place => "place",
            EntityType::State => "state",
        }
    }

    /// The gazetteer file holding this type (`people.tsv`, ...).
    pub fn file_name(self) -> &'static str {
        match self {
            EntityType::Person => "people.tsv",
            EntityType::Organisation => "organisations.tsv",
            EntityType::Place => "places.tsv",
            EntityType::State => "states.tsv",
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown entity type name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown entity type `{0}` (expected person, organisation, place or state)")]
pub struct UnknownType(pub String);

impl FromStr for EntityType {
    type Err = UnknownType;

    /// Accepts every spelling of [`TYPE_WORDS`] but `document`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NodeType::from_word(s)
            .and_then(NodeType::entity_type)
            .ok_or_else(|| UnknownType(s.to_string()))
    }
}

/// Every word that names a type, whatever its case: the canonical names,
/// plurals and common spellings. The one table that gazetteer commands,
/// exports and the query language read types by.
pub const TYPE_WORDS: [(&str, NodeType); 19] = [
    ("person", NodeType::Person),
    ("people", NodeType::Person),
    ("persons", NodeType::Person),
    ("per", NodeType::Person),
    ("organisation", NodeType::Organisation),
    ("organisations", NodeType::Organisation),
    ("organization", NodeType::Organisation),
    ("organizations", NodeType::Organisation),
    ("org", NodeType::Organisation),
    ("place", NodeType::Place),
    ("places", NodeType::Place),
    ("location", NodeType::Place),
    ("loc", NodeType::Place),
    ("state", NodeType::State),
    ("states", NodeType::State),
    ("country", NodeType::State),
    ("countries", NodeType::State),
    ("document", NodeType::Document),
    ("documents", NodeType::Document),
];

impl From<EntityType> for NodeType {
    fn from(kind: EntityType) -> NodeType {
        match kind {
            EntityType::Person => NodeType::Person,
            EntityType::Organisation => NodeType::Organisation,
            EntityType::Place => NodeType::Place,
            EntityType::State => NodeType::State,
        }
    }
}

/// The type of a graph node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeType {
    /// `person`.
    Person,
    /// `organisation` (also `organization`).
    Organisation,
    /// `place`.
    Place,
    /// `state`.
    State,
    /// `document`.
    Document,
}

impl NodeType {
    /// Every type, in the order above.
    pub const ALL: [NodeType; 5] = [
        NodeType::Person,
        NodeType::Organisation,
        NodeType::Place,
        NodeType::State,
        NodeType::Document,
    ];

    /// The word a query uses for it.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeType::Person => "person",
            NodeType::Organisation => "organisation",
            NodeType::Place => "place",
            NodeType::State => "state",
            NodeType::Document => "document",
        }
    }
}

impl NodeType {
    /// The type `word` names in [`TYPE_WORDS`], whatever its case.
    pub fn from_word(word: &str) -> Option<NodeType> {
        let word = word.trim();
        TYPE_WORDS
            .iter()
            .find(|(spelling, _)| spelling.eq_ignore_ascii_case(word))
            .map(|&(_, node_type)| node_type)
    }

    /// The entity type of a node that is an entity.
    pub fn entity_type(self) -> Option<EntityType> {
        match self {
            NodeType::Person => Some(EntityType::Person),
            NodeType::Organisation => Some(EntityType::Organisation),
            NodeType::Place => Some(EntityType::Place),
            NodeType::State => Some(EntityType::State),
            NodeType::Document => None,
        }
    }
}

impl fmt::Display for NodeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_reads_the_same_everywhere() {
        for (word, node_type) in TYPE_WORDS {
            assert_eq!(NodeType::from_word(word), Some(node_type), "{word}");
            assert_eq!(
                NodeType::from_word(&format!(" {} ", word.to_uppercase())),
                Some(node_type)
            );
            assert_eq!(word.parse::<EntityType>().ok(), node_type.entity_type());
        }
        assert_eq!(NodeType::from_word("peeple"), None);
        let err = "document".parse::<EntityType>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown entity type `document` (expected person, organisation, place or state)"
        );
    }

    #[test]
    fn each_type_names_itself() {
        for node_type in NodeType::ALL {
            assert_eq!(NodeType::from_word(node_type.as_str()), Some(node_type));
        }
        for kind in EntityType::ALL {
            assert_eq!(NodeType::from(kind).entity_type(), Some(kind));
        }
    }
}
