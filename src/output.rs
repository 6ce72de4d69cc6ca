//! How results reach people and scripts: aligned tables, JSON, CSV, TSV;
//! and how messages look on stderr.
//!
//! Commands hand over rows that serialise (for JSON, with real numbers and
//! arrays) and a function giving each row's cells as text (for tables and
//! CSV). Data goes to the given writer (stdout); nothing else does.
//!
//! On a terminal, a table fits its width (long cells are cut with `…`)
//! unless `--wide`; in a pipe or a file it keeps its cells as they are
//! (a few long columns cut at a fixed width, nothing with `--wide`).
//! Colour (`--color`, `NO_COLOR`) marks the tags of messages (`error:`,
//! `warning:`, `note:` …) and table headers, each stream only when it is
//! a terminal, unless asked always.

use serde::Serialize;
use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::sync::OnceLock;
use unicode_width::UnicodeWidthStr;

/// When to colour (`--color`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// When the stream is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always, even into pipes and files.
    Always,
    /// Never.
    Never,
}

/// How this run's output looks, settled once at start.
#[derive(Clone, Copy, Debug, Default)]
pub struct Look {
    /// Colour on stdout.
    pub color_stdout: bool,
    /// Colour on stderr.
    pub color_stderr: bool,
    /// The width tables fit on stdout: `None` when stdout is no terminal
    /// or with `--wide`.
    pub width: Option<usize>,
    /// `--wide`: no cell is cut, whatever the stream.
    pub wide: bool,
}

static LOOK: OnceLock<Look> = OnceLock::new();

impl Look {
    /// The look of a run with these options, in this environment.
    pub fn settle(color: ColorWhen, wide: bool) -> Look {
        let stdout = std::io::stdout().is_terminal();
        let stderr = std::io::stderr().is_terminal();
        // https://no-color.org: set and not empty.
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        let colour = |terminal: bool| match color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => terminal && !no_color && !dumb,
        };
        Look {
            color_stdout: colour(stdout),
            color_stderr: colour(stderr),
            width: (stdout && !wide).then(terminal_width),
            wide,
        }
    }

    /// Makes `look` the look of this run (the first call wins).
    pub fn install(look: Look) {
        let _ = LOOK.set(look);
    }

    /// The look of this run (plain, cells as in a pipe, before `install`).
    pub fn get() -> Look {
        LOOK.get().copied().unwrap_or_default()
    }
}

/// The width of the terminal on stdout: `$COLUMNS` when set, else what the
/// terminal says, else 80.
fn terminal_width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return columns;
    }
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w > 0)
        .unwrap_or(80)
}

/// ANSI styles.
const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BOLD_RED: &str = "\x1b[1;31m";
const BOLD_YELLOW: &str = "\x1b[1;33m";
const BOLD_CYAN: &str = "\x1b[1;36m";
const YELLOW: &str = "\x1b[33m";

/// A message tag as stderr shows it: `error:`, `warning:`, `note:`,
/// `skipped:` …, coloured when stderr is.
pub fn tag(word: &str) -> String {
    if !Look::get().color_stderr {
        return format!("{word}:");
    }
    let style = match word {
        "error" => BOLD_RED,
        "warning" => BOLD_YELLOW,
        "note" | "tip" => BOLD_CYAN,
        _ => YELLOW,
    };
    format!("{style}{word}:{RESET}")
}

/// Prints `word: message` on stderr, the tag coloured when stderr is.
pub fn message(word: &str, message: impl std::fmt::Display) {
    eprintln!("{} {message}", tag(word));
}

/// A text that starts with `error` (a query error with its caret), with
/// that word coloured when stderr is.
pub fn error_text(text: &str) -> String {
    match text.strip_prefix("error") {
        Some(rest) if Look::get().color_stderr => format!("{BOLD_RED}error{RESET}{rest}"),
        _ => text.to_string(),
    }
}

/// The output formats of listing commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading.
    Table,
    /// A JSON array of objects.
    Json,
    /// CSV with a header row; a text cell a spreadsheet would read as a
    /// formula gets a leading `'` (OWASP's rule against CSV injection).
    Csv,
    /// Tab-separated values with a header row (tabs and line breaks in a
    /// cell become spaces).
    Tsv,
}

