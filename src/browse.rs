//! What the pages of `dossier serve` show, as typed rows read from the
//! store and the loaded graph: an entity with its facts and mentions, a
//! document with its names marked, the names that start with what a
//! visitor types, and a bounded neighbourhood to draw.
//!
//! Every page is bounded whatever the graph holds: an entity that
//! thousands of documents name shows its strongest facts and its first
//! mentions, and says how many more there are.

use crate::explain::ExplainError;
use crate::graph::Graph;
use crate::model::{EntityType, NodeType};
use crate::normalize::{Case, key};
use crate::store::{
    DocumentId, DocumentRow, EntityId, EvidenceRecord, MentionSample, Store, line_at,
};
use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashMap;

/// Facts of one relation kind and direction shown at most, strongest first.
pub const FACTS_PER_GROUP: usize = 25;
/// Quotes shown at most per fact.
pub const QUOTES_PER_FACT: usize = 3;
/// Documents whose mentions an entity page shows at most.
pub const MENTION_DOCUMENTS: usize = 20;

/// A node to link to: an entity or a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Entity or document (`document`, `person`, …).
    pub kind: NodeType,
    /// Database id.
    pub id: i64,
    /// Canonical name, or the document's path.
    pub label: String,
}

/// Which words of a quote a piece is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Text between the names.
    Plain,
    /// The words naming the subject.
    Subject,
    /// The words naming the object.
    Object,
    /// Words a search asked for.
    Found,
}

/// A sentence cut where the names begin and end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The words, with runs of white space made one space.
    pub text: String,
    /// What they are.
    pub mark: Mark,
}

/// One piece of evidence as a page quotes it.
#[derive(Clone, Debug)]
pub struct Quote {
    /// The document it is in.
    pub document: Link,
    /// 1-based line of the sentence's start.
    pub line: usize,
    /// The sentence, names marked.
    pub pieces: Vec<Piece>,
    /// The evidence as stored: rule, confidence, date, period.
    pub evidence: EvidenceRecord,
}

/// One relation of an entity: the node at its other end and its quotes.
#[derive(Clone, Debug)]
pub struct Fact {
    /// The other end.
    pub other: Link,
    /// Pieces of evidence in all.
    pub weight: u32,
    /// The first of them, at most [`QUOTES_PER_FACT`].
    pub quotes: Vec<Quote>,
}

/// The facts of one kind in one direction.
#[derive(Clone, Debug)]
pub struct FactGroup {
    /// The relation kind.
    pub kind: String,
    /// Whether the entity is the subject (`signed` …) rather than the
    /// object (… `recognised` it).
    pub outgoing: bool,
    /// The strongest facts, at most [`FACTS_PER_GROUP`].
    pub facts: Vec<Fact>,
    /// Facts of the group left out.
    pub more: usize,
}

/// Everything an entity's page shows.
#[derive(Clone, Debug)]
pub struct EntityPage {
    /// The entity.
    pub entity: Link,
    /// Its type.
    pub entity_type: EntityType,
    /// Its aliases, sorted.
    pub aliases: Vec<String>,
    /// Its attributes (from the gazetteer), by name.
    pub attributes: Vec<(String, String)>,
    /// Its facts by kind, its own first.
    pub groups: Vec<FactGroup>,
    /// Its mentions in the first [`MENTION_DOCUMENTS`] documents, and how
    /// many documents mention it in all.
    pub mentions: MentionSample,
}

/// One mention as a document page marks it.
#[derive(Clone, Debug)]
pub struct MarkedMention {
    /// Byte offsets in the text.
    pub start: usize,
    /// Just past the end.
    pub end: usize,
    /// The entities it may be: one when settled, several when ambiguous.
    pub entities: Vec<Link>,
    /// Whether it is one of several candidates, unresolved.
    pub ambiguous: bool,
}

/// Everything a document's page shows.
#[derive(Clone, Debug)]
pub struct DocumentPage {
    /// Path, title, size, encoding and counts.
    pub row: DocumentRow,
    /// The stored text.
    pub text: String,
    /// Its mentions in text order, overlapping ones dropped.
    pub mentions: Vec<MarkedMention>,
    /// The relations stated in it, in text order.
    pub facts: Vec<(Link, String, Link, Quote)>,
}

