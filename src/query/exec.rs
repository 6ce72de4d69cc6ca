//! The executor: joins the planned patterns over the graph's adjacency
//! (from a known node along its edges, or over the edges of a kind when
//! neither end is known), filters, projects and aggregates, orders and
//! limits; and walks the graph for `path` and `neighbours`. Results are
//! deterministic: rows are sorted by their cells unless `order by` says
//! otherwise, and ties keep that order.

use super::QueryError;
use super::ast::{CompareOp, NodeType, PeriodPart};
use super::plan::{
    Column, End, Filter, NEIGHBOUR_COLUMNS, PATH_COLUMNS, Plan, SelectPlan, Value, VarInfo,
};
use crate::graph::Graph;
use crate::normalize::{Case, key};
use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;

/// A cell of an answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cell {
    /// A node (shown by its name).
    Node(NodeIndex),
    /// A number (an aggregate, a distance).
    Number(u64),
    /// A text (a relation kind, a direction).
    Text(String),
}

/// A row of an answer, with the edges that produced it (its evidence).
#[derive(Clone, Debug)]
pub struct Row {
    /// The cells, one per column.
    pub cells: Vec<Cell>,
    /// The edges matched for this row, in pattern order, without repeats.
    pub edges: Vec<EdgeIndex>,
}

/// What a query returns.
#[derive(Clone, Debug, Default)]
pub struct Answer {
    /// Column headers.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Row>,
    /// Why there are no rows, when the query itself cannot tell (said
    /// apart from them, on standard error).
    pub notes: Vec<String>,
}

/// Rows a pattern join may hold at once before the query is refused.
pub const MAX_ROWS: usize = 5_000_000;

/// Runs a plan.
pub fn run(plan: &Plan, graph: &Graph) -> Result<Answer, QueryError> {
    match plan {
        Plan::Select(select) => run_select(select, graph),
        Plan::Path { from, to, via, max } => Ok(path(graph, *from, *to, via.as_deref(), *max)),
        Plan::Neighbours { of, depth, via } => Ok(neighbours(graph, *of, *depth, via.as_deref())),
        Plan::Entities(listed) => Ok(entities(graph, listed)),
        Plan::Documents => Ok(documents(graph)),
        Plan::Nothing { columns, note } => Ok(Answer {
            columns: columns.clone(),
            rows: Vec::new(),
            notes: vec![note.clone()],
        }),
    }
}

/// A partial solution: a node per variable (or none yet), an edge per
/// pattern.
#[derive(Clone)]
struct Binding {
    nodes: Vec<Option<NodeIndex>>,
    edges: Vec<Option<EdgeIndex>>,
}

