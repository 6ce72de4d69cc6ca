//! What each fuzz target does with its input, shared by the targets
//! (`fuzz/fuzz_targets/`, run by `cargo fuzz`) and by the test that runs
//! every case kept in `fuzz/corpus/` (`tests/it/fuzzed.rs`). Each function
//! returns normally for any input: a panic, or an input that takes long,
//! is a bug.
//!
//! - [`query`]: the query parser, the printed form of what it parsed, and
//!   the planner against the graph of the test fixtures;
//! - [`gazetteer`]: a folder of name lists and metonymy words read by the
//!   lexicon's loader, the names compiled and matched in the input itself;
//! - [`rules`]: a relation rule file read as the lexicon reads one,
//!   compiled against the shipped names and run on the fixture documents
//!   and the input itself;
//! - [`document`]: bytes decoded as a document, and its title.

use dossier::document;
use dossier::engine::Engine;
use dossier::gazetteer::Gazetteer;
use dossier::graph::Graph;
use dossier::ingest;
use dossier::lexicon::Lexicon;
use dossier::matcher::Matcher;
use dossier::metonymy::Metonymy;
use dossier::model::EntityType;
use dossier::query;
use dossier::relations::Compiled;
use dossier::relations::rules::RuleSet;
use dossier::store::Store;
use std::path::{Path, PathBuf};

/// The repository's root (this file is compiled in the fuzz crate, whose
/// manifest lies in `fuzz/`, and in the integration tests, whose manifest
/// is the root's).
fn repository() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    if here.join("tests/fixtures").is_dir() {
        here.to_path_buf()
    } else {
        here.parent().expect("fuzz/ has a parent").to_path_buf()
    }
}

/// The shipped gazetteer folder.
fn shipped() -> PathBuf {
    repository().join("gazetteers")
}

/// The fixture documents every target that reads text also reads.
fn fixture_documents() -> Vec<PathBuf> {
    ["tests/fixtures/corpus", "tests/fixtures/relations"]
        .iter()
        .map(|d| repository().join(d))
        .collect()
}

/// The input as text: libFuzzer's bytes, lossily.
fn text_of(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// The store and graph of the fixture documents, ingested once per thread
/// with the small test gazetteer and the shipped rules: an unknown name's
/// suggestions cost its length times the names, which the fuzzer needs
/// few of.
struct Fixture {
    store: Store,
    graph: Graph,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = scratch("fixture");
        let names = repository().join("tests/fixtures/gazetteer");
        for entry in std::fs::read_dir(&names).expect("the test gazetteer") {
            let path = entry.expect("a test list").path();
            std::fs::copy(&path, dir.join(path.file_name().expect("a file"))).expect("copy");
        }
        let rules = dir.join(dossier::relations::rules::DIR);
        std::fs::create_dir(&rules).expect("a rules folder");
        for file in dossier::relations::rules::files_in(&shipped()).expect("the shipped rules") {
            std::fs::copy(&file, rules.join(file.file_name().expect("a file"))).expect("copy");
        }
        let lexicon = Lexicon::load(std::slice::from_ref(&dir)).expect("the fixture lexicon loads");
        let _ = std::fs::remove_dir_all(&dir);
        let kinds: Vec<String> = lexicon
            .rules
            .rules
            .iter()
            .map(|r| r.relation.clone())
            .collect();
        let mut store = Store::open_in_memory().expect("an in-memory store");
        let engine = Engine::start(&mut store, lexicon, 0.0).expect("the engine starts");
        let interrupt = std::sync::atomic::AtomicBool::new(false);
        let collected = ingest::collect(&fixture_documents(), None);
        ingest::run(
            &mut store,
            collected.sources,
            &engine.settings(1, &interrupt),
            &mut |_| {},
        )
        .expect("the fixtures ingest");
        let mut graph = Graph::load(&store).expect("the graph loads");
        graph.declare_kinds(kinds);
        Fixture { store, graph }
    }
}

thread_local! {
    static FIXTURE: Fixture = Fixture::new();
}

/// A query: parsed; what parsed prints back as a query that prints the
/// same; and planned against the fixtures' graph (names resolved, with
/// their suggestions when unknown). Not run: the executor's bounds are
/// the executor's tests'.
pub fn query(data: &[u8]) {
    let text = text_of(data);
    let Ok(parsed) = query::parse(&text) else {
        return;
    };
    // The printed form is canonical: it parses, and prints as itself.
    let printed = parsed.to_string();
    match query::parse(&printed) {
        Ok(again) => assert_eq!(
            again.to_string(),
            printed,
            "{text:?} printed as {printed:?} parses to another query"
        ),
        Err(e) => panic!("{text:?} printed as {printed:?}, which does not parse: {e}"),
    }
    FIXTURE.with(|f| {
        if let Err(e) = query::plan::plan(&parsed, &f.graph, &f.store) {
            let _ = e.render(&text);
        }
    });
}

