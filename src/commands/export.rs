//! `dossier export FORMAT`: the graph, or the part the filters select, in
//! the formats investigators' tools read.
//!
//! Ctrl-C stops an export at its next node or edge (the writers poll the
//! flag through the [`Tally`]) or stops Graphviz: the unfinished file is
//! removed, nothing is left beside the target, and the exit code is 130.

use super::{Context, Outcome};
use crate::cli::{ExportArgs, ExportFormat};
use crate::progress;
use anyhow::{Context as _, Result, anyhow, bail};
use dossier::export::view::{Filters, View};
use dossier::export::{self, ExportError, Tally, background::BackgroundWriter, target::Target};
use dossier::graph::Graph;
use dossier::model::NodeType;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// `dossier export FORMAT`.
pub fn run(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome> {
    match export(ctx, args, out) {
        Err(e) if is_interrupted(&e) => {
            ctx.note(match &args.output {
                Some(_) => "export interrupted: nothing written",
                None => "export interrupted: what went to standard output is incomplete",
            });
            Ok(Outcome::Interrupted)
        }
        outcome => outcome,
    }
}

/// Whether `e` is an export stopped by Ctrl-C.
fn is_interrupted(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| matches!(c.downcast_ref(), Some(ExportError::Interrupted)))
}

/// Fails with [`ExportError::Interrupted`] once Ctrl-C was pressed: checked
/// between the steps that write nothing.
fn check_interrupted(ctx: &Context) -> Result<()> {
    if ctx.interrupted.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(ExportError::Interrupted.into());
    }
    Ok(())
}

