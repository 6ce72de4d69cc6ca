//! `gazetteer check`, `gazetteer add`, `gazetteer import`, what a malformed
//! gazetteer does to `ingest`, and `reindex` after a gazetteer changed.
//!
//! Every test works on a copy of `tests/fixtures/gazetteer` in its scratch
//! directory (`gaz`), named by a relative path so messages are stable.

use crate::support::Scratch;
use std::path::Path;

/// A scratch directory with a copy of the test gazetteer in `gaz`, which
/// runs use alone.
fn with_gazetteer_copy() -> Scratch {
    let s = Scratch::new().gazetteers(&[Path::new("gaz")]);
    crate::support::copy_dir(&crate::support::fixture("gazetteer"), &s.path().join("gaz"));
    s
}

const GEORGIA_WARNING: &str = "gaz/places.tsv:4: warning: ambiguous name `georgia` is claimed by 2: \
place `Georgia` (gaz/places.tsv:4) and state `Georgia` (gaz/states.tsv:5); \
a mention stays ambiguous unless its document settles it";

#[test]
fn check_the_test_gazetteer() {
    let s = with_gazetteer_copy();
    let run = s.run(&["gazetteer", "check"]).ok();
    assert_eq!(
        run.stdout,
        format!("{GEORGIA_WARNING}\n0 error(s), 1 warning(s) in gaz\n")
    );
    assert_eq!(run.stderr, "");
}

/// The shipped gazetteers check clean where they are read from: the copy
/// built into the binary (the same files as `gazetteers/`).
#[test]
fn check_the_shipped_gazetteers() {
    let s = Scratch::new();
    let run = s.run(&["gazetteer", "check"]).ok();
    let last = run.stdout.lines().last().unwrap();
    assert!(last.starts_with("0 error(s), "), "{}", run.stdout);
    let path = s.run(&["gazetteer", "path"]).ok().stdout;
    let (shipped, from) = path.lines().next().unwrap().split_once('\t').unwrap();
    assert!(from.contains("built into dossier"), "{path}");
    assert!(last.ends_with(&format!(" in {shipped}")), "{last}");
}

/// Malformed lines: (file, the line written over line `n` of it, `n`, the
/// message). `gazetteer check` reports `file:n: error: message` with exit 1;
/// `ingest` refuses to start with exit 2 and `error: file:n: message`.
const MALFORMED: &[(&str, &str, usize, &str)] = &[
    (
        "people.tsv",
        "Alla Dudayeva|Alla D.",
        4,
        "the canonical name `Alla Dudayeva|Alla D.` contains `|`: aliases go in the second column, after a TAB",
    ),
    (
        "places.tsv",
        "Vilnius\tVilna||Wilno",
        8,
        "empty alias in `Vilna||Wilno`: two `|` in a row, or a `|` at an end",
    ),
    (
        "states.tsv",
        "Lithuania\t\tkind",
        6,
        "attribute `kind` is not `key=value`",
    ),
    (
        "organisations.tsv",
        "Seimas\tSeimas of Lithuania\tkind=parliament\tcountry=Lithuania",
        4,
        "expected at most 3 TAB-separated columns (name, aliases, attributes), found 4",
    ),
    (
        "organisations.tsv",
        "\tUnited Nations",
        5,
        "the canonical name (first column) is empty",
    ),
    (
        "people.tsv",
        "Ramzan Kadyrov\tKadyrov|---",
        7,
        "the alias `---` has no letters or digits",
    ),
];