/// The folded names of every entity, for finding the names that start
/// with what someone types: each word of a name is a place to start
/// ("put" finds "Vladimir Putin").
pub struct NameIndex {
    /// Every folded name, one after the other.
    arena: String,
    /// (start of a word in `arena`, end of its name, entity), sorted by the
    /// text from the word to the name's end.
    starts: Vec<(u32, u32, EntityId)>,
    /// Where each name begins, to tell a name's first word.
    name_starts: FxHashSet<u32>,
}

/// A name found by [`NameIndex::find`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameHit {
    /// The entity.
    pub entity: EntityId,
    /// Whether the typed text is the whole name.
    pub whole: bool,
    /// Whether the name starts with it (not a later word).
    pub first_word: bool,
}

impl NameIndex {
    /// The index of every name and alias `store` holds.
    pub fn build(store: &Store) -> Result<NameIndex, ExplainError> {
        let mut names: Vec<(String, EntityId)> = Vec::new();
        store.each_folded_name(&mut |id, folded| names.push((folded.to_string(), id)))?;
        Ok(NameIndex::of(names))
    }

    /// The index of `names` (folded, with their entities).
    pub fn of(names: impl IntoIterator<Item = (String, EntityId)>) -> NameIndex {
        let mut arena = String::new();
        let mut starts = Vec::new();
        let mut name_starts = FxHashSet::default();
        for (name, id) in names {
            if name.is_empty() || arena.len() + name.len() + 1 > u32::MAX as usize {
                continue;
            }
            let begin = arena.len() as u32;
            arena.push_str(&name);
            let end = arena.len() as u32;
            arena.push('\n');
            name_starts.insert(begin);
            starts.push((begin, end, id));
            for (i, _) in name.match_indices(' ') {
                starts.push((begin + i as u32 + 1, end, id));
            }
        }
        starts.sort_unstable_by(|a, b| {
            arena[a.0 as usize..a.1 as usize].cmp(&arena[b.0 as usize..b.1 as usize])
        });
        NameIndex {
            arena,
            starts,
            name_starts,
        }
    }

    /// The entities with a name one of whose words starts with `typed`
    /// (folded as matching folds), whole names first, then names that
    /// start with it; at most `limit`, each once.
    pub fn find(&self, typed: &str, limit: usize) -> Vec<NameHit> {
        let wanted = key(typed, Case::Fold);
        if wanted.is_empty() || limit == 0 {
            return Vec::new();
        }
        let text = |&(s, e, _): &(u32, u32, EntityId)| &self.arena[s as usize..e as usize];
        let first = self
            .starts
            .partition_point(|entry| text(entry) < wanted.as_str());
        let mut hits: Vec<NameHit> = Vec::new();
        let mut seen: FxHashMap<EntityId, usize> = FxHashMap::default();
        // Enough candidates to rank: whole names and first words may come
        // after other words in the sorted order.
        for entry in self.starts[first..]
            .iter()
            .take_while(|entry| text(entry).starts_with(wanted.as_str()))
            .take(limit * 50)
        {
            let hit = NameHit {
                entity: entry.2,
                whole: text(entry).len() == wanted.len() && self.name_starts.contains(&entry.0),
                first_word: self.name_starts.contains(&entry.0),
            };
            match seen.get(&hit.entity) {
                Some(&at) => {
                    let old = &mut hits[at];
                    old.whole |= hit.whole;
                    old.first_word |= hit.first_word;
                }
                None => {
                    seen.insert(hit.entity, hits.len());
                    hits.push(hit);
                }
            }
        }
        hits.sort_by_key(|h| (!h.whole, !h.first_word));
        hits.truncate(limit);
        hits
    }

    /// Names held (aliases included).
    pub fn len(&self) -> usize {
        self.name_starts.len()
    }

    /// Whether no name is held.
    pub fn is_empty(&self) -> bool {
        self.name_starts.is_empty()
    }
}

/// An edge from the entity: the edge, the node at its other end, its
/// pieces of evidence.
type Hop = (EdgeIndex, NodeIndex, u32);

