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
//!
//! Relations are scored per document and kind: a gold relation is found
//! when the database has a relation of that kind with evidence in that
//! document whose two ends share a name with the gold ends (`@document` is
//! the document itself). A stored relation is correct when it matches some
//! gold relation that way. Only the kinds of the gold format, and any other
//! kind the gold file uses, are scored.
//!
//! Per relation rule ([`Report::rules`], `dossier eval --by-rule`): the
//! relations a rule has evidence for in the scored documents (once per
//! document, as above; a relation several rules found counts for each), its
//! pieces of evidence there, and how many of its relations the gold
//! confirms, by the same match that makes a stored relation correct.

use crate::model::EntityType;
use crate::normalize::{Case, key};
use crate::store::{Store, StoreError};
use rustc_hash::{FxHashMap, FxHashSet};
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
    /// The relations its text states.
    #[serde(default)]
    pub relations: Vec<GoldRelation>,
}

/// One gold relation.
#[derive(Debug, Deserialize)]
pub struct GoldRelation {
    /// The subject's entity id.
    pub subject: String,
    /// The relation kind.
    pub relation: String,
    /// The object's entity id, or `@document`.
    pub object: String,
    /// The words of the document that state it.
    #[serde(default)]
    pub quote: String,
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

/// What one relation rule gave in the scored documents, for `--by-rule`.
#[derive(Debug, Default, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RuleScore {
    /// Relations it has evidence for, counted once per document.
    pub relations: usize,
    /// Its pieces of evidence.
    pub evidence: usize,
    /// Those of its relations the scores count: of a scored kind, and not
    /// about another document.
    pub scored: usize,
    /// Its scored relations that match some gold relation.
    pub confirmed: usize,
}

impl RuleScore {
    /// confirmed / scored; `None` when none of its relations is scored.
    pub fn precision(&self) -> Option<f64> {
        (self.scored > 0).then(|| ratio(self.confirmed, self.scored))
    }
}

/// One row of the `--by-rule` table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RuleRow {
    /// The rule's name (its section in a `.rules` file).
    pub rule: String,
    /// What it gave.
    #[serde(flatten)]
    pub score: RuleScore,
    /// [`RuleScore::precision`].
    pub precision: Option<f64>,
}

/// The relation rules scored one by one (`dossier eval --by-rule`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ByRule {
    /// Every rule with evidence in the scored documents, by name.
    pub by_rule: Vec<RuleRow>,
    /// The loaded rules with no evidence there, by name.
    pub rules_never_fired: Vec<String>,
}

/// The rules of `report`, and those of `loaded` (the names of the rule set
/// the gazetteers load) that never fired in the scored documents.
pub fn by_rule<'a>(report: &Report, loaded: impl IntoIterator<Item = &'a str>) -> ByRule {
    let by_rule = report
        .rules
        .iter()
        .map(|(rule, score)| RuleRow {
            rule: rule.clone(),
            score: *score,
            precision: score.precision(),
        })
        .collect();
    let never: std::collections::BTreeSet<&str> = loaded
        .into_iter()
        .filter(|name| !report.rules.contains_key(*name))
        .collect();
    ByRule {
        by_rule,
        rules_never_fired: never.into_iter().map(String::from).collect(),
    }
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

/// One relation missed or wrongly found, for `--verbose`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RelationFinding {
    /// The document's file name.
    pub document: String,
    /// The relation kind.
    pub relation: String,
    /// The subject's name.
    pub subject: String,
    /// The object's name, or `@document`.
    pub object: String,
    /// The gold quote, or the sentence the database has as evidence.
    pub quote: String,
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
    /// Relation scores by kind.
    pub relations: BTreeMap<String, Score>,
    /// All relation kinds together.
    pub relations_total: Score,
    /// Gold relations not found.
    pub relations_missed: Vec<RelationFinding>,
    /// Stored relations that match no gold relation.
    pub relations_false: Vec<RelationFinding>,
    /// What each relation rule gave, by name. Not in this report's JSON:
    /// `--by-rule` adds it, see [`by_rule`].
    #[serde(skip)]
    pub rules: BTreeMap<String, RuleScore>,
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
    let gold_kinds: FxHashSet<String> = gold
        .documents
        .iter()
        .flat_map(|d| d.relations.iter().map(|r| r.relation.clone()))
        .collect();
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
        score_relations(
            store,
            *doc_id,
            document,
            &gold_kinds,
            &gold_names,
            &mut report,
        )?;
    }
    Ok(report)
}

/// One stored relation with evidence in a document, its ends' folded names.
struct StoredRelation {
    kind: String,
    subject: (String, FxHashSet<String>),
    /// `None`: the document itself (or, when not `scored`, another one).
    object: Option<(String, FxHashSet<String>)>,
    quote: String,
    /// The rules with evidence for it in the document, each once.
    rules: Vec<String>,
    /// Whether the scores count it: its kind is scored, and it is not
    /// about another document.
    scored: bool,
}

/// The relation kinds of the gold format (`../shared/gold/SCHEMA.md`).
pub const SCHEMA_KINDS: [&str; 7] = [
    "signed",
    "resides-in",
    "recognised",
    "condemned",
    "member-of",
    "leads",
    "occupies",
];

