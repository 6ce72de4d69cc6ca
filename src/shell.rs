//! `dossier shell`: an interactive prompt for queries, with history (kept
//! beside the database) and tab completion of keywords, relation kinds and
//! entity names; results are shown as tables. Fed from a pipe or a file, it
//! reads one query per line and ends with exit code 1 when any failed.

use crate::commands::read::print_answer;
use crate::commands::{Context as Session, Outcome};
use anyhow::Result;
use dossier::graph::Graph;
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// What the prompt completes.
struct Completion {
    /// Keywords and relation kinds.
    words: Vec<String>,
    /// Entity names.
    names: Vec<String>,
}

impl Completion {
    fn new(graph: &Graph) -> Completion {
        let mut words: Vec<String> = dossier::query::lexer::Keyword::ALL
            .iter()
            .map(|k| k.as_str().to_string())
            .collect();
        words.extend(graph.kinds.iter().cloned());
        words.extend(["person", "organisation", "place", "state", "document"].map(String::from));
        let mut names: Vec<String> = graph
            .graph
            .node_weights()
            .filter(|n| n.kind != dossier::model::NodeType::Document)
            .map(|n| n.name.clone())
            .collect();
        names.sort();
        names.dedup();
        Completion { words, names }
    }
}

impl Completer for Completion {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        // A quoted name being typed, or a bare word.
        let quoted = before
            .rfind('"')
            .filter(|&q| before[..q].matches('"').count().is_multiple_of(2));
        let start = match quoted {
            Some(q) => q,
            None => before
                .rfind(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '|' | '^'))
                .map_or(0, |i| i + 1),
        };
        let prefix = before[start..].trim_start_matches('"').to_lowercase();
        if before[start..].starts_with('?') {
            return Ok((start, Vec::new()));
        }
        let mut found: Vec<Pair> = Vec::new();
        if quoted.is_none() {
            for word in &self.words {
                if word.starts_with(&prefix) {
                    found.push(Pair {
                        display: word.clone(),
                        replacement: format!("{word} "),
                    });
                }
            }
        }
        for name in &self.names {
            if name.to_lowercase().starts_with(&prefix) && !prefix.is_empty() {
                found.push(Pair {
                    display: name.clone(),
                    replacement: format!("\"{name}\" "),
                });
            }
            if found.len() >= 100 {
                break;
            }
        }
        Ok((start, found))
    }
}

impl Hinter for Completion {
    type Hint = String;
}

impl Highlighter for Completion {}

impl Validator for Completion {}

impl Helper for Completion {}

/// Where the history of a database's shell is kept.
fn history_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".history");
    db.with_file_name(name)
}

/// Runs the prompt until end of input (Ctrl-D) or `quit`. Read from a
/// terminal, a failed query is only reported; read from a pipe or a file
/// (a script), any failed query makes the outcome `Partial` (exit 1).
pub fn run(ctx: &Session, args: &crate::cli::ShellArgs) -> Result<Outcome> {
    let budget = args.budget.budget();
    let scripted = !std::io::stdin().is_terminal();
    let mut failed = 0usize;
    let store = &ctx.workspace.read_store()?;
    let mut graph = Graph::load(store)?;
    graph.declare_kinds(ctx.workspace.rule_kinds());
    let graph = &graph;
    let db = &ctx.workspace.db;
    let mut editor: Editor<Completion, DefaultHistory> = Editor::new()?;
    editor.set_helper(Some(Completion::new(graph)));
    let history = history_path(db);
    let _ = editor.load_history(&history);
    let stdout = std::io::stdout();
    eprintln!(
        "dossier shell: {} nodes, {} relations. A query per line (end a line with \\ to go on); `help`, `quit`.",
        graph.graph.node_count(),
        graph.graph.edge_count()
    );
    let mut evidence = false;
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() {
            "dossier> "
        } else {
            "     ... "
        };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                pending.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        };
        if let Some(start) = line.strip_suffix('\\') {
            pending.push_str(start);
            pending.push('\n');
            continue;
        }
        pending.push_str(&line);
        let text = std::mem::take(&mut pending);
        let command = text.trim();
        if command.is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(command);
        match command {
            "quit" | "exit" => break,
            "help" => {
                eprintln!(
                    "?p signed ?d, ?p resides-in France         patterns joined by , or and\n\
                     ... where ?o contains \"party\"            filters\n\
                     ... return ?c, count(?p) order by count(?p) desc limit 10\n\
                     path \"A\" to \"B\"   neighbours \"A\" depth 2   entities person   documents\n\
                     evidence on|off                            quotes beside each row\n\
                     Tab completes keywords, relation kinds and names."
                );
                continue;
            }
            "evidence on" => {
                evidence = true;
                continue;
            }
            "evidence off" => {
                evidence = false;
                continue;
            }
            _ => {}
        }
        match dossier::query::ask_within(&text, graph, store, &budget) {
            Ok(answer) => {
                let quotes = if evidence {
                    Some(dossier::explain::answer_evidence(store, graph, &answer)?)
                } else {
                    None
                };
                let mut out = stdout.lock();
                for warning in &answer.warnings {
                    writeln!(out, "warning: {warning}")?;
                }
                print_answer(
                    &mut out,
                    &answer,
                    graph,
                    crate::output::Format::Table,
                    quotes.as_deref(),
                )?;
                writeln!(out, "({} rows)", answer.rows.len())?;
                for note in &answer.notes {
                    writeln!(out, "note: {note}")?;
                }
            }
            Err(e) => {
                failed += 1;
                eprint!("{}", crate::output::error_text(&e.render(&text)));
            }
        }
    }
    let _ = editor.save_history(&history);
    if scripted && failed > 0 {
        crate::output::message(
            "error",
            format_args!(
                "{} of the input failed",
                crate::commands::plural(failed, "query", "queries")
            ),
        );
        return Ok(Outcome::Partial);
    }
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustyline::history::DefaultHistory;

    fn completion() -> Completion {
        Completion {
            words: ["where", "return", "recognised", "resides-in"]
                .map(String::from)
                .to_vec(),
            names: ["Alla Dudayeva", "Ramzan Kadyrov", "Russia"]
                .map(String::from)
                .to_vec(),
        }
    }

    fn complete(line: &str) -> (usize, Vec<String>) {
        let history = DefaultHistory::new();
        let context = Context::new(&history);
        let (start, pairs) = completion()
            .complete(line, line.len(), &context)
            .expect("completion never fails");
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn completes_keywords_kinds_and_names() {
        assert_eq!(
            complete("?p re"),
            (
                3,
                vec!["return ".into(), "recognised ".into(), "resides-in ".into()]
            )
        );
        assert_eq!(
            complete("?p signed \"ram"),
            (10, vec!["\"Ramzan Kadyrov\" ".into()])
        );
        assert_eq!(
            complete("?x recognised ru"),
            (14, vec!["\"Russia\" ".into()])
        );
        assert_eq!(complete("?p signed ?d"), (10, vec![]));
    }
}
