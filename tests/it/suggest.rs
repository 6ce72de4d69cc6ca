//! `gazetteer suggest`, the count of unlisted names that ends an ingest,
//! and the review loop: suggest, import, `reindex --changed`.
//!
//! The documents are written here; they are read with the shipped
//! gazetteers, whose `relations/names.rules` holds the cues.

use crate::support::Scratch;

/// An open letter with a signatory list, and a news item: names the
/// shipped lists hold (Vilnius, Lithuania) and names they do not.
const LETTER: &str = "\
Open letter on the detained journalists

We, the undersigned, ask the authorities in Vilnius to release them.

Signed:
Aldona Petraitiene, chair of the Baltic Press Guild
Ruta Zemaityte
Mr. Tomas Vaitkus
";

const NEWS: &str = "\
The Baltic Press Guild met in Varnupiai on Monday.
Its chair, Aldona Petraitiene, spoke of Lithuania.
";

fn scratch() -> Scratch {
    let s = Scratch::new();
    s.write("letters/letter.txt", LETTER);
    s.write("letters/news.txt", NEWS);
    s.ingest(&["letters"]);
    s
}

/// A row of `gazetteer suggest --format json`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Suggestion {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    aliases: Vec<String>,
    cue: String,
    strength: u8,
    count: usize,
    documents: Vec<String>,
    example: Example,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Example {
    document: String,
    line: usize,
    context: String,
}

fn suggested(s: &Scratch, args: &[&str]) -> Vec<Suggestion> {
    let mut all = vec!["gazetteer", "suggest", "--format", "json"];
    all.extend_from_slice(args);
    s.run(&all).ok().json()
}

#[test]
fn unlisted_names_are_suggested_with_type_cue_counts_and_an_example() {
    let s = scratch();
    let all = suggested(&s, &[]);
    let row = |name: &str| {
        all.iter()
            .find(|x| x.name == name)
            .unwrap_or_else(|| panic!("{name} not suggested: {all:#?}"))
    };
    let chair = row("Aldona Petraitiene");
    assert_eq!(chair.kind, "person");
    assert_eq!(chair.count, 2);
    assert_eq!(chair.documents, ["letters/letter.txt", "letters/news.txt"]);
    assert_eq!(chair.strength, 3);
    assert_eq!(chair.example.document, "letters/letter.txt");
    assert_eq!(chair.example.line, 6);
    assert_eq!(
        chair.example.context,
        "Aldona Petraitiene, chair of the Baltic Press Guild"
    );
    assert_eq!(row("Baltic Press Guild").kind, "organisation");
    assert_eq!(row("Ruta Zemaityte").cue, "a signatory entry");
    assert_eq!(row("Tomas Vaitkus").cue, "after the title `mr`");
    assert_eq!(row("Varnupiai").kind, "place");
    assert!(
        all.iter()
            .all(|x| x.name != "Vilnius" && x.name != "Lithuania"),
        "listed names are not suggested: {all:#?}"
    );
    assert!(all.iter().all(|x| x.aliases.iter().all(|a| a != &x.name)));
    // Most confident first: cue strength, then documents, then count.
    let keys: Vec<(u8, usize, usize)> = all
        .iter()
        .map(|x| (x.strength, x.documents.len(), x.count))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(keys, sorted);
}

#[test]
fn suggestions_narrow_by_type_count_document_and_number() {
    let s = scratch();
    let people = suggested(&s, &["--type", "person"]);
    assert!(!people.is_empty() && people.iter().all(|x| x.kind == "person"));
    let twice = suggested(&s, &["--min-count", "2"]);
    assert!(!twice.is_empty() && twice.iter().all(|x| x.count >= 2));
    let in_news = suggested(&s, &["--document", "news"]);
    assert!(!in_news.is_empty());
    assert!(
        in_news
            .iter()
            .all(|x| x.documents.iter().any(|d| d.contains("news")))
    );
    assert_eq!(suggested(&s, &["-n", "1"]).len(), 1);
    let bad = s.run(&["gazetteer", "suggest", "--type", "animal"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("animal"), "{}", bad.stderr);
}

#[test]
fn the_table_is_for_reading_and_the_tsv_for_import() {
    let s = scratch();
    let table = s.run(&["gazetteer", "suggest"]).ok();
    let header: Vec<&str> = table
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        ["TYPE", "NAME", "ALIASES", "CUE", "COUNT", "DOCS", "EXAMPLE"]
    );
    assert!(
        table.stderr.ends_with("names not in any gazetteer\n"),
        "{}",
        table.stderr
    );
    let tsv = s
        .run(&["gazetteer", "suggest", "--format", "tsv"])
        .ok()
        .stdout;
    let mut lines = tsv.lines();
    assert_eq!(lines.next(), Some("type\tname\taliases\t# evidence"));
    for line in lines {
        let columns: Vec<&str> = line.split('\t').collect();
        assert_eq!(columns.len(), 4, "{line}");
        assert!(columns[3].starts_with("# "), "{line}");
    }
}

