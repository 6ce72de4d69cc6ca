//! The reading commands: `entities`, `mentions` and `documents` in each
//! format, `export json` and `eval`.

use crate::support::{Entity, Scratch, cell, parse_table};
use std::collections::BTreeSet;

/// The fixture corpus ingested with the test gazetteer.
fn corpus_with_fixture_gazetteer() -> Scratch {
    let s = Scratch::with_fixture_gazetteer();
    s.copy_fixture("corpus");
    s.ingest(&["corpus"]);
    s
}

/// The fixture corpus ingested with the shipped gazetteers.
fn corpus_with_shipped_gazetteers() -> Scratch {
    let s = Scratch::new();
    s.copy_fixture("corpus");
    s.ingest(&["corpus"]);
    s
}

const FAX: &str = "corpus/fax_transcript_line_breaks.txt";

#[test]
fn entities_table_of_one_document() {
    let s = corpus_with_fixture_gazetteer();
    let run = s.run(&["entities", "--document", "fax_transcript"]).ok();
    assert_eq!(
        run.stdout,
        "\
TYPE          NAME                          MENTIONS  AMBIGUOUS  DOCS  DOCUMENTS
state         Chechen Republic of Ichkeria         1          0     1  corpus/fax_transcript_line_breaks.txt
person        Dzhokhar Dudayev                     1          0     1  corpus/fax_transcript_line_breaks.txt
state         Lithuania                            1          0     1  corpus/fax_transcript_line_breaks.txt
person        Ramzan Kadyrov                       1          0     1  corpus/fax_transcript_line_breaks.txt
organisation  Seimas                               1          0     1  corpus/fax_transcript_line_breaks.txt
organisation  Verkhovna Rada                       1          0     1  corpus/fax_transcript_line_breaks.txt
place         Vilnius                              1          0     1  corpus/fax_transcript_line_breaks.txt
"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn entities_table_is_aligned_and_agrees_with_json() {
    let s = corpus_with_shipped_gazetteers();
    let table = s.run(&["entities"]).ok().stdout;
    let rows = parse_table(&table, &["MENTIONS", "AMBIGUOUS", "DOCS"]);
    let json = s.entities(&[]);
    assert_eq!(rows.len(), json.len());
    assert_eq!(rows.len(), 56);
    for (row, entity) in rows.iter().zip(&json) {
        assert_eq!(cell(row, "TYPE"), entity.kind);
        assert_eq!(cell(row, "NAME"), entity.name);
        assert_eq!(cell(row, "MENTIONS"), entity.mentions.to_string());
        assert_eq!(cell(row, "AMBIGUOUS"), entity.ambiguous.to_string());
        assert_eq!(cell(row, "DOCS"), entity.documents.len().to_string());
        // DOCUMENTS is cut at 60 columns, ending with `…` when cut.
        let all = entity.documents.join(", ");
        let shown = cell(row, "DOCUMENTS");
        if all.chars().count() <= 60 {
            assert_eq!(shown, all);
        } else {
            assert_eq!(shown.chars().count(), 60, "{shown}");
            let kept = shown.strip_suffix('…').expect("cut with …");
            assert!(all.starts_with(kept), "{shown} / {all}");
        }
    }
}

#[test]
fn entities_csv_agrees_with_json() {
    let s = corpus_with_shipped_gazetteers();
    let csv_text = s.run(&["entities", "--format", "csv"]).ok().stdout;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        ["TYPE", "NAME", "MENTIONS", "AMBIGUOUS", "DOCS", "DOCUMENTS"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let json = s.entities(&[]);
    let want: Vec<Vec<String>> = json
        .iter()
        .map(|e| {
            vec![
                e.kind.clone(),
                e.name.clone(),
                e.mentions.to_string(),
                e.ambiguous.to_string(),
                e.documents.len().to_string(),
                e.documents.join("|"),
            ]
        })
        .collect();
    assert_eq!(rows, want);
    // The JSON documents are the full, sorted lists.
    let russia = json.iter().find(|e| e.name == "Russia").unwrap();
    assert_eq!(
        russia.documents,
        [
            "corpus/congo_briefing.txt",
            "corpus/news_rada_appeal.txt",
            "corpus/open_letter_prisoners.txt",
            "corpus/resolution_seimas.txt",
            "corpus/round_table_notes.txt"
        ]
    );
}

#[test]
fn entities_by_type_and_limit() {
    let s = corpus_with_fixture_gazetteer();
    // Rows: the --type value, the names listed.
    let cases: &[(&str, &[&str])] = &[
        (
            "person",
            &[
                "Volodymyr Zelensky",
                "Genovaite Šakaliene",
                "Ramzan Kadyrov",
                "Alla Dudayeva",
                "Dzhokhar Dudayev",
            ],
        ),
        (
            "people",
            &[
                "Volodymyr Zelensky",
                "Genovaite Šakaliene",
                "Ramzan Kadyrov",
                "Alla Dudayeva",
                "Dzhokhar Dudayev",
            ],
        ),
        (
            "org",
            &["Seimas", "United Nations", "Verkhovna Rada", "Memorial"],
        ),
        (
            "place",
            &["Vilnius", "Grozny", "Tbilisi", "Urus-Martan", "Georgia"],
        ),
        (
            "country",
            &[
                "Russia",
                "Chechen Republic of Ichkeria",
                "Ukraine",
                "Lithuania",
                "United States",
                "Georgia",
            ],
        ),
    ];
    for (kind, want) in cases {
        let got: Vec<String> = s
            .entities(&["--type", kind])
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(got, *want, "--type {kind}");
    }
    let limited: Vec<String> = s
        .entities(&["--type", "person", "--limit", "2"])
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(limited, ["Volodymyr Zelensky", "Genovaite Šakaliene"]);
    assert_eq!(s.entities(&["-n", "0"]), Vec::<Entity>::new());
    let bad = s.run(&["entities", "--type", "planet"]).expect_code(2);
    assert_eq!(
        bad.stderr,
        "error: unknown entity type `planet` (expected person, organisation, place or state)\n"
    );
}

#[test]
fn entities_of_one_document() {
    let s = corpus_with_fixture_gazetteer();
    let names = |args: &[&str]| -> Vec<String> {
        s.entities(args)
            .into_iter()
            .map(|e| format!("{} {}", e.name, e.mentions))
            .collect()
    };
    let fax = [
        "Chechen Republic of Ichkeria 1",
        "Dzhokhar Dudayev 1",
        "Lithuania 1",
        "Ramzan Kadyrov 1",
        "Seimas 1",
        "Verkhovna Rada 1",
        "Vilnius 1",
    ];
    // By full path, by id, by a unique part of the path.
    assert_eq!(names(&["--document", FAX]), fax);
    assert_eq!(names(&["-d", "3"]), fax);
    assert_eq!(names(&["-d", "line_breaks"]), fax);
    // With a type and a limit.
    assert_eq!(
        names(&["-d", "resolution", "-t", "state", "-n", "3"]),
        ["Ukraine 3", "Chechen Republic of Ichkeria 2", "Lithuania 2"]
    );
    // Every row of a document's listing names only that document.
    for e in s.entities(&["-d", "congo"]) {
        assert_eq!(e.documents, ["corpus/congo_briefing.txt"]);
    }
    let unknown = s.run(&["entities", "-d", "nowhere"]).expect_code(2);
    assert_eq!(
        unknown.stderr,
        "error: no stored document matches `nowhere`; `dossier documents` lists them\n"
    );
    let several = s.run(&["entities", "-d", "_"]).expect_code(2);
    assert_eq!(
        several.stderr,
        "error: `_` matches 7 documents: corpus/case_notes.md, corpus/congo_briefing.txt, \
corpus/fax_transcript_line_breaks.txt, corpus/news_rada_appeal.txt, \
corpus/open_letter_prisoners.txt, corpus/resolution_seimas.txt, corpus/round_table_notes.txt\n"
    );
}

#[test]
fn mentions_in_each_format() {
    let s = corpus_with_fixture_gazetteer();
    let table = s.run(&["mentions", "dudayev"]).ok();
    assert_eq!(
        table.stdout,
        "\
DOCUMENT                               LINE  MENTION
corpus/case_notes.md                     13  …1. Check whether any of *[Dzhokhar Dudayev]*'s former bodyguards are among the missing.…
corpus/fax_transcript_line_breaks.txt     6  …keria will arrive on Tuesday. It will be led by a nephew of [Dzhokhar Dudayev] and accompanied by two advisers of the Verkhovna Rada. The …
"
    );
    assert_eq!(table.stderr, "");

    let json = s.mentions("dudayev");
    assert_eq!(json.len(), 2);
    let fax = &json[1];
    assert_eq!(
        (
            fax.kind.as_str(),
            fax.entity.as_str(),
            fax.document.as_str(),
            fax.line,
            fax.surface.as_str(),
            fax.resolution.as_str()
        ),
        (
            "person",
            "Dzhokhar Dudayev",
            FAX,
            6,
            "Dzhokhar\nDudayev",
            "unique"
        )
    );
    let text = std::fs::read_to_string(s.path().join(FAX)).unwrap();
    assert_eq!(&text[fax.start..fax.end], "Dzhokhar\nDudayev");
    assert_eq!(
        fax.before,
        "keria will arrive on Tuesday. It will be led by a nephew of "
    );
    assert_eq!(
        fax.after,
        " and accompanied by two advisers of the Verkhovna Rada. The "
    );

    let csv_text = s
        .run(&["mentions", "Dzhokhar Dudayev", "-f", "csv"])
        .ok()
        .stdout;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["DOCUMENT", "LINE", "MENTION"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], FAX);
    assert_eq!(rows[1][1], "6");
    // The surface's line break is folded like the context around it.
    let surface = fax.surface.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        rows[1][2],
        format!("{}[{}]{}", fax.before, surface, fax.after)
    );
}

