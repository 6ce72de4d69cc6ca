//! Exports of the stored graph.
//!
//! Every export writes to any `io::Write`, in a deterministic order, one
//! item at a time, so memory does not grow with the output. `json` reads the
//! store's passes directly (the whole graph, its stable contract); the other formats
//! write a [`view::View`]: the loaded graph, or the part of it the filters
//! select.

pub mod background;
pub mod csv;
pub mod dot;
pub mod ftm;
pub mod gexf;
pub mod graphml;
pub mod json;
pub mod target;
pub mod view;

use crate::store::StoreError;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the output failed.
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    /// A filter names something the graph does not hold, or is malformed.
    #[error("{0}")]
    Filter(String),
}
