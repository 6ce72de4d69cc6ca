//! The syntax tree of a query: the boundary between the parser and the
//! planner. Every node keeps the byte span of the query text it came from,
//! so later stages can point at it in their errors.

pub use crate::model::NodeType;

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
/// for any kind; each alternative may be reversed with `^`.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    /// The alternatives, at least one.
    pub alternatives: Vec<RelationKind>,
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
    /// A quoted string or a bare word.
    Text(Name),
    /// `/regex/`, the text between the slashes (`\/` for a slash).
    Regex(Name),
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
