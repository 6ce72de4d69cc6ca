//! Which stored documents a change of the gazetteers touches: the ones
//! that name an added or changed entry, or mention an entity whose line
//! changed or went. `reindex --changed` re-matches only those, and
//! `gazetteer add` / `import` say which documents their new names are in.
//!
//! Finding them does not match the documents again: the changed entries
//! alone are compiled into a matcher of their own, which reads the stored
//! texts on every core and writes nothing.
//!
//! A change of `same-as` alone (`gazetteer merge`) touches no stored
//! document: [`apply_same_as`] brings the stored groups in line and keeps
//! the documents current.

use crate::gazetteer::{Entry, Gazetteer, same_as};
use crate::ingest::Scope;
use crate::lexicon::Lexicon;
use crate::matcher::{Matcher, Scratch};
use crate::store::{DocumentId, EntityId, Store, StoreError};
use rustc_hash::FxHashSet;

/// Bytes of stored text read before scanning them.
const CHUNK_BYTES: usize = 32 << 20;

/// The documents of `only` (every stored one when `None`) whose text
/// names one of `entries`, with their paths, in id order.
pub fn documents_naming(
    store: &Store,
    entries: Vec<Entry>,
    only: Option<&FxHashSet<DocumentId>>,
    workers: usize,
) -> Result<Vec<(DocumentId, String)>, StoreError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let matcher = Matcher::build(&Gazetteer::from_entries(entries));
    let documents: Vec<(DocumentId, String)> = store
        .document_ids()?
        .into_iter()
        .filter(|(id, _)| only.is_none_or(|set| set.contains(id)))
        .collect();
    let mut found = Vec::new();
    store.texts_in_chunks(&documents, CHUNK_BYTES, |chunk| {
        crate::parallel::ordered_map(
            chunk,
            workers,
            |(id, path, text)| {
                let mut matches = Vec::new();
                matcher.find(&text, &mut Scratch::default(), &mut matches);
                (id, path, !matches.is_empty())
            },
            |(id, path, names)| {
                if names {
                    found.push((id, path));
                }
                std::ops::ControlFlow::<()>::Continue(())
            },
        );
        std::ops::ControlFlow::Continue(())
    })?;
    Ok(found)
}

/// What a `reindex --changed` does, and why.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Stale documents to match again.
    pub rematch: Vec<DocumentId>,
    /// Stale documents nothing of which changed: marked current unread.
    pub current: Vec<DocumentId>,
    /// Of `rematch`, those read with other relation rules or metonymy.
    pub rules_changed: usize,
    /// Entries added or changed since the documents were matched.
    pub changed_entries: usize,
    /// Entities the gazetteers no longer name.
    pub removed_entities: usize,
    /// Documents already matched with the current gazetteers.
    pub up_to_date: usize,
}

impl Plan {
    /// The reindex scope of the plan.
    pub fn scope(&self) -> Scope {
        Scope::Changed {
            rematch: self.rematch.clone(),
            current: self.current.clone(),
        }
    }
}

/// Plans a `reindex --changed`: of the stale documents (matched with
/// other gazetteers than `lexicon`, whose entities have the database
/// ids `ids`), those read with other rules, those mentioning a changed or
/// removed entity, and those whose text names an added or changed entry
/// are matched again; the others only marked current.
pub fn plan(
    store: &Store,
    lexicon: &Lexicon,
    ids: &[EntityId],
    workers: usize,
) -> Result<Plan, StoreError> {
    let gazetteer = &lexicon.gazetteer;
    let stale =
        store.stale_documents_by_rules(lexicon.fingerprint(), lexicon.rules_fingerprint())?;
    let mut plan = Plan {
        up_to_date: store.document_ids()?.len() - stale.len(),
        ..Plan::default()
    };
    if stale.is_empty() {
        return Ok(plan);
    }
    let changed: FxHashSet<EntityId> = store.changed_entities()?.into_iter().collect();
    let removed = store.entities_not_in(ids)?;
    plan.changed_entries = ids.iter().filter(|id| changed.contains(id)).count();
    plan.removed_entities = removed.len();
    let touched: FxHashSet<EntityId> = changed.iter().chain(&removed).copied().collect();
    let mut mentioning: FxHashSet<DocumentId> = FxHashSet::default();
    if !touched.is_empty() {
        store.each_posting(|p| {
            if touched.contains(&p.entity) {
                mentioning.insert(p.document);
            }
        })?;
    }
    let mut rematch: FxHashSet<DocumentId> = FxHashSet::default();
    let mut unsure: FxHashSet<DocumentId> = FxHashSet::default();
    for &(document, same_rules) in &stale {
        if !same_rules {
            plan.rules_changed += 1;
            rematch.insert(document);
        } else if mentioning.contains(&document) {
            rematch.insert(document);
        } else {
            unsure.insert(document);
        }
    }
    let entries: Vec<Entry> = gazetteer
        .entries()
        .iter()
        .zip(ids)
        .filter(|(_, id)| changed.contains(id))
        .map(|(entry, _)| entry.clone())
        .collect();
    for (document, _) in documents_naming(store, entries, Some(&unsure), workers)? {
        rematch.insert(document);
    }
    for &(document, _) in &stale {
        if rematch.contains(&document) {
            plan.rematch.push(document);
        } else {
            plan.current.push(document);
        }
    }
    Ok(plan)
}

