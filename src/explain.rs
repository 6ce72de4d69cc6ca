//! The answers to "which entity is that", "where is it mentioned" and "why
//! is that relation there": typed rows, computed from the store the same
//! way for every front end (the command line renders them as tables,
//! JSON or CSV; a web page would render the same rows).

use crate::graph::Graph;
use crate::model::EntityType;
use crate::query::Answer;
use crate::store::{
    DocumentId, EntityFilter, EntityId, EntityRow, EvidenceRecord, MentionRow, NamedEntity, Reader,
    RelationObject, StoreError, line_at,
};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Why a question could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The question names nothing stored, or asks it wrongly; the message
    /// says what to do instead.
    #[error("{0}")]
    Refused(String),
}

/// The entities `name` designates (canonical name or alias), or the error
/// that lists the closest names.
pub fn named_entities(store: &dyn Reader, name: &str) -> Result<Vec<NamedEntity>, ExplainError> {
    let named = store.entities_named(name)?;
    if named.is_empty() {
        return Err(ExplainError::Refused(unknown_name(
            store,
            name,
            "no entity",
        )?));
    }
    Ok(named)
}

/// "`what` is named `name`", with the close names as suggestions.
fn unknown_name(store: &dyn Reader, name: &str, what: &str) -> Result<String, StoreError> {
    let similar = store.similar_names(name, 5)?;
    Ok(format!(
        "{what} is named `{name}`{}",
        crate::spelling::did_you_mean(&similar)
    ))
}

/// The one stored document `what` designates (path, part of a path, or
/// id).
pub fn one_document(store: &dyn Reader, what: &str) -> Result<DocumentId, ExplainError> {
    let found = store.documents_matching(what)?;
    match found.as_slice() {
        [] => Err(ExplainError::Refused(format!(
            "no stored document matches `{what}`; `dossier documents` lists them"
        ))),
        [(id, _)] => Ok(*id),
        several => {
            let paths: Vec<&str> = several.iter().map(|(_, p)| p.as_str()).collect();
            Err(ExplainError::Refused(format!(
                "`{what}` matches {} documents: {}",
                several.len(),
                paths.join(", ")
            )))
        }
    }
}

/// The entities with their mention counts, most mentioned first: of one
/// type, in one document (as [`one_document`] finds it), at most `limit`.
pub fn entities(
    store: &dyn Reader,
    kind: Option<EntityType>,
    document: Option<&str>,
    limit: Option<usize>,
) -> Result<Vec<EntityRow>, ExplainError> {
    let document = document.map(|d| one_document(store, d)).transpose()?;
    Ok(store.entities(&EntityFilter {
        kind,
        document,
        limit,
    })?)
}

/// Every mention of the entities a name designates.
pub struct Mentions {
    /// The entities the name designates (several when they share it).
    pub named: Vec<NamedEntity>,
    /// Their mentions, in document and text order.
    pub rows: Vec<MentionRow>,
    /// The documents left out because their stored text is damaged.
    pub damaged: Vec<String>,
}

/// Every mention of what `name` designates.
pub fn mentions(store: &dyn Reader, name: &str) -> Result<Mentions, ExplainError> {
    let named = named_entities(store, name)?;
    let ids: Vec<EntityId> = named.iter().map(|n| n.id).collect();
    let (rows, damaged) = store.mentions_of(&ids)?;
    Ok(Mentions {
        named,
        rows,
        damaged,
    })
}

/// One piece of evidence, ready to show: where, what, and the sentence.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EvidenceRow {
    /// The document's path.
    pub document: String,
    /// 1-based line of the sentence's start.
    pub line: usize,
    /// Byte offset of the sentence's start in the document's text.
    pub start: usize,
    /// Byte offset just past the sentence.
    pub end: usize,
    /// The subject's canonical name.
    pub subject: String,
    /// The relation kind.
    pub relation: String,
    /// The object's canonical name, or the document's path.
    pub object: String,
    /// The sentence on one line, subject and object in brackets.
    pub sentence: String,
    /// The rule that found it.
    pub rule: String,
    /// How sure the rule is, 0 to 1.
    pub confidence: f64,
    /// The date the text gives (ISO 8601), if any.
    pub date: Option<String>,
    /// Where the text gives the date: `sentence`, `paragraph`, `dateline`,
    /// `letter` or `document`.
    pub date_source: Option<String>,
    /// Since when the relation held, as this evidence says (ISO 8601).
    pub from: Option<String>,
    /// Until when it held, as this evidence says (ISO 8601).
    pub until: Option<String>,
    /// Whether this evidence calls the relation a role no longer held.
    pub former: bool,
}

