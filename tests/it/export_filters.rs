//! The filters every export takes, checked through `export json` (whose
//! nodes and edges are easy to count) and `export dot`; and pictures, which
//! need Graphviz and say so clearly without it.

use crate::support::Scratch;

/// (nodes, edges, the relation kinds of the edges) of a filtered JSON export.
fn shape(s: &Scratch, filters: &[&str]) -> (usize, usize, Vec<String>) {
    let mut args = vec!["export", "json"];
    args.extend_from_slice(filters);
    let json: serde_json::Value = s.run(&args).ok().json();
    let edges = json["edges"].as_array().unwrap();
    let mut kinds: Vec<String> = edges
        .iter()
        .map(|e| e["relation"].as_str().unwrap().to_string())
        .collect();
    kinds.sort();
    kinds.dedup();
    (json["nodes"].as_array().unwrap().len(), edges.len(), kinds)
}

#[test]
fn each_filter_narrows_the_graph() {
    let s = Scratch::with_fixture_graph();
    let (_, all_edges, all_kinds) = shape(&s, &[]);
    assert!(
        all_edges > 40 && all_kinds.len() >= 7,
        "{all_edges} {all_kinds:?}"
    );

    let (_, edges, kinds) = shape(&s, &["--relations", "recognised,occupies"]);
    assert_eq!(kinds, ["occupies", "recognised"]);
    assert_eq!(edges, 8);

    // Only people and states: no document, so no `signed`; no
    // organisation, so no `member-of`.
    let (_, _, kinds) = shape(&s, &["--types", "person,state"]);
    assert_eq!(kinds, ["leads", "occupies", "recognised", "resides-in"]);

    let (nodes, edges, kinds) = shape(&s, &["--around", "Seimas"]);
    assert_eq!((nodes, edges), (6, 6), "{kinds:?}");
    let (deeper, _, _) = shape(&s, &["--around", "Seimas", "--depth", "2"]);
    assert!(deeper > nodes);

    let (_, edges, kinds) = shape(&s, &["--query", "?who recognised Ichkeria"]);
    assert_eq!((edges, kinds), (3, vec!["recognised".to_string()]));

    let (_, edges, _) = shape(&s, &["--min-weight", "2"]);
    assert!(edges > 0 && edges < all_edges);

    let (_, edges, kinds) = shape(&s, &["--document", "resolution_rada"]);
    assert_eq!(edges, 4, "{kinds:?}");
}

#[test]
fn bad_filters_are_errors_that_say_why() {
    let s = Scratch::with_fixture_graph();
    let cases = [
        (vec!["--types", "peeple"], "unknown type `peeple`"),
        (
            vec!["--relations", "lives-in"],
            "unknown relation `lives-in`",
        ),
        (vec!["--around", "Seimass"], "did you mean"),
        (vec!["--query", "?x lives ?y"], "unknown relation `lives`"),
        (
            vec!["--document", "nothing-like-this"],
            "no document matches",
        ),
    ];
    for (filters, message) in cases {
        let mut args = vec!["export", "dot"];
        args.extend_from_slice(&filters);
        let run = s.run(&args).expect_code(2);
        assert!(run.stderr.contains(message), "{filters:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
    }
    let run = s.run(&["export", "csv"]).expect_code(2);
    assert!(run.stderr.contains("give it with -o DIR"), "{}", run.stderr);
}

#[test]
fn pictures_are_drawn_by_graphviz_or_explained() {
    crate::python::tool("dot");
    let s = Scratch::with_fixture_graph();
    let svg = s
        .run(&["export", "svg", "--around", "Seimas", "-o", "around.svg"])
        .ok();
    assert_eq!(svg.stdout, "");
    let text = std::fs::read_to_string(s.path().join("around.svg")).unwrap();
    assert!(text.contains("<svg") && text.contains("Seimas"), "{text}");
    s.run(&["export", "png", "--around", "Seimas", "-o", "around.png"])
        .ok();
    let png = std::fs::read(s.path().join("around.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // Without Graphviz on the PATH: a clear message, exit 2, no file.
    let run = s
        .command(&["export", "svg", "-o", "none.svg"])
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("Graphviz, which is not installed"),
        "{stderr}"
    );
    assert!(!s.path().join("none.svg").exists());
}

/// The width and height, in points, of an SVG picture Graphviz drew.
fn svg_size(svg: &str) -> (f64, f64) {
    let root = &svg[svg.find("<svg").expect("an <svg> element")..];
    let attribute = |name: &str| -> f64 {
        let from = root.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
        let value = &root[from..from + root[from..].find('"').expect("a closing quote")];
        value.trim_end_matches("pt").parse().expect("a number")
    };
    (attribute("width"), attribute("height"))
}

/// A large graph (a hundred and twenty people, each a member of one of
/// five bodies) is not drawn in ranks, which made it one row of people
/// over one row of bodies, a strip over a hundred times wider than high:
/// the picture stays about as high as it is wide.
#[test]
fn a_large_picture_stays_about_as_high_as_it_is_wide() {
    crate::python::tool("sfdp");
    let s = Scratch::new();
    let first = [
        "Arvo", "Berit", "Caius", "Dagny", "Emil", "Freya", "Gunnar", "Hilde", "Ivar", "Jorunn",
        "Kaspar", "Liv",
    ];
    let last = [
        "Kelmsar",
        "Ostrand",
        "Velberg",
        "Tarnow",
        "Halvik",
        "Sundqvist",
        "Morvik",
        "Lindell",
        "Brask",
        "Fjeld",
    ];
    let people: Vec<String> = first
        .iter()
        .flat_map(|a| last.iter().map(move |b| format!("{a} {b}")))
        .collect();
    let bodies = [
        "Harbour Union",
        "Velmora Guild",
        "Ostravia League",
        "Tallow Workers Council",
        "Fjord Rowing Club",
    ];
    s.write("mine/people.tsv", people.join("\n") + "\n");
    s.write("mine/organisations.tsv", bodies.join("\n") + "\n");
    for (i, body) in bodies.iter().enumerate() {
        let mut text = format!("Minutes of the {body}\n\n");
        for person in people.iter().skip(i).step_by(bodies.len()) {
            text.push_str(&format!(
                "{person}, member of the {body}, spoke at the meeting.\n"
            ));
        }
        s.write(&format!("docs/minutes_{i}.txt"), text);
    }
    s.run(&["--gazetteer", "mine", "ingest", "docs"]).ok();
    let (nodes, edges, kinds) = shape(&s, &["--relations", "member-of"]);
    assert_eq!(
        (nodes, edges, kinds),
        (125, 120, vec!["member-of".to_string()])
    );

    s.run(&["export", "svg", "-o", "large.svg"]).ok();
    let svg = std::fs::read_to_string(s.path().join("large.svg")).unwrap();
    let (width, height) = svg_size(&svg);
    assert!(
        width / height < 3.0 && height / width < 3.0,
        "{width} × {height} points"
    );
    // Every name is drawn.
    for name in people.iter().map(String::as_str).chain(bodies) {
        assert!(
            svg.contains(&format!(">{name}</text>")),
            "{name} is not drawn"
        );
    }
}
