//! `dossier ingest`: what goes in, what the summary says, the exit codes,
//! and the matching rules as seen from the command line.

use crate::support::{Scratch, Summary, fixture, shipped_gazetteers};

/// Every entity the fixture corpus names, as `entities` lists them with the
/// shipped gazetteers: type, name, settled mentions, ambiguous mentions,
/// documents. Most mentioned first, ties by name.
const CORPUS_ENTITIES: &[(&str, &str, i64, i64, usize)] = &[
    ("state", "Russia", 8, 0, 5),
    ("organisation", "Seimas", 8, 0, 4),
    ("place", "Vilnius", 8, 0, 4),
    ("state", "Chechen Republic of Ichkeria", 7, 0, 4),
    ("state", "Ukraine", 5, 0, 2),
    ("organisation", "Verkhovna Rada", 5, 0, 4),
    ("organisation", "United Nations", 4, 0, 4),
    ("person", "Volodymyr Zelensky", 4, 0, 2),
    ("person", "Genovaite Šakaliene", 3, 0, 2),
    ("state", "Lithuania", 3, 0, 3),
    ("person", "Ramzan Kadyrov", 3, 0, 3),
    ("state", "Democratic Republic of the Congo", 2, 2, 2),
    ("person", "Alla Dudayeva", 2, 0, 2),
    ("person", "Dzhokhar Dudayev", 2, 0, 2),
    ("place", "Grozny", 2, 0, 2),
    (
        "organisation",
        "International Committee of the Red Cross",
        2,
        0,
        2,
    ),
    ("person", "Khava Yakubova", 2, 0, 2),
    ("place", "Kyiv", 2, 0, 2),
    ("person", "Lech Wałęsa", 2, 0, 1),
    ("place", "Moscow", 2, 0, 2),
    ("state", "Poland", 2, 0, 2),
    ("organisation", "Riigikogu", 2, 0, 2),
    ("organisation", "Saeima", 2, 0, 2),
    ("organisation", "Sejm", 2, 0, 2),
    ("place", "Warsaw", 2, 0, 2),
    ("person", "Zelim Ismailov", 2, 0, 2),
    ("place", "Baltic states", 1, 0, 1),
    ("place", "Brazzaville", 1, 0, 1),
    ("organisation", "Bundestag", 1, 0, 1),
    ("state", "Chechnya", 1, 0, 1),
    ("organisation", "Congress of the United States", 1, 0, 1),
    ("organisation", "Council of Europe", 1, 0, 1),
    ("place", "Crimea", 1, 0, 1),
    ("person", "Edgars Rinkēvičs", 1, 0, 1),
    ("organisation", "European Parliament", 1, 0, 1),
    ("state", "Georgia", 1, 0, 1),
    ("person", "Gitanas Nausėda", 1, 0, 1),
    ("organisation", "Government of Lithuania", 1, 0, 1),
    ("place", "Gudermes", 1, 0, 1),
    ("person", "Hamzat Khalidov", 1, 0, 1),
    ("place", "Istanbul", 1, 0, 1),
    ("place", "Kaunas", 1, 0, 1),
    ("place", "Kinshasa", 1, 0, 1),
    ("state", "Latvia", 1, 0, 1),
    ("organisation", "Memorial", 1, 0, 1),
    ("place", "Northern Caucasus", 1, 0, 1),
    ("person", "Oleksandr Merezhko", 1, 0, 1),
    ("place", "Paris", 1, 0, 1),
    ("person", "Ruslan Stefanchuk", 1, 0, 1),
    ("place", "Tbilisi", 1, 0, 1),
    ("organisation", "UN Human Rights Council", 1, 0, 1),
    ("state", "United States", 1, 0, 1),
    ("organisation", "United States Department of State", 1, 0, 1),
    ("place", "Urus-Martan", 1, 0, 1),
    ("organisation", "Wagner Group", 1, 0, 1),
    ("state", "Republic of the Congo", 0, 2, 1),
];

fn render_entities(rows: &[(String, String, i64, i64, usize)]) -> String {
    rows.iter()
        .map(|(t, n, m, a, d)| format!("{t:<13} {n:<42} {m:>2} {a:>2} {d:>2}\n"))
        .collect()
}

#[test]
fn fixture_corpus_with_the_shipped_gazetteers() {
    let s = Scratch::new();
    s.copy_fixture("corpus");
    let run = s.ingest(&["corpus"]);
    let summary = run.summary();
    assert_eq!(summary.documents, 7);
    assert_eq!(summary.counts(), (7, 0, 0, 0, 0));
    assert_eq!(
        summary.mentions, 117,
        "settled mentions of the whole corpus"
    );
    assert!(
        run.stderr_lines("warning:").is_empty() && run.stderr_lines("error:").is_empty(),
        "{}",
        run.stderr
    );
    let got: Vec<_> = s
        .entities(&[])
        .into_iter()
        .map(|e| (e.kind, e.name, e.mentions, e.ambiguous, e.documents.len()))
        .collect();
    let want: Vec<_> = CORPUS_ENTITIES
        .iter()
        .map(|(t, n, m, a, d)| (t.to_string(), n.to_string(), *m, *a, *d))
        .collect();
    assert_eq!(render_entities(&got), render_entities(&want));
}