/// The page of entity `id`, or `None` when there is no such entity.
pub fn entity(
    store: &Store,
    graph: &Graph,
    id: EntityId,
) -> Result<Option<EntityPage>, ExplainError> {
    let Ok((entity_type, name, _)) = store.entity_names(id) else {
        return Ok(None);
    };
    let (_, _, attributes) = store.entity_record(id)?;
    let attributes: Vec<(String, String)> =
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&attributes)
            .map(|map| {
                map.into_iter()
                    .map(|(k, v)| match v {
                        serde_json::Value::String(s) => (k, s),
                        other => (k, other.to_string()),
                    })
                    .collect()
            })
            .unwrap_or_default();
    let mut quotes = QuoteReader::new(store);
    let mut groups = Vec::new();
    if let Some(node) = graph.entity(id) {
        for direction in [Direction::Outgoing, Direction::Incoming] {
            let mut by_kind: FxHashMap<u16, Vec<Hop>> = FxHashMap::default();
            for (edge, other, weight) in graph.edges_at(node, direction) {
                by_kind
                    .entry(weight.kind)
                    .or_default()
                    .push((edge, other, weight.weight));
            }
            let mut by_kind: Vec<(u16, Vec<Hop>)> = by_kind.into_iter().collect();
            by_kind.sort_by(|a, b| graph.kinds[a.0 as usize].cmp(&graph.kinds[b.0 as usize]));
            for (kind, edges) in by_kind {
                // Relations to members of one same-as group end at one node.
                let mut at: FxHashMap<NodeIndex, usize> = FxHashMap::default();
                let mut to: Vec<(NodeIndex, u32, Vec<EdgeIndex>)> = Vec::new();
                for (edge, other, weight) in edges {
                    match at.get(&other) {
                        Some(&i) => {
                            to[i].1 += weight;
                            to[i].2.push(edge);
                        }
                        None => {
                            at.insert(other, to.len());
                            to.push((other, weight, vec![edge]));
                        }
                    }
                }
                to.sort_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then_with(|| graph.graph[a.0].name.cmp(&graph.graph[b.0].name))
                });
                let more = to.len().saturating_sub(FACTS_PER_GROUP);
                let mut facts = Vec::new();
                for (other, weight, edges) in to.into_iter().take(FACTS_PER_GROUP) {
                    let mut shown = Vec::new();
                    for edge in edges {
                        let relation = graph.graph[edge].relation;
                        for e in store.evidence_of_relation(relation)? {
                            if shown.len() == QUOTES_PER_FACT {
                                break;
                            }
                            shown.push(quotes.quote(&e)?);
                        }
                    }
                    facts.push(Fact {
                        other: link(graph, other),
                        weight,
                        quotes: shown,
                    });
                }
                groups.push(FactGroup {
                    kind: graph.kinds[kind as usize].clone(),
                    outgoing: direction == Direction::Outgoing,
                    facts,
                    more,
                });
            }
        }
    }
    let sample = store.mentions_of_in(&[id], MENTION_DOCUMENTS)?;
    Ok(Some(EntityPage {
        entity: Link {
            kind: NodeType::from(entity_type),
            id,
            label: name,
        },
        entity_type,
        aliases: store.sorted_aliases(id)?,
        attributes,
        groups,
        mentions: sample,
    }))
}

/// The page of document `id`, or `None` when there is no such document.
pub fn document(store: &Store, id: DocumentId) -> Result<Option<DocumentPage>, ExplainError> {
    let Some(row) = store.document(id)? else {
        return Ok(None);
    };
    let text = store.document_text(id)?.unwrap_or_default();
    let mut names: HashMap<EntityId, Link> = HashMap::new();
    let mut mentions: Vec<MarkedMention> = Vec::new();
    for m in store.document_mentions(id)? {
        let (start, end) = (m.start as usize, m.end as usize);
        if end > text.len()
            || start >= end
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        let entity = match names.get(&m.entity) {
            Some(link) => link.clone(),
            None => {
                let (kind, name, _) = store.entity_names(m.entity)?;
                let link = Link {
                    kind: NodeType::from(kind),
                    id: m.entity,
                    label: name,
                };
                names.insert(m.entity, link.clone());
                link
            }
        };
        // The candidates of one ambiguous mention share its span.
        match mentions.last_mut() {
            Some(last) if last.start == start && last.end == end => {
                last.entities.push(entity);
            }
            Some(last) if start < last.end => {}
            _ => mentions.push(MarkedMention {
                start,
                end,
                entities: vec![entity],
                ambiguous: !m.settled(),
            }),
        }
    }
    let mut quotes = QuoteReader::new(store);
    let mut facts = Vec::new();
    for e in store.evidence_in(id)? {
        let quote = quotes.quote(&e)?;
        let subject = quotes.entity(e.subject)?;
        let object = match (e.object_entity, e.object_document) {
            (Some(o), _) => quotes.entity(o)?,
            (None, Some(d)) => quotes.document(d)?,
            _ => continue,
        };
        facts.push((subject, e.kind.clone(), object, quote));
    }
    Ok(Some(DocumentPage {
        row,
        text,
        mentions,
        facts,
    }))
}

