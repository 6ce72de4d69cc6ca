//! One gazetteer line: `name[<TAB>alias|alias[<TAB>key=value;key=value]]`.

use std::fmt;

/// A parsed entity line, borrowing from the line.
#[derive(Debug, PartialEq, Eq)]
pub struct ParsedLine<'a> {
    /// The canonical name, trimmed.
    pub name: &'a str,
    /// The aliases, trimmed, in order (possibly repeating the name).
    pub aliases: Vec<&'a str>,
    /// The attributes, trimmed, in order.
    pub attributes: Vec<(&'a str, &'a str)>,
}

/// A `|` list (aliases in a gazetteer column, phrases in a rule) as its
/// trimmed, non-empty items.
pub(crate) fn split_list(value: &str) -> Vec<String> {
    value
        .split('|')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

/// What is wrong with a line, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

impl std::error::Error for LineError {}

/// Parses one line. Comments (`#` first) and blank lines give `Ok(None)`.
pub fn parse_line(line: &str, line_number: usize) -> Result<Option<ParsedLine<'_>>, LineError> {
    let fail = |message: String| LineError {
        line: line_number,
        message,
    };
    let line = line.strip_suffix('\r').unwrap_or(line);
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let columns: Vec<&str> = line.split('\t').collect();
    if columns.len() > 3 {
        return Err(fail(format!(
            "expected at most 3 TAB-separated columns (name, aliases, attributes), found {}",
            columns.len()
        )));
    }
    let name = columns[0].trim();
    if name.is_empty() {
        return Err(fail("the canonical name (first column) is empty".into()));
    }
    if name.contains('|') {
        return Err(fail(format!(
            "the canonical name `{name}` contains `|`: aliases go in the second column, after a TAB"
        )));
    }
    if !has_letters(name) {
        return Err(fail(format!("the name `{name}` has no letters or digits")));
    }
    let mut aliases = Vec::new();
    if let Some(column) = columns.get(1).map(|c| c.trim()).filter(|c| !c.is_empty()) {
        for alias in column.split('|').map(str::trim) {
            if alias.is_empty() {
                return Err(fail(format!(
                    "empty alias in `{column}`: two `|` in a row, or a `|` at an end"
                )));
            }
            if !has_letters(alias) {
                return Err(fail(format!(
                    "the alias `{alias}` has no letters or digits"
                )));
            }
            aliases.push(alias);
        }
    }
    let mut attributes = Vec::new();
    if let Some(column) = columns.get(2) {
        for pair in column.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, value)) = pair.split_once('=') else {
                return Err(fail(format!("attribute `{pair}` is not `key=value`")));
            };
            let (key, value) = (key.trim(), value.trim());
            let valid_key = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !valid_key {
                return Err(fail(format!(
                    "attribute key `{key}` must be letters, digits, `_`, `-` or `.`"
                )));
            }
            attributes.push((key, value));
        }
    }
    Ok(Some(ParsedLine {
        name,
        aliases,
        attributes,
    }))
}

/// The entity lines of a file's text with their 1-based numbers, parsed;
/// comments and blank lines are left out. `text` may be a piece of a file
/// whose first line is the file's line `first_line`.
pub fn entity_lines(
    text: &str,
    first_line: usize,
) -> impl Iterator<Item = (usize, Result<ParsedLine<'_>, LineError>)> {
    text.lines().enumerate().filter_map(move |(n, line)| {
        parse_line(line, first_line + n)
            .transpose()
            .map(|parsed| (first_line + n, parsed))
    })
}

fn has_letters(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row: a line, and `Ok(Some((name, aliases, attributes)))`,
    /// `Ok(None)` (comment/blank), or `Err(part of the message)`.
    #[test]
    fn lines() {
        type Want = Result<
            Option<(
                &'static str,
                Vec<&'static str>,
                Vec<(&'static str, &'static str)>,
            )>,
            &'static str,
        >;
        let cases: Vec<(&str, Want)> = vec![
            ("", Ok(None)),
            ("   ", Ok(None)),
            ("# a comment\twith tab", Ok(None)),
            ("  # indented comment", Ok(None)),
            ("France", Ok(Some(("France", vec![], vec![])))),
            ("France\r", Ok(Some(("France", vec![], vec![])))),
            ("France\t", Ok(Some(("France", vec![], vec![])))),
            (
                "France\tFrench Republic",
                Ok(Some(("France", vec!["French Republic"], vec![]))),
            ),
            (
                "France\tFrench Republic | République française\tiso=FR; capital = Paris;",
                Ok(Some((
                    "France",
                    vec!["French Republic", "République française"],
                    vec![("iso", "FR"), ("capital", "Paris")],
                ))),
            ),
            (
                "France\t\tiso=FR",
                Ok(Some(("France", vec![], vec![("iso", "FR")]))),
            ),
            (
                "\tFrench Republic",
                Err("canonical name (first column) is empty"),
            ),
            (
                "France|French Republic",
                Err("aliases go in the second column"),
            ),
            ("France\tA||B", Err("empty alias")),
            ("France\tA|", Err("empty alias")),
            ("France\t---", Err("has no letters")),
            ("France\tA\tiso", Err("is not `key=value`")),
            ("France\tA\t=FR", Err("attribute key")),
            (
                "France\tA\tk=v\textra",
                Err("at most 3 TAB-separated columns"),
            ),
            ("...", Err("has no letters")),
        ];
        for (line, want) in cases {
            let got = parse_line(line, 7);
            match (&got, &want) {
                (Ok(None), Ok(None)) => {}
                (Ok(Some(p)), Ok(Some((name, aliases, attributes)))) => {
                    assert_eq!(p.name, *name, "{line:?}");
                    assert_eq!(&p.aliases, aliases, "{line:?}");
                    assert_eq!(&p.attributes, attributes, "{line:?}");
                }
                (Err(e), Err(part)) => {
                    assert_eq!(e.line, 7);
                    assert!(e.message.contains(part), "{line:?}: {}", e.message);
                }
                _ => panic!("{line:?}: got {got:?}, want {want:?}"),
            }
        }
    }
}
