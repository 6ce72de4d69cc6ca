//! When each piece of evidence was stated and when its relation held, on
//! the invented documents of `tests/fixtures/dates`: a letter whose date
//! stands between its body and a long list of signatures (and is misspelt),
//! statements dated by datelines in four languages, a chronicle whose dates
//! carry their year, and roles with periods and `former` marks. Checked
//! through `export json`, `why` and `export gexf`; also the helpers that
//! score dates on the shared corpora (`samples`, `dev`).

use crate::support::Scratch;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `export json`, as far as dates go.
#[derive(Debug, Deserialize)]
pub struct Dated {
    pub nodes: Vec<DatedNode>,
    pub edges: Vec<DatedEdge>,
}

/// A node: its names.
#[derive(Debug, Deserialize)]
pub struct DatedNode {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub path: Option<String>,
}

/// An edge: its ends, kind, period and evidence.
#[derive(Debug, Deserialize)]
pub struct DatedEdge {
    pub source: String,
    pub target: String,
    pub relation: String,
    pub from: Option<String>,
    pub until: Option<String>,
    #[serde(default)]
    pub former: bool,
    pub ended_by: Option<String>,
    pub evidence: Vec<DatedEvidence>,
}

/// A piece of evidence: where, when, and the period it gives.
#[derive(Debug, Deserialize)]
pub struct DatedEvidence {
    pub document: String,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
    #[serde(default)]
    pub former: bool,
}

impl Dated {
    /// `export json` of the scratch database.
    pub fn of(s: &Scratch) -> Dated {
        s.run(&["export", "json"]).ok().json()
    }

    /// Each node's canonical name (a document's path), by id.
    pub fn names(&self) -> BTreeMap<&str, &str> {
        self.nodes
            .iter()
            .map(|n| (n.id.as_str(), n.path.as_deref().unwrap_or(&n.name)))
            .collect()
    }

    /// The edge `subject relation object` (canonical names; a document by
    /// its path).
    #[track_caller]
    pub fn edge(&self, subject: &str, relation: &str, object: &str) -> &DatedEdge {
        let names = self.names();
        self.edges
            .iter()
            .find(|e| {
                e.relation == relation
                    && names.get(e.source.as_str()) == Some(&subject)
                    && names.get(e.target.as_str()) == Some(&object)
            })
            .unwrap_or_else(|| panic!("no `{subject} {relation} {object}` in export json"))
    }
}

/// The fixture documents, ingested.
fn fixture_dates() -> Scratch {
    let s = Scratch::new();
    s.copy_fixture("dates");
    s.ingest(&["dates"]);
    s
}

#[test]
fn every_piece_of_evidence_says_when_and_where_the_text_dates_it() {
    let s = fixture_dates();
    let graph = Dated::of(&s);
    let appeal = "dates/appeal_after_the_body.txt";
    // Every statement of the letter, its thirteen signatures included,
    // carries its date, misspelt ("Jule") and standing between the body
    // and the list.
    let in_appeal: Vec<&DatedEvidence> = graph
        .edges
        .iter()
        .flat_map(|e| &e.evidence)
        .filter(|v| v.document == appeal)
        .collect();
    let signed = graph
        .edges
        .iter()
        .filter(|e| e.relation == "signed" && e.evidence.iter().any(|v| v.document == appeal))
        .count();
    assert_eq!(signed, 13, "every signatory signed");
    for v in &in_appeal {
        assert_eq!(
            (v.date.as_deref(), v.date_source.as_deref()),
            (Some("2031-07-04"), Some("letter")),
            "{v:?}"
        );
    }
    // (subject, relation, object): the date of its evidence in the
    // document, and where the text gives it.
    #[rustfmt::skip]
    let table: &[(&str, &str, &str, &str, &str)] = &[
        ("Verkhovna Rada", "condemned", "Russia", "2031-08-24", "dateline"),
        ("Alla Dudayeva", "member-of", "Ukrainian Helsinki Union", "2031-03-03", "dateline"),
        ("Riigikogu", "recognised", "Chechen Republic of Ichkeria", "2030-12-05", "dateline"),
        // "Member of Memorial since 1994": said on the dateline's day.
        ("Oleg Orlov", "member-of", "Memorial", "2031-07-10", "dateline"),
        ("Seimas", "recognised", "Chechen Republic of Ichkeria", "2031-02-02", "sentence"),
        // "On 9 March", after a birth date that dates nothing.
        ("Saeima", "recognised", "Chechen Republic of Ichkeria", "2031-03-09", "sentence"),
    ];
    for &(subject, relation, object, date, source) in table {
        let edge = graph.edge(subject, relation, object);
        let dates: Vec<(Option<&str>, Option<&str>)> = edge
            .evidence
            .iter()
            .map(|v| (v.date.as_deref(), v.date_source.as_deref()))
            .collect();
        assert_eq!(
            dates,
            [(Some(date), Some(source))],
            "{subject} {relation} {object}"
        );
    }

    // Periods and former roles, per piece of evidence and per relation.
    let yakubova = graph.edge("Khava Yakubova", "member-of", "Seimas");
    let periods: Vec<(&str, Option<&str>, Option<&str>)> = yakubova
        .evidence
        .iter()
        .map(|v| (v.document.as_str(), v.from.as_deref(), v.until.as_deref()))
        .collect();
    assert_eq!(
        periods,
        [
            (appeal, Some("2016"), Some("2020")),
            ("dates/chronicle.txt", Some("2012"), Some("2016"))
        ]
    );
    assert_eq!(
        (
            yakubova.from.as_deref(),
            yakubova.until.as_deref(),
            yakubova.former
        ),
        (Some("2012"), Some("2020"), false)
    );
    for (subject, relation, object) in [
        ("Taras Protsevyat", "member-of", "Verkhovna Rada"),
        ("Vytautas Landsbergis", "leads", "Seimas"),
    ] {
        let edge = graph.edge(subject, relation, object);
        assert!(
            edge.former && edge.evidence.iter().all(|v| v.former),
            "{edge:?}"
        );
        assert_eq!(edge.ended_by.as_deref(), Some("2031-07-04"), "{edge:?}");
        assert_eq!((edge.from.as_ref(), edge.until.as_ref()), (None, None));
    }
    let orlov = graph.edge("Oleg Orlov", "member-of", "Memorial");
    assert_eq!((orlov.from.as_deref(), orlov.former), (Some("1994"), false));
    let signed = graph.edge("Khava Yakubova", "signed", appeal);
    assert_eq!(
        (signed.from.as_ref(), signed.until.as_ref(), signed.former),
        (None, None, false)
    );
}

