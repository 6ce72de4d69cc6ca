//! The lexer: query text to tokens, each with its byte span.
//!
//! It implements the lexical rules of the language:
//!
//! ```text
//! space    = ? any white space, or U+FEFF ? ;
//! comment  = "#" , { ? any character but a line feed ? } ;
//! variable = "?" , name-char , { name-char } ;          (* name-char: a letter, a digit or "_" *)
//! string   = '"' , { ? any character but '"' or "\" ? | '\"' | "\\" } , '"' ;
//! regex    = "/" , { ? any character but "/" or "\" ? | "\/" | "\" , ? any character ? } , "/" ;
//! word     = name-char , { name-char | mark | ( "-" | "'" | "’" ) , name-char } ;
//!            (* mark: a combining mark, as in a decomposed "é" *)
//! number   = digit , { digit } ;                       (* a word of ASCII digits only *)
//! keyword  = ? a word equal, ignoring ASCII case, to a Keyword ? ;
//! symbol   = "," | ":" | "|" | "*" | "^" | "(" | ")" | "=" | "!=" ;
//! ```
//!
//! White space and comments separate tokens and are dropped. A regex is
//! only read right after the keyword `matches`, the one place the grammar
//! accepts it; anywhere else `/` is a [`TokenKind::Other`] character, which
//! lets the parser say that a regex is out of place. Characters that start
//! no token also become [`TokenKind::Other`], so that the parser, which
//! knows what it expected, reports them. The lexer itself fails only on a
//! malformed token: an unterminated string or regex (the span runs from the
//! opening delimiter to the end of the text), an unknown escape in a string,
//! and a `?` without a name.
//!
//! [`Lexer`] hands out tokens one at a time, so the parser reports the first
//! fault in the order of the text whether it is lexical or grammatical;
//! [`lex`] collects them all.

use super::error::QueryError;
use std::ops::Range;
use unicode_normalization::char::is_combining_mark;

/// A token and where it is in the query text.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What the token is.
    pub kind: TokenKind,
    /// Its byte range in the query text, delimiters included.
    pub span: Range<usize>,
}

/// The kinds of token.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// `?name`: the name, without the `?`.
    Var(String),
    /// `"…"`: the text, unquoted and unescaped.
    Str(String),
    /// `/…/` right after `matches`: the text between the slashes, `\/`
    /// turned into `/` and every other escape kept as written.
    Regex(String),
    /// A word that is not a keyword (`France`, `resides-in`, `person`).
    Word(String),
    /// A word of ASCII digits (`10`), as written.
    Number(String),
    /// A keyword, whatever its case.
    Keyword(Keyword),
    /// `,`.
    Comma,
    /// `:`.
    Colon,
    /// `|`.
    Pipe,
    /// `*`.
    Star,
    /// `^`.
    Caret,
    /// `(`.
    LParen,
    /// `)`.
    RParen,
    /// `=`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// A character that starts no token (`@`, a lone `!`, `/` away from
    /// `matches`, a control character).
    Other(char),
}

/// The keywords, recognised whatever their case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    /// `where`.
    Where,
    /// `return`.
    Return,
    /// `order`.
    Order,
    /// `by`.
    By,
    /// `asc`.
    Asc,
    /// `desc`.
    Desc,
    /// `limit`.
    Limit,
    /// `and`.
    And,
    /// `or`.
    Or,
    /// `not`.
    Not,
    /// `contains`.
    Contains,
    /// `starts-with`.
    StartsWith,
    /// `matches`.
    Matches,
    /// `count`.
    Count,
    /// `distinct`.
    Distinct,
    /// `type`.
    Type,
    /// `path`.
    Path,
    /// `to`.
    To,
    /// `via`.
    Via,
    /// `max`.
    Max,
    /// `neighbours`.
    Neighbours,
    /// `neighbors`, the American spelling of `neighbours`.
    Neighbors,
    /// `depth`.
    Depth,
    /// `entities`.
    Entities,
    /// `matching`.
    Matching,
    /// `documents`.
    Documents,
}

impl Keyword {
    /// Every keyword.
    pub const ALL: [Keyword; 26] = [
        Keyword::Where,
        Keyword::Return,
        Keyword::Order,
        Keyword::By,
        Keyword::Asc,
        Keyword::Desc,
        Keyword::Limit,
        Keyword::And,
        Keyword::Or,
        Keyword::Not,
        Keyword::Contains,
        Keyword::StartsWith,
        Keyword::Matches,
        Keyword::Count,
        Keyword::Distinct,
        Keyword::Type,
        Keyword::Path,
        Keyword::To,
        Keyword::Via,
        Keyword::Max,
        Keyword::Neighbours,
        Keyword::Neighbors,
        Keyword::Depth,
        Keyword::Entities,
        Keyword::Matching,
        Keyword::Documents,
    ];