fn replace_line(path: &Path, n: usize, with: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    assert!(n <= lines.len(), "{} has no line {n}", path.display());
    lines[n - 1] = with;
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn a_malformed_line_is_reported_with_file_and_line() {
    for (file, line, n, message) in MALFORMED {
        let s = with_gazetteer_copy();
        replace_line(&s.path().join("gaz").join(file), *n, line);
        let check = s.run(&["gazetteer", "check"]).expect_code(1);
        let want = format!("gaz/{file}:{n}: error: {message}");
        assert!(
            check.stdout.lines().any(|l| l == want),
            "want {want:?} in\n{}",
            check.stdout
        );
        let last = check.stdout.lines().last().unwrap();
        assert!(last.starts_with("1 error(s), "), "{last}");

        s.write("a.txt", "Vilnius\n");
        let ingest = s.run(&["ingest", "a.txt"]).expect_code(2);
        assert_eq!(
            ingest.stderr,
            format!("error: gaz/{file}:{n}: {message}\n"),
            "{file}:{n}"
        );
        assert!(!s.db().exists(), "nothing may be done with a bad gazetteer");
    }
}

#[test]
fn every_malformed_line_is_reported_at_once() {
    let s = with_gazetteer_copy();
    replace_line(&s.path().join("gaz/people.tsv"), 5, "Bad|one");
    replace_line(&s.path().join("gaz/states.tsv"), 3, "\tnameless");
    s.write("a.txt", "Vilnius\n");
    let run = s.run(&["ingest", "a.txt"]).expect_code(2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(
        lines[0].starts_with("error: gaz/people.tsv:5: "),
        "{}",
        run.stderr
    );
    assert!(
        lines[1].starts_with("error: gaz/states.tsv:3: "),
        "{}",
        run.stderr
    );
}

/// A gazetteer file that is not UTF-8: `ingest` names the first bad line,
/// and `check` should name the same one.
#[test]
fn a_gazetteer_file_that_is_not_utf8() {
    let s = with_gazetteer_copy();
    let places = s.path().join("gaz/places.tsv");
    let mut bytes = std::fs::read(&places).unwrap();
    bytes.extend_from_slice(b"K\xe9ln\t\tkind=city\n");
    std::fs::write(&places, bytes).unwrap();
    s.write("a.txt", "Vilnius\n");
    let ingest = s.run(&["ingest", "a.txt"]).expect_code(2);
    assert_eq!(
        ingest.stderr,
        "error: gaz/places.tsv:9: gazetteer files must be UTF-8\n"
    );
    let check = s.run(&["gazetteer", "check"]).expect_code(1);
    assert!(
        check.stdout.starts_with("gaz/places.tsv:9: error: "),
        "check should point at line 9 as ingest does:\n{}",
        check.stdout
    );
}

/// `check` calls a canonical name written twice an error; ingest merged
/// the two lines without a word. It refuses it now, at the same line.
#[test]
fn a_duplicate_canonical_name_is_an_error_for_check_and_ingest() {
    let s = with_gazetteer_copy();
    let places = s.path().join("gaz/places.tsv");
    let text = std::fs::read_to_string(&places).unwrap() + "VILNIUS\tWilno\n";
    std::fs::write(&places, text).unwrap();
    let run = s.run(&["gazetteer", "check"]).expect_code(1);
    assert!(
        run.stdout.lines().any(|l| l
            == "gaz/places.tsv:9: error: duplicate canonical name `VILNIUS` (first at line 8)"),
        "{}",
        run.stdout
    );
    s.write("a.txt", "Vilnius\n");
    let ingest = s.run(&["ingest", "a.txt"]).expect_code(2);
    assert_eq!(
        ingest.stderr,
        "error: gaz/places.tsv:9: duplicate canonical name `VILNIUS` (first at line 8)\n"
    );
    assert!(!s.db().exists(), "nothing may be done with a bad gazetteer");
}

#[test]
fn check_reports_a_missing_directory() {
    let s = Scratch::new().gazetteers(&[Path::new("nowhere")]);
    let run = s.run(&["gazetteer", "check"]).expect_code(1);
    assert_eq!(
        run.stdout,
        "nowhere: error: no such gazetteer directory\n1 error(s), 0 warning(s) in nowhere\n"
    );
}

#[test]
fn add_puts_an_entity_at_its_sorted_place() {
    let s = with_gazetteer_copy();
    // Rows: arguments after `gazetteer add`, the line it lands on.
    let cases: &[(&[&str], usize)] = &[
        (
            &[
                "person",
                "Khava Yakubova",
                "--alias",
                "Yakubova",
                "--attr",
                "country=Lithuania",
            ],
            7,
        ),
        (&["person", "Akhmed Zakayev", "-a", "Zakayev"], 4),
        (&["person", "Zelimkhan Yandarbiyev"], 11),
        (&["person", "  Édouard Ali  "], 7),
    ];
    for (args, line) in cases {
        let mut all = vec!["gazetteer", "add"];
        all.extend_from_slice(args);
        let run = s.run(&all).ok();
        assert_eq!(
            run.stderr,
            format!(
                "added person `{}` at gaz/people.tsv:{line}\n",
                args[1].trim()
            )
        );
    }
    assert_eq!(
        s.read("gaz/people.tsv"),
        "\
# Test gazetteer: people. Format: canonical name<TAB>alias|alias<TAB>key=value;key=value
# Small and fixed, so that tests do not depend on the shipped lists.

Akhmed Zakayev\tZakayev
Alla Dudayeva\t\tcountry=Georgia
Dzhokhar Dudayev\tDudayev|Джохар Дудаев\tcountry=Chechen Republic of Ichkeria
Édouard Ali
Genovaite Šakaliene\tŠakaliene\tcountry=Lithuania
Khava Yakubova\tYakubova\tcountry=Lithuania
Ramzan Kadyrov\tKadyrov|Рамзан Кадыров|Кадыров\tcountry=Russia
Volodymyr Zelensky\tZelensky|Zelenskyy\tcountry=Ukraine
Zelimkhan Yandarbiyev
"
    );
    // The result is still a clean gazetteer.
    let check = s.run(&["gazetteer", "check"]).ok();
    assert!(
        check.stdout.ends_with("0 error(s), 1 warning(s) in gaz\n"),
        "{}",
        check.stdout
    );
}

#[test]
fn add_refuses_what_it_cannot_write() {
    let s = with_gazetteer_copy();
    let before = s.read("gaz/people.tsv");
    // Rows: arguments after `gazetteer add`, the whole stderr.
    let cases: &[(&[&str], &str)] = &[
        (
            &["person", "GENOVAITE SAKALIENE"],
            "error: person `GENOVAITE SAKALIENE` is already in gaz/people.tsv:6; to add names to it, edit that line\n",
        ),
        (
            &["people", "Ramzan  Kadyrov"],
            "error: person `Ramzan  Kadyrov` is already in gaz/people.tsv:7; to add names to it, edit that line\n",
        ),
        (
            &["planet", "Mars"],
            "error: unknown entity type `planet` (expected person, organisation, place or state)\n",
        ),
        (
            &["person", "Alla|Dudayeva"],
            "error: the name `Alla|Dudayeva` contains a TAB, a line break or `|`, which the format reserves\n",
        ),
        (
            &["person", "Anna Test", "--alias=---"],
            "error: the alias `---` has no letters or digits\n",
        ),
        (&["person", "   "], "error: the name is empty\n"),
        (
            &["person", "Anna Test", "--attr", "country"],
            "error: attribute `country` is not key=value\n",
        ),
    ];
    for (args, want) in cases {
        let mut all = vec!["gazetteer", "add"];
        all.extend_from_slice(args);
        let run = s.run(&all).expect_code(2);
        assert_eq!(run.stderr, *want, "{args:?}");
    }
    assert_eq!(s.read("gaz/people.tsv"), before, "nothing written");
}

#[test]
fn add_notes_an_alias_another_entity_has() {
    let s = with_gazetteer_copy();
    let run = s
        .run(&[
            "gazetteer",
            "add",
            "place",
            "Georgia Country Club",
            "--alias",
            "State of Georgia",
        ])
        .ok();
    assert_eq!(
        run.stderr,
        "note: `State of Georgia` also names place `Georgia`: its mentions will be ambiguous unless a document settles them\n\
         added place `Georgia Country Club` at gaz/places.tsv:5\n"
    );
}

/// An alias that is another entity's canonical name makes its mentions
/// ambiguous just as much as a shared alias does (`gazetteer check` warns
/// about both), so `add` should say so too.
#[test]
fn add_notes_an_alias_that_is_another_entitys_name() {
    let s = with_gazetteer_copy();
    let run = s
        .run(&[
            "gazetteer",
            "add",
            "place",
            "Old Tbilisi",
            "--alias",
            "Tbilisi",
        ])
        .ok();
    assert!(
        run.stderr
            .contains("note: `Tbilisi` also names place `Tbilisi`"),
        "no note that `Tbilisi` is already the name of place `Tbilisi`:\n{}",
        run.stderr
    );
    let check = s.run(&["gazetteer", "check"]).ok();
    assert!(
        check
            .stdout
            .contains("ambiguous name `tbilisi` is claimed by 2"),
        "{}",
        check.stdout
    );
}

#[test]
fn add_creates_a_missing_file_and_writes_into_the_last_gazetteer() {
    let s = Scratch::new().gazetteers(&[Path::new("first"), Path::new("second")]);
    std::fs::create_dir_all(s.path().join("first")).unwrap();
    std::fs::create_dir_all(s.path().join("second")).unwrap();
    let run = s
        .run(&[
            "gazetteer",
            "add",
            "org",
            "Memorial",
            "--attr",
            "case=exact",
        ])
        .ok();
    assert_eq!(
        run.stderr,
        "added organisation `Memorial` at second/organisations.tsv:2\n"
    );
    assert_eq!(
        s.read("second/organisations.tsv"),
        "# organisation gazetteer: canonical name<TAB>alias|alias<TAB>key=value;key=value\nMemorial\t\tcase=exact\n"
    );
    assert!(!s.path().join("first/organisations.tsv").exists());
    // --into wins.
    s.run(&["gazetteer", "add", "state", "Estonia", "--into", "first"])
        .ok();
    assert!(s.path().join("first/states.tsv").is_file());
    // -q keeps the confirmation quiet.
    let quiet = s
        .run(&[
            "-q",
            "gazetteer",
            "add",
            "state",
            "Latvia",
            "--into",
            "first",
        ])
        .ok();
    assert_eq!(quiet.stderr, "");
}

/// With the shipped folder left out and none named, `add` and `import`
/// have nowhere to write and say so (they used to write into the shipped
/// folder), and `check` has nothing to check.
#[test]
fn nothing_is_written_into_a_folder_left_out() {
    let s = Scratch::new();
    s.write("list.tsv", "state\tAtlantis\t\n");
    let left_out = "--no-default-gazetteers";
    for args in [
        &[left_out, "gazetteer", "add", "state", "Atlantis"][..],
        &[left_out, "gazetteer", "import", "list.tsv"][..],
    ] {
        let run = s.run(args).expect_code(2);
        assert!(run.stderr.contains("nowhere to write"), "{}", run.stderr);
    }
    let run = s.run(&[left_out, "gazetteer", "check"]).expect_code(2);
    assert!(run.stderr.contains("needs at least one --gazetteer DIR"));
}

/// `add` into an own folder notes what the new line meets in the other
/// folders loaded with it.
#[test]
fn add_notes_what_other_folders_hold() {
    let s = Scratch::new().gazetteers(&[&crate::support::fixture("gazetteer"), Path::new("own")]);
    std::fs::create_dir_all(s.path().join("own")).unwrap();
    let run = s
        .run(&[
            "-q",
            "gazetteer",
            "add",
            "place",
            "VILNIUS",
            "--alias",
            "Wilno",
        ])
        .ok();
    assert!(
        run.stderr.starts_with("note: place `Vilnius` is also at "),
        "{}",
        run.stderr
    );
}

#[test]
fn import_tsv() {
    let s = with_gazetteer_copy();
    s.write(
        "list.tsv",
        "type\tname\taliases\n\
         person\tZelim Ismailov\tIsmailov\n\
         person\tAlla Dudayeva\tA. Dudayeva|Alla Dudaeva\n\
         planet\tMars\t\n\
         # a comment\n\
         \n\
         state\tPoland\tPolska|Republic of Poland\tkind=sovereign\n\
         place\tVilnius\t\n\
         person\n",
    );
    let run = s.run(&["gazetteer", "import", "list.tsv"]).expect_code(1);
    assert_eq!(
        run.stdout,
        "imported list.tsv: 2 added, 1 merged, 1 unchanged, 2 refused; wrote gaz/people.tsv, gaz/states.tsv\n"
    );
    assert_eq!(
        run.stderr,
        "refused: list.tsv:4: unknown entity type `planet` (expected person, organisation, place or state)\n\
         refused: list.tsv:9: expected type<TAB>name<TAB>aliases[<TAB>attributes], found 1 column(s)\n"
    );
    let people = s.read("gaz/people.tsv");
    assert!(
        people.contains("\nAlla Dudayeva\tA. Dudayeva|Alla Dudaeva\tcountry=Georgia\n"),
        "{people}"
    );
    assert!(
        people.contains(
            "\nVolodymyr Zelensky\tZelensky|Zelenskyy\tcountry=Ukraine\nZelim Ismailov\tIsmailov\n"
        ),
        "{people}"
    );
    assert!(
        s.read("gaz/states.tsv")
            .contains("\nLithuania\tRepublic of Lithuania\tkind=sovereign\nPoland\tPolska|Republic of Poland\tkind=sovereign\nRussia\t"),
        "{}",
        s.read("gaz/states.tsv")
    );
    // The same list again: nothing new.
    let again = s.run(&["gazetteer", "import", "list.tsv"]).expect_code(1);
    assert_eq!(
        again.stdout,
        "imported list.tsv: 0 added, 0 merged, 4 unchanged, 2 refused\n"
    );
}

#[test]
fn import_csv() {
    let s = with_gazetteer_copy();
    s.write(
        "list.csv",
        "Name,Type,Aliases,Country\n\
         Kaunas,place,Kovno,Lithuania\n\
         Vilnius,place,Wilno|Vilna,Lithuania\n\
         Tbilisi,place,,\n\
         \"Lublin, city\",place,,Poland\n",
    );
    let run = s
        .run(&["gazetteer", "import", "list.csv", "--into", "gaz"])
        .ok();
    assert_eq!(
        run.stdout,
        "imported list.csv: 2 added, 1 merged, 1 unchanged, 0 refused; wrote gaz/places.tsv\n"
    );
    assert_eq!(run.stderr, "");
    assert_eq!(
        s.read("gaz/places.tsv"),
        "\
# Test gazetteer: places. \"Georgia\" the US state shares its name with the state in states.tsv.

Atlanta\t\tkind=city;country=United States
Georgia\tState of Georgia\tkind=us-state;country=United States
Grozny\tГрозный\tkind=city
Kaunas\tKovno\tcountry=Lithuania
Lublin, city\t\tcountry=Poland
Tbilisi\t\tkind=capital;country=Georgia
Urus-Martan\t\tkind=town
Vilnius\tWilno|Vilna\tkind=capital;country=Lithuania
"
    );
    // A CSV without the required columns is refused as a whole.
    s.write("bad.csv", "label,kind\nVilnius,place\n");
    let bad = s.run(&["gazetteer", "import", "bad.csv"]).expect_code(2);
    assert_eq!(
        bad.stderr,
        "error: bad.csv:1: the CSV header needs a `name` column\n"
    );
}

/// The `reindexed …` line: (documents, mentions, removed entities).
fn reindexed(stderr: &str) -> (usize, u64, usize) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("reindexed "))
        .unwrap_or_else(|| panic!("no reindex summary:\n{stderr}"));
    let words: Vec<&str> = line.split(' ').collect();
    let number = |after: &str| -> u64 {
        let at = words.iter().position(|w| *w == after).unwrap();
        words[at - 1].trim_end_matches(':').parse().unwrap()
    };
    (
        words[1].parse().unwrap(),
        number("mentions;"),
        number("entities") as usize,
    )
}

