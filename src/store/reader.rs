//! The seam between the store and what reads it. The query planner, the
//! graph loader, the explanations and the exports take a `&dyn Reader`,
//! not the SQLite [`Store`]: a second backend implements [`Catalog`] and
//! [`GraphReader`] in a module of its own under `store/`, and nothing
//! above it changes.
//!
//! Passes over whole tables hand each row to a callback. A callback that
//! may fail answers [`ControlFlow::Break`] to stop the pass; [`halting`]
//! turns that into the caller's own error.

use super::packed::Posting;
use super::{
    DocumentId, DocumentRow, DocumentSummary, EntityFilter, EntityId, EntityRow, EvidenceRecord,
    EvidenceSpan, FirstEvidence, MentionRow, NamedEntity, RelationObject, RelationRow, SameAs,
    Store, StoreError, Totals,
};
use crate::model::EntityType;
use std::collections::HashMap;
use std::ops::ControlFlow;

/// What people call things: names, aliases, documents, relation kinds,
/// and the close names to offer for a name that designates nothing.
pub trait Catalog {
    /// The entities whose canonical name or alias is `name` (folded), each
    /// entity of a `same-as` group given as its group's node (once).
    fn entities_named(&self, name: &str) -> Result<Vec<NamedEntity>, StoreError>;
    /// Up to `limit` canonical names close to `name`, most likely first.
    fn similar_names(&self, name: &str, limit: usize) -> Result<Vec<String>, StoreError>;
    /// The documents `what` designates: an id, a path, or part of one.
    fn documents_matching(&self, what: &str) -> Result<Vec<(DocumentId, String)>, StoreError>;
    /// The relation kinds stored, sorted.
    fn relation_kinds(&self) -> Result<Vec<String>, StoreError>;
    /// Every mentioned entity's mention counts.
    fn entity_totals(&self) -> Result<Vec<(EntityId, Totals)>, StoreError>;
    /// Every entity whose folded name or alias holds `folded` (all of them
    /// when it is empty): id, type and canonical name.
    fn each_entity_holding(
        &self,
        folded: &str,
        each: &mut dyn FnMut(EntityId, &str, &str),
    ) -> Result<(), StoreError>;
}

