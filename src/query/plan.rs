//! The planner: resolves names and relation kinds against the graph (an
//! unknown or ambiguous name, or an unknown kind, is an error pointing at
//! it, with the closest known ones), compiles the filter, and orders the
//! patterns by selectivity: patterns with a bound end first, then the one
//! with the fewest edges to walk, each next pattern sharing a variable
//! with those before when one does.

use super::QueryError;
use super::ast::{self, CompareOp, Item, NodeType, Operand, Query, Select, Span, Term};
use crate::graph::Graph;
use crate::store::Catalog;
use petgraph::graph::NodeIndex;

/// An end of a planned pattern.
#[derive(Clone, Debug)]
pub enum End {
    /// A variable, by index into [`SelectPlan::vars`].
    Var(usize),
    /// The nodes a name designates (empty: an entity the graph does not
    /// hold, which matches nothing).
    Nodes(Vec<NodeIndex>),
}

/// One alternative of a planned relation: a kind (`None`: any) and
/// whether it is read from object to subject.
#[derive(Clone, Copy, Debug)]
pub struct Alternative {
    /// Index into [`Graph::kinds`], or `None` for any kind.
    pub kind: Option<u16>,
    /// `^kind`.
    pub reverse: bool,
}

/// A planned pattern.
#[derive(Clone, Debug)]
pub struct Step {
    /// The pattern's place in the query (its evidence column).
    pub pattern: usize,
    /// The subject.
    pub subject: End,
    /// The object.
    pub object: End,
    /// The relation's alternatives; empty when none of its kinds is stored
    /// (the pattern matches nothing).
    pub alternatives: Vec<Alternative>,
    /// Where the pattern is in the query.
    pub span: Span,
}

/// A variable and the node types it may take (empty: any).
#[derive(Clone, Debug)]
pub struct VarInfo {
    /// Its name, without `?`.
    pub name: String,
    /// Allowed types, from every place it is typed.
    pub types: Vec<NodeType>,
    /// For a relation variable (`"A" ?r ?x`), the pattern (by its place in
    /// the query) whose relation it names; its value is that edge's kind.
    pub relation: Option<usize>,
}

/// A compiled `where` expression.
#[derive(Clone, Debug)]
pub enum Filter {
    /// Both.
    And(Box<Filter>, Box<Filter>),
    /// Either.
    Or(Box<Filter>, Box<Filter>),
    /// Not.
    Not(Box<Filter>),
    /// A comparison.
    Compare(Value, CompareOp, Value),
    /// `?x matches /re/`.
    Matches(Value, regex::Regex),
}

/// An operand of a compiled comparison.
#[derive(Clone, Debug)]
pub enum Value {
    /// A variable's canonical name.
    Name(usize),
    /// A variable's type.
    Type(usize),
    /// What a relation variable's evidence says of its period.
    Period(ast::PeriodPart, usize),
    /// A text.
    Text(String),
}

/// A projected column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    /// A variable.
    Var(usize),
    /// `count(?x)` / `count(distinct ?x)`.
    Count {
        /// The variable.
        var: usize,
        /// `distinct`.
        distinct: bool,
    },
}

/// A planned pattern query.
#[derive(Clone, Debug)]
pub struct SelectPlan {
    /// The variables, in order of first appearance.
    pub vars: Vec<VarInfo>,
    /// The patterns in the order they run.
    pub steps: Vec<Step>,
    /// The filter.
    pub filter: Option<Filter>,
    /// The columns, with their headers.
    pub columns: Vec<(Column, String)>,
    /// Ordering: column index and descending.
    pub order: Vec<(usize, bool)>,
    /// The limit.
    pub limit: Option<u64>,
    /// The patterns (by their place in the query, 0-based) in groups that
    /// share variables, in order of their first pattern. More than one
    /// group is a cartesian product: every answer of one group is paired
    /// with every answer of the others.
    pub groups: Vec<Vec<usize>>,
}

impl SelectPlan {
    /// Whether the patterns fall into groups that share no variable.
    pub fn is_cartesian(&self) -> bool {
        self.groups.len() > 1
    }

