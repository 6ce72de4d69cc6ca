//! The query language: ask the graph, with sources.
//!
//! A query goes through stages, each in its own module, the syntax tree
//! ([`ast`]) being the boundary between parsing and the rest:
//!
//! ```text
//! text ─ lexer ─► tokens ─ parser ─► ast::Query ─ plan ─► plan::Plan ─ exec ─► exec::Answer
//!                 (spans)            (spans)      (names resolved,   (joins over the
//!                                                  patterns ordered)  petgraph adjacency)
//! ```
//!
//! `exec` reads `plan`'s types and the answer columns it defines; `plan`
//! knows nothing of `exec`.
//!
//! Every error is a [`QueryError`] with the span of the query it is about;
//! [`QueryError::render`] shows it with a caret.

pub mod ast;
pub mod budget;
pub mod error;
pub mod exec;
pub mod lexer;
pub mod parser;
pub mod plan;

pub use budget::Budget;
pub use error::QueryError;
pub use exec::{Answer, Cell, Row};
pub use parser::parse;

use crate::graph::Graph;
use crate::store::Catalog;

/// Parses, plans and runs `text` against `graph`, resolving names through
/// `store`, within the default [`Budget`].
pub fn ask(text: &str, graph: &Graph, store: &dyn Catalog) -> Result<Answer, QueryError> {
    ask_within(text, graph, store, &Budget::default())
}

/// A query's first error when it is a syntax error or a name that
/// designates nothing, found from the store alone: before loading the
/// graph, which on a large database costs far more than saying so.
/// `known_kind` says which relation kinds exist (stored, or given by the
/// rules); `Ok` leaves any other error to [`ask`].
pub fn unknown_name_first(
    text: &str,
    store: &dyn Catalog,
    known_kind: &dyn Fn(&str) -> bool,
) -> Result<(), QueryError> {
    plan::unknown_name_first(&parse(text)?, store, known_kind)
}

/// [`ask`] within `budget`: a query that would hold more memory or run
/// longer stops with an error at its patterns.
pub fn ask_within(
    text: &str,
    graph: &Graph,
    store: &dyn Catalog,
    budget: &Budget,
) -> Result<Answer, QueryError> {
    let query = parse(text)?;
    let plan = plan::plan(&query, graph, store)?;
    exec::run_within(&plan, graph, budget)
}