fn run_select(plan: &SelectPlan, graph: &Graph) -> Result<Answer, QueryError> {
    let mut bindings = vec![Binding {
        nodes: vec![None; plan.vars.len()],
        edges: vec![None; plan.steps.len()],
    }];
    let fits = |var: usize, node: NodeIndex| {
        let types = &plan.vars[var].types;
        types.is_empty() || types.contains(&graph.graph[node].kind)
    };
    for step in &plan.steps {
        let mut next = Vec::new();
        for binding in &bindings {
            for alternative in &step.alternatives {
                let (from, to) = if alternative.reverse {
                    (&step.object, &step.subject)
                } else {
                    (&step.subject, &step.object)
                };
                let known = |end: &End| -> Option<Vec<NodeIndex>> {
                    match end {
                        End::Nodes(nodes) => Some(nodes.clone()),
                        End::Var(v) => binding.nodes[*v].map(|n| vec![n]),
                    }
                };
                let mut accept = |edge: EdgeIndex, source: NodeIndex, target: NodeIndex| {
                    let mut b = binding.clone();
                    for (end, node) in [(from, source), (to, target)] {
                        match end {
                            End::Nodes(nodes) => {
                                if !nodes.contains(&node) {
                                    return;
                                }
                            }
                            End::Var(v) => match b.nodes[*v] {
                                Some(bound) if bound != node => return,
                                Some(_) => {}
                                None => {
                                    if !fits(*v, node) {
                                        return;
                                    }
                                    b.nodes[*v] = Some(node);
                                }
                            },
                        }
                    }
                    b.edges[step.pattern] = Some(edge);
                    next.push(b);
                };
                let kind_ok = |k: u16| alternative.kind.is_none_or(|want| want == k);
                match (known(from), known(to)) {
                    (Some(sources), _) => {
                        for source in sources {
                            for (edge, target, data) in graph.edges_at(source, Direction::Outgoing)
                            {
                                if kind_ok(data.kind) {
                                    accept(edge, source, target);
                                }
                            }
                        }
                    }
                    (None, Some(targets)) => {
                        for target in targets {
                            for (edge, source, data) in graph.edges_at(target, Direction::Incoming)
                            {
                                if kind_ok(data.kind) {
                                    accept(edge, source, target);
                                }
                            }
                        }
                    }
                    (None, None) => {
                        let mut walk = |edge: EdgeIndex| {
                            if let Some((s, t)) = graph.graph.edge_endpoints(edge) {
                                accept(edge, s, t);
                            }
                        };
                        match alternative.kind {
                            Some(k) => graph.by_kind[k as usize].iter().for_each(|&e| walk(e)),
                            None => graph.graph.edge_indices().for_each(walk),
                        }
                    }
                }
                if next.len() > MAX_ROWS {
                    return Err(QueryError::new(
                        format!(
                            "the query matches more than {MAX_ROWS} combinations; name an entity or add a pattern"
                        ),
                        0..0,
                    ));
                }
            }
        }
        bindings = next;
    }
    if let Some(filter) = &plan.filter {
        bindings.retain(|b| test(filter, b, graph, &plan.vars));
    }
    Ok(project(plan, graph, bindings))
}

/// The edge a relation variable stands for in `b`, if `var` is one.
fn edge_of(vars: &[VarInfo], b: &Binding, var: usize) -> Option<EdgeIndex> {
    vars[var].relation.and_then(|pattern| b.edges[pattern])
}

/// A variable's value as text: a node's canonical name, or a relation
/// variable's kind.
fn name_of(graph: &Graph, vars: &[VarInfo], b: &Binding, var: usize) -> String {
    if let Some(edge) = edge_of(vars, b, var) {
        return graph.kinds[graph.graph[edge].kind as usize].clone();
    }
    b.nodes[var]
        .map(|n| graph.graph[n].name.clone())
        .unwrap_or_default()
}

fn text_of(value: &Value, b: &Binding, graph: &Graph, vars: &[VarInfo]) -> String {
    match value {
        Value::Name(v) => name_of(graph, vars, b, *v),
        Value::Type(v) if vars[*v].relation.is_some() => "relation".to_string(),
        Value::Type(v) => b.nodes[*v]
            .map(|n| graph.graph[n].kind.as_str().to_string())
            .unwrap_or_default(),
        Value::Text(t) => t.clone(),
        Value::Period(part, v) => {
            let Some(edge) = edge_of(vars, b, *v) else {
                return String::new();
            };
            let data = &graph.graph[edge];
            let iso = |date: Option<crate::relations::dates::Date>| {
                date.and_then(|d| d.iso()).unwrap_or_default()
            };
            match part {
                PeriodPart::From => iso(data.from),
                PeriodPart::Until => iso(data.until),
                PeriodPart::Former => if data.former { "yes" } else { "no" }.to_string(),
            }
        }
    }
}

fn test(filter: &Filter, b: &Binding, graph: &Graph, vars: &[VarInfo]) -> bool {
    match filter {
        Filter::And(x, y) => test(x, b, graph, vars) && test(y, b, graph, vars),
        Filter::Or(x, y) => test(x, b, graph, vars) || test(y, b, graph, vars),
        Filter::Not(x) => !test(x, b, graph, vars),
        Filter::Matches(value, regex) => regex.is_match(&text_of(value, b, graph, vars)),
        Filter::Compare(left, op, right) => {
            let l = key(&text_of(left, b, graph, vars), Case::Fold);
            let r = key(&text_of(right, b, graph, vars), Case::Fold);
            match op {
                CompareOp::Eq => l == r,
                CompareOp::Ne => l != r,
                CompareOp::Contains => l.contains(&r),
                CompareOp::StartsWith => l.starts_with(&r),
                CompareOp::Matches => false,
                // An empty side (a date the text does not give) is neither
                // before nor after anything.
                _ if l.is_empty() || r.is_empty() => false,
                CompareOp::Lt => l < r,
                CompareOp::Le => l <= r,
                CompareOp::Gt => l > r,
                CompareOp::Ge => l >= r,
            }
        }
    }
}

