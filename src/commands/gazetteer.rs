//! `dossier gazetteer`: check the name lists, add a name, import a list,
//! make two entries one entity, and suggest the names the documents hold
//! that no list does.

use super::{Context, Outcome, plural, workers};
use crate::cli::{GazetteerCommand, MergeArgs, SuggestArgs};
use crate::output::{self, Column, Format};
use anyhow::Result;
use dossier::gazetteer::shipped::ShippedFrom;
use dossier::gazetteer::{self, Gazetteer};
use dossier::lexicon::{self, Severity};
use dossier::matcher::Matcher;
use dossier::model::EntityType;
use dossier::suggest::Finder;
use dossier::workspace::Workspace;
use std::io::Write;

/// `dossier gazetteer check|add|suggest|import`.
pub fn run(ctx: &Context, command: &GazetteerCommand, out: &mut dyn Write) -> Result<Outcome> {
    match command {
        GazetteerCommand::Check => {
            let dirs = ctx.workspace.dirs()?;
            let findings = lexicon::check(dirs);
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
            let dir = ctx.workspace.target_dir(args.into.as_deref())?;
            let added =
                gazetteer::add_entry(&dir, kind, &args.name, &args.aliases, &args.attributes)?;
            for note in &added.notes {
                output::message("note", note);
            }
            // The other folders loaded with it: what the new line meets
            // there (a folder that does not load is `check`'s business).
            if let Ok(loaded) = Gazetteer::load(&ctx.workspace.dirs_besides(&dir)) {
                for note in gazetteer::notes_against(&loaded, kind, &args.name, &args.aliases) {
                    output::message("note", note);
                }
            }
            if !ctx.quiet {
                eprintln!(
                    "added {kind} `{}` at {}:{}",
                    args.name.trim(),
                    added.file.display(),
                    added.line
                );
                let entry = gazetteer::Entry {
                    kind,
                    name: args.name.trim().to_string(),
                    aliases: args.aliases.clone(),
                    attributes: Vec::new(),
                    origin: gazetteer::Origin { file: 0, line: 0 },
                };
                stored_documents_naming(ctx, vec![entry])?;
            }
            Ok(Outcome::Done)
        }
        GazetteerCommand::Suggest(args) => suggest(ctx, args, out),
        GazetteerCommand::Merge(args) => merge(ctx, args, out),
        GazetteerCommand::Path => path(&ctx.workspace, out),
        GazetteerCommand::Import(args) => {
            let dir = ctx.workspace.target_dir(args.into.as_deref())?;
            // Everything loaded with the target folder: the lines of the
            // input that name an entity already there become that entity
            // (a folder that does not load is `check`'s business).
            let known = Gazetteer::load(&ctx.workspace.dirs_with(&dir)).ok();
            let report = gazetteer::import_file(&args.file, &dir, known.as_ref())?;
            if !ctx.quiet {
                for (line, what) in report.identified.iter().chain(&report.shared) {
                    output::message(
                        "note",
                        format_args!("{}:{line}: {what}", args.file.display()),
                    );
                }
            }
            for (line, why) in &report.refused {
                output::message(
                    "refused",
                    format_args!("{}:{line}: {why}", args.file.display()),
                );
            }
            for (line, what) in &report.kept {
                output::message(
                    "kept",
                    format_args!("{}:{line}: {what}", args.file.display()),
                );
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
            if !ctx.quiet {
                stored_documents_naming(ctx, report.names)?;
            }
            Ok(if report.refused.is_empty() && report.kept.is_empty() {
                Outcome::Done
            } else {
                Outcome::Partial
            })
        }
    }
}

/// `gazetteer merge`: writes `same-as`, then brings the database's groups
/// in line when it reads the folder written to (no document is matched
/// again: `same-as` changes no match).
fn merge(ctx: &Context, args: &MergeArgs, out: &mut dyn Write) -> Result<Outcome> {
    let dir = ctx.workspace.target_dir(args.into.as_deref())?;
    let loaded = ctx.workspace.dirs_with(&dir);
    let read_by_run = loaded.len() == ctx.workspace.dirs()?.len();
    let dirs = if dir.is_dir() {
        loaded
    } else {
        ctx.workspace.dirs_besides(&dir)
    };
    let before = dossier::lexicon::Lexicon::load(&dirs)?;
    let merged =
        gazetteer::merge_entries(&dir, &before.gazetteer, &args.entity, &args.into_entity)?;
    let (member, node) = (&merged.member, &merged.node);
    let Some((file, line, value)) = &merged.written else {
        writeln!(
            out,
            "{} `{}` and {} `{}` are one entity already",
            member.kind, member.name, node.kind, node.name
        )?;
        return Ok(Outcome::Done);
    };
    for note in &merged.notes {
        ctx.note(note);
    }
    writeln!(
        out,
        "{} `{}` is one entity with {} `{}`: wrote same-as={value} at {}:{line}",
        member.kind,
        member.name,
        node.kind,
        node.name,
        file.display()
    )?;
    if !ctx.workspace.db.exists() {
        return Ok(Outcome::Done);
    }
    if !read_by_run {
        ctx.note(format!(
            "{} is not among the gazetteer folders this command reads: give it with --gazetteer for the database to see the group",
            dir.display()
        ));
        return Ok(Outcome::Done);
    }
    let after = dossier::lexicon::Lexicon::load(ctx.workspace.dirs()?)?;
    let mut store = ctx.workspace.open_store()?;
    match dossier::changes::apply_same_as(&mut store, &before, &after)? {
        Some(kept) => ctx.note(format!(
            "{} shows them as one node now; no stored document needs matching again ({} kept current)",
            ctx.workspace.db.display(),
            plural(kept, "document", "documents")
        )),
        None => ctx.note(format!(
            "{} shows them as one node now; the gazetteers changed in more than same-as since the documents were matched: {}",
            ctx.workspace.db.display(),
            reindex_command(&ctx.workspace)
        )),
    }
    Ok(Outcome::Done)
}

/// `gazetteer path`: the folders loaded, in order, each with where it
/// comes from, then where additions go.
fn path(workspace: &Workspace, out: &mut dyn Write) -> Result<Outcome> {
    let dirs = workspace.dirs()?;
    for (i, dir) in dirs.iter().enumerate() {
        // The shipped folder, when loaded, is the first.
        let from = match &workspace.shipped {
            Some(shipped) if i == 0 => match shipped.from {
                ShippedFrom::Environment => "shipped: $DOSSIER_GAZETTEERS".to_string(),
                ShippedFrom::WorkingDirectory => "shipped: ./gazetteers".to_string(),
                ShippedFrom::BuiltIn => format!(
                    "shipped: built into dossier {}, unpacked here",
                    env!("CARGO_PKG_VERSION")
                ),
            },
            _ => "--gazetteer".to_string(),
        };
        writeln!(out, "{}\t{from}", dir.display())?;
    }
    match workspace.target_dir(None) {
        Ok(dir) => writeln!(out, "additions go to {} (or --into DIR)", dir.display())?,
        Err(_) => writeln!(
            out,
            "additions go nowhere by default: name a folder with --into DIR or --gazetteer DIR"
        )?,
    }
    Ok(Outcome::Done)
}

/// `gazetteer suggest`: the names of the stored documents no loaded
/// gazetteer holds.
fn suggest(ctx: &Context, args: &SuggestArgs, out: &mut dyn Write) -> Result<Outcome> {
    let kind: Option<EntityType> = args.kind.as_deref().map(str::parse).transpose()?;
    let store = ctx.workspace.read_store()?;
    let (lexicon, _) = ctx.workspace.load_lexicon()?;
    let matcher = Matcher::build(&lexicon.gazetteer);
    let finder = Finder::new(&lexicon.gazetteer, &lexicon.rules);
    let Some(mut found) = dossier::suggest::from_store(
        &store,
        &finder,
        &matcher,
        workers(args.jobs.jobs),
        ctx.interrupted,
    )?
    else {
        ctx.note("suggest interrupted: nothing listed");
        return Ok(Outcome::Interrupted);
    };
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
    if !ctx.quiet {
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
fn stored_documents_naming(ctx: &Context, entries: Vec<gazetteer::Entry>) -> Result<()> {
    if entries.is_empty() || !ctx.workspace.db.exists() {
        return Ok(());
    }
    // The names are added already: a database this command cannot read
    // is a note, not a failure of the command.
    let store = match ctx.workspace.read_store() {
        Ok(store) => store,
        Err(e) => {
            output::message(
                "note",
                format_args!("which stored documents name them is not known: {e}"),
            );
            return Ok(());
        }
    };
    let found = dossier::changes::documents_naming(&store, entries, None, workers(None))?;
    if found.is_empty() {
        output::message("note", "no stored document names them");
        return Ok(());
    }
    const SHOWN: usize = 3;
    let mut shown: Vec<&str> = found.iter().take(SHOWN).map(|(_, p)| p.as_str()).collect();
    let more = found.len().saturating_sub(SHOWN);
    let rest = format!("{more} more");
    if more > 0 {
        shown.push(&rest);
    }
    output::message(
        "note",
        format_args!(
            "{} ({}); match them again with: {}",
            plural(
                found.len(),
                "stored document names them",
                "stored documents name them"
            ),
            shown.join(", "),
            reindex_command(&ctx.workspace)
        ),
    );
    Ok(())
}

/// `dossier reindex --changed` with the database and gazetteer options of
/// this command line, ready to paste.
fn reindex_command(workspace: &Workspace) -> String {
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
    if workspace.db != std::path::Path::new(dossier::store::DEFAULT_PATH) {
        command.push_str(&format!(" --db {}", quote(&workspace.db)));
    }
    if workspace.without_shipped {
        command.push_str(" --no-default-gazetteers");
    }
    for dir in &workspace.user_dirs {
        command.push_str(&format!(" --gazetteer {}", quote(dir)));
    }
    command.push_str(" reindex --changed");
    command
}
