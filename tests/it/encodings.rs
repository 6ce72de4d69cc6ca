//! Documents in other encodings than UTF-8, and files that are no text:
//! one row per file of `tests/fixtures/encodings`.

use crate::support::{Scratch, stored_text};

/// A fixture read as text: (file, the encodings it may be reported as,
/// whether the encoding is a guess, its title, the real encoding to check
/// the stored text against, how many BOM bytes to drop first, the entities
/// of the test gazetteer it names).
struct Case {
    file: &'static str,
    reported: &'static [&'static str],
    guessed: bool,
    title: &'static str,
    real: &'static encoding_rs::Encoding,
    bom: usize,
    entities: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        file: "cp1251_statement.txt",
        reported: &["windows-1251"],
        guessed: true,
        title: "Заявление семей пропавших без вести",
        real: encoding_rs::WINDOWS_1251,
        bom: 0,
        entities: &["Chechen Republic of Ichkeria", "Grozny", "Ramzan Kadyrov"],
    },
    Case {
        file: "koi8r_letter.txt",
        // chardetng reports the KOI8 family as KOI8-U, which decodes
        // Russian text the same as KOI8-R.
        reported: &["KOI8-R", "KOI8-U"],
        guessed: true,
        title: "Письмо из Вильнюса",
        real: encoding_rs::KOI8_R,
        bom: 0,
        entities: &["Chechen Republic of Ichkeria", "Ramzan Kadyrov", "Russia"],
    },
    Case {
        file: "cp1252_participants.txt",
        reported: &["windows-1252"],
        guessed: true,
        title: "Liste des participants à la réunion de Genève, 12 avril 2032",
        real: encoding_rs::WINDOWS_1252,
        bom: 0,
        entities: &[
            "Chechen Republic of Ichkeria",
            "Genovaite Šakaliene",
            "Seimas",
        ],
    },
    Case {
        file: "utf16le_bom_statement.txt",
        reported: &["UTF-16LE"],
        guessed: false,
        title: "Statement of the Chechen diaspora in Finland",
        real: encoding_rs::UTF_16LE,
        bom: 2,
        entities: &["Chechen Republic of Ichkeria", "Verkhovna Rada"],
    },
    // Was refused as binary (its zero bytes) before UTF-16 without a
    // byte-order mark was told by them.
    Case {
        file: "utf16be_no_bom_letter.txt",
        reported: &["UTF-16BE"],
        guessed: true,
        title: "Letter from Vilnius to the Verkhovna Rada",
        real: encoding_rs::UTF_16BE,
        bom: 0,
        entities: &["Genovaite Šakaliene", "Seimas", "Verkhovna Rada", "Vilnius"],
    },
    Case {
        file: "utf8_bom_memorandum.txt",
        reported: &["UTF-8"],
        guessed: false,
        title: "Memorandum on hearings in the Verkhovna Rada",
        real: encoding_rs::UTF_8,
        bom: 3,
        entities: &["Seimas", "Verkhovna Rada", "Volodymyr Zelensky"],
    },
];

fn ingest_fixtures(s: &Scratch) -> crate::support::Run {
    s.copy_fixture("encodings");
    s.ingest(&["encodings"])
}