/// What a variable holds in a binding, as a grouping key: a node (or
/// nothing yet), or a relation variable's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Held {
    Node(Option<NodeIndex>),
    Kind(u16),
}

/// Projects, groups for aggregates, deduplicates, orders and limits.
fn project(plan: &SelectPlan, graph: &Graph, bindings: Vec<Binding>) -> Answer {
    let aggregate = plan
        .columns
        .iter()
        .any(|(c, _)| matches!(c, Column::Count { .. }));
    let keys: Vec<usize> = plan
        .columns
        .iter()
        .filter_map(|(c, _)| match c {
            Column::Var(v) => Some(*v),
            Column::Count { .. } => None,
        })
        .collect();
    // Groups (or distinct rows) in order of first appearance. A relation
    // variable groups by its kind, so its rows are distinct as printed.
    let value = |b: &Binding, v: usize| -> Held {
        match edge_of(&plan.vars, b, v) {
            Some(edge) => Held::Kind(graph.graph[edge].kind),
            None => Held::Node(b.nodes[v]),
        }
    };
    let mut groups: FxHashMap<Vec<Held>, usize> = FxHashMap::default();
    let mut gathered: Vec<(Vec<Held>, Vec<&Binding>)> = Vec::new();
    for b in &bindings {
        let group: Vec<Held> = keys.iter().map(|&v| value(b, v)).collect();
        let at = *groups.entry(group.clone()).or_insert_with(|| {
            gathered.push((group, Vec::new()));
            gathered.len() - 1
        });
        gathered[at].1.push(b);
    }
    // Only aggregates and nothing matched: one row of zeros, as counting
    // nothing gives 0.
    if keys.is_empty() && aggregate && gathered.is_empty() {
        return Answer {
            columns: plan.columns.iter().map(|(_, h)| h.clone()).collect(),
            rows: vec![Row {
                cells: vec![Cell::Number(0); plan.columns.len()],
                edges: Vec::new(),
            }],
            notes: Vec::new(),
        };
    }
    let mut rows: Vec<Row> = gathered
        .into_iter()
        .map(|(_, members)| {
            let first = members[0];
            let cells = plan
                .columns
                .iter()
                .map(|(column, _)| match column {
                    Column::Var(v) if plan.vars[*v].relation.is_some() => {
                        Cell::Text(name_of(graph, &plan.vars, first, *v))
                    }
                    Column::Var(v) => first.nodes[*v].map_or(Cell::Text(String::new()), Cell::Node),
                    Column::Count { var, distinct } => {
                        let bound = |m: &&&Binding| value(m, *var) != Held::Node(None);
                        let count = if *distinct {
                            members
                                .iter()
                                .filter(bound)
                                .map(|m| value(m, *var))
                                .collect::<FxHashSet<_>>()
                                .len()
                        } else {
                            members.iter().filter(bound).count()
                        };
                        Cell::Number(count as u64)
                    }
                })
                .collect();
            let mut edges = Vec::new();
            let mut seen = FxHashSet::default();
            for m in &members {
                for edge in m.edges.iter().flatten() {
                    if seen.insert(*edge) {
                        edges.push(*edge);
                    }
                }
            }
            Row { cells, edges }
        })
        .collect();
    let limit = plan.limit.map(|l| l.min(usize::MAX as u64) as usize);
    sort_rows_limited(&mut rows, &plan.order, graph, limit);
    Answer {
        columns: plan.columns.iter().map(|(_, h)| h.clone()).collect(),
        rows,
        notes: Vec::new(),
    }
}

