//! `dossier serve`: the pages as a browser gets them, from a server the
//! test starts on a free port, over HTTP.

use crate::support::Scratch;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

/// A running `dossier serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
}

impl Server {
    /// Starts `serve --port 0` on `scratch`'s database and waits for the
    /// address it prints.
    pub(crate) fn start(scratch: &Scratch, args: &[&str]) -> Server {
        let mut all = vec!["serve", "--port", "0"];
        all.extend_from_slice(args);
        let mut child = scratch
            .command(&all)
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dossier serve");
        let stderr = child.stderr.take().expect("piped stderr");
        let mut lines = BufReader::new(stderr).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("serve printed its address before ending")
                .expect("read serve's stderr");
            if let Some(at) = line.find("http://") {
                break line[at..]
                    .split_whitespace()
                    .next()
                    .expect("an address")
                    .trim_end_matches('/')
                    .to_string();
            }
        };
        // Keep reading so that the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let server = Server { child, base };
        // The full-text index is built beside the pages: wait for it.
        let started = std::time::Instant::now();
        while !server.get("/api/status").1.contains("\"fulltext\":true") {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "the full-text index was not ready in 30 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        server
    }

    /// GETs `path`: the status and the body.
    fn get(&self, path: &str) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut response = agent
            .get(&format!("{}{path}", self.base))
            .call()
            .expect("the server answers");
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().expect("a text body");
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A database of one letter, read with the shipped lists plus two people,
/// one of whose names holds markup.
pub(crate) fn letter() -> Scratch {
    let scratch = Scratch::new();
    let names = scratch.write(
        "names/people.tsv",
        "Ola Brandt\t\tcountry=Norway\nMira <script>alert(1)</script> Vance\tMira Vance\n",
    );
    let scratch = scratch.also_gazetteer(names.parent().expect("a folder"));
    scratch.write(
        "docs/letter.txt",
        "Harbour letter\n\nOla Brandt condemned Russia for the shelling of the harbour on 3 May 2024.\n\
         Mira <script>alert(1)</script> Vance lives in Oslo and signed nothing.\n",
    );
    scratch.run(&["ingest", "docs"]).ok();
    scratch
}

/// The number in the first link to `prefix` in `html`.
fn first_id(html: &str, prefix: &str) -> String {
    let at = html
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {html}"))
        + prefix.len();
    html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

#[test]
fn search_finds_entities_by_any_word_and_documents_by_their_words() {
    let scratch = letter();
    let server = Server::start(&scratch, &[]);
    let (status, page) = server.get("/search?q=brandt");
    assert_eq!(status, 200);
    assert!(page.contains(">Ola Brandt</a>"), "{page}");
    let (_, page) = server.get("/search?q=shelling+harbour");
    assert!(
        page.contains("<mark class=\"found\">shelling</mark>"),
        "{page}"
    );
    assert!(page.contains(">Harbour letter</a>"), "{page}");
    let (status, offers) = server.get("/api/names?q=ola");
    assert_eq!(status, 200);
    let offers: serde_json::Value = serde_json::from_str(&offers).expect("JSON");
    assert_eq!(offers[0]["name"], "Ola Brandt");
    assert_eq!(offers[0]["kind"], "person");
}

#[test]
fn an_entity_page_quotes_its_facts_with_both_names_marked() {
    let scratch = letter();
    let server = Server::start(&scratch, &[]);
    let (_, found) = server.get("/search?q=ola+brandt");
    let id = first_id(&found, "href=\"/entity/");
    let (status, page) = server.get(&format!("/entity/{id}"));
    assert_eq!(status, 200);
    assert!(page.contains("<em>condemned</em>"), "{page}");
    assert!(
        page.contains("<mark class=\"subject\">Ola Brandt</mark> condemned <mark class=\"object\">Russia</mark>"),
        "{page}"
    );
    assert!(page.contains("line 3"), "the quote's line: {page}");
    assert!(page.contains("<dt>country</dt><dd>Norway</dd>"), "{page}");
    // Its mentions link to their documents, by path.
    let (status, document) = server.get("/document?path=docs%2Fletter.txt&line=3");
    assert_eq!(status, 200);
    assert!(document.contains("<h1>Harbour letter</h1>"), "{document}");
    assert_eq!(server.get("/document?path=nowhere.txt").0, 404);
    // Its neighbourhood, drawn and for Gephi.
    let (status, svg) = server.get(&format!("/entity/{id}/neighbourhood"));
    assert_eq!(status, 200);
    assert!(
        svg.contains("<svg") && svg.contains(">Russia</text>"),
        "{svg}"
    );
    let (status, graphml) = server.get(&format!(
        "/entity/{id}/neighbourhood?format=graphml&depth=2"
    ));
    assert_eq!(status, 200);
    assert!(
        graphml.contains("<graphml") && graphml.contains(">condemned<"),
        "{graphml}"
    );
    let (status, gexf) = server.get(&format!("/entity/{id}/neighbourhood?format=gexf"));
    assert_eq!(status, 200);
    assert!(gexf.contains("<gexf"), "{gexf}");
    let (status, _) = server.get(&format!("/entity/{id}/neighbourhood?format=pdf"));
    assert_eq!(status, 404);
}

#[test]
fn a_document_page_links_each_mention_to_its_entity() {
    let scratch = letter();
    let server = Server::start(&scratch, &[]);
    let (_, found) = server.get("/search?q=harbour");
    let id = first_id(&found, "href=\"/document/");
    let (status, page) = server.get(&format!("/document/{id}"));
    assert_eq!(status, 200);
    assert!(page.contains("class=\"mention person\""), "{page}");
    assert!(
        page.contains(">Ola Brandt</a> condemned <a class=\"mention state\""),
        "{page}"
    );
    assert!(page.contains("id=\"line-3\""), "{page}");
    assert!(
        page.contains("<em>resides-in</em>"),
        "the relations stated in it: {page}"
    );
}

/// Whether `page` shows the markup of the test name as text (`<` written
/// as a named or a numbered character reference).
fn escaped(page: &str) -> bool {
    page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        || page.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
}

#[test]
fn markup_in_names_and_texts_is_shown_as_text() {
    let scratch = letter();
    let server = Server::start(&scratch, &[]);
    for path in ["/search?q=vance", "/search?q=alert"] {
        let (_, page) = server.get(path);
        assert!(!page.contains("<script>alert"), "{path}: {page}");
        assert!(escaped(&page), "{path}: {page}");
    }
    let (_, found) = server.get("/search?q=vance");
    let entity = first_id(&found, "href=\"/entity/");
    let (_, found) = server.get("/search?q=alert");
    let document = first_id(&found, "href=\"/document/");
    for path in [format!("/entity/{entity}"), format!("/document/{document}")] {
        let (status, page) = server.get(&path);
        assert_eq!(status, 200);
        assert!(!page.contains("<script>alert"), "{path}: {page}");
        assert!(escaped(&page), "{path}: {page}");
    }
}

#[test]
fn a_bad_query_shows_where_with_a_caret_and_a_suggestion() {
    let scratch = letter();
    let server = Server::start(&scratch, &[]);
    let (status, page) = server.get("/query?query=%3Fp%20condemed%20%3Fx");
    assert_eq!(status, 400);
    assert!(page.contains("error at line 1, column 4"), "{page}");
    assert!(page.contains("  ?p condemed ?x\n     ^^^^^^^^"), "{page}");
    assert!(page.contains("did you mean `condemned`?"), "{page}");
    let (status, page) = server.get("/query?query=%3Fp%20condemned%20%3Fx");
    assert_eq!(status, 200);
    assert!(page.contains(">Ola Brandt</a>"), "{page}");
    let (status, csv) = server.get("/query?format=csv&query=%3Fp%20condemned%20%3Fx");
    assert_eq!(status, 200);
    assert_eq!(csv, "p,x\nOla Brandt,Russia\n");
}

/// A downloaded answer is opened in a spreadsheet: a name that starts
/// like a formula is written as text.
#[test]
fn a_downloaded_answer_guards_formulas() {
    let scratch = Scratch::new();
    let names = scratch.write("names/people.tsv", "=HYPERLINK(1) Ola\n");
    let scratch = scratch.also_gazetteer(names.parent().expect("a folder"));
    scratch.write(
        "docs/note.txt",
        "Note\n\n=HYPERLINK(1) Ola lives in Oslo since the spring.\n",
    );
    scratch.run(&["ingest", "docs"]).ok();
    let server = Server::start(&scratch, &[]);
    let (status, csv) = server.get("/query?format=csv&query=%3Fp%20resides-in%20%3Fx");
    assert_eq!(status, 200);
    assert_eq!(csv, "p,x\n'=HYPERLINK(1) Ola,Oslo\n");
}

/// An entity many documents name lists the mentions of the first 20 and
/// says how many there are.
#[test]
fn an_entity_named_in_many_documents_shows_a_sample_and_the_count() {
    let scratch = letter();
    for i in 0..22 {
        scratch.write(
            &format!("docs/more/{i:02}.txt"),
            format!("Note {i}\n\nOla Brandt wrote again.\n"),
        );
    }
    scratch.run(&["ingest", "docs"]).ok();
    let server = Server::start(&scratch, &[]);
    let (_, found) = server.get("/search?q=ola+brandt");
    let id = first_id(&found, "href=\"/entity/");
    let (_, page) = server.get(&format!("/entity/{id}"));
    assert!(page.contains("In 23 documents; the first 20:"), "{page}");
    let listed = page.matches("<td><a href=\"/document?path=").count();
    assert_eq!(listed, 20, "{page}");
}

/// What an ingest or a `forget` changes while the server runs shows on
/// its pages a few seconds later, without a restart.
#[test]
fn the_pages_follow_an_ingest_and_a_forget_while_serving() {
    let scratch = letter();
    let server = Server::start(&scratch, &[]);
    let query = "/query?query=%3Fp%20resides-in%20%3Fx";
    assert!(!server.get(query).1.contains(">Ola Brandt</a>"));
    assert!(!server.get("/search?q=lighthouse").1.contains("second.txt"));
    scratch.write(
        "docs/second.txt",
        "Second note\n\nOla Brandt lives in Oslo, near the old lighthouse.\n",
    );
    scratch.run(&["ingest", "docs"]).ok();
    let until = |path: &str, wanted: bool, what: &str| {
        let started = std::time::Instant::now();
        while server.get(path).1.contains(what) != wanted {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "{path}: {what} {} after 20 s",
                if wanted { "not shown" } else { "still shown" }
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    until(query, true, ">Ola Brandt</a>");
    until("/search?q=lighthouse", true, "docs/second.txt");
    scratch.run(&["forget", "docs/second.txt"]).ok();
    until("/search?q=lighthouse", false, "docs/second.txt");
    until(query, false, ">Ola Brandt</a>");
}

#[test]
fn unknown_pages_and_entities_are_plain_not_found_pages() {
    let scratch = letter();
    let server = Server::start(&scratch, &[]);
    for path in [
        "/entity/999999",
        "/entity/abc",
        "/document/999999",
        "/nowhere",
    ] {
        let (status, page) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(page.contains("Not found"), "{path}: {page}");
    }
}

#[test]
fn listening_beyond_this_machine_is_warned_about() {
    let scratch = letter();
    let mut child = scratch
        .command(&["serve", "--port", "0", "--host", "0.0.0.0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dossier serve");
    let stderr = child.stderr.take().expect("piped stderr");
    let first = BufReader::new(stderr)
        .lines()
        .next()
        .expect("a line")
        .expect("text");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("warning"), "{first}");
    assert!(
        first.contains("anyone who can reach this machine"),
        "{first}"
    );
}
