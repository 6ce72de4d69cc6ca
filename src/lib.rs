//! dossier turns plain-text documents into a knowledge graph of who is who
//! and who did what, keeping the source of every fact.
//!
//! # Pipeline
//!
//! ```text
//! files ─ document::decode ─ matcher::Matcher::find ─ mention::resolve ─ store::Store
//!            (bytes → text)     (text → matches)       (→ mentions)      (SQLite)
//! ```
//!
//! - [`workspace`] settles the database and the gazetteer folders of a
//!   run, and [`lexicon`] loads the folders: names ([`gazetteer`]),
//!   metonymy words and relation rules ([`relations`]);
//! - [`normalize`] is the one folding of names and text (case, diacritics,
//!   apostrophes, dashes, white space), so they cannot disagree;
//! - [`matcher`] compiles the names into a token trie and finds
//!   leftmost-longest matches;
//! - [`mention`] settles or keeps ambiguous names per document, and
//!   [`metonymy`] reads "Kyiv said" as the state of Ukraine;
//! - [`ingest`] runs reading and matching on every core (with what
//!   [`engine`] made ready) and writes whole documents per transaction
//!   through [`store`], the only module that runs SQL;
//! - [`query`], [`explain`], [`export`] and [`eval`] read the store
//!   through [`store::Reader`] and return typed rows; the binary renders
//!   them; [`forget`] removes documents from it;
//! - a gazetteer's `same-as` ([`gazetteer::same_as`]) makes entries one
//!   node of the graph, which the store keeps and its readers follow.
//!
//! # Example
//!
//! ```
//! use dossier::gazetteer::{Entry, Gazetteer, Origin};
//! use dossier::matcher::{Matcher, Scratch};
//! use dossier::model::EntityType;
//!
//! let gazetteer = Gazetteer::from_entries(vec![Entry {
//!     kind: EntityType::State,
//!     name: "Chechen Republic of Ichkeria".into(),
//!     aliases: vec!["Ichkeria".into(), "Noxçiyçö".into()],
//!     attributes: vec![],
//!     origin: Origin { file: 0, line: 1 },
//! }]);
//! let matcher = Matcher::build(&gazetteer);
//! let text = "The CHECHEN REPUBLIC OF\nICHKERIA (Noxciyco) declared…";
//! let mut found = Vec::new();
//! matcher.find(text, &mut Scratch::default(), &mut found);
//! let surfaces: Vec<&str> = found.iter().map(|m| &text[m.start as usize..m.end as usize]).collect();
//! assert_eq!(surfaces, ["CHECHEN REPUBLIC OF\nICHKERIA", "Noxciyco"]);
//! ```

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod browse;
pub mod changes;
pub mod document;
pub mod engine;
pub mod eval;
pub mod explain;
pub mod export;
pub mod forget;
pub mod gazetteer;
pub mod graph;
pub mod ingest;
pub mod lexicon;
pub mod matcher;
pub mod mention;
pub mod metonymy;
pub mod model;
pub mod normalize;
pub mod parallel;
pub mod query;
pub mod readahead;
pub mod relations;
pub mod spelling;
pub mod spreadsheet;
pub mod store;
pub mod suggest;
pub mod workspace;