#[test]
fn mentions_line_numbers_in_a_hard_wrapped_text() {
    let s = corpus_with_fixture_gazetteer();
    let got: Vec<(usize, String)> = s
        .all_mentions()
        .into_iter()
        .filter(|m| m.document == FAX)
        .map(|m| (m.line, m.surface.replace('\n', "⏎")))
        .collect();
    let want = [
        (4, "Chechen Republic of⏎Ichkeria"),
        (6, "Dzhokhar⏎Dudayev"),
        (8, "Verkhovna⏎Rada"),
        (10, "Seimas"),
        (11, "Vilnius"),
        (11, "Ramzan⏎    Kadyrov"),
        (15, "Lithuania"),
    ];
    let want: Vec<(usize, String)> = want.iter().map(|(l, s)| (*l, s.to_string())).collect();
    assert_eq!(got, want);
}

#[test]
fn mentions_by_any_name_in_any_case() {
    let s = corpus_with_fixture_gazetteer();
    // Rows: what is typed, the entity found, its number of mentions.
    let cases = [
        (
            "Chechen Republic of Ichkeria",
            "Chechen Republic of Ichkeria",
            7,
        ),
        ("ichkeria", "Chechen Republic of Ichkeria", 7),
        ("NOXCIYCO", "Chechen Republic of Ichkeria", 7),
        ("Ичкерия", "Chechen Republic of Ichkeria", 7),
        ("Zelenskyy", "Volodymyr Zelensky", 4),
        ("genovaite sakaliene", "Genovaite Šakaliene", 3),
        ("кадыров", "Ramzan Kadyrov", 3),
        ("Verkhovna  Rada", "Verkhovna Rada", 5),
        ("Urus–Martan", "Urus-Martan", 1),
    ];
    for (typed, entity, count) in cases {
        let got = s.mentions(typed);
        assert_eq!(got.len(), count, "{typed}");
        assert!(got.iter().all(|m| m.entity == entity), "{typed}: {got:?}");
    }
}

