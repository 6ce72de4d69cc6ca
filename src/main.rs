//! The `dossier` binary: parses the command line, runs the library, and maps
//! outcomes to exit codes (0 done, 1 done with failed input, 2 nothing done,
//! 130 interrupted). A closed pipe on stdout (`dossier entities | head`)
//! ends quietly with 0.

mod shell;

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;
use dossier::cli::{Cli, Command, EntitiesArgs, ExportFormat, GazetteerCommand};
use dossier::gazetteer::{self, Gazetteer, Severity};
use dossier::ingest::{self, Event, Settings};
use dossier::matcher::{Matcher, Pending};
use dossier::metonymy::Metonymy;
use dossier::model::EntityType;
use dossier::output::{self, Column, Format};
use dossier::store::{EntityFilter, Store};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// How a command ended, when it did not fail outright.
enum Outcome {
    Done,
    /// Done, but some input failed.
    Partial,
    Interrupted,
    /// Nothing done; the reason is already on standard error (a query
    /// error with its caret).
    Refused,
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn main() -> ExitCode {
    // clap takes an empty variable for `--db` given without a value, and
    // says so in terms of `--db`, even when `--db` was given.
    if std::env::var_os("DOSSIER_DB").is_some_and(|v| v.is_empty()) {
        eprintln!("error: DOSSIER_DB is set but empty: unset it, or set it to a database file");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Ok(Outcome::Refused) => ExitCode::from(2),
        Err(e) => {
            // serde_json keeps its io::Error out of the chain of sources.
            let broken_pipe = e.chain().any(|c| {
                let kind = c
                    .downcast_ref::<std::io::Error>()
                    .map(std::io::Error::kind)
                    .or_else(|| c.downcast_ref::<serde_json::Error>()?.io_error_kind());
                kind == Some(std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            for line in render_error(&e).lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match &cli.command {
        Command::Ingest(args) => {
            // First thing, so a Ctrl-C while the gazetteers load is caught
            // too (the run then stops after its first document).
            install_interrupt_handler(cli.quiet);
            let stdin = if args.paths.iter().any(|p| p.as_os_str() == "-") {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                    .context("cannot read standard input")?;
                Some(bytes)
            } else {
                None
            };
            // Listing the files (a path lookup each) and loading the
            // gazetteers are independent: one on a thread of its own.
            let paths = args.paths.clone();
            let listing = std::thread::spawn(move || ingest::collect(&paths, stdin));
            let loaded = load_gazetteers(&cli);
            let collected = listing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (path, why) in &collected.errors {
                eprintln!("error: {path}: {why}");
            }
            if collected.sources.is_empty() && !collected.errors.is_empty() {
                bail!("nothing to ingest");
            }
            let Ready {
                gazetteer,
                matcher,
                metonymy,
                relations,
                ids,
                finder,
                mut store,
                times: load_times,
            } = prepare_loaded(&cli, loaded?)?;
            let settings = settings(
                &matcher,
                &metonymy,
                &relations,
                &ids,
                &gazetteer,
                &finder,
                args.jobs.jobs,
            );
            let mut progress = Progress::new(cli.quiet);
            let summary = ingest::run(&mut store, collected.sources, &settings, &mut |e| {
                progress.event(e)
            })?;
            progress.clear();
            let failed = summary.failed + collected.errors.len();
            if !cli.quiet {
                let rate = summary.bytes as f64 / summary.seconds.max(1e-9);
                let total =
                    summary.new + summary.changed + summary.unchanged + summary.skipped + failed;
                // Notes first: the summary is the last line.
                if let Some(example) = &collected.first_other_file {
                    eprintln!(
                        "note: {} left out by extension, such as {}: dossier reads .txt, .md, .markdown, .text and files without one",
                        plural(
                            collected.other_files,
                            "file in the folders was",
                            "files in the folders were"
                        ),
                        example.display()
                    );
                }
                if summary.interrupted {
                    eprintln!(
                        "note: every committed document is whole; run the same ingest again to pick up the rest"
                    );
                }
                let stale = store.stale_documents(gazetteer.fingerprint())?;
                if stale > 0 {
                    eprintln!(
                        "note: {stale} stored document(s) were matched with another version of the gazetteers; `dossier reindex` updates them"
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
                    let built = match matcher.try_get() {
                        Some((m, seconds)) => {
                            format!("matcher built {seconds:.2} s ({} names)", m.name_count())
                        }
                        None => "matcher not needed (still building)".to_string(),
                    };
                    eprintln!(
                        "timings: gazetteer read {:.2} s ({} entities), {built}, entities synced {:.2} s, ingest {:.2} s (writer busy {:.2} s), peak memory {}",
                        load_times.read,
                        gazetteer.len(),
                        load_times.sync,
                        summary.seconds,
                        summary.writer_seconds,
                        peak_memory().unwrap_or_else(|| "unknown".into())
                    );
                }
                unlisted_note(summary.unlisted);
            }
            // The process ends right after: freeing the gazetteer and the
            // matcher piece by piece would only cost time (0.3 s at 1M
            // entities). The store is dropped normally, so SQLite closes.
            std::mem::forget(matcher);
            std::mem::forget(gazetteer);
            Ok(if summary.interrupted {
                Outcome::Interrupted
            } else if failed > 0 {
                Outcome::Partial
            } else {
                Outcome::Done
            })
        }
        Command::Reindex(args) => {
            install_interrupt_handler(cli.quiet);
            let Ready {
                gazetteer,
                matcher,
                metonymy,
                relations,
                ids,
                finder,
                mut store,
                ..
            } = prepare(&cli)?;
            let jobs = args.jobs.jobs;
            let settings = settings(
                &matcher, &metonymy, &relations, &ids, &gazetteer, &finder, jobs,
            );
            let scope = if args.changed {
                let plan = dossier::changes::plan(&store, &gazetteer, &ids, workers(jobs))?;
                if plan.rematch.is_empty() && plan.current.is_empty() {
                    if !cli.quiet {
                        eprintln!(
                            "nothing to match again: every stored document was matched with the current gazetteers"
                        );
                    }
                    return Ok(Outcome::Done);
                }
                if !cli.quiet {
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
                // Clearing documents one by one costs more than clearing
                // all at once once they are many.
                let stored = plan.rematch.len() + plan.current.len() + plan.up_to_date;
                if plan.rematch.len() >= 64 && plan.rematch.len() * 4 >= stored {
                    if !cli.quiet {
                        eprintln!(
                            "note: that is a quarter of the documents or more; all {stored} are matched again, which is quicker"
                        );
                    }
                    ingest::Scope::All
                } else {
                    plan.scope()
                }
            } else {
                ingest::Scope::All
            };
            let mut progress = Progress::new(cli.quiet);
            let summary =
                ingest::reindex(&mut store, &settings, &scope, &mut |e| progress.event(e))?;
            progress.clear();
            if !cli.quiet {
                if summary.interrupted {
                    eprintln!("reindex interrupted: nothing changed");
                } else {
                    eprintln!(
                        "reindexed {} documents in {:.2} s: {} mentions; {} entities that no gazetteer names any more were removed",
                        summary.documents,
                        summary.seconds,
                        summary.mentions,
                        summary.removed_entities
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
        Command::Entities(args) => {
            let store = open_existing_store(&cli)?;
            entities(&store, args, &mut out)?;
            Ok(Outcome::Done)
        }
        Command::Mentions(args) => {
            let store = open_existing_store(&cli)?;
            let named = named_entities(&store, &args.name)?;
            let ids: Vec<i64> = named.iter().map(|n| n.id).collect();
            let rows = store.mentions_of(&ids)?;
            if rows.is_empty() && !cli.quiet {
                eprintln!(
                    "note: `{}` is in the gazetteers, but no stored document mentions it",
                    args.name
                );
            }
            let several = named.len() > 1;
            let mut columns = vec![Column::text("DOCUMENT"), Column::number("LINE")];
            if several {
                columns.push(Column::text("ENTITY"));
            }
            columns.push(Column::text("MENTION"));
            output::write(&mut out, args.format.format, &columns, &rows, |r| {
                let mut cells = vec![r.document.clone(), r.line.to_string()];
                if several {
                    cells.push(format!("{} ({})", r.entity, r.kind));
                }
                let surface = r.surface.split_whitespace().collect::<Vec<_>>().join(" ");
                let marked = if args.format.format == Format::Table {
                    format!("…{}[{surface}]{}…", r.before, r.after)
                } else {
                    format!("{}[{surface}]{}", r.before, r.after)
                };
                cells.push(marked);
                cells
            })?;
            if !cli.quiet && several {
                let list: Vec<String> = named
                    .iter()
                    .map(|n| format!("{} `{}`", n.kind, n.name))
                    .collect();
                eprintln!(
                    "note: `{}` names {} entities: {}",
                    args.name,
                    named.len(),
                    list.join(", ")
                );
            }
            Ok(Outcome::Done)
        }
        Command::Documents(args) => {
            let store = open_existing_store(&cli)?;
            let rows = store.documents()?;
            let columns = [
                Column::number("ID"),
                Column::text("PATH"),
                Column::wrapped("TITLE", 50),
                Column::number("SIZE"),
                Column::number("MENTIONS"),
                Column::number("ENTITIES"),
                Column::number("UNLISTED"),
                Column::text("ENCODING"),
            ];
            output::write(&mut out, args.format, &columns, &rows, |d| {
                vec![
                    d.id.to_string(),
                    d.path.clone(),
                    d.title.clone(),
                    if args.format == Format::Table {
                        human_size(d.size)
                    } else {
                        d.size.to_string()
                    },
                    d.mentions.to_string(),
                    d.entities.to_string(),
                    d.unlisted.to_string(),
                    d.encoding.clone(),
                ]
            })?;
            Ok(Outcome::Done)
        }
        Command::Export(args) => export_command(&cli, args, &mut out),
        Command::Why(args) => why_command(&cli, args, &mut out),
        Command::Query(args) => query_command(&cli, args, &mut out),
        Command::Shell => {
            let store = open_existing_store(&cli)?;
            let graph = dossier::graph::Graph::load(&store)?;
            drop(out);
            shell::run(&cli.db, &store, &graph)?;
            Ok(Outcome::Done)
        }
        Command::Eval(args) => {
            let store = open_existing_store(&cli)?;
            let text = std::fs::read_to_string(&args.gold)
                .with_context(|| format!("cannot read {}", args.gold.display()))?;
            let gold = dossier::eval::parse_gold(&text)?;
            let report = dossier::eval::evaluate(&store, &gold)?;
            if report.missing_documents.len() == gold.documents.len() {
                bail!(
                    "none of the {} gold document(s) of {} is in the database: ingest them first (they are matched by file name)",
                    gold.documents.len(),
                    args.gold.display()
                );
            }
            // The rule set ingest and reindex load, for the rules that
            // never fired.
            let by_rule = if args.by_rule {
                let (gazetteer, _) = load_gazetteers(&cli)?;
                let rules = &gazetteer.relation_rules().rules;
                Some(dossier::eval::by_rule(
                    &report,
                    rules.iter().map(|r| r.name.as_str()),
                ))
            } else {
                None
            };
            if args.format == Format::Json {
                #[derive(serde::Serialize)]
                struct WithRules<'a> {
                    #[serde(flatten)]
                    report: &'a dossier::eval::Report,
                    #[serde(flatten)]
                    by_rule: Option<dossier::eval::ByRule>,
                }
                serde_json::to_writer_pretty(
                    &mut out,
                    &WithRules {
                        report: &report,
                        by_rule,
                    },
                )?;
                writeln!(out)?;
            } else {
                print_eval(&mut out, &report, by_rule.as_ref(), args.verbose)?;
            }
            for missing in &report.missing_documents {
                eprintln!(
                    "warning: gold document {missing} is not in the database: the scores leave it out"
                );
            }
            Ok(if report.missing_documents.is_empty() {
                Outcome::Done
            } else {
                Outcome::Partial
            })
        }
        Command::Gazetteer(command) => gazetteer_command(&cli, command, &mut out),
    }
}

/// The error and its causes, each cause once (many messages already quote
/// their cause).
fn render_error(e: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn entities(store: &Store, args: &EntitiesArgs, out: &mut dyn Write) -> Result<()> {
    let kind = args
        .kind
        .as_deref()
        .map(str::parse::<EntityType>)
        .transpose()?;
    let document = match &args.document {
        None => None,
        Some(what) => {
            let found = store.documents_matching(what)?;
            match found.as_slice() {
                [] => bail!("no stored document matches `{what}`; `dossier documents` lists them"),
                [(id, _)] => Some(*id),
                several => {
                    let paths: Vec<&str> = several.iter().map(|(_, p)| p.as_str()).collect();
                    bail!(
                        "`{what}` matches {} documents: {}",
                        several.len(),
                        paths.join(", ")
                    )
                }
            }
        }
    };
    let rows = store.entities(&EntityFilter {
        kind,
        document,
        limit: args.limit,
    })?;
    let columns = [
        Column::text("TYPE"),
        Column::text("NAME"),
        Column::number("MENTIONS"),
        Column::number("AMBIGUOUS"),
        Column::number("DOCS"),
        Column::wrapped("DOCUMENTS", 60),
    ];
    let format = args.format.format;
    output::write(out, format, &columns, &rows, |e| {
        vec![
            e.kind.to_string(),
            e.name.clone(),
            e.mentions.to_string(),
            e.ambiguous.to_string(),
            e.documents.len().to_string(),
            e.documents
                .join(if format == Format::Csv { "|" } else { ", " }),
        ]
    })?;
    Ok(())
}

/// The entities a name designates, or an error with the closest names.
fn named_entities(store: &Store, name: &str) -> Result<Vec<dossier::store::NamedEntity>> {
    let named = store.entities_named(name)?;
    if named.is_empty() {
        bail!(unknown_name(store, name, "no entity")?);
    }
    Ok(named)
}

/// "`what` is named `name`", with the close names as suggestions.
fn unknown_name(store: &Store, name: &str, what: &str) -> Result<String> {
    let similar = store.similar_names(name, 5)?;
    Ok(if similar.is_empty() {
        format!("{what} is named `{name}`")
    } else {
        format!(
            "{what} is named `{name}`; did you mean: {}?",
            similar.join(", ")
        )
    })
}

/// `dossier export FORMAT`.
fn export_command(
    cli: &Cli,
    args: &dossier::cli::ExportArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    use dossier::export::view::{Filters, View};
    let store = open_existing_store(cli)?;
    let mut types = Vec::new();
    for name in &args.types {
        let kind = dossier::query::ast::NodeType::ALL
            .into_iter()
            .find(|t| t.as_str() == name.trim() || (name.trim() == "organization" && t.as_str() == "organisation"))
            .ok_or_else(|| anyhow!("--types: unknown type `{name}` (expected person, organisation, place, state or document)"))?;
        types.push(kind);
    }
    let filters = Filters {
        types,
        relations: args
            .relations
            .iter()
            .map(|r| r.trim().to_string())
            .collect(),
        around: args.around.clone(),
        depth: args.depth,
        query: args.query.clone(),
        min_weight: args.min_weight,
        document: args.document.clone(),
    };
    if args.format == ExportFormat::Csv && args.output.is_none() {
        bail!("`export csv` writes nodes.csv and edges.csv into a folder: give it with -o DIR");
    }
    let filtered = !filters.selects_all();
    let snapshot = store.snapshot()?;
    if args.format == ExportFormat::Json && !filtered {
        // The whole graph, straight from the store (its stable contract).
        write_output(args.output.as_deref(), out, |w| {
            Ok(dossier::export::json::write(&store, w)?)
        })?;
        return Ok(Outcome::Done);
    }
    let graph = dossier::graph::Graph::load(&store)?;
    let view = View::new(&store, &graph, &filters)?;
    if !cli.quiet {
        eprintln!(
            "exporting {} nodes and {} relations",
            view.node_count(),
            view.edge_count()
        );
    }
    match args.format {
        ExportFormat::Json => write_output(args.output.as_deref(), out, |w| {
            Ok(dossier::export::json::write_selected(&store, w, &view)?)
        })?,
        ExportFormat::Graphml => write_output(args.output.as_deref(), out, |w| {
            Ok(dossier::export::graphml::write(
                &view,
                w,
                args.merge_parallel,
            )?)
        })?,
        ExportFormat::Gexf => write_output(args.output.as_deref(), out, |w| {
            Ok(dossier::export::gexf::write(&view, w)?)
        })?,
        ExportFormat::Ftm => write_output(args.output.as_deref(), out, |w| {
            Ok(dossier::export::ftm::write(&view, w)?)
        })?,
        ExportFormat::Dot => write_output(args.output.as_deref(), out, |w| {
            Ok(dossier::export::dot::write(&view, w)?)
        })?,
        ExportFormat::Csv => {
            let Some(dir) = &args.output else {
                unreachable!("checked before the export began");
            };
            dossier::export::csv::write(&view, dir)
                .with_context(|| format!("cannot write the CSV files into {}", dir.display()))?;
        }
        ExportFormat::Svg | ExportFormat::Png => {
            let mut dot = Vec::new();
            dossier::export::dot::write(&view, &mut dot)?;
            // Rendering needs nothing more from the database.
            drop(snapshot);
            let format = if args.format == ExportFormat::Svg {
                "-Tsvg"
            } else {
                "-Tpng"
            };
            let picture = render_with_graphviz(&dot, format)?;
            write_output(args.output.as_deref(), out, |w| Ok(w.write_all(&picture)?))?;
        }
    }
    Ok(Outcome::Done)
}

/// Runs Graphviz's `dot` on a DOT text.
fn render_with_graphviz(dot: &[u8], format: &str) -> Result<Vec<u8>> {
    use std::process::{Command, Stdio};
    let mut child = match Command::new("dot")
        .arg(format)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "pictures are drawn by Graphviz, which is not installed: install it (Debian/Ubuntu: `apt-get install graphviz`; macOS: `brew install graphviz`), or export `dot` and draw it elsewhere"
        ),
        Err(e) => return Err(anyhow!("cannot run Graphviz's dot: {e}")),
    };
    let mut stdin = child.stdin.take().expect("piped");
    let input = dot.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().context("Graphviz's dot failed")?;
    let _ = feeder.join();
    if !output.status.success() {
        bail!(
            "Graphviz's dot failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// Writes through `write` to `path` (see `export::target`: a failed export
/// leaves no half file, a link or a FIFO is written through) or to
/// standard output.
fn write_output(
    path: Option<&std::path::Path>,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match path {
        Some(path) => {
            let cannot = || format!("cannot write {}", path.display());
            let target = dossier::export::target::Target::open(path).with_context(cannot)?;
            // Exports run to a gigabyte: the system calls happen on a
            // thread of their own while the next part is formatted.
            let mut writer = dossier::export::background::BackgroundWriter::new(
                target.file().with_context(cannot)?,
            );
            write(&mut writer)?;
            writer.finish().with_context(cannot)?;
            target.commit().with_context(cannot)?;
        }
        None => {
            let mut writer = std::io::BufWriter::with_capacity(1 << 20, out);
            write(&mut writer)?;
            writer.flush()?;
        }
    }
    Ok(())
}

/// `dossier query`.
fn query_command(
    cli: &Cli,
    args: &dossier::cli::QueryArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let text = match (&args.query, &args.file) {
        (Some(query), _) => query.clone(),
        (None, Some(file)) => std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?,
        (None, None) => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .context("cannot read the query from standard input")?;
            text
        }
    };
    let store = open_existing_store(cli)?;
    let graph = dossier::graph::Graph::load(&store)?;
    let answer = match dossier::query::ask(&text, &graph, &store) {
        Ok(answer) => answer,
        Err(e) => {
            eprint!("{}", e.render(&text));
            return Ok(Outcome::Refused);
        }
    };
    print_answer(out, &answer, &graph, &store, args.format, args.evidence)?;
    for note in &answer.notes {
        eprintln!("note: {note}");
    }
    Ok(Outcome::Done)
}

/// Writes a query's answer: names for nodes, one column per returned item,
/// and with `evidence` a column of "document:line: quote" per matched
/// relation.
fn print_answer(
    out: &mut dyn Write,
    answer: &dossier::query::Answer,
    graph: &dossier::graph::Graph,
    store: &Store,
    format: Format,
    evidence: bool,
) -> Result<()> {
    use dossier::query::Cell;
    let mut columns: Vec<Column> = answer
        .columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let numeric = answer
                .rows
                .first()
                .is_some_and(|r| matches!(r.cells[i], Cell::Number(_)));
            Column::named(name.clone(), numeric)
        })
        .collect();
    if evidence {
        columns.push(Column::named("evidence".into(), false));
    }
    let mut texts: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    let paths = store.document_paths()?;
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(answer.rows.len());
    for row in &answer.rows {
        let mut cells: Vec<String> = row
            .cells
            .iter()
            .map(|cell| match cell {
                Cell::Node(n) => graph.graph[*n].name.clone(),
                Cell::Number(n) => n.to_string(),
                Cell::Text(t) => t.clone(),
            })
            .collect();
        if evidence {
            let mut quotes = Vec::new();
            for edge in &row.edges {
                let Some(e) = store.first_evidence(graph.graph[*edge].relation)? else {
                    continue;
                };
                if let std::collections::hash_map::Entry::Vacant(slot) = texts.entry(e.document) {
                    slot.insert(store.document_text(e.document)?.unwrap_or_default());
                }
                let text = &texts[&e.document];
                let line = dossier::store::line_at(text, e.sentence.start);
                quotes.push(format!(
                    "{}:{line}: {}",
                    paths.get(&e.document).cloned().unwrap_or_default(),
                    marked_sentence(text, &e)
                ));
            }
            cells.push(quotes.join(" | "));
        }
        rows.push(cells);
    }
    if format == Format::Json {
        let objects: Vec<serde_json::Map<String, serde_json::Value>> = answer
            .rows
            .iter()
            .zip(&rows)
            .map(|(row, cells)| {
                let mut object = serde_json::Map::new();
                for (i, name) in answer.columns.iter().enumerate() {
                    let value = match &row.cells[i] {
                        Cell::Number(n) => serde_json::Value::from(*n),
                        _ => serde_json::Value::from(cells[i].clone()),
                    };
                    object.insert(name.clone(), value);
                }
                if evidence {
                    object.insert(
                        "evidence".into(),
                        cells[answer.columns.len()].clone().into(),
                    );
                }
                object
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &objects)?;
        writeln!(out)?;
        return Ok(());
    }
    output::write(out, format, &columns, &rows, |r| r.clone())?;
    Ok(())
}

/// `dossier why SUBJECT RELATION OBJECT`.
fn why_command(cli: &Cli, args: &dossier::cli::WhyArgs, out: &mut dyn Write) -> Result<Outcome> {
    use dossier::store::RelationObject;
    let store = open_existing_store(cli)?;
    let subjects = named_entities(&store, &args.subject)?;
    let kinds: Vec<String> = if args.relation == "*" {
        Vec::new()
    } else {
        args.relation
            .split('|')
            .map(|k| k.trim().to_string())
            .collect()
    };
    let known = store.relation_kinds()?;
    for kind in &kinds {
        if let Some(inverse) = kind.strip_prefix('^') {
            bail!(
                "`why` reads SUBJECT RELATION OBJECT, with no `^`: swap the two names (`dossier why OBJECT {inverse} SUBJECT`), or ask `dossier query '?who {inverse} NAME' --evidence`"
            );
        }
        if !known.contains(kind) {
            let closest =
                dossier::query::plan::closest_kind(kind, known.iter().map(String::as_str))
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
            bail!(
                "no relation of kind `{kind}` is stored{closest}; the kinds are: {}",
                known.join(", ")
            );
        }
    }
    let objects: Vec<Option<RelationObject>> = if args.object == "*" {
        vec![None]
    } else {
        match store.entities_named(&args.object)? {
            named if !named.is_empty() => named
                .iter()
                .map(|n| Some(RelationObject::Entity(n.id)))
                .collect(),
            _ => {
                let documents = store.documents_matching(&args.object)?;
                if documents.is_empty() {
                    bail!(unknown_name(&store, &args.object, "no entity or document")?);
                }
                documents
                    .iter()
                    .map(|(id, _)| Some(RelationObject::Document(*id)))
                    .collect()
            }
        }
    };
    let mut evidence = Vec::new();
    for subject in &subjects {
        for object in &objects {
            evidence.extend(store.evidence_of(subject.id, &kinds, *object)?);
        }
    }
    if evidence.is_empty() {
        // A name several entities share was asked about all of them.
        let which = if subjects.len() > 1 {
            let list: Vec<String> = subjects
                .iter()
                .map(|n| format!("{} `{}`", n.kind, n.name))
                .collect();
            format!(" (it names {})", list.join(" and "))
        } else {
            String::new()
        };
        bail!(
            "no evidence that `{}`{which} {} `{}`",
            args.subject,
            args.relation,
            args.object
        );
    }
    let paths = store.document_paths()?;
    let mut texts: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    let mut names: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    #[derive(serde::Serialize)]
    struct Row {
        document: String,
        line: usize,
        subject: String,
        relation: String,
        object: String,
        sentence: String,
        rule: String,
        confidence: f64,
        date: Option<String>,
    }
    let mut rows = Vec::new();
    for e in &evidence {
        if let std::collections::hash_map::Entry::Vacant(slot) = texts.entry(e.document) {
            slot.insert(store.document_text(e.document)?.unwrap_or_default());
        }
        let text = &texts[&e.document];
        let mut name = |id: i64| -> Result<String> {
            if let Some(n) = names.get(&id) {
                return Ok(n.clone());
            }
            let (_, n, _) = store.entity_names(id)?;
            names.insert(id, n.clone());
            Ok(n)
        };
        let object = match (e.object_entity, e.object_document) {
            (Some(id), _) => name(id)?,
            (None, Some(d)) => paths.get(&d).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        rows.push(Row {
            document: paths.get(&e.document).cloned().unwrap_or_default(),
            line: dossier::store::line_at(text, e.sentence.start),
            subject: name(e.subject)?,
            relation: e.kind.clone(),
            object,
            sentence: marked_sentence(text, e),
            rule: e.rule.clone(),
            confidence: e.confidence,
            date: e.date.clone(),
        });
    }
    let columns = [
        Column::text("DOCUMENT"),
        Column::number("LINE"),
        Column::text("SUBJECT"),
        Column::text("RELATION"),
        Column::text("OBJECT"),
        Column::text("EVIDENCE"),
        Column::text("RULE"),
        Column::number("CONFIDENCE"),
        Column::text("DATE"),
    ];
    output::write(out, args.format.format, &columns, &rows, |r| {
        vec![
            r.document.clone(),
            r.line.to_string(),
            r.subject.clone(),
            r.relation.clone(),
            r.object.clone(),
            r.sentence.clone(),
            r.rule.clone(),
            format!("{:.2}", r.confidence),
            r.date.clone().unwrap_or_default(),
        ]
    })?;
    Ok(Outcome::Done)
}

/// The evidence's sentence on one line, the subject and object marked with
/// brackets.
fn marked_sentence(text: &str, e: &dossier::store::EvidenceRecord) -> String {
    let Some(sentence) = text.get(e.sentence.clone()) else {
        return String::new();
    };
    let mut marks: Vec<(usize, &str)> = Vec::new();
    for span in std::iter::once(&e.subject_span).chain(e.object_span.as_ref()) {
        if span.start >= e.sentence.start && span.end <= e.sentence.end && span.start < span.end {
            marks.push((span.start - e.sentence.start, "["));
            marks.push((span.end - e.sentence.start, "]"));
        }
    }
    marks.sort_by_key(|&(at, mark)| (at, mark == "["));
    let mut marked = String::with_capacity(sentence.len() + 4);
    let mut last = 0;
    for (at, mark) in marks {
        if let Some(piece) = sentence.get(last..at) {
            marked.push_str(piece);
            last = at;
        }
        marked.push_str(mark);
    }
    marked.push_str(sentence.get(last..).unwrap_or_default());
    marked.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(serde::Serialize)]
struct EvalRow<'a> {
    what: &'a str,
    score: dossier::eval::Score,
}

fn eval_rows<'a>(
    scores: &'a std::collections::BTreeMap<String, dossier::eval::Score>,
    total: dossier::eval::Score,
    label: &'a str,
) -> Vec<EvalRow<'a>> {
    let mut rows: Vec<EvalRow> = scores
        .iter()
        .map(|(k, s)| EvalRow {
            what: k.as_str(),
            score: *s,
        })
        .collect();
    rows.push(EvalRow {
        what: label,
        score: total,
    });
    rows
}

fn eval_table(out: &mut dyn Write, title: &'static str, rows: &[EvalRow]) -> Result<()> {
    let columns = [
        Column::text(title),
        Column::number("GOLD"),
        Column::number("FOUND"),
        Column::number("PREDICTED"),
        Column::number("CORRECT"),
        Column::number("PRECISION"),
        Column::number("RECALL"),
        Column::number("F1"),
    ];
    output::write(out, Format::Table, &columns, rows, |r| {
        vec![
            r.what.to_string(),
            r.score.gold.to_string(),
            r.score.found.to_string(),
            r.score.predicted.to_string(),
            r.score.correct.to_string(),
            // Nothing to divide by: no figure, rather than a perfect one.
            ratio(r.score.predicted, r.score.precision()),
            ratio(r.score.gold, r.score.recall()),
            if r.score.predicted == 0 || r.score.gold == 0 {
                "n/a".to_string()
            } else {
                format!("{:.3}", r.score.f1())
            },
        ]
    })?;
    Ok(())
}

/// A ratio for the score table: `n/a` over nothing.
fn ratio(over: usize, value: f64) -> String {
    if over == 0 {
        "n/a".to_string()
    } else {
        format!("{value:.3}")
    }
}

/// The `--by-rule` table, sorted by rule name, and the rules that never
/// fired.
fn by_rule_table(out: &mut dyn Write, by_rule: &dossier::eval::ByRule) -> Result<()> {
    let columns = [
        Column::text("RULES"),
        Column::number("RELATIONS"),
        Column::number("EVIDENCE"),
        Column::number("SCORED"),
        Column::number("CONFIRMED"),
        Column::number("PRECISION"),
    ];
    output::write(out, Format::Table, &columns, &by_rule.by_rule, |r| {
        vec![
            r.rule.clone(),
            r.score.relations.to_string(),
            r.score.evidence.to_string(),
            r.score.scored.to_string(),
            r.score.confirmed.to_string(),
            r.precision.map_or("n/a".to_string(), |p| format!("{p:.3}")),
        ]
    })?;
    let never = &by_rule.rules_never_fired;
    writeln!(
        out,
        "never fired: {}",
        if never.is_empty() {
            "none".to_string()
        } else {
            never.join(", ")
        }
    )?;
    Ok(())
}

fn print_eval(
    out: &mut dyn Write,
    report: &dossier::eval::Report,
    by_rule: Option<&dossier::eval::ByRule>,
    verbose: bool,
) -> Result<()> {
    eval_table(
        out,
        "ENTITIES",
        &eval_rows(&report.entities, report.entities_total, "all entities"),
    )?;
    writeln!(out)?;
    eval_table(
        out,
        "RELATIONS",
        &eval_rows(&report.relations, report.relations_total, "all relations"),
    )?;
    if let Some(by_rule) = by_rule {
        writeln!(out)?;
        by_rule_table(out, by_rule)?;
    }
    if verbose {
        writeln!(out)?;
        for m in &report.missed {
            writeln!(
                out,
                "missed          {}  {} `{}`",
                m.document, m.kind, m.name
            )?;
        }
        for f in &report.false_positives {
            writeln!(
                out,
                "false positive  {}  {} `{}`",
                f.document, f.kind, f.name
            )?;
        }
        for (label, findings) in [
            ("missed", &report.relations_missed),
            ("false positive", &report.relations_false),
        ] {
            for f in findings {
                writeln!(
                    out,
                    "{label:<15} {}  {} {} {}\n                «{}»",
                    f.document, f.subject, f.relation, f.object, f.quote
                )?;
            }
        }
    }
    Ok(())
}

fn gazetteer_command(
    cli: &Cli,
    command: &GazetteerCommand,
    out: &mut dyn Write,
) -> Result<Outcome> {
    match command {
        GazetteerCommand::Check => {
            let dirs = gazetteer_dirs(cli);
            if dirs.is_empty() {
                bail!(NO_GAZETTEERS);
            }
            let findings = gazetteer::check(&dirs);
            for finding in &findings {
                writeln!(out, "{finding}")?;
            }
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let warnings = findings.len() - errors;
            let listed: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            writeln!(
                out,
                "{errors} error(s), {warnings} warning(s) in {}",
                listed.join(", ")
            )?;
            Ok(if errors > 0 {
                Outcome::Partial
            } else {
                Outcome::Done
            })
        }
        GazetteerCommand::Add(args) => {
            let kind: EntityType = args.kind.parse()?;
            let dir = target_dir(cli, args.into.as_ref())?;
            let added =
                gazetteer::add_entry(&dir, kind, &args.name, &args.aliases, &args.attributes)?;
            for note in &added.notes {
                eprintln!("note: {note}");
            }
            // The other folders loaded with it: what the new line meets
            // there (a folder that does not load is `check`'s business).
            let others: Vec<PathBuf> = gazetteer_dirs(cli)
                .into_iter()
                .filter(|d| !same_dir(d, &dir))
                .collect();
            if let Ok(loaded) = Gazetteer::load(&others) {
                for note in gazetteer::notes_against(&loaded, kind, &args.name, &args.aliases) {
                    eprintln!("note: {note}");
                }
            }
            if !cli.quiet {
                eprintln!(
                    "added {kind} `{}` at {}:{}",
                    args.name.trim(),
                    added.file.display(),
                    added.line
                );
                let entry = dossier::gazetteer::Entry {
                    kind,
                    name: args.name.trim().to_string(),
                    aliases: args.aliases.clone(),
                    attributes: Vec::new(),
                    origin: dossier::gazetteer::Origin { file: 0, line: 0 },
                };
                stored_documents_naming(cli, vec![entry])?;
            }
            Ok(Outcome::Done)
        }
        GazetteerCommand::Suggest(args) => suggest_command(cli, args, out),
        GazetteerCommand::Import(args) => {
            let dir = target_dir(cli, args.into.as_ref())?;
            // Everything loaded with the target folder: the lines of the
            // input that name an entity already there become that entity
            // (a folder that does not load is `check`'s business).
            let mut dirs = gazetteer_dirs(cli);
            if !dirs.iter().any(|d| same_dir(d, &dir)) {
                dirs.push(dir.clone());
            }
            let known = Gazetteer::load(&dirs).ok();
            let report = gazetteer::import_file(&args.file, &dir, known.as_ref())?;
            if !cli.quiet {
                for (line, what) in report.identified.iter().chain(&report.shared) {
                    eprintln!("note: {}:{line}: {what}", args.file.display());
                }
            }
            for (line, why) in &report.refused {
                eprintln!("refused: {}:{line}: {why}", args.file.display());
            }
            for (line, what) in &report.kept {
                eprintln!("kept: {}:{line}: {what}", args.file.display());
            }
            let files: Vec<String> = report
                .files
                .iter()
                .map(|f| f.display().to_string())
                .collect();
            writeln!(
                out,
                "imported {}: {} added{}, {} merged, {} unchanged, {} refused{}{}",
                args.file.display(),
                report.added,
                match report.identified.len() {
                    0 => String::new(),
                    n => format!(" ({n} as lines of known entities)"),
                },
                report.merged,
                report.unchanged,
                report.refused.len(),
                match report.kept.len() {
                    0 => String::new(),
                    n => format!(" ({n} attribute value(s) kept against the input)"),
                },
                if files.is_empty() {
                    String::new()
                } else {
                    format!("; wrote {}", files.join(", "))
                }
            )?;
            if !cli.quiet {
                stored_documents_naming(cli, report.names)?;
            }
            Ok(if report.refused.is_empty() && report.kept.is_empty() {
                Outcome::Done
            } else {
                Outcome::Partial
            })
        }
    }
}

/// `gazetteer suggest`: the names of the stored documents no loaded
/// gazetteer holds.
fn suggest_command(
    cli: &Cli,
    args: &dossier::cli::SuggestArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let kind: Option<EntityType> = args.kind.as_deref().map(str::parse).transpose()?;
    let store = open_existing_store(cli)?;
    let (gazetteer, _) = load_gazetteers(cli)?;
    let matcher = Matcher::build(&gazetteer);
    let finder = dossier::suggest::Finder::new(&gazetteer);
    let mut found =
        dossier::suggest::from_store(&store, &finder, &matcher, workers(args.jobs.jobs))?;
    found.retain(|s| {
        s.count >= args.min_count
            && kind.is_none_or(|k| s.kind == k)
            && args
                .document
                .as_deref()
                .is_none_or(|d| s.documents.iter().any(|p| p.contains(d)))
    });
    if let Some(limit) = args.limit {
        found.truncate(limit);
    }
    let columns = match args.format {
        Format::Tsv | Format::Csv => vec![
            Column::text("type"),
            Column::text("name"),
            Column::text("aliases"),
            Column::text("# evidence"),
        ],
        _ => vec![
            Column::text("TYPE"),
            Column::text("NAME"),
            Column::wrapped("ALIASES", 30),
            Column::text("CUE"),
            Column::number("COUNT"),
            Column::number("DOCS"),
            Column::wrapped("EXAMPLE", 70),
        ],
    };
    let tabular = matches!(args.format, Format::Tsv | Format::Csv);
    output::write(out, args.format, &columns, &found, |s| {
        let example = format!(
            "{}:{}: {}",
            s.example.document, s.example.line, s.example.context
        );
        if tabular {
            vec![
                s.kind.to_string(),
                s.name.clone(),
                s.aliases.join("|"),
                format!(
                    "# {}; {} in {}; {example}",
                    s.cue,
                    plural(s.count, "time", "times"),
                    plural(s.documents.len(), "document", "documents")
                ),
            ]
        } else {
            vec![
                s.kind.to_string(),
                s.name.clone(),
                s.aliases.join(" | "),
                s.cue.clone(),
                s.count.to_string(),
                s.documents.len().to_string(),
                example,
            ]
        }
    })?;
    if !cli.quiet {
        eprintln!(
            "{} not in any gazetteer",
            plural(found.len(), "name", "names")
        );
    }
    Ok(Outcome::Done)
}

/// After `gazetteer add` / `import`: which stored documents name the new
/// names, and the command that matches them again (nothing when there is
/// no database or no such document).
fn stored_documents_naming(cli: &Cli, entries: Vec<dossier::gazetteer::Entry>) -> Result<()> {
    if entries.is_empty() || !cli.db.exists() {
        return Ok(());
    }
    let store = open_store(cli)?;
    let found = dossier::changes::documents_naming(&store, entries, None, workers(None))?;
    if found.is_empty() {
        eprintln!("note: no stored document names them");
        return Ok(());
    }
    const SHOWN: usize = 3;
    let mut shown: Vec<&str> = found.iter().take(SHOWN).map(|(_, p)| p.as_str()).collect();
    let more = found.len().saturating_sub(SHOWN);
    let rest = format!("{more} more");
    if more > 0 {
        shown.push(&rest);
    }
    eprintln!(
        "note: {} ({}); match them again with: {}",
        plural(
            found.len(),
            "stored document names them",
            "stored documents name them"
        ),
        shown.join(", "),
        reindex_command(cli)
    );
    Ok(())
}

/// `dossier reindex --changed` with the database and gazetteer options of
/// this command line, ready to paste.
fn reindex_command(cli: &Cli) -> String {
    let quote = |p: &std::path::Path| {
        let text = p.display().to_string();
        if text
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+:@".contains(c))
        {
            text
        } else {
            format!("'{}'", text.replace('\'', "'\\''"))
        }
    };
    let mut command = String::from("dossier");
    if cli.db != std::path::Path::new(dossier::store::DEFAULT_PATH) {
        command.push_str(&format!(" --db {}", quote(&cli.db)));
    }
    if cli.no_default_gazetteers {
        command.push_str(" --no-default-gazetteers");
    }
    for dir in &cli.gazetteers {
        command.push_str(&format!(" --gazetteer {}", quote(dir)));
    }
    command.push_str(" reindex --changed");
    command
}

fn gazetteer_dirs(cli: &Cli) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if !cli.no_default_gazetteers {
        dirs.push(gazetteer::default_dir());
    }
    dirs.extend(cli.gazetteers.iter().cloned());
    dirs
}

/// Whether two paths name the same directory.
fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// What `--no-default-gazetteers` without a `--gazetteer DIR` leaves.
const NO_GAZETTEERS: &str =
    "no gazetteers: --no-default-gazetteers needs at least one --gazetteer DIR";

/// Where `gazetteer add` and `import` write: `--into`, else the last
/// `--gazetteer`, else the shipped folder unless it was left out.
fn target_dir(cli: &Cli, into: Option<&PathBuf>) -> Result<PathBuf> {
    match into.or(cli.gazetteers.last()) {
        Some(dir) => Ok(dir.clone()),
        None if cli.no_default_gazetteers => bail!(
            "nowhere to write: --no-default-gazetteers leaves out the shipped folder; name one with --into DIR or --gazetteer DIR"
        ),
        None => Ok(gazetteer::default_dir()),
    }
}

/// Seconds spent getting ready to ingest (the matcher's build time is kept
/// with the matcher).
struct LoadTimes {
    read: f64,
    sync: f64,
}

/// What ingest and reindex need, loaded (the matcher perhaps still being
/// built).
struct Ready {
    gazetteer: std::sync::Arc<Gazetteer>,
    matcher: std::sync::Arc<Pending>,
    metonymy: Metonymy,
    /// The relation rules, compiled against the gazetteer.
    relations: dossier::relations::Compiled,
    /// Database id of each gazetteer entry.
    ids: Vec<i64>,
    /// Finds the names the gazetteers do not list.
    finder: dossier::suggest::Finder,
    store: Store,
    times: LoadTimes,
}

/// Reads the gazetteers, then compiles the matcher on a thread of its own
/// while the database's entities are synchronised with them here and, after
/// that, documents are read and hashed: a document waits for the matcher
/// only when it needs matching, so an unchanged re-ingest never waits, and
/// the first sync of a large gazetteer (seconds) overlaps the build.
fn prepare(cli: &Cli) -> Result<Ready> {
    prepare_loaded(cli, load_gazetteers(cli)?)
}

/// The gazetteers of the command line, and the seconds reading them took.
fn load_gazetteers(cli: &Cli) -> Result<(std::sync::Arc<Gazetteer>, f64)> {
    let dirs = gazetteer_dirs(cli);
    if dirs.is_empty() {
        bail!(NO_GAZETTEERS);
    }
    let started = Instant::now();
    let gazetteer = std::sync::Arc::new(Gazetteer::load(&dirs)?);
    Ok((gazetteer, started.elapsed().as_secs_f64()))
}

/// [`prepare`] with the gazetteers already loaded.
fn prepare_loaded(cli: &Cli, (gazetteer, read): (std::sync::Arc<Gazetteer>, f64)) -> Result<Ready> {
    let mut store = open_store(cli)?;
    let matcher = std::sync::Arc::new(Pending::default());
    {
        let (gazetteer, matcher) = (gazetteer.clone(), matcher.clone());
        // Not joined: when nothing needs it, the process may end first.
        std::thread::spawn(move || {
            let started = Instant::now();
            match std::panic::catch_unwind(|| Matcher::build(&gazetteer)) {
                Ok(built) => matcher.set(built, started.elapsed().as_secs_f64()),
                // Workers would wait for it forever: end the process instead.
                Err(_) => {
                    eprintln!("error: building the matcher failed (a bug: please report it)");
                    std::process::exit(2);
                }
            }
        });
    }
    let relations = dossier::relations::Compiled::build(&gazetteer);
    let started = Instant::now();
    let ids = store.sync_gazetteer(&gazetteer)?;
    store.record_gazetteer_version(gazetteer.fingerprint(), gazetteer.rules_fingerprint())?;
    let sync = started.elapsed().as_secs_f64();
    Ok(Ready {
        metonymy: Metonymy::build(&gazetteer),
        finder: dossier::suggest::Finder::new(&gazetteer),
        relations,
        ids,
        gazetteer,
        matcher,
        store,
        times: LoadTimes { read, sync },
    })
}

/// The settings of an ingest or reindex run.
fn settings<'a>(
    matcher: &'a Pending,
    metonymy: &'a Metonymy,
    relations: &'a dossier::relations::Compiled,
    ids: &'a [i64],
    gazetteer: &'a Gazetteer,
    finder: &'a dossier::suggest::Finder,
    jobs: Option<usize>,
) -> Settings<'a> {
    Settings {
        matcher,
        metonymy,
        relations,
        entity_ids: ids,
        gazetteer: gazetteer.fingerprint(),
        workers: workers(jobs),
        interrupt: &INTERRUPTED,
        finder,
    }
}

fn open_store(cli: &Cli) -> Result<Store> {
    Store::open(&cli.db).with_context(|| format!("database {}", cli.db.display()))
}

/// Opens the database for commands that only read: a missing file is an
/// error that says what to do, not a new empty database.
fn open_existing_store(cli: &Cli) -> Result<Store> {
    if !cli.db.exists() {
        return Err(anyhow!(
            "no database at {}: ingest documents first (`dossier ingest PATH`), or point --db / DOSSIER_DB at one",
            cli.db.display()
        ));
    }
    open_store(cli)
}

fn workers(requested: Option<usize>) -> usize {
    requested
        .filter(|&n| n > 0)
        .unwrap_or_else(dossier::pipeline::cores)
}

fn install_interrupt_handler(quiet: bool) {
    let _ = ctrlc::set_handler(move || {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            // Second Ctrl-C: stop now; SQLite rolls back the open batch.
            std::process::exit(130);
        }
        if !quiet {
            eprintln!("\nstopping after the documents in hand (Ctrl-C again to stop at once)…");
        }
    });
}

/// The progress line on stderr, shown only when stderr is a terminal.
struct Progress {
    enabled: bool,
    shown: bool,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Progress {
                done,
                total,
                bytes,
                elapsed,
            } => {
                if self.enabled {
                    let mb = bytes as f64 / 1e6;
                    eprint!(
                        "\r\x1b[K{done}/{total} documents  {mb:.1} MB  {:.0} MB/s",
                        mb / elapsed.as_secs_f64().max(1e-9)
                    );
                    self.shown = true;
                }
            }
            Event::Warning { path, message } => {
                self.clear();
                eprintln!("warning: {path}: {message}");
            }
            Event::Skipped { path, reason } => {
                self.clear();
                eprintln!("skipped: {path}: {reason}");
            }
            Event::Failed { path, reason } => {
                self.clear();
                eprintln!("error: {path}: {reason}");
            }
        }
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[K");
            self.shown = false;
        }
    }
}

fn human_size(bytes: i64) -> String {
    let b = bytes as f64;
    if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

/// Peak resident memory of this process (Linux), e.g. `312 MB`.
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.0} MB", kb / 1e3))
}
