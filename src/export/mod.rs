//! Exports of the stored graph.
//!
//! Every export writes to any `io::Write`, in a deterministic order
//! (documents by path, entities by type and name, edges by their ends and
//! kind), one item at a time, so memory does not grow with the output.

pub mod json;
