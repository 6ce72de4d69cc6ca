//! Relations on the fixture documents (`tests/fixtures/corpus` and
//! `tests/fixtures/relations`, written for these tests, not the samples): a gold file of what a careful reader finds in four of
//! them, scored with `dossier eval`; hedged and negated triggers must give
//! nothing; `dossier why` shows the evidence.

use crate::support::Scratch;

/// What the texts state, and nothing more: the news item's requests
/// ("urged the government to recognise"), conditionals ("could recognise"),
/// negations ("has not recognised") and drafts are not recognitions; a
/// signatory the gazetteers do not know gives nothing, and a dateline after
/// the last signatory is not part of their description.
const GOLD: &str = r#"{
  "documents": [
    {
      "file": "open_letter_prisoners.txt",
      "entities": [
        {"id": "dudayeva", "type": "person", "names": ["Alla Dudayeva"]},
        {"id": "yakubova", "type": "person", "names": ["Khava Yakubova"]},
        {"id": "khalidov", "type": "person", "names": ["Hamzat Khalidov"]},
        {"id": "merezhko", "type": "person", "names": ["Oleksandr Merezhko"]},
        {"id": "sakaliene", "type": "person", "names": ["Genovaite Šakaliene"]},
        {"id": "ismailov", "type": "person", "names": ["Zelim Ismailov"]},
        {"id": "istanbul", "type": "place", "names": ["Istanbul"]},
        {"id": "vilnius", "type": "place", "names": ["Vilnius"]},
        {"id": "paris", "type": "place", "names": ["Paris"]},
        {"id": "kyiv", "type": "place", "names": ["Kyiv"]},
        {"id": "warsaw", "type": "place", "names": ["Warsaw"]},
        {"id": "rada", "type": "organisation", "names": ["Verkhovna Rada"]},
        {"id": "seimas", "type": "organisation", "names": ["Seimas"]}
      ],
      "relations": [
        {"subject": "dudayeva", "relation": "signed", "object": "@document"},
        {"subject": "yakubova", "relation": "signed", "object": "@document"},
        {"subject": "khalidov", "relation": "signed", "object": "@document"},
        {"subject": "merezhko", "relation": "signed", "object": "@document"},
        {"subject": "sakaliene", "relation": "signed", "object": "@document"},
        {"subject": "ismailov", "relation": "signed", "object": "@document"},
        {"subject": "dudayeva", "relation": "resides-in", "object": "istanbul"},
        {"subject": "yakubova", "relation": "resides-in", "object": "vilnius"},
        {"subject": "khalidov", "relation": "resides-in", "object": "paris"},
        {"subject": "merezhko", "relation": "resides-in", "object": "kyiv"},
        {"subject": "sakaliene", "relation": "resides-in", "object": "vilnius"},
        {"subject": "ismailov", "relation": "resides-in", "object": "warsaw"},
        {"subject": "merezhko", "relation": "member-of", "object": "rada"},
        {"subject": "sakaliene", "relation": "member-of", "object": "seimas"}
      ]
    },
    {
      "file": "news_rada_appeal.txt",
      "entities": [
        {"id": "russia", "type": "state", "names": ["Russia"]},
        {"id": "crimea", "type": "place", "names": ["Crimea"]}
      ],
      "relations": [
        {"subject": "russia", "relation": "occupies", "object": "crimea"}
      ]
    },
    {
      "file": "resolution_seimas.txt",
      "entities": [
        {"id": "seimas", "type": "organisation", "names": ["Seimas"]},
        {"id": "russia", "type": "state", "names": ["Russia"]}
      ],
      "relations": [
        {"subject": "seimas", "relation": "condemned", "object": "russia"}
      ]
    },
    {
      "file": "news_recognition_vote.txt",
      "entities": [
        {"id": "seimas", "type": "organisation", "names": ["Seimas"]},
        {"id": "ichkeria", "type": "state", "names": ["Chechen Republic of Ichkeria", "Ichkeria"]},
        {"id": "russia", "type": "state", "names": ["Russian Federation", "Russia"]},
        {"id": "nauseda", "type": "person", "names": ["Gitanas Nausėda"]},
        {"id": "lithuania", "type": "state", "names": ["Lithuania"]}
      ],
      "relations": [
        {"subject": "seimas", "relation": "recognised", "object": "ichkeria"},
        {"subject": "russia", "relation": "occupies", "object": "ichkeria"},
        {"subject": "seimas", "relation": "condemned", "object": "russia"},
        {"subject": "nauseda", "relation": "leads", "object": "lithuania"}
      ]
    },
    {
      "file": "news_parliament_resolution.txt",
      "entities": [
        {"id": "ep", "type": "organisation", "names": ["European Parliament"]},
        {"id": "ichkeria", "type": "state", "names": ["Chechen Republic of Ichkeria", "Ichkeria"]},
        {"id": "russia", "type": "state", "names": ["Russian Federation", "Russia"]},
        {"id": "zakayev", "type": "person", "names": ["Akhmed Zakayev", "Zakayev"]},
        {"id": "government", "type": "organisation", "names": ["Ichkerian government"]},
        {"id": "london", "type": "place", "names": ["London"]},
        {"id": "estonia", "type": "state", "names": ["Estonia"]},
        {"id": "georgia", "type": "state", "names": ["Georgia"]}
      ],
      "relations": [
        {"subject": "ep", "relation": "recognised", "object": "ichkeria"},
        {"subject": "russia", "relation": "occupies", "object": "ichkeria"},
        {"subject": "ep", "relation": "condemned", "object": "russia"},
        {"subject": "zakayev", "relation": "leads", "object": "government"},
        {"subject": "zakayev", "relation": "resides-in", "object": "london"},
        {"subject": "estonia", "relation": "recognised", "object": "ichkeria"},
        {"subject": "russia", "relation": "occupies", "object": "georgia"}
      ]
    },
    {
      "file": "statement_signatories.txt",
      "entities": [
        {"id": "dudayeva", "type": "person", "names": ["Alla Dudayeva"]},
        {"id": "khalidov", "type": "person", "names": ["Hamzat Khalidov"]},
        {"id": "yakubova", "type": "person", "names": ["Khava Yakubova"]},
        {"id": "istanbul", "type": "place", "names": ["Istanbul"]},
        {"id": "paris", "type": "place", "names": ["Paris"]},
        {"id": "vilnius", "type": "place", "names": ["Vilnius"]},
        {"id": "seimas", "type": "organisation", "names": ["Seimas"]}
      ],
      "relations": [
        {"subject": "dudayeva", "relation": "signed", "object": "@document"},
        {"subject": "khalidov", "relation": "signed", "object": "@document"},
        {"subject": "yakubova", "relation": "signed", "object": "@document"},
        {"subject": "dudayeva", "relation": "resides-in", "object": "istanbul"},
        {"subject": "khalidov", "relation": "resides-in", "object": "paris"},
        {"subject": "yakubova", "relation": "resides-in", "object": "vilnius"},
        {"subject": "yakubova", "relation": "member-of", "object": "seimas"}
      ]
    },
    {
      "file": "resolution_rada.txt",
      "entities": [
        {"id": "rada", "type": "organisation", "names": ["Verkhovna Rada of Ukraine"]},
        {"id": "russia", "type": "state", "names": ["Russian Federation"]},
        {"id": "stefanchuk", "type": "person", "names": ["Ruslan Stefanchuk"]}
      ],
      "relations": [
        {"subject": "rada", "relation": "condemned", "object": "russia"},
        {"subject": "stefanchuk", "relation": "leads", "object": "rada"}
      ]
    },
    {
      "file": "news_opposition_visit.txt",
      "entities": [
        {"id": "russia", "type": "state", "names": ["Russia"]},
        {"id": "abkhazia", "type": "state", "names": ["Abkhazia"]},
        {"id": "ossetia", "type": "state", "names": ["South Ossetia"]}
      ],
      "relations": [
        {"subject": "russia", "relation": "occupies", "object": "abkhazia"},
        {"subject": "russia", "relation": "occupies", "object": "ossetia"}
      ]
    },
    {
      "file": "open_letter_numbered.txt",
      "entities": [
        {"id": "alaudinov", "type": "person", "names": ["Apti Alaudinov"]},
        {"id": "museridze", "type": "person", "names": ["Malkhaz Museridze"]},
        {"id": "kuchma", "type": "person", "names": ["Leonid Kuchma"]},
        {"id": "kobakhidze", "type": "person", "names": ["Irakli Kobakhidze"]},
        {"id": "chechnya", "type": "state", "names": ["Chechnya"]},
        {"id": "ukraine", "type": "state", "names": ["Ukraine"]},
        {"id": "georgia", "type": "state", "names": ["Georgia"]}
      ],
      "relations": [
        {"subject": "alaudinov", "relation": "signed", "object": "@document"},
        {"subject": "museridze", "relation": "signed", "object": "@document"},
        {"subject": "kuchma", "relation": "signed", "object": "@document"},
        {"subject": "kobakhidze", "relation": "signed", "object": "@document"},
        {"subject": "alaudinov", "relation": "resides-in", "object": "chechnya"},
        {"subject": "kuchma", "relation": "leads", "object": "ukraine"},
        {"subject": "kobakhidze", "relation": "leads", "object": "georgia"}
      ]
    },
    {
      "file": "news_deployment.txt",
      "entities": [
        {"id": "alaudinov", "type": "person", "names": ["Apti Alaudinov"]},
        {"id": "akhmat", "type": "organisation", "names": ["Akhmat special forces"]},
        {"id": "peskov", "type": "person", "names": ["Dmitry Peskov"]},
        {"id": "kremlin", "type": "organisation", "names": ["Kremlin"]}
      ],
      "relations": [
        {"subject": "alaudinov", "relation": "leads", "object": "akhmat"},
        {"subject": "peskov", "relation": "member-of", "object": "kremlin"}
      ]
    }
  ]
}"#;