#[test]
fn every_encoding_fixture() {
    let s = Scratch::with_fixture_gazetteer();
    let run = ingest_fixtures(&s);
    assert_eq!(run.summary().counts(), (6, 0, 0, 2, 0));
    assert_eq!(run.summary().mentions, 19);
    let documents = s.documents();
    assert_eq!(documents.len(), CASES.len());
    let mut failures = Vec::new();
    for case in CASES {
        let path = format!("encodings/{}", case.file);
        let Some(doc) = documents.iter().find(|d| d.path == path) else {
            failures.push(format!("{path}: not stored"));
            continue;
        };
        if !case.reported.contains(&doc.encoding.as_str()) {
            failures.push(format!(
                "{path}: encoding {}, want {:?}",
                doc.encoding, case.reported
            ));
        }
        // The warning names the encoding the document was stored as.
        let warning = format!("warning: {path}: not UTF-8: decoded as {}", doc.encoding);
        let warned = run
            .stderr
            .lines()
            .any(|l| l.starts_with(&warning) && l.ends_with("(a guess)"));
        let any_warning = run
            .stderr
            .lines()
            .any(|l| l.starts_with(&format!("warning: {path}:")));
        if case.guessed != warned || any_warning != case.guessed {
            failures.push(format!(
                "{path}: guessed {} but warnings say {:?}",
                case.guessed,
                run.stderr_lines(&format!("warning: {path}:"))
            ));
        }
        if doc.title != case.title {
            failures.push(format!(
                "{path}: title {:?}, want {:?}",
                doc.title, case.title
            ));
        }
        // The stored text is the file's text, BOM dropped, nothing replaced.
        let bytes = std::fs::read(s.path().join(&path)).unwrap();
        let (want, _, had_errors) = case.real.decode(&bytes[case.bom..]);
        assert!(
            !had_errors,
            "{path}: the fixture is not {}",
            case.real.name()
        );
        let stored = stored_text(s.db(), &path);
        if stored != want {
            failures.push(format!(
                "{path}: stored text differs:\n{stored}\n---\n{want}"
            ));
        }
        let mut entities: Vec<String> = s
            .entities(&["--document", &path])
            .into_iter()
            .map(|e| e.name)
            .collect();
        entities.sort();
        if entities != case.entities {
            failures.push(format!(
                "{path}: entities {entities:?}, want {:?}",
                case.entities
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn empty_and_binary_files_are_skipped_with_a_reason() {
    let s = Scratch::with_fixture_gazetteer();
    let run = ingest_fixtures(&s);
    assert_eq!(
        run.stderr_lines("skipped:"),
        [
            "skipped: encodings/empty.txt: empty, nothing to ingest",
            "skipped: encodings/scanned_page: binary content (a NUL byte at offset 8), not a text document",
        ]
    );
    assert_eq!(run.stderr_lines("error:"), Vec::<&str>::new());
    let paths: Vec<String> = s.documents().into_iter().map(|d| d.path).collect();
    assert!(
        !paths
            .iter()
            .any(|p| p.ends_with("empty.txt") || p.ends_with("scanned_page"))
    );
    // Again: the text documents are unchanged, the others skipped again.
    let again = s.ingest(&["encodings"]);
    assert_eq!(again.summary().counts(), (0, 0, 6, 2, 0));
}

/// A stored file that is now empty or binary is skipped, and the message
/// says that the stored version stays.
#[test]
fn a_stored_file_turned_empty_keeps_its_stored_version() {
    let s = Scratch::with_fixture_gazetteer();
    s.write("notes/a.txt", "The Seimas met in Vilnius.\n");
    s.ingest(&["notes"]).ok();
    s.write("notes/a.txt", "");
    let run = s.ingest(&["notes"]);
    assert_eq!(
        run.stderr_lines("skipped:"),
        ["skipped: notes/a.txt: empty, nothing to ingest; the version stored earlier is kept"]
    );
    let documents = s.documents();
    assert_eq!(documents.len(), 1);
    assert!(stored_text(s.db(), &documents[0].path).contains("Seimas"));
}

/// UTF-8 cut inside its last character is still read as UTF-8, the names
/// in it found, and the bad bytes reported.
#[test]
fn utf8_cut_inside_a_character_stays_utf8() {
    let s = Scratch::with_fixture_gazetteer();
    let mut bytes = "Noxçiyçö and the Seimas of Lithuania, Vilnius. "
        .repeat(4)
        .into_bytes();
    bytes.extend_from_slice(&"ö".as_bytes()[..1]);
    s.write("cut/letter.txt", bytes);
    let run = s.ingest(&["cut"]).ok();
    assert_eq!(
        run.stderr_lines("warning:"),
        ["warning: cut/letter.txt: not valid UTF-8: 1 malformed UTF-8 sequence(s) replaced by �"]
    );
    let names: Vec<String> = s.entities(&[]).into_iter().map(|e| e.name).collect();
    assert!(names.iter().any(|n| n == "Vilnius"), "{names:?}");
    assert_eq!(s.documents()[0].encoding, "UTF-8");
}

#[test]
fn names_in_legacy_encodings_with_the_shipped_gazetteers() {
    let s = Scratch::new();
    ingest_fixtures(&s);
    let mut got: Vec<String> = s
        .entities(&["--document", "cp1252"])
        .into_iter()
        .map(|e| format!("{} {}", e.kind, e.name))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "organisation Seimas",
            "person António Guterres",
            "person Genovaite Šakaliene",
            "person Viktor Orbán",
            "place Geneva",
            "state Chechen Republic of Ichkeria"
        ]
    );
    let surfaces: Vec<String> = s
        .mentions("Geneva")
        .into_iter()
        .map(|m| m.surface)
        .collect();
    assert_eq!(surfaces, ["Genève"]);
}

/// Files made on the spot: (what, bytes, the stderr line about the file, or
/// `None` for none, and the encoding when stored).
#[test]
fn generated_inputs() {
    let mut utf16be = vec![0xFE, 0xFF];
    utf16be.extend(
        "A statement on Ичкерия\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes()),
    );
    type Case = (
        &'static str,
        Vec<u8>,
        Option<&'static str>,
        Option<&'static str>,
    );
    let cases: Vec<Case> = vec![
        ("UTF-16BE with a BOM", utf16be, None, Some("UTF-16BE")),
        (
            "only white space",
            b" \n\t\r\n  \n".to_vec(),
            Some("skipped: x.txt: empty, nothing to ingest"),
            None,
        ),
        (
            "a BOM and nothing else",
            b"\xEF\xBB\xBF\n".to_vec(),
            Some("skipped: x.txt: empty, nothing to ingest"),
            None,
        ),
        (
            "control characters without a NUL",
            [b"Vilnius".as_slice(), &[1, 2, 3, 4, 5, 6, 7, 8, 0x0e, 0x0f]].concat(),
            Some("skipped: x.txt: binary content (10 control characters), not a text document"),
            None,
        ),
        (
            "plain UTF-8 with diacritics",
            "Noxçiyçö\n".as_bytes().to_vec(),
            None,
            Some("UTF-8"),
        ),
    ];
    for (what, bytes, message, encoding) in cases {
        let s = Scratch::with_fixture_gazetteer();
        s.write("x.txt", &bytes);
        let run = s.ingest(&["x.txt"]);
        let lines: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| !l.starts_with("ingested "))
            .collect();
        assert_eq!(lines, message.into_iter().collect::<Vec<_>>(), "{what}");
        let stored: Vec<String> = s.documents().into_iter().map(|d| d.encoding).collect();
        assert_eq!(stored, encoding.into_iter().collect::<Vec<_>>(), "{what}");
        if encoding.is_some() {
            assert_eq!(s.entities(&[]).len(), 1, "{what}: {:?}", s.entities(&[]));
        }
    }
}
