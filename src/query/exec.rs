//! The executor: joins the planned patterns over the graph's adjacency
//! (from a known node along its edges, or over the edges of a kind when
//! neither end is known), filters, projects and aggregates, orders and
//! limits; and walks the graph for `path` and `neighbours`. Results are
//! deterministic: rows are sorted by their cells unless `order by` says
//! otherwise, and ties keep that order.

use super::QueryError;
use super::ast::{CompareOp, NodeType, PeriodPart};
use super::budget::{Budget, Exceeded, Meter};
use super::plan::{
    Column, End, Filter, NEIGHBOUR_COLUMNS, PATH_COLUMNS, Plan, SelectPlan, Step, Value, VarInfo,
};
use crate::graph::Graph;
use crate::normalize::{Case, key};
use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;
use std::collections::btree_map::Entry;

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
    /// What the query costs that it need not (patterns that share no
    /// variable), said apart from the rows, on standard error.
    pub warnings: Vec<String>,
}

/// Runs a plan within the default [`Budget`].
pub fn run(plan: &Plan, graph: &Graph) -> Result<Answer, QueryError> {
    run_within(plan, graph, &Budget::default())
}

/// Runs a plan; a pattern query that goes past `budget` (memory held for
/// the answer, or time) stops with an error pointing at its patterns.
pub fn run_within(plan: &Plan, graph: &Graph, budget: &Budget) -> Result<Answer, QueryError> {
    match plan {
        Plan::Select(select) => run_select(select, graph, *budget),
        Plan::Path { from, to, via, max } => Ok(path(graph, *from, *to, via.as_deref(), *max)),
        Plan::Neighbours { of, depth, via } => Ok(neighbours(graph, *of, *depth, via.as_deref())),
        Plan::Entities(listed) => Ok(entities(graph, listed)),
        Plan::Documents => Ok(documents(graph)),
        Plan::Nothing { columns, note } => Ok(Answer {
            columns: columns.clone(),
            rows: Vec::new(),
            notes: vec![note.clone()],
            warnings: Vec::new(),
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

fn run_select(plan: &SelectPlan, graph: &Graph, budget: Budget) -> Result<Answer, QueryError> {
    let mut meter = Meter::new(budget);
    let mut collector = Collector::new(plan, graph);
    let joined = join(
        plan,
        graph,
        &mut meter,
        &mut |b, meter| match &plan.filter {
            Some(filter) if !test(filter, b, graph, &plan.vars) => Ok(()),
            _ => collector.add(b, meter),
        },
    );
    let mut answer = joined
        .and_then(|()| collector.finish(&mut meter))
        .map_err(|exceeded| over_budget(plan, exceeded, &budget))?;
    answer.warnings.extend(plan.cartesian_warning());
    Ok(answer)
}

/// The error of a query stopped by its budget, at its costly patterns,
/// with what would make it cheaper.
fn over_budget(plan: &SelectPlan, exceeded: Exceeded, budget: &Budget) -> QueryError {
    let advice = match plan.cartesian_warning() {
        Some(warning) => format!(": {warning}"),
        None if exceeded == Exceeded::Memory && plan.limit.is_none() => {
            "; name an entity or add a pattern to narrow it, or add a `limit`".to_string()
        }
        None => "; name an entity or add a pattern to narrow it".to_string(),
    };
    QueryError::new(
        format!("the query went past {}{advice}", exceeded.describe(budget)),
        plan.costly_span(),
    )
}

/// An edge a step may take: its ends, and whether its alternative reads it
/// from object to subject.
#[derive(Clone, Copy)]
struct Candidate {
    edge: EdgeIndex,
    source: NodeIndex,
    target: NodeIndex,
    reverse: bool,
}

/// One step of the join in progress: the edges it may take for the
/// binding of the steps before it, the next one to try, and the variables
/// the one being tried bound.
#[derive(Default)]
struct Level {
    candidates: Vec<Candidate>,
    next: usize,
    bound: [Option<usize>; 2],
    /// Candidate slots already counted against the budget.
    charged: usize,
}

/// The nodes an end stands for when they are known: a name's, or a bound
/// variable's one.
enum Known<'a> {
    Listed(&'a [NodeIndex]),
    One([NodeIndex; 1]),
}

impl Known<'_> {
    fn nodes(&self) -> &[NodeIndex] {
        match self {
            Known::Listed(nodes) => nodes,
            Known::One(node) => node,
        }
    }
}

fn known<'a>(end: &'a End, binding: &Binding) -> Option<Known<'a>> {
    match end {
        End::Nodes(nodes) => Some(Known::Listed(nodes)),
        End::Var(v) => binding.nodes[*v].map(|n| Known::One([n])),
    }
}

/// Joins the steps depth first, one binding at a time, handing each
/// complete one to `emit`: only the current path of the join is held, so
/// memory follows the answer, not the number of combinations. Bindings
/// come in the order a breadth-first join would list them (by step, then
/// alternative, then edge), which the evidence order of a row follows.
fn join(
    plan: &SelectPlan,
    graph: &Graph,
    meter: &mut Meter,
    emit: &mut dyn FnMut(&Binding, &mut Meter) -> Result<(), Exceeded>,
) -> Result<(), Exceeded> {
    let mut binding = Binding {
        nodes: vec![None; plan.vars.len()],
        edges: vec![None; plan.steps.iter().map(|s| s.pattern + 1).max().unwrap_or(0)],
    };
    let steps = &plan.steps;
    if steps.is_empty() {
        return emit(&binding, meter);
    }
    let mut levels: Vec<Level> = steps.iter().map(|_| Level::default()).collect();
    fill(&mut levels[0], &steps[0], &binding, graph, meter)?;
    let mut depth = 0;
    loop {
        let level = &mut levels[depth];
        for var in level.bound.iter_mut().filter_map(Option::take) {
            binding.nodes[var] = None;
        }
        let Some(&candidate) = level.candidates.get(level.next) else {
            if depth == 0 {
                return Ok(());
            }
            depth -= 1;
            continue;
        };
        level.next += 1;
        meter.tick()?;
        let step = &steps[depth];
        if !bind(step, candidate, &mut binding, &mut level.bound, plan, graph) {
            continue;
        }
        binding.edges[step.pattern] = Some(candidate.edge);
        if depth + 1 == steps.len() {
            emit(&binding, meter)?;
        } else {
            depth += 1;
            fill(&mut levels[depth], &steps[depth], &binding, graph, meter)?;
        }
    }
}

/// The edges `step` may take under `binding`: from a known end along its
/// edges, or over the edges of a kind when neither end is known.
fn fill(
    level: &mut Level,
    step: &Step,
    binding: &Binding,
    graph: &Graph,
    meter: &mut Meter,
) -> Result<(), Exceeded> {
    level.candidates.clear();
    level.next = 0;
    for alternative in &step.alternatives {
        let (from, to) = if alternative.reverse {
            (&step.object, &step.subject)
        } else {
            (&step.subject, &step.object)
        };
        let reverse = alternative.reverse;
        let kind_ok = |k: u16| alternative.kind.is_none_or(|want| want == k);
        let candidates = &mut level.candidates;
        let mut push = |edge, source, target| {
            candidates.push(Candidate {
                edge,
                source,
                target,
                reverse,
            })
        };
        match (known(from, binding), known(to, binding)) {
            (Some(sources), _) => {
                for &source in sources.nodes() {
                    for (edge, target, data) in graph.edges_at(source, Direction::Outgoing) {
                        if kind_ok(data.kind) {
                            push(edge, source, target);
                        }
                    }
                }
            }
            (None, Some(targets)) => {
                for &target in targets.nodes() {
                    for (edge, source, data) in graph.edges_at(target, Direction::Incoming) {
                        if kind_ok(data.kind) {
                            push(edge, source, target);
                        }
                    }
                }
            }
            (None, None) => {
                let mut walk = |edge: EdgeIndex| {
                    if let Some((source, target)) = graph.graph.edge_endpoints(edge) {
                        push(edge, source, target);
                    }
                };
                match alternative.kind {
                    Some(k) => graph.by_kind[k as usize].iter().for_each(|&e| walk(e)),
                    None => graph.graph.edge_indices().for_each(walk),
                }
            }
        }
    }
    let capacity = level.candidates.capacity();
    if capacity > level.charged {
        meter.charge((capacity - level.charged) * std::mem::size_of::<Candidate>())?;
        level.charged = capacity;
    }
    Ok(())
}

/// Binds the ends of `candidate` in `binding` when they fit (a name's
/// nodes, a variable's types, a variable bound before); the variables it
/// bound are noted in `bound` (also on failure, to be undone).
fn bind(
    step: &Step,
    candidate: Candidate,
    binding: &mut Binding,
    bound: &mut [Option<usize>; 2],
    plan: &SelectPlan,
    graph: &Graph,
) -> bool {
    let (from, to) = if candidate.reverse {
        (&step.object, &step.subject)
    } else {
        (&step.subject, &step.object)
    };
    for (at, (end, node)) in [(from, candidate.source), (to, candidate.target)]
        .into_iter()
        .enumerate()
    {
        match end {
            End::Nodes(nodes) => {
                if !nodes.contains(&node) {
                    return false;
                }
            }
            End::Var(v) => match binding.nodes[*v] {
                Some(held) if held != node => return false,
                Some(_) => {}
                None => {
                    let types = &plan.vars[*v].types;
                    if !types.is_empty() && !types.contains(&graph.graph[node].kind) {
                        return false;
                    }
                    binding.nodes[*v] = Some(node);
                    bound[at] = Some(*v);
                }
            },
        }
    }
    true
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

/// What the executor holds per row beyond its cells and edges: the group
/// key, the map entry, the vectors' headers, the key the sort makes of
/// it.
const ROW_BYTES: usize = 160;
/// What each cell of a row costs beyond its text: the cell, its part of
/// the group key, the string it is printed as, its sort key.
const CELL_BYTES: usize = std::mem::size_of::<Cell>() + std::mem::size_of::<Held>() + 24 + 32;
/// What each evidence edge of a row costs: its place in the list and in
/// the set that keeps it unique.
const EDGE_BYTES: usize = 4 + 16;

/// A counted column of a group.
enum Counter {
    /// Not a count.
    Not,
    /// `count(?x)`: the bindings with `?x` bound.
    All(u64),
    /// `count(distinct ?x)`: the values of `?x`.
    Distinct(FxHashSet<Held>),
}

/// One row in the making: its cells (counts filled in at the end), its
/// counters, its evidence edges in order of first appearance.
struct Group {
    cells: Vec<Cell>,
    counters: Vec<Counter>,
    edges: Vec<EdgeIndex>,
    seen: FxHashSet<EdgeIndex>,
    /// Bytes counted against the budget for it.
    bytes: usize,
}

impl Group {
    fn add_edges(&mut self, b: &Binding, meter: &mut Meter) -> Result<(), Exceeded> {
        for edge in b.edges.iter().flatten() {
            if self.seen.insert(*edge) {
                self.edges.push(*edge);
                self.bytes += EDGE_BYTES;
                meter.charge(EDGE_BYTES)?;
            }
        }
        Ok(())
    }

    fn into_row(self) -> Row {
        let cells = self
            .cells
            .into_iter()
            .zip(self.counters)
            .map(|(cell, counter)| match counter {
                Counter::Not => cell,
                Counter::All(n) => Cell::Number(n),
                Counter::Distinct(values) => Cell::Number(values.len() as u64),
            })
            .collect();
        Row {
            cells,
            edges: self.edges,
        }
    }
}

/// A sort key in its direction.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Directed {
    Ascending(Key),
    Descending(std::cmp::Reverse<Key>),
}

/// Where the rows gather.
enum Rows {
    /// Every distinct row (or group, for aggregates) in order of first
    /// appearance, by its key.
    All {
        index: FxHashMap<Vec<Held>, usize>,
        groups: Vec<Group>,
    },
    /// With a `limit` and no aggregate, only the first `limit` rows in the
    /// answer's order: a binding that would come after them all is
    /// dropped at once, and a row pushed out is forgotten, since it can
    /// never come back (its cells, so its place, are fixed).
    First {
        limit: usize,
        rows: std::collections::BTreeMap<Vec<Directed>, Group>,
    },
}

/// Projects each binding as it comes: deduplicates, groups and counts for
/// aggregates, keeps the first rows for a `limit`; counting the bytes it
/// holds. Its answer is the one projecting every binding at once would
/// give.
struct Collector<'a> {
    projector: Projector<'a>,
    /// The variables of the returned variable columns.
    keys: Vec<usize>,
    aggregate: bool,
    rows: Rows,
}