/// After an edit of the gazetteers from `before` to `after`: brings the
/// stored entities and their `same-as` groups in line with `after`, and,
/// when the two differ in `same-as` alone (which changes no match), marks
/// the documents matched with `before` as matched with `after`. Returns
/// how many documents were kept current so, or `None` when the lexicons
/// differ in more (then `reindex --changed` decides, as after any edit).
pub fn apply_same_as(
    store: &mut Store,
    before: &Lexicon,
    after: &Lexicon,
) -> Result<Option<usize>, StoreError> {
    store.sync_gazetteer(&after.gazetteer)?;
    store.record_gazetteer_version(after.fingerprint(), after.rules_fingerprint())?;
    if !same_but_same_as(before, after) {
        return Ok(None);
    }
    let kept = store.relabel_documents(before.fingerprint(), after.fingerprint())?;
    store.settle_changes(after.fingerprint())?;
    Ok(Some(kept))
}

/// Whether two lexicons read every text the same: the same rules and
/// metonymy, and the same entries but for their `same-as`.
fn same_but_same_as(before: &Lexicon, after: &Lexicon) -> bool {
    let without = |e: &Entry| -> Vec<(String, String)> {
        e.attributes
            .iter()
            .filter(|(k, _)| k != same_as::ATTRIBUTE)
            .cloned()
            .collect()
    };
    before.rules_fingerprint() == after.rules_fingerprint()
        && before.gazetteer.len() == after.gazetteer.len()
        && before
            .gazetteer
            .entries()
            .iter()
            .zip(after.gazetteer.entries())
            .all(|(a, b)| {
                (a.kind, &a.name, &a.aliases) == (b.kind, &b.name, &b.aliases)
                    && without(a) == without(b)
            })
}

/// What a reindex with the gazetteers of `entity_ids` would take away
/// that stored documents mention, when a folder used at ingest is left
/// out (see [`reindex_would_drop`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// The entities, as (type, name), sorted by name.
    pub entities: Vec<(String, String)>,
    /// The folders recorded at ingest that the run lacks (labels as
    /// [`crate::workspace::Workspace::folder_labels`] writes them); `None`
    /// when the database records none (an older one).
    pub missing_folders: Option<Vec<String>>,
}

/// What a reindex with `entity_ids` (the current gazetteers' ids) and the
/// folders `folders` would remove that stored documents mention, when a
/// gazetteer folder used at ingest is not among `folders` (or the database
/// does not say which were used). `None` when nothing mentioned would go,
/// or every folder used is given: entries deleted from a given folder go,
/// as they always did.
pub fn reindex_would_drop(
    store: &Store,
    entity_ids: &[EntityId],
    folders: &[String],
) -> Result<Option<Dropped>, StoreError> {
    let missing_folders: Option<Vec<String>> = store.gazetteer_folders()?.map(|recorded| {
        recorded
            .into_iter()
            .filter(|f| !folders.contains(f))
            .collect()
    });
    if missing_folders.as_ref().is_some_and(Vec::is_empty) {
        return Ok(None);
    }
    let entities = store.mentioned_entities_besides(entity_ids)?;
    Ok((!entities.is_empty()).then_some(Dropped {
        entities,
        missing_folders,
    }))
}
