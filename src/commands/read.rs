//! The commands that read the graph: `entities`, `mentions`, `documents`,
//! `why` and `query`.

use super::{Context, Outcome, human_size};
use crate::cli::{EntitiesArgs, FormatArgs, MentionsArgs, QueryArgs, WhyArgs};
use crate::output::{self, Column, Format};
use anyhow::{Context as _, Result};
use dossier::explain::{self, EvidenceRow};
use dossier::graph::Graph;
use dossier::model::EntityType;
use dossier::query::{Answer, Cell};
use std::io::Write;

/// `dossier entities`.
pub fn entities(ctx: &Context, args: &EntitiesArgs, out: &mut dyn Write) -> Result<Outcome> {
    let store = ctx.workspace.read_store()?;
    let kind = args
        .kind
        .as_deref()
        .map(str::parse::<EntityType>)
        .transpose()?;
    let rows = explain::entities(&store, kind, args.document.as_deref(), args.limit)?;
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
    Ok(Outcome::Done)
}

/// `dossier mentions NAME`.
pub fn mentions(ctx: &Context, args: &MentionsArgs, out: &mut dyn Write) -> Result<Outcome> {
    let store = ctx.workspace.read_store()?;
    let explain::Mentions {
        named,
        rows,
        damaged,
    } = explain::mentions(&store, &args.name)?;
    for path in &damaged {
        super::warn_damaged_text("the mentions in", path);
    }
    if rows.is_empty() && damaged.is_empty() && !ctx.quiet {
        output::message(
            "note",
            format_args!(
                "`{}` is in the gazetteers, but no stored document mentions it",
                args.name
            ),
        );
    }
    let several = named.len() > 1;
    let mut columns = vec![Column::text("DOCUMENT"), Column::number("LINE")];
    if several {
        columns.push(Column::text("ENTITY"));
    }
    columns.push(Column::text("MENTION"));
    let format = args.format.format;
    output::write(out, format, &columns, &rows, |r| {
        let mut cells = vec![r.document.clone(), r.line.to_string()];
        if several {
            cells.push(format!("{} ({})", r.entity, r.kind));
        }
        let surface = r.surface.split_whitespace().collect::<Vec<_>>().join(" ");
        cells.push(if format == Format::Table {
            format!("…{}[{surface}]{}…", r.before, r.after)
        } else {
            format!("{}[{surface}]{}", r.before, r.after)
        });
        cells
    })?;
    if several {
        let list: Vec<String> = named
            .iter()
            .map(|n| format!("{} `{}`", n.kind, n.name))
            .collect();
        ctx.note(format_args!(
            "`{}` names {} entities: {}",
            args.name,
            named.len(),
            list.join(", ")
        ));
    }
    Ok(if damaged.is_empty() {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}

/// `dossier documents`.
pub fn documents(ctx: &Context, args: &FormatArgs, out: &mut dyn Write) -> Result<Outcome> {
    let store = ctx.workspace.read_store()?;
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
    output::write(out, args.format, &columns, &rows, |d| {
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

/// `dossier why SUBJECT RELATION OBJECT`.
pub fn why(ctx: &Context, args: &WhyArgs, out: &mut dyn Write) -> Result<Outcome> {
    let store = ctx.workspace.read_store()?;
    let known = ctx.workspace.rule_kinds();
    let explain::Why { rows, nothing } =
        explain::why(&store, &args.subject, &args.relation, &args.object, &known)?;
    if let Some(nothing) = nothing {
        // Nothing found is an answer, not an error.
        ctx.note(nothing);
        return Ok(Outcome::Done);
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
        Column::text("DATED BY"),
        Column::text("PERIOD"),
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
            r.date_source.clone().unwrap_or_default(),
            period_cell(r.from.as_deref(), r.until.as_deref(), r.former),
        ]
    })?;
    Ok(Outcome::Done)
}

/// A period as one cell: `2002..2005`, `1994..`, `..2010`, `former`, or
/// both (`former, ..2010`); empty when the evidence bounds nothing.
fn period_cell(from: Option<&str>, until: Option<&str>, former: bool) -> String {
    let span = (from.is_some() || until.is_some()).then(|| {
        format!(
            "{}..{}",
            from.unwrap_or_default(),
            until.unwrap_or_default()
        )
    });
    match (former, span) {
        (true, Some(span)) => format!("former, {span}"),
        (true, None) => "former".into(),
        (false, Some(span)) => span,
        (false, None) => String::new(),
    }
}

/// `dossier query`.
pub fn query(ctx: &Context, args: &QueryArgs, out: &mut dyn Write) -> Result<Outcome> {
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
    let store = ctx.workspace.read_store()?;
    let rule_kinds = ctx.workspace.rule_kinds();
    let stored_kinds = std::cell::OnceCell::new();
    let known_kind = |kind: &str| {
        rule_kinds.iter().any(|k| k == kind)
            || stored_kinds
                .get_or_init(|| store.relation_kinds().unwrap_or_default())
                .iter()
                .any(|k| k == kind)
    };
    if let Err(e) = dossier::query::unknown_name_first(&text, &store, &known_kind) {
        eprint!("{}", output::error_text(&e.render(&text)));
        return Ok(Outcome::Refused);
    }
    let mut graph = Graph::load(&store)?;
    graph.declare_kinds(rule_kinds);
    let answer = match dossier::query::ask_within(&text, &graph, &store, &args.budget.budget()) {
        Ok(answer) => answer,
        Err(e) => {
            eprint!("{}", output::error_text(&e.render(&text)));
            return Ok(Outcome::Refused);
        }
    };
    let evidence = if args.evidence {
        Some(explain::answer_evidence(&store, &graph, &answer)?)
    } else {
        None
    };
    for warning in &answer.warnings {
        output::message("warning", warning);
    }
    print_answer(out, &answer, &graph, args.format, evidence.as_deref())?;
    for note in &answer.notes {
        output::message("note", note);
    }
    if answer.rows.is_empty() && answer.notes.is_empty() {
        output::message("note", "no rows: nothing in the graph matches the query");
    }
    Ok(Outcome::Done)
}

/// Writes a query's answer: names for nodes, one column per returned item,
/// and, when given, the evidence of each row in a last column: every piece
/// as `document:line: sentence`, joined by ` | ` (JSON: an array of
/// evidence objects).
pub fn print_answer(
    out: &mut dyn Write,
    answer: &Answer,
    graph: &Graph,
    format: Format,
    evidence: Option<&[Vec<EvidenceRow>]>,
) -> Result<()> {
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
    if evidence.is_some() {
        columns.push(Column::named("evidence".into(), false));
    }
    let rows: Vec<Vec<String>> = answer
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut cells: Vec<String> = row
                .cells
                .iter()
                .map(|cell| match cell {
                    Cell::Node(n) => graph.graph[*n].name.clone(),
                    Cell::Number(n) => n.to_string(),
                    Cell::Text(t) => t.clone(),
                })
                .collect();
            if let Some(evidence) = evidence {
                let quotes: Vec<String> = evidence[i]
                    .iter()
                    .map(|e| format!("{}:{}: {}", e.document, e.line, e.sentence))
                    .collect();
                cells.push(quotes.join(" | "));
            }
            cells
        })
        .collect();
    if format == Format::Json {
        let objects: Vec<serde_json::Map<String, serde_json::Value>> = answer
            .rows
            .iter()
            .zip(&rows)
            .enumerate()
            .map(|(at, (row, cells))| {
                let mut object = serde_json::Map::new();
                for (i, name) in answer.columns.iter().enumerate() {
                    let value = match &row.cells[i] {
                        Cell::Number(n) => serde_json::Value::from(*n),
                        _ => serde_json::Value::from(cells[i].clone()),
                    };
                    object.insert(name.clone(), value);
                }
                if let Some(evidence) = evidence {
                    object.insert("evidence".into(), serde_json::json!(evidence[at]));
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
