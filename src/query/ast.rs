//! The syntax tree of a query: the boundary between the parser and the
//! planner. Every node keeps the byte span of the query text it came from,
//! so later stages can point at it in their errors.
//!
//! Every node prints ([`fmt::Display`]) as canonical query text: keywords
//! in lower case, one space between tokens, every name quoted, `neighbours`
//! spelt the British way, no `asc`, and parentheses only where the
//! precedence (`not` over `and` over `or`, each read from the left) needs
//! them. Parsing what a parsed query prints gives the same tree, spans
//! aside:
//!
//! ```
//! use dossier::query::parse;
//!
//! let query = parse("?p:Person SIGNED ?d  WHERE NOT (?d = Blue or ?d = Red)")?;
//! let text = query.to_string();
//! assert_eq!(text, r#"?p:person SIGNED ?d where not (?d = "Blue" or ?d = "Red")"#);
//! assert_eq!(parse(&text)?.to_string(), text);
//! # Ok::<(), dossier::query::QueryError>(())
//! ```
//!
//! A tree the parser cannot produce (a typed variable in a `where`, an
//! empty relation) prints as text that does not parse back.

pub use crate::model::NodeType;

use std::fmt;
use std::ops::Range;

/// A byte range of the query text.
pub type Span = Range<usize>;

/// One query.
#[derive(Clone, Debug, PartialEq)]
pub enum Query {
    /// Triple patterns with filter, projection, ordering and limit.
    Select(Select),
    /// `path "A" to "B" [via kinds] [max N]`.
    Path(PathQuery),
    /// `neighbours "A" [depth N] [via kinds]`.
    Neighbours(NeighboursQuery),
    /// `entities [type] [matching "text"]`.
    Entities(EntitiesQuery),
    /// `documents`.
    Documents,
}

/// `pattern (, pattern)* [where expr] [return items] [order by keys] [limit N]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Select {
    /// The triple patterns, joined (`,` or `and`).
    pub patterns: Vec<Pattern>,
    /// The `where` filter.
    pub filter: Option<Expr>,
    /// The `return` items; `None` returns every variable in order of
    /// appearance.
    pub returns: Option<Vec<Item>>,
    /// The `order by` keys.
    pub order: Vec<OrderKey>,
    /// The `limit`.
    pub limit: Option<u64>,
}

/// `subject relation object`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    /// The subject.
    pub subject: Term,
    /// The relation kinds.
    pub relation: Relation,
    /// The object.
    pub object: Term,
    /// The whole pattern.
    pub span: Span,
}

/// A node of a pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    /// `?name` or `?name:person|state`.
    Var(Var),
    /// `"Alla Dudayeva"` or a bare single word (`France`).
    Name(Name),
}

/// A variable, with the node types it may take (empty: any).
#[derive(Clone, Debug, PartialEq)]
pub struct Var {
    /// Without the `?`.
    pub name: String,
    /// The types after `:`, empty when none were given.
    pub types: Vec<NodeType>,
    /// From `?` to the end of the types.
    pub span: Span,
}

/// A name to be resolved through canonical names and aliases.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    /// The name, unquoted and unescaped.
    pub text: String,
    /// Its place in the query, quotes included.
    pub span: Span,
}

/// The relation of a pattern: alternatives (`signed|resides-in`), `*`
/// for any kind; each alternative may be reversed with `^`. A variable
/// (`?r`) stands for any kind and names the relation, so that it can be
/// returned (its kind) and filtered on.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    /// The alternatives, at least one (one `*` for a variable).
    pub alternatives: Vec<RelationKind>,
    /// The variable naming the relation, for `?r` (no types).
    pub var: Option<Var>,
    /// The whole relation.
    pub span: Span,
}

/// One alternative of a relation.
#[derive(Clone, Debug, PartialEq)]
pub struct RelationKind {
    /// The kind (`signed`), or `None` for `*`.
    pub kind: Option<String>,
    /// `^kind`: from object to subject.
    pub reverse: bool,
    /// Its place in the query.
    pub span: Span,
}

/// A `where` expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `a and b`.
    And(Box<Expr>, Box<Expr>),
    /// `a or b`.
    Or(Box<Expr>, Box<Expr>),
    /// `not a`.
    Not(Box<Expr>),
    /// `left op right`.
    Compare {
        /// The left operand.
        left: Operand,
        /// The comparison.
        op: CompareOp,
        /// The right operand.
        right: Operand,
        /// The whole comparison.
        span: Span,
    },
}