    /// Returns the keyword in lower case, as the documentation writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Where => "where",
            Keyword::Return => "return",
            Keyword::Order => "order",
            Keyword::By => "by",
            Keyword::Asc => "asc",
            Keyword::Desc => "desc",
            Keyword::Limit => "limit",
            Keyword::And => "and",
            Keyword::Or => "or",
            Keyword::Not => "not",
            Keyword::Contains => "contains",
            Keyword::StartsWith => "starts-with",
            Keyword::Matches => "matches",
            Keyword::Count => "count",
            Keyword::Distinct => "distinct",
            Keyword::Type => "type",
            Keyword::Path => "path",
            Keyword::To => "to",
            Keyword::Via => "via",
            Keyword::Max => "max",
            Keyword::Neighbours => "neighbours",
            Keyword::Neighbors => "neighbors",
            Keyword::Depth => "depth",
            Keyword::Entities => "entities",
            Keyword::Matching => "matching",
            Keyword::Documents => "documents",
        }
    }

    /// Returns the keyword a word spells, ignoring ASCII case.
    pub fn from_word(word: &str) -> Option<Keyword> {
        Keyword::ALL
            .into_iter()
            .find(|keyword| keyword.as_str().eq_ignore_ascii_case(word))
    }
}

/// Splits a query into tokens, one at a time; after an error it yields
/// nothing more.
#[derive(Clone, Debug)]
pub struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    last_end: usize,
    after_matches: bool,
    failed: bool,
}

