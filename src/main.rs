//! The `dossier` binary: parses the command line, hands each command to
//! its module under `commands/`, and maps outcomes to exit codes (0 done,
//! also when nothing is found; 1 done with failed input; 2 nothing done;
//! 130 interrupted). A closed pipe on stdout (`dossier entities | head`)
//! ends quietly with 0.

/// mimalloc: documents are built on the workers and freed on the writer,
/// a cross-thread free that glibc's allocator makes slow.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;
mod commands;
mod graphviz;
mod interrupt;
mod output;
mod progress;
mod serve;
mod shell;

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches};
use cli::{Cli, Command};
use commands::{Context, Outcome};
use output::{ColorWhen, Look};
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap takes an empty variable for `--db` given without a value, and
    // says so in terms of `--db`, even when `--db` was given.
    let color = color_asked();
    if std::env::var_os("DOSSIER_DB").is_some_and(|v| v.is_empty()) {
        Look::install(Look::settle(color, false));
        output::message(
            "error",
            "DOSSIER_DB is set but empty: unset it, or set it to a database file",
        );
        return ExitCode::from(2);
    }
    // clap's own help and errors follow --color too (and NO_COLOR).
    let choice = match color {
        ColorWhen::Auto => clap::ColorChoice::Auto,
        ColorWhen::Always => clap::ColorChoice::Always,
        ColorWhen::Never => clap::ColorChoice::Never,
    };
    let matches = Cli::command().color(choice).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    Look::install(Look::settle(cli.color, cli.wide));
    match run(&cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Ok(Outcome::Refused) => ExitCode::from(2),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            for line in render_error(&e).lines() {
                output::message("error", line);
            }
            ExitCode::from(2)
        }
    }
}

/// Runs the command of `cli`.
fn run(cli: &Cli) -> Result<Outcome> {
    let ctx = Context::new(cli, &interrupt::INTERRUPTED);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match &cli.command {
        Command::Ingest(args) => {
            // First thing, so a Ctrl-C while the gazetteers load is caught
            // too (the run then stops after its first document).
            interrupt::install(cli.quiet, "stopping after the documents in hand");
            commands::ingest::ingest(&ctx, args)
        }
        Command::Reindex(args) => {
            interrupt::install(cli.quiet, "stopping after the documents in hand");
            commands::ingest::reindex(&ctx, args)
        }
        Command::Entities(args) => commands::read::entities(&ctx, args, &mut out),
        Command::Mentions(args) => commands::read::mentions(&ctx, args, &mut out),
        Command::Documents(args) => commands::read::documents(&ctx, args, &mut out),
        Command::Why(args) => commands::read::why(&ctx, args, &mut out),
        Command::Query(args) => commands::read::query(&ctx, args, &mut out),
        Command::Export(args) => {
            interrupt::install(cli.quiet, "stopping the export");
            commands::export::run(&ctx, args, &mut out)
        }
        Command::Eval(args) => commands::eval::run(&ctx, args, &mut out),
        Command::Forget(args) => commands::forget::run(&ctx, args, &mut out),
        Command::Migrate => commands::migrate::run(&ctx, &mut out),
        Command::Gazetteer(command) => {
            if matches!(command, cli::GazetteerCommand::Suggest(_)) {
                interrupt::install(cli.quiet, "stopping the suggestions");
            }
            commands::gazetteer::run(&ctx, command, &mut out)
        }
        Command::Shell(args) => {
            drop(out);
            shell::run(&ctx, args)
        }
        Command::Completions(args) => {
            clap_complete::generate(args.shell, &mut Cli::command(), "dossier", &mut out);
            Ok(Outcome::Done)
        }
        Command::Man(args) => commands::manual::run(&ctx, args, &mut out),
        Command::Serve(args) => {
            interrupt::install(cli.quiet, "stopping the server");
            serve::run(
                &ctx,
                serve::ServeOptions {
                    host: args.host,
                    port: args.port,
                    budget: args.budget.budget(),
                    max_rows: args.max_rows,
                },
            )
        }
    }
}

/// The `--color` of the command line, read before clap parses it so that
/// clap's own messages follow it (`--color X`, `--color=X`; the last wins;
/// an unknown value is clap's to report).
fn color_asked() -> ColorWhen {
    let mut asked = ColorWhen::Auto;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str() else { continue };
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--color") {
            Some("") => args.next().and_then(|v| v.into_string().ok()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        if let Some(value) = value
            && let Ok(when) = <ColorWhen as clap::ValueEnum>::from_str(&value, false)
        {
            asked = when;
        }
    }
    asked
}

/// Whether the error is a closed pipe on stdout (serde_json keeps its
/// io::Error out of the chain of sources).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let kind = c
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| c.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
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
