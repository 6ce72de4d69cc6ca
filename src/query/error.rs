//! Query errors: what went wrong, where (a byte span of the query), what
//! was expected, and a suggestion when one is close. [`QueryError::render`]
//! turns the span into a line, a column and a caret under the fault.

use super::ast::Span;
use std::fmt;

/// An error in a query, from the lexer, the parser or the planner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// What is wrong, in words, without a final full stop.
    pub message: String,
    /// Where in the query text (may be empty, at the end of the text).
    pub span: Span,
    /// What would have been valid there, if the parser knows.
    pub expected: Vec<String>,
    /// A close alternative ("did you mean `resides-in`?").
    pub suggestion: Option<String>,
}

impl QueryError {
    /// An error at `span`.
    pub fn new(message: impl Into<String>, span: Span) -> QueryError {
        QueryError {
            message: message.into(),
            span,
            expected: Vec::new(),
            suggestion: None,
        }
    }

    /// The same error with what was expected.
    pub fn expecting(
        mut self,
        expected: impl IntoIterator<Item = impl Into<String>>,
    ) -> QueryError {
        self.expected = expected.into_iter().map(Into::into).collect();
        self
    }

    /// The same error with a suggestion.
    pub fn suggesting(mut self, suggestion: impl Into<String>) -> QueryError {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// 1-based line and column (in characters) of the error's start.
    pub fn position(&self, query: &str) -> (usize, usize) {
        let start = query.floor_char_boundary(self.span.start);
        let before = &query[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, query[line_start..start].chars().count() + 1)
    }

    /// The error for a person: position, message, the query line with a
    /// caret under the fault, what was expected, the suggestion.
    ///
    /// ```text
    /// error at line 1, column 4: unknown relation `resides_in`
    ///   ?p resides_in France
    ///      ^^^^^^^^^^
    ///   did you mean `resides-in`?
    /// ```
    pub fn render(&self, query: &str) -> String {
        let (line, column) = self.position(query);
        let start = query.floor_char_boundary(self.span.start);
        let line_start = query[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = query[start..].find('\n').map_or(query.len(), |i| start + i);
        let text = &query[line_start..line_end];
        let end = query.floor_char_boundary(self.span.end.clamp(start, line_end));
        let pad = query[line_start..start].chars().count();
        let width = query[start..end].chars().count().max(1);
        let mut out = format!("error at line {line}, column {column}: {}\n", self.message);
        out.push_str(&format!(
            "  {}\n  {}{}\n",
            text.replace('\t', " "),
            " ".repeat(pad),
            "^".repeat(width)
        ));
        if !self.expected.is_empty() {
            out.push_str(&format!("  expected {}\n", one_of(&self.expected)));
        }
        if let Some(suggestion) = &self.suggestion {
            out.push_str(&format!("  did you mean {suggestion}?\n"));
        }
        out
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if !self.expected.is_empty() {
            write!(f, "; expected {}", one_of(&self.expected))?;
        }
        if let Some(suggestion) = &self.suggestion {
            write!(f, "; did you mean {suggestion}?")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}

/// "a", "a or b", "a, b or c".
fn one_of(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_caret_under_the_fault() {
        let query = "?p signed ?d,\n?p resides_in France";
        let error =
            QueryError::new("unknown relation `resides_in`", 17..27).suggesting("`resides-in`");
        assert_eq!(error.position(query), (2, 4));
        assert_eq!(
            error.render(query),
            "error at line 2, column 4: unknown relation `resides_in`\n  ?p resides_in France\n     ^^^^^^^^^^\n  did you mean `resides-in`?\n"
        );
        let at_end =
            QueryError::new("unexpected end of the query", 6..6).expecting(["a relation", "`*`"]);
        assert_eq!(
            at_end.render("?p sig"),
            "error at line 1, column 7: unexpected end of the query\n  ?p sig\n        ^\n  expected a relation or `*`\n"
        );
        assert_eq!(
            at_end.to_string(),
            "unexpected end of the query; expected a relation or `*`"
        );
    }
}