/// Per document: path, title, settled mentions, distinct entities.
const CORPUS_DOCUMENTS: &[(&str, &str, i64, i64)] = &[
    (
        "corpus/case_notes.md",
        "Case notes: the Vilnius letter and its signatories",
        16,
        13,
    ),
    (
        "corpus/congo_briefing.txt",
        "Briefing note: cargo flights on the Congo route",
        5,
        7,
    ),
    (
        "corpus/fax_transcript_line_breaks.txt",
        "FAX TRANSCRIPT, page 2 of 3",
        7,
        7,
    ),
    (
        "corpus/news_rada_appeal.txt",
        "Rada adopts appeal on Chechen and Ukrainian detainees",
        18,
        15,
    ),
    (
        "corpus/open_letter_prisoners.txt",
        "Open letter to the parliaments of the Baltic states and Poland on the Chechen prisoners held by Russia",
        29,
        24,
    ),
    (
        "corpus/resolution_seimas.txt",
        "SEIMAS OF THE REPUBLIC OF LITHUANIA",
        23,
        17,
    ),
    (
        "corpus/round_table_notes.txt",
        "Notes from the Tbilisi round table, 22 November 2031",
        19,
        13,
    ),
];

#[test]
fn fixture_corpus_documents_are_stored_relative_to_the_working_directory() {
    let s = Scratch::new();
    s.copy_fixture("corpus");
    s.ingest(&["corpus"]);
    let got: Vec<_> = s
        .documents()
        .into_iter()
        .map(|d| {
            assert_eq!(d.encoding, "UTF-8", "{}", d.path);
            let size = std::fs::metadata(s.path().join(&d.path)).unwrap().len();
            assert_eq!(d.size as u64, size, "{}", d.path);
            (d.path, d.title, d.mentions, d.entities)
        })
        .collect();
    let want: Vec<_> = CORPUS_DOCUMENTS
        .iter()
        .map(|(p, t, m, e)| (p.to_string(), t.to_string(), *m, *e))
        .collect();
    assert_eq!(got, want);
}

/// The matching rules, one case per row, with the test gazetteer:
/// (what the case shows, the text, the mentions as `surface=entity`, in
/// text order; `\n` in a surface is a line break of the text).
const MATCHING: &[(&str, &str, &[&str])] = &[
    (
        "leftmost-longest: the full name is one mention",
        "The Chechen Republic of Ichkeria declared independence.",
        &["Chechen Republic of Ichkeria=Chechen Republic of Ichkeria"],
    ),
    (
        "a shorter alias on its own",
        "The Chechen Republic voted.",
        &["Chechen Republic=Chechen Republic of Ichkeria"],
    ),
    (
        "a long name that stops short falls back to the shorter one",
        "The Chechen Republic of Chechens",
        &["Chechen Republic=Chechen Republic of Ichkeria"],
    ),
    (
        "the longest name wins over a state inside it",
        "The Seimas of the Republic of Lithuania met; the Republic of Lithuania did not.",
        &[
            "Seimas of the Republic of Lithuania=Seimas",
            "Republic of Lithuania=Lithuania",
        ],
    ),
    (
        "case does not matter",
        "CHECHEN REPUBLIC OF ICHKERIA, chechen republic of ichkeria",
        &[
            "CHECHEN REPUBLIC OF ICHKERIA=Chechen Republic of Ichkeria",
            "chechen republic of ichkeria=Chechen Republic of Ichkeria",
        ],
    ),
    (
        "diacritics do not matter, either way",
        "Noxçiyçö, Noxciyco and NOXÇIYÇÖ",
        &[
            "Noxçiyçö=Chechen Republic of Ichkeria",
            "Noxciyco=Chechen Republic of Ichkeria",
            "NOXÇIYÇÖ=Chechen Republic of Ichkeria",
        ],
    ),
    (
        "decomposed diacritics (combining marks)",
        "Noxc\u{327}iyc\u{327}o\u{308} again",
        &["Noxc\u{327}iyc\u{327}o\u{308}=Chechen Republic of Ichkeria"],
    ),
    (
        "a name without its diacritics",
        "Genovaite Sakaliene and Genovaitė Šakalienė",
        &[
            "Genovaite Sakaliene=Genovaite Šakaliene",
            "Genovaitė Šakalienė=Genovaite Šakaliene",
        ],
    ),
    (
        "possessive with a typographic apostrophe",
        "Russia’s army",
        &["Russia=Russia"],
    ),
    (
        "possessive with a straight apostrophe",
        "Zelensky's speech and Ichkeria's flag",
        &[
            "Zelensky=Volodymyr Zelensky",
            "Ichkeria=Chechen Republic of Ichkeria",
        ],
    ),
    (
        "punctuation after a name",
        "He went to Russia. Then Ukraine, then Lithuania!",
        &["Russia=Russia", "Ukraine=Ukraine", "Lithuania=Lithuania"],
    ),
    (
        "word boundaries: Russian is not Russia",
        "Russian troops, Russians, Russianness and Ukrainebound trains",
        &[],
    ),
    (
        "a hyphen is a word boundary",
        "a pro-Russia rally",
        &["Russia=Russia"],
    ),
    (
        "no match inside a longer word",
        "the Kadyrovtsy and the Seimasas",
        &[],
    ),
    (
        "a name broken across a line",
        "President Volodymyr\nZelensky spoke.",
        &["Volodymyr\nZelensky=Volodymyr Zelensky"],
    ),
    (
        "a name broken across a line with indentation",
        "the Chechen Republic of\n    Ichkeria and the\r\nVerkhovna\r\nRada",
        &[
            "Chechen Republic of\n    Ichkeria=Chechen Republic of Ichkeria",
            "Verkhovna\r\nRada=Verkhovna Rada",
        ],
    ),
    (
        "runs of spaces and tabs inside a name",
        "the Verkhovna  \t Rada",
        &["Verkhovna  \t Rada=Verkhovna Rada"],
    ),
    (
        "a comma splits a name",
        "Verkhovna, Rada",
        &["Rada=Verkhovna Rada"],
    ),
    (
        "apostrophe variants",
        "Côte d’Ivoire, Cote d'Ivoire, Côte d‘Ivoire",
        &[
            "Côte d’Ivoire=Côte d'Ivoire",
            "Cote d'Ivoire=Côte d'Ivoire",
            "Côte d‘Ivoire=Côte d'Ivoire",
        ],
    ),
    (
        "dash variants",
        "Urus–Martan, Urus—Martan, Urus-Martan",
        &[
            "Urus–Martan=Urus-Martan",
            "Urus—Martan=Urus-Martan",
            "Urus-Martan=Urus-Martan",
        ],
    ),
    (
        "invisible characters inside a word",
        "Zelen\u{AD}sky and Kady\u{2060}rov",
        &[
            "Zelen\u{AD}sky=Volodymyr Zelensky",
            "Kady\u{2060}rov=Ramzan Kadyrov",
        ],
    ),
    (
        "a zero-width space separates words",
        "Lithuania\u{200B}Ukraine",
        &["Lithuania=Lithuania", "Ukraine=Ukraine"],
    ),
    (
        "an acronym matches with its case",
        "the UN voted",
        &["UN=United Nations"],
    ),
    (
        "an acronym in lower or mixed case is prose",
        "un jour, Un homme, uN",
        &[],
    ),
    (
        "US the state, us the pronoun",
        "Tell us what the US said. Us? USA!",
        &["US=United States", "USA=United States"],
    ),
    (
        "case=exact: only as written",
        "Memorial said so at a memorial service; MEMORIAL",
        &["Memorial=Memorial"],
    ),
    (
        "case=exact applies to aliases too",
        "the Memorial Human Rights Centre, the memorial human rights centre",
        &["Memorial Human Rights Centre=Memorial"],
    ),
    (
        "Cyrillic names fold case too",
        "Рамзан Кадыров, КАДЫРОВ и Ичкерия",
        &[
            "Рамзан Кадыров=Ramzan Kadyrov",
            "КАДЫРОВ=Ramzan Kadyrov",
            "Ичкерия=Chechen Republic of Ichkeria",
        ],
    ),
    (
        "a name inside Markdown emphasis and links",
        "**Alla Dudayeva** and [Vilnius](https://example.org/vilnius)",
        &[
            "Alla Dudayeva=Alla Dudayeva",
            "Vilnius=Vilnius",
            "vilnius=Vilnius",
        ],
    ),
];