#[test]
fn mentions_of_an_entity_no_document_names() {
    let s = corpus_with_fixture_gazetteer();
    assert_eq!(
        s.run(&["mentions", "Atlanta"]).ok().stdout,
        "DOCUMENT  LINE  MENTION\n"
    );
    assert_eq!(s.mentions("Atlanta"), []);
}

#[test]
fn mentions_of_an_unknown_name_suggest_similar_ones() {
    let s = corpus_with_fixture_gazetteer();
    // Rows: what is typed, the whole stderr.
    let cases = [
        (
            "Ramzan Kadyrow",
            "error: no entity is named `Ramzan Kadyrow`; did you mean: Ramzan Kadyrov?\n",
        ),
        (
            "Republic of Georgia Tbilisi",
            "error: no entity is named `Republic of Georgia Tbilisi`; did you mean: Georgia, Tbilisi, Chechen Republic of Ichkeria, Seimas, Lithuania?\n",
        ),
        (
            "Dudayeva",
            "error: no entity is named `Dudayeva`; did you mean: Alla Dudayeva, Dzhokhar Dudayev?\n",
        ),
        (
            "Zelenski",
            "error: no entity is named `Zelenski`; did you mean: Volodymyr Zelensky?\n",
        ),
        ("Nobody", "error: no entity is named `Nobody`\n"),
    ];
    for (typed, want) in cases {
        let run = s.run(&["mentions", typed]).expect_code(2);
        assert_eq!(run.stdout, "", "{typed}");
        assert_eq!(run.stderr, want, "{typed}");
    }
}