    /// The warning a cartesian product deserves, naming the groups of
    /// patterns (1-based, as a person counts them); `None` when the
    /// patterns are joined.
    pub fn cartesian_warning(&self) -> Option<String> {
        if !self.is_cartesian() {
            return None;
        }
        let numbers = |group: &[usize]| -> String {
            let numbers: Vec<String> = group.iter().map(|p| (p + 1).to_string()).collect();
            match numbers.as_slice() {
                [one] => one.clone(),
                [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
                [] => String::new(),
            }
        };
        let group = |g: &[usize]| {
            format!(
                "pattern{} {}",
                if g.len() == 1 { "" } else { "s" },
                numbers(g)
            )
        };
        let verb = |g: &[usize]| if g.len() == 1 { "shares" } else { "share" };
        let said = match self.groups.as_slice() {
            [one, other] => format!(
                "{} {} no variable with {}",
                group(one),
                verb(one),
                group(other)
            ),
            groups if groups.iter().all(|g| g.len() == 1) => format!(
                "patterns {} share no variable",
                numbers(&groups.iter().map(|g| g[0]).collect::<Vec<_>>())
            ),
            groups => format!(
                "the groups of patterns {} share no variable",
                groups
                    .iter()
                    .map(|g| numbers(g))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        };
        let pairing = if self.groups.len() == 2 {
            "every answer of one is paired with every answer of the other"
        } else {
            "every answer of each is paired with every answer of the others"
        };
        Some(format!(
            "{said}, so {pairing}; join them by a variable or name an entity"
        ))
    }

    /// Where a budget error points: the first pattern that joins none
    /// before it, or, when all are joined, every pattern.
    pub fn costly_span(&self) -> Span {
        if let Some(group) = self.groups.get(1)
            && let Some(step) = self.steps.iter().find(|s| s.pattern == group[0])
        {
            return step.span.clone();
        }
        let start = self.steps.iter().map(|s| s.span.start).min().unwrap_or(0);
        let end = self.steps.iter().map(|s| s.span.end).max().unwrap_or(0);
        start..end
    }
}

/// The patterns of `steps` in groups that share a variable (a name joins
/// nothing: two patterns about one entity are still a product), each group
/// sorted, the groups in order of their first pattern.
fn join_groups(steps: &[Step]) -> Vec<Vec<usize>> {
    let patterns = steps.iter().map(|s| s.pattern).max().map_or(0, |m| m + 1);
    let mut parent: Vec<usize> = (0..patterns).collect();
    fn root(parent: &mut [usize], mut at: usize) -> usize {
        while parent[at] != at {
            parent[at] = parent[parent[at]];
            at = parent[at];
        }
        at
    }
    let mut first_with_var: rustc_hash::FxHashMap<usize, usize> = Default::default();
    for step in steps {
        for end in [&step.subject, &step.object] {
            if let End::Var(v) = end {
                let other = *first_with_var.entry(*v).or_insert(step.pattern);
                let (a, b) = (root(&mut parent, other), root(&mut parent, step.pattern));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: rustc_hash::FxHashMap<usize, usize> = Default::default();
    let mut present: Vec<usize> = steps.iter().map(|s| s.pattern).collect();
    present.sort_unstable();
    for pattern in present {
        let r = root(&mut parent, pattern);
        let at = *group_of.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(pattern);
    }
    groups
}

/// A planned query.
#[derive(Clone, Debug)]
pub enum Plan {
    /// Patterns.
    Select(SelectPlan),
    /// The shortest path between two nodes.
    Path {
        /// Start.
        from: NodeIndex,
        /// End.
        to: NodeIndex,
        /// Allowed kinds (`None`: any).
        via: Option<Vec<u16>>,
        /// Most hops.
        max: u64,
    },
    /// The nodes around one.
    Neighbours {
        /// The centre.
        of: NodeIndex,
        /// Hops.
        depth: u64,
        /// Allowed kinds (`None`: any).
        via: Option<Vec<u16>>,
    },
    /// Entities of some types whose name or alias contains a text, read
    /// from the store (mentions are counted there).
    Entities(Vec<Listed>),
    /// Every document.
    Documents,
    /// No rows to look for: a name the query starts from has no relations.
    Nothing {
        /// The columns the answer would have had.
        columns: Vec<String>,
        /// Why it has no rows.
        note: String,
    },
}

/// An entity listed by `entities`.
#[derive(Clone, Debug)]
pub struct Listed {
    /// Canonical name.
    pub name: String,
    /// Type.
    pub kind: NodeType,
    /// Settled mentions.
    pub mentions: i64,
    /// Its node, when it has relations.
    pub node: Option<NodeIndex>,
}

/// How far a path is searched when the query says nothing.
pub const DEFAULT_MAX_HOPS: u64 = 6;

/// The columns of a `path` answer.
pub const PATH_COLUMNS: [&str; 4] = ["step", "from", "relation", "to"];
/// The columns of a `neighbours` answer.
pub const NEIGHBOUR_COLUMNS: [&str; 5] = ["node", "type", "distance", "relation", "from"];

/// Plans a parsed query against `graph`, resolving names through `store`.
pub fn plan(query: &Query, graph: &Graph, store: &dyn Catalog) -> Result<Plan, QueryError> {
    let planner = Planner { graph, store };
    match query {
        Query::Select(select) => planner.select(select).map(Plan::Select),
        Query::Path(path) => {
            let (from, to) = (planner.one_node(&path.from)?, planner.one_node(&path.to)?);
            let via = planner.via(&path.via)?;
            Ok(match (from, to) {
                (Some(from), Some(to)) => Plan::Path {
                    from,
                    to,
                    via,
                    max: path.max.unwrap_or(DEFAULT_MAX_HOPS),
                },
                _ => {
                    let unrelated = if from.is_none() { &path.from } else { &path.to };
                    nothing(&PATH_COLUMNS, unrelated, "no path reaches it")
                }
            })
        }
        Query::Neighbours(n) => {
            let of = planner.one_node(&n.of)?;
            let via = planner.via(&n.via)?;
            Ok(match of {
                Some(of) => Plan::Neighbours {
                    of,
                    depth: n.depth.unwrap_or(1),
                    via,
                },
                None => nothing(&NEIGHBOUR_COLUMNS, &n.of, "it has no neighbours"),
            })
        }
        Query::Entities(e) => {
            if e.types.contains(&NodeType::Document) {
                return Err(QueryError::new(
                    "`entities` lists people, organisations, places and states; use `documents` for documents",
                    0..0,
                ));
            }
            planner
                .entities(&e.types, e.matching.as_ref().map(|m| m.text.as_str()))
                .map(Plan::Entities)
        }
        Query::Documents => Ok(Plan::Documents),
    }
}

/// The plan of a path or neighbours query from an entity without
/// relations: no rows, and a note that says so.
fn nothing(columns: &[&str], name: &ast::Name, so: &str) -> Plan {
    Plan::Nothing {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        note: format!("`{}` has no relations in the database, so {so}", name.text),
    }
}

struct Planner<'a> {
    graph: &'a Graph,
    store: &'a dyn Catalog,
}

fn store_error(e: crate::store::StoreError) -> QueryError {
    QueryError::new(format!("database: {e}"), 0..0)
}

/// The error of a name that designates nothing, with the closest names.
fn unknown_name(name: &ast::Name, store: &dyn Catalog) -> Result<QueryError, QueryError> {
    let similar = store.similar_names(&name.text, 5).map_err(store_error)?;
    let error = QueryError::new(
        format!("no entity or document is named `{}`", name.text),
        name.span.clone(),
    );
    Ok(if similar.is_empty() {
        error
    } else {
        error.suggesting(
            similar
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", "),
        )
    })
}

/// What the store alone says of a name.
enum Early {
    /// It designates something (as the planner would settle it).
    Known,
    /// It designates nothing: the planner's error.
    Unknown(QueryError),
    /// The planner would refuse it otherwise (ambiguous, several
    /// documents): left to it.
    Unsure,
}

fn early(name: &ast::Name, one: bool, store: &dyn Catalog) -> Result<Early, QueryError> {
    let named = store.entities_named(&name.text).map_err(store_error)?;
    let folded = crate::normalize::key(&name.text, crate::normalize::Case::Fold);
    let canonical = named
        .iter()
        .filter(|n| crate::normalize::key(&n.name, crate::normalize::Case::Fold) == folded)
        .count();
    match named.len() {
        1 => return Ok(Early::Known),
        0 => {}
        _ if canonical == 1 => return Ok(Early::Known),
        _ => return Ok(Early::Unsure),
    }
    let documents = store.documents_matching(&name.text).map_err(store_error)?;
    let exact = documents
        .iter()
        .filter(|(_, path)| {
            *path == name.text
                || std::path::Path::new(path)
                    .file_name()
                    .is_some_and(|f| f.to_string_lossy() == name.text)
        })
        .count();
    Ok(match exact {
        0 => Early::Unknown(unknown_name(name, store)?),
        1 => Early::Known,
        _ if one => Early::Unsure,
        _ => Early::Known,
    })
}

/// The planner's first error when it is a name that designates nothing,
/// found from the store alone, before the graph is loaded (which on a
/// large database costs far more than the error). `Ok` when every name is
/// known, or when the planner would first stop at something else (a
/// relation kind `known_kind` does not hold, an ambiguous name, a relation
/// variable), which it then reports itself.
pub fn unknown_name_first(
    query: &Query,
    store: &dyn Catalog,
    known_kind: &dyn Fn(&str) -> bool,
) -> Result<(), QueryError> {
    let names: Vec<(&ast::Name, bool)> = match query {
        Query::Select(select) => {
            let mut names = Vec::new();
            for pattern in &select.patterns {
                if let Term::Name(name) = &pattern.subject {
                    names.push((name, false));
                }
                if pattern.relation.var.is_some() {
                    break;
                }
                if let Term::Name(name) = &pattern.object {
                    names.push((name, false));
                }
                let unknown_kind = pattern
                    .relation
                    .alternatives
                    .iter()
                    .any(|a| a.kind.as_deref().is_some_and(|k| !known_kind(k)));
                if unknown_kind {
                    break;
                }
            }
            names
        }
        Query::Path(path) => vec![(&path.from, true), (&path.to, true)],
        Query::Neighbours(n) => vec![(&n.of, true)],
        Query::Entities(_) | Query::Documents => Vec::new(),
    };
    for (name, one) in names {
        match early(name, one, store)? {
            Early::Known => {}
            Early::Unknown(error) => return Err(error),
            Early::Unsure => return Ok(()),
        }
    }
    Ok(())
}

impl Planner<'_> {
    /// The nodes a name designates: entities by canonical name or alias,
    /// else documents by path or file name.
    fn resolve(&self, name: &ast::Name) -> Result<Vec<NodeIndex>, QueryError> {
        let mut named = self.store.entities_named(&name.text).map_err(store_error)?;
        // A name that is one entity's canonical name and others' alias
        // designates the first.
        if named.len() > 1 {
            let folded = crate::normalize::key(&name.text, crate::normalize::Case::Fold);
            let canonical: Vec<_> = named
                .iter()
                .filter(|n| crate::normalize::key(&n.name, crate::normalize::Case::Fold) == folded)
                .cloned()
                .collect();
            if canonical.len() == 1 {
                named = canonical;
            }
        }
        match named.len() {
            1 => return Ok(self.graph.entity(named[0].id).into_iter().collect()),
            0 => {}
            _ => {
                let list: Vec<String> = named
                    .iter()
                    .map(|n| format!("{} `{}`", n.kind, n.name))
                    .collect();
                return Err(QueryError::new(
                    format!(
                        "`{}` is ambiguous: it names {}",
                        name.text,
                        list.join(" and ")
                    ),
                    name.span.clone(),
                )
                .expecting(["a longer or quoted canonical name"]));
            }
        }
        let documents = self
            .store
            .documents_matching(&name.text)
            .map_err(store_error)?;
        let exact: Vec<NodeIndex> = documents
            .iter()
            .filter(|(_, path)| {
                *path == name.text
                    || std::path::Path::new(path)
                        .file_name()
                        .is_some_and(|f| f.to_string_lossy() == name.text)
            })
            .filter_map(|(id, _)| self.graph.document(*id))
            .collect();
        if !exact.is_empty() {
            return Ok(exact);
        }
        Err(unknown_name(name, self.store)?)
    }

    /// A name that must designate one node of the graph: `None` for an
    /// entity of the database without relations (mentioned or not), which
    /// is no node of it.
    fn one_node(&self, name: &ast::Name) -> Result<Option<NodeIndex>, QueryError> {
        let nodes = self.resolve(name)?;
        match nodes.as_slice() {
            [node] => Ok(Some(*node)),
            [] => Ok(None),
            _ => Err(QueryError::new(
                format!("`{}` names several documents", name.text),
                name.span.clone(),
            )),
        }
    }

    /// A relation kind's index, `Ok(None)` for a known kind the graph has
    /// no edge of, or an error with the closest kind.
    fn kind(&self, kind: &str, span: &Span) -> Result<Option<u16>, QueryError> {
        if let Some(index) = self.graph.kind(kind) {
            return Ok(Some(index));
        }
        let empty = self.graph.empty_kinds();
        if empty.contains(&kind) {
            return Ok(None);
        }
        let mut known: Vec<&str> = self.graph.kinds.iter().map(String::as_str).collect();
        known.extend(empty);
        known.sort_unstable();
        known.dedup();
        let error = QueryError::new(format!("unknown relation `{kind}`"), span.clone())
            .expecting(known.iter().map(|k| format!("`{k}`")));
        Err(
            match crate::spelling::closest_kind(kind, known.iter().copied()) {
                Some(k) => error.suggesting(format!("`{k}`")),
                None => error,
            },
        )
    }

    fn via(&self, via: &[ast::RelationKind]) -> Result<Option<Vec<u16>>, QueryError> {
        if via.is_empty() || via.iter().any(|k| k.kind.is_none()) {
            return Ok(None);
        }
        let mut kinds = Vec::new();
        for k in via {
            if let Some(index) = self.kind(k.kind.as_deref().unwrap_or_default(), &k.span)? {
                kinds.push(index);
            }
        }
        Ok(Some(kinds))
    }

    /// The entities of `types` (all when empty) that are mentioned or
    /// related, those whose name or an alias contains `matching` only.
    fn entities(
        &self,
        types: &[NodeType],
        matching: Option<&str>,
    ) -> Result<Vec<Listed>, QueryError> {
        let totals: rustc_hash::FxHashMap<i64, i64> = self
            .store
            .entity_totals()
            .map_err(store_error)?
            .into_iter()
            .map(|(id, t)| (id, t.mentions))
            .collect();
        let mut listed = Vec::new();
        let mut add = |id: i64, kind: &str, name: &str| {
            let Ok(kind) = kind.parse::<crate::model::EntityType>() else {
                return;
            };
            let kind = NodeType::from(kind);
            let node = self.graph.entity(id);
            let mentions = totals.get(&id).copied();
            if (node.is_some() || mentions.is_some()) && (types.is_empty() || types.contains(&kind))
            {
                listed.push(Listed {
                    name: name.to_string(),
                    kind,
                    mentions: mentions.unwrap_or(0),
                    node,
                });
            }
        };
        // All entities, or those whose folded name or alias holds the text
        // (`instr` of an empty text is true for every name).
        let folded = matching
            .map(|text| crate::normalize::key(text, crate::normalize::Case::Fold))
            .unwrap_or_default();
        self.store
            .each_entity_holding(&folded, &mut add)
            .map_err(store_error)?;
        Ok(listed)
    }

    fn select(&self, select: &Select) -> Result<SelectPlan, QueryError> {
        let mut vars: Vec<VarInfo> = Vec::new();
        let var_index = |var: &ast::Var, vars: &mut Vec<VarInfo>| -> Result<usize, QueryError> {
            Ok(match vars.iter().position(|v| v.name == var.name) {
                Some(i) if vars[i].relation.is_some() => {
                    return Err(relation_var_twice(var));
                }
                Some(i) => {
                    if !var.types.is_empty() {
                        let info = &mut vars[i];
                        if info.types.is_empty() {
                            info.types = var.types.clone();
                        } else {
                            info.types.retain(|t| var.types.contains(t));
                        }
                    }
                    i
                }
                None => {
                    vars.push(VarInfo {
                        name: var.name.clone(),
                        types: var.types.clone(),
                        relation: None,
                    });
                    vars.len() - 1
                }
            })
        };
        let mut steps = Vec::new();
        for (index, pattern) in select.patterns.iter().enumerate() {
            let end = |term: &Term, vars: &mut Vec<VarInfo>| -> Result<End, QueryError> {
                Ok(match term {
                    Term::Var(var) => End::Var(var_index(var, vars)?),
                    Term::Name(name) => End::Nodes(self.resolve(name)?),
                })
            };
            let subject = end(&pattern.subject, &mut vars)?;
            if let Some(var) = &pattern.relation.var {
                if vars.iter().any(|v| v.name == var.name) {
                    return Err(relation_var_twice(var));
                }
                vars.push(VarInfo {
                    name: var.name.clone(),
                    types: Vec::new(),
                    relation: Some(index),
                });
            }
            let object = end(&pattern.object, &mut vars)?;
            let mut alternatives = Vec::new();
            for alternative in &pattern.relation.alternatives {
                match &alternative.kind {
                    None => alternatives.push(Alternative {
                        kind: None,
                        reverse: alternative.reverse,
                    }),
                    Some(kind) => {
                        if let Some(kind) = self.kind(kind, &alternative.span)? {
                            alternatives.push(Alternative {
                                kind: Some(kind),
                                reverse: alternative.reverse,
                            });
                        }
                    }
                }
            }
            steps.push(Step {
                pattern: index,
                subject,
                object,
                alternatives,
                span: pattern.span.clone(),
            });
        }
        let lookup = |var: &ast::Var| -> Result<usize, QueryError> {
            vars.iter().position(|v| v.name == var.name).ok_or_else(|| {
                QueryError::new(
                    format!("`?{}` is not in any pattern", var.name),
                    var.span.clone(),
                )
                .expecting(vars.iter().map(|v| format!("`?{}`", v.name)))
            })
        };
        let filter = match &select.filter {
            Some(expr) => {
                let relation_var = |index: usize| vars[index].relation.is_some();
                Some(compile_filter(expr, &lookup, &relation_var)?)
            }
            None => None,
        };
        let mut columns: Vec<(Column, String)> = Vec::new();
        match &select.returns {
            None => {
                for (i, v) in vars.iter().enumerate() {
                    columns.push((Column::Var(i), v.name.clone()));
                }
            }
            Some(items) => {
                for item in items {
                    columns.push(column(item, &lookup)?);
                }
            }
        }
        let mut order = Vec::new();
        for key in &select.order {
            let (col, _) = column(&key.item, &lookup)?;
            let span = match &key.item {
                Item::Var(v) => v.span.clone(),
                Item::Count { span, .. } => span.clone(),
            };
            let Some(index) = columns.iter().position(|(c, _)| *c == col) else {
                return Err(QueryError::new(
                    "`order by` takes a returned variable or aggregate",
                    span,
                )
                .expecting(columns.iter().map(|(_, h)| format!("`{h}`"))));
            };
            order.push((index, key.descending));
        }
        let groups = join_groups(&steps);
        let steps = order_steps(steps, self.graph);
        Ok(SelectPlan {
            vars,
            steps,
            filter,
            columns,
            order,
            limit: select.limit,
            groups,
        })
    }
}

/// A relation variable used again (as a node, or for another pattern's
/// relation): it names one pattern's relation.
fn relation_var_twice(var: &ast::Var) -> QueryError {
    QueryError::new(
        format!(
            "`?{}` names a pattern's relation and stands nowhere else",
            var.name
        ),
        var.span.clone(),
    )
    .expecting(["another variable"])
}

fn column(
    item: &Item,
    lookup: &dyn Fn(&ast::Var) -> Result<usize, QueryError>,
) -> Result<(Column, String), QueryError> {
    Ok(match item {
        Item::Var(var) => (Column::Var(lookup(var)?), var.name.clone()),
        Item::Count { var, distinct, .. } => (
            Column::Count {
                var: lookup(var)?,
                distinct: *distinct,
            },
            if *distinct {
                format!("count(distinct {})", var.name)
            } else {
                format!("count({})", var.name)
            },
        ),
    })
}

fn compile_filter(
    expr: &ast::Expr,
    lookup: &dyn Fn(&ast::Var) -> Result<usize, QueryError>,
    relation_var: &dyn Fn(usize) -> bool,
) -> Result<Filter, QueryError> {
    Ok(match expr {
        ast::Expr::And(a, b) => Filter::And(
            Box::new(compile_filter(a, lookup, relation_var)?),
            Box::new(compile_filter(b, lookup, relation_var)?),
        ),
        ast::Expr::Or(a, b) => Filter::Or(
            Box::new(compile_filter(a, lookup, relation_var)?),
            Box::new(compile_filter(b, lookup, relation_var)?),
        ),
        ast::Expr::Not(a) => Filter::Not(Box::new(compile_filter(a, lookup, relation_var)?)),
        ast::Expr::Compare {
            left, op, right, ..
        } => {
            let value = |operand: &Operand| -> Result<Value, QueryError> {
                Ok(match operand {
                    Operand::Var(v) => Value::Name(lookup(v)?),
                    Operand::TypeOf(v) => Value::Type(lookup(v)?),
                    Operand::Period(part, v) => {
                        let index = lookup(v)?;
                        if !relation_var(index) {
                            return Err(QueryError::new(
                                format!(
                                    "`{}(…)` reads a relation variable, and `?{}` is a node",
                                    part.as_str(),
                                    v.name
                                ),
                                v.span.clone(),
                            )
                            .expecting(["a variable in a relation's place (`\"A\" ?r ?x`)"]));
                        }
                        Value::Period(*part, index)
                    }
                    Operand::Text(t) => Value::Text(t.text.clone()),
                    Operand::Regex(r) => {
                        return Err(QueryError::new(
                            "a regular expression stands only after `matches`",
                            r.span.clone(),
                        ));
                    }
                })
            };
            if *op == CompareOp::Matches {
                let Operand::Regex(pattern) = right else {
                    return Err(QueryError::new("`matches` takes a /regex/", 0..0));
                };
                let regex = regex::Regex::new(&pattern.text).map_err(|e| {
                    QueryError::new(
                        format!("invalid regular expression: {}", last_line(&e.to_string())),
                        pattern.span.clone(),
                    )
                })?;
                Filter::Matches(value(left)?, regex)
            } else {
                Filter::Compare(value(left)?, *op, value(right)?)
            }
        }
    })
}

/// The last line of a message (the regex crate's ends with the reason).
fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or(text).trim()
}

/// Orders the steps: repeatedly the cheapest one, where a step with an end
/// already known (a name, or a variable an earlier step bound) costs the
/// degree of its known nodes, any other the number of edges of its kinds.
fn order_steps(mut steps: Vec<Step>, graph: &Graph) -> Vec<Step> {
    let mut bound: Vec<usize> = Vec::new();
    let mut ordered = Vec::with_capacity(steps.len());
    while !steps.is_empty() {
        let cost = |step: &Step, bound: &[usize]| -> (u8, usize) {
            let known = |end: &End| match end {
                End::Nodes(nodes) => Some(nodes.len()),
                End::Var(v) if bound.contains(v) => Some(1),
                End::Var(_) => None,
            };
            let edges: usize = step
                .alternatives
                .iter()
                .map(|a| match a.kind {
                    Some(k) => graph.by_kind[k as usize].len(),
                    None => graph.graph.edge_count(),
                })
                .sum();
            match (known(&step.subject), known(&step.object)) {
                (Some(a), Some(b)) => (0, a.min(b)),
                (Some(a), None) | (None, Some(a)) => (1, a),
                (None, None) => (2, edges),
            }
        };
        let best = (0..steps.len())
            .min_by_key(|&i| (cost(&steps[i], &bound), steps[i].pattern))
            .unwrap_or(0);
        let step = steps.remove(best);
        for end in [&step.subject, &step.object] {
            if let End::Var(v) = end {
                bound.push(*v);
            }
        }
        ordered.push(step);
    }
    ordered
}