impl<'a> Lexer<'a> {
    /// Makes a lexer at the start of `text`.
    pub fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            text,
            pos: 0,
            last_end: 0,
            after_matches: false,
            failed: false,
        }
    }

    /// Returns where the last token handed out ends (0 before the first).
    /// An "unexpected end" points there rather than after trailing
    /// comments.
    pub fn last_end(&self) -> usize {
        self.last_end
    }

    /// Returns the next token, or `Ok(None)` at the end of the text.
    pub fn next_token(&mut self) -> Result<Option<Token>, QueryError> {
        if self.failed {
            return Ok(None);
        }
        match self.read() {
            Ok(Some(token)) => {
                self.after_matches = token.kind == TokenKind::Keyword(Keyword::Matches);
                self.last_end = token.span.end;
                Ok(Some(token))
            }
            Ok(None) => Ok(None),
            Err(error) => {
                self.failed = true;
                Err(error)
            }
        }
    }

    /// Returns the character at the current position.
    fn peek_char(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    /// Moves past white space and comments.
    fn skip_space_and_comments(&mut self) {
        while let Some(c) = self.peek_char() {
            if c.is_whitespace() || c == '\u{feff}' {
                self.pos += c.len_utf8();
            } else if c == '#' {
                self.pos = self.text[self.pos..]
                    .find('\n')
                    .map_or(self.text.len(), |i| self.pos + i);
            } else {
                break;
            }
        }
    }

    /// Reads the next token, or `Ok(None)` at the end of the text.
    fn read(&mut self) -> Result<Option<Token>, QueryError> {
        self.skip_space_and_comments();
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Ok(None);
        };
        let single = |kind: TokenKind| Token {
            kind,
            span: start..start + c.len_utf8(),
        };
        let token = match c {
            '?' => self.variable(start)?,
            '"' => self.string(start)?,
            '/' if self.after_matches => self.regex(start)?,
            '!' if self.text[start + 1..].starts_with('=') => Token {
                kind: TokenKind::Ne,
                span: start..start + 2,
            },
            ',' => single(TokenKind::Comma),
            ':' => single(TokenKind::Colon),
            '|' => single(TokenKind::Pipe),
            '*' => single(TokenKind::Star),
            '^' => single(TokenKind::Caret),
            '(' => single(TokenKind::LParen),
            ')' => single(TokenKind::RParen),
            '=' => single(TokenKind::Eq),
            '<' | '>' => {
                let or_equal = self.text[start + 1..].starts_with('=');
                Token {
                    kind: match (c, or_equal) {
                        ('<', false) => TokenKind::Lt,
                        ('<', true) => TokenKind::Le,
                        (_, false) => TokenKind::Gt,
                        (_, true) => TokenKind::Ge,
                    },
                    span: start..start + 1 + usize::from(or_equal),
                }
            }
            c if is_name_char(c) => self.word(start),
            other => single(TokenKind::Other(other)),
        };
        self.pos = token.span.end;
        Ok(Some(token))
    }

    /// Reads a variable (`?name`); `start` is at the `?`.
    fn variable(&self, start: usize) -> Result<Token, QueryError> {
        let name_start = start + 1;
        let name_end = self.text[name_start..]
            .char_indices()
            .find(|&(_, c)| !is_name_char(c))
            .map_or(self.text.len(), |(i, _)| name_start + i);
        if name_end == name_start {
            return Err(
                QueryError::new("`?` without a variable name", start..name_start)
                    .expecting(["a variable name (letters, digits and `_`) right after `?`"])
                    .suggesting("`?x`"),
            );
        }
        Ok(Token {
            kind: TokenKind::Var(self.text[name_start..name_end].to_string()),
            span: start..name_end,
        })
    }

    /// Reads a string (`"…"`); `start` is at the opening quote.
    fn string(&self, start: usize) -> Result<Token, QueryError> {
        let mut text = String::new();
        let mut chars = self.text[start + 1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    return Ok(Token {
                        kind: TokenKind::Str(text),
                        span: start..start + 1 + i + 1,
                    });
                }
                '\\' => match chars.next() {
                    Some((_, escaped @ ('"' | '\\'))) => text.push(escaped),
                    Some((j, other)) => {
                        let at = start + 1 + i;
                        let end = start + 1 + j + other.len_utf8();
                        return Err(QueryError::new(
                            format!("unknown escape `{}` in a string", &self.text[at..end]),
                            at..end,
                        )
                        .expecting(["`\\\"`", "`\\\\`"]));
                    }
                    None => break,
                },
                c => text.push(c),
            }
        }
        Err(
            QueryError::new("unterminated string", start..self.text.len())
                .expecting(["a closing `\"`"]),
        )
    }

    /// Reads a regex (`/…/`); `start` is at the opening slash.
    fn regex(&self, start: usize) -> Result<Token, QueryError> {
        let mut text = String::new();
        let mut chars = self.text[start + 1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '/' => {
                    return Ok(Token {
                        kind: TokenKind::Regex(text),
                        span: start..start + 1 + i + 1,
                    });
                }
                '\\' => match chars.next() {
                    Some((_, '/')) => text.push('/'),
                    Some((_, other)) => {
                        text.push('\\');
                        text.push(other);
                    }
                    None => break,
                },
                c => text.push(c),
            }
        }
        Err(
            QueryError::new("unterminated regex", start..self.text.len())
                .expecting(["a closing `/` (write `\\/` for a slash inside)"]),
        )
    }

    /// Reads a word, a number or a keyword; `start` is at its first
    /// character.
    fn word(&self, start: usize) -> Token {
        let rest = &self.text[start..];
        let mut end = rest.len();
        let mut previous_joiner = false;
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_name_char(c) || (i > 0 && is_combining_mark(c)) {
                previous_joiner = false;
            } else if is_joiner(c)
                && !previous_joiner
                && chars.peek().is_some_and(|&(_, next)| is_name_char(next))
            {
                previous_joiner = true;
            } else {
                end = i;
                break;
            }
        }
        let word = &rest[..end];
        let kind = if word.bytes().all(|b| b.is_ascii_digit()) {
            TokenKind::Number(word.to_string())
        } else if let Some(keyword) = Keyword::from_word(word) {
            TokenKind::Keyword(keyword)
        } else {
            TokenKind::Word(word.to_string())
        };
        Token {
            kind,
            span: start..start + end,
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Result<Token, QueryError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_token().transpose()
    }
}

/// Splits a whole query into tokens, or fails at the first malformed one.
pub fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    Lexer::new(text).collect()
}

