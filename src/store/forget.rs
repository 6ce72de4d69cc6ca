//! Forgetting documents (`dossier forget`): a document goes with
//! everything that came from it, in one transaction.

use super::{DocumentId, Store, StoreError};
use rusqlite::OptionalExtension;

/// A document that was forgotten, with what went with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ForgottenDocument {
    /// Its database id.
    pub id: DocumentId,
    /// Its path.
    pub path: String,
    /// Its settled mentions.
    pub mentions: i64,
    /// Its mentions as one candidate of an ambiguous name.
    pub ambiguous: i64,
    /// The pieces of evidence it held.
    pub evidence: i64,
    /// The relations left without evidence by it, which went too.
    pub relations: i64,
}

impl Store {
    /// Deletes the documents `ids` with their mentions, postings and
    /// evidence, and the relations left without evidence (or about a
    /// document that went), all in one transaction with foreign keys
    /// checked: either every document goes or none. Ids not stored (any
    /// more) are passed over. The entities stay: they mirror the
    /// gazetteers.
    ///
    /// An ingest running meanwhile in another process learns of it when
    /// its next batch begins (`meta.documents_forgotten`), and looks its
    /// relations up again instead of trusting the ids it had seen.
    pub fn forget_documents(
        &mut self,
        ids: &[DocumentId],
    ) -> Result<Vec<ForgottenDocument>, StoreError> {
        // The deletes look evidence up by document and relation.
        self.ensure_indexes()?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match self.forget_in_transaction(ids) {
            Ok(gone) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => Ok(gone),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(e.into())
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.relation_ids.forget();
                Err(e)
            }
        }
    }

    fn forget_in_transaction(
        &mut self,
        ids: &[DocumentId],
    ) -> Result<Vec<ForgottenDocument>, StoreError> {
        let mut gone = Vec::new();
        for &id in ids {
            let Some(path) = self
                .conn
                .prepare_cached("SELECT path FROM documents WHERE id = ?1")?
                .query_row([id], |r| r.get::<_, String>(0))
                .optional()?
            else {
                continue;
            };
            let (mentions, ambiguous): (i64, i64) = self
                .conn
                .prepare_cached(
                    "SELECT mentions, ambiguous FROM document_mentions WHERE document_id = ?1",
                )?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .unwrap_or_default();
            let evidence: i64 = self
                .conn
                .prepare_cached("SELECT count(*) FROM evidence WHERE document_id = ?1")?
                .query_row([id], |r| r.get(0))?;
            let relations = self.clear_document(id)? as i64;
            self.conn
                .prepare_cached("DELETE FROM documents WHERE id = ?1")?
                .execute([id])?;
            gone.push(ForgottenDocument {
                id,
                path,
                mentions,
                ambiguous,
                evidence,
                relations,
            });
        }
        if !gone.is_empty() {
            let count = self.meta_count("documents_forgotten")? + 1;
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('documents_forgotten', ?1)",
                [count],
            )?;
        }
        Ok(gone)
    }
}
