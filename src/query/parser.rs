//! The parser: tokens to a [`Query`], by recursive descent, or a
//! [`QueryError`] at the first fault.
//!
//! It implements these rules (keywords in quotes match whatever their case;
//! the tokens are the [`lexer`](super::lexer)'s):
//!
//! ```text
//! query       = select | path | neighbours | entities | documents ;
//! select      = pattern , { ( "," | "and" ) , pattern } ,
//!               [ "where" , or-expr ] ,
//!               [ "return" , item , { "," , item } ] ,
//!               [ "order" , "by" , key , { "," , key } ] ,
//!               [ "limit" , number ] ;
//! pattern     = term , relation , term ;
//! term        = typed-var | name ;
//! typed-var   = variable , [ ":" , type , { "|" , type } ] ;
//! type        = "person" | "organisation" | "organization" | "place"
//!             | "state" | "document" ;
//! name        = string | word | number ;
//! relation    = kind , { "|" , kind } ;
//! kind        = [ "^" ] , ( word | "*" ) ;
//! or-expr     = and-expr , { "or" , and-expr } ;
//! and-expr    = not-expr , { "and" , not-expr } ;
//! not-expr    = { "not" } , primary ;
//! primary     = "(" , or-expr , ")" | comparison ;      (* at most 64 "(" open at once *)
//! comparison  = operand , ( "=" | "!=" | "contains" | "starts-with" ) , operand
//!             | operand , "matches" , regex ;
//! operand     = variable | "type" , "(" , variable , ")" | name ;
//! item        = variable | "count" , "(" , [ "distinct" ] , variable , ")" ;
//! key         = item , [ "asc" | "desc" ] ;
//! path        = "path" , name , "to" , name , { "via" , relation | "max" , number } ;
//! neighbours  = ( "neighbours" | "neighbors" ) , name ,
//!               { "depth" , number | "via" , relation } ;
//! entities    = "entities" , [ type , { "|" , type } ] , [ "matching" , name ] ;
//! documents   = "documents" ;
//! ```
//!
//! A word is a keyword wherever it spells one, so a name that is a keyword
//! must be quoted, and a relation cannot be a keyword (none is). In `path`
//! and `neighbours` the optional clauses may come in either order, each at
//! most once. A number is at most `u64::MAX`. Besides the 64 parentheses, a
//! `where` expression's tree may be at most [`MAX_EXPR_DEPTH`] deep (each
//! `and`, `or` and `not` adds a level), so that no code walking it
//! recursively, dropping it included, can exhaust the stack.
//!
//! Errors point at the offending token, or at an empty span right after the
//! last token for an unexpected end, name what was found, list what would
//! have been valid, and suggest a close keyword or type where there is one.

use super::ast::{
    CompareOp, EntitiesQuery, Expr, Item, Name, NeighboursQuery, NodeType, Operand, OrderKey,
    PathQuery, Pattern, PeriodPart, Query, Relation, RelationKind, Select, Span, Term, Var,
};
use super::error::QueryError;
use super::lexer::{Keyword, Lexer, Token, TokenKind};
use crate::spelling;

/// The most parentheses a `where` expression may have open at once.
pub const MAX_NESTING: usize = 64;

/// The deepest a `where` expression's tree may be, counting a comparison
/// as 1 and each `and`, `or` and `not` above it as 1 more, so that nothing
/// walking or dropping the tree recursively can exhaust the stack.
pub const MAX_EXPR_DEPTH: usize = 256;

/// The longest part of a token an error message quotes, in characters.
const QUOTE_CHARS: usize = 40;

/// Parses one query.
pub fn parse(text: &str) -> Result<Query, QueryError> {
    parse_without_hints(text).map_err(|error| misspelt_start(text, error))
}

/// Parses one query, without looking for a misspelt keyword at its start.
fn parse_without_hints(text: &str) -> Result<Query, QueryError> {
    let mut parser = Parser {
        text,
        lexer: Lexer::new(text),
        peeked: None,
        previous: None,
        depth: 0,
    };
    parser.query()
}

/// What may start a term, for the errors.
const TERM: [&str; 3] = ["a variable", "a quoted name", "a bare word"];
/// What may be a name, for the errors.
const NAME: [&str; 2] = ["a quoted name", "a bare word"];
/// The types, for the errors.
const TYPES: [&str; 5] = [
    "`person`",
    "`organisation`",
    "`place`",
    "`state`",
    "`document`",
];
/// The comparison operators, for the errors.
const OPERATORS: [&str; 9] = [
    "`=`",
    "`!=`",
    "`<`",
    "`<=`",
    "`>`",
    "`>=`",
    "`contains`",
    "`starts-with`",
    "`matches`",
];
/// What may start a query, for the errors.
const STARTS: [&str; 5] = [
    "a pattern",
    "`path`",
    "`neighbours`",
    "`entities`",
    "`documents`",
];
/// The end of the text, for the errors.
const END: &str = "the end";

/// The last clause of a select query read so far, which decides what may
/// follow.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Patterns,
    Where,
    Return,
    Order,
    Limit,
}

/// The state of a parse: the text, the lexer, one token of lookahead, the
/// last token consumed and the number of parentheses open.
struct Parser<'a> {
    text: &'a str,
    lexer: Lexer<'a>,
    peeked: Option<Option<Token>>,
    previous: Option<Token>,
    depth: usize,
}