/// An operand of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// A variable: its node's canonical name.
    Var(Var),
    /// `type(?x)`: its node's type.
    TypeOf(Var),
    /// `from(?r)`, `until(?r)`, `former(?r)`: what a relation variable's
    /// evidence says of its period.
    Period(PeriodPart, Var),
    /// A quoted string or a bare word.
    Text(Name),
    /// `/regex/`, the text between the slashes (`\/` for a slash).
    Regex(Name),
}

/// What of a relation's period an operand reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodPart {
    /// `from(?r)`: since when it held (ISO 8601), empty when not said.
    From,
    /// `until(?r)`: until when it held, empty when not said.
    Until,
    /// `former(?r)`: `yes` when the text calls it a role no longer held,
    /// else `no`.
    Former,
}

impl PeriodPart {
    /// The function's name in a query.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodPart::From => "from",
            PeriodPart::Until => "until",
            PeriodPart::Former => "former",
        }
    }

    /// The part a function name reads, whatever its case.
    pub fn from_word(word: &str) -> Option<PeriodPart> {
        [PeriodPart::From, PeriodPart::Until, PeriodPart::Former]
            .into_iter()
            .find(|part| part.as_str().eq_ignore_ascii_case(word))
    }
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    /// `=` (case- and accent-insensitive).
    Eq,
    /// `!=`.
    Ne,
    /// `contains`.
    Contains,
    /// `starts-with`.
    StartsWith,
    /// `matches /regex/`.
    Matches,
    /// `<`: sorts before (texts compared as written, so ISO dates compare
    /// as dates); false when either side is empty.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

/// A `return` item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A variable.
    Var(Var),
    /// `count(?x)` or `count(distinct ?x)`.
    Count {
        /// The counted variable.
        var: Var,
        /// `distinct`.
        distinct: bool,
        /// The whole item.
        span: Span,
    },
}

/// An `order by` key.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderKey {
    /// What to order by: a returned variable or aggregate.
    pub item: Item,
    /// `desc`.
    pub descending: bool,
}

/// `path "A" to "B" [via kinds] [max N]`.
#[derive(Clone, Debug, PartialEq)]
pub struct PathQuery {
    /// Where the path starts.
    pub from: Name,
    /// Where it ends.
    pub to: Name,
    /// The kinds it may use (empty: any).
    pub via: Vec<RelationKind>,
    /// The most hops.
    pub max: Option<u64>,
}

/// `neighbours "A" [depth N] [via kinds]`.
#[derive(Clone, Debug, PartialEq)]
pub struct NeighboursQuery {
    /// The centre.
    pub of: Name,
    /// How many hops out (default 1).
    pub depth: Option<u64>,
    /// The kinds it may use (empty: any).
    pub via: Vec<RelationKind>,
}

/// `entities [type] [matching "text"]`.
#[derive(Clone, Debug, PartialEq)]
pub struct EntitiesQuery {
    /// The types (empty: all).
    pub types: Vec<NodeType>,
    /// A text the name or an alias must contain.
    pub matching: Option<Name>,
}

/// Writes `items` with `separator` between them.
fn join<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T], separator: &str) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

/// Prints the query as canonical text (see the [module](self) doc).
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::Select(select) => write!(f, "{select}"),
            Query::Path(path) => write!(f, "{path}"),
            Query::Neighbours(neighbours) => write!(f, "{neighbours}"),
            Query::Entities(entities) => write!(f, "{entities}"),
            Query::Documents => f.write_str("documents"),
        }
    }
}

/// Prints the patterns joined by `, ` and then each clause given.
impl fmt::Display for Select {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        join(f, &self.patterns, ", ")?;
        if let Some(filter) = &self.filter {
            write!(f, " where {filter}")?;
        }
        if let Some(returns) = &self.returns {
            f.write_str(" return ")?;
            join(f, returns, ", ")?;
        }
        if !self.order.is_empty() {
            f.write_str(" order by ")?;
            join(f, &self.order, ", ")?;
        }
        if let Some(limit) = self.limit {
            write!(f, " limit {limit}")?;
        }
        Ok(())
    }
}

/// Prints `subject relation object`.
impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.subject, self.relation, self.object)
    }
}

/// Prints the variable or the quoted name.
impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Var(var) => write!(f, "{var}"),
            Term::Name(name) => write!(f, "{name}"),
        }
    }
}

/// Prints `?name`, then `:` and the types joined by `|` if there are any.
impl fmt::Display for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "?{}", self.name)?;
        if !self.types.is_empty() {
            f.write_str(":")?;
            join(f, &self.types, "|")?;
        }
        Ok(())
    }
}