/// Ingests each row of a table as its own document and returns, per row,
/// the mentions as `surface=entity`.
fn mentions_per_case(s: &Scratch, texts: &[&str]) -> Vec<Vec<String>> {
    for (i, text) in texts.iter().enumerate() {
        s.write(&format!("cases/case_{i:02}.txt"), format!("{text}\n"));
    }
    let run = s.ingest(&["cases"]);
    assert_eq!(run.summary().new, texts.len(), "{}", run.stderr);
    let all = s.all_mentions();
    (0..texts.len())
        .map(|i| {
            let path = format!("cases/case_{i:02}.txt");
            all.iter()
                .filter(|m| m.document == path)
                .map(|m| format!("{}={}", m.surface, m.entity))
                .collect()
        })
        .collect()
}

#[test]
fn matching_rules() {
    let s = Scratch::with_fixture_gazetteer();
    let texts: Vec<&str> = MATCHING.iter().map(|(_, text, _)| *text).collect();
    let got = mentions_per_case(&s, &texts);
    let mut failures = Vec::new();
    for ((what, text, want), got) in MATCHING.iter().zip(got) {
        if got != *want {
            failures.push(format!(
                "{what}\n  text: {text:?}\n  want: {want:?}\n  got:  {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn mention_offsets_are_byte_offsets_of_the_surface() {
    let s = Scratch::with_fixture_gazetteer();
    let text = "Noxçiyçö’s envoy met Zelensky in Vilnius.\nThen Рамзан Кадыров spoke.\n";
    s.write("doc.txt", text);
    s.ingest(&["doc.txt"]);
    let got: Vec<(usize, usize, usize, String)> = s
        .all_mentions()
        .into_iter()
        .map(|m| {
            assert_eq!(&text[m.start..m.end], m.surface);
            (m.line, m.start, m.end, m.surface)
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, 0, 11, "Noxçiyçö".to_string()),
            (1, 26, 34, "Zelensky".to_string()),
            (1, 38, 45, "Vilnius".to_string()),
            (2, 52, 79, "Рамзан Кадыров".to_string()),
        ]
    );
}

/// Compatibility characters (fullwidth letters, styled letters, a
/// ligature's neighbour `™`) are matched as the plain names, and the
/// stored offsets still point at the original bytes.
#[test]
fn compatibility_characters_keep_exact_offsets() {
    let s = Scratch::with_fixture_gazetteer();
    let text = "Ｚｅｌｅｎｓｋｙ met the ＵＮ in 𝐕𝐢𝐥𝐧𝐢𝐮𝐬.\nKadyrov™ spoke.\n";
    s.write("doc.txt", text);
    s.ingest(&["doc.txt"]);
    let got: Vec<(usize, usize, usize, String, String)> = s
        .all_mentions()
        .into_iter()
        .map(|m| {
            assert_eq!(text.get(m.start..m.end), Some(m.surface.as_str()));
            (m.line, m.start, m.end, m.surface, m.entity)
        })
        .collect();
    let row = |line, start, end, surface: &str, entity: &str| {
        (line, start, end, surface.to_string(), entity.to_string())
    };
    assert_eq!(
        got,
        [
            row(1, 0, 24, "Ｚｅｌｅｎｓｋｙ", "Volodymyr Zelensky"),
            row(1, 33, 39, "ＵＮ", "United Nations"),
            row(1, 43, 71, "𝐕𝐢𝐥𝐧𝐢𝐮𝐬", "Vilnius"),
            row(2, 73, 80, "Kadyrov", "Ramzan Kadyrov"),
        ]
    );
}

/// Ambiguous names with the test gazetteer, where `Georgia` is a state and
/// a place: (what the case shows, the text, the entities of the document as
/// `type name settled ambiguous`).
const AMBIGUITY: &[(&str, &str, &[&str])] = &[
    (
        "alone, the name keeps both candidates",
        "Delegates from Georgia arrived on Monday.",
        &["place Georgia 0 1", "state Georgia 0 1"],
    ),
    (
        "an alias of the state elsewhere settles it",
        "Delegates from Georgia arrived. Sakartvelo has sent observers before.",
        &["state Georgia 2 0"],
    ),
    (
        "an alias of the place elsewhere settles it",
        "Georgia hosted the meeting; the State of Georgia paid for the hall.",
        &["place Georgia 2 0"],
    ),
    (
        "the settling name may come first",
        "The Republic of Georgia wrote first. Later Georgia and Georgia again.",
        &["state Georgia 3 0"],
    ),
    (
        "both candidates named elsewhere: still ambiguous",
        "Georgia. Sakartvelo. The State of Georgia.",
        &["place Georgia 1 1", "state Georgia 1 1"],
    ),
    (
        "a related entity does not settle it",
        "Georgia and its capital Tbilisi, far from Atlanta.",
        &[
            "place Atlanta 1 0",
            "place Tbilisi 1 0",
            "place Georgia 0 1",
            "state Georgia 0 1",
        ],
    ),
];

#[test]
fn ambiguous_names_are_kept_or_settled_by_the_document() {
    let s = Scratch::with_fixture_gazetteer();
    for (i, (_, text, _)) in AMBIGUITY.iter().enumerate() {
        s.write(&format!("amb/case_{i}.txt"), text);
    }
    s.ingest(&["amb"]);
    let mut failures = Vec::new();
    for (i, (what, text, want)) in AMBIGUITY.iter().enumerate() {
        let got: Vec<String> = s
            .entities(&["--document", &format!("amb/case_{i}.txt")])
            .into_iter()
            .map(|e| format!("{} {} {} {}", e.kind, e.name, e.mentions, e.ambiguous))
            .collect();
        if got != *want {
            failures.push(format!(
                "{what}\n  text: {text:?}\n  want: {want:?}\n  got:  {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn mentions_say_how_an_ambiguous_name_was_decided() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("a.txt", "Georgia and Sakartvelo.");
    s.write("b.txt", "Georgia alone.");
    s.ingest(&["a.txt", "b.txt"]);
    let run = s.run(&["mentions", "Georgia", "--format", "json"]).ok();
    let got: Vec<(String, String, String, String)> = run
        .json::<Vec<crate::support::Mention>>()
        .into_iter()
        .map(|m| {
            (
                m.document,
                m.surface,
                format!("{} {}", m.kind, m.entity),
                m.resolution,
            )
        })
        .collect();
    let want = [
        ("a.txt", "Georgia", "state Georgia", "context"),
        ("a.txt", "Sakartvelo", "state Georgia", "unique"),
        ("b.txt", "Georgia", "place Georgia", "ambiguous"),
        ("b.txt", "Georgia", "state Georgia", "ambiguous"),
    ];
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        run.stderr,
        "note: `Georgia` names 2 entities: place `Georgia`, state `Georgia`\n"
    );
}

#[test]
fn the_congo_of_the_fixture_corpus() {
    let s = Scratch::new();
    s.copy_fixture("corpus");
    s.ingest(&["corpus"]);
    let got: Vec<(String, usize, String, String, String)> = s
        .mentions("Congo")
        .into_iter()
        .map(|m| (m.document, m.line, m.surface, m.entity, m.resolution))
        .collect();
    let row = |d: &str, l: usize, s: &str, e: &str, r: &str| {
        (
            d.to_string(),
            l,
            s.to_string(),
            e.to_string(),
            r.to_string(),
        )
    };
    let drc = "Democratic Republic of the Congo";
    assert_eq!(
        got,
        [
            row("corpus/case_notes.md", 16, drc, drc, "unique"),
            row("corpus/case_notes.md", 16, "Congo", drc, "context"),
            row("corpus/congo_briefing.txt", 1, "Congo", drc, "ambiguous"),
            row(
                "corpus/congo_briefing.txt",
                1,
                "Congo",
                "Republic of the Congo",
                "ambiguous"
            ),
            row("corpus/congo_briefing.txt", 5, "Congo", drc, "ambiguous"),
            row(
                "corpus/congo_briefing.txt",
                5,
                "Congo",
                "Republic of the Congo",
                "ambiguous"
            ),
        ]
    );
}

#[test]
fn ingesting_the_same_content_again_changes_nothing() {
    let s = Scratch::new();
    s.copy_fixture("corpus");
    s.ingest(&["corpus"]);
    let before = s.run(&["export", "json"]).ok().stdout;
    let again = s.ingest(&["corpus"]).summary();
    assert_eq!(again.documents, 7);
    assert_eq!(again.counts(), (0, 0, 7, 0, 0));
    assert_eq!(again.mentions, 0, "no mention is written again");
    let after = s.run(&["export", "json"]).ok().stdout;
    assert!(before == after, "the graph changed on a no-op ingest");
}

#[test]
fn a_changed_file_replaces_its_document_and_mentions() {
    let s = Scratch::with_fixture_gazetteer();
    s.write(
        "notes/meeting.txt",
        "Meeting\n\nRamzan Kadyrov and Kadyrov again; Zelensky listened.\n",
    );
    s.write("notes/other.txt", "Other\n\nKadyrov once.\n");
    let first = s.ingest(&["notes"]).summary();
    assert_eq!((first.counts(), first.mentions), ((2, 0, 0, 0, 0), 4));
    let id_before = s.documents()[0].id;

    s.write(
        "notes/meeting.txt",
        "Meeting, revised\n\nZelensky spoke to the Seimas. Zelensky left.\n",
    );
    let second = s.ingest(&["notes"]).summary();
    assert_eq!((second.counts(), second.mentions), ((0, 1, 1, 0, 0), 3));

    let documents = s.documents();
    assert_eq!(documents.len(), 2, "replaced, not added");
    assert_eq!(documents[0].path, "notes/meeting.txt");
    assert_eq!(documents[0].id, id_before, "the document keeps its id");
    assert_eq!(documents[0].title, "Meeting, revised");
    assert_eq!((documents[0].mentions, documents[0].entities), (3, 2));

    let got: Vec<(String, i64, Vec<String>)> = s
        .entities(&[])
        .into_iter()
        .map(|e| (e.name, e.mentions, e.documents))
        .collect();
    assert_eq!(
        got,
        [
            (
                "Volodymyr Zelensky".to_string(),
                2,
                vec!["notes/meeting.txt".to_string()]
            ),
            (
                "Ramzan Kadyrov".to_string(),
                1,
                vec!["notes/other.txt".to_string()]
            ),
            (
                "Seimas".to_string(),
                1,
                vec!["notes/meeting.txt".to_string()]
            ),
        ]
    );
    let kadyrov: Vec<String> = s
        .mentions("Kadyrov")
        .into_iter()
        .map(|m| m.document)
        .collect();
    assert_eq!(kadyrov, ["notes/other.txt"]);

    // And back: the old content is "changed" again, not "unchanged".
    s.write(
        "notes/meeting.txt",
        "Meeting\n\nRamzan Kadyrov and Kadyrov again; Zelensky listened.\n",
    );
    let third = s.ingest(&["notes"]).summary();
    assert_eq!((third.counts(), third.mentions), ((0, 1, 1, 0, 0), 3));
    let kadyrov = s.entities(&["--type", "person"]);
    assert_eq!(
        (
            kadyrov[0].name.as_str(),
            kadyrov[0].mentions,
            kadyrov[0].documents.len()
        ),
        ("Ramzan Kadyrov", 3, 2)
    );
}

fn stdin_path(text: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("stdin:{}", &hex[..12])
}

#[test]
fn standard_input_is_a_document_named_by_its_hash() {
    let s = Scratch::with_fixture_gazetteer();
    let text = b"Pasted from a chat\n\nZelensky and Kadyrov, then Zelensky.\n";
    let run = s.run_with_stdin(&["ingest", "-"], text).ok();
    assert_eq!(
        (run.summary().counts(), run.summary().mentions),
        ((1, 0, 0, 0, 0), 3)
    );
    let again = s.run_with_stdin(&["ingest", "-"], text).ok();
    assert_eq!(
        again.summary().counts(),
        (0, 0, 1, 0, 0),
        "same text = same document"
    );
    let other = b"Another paste: the Seimas.\n";
    let third = s.run_with_stdin(&["ingest", "-"], other).ok();
    assert_eq!(third.summary().counts(), (1, 0, 0, 0, 0));
    let got: Vec<(String, String, i64)> = s
        .documents()
        .into_iter()
        .map(|d| (d.path, d.title, d.mentions))
        .collect();
    let mut want = vec![
        (stdin_path(text), "Pasted from a chat".to_string(), 3),
        (
            stdin_path(other),
            "Another paste: the Seimas.".to_string(),
            1,
        ),
    ];
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn standard_input_together_with_files() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("a.txt", "Vilnius\n");
    let run = s
        .run_with_stdin(&["ingest", "a.txt", "-"], b"Grozny\n")
        .ok();
    assert_eq!(run.summary().counts(), (2, 0, 0, 0, 0));
    let paths: Vec<String> = s.documents().into_iter().map(|d| d.path).collect();
    assert_eq!(paths, ["a.txt".to_string(), stdin_path(b"Grozny\n")]);
}

#[test]
fn a_missing_path_fails_while_the_good_files_go_in() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("good/a.txt", "Vilnius and Grozny\n");
    s.write("good/b.txt", "Zelensky\n");
    let run = s.run(&["ingest", "good", "missing.txt"]).expect_code(1);
    assert_eq!(
        run.stderr_lines("error:"),
        ["error: missing.txt: No such file or directory (os error 2)"]
    );
    let summary = run.summary();
    assert_eq!(summary.counts(), (2, 0, 0, 0, 1));
    assert_eq!(summary.mentions, 3);
    let paths: Vec<String> = s.documents().into_iter().map(|d| d.path).collect();
    assert_eq!(paths, ["good/a.txt", "good/b.txt"]);
}

/// A document over `--max-document-size` fails alone, named, unread: a
/// 1 GB one had taken 12.9 GB and aborted the whole run (exit 134). Files,
/// standard input and a stream with no size known all keep to the limit.
#[test]
fn a_document_over_the_size_limit_fails_alone() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("in/a.txt", "Vilnius\n");
    s.write("in/big.txt", "Grozny and Vilnius. ".repeat(100));
    s.write("in/z.txt", "Grozny\n");
    let limit = ["ingest", "--max-document-size", "1kB"];
    let run = s
        .run_with_stdin(
            &[&limit[..], &["in", "-"]].concat(),
            "Tbilisi. ".repeat(200).as_bytes(),
        )
        .expect_code(1);
    assert_eq!(
        run.stderr_lines("error:"),
        [
            "error: in/big.txt: 2.0 kB, over the 1.0 kB a document may have; --max-document-size raises the limit",
            "error: stdin: over the 1.0 kB a document may have; --max-document-size raises the limit",
        ]
    );
    assert_eq!(run.summary().counts(), (2, 0, 0, 0, 2));
    let paths: Vec<String> = s.documents().into_iter().map(|d| d.path).collect();
    assert_eq!(paths, ["in/a.txt", "in/z.txt"]);
    // The default takes it.
    assert_eq!(s.ingest(&["in"]).summary().counts(), (1, 0, 2, 0, 0));
    // A device that never ends stops at the limit.
    #[cfg(target_os = "linux")]
    {
        let endless = s.run(&[&limit[..], &["/dev/zero"]].concat()).expect_code(1);
        assert_eq!(endless.summary().counts(), (0, 0, 0, 0, 1));
    }
}

/// A named pipe on the command line had made ingest wait forever for a
/// writer: it is waited on for 30 s, then refused (the others go in); one
/// inside a folder was left out without a word.
#[cfg(unix)]
#[test]
fn named_pipes_are_refused_and_noted_not_waited_on() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("in/a.txt", "Vilnius\n");
    for fifo in ["in/pipe", "alone"] {
        let made = std::process::Command::new("mkfifo")
            .arg(s.path().join(fifo))
            .status()
            .expect("mkfifo");
        assert!(made.success());
    }
    let mut child = s
        .command(&["ingest", "alone", "in"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("ingest waits on a named pipe");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("error: alone: a named pipe nothing wrote to in 30 s: dossier stops waiting"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "note: 1 named pipe, socket or device in the folders was skipped, such as in/pipe: dossier reads regular files"
        ),
        "{stderr}"
    );
    let summary = crate::support::Summary::find(&stderr).unwrap();
    assert_eq!(summary.counts(), (1, 0, 0, 0, 1));
}

/// The summary's total is the sum of its parts, whatever failed.
#[test]
fn summary_total_counts_every_part() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("a.txt", "Vilnius\n");
    s.write("empty.txt", "");
    let run = s
        .run(&["ingest", "a.txt", "empty.txt", "missing.txt"])
        .expect_code(1);
    let summary = run.summary();
    assert_eq!(summary.counts(), (1, 0, 0, 1, 1));
    assert_eq!(
        summary.documents,
        summary.new + summary.changed + summary.unchanged + summary.skipped + summary.failed,
        "the total of `ingested N documents` is not the sum of its parts: {}",
        run.stderr
    );
}

#[test]
fn nothing_to_ingest_is_exit_2_and_creates_no_database() {
    let s = Scratch::with_fixture_gazetteer();
    let run = s
        .run(&["ingest", "missing.txt", "also/missing"])
        .expect_code(2);
    assert_eq!(
        run.stderr,
        "error: missing.txt: No such file or directory (os error 2)\n\
         error: also/missing: No such file or directory (os error 2)\n\
         error: nothing to ingest\n"
    );
    assert!(!s.db().exists());
}

#[test]
fn folders_are_walked_for_text_files_only() {
    let s = Scratch::with_fixture_gazetteer();
    for name in [
        "in/a.txt",
        "in/b.md",
        "in/c.markdown",
        "in/d.TEXT",
        "in/no_extension",
        "in/deeper/still/e.txt",
    ] {
        s.write(name, "Vilnius\n");
    }
    for name in [
        "in/report.pdf",
        "in/table.csv",
        "in/.hidden.txt",
        "in/.git/HEAD.txt",
    ] {
        s.write(name, "Grozny\n");
    }
    let run = s.ingest(&["in"]);
    assert_eq!(run.summary().counts(), (6, 0, 0, 0, 0));
    assert!(
        run.stderr.contains(
            "note: 2 files in the folders were left out by extension, such as in/report.pdf: dossier reads .txt, .md, .markdown, .text and files without one"
        ),
        "{}",
        run.stderr
    );
    let paths: Vec<String> = s.documents().into_iter().map(|d| d.path).collect();
    assert_eq!(
        paths,
        [
            "in/a.txt",
            "in/b.md",
            "in/c.markdown",
            "in/d.TEXT",
            "in/deeper/still/e.txt",
            "in/no_extension"
        ]
    );
    // A file named on the command line is read whatever its extension.
    let named = s.ingest(&["in/table.csv"]);
    assert_eq!(named.summary().counts(), (1, 0, 0, 0, 0));
}

#[test]
fn one_file_under_several_spellings_is_one_document() {
    let s = Scratch::with_fixture_gazetteer();
    let abs = s.write("dir/a.txt", "Vilnius\n");
    let run = s.ingest(&[
        "dir/a.txt",
        "./dir/a.txt",
        "dir/../dir/a.txt",
        abs.to_str().unwrap(),
    ]);
    assert_eq!(run.summary().counts(), (1, 0, 0, 0, 0));
    let paths: Vec<String> = s.documents().into_iter().map(|d| d.path).collect();
    assert_eq!(paths, ["dir/a.txt"]);
}

/// A file literally named `caf\xE9.txt` and one whose name has the byte
/// 0xE9 were stored under one path: a folder kept one of them, and one
/// ingested after the other replaced it.
#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_not_a_name_with_its_escape() {
    use std::os::unix::ffi::OsStrExt;
    let s = Scratch::with_fixture_gazetteer();
    s.write("in/caf\\xE9.txt", "Vilnius\n");
    let latin1 = s
        .path()
        .join(std::ffi::OsStr::from_bytes(b"in/caf\xe9.txt"));
    std::fs::write(&latin1, "Grozny\n").unwrap();
    let run = s.ingest(&["in"]);
    assert_eq!(run.summary().counts(), (2, 0, 0, 0, 0));
    let paths: Vec<String> = s.documents().into_iter().map(|d| d.path).collect();
    assert_eq!(paths, ["./in/caf\\xE9.txt", "in/caf\\xE9.txt"]);
    // One after the other: neither replaces the other.
    let again = Scratch::with_fixture_gazetteer();
    again.write("in/caf\\xE9.txt", "Vilnius\n");
    again.ingest(&["in/caf\\xE9.txt"]);
    std::fs::write(
        again
            .path()
            .join(std::ffi::OsStr::from_bytes(b"in/caf\xe9.txt")),
        "Grozny\n",
    )
    .unwrap();
    let second = again.ingest(&["in"]);
    assert_eq!(second.summary().counts(), (1, 0, 1, 0, 0));
    assert_eq!(again.documents().len(), 2);
}

/// A link is stored under the path it leads to, whether it is the folder
/// walked, a folder on the way, or the file itself.
#[cfg(unix)]
#[test]
fn links_are_stored_under_the_path_they_lead_to() {
    use std::os::unix::fs::symlink;
    let s = Scratch::with_fixture_gazetteer();
    s.write("real/a.txt", "Vilnius\n");
    s.write("real/deeper/d.txt", "Vilnius\n");
    s.write("other/c.txt", "Grozny\n");
    let root = s.path();
    symlink(root.join("real"), root.join("linked")).unwrap();
    symlink(root.join("other/c.txt"), root.join("real/b.txt")).unwrap();
    symlink(root.join("real/deeper"), root.join("other/shortcut")).unwrap();
    let run = s.ingest(&["linked", "other", "real"]);
    assert_eq!(run.summary().counts(), (3, 0, 0, 0, 0));
    let paths: Vec<String> = s.documents().into_iter().map(|d| d.path).collect();
    assert_eq!(paths, ["other/c.txt", "real/a.txt", "real/deeper/d.txt"]);
}

#[test]
fn a_file_outside_the_working_directory_is_stored_with_its_full_path() {
    let s = Scratch::with_fixture_gazetteer();
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("far.txt");
    std::fs::write(&file, "Vilnius\n").unwrap();
    s.ingest(&[file.to_str().unwrap()]);
    let paths: Vec<String> = s.documents().into_iter().map(|d| d.path).collect();
    let canonical = file.canonicalize().unwrap();
    assert_eq!(paths, [canonical.to_str().unwrap()]);
}

#[test]
fn quiet_prints_nothing_on_success() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("a.txt", "Vilnius\n");
    let run = s.run(&["-q", "ingest", "a.txt"]).ok();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    let missing = s
        .run(&["--quiet", "ingest", "a.txt", "b.txt"])
        .expect_code(1);
    assert_eq!(
        missing.stderr, "error: b.txt: No such file or directory (os error 2)\n",
        "errors still show"
    );
}

#[test]
fn no_default_gazetteers_needs_a_gazetteer() {
    let s = Scratch::new();
    s.write("a.txt", "Vilnius\n");
    for command in [&["ingest", "a.txt"][..], &["reindex"][..]] {
        let mut args = vec!["--no-default-gazetteers"];
        args.extend_from_slice(command);
        let run = s.run(&args).expect_code(2);
        assert_eq!(
            run.stderr,
            "error: no gazetteers: --no-default-gazetteers needs at least one --gazetteer DIR\n"
        );
    }
    assert!(!s.db().exists(), "nothing done");
}

/// Errors that stop a command: exit 2 and one `error:` line that names the
/// cause once. Rows: (what, files to create, arguments, the text the line
/// must hold exactly once).
/// Files to create: (name, content).
type Files = &'static [(&'static str, &'static [u8])];

const FATAL_ERRORS: &[(&str, Files, &[&str], &str)] = &[
    (
        "a gazetteer directory that does not exist",
        &[("a.txt", b"Vilnius")],
        &["--gazetteer", "no/such/dir", "ingest", "a.txt"],
        "no such gazetteer directory",
    ),
    (
        "a database under a file",
        &[("a.txt", b"Vilnius"), ("not_a_dir", b"x")],
        &["--db", "not_a_dir/x.sqlite", "ingest", "a.txt"],
        "(os error",
    ),
    (
        "a database file that is not SQLite",
        &[("bad.sqlite", b"this is not a database, just text")],
        &["--db", "bad.sqlite", "entities"],
        "the file is not an SQLite database",
    ),
    (
        "a gazetteer to write under a file",
        &[("not_a_dir", b"x")],
        &[
            "gazetteer",
            "add",
            "person",
            "Marta Vilkaite",
            "--into",
            "not_a_dir",
        ],
        "(os error",
    ),
];

#[test]
fn fatal_errors_name_their_cause_once() {
    let mut failures = Vec::new();
    for (what, files, args, once) in FATAL_ERRORS {
        let s = Scratch::with_fixture_gazetteer();
        for (name, bytes) in *files {
            s.write(name, bytes);
        }
        let run = s.run_without_db(args);
        let lines: Vec<&str> = run.stderr.lines().collect();
        let ok = run.code == 2
            && lines.len() == 1
            && lines[0].starts_with("error: ")
            && lines[0].matches(once).count() == 1;
        if !ok {
            failures.push(format!(
                "{what}: exit {}, stderr {:?} should be one `error:` line holding {once:?} once",
                run.code, run.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// U+02BC MODIFIER LETTER APOSTROPHE, the apostrophe of Ukrainian
/// orthography, is one of the apostrophes `normalize` says it folds.
#[test]
fn the_modifier_letter_apostrophe_folds_like_the_others() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("a.txt", "Côte d\u{2BC}Ivoire and Russia\u{2BC}s envoy\n");
    s.ingest(&["a.txt"]);
    let got: Vec<String> = s
        .all_mentions()
        .into_iter()
        .map(|m| format!("{}={}", m.surface, m.entity))
        .collect();
    assert_eq!(got, ["Côte d\u{2BC}Ivoire=Côte d'Ivoire", "Russia=Russia"]);
}

#[test]
fn a_further_gazetteer_adds_to_the_shipped_one() {
    let s = Scratch::new();
    s.write("mine/people.tsv", "Marta Vilkaite\tM. Vilkaite\n");
    // Extra aliases for a shipped entity join that entity.
    s.write("mine/places.tsv", "Vilnius\tVilnius city hall\n");
    s.write(
        "a.txt",
        "M. Vilkaite met Zelensky at the Vilnius city hall; Marta Vilkaite took notes.\n",
    );
    s.run(&["--gazetteer", "mine", "ingest", "a.txt"]).ok();
    let got: Vec<String> = s
        .entities(&[])
        .into_iter()
        .map(|e| format!("{} {} {}", e.kind, e.name, e.mentions))
        .collect();
    assert_eq!(
        got,
        [
            "person Marta Vilkaite 2",
            "place Vilnius 1",
            "person Volodymyr Zelensky 1"
        ]
    );
    let surfaces: Vec<String> = s
        .mentions("Vilnius")
        .into_iter()
        .map(|m| m.surface)
        .collect();
    assert_eq!(surfaces, ["Vilnius city hall"]);
}

#[test]
fn the_database_defaults_to_db_dossier_sqlite_and_dossier_db_overrides_it() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("a.txt", "Vilnius\n");
    let out = s
        .command_without_db(&["-q", "ingest", "a.txt"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(s.path().join("db/dossier.sqlite").is_file());

    let elsewhere = s.path().join("elsewhere.sqlite");
    let out = s
        .command_without_db(&["-q", "ingest", "a.txt"])
        .env("DOSSIER_DB", &elsewhere)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(elsewhere.is_file());
    // --db wins over the environment.
    let flag = s.path().join("flag.sqlite");
    let out = s
        .command_without_db(&["--db", flag.to_str().unwrap(), "-q", "ingest", "a.txt"])
        .env("DOSSIER_DB", &elsewhere)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(flag.is_file());
    // Set but empty: said in its own terms.
    let out = s
        .command_without_db(&["-q", "ingest", "a.txt"])
        .env("DOSSIER_DB", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: DOSSIER_DB is set but empty: unset it, or set it to a database file\n"
    );
}

#[test]
fn dossier_gazetteers_replaces_the_shipped_directory() {
    let s = Scratch::new();
    s.write("a.txt", "Istanbul, Vilnius and Noxciyco\n");
    let out = s
        .command_without_db(&["--db", s.db().to_str().unwrap(), "-q", "ingest", "a.txt"])
        .env("DOSSIER_GAZETTEERS", fixture("gazetteer"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let got: Vec<String> = s.entities(&[]).into_iter().map(|e| e.name).collect();
    // Istanbul is only in the shipped gazetteer.
    assert_eq!(got, ["Chechen Republic of Ichkeria", "Vilnius"]);
    assert!(shipped_gazetteers().join("places.tsv").is_file());
}

#[test]
fn worker_count_does_not_change_the_result() {
    let one = Scratch::new();
    one.copy_fixture("corpus");
    one.run(&["ingest", "-j", "1", "corpus"]).ok();
    let many = Scratch::new();
    many.copy_fixture("corpus");
    many.run(&["ingest", "--jobs", "8", "corpus"]).ok();
    let strip = |s: &Scratch| {
        let mut graph: serde_json::Value = s.run(&["export", "json"]).ok().json();
        for node in graph["nodes"].as_array_mut().unwrap() {
            if let Some(attributes) = node["attributes"].as_object_mut() {
                attributes.remove("ingested_at");
            }
        }
        graph
    };
    assert_eq!(strip(&one), strip(&many));
    let ids = |s: &Scratch| -> Vec<(i64, String)> {
        s.documents().into_iter().map(|d| (d.id, d.path)).collect()
    };
    assert_eq!(ids(&one), ids(&many), "document ids follow input order");
}

#[test]
fn summary_parser_reads_the_documented_line() {
    // The helper every test relies on, checked on the documented shape.
    let line = "ingested 9 documents in 0.01 s (0.0 MB, 3 MB/s): 4 new, 1 changed, 2 unchanged, 1 skipped, 1 failed; 12 mentions\n";
    let got = Summary::find(line).unwrap();
    assert_eq!(
        (got.documents, got.counts(), got.mentions, got.interrupted),
        (9, (4, 1, 2, 1, 1), 12, false)
    );
}

/// Two ingests of the same folder into one new database at once: both
/// finish cleanly (one waits for the other's write lock), every document is
/// stored once, and each run counts every document as new or unchanged.
#[test]
fn two_ingests_at_once_into_one_new_database() {
    for attempt in 0..3 {
        let s = Scratch::new();
        for i in 0..200 {
            s.write(
                &format!("corpus/{i:03}.txt"),
                format!("Note {i}: Vilnius and the Seimas.\n"),
            );
        }
        let spawn = || {
            s.command(&["ingest", "corpus"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn dossier")
        };
        let (first, second) = (spawn(), spawn());
        for child in [first, second] {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(0), "attempt {attempt}: {stderr}");
            let summary = Summary::find(&stderr).expect("a summary");
            assert_eq!(
                summary.new + summary.unchanged,
                200,
                "attempt {attempt}: {stderr}"
            );
        }
        assert_eq!(s.documents().len(), 200, "attempt {attempt}");
    }
}

/// A first ingest of many files builds the relation and evidence indexes
/// once at its end: afterwards they are all there, over every row.
#[test]
fn a_large_first_ingest_ends_with_every_relation_index() {
    let s = Scratch::new();
    for i in 0..1000 {
        s.write(
            &format!("many/{i:04}.txt"),
            format!("In {} the Seimas recognised Ichkeria.\n", 1990 + i % 30),
        );
    }
    s.ingest(&["many"]);
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    let mut indexes: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index'
             AND tbl_name IN ('relations', 'evidence') AND name NOT LIKE 'sqlite_%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    indexes.sort();
    assert_eq!(
        indexes,
        [
            "evidence_document",
            "evidence_period",
            "evidence_relation",
            "relations_object_document",
            "relations_object_entity"
        ]
    );
    let used: i64 = conn
        .query_row(
            "SELECT count(*) FROM evidence INDEXED BY evidence_document WHERE document_id > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        used, 1000,
        "one piece of evidence per document, all indexed"
    );
}