/// `Store::similar_names` documents its suggestions as "most mentioned
/// first"; with the shipped gazetteers, a word such as `republic` is shared
/// by dozens of names, and the one the documents actually mention should
/// come before those that no document names.
#[test]
fn suggestions_put_the_most_mentioned_names_first() {
    let s = corpus_with_shipped_gazetteers();
    let run = s.run(&["mentions", "Republic of Atlantis"]).expect_code(2);
    let (_, list) = run
        .stderr
        .split_once("did you mean: ")
        .unwrap_or_else(|| panic!("no suggestion: {}", run.stderr));
    let first = list.split(", ").next().unwrap();
    assert_eq!(
        first, "Chechen Republic of Ichkeria",
        "the most mentioned name sharing a word should come first: {}",
        run.stderr
    );
}

#[test]
fn documents_in_each_format() {
    let s = corpus_with_fixture_gazetteer();
    let table = s.run(&["documents"]).ok().stdout;
    assert_eq!(
        table,
        "\
ID  PATH                                   TITLE                                                 SIZE  MENTIONS  ENTITIES  UNLISTED  ENCODING
 1  corpus/case_notes.md                   Case notes: the Vilnius letter and its signatories  1.0 kB         9         7         2  UTF-8
 2  corpus/congo_briefing.txt              Briefing note: cargo flights on the Congo route      652 B         2         2         0  UTF-8
 3  corpus/fax_transcript_line_breaks.txt  FAX TRANSCRIPT, page 2 of 3                          491 B         7         7         0  UTF-8
 4  corpus/news_rada_appeal.txt            Rada adopts appeal on Chechen and Ukrainian detai…   998 B        10         7         2  UTF-8
 5  corpus/open_letter_prisoners.txt       Open letter to the parliaments of the Baltic stat…  1.5 kB        14         9         4  UTF-8
 6  corpus/resolution_seimas.txt           SEIMAS OF THE REPUBLIC OF LITHUANIA                 1.1 kB        17         9         0  UTF-8
 7  corpus/round_table_notes.txt           Notes from the Tbilisi round table, 22 November 2…  1.0 kB        12         9         1  UTF-8
"
    );
    let rows = parse_table(&table, &["ID", "SIZE", "MENTIONS", "ENTITIES", "UNLISTED"]);
    let json = s.documents();
    assert_eq!(rows.len(), json.len());
    for (row, d) in rows.iter().zip(&json) {
        assert_eq!(cell(row, "ID"), d.id.to_string());
        assert_eq!(cell(row, "PATH"), d.path);
        assert_eq!(cell(row, "MENTIONS"), d.mentions.to_string());
        assert_eq!(cell(row, "UNLISTED"), d.unlisted.to_string());
        // ingested_at is UTC ISO 8601 to the second.
        assert_eq!(d.ingested_at.len(), 20, "{}", d.ingested_at);
        assert!(d.ingested_at.ends_with('Z') && d.ingested_at.as_bytes()[10] == b'T');
    }
    let csv_text = s.run(&["documents", "-f", "csv"]).ok().stdout;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "ID", "PATH", "TITLE", "SIZE", "MENTIONS", "ENTITIES", "UNLISTED", "ENCODING"
        ]
    );
    let got: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let want: Vec<Vec<String>> = json
        .iter()
        .map(|d| {
            vec![
                d.id.to_string(),
                d.path.clone(),
                d.title.clone(),
                d.size.to_string(),
                d.mentions.to_string(),
                d.entities.to_string(),
                d.unlisted.to_string(),
                d.encoding.clone(),
            ]
        })
        .collect();
    assert_eq!(got, want, "CSV has the whole title and the size in bytes");
}

