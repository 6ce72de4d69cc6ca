//! Entity and relation scores on the development set (`../shared/dev`:
//! `docs/`, their gold annotations `gold.json`, and `gazetteer.tsv`, the
//! entities they name that the shipped gazetteers lack), held to the floors
//! below.
//!
//! The development set is not what the rules were written against, so its
//! figures say how far the rules carry to new documents. Its entity list is
//! imported into a scratch gazetteer folder read on top of the shipped ones,
//! never into the repository's `gazetteers/`. Like the samples, the set
//! lives outside the repository: without it the test prints a notice and
//! passes, except in CI (`CI=true`), where it must be scored.

use crate::dates::Dated;
use crate::support::{Scratch, manifest_dir, shipped_gazetteers};
use std::path::{Path, PathBuf};

/// The floors the development set is held to: the figures reached so far,
/// each 0.02 below the figure measured (2026-12-06: relation P 0.996,
/// R 0.865, F1 0.926), so that a change that loses ground fails, and never
/// above its target: a figure past its target may fall toward it while
/// others climb. They are raised as the rules improve, up to the targets
/// beside them.
const FLOORS: &[Floor] = &[
    Floor::new(Figure::EntityF1, 0.964, 0.97),
    Floor::new(Figure::RelationPrecision, 0.850, 0.85),
    Floor::new(Figure::RelationRecall, 0.845, 0.85),
    Floor::new(Figure::RelationF1, 0.850, 0.85),
    Floor::new(Figure::KindF1("condemned"), 0.750, 0.75),
    Floor::new(Figure::KindF1("leads"), 0.750, 0.75),
    Floor::new(Figure::KindF1("member-of"), 0.750, 0.75),
    Floor::new(Figure::KindF1("occupies"), 0.750, 0.75),
    Floor::new(Figure::KindF1("recognised"), 0.750, 0.75),
    Floor::new(Figure::KindF1("resides-in"), 0.750, 0.75),
    Floor::new(Figure::KindF1("signed"), 0.750, 0.75),
    Floor::new(Figure::KindRecall("signed"), 0.900, 0.90),
];

/// One figure of `dossier eval --format json`.
#[derive(Clone, Copy, Debug)]
enum Figure {
    /// F1 over every entity type.
    EntityF1,
    /// Precision over every relation kind.
    RelationPrecision,
    /// Recall over every relation kind.
    RelationRecall,
    /// F1 over every relation kind.
    RelationF1,
    /// F1 of one relation kind.
    KindF1(&'static str),
    /// Recall of one relation kind.
    KindRecall(&'static str),
}

/// A figure, the least it may be, and where it should get.
struct Floor {
    figure: Figure,
    floor: f64,
    target: f64,
}

impl Floor {
    const fn new(figure: Figure, floor: f64, target: f64) -> Floor {
        Floor {
            figure,
            floor,
            target,
        }
    }
}

impl Figure {
    fn name(self) -> String {
        match self {
            Figure::EntityF1 => "entity F1".into(),
            Figure::RelationPrecision => "relation precision".into(),
            Figure::RelationRecall => "relation recall".into(),
            Figure::RelationF1 => "relation F1".into(),
            Figure::KindF1(kind) => format!("{kind} F1"),
            Figure::KindRecall(kind) => format!("{kind} recall"),
        }
    }

    /// The figure in `report`, or why it is not there.
    fn value(self, report: &serde_json::Value) -> Result<f64, String> {
        let kind = |kind: &str| {
            let score = &report["relations"][kind];
            if score.is_object() {
                Ok(score)
            } else {
                Err(format!("no gold or found relation of kind {kind}"))
            }
        };
        Ok(match self {
            Figure::EntityF1 => Score::of(&report["entities_total"])?.f1(),
            Figure::RelationPrecision => Score::of(&report["relations_total"])?.precision(),
            Figure::RelationRecall => Score::of(&report["relations_total"])?.recall(),
            Figure::RelationF1 => Score::of(&report["relations_total"])?.f1(),
            Figure::KindF1(name) => Score::of(kind(name)?)?.f1(),
            Figure::KindRecall(name) => Score::of(kind(name)?)?.recall(),
        })
    }
}

/// The counts of one row of the report, with eval's ratios (1 over
/// nothing).
struct Score {
    gold: u64,
    found: u64,
    predicted: u64,
    correct: u64,
}

impl Score {
    fn of(row: &serde_json::Value) -> Result<Score, String> {
        let n = |k: &str| row[k].as_u64().ok_or_else(|| format!("no {k} in {row}"));
        Ok(Score {
            gold: n("gold")?,
            found: n("found")?,
            predicted: n("predicted")?,
            correct: n("correct")?,
        })
    }

    fn ratio(a: u64, b: u64) -> f64 {
        if b == 0 { 1.0 } else { a as f64 / b as f64 }
    }

    fn precision(&self) -> f64 {
        Score::ratio(self.correct, self.predicted)
    }

    fn recall(&self) -> f64 {
        Score::ratio(self.found, self.gold)
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// The development set's folder.
fn dev_dir() -> PathBuf {
    manifest_dir().join("../shared/dev")
}

/// Every file under `dir` with its bytes, by path.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("list a gazetteer folder") {
        let path = entry.expect("read a gazetteer entry").path();
        if path.is_dir() {
            files.extend(snapshot(&path));
        } else {
            let bytes = std::fs::read(&path).expect("read a gazetteer file");
            files.push((path, bytes));
        }
    }
    files.sort();
    files
}

/// The development set's documents folder, gold file and entity list;
/// `None` (after a notice) when they are not there, which fails in CI.
fn dev_files() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let dev = dev_dir();
    let (docs, gold, entities) = (
        dev.join("docs"),
        dev.join("gold.json"),
        dev.join("gazetteer.tsv"),
    );
    let missing: Vec<&str> = [
        (docs.is_dir(), "docs/"),
        (gold.is_file(), "gold.json"),
        (entities.is_file(), "gazetteer.tsv"),
    ]
    .into_iter()
    .filter(|(present, _)| !present)
    .map(|(_, name)| name)
    .collect();
    if !missing.is_empty() {
        let missing = format!("{} in {}", missing.join(", "), dev.display());
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{missing} not found: CI must score the development set");
        }
        println!("skipped: {missing} not found");
        return None;
    }
    Some((
        docs.canonicalize().unwrap(),
        gold.canonicalize().unwrap(),
        entities.canonicalize().unwrap(),
    ))
}