/// Tells a character of a variable name or a word: a letter, a digit or
/// `_`.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Tells a character allowed inside a word between two word characters.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '\u{2019}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        lex(text)
            .unwrap()
            .into_iter()
            .map(|token| token.kind)
            .collect()
    }

    fn word(text: &str) -> TokenKind {
        TokenKind::Word(text.to_string())
    }

    #[test]
    fn splits_a_query_into_tokens_with_spans() {
        let text = "?p:person resides-in \"Chechen \\\"Republic\\\\\" , France # a comment";
        let tokens = lex(text).unwrap();
        let spans: Vec<&str> = tokens.iter().map(|t| &text[t.span.clone()]).collect();
        assert_eq!(
            spans,
            [
                "?p",
                ":",
                "person",
                "resides-in",
                "\"Chechen \\\"Republic\\\\\"",
                ",",
                "France"
            ]
        );
        assert_eq!(tokens[0].kind, TokenKind::Var("p".into()));
        assert_eq!(
            tokens[4].kind,
            TokenKind::Str("Chechen \"Republic\\".into())
        );
    }

    #[test]
    fn reads_words_keywords_numbers_and_symbols() {
        let table: &[(&str, Vec<TokenKind>)] = &[
            (
                "WHERE Where where",
                vec![TokenKind::Keyword(Keyword::Where); 3],
            ),
            (
                "Starts-With starts-with",
                vec![TokenKind::Keyword(Keyword::StartsWith); 2],
            ),
            ("neighbors", vec![TokenKind::Keyword(Keyword::Neighbors)]),
            ("O'Brien", vec![word("O'Brien")]),
            ("Zelensky’s", vec![word("Zelensky’s")]),
            ("Chechnya-Ichkeria", vec![word("Chechnya-Ichkeria")]),
            (
                "a--b",
                vec![
                    word("a"),
                    TokenKind::Other('-'),
                    TokenKind::Other('-'),
                    word("b"),
                ],
            ),
            ("trailing-", vec![word("trailing"), TokenKind::Other('-')]),
            ("Noxçiyçö Wałęsa", vec![word("Noxçiyçö"), word("Wałęsa")]),
            ("e\u{301}cole", vec![word("e\u{301}cole")]),
            ("\u{301}", vec![TokenKind::Other('\u{301}')]),
            ("10 2nd", vec![TokenKind::Number("10".into()), word("2nd")]),
            (
                "< <= > >=",
                vec![TokenKind::Lt, TokenKind::Le, TokenKind::Gt, TokenKind::Ge],
            ),
            (
                ", : | * ^ ( ) = != !",
                vec![
                    TokenKind::Comma,
                    TokenKind::Colon,
                    TokenKind::Pipe,
                    TokenKind::Star,
                    TokenKind::Caret,
                    TokenKind::LParen,
                    TokenKind::RParen,
                    TokenKind::Eq,
                    TokenKind::Ne,
                    TokenKind::Other('!'),
                ],
            ),
            (
                "^signed|*",
                vec![
                    TokenKind::Caret,
                    word("signed"),
                    TokenKind::Pipe,
                    TokenKind::Star,
                ],
            ),
            ("# only a comment", vec![]),
            ("a # one\n# two\nb", vec![word("a"), word("b")]),
            ("\u{feff} \t\r\n", vec![]),
            ("@\0", vec![TokenKind::Other('@'), TokenKind::Other('\0')]),
        ];
        for (text, expected) in table {
            assert_eq!(&kinds(text), expected, "lexing {text:?}");
        }
    }

    #[test]
    fn reads_a_regex_only_after_matches() {
        assert_eq!(
            kinds(r"?o MATCHES /(?i)a\/b\d#c/ x"),
            [
                TokenKind::Var("o".into()),
                TokenKind::Keyword(Keyword::Matches),
                TokenKind::Regex(r"(?i)a/b\d#c".into()),
                word("x"),
            ]
        );
        assert_eq!(kinds(r"matches /a\\/"), kinds(r"matches /a\\/"));
        assert_eq!(kinds(r"matches /a\\/")[1], TokenKind::Regex(r"a\\".into()));
        assert_eq!(kinds("a/b"), [word("a"), TokenKind::Other('/'), word("b")]);
    }

    #[test]
    fn fails_on_malformed_tokens() {
        let table: &[(&str, &str, Range<usize>)] = &[
            ("?x signed \"Alla", "unterminated string", 10..15),
            ("\"abc\\", "unterminated string", 0..5),
            ("?x matches /ab", "unterminated regex", 11..14),
            ("?x matches /ab\\/", "unterminated regex", 11..16),
            ("\"a\\nb\"", "unknown escape `\\n`", 2..4),
            ("\"a\\éb\"", "unknown escape `\\é`", 2..5),
            ("? x", "`?` without a variable name", 0..1),
            ("?", "`?` without a variable name", 0..1),
            ("?-x", "`?` without a variable name", 0..1),
        ];
        for (text, message, span) in table {
            let error = lex(text).unwrap_err();
            assert!(
                error.message.contains(message),
                "{text:?}: {}",
                error.message
            );
            assert_eq!(&error.span, span, "{text:?}");
        }
    }

    #[test]
    fn stops_after_an_error_and_remembers_the_last_token() {
        let mut lexer = Lexer::new("a ?  # comment");
        assert!(lexer.next_token().unwrap().is_some());
        assert_eq!(lexer.last_end(), 1);
        assert!(lexer.next_token().is_err());
        assert_eq!(lexer.next_token(), Ok(None));
    }
}