/// Sorts by the `order by` keys, then by every cell (names folded, then
/// node ids), so the same query always lists rows the same way. Each
/// row's keys are made once.
fn sort_rows(rows: &mut Vec<Row>, order: &[(usize, bool)], graph: &Graph) {
    sort_rows_limited(rows, order, graph, None);
}

/// [`sort_rows`], keeping only the first `limit` rows when given (found by
/// selection, so a large answer is not sorted whole).
fn sort_rows_limited(
    rows: &mut Vec<Row>,
    order: &[(usize, bool)],
    graph: &Graph,
    limit: Option<usize>,
) {
    #[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
    enum Key {
        Number(u64),
        Text(std::rc::Rc<str>, usize),
    }
    // A node's folded name is made once, however many rows show it.
    let mut folded: FxHashMap<NodeIndex, std::rc::Rc<str>> = FxHashMap::default();
    let mut key_of = |cell: &Cell| match cell {
        Cell::Number(n) => Key::Number(*n),
        Cell::Node(n) => Key::Text(
            folded
                .entry(*n)
                .or_insert_with(|| key(&graph.graph[*n].name, Case::Fold).into())
                .clone(),
            n.index(),
        ),
        Cell::Text(t) => Key::Text(key(t, Case::Fold).into(), 0),
    };
    let mut keyed: Vec<(Vec<Key>, Row)> = std::mem::take(rows)
        .into_iter()
        .map(|row| (row.cells.iter().map(&mut key_of).collect(), row))
        .collect();
    let compare = |(a, _): &(Vec<Key>, Row), (b, _): &(Vec<Key>, Row)| {
        for &(column, descending) in order {
            let ordering = a[column].cmp(&b[column]);
            let ordering = if descending {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering.is_ne() {
                return ordering;
            }
        }
        a.cmp(b)
    };
    if let Some(limit) = limit
        && limit < keyed.len()
    {
        if limit == 0 {
            keyed.clear();
        } else {
            keyed.select_nth_unstable_by(limit - 1, compare);
            keyed.truncate(limit);
        }
    }
    keyed.sort_by(compare);
    *rows = keyed.into_iter().map(|(_, row)| row).collect();
}

/// A relation as a hop reads it: `kind →` along the edge, `← kind` against.
fn hop_label(kind: &str, forward: bool) -> String {
    if forward {
        format!("{kind} →")
    } else {
        format!("← {kind}")
    }
}

fn allowed(via: Option<&[u16]>, kind: u16) -> bool {
    via.is_none_or(|kinds| kinds.contains(&kind))
}

/// The shortest path from `from` to `to`, edges read in either direction;
/// one row per hop: step, from, relation (`→` along the edge, `←` against
/// it), to.
fn path(graph: &Graph, from: NodeIndex, to: NodeIndex, via: Option<&[u16]>, max: u64) -> Answer {
    let columns = PATH_COLUMNS.map(String::from).to_vec();
    let mut parent: FxHashMap<NodeIndex, (NodeIndex, EdgeIndex, bool)> = FxHashMap::default();
    let mut depth: FxHashMap<NodeIndex, u64> = FxHashMap::default();
    depth.insert(from, 0);
    let mut queue = VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            break;
        }
        let d = depth[&node];
        if d >= max {
            continue;
        }
        // Neighbours in a fixed order: by edge index, outgoing first.
        let mut around: Vec<(EdgeIndex, NodeIndex, bool)> = Vec::new();
        for (direction, forward) in [(Direction::Outgoing, true), (Direction::Incoming, false)] {
            for (edge, other, data) in graph.edges_at(node, direction) {
                if allowed(via, data.kind) {
                    around.push((edge, other, forward));
                }
            }
        }
        around.sort_by_key(|(e, _, forward)| (!*forward, e.index()));
        for (edge, other, forward) in around {
            if depth.contains_key(&other) {
                continue;
            }
            depth.insert(other, d + 1);
            parent.insert(other, (node, edge, forward));
            queue.push_back(other);
        }
    }
    let mut hops = Vec::new();
    let mut at = to;
    while at != from {
        let Some(&(previous, edge, forward)) = parent.get(&at) else {
            return Answer {
                columns,
                rows: Vec::new(),
                notes: vec![format!(
                    "no path of at most {max} relation{} joins them{}",
                    if max == 1 { "" } else { "s" },
                    if via.is_some() {
                        " through the kinds given"
                    } else {
                        ""
                    }
                )],
            };
        };
        hops.push((previous, edge, forward, at));
        at = previous;
    }
    hops.reverse();
    let rows = hops
        .into_iter()
        .enumerate()
        .map(|(i, (a, edge, forward, b))| {
            let kind = &graph.kinds[graph.graph[edge].kind as usize];
            Row {
                cells: vec![
                    Cell::Number(i as u64 + 1),
                    Cell::Node(a),
                    Cell::Text(hop_label(kind, forward)),
                    Cell::Node(b),
                ],
                edges: vec![edge],
            }
        })
        .collect();
    Answer {
        columns,
        rows,
        notes: Vec::new(),
    }
}