#[test]
fn every_stated_relation_and_nothing_else() {
    let s = Scratch::with_fixture_graph();
    s.write("gold.json", GOLD);
    let table = s
        .run(&["eval", "--gold", "gold.json", "--verbose"])
        .ok()
        .stdout;
    println!("{table}");
    let report: serde_json::Value = s
        .run(&["eval", "--gold", "gold.json", "--format", "json"])
        .ok()
        .json();
    assert_eq!(report["relations_missed"], serde_json::json!([]), "{table}");
    assert_eq!(report["relations_false"], serde_json::json!([]), "{table}");
    let total = &report["relations_total"];
    assert_eq!(
        (total["gold"].as_u64(), total["found"].as_u64()),
        (Some(47), Some(47))
    );
}

#[test]
fn why_shows_the_sentence_with_both_names_marked() {
    let s = Scratch::with_fixture_graph();
    let run = s
        .run(&[
            "why",
            "Seimas",
            "recognised",
            "Ichkeria",
            "--format",
            "json",
        ])
        .ok();
    let rows: serde_json::Value = run.json();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{}", run.stdout);
    let row = &rows[0];
    assert_eq!(row["document"], "relations/news_recognition_vote.txt");
    assert_eq!(row["line"], 5);
    assert_eq!(row["rule"], "recognised-verb");
    assert_eq!(row["date"], "2031-12-02");
    let sentence = row["sentence"].as_str().unwrap();
    assert!(
        sentence.starts_with(
            "The [Seimas] on Tuesday recognised the [Chechen Republic of Ichkeria] as a state"
        ),
        "{sentence}"
    );
    // A signatory's evidence is its entry, and `signed` points at the
    // document, which may be named by part of its path.
    let run = s
        .run(&[
            "why",
            "Zelim Ismailov",
            "signed",
            "open_letter",
            "--format",
            "csv",
        ])
        .ok();
    assert!(
        run.stdout
            .contains("[Zelim Ismailov], lawyer for the families, in Warsaw"),
        "{}",
        run.stdout
    );
}