#[test]
fn reindex_finds_a_new_entity_in_stored_documents() {
    let s = with_gazetteer_copy();
    s.copy_fixture("corpus");
    let first = s.ingest(&["corpus"]).summary();
    assert_eq!(first.mentions, 71);
    s.run(&["mentions", "Khava Yakubova"]).expect_code(2);
    s.run(&["gazetteer", "add", "person", "Khava Yakubova"])
        .ok();

    // Ingest alone does not rematch unchanged documents, but says so.
    let again = s.ingest(&["corpus"]);
    assert_eq!(again.summary().counts(), (0, 0, 7, 0, 0));
    assert!(
        again.stderr.contains(
            "note: 7 stored document(s) were matched with another version of the gazetteers; `dossier reindex` updates them"
        ),
        "{}",
        again.stderr
    );
    let none: Vec<String> = s
        .entities(&["-t", "person"])
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert!(!none.contains(&"Khava Yakubova".to_string()), "{none:?}");

    let run = s.run(&["reindex"]).ok();
    assert_eq!(reindexed(&run.stderr), (7, 73, 0));
    let got: Vec<(String, usize)> = s
        .mentions("Khava Yakubova")
        .into_iter()
        .map(|m| (m.document, m.line))
        .collect();
    assert_eq!(
        got,
        [
            ("corpus/case_notes.md".to_string(), 22),
            ("corpus/open_letter_prisoners.txt".to_string(), 17)
        ]
    );
    // Up to date now: no note any more.
    let after = s.ingest(&["corpus"]);
    assert!(!after.stderr.contains("note:"), "{}", after.stderr);
}

