//! One real-world entity, one node: gazetteer entries joined by `same-as`
//! are one node for `query`, `why`, `mentions` and every export, while each
//! keeps its own names for matching; `gazetteer merge` writes the
//! attribute and `gazetteer check` reports what is wrong with one.
//!
//! The names are invented: a state, Ruritania, and a republic of it that
//! the lists also hold, the Strelsau Republic, recognised by two bodies in
//! two documents, one under each name.

use crate::support::{Entity, Mention, Scratch};
use serde_json::Value;

/// The gazetteer folder `mine`, its Strelsau line ending with `same_as`.
fn write_gazetteer(s: &Scratch, same_as: &str) {
    s.write(
        "mine/states.tsv",
        format!("Ruritania\tRuritanian Kingdom\nStrelsau Republic\tStrelsau{same_as}\n"),
    );
    s.write(
        "mine/organisations.tsv",
        "Bordurian Senate\t\tkind=parliament\nEastmoor Assembly\t\tkind=parliament\n",
    );
}

/// Three documents: each body recognises one of the two names, and the
/// Strelsau Republic condemns the Senate.
fn write_documents(s: &Scratch) {
    s.write(
        "docs/senate.txt",
        "The Bordurian Senate recognised Ruritania on 4 May 2031.\n",
    );
    s.write(
        "docs/assembly.txt",
        "The Eastmoor Assembly recognised the Strelsau Republic in 2032.\n",
    );
    s.write(
        "docs/reply.txt",
        "The Strelsau Republic condemned the Bordurian Senate on 2 June 2033.\n",
    );
}

/// The documents ingested with `mine`, where Strelsau is the same as
/// Ruritania.
fn grouped() -> Scratch {
    let s = Scratch::new().also_gazetteer(std::path::Path::new("mine"));
    write_gazetteer(&s, "\tsame-as=Ruritania");
    write_documents(&s);
    s.ingest(&["docs"]);
    s
}

/// The entities `entities` lists, by name.
fn entity(s: &Scratch, name: &str) -> Entity {
    s.entities(&[])
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} is not listed"))
}

