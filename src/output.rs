//! How results reach people and scripts: aligned tables, JSON, CSV, TSV.
//!
//! Commands hand over rows that serialise (for JSON, with real numbers and
//! arrays) and a function giving each row's cells as text (for tables and
//! CSV). Data goes to the given writer (stdout); nothing else does.

use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// The output formats of listing commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading.
    Table,
    /// A JSON array of objects.
    Json,
    /// CSV with a header row.
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

/// Writes `rows` in `format`.
pub fn write<T: Serialize>(
    out: &mut dyn Write,
    format: Format,
    columns: &[Column],
    rows: &[T],
    cells: impl Fn(&T) -> Vec<String>,
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
                writer.write_record(cells(row))?;
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
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    cells(row)
                        .into_iter()
                        .zip(columns)
                        .map(|(cell, column)| fit(&one_line(&cell), column.max_width))
                        .collect()
                })
                .collect();
            write_table(out, columns, &table)
        }
    }
}

fn write_table(
    out: &mut dyn Write,
    columns: &[Column],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let mut widths: Vec<usize> = columns.iter().map(|c| c.name.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
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
    writeln!(
        out,
        "{}",
        line(columns.iter().map(|c| c.name.as_ref()).collect())
    )?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        name: &'static str,
        n: u32,
    }

    fn render(format: Format) -> String {
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
        write(&mut out, format, &columns, &rows, |r| {
            vec![r.name.to_string(), r.n.to_string()]
        })
        .unwrap();
        String::from_utf8(out).unwrap()
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
}
