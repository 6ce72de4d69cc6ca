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
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

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
    /// The [`Tally`]'s stop flag was set (Ctrl-C): the export stopped
    /// before its end, and an output file in progress is removed.
    #[error("the export was interrupted")]
    Interrupted,
}

/// How far an export is, for a progress display on another thread: the
/// items written (nodes and edges; JSON counts each piece of evidence too)
/// and the items to write, as far as they are known. Writers add one per
/// item; a relaxed atomic add, so counting costs nothing measurable. A
/// tally made [`Tally::stopping_on`] a flag also stops the export, at the
/// next item, once the flag is set. A tally also collects the documents
/// whose stored text is damaged: the export goes on without their text
/// (their evidence has no quote) instead of failing.
#[derive(Debug, Default)]
pub struct Tally {
    done: AtomicU64,
    total: AtomicU64,
    stop: Option<&'static AtomicBool>,
    damaged: Mutex<Vec<String>>,
}

impl Tally {
    /// A tally whose export stops with [`ExportError::Interrupted`] at the
    /// next item once `stop` is set (the binary's Ctrl-C flag).
    pub fn stopping_on(stop: &'static AtomicBool) -> Tally {
        Tally {
            stop: Some(stop),
            ..Tally::default()
        }
    }

    /// Whether the export was asked to stop.
    pub fn stopped(&self) -> bool {
        self.stop.is_some_and(|s| s.load(Ordering::Relaxed))
    }

    /// `n` more items to write.
    pub fn expect(&self, n: u64) {
        self.total.fetch_add(n, Ordering::Relaxed);
    }

    /// `n` more items written.
    pub fn add(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Items written so far.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Items to write, as far as they are known.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// Notes that the stored text of the document at `path` is damaged.
    pub(crate) fn damaged(&self, path: &str) {
        let mut damaged = self.damaged.lock().unwrap_or_else(|e| e.into_inner());
        if !damaged.iter().any(|p| p == path) {
            damaged.push(path.to_string());
        }
    }

    /// The documents whose stored text was damaged, and was left out.
    pub fn damaged_documents(&self) -> Vec<String> {
        let mut damaged = self
            .damaged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        damaged.sort();
        damaged
    }
}

/// Counts into an optional [`Tally`]; fails when it was asked to stop.
pub(crate) fn count(tally: Option<&Tally>, n: u64) -> Result<(), ExportError> {
    if let Some(tally) = tally {
        tally.add(n);
        if tally.stopped() {
            return Err(ExportError::Interrupted);
        }
    }
    Ok(())
}