/// `gazetteer import --into folder list`, which must exit 0.
fn import_into(s: &Scratch, folder: &Path, list: &Path) -> crate::support::Run {
    s.run(&[
        "gazetteer",
        "import",
        "--into",
        folder.to_str().unwrap(),
        list.to_str().unwrap(),
    ])
    .ok()
}

/// A scratch database with the development set ingested, its entity list
/// imported into a scratch gazetteer folder read on top of the shipped
/// ones (which stay as they are).
fn ingested_dev_set(docs: &Path, entities: &Path) -> Scratch {
    let s = Scratch::new();
    let scratch = s.path().join("dev-gazetteer");
    std::fs::create_dir(&scratch).unwrap();
    let s = s.also_gazetteer(&scratch);
    let shipped = snapshot(&shipped_gazetteers());
    let import = import_into(&s, &scratch, entities);
    assert_eq!(
        snapshot(&shipped_gazetteers()),
        shipped,
        "the import changed the shipped gazetteers:\n{}{}",
        import.stdout,
        import.stderr
    );
    let written = snapshot(&scratch);
    assert!(
        !written.is_empty(),
        "the import wrote nothing into {}:\n{}{}",
        scratch.display(),
        import.stdout,
        import.stderr
    );

    let run = s.ingest(&[docs.to_str().unwrap()]);
    let files = std::fs::read_dir(docs)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_file())
        .count();
    assert_eq!(run.summary().new, files, "{}", run.stderr);
    s
}