/// [`run`], failing with [`ExportError::Interrupted`] when stopped.
fn export(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome> {
    let store = ctx.workspace.read_store()?;
    let mut types = Vec::new();
    for name in &args.types {
        let kind = NodeType::from_word(name).ok_or_else(|| {
            anyhow!("--types: unknown type `{name}` (expected person, organisation, place, state or document)")
        })?;
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
        around_entity: None,
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
    let output = args.output.as_deref();
    // Counted by the writers, drawn as a bar by another thread; the writers
    // stop at Ctrl-C.
    let tally = Tally::stopping_on(ctx.interrupted);
    if args.format == ExportFormat::Json && !filtered {
        // The whole graph, straight from the store (its stable contract).
        progress::while_counting(ctx.quiet, &tally, || {
            write_output(output, out, |w| {
                Ok(export::json::write_counted(&store, w, &tally)?)
            })
        })?;
        return Ok(outcome(&tally));
    }
    check_interrupted(ctx)?;
    let mut graph = Graph::load(&store)?;
    graph.declare_kinds(ctx.workspace.rule_kinds());
    check_interrupted(ctx)?;
    let mut view = View::new(&store, &graph, &filters)?;
    check_interrupted(ctx)?;
    if !ctx.quiet {
        eprintln!(
            "exporting {} nodes and {} relations",
            view.node_count(),
            view.edge_count()
        );
    }
    if matches!(args.format, ExportFormat::Svg | ExportFormat::Png)
        && let Some(warning) = slow_layout_warning(view.node_count(), view.edge_count())
    {
        crate::output::message("warning", warning);
    }
    view.count_into(&tally);
    let written = progress::while_counting(ctx.quiet, &tally, || {
        write_format(ctx, args, &store, &view, snapshot, out)
    })?;
    if let Some(written) = written
        && written.array_delimiter != ';'
    {
        ctx.note(format!(
            "a path or alias holds `;`: arrays are joined with {}; import with neo4j-admin's --array-delimiter set to it",
            match written.array_delimiter {
                '\u{1F}' => "the ASCII unit separator (U+001F, decimal 31)".to_string(),
                c => format!("`{c}`"),
            }
        ));
    }
    Ok(outcome(&tally))
}

/// Done, or done with failed input when a document's stored text was
/// damaged and left out (each named in a warning).
fn outcome(tally: &Tally) -> Outcome {
    let damaged = tally.damaged_documents();
    for path in &damaged {
        super::warn_damaged_text("the quotes from", path);
    }
    if damaged.is_empty() {
        Outcome::Done
    } else {
        Outcome::Partial
    }
}

/// The graph size past which Graphviz's layout stops being quick: measured
/// with `sfdp -Goverlap=prism` on this project's two-core machine, 1,000
/// nodes and 4,000 edges took 3.5 s, 2,000 and 8,000 took 12 s, 3,000 and
/// 12,000 took 31 s, 4,200 and 16,500 took 66 s (time grows with about the
/// square of the size; a real graph of 4,213 nodes and 16,485 edges took 13
/// minutes; docs/benchmarks.md, 2026-12-06).
const QUICK_LAYOUT_NODES: usize = 2_000;
/// See [`QUICK_LAYOUT_NODES`].
const QUICK_LAYOUT_EDGES: usize = 8_000;

/// What to say before drawing a graph too large to lay out quickly.
fn slow_layout_warning(nodes: usize, edges: usize) -> Option<String> {
    (nodes > QUICK_LAYOUT_NODES || edges > QUICK_LAYOUT_EDGES).then(|| {
        format!(
            "{nodes} nodes and {edges} relations: Graphviz may take many minutes to draw them \
             (past {QUICK_LAYOUT_NODES} nodes or {QUICK_LAYOUT_EDGES} relations); narrow the \
             picture (--around, --types, --min-weight) or export gexf for Gephi"
        )
    })
}

/// Writes `view` in the format asked for; for `csv`, says how.
fn write_format(
    ctx: &Context,
    args: &ExportArgs,
    store: &dossier::store::Store,
    view: &View<'_>,
    snapshot: dossier::store::Snapshot<'_>,
    out: &mut dyn Write,
) -> Result<Option<export::csv::Written>> {
    let output = args.output.as_deref();
    match args.format {
        ExportFormat::Json => write_output(output, out, |w| {
            Ok(export::json::write_selected(store, w, view)?)
        })?,
        ExportFormat::Graphml => write_output(output, out, |w| {
            Ok(export::graphml::write(view, w, args.merge_parallel)?)
        })?,
        ExportFormat::Gexf => write_output(output, out, |w| Ok(export::gexf::write(view, w)?))?,
        ExportFormat::Ftm => write_output(output, out, |w| Ok(export::ftm::write(view, w)?))?,
        ExportFormat::Dot => write_output(output, out, |w| Ok(export::dot::write(view, w)?))?,
        ExportFormat::Csv => {
            let Some(dir) = &args.output else {
                unreachable!("checked before the export began");
            };
            let written = export::csv::write(view, dir).map_err(|e| match e {
                ExportError::Interrupted => anyhow::Error::from(e),
                e => anyhow::Error::from(e)
                    .context(format!("cannot write the CSV files into {}", dir.display())),
            })?;
            return Ok(Some(written));
        }
        ExportFormat::Svg | ExportFormat::Png => {
            let mut dot = Vec::new();
            export::dot::write(view, &mut dot)?;
            // Rendering needs nothing more from the database.
            drop(snapshot);
            let format = if args.format == ExportFormat::Svg {
                "-Tsvg"
            } else {
                "-Tpng"
            };
            let limit = (args.layout_timeout > 0).then(|| Duration::from_secs(args.layout_timeout));
            let layout = Layout::for_nodes(view.node_count());
            let picture = render_with_graphviz(ctx, &dot, format, layout, limit)?;
            write_output(output, out, |w| Ok(w.write_all(&picture)?))?;
        }
    }
    Ok(None)
}

/// How Graphviz lays a picture out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// `dot`: ranks from subject to object, for a small graph. Each rank is
    /// one row, so a large graph, where hundreds of people sign or belong
    /// to a few documents and bodies, becomes a strip thousands of nodes
    /// wide and two or three high.
    Ranked,
    /// `sfdp` (force-directed, scaled for large graphs) with overlaps
    /// removed by `prism`, which keeps the layout's shape: the picture's
    /// sides stay within a small ratio of each other whatever the graph.
    Spring,
}

impl Layout {
    /// The most nodes a ranked layout is drawn with: past this, rows grow
    /// too wide to read (forty people signing three letters already draw
    /// a row several screens wide).
    const RANKED_NODES: usize = 50;

    /// The layout for a picture of `nodes` nodes.
    fn for_nodes(nodes: usize) -> Layout {
        if nodes <= Self::RANKED_NODES {
            Layout::Ranked
        } else {
            Layout::Spring
        }
    }

    /// The Graphviz command and its options.
    fn command(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Layout::Ranked => ("dot", &[]),
            Layout::Spring => ("sfdp", &["-Goverlap=prism"]),
        }
    }
}

