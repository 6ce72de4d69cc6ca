//! `dossier ingest` and `dossier reindex`: documents in, with progress,
//! notes and a one-line summary on stderr.

use super::{Context, Outcome, human_size, plural, workers};
use crate::cli::{IngestArgs, ReindexArgs};
use crate::output;
use crate::progress::Documents;
use anyhow::{Context as _, Result, bail};
use dossier::engine::Engine;
use dossier::ingest::{self, Event, Scope};

/// `dossier ingest PATH…`.
pub fn ingest(ctx: &Context, args: &IngestArgs) -> Result<Outcome> {
    // Read no further than one byte over the limit: the document is then
    // refused as too large, like a file.
    let stdin = if args.paths.iter().any(|p| p.as_os_str() == "-") {
        let mut bytes = Vec::new();
        let limit = args.max_document_size.saturating_add(1);
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin(), limit),
            &mut bytes,
        )
        .context("cannot read standard input")?;
        Some(bytes)
    } else {
        None
    };
    // Listing the files (a path lookup each) and loading the gazetteers
    // are independent: one on a thread of its own.
    let paths = args.paths.clone();
    let listing = std::thread::spawn(move || ingest::collect(&paths, stdin));
    let loaded = ctx.workspace.load_lexicon();
    let collected = listing
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    for (path, why) in &collected.errors {
        output::message("error", format_args!("{path}: {why}"));
    }
    if collected.sources.is_empty() && !collected.errors.is_empty() {
        bail!("nothing to ingest");
    }
    let (lexicon, read_seconds) = loaded?;
    let mut store = ctx.workspace.open_store()?;
    let engine = Engine::start(&mut store, lexicon, read_seconds)?;
    // What the stored documents may mention from now on: `reindex` asks
    // for these folders before it drops what they found.
    store.add_gazetteer_folders(&ctx.workspace.folder_labels())?;
    let mut settings = engine.settings(workers(args.jobs.jobs), ctx.interrupted);
    settings.max_document_bytes = args.max_document_size;
    let progress = Progress::new(ctx.quiet, "ingest");
    let summary = ingest::run(&mut store, collected.sources, &settings, &mut |e| {
        progress.event(e)
    });
    progress.bar.finish();
    let summary = summary?;
    let failed = summary.failed + collected.errors.len();
    if let Some(why) = &summary.stopped {
        output::message(
            "error",
            format_args!(
                "{why}: the ingest stopped there; the documents counted below went in whole; make room and run the same ingest again for the rest"
            ),
        );
    }
    if !ctx.quiet {
        let rate = summary.bytes as f64 / summary.seconds.max(1e-9);
        let total = summary.new + summary.changed + summary.unchanged + summary.skipped + failed;
        // Notes first: the summary is the last line.
        if let Some(example) = &collected.first_other_file {
            output::message(
                "note",
                format_args!(
                    "{} left out by extension, such as {}: dossier reads .txt, .md, .markdown, .text and files without one",
                    plural(
                        collected.other_files,
                        "file in the folders was",
                        "files in the folders were"
                    ),
                    example.display()
                ),
            );
        }
        if let Some(example) = &collected.first_special_file {
            output::message(
                "note",
                format_args!(
                    "{} skipped, such as {}: dossier reads regular files",
                    plural(
                        collected.special_files,
                        "named pipe, socket or device in the folders was",
                        "named pipes, sockets or devices in the folders were"
                    ),
                    example.display()
                ),
            );
        }
        if summary.interrupted {
            output::message(
                "note",
                "every committed document is whole; run the same ingest again to pick up the rest",
            );
        }
        let stale = store.stale_documents(engine.lexicon.fingerprint())?;
        if stale > 0 {
            output::message(
                "note",
                format_args!(
                    "{stale} stored document(s) were matched with another version of the gazetteers; `dossier reindex` updates them"
                ),
            );
        }
        eprintln!(
            "{} {} in {:.2} s ({}, {}/s): {} new, {} changed, {} unchanged, {} skipped, {} failed; {}",
            if summary.interrupted {
                "interrupted after"
            } else {
                "ingested"
            },
            plural(total, "document", "documents"),
            summary.seconds,
            human_size(summary.bytes as i64),
            human_size(rate as i64),
            summary.new,
            summary.changed,
            summary.unchanged,
            summary.skipped,
            failed,
            plural(summary.mentions as usize, "mention", "mentions")
        );
        if args.timings {
            let built = match engine.matcher.try_get() {
                Some((m, seconds)) => {
                    format!("matcher built {seconds:.2} s ({} names)", m.name_count())
                }
                None => "matcher not needed (still building)".to_string(),
            };
            eprintln!(
                "timings: gazetteer read {:.2} s ({} entities), {built}, entities synced {:.2} s, ingest {:.2} s (writer busy {:.2} s), peak memory {}",
                engine.read_seconds,
                engine.lexicon.gazetteer.len(),
                engine.sync_seconds,
                summary.seconds,
                summary.writer_seconds,
                peak_memory().unwrap_or_else(|| "unknown".into())
            );
        }
        unlisted_note(summary.unlisted);
    }
    // The process ends right after. The store is dropped normally, so
    // SQLite closes.
    engine.forget();
    Ok(if summary.interrupted {
        Outcome::Interrupted
    } else if failed > 0 || summary.stopped.is_some() {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}

/// `dossier reindex [--changed]`.
pub fn reindex(ctx: &Context, args: &ReindexArgs) -> Result<Outcome> {
    let (lexicon, read_seconds) = ctx.workspace.load_lexicon()?;
    let mut store = ctx.workspace.open_store()?;
    let engine = Engine::start(&mut store, lexicon, read_seconds)?;
    let folders = ctx.workspace.folder_labels();
    if !args.force {
        refuse_to_drop_mentioned(&store, &engine.entity_ids, &folders)?;
    }
    let workers = workers(args.jobs.jobs);
    let settings = engine.settings(workers, ctx.interrupted);
    let scope = if args.changed {
        let plan = dossier::changes::plan(&store, &engine.lexicon, &engine.entity_ids, workers)?;
        if plan.rematch.is_empty() && plan.current.is_empty() {
            if !ctx.quiet {
                eprintln!(
                    "nothing to match again: every stored document was matched with the current gazetteers"
                );
            }
            return Ok(Outcome::Done);
        }
        if !ctx.quiet {
            eprintln!(
                "{} matched with other gazetteers: {} to match again ({} added or changed, {} gone, {} read with other rules), {} marked current unread",
                plural(
                    plan.rematch.len() + plan.current.len(),
                    "document",
                    "documents"
                ),
                plan.rematch.len(),
                plural(plan.changed_entries, "entry", "entries"),
                plural(plan.removed_entities, "entity", "entities"),
                plan.rules_changed,
                plan.current.len()
            );
        }
        // Clearing documents one by one costs more than clearing all at
        // once once they are many.
        let stored = plan.rematch.len() + plan.current.len() + plan.up_to_date;
        if plan.rematch.len() >= 64 && plan.rematch.len() * 4 >= stored {
            ctx.note(format_args!(
                "that is a quarter of the documents or more; all {stored} are matched again, which is quicker"
            ));
            Scope::All
        } else {
            plan.scope()
        }
    } else {
        Scope::All
    };
    let progress = Progress::new(ctx.quiet, "reindex");
    let summary = ingest::reindex(&mut store, &settings, &scope, &mut |e| progress.event(e));
    progress.bar.finish();
    let summary = summary?;
    if !summary.interrupted {
        store.set_gazetteer_folders(&folders)?;
    }
    if !ctx.quiet {
        if summary.interrupted {
            eprintln!("reindex interrupted: nothing changed");
        } else {
            eprintln!(
                "reindexed {} documents in {:.2} s: {} mentions; {} entities that no gazetteer names any more were removed",
                summary.documents, summary.seconds, summary.mentions, summary.removed_entities
            );
            unlisted_note(summary.unlisted);
        }
    }
    Ok(if summary.interrupted {
        Outcome::Interrupted
    } else {
        Outcome::Done
    })
}

/// Fails when a reindex would remove entities that stored documents
/// mention while a gazetteer folder used at ingest is left out (99,959
/// entities had gone so), naming the folders.
fn refuse_to_drop_mentioned(
    store: &dossier::store::Store,
    entity_ids: &[dossier::store::EntityId],
    folders: &[String],
) -> Result<()> {
    let Some(dropped) = dossier::changes::reindex_would_drop(store, entity_ids, folders)? else {
        return Ok(());
    };
    let (kind, name) = &dropped.entities[0];
    let why = match dropped.missing_folders {
        Some(missing) => {
            let shown: Vec<String> = missing
                .into_iter()
                .map(|f| {
                    if f == dossier::workspace::SHIPPED_LABEL {
                        "the shipped gazetteers (left out by --no-default-gazetteers)".to_string()
                    } else {
                        f
                    }
                })
                .collect();
            format!(
                "gazetteer folders used at ingest are not given now: {}",
                shown.join(", ")
            )
        }
        None => "the database does not record the gazetteer folders used at ingest (it is older)"
            .to_string(),
    };
    bail!(
        "reindex would remove {} that stored documents mention, such as `{name}` ({kind}): {why}; give them with --gazetteer, or --force to remove the entities",
        plural(dropped.entities.len(), "entity", "entities")
    )
}

/// The last line of an ingest or reindex: the names it saw that no
/// gazetteer lists, and where to see them.
fn unlisted_note(unlisted: usize) {
    if unlisted > 0 {
        eprintln!(
            "{} not in any gazetteer; `dossier gazetteer suggest` lists them",
            plural(unlisted, "name", "names")
        );
    }
}

/// Peak resident memory of this process (Linux), e.g. `312 MB`.
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.0} MB", kb / 1e3))
}

/// The progress bar of a run, and its messages printed above it.
struct Progress {
    bar: Documents,
}

impl Progress {
    fn new(quiet: bool, verb: &str) -> Progress {
        Progress {
            bar: Documents::new(quiet, verb),
        }
    }

    fn event(&self, event: Event<'_>) {
        match event {
            Event::Progress {
                done,
                total,
                bytes,
                elapsed,
            } => self.bar.update(done, total, bytes, elapsed),
            Event::Warning { path, message } => self
                .bar
                .suspend(|| output::message("warning", format_args!("{path}: {message}"))),
            Event::Skipped { path, reason } => self
                .bar
                .suspend(|| output::message("skipped", format_args!("{path}: {reason}"))),
            Event::Failed { path, reason } => self
                .bar
                .suspend(|| output::message("error", format_args!("{path}: {reason}"))),
        }
    }
}