#[test]
fn reindex_removes_an_entity_no_gazetteer_names_any_more() {
    let s = with_gazetteer_copy();
    s.copy_fixture("corpus");
    s.ingest(&["corpus"]);
    assert_eq!(s.mentions("Urus-Martan").len(), 1);
    let places = s
        .read("gaz/places.tsv")
        .replace("Urus-Martan\t\tkind=town\n", "");
    s.write("gaz/places.tsv", places);
    let run = s.run(&["reindex"]).ok();
    assert_eq!(reindexed(&run.stderr), (7, 70, 1));
    let gone = s.run(&["mentions", "Urus-Martan"]).expect_code(2);
    assert_eq!(gone.stderr, "error: no entity is named `Urus-Martan`\n");
    assert_eq!(s.entities(&[]).len(), 19);
}

/// `reindex` without the `--gazetteer` folder used at ingest had removed
/// every entity of that folder (99,959 once). It refuses, naming the
/// folder; given the folder it runs, and `--force` removes them.
#[test]
fn reindex_without_a_folder_used_at_ingest_refuses_to_drop_its_entities() {
    let s = Scratch::with_fixture_gazetteer();
    let extra = s
        .write("extra/places.tsv", "Velmora\t\tkind=city\n")
        .parent()
        .unwrap()
        .canonicalize()
        .unwrap();
    s.write("a.txt", "From Velmora to Vilnius.\n");
    let s = s.also_gazetteer(&extra);
    s.ingest(&["a.txt"]);
    let without = s.gazetteers(&[&crate::support::fixture("gazetteer")]);
    for args in [&["reindex"][..], &["reindex", "--changed"]] {
        let run = without.run(args).expect_code(2);
        assert_eq!(
            run.stderr,
            format!(
                "error: reindex would remove 1 entity that stored documents mention, such as `Velmora` (place): gazetteer folders used at ingest are not given now: {}; give them with --gazetteer, or --force to remove the entities\n",
                extra.display()
            ),
            "{args:?}"
        );
        assert_eq!(without.mentions("Velmora").len(), 1, "{args:?}");
    }
    let with = without.also_gazetteer(&extra);
    assert_eq!(reindexed(&with.run(&["reindex"]).ok().stderr), (1, 2, 0));
    let without = with.gazetteers(&[&crate::support::fixture("gazetteer")]);
    let forced = without.run(&["reindex", "--force"]).ok();
    assert_eq!(reindexed(&forced.stderr), (1, 1, 1));
    // Recorded now: the folders of that reindex are all there is.
    without.run(&["reindex"]).ok();
}