#[test]
fn suggestions_imported_and_reindexed_become_entities() {
    let s = scratch();
    let before = suggested(&s, &[]);
    let tsv = s
        .run(&["gazetteer", "suggest", "--format", "tsv"])
        .ok()
        .stdout;
    let list = s.write("review.tsv", tsv);
    let folder = s.path().join("reviewed");
    std::fs::create_dir(&folder).unwrap();
    let s = s.also_gazetteer(&folder);
    let import = s.run(&["gazetteer", "import", list.to_str().unwrap()]).ok();
    assert!(
        import.stdout.contains(&format!("{} added", before.len())),
        "{}",
        import.stdout
    );
    // The import says where the new names are and how to take them in.
    assert!(
        import
            .stderr
            .contains("2 stored documents name them (letters/letter.txt, letters/news.txt)"),
        "{}",
        import.stderr
    );
    assert!(
        import.stderr.contains("reindex --changed"),
        "{}",
        import.stderr
    );
    let reindex = s.run(&["reindex", "--changed"]).ok();
    assert!(
        reindex.stderr.contains("2 to match again"),
        "{}",
        reindex.stderr
    );
    let entities = s.entities(&[]);
    for suggestion in &before {
        assert!(
            entities.iter().any(|e| e.name == suggestion.name),
            "{} is no entity after the import: {entities:#?}",
            suggestion.name
        );
    }
    assert!(suggested(&s, &[]).is_empty());
    let documents = s.documents();
    assert!(documents.iter().all(|d| d.unlisted == 0), "{documents:#?}");
}

#[test]
fn ingest_ends_with_the_count_of_unlisted_names_and_documents_show_theirs() {
    let s = Scratch::new();
    s.write("letters/letter.txt", LETTER);
    s.write("letters/news.txt", NEWS);
    let run = s.ingest(&["letters"]);
    let suggestions = suggested(&s, &[]).len();
    assert_eq!(
        run.stderr.lines().last().unwrap(),
        format!("{suggestions} names not in any gazetteer; `dossier gazetteer suggest` lists them")
    );
    let documents = s.documents();
    assert!(documents.iter().all(|d| d.unlisted > 0), "{documents:#?}");
    let quiet = Scratch::new();
    quiet.write("letter.txt", LETTER);
    let run = quiet.run(&["--quiet", "ingest", "letter.txt"]).ok();
    assert_eq!(run.stderr, "");
}

#[test]
fn reindex_changed_matches_only_the_documents_a_change_touches() {
    let s = Scratch::new();
    s.write("a.txt", "Ruta Zemaityte wrote from Vilnius.\n");
    s.write("b.txt", "Nothing new happened in Vilnius today.\n");
    s.write("c.txt", "Lithuania sent a note.\n");
    s.ingest(&["a.txt", "b.txt", "c.txt"]);
    let folder = s.path().join("mine");
    std::fs::create_dir(&folder).unwrap();
    let s = s.also_gazetteer(&folder);
    let added = s
        .run(&[
            "gazetteer",
            "add",
            "person",
            "Ruta Zemaityte",
            "--alias",
            "Zemaityte",
        ])
        .ok();
    assert!(
        added
            .stderr
            .contains("1 stored document names them (a.txt); match them again with: dossier --db"),
        "{}",
        added.stderr
    );
    let changed = s.run(&["reindex", "--changed"]).ok();
    assert!(
        changed.stderr.contains(
            "3 documents matched with other gazetteers: 1 to match again (1 entry added or changed, 0 entities gone, 0 read with other rules), 2 marked current unread"
        ),
        "{}",
        changed.stderr
    );
    assert!(
        changed.stderr.contains("reindexed 1 documents"),
        "{}",
        changed.stderr
    );
    assert_eq!(s.mentions("Ruta Zemaityte").len(), 1);
    // The same database as a full reindex gives.
    let partial = (s.entities(&[]), s.all_mentions());
    s.run(&["reindex"]).ok();
    assert_eq!((s.entities(&[]), s.all_mentions()), partial);
    // Nothing left to do.
    let again = s.run(&["reindex", "--changed"]).ok();
    assert!(
        again.stderr.starts_with("nothing to match again"),
        "{}",
        again.stderr
    );
}

#[test]
fn the_readme_example_corpus_gives_its_suggestions() {
    let s = Scratch::new();
    s.copy_fixture("unlisted");
    let run = s.ingest(&["unlisted"]);
    assert!(
        run.stderr
            .ends_with("7 names not in any gazetteer; `dossier gazetteer suggest` lists them\n"),
        "{}",
        run.stderr
    );
    let got: Vec<(String, String, Vec<String>, usize, usize)> = suggested(&s, &[])
        .into_iter()
        .map(|x| (x.kind, x.name, x.aliases, x.count, x.documents.len()))
        .collect();
    let want = [
        ("organisation", "Coastal Villages Association", vec![], 3, 2),
        ("person", "Joosep Tamm", vec!["Tamm"], 3, 2),
        ("organisation", "Harbour Workers Union", vec![], 1, 1),
        ("person", "Ingrid Lepp", vec![], 1, 1),
        ("person", "Maret Kask", vec![], 1, 1),
        ("place", "Saltmarsh Island", vec![], 1, 1),
        ("place", "Haapsalu", vec![], 1, 1),
    ];
    let want: Vec<(String, String, Vec<String>, usize, usize)> = want
        .into_iter()
        .map(|(k, n, a, c, d)| {
            let aliases = a.into_iter().map(String::from).collect();
            (k.to_string(), n.to_string(), aliases, c, d)
        })
        .collect();
    assert_eq!(got, want);
}