#[test]
fn reading_commands_need_a_database() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("gold.json", r#"{"documents": []}"#);
    let commands: &[&[&str]] = &[
        &["entities"],
        &["mentions", "Vilnius"],
        &["documents"],
        &["export", "json"],
        &["eval", "--gold", "gold.json"],
    ];
    for command in commands {
        let run = s.run(command).expect_code(2);
        assert_eq!(
            run.stderr,
            format!(
                "error: no database at {}: ingest documents first (`dossier ingest PATH`), or point --db / DOSSIER_DB at one\n",
                s.db().display()
            ),
            "{command:?}"
        );
        assert!(!s.db().exists(), "{command:?} created the database");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let s = Scratch::with_fixture_gazetteer();
    for i in 0..1500 {
        s.write(
            &format!("many/doc_{i:04}.txt"),
            format!("Note {i} on a long title that fills the pipe quickly\nVilnius\n"),
        );
    }
    s.run(&["-q", "ingest", "many"]).ok();
    // (arguments, how the first line starts): query JSON goes through serde_json,
    // which keeps its io::Error out of the chain of sources.
    for (args, first_line) in [
        (&["documents"][..], "ID  PATH"),
        (&["query", "documents", "--format", "json"][..], "["),
    ] {
        let mut child = s
            .command(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::BufRead;
            let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
            let mut first = String::new();
            stdout.read_line(&mut first).unwrap();
            assert!(first.trim_start().starts_with(first_line), "{first}");
            // Dropping the reader closes the pipe, like `| head -1`.
        }
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

/// Keys of every node of the export, in order.
const NODE_KEYS: [&str; 8] = [
    "id",
    "type",
    "name",
    "aliases",
    "attributes",
    "documents",
    "mentions",
    "ambiguous_mentions",
];

#[test]
fn export_json_structure() {
    let s = corpus_with_shipped_gazetteers();
    let text = s.run(&["export", "json"]).ok().stdout;
    let graph: serde_json::Value = serde_json::from_str(&text).unwrap();
    let top: Vec<&String> = graph.as_object().unwrap().keys().collect();
    assert_eq!(top, ["edges", "nodes"]);
    assert!(graph["edges"].is_array());
    let nodes = graph["nodes"].as_array().unwrap();
    // One node per line, between the opening and closing lines.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "{\"nodes\":[");
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("{\"id\":")).count(),
        nodes.len()
    );

    let mut ids = BTreeSet::new();
    let (mut documents, mut entities) = (Vec::new(), Vec::new());
    for node in nodes {
        let object = node.as_object().unwrap();
        for key in NODE_KEYS {
            assert!(object.contains_key(key), "{key} missing in {node}");
        }
        assert!(
            ids.insert(node["id"].as_str().unwrap().to_string()),
            "duplicate id"
        );
        if node["type"] == "document" {
            assert!(node["id"].as_str().unwrap().starts_with("document:"));
            assert_eq!(object.len(), NODE_KEYS.len() + 1, "{node}");
            assert_eq!(node["documents"][0], node["path"]);
            assert_eq!(node["aliases"], serde_json::json!([]));
            documents.push(node.clone());
        } else {
            assert!(node["id"].as_str().unwrap().starts_with("entity:"));
            assert_eq!(
                object.len(),
                NODE_KEYS.len(),
                "entities have no path: {node}"
            );
            entities.push(node.clone());
        }
    }
    // Document nodes match `documents`.
    let listed = s.documents();
    assert_eq!(documents.len(), listed.len());
    for (node, d) in documents.iter().zip(&listed) {
        assert_eq!(node["id"], format!("document:{}", d.id));
        assert_eq!(node["path"], d.path.as_str());
        assert_eq!(node["name"], d.title.as_str());
        assert_eq!(node["mentions"], d.mentions);
        assert_eq!(node["attributes"]["size"], d.size);
        assert_eq!(node["attributes"]["encoding"], d.encoding.as_str());
        assert_eq!(node["attributes"]["ingested_at"], d.ingested_at.as_str());
        assert_eq!(node["attributes"]["sha256"].as_str().unwrap().len(), 64);
    }
    // Entity nodes are the entities `entities` lists, with the same counts,
    // but for the members of a `same-as` group, which `entities` lists
    // each and the export counts under their node (the shipped Chechnya is
    // Ichkeria's).
    let mut from_nodes: Vec<(String, String, i64, i64, Vec<String>)> = entities
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap().to_string(),
                n["name"].as_str().unwrap().to_string(),
                n["mentions"].as_i64().unwrap(),
                n["ambiguous_mentions"].as_i64().unwrap(),
                serde_json::from_value(n["documents"].clone()).unwrap(),
            )
        })
        .collect();
    let mut from_listing: Vec<(String, String, i64, i64, Vec<String>)> = s
        .entities(&[])
        .into_iter()
        .map(|e| {
            (
                format!("entity:{}", e.id),
                e.name,
                e.mentions,
                e.ambiguous,
                e.documents,
            )
        })
        .collect();
    let conn =
        rusqlite::Connection::open_with_flags(s.db(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let groups: Vec<(i64, i64, String)> = conn
        .prepare(
            "SELECT s.entity_id, s.node_id, n.name FROM same_as s JOIN entities n ON n.id = s.node_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!groups.is_empty(), "the shipped lists have a group");
    for (member, node, name) in groups {
        let Some(at) = from_listing
            .iter()
            .position(|row| row.0 == format!("entity:{member}"))
        else {
            continue;
        };
        let (_, _, mentions, ambiguous, documents) = from_listing.remove(at);
        let node_id = format!("entity:{node}");
        if !from_listing.iter().any(|row| row.0 == node_id) {
            from_listing.push((node_id.clone(), name, 0, 0, Vec::new()));
        }
        let row = from_listing
            .iter_mut()
            .find(|row| row.0 == node_id)
            .unwrap();
        row.2 += mentions;
        row.3 += ambiguous;
        row.4.extend(documents);
        row.4.sort();
        row.4.dedup();
    }
    from_nodes.sort();
    from_listing.sort();
    assert_eq!(from_nodes, from_listing);
    // Gazetteer aliases (sorted) and attributes come along.
    let zelensky = entities
        .iter()
        .find(|n| n["name"] == "Volodymyr Zelensky")
        .unwrap();
    assert_eq!(zelensky["type"], "person");
    assert_eq!(
        zelensky["aliases"],
        serde_json::json!([
            "Vladimir Zelensky",
            "Volodymyr Zelenskiy",
            "Volodymyr Zelenskyy",
            "Zelenskiy",
            "Zelensky",
            "Zelenskyy"
        ])
    );
    assert_eq!(
        zelensky["attributes"],
        serde_json::json!({"country": "Ukraine"})
    );
    let roc = entities
        .iter()
        .find(|n| n["name"] == "Republic of the Congo")
        .unwrap();
    assert_eq!(
        (roc["mentions"].as_i64(), roc["ambiguous_mentions"].as_i64()),
        (Some(0), Some(2))
    );
}

#[test]
fn export_json_is_deterministic_and_can_go_to_a_file() {
    let s = corpus_with_shipped_gazetteers();
    let first = s.run(&["export", "json"]).ok().stdout;
    let second = s.run(&["export", "json"]).ok().stdout;
    assert!(first == second, "two exports differ");
    let run = s.run(&["export", "json", "-o", "graph.json"]).ok();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    assert!(
        s.read("graph.json") == first,
        "the file differs from stdout"
    );
    let leftovers: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("graph") && n != "graph.json")
        .collect();
    assert_eq!(leftovers, Vec::<String>::new(), "temporary files left");
}

/// A gold file for two documents of the fixture corpus, scored against the
/// shipped gazetteers.
const GOLD: &str = r#"{
  "documents": [
    {
      "file": "fax_transcript_line_breaks.txt",
      "title": "FAX TRANSCRIPT, page 2 of 3",
      "entities": [
        {"id": "ichkeria", "type": "state", "names": ["Chechen Republic of Ichkeria"]},
        {"id": "dudayev", "type": "person", "names": ["Dzhokhar Dudayev"]},
        {"id": "kadyrov", "type": "person", "names": ["Ramzan Kadyrov"]},
        {"id": "seimas", "type": "organisation", "names": ["Seimas"]},
        {"id": "rada", "type": "organisation", "names": ["Verkhovna Rada"]},
        {"id": "committee", "type": "organisation", "names": ["Foreign Affairs Committee"]},
        {"id": "vilnius", "type": "place", "names": ["Vilnius"]}
      ],
      "relations": []
    },
    {
      "file": "congo_briefing.txt",
      "entities": [
        {"id": "russia", "type": "state", "names": ["Russian Federation"]},
        {"id": "congo", "type": "state", "names": ["Congo"]},
        {"id": "un", "type": "organisation", "names": ["UN"]},
        {"id": "wagner", "type": "organisation", "names": ["Wagner Group"]},
        {"id": "kinshasa", "type": "place", "names": ["Kinshasa"]},
        {"id": "brazzaville", "type": "place", "names": ["Brazzaville"]}
      ]
    },
    {"file": "not_ingested.txt", "entities": []}
  ]
}"#;

