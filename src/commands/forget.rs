//! `dossier forget`: remove stored documents and what came from them.

use super::{Context, Outcome, plural};
use crate::cli::ForgetArgs;
use anyhow::Result;
use std::io::Write;

/// `dossier forget DOCUMENT…`: one line per document that went on
/// standard output, the names that designated no one document on standard
/// error. Exit 1 when some were refused, 2 when nothing went.
pub fn run(ctx: &Context, args: &ForgetArgs, out: &mut dyn Write) -> Result<Outcome> {
    let mut store = ctx.workspace.open_existing_store()?;
    let report = dossier::forget::forget(&mut store, &args.documents)?;
    for refused in &report.refused {
        eprintln!("error: {}", refused.reason);
    }
    for gone in &report.forgotten {
        writeln!(
            out,
            "forgot {} (id {}): {}{}, {}, {}",
            gone.path,
            gone.id,
            plural(gone.mentions as usize, "mention", "mentions"),
            match gone.ambiguous {
                0 => String::new(),
                n => format!(" (and {n} ambiguous)"),
            },
            plural(
                gone.evidence as usize,
                "piece of evidence",
                "pieces of evidence"
            ),
            plural(
                gone.relations as usize,
                "relation left without evidence",
                "relations left without evidence"
            )
        )?;
    }
    if !ctx.quiet && report.forgotten.len() > 1 {
        eprintln!(
            "forgot {}",
            plural(report.forgotten.len(), "document", "documents")
        );
    }
    Ok(
        match (report.forgotten.is_empty(), report.refused.is_empty()) {
            (_, true) => Outcome::Done,
            (false, false) => Outcome::Partial,
            (true, false) => Outcome::Refused,
        },
    )
}
