//! `dossier eval GOLD`: the database scored against a gold annotation
//! file, as tables or JSON.

use super::{Context, Outcome};
use crate::cli::EvalArgs;
use crate::output::{self, Column, Format};
use anyhow::{Context as _, Result, bail};
use dossier::eval;
use std::io::Write;

/// `dossier eval GOLD`.
pub fn run(ctx: &Context, args: &EvalArgs, out: &mut dyn Write) -> Result<Outcome> {
    let store = ctx.workspace.read_store()?;
    let text = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("cannot read {}", args.gold.display()))?;
    let gold = eval::parse_gold(&text)?;
    let report = eval::evaluate(&store, &gold)?;
    if report.missing_documents.len() == gold.documents.len() {
        bail!(
            "none of the {} gold document(s) of {} is in the database: ingest them first (they are matched by file name)",
            gold.documents.len(),
            args.gold.display()
        );
    }
    // The rule set ingest and reindex load, for the rules that never
    // fired.
    let by_rule = if args.by_rule {
        let (lexicon, _) = ctx.workspace.load_lexicon()?;
        Some(eval::by_rule(
            &report,
            lexicon.rules.rules.iter().map(|r| r.name.as_str()),
        ))
    } else {
        None
    };
    if args.format == Format::Json {
        #[derive(serde::Serialize)]
        struct WithRules<'a> {
            #[serde(flatten)]
            report: &'a eval::Report,
            #[serde(flatten)]
            by_rule: Option<eval::ByRule>,
        }
        serde_json::to_writer_pretty(
            &mut *out,
            &WithRules {
                report: &report,
                by_rule,
            },
        )?;
        writeln!(out)?;
    } else {
        print_eval(out, &report, by_rule.as_ref(), args.verbose)?;
    }
    for missing in &report.missing_documents {
        crate::output::message(
            "warning",
            format_args!("gold document {missing} is not in the database: the scores leave it out"),
        );
    }
    Ok(if report.missing_documents.is_empty() {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}

#[derive(serde::Serialize)]
struct EvalRow<'a> {
    what: &'a str,
    score: eval::Score,
}

fn eval_rows<'a>(
    scores: &'a std::collections::BTreeMap<String, eval::Score>,
    total: eval::Score,
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
fn by_rule_table(out: &mut dyn Write, by_rule: &eval::ByRule) -> Result<()> {
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
    report: &eval::Report,
    by_rule: Option<&eval::ByRule>,
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