/// A binding's cells and sort keys.
struct Projector<'a> {
    plan: &'a SelectPlan,
    graph: &'a Graph,
    keyer: Keyer<'a>,
}

impl<'a> Collector<'a> {
    fn new(plan: &'a SelectPlan, graph: &'a Graph) -> Collector<'a> {
        let aggregate = plan
            .columns
            .iter()
            .any(|(c, _)| matches!(c, Column::Count { .. }));
        let keys = plan
            .columns
            .iter()
            .filter_map(|(c, _)| match c {
                Column::Var(v) => Some(*v),
                Column::Count { .. } => None,
            })
            .collect();
        let rows = match plan.limit {
            Some(limit) if !aggregate => Rows::First {
                limit: limit.min(usize::MAX as u64) as usize,
                rows: Default::default(),
            },
            _ => Rows::All {
                index: FxHashMap::default(),
                groups: Vec::new(),
            },
        };
        Collector {
            projector: Projector {
                plan,
                graph,
                keyer: Keyer::new(graph),
            },
            keys,
            aggregate,
            rows,
        }
    }

    /// Takes one complete binding (the filter passed).
    fn add(&mut self, b: &Binding, meter: &mut Meter) -> Result<(), Exceeded> {
        let projector = &mut self.projector;
        match &mut self.rows {
            Rows::First { limit, rows } => {
                if *limit == 0 {
                    return Ok(());
                }
                if rows.len() >= *limit
                    && let Some((last, _)) = rows.last_key_value()
                    && projector.compare_with(b, last) == std::cmp::Ordering::Greater
                {
                    return Ok(());
                }
                let key = projector.sort_key(b);
                let key_bytes = key.len() * std::mem::size_of::<Directed>();
                let group = match rows.entry(key) {
                    Entry::Occupied(kept) => kept.into_mut(),
                    Entry::Vacant(new) => {
                        let mut group = projector.group(b, meter)?;
                        group.bytes += key_bytes;
                        meter.charge(key_bytes)?;
                        new.insert(group)
                    }
                };
                group.add_edges(b, meter)?;
                if rows.len() > *limit
                    && let Some((_, dropped)) = rows.pop_last()
                {
                    meter.refund(dropped.bytes);
                }
                Ok(())
            }
            Rows::All { index, groups } => {
                let key: Vec<Held> = self.keys.iter().map(|&v| projector.value(b, v)).collect();
                let at = match index.get(&key) {
                    Some(&at) => at,
                    None => {
                        groups.push(projector.group(b, meter)?);
                        meter.charge(key.len() * std::mem::size_of::<Held>())?;
                        index.insert(key, groups.len() - 1);
                        groups.len() - 1
                    }
                };
                let group = &mut groups[at];
                if self.aggregate {
                    for (column, (item, _)) in projector.plan.columns.iter().enumerate() {
                        let Column::Count { var, .. } = item else {
                            continue;
                        };
                        let value = projector.value(b, *var);
                        if value == Held::Node(None) {
                            continue;
                        }
                        match &mut group.counters[column] {
                            Counter::All(n) => *n += 1,
                            Counter::Distinct(values) => {
                                if values.insert(value) {
                                    group.bytes += 2 * std::mem::size_of::<Held>();
                                    meter.charge(2 * std::mem::size_of::<Held>())?;
                                }
                            }
                            Counter::Not => {}
                        }
                    }
                }
                group.add_edges(b, meter)
            }
        }
    }

    /// The answer: rows in order, limited.
    fn finish(self, meter: &mut Meter) -> Result<Answer, Exceeded> {
        let plan = self.projector.plan;
        let columns: Vec<String> = plan.columns.iter().map(|(_, h)| h.clone()).collect();
        let mut rows: Vec<Row> = match self.rows {
            // Only aggregates and nothing matched: one row of zeros, as
            // counting nothing gives 0.
            Rows::All { groups, .. }
                if self.keys.is_empty() && self.aggregate && groups.is_empty() =>
            {
                vec![Row {
                    cells: vec![Cell::Number(0); plan.columns.len()],
                    edges: Vec::new(),
                }]
            }
            Rows::All { groups, .. } => groups.into_iter().map(Group::into_row).collect(),
            Rows::First { rows, .. } => rows.into_values().map(Group::into_row).collect(),
        };
        meter.check_time()?;
        let limit = plan.limit.map(|l| l.min(usize::MAX as u64) as usize);
        sort_rows_limited(&mut rows, &plan.order, self.projector.graph, limit);
        Ok(Answer {
            columns,
            rows,
            notes: Vec::new(),
            warnings: Vec::new(),
        })
    }
}