/// The answer of a query, as TSV rows after the header.
fn answer(s: &Scratch, query: &str) -> Vec<String> {
    s.run(&["query", query, "--format", "tsv"])
        .ok()
        .stdout
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn a_name_of_either_entry_is_the_one_node_in_queries() {
    let s = grouped();
    let both = ["Bordurian Senate", "Eastmoor Assembly"];
    for name in [
        "Ruritania",
        "Strelsau",
        "strelsau republic",
        "Ruritanian Kingdom",
    ] {
        assert_eq!(
            answer(&s, &format!("?who recognised \"{name}\"")),
            both,
            "{name}"
        );
    }
    // The group's relations as subject, under the node's name and type.
    assert_eq!(
        answer(&s, "?x condemned \"Bordurian Senate\" return ?x"),
        ["Ruritania"]
    );
    assert_eq!(
        answer(&s, "?x:state recognised|condemned ?y return ?x, ?y"),
        ["Ruritania\tBordurian Senate"]
    );
    assert_eq!(
        answer(&s, "?y recognised ?x:state return ?x, count(?y)"),
        ["Ruritania\t2"]
    );
    // Matching is untouched: each entry keeps its own mentions.
    assert_eq!(entity(&s, "Strelsau Republic").mentions, 2);
    assert_eq!(entity(&s, "Ruritania").mentions, 1);
}

#[test]
fn why_and_mentions_read_the_whole_group() {
    let s = grouped();
    let why = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["why"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        s.run(&all).ok().json()
    };
    // Either name finds the evidence of both; each row names the entry its
    // sentence names.
    for object in ["Ruritania", "Strelsau"] {
        let rows = why(&["Eastmoor Assembly", "recognised", object]);
        assert_eq!(rows.len(), 1, "{object}: {rows:?}");
        assert_eq!(rows[0]["object"], "Strelsau Republic");
        assert_eq!(
            rows[0]["sentence"],
            "The [Eastmoor Assembly] recognised the [Strelsau Republic] in 2032."
        );
        let rows = why(&["Bordurian Senate", "recognised", object]);
        assert_eq!(rows.len(), 1, "{object}: {rows:?}");
        assert_eq!(rows[0]["object"], "Ruritania");
    }
    for object in ["Ruritania", "Strelsau"] {
        let rows = why(&["*", "recognised", object]);
        let subjects: Vec<&Value> = rows.iter().map(|r| &r["subject"]).collect();
        assert_eq!(
            subjects,
            [
                &Value::from("Eastmoor Assembly"),
                &Value::from("Bordurian Senate")
            ],
            "{object}: {rows:?}"
        );
    }
    let rows = why(&["Ruritania", "*", "*"]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (&rows[0]["subject"], &rows[0]["relation"]),
        (&Value::from("Strelsau Republic"), &Value::from("condemned"))
    );
    // `mentions` of either name lists both entries' mentions.
    let surfaces = |name: &str| -> Vec<(String, String)> {
        s.mentions(name)
            .into_iter()
            .map(|m: Mention| (m.document, m.surface))
            .collect()
    };
    let all = [
        (
            "docs/assembly.txt".to_string(),
            "Strelsau Republic".to_string(),
        ),
        (
            "docs/reply.txt".to_string(),
            "Strelsau Republic".to_string(),
        ),
        ("docs/senate.txt".to_string(), "Ruritania".to_string()),
    ];
    assert_eq!(surfaces("Strelsau"), all);
    assert_eq!(surfaces("Ruritania"), all);
}

#[test]
fn every_export_has_one_node_for_the_group() {
    let s = grouped();
    let node = entity(&s, "Ruritania").id;
    let member = entity(&s, "Strelsau Republic").id;
    let graph: Value = s.run(&["export", "json"]).ok().json();
    let entities: Vec<&Value> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] != "document")
        .filter(|n| ["Ruritania", "Strelsau Republic"].contains(&n["name"].as_str().unwrap()))
        .collect();
    assert_eq!(entities.len(), 1, "{entities:?}");
    let ruritania = entities[0];
    assert_eq!(ruritania["id"], format!("entity:{node}"));
    assert_eq!(ruritania["type"], "state");
    assert_eq!(
        ruritania["aliases"],
        serde_json::json!(["Ruritanian Kingdom", "Strelsau", "Strelsau Republic"])
    );
    assert_eq!(ruritania["mentions"], 3);
    assert_eq!(
        ruritania["documents"],
        serde_json::json!(["docs/assembly.txt", "docs/reply.txt", "docs/senate.txt"])
    );
    let ends: Vec<(&str, &str, &str)> = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["source"].as_str().unwrap(),
                e["relation"].as_str().unwrap(),
                e["target"].as_str().unwrap(),
            )
        })
        .filter(|(_, relation, _)| *relation != "signed")
        .collect();
    let node_id = format!("entity:{node}");
    assert_eq!(ends.len(), 3, "{ends:?}");
    assert!(
        ends.iter().all(|(a, _, b)| *a == node_id || *b == node_id),
        "{ends:?}"
    );
    // The other formats: the member's id appears nowhere, the node's does.
    let member_id = format!("entity:{member}");
    for format in ["graphml", "gexf", "ftm", "dot"] {
        let text = s.run(&["export", format]).ok().stdout;
        assert!(!names_entity(&text, member), "{format}:\n{text}");
        assert!(names_entity(&text, node), "{format}:\n{text}");
        assert!(text.contains("Ruritania"), "{format}");
    }
    s.run(&["export", "csv", "-o", "neo4j"]).ok();
    let nodes = s.read("neo4j/nodes.csv");
    assert_eq!(
        nodes.lines().filter(|l| l.starts_with(&node_id)).count(),
        1,
        "{nodes}"
    );
    assert!(!nodes.contains(&member_id), "{nodes}");
    // A filter naming the member selects the node.
    let around: Value = s
        .run(&["export", "json", "--around", "Strelsau"])
        .ok()
        .json();
    let ids: Vec<&str> = around["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&node_id.as_str()), "{ids:?}");
    assert_eq!(around["edges"].as_array().unwrap().len(), 3);
}

/// Whether an export's text holds the entity id `id` (`entity:ID`, or
/// `entity-ID` in FollowTheMoney's ids), not a longer number.
fn names_entity(text: &str, id: i64) -> bool {
    ["entity:", "entity-"].iter().any(|prefix| {
        let wanted = format!("{prefix}{id}");
        text.match_indices(&wanted)
            .any(|(at, _)| !text[at + wanted.len()..].starts_with(|c: char| c.is_ascii_digit()))
    })
}