/// A column of a table: its header and how to align it.
#[derive(Clone, Debug)]
pub struct Column {
    /// Header text.
    pub name: Cow<'static, str>,
    /// Right-aligned (numbers).
    pub numeric: bool,
    /// Table cells longer than this many columns are cut with `…`.
    pub max_width: Option<usize>,
}

impl Column {
    /// A left-aligned text column.
    pub const fn text(name: &'static str) -> Column {
        Column {
            name: Cow::Borrowed(name),
            numeric: false,
            max_width: None,
        }
    }

    /// A right-aligned number column.
    pub const fn number(name: &'static str) -> Column {
        Column {
            name: Cow::Borrowed(name),
            numeric: true,
            max_width: None,
        }
    }

    /// A column whose header is made at run time (query results).
    pub fn named(name: String, numeric: bool) -> Column {
        Column {
            name: Cow::Owned(name),
            numeric,
            max_width: None,
        }
    }

    /// A text column cut at `width` in tables.
    pub const fn wrapped(name: &'static str, width: usize) -> Column {
        Column {
            name: Cow::Borrowed(name),
            numeric: false,
            max_width: Some(width),
        }
    }
}

/// Writes `rows` in `format`, tables as this run's [`Look`] has them.
pub fn write<T: Serialize>(
    out: &mut dyn Write,
    format: Format,
    columns: &[Column],
    rows: &[T],
    cells: impl Fn(&T) -> Vec<String>,
) -> std::io::Result<()> {
    write_with(out, format, columns, rows, cells, Look::get())
}

/// [`write`] with a given look.
fn write_with<T: Serialize>(
    out: &mut dyn Write,
    format: Format,
    columns: &[Column],
    rows: &[T],
    cells: impl Fn(&T) -> Vec<String>,
    look: Look,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            out.write_all(b"\n")
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(columns.iter().map(|c| c.name.as_ref()))?;
            for row in rows {
                let cells = cells(row);
                // Numbers keep their sign; text is guarded.
                let guarded: Vec<Cow<'_, str>> = cells
                    .iter()
                    .zip(columns)
                    .map(|(cell, column)| {
                        if column.numeric {
                            Cow::Borrowed(cell.as_str())
                        } else {
                            dossier::spreadsheet::guarded(cell)
                        }
                    })
                    .collect();
                writer.write_record(guarded.iter().map(|c| c.as_bytes()))?;
            }
            writer.flush()
        }
        Format::Tsv => {
            // `one_line` leaves no tab, so cells stay apart.
            let field = one_line;
            let header: Vec<String> = columns.iter().map(|c| field(&c.name)).collect();
            writeln!(out, "{}", header.join("\t"))?;
            for row in rows {
                let fields: Vec<String> = cells(row).iter().map(|c| field(c)).collect();
                writeln!(out, "{}", fields.join("\t"))?;
            }
            Ok(())
        }
        Format::Table => {
            // A terminal's width replaces the fixed cuts; `--wide` cuts
            // nothing.
            let fixed = !look.wide && look.width.is_none();
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    cells(row)
                        .into_iter()
                        .zip(columns)
                        .map(|(cell, column)| {
                            let cell = one_line(&cell);
                            if fixed {
                                fit(&cell, column.max_width)
                            } else {
                                cell
                            }
                        })
                        .collect()
                })
                .collect();
            write_table(out, columns, table, look.width, look.color_stdout)
        }
    }
}

