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

    /// Accepts the canonical names, plurals, and the common spellings
    /// `organization`/`org`/`people`/`country`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "person" | "people" | "persons" | "per" => Ok(EntityType::Person),
            "organisation" | "organisations" | "organization" | "organizations" | "org" => {
                Ok(EntityType::Organisation)
            }
            "place" | "places" | "location" | "loc" => Ok(EntityType::Place),
            "state" | "states" | "country" | "countries" => Ok(EntityType::State),
            _ => Err(UnknownType(s.to_string())),
        }
    }
}