#[test]
fn eval_scores_entities_per_type() {
    let s = corpus_with_shipped_gazetteers();
    s.write("gold.json", GOLD);
    // Exit 1: a gold document is not in the database.
    let run = s
        .run(&["eval", "--gold", "gold.json", "--verbose"])
        .expect_code(1);
    assert_eq!(
        run.stdout,
        "\
ENTITIES      GOLD  FOUND  PREDICTED  CORRECT  PRECISION  RECALL     F1
organisation     5      4          4        4      1.000   0.800  0.889
person           2      2          2        2      1.000   1.000  1.000
place            3      3          3        3      1.000   1.000  1.000
state            3      3          5        4      0.800   1.000  0.889
all entities    13     12         14       13      0.929   0.923  0.926

RELATIONS      GOLD  FOUND  PREDICTED  CORRECT  PRECISION  RECALL   F1
all relations     0      0          0        0        n/a     n/a  n/a

missed          fax_transcript_line_breaks.txt  organisation `Foreign Affairs Committee`
false positive  fax_transcript_line_breaks.txt  state `Lithuania`
"
    );
    assert_eq!(
        run.stderr,
        "warning: gold document not_ingested.txt is not in the database: the scores leave it out\n"
    );
    let json: serde_json::Value = s
        .run(&["eval", "--gold", "gold.json", "--format", "json"])
        .expect_code(1)
        .json();
    assert_eq!(
        json["entities_total"],
        serde_json::json!({"gold": 13, "found": 12, "predicted": 14, "correct": 13})
    );
    assert_eq!(
        json["entities"]["state"],
        serde_json::json!({"gold": 3, "found": 3, "predicted": 5, "correct": 4})
    );
    assert_eq!(
        json["missing_documents"],
        serde_json::json!(["not_ingested.txt"])
    );
    assert_eq!(
        json["false_positives"],
        serde_json::json!([{"document": "fax_transcript_line_breaks.txt", "type": "state", "name": "Lithuania"}])
    );
}