#[test]
fn entity_and_relation_scores_on_the_development_set() {
    let Some((docs, gold, entities)) = dev_files() else {
        return;
    };
    let s = ingested_dev_set(&docs, &entities);

    let table = s
        .run(&["eval", "--gold", gold.to_str().unwrap(), "--by-rule"])
        .ok()
        .stdout;
    println!("{table}");
    let report: serde_json::Value = s
        .run(&["eval", "--gold", gold.to_str().unwrap(), "--format", "json"])
        .ok()
        .json();
    assert_eq!(
        report["missing_documents"],
        serde_json::json!([]),
        "every gold document is ingested"
    );

    let mut failures = Vec::new();
    for Floor {
        figure,
        floor,
        target,
    } in FLOORS
    {
        match figure.value(&report) {
            Ok(value) => {
                println!(
                    "{:<20} {value:.3}  floor {floor:.3}  target {target:.2}",
                    figure.name()
                );
                if value < *floor {
                    failures.push(format!(
                        "{} {value:.3} fell below its floor {floor:.3} (target {target:.2})",
                        figure.name()
                    ));
                }
            }
            Err(why) => failures.push(format!("{}: {why}", figure.name())),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// What `gazetteer suggest` must reach on the development set with the
/// shipped gazetteers alone (issue 16): of the gold entities those lists
/// lack, the share suggested with the right type; of the suggestions, the
/// share that are gold entities of their type; and the entity F1 gained by
/// importing every suggestion unreviewed.
const SUGGESTED_RECALL: f64 = 0.85;
const SUGGESTED_PRECISION: f64 = 0.70;
const IMPORTED_F1_GAIN: f64 = 0.15;

/// One suggestion of `gazetteer suggest --format json`, as far as scoring
/// needs it.
#[derive(serde::Deserialize)]
struct Suggested {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    aliases: Vec<String>,
    documents: Vec<String>,
}

/// A gold entity: its type and folded names.
struct GoldEntity {
    kind: String,
    names: Vec<String>,
}

fn folded(name: &str) -> String {
    dossier::normalize::key(name, dossier::normalize::Case::Fold)
}

#[test]
fn suggestions_on_the_development_set() {
    let Some((docs, gold, _)) = dev_files() else {
        return;
    };
    // The shipped gazetteers alone.
    let s = Scratch::new();
    let run = s.ingest(&[docs.to_str().unwrap()]);
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(
        last.ends_with("names not in any gazetteer; `dossier gazetteer suggest` lists them"),
        "ingest ends with the count of unlisted names:\n{}",
        run.stderr
    );
    let eval = |s: &Scratch| -> serde_json::Value {
        s.run(&["eval", "--gold", gold.to_str().unwrap(), "--format", "json"])
            .ok()
            .json()
    };
    let before = eval(&s);
    let entity_f1 = |report: &serde_json::Value| Score::of(&report["entities_total"]).unwrap().f1();

    // Gold entities by document file name.
    let gold_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&gold).unwrap()).unwrap();
    let mut by_document: std::collections::HashMap<String, Vec<GoldEntity>> = Default::default();
    for document in gold_json["documents"].as_array().unwrap() {
        let entities = document["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| GoldEntity {
                kind: e["type"].as_str().unwrap().to_string(),
                names: e["names"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| folded(n.as_str().unwrap()))
                    .collect(),
            })
            .collect();
        by_document.insert(document["file"].as_str().unwrap().to_string(), entities);
    }

    let suggested: Vec<Suggested> = s
        .run(&["gazetteer", "suggest", "--format", "json"])
        .ok()
        .json();
    let file_name = |path: &str| {
        Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let names_of = |suggestion: &Suggested| -> Vec<String> {
        std::iter::once(&suggestion.name)
            .chain(&suggestion.aliases)
            .map(|n| folded(n))
            .collect()
    };
    // Of the gold entities the shipped lists miss, those suggested with
    // their type in their document under one of their names.
    let missed = before["missed"].as_array().unwrap();
    let mut covered = 0;
    let mut not_covered = Vec::new();
    for miss in missed {
        let document = miss["document"].as_str().unwrap();
        let kind = miss["type"].as_str().unwrap();
        let first = folded(miss["name"].as_str().unwrap());
        let gold_entity = by_document[document]
            .iter()
            .find(|e| e.kind == kind && e.names.first() == Some(&first))
            .expect("a missed entity is a gold entity");
        let found = suggested.iter().any(|suggestion| {
            suggestion.kind == kind
                && suggestion
                    .documents
                    .iter()
                    .any(|d| file_name(d) == document)
                && names_of(suggestion)
                    .iter()
                    .any(|n| gold_entity.names.contains(n))
        });
        if found {
            covered += 1;
        } else {
            not_covered.push(format!("{document}: {kind} {}", miss["name"]));
        }
    }
    // Of the suggestions, those that are a gold entity of their type in a
    // document they were seen in.
    let confirmed = suggested
        .iter()
        .filter(|suggestion| {
            let names = names_of(suggestion);
            suggestion.documents.iter().any(|d| {
                by_document.get(&file_name(d)).is_some_and(|entities| {
                    entities.iter().any(|e| {
                        e.kind == suggestion.kind && e.names.iter().any(|n| names.contains(n))
                    })
                })
            })
        })
        .count();
    let recall = covered as f64 / missed.len().max(1) as f64;
    let precision = confirmed as f64 / suggested.len().max(1) as f64;
    println!(
        "gold entities the shipped lists lack: {}; suggested with the right type: {covered} ({recall:.3}, target {SUGGESTED_RECALL})",
        missed.len()
    );
    println!(
        "suggestions: {}; gold entities of their type: {confirmed} ({precision:.3}, target {SUGGESTED_PRECISION})",
        suggested.len()
    );

    // Every suggestion imported unreviewed into a scratch folder, and the
    // documents it touches matched again.
    let tsv = s
        .run(&["gazetteer", "suggest", "--format", "tsv"])
        .ok()
        .stdout;
    let list = s.write("suggested.tsv", tsv);
    let scratch = s.path().join("suggested");
    std::fs::create_dir(&scratch).unwrap();
    let s = s.also_gazetteer(&scratch);
    let import = import_into(&s, &scratch, &list);
    assert!(
        import.stderr.contains("reindex --changed"),
        "import names the command that matches the documents again:\n{}",
        import.stderr
    );
    s.run(&["reindex", "--changed"]).ok();
    let after = eval(&s);
    let (f1_before, f1_after) = (entity_f1(&before), entity_f1(&after));
    println!(
        "entity F1: {f1_before:.3} with the shipped lists, {f1_after:.3} with every suggestion imported (+{:.3}, target +{IMPORTED_F1_GAIN})",
        f1_after - f1_before
    );

    let mut failures = Vec::new();
    if recall < SUGGESTED_RECALL {
        failures.push(format!(
            "suggested {recall:.3} of the missing gold entities, under {SUGGESTED_RECALL}; not suggested:\n{}",
            not_covered.join("\n")
        ));
    }
    if precision < SUGGESTED_PRECISION {
        failures.push(format!(
            "{precision:.3} of the suggestions are gold entities, under {SUGGESTED_PRECISION}"
        ));
    }
    if f1_after - f1_before < IMPORTED_F1_GAIN {
        failures.push(format!(
            "importing the suggestions raised entity F1 by {:.3}, under {IMPORTED_F1_GAIN}",
            f1_after - f1_before
        ));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Of the relations found in the development set whose text gives a date
/// (`tests/data/dates/dev.tsv`, read from the documents), the share that
/// carry it: the figure the dates are held to (2026-12: 0.70 asked).
const DATED_RELATIONS_FLOOR: f64 = 0.70;

/// What `tests/data/dates/dev.tsv` says of one relation, or of every
/// relation of a document (subject, relation and object `*`).
#[derive(Debug)]
struct DateRow {
    line: usize,
    document: String,
    subject: String,
    relation: String,
    object: String,
    /// The date, or `None` when the text gives none (`-`).
    date: Option<String>,
    /// `FROM..UNTIL` or `former`, when the text bounds the relation.
    period: Option<String>,
}

/// The rows of `tests/data/dates/dev.tsv`; a malformed line fails with its
/// number.
fn date_rows() -> Vec<DateRow> {
    let path = manifest_dir().join("tests/data/dates/dev.tsv");
    let text = std::fs::read_to_string(&path).expect("read tests/data/dates/dev.tsv");
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        assert!(
            (5..=6).contains(&cells.len()),
            "{}:{}: expected 5 or 6 tab-separated cells (document, subject, relation, object, date[, period]), found {}",
            path.display(),
            i + 1,
            cells.len()
        );
        let date = (cells[4] != "-").then(|| cells[4].to_string());
        rows.push(DateRow {
            line: i + 1,
            document: cells[0].into(),
            subject: cells[1].into(),
            relation: cells[2].into(),
            object: cells[3].into(),
            date,
            period: cells.get(5).map(|p| p.to_string()),
        });
    }
    rows
}

#[test]
fn dates_on_the_development_set() {
    let Some((docs, gold, entities)) = dev_files() else {
        return;
    };
    let rows = date_rows();
    let s = ingested_dev_set(&docs, &entities);
    let graph = Dated::of(&s);
    // Every name of every node, folded; a document by its file name.
    let names: std::collections::HashMap<&str, Vec<String>> = graph
        .nodes
        .iter()
        .map(|n| {
            let names = match &n.path {
                Some(path) => vec![
                    Path::new(path)
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                ],
                None => std::iter::once(&n.name)
                    .chain(&n.aliases)
                    .map(|m| folded(m))
                    .collect(),
            };
            (n.id.as_str(), names)
        })
        .collect();
    let gold_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&gold).unwrap()).unwrap();
    let mut used = vec![false; rows.len()];
    let (mut dated, mut carried, mut undated, mut dated_anyway) = (0, 0, 0, 0);
    let (mut bounded, mut bounds_found, mut found_relations) = (0, 0, 0);
    let mut notes = Vec::new();
    for document in gold_json["documents"].as_array().unwrap() {
        let file = document["file"].as_str().unwrap();
        let gold_names: std::collections::HashMap<&str, Vec<String>> = document["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let names = e["names"].as_array().unwrap();
                (
                    e["id"].as_str().unwrap(),
                    names.iter().map(|n| folded(n.as_str().unwrap())).collect(),
                )
            })
            .collect();
        let shares = |node: &str, id: &str| -> bool {
            let wanted: Vec<String> = if id == "@document" {
                vec![file.to_string()]
            } else {
                gold_names[id].clone()
            };
            names
                .get(node)
                .is_some_and(|n| n.iter().any(|m| wanted.contains(m)))
        };
        for relation in document["relations"].as_array().unwrap() {
            let (subject, kind, object) = (
                relation["subject"].as_str().unwrap(),
                relation["relation"].as_str().unwrap(),
                relation["object"].as_str().unwrap(),
            );
            let row = rows
                .iter()
                .position(|r| {
                    r.document == file
                        && (r.subject.as_str(), r.relation.as_str(), r.object.as_str())
                            == (subject, kind, object)
                })
                .or_else(|| {
                    rows.iter().position(|r| {
                        r.document == file
                            && (r.subject.as_str(), r.relation.as_str(), r.object.as_str())
                                == ("*", "*", "*")
                    })
                })
                .unwrap_or_else(|| {
                    panic!(
                        "tests/data/dates/dev.tsv says nothing of {file}: {subject} {kind} {object}"
                    )
                });
            used[row] = true;
            let row = &rows[row];
            let evidence: Vec<&crate::dates::DatedEvidence> = graph
                .edges
                .iter()
                .filter(|e| {
                    e.relation == kind && shares(&e.source, subject) && shares(&e.target, object)
                })
                .flat_map(|e| &e.evidence)
                .filter(|v| v.document.ends_with(&format!("/{file}")))
                .collect();
            if evidence.is_empty() {
                continue;
            }
            found_relations += 1;
            let dates: Vec<&str> = evidence.iter().filter_map(|v| v.date.as_deref()).collect();
            let what = format!("{file}: {subject} {kind} {object}");
            match &row.date {
                Some(date) => {
                    dated += 1;
                    if dates.contains(&date.as_str()) {
                        carried += 1;
                    } else {
                        notes.push(format!("not dated {date}: {what} (carries {dates:?})"));
                    }
                }
                None => {
                    undated += 1;
                    if !dates.is_empty() {
                        dated_anyway += 1;
                        notes.push(format!(
                            "dated where the text gives none: {what} ({dates:?})"
                        ));
                    }
                }
            }
            if let Some(period) = &row.period {
                bounded += 1;
                let found = if period == "former" {
                    evidence.iter().any(|v| v.former)
                } else {
                    let (from, until) = period.split_once("..").unwrap_or_else(|| {
                        panic!(
                            "tests/data/dates/dev.tsv:{}: a period is FROM..UNTIL or former",
                            row.line
                        )
                    });
                    let bound = |b: &str| (!b.is_empty()).then(|| b.to_string());
                    evidence
                        .iter()
                        .any(|v| (v.from.clone(), v.until.clone()) == (bound(from), bound(until)))
                };
                if found {
                    bounds_found += 1;
                } else {
                    notes.push(format!("no period {period}: {what}"));
                }
            }
        }
    }
    let stale: Vec<usize> = rows
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(r, _)| r.line)
        .collect();
    assert!(
        stale.is_empty(),
        "tests/data/dates/dev.tsv lines {stale:?} name no gold relation"
    );
    for note in &notes {
        println!("{note}");
    }
    let share = carried as f64 / dated.max(1) as f64;
    println!("relations found: {found_relations}");
    println!(
        "of them, the text dates {dated}; carrying that date: {carried} ({share:.3}, floor {DATED_RELATIONS_FLOOR:.2})"
    );
    println!("the text dates none of {undated}; dated anyway: {dated_anyway}");
    println!("with a period or former mark in the text: {bounded}; found with it: {bounds_found}");
    assert!(
        share >= DATED_RELATIONS_FLOOR,
        "{share:.3} of the dated relations carry their date, under {DATED_RELATIONS_FLOOR}"
    );
}
