//! Scoring the database against hand-made gold annotations.
//!
//! The gold format is described in `../shared/gold/SCHEMA.md`: per document
//! (by file name), the entities a careful reader finds (type and every name
//! the document uses) and the relations the text states.
//!
//! Entities are scored per document and type: a gold entity is found when
//! an entity of the same type mentioned in that document shares a name with
//! it (canonical, alias or surface; case, diacritics, apostrophes and dashes
//! folded). A found entity is correct when it matches some gold entity that
//! way. Recall is over gold entities, precision over found ones.

use crate::model::EntityType;
use crate::normalize::{Case, key};
use crate::store::{Store, StoreError};
use rustc_hash::FxHashSet;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A gold file.
#[derive(Debug, Deserialize)]
pub struct Gold {
    /// The annotated documents.
    pub documents: Vec<GoldDocument>,
}

/// One annotated document.
#[derive(Debug, Deserialize)]
pub struct GoldDocument {
    /// The document's file name.
    pub file: String,
    /// Its entities.
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
}

/// One gold entity.
#[derive(Debug, Deserialize)]
pub struct GoldEntity {
    /// Its id within the gold file.
    pub id: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Every name the document uses for it; the first is canonical.
    pub names: Vec<String>,
}

/// Counts for one row of the score table.
#[derive(Debug, Default, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Score {
    /// Gold items.
    pub gold: usize,
    /// Gold items found.
    pub found: usize,
    /// Items the database has.
    pub predicted: usize,
    /// Items the database has that match gold.
    pub correct: usize,
}

impl Score {
    /// found / gold (1 when there is no gold).
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }

    /// correct / predicted (1 when nothing is predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, other: Score) {
        self.gold += other.gold;
        self.found += other.found;
        self.predicted += other.predicted;
        self.correct += other.correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// One miss or false positive, for `--verbose`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    /// The document's file name.
    pub document: String,
    /// The entity type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The entity's (first) name.
    pub name: String,
}

/// The result of an evaluation.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    /// Entity scores by type.
    pub entities: BTreeMap<String, Score>,
    /// All entity types together.
    pub entities_total: Score,
    /// Gold entities not found.
    pub missed: Vec<Finding>,
    /// Found entities that match no gold entity.
    pub false_positives: Vec<Finding>,
    /// Gold documents with no stored document of that file name.
    pub missing_documents: Vec<String>,
}

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The gold file could not be read or parsed.
    #[error("gold file: {0}")]
    Gold(String),
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Parses a gold file.
pub fn parse_gold(text: &str) -> Result<Gold, EvalError> {
    serde_json::from_str(text).map_err(|e| EvalError::Gold(e.to_string()))
}

/// Scores the entities of `store` against `gold`.
pub fn evaluate(store: &Store, gold: &Gold) -> Result<Report, EvalError> {
    let mut report = Report::default();
    let stored = store.document_ids()?;
    for document in &gold.documents {
        let Some((doc_id, _)) = stored.iter().find(|(_, path)| {
            path == &document.file || path.ends_with(&format!("/{}", document.file))
        }) else {
            report.missing_documents.push(document.file.clone());
            continue;
        };
        let found = store.entities_in(*doc_id)?;
        let found_names: Vec<FxHashSet<String>> = found
            .iter()
            .map(|e| e.names.iter().map(|n| key(n, Case::Fold)).collect())
            .collect();
        let gold_names: Vec<FxHashSet<String>> = document
            .entities
            .iter()
            .map(|e| e.names.iter().map(|n| key(n, Case::Fold)).collect())
            .collect();
        let same_type = |gold: &GoldEntity, kind: EntityType| {
            gold.kind.parse::<EntityType>().ok() == Some(kind)
        };
        for kind in EntityType::ALL {
            let mut score = Score::default();
            for (g, names) in document.entities.iter().zip(&gold_names) {
                if !same_type(g, kind) {
                    continue;
                }
                score.gold += 1;
                let hit = found
                    .iter()
                    .zip(&found_names)
                    .any(|(f, fnames)| f.kind == kind && !names.is_disjoint(fnames));
                if hit {
                    score.found += 1;
                } else {
                    report.missed.push(Finding {
                        document: document.file.clone(),
                        kind: kind.to_string(),
                        name: g.names.first().cloned().unwrap_or_default(),
                    });
                }
            }
            for (f, fnames) in found.iter().zip(&found_names) {
                if f.kind != kind {
                    continue;
                }
                score.predicted += 1;
                let hit = document
                    .entities
                    .iter()
                    .zip(&gold_names)
                    .any(|(g, gnames)| same_type(g, kind) && !gnames.is_disjoint(fnames));
                if hit {
                    score.correct += 1;
                } else {
                    report.false_positives.push(Finding {
                        document: document.file.clone(),
                        kind: kind.to_string(),
                        name: f.name.clone(),
                    });
                }
            }
            report
                .entities
                .entry(kind.to_string())
                .or_default()
                .add(score);
            report.entities_total.add(score);
        }
    }
    Ok(report)
}