#[test]
fn eval_with_a_bad_gold_file_is_exit_2() {
    let s = corpus_with_fixture_gazetteer();
    s.write("gold.json", "{\"documents\": [}");
    let run = s.run(&["eval", "--gold", "gold.json"]).expect_code(2);
    assert!(
        run.stderr.starts_with("error: gold file: "),
        "{}",
        run.stderr
    );
    // No gold document in the database: no scores at all.
    s.write(
        "gold.json",
        r#"{"documents": [{"file": "elsewhere.txt", "entities": []}]}"#,
    );
    let none = s.run(&["eval", "--gold", "gold.json"]).expect_code(2);
    assert_eq!(none.stdout, "");
    assert!(
        none.stderr
            .starts_with("error: none of the 1 gold document(s) of gold.json is in the database"),
        "{}",
        none.stderr
    );
    let missing = s.run(&["eval", "--gold", "nope.json"]).expect_code(2);
    assert!(
        missing.stderr.starts_with("error: cannot read nope.json: "),
        "{}",
        missing.stderr
    );
}

/// The gold of `tests/fixtures/by_rule/docs`: the Seimas's recognition is
/// stated three times by two rules; the Rada condemned the man who made the
/// arrest, not the woman arrested, which the condemning rule misreads.
const BY_RULE_GOLD: &str = r#"{
  "documents": [
    {
      "file": "sitting_report.txt",
      "entities": [
        {"id": "seimas", "type": "organisation", "names": ["Seimas"]},
        {"id": "rada", "type": "organisation", "names": ["Verkhovna Rada"]},
        {"id": "un", "type": "organisation", "names": ["United Nations"]},
        {"id": "ichkeria", "type": "state", "names": ["Chechen Republic of Ichkeria", "Ichkeria"]},
        {"id": "sakaliene", "type": "person", "names": ["Genovaite Šakaliene"]},
        {"id": "kadyrov", "type": "person", "names": ["Ramzan Kadyrov"]}
      ],
      "relations": [
        {"subject": "seimas", "relation": "recognised", "object": "ichkeria"},
        {"subject": "rada", "relation": "condemned", "object": "kadyrov"}
      ]
    }
  ]
}"#;

