//! The binary's commands: each turns parsed arguments into library calls
//! and renders what comes back (tables, JSON, CSV on stdout; notes and
//! progress on stderr). What a command computes lives in the library, so
//! another front end renders the same rows.

pub mod eval;
pub mod export;
pub mod forget;
pub mod gazetteer;
pub mod ingest;
pub mod manual;
pub mod migrate;
pub mod read;

use crate::cli::Cli;
use dossier::workspace::Workspace;
use std::sync::atomic::AtomicBool;

/// How a command ended, when it did not fail outright.
pub enum Outcome {
    /// Everything done.
    Done,
    /// Done, but some input failed.
    Partial,
    /// Stopped by Ctrl-C.
    Interrupted,
    /// Nothing done; the reason is already on standard error (a query
    /// error with its caret).
    Refused,
}

/// What every command runs with: where, how loudly, and the flag a
/// Ctrl-C sets.
pub struct Context {
    /// The database and gazetteer folders.
    pub workspace: Workspace,
    /// No notes, progress or summaries on stderr.
    pub quiet: bool,
    /// Set by the Ctrl-C handler.
    pub interrupted: &'static AtomicBool,
}

impl Context {
    /// The context of a parsed command line.
    pub fn new(cli: &Cli, interrupted: &'static AtomicBool) -> Context {
        Context {
            workspace: Workspace::new(
                cli.db.clone(),
                cli.gazetteers.clone(),
                cli.no_default_gazetteers,
            ),
            quiet: cli.quiet,
            interrupted,
        }
    }

    /// Prints a note on stderr unless quiet.
    pub fn note(&self, note: impl std::fmt::Display) {
        if !self.quiet {
            crate::output::message("note", note);
        }
    }
}

/// Warns that `what` (of the document at `path`) was left out because its
/// stored text is damaged, and says how to mend it.
pub fn warn_damaged_text(what: &str, path: &str) {
    crate::output::message(
        "warning",
        format_args!(
            "left out {what} {path}: its stored text is damaged (not valid UTF-8); `dossier forget` it and ingest it again"
        ),
    );
}

/// `3 documents`, `1 document`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A byte count for people: `1.5 MB`, `12.0 kB`, `80 B`.
pub fn human_size(bytes: i64) -> String {
    let b = bytes as f64;
    if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

/// The worker threads to use: the count asked for, else one per core.
pub fn workers(requested: Option<usize>) -> usize {
    requested
        .filter(|&n| n > 0)
        .unwrap_or_else(dossier::parallel::cores)
}
