//! CSV cells a spreadsheet may open safely: OWASP's rule against CSV
//! injection. A spreadsheet runs a cell beginning with `=`, `+`, `-`, `@`,
//! a tab or a carriage return as a formula (`=HYPERLINK(…)` in a name
//! taken from a document is enough), so every CSV dossier writes for people
//! starts such a cell with a `'`, which spreadsheets show as text; what
//! reads dossier's CSV back (`gazetteer import`) takes the `'` off again.

use std::borrow::Cow;

/// Whether a spreadsheet reads a cell starting with `c` as a formula.
fn starts_formula(c: u8) -> bool {
    matches!(c, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
}

/// `cell` with a leading `'` when a spreadsheet would read it as a formula.
pub fn guarded(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(&c) if starts_formula(c) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// `cell` without the `'` that [`guarded`] put before a formula.
pub fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.as_bytes().first().is_some_and(|&c| starts_formula(c)) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each formula start is guarded, nothing else changes, and the guard
    /// comes off exactly.
    #[test]
    fn formulas_are_guarded_and_unguarded() {
        let cases = [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tlead", "'\tlead"),
            ("\rlead", "'\rlead"),
            ("a=b", "a=b"),
            ("O'Brien", "O'Brien"),
            ("'quoted", "'quoted"),
            ("", ""),
        ];
        for (cell, wanted) in cases {
            assert_eq!(guarded(cell), wanted, "{cell:?}");
            assert_eq!(unguarded(&guarded(cell)), cell, "{cell:?}");
        }
    }
}