impl Projector<'_> {
    /// What a variable holds in a binding, as a grouping key. A relation
    /// variable groups by its kind, so its rows are distinct as printed.
    fn value(&self, b: &Binding, v: usize) -> Held {
        match edge_of(&self.plan.vars, b, v) {
            Some(edge) => Held::Kind(self.graph.graph[edge].kind),
            None => Held::Node(b.nodes[v]),
        }
    }

    /// A new group for `b`: its cells, empty counters, and its bytes
    /// charged.
    fn group(&self, b: &Binding, meter: &mut Meter) -> Result<Group, Exceeded> {
        let mut text = 0;
        let cells: Vec<Cell> = self
            .plan
            .columns
            .iter()
            .map(|(column, _)| match column {
                Column::Var(v) if self.plan.vars[*v].relation.is_some() => {
                    Cell::Text(name_of(self.graph, &self.plan.vars, b, *v))
                }
                Column::Var(v) => b.nodes[*v].map_or(Cell::Text(String::new()), Cell::Node),
                Column::Count { .. } => Cell::Number(0),
            })
            .inspect(|cell| {
                text += match cell {
                    Cell::Node(n) => self.graph.graph[*n].name.len(),
                    Cell::Text(t) => t.len(),
                    Cell::Number(_) => 20,
                }
            })
            .collect();
        let counters = self
            .plan
            .columns
            .iter()
            .map(|(column, _)| match column {
                Column::Var(_) => Counter::Not,
                Column::Count {
                    distinct: false, ..
                } => Counter::All(0),
                Column::Count { distinct: true, .. } => Counter::Distinct(FxHashSet::default()),
            })
            .collect();
        let bytes = ROW_BYTES + cells.len() * CELL_BYTES + text;
        meter.charge(bytes)?;
        Ok(Group {
            cells,
            counters,
            edges: Vec::new(),
            seen: FxHashSet::default(),
            bytes,
        })
    }

    /// The sort key of a returned variable column of `b` (the key its cell
    /// would get from [`sort_rows`]).
    fn cell_key(&mut self, b: &Binding, column: usize) -> Key {
        let Column::Var(v) = self.plan.columns[column].0 else {
            return Key::Number(0);
        };
        match edge_of(&self.plan.vars, b, v) {
            Some(edge) => self.keyer.kind(self.graph.graph[edge].kind),
            None => match b.nodes[v] {
                Some(node) => self.keyer.node(node),
                None => Key::Text("".into(), 0),
            },
        }
    }

    /// The full sort key of `b`'s row: the `order by` keys in their
    /// direction, then every cell.
    fn sort_key(&mut self, b: &Binding) -> Vec<Directed> {
        let order = &self.plan.order;
        let mut key = Vec::with_capacity(order.len() + self.plan.columns.len());
        for &(column, descending) in order {
            let cell = self.cell_key(b, column);
            key.push(if descending {
                Directed::Descending(std::cmp::Reverse(cell))
            } else {
                Directed::Ascending(cell)
            });
        }
        for column in 0..self.plan.columns.len() {
            key.push(Directed::Ascending(self.cell_key(b, column)));
        }
        key
    }

    /// `b`'s row against a kept row's key, a cell at a time, so that most
    /// bindings are dropped on their first cell without a key made.
    fn compare_with(&mut self, b: &Binding, kept: &[Directed]) -> std::cmp::Ordering {
        let plan = self.plan;
        let columns = plan
            .order
            .iter()
            .map(|&(c, _)| c)
            .chain(0..plan.columns.len());
        for (column, held) in columns.zip(kept) {
            let cell = self.cell_key(b, column);
            let ordering = match held {
                Directed::Ascending(k) => cell.cmp(k),
                Directed::Descending(std::cmp::Reverse(k)) => k.cmp(&cell),
            };
            if ordering.is_ne() {
                return ordering;
            }
        }
        std::cmp::Ordering::Equal
    }
}