/// The graph and its evidence: whole-table passes, and the lookups that
/// quote a relation's sentence.
pub trait GraphReader {
    /// Every document's id and path, in no order.
    fn each_document_path(
        &self,
        each: &mut dyn FnMut(DocumentId, String),
    ) -> Result<(), StoreError>;
    /// Every relation, in no order.
    fn each_relation(&self, each: &mut dyn FnMut(RelationRow<'_>)) -> Result<(), StoreError>;
    /// Every relation, by subject, kind and object.
    fn each_relation_in_order(
        &self,
        each: &mut dyn FnMut(RelationRow<'_>) -> ControlFlow<()>,
    ) -> Result<(), StoreError>;
    /// Every relation's number of pieces of evidence.
    fn each_evidence_count(&self, each: &mut dyn FnMut(i64, u32)) -> Result<(), StoreError>;
    /// Which entities are one node of the graph (`same-as` groups).
    fn same_as(&self) -> Result<SameAs, StoreError>;
    /// How many relations and pieces of evidence are stored.
    fn relation_and_evidence_counts(&self) -> Result<(u64, u64), StoreError>;
    /// Every entity's id, type and canonical name, in no order.
    fn each_entity_name(
        &self,
        each: &mut dyn FnMut(EntityId, &str, &str),
    ) -> Result<(), StoreError>;
    /// Every document `wanted` accepts, with its counts, by path.
    fn each_document_summary(
        &self,
        wanted: &dyn Fn(DocumentId) -> bool,
        each: &mut dyn FnMut(DocumentSummary) -> ControlFlow<()>,
    ) -> Result<(), StoreError>;
    /// The id of every entity that is the subject or object of a relation.
    fn each_related_entity(&self, each: &mut dyn FnMut(EntityId)) -> Result<(), StoreError>;
    /// Every piece of evidence of the relations `wanted` accepts, grouped
    /// by document (the rest of a row is read only when it is wanted).
    fn each_evidence_span(
        &self,
        wanted: &dyn Fn(i64) -> bool,
        each: &mut dyn FnMut(EvidenceSpan) -> ControlFlow<()>,
    ) -> Result<(), StoreError>;
    /// The first piece of evidence of every relation `wanted` accepts, by
    /// document.
    fn each_first_evidence(
        &self,
        wanted: &dyn Fn(i64) -> bool,
        each: &mut dyn FnMut(FirstEvidence) -> ControlFlow<()>,
    ) -> Result<(), StoreError>;
    /// Every posting: who is mentioned in which document, how often.
    fn each_posting(&self, each: &mut dyn FnMut(&Posting)) -> Result<(), StoreError>;
    /// Every document's path, by id.
    fn document_paths(&self) -> Result<HashMap<DocumentId, String>, StoreError>;
    /// A document's text.
    fn document_text(&self, id: DocumentId) -> Result<Option<String>, StoreError>;
    /// The settled mentions counted for a document.
    fn document_mention_count(&self, id: DocumentId) -> Result<Option<i64>, StoreError>;
    /// A document's title.
    fn document_title(&self, id: DocumentId) -> Result<Option<String>, StoreError>;
    /// The relations with evidence in a document.
    fn relations_with_evidence_in(&self, id: DocumentId) -> Result<Vec<i64>, StoreError>;
    /// An entity's type, canonical name and attributes (a JSON object).
    fn entity_record(&self, id: EntityId) -> Result<(String, String, String), StoreError>;
    /// An entity's type, canonical name and every name.
    fn entity_names(&self, id: EntityId) -> Result<(EntityType, String, Vec<String>), StoreError>;
    /// An entity's aliases, sorted; for a group's node, every other name
    /// of its group too.
    fn sorted_aliases(&self, id: EntityId) -> Result<Vec<String>, StoreError>;
    /// Whether some alias (or a `same-as` member's name, which its node
    /// lists among its aliases) holds `text`.
    fn aliases_hold(&self, text: &str) -> Result<bool, StoreError>;
    /// The evidence of the relations of `subject` (any when `None`) of
    /// `kinds` (all when empty) to `object` (any when `None`); at least
    /// one end given, each entity standing for its whole `same-as` group.
    fn evidence_of(
        &self,
        subject: Option<EntityId>,
        kinds: &[String],
        object: Option<RelationObject>,
    ) -> Result<Vec<EvidenceRecord>, StoreError>;
    /// Every piece of evidence of a relation.
    fn evidence_of_relation(&self, relation: i64) -> Result<Vec<EvidenceRecord>, StoreError>;
    /// Every mention of `entities` and of the other members of their
    /// `same-as` groups; and the paths of the documents left out because
    /// their stored text is damaged.
    fn mentions_of(
        &self,
        entities: &[EntityId],
    ) -> Result<(Vec<MentionRow>, Vec<String>), StoreError>;
    /// Entities with their mention counts, most mentioned first.
    fn entities(&self, filter: &EntityFilter) -> Result<Vec<EntityRow>, StoreError>;
    /// The stored documents with their counts, by path.
    fn documents(&self) -> Result<Vec<DocumentRow>, StoreError>;
}

/// Both halves: what the front ends and exports are given.
pub trait Reader: Catalog + GraphReader {}

impl<T: Catalog + GraphReader> Reader for T {}

/// Runs a `pass` whose callback `each` may fail with the caller's error:
/// the pass stops at the first failure, which is returned.
pub fn halting<R, E: From<StoreError>>(
    pass: impl FnOnce(&mut dyn FnMut(R) -> ControlFlow<()>) -> Result<(), StoreError>,
    mut each: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let mut failure = None;
    pass(&mut |row| match each(row) {
        Ok(()) => ControlFlow::Continue(()),
        Err(e) => {
            failure = Some(e);
            ControlFlow::Break(())
        }
    })?;
    failure.map_or(Ok(()), Err)
}

impl Catalog for Store {
    fn entities_named(&self, name: &str) -> Result<Vec<NamedEntity>, StoreError> {
        Store::entities_named(self, name)
    }
    fn similar_names(&self, name: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        Store::similar_names(self, name, limit)
    }
    fn documents_matching(&self, what: &str) -> Result<Vec<(DocumentId, String)>, StoreError> {
        Store::documents_matching(self, what)
    }
    fn relation_kinds(&self) -> Result<Vec<String>, StoreError> {
        Store::relation_kinds(self)
    }
    fn entity_totals(&self) -> Result<Vec<(EntityId, Totals)>, StoreError> {
        Store::entity_totals(self)
    }
    fn each_entity_holding(
        &self,
        folded: &str,
        each: &mut dyn FnMut(EntityId, &str, &str),
    ) -> Result<(), StoreError> {
        Store::each_entity_holding(self, folded, each)
    }
}

impl GraphReader for Store {
    fn each_document_path(
        &self,
        each: &mut dyn FnMut(DocumentId, String),
    ) -> Result<(), StoreError> {
        Store::each_document_path(self, each)
    }
    fn each_relation(&self, each: &mut dyn FnMut(RelationRow<'_>)) -> Result<(), StoreError> {
        Store::each_relation(self, each)
    }
    fn each_relation_in_order(
        &self,
        each: &mut dyn FnMut(RelationRow<'_>) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        Store::each_relation_in_order(self, each)
    }
    fn each_evidence_count(&self, each: &mut dyn FnMut(i64, u32)) -> Result<(), StoreError> {
        Store::each_evidence_count(self, each)
    }
    fn same_as(&self) -> Result<SameAs, StoreError> {
        Store::same_as(self)
    }
    fn relation_and_evidence_counts(&self) -> Result<(u64, u64), StoreError> {
        Store::relation_and_evidence_counts(self)
    }
    fn each_entity_name(
        &self,
        each: &mut dyn FnMut(EntityId, &str, &str),
    ) -> Result<(), StoreError> {
        Store::each_entity_name(self, each)
    }
    fn each_document_summary(
        &self,
        wanted: &dyn Fn(DocumentId) -> bool,
        each: &mut dyn FnMut(DocumentSummary) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        Store::each_document_summary(self, wanted, each)
    }
    fn each_related_entity(&self, each: &mut dyn FnMut(EntityId)) -> Result<(), StoreError> {
        Store::each_related_entity(self, each)
    }
    fn each_evidence_span(
        &self,
        wanted: &dyn Fn(i64) -> bool,
        each: &mut dyn FnMut(EvidenceSpan) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        Store::each_evidence_span(self, wanted, each)
    }
    fn each_first_evidence(
        &self,
        wanted: &dyn Fn(i64) -> bool,
        each: &mut dyn FnMut(FirstEvidence) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        Store::each_first_evidence(self, wanted, each)
    }
    fn each_posting(&self, each: &mut dyn FnMut(&Posting)) -> Result<(), StoreError> {
        Store::each_posting(self, each)
    }
    fn document_paths(&self) -> Result<HashMap<DocumentId, String>, StoreError> {
        Store::document_paths(self)
    }
    fn document_text(&self, id: DocumentId) -> Result<Option<String>, StoreError> {
        Store::document_text(self, id)
    }
    fn document_mention_count(&self, id: DocumentId) -> Result<Option<i64>, StoreError> {
        Store::document_mention_count(self, id)
    }
    fn document_title(&self, id: DocumentId) -> Result<Option<String>, StoreError> {
        Store::document_title(self, id)
    }
    fn relations_with_evidence_in(&self, id: DocumentId) -> Result<Vec<i64>, StoreError> {
        Store::relations_with_evidence_in(self, id)
    }
    fn entity_record(&self, id: EntityId) -> Result<(String, String, String), StoreError> {
        Store::entity_record(self, id)
    }
    fn entity_names(&self, id: EntityId) -> Result<(EntityType, String, Vec<String>), StoreError> {
        Store::entity_names(self, id)
    }
    fn sorted_aliases(&self, id: EntityId) -> Result<Vec<String>, StoreError> {
        Store::sorted_aliases(self, id)
    }
    fn aliases_hold(&self, text: &str) -> Result<bool, StoreError> {
        Store::aliases_hold(self, text)
    }
    fn evidence_of(
        &self,
        subject: Option<EntityId>,
        kinds: &[String],
        object: Option<RelationObject>,
    ) -> Result<Vec<EvidenceRecord>, StoreError> {
        Store::evidence_of(self, subject, kinds, object)
    }
    fn evidence_of_relation(&self, relation: i64) -> Result<Vec<EvidenceRecord>, StoreError> {
        Store::evidence_of_relation(self, relation)
    }
    fn mentions_of(
        &self,
        entities: &[EntityId],
    ) -> Result<(Vec<MentionRow>, Vec<String>), StoreError> {
        Store::mentions_of(self, entities)
    }
    fn entities(&self, filter: &EntityFilter) -> Result<Vec<EntityRow>, StoreError> {
        Store::entities(self, filter)
    }
    fn documents(&self) -> Result<Vec<DocumentRow>, StoreError> {
        Store::documents(self)
    }
}
