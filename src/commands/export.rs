//! `dossier export FORMAT`: the graph, or the part the filters select, in
//! the formats investigators' tools read.

use super::{Context, Outcome};
use crate::cli::{ExportArgs, ExportFormat};
use crate::progress;
use anyhow::{Context as _, Result, anyhow, bail};
use dossier::export::view::{Filters, View};
use dossier::export::{self, Tally, background::BackgroundWriter, target::Target};
use dossier::graph::Graph;
use dossier::model::NodeType;
use std::io::Write;
use std::path::Path;

/// `dossier export FORMAT`.
pub fn run(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome> {
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
    // Counted by the writers, drawn as a bar by another thread.
    let tally = Tally::default();
    if args.format == ExportFormat::Json && !filtered {
        // The whole graph, straight from the store (its stable contract).
        progress::while_counting(ctx.quiet, &tally, || {
            write_output(output, out, |w| {
                Ok(export::json::write_counted(&store, w, &tally)?)
            })
        })?;
        return Ok(Outcome::Done);
    }
    let mut graph = Graph::load(&store)?;
    graph.declare_kinds(ctx.workspace.rule_kinds());
    let mut view = View::new(&store, &graph, &filters)?;
    if !ctx.quiet {
        eprintln!(
            "exporting {} nodes and {} relations",
            view.node_count(),
            view.edge_count()
        );
    }
    view.count_into(&tally);
    progress::while_counting(ctx.quiet, &tally, || {
        write_format(args, &store, &view, snapshot, out)
    })?;
    Ok(Outcome::Done)
}

/// Writes `view` in the format asked for.
fn write_format(
    args: &ExportArgs,
    store: &dossier::store::Store,
    view: &View<'_>,
    snapshot: dossier::store::Snapshot<'_>,
    out: &mut dyn Write,
) -> Result<()> {
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
            export::csv::write(view, dir)
                .with_context(|| format!("cannot write the CSV files into {}", dir.display()))?;
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
            let picture = render_with_graphviz(&dot, format, Layout::for_nodes(view.node_count()))?;
            write_output(output, out, |w| Ok(w.write_all(&picture)?))?;
        }
    }
    Ok(())
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

/// Runs Graphviz on a DOT text with the program of `layout`.
fn render_with_graphviz(dot: &[u8], format: &str, layout: Layout) -> Result<Vec<u8>> {
    use std::process::{Command, Stdio};
    let (program, options) = layout.command();
    let mut child = match Command::new(program)
        .args(options)
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
        Err(e) => return Err(anyhow!("cannot run Graphviz's {program}: {e}")),
    };
    let mut stdin = child.stdin.take().expect("piped");
    let input = dot.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let output = child
        .wait_with_output()
        .with_context(|| format!("Graphviz's {program} failed"))?;
    let _ = feeder.join();
    if !output.status.success() {
        bail!(
            "Graphviz's {program} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
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
}