/// A cell as it sorts: a number, or a folded text and a node id (0 for a
/// text that is no node).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Number(u64),
    Text(std::rc::Rc<str>, usize),
}

/// Makes sort keys, folding a node's name or a relation kind once however
/// many rows show it.
struct Keyer<'a> {
    graph: &'a Graph,
    nodes: FxHashMap<NodeIndex, std::rc::Rc<str>>,
    kinds: FxHashMap<u16, std::rc::Rc<str>>,
}

impl<'a> Keyer<'a> {
    fn new(graph: &'a Graph) -> Keyer<'a> {
        Keyer {
            graph,
            nodes: FxHashMap::default(),
            kinds: FxHashMap::default(),
        }
    }

    fn node(&mut self, node: NodeIndex) -> Key {
        let graph = self.graph;
        let folded = self
            .nodes
            .entry(node)
            .or_insert_with(|| key(&graph.graph[node].name, Case::Fold).into());
        Key::Text(folded.clone(), node.index())
    }

    fn kind(&mut self, kind: u16) -> Key {
        let graph = self.graph;
        let folded = self
            .kinds
            .entry(kind)
            .or_insert_with(|| key(&graph.kinds[kind as usize], Case::Fold).into());
        Key::Text(folded.clone(), 0)
    }

    fn cell(&mut self, cell: &Cell) -> Key {
        match cell {
            Cell::Number(n) => Key::Number(*n),
            Cell::Node(n) => self.node(*n),
            Cell::Text(t) => Key::Text(key(t, Case::Fold).into(), 0),
        }
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
    let mut keyer = Keyer::new(graph);
    let mut keyed: Vec<(Vec<Key>, Row)> = std::mem::take(rows)
        .into_iter()
        .map(|row| (row.cells.iter().map(|c| keyer.cell(c)).collect(), row))
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
                warnings: Vec::new(),
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
        warnings: Vec::new(),
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
        warnings: Vec::new(),
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
        warnings: Vec::new(),
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
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{ask_within, parse, plan};
    use crate::store::{Catalog, DocumentId, EntityId, NamedEntity, StoreError, Totals};
    use std::time::Duration;

    /// Names resolved over the graph's own nodes.
    struct Names<'a>(&'a Graph);

    impl Catalog for Names<'_> {
        fn entities_named(&self, name: &str) -> Result<Vec<NamedEntity>, StoreError> {
            Ok(self
                .0
                .graph
                .node_weights()
                .filter(|n| n.name == name)
                .filter_map(|n| {
                    Some(NamedEntity {
                        id: n.id,
                        kind: n.kind.entity_type()?,
                        name: n.name.clone(),
                    })
                })
                .collect())
        }
        fn similar_names(&self, _: &str, _: usize) -> Result<Vec<String>, StoreError> {
            Ok(Vec::new())
        }
        fn documents_matching(&self, _: &str) -> Result<Vec<(DocumentId, String)>, StoreError> {
            Ok(Vec::new())
        }
        fn relation_kinds(&self) -> Result<Vec<String>, StoreError> {
            Ok(self.0.kinds.clone())
        }
        fn entity_totals(&self) -> Result<Vec<(EntityId, Totals)>, StoreError> {
            Ok(Vec::new())
        }
        fn each_entity_holding(
            &self,
            _: &str,
            _: &mut dyn FnMut(EntityId, &str, &str),
        ) -> Result<(), StoreError> {
            Ok(())
        }
    }