/// The answer of `why`: the evidence, or, when there is none, what was
/// looked for.
#[derive(Debug, Clone)]
pub struct Why {
    /// Every piece of evidence, by kind, document and place.
    pub rows: Vec<EvidenceRow>,
    /// Why there are no rows, said for people (`None` when there are).
    pub nothing: Option<String>,
}

/// The evidence that `subject` stands in `relation` to `object`.
/// `subject` is an entity's name or `*` for anyone; `relation` a kind,
/// kinds joined by `|`, or `*` for any; `object` an entity's name, a
/// document, or `*` for anything (not both ends `*`). A kind in `known`
/// (the rules' kinds) that no relation has yet is no error: it finds
/// nothing.
pub fn why(
    store: &dyn Reader,
    subject: &str,
    relation: &str,
    object: &str,
    known: &[String],
) -> Result<Why, ExplainError> {
    let refuse = |message: String| Err(ExplainError::Refused(message));
    if subject == "*" && object == "*" {
        return refuse(
            "`why` needs a subject or an object: name one of them instead of `*`".into(),
        );
    }
    let subjects: Vec<Option<NamedEntity>> = if subject == "*" {
        vec![None]
    } else {
        named_entities(store, subject)?
            .into_iter()
            .map(Some)
            .collect()
    };
    let kinds: Vec<String> = if relation == "*" {
        Vec::new()
    } else {
        relation.split('|').map(|k| k.trim().to_string()).collect()
    };
    let stored = store.relation_kinds()?;
    let mut unstored = false;
    for kind in &kinds {
        if let Some(inverse) = kind.strip_prefix('^') {
            return refuse(format!(
                "`why` reads SUBJECT RELATION OBJECT, with no `^`: swap the two names (`dossier why OBJECT {inverse} SUBJECT`), or ask `dossier query '?who {inverse} NAME' --evidence`"
            ));
        }
        if stored.contains(kind) {
            continue;
        }
        if known.contains(kind) || crate::eval::SCHEMA_KINDS.contains(&kind.as_str()) {
            unstored = true;
            continue;
        }
        let mut all: Vec<&str> = stored.iter().chain(known).map(String::as_str).collect();
        all.sort_unstable();
        all.dedup();
        let closest = crate::spelling::closest_kind(kind, all.iter().copied())
            .map(|k| format!(" (did you mean `{k}`?)"))
            .unwrap_or_default();
        return refuse(format!(
            "no relation kind is called `{kind}`{closest}; the kinds are: {}",
            all.join(", ")
        ));
    }
    let objects: Vec<Option<RelationObject>> = if object == "*" {
        vec![None]
    } else {
        match store.entities_named(object)? {
            named if !named.is_empty() => named
                .iter()
                .map(|n| Some(RelationObject::Entity(n.id)))
                .collect(),
            _ => {
                let documents = store.documents_matching(object)?;
                if documents.is_empty() {
                    return refuse(unknown_name(store, object, "no entity or document")?);
                }
                documents
                    .iter()
                    .map(|(id, _)| Some(RelationObject::Document(*id)))
                    .collect()
            }
        }
    };
    let mut evidence = Vec::new();
    for named in &subjects {
        for object in &objects {
            let id = named.as_ref().map(|n| n.id);
            evidence.extend(store.evidence_of(id, &kinds, *object)?);
        }
    }
    if evidence.is_empty() {
        // A name several entities share was asked about all of them.
        let which = if subjects.len() > 1 {
            let list: Vec<String> = subjects
                .iter()
                .flatten()
                .map(|n| format!("{} `{}`", n.kind, n.name))
                .collect();
            format!(" (it names {})", list.join(" and "))
        } else {
            String::new()
        };
        let yet = if unstored {
            " (no document has given that kind of relation yet)"
        } else {
            ""
        };
        return Ok(Why {
            rows: Vec::new(),
            nothing: Some(format!(
                "no evidence that `{subject}`{which} {relation} `{object}`{yet}"
            )),
        });
    }
    let mut reader = EvidenceReader::new(store)?;
    let rows = evidence
        .iter()
        .map(|e| reader.row(e))
        .collect::<Result<_, _>>()?;
    Ok(Why {
        rows,
        nothing: None,
    })
}

/// Per row of a query's answer, every piece of evidence of every relation
/// it matched, in the order of the row's relations.
pub fn answer_evidence(
    store: &dyn Reader,
    graph: &Graph,
    answer: &Answer,
) -> Result<Vec<Vec<EvidenceRow>>, ExplainError> {
    let mut reader = EvidenceReader::new(store)?;
    let mut out = Vec::with_capacity(answer.rows.len());
    for row in &answer.rows {
        let mut pieces = Vec::new();
        for edge in &row.edges {
            for e in store.evidence_of_relation(graph.graph[*edge].relation)? {
                pieces.push(reader.row(&e)?);
            }
        }
        out.push(pieces);
    }
    Ok(out)
}