impl Parser<'_> {
    /// Returns the next token without consuming it.
    fn peek(&mut self) -> Result<Option<Token>, QueryError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next_token()?);
        }
        Ok(self.peeked.clone().flatten())
    }

    /// Returns the next token's kind without consuming it.
    fn peek_kind(&mut self) -> Result<Option<TokenKind>, QueryError> {
        Ok(self.peek()?.map(|token| token.kind))
    }

    /// Consumes the token that [`Parser::peek`] returned.
    fn bump(&mut self) {
        if let Some(Some(token)) = self.peeked.take() {
            self.previous = Some(token);
        }
    }

    /// Consumes the next token if it is `keyword`.
    fn eat_keyword(&mut self, keyword: Keyword) -> Result<Option<Token>, QueryError> {
        match self.peek()? {
            Some(token) if token.kind == TokenKind::Keyword(keyword) => {
                self.bump();
                Ok(Some(token))
            }
            _ => Ok(None),
        }
    }

    /// Consumes the next token if it is `kind`, and fails, expecting it, if it
    /// is not.
    fn expect(&mut self, kind: TokenKind, shown: &str) -> Result<Token, QueryError> {
        match self.peek()? {
            Some(token) if token.kind == kind => {
                self.bump();
                Ok(token)
            }
            found => Err(self.unexpected(found.as_ref(), &[shown])),
        }
    }

    /// Returns the empty span right after the last token.
    fn end_span(&self) -> Span {
        let end = self.lexer.last_end();
        end..end
    }

    /// Builds the error for `found` (`None` for the end) where `expected`
    /// was valid, suggesting the closest expected keyword to a word.
    fn unexpected(&self, found: Option<&Token>, expected: &[&str]) -> QueryError {
        let Some(token) = found else {
            return QueryError::new("unexpected end of the query", self.end_span())
                .expecting(expected.iter().copied());
        };
        let mut error = QueryError::new(
            format!("unexpected {}", self.describe(token)),
            token.span.clone(),
        )
        .expecting(expected.iter().copied());
        let suggestion = match &token.kind {
            TokenKind::Word(word) => {
                closest_expected_keyword(word, expected).or_else(|| self.quoted_words(token))
            }
            TokenKind::Number(_) => self.quoted_words(token),
            TokenKind::Other('!') => Some("`!=`".to_string()),
            TokenKind::Other('\'' | '‘' | '’' | '“' | '”' | '«' | '»') => {
                Some("a name in straight double quotes (`\"…\"`)".to_string())
            }
            TokenKind::Other('/') if expected.contains(&"`type(…)`") => {
                Some("`matches /…/` (a regex only follows `matches`)".into())
            }
            TokenKind::Eq if expected.contains(&"`type(…)`") => Some("a single `=`".into()),
            _ => None,
        };
        if let Some(suggestion) = suggestion {
            error = error.suggesting(suggestion);
        }
        error
    }

    /// Suggests quoting a bare word and the bare word before it, when only
    /// spaces part them: `Chechen Republic` was meant as one name.
    fn quoted_words(&self, token: &Token) -> Option<String> {
        let previous = self.previous.as_ref()?;
        if !matches!(previous.kind, TokenKind::Word(_) | TokenKind::Number(_)) {
            return None;
        }
        let between = self.text.get(previous.span.end..token.span.start)?;
        if !between.chars().all(|c| c == ' ' || c == '\t') {
            return None;
        }
        let words = self.text.get(previous.span.start..token.span.end)?;
        Some(format!(
            "{} (a name of several words must be quoted)",
            quote(&format!("\"{words}\""))
        ))
    }

    /// Says what a token is, for a message: "keyword `where`", "`,`".
    fn describe(&self, token: &Token) -> String {
        let source = self.text.get(token.span.clone()).unwrap_or_default();
        let quoted = quote(source);
        match &token.kind {
            TokenKind::Var(_) => format!("variable {quoted}"),
            TokenKind::Str(_) => format!("string {quoted}"),
            TokenKind::Regex(_) => format!("regex {quoted}"),
            TokenKind::Word(_) => format!("word {quoted}"),
            TokenKind::Number(_) => format!("number {quoted}"),
            TokenKind::Keyword(_) => format!("keyword {quoted}"),
            TokenKind::Other(c) if c.is_control() || is_invisible(*c) => {
                format!("character U+{:04X}", u32::from(*c))
            }
            TokenKind::Other(_) => format!("character {quoted}"),
            _ => quoted,
        }
    }

    /// Parses a `query`.
    fn query(&mut self) -> Result<Query, QueryError> {
        let query = match self.peek_kind()? {
            None => {
                return Err(
                    QueryError::new("the query is empty", self.end_span()).expecting(STARTS)
                );
            }
            Some(TokenKind::Keyword(Keyword::Path)) => Query::Path(self.path()?),
            Some(TokenKind::Keyword(Keyword::Neighbours | Keyword::Neighbors)) => {
                Query::Neighbours(self.neighbours()?)
            }
            Some(TokenKind::Keyword(Keyword::Entities)) => Query::Entities(self.entities()?),
            Some(TokenKind::Keyword(Keyword::Documents)) => {
                self.bump();
                self.expect_end(&[END])?;
                Query::Documents
            }
            Some(_) => Query::Select(self.select()?),
        };
        Ok(query)
    }

    /// Fails, expecting `expected`, unless the text has ended.
    fn expect_end(&mut self, expected: &[&str]) -> Result<(), QueryError> {
        match self.peek()? {
            None => Ok(()),
            found => Err(self.unexpected(found.as_ref(), expected)),
        }
    }

    /// Parses a `select`.
    fn select(&mut self) -> Result<Select, QueryError> {
        let mut patterns = vec![self.pattern()?];
        while let Some(TokenKind::Comma | TokenKind::Keyword(Keyword::And)) = self.peek_kind()? {
            self.bump();
            patterns.push(self.pattern()?);
        }
        let mut stage = Stage::Patterns;
        let filter = match self.eat_keyword(Keyword::Where)? {
            Some(_) => {
                stage = Stage::Where;
                Some(self.or_expr()?.0)
            }
            None => None,
        };
        let returns = match self.eat_keyword(Keyword::Return)? {
            Some(_) => {
                stage = Stage::Return;
                let mut items = vec![self.item()?];
                while self.peek_kind()? == Some(TokenKind::Comma) {
                    self.bump();
                    items.push(self.item()?);
                }
                Some(items)
            }
            None => None,
        };
        let mut order = Vec::new();
        let mut last_has_direction = false;
        if self.eat_keyword(Keyword::Order)?.is_some() {
            stage = Stage::Order;
            if self.eat_keyword(Keyword::By)?.is_none() {
                let found = self.peek()?;
                let mut error = self.unexpected(found.as_ref(), &["`by`"]);
                error.message = format!("`order` without `by`: {}", error.message);
                return Err(error.suggesting("`order by`"));
            }
            loop {
                let item = self.item()?;
                let descending = match self.peek_kind()? {
                    Some(TokenKind::Keyword(Keyword::Asc)) => {
                        self.bump();
                        last_has_direction = true;
                        false
                    }
                    Some(TokenKind::Keyword(Keyword::Desc)) => {
                        self.bump();
                        last_has_direction = true;
                        true
                    }
                    _ => {
                        last_has_direction = false;
                        false
                    }
                };
                order.push(OrderKey { item, descending });
                if self.peek_kind()? != Some(TokenKind::Comma) {
                    break;
                }
                self.bump();
            }
        }
        let limit = match self.eat_keyword(Keyword::Limit)? {
            Some(token) => {
                stage = Stage::Limit;
                Some(self.number(&token, "`limit 10`")?)
            }
            None => None,
        };
        let found = self.peek()?;
        if found.is_some() {
            let expected: &[&str] = match stage {
                Stage::Patterns => &[
                    "`,`",
                    "`and`",
                    "`where`",
                    "`return`",
                    "`order by`",
                    "`limit`",
                    END,
                ],
                Stage::Where => &["`and`", "`or`", "`return`", "`order by`", "`limit`", END],
                Stage::Return => &["`,`", "`order by`", "`limit`", END],
                Stage::Order if last_has_direction => &["`,`", "`limit`", END],
                Stage::Order => &["`,`", "`asc`", "`desc`", "`limit`", END],
                Stage::Limit => &[END],
            };
            let mut error = self.unexpected(found.as_ref(), expected);
            let clause = match found.map(|token| token.kind) {
                Some(TokenKind::Keyword(Keyword::Where)) => Some(Stage::Where),
                Some(TokenKind::Keyword(Keyword::Return)) => Some(Stage::Return),
                Some(TokenKind::Keyword(Keyword::Order)) => Some(Stage::Order),
                Some(TokenKind::Keyword(Keyword::Limit)) => Some(Stage::Limit),
                _ => None,
            };
            if clause.is_some_and(|clause| clause <= stage) {
                error.message.push_str(
                    ": the clauses come at most once each, in the order `where`, `return`, \
                     `order by`, `limit`",
                );
            }
            return Err(error);
        }
        Ok(Select {
            patterns,
            filter,
            returns,
            order,
            limit,
        })
    }

    /// Parses a `pattern`.
    fn pattern(&mut self) -> Result<Pattern, QueryError> {
        let subject = self.term()?;
        let relation = self.relation()?;
        if let Some(slash) = self
            .peek()?
            .filter(|token| token.kind == TokenKind::Other('/'))
        {
            return Err(self
                .unexpected(Some(&slash), &TERM)
                .suggesting("`|` between the alternatives of a relation"));
        }
        let object = self.term()?;
        let span = term_span(&subject).start..term_span(&object).end;
        Ok(Pattern {
            subject,
            relation,
            object,
            span,
        })
    }

    /// Parses a `term`.
    fn term(&mut self) -> Result<Term, QueryError> {
        match self.peek()? {
            Some(Token {
                kind: TokenKind::Var(name),
                span,
            }) => {
                self.bump();
                let mut var = Var {
                    name,
                    types: Vec::new(),
                    span,
                };
                if self.peek_kind()? == Some(TokenKind::Colon) {
                    self.bump();
                    loop {
                        let (node_type, span) = self.node_type(false)?;
                        var.types.push(node_type);
                        var.span.end = span.end;
                        if self.peek_kind()? != Some(TokenKind::Pipe) {
                            break;
                        }
                        self.bump();
                    }
                }
                Ok(Term::Var(var))
            }
            _ => Ok(Term::Name(self.name(&TERM)?)),
        }
    }

    /// Parses a `name`; `expected` says what was valid, for the error.
    fn name(&mut self, expected: &[&str]) -> Result<Name, QueryError> {
        match self.peek()? {
            Some(Token {
                kind: TokenKind::Str(text) | TokenKind::Word(text) | TokenKind::Number(text),
                span,
            }) => {
                self.bump();
                Ok(Name { text, span })
            }
            Some(
                token @ Token {
                    kind: TokenKind::Keyword(keyword),
                    ..
                },
            ) => {
                let error = self.unexpected(Some(&token), expected);
                let clause = matches!(
                    keyword,
                    Keyword::Where
                        | Keyword::Return
                        | Keyword::Order
                        | Keyword::Limit
                        | Keyword::And
                        | Keyword::Or
                );
                Err(if clause {
                    error
                } else {
                    let source = self.text.get(token.span.clone()).unwrap_or_default();
                    error.suggesting(format!(
                        "`\"{source}\"` (a name that is a keyword must be quoted)"
                    ))
                })
            }
            found => Err(self.unexpected(found.as_ref(), expected)),
        }
    }

    /// Parses a `type`; `entities_first` is set for the first type after
    /// `entities`, where `matching` or the end were valid too.
    fn node_type(&mut self, entities_first: bool) -> Result<(NodeType, Span), QueryError> {
        let mut expected: Vec<&str> = TYPES.to_vec();
        if entities_first {
            expected.extend_from_slice(&["`matching`", END]);
        }
        let token = match self.peek()? {
            Some(
                token @ Token {
                    kind: TokenKind::Word(_) | TokenKind::Keyword(_) | TokenKind::Number(_),
                    ..
                },
            ) => token,
            found => return Err(self.unexpected(found.as_ref(), &expected)),
        };
        let word = self.text.get(token.span.clone()).unwrap_or_default();
        let Some(node_type) = NodeType::from_word(word) else {
            let (closest, distance) = closest_type(word);
            // After `entities`, a word far from every type is more likely a
            // name that lacks its `matching`.
            let suggestion = if entities_first && distance > 2 {
                format!("`matching {word}`")
            } else {
                format!("`{}`", closest.as_str())
            };
            return Err(QueryError::new(
                format!("unknown type {}", quote(word)),
                token.span.clone(),
            )
            .expecting(expected)
            .suggesting(suggestion));
        };
        self.bump();
        Ok((node_type, token.span))
    }

    /// Parses a `relation`: kinds, or a variable standing for any kind.
    fn relation(&mut self) -> Result<Relation, QueryError> {
        if let Some(Token {
            kind: TokenKind::Var(name),
            span,
        }) = self.peek()?
        {
            self.bump();
            return Ok(Relation {
                alternatives: vec![RelationKind {
                    kind: None,
                    reverse: false,
                    span: span.clone(),
                }],
                var: Some(Var {
                    name,
                    types: Vec::new(),
                    span: span.clone(),
                }),
                span,
            });
        }
        let mut alternatives = vec![self.relation_kind()?];
        while self.peek_kind()? == Some(TokenKind::Pipe) {
            self.bump();
            alternatives.push(self.relation_kind()?);
        }
        let start = alternatives.first().map_or(0, |kind| kind.span.start);
        let end = alternatives.last().map_or(0, |kind| kind.span.end);
        Ok(Relation {
            alternatives,
            var: None,
            span: start..end,
        })
    }

    /// Parses a `kind` of a relation.
    fn relation_kind(&mut self) -> Result<RelationKind, QueryError> {
        let caret = match self.peek()? {
            Some(token) if token.kind == TokenKind::Caret => {
                self.bump();
                Some(token.span)
            }
            _ => None,
        };
        let expected: &[&str] = if caret.is_some() {
            &["a relation", "`*`"]
        } else {
            &["a relation", "`*`", "`^`"]
        };
        let (kind, span) = match self.peek()? {
            Some(Token {
                kind: TokenKind::Word(word),
                span,
            }) => (Some(word), span),
            Some(Token {
                kind: TokenKind::Star,
                span,
            }) => (None, span),
            found => return Err(self.unexpected(found.as_ref(), expected)),
        };
        self.bump();
        Ok(RelationKind {
            kind,
            reverse: caret.is_some(),
            span: caret.map_or(span.start, |caret| caret.start)..span.end,
        })
    }

    /// Parses an `or-expr`, returning it with the depth of its tree.
    fn or_expr(&mut self) -> Result<(Expr, usize), QueryError> {
        let (mut left, mut depth) = self.and_expr()?;
        while let Some(or) = self.eat_keyword(Keyword::Or)? {
            let (right, right_depth) = self.and_expr()?;
            depth = deeper(depth, right_depth, &or)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok((left, depth))
    }

    /// Parses an `and-expr`, returning it with the depth of its tree.
    fn and_expr(&mut self) -> Result<(Expr, usize), QueryError> {
        let (mut left, mut depth) = self.not_expr()?;
        while let Some(and) = self.eat_keyword(Keyword::And)? {
            let (right, right_depth) = self.not_expr()?;
            depth = deeper(depth, right_depth, &and)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok((left, depth))
    }

    /// Parses a `not-expr`, returning it with the depth of its tree. A run
    /// of `not` is read by a loop, not by recursion.
    fn not_expr(&mut self) -> Result<(Expr, usize), QueryError> {
        let mut nots = Vec::new();
        while let Some(not) = self.eat_keyword(Keyword::Not)? {
            if nots.len() >= MAX_EXPR_DEPTH {
                return Err(too_deep(&not));
            }
            nots.push(not);
        }
        let (mut expr, mut depth) = self.primary()?;
        for not in nots.iter().rev() {
            depth = deeper(depth, 0, not)?;
            expr = Expr::Not(Box::new(expr));
        }
        Ok((expr, depth))
    }

    /// Parses a `primary`, returning it with the depth of its tree.
    fn primary(&mut self) -> Result<(Expr, usize), QueryError> {
        let Some(open) = self.peek()?.filter(|token| token.kind == TokenKind::LParen) else {
            return Ok((self.comparison()?, 1));
        };
        if self.depth >= MAX_NESTING {
            return Err(QueryError::new(
                format!("too deeply nested: more than {MAX_NESTING} parentheses open at once"),
                open.span,
            ));
        }
        self.bump();
        self.depth += 1;
        let (expr, depth) = self.or_expr()?;
        self.depth -= 1;
        match self.peek()? {
            Some(token) if token.kind == TokenKind::RParen => {
                self.bump();
                Ok((expr, depth))
            }
            found => {
                let mut error = self.unexpected(found.as_ref(), &["`and`", "`or`", "`)`"]);
                if found.is_none() {
                    let (line, column) = QueryError::new("", open.span.clone()).position(self.text);
                    error.message = format!(
                        "unexpected end of the query: the `(` at line {line}, column {column} \
                         is not closed"
                    );
                }
                Err(error)
            }
        }
    }

    /// Parses a `comparison`.
    fn comparison(&mut self) -> Result<Expr, QueryError> {
        let left = self.operand(&[
            "a variable",
            "`type(…)`",
            "a quoted name",
            "a bare word",
            "`not`",
            "`(`",
        ])?;
        let op = match self.peek_kind()? {
            Some(TokenKind::Eq) => CompareOp::Eq,
            Some(TokenKind::Ne) => CompareOp::Ne,
            Some(TokenKind::Lt) => CompareOp::Lt,
            Some(TokenKind::Le) => CompareOp::Le,
            Some(TokenKind::Gt) => CompareOp::Gt,
            Some(TokenKind::Ge) => CompareOp::Ge,
            Some(TokenKind::Keyword(Keyword::Contains)) => CompareOp::Contains,
            Some(TokenKind::Keyword(Keyword::StartsWith)) => CompareOp::StartsWith,
            Some(TokenKind::Keyword(Keyword::Matches)) => CompareOp::Matches,
            _ => {
                let found = self.peek()?;
                return Err(self.unexpected(found.as_ref(), &OPERATORS));
            }
        };
        self.bump();
        let right = if op == CompareOp::Matches {
            let found = self.peek()?;
            match found.as_ref().map(|token| &token.kind) {
                Some(TokenKind::Regex(text)) => {
                    let text = text.clone();
                    let span = found.map_or(0..0, |token| token.span);
                    self.bump();
                    Operand::Regex(Name { text, span })
                }
                Some(TokenKind::Str(text)) => {
                    let regex = format!("`/{}/`", text.replace('/', "\\/"));
                    return Err(self
                        .unexpected(found.as_ref(), &["a regex `/…/`"])
                        .suggesting(regex));
                }
                _ => return Err(self.unexpected(found.as_ref(), &["a regex `/…/`"])),
            }
        } else {
            self.operand(&["a variable", "`type(…)`", "a quoted name", "a bare word"])?
        };
        let span = operand_span(&left).start..operand_span(&right).end;
        Ok(Expr::Compare {
            left,
            op,
            right,
            span,
        })
    }

    /// Parses an `operand`; `expected` says what was valid, for the error.
    fn operand(&mut self, expected: &[&str]) -> Result<Operand, QueryError> {
        match self.peek_kind()? {
            Some(TokenKind::Var(_)) => Ok(Operand::Var(self.plain_var(expected)?)),
            Some(TokenKind::Keyword(Keyword::Type)) => {
                self.bump();
                self.expect(TokenKind::LParen, "`(`")?;
                let var = self.plain_var(&["a variable"])?;
                self.expect(TokenKind::RParen, "`)`")?;
                Ok(Operand::TypeOf(var))
            }
            Some(TokenKind::Regex(_)) => {
                let found = self.peek()?;
                Err(self.unexpected(found.as_ref(), expected))
            }
            // `from(?r)`, `until(?r)`, `former(?r)`: a word that names a
            // period part, right before `(` (elsewhere it is a name).
            Some(TokenKind::Word(word))
                if PeriodPart::from_word(&word).is_some()
                    && matches!(
                        self.lexer.clone().next_token(),
                        Ok(Some(Token {
                            kind: TokenKind::LParen,
                            ..
                        }))
                    ) =>
            {
                let part = PeriodPart::from_word(&word).expect("checked above");
                self.bump();
                self.expect(TokenKind::LParen, "`(`")?;
                let var = self.plain_var(&["a relation variable"])?;
                self.expect(TokenKind::RParen, "`)`")?;
                Ok(Operand::Period(part, var))
            }
            _ => Ok(Operand::Text(self.name(expected)?)),
        }
    }

    /// Parses a variable outside the patterns, where it takes no types.
    fn plain_var(&mut self, expected: &[&str]) -> Result<Var, QueryError> {
        let (name, span) = match self.peek()? {
            Some(Token {
                kind: TokenKind::Var(name),
                span,
            }) => (name, span),
            found => return Err(self.unexpected(found.as_ref(), expected)),
        };
        self.bump();
        if let Some(colon) = self.peek()?.filter(|token| token.kind == TokenKind::Colon) {
            return Err(QueryError::new(
                "unexpected `:`: a variable's types are given in the patterns only",
                colon.span,
            ));
        }
        Ok(Var {
            name,
            types: Vec::new(),
            span,
        })
    }

    /// Parses an `item`.
    fn item(&mut self) -> Result<Item, QueryError> {
        let expected = ["a variable", "`count(…)`"];
        match self.peek()? {
            Some(Token {
                kind: TokenKind::Keyword(Keyword::Count),
                span,
            }) => {
                self.bump();
                self.expect(TokenKind::LParen, "`(`")?;
                let distinct = self.eat_keyword(Keyword::Distinct)?.is_some();
                let var = if distinct {
                    self.plain_var(&["a variable"])?
                } else {
                    self.plain_var(&["a variable", "`distinct`"])?
                };
                let close = self.expect(TokenKind::RParen, "`)`")?;
                Ok(Item::Count {
                    var,
                    distinct,
                    span: span.start..close.span.end,
                })
            }
            _ => Ok(Item::Var(self.plain_var(&expected)?)),
        }
    }

    /// Parses the number after `keyword`; `example` shows one for the
    /// suggestion when there is none.
    fn number(&mut self, keyword: &Token, example: &str) -> Result<u64, QueryError> {
        match self.peek()? {
            Some(Token {
                kind: TokenKind::Number(digits),
                span,
            }) => {
                self.bump();
                digits.parse::<u64>().map_err(|_| {
                    QueryError::new(format!("number {} is too large", quote(&digits)), span)
                        .expecting([format!("a number up to {}", u64::MAX)])
                })
            }
            found => {
                let keyword = self.text.get(keyword.span.clone()).unwrap_or_default();
                let mut error = self
                    .unexpected(found.as_ref(), &["a number"])
                    .suggesting(example);
                error.message = format!("`{keyword}` without a number: {}", error.message);
                Err(error)
            }
        }
    }

    /// Parses a `path` query, from its keyword on.
    fn path(&mut self) -> Result<PathQuery, QueryError> {
        self.bump();
        let from = self.name(&NAME)?;
        self.expect(TokenKind::Keyword(Keyword::To), "`to`")?;
        let to = self.name(&NAME)?;
        let mut via = None;
        let mut max = None;
        while let Some(token) = self.peek()? {
            match token.kind {
                TokenKind::Keyword(Keyword::Via) if via.is_none() => {
                    self.bump();
                    via = Some(self.relation()?.alternatives);
                }
                TokenKind::Keyword(Keyword::Max) if max.is_none() => {
                    self.bump();
                    max = Some(self.number(&token, "`max 4`")?);
                }
                _ => {
                    let mut expected = Vec::new();
                    if via.is_none() {
                        expected.push("`via`");
                    }
                    if max.is_none() {
                        expected.push("`max`");
                    }
                    expected.push(END);
                    return Err(self.unexpected(Some(&token), &expected));
                }
            }
        }
        Ok(PathQuery {
            from,
            to,
            via: via.unwrap_or_default(),
            max,
        })
    }

    /// Parses a `neighbours` query, from its keyword on.
    fn neighbours(&mut self) -> Result<NeighboursQuery, QueryError> {
        self.bump();
        let of = self.name(&NAME)?;
        let mut depth = None;
        let mut via = None;
        while let Some(token) = self.peek()? {
            match token.kind {
                TokenKind::Keyword(Keyword::Depth) if depth.is_none() => {
                    self.bump();
                    depth = Some(self.number(&token, "`depth 2`")?);
                }
                TokenKind::Keyword(Keyword::Via) if via.is_none() => {
                    self.bump();
                    via = Some(self.relation()?.alternatives);
                }
                _ => {
                    let mut expected = Vec::new();
                    if depth.is_none() {
                        expected.push("`depth`");
                    }
                    if via.is_none() {
                        expected.push("`via`");
                    }
                    expected.push(END);
                    return Err(self.unexpected(Some(&token), &expected));
                }
            }
        }
        Ok(NeighboursQuery {
            of,
            depth,
            via: via.unwrap_or_default(),
        })
    }

    /// Parses an `entities` query, from its keyword on.
    fn entities(&mut self) -> Result<EntitiesQuery, QueryError> {
        self.bump();
        let mut types = Vec::new();
        match self.peek_kind()? {
            None | Some(TokenKind::Keyword(Keyword::Matching)) => {}
            Some(_) => loop {
                types.push(self.node_type(types.is_empty())?.0);
                if self.peek_kind()? != Some(TokenKind::Pipe) {
                    break;
                }
                self.bump();
            },
        }
        let matching = match self.eat_keyword(Keyword::Matching)? {
            Some(_) => Some(self.name(&NAME)?),
            None => None,
        };
        if matching.is_some() {
            self.expect_end(&[END])?;
        } else {
            self.expect_end(&["`|`", "`matching`", END])?;
        }
        Ok(EntitiesQuery { types, matching })
    }
}

/// Returns the depth of a node over subtrees `left` and `right` deep, or
/// an error at its operator when that is too deep.
fn deeper(left: usize, right: usize, operator: &Token) -> Result<usize, QueryError> {
    let depth = left.max(right) + 1;
    if depth > MAX_EXPR_DEPTH {
        return Err(too_deep(operator));
    }
    Ok(depth)
}

/// Builds the error for an operator that makes the `where` expression too
/// deep.
fn too_deep(operator: &Token) -> QueryError {
    QueryError::new(
        format!(
            "the `where` expression is too deeply nested: more than {MAX_EXPR_DEPTH} levels of \
             `and`, `or` and `not`"
        ),
        operator.span.clone(),
    )
}

/// Returns the span of a term.
fn term_span(term: &Term) -> Span {
    match term {
        Term::Var(var) => var.span.clone(),
        Term::Name(name) => name.span.clone(),
    }
}

/// Returns the span of an operand (that of its variable for `type(?x)`).
fn operand_span(operand: &Operand) -> Span {
    match operand {
        Operand::Var(var) | Operand::TypeOf(var) | Operand::Period(_, var) => var.span.clone(),
        Operand::Text(name) | Operand::Regex(name) => name.span.clone(),
    }
}

/// Returns the type closest to a word and its edit distance: a type that
/// begins with the word (distance 0), else the nearest by Levenshtein
/// distance.
fn closest_type(word: &str) -> (NodeType, usize) {
    let word = word.to_lowercase();
    if word.chars().count() >= 2
        && let Some(node_type) = NodeType::ALL
            .into_iter()
            .find(|node_type| node_type.as_str().starts_with(&word))
    {
        return (node_type, 0);
    }
    // `organization` right after `organisation`, so that either spelling
    // is the type's place among equals.
    let spellings = NodeType::ALL.into_iter().flat_map(|node_type| {
        let other = (node_type == NodeType::Organisation).then_some((node_type, "organization"));
        std::iter::once((node_type, node_type.as_str())).chain(other)
    });
    spelling::nearest(&word, spellings).unwrap_or((NodeType::Person, usize::MAX))
}

/// Returns the expected keyword (a backquoted entry of `expected`) that is
/// closest to a word, backquoted, if one is close.
fn closest_expected_keyword(word: &str, expected: &[&str]) -> Option<String> {
    let word = word.to_lowercase();
    expected
        .iter()
        .filter_map(|entry| {
            let keyword = entry.strip_prefix('`')?.strip_suffix('`')?;
            if !keyword
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c == ' ')
            {
                return None;
            }
            let first = keyword.split(' ').next().unwrap_or(keyword);
            let joined = keyword.replace(' ', "");
            let distance = [first, joined.as_str()]
                .into_iter()
                .filter_map(|form| spelling::misspelling(&word, form))
                .min()?;
            Some((distance, *entry))
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, entry)| entry.to_string())
}