    /// `people` people who each signed one of `letters` letters (person i
    /// the letter i mod letters), and lead one another in a ring; the
    /// first of them is named `Person 00`.
    fn letters(people: usize, letters: usize) -> Graph {
        let mut nodes: Vec<(NodeType, String)> = (0..people)
            .map(|i| (NodeType::Person, format!("Person {i:02}")))
            .collect();
        nodes.extend((0..letters).map(|i| (NodeType::Document, format!("letter-{i}.txt"))));
        let mut edges: Vec<(usize, &str, usize)> = Vec::new();
        for i in 0..people {
            edges.push((i, "signed", people + i % letters));
            edges.push((i, "leads", (i * 7 + 3) % people));
        }
        let nodes: Vec<(NodeType, &str)> = nodes.iter().map(|(k, n)| (*k, n.as_str())).collect();
        Graph::of(&nodes, &edges)
    }

    fn within(max_memory: u64, timeout: Duration) -> Budget {
        Budget {
            max_memory,
            timeout,
        }
    }

    fn ask(graph: &Graph, query: &str, budget: &Budget) -> Result<Answer, QueryError> {
        ask_within(query, graph, &Names(graph), budget)
    }

    fn rows(answer: &Answer) -> Vec<(Vec<Cell>, Vec<EdgeIndex>)> {
        answer
            .rows
            .iter()
            .map(|r| (r.cells.clone(), r.edges.clone()))
            .collect()
    }