#[test]
fn eval_by_rule_scores_each_rule_and_names_those_that_never_fired() {
    let s = Scratch::new().gazetteers(&[
        &crate::support::fixture("gazetteer"),
        &crate::support::fixture("by_rule/rules"),
    ]);
    s.copy_fixture("by_rule");
    s.ingest(&["by_rule/docs"]);
    s.write("gold.json", BY_RULE_GOLD);
    let run = s.run(&["eval", "--gold", "gold.json", "--by-rule"]).ok();
    // One relation found by two rules counts once in RELATIONS and once for
    // each rule; `appealed-to` is not a scored kind.
    assert_eq!(
        &run.stdout[run.stdout.find("\nRELATIONS").unwrap() + 1..],
        "\
RELATIONS      GOLD  FOUND  PREDICTED  CORRECT  PRECISION  RECALL     F1
condemned         1      0          1        0      0.000   0.000  0.000
recognised        1      1          1        1      1.000   1.000  1.000
all relations     2      1          2        1      0.500   0.500  0.500

RULES             RELATIONS  EVIDENCE  SCORED  CONFIRMED  PRECISION
appealed-to-verb          1         1       0          0        n/a
condemned-verb            1         1       1          0      0.000
recognised-noun           1         1       1          1      1.000
recognised-verb           1         2       1          1      1.000
never fired: occupies-verb
"
    );
    let json: serde_json::Value = s
        .run(&[
            "eval",
            "--gold",
            "gold.json",
            "--by-rule",
            "--format",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(
        json["by_rule"],
        serde_json::json!([
            {"rule": "appealed-to-verb", "relations": 1, "evidence": 1, "scored": 0, "confirmed": 0, "precision": null},
            {"rule": "condemned-verb", "relations": 1, "evidence": 1, "scored": 1, "confirmed": 0, "precision": 0.0},
            {"rule": "recognised-noun", "relations": 1, "evidence": 1, "scored": 1, "confirmed": 1, "precision": 1.0},
            {"rule": "recognised-verb", "relations": 1, "evidence": 2, "scored": 1, "confirmed": 1, "precision": 1.0}
        ])
    );
    assert_eq!(
        json["rules_never_fired"],
        serde_json::json!(["occupies-verb"])
    );
    assert_eq!(json["relations_total"]["predicted"], 2);
    // Without the flag, neither the table nor the JSON fields.
    let plain = s.run(&["eval", "--gold", "gold.json"]).ok().stdout;
    assert!(!plain.contains("RULES"), "{plain}");
    let json: serde_json::Value = s
        .run(&["eval", "--gold", "gold.json", "--format", "json"])
        .ok()
        .json();
    assert!(json.get("by_rule").is_none() && json.get("rules_never_fired").is_none());
}

/// A stored text that is not UTF-8 (the database changed by another
/// program): every export and `mentions` name the document in a warning,
/// leave out what needs its text, write the rest and exit 1. Before, each
/// failed with "Conversion error from type Text … invalid utf-8", naming
/// no document.
#[test]
fn a_damaged_stored_text_is_named_and_left_out() {
    use crate::exported::Graph;
    let s = Scratch::with_fixture_graph();
    let whole = Graph::of(&s);
    // The document holding the most evidence, and an entity it mentions
    // that another document mentions too.
    let mut evidence: std::collections::BTreeMap<&str, usize> = Default::default();
    for piece in whole.edges.iter().flat_map(|e| &e.evidence) {
        *evidence.entry(piece.document.as_str()).or_default() += 1;
    }
    let (damaged, _) = evidence
        .iter()
        .max_by_key(|(path, n)| (**n, std::cmp::Reverse(**path)))
        .expect("some evidence");
    let damaged = damaged.to_string();
    let named = whole
        .nodes
        .iter()
        .find(|n| n.kind != "document" && n.documents.len() > 1 && n.documents.contains(&damaged))
        .expect("an entity of the damaged document mentioned elsewhere too");
    {
        let conn = rusqlite::Connection::open(s.db()).expect("open the database");
        let changed = conn
            .execute(
                "UPDATE documents SET text = CAST(X'FF' AS TEXT) || text WHERE path = ?1",
                [&damaged],
            )
            .unwrap();
        assert_eq!(changed, 1);
    }
    let warning = "its stored text is damaged (not valid UTF-8)";
    let formats: [&[&str]; 7] = [
        &["json"],
        &["json", "--types", "person,organisation,document"],
        &["graphml"],
        &["gexf"],
        &["ftm"],
        &["dot"],
        &["csv"],
    ];
    for format in formats {
        let mut args = vec!["export"];
        args.extend_from_slice(format);
        args.extend_from_slice(&["-o", "out.x"]);
        if format[0] == "csv" {
            args.pop();
            args.push("out");
        }
        let run = s.run(&args).expect_code(1);
        let warned = run.stderr_lines("warning:");
        assert_eq!(warned.len(), 1, "{format:?}: {}", run.stderr);
        assert!(
            warned[0].contains(&damaged) && warned[0].contains(warning),
            "{format:?}: {}",
            run.stderr
        );
    }
    // The whole graph still goes out, the damaged document's quotes empty.
    s.run(&["export", "json", "-o", "g.json"]).expect_code(1);
    let graph: Graph = serde_json::from_str(&s.read("g.json")).expect("export json");
    assert_eq!(graph.nodes.len(), whole.nodes.len());
    assert_eq!(graph.edges.len(), whole.edges.len());
    let pieces: Vec<_> = graph.edges.iter().flat_map(|e| &e.evidence).collect();
    assert!(
        pieces
            .iter()
            .any(|p| p.document == damaged && p.quote.is_empty())
    );
    assert!(
        pieces
            .iter()
            .all(|p| p.document == damaged || !p.quote.is_empty())
    );

    let run = s
        .run(&["mentions", &named.name, "--format", "json"])
        .expect_code(1);
    assert!(
        run.stderr.contains(&damaged) && run.stderr.contains(warning),
        "{}",
        run.stderr
    );
    let rows: Vec<crate::support::Mention> = run.json();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|m| m.document != damaged), "{rows:?}");
}