/// Puts a token's text in backquotes, cut to [`QUOTE_CHARS`] characters.
fn quote(source: &str) -> String {
    match source.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("`{}…`", &source[..cut]),
        None => format!("`{source}`"),
    }
}

/// Tells the characters that print as nothing: zero-width and direction
/// marks.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}'
    )
}

/// Points at a misspelt keyword at the start of a query. When a query that
/// is not a valid select starts with a word close to a keyword that starts
/// a special form (`nieghbours "A"`), and that keyword in its place would
/// take the parser further (or to the end), the error is at the word and
/// suggests the keyword; otherwise `error` is returned as it is.
fn misspelt_start(text: &str, error: QueryError) -> QueryError {
    const SPECIAL: [&str; 5] = ["path", "neighbours", "neighbors", "entities", "documents"];
    let Ok(Some(first)) = Lexer::new(text).next_token() else {
        return error;
    };
    let TokenKind::Word(word) = &first.kind else {
        return error;
    };
    let lower = word.to_lowercase();
    let Some((_, keyword)) = SPECIAL
        .into_iter()
        .filter_map(|keyword| Some((spelling::misspelling(&lower, keyword)?, keyword)))
        .min_by_key(|&(distance, _)| distance)
    else {
        return error;
    };
    let (Some(before), Some(after)) = (text.get(..first.span.start), text.get(first.span.end..))
    else {
        return error;
    };
    let fixed = format!("{before}{keyword}{after}");
    let explains = match parse_without_hints(&fixed) {
        Ok(_) => true,
        // Both sides shifted to compare positions in the two texts.
        Err(other) => other.span.start + first.span.len() > error.span.start + keyword.len(),
    };
    if !explains {
        return error;
    }
    QueryError::new(format!("unknown keyword {}", quote(word)), first.span)
        .expecting(STARTS)
        .suggesting(format!("`{keyword}`"))
}

