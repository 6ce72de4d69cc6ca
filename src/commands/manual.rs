//! `dossier man`: the manual page, made from the command line's own
//! definition (clap_mangen), with the exit codes and the environment added
//! to the main page.

use super::{Context, Outcome};
use crate::cli::{Cli, EXIT_CODES, ManArgs};
use anyhow::{Context as _, Result};
use clap::CommandFactory;
use std::io::Write;
use std::path::Path;

/// The variables dossier reads, for the ENVIRONMENT section.
const ENVIRONMENT: &[(&str, &str)] = &[
    ("DOSSIER_DB", "The database file, when --db is not given."),
    (
        "DOSSIER_GAZETTEERS",
        "A folder read as the shipped gazetteers instead of the copy built into dossier.",
    ),
    (
        "XDG_CACHE_HOME",
        "Where the built-in gazetteers are unpacked (under dossier/; default ~/.cache).",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour unless --color always.",
    ),
    (
        "COLUMNS",
        "The width tables fit on a terminal, instead of the terminal's own.",
    ),
    (
        "TMPDIR",
        "Where export json spools the evidence while it writes.",
    ),
];

/// `dossier man [-o DIR]`.
pub fn run(ctx: &Context, args: &ManArgs, out: &mut dyn Write) -> Result<Outcome> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let Some(dir) = &args.output else {
        main_page(&command, out)?;
        return Ok(Outcome::Done);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = 1;
    let path = dir.join("dossier.1");
    let mut file =
        std::fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    main_page(&command, &mut file).with_context(|| format!("cannot write {}", path.display()))?;
    for sub in command.get_subcommands() {
        written += pages(sub, dir)?;
    }
    ctx.note(format_args!(
        "wrote {written} pages into {}; read them with `man -l {}`",
        dir.display(),
        dir.join("dossier.1").display()
    ));
    Ok(Outcome::Done)
}

/// Writes the page of `command` and of each command under it into `dir`;
/// returns how many.
fn pages(command: &clap::Command, dir: &Path) -> Result<usize> {
    if command.is_hide_set() {
        return Ok(0);
    }
    let mut written = 0;
    for sub in command.get_subcommands() {
        written += pages(sub, dir)?;
    }
    let man = clap_mangen::Man::new(command.clone());
    let path = man
        .generate_to(dir)
        .with_context(|| format!("cannot write a manual page into {}", dir.display()))?;
    debug_assert!(path.starts_with(dir));
    Ok(written + 1)
}

/// The page of `dossier` itself: clap_mangen's sections, then the exit
/// codes, the environment and the pages of the commands.
fn main_page(command: &clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    writeln!(out, ".SH \"EXIT STATUS\"")?;
    let codes = EXIT_CODES
        .strip_prefix("Exit codes: ")
        .unwrap_or(EXIT_CODES);
    for code in codes.split("; ") {
        writeln!(
            out,
            ".TP\n{}",
            roff_text(code.trim_end_matches('.')).replacen(' ', "\n", 1)
        )?;
    }
    writeln!(out, ".SH ENVIRONMENT")?;
    for (name, what) in ENVIRONMENT {
        writeln!(out, ".TP\n\\fB{name}\\fR\n{}", roff_text(what))?;
    }
    writeln!(out, ".SH \"SEE ALSO\"")?;
    let others: Vec<String> = command
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| format!("\\fBdossier\\-{}\\fR(1)", c.get_name()))
        .collect();
    writeln!(out, "{}", others.join(", "))?;
    man.render_version_section(out)
}

/// Text for a roff body line: backslashes and hyphens escaped, and a
/// leading dot or quote kept from reading as a request.
fn roff_text(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_page_is_roff_with_exit_codes_and_environment() {
        let mut command = Cli::command().disable_help_subcommand(true);
        command.build();
        let mut page = Vec::new();
        main_page(&command, &mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains(".TH dossier 1"), "{page}");
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH OPTIONS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
        ] {
            assert!(page.contains(section), "no {section}");
        }
        assert!(
            page.contains(".TP\n0\ndone, also when nothing is found"),
            "{page}"
        );
        assert!(page.contains("\\fBNO_COLOR\\fR"));
        assert!(page.contains("\\fBdossier\\-ingest\\fR(1)"));
        // Every line is a request, a macro argument or text that cannot be
        // read as one.
        assert!(page.lines().all(|l| !l.starts_with('\'')), "{page}");
    }

    #[test]
    fn roff_text_escapes_what_roff_would_read() {
        assert_eq!(roff_text("a-b \\ c"), "a\\-b \\e c");
        assert_eq!(roff_text(".dot"), "\\&.dot");
    }
}