#[test]
fn why_explains_what_it_cannot_find() {
    let s = Scratch::with_fixture_graph();
    let run = s.run(&["why", "Seimas", "resides_in", "*"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("no relation kind is called `resides_in`"),
        "{}",
        run.stderr
    );
    let run = s.run(&["why", "Seimass", "recognised", "Ichkeria"]);
    assert!(
        run.stderr.contains("did you mean: Seimas"),
        "{}",
        run.stderr
    );
    // Nothing found is an answer: no rows, a note, exit 0.
    for (args, note) in [
        (
            ["Seimas", "occupies", "*"],
            "note: no evidence that `Seimas` occupies `*`\n",
        ),
        (
            ["Congo", "*", "*"],
            "note: no evidence that `Congo` (it names state `Democratic Republic of the Congo` and state `Republic of the Congo`) * `*`\n",
        ),
    ] {
        let run = s.run(&["why", args[0], args[1], args[2]]).ok();
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr, note, "{args:?}");
    }
    // (arguments, what the error says): a misspelt kind, an inverse kind,
    // an object that is neither entity nor document, a shared name.
    let cases = [
        (
            ["Seimas", "condemed", "Russia"],
            "error: no relation kind is called `condemed` (did you mean `condemned`?); the kinds are: ",
        ),
        (
            ["*", "recognised", "*"],
            "error: `why` needs a subject or an object",
        ),
        (
            ["Ukraine", "^recognised", "*"],
            "error: `why` reads SUBJECT RELATION OBJECT, with no `^`: swap the two names",
        ),
        (
            ["Alla Dudayeva", "signed", "nosuchdoc"],
            "error: no entity or document is named `nosuchdoc`",
        ),
    ];
    for (args, error) in cases {
        let run = s.run(&["why", args[0], args[1], args[2]]).expect_code(2);
        assert!(run.stderr.starts_with(error), "{args:?}: {}", run.stderr);
    }
}

