//! `dossier forget`: removing stored documents, each named as every
//! command names documents (a path, part of one, or an id), with their
//! mentions, postings and evidence and the relations left without
//! evidence, in one transaction ([`crate::store::Store::forget_documents`]).
//! What the names do not settle (nothing matches, or several documents
//! do) is refused and said, and the rest go.

use crate::store::{Catalog, DocumentId, ForgottenDocument, Store, StoreError};

/// A name that designated no one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The name as given.
    pub pattern: String,
    /// Why, with the matching paths when there are several.
    pub reason: String,
}

/// What `forget` did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The documents that went, in the order named.
    pub forgotten: Vec<ForgottenDocument>,
    /// The names that designated no one document.
    pub refused: Vec<Refused>,
}

/// The one document each of `patterns` designates, or why not; a document
/// named twice is taken once.
pub fn resolve(
    store: &dyn Catalog,
    patterns: &[String],
) -> Result<(Vec<DocumentId>, Vec<Refused>), StoreError> {
    let mut ids: Vec<DocumentId> = Vec::new();
    let mut refused = Vec::new();
    for pattern in patterns {
        let found = store.documents_matching(pattern)?;
        match found.as_slice() {
            [(id, _)] => {
                if !ids.contains(id) {
                    ids.push(*id);
                }
            }
            [] => refused.push(Refused {
                pattern: pattern.clone(),
                reason: format!(
                    "no stored document matches `{pattern}`; `dossier documents` lists them"
                ),
            }),
            several => refused.push(Refused {
                pattern: pattern.clone(),
                reason: format!(
                    "`{pattern}` matches {}{} documents: {}; give a longer path or the id",
                    if several.len() >= crate::store::MATCHING_SHOWN {
                        "at least "
                    } else {
                        ""
                    },
                    several.len(),
                    several
                        .iter()
                        .map(|(id, path)| format!("{path} (id {id})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }
    Ok((ids, refused))
}

/// Forgets the documents `patterns` designate (see [`resolve`]).
pub fn forget(store: &mut Store, patterns: &[String]) -> Result<Report, StoreError> {
    let (ids, refused) = resolve(store, patterns)?;
    let forgotten = if ids.is_empty() {
        Vec::new()
    } else {
        store.forget_documents(&ids)?
    };
    Ok(Report { forgotten, refused })
}