/// The nodes and edges within `depth` relations of entity `id`, keeping
/// the `max_edges` strongest edges (most evidence) reached first; `None`
/// when the entity has no relation.
pub fn neighbourhood(
    graph: &Graph,
    id: EntityId,
    depth: u32,
    max_edges: usize,
) -> Option<Vec<EdgeIndex>> {
    let centre = graph.entity(id)?;
    let mut reached: FxHashSet<NodeIndex> = FxHashSet::default();
    reached.insert(centre);
    let mut frontier = vec![centre];
    let mut kept: Vec<EdgeIndex> = Vec::new();
    let mut taken: FxHashSet<EdgeIndex> = FxHashSet::default();
    for _ in 0..depth.max(1) {
        let mut candidates: Vec<(u32, EdgeIndex, NodeIndex)> = Vec::new();
        for &node in &frontier {
            for direction in [Direction::Outgoing, Direction::Incoming] {
                for (edge, other, weight) in graph.edges_at(node, direction) {
                    if !taken.contains(&edge) {
                        candidates.push((weight.weight, edge, other));
                    }
                }
            }
        }
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut next = Vec::new();
        for (_, edge, other) in candidates {
            if kept.len() >= max_edges {
                break;
            }
            if taken.insert(edge) {
                kept.push(edge);
                if reached.insert(other) {
                    next.push(other);
                }
            }
        }
        frontier = next;
    }
    if kept.is_empty() { None } else { Some(kept) }
}

/// The link to `node`.
pub fn link(graph: &Graph, node: NodeIndex) -> Link {
    let n = &graph.graph[node];
    Link {
        kind: n.kind,
        id: n.id,
        label: n.name.clone(),
    }
}

/// Characters of context a search snippet shows on each side of the first
/// word found.
pub const SNIPPET_CONTEXT: usize = 90;

/// The passage of `text` around the first of `words` it holds (folded as
/// matching folds), every one of them marked [`Mark::Found`]; the text's
/// start when it holds none.
pub fn snippet(text: &str, words: &str) -> Vec<Piece> {
    let wanted: FxHashSet<String> = key(words, Case::Fold)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut found: Vec<std::ops::Range<usize>> = Vec::new();
    crate::normalize::tokenize(text, Case::Fold, |range, token| {
        if wanted.contains(token) {
            found.push(range);
        }
    });
    let centre = found.first().map_or(0, |r| r.start);
    let mut start = centre.saturating_sub(SNIPPET_CONTEXT);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (centre + 2 * SNIPPET_CONTEXT).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    // Whole words only at both ends.
    if start > 0 {
        start += text[start..centre]
            .find(char::is_whitespace)
            .map_or(0, |i| i + 1);
    }
    if end < text.len()
        && let Some(i) = text[centre..end].rfind(char::is_whitespace)
    {
        end = centre + i;
    }
    let mut out = Vec::new();
    let mut at = start;
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for r in found
        .into_iter()
        .filter(|r| r.start >= start && r.end <= end)
    {
        if r.start < at {
            continue;
        }
        let before = &text[at..r.start];
        let spaced = |s: &str, lead: bool| {
            if lead && s.starts_with(char::is_whitespace) {
                " "
            } else {
                ""
            }
        };
        out.push(Piece {
            text: format!(
                "{}{}{}",
                spaced(before, at > start),
                flat(before),
                if before.ends_with(char::is_whitespace) && !flat(before).is_empty() {
                    " "
                } else {
                    ""
                }
            ),
            mark: Mark::Plain,
        });
        out.push(Piece {
            text: text[r.clone()].to_string(),
            mark: Mark::Found,
        });
        at = r.end;
    }
    let rest = &text[at..end];
    out.push(Piece {
        text: format!(
            "{}{}",
            if rest.starts_with(char::is_whitespace) {
                " "
            } else {
                ""
            },
            flat(rest)
        ),
        mark: Mark::Plain,
    });
    out.retain(|p| !p.text.is_empty());
    out
}