    #[test]
    fn a_limit_gives_the_first_rows_of_the_whole_answer() {
        let graph = letters(12, 4);
        let roomy = Budget::default();
        let queries = [
            "?a signed ?b, ?c signed ?b",
            "?a signed ?b, ?c leads ?d",
            "?a signed ?b, ?c leads ?d order by ?d desc",
            "?a leads ?b, ?b leads ?c return ?c, ?a order by ?a desc",
            "?a ?r ?b, ?c signed ?b return ?r, ?c",
            "?a signed ?b, ?c signed ?b where ?a != ?c return ?b",
            "?a * ?b, ?c * ?d, ?e signed ?f return ?f, ?a",
        ];
        for query in queries {
            let whole = rows(&ask(&graph, query, &roomy).unwrap());
            assert!(whole.len() > 3, "{query}: {} rows", whole.len());
            for limit in [0, 1, 3, 7, whole.len() + 5] {
                let limited = ask(&graph, &format!("{query} limit {limit}"), &roomy).unwrap();
                let expected = &whole[..limit.min(whole.len())];
                assert_eq!(rows(&limited), expected, "{query} limit {limit}");
            }
        }
    }

    #[test]
    fn a_limit_holds_its_rows_only() {
        // 40 × 80 × 80 = 256,000 combinations, a few hundred bytes each if
        // held: far past 256 KiB; the first ten rows fit.
        let graph = letters(40, 40);
        let small = within(256 << 10, Duration::from_secs(60));
        let query = "?a signed ?b, ?c * ?d, ?e * ?f";
        let error = ask(&graph, query, &small).unwrap_err();
        assert!(
            error.message.starts_with(
                "the query went past its memory budget of 256 KiB (--max-memory): patterns 1, 2 and 3 share no variable"
            ),
            "{error}"
        );
        assert_eq!(
            error.span,
            14..21,
            "the second pattern, which joins no other"
        );
        let answer = ask(&graph, &format!("{query} limit 10"), &small).unwrap();
        assert_eq!(answer.rows.len(), 10);
        assert_eq!(answer.warnings.len(), 1);
        // A count holds one row, however many combinations it counts.
        let counted = ask(&graph, &format!("{query} return count(?a)"), &small).unwrap();
        assert_eq!(counted.rows[0].cells, vec![Cell::Number(40 * 80 * 80)]);
    }