/// Prints the name in double quotes, escaping `"` and `\` with `\`, so
/// that a name that is a keyword or has several words stays one name.
impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.text.chars() {
            if matches!(c, '"' | '\\') {
                f.write_str("\\")?;
            }
            write!(f, "{c}")?;
        }
        f.write_str("\"")
    }
}

/// Prints the alternatives joined by `|`.
impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.var {
            Some(var) => write!(f, "{var}"),
            None => join(f, &self.alternatives, "|"),
        }
    }
}

/// Prints `^` if reversed, then the kind or `*`.
impl fmt::Display for RelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reverse {
            f.write_str("^")?;
        }
        f.write_str(self.kind.as_deref().unwrap_or("*"))
    }
}

/// Prints the expression with parentheses only around an operand that
/// binds more loosely than its operator, or as loosely on the right (the
/// parser reads `and` and `or` from the left).
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Or(left, right) => {
                write!(f, "{left} or ")?;
                subexpression(f, right, Expr::binds_tighter_than_or)
            }
            Expr::And(left, right) => {
                subexpression(f, left, Expr::binds_tighter_than_or)?;
                f.write_str(" and ")?;
                subexpression(f, right, Expr::binds_tighter_than_and)
            }
            Expr::Not(inner) => {
                f.write_str("not ")?;
                subexpression(f, inner, Expr::binds_tighter_than_and)
            }
            Expr::Compare {
                left, op, right, ..
            } => write!(f, "{left} {op} {right}"),
        }
    }
}

/// Writes `expr`, in parentheses unless `bare` says it needs none.
fn subexpression(f: &mut fmt::Formatter<'_>, expr: &Expr, bare: fn(&Expr) -> bool) -> fmt::Result {
    if bare(expr) {
        write!(f, "{expr}")
    } else {
        write!(f, "({expr})")
    }
}

impl Expr {
    /// Tells an expression that is not an `or`.
    fn binds_tighter_than_or(&self) -> bool {
        !matches!(self, Expr::Or(..))
    }

    /// Tells a `not` or a comparison.
    fn binds_tighter_than_and(&self) -> bool {
        matches!(self, Expr::Not(_) | Expr::Compare { .. })
    }
}

/// Prints the variable, `type(?x)`, the quoted text or `/regex/` (a `/`
/// inside written `\/`).
impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Var(var) => write!(f, "{var}"),
            Operand::TypeOf(var) => write!(f, "type({var})"),
            Operand::Period(part, var) => write!(f, "{}({var})", part.as_str()),
            Operand::Text(name) => write!(f, "{name}"),
            Operand::Regex(regex) => write!(f, "/{}/", regex.text.replace('/', "\\/")),
        }
    }
}

/// Prints the operator as a query writes it.
impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Contains => "contains",
            CompareOp::StartsWith => "starts-with",
            CompareOp::Matches => "matches",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        })
    }
}

/// Prints the variable, `count(?x)` or `count(distinct ?x)`.
impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Var(var) => write!(f, "{var}"),
            Item::Count {
                var,
                distinct: false,
                ..
            } => write!(f, "count({var})"),
            Item::Count {
                var,
                distinct: true,
                ..
            } => write!(f, "count(distinct {var})"),
        }
    }
}

/// Prints the item, then ` desc` if descending (ascending is the default).
impl fmt::Display for OrderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.item)?;
        if self.descending {
            f.write_str(" desc")?;
        }
        Ok(())
    }
}

/// Prints `path "A" to "B"`, then `via` and `max` if given.
impl fmt::Display for PathQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "path {} to {}", self.from, self.to)?;
        if !self.via.is_empty() {
            f.write_str(" via ")?;
            join(f, &self.via, "|")?;
        }
        if let Some(max) = self.max {
            write!(f, " max {max}")?;
        }
        Ok(())
    }
}

/// Prints `neighbours "A"`, then `depth` and `via` if given.
impl fmt::Display for NeighboursQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "neighbours {}", self.of)?;
        if let Some(depth) = self.depth {
            write!(f, " depth {depth}")?;
        }
        if !self.via.is_empty() {
            f.write_str(" via ")?;
            join(f, &self.via, "|")?;
        }
        Ok(())
    }
}