/// `sentence` of `text` cut into pieces at the subject's and the object's
/// words.
pub fn pieces(text: &str, e: &EvidenceRecord) -> Vec<Piece> {
    let Some(sentence) = text.get(e.sentence.clone()) else {
        return Vec::new();
    };
    let base = e.sentence.start;
    let mut spans: Vec<(usize, usize, Mark)> = std::iter::once((&e.subject_span, Mark::Subject))
        .chain(e.object_span.as_ref().map(|s| (s, Mark::Object)))
        .filter(|(s, _)| s.start >= e.sentence.start && s.end <= e.sentence.end && s.start < s.end)
        .map(|(s, mark)| (s.start - base, s.end - base, mark))
        .collect();
    spans.sort_by_key(|s| s.0);
    let mut out = Vec::new();
    let mut at = 0;
    let mut push = |text: &str, mark: Mark| {
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let lead = text.starts_with(char::is_whitespace) && !words.is_empty();
        let trail = text.ends_with(char::is_whitespace) && !words.is_empty();
        let text = format!(
            "{}{words}{}",
            if lead { " " } else { "" },
            if trail { " " } else { "" }
        );
        if !text.is_empty() {
            out.push(Piece { text, mark });
        }
    };
    for (start, end, mark) in spans {
        if start < at {
            continue;
        }
        let (Some(before), Some(named)) = (sentence.get(at..start), sentence.get(start..end))
        else {
            continue;
        };
        push(before, Mark::Plain);
        push(named, mark);
        at = end;
    }
    push(sentence.get(at..).unwrap_or_default(), Mark::Plain);
    if let Some(first) = out.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = out.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    out
}

/// Reads quotes, each document's text and each name once.
struct QuoteReader<'a> {
    store: &'a Store,
    texts: HashMap<DocumentId, String>,
    documents: HashMap<DocumentId, Link>,
    entities: HashMap<EntityId, Link>,
}