/// Reads evidence into rows, each document's text and each entity's name
/// once.
struct EvidenceReader<'a> {
    store: &'a dyn Reader,
    paths: HashMap<DocumentId, String>,
    texts: HashMap<DocumentId, String>,
    names: HashMap<EntityId, String>,
}

impl<'a> EvidenceReader<'a> {
    fn new(store: &'a dyn Reader) -> Result<EvidenceReader<'a>, StoreError> {
        Ok(EvidenceReader {
            store,
            paths: store.document_paths()?,
            texts: HashMap::new(),
            names: HashMap::new(),
        })
    }

    fn path(&self, document: DocumentId) -> String {
        self.paths.get(&document).cloned().unwrap_or_default()
    }

    fn text(&mut self, document: DocumentId) -> Result<&str, StoreError> {
        if let Entry::Vacant(slot) = self.texts.entry(document) {
            slot.insert(self.store.document_text(document)?.unwrap_or_default());
        }
        Ok(&self.texts[&document])
    }

    fn name(&mut self, id: EntityId) -> Result<String, StoreError> {
        if let Some(name) = self.names.get(&id) {
            return Ok(name.clone());
        }
        let (_, name, _) = self.store.entity_names(id)?;
        self.names.insert(id, name.clone());
        Ok(name)
    }

    fn row(&mut self, e: &EvidenceRecord) -> Result<EvidenceRow, ExplainError> {
        let object = match (e.object_entity, e.object_document) {
            (Some(id), _) => self.name(id)?,
            (None, Some(d)) => self.path(d),
            _ => String::new(),
        };
        let subject = self.name(e.subject)?;
        let document = self.path(e.document);
        let text = self.text(e.document)?;
        Ok(EvidenceRow {
            document,
            line: line_at(text, e.sentence.start),
            start: e.sentence.start,
            end: e.sentence.end,
            sentence: marked_sentence(text, e),
            subject,
            relation: e.kind.clone(),
            object,
            rule: e.rule.clone(),
            confidence: e.confidence,
            date: e.date.clone(),
            date_source: e.date_source.clone(),
            from: e.valid_from.clone(),
            until: e.valid_until.clone(),
            former: e.former,
        })
    }
}

/// The evidence's sentence on one line, the subject and object marked with
/// brackets.
pub fn marked_sentence(text: &str, e: &EvidenceRecord) -> String {
    let Some(sentence) = text.get(e.sentence.clone()) else {
        return String::new();
    };
    let mut marks: Vec<(usize, &str)> = Vec::new();
    for span in std::iter::once(&e.subject_span).chain(e.object_span.as_ref()) {
        if span.start >= e.sentence.start && span.end <= e.sentence.end && span.start < span.end {
            marks.push((span.start - e.sentence.start, "["));
            marks.push((span.end - e.sentence.start, "]"));
        }
    }
    marks.sort_by_key(|&(at, mark)| (at, mark == "["));
    let mut marked = String::with_capacity(sentence.len() + 4);
    let mut last = 0;
    for (at, mark) in marks {
        if let Some(piece) = sentence.get(last..at) {
            marked.push_str(piece);
            last = at;
        }
        marked.push_str(mark);
    }
    marked.push_str(sentence.get(last..).unwrap_or_default());
    marked.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(
        sentence: std::ops::Range<usize>,
        subject: std::ops::Range<usize>,
    ) -> EvidenceRecord {
        EvidenceRecord {
            relation: 1,
            kind: "signed".into(),
            subject: 1,
            object_entity: None,
            object_document: Some(1),
            document: 1,
            sentence,
            subject_span: subject,
            object_span: None,
            rule: "r".into(),
            confidence: 1.0,
            date: None,
            date_source: None,
            valid_from: None,
            valid_until: None,
            former: false,
        }
    }

    #[test]
    fn the_sentence_is_one_line_with_its_names_in_brackets() {
        let text = "Intro. Mara Quill\n  signed   it.";
        let e = evidence(7..text.len(), 7..17);
        assert_eq!(marked_sentence(text, &e), "[Mara Quill] signed it.");
    }

    #[test]
    fn a_span_outside_the_sentence_is_not_marked() {
        let text = "Mara Quill signed. Later text.";
        let e = evidence(19..text.len(), 0..10);
        assert_eq!(marked_sentence(text, &e), "Later text.");
    }
}