/// `why '*' KIND NAME` lists everyone's evidence of that kind towards a
/// name; a kind the rules give that no document has stated yet is an empty
/// answer, not an unknown kind.
#[test]
fn why_anyone_and_kinds_not_stated_yet() {
    let s = Scratch::with_fixture_graph();
    let run = s
        .run(&["why", "*", "recognised", "Ichkeria", "-f", "json"])
        .ok();
    let rows: Vec<serde_json::Value> = run.json();
    let subjects: Vec<&str> = rows
        .iter()
        .map(|r| r["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["European Parliament", "Estonia", "Seimas"]);
    for row in &rows {
        assert_eq!(row["relation"], "recognised");
        assert!(row["start"].as_u64() < row["end"].as_u64(), "{row}");
    }
    // A kind an investigator's rule gives that no document states yet.
    let mine = s.path().join("mine");
    std::fs::create_dir_all(mine.join("relations")).unwrap();
    std::fs::write(
        mine.join("relations/praised.rules"),
        "[praised-verb]\nrelation = praised\nform = verb\ntriggers = praise | praised\nsubject = organisation state person\nobject = person organisation place state\n",
    )
    .unwrap();
    let s = s.also_gazetteer(&mine);
    let unstated = "praised";
    let run = s.run(&["why", "Seimas", unstated, "*"]).ok();
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("no document has given that kind of relation yet"),
        "{}",
        run.stderr
    );
    let query = format!("Seimas {unstated} ?x");
    let run = s.run(&["query", &query]).ok();
    assert!(run.stderr.contains("note: "), "{}", run.stderr);
}

#[test]
fn a_malformed_rule_names_its_file_and_line() {
    let s = Scratch::new();
    s.write("mine/people.tsv", "Jane Doe\n");
    s.write(
        "mine/relations/praise.rules",
        "# praise\n[praise-verb]\nrelation = praised\nform = adverb\n",
    );
    let check = s.run(&["gazetteer", "check", "--gazetteer", "mine"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let all = format!("{}{}", check.stdout, check.stderr);
    assert!(
        all.contains("mine/relations/praise.rules:4: error: unknown form `adverb`"),
        "{all}"
    );
    s.write("doc.txt", "Jane Doe wrote.\n");
    let ingest = s.run(&["--gazetteer", "mine", "ingest", "doc.txt"]);
    assert_eq!(ingest.code, 2);
    assert!(
        ingest
            .stderr
            .contains("praise.rules:4: unknown form `adverb`"),
        "{}",
        ingest.stderr
    );
}

/// The relations and evidence of a database, as rows that do not depend on
/// ids: (subject, kind, object, document, sentence start).
fn evidence_rows(s: &Scratch) -> Vec<(String, String, String, String, i64)> {
    let conn = rusqlite::Connection::open(s.db()).expect("open the database");
    let mut stmt = conn
        .prepare(
            "SELECT su.name, r.kind, COALESCE(ob.name, od.path), d.path, e.sentence_start
             FROM evidence e JOIN relations r ON r.id = e.relation_id
             JOIN entities su ON su.id = r.subject_id
             LEFT JOIN entities ob ON ob.id = r.object_entity_id
             LEFT JOIN documents od ON od.id = r.object_document_id
             JOIN documents d ON d.id = e.document_id
             ORDER BY 1, 2, 3, 4, 5",
        )
        .expect("prepare");
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

/// Ingest writes its batches without SQLite's foreign-key enforcement and
/// removes a replaced document's relations itself: after a document
/// changes, the database must hold exactly what a fresh ingest of the new
/// text gives, with no dangling reference and no relation left without
/// evidence.
#[test]
fn a_changed_document_replaces_its_relations_and_leaves_nothing_dangling() {
    let s = Scratch::with_fixture_graph();
    let letter = "relations/statement_signatories.txt";
    let before = evidence_rows(&s);
    assert!(
        before.iter().any(|r| r.3 == letter && r.1 == "signed"),
        "the fixture states signatures"
    );
    // Two signatories fewer, one other kept: some relations go with the
    // old text, some stay.
    let changed: String = s
        .read(letter)
        .lines()
        .filter(|l| !l.starts_with("1. ") && !l.starts_with("5. "))
        .map(|l| format!("{l}\n"))
        .collect();
    s.write(letter, &changed);
    s.ingest(&["corpus", "relations"]).ok();
    let after = evidence_rows(&s);
    assert_ne!(before, after, "the changed text must change the evidence");

    let fresh = Scratch::new();
    fresh.copy_fixture("corpus");
    fresh.copy_fixture("relations");
    fresh.write(letter, &changed);
    fresh.ingest(&["corpus", "relations"]).ok();
    assert_eq!(after, evidence_rows(&fresh));

    let conn = rusqlite::Connection::open(s.db()).expect("open the database");
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("foreign_key_check");
    assert_eq!(dangling, 0, "rows refer to rows that are gone");
    let bare: i64 = conn
        .query_row(
            "SELECT count(*) FROM relations r
             WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.relation_id = r.id)",
            [],
            |r| r.get(0),
        )
        .expect("relations without evidence");
    assert_eq!(bare, 0, "relations left without evidence");
}

/// The layouts of real letters in one invented document
/// (`tests/fixtures/layouts`): the authors named after "by" in its title,
/// a list of speakers under a colon (roles, no signatures), a closing
/// formula over labels, a name with an honour and its title on the next
/// line, a body and the person signing for it, and copies that do not
/// sign.
const LAYOUTS_GOLD: &str = r#"{
  "documents": [
    {
      "file": "joint_letter_layouts.txt",
      "entities": [],
      "relations": [
        {"subject": "merezhko", "relation": "signed", "object": "@document"},
        {"subject": "seimas", "relation": "signed", "object": "@document"},
        {"subject": "yakubova", "relation": "signed", "object": "@document"},
        {"subject": "khalidov", "relation": "member-of", "object": "memorial"},
        {"subject": "ismailov", "relation": "leads", "object": "rada"},
        {"subject": "dudayeva", "relation": "signed", "object": "@document"},
        {"subject": "dudayeva", "relation": "leads", "object": "memorial"},
        {"subject": "rada", "relation": "signed", "object": "@document"},
        {"subject": "sakaliene", "relation": "signed", "object": "@document"},
        {"subject": "sakaliene", "relation": "member-of", "object": "rada"}
      ]
    }
  ]
}"#;

#[test]
fn letter_layouts_give_what_a_reader_reads() {
    let s = Scratch::new();
    s.copy_fixture("layouts");
    s.ingest(&["layouts"]);
    // Entities are named by id in the gold relations; give each its names.
    let names = [
        ("merezhko", "person", "Oleksandr Merezhko"),
        ("seimas", "organisation", "Seimas"),
        ("yakubova", "person", "Khava Yakubova"),
        ("khalidov", "person", "Hamzat Khalidov"),
        ("ismailov", "person", "Zelim Ismailov"),
        ("dudayeva", "person", "Alla Dudayeva"),
        ("sakaliene", "person", "Genovaite Šakaliene"),
        ("memorial", "organisation", "Memorial"),
        ("rada", "organisation", "Verkhovna Rada"),
    ];
    let entities: Vec<serde_json::Value> = names
        .iter()
        .map(|(id, kind, name)| serde_json::json!({"id": id, "type": kind, "names": [name]}))
        .collect();
    let mut gold: serde_json::Value = serde_json::from_str(LAYOUTS_GOLD).unwrap();
    gold["documents"][0]["entities"] = serde_json::Value::Array(entities);
    s.write("gold.json", gold.to_string());
    let table = s
        .run(&["eval", "--gold", "gold.json", "--verbose"])
        .ok()
        .stdout;
    let report: serde_json::Value = s
        .run(&["eval", "--gold", "gold.json", "--format", "json"])
        .ok()
        .json();
    assert_eq!(report["relations_missed"], serde_json::json!([]), "{table}");
    assert_eq!(report["relations_false"], serde_json::json!([]), "{table}");
    // Nobody on the copy line signs, though the shipped lists know him.
    let why = s.run(&["why", "Akhmed Zakayev", "signed", "*"]).ok();
    assert_eq!(why.stdout, "");
    assert!(
        why.stderr.starts_with("note: no evidence"),
        "{}",
        why.stderr
    );
}