impl<'a> QuoteReader<'a> {
    fn new(store: &'a Store) -> QuoteReader<'a> {
        QuoteReader {
            store,
            texts: HashMap::new(),
            documents: HashMap::new(),
            entities: HashMap::new(),
        }
    }

    fn entity(&mut self, id: EntityId) -> Result<Link, ExplainError> {
        if let Some(link) = self.entities.get(&id) {
            return Ok(link.clone());
        }
        let (kind, name, _) = self.store.entity_names(id)?;
        let link = Link {
            kind: NodeType::from(kind),
            id,
            label: name,
        };
        self.entities.insert(id, link.clone());
        Ok(link)
    }

    fn document(&mut self, id: DocumentId) -> Result<Link, ExplainError> {
        if let Some(link) = self.documents.get(&id) {
            return Ok(link.clone());
        }
        let link = Link {
            kind: NodeType::Document,
            id,
            label: self.store.document_path(id)?.unwrap_or_default(),
        };
        self.documents.insert(id, link.clone());
        Ok(link)
    }

    fn quote(&mut self, e: &EvidenceRecord) -> Result<Quote, ExplainError> {
        let document = self.document(e.document)?;
        if !self.texts.contains_key(&e.document) {
            // A damaged stored text quotes nothing; the rest of the page
            // stands.
            let text = match self.store.document_text(e.document) {
                Ok(text) => text.unwrap_or_default(),
                Err(crate::store::StoreError::DamagedText { .. }) => String::new(),
                Err(error) => return Err(error.into()),
            };
            self.texts.insert(e.document, text);
        }
        let text = &self.texts[&e.document];
        Ok(Quote {
            document,
            line: line_at(text, e.sentence.start),
            pieces: pieces(text, e),
            evidence: e.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(names: &[(&str, EntityId)]) -> NameIndex {
        NameIndex::of(names.iter().map(|(n, id)| (key(n, Case::Fold), *id)))
    }

    #[test]
    fn names_are_found_from_any_word_whole_names_first() {
        let idx = index(&[
            ("Vera Putnam", 1),
            ("Putney Hall", 2),
            ("Put", 3),
            ("Anna Lind", 4),
        ]);
        let found: Vec<EntityId> = idx.find("put", 10).iter().map(|h| h.entity).collect();
        assert_eq!(found[0], 3, "the whole name first");
        assert_eq!(found[1], 2, "then a name that starts with it");
        assert_eq!(found[2], 1, "then a later word");
        assert_eq!(found.len(), 3);
        assert!(idx.find("lind", 10).iter().any(|h| h.entity == 4));
        assert!(idx.find("zzz", 10).is_empty());
        assert!(idx.find("   ", 10).is_empty());
    }

    #[test]
    fn typed_text_is_folded_as_matching_folds() {
        let idx = index(&[("Zoë Müller", 7)]);
        assert_eq!(idx.find("MULL", 5).first().map(|h| h.entity), Some(7));
        assert_eq!(idx.find("zoe m", 5).first().map(|h| h.entity), Some(7));
    }

    #[test]
    fn an_entity_is_listed_once_and_the_limit_holds() {
        let names: Vec<(String, EntityId)> = (0..200)
            .map(|i| (key(&format!("Lake Number {i}"), Case::Fold), i % 50))
            .collect();
        let idx = NameIndex::of(names);
        let hits = idx.find("lake", 10);
        assert_eq!(hits.len(), 10);
        let distinct: FxHashSet<EntityId> = hits.iter().map(|h| h.entity).collect();
        assert_eq!(distinct.len(), 10);
    }

    fn record(
        sentence: std::ops::Range<usize>,
        subject: std::ops::Range<usize>,
        object: Option<std::ops::Range<usize>>,
    ) -> EvidenceRecord {
        EvidenceRecord {
            relation: 1,
            kind: "condemned".into(),
            subject: 1,
            object_entity: Some(2),
            object_document: None,
            document: 1,
            sentence,
            subject_span: subject,
            object_span: object,
            rule: "r".into(),
            confidence: 0.9,
            date: None,
            date_source: None,
            valid_from: None,
            valid_until: None,
            former: false,
        }
    }

    #[test]
    fn a_snippet_marks_the_words_asked_for_around_the_first() {
        let text = format!("{}The Harbour  board met.\nBoard again.", "x ".repeat(200));
        let got = snippet(&text, "harbour BOARD");
        let marked: Vec<&str> = got
            .iter()
            .filter(|p| p.mark == Mark::Found)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, ["Harbour", "board", "Board"]);
        let whole: String = got.iter().map(|p| p.text.as_str()).collect();
        assert!(
            whole.contains("The Harbour board met. Board again."),
            "{whole}"
        );
        assert!(
            whole.starts_with("x x"),
            "whole words at the start: {whole}"
        );
        assert!(
            whole.len() < 2 * SNIPPET_CONTEXT + 40,
            "a passage, not the text"
        );
        let none = snippet("Plain words only.", "absent");
        assert_eq!(none.len(), 1);
        assert_eq!(none[0].text, "Plain words only.");
    }

    #[test]
    fn a_quote_is_cut_at_both_names() {
        let text = "Intro.  Ola Brandt\n condemned   the Harbour Board today.";
        let e = record(8..text.len(), 8..18, Some(36..49));
        let got: Vec<(String, Mark)> = pieces(text, &e)
            .into_iter()
            .map(|p| (p.text, p.mark))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Ola Brandt".to_string(), Mark::Subject),
                (" condemned the ".to_string(), Mark::Plain),
                ("Harbour Board".to_string(), Mark::Object),
                (" today.".to_string(), Mark::Plain),
            ]
        );
    }

    #[test]
    fn spans_outside_the_sentence_leave_it_plain() {
        let text = "Ola Brandt spoke. Later words.";
        let e = record(18..text.len(), 0..10, None);
        let got = pieces(text, &e);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].text, "Later words.");
        assert_eq!(got[0].mark, Mark::Plain);
    }
}