/// A scratch folder of this process's own, emptied of what the previous
/// input wrote into it.
fn scratch(name: &str) -> PathBuf {
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!(
        "dossier-fuzz-{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// Checks that every span lies inside `text`, on character boundaries.
fn check_span(text: &str, start: u32, end: u32, what: &str) {
    let (start, end) = (start as usize, end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what} {start}..{end} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} {start}..{end} inside a character"
    );
}

/// Reads `text` with a matcher and rules and checks every span found.
fn read_with(
    gazetteer: &Gazetteer,
    matcher: &Matcher,
    metonymy: &Metonymy,
    rules: &Compiled,
    text: &str,
) {
    let (mentions, found) = ingest::read_text_with(matcher, metonymy, rules, text);
    for m in &mentions {
        check_span(text, m.start, m.end, "a mention");
        assert!((m.entity as usize) < gazetteer.len());
    }
    for f in &found {
        check_span(text, f.evidence.start, f.evidence.end, "evidence");
        check_span(text, f.subject_span.start, f.subject_span.end, "a subject");
        if let Some(object) = &f.object_span {
            check_span(text, object.start, object.end, "an object");
        }
    }
}

/// A gazetteer folder: the input cut at its `0xFF` bytes (never in UTF-8)
/// into the people, organisations, places and states lists and the
/// metonymy words, loaded as `ingest` loads a folder; when it loads, its
/// names are compiled and looked for in the input itself.
pub fn gazetteer(data: &[u8]) {
    let dir = scratch("gazetteer");
    let mut parts = data.split(|&b| b == 0xFF);
    let files = EntityType::ALL
        .iter()
        .map(|kind| kind.file_name())
        .chain([dossier::metonymy::FILE]);
    for file in files {
        std::fs::write(dir.join(file), parts.next().unwrap_or_default()).expect("write a list");
    }
    if let Ok(lexicon) = Lexicon::load(std::slice::from_ref(&dir)) {
        let matcher = Matcher::build(&lexicon.gazetteer);
        let metonymy = Metonymy::build(&lexicon.gazetteer, &lexicon.metonymy);
        let rules = Compiled::build(&lexicon.gazetteer, &lexicon.rules);
        read_with(
            &lexicon.gazetteer,
            &matcher,
            &metonymy,
            &rules,
            &text_of(data),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The shipped names, compiled once per thread, and the fixture documents
/// the rules are run on.
struct Names {
    lexicon: Lexicon,
    matcher: Matcher,
    metonymy: Metonymy,
    texts: Vec<String>,
}

thread_local! {
    static NAMES: Names = {
        let lexicon = Lexicon::load(&[shipped()]).expect("the shipped gazetteers load");
        let texts = ingest::collect(&fixture_documents(), None)
            .sources
            .iter()
            .filter_map(|s| match s {
                ingest::Source::File { read, .. } => std::fs::read_to_string(read).ok(),
                _ => None,
            })
            .collect();
        Names {
            matcher: Matcher::build(&lexicon.gazetteer),
            metonymy: Metonymy::build(&lexicon.gazetteer, &lexicon.metonymy),
            lexicon,
            texts,
        }
    };
}

/// A relation rule file, read as the lexicon reads one; when it reads,
/// its rules are compiled against the shipped names and run on the
/// fixture documents and on the input itself.
pub fn rules(data: &[u8]) {
    let text = text_of(data);
    let mut set = RuleSet::default();
    if set.extend(&text, "fuzz.rules").is_err() {
        return;
    }
    NAMES.with(|names| {
        let gazetteer = &names.lexicon.gazetteer;
        let rules = Compiled::build(gazetteer, &set);
        for document in names.texts.iter().map(String::as_str).chain([&*text]) {
            read_with(gazetteer, &names.matcher, &names.metonymy, &rules, document);
        }
    });
}

/// Bytes decoded as a document (both ways `ingest` has), and the title of
/// the text.
pub fn document(data: &[u8]) {
    let borrowed = document::decode(data);
    let owned = document::decode_owned(data.to_vec());
    match (borrowed, owned) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.text, b.text);
            assert_eq!(a.encoding, b.encoding);
            let _ = document::title(&a.text);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("decode and decode_owned disagree: {a:?} / {b:?}"),
    }
}