/// The nodes within `depth` hops of `of`, nearest first; each with the
/// relation that reached it and from where.
fn neighbours(graph: &Graph, of: NodeIndex, depth: u64, via: Option<&[u16]>) -> Answer {
    let columns = NEIGHBOUR_COLUMNS.map(String::from).to_vec();
    let mut seen: FxHashMap<NodeIndex, u64> = FxHashMap::default();
    seen.insert(of, 0);
    let mut frontier = vec![of];
    let mut rows = Vec::new();
    for d in 1..=depth {
        let mut found: Vec<Row> = Vec::new();
        let mut next = Vec::new();
        for &node in &frontier {
            for (direction, forward) in [(Direction::Outgoing, true), (Direction::Incoming, false)]
            {
                for (edge, other, data) in graph.edges_at(node, direction) {
                    if !allowed(via, data.kind) || seen.contains_key(&other) {
                        continue;
                    }
                    seen.insert(other, d);
                    next.push(other);
                    let kind = &graph.kinds[data.kind as usize];
                    found.push(Row {
                        cells: vec![
                            Cell::Node(other),
                            Cell::Text(graph.graph[other].kind.as_str().to_string()),
                            Cell::Number(d),
                            Cell::Text(hop_label(kind, forward)),
                            Cell::Node(node),
                        ],
                        edges: vec![edge],
                    });
                }
            }
        }
        sort_rows(&mut found, &[], graph);
        rows.extend(found);
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    Answer {
        columns,
        rows,
        notes: Vec::new(),
    }
}

/// The listed entities, most mentioned first.
fn entities(graph: &Graph, listed: &[super::plan::Listed]) -> Answer {
    let mut rows: Vec<Row> = listed
        .iter()
        .map(|e| Row {
            cells: vec![
                match e.node {
                    Some(n) => Cell::Node(n),
                    None => Cell::Text(e.name.clone()),
                },
                Cell::Text(e.kind.as_str().to_string()),
                Cell::Number(e.mentions.max(0) as u64),
                Cell::Number(e.node.map_or(0, |n| {
                    (graph.graph.edges_directed(n, Direction::Outgoing).count()
                        + graph.graph.edges_directed(n, Direction::Incoming).count())
                        as u64
                })),
            ],
            edges: Vec::new(),
        })
        .collect();
    sort_rows(&mut rows, &[(2, true)], graph);
    Answer {
        columns: ["entity", "type", "mentions", "relations"]
            .map(String::from)
            .to_vec(),
        rows,
        notes: Vec::new(),
    }
}

fn documents(graph: &Graph) -> Answer {
    let mut rows: Vec<Row> = graph
        .graph
        .node_indices()
        .filter(|&n| graph.graph[n].kind == NodeType::Document)
        .map(|n| Row {
            cells: vec![
                Cell::Node(n),
                Cell::Number(graph.graph.edges_directed(n, Direction::Incoming).count() as u64),
            ],
            edges: Vec::new(),
        })
        .collect();
    sort_rows(&mut rows, &[], graph);
    Answer {
        columns: vec!["document".into(), "signed by".into()],
        rows,
        notes: Vec::new(),
    }
}