/// Prints `entities`, then the types joined by `|` and `matching "text"`
/// if given.
impl fmt::Display for EntitiesQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("entities")?;
        if !self.types.is_empty() {
            f.write_str(" ")?;
            join(f, &self.types, "|")?;
        }
        if let Some(matching) = &self.matching {
            write!(f, " matching {matching}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
impl Query {
    /// Calls `visit` with every span of the query, and a word for the node
    /// it belongs to, in the order of the text: for the tests, which print
    /// the spans or clear them to compare trees of different texts.
    pub(crate) fn visit_spans(&mut self, visit: &mut impl FnMut(&'static str, &mut Span)) {
        fn kinds(kinds: &mut [RelationKind], visit: &mut impl FnMut(&'static str, &mut Span)) {
            for kind in kinds {
                visit("kind", &mut kind.span);
            }
        }
        fn term(node: &mut Term, visit: &mut impl FnMut(&'static str, &mut Span)) {
            match node {
                Term::Var(var) => visit("var", &mut var.span),
                Term::Name(name) => visit("name", &mut name.span),
            }
        }
        fn expr(node: &mut Expr, visit: &mut impl FnMut(&'static str, &mut Span)) {
            match node {
                Expr::And(left, right) | Expr::Or(left, right) => {
                    expr(left, visit);
                    expr(right, visit);
                }
                Expr::Not(inner) => expr(inner, visit),
                Expr::Compare {
                    left, right, span, ..
                } => {
                    visit("compare", span);
                    for operand in [left, right] {
                        match operand {
                            Operand::Var(var) => visit("var", &mut var.span),
                            Operand::TypeOf(var) => visit("type-of", &mut var.span),
                            Operand::Period(_, var) => visit("period", &mut var.span),
                            Operand::Text(name) => visit("name", &mut name.span),
                            Operand::Regex(regex) => visit("regex", &mut regex.span),
                        }
                    }
                }
            }
        }
        fn item(node: &mut Item, visit: &mut impl FnMut(&'static str, &mut Span)) {
            match node {
                Item::Var(var) => visit("var", &mut var.span),
                Item::Count { var, span, .. } => {
                    visit("count", span);
                    visit("var", &mut var.span);
                }
            }
        }
        match self {
            Query::Select(select) => {
                for pattern in &mut select.patterns {
                    visit("pattern", &mut pattern.span);
                    term(&mut pattern.subject, visit);
                    visit("relation", &mut pattern.relation.span);
                    kinds(&mut pattern.relation.alternatives, visit);
                    if let Some(var) = &mut pattern.relation.var {
                        visit("var", &mut var.span);
                    }
                    term(&mut pattern.object, visit);
                }
                if let Some(filter) = &mut select.filter {
                    expr(filter, visit);
                }
                for returned in select.returns.iter_mut().flatten() {
                    item(returned, visit);
                }
                for key in &mut select.order {
                    item(&mut key.item, visit);
                }
            }
            Query::Path(path) => {
                visit("name", &mut path.from.span);
                visit("name", &mut path.to.span);
                kinds(&mut path.via, visit);
            }
            Query::Neighbours(neighbours) => {
                visit("name", &mut neighbours.of.span);
                kinds(&mut neighbours.via, visit);
            }
            Query::Entities(entities) => {
                if let Some(matching) = &mut entities.matching {
                    visit("name", &mut matching.span);
                }
            }
            Query::Documents => {}
        }
    }

    /// Returns the query with every span emptied at 0, to compare the
    /// trees of two texts.
    pub(crate) fn without_spans(&self) -> Query {
        let mut query = self.clone();
        query.visit_spans(&mut |_, span| *span = 0..0);
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::lexer::Keyword;
    use crate::query::parse;
    use proptest::prelude::*;

    fn name(text: impl Into<String>) -> Name {
        Name {
            text: text.into(),
            span: 0..0,
        }
    }

    fn var(name: impl Into<String>, types: Vec<NodeType>) -> Var {
        Var {
            name: name.into(),
            types,
            span: 0..0,
        }
    }

    /// Names with the characters that need care: quotes, backslashes,
    /// white space, `#`, digits, letters beyond ASCII, and keywords.
    fn names() -> impl Strategy<Value = Name> {
        prop_oneof![
            "[a-zA-Z0-9 \"\\\\#/\n'é-]{0,8}",
            prop::sample::select(&Keyword::ALL[..]).prop_map(|k| k.as_str().to_string()),
        ]
        .prop_map(name)
    }

    fn vars(typed: bool) -> impl Strategy<Value = Var> {
        let types = if typed { 0..3usize } else { 0..1 };
        (
            "[a-z_][a-z0-9_]{0,3}",
            prop::sample::subsequence(&NodeType::ALL[..], types),
        )
            .prop_map(|(name, types)| var(name, types))
    }

    /// The kinds of a relation: a word that is no keyword, or `*`, maybe
    /// reversed.
    fn kinds() -> impl Strategy<Value = Vec<RelationKind>> {
        let kind = prop_oneof![
            Just(None),
            "[a-z]{1,6}(-[a-z]{1,3})?"
                .prop_filter("a keyword", |w| Keyword::from_word(w).is_none())
                .prop_map(Some),
        ];
        prop::collection::vec((kind, any::<bool>()), 1..3).prop_map(|kinds| {
            kinds
                .into_iter()
                .map(|(kind, reverse)| RelationKind {
                    kind,
                    reverse,
                    span: 0..0,
                })
                .collect()
        })
    }

    /// A regex as the lexer leaves it: `\/` read as `/`, any other escape
    /// kept whole.
    fn regexes() -> impl Strategy<Value = Name> {
        prop::collection::vec(
            prop_oneof!["[a-z.*()?#\" ]", Just("/".to_string()), "\\\\[a-z\\\\d.]"],
            0..6,
        )
        .prop_map(|parts| name(parts.concat()))
    }

    fn operands() -> impl Strategy<Value = Operand> {
        prop_oneof![
            vars(false).prop_map(Operand::Var),
            vars(false).prop_map(Operand::TypeOf),
            names().prop_map(Operand::Text),
        ]
    }

    fn comparisons() -> impl Strategy<Value = Expr> {
        let ops = prop::sample::select(
            &[
                CompareOp::Eq,
                CompareOp::Ne,
                CompareOp::Contains,
                CompareOp::StartsWith,
            ][..],
        );
        prop_oneof![
            (operands(), ops, operands()).prop_map(|(left, op, right)| (left, op, right)),
            (operands(), regexes()).prop_map(|(left, regex)| (
                left,
                CompareOp::Matches,
                Operand::Regex(regex)
            )),
        ]
        .prop_map(|(left, op, right)| Expr::Compare {
            left,
            op,
            right,
            span: 0..0,
        })
    }

    fn exprs() -> impl Strategy<Value = Expr> {
        comparisons().prop_recursive(5, 24, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone())
                    .prop_map(|(left, right)| Expr::And(Box::new(left), Box::new(right))),
                (inner.clone(), inner.clone())
                    .prop_map(|(left, right)| Expr::Or(Box::new(left), Box::new(right))),
                inner.prop_map(|inner| Expr::Not(Box::new(inner))),
            ]
        })
    }

    fn items() -> impl Strategy<Value = Item> {
        prop_oneof![
            vars(false).prop_map(Item::Var),
            (vars(false), any::<bool>()).prop_map(|(var, distinct)| Item::Count {
                var,
                distinct,
                span: 0..0,
            }),
        ]
    }

    fn terms() -> impl Strategy<Value = Term> {
        prop_oneof![vars(true).prop_map(Term::Var), names().prop_map(Term::Name)]
    }

    fn selects() -> impl Strategy<Value = Select> {
        let pattern =
            (terms(), kinds(), terms()).prop_map(|(subject, alternatives, object)| Pattern {
                subject,
                relation: Relation {
                    alternatives,
                    var: None,
                    span: 0..0,
                },
                object,
                span: 0..0,
            });
        (
            prop::collection::vec(pattern, 1..3),
            prop::option::of(exprs()),
            prop::option::of(prop::collection::vec(items(), 1..3)),
            prop::collection::vec((items(), any::<bool>()), 0..3),
            prop::option::of(any::<u64>()),
        )
            .prop_map(|(patterns, filter, returns, order, limit)| Select {
                patterns,
                filter,
                returns,
                order: order
                    .into_iter()
                    .map(|(item, descending)| OrderKey { item, descending })
                    .collect(),
                limit,
            })
    }

    /// Every tree the parser can produce, with empty spans.
    fn queries() -> impl Strategy<Value = Query> {
        let numbers = || prop::option::of(any::<u64>());
        let kinds = || prop_oneof![Just(Vec::new()), kinds()];
        prop_oneof![
            4 => selects().prop_map(Query::Select),
            1 => (names(), names(), kinds(), numbers()).prop_map(|(from, to, via, max)| {
                Query::Path(PathQuery { from, to, via, max })
            }),
            1 => (names(), numbers(), kinds()).prop_map(|(of, depth, via)| {
                Query::Neighbours(NeighboursQuery { of, depth, via })
            }),
            1 => (
                prop::sample::subsequence(&NodeType::ALL[..4], 0..3),
                prop::option::of(names()),
            )
                .prop_map(|(types, matching)| Query::Entities(EntitiesQuery { types, matching })),
            1 => Just(Query::Documents),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn a_printed_tree_parses_back_to_itself(query in queries()) {
            let text = query.to_string();
            let parsed = parse(&text).map_err(|error| {
                TestCaseError::fail(format!("{query:?} printed as\n{}", error.render(&text)))
            })?;
            prop_assert_eq!(parsed.without_spans(), query, "printed as {}", text);
        }
    }
}