/// The parser's tests, in layers: `check` tables pin what a query means
/// by its canonical print in one line each; the fixtures under
/// `tests/data/query` pin spans and every error as a person sees it; the
/// rest pins the limits and that no input, however odd, makes it panic.
#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::path::{Path, PathBuf};

    /// Prints a parsed query and checks that the print parses back to the
    /// same tree, spans aside; returns the print, or what went wrong.
    fn print_checked(query: &Query) -> Result<String, String> {
        let printed = query.to_string();
        match parse(&printed) {
            Ok(again) if again.without_spans() == query.without_spans() => Ok(printed),
            Ok(again) => Err(format!("prints as {printed}, which parses to {again:?}")),
            Err(error) => Err(format!(
                "prints as text that does not parse:\n{}",
                error.render(&printed)
            )),
        }
    }

    /// Checks each `(query, canonical print)` of `table`, reporting every
    /// row that fails.
    #[track_caller]
    fn check(table: &[(&str, &str)]) {
        let failures: Vec<String> = table
            .iter()
            .filter_map(|&(input, canonical)| {
                let printed = parse(input)
                    .map_err(|error| format!("does not parse:\n{}", error.render(input)))
                    .and_then(|query| print_checked(&query));
                match printed {
                    Ok(printed) if printed == canonical => None,
                    Ok(printed) => Some(format!(
                        "{input:?}\n  prints {printed}\n  wanted {canonical}"
                    )),
                    Err(why) => Some(format!("{input:?} {why}")),
                }
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    #[rustfmt::skip]
    fn prints_each_form_of_query() {
        check(&[
            ("?who signed ?what",                 "?who signed ?what"),
            ("who signed what",                   r#""who" signed "what""#),
            ("?a x ?b, ?b y ?c and ?c z ?d",      "?a x ?b, ?b y ?c, ?c z ?d"),
            ("?x ^leads|* ?y",                    "?x ^leads|* ?y"),
            ("?x ^*  ?y",                         "?x ^* ?y"),
            ("?o:Organization|STATE leads X",     r#"?o:organisation|state leads "X""#),
            ("?d:document|place|person x ?y",     "?d:document|place|person x ?y"),
            ("?p LEADS ?o",                       "?p LEADS ?o"),
            ("path Corval to Tessar",             r#"path "Corval" to "Tessar""#),
            ("path a to b max 3 via ^*",          r#"path "a" to "b" via ^* max 3"#),
            ("path a to b via x|^y",              r#"path "a" to "b" via x|^y"#),
            ("neighbors Corval",                  r#"neighbours "Corval""#),
            ("neighbours Corval via leads|^member-of depth 3", r#"neighbours "Corval" depth 3 via leads|^member-of"#),
            ("entities",                          "entities"),
            ("entities person|organization|place", "entities person|organisation|place"),
            ("entities state",                    "entities state"),
            ("entities People|org|location|countries", "entities person|organisation|place|state"),
            ("?d:documents x ?y",                 "?d:document x ?y"),
            ("entities matching Petrakis",        r#"entities matching "Petrakis""#),
            ("documents",                         "documents"),
            ("documents # every document",        "documents"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn prints_every_clause_and_operator() {
        check(&[
            ("?p x ?o where ?o = a",              r#"?p x ?o where ?o = "a""#),
            ("?p x ?o where ?o != a",             r#"?p x ?o where ?o != "a""#),
            ("?p x ?o where ?o contains a",       r#"?p x ?o where ?o contains "a""#),
            ("?p x ?o where ?o starts-with a",    r#"?p x ?o where ?o starts-with "a""#),
            ("?p x ?o where ?o matches /(?i)a/",  "?p x ?o where ?o matches /(?i)a/"),
            ("?p x ?o where type(?o) = person",   r#"?p x ?o where type(?o) = "person""#),
            ("?p x ?o where a = ?o",              r#"?p x ?o where "a" = ?o"#),
            ("?p x ?o where ?p != ?o",            "?p x ?o where ?p != ?o"),
            ("?p x ?o return ?o",                 "?p x ?o return ?o"),
            ("?p x ?c return ?c, count(?p) order by count(?p) desc", "?p x ?c return ?c, count(?p) order by count(?p) desc"),
            ("?a x ?b return count(distinct ?b), ?a order by ?a asc, count(distinct ?b) desc limit 0",
             "?a x ?b return count(distinct ?b), ?a order by ?a, count(distinct ?b) desc limit 0"),
            ("?p x ?o order by ?o",               "?p x ?o order by ?o"),
            ("?p x ?o limit 10",                  "?p x ?o limit 10"),
            ("?p x ?o limit 18446744073709551615", "?p x ?o limit 18446744073709551615"),
            ("?p x ?o where ?o = a return ?o order by ?o desc limit 2",
             r#"?p x ?o where ?o = "a" return ?o order by ?o desc limit 2"#),
        ]);
    }

    /// `not` binds tighter than `and`, `and` than `or`; `and` and `or` are
    /// read from the left. The print keeps the parentheses that change the
    /// tree and drops the others.
    #[test]
    #[rustfmt::skip]
    fn prints_only_the_parentheses_that_change_the_tree() {
        check(&[
            ("?a x ?b where not ?b = x or ?a != y and type(?a) = person",
             r#"?a x ?b where not ?b = "x" or ?a != "y" and type(?a) = "person""#),
            ("?a x ?b where (not ?b = x) or ((?a != y) and (type(?a) = person))",
             r#"?a x ?b where not ?b = "x" or ?a != "y" and type(?a) = "person""#),
            (r"?a x ?b where not (?b = x or ?b starts-with y) and ?a matches /a\/b/",
             r#"?a x ?b where not (?b = "x" or ?b starts-with "y") and ?a matches /a\/b/"#),
            ("?a x ?b where not not ?a = b",      r#"?a x ?b where not not ?a = "b""#),
            ("?a x ?b where not (not ?a = b)",    r#"?a x ?b where not not ?a = "b""#),
            ("?a x ?b where not (?a = b and ?a = c)", r#"?a x ?b where not (?a = "b" and ?a = "c")"#),
            ("?a x ?b where ((?a = b))",          r#"?a x ?b where ?a = "b""#),
            ("?a x ?b where (?a = b or ?a = c) or ?a = d",   r#"?a x ?b where ?a = "b" or ?a = "c" or ?a = "d""#),
            ("?a x ?b where ?a = b or (?a = c or ?a = d)",   r#"?a x ?b where ?a = "b" or (?a = "c" or ?a = "d")"#),
            ("?a x ?b where (?a = b and ?a = c) and ?a = d", r#"?a x ?b where ?a = "b" and ?a = "c" and ?a = "d""#),
            ("?a x ?b where ?a = b and (?a = c and ?a = d)", r#"?a x ?b where ?a = "b" and (?a = "c" and ?a = "d")"#),
            ("?a x ?b where (?a = b or ?a = c) and ?a = d",  r#"?a x ?b where (?a = "b" or ?a = "c") and ?a = "d""#),
            ("?a x ?b where ?a = b and (?a = c or ?a = d)",  r#"?a x ?b where ?a = "b" and (?a = "c" or ?a = "d")"#),
            ("?a x ?b where ?a = b or ?a = c and ?a = d",    r#"?a x ?b where ?a = "b" or ?a = "c" and ?a = "d""#),
        ]);
    }

    /// A name prints in double quotes, whether it was bare or quoted, with
    /// `"` and `\` escaped; a regex prints between slashes with `\/` for a
    /// slash and every other escape as written.
    #[test]
    #[rustfmt::skip]
    fn prints_names_quoted_and_escaped() {
        check(&[
            ("?p born-in 1991",                   r#"?p born-in "1991""#),
            ("?p x Ostmarch-Vell",                r#"?p x "Ostmarch-Vell""#),
            ("?p x O'Dara",                       r#"?p x "O'Dara""#),
            (r#"?p x "Vellish Republic of Ostmarch""#, r#"?p x "Vellish Republic of Ostmarch""#),
            (r#"?p x "Path""#,                    r#"?p x "Path""#),
            (r#""Nina \"A\" \\ P" signed ?d"#,    r#""Nina \"A\" \\ P" signed ?d"#),
            (r#"?p x """#,                        r#"?p x """#),
            ("?p x \"two\nlines\"",               "?p x \"two\nlines\""),
            (r##"?p x "#1 party""##,              r##"?p x "#1 party""##),
            ("?p x Noxçiyçö",                     r#"?p x "Noxçiyçö""#),
            (r"?p x ?o where ?o matches /a\/b/",  r"?p x ?o where ?o matches /a\/b/"),
            (r"?p x ?o where ?o matches /a\\/",   r"?p x ?o where ?o matches /a\\/"),
            (r"?p x ?o where ?o matches /\d+#c/", r"?p x ?o where ?o matches /\d+#c/"),
            (r#"?p x ?o where ?o matches /"/"#,   r#"?p x ?o where ?o matches /"/"#),
        ]);
    }

    /// Keywords match whatever their case and print in lower case; comments
    /// and line breaks are white space.
    #[test]
    #[rustfmt::skip]
    fn prints_keywords_in_lower_case_without_comments() {
        check(&[
            ("?p signed ?d AND ?p resides-in ?c WHERE ?c CONTAINS x Or NoT ?c Starts-With y \
              RETURN ?c, COUNT(DISTINCT ?p) Order By Count(Distinct ?p) DESC, ?c ASC LIMIT 3",
             r#"?p signed ?d, ?p resides-in ?c where ?c contains "x" or not ?c starts-with "y" return ?c, count(distinct ?p) order by count(distinct ?p) desc, ?c limit 3"#),
            ("?o member-of ?p WHERE TYPE(?o) = x",      r#"?o member-of ?p where type(?o) = "x""#),
            ("?o member-of ?p where ?o MATCHES /a/",    "?o member-of ?p where ?o matches /a/"),
            ("PATH a TO b VIA c MAX 2",                 r#"path "a" to "b" via c max 2"#),
            ("Neighbours a DEPTH 1 Via c",              r#"neighbours "a" depth 1 via c"#),
            ("NEIGHBORS a",                             r#"neighbours "a""#),
            ("ENTITIES Person MATCHING x",              r#"entities person matching "x""#),
            ("DOCUMENTS",                               "documents"),
            ("# Who signed, and lives in Corval?\n?p signed ?d,   # the signatories\n\
              \t?p resides-in Corval # where they live\n# the end",
             r#"?p signed ?d, ?p resides-in "Corval""#),
        ]);
    }

    /// Checks the rendered error of each `(query, error)` of `table`, for
    /// the queries a fixture file cannot hold well (control characters).
    #[test]
    fn renders_errors_at_characters_a_file_would_hide() {
        let table = [(
            "?p signed \0",
            "error at line 1, column 11: unexpected character U+0000\n  ?p signed \0\n            ^\n  \
             expected a variable, a quoted name or a bare word\n",
        )];
        for (text, rendered) in table {
            let error = assert_sane(text).expect_err(text);
            assert_eq!(error.render(text), rendered, "{text:?}");
        }
    }

    /// Runs the fixtures of `tests/data/query` (see its README): each
    /// `ok/NAME.dq` must parse, print back to the same tree, and give what
    /// `ok/NAME.out` holds (the print, then every span); each
    /// `err/NAME.dq` must fail with the error `err/NAME.err` holds. Every
    /// failing file is reported, not just the first.
    ///
    /// `BLESS=1 cargo test --lib query::parser` writes what the parser
    /// gives into the `.out` and `.err` files instead of comparing (so does
    /// `UPDATE_EXPECT=1`, which the saved-query test reads); review the
    /// change with `git diff` before committing it.
    #[test]
    fn fixtures() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/query");
        let bless = std::env::var_os("BLESS").is_some_and(|value| value == "1")
            || std::env::var_os("UPDATE_EXPECT").is_some();
        let mut failures = Vec::new();
        let mut count = 0;
        for (folder, extension) in [("ok", "out"), ("err", "err")] {
            for path in files(&root.join(folder), "dq") {
                count += 1;
                let shown = path.strip_prefix(&root).unwrap_or(&path).display();
                let text = fs::read_to_string(&path).expect("a fixture in UTF-8");
                let actual = match (folder, assert_sane(&text)) {
                    ("ok", Ok(query)) => print_checked(&query)
                        .map(|printed| printed_with_spans(&printed, &query, &text)),
                    ("ok", Err(error)) => Err(format!("does not parse:\n{}", error.render(&text))),
                    (_, Ok(query)) => Err(format!("parses, to {query}")),
                    (_, Err(error)) => Ok(error.render(&text)),
                };
                let actual = match actual {
                    Ok(actual) => actual,
                    Err(why) => {
                        failures.push(format!("{shown} {why}"));
                        continue;
                    }
                };
                let expected_path = path.with_extension(extension);
                let expected = fs::read_to_string(&expected_path).ok();
                if expected.as_deref() == Some(actual.as_str()) {
                    continue;
                }
                if bless {
                    fs::write(&expected_path, &actual).expect("the expected file written");
                    eprintln!("blessed {}", expected_path.display());
                    continue;
                }
                failures.push(match expected {
                    Some(expected) => {
                        format!("{shown} gives\n{actual}\nbut its .{extension} holds\n{expected}")
                    }
                    None => format!("{shown} has no .{extension}; it gives\n{actual}"),
                });
            }
            for path in files(&root.join(folder), extension) {
                if !path.with_extension("dq").exists() {
                    failures.push(format!("{} has no .dq beside it", path.display()));
                }
            }
        }
        assert!(
            count >= 90,
            "only {count} fixtures under {}",
            root.display()
        );
        assert!(
            failures.is_empty(),
            "{} of {count} query fixtures failed (BLESS=1 rewrites the expected files):\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }

    /// The files of `folder` whose name ends in `.extension`, sorted.
    fn files(folder: &Path, extension: &str) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = fs::read_dir(folder)
            .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == extension))
            .collect();
        files.sort();
        files
    }

    /// What an `ok` fixture's `.out` holds: the print of the query, then,
    /// after a blank line, one line per span in the order of the text: the
    /// node, the byte range, and the text it covers (control characters
    /// escaped).
    fn printed_with_spans(printed: &str, query: &Query, text: &str) -> String {
        let mut spans = String::new();
        query.clone().visit_spans(&mut |node, span| {
            let covered: String = text
                .get(span.clone())
                .unwrap_or("(not in the text)")
                .chars()
                .map(|c| match c {
                    c if c.is_control() => c.escape_debug().to_string(),
                    c => c.to_string(),
                })
                .collect();
            let range = format!("{}..{}", span.start, span.end);
            spans.push_str(&format!("{node:<8} {range:<9} {covered}\n"));
        });
        if spans.is_empty() {
            format!("{printed}\n")
        } else {
            format!("{printed}\n\n{spans}")
        }
    }

    /// The span of the `nth` (from 0) occurrence of `needle` in `text`.
    fn at(text: &str, needle: &str, nth: usize) -> Span {
        let start = text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("{needle:?} #{nth} not in {text:?}"))
            .0;
        start..start + needle.len()
    }

    #[test]
    fn refuses_nesting_deeper_than_the_limit() {
        let nested = |depth: usize| {
            format!(
                "?a leads ?b where {}?b = x{}",
                "(".repeat(depth),
                ")".repeat(depth)
            )
        };
        assert!(parse(&nested(MAX_NESTING)).is_ok());
        // The deepest trees print back, with no more parentheses than they
        // were written with.
        let right_nested = format!(
            "?a leads ?b where {}?b = x{}",
            "?b = x or (".repeat(MAX_NESTING),
            ")".repeat(MAX_NESTING)
        );
        for text in [
            nested(MAX_NESTING),
            right_nested,
            format!(
                "?a leads ?b where {}?b = x",
                "not ".repeat(MAX_EXPR_DEPTH - 1)
            ),
        ] {
            let query = parse(&text).unwrap_or_else(|error| panic!("{}", error.render(&text)));
            print_checked(&query).unwrap_or_else(|why| panic!("{why}"));
        }
        let text = nested(MAX_NESTING + 1);
        let error = parse(&text).unwrap_err();
        assert!(error.message.contains("too deeply nested"), "{error:?}");
        let last_allowed = "?a leads ?b where ".len() + MAX_NESTING;
        assert_eq!(error.span, last_allowed..last_allowed + 1);
        let text = nested(200);
        assert!(
            parse(&text)
                .unwrap_err()
                .message
                .contains("too deeply nested")
        );
        // The tree's depth is bounded too, whatever builds it.
        let nots = |count: usize| format!("?a leads ?b where {}?b = x", "not ".repeat(count));
        assert!(parse(&nots(MAX_EXPR_DEPTH - 1)).is_ok());
        let text = nots(MAX_EXPR_DEPTH);
        let error = parse(&text).unwrap_err();
        assert!(error.message.contains("too deeply nested"), "{error:?}");
        assert_eq!(error.span, at(&text, "not", 0));
        let error = parse(&nots(100_000)).unwrap_err();
        assert!(error.message.contains("too deeply nested"), "{error:?}");
        let ands =
            |count: usize| format!("?a leads ?b where ?b = x{}", " and ?b = x".repeat(count));
        assert!(parse(&ands(MAX_EXPR_DEPTH - 1)).is_ok());
        let text = ands(100_000);
        let error = parse(&text).unwrap_err();
        assert_eq!(error.span, at(&text, "and", MAX_EXPR_DEPTH - 1));
        let ors = format!("?a leads ?b where ?b = x{}", " or ?b = x".repeat(100_000));
        assert!(
            parse(&ors)
                .unwrap_err()
                .message
                .contains("too deeply nested")
        );
        // Parentheses reset nothing: the depth is the whole tree's.
        let mixed = format!(
            "?a leads ?b where {}?b = x{}",
            "not (".repeat(60),
            ")".repeat(60)
        );
        assert!(parse(&mixed).is_ok());
        let mixed = format!(
            "?a leads ?b where {}?b = x{}",
            "not not not not not (".repeat(60),
            ")".repeat(60)
        );
        assert!(
            parse(&mixed)
                .unwrap_err()
                .message
                .contains("too deeply nested")
        );
    }

    /// Checks what must hold of any result: no panic (by getting here), an
    /// error span within the text on character boundaries, a message, and
    /// a render that does not panic either.
    fn assert_sane(text: &str) -> Result<Query, QueryError> {
        let result = parse(text);
        if let Err(error) = &result {
            assert!(!error.message.is_empty(), "{text:?}");
            assert!(
                error.span.start <= error.span.end && error.span.end <= text.len(),
                "{text:?}: {error:?}"
            );
            assert!(
                text.is_char_boundary(error.span.start) && text.is_char_boundary(error.span.end),
                "{text:?}: {error:?}"
            );
            let (line, column) = error.position(text);
            assert!(line >= 1 && line <= text.matches('\n').count() + 1 && column >= 1);
            assert!(error.render(text).starts_with("error at line "));
        }
        if let Ok(tokens) = super::super::lexer::lex(text) {
            let mut previous = 0;
            for token in tokens {
                assert!(previous <= token.span.start && token.span.start < token.span.end);
                assert!(
                    text.get(token.span.clone()).is_some(),
                    "{text:?}: {token:?}"
                );
                previous = token.span.end;
            }
        }
        result
    }

    /// Reads the fixture's escapes: `\\`, `\n`, `\r`, `\t`, `\0`, `\u{…}`.
    fn unescape(line: &str) -> String {
        let mut out = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('0') => out.push('\0'),
                Some('u') => {
                    assert_eq!(chars.next(), Some('{'), "bad \\u in {line:?}");
                    let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    let code = u32::from_str_radix(&hex, 16).expect("hex code point");
                    out.push(char::from_u32(code).expect("a valid code point"));
                }
                other => panic!("unknown escape {other:?} in the fixture line {line:?}"),
            }
        }
        out
    }

    #[test]
    fn survives_the_odd_inputs_of_the_fixture() {
        let fixture = include_str!("../../tests/fixtures/query/odd_inputs.txt");
        let mut count = 0;
        for (number, line) in fixture.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            let (outcome, input) = line.split_once(' ').unwrap_or((line, ""));
            let input = unescape(input);
            let result = assert_sane(&input);
            match outcome {
                "ok" => match result {
                    Ok(query) => {
                        if let Err(why) = print_checked(&query) {
                            panic!("line {}: {input:?} {why}", number + 1);
                        }
                    }
                    Err(error) => {
                        panic!("line {}: {input:?}: {}", number + 1, error.render(&input))
                    }
                },
                "err" => assert!(
                    result.is_err(),
                    "line {}: {input:?}: {result:?}",
                    number + 1
                ),
                other => panic!(
                    "line {}: outcome {other:?} is neither ok nor err",
                    number + 1
                ),
            }
            count += 1;
        }
        assert!(count >= 40, "only {count} inputs");
    }

    mod fuzz {
        use super::{assert_sane, print_checked};
        use proptest::prelude::*;

        const TOKENS: &[&str] = &[
            "?p",
            "?d",
            "?p:person",
            "?x:organization|state",
            "?",
            ":",
            "signed",
            "resides-in",
            "member-of",
            "^",
            "^signed",
            "*",
            "|",
            ",",
            "and",
            "or",
            "not",
            "where",
            "return",
            "order",
            "by",
            "asc",
            "desc",
            "limit",
            "10",
            "99999999999999999999",
            "count",
            "distinct",
            "type",
            "(",
            ")",
            "=",
            "!=",
            "!",
            "contains",
            "starts-with",
            "matches",
            "/(?i)x/",
            "/a\\/b/",
            "/",
            "\"Alla Dudayeva\"",
            "\"a \\\" b\"",
            "\"",
            "\\",
            "path",
            "to",
            "via",
            "max",
            "neighbours",
            "neighbors",
            "depth",
            "entities",
            "matching",
            "documents",
            "person",
            "France",
            "Noxçiyçö",
            "O'Brien",
            "#",
            "# comment\n",
            "\n",
            "\u{0}",
            "\u{200f}",
            "עברית",
            "é",
            "🙂",
            "-",
            "'",
        ];

        fn soup() -> impl Strategy<Value = String> {
            prop::collection::vec(
                (
                    prop::sample::select(TOKENS),
                    prop::sample::select(&[" ", "", "\n", "\t"][..]),
                ),
                0..24,
            )
            .prop_map(|parts| {
                parts
                    .into_iter()
                    .flat_map(|(token, space)| [token, space])
                    .collect()
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

            #[test]
            fn arbitrary_text_never_panics(text in any::<String>()) {
                let _ = assert_sane(&text);
            }

            #[test]
            fn arbitrary_printable_text_never_panics(text in "\\PC{0,80}") {
                let _ = assert_sane(&text);
            }

            #[test]
            fn tokens_in_random_order_never_panic(text in soup()) {
                if let Ok(query) = assert_sane(&text) {
                    print_checked(&query).map_err(TestCaseError::fail)?;
                }
            }
        }
    }
}