#[test]
fn merge_writes_same_as_and_the_database_follows_without_matching_again() {
    let s = Scratch::new().also_gazetteer(std::path::Path::new("mine"));
    write_gazetteer(&s, "");
    write_documents(&s);
    s.ingest(&["docs"]);
    assert_eq!(
        answer(&s, "?who recognised Ruritania"),
        ["Bordurian Senate"]
    );
    let merged = s.run(&["gazetteer", "merge", "strelsau", "Ruritania"]).ok();
    assert_eq!(
        merged.stdout,
        "state `Strelsau Republic` is one entity with state `Ruritania`: wrote same-as=Ruritania at mine/states.tsv:2\n"
    );
    assert_eq!(
        merged.stderr,
        format!(
            "note: {} shows them as one node now; no stored document needs matching again (3 documents kept current)\n",
            s.db().display()
        )
    );
    assert_eq!(
        s.read("mine/states.tsv"),
        "Ruritania\tRuritanian Kingdom\nStrelsau Republic\tStrelsau\tsame-as=Ruritania\n"
    );
    assert_eq!(
        answer(&s, "?who recognised Ruritania"),
        ["Bordurian Senate", "Eastmoor Assembly"]
    );
    // No document is stale: an ingest finds nothing to do and says nothing
    // of other gazetteers, and the lists check clean.
    let again = s.ingest(&["docs"]);
    assert_eq!(again.summary().counts(), (0, 0, 3, 0, 0));
    assert!(
        !again.stderr.contains("other gazetteers"),
        "{}",
        again.stderr
    );
    let check = s.run(&["gazetteer", "check"]).ok();
    assert!(!check.stdout.contains("mine/"), "{}", check.stdout);
    // Once more: nothing to write.
    let twice = s
        .run(&["gazetteer", "merge", "Strelsau Republic", "Ruritania"])
        .ok();
    assert_eq!(
        twice.stdout,
        "state `Strelsau Republic` and state `Ruritania` are one entity already\n"
    );
}

/// Refused merges exit 2 with the reason, and write nothing.
#[test]
fn merge_refuses_what_it_cannot_write() {
    let s = Scratch::new().also_gazetteer(std::path::Path::new("mine"));
    write_gazetteer(&s, "\tsame-as=Ruritania");
    s.write("mine/places.tsv", "Ruritania\n");
    let cases: [(&[&str], &str); 3] = [
        (
            &["Zenda Castle", "Ruritania"],
            "error: no loaded gazetteer entry is named `Zenda Castle` (canonical name or alias)\n",
        ),
        (
            &["Eastmoor Assembly", "Ruritania"],
            "error: `Ruritania` names 2 entries: place `Ruritania` (mine/places.tsv:1), state `Ruritania` (mine/states.tsv:1); give one as TYPE:NAME (e.g. `place:Ruritania`) or by its canonical name\n",
        ),
        (
            &["Strelsau", "Eastmoor Assembly"],
            "error: state `Strelsau Republic` already has same-as=Ruritania (mine/states.tsv:2); edit that line to change it\n",
        ),
    ];
    let before = (s.read("mine/states.tsv"), s.read("mine/organisations.tsv"));
    for (args, message) in cases {
        let mut all = vec!["gazetteer", "merge"];
        all.extend_from_slice(args);
        let run = s.run(&all).expect_code(2);
        assert_eq!(run.stderr, message, "{args:?}");
    }
    assert_eq!(
        (s.read("mine/states.tsv"), s.read("mine/organisations.tsv")),
        before
    );
}

#[test]
fn check_reports_a_same_as_that_names_nothing_and_circles() {
    let s = Scratch::new().gazetteers(&[std::path::Path::new("mine")]);
    s.write(
        "mine/states.tsv",
        "Borduria\t\tsame-as=Ruritania\nRuritania\t\tsame-as=Borduria\nSylvania\t\tsame-as=Zenda\n",
    );
    let run = s.run(&["gazetteer", "check"]).expect_code(1);
    assert_eq!(
        run.stdout,
        "mine/states.tsv:1: error: same-as goes round in a circle (state `Borduria` → state `Ruritania` and back): none of them is grouped\n\
         mine/states.tsv:3: error: same-as=Zenda names no entry: write another entry's canonical name\n\
         2 error(s), 0 warning(s) in mine\n"
    );
}