#[test]
fn why_shows_where_the_date_comes_from_and_the_period() {
    let s = fixture_dates();
    let run = s
        .run(&[
            "why",
            "Khava Yakubova",
            "member-of",
            "Seimas",
            "--format",
            "csv",
        ])
        .ok();
    let mut lines = run.stdout.lines();
    let header = lines.next().unwrap_or_default();
    assert!(header.ends_with(",DATE,DATED BY,PERIOD"), "{header}");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{}", run.stdout);
    assert!(
        rows[0].ends_with(",2031-07-04,letter,2016..2020"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].ends_with(",2012,sentence,2012..2016"),
        "{}",
        rows[1]
    );
    let rows: serde_json::Value = s
        .run(&[
            "why",
            "Vytautas Landsbergis",
            "leads",
            "Seimas",
            "--format",
            "json",
        ])
        .ok()
        .json();
    let row = &rows[0];
    assert_eq!(row["date"], "2031-07-04");
    assert_eq!(row["date_source"], "letter");
    assert_eq!(row["former"], true);
    assert_eq!(row["from"], serde_json::Value::Null);
}

#[test]
fn the_timeline_starts_and_ends_edges_where_their_periods_do() {
    let s = fixture_dates();
    s.run(&["export", "gexf", "-o", "g.gexf"]).ok();
    let file = s.read("g.gexf");
    let graph = Dated::of(&s);
    // The opening tag of the GEXF edge of `subject relation object`.
    let tag = |subject: &str, relation: &str, object: &str| -> String {
        let edge = graph.edge(subject, relation, object);
        let opening = format!(
            "source=\"{}\" target=\"{}\" label=\"{relation}\"",
            edge.source, edge.target
        );
        file.lines()
            .find(|l| l.contains(&opening))
            .unwrap_or_else(|| panic!("no GEXF edge {opening}"))
            .to_string()
    };
    let yakubova = tag("Khava Yakubova", "member-of", "Seimas");
    assert!(
        yakubova.contains(r#"start="2012-01-01" end="2020-12-31""#),
        "{yakubova}"
    );
    // A former role: over by the letter's date, its start unknown.
    let landsbergis = tag("Vytautas Landsbergis", "leads", "Seimas");
    assert!(
        landsbergis.contains(r#"end="2031-07-04""#) && !landsbergis.contains("start="),
        "{landsbergis}"
    );
    // A signature: from the day it was signed.
    let signed = tag(
        "Khava Yakubova",
        "signed",
        "dates/appeal_after_the_body.txt",
    );
    assert!(
        signed.contains(r#"start="2031-07-04""#) && !signed.contains("end="),
        "{signed}"
    );
    assert!(file.contains(r#"<attvalue for="former" value="true"/>"#));
    assert!(file.contains(r#"<attvalue for="valid-from" value="2012"/>"#));
}

/// Queries filter on what the evidence says of a relation's period:
/// `from(?r)`, `until(?r)` (ISO dates, compared as written) and
/// `former(?r)`, on a variable in the relation's place.
#[test]
fn queries_filter_on_periods() {
    let s = fixture_dates();
    let cases = [
        (
            "?p ?r Seimas where former(?r) = yes return ?p, ?r",
            "p                     r\nVytautas Landsbergis  leads\n",
        ),
        (
            "?p ?r Seimas where from(?r) >= 2012 and until(?r) <= 2020 return ?p, ?r",
            "p               r\nKhava Yakubova  member-of\n",
        ),
        // A relation whose text gives no date is neither before nor after.
        ("?p ?r Seimas where until(?r) < 2012 return ?p", "p\n"),
    ];
    for (query, expected) in cases {
        let run = s.run(&["query", query]).ok();
        assert_eq!(run.stdout, expected, "{query}");
    }
    let run = s
        .run(&["query", "?p member-of Seimas where from(?p) > 1"])
        .expect_code(2);
    assert!(
        run.stderr
            .contains("`from(…)` reads a relation variable, and `?p` is a node"),
        "{}",
        run.stderr
    );
}