/// Writes aligned columns; with `width`, text columns are narrowed (the
/// widest first, none below its header or [`MIN_FIT`]) until a row fits,
/// and cells cut with `…`.
fn write_table(
    out: &mut dyn Write,
    columns: &[Column],
    mut rows: Vec<Vec<String>>,
    width: Option<usize>,
    bold_header: bool,
) -> std::io::Result<()> {
    let mut widths: Vec<usize> = columns.iter().map(|c| c.name.width()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    if let Some(width) = width {
        let fitted = fit_widths(columns, &widths, width);
        if fitted != widths {
            for row in &mut rows {
                for ((cell, &w), &natural) in row.iter_mut().zip(&fitted).zip(&widths) {
                    if w < natural && cell.width() > w {
                        // A path keeps its end, where the file's name is.
                        *cell = if is_path(cell) {
                            fit_start(cell, w)
                        } else {
                            fit(cell, Some(w))
                        };
                    }
                }
            }
            widths = fitted;
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut text = String::new();
        for (i, ((cell, column), width)) in cells.iter().zip(columns).zip(&widths).enumerate() {
            let pad = width.saturating_sub(cell.width());
            let last = i + 1 == columns.len();
            if column.numeric {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            } else {
                text.push_str(cell);
                if !last {
                    text.push_str(&" ".repeat(pad));
                }
            }
            if !last {
                text.push_str("  ");
            }
        }
        text.trim_end().to_string()
    };
    let header = line(columns.iter().map(|c| c.name.as_ref()).collect());
    if bold_header {
        writeln!(out, "{BOLD}{header}{RESET}")?;
    } else {
        writeln!(out, "{header}")?;
    }
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// The narrowest a text column is cut to when a table must fit (unless its
/// header or its widest cell is narrower).
const MIN_FIT: usize = 8;

/// Column widths that fit `width` columns, two spaces between columns:
/// numbers keep theirs; text columns wider than a common limit are cut to
/// it, the largest limit that fits, none below its header or [`MIN_FIT`].
/// When even that is too wide, every text column is at its least.
fn fit_widths(columns: &[Column], natural: &[usize], width: usize) -> Vec<usize> {
    let gaps = 2 * columns.len().saturating_sub(1);
    // Each column's width when no text column may pass `limit`.
    let widths = |limit: usize| -> Vec<usize> {
        columns
            .iter()
            .zip(natural)
            .map(|(c, &w)| {
                if c.numeric {
                    w
                } else {
                    w.min(limit.max(least(c, w)))
                }
            })
            .collect()
    };
    let total = |limit: usize| -> usize { widths(limit).iter().sum::<usize>() + gaps };
    let widest = natural.iter().copied().max().unwrap_or(0);
    if total(widest) <= width {
        return natural.to_vec();
    }
    // The largest limit that fits: `total` grows with the limit.
    let (mut fits, mut too_wide) = (0, widest);
    while fits + 1 < too_wide {
        let mid = (fits + too_wide) / 2;
        if total(mid) <= width {
            fits = mid;
        } else {
            too_wide = mid;
        }
    }
    widths(fits)
}

/// The least width a text column is cut to.
fn least(column: &Column, natural: usize) -> usize {
    natural.min(column.name.width().max(MIN_FIT))
}

/// Folds line breaks and tabs to spaces, so a cell stays on its line.
fn one_line(cell: &str) -> String {
    if cell.contains(['\n', '\r', '\t']) {
        cell.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        cell.to_string()
    }
}

/// Cuts `cell` to `max` display columns, ending with `…` when cut.
fn fit(cell: &str, max: Option<usize>) -> String {
    let Some(max) = max else {
        return cell.to_string();
    };
    if cell.width() <= max {
        return cell.to_string();
    }
    let mut out = String::new();
    for c in cell.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Cuts `cell` to `max` display columns from its start, which becomes `…`.
fn fit_start(cell: &str, max: usize) -> String {
    let mut width = 0;
    let mut start = cell.len();
    for (i, c) in cell.char_indices().rev() {
        width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if width + 1 > max {
            break;
        }
        start = i;
    }
    format!("…{}", &cell[start..])
}

/// Whether a cell reads as a file's path: a `/` and no space.
fn is_path(cell: &str) -> bool {
    cell.contains('/') && !cell.contains(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        name: &'static str,
        n: u32,
    }

    fn render(format: Format) -> String {
        render_with(format, Look::default())
    }

    fn render_with(format: Format, look: Look) -> String {
        let rows = [
            Row {
                name: "Šakaliene",
                n: 3,
            },
            Row {
                name: "Ichkeria, Chechen Republic of",
                n: 12,
            },
        ];
        let columns = [Column::wrapped("NAME", 20), Column::number("MENTIONS")];
        let mut out = Vec::new();
        write_with(
            &mut out,
            format,
            &columns,
            &rows,
            |r| vec![r.name.to_string(), r.n.to_string()],
            look,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    /// A table of a text column, a number column and a long text column,
    /// as it comes out in `width` columns.
    fn fitted(width: Option<usize>, wide: bool) -> String {
        let columns = [
            Column::text("DOCUMENT"),
            Column::number("LINE"),
            Column::wrapped("EVIDENCE", 40),
        ];
        let rows = [
            (
                "letters/appeal.txt",
                12,
                "The council recognised the republic in a vote on Tuesday.",
            ),
            ("a/b.txt", 3, "Short."),
        ];
        let mut out = Vec::new();
        let look = Look {
            width,
            wide,
            ..Look::default()
        };
        write_with(
            &mut out,
            Format::Table,
            &columns,
            &rows,
            |r| vec![r.0.to_string(), r.1.to_string(), r.2.to_string()],
            look,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn tables_fit_the_terminal_and_cut_nothing_when_wide() {
        let cases: [(Option<usize>, bool, &str); 5] = [
            // A pipe: the fixed cut of the evidence column, as before.
            (
                None,
                false,
                "DOCUMENT            LINE  EVIDENCE\n\
                 letters/appeal.txt    12  The council recognised the republic in …\n\
                 a/b.txt                3  Short.\n",
            ),
            // --wide: everything.
            (
                None,
                true,
                "DOCUMENT            LINE  EVIDENCE\n\
                 letters/appeal.txt    12  The council recognised the republic in a vote on Tuesday.\n\
                 a/b.txt                3  Short.\n",
            ),
            // A wide terminal: everything, no fixed cut.
            (
                Some(120),
                false,
                "DOCUMENT            LINE  EVIDENCE\n\
                 letters/appeal.txt    12  The council recognised the republic in a vote on Tuesday.\n\
                 a/b.txt                3  Short.\n",
            ),
            // 50 columns: the widest text column gives way first.
            (
                Some(50),
                false,
                "DOCUMENT            LINE  EVIDENCE\n\
                 letters/appeal.txt    12  The council recognised …\n\
                 a/b.txt                3  Short.\n",
            ),
            // 30 columns: both text columns down to a common width; a
            // path keeps its end.
            (
                Some(30),
                false,
                "DOCUMENT     LINE  EVIDENCE\n\
                 …appeal.txt    12  The counci…\n\
                 a/b.txt         3  Short.\n",
            ),
        ];
        for (width, wide, expected) in cases {
            let table = fitted(width, wide);
            assert_eq!(table, expected, "width {width:?}, wide {wide}");
            if let Some(width) = width {
                assert!(table.lines().all(|l| l.width() <= width), "{table}");
            }
        }
    }

    #[test]
    fn a_table_too_narrow_to_fit_keeps_headers_and_numbers_whole() {
        let table = fitted(Some(10), false);
        assert_eq!(
            table,
            "DOCUMENT  LINE  EVIDENCE\n…eal.txt    12  The cou…\na/b.txt      3  Short.\n"
        );
    }

    #[test]
    fn colour_marks_tags_and_headers_only_when_asked() {
        let look = Look {
            color_stdout: true,
            ..Look::default()
        };
        let table = render_with(Format::Table, look);
        assert!(table.starts_with("\x1b[1mNAME"), "{table:?}");
        assert_eq!(table.matches('\x1b').count(), 2, "{table:?}");
        let csv = render_with(Format::Csv, look);
        assert!(!csv.contains('\x1b'), "{csv:?}");
        assert!(!render(Format::Table).contains('\x1b'));
    }

    #[test]
    fn table_aligns_by_display_width() {
        assert_eq!(
            render(Format::Table),
            "NAME                  MENTIONS\nŠakaliene                    3\nIchkeria, Chechen R…        12\n"
        );
    }

    #[test]
    fn csv_and_json() {
        assert_eq!(
            render(Format::Csv),
            "NAME,MENTIONS\nŠakaliene,3\n\"Ichkeria, Chechen Republic of\",12\n"
        );
        assert_eq!(
            render(Format::Tsv),
            "NAME\tMENTIONS\nŠakaliene\t3\nIchkeria, Chechen Republic of\t12\n"
        );
        let json: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
        assert_eq!(json[1]["n"], 12);
    }

    /// A text cell a spreadsheet would run as a formula is guarded; a
    /// number keeps its sign.
    #[test]
    fn csv_guards_formulas_in_text_cells_only() {
        let columns = [Column::text("NAME"), Column::number("N")];
        let rows = [("=1+1", -3), ("@cmd", 4), ("plain", 5)];
        let mut out = Vec::new();
        write_with(
            &mut out,
            Format::Csv,
            &columns,
            &rows,
            |r: &(&str, i32)| vec![r.0.to_string(), r.1.to_string()],
            Look::default(),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NAME,N\n'=1+1,-3\n'@cmd,4\nplain,5\n"
        );
    }
}