fn score_relations(
    store: &Store,
    doc_id: crate::store::DocumentId,
    document: &GoldDocument,
    gold_kinds: &FxHashSet<String>,
    gold_names: &[FxHashSet<String>],
    report: &mut Report,
) -> Result<(), EvalError> {
    // Kinds the gold format knows, and any the gold file uses: a kind the
    // annotators were not asked about (`appealed-to`) is not scored.
    let mut scored_kinds: std::collections::BTreeSet<&str> = SCHEMA_KINDS.into_iter().collect();
    scored_kinds.extend(gold_kinds.iter().map(String::as_str));
    let text = store.document_text(doc_id)?.unwrap_or_default();
    let mut names_of: std::collections::HashMap<i64, (String, FxHashSet<String>)> =
        std::collections::HashMap::new();
    let mut names = |id: i64| -> Result<(String, FxHashSet<String>), EvalError> {
        if let Some(found) = names_of.get(&id) {
            return Ok(found.clone());
        }
        let (_, name, all) = store.entity_names(id)?;
        let folded: FxHashSet<String> = all.iter().map(|n| key(n, Case::Fold)).collect();
        names_of.insert(id, (name.clone(), folded.clone()));
        Ok((name, folded))
    };
    let mut stored: Vec<StoredRelation> = Vec::new();
    let mut index_of: FxHashMap<i64, usize> = FxHashMap::default();
    for evidence in store.evidence_in(doc_id)? {
        report
            .rules
            .entry(evidence.rule.clone())
            .or_default()
            .evidence += 1;
        if let Some(&i) = index_of.get(&evidence.relation) {
            if !stored[i].rules.contains(&evidence.rule) {
                stored[i].rules.push(evidence.rule);
            }
            continue;
        }
        let (object, about_this_document) = match (evidence.object_entity, evidence.object_document)
        {
            (Some(id), _) => (Some(names(id)?), true),
            (None, Some(d)) if d == doc_id => (None, true),
            // Signed another document: not about this one.
            _ => (None, false),
        };
        index_of.insert(evidence.relation, stored.len());
        stored.push(StoredRelation {
            scored: about_this_document && scored_kinds.contains(evidence.kind.as_str()),
            kind: evidence.kind,
            subject: names(evidence.subject)?,
            object,
            quote: text
                .get(evidence.sentence.clone())
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            rules: vec![evidence.rule],
        });
    }
    let entity = |id: &str| {
        document
            .entities
            .iter()
            .position(|e| e.id == id)
            .map(|i| (&document.entities[i], &gold_names[i]))
    };
    let display = |id: &str| {
        if id == "@document" {
            return "@document".to_string();
        }
        entity(id).map_or(id.to_string(), |(e, _)| {
            e.names.first().cloned().unwrap_or_default()
        })
    };
    let matches = |gold: &GoldRelation, found: &StoredRelation| {
        if gold.relation != found.kind {
            return false;
        }
        let subject_ok =
            entity(&gold.subject).is_some_and(|(_, n)| !n.is_disjoint(&found.subject.1));
        let object_ok = match (&found.object, gold.object.as_str()) {
            (None, "@document") => true,
            (Some((_, names)), id) if id != "@document" => {
                entity(id).is_some_and(|(_, n)| !n.is_disjoint(names))
            }
            _ => false,
        };
        subject_ok && object_ok
    };
    let correct: Vec<bool> = stored
        .iter()
        .map(|found| found.scored && document.relations.iter().any(|g| matches(g, found)))
        .collect();
    for (found, &correct) in stored.iter().zip(&correct) {
        for rule in &found.rules {
            let score = report.rules.entry(rule.clone()).or_default();
            score.relations += 1;
            score.scored += usize::from(found.scored);
            score.confirmed += usize::from(correct);
        }
    }
    let mut kinds = scored_kinds;
    kinds.retain(|k| {
        document.relations.iter().any(|r| r.relation == *k)
            || stored.iter().any(|r| r.scored && r.kind == *k)
    });
    for kind in kinds {
        let mut score = Score::default();
        for gold in document.relations.iter().filter(|r| r.relation == kind) {
            score.gold += 1;
            if stored.iter().any(|f| f.scored && matches(gold, f)) {
                score.found += 1;
            } else {
                report.relations_missed.push(RelationFinding {
                    document: document.file.clone(),
                    relation: gold.relation.clone(),
                    subject: display(&gold.subject),
                    object: display(&gold.object),
                    quote: gold.quote.split_whitespace().collect::<Vec<_>>().join(" "),
                });
            }
        }
        for (found, &correct) in stored
            .iter()
            .zip(&correct)
            .filter(|(r, _)| r.scored && r.kind == kind)
        {
            score.predicted += 1;
            if correct {
                score.correct += 1;
            } else {
                report.relations_false.push(RelationFinding {
                    document: document.file.clone(),
                    relation: found.kind.clone(),
                    subject: found.subject.0.clone(),
                    object: found
                        .object
                        .as_ref()
                        .map_or("@document".to_string(), |(n, _)| n.clone()),
                    quote: found.quote.clone(),
                });
            }
        }
        report
            .relations
            .entry(kind.to_string())
            .or_default()
            .add(score);
        report.relations_total.add(score);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_rule_rows_and_rules_that_never_fired() {
        let mut report = Report::default();
        let counts = |relations, evidence, scored, confirmed| RuleScore {
            relations,
            evidence,
            scored,
            confirmed,
        };
        report
            .rules
            .insert("signed-list".into(), counts(4, 5, 4, 3));
        report
            .rules
            .insert("appealed-to-verb".into(), counts(1, 1, 0, 0));
        // Loaded in file order, a name given twice by two folders.
        let loaded = ["signed-verb", "signed-list", "leads-role", "signed-verb"];
        let view = by_rule(&report, loaded);
        let rows: Vec<(&str, Option<f64>)> = view
            .by_rule
            .iter()
            .map(|r| (r.rule.as_str(), r.precision))
            .collect();
        assert_eq!(
            rows,
            [("appealed-to-verb", None), ("signed-list", Some(0.75))]
        );
        assert_eq!(view.rules_never_fired, ["leads-role", "signed-verb"]);
    }
}