/// Runs Graphviz on a DOT text with the program of `layout`, killing it at
/// Ctrl-C (then [`ExportError::Interrupted`]) or past `limit`.
fn render_with_graphviz(
    ctx: &Context,
    dot: &[u8],
    format: &str,
    layout: Layout,
    limit: Option<Duration>,
) -> Result<Vec<u8>> {
    let (program, options) = layout.command();
    let mut args = options.to_vec();
    args.push(format);
    crate::graphviz::run(program, &args, dot, true, |elapsed| {
        if ctx.interrupted.load(std::sync::atomic::Ordering::SeqCst) {
            return Some(anyhow::Error::from(ExportError::Interrupted));
        }
        limit.filter(|&l| elapsed > l).map(|limit| {
            anyhow!(
                "Graphviz's {program} was stopped after {} s (--layout-timeout): the graph is too large to draw in that time; narrow it (--around, --types, --min-weight), raise --layout-timeout, or export gexf for Gephi",
                limit.as_secs()
            )
        })
    })
}

/// Writes through `write` to `path` (see `export::target`: a failed export
/// leaves no half file, a link or a FIFO is written through) or to
/// standard output.
fn write_output(
    path: Option<&Path>,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match path {
        Some(path) => {
            let cannot = || format!("cannot write {}", path.display());
            let target = Target::open(path).with_context(cannot)?;
            // Exports run to a gigabyte: the system calls happen on a
            // thread of their own while the next part is formatted.
            let mut writer = BackgroundWriter::new(target.file().with_context(cannot)?);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_pictures_are_laid_out_by_force() {
        let cases = [
            (0, Layout::Ranked),
            (Layout::RANKED_NODES, Layout::Ranked),
            (Layout::RANKED_NODES + 1, Layout::Spring),
            (100_000, Layout::Spring),
        ];
        for (nodes, layout) in cases {
            assert_eq!(Layout::for_nodes(nodes), layout, "{nodes} nodes");
        }
        assert_eq!(Layout::Spring.command(), ("sfdp", &["-Goverlap=prism"][..]));
    }

    /// The warning comes past the size measured to lay out in about ten
    /// seconds, by nodes or by relations, and names the ways out.
    #[test]
    fn large_pictures_are_warned_of() {
        let cases = [
            (50, 200, false),
            (QUICK_LAYOUT_NODES, QUICK_LAYOUT_EDGES, false),
            (QUICK_LAYOUT_NODES + 1, 10, true),
            (10, QUICK_LAYOUT_EDGES + 1, true),
            (4_213, 16_485, true),
        ];
        for (nodes, edges, warned) in cases {
            let warning = slow_layout_warning(nodes, edges);
            assert_eq!(warning.is_some(), warned, "{nodes} nodes, {edges} edges");
            if let Some(warning) = warning {
                assert!(warning.starts_with(&format!("{nodes} nodes and {edges} relations")));
                assert!(warning.contains("--around") && warning.contains("gexf"));
            }
        }
    }
}