/// Reindex removes entities inside its batch, where SQLite's foreign-key
/// enforcement is off: their aliases must go with them all the same.
#[test]
fn reindex_removes_a_dropped_entity_with_its_aliases() {
    let s = with_gazetteer_copy();
    s.copy_fixture("corpus");
    s.ingest(&["corpus"]);
    assert!(!s.mentions("Grozny").is_empty());
    let places = s.read("gaz/places.tsv");
    let line = places
        .lines()
        .find(|l| l.starts_with("Grozny\t"))
        .expect("the fixture lists Grozny with an alias");
    assert!(line.split('\t').nth(1).is_some_and(|a| !a.is_empty()));
    s.write("gaz/places.tsv", places.replace(&format!("{line}\n"), ""));
    let run = s.run(&["reindex"]).ok();
    assert_eq!(reindexed(&run.stderr).2, 1);
    let conn = rusqlite::Connection::open(s.db()).expect("open the database");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(count("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_eq!(
        count("SELECT count(*) FROM aliases WHERE folded = 'грозныи' OR alias = 'Грозный'"),
        0
    );
}

#[test]
fn an_added_entity_is_found_in_new_documents_at_once() {
    let s = with_gazetteer_copy();
    s.write("a.txt", "Vilnius\n");
    s.ingest(&["a.txt"]);
    s.run(&["gazetteer", "add", "place", "Kaunas", "--alias", "Kovno"])
        .ok();
    s.write("b.txt", "From Kovno to Kaunas and Vilnius\n");
    let run = s.ingest(&["b.txt"]);
    assert_eq!(run.summary().mentions, 3);
    let got: Vec<String> = s
        .entities(&["-d", "b.txt"])
        .into_iter()
        .map(|e| format!("{} {}", e.name, e.mentions))
        .collect();
    assert_eq!(got, ["Kaunas 2", "Vilnius 1"]);
}