    #[test]
    fn a_long_join_stops_at_its_time() {
        let graph = letters(40, 40);
        let hurried = within(u64::MAX, Duration::ZERO);
        let error = ask(&graph, "?a * ?b, ?b * ?c, ?c * ?d, ?d * ?e", &hurried).unwrap_err();
        assert_eq!(
            error.message,
            "the query went past its time budget of 0 s (--timeout); name an entity or add a pattern to narrow it"
        );
        assert_eq!(error.span, 0..34, "every pattern");
    }

    #[test]
    fn patterns_that_share_no_variable_are_a_product() {
        let graph = letters(6, 2);
        /// A query, its groups of patterns, the start of its warning.
        type Case<'a> = (&'a str, &'a [&'a [usize]], Option<&'a str>);
        let cases: [Case; 5] = [
            ("?a signed ?b, ?a leads ?c", &[&[0, 1]], None),
            (
                "?a signed ?b, ?c leads ?d",
                &[&[0], &[1]],
                Some(
                    "pattern 1 shares no variable with pattern 2, so every answer of one is paired with every answer of the other; join them by a variable or name an entity",
                ),
            ),
            (
                "\"Person 00\" signed ?b, \"Person 00\" leads ?c",
                &[&[0], &[1]],
                Some("pattern 1 shares no variable with pattern 2"),
            ),
            (
                "?a signed ?b, ?c leads ?d, ?b ^signed ?c",
                &[&[0, 1, 2]],
                None,
            ),
            (
                "?a signed ?b, ?c leads ?d, ?d leads ?e, ?f * ?g",
                &[&[0], &[1, 2], &[3]],
                Some(
                    "the groups of patterns 1; 2 and 3; 4 share no variable, so every answer of each is paired with every answer of the others",
                ),
            ),
        ];
        for (query, groups, warning) in cases {
            let planned = plan::plan(&parse(query).unwrap(), &graph, &Names(&graph)).unwrap();
            let plan::Plan::Select(select) = planned else {
                panic!("{query} is no pattern query");
            };
            let groups: Vec<Vec<usize>> = groups.iter().map(|g| g.to_vec()).collect();
            assert_eq!(select.groups, groups, "{query}");
            let said = select.cartesian_warning();
            match warning {
                Some(start) => assert!(
                    said.as_deref().is_some_and(|w| w.starts_with(start)),
                    "{query}: {said:?}"
                ),
                None => assert_eq!(said, None, "{query}"),
            }
        }
    }
}
