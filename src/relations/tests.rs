//! Data-driven tests of [`super::extract`]: a small gazetteer built in code,
//! the crate's own `gazetteers/relations/*.rules`, and one row per sentence
//! with the relations it must give, rendered as `"Subject kind Object"`.
//!
//! Every sentence here is invented for the test.

use super::rules::RuleSet;
use super::{Compiled, Found, extract};
use crate::gazetteer::{Entry, Gazetteer};
use crate::ingest::mentions_in;
use crate::matcher::Matcher;
use crate::metonymy::{self, Metonymy};
use crate::model::EntityType;
use std::path::Path;
use std::sync::OnceLock;

fn entry(kind: EntityType, name: &str, aliases: &[&str], attributes: &[(&str, &str)]) -> Entry {
    Entry::new(kind, name, aliases, attributes)
}

/// The gazetteer, matcher, metonymy and compiled rules, built once.
struct Fixture {
    gazetteer: Gazetteer,
    matcher: Matcher,
    metonymy: Metonymy,
    compiled: Compiled,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        use EntityType::*;
        let gazetteer = Gazetteer::from_entries(vec![
            entry(Person, "Marta Kovalenko", &[], &[]),
            entry(Person, "Ivan Petrenko", &[], &[]),
            entry(Person, "Olena Shevchuk", &[], &[]),
            entry(Person, "Tomas Berg", &["Berg"], &[]),
            entry(Person, "Rasa Lindqvist", &["Lindqvist"], &[]),
            // Two people one surname names: "Melnyk" alone is ambiguous.
            entry(Person, "Taras Melnyk", &["Melnyk"], &[]),
            entry(Person, "Oksana Melnyk", &["Melnyk"], &[]),
            entry(
                Organisation,
                "Verkhovna Rada",
                &["Parliament of Ukraine"],
                &[("kind", "parliament"), ("country", "Ukraine")],
            ),
            entry(
                Organisation,
                "Seimas",
                &["Parliament of Lithuania"],
                &[("kind", "parliament")],
            ),
            entry(Organisation, "Free Nations Forum", &[], &[]),
            entry(Organisation, "Helsinki Group", &[], &[]),
            entry(State, "Ukraine", &[], &[("demonym", "Ukrainian")]),
            entry(State, "Russia", &[], &[("demonym", "Russian")]),
            entry(State, "Georgia", &[], &[("demonym", "Georgian")]),
            entry(State, "Ichkeria", &[], &[]),
            entry(State, "Kosovo", &[], &[]),
            entry(State, "Lithuania", &[], &[("demonym", "Lithuanian")]),
            entry(
                Place,
                "Kyiv",
                &[],
                &[("kind", "capital"), ("country", "Ukraine")],
            ),
            entry(Place, "Paris", &[], &[]),
            entry(
                Place,
                "Vilnius",
                &[],
                &[("kind", "capital"), ("country", "Lithuania")],
            ),
        ]);
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers");
        let mut rules = RuleSet::default();
        let mut files: Vec<_> = std::fs::read_dir(root.join(super::rules::DIR))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "rules"))
            .collect();
        files.sort();
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            rules
                .extend(&text, &path.display().to_string())
                .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        }
        let words = std::fs::read_to_string(root.join(metonymy::FILE)).unwrap();
        let words = metonymy::Rules::parse(&words).unwrap();
        Fixture {
            matcher: Matcher::build(&gazetteer),
            metonymy: Metonymy::build(&gazetteer, &words),
            compiled: Compiled::build(&gazetteer, &rules),
            gazetteer,
        }
    })
}

/// The relations of `text`, as found.
fn found(text: &str) -> Vec<Found> {
    let f = fixture();
    let mentions = mentions_in(&f.matcher, &f.metonymy, text);
    extract(&f.compiled, text, &mentions)
}

/// The relations of `text` as `"Subject kind Object"` (`@document` for the
/// document itself), sorted.
fn relations(text: &str) -> Vec<String> {
    let f = fixture();
    let name = |entity: u32| f.gazetteer.entries()[entity as usize].name.as_str();
    let mut out: Vec<String> = found(text)
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                name(r.subject),
                f.compiled.kinds[r.kind as usize],
                r.object.map_or("@document", name)
            )
        })
        .collect();
    out.sort();
    out
}

struct Case {
    name: &'static str,
    text: &'static str,
    expected: &'static [&'static str],
}

const CASES: &[Case] = &[
    // Verbs, active and passive.
    Case {
        name: "active verb",
        text: "The Seimas recognised Kosovo.",
        expected: &["Seimas recognised Kosovo"],
    },
    Case {
        name: "passive verb",
        text: "Kosovo was recognised by the Seimas.",
        expected: &["Seimas recognised Kosovo"],
    },
    Case {
        name: "coordinated objects",
        text: "Last spring the Verkhovna Rada recognised Kosovo and Ichkeria.",
        expected: &[
            "Verkhovna Rada recognised Ichkeria",
            "Verkhovna Rada recognised Kosovo",
        ],
    },
    Case {
        name: "coordinated agents of a passive",
        text: "Kosovo was recognised by Lithuania and Ukraine within a week.",
        expected: &["Lithuania recognised Kosovo", "Ukraine recognised Kosovo"],
    },
    Case {
        name: "passive occupation",
        text: "Ichkeria was occupied by Russia for many years.",
        expected: &["Russia occupies Ichkeria"],
    },
    // Hedges and negations.
    Case {
        name: "urged to recognise",
        text: "Students urged the Seimas to recognise Kosovo.",
        expected: &[],
    },
    Case {
        name: "voted to recognise is a fact",
        text: "The Seimas voted to recognise Kosovo.",
        expected: &["Seimas recognised Kosovo"],
    },
    Case {
        name: "a day between the vote and the trigger",
        text: "The Seimas voted on Tuesday to recognise Kosovo.",
        expected: &["Seimas recognised Kosovo"],
    },
    Case {
        name: "future",
        text: "The Seimas will recognise Kosovo after the summit.",
        expected: &[],
    },
    Case {
        name: "modal verb",
        text: "The Seimas could recognise Kosovo next year.",
        expected: &[],
    },
    Case {
        name: "negation",
        text: "The Seimas did not recognise Kosovo.",
        expected: &[],
    },
    Case {
        name: "draft resolution",
        text: "Deputies read a draft resolution on the recognition of Kosovo.",
        expected: &[],
    },
    Case {
        name: "considering",
        text: "Ukraine was considering to recognise Kosovo.",
        expected: &[],
    },
    Case {
        name: "non-recognition with a possessor",
        text: "Lithuania's non-recognition of Kosovo was noted.",
        expected: &[],
    },
    Case {
        name: "non-recognition with an agent",
        text: "The non-recognition of Kosovo by Lithuania was noted.",
        expected: &[],
    },
    // Nouns.
    Case {
        name: "possessor of a noun",
        text: "Ukraine's recognition of Kosovo surprised nobody.",
        expected: &["Ukraine recognised Kosovo"],
    },
    Case {
        name: "agent of a noun",
        text: "The recognition of Kosovo by Lithuania came early.",
        expected: &["Lithuania recognised Kosovo"],
    },
    Case {
        name: "capital standing for its state",
        text: "Kyiv's recognition of Kosovo came late.",
        expected: &["Ukraine recognised Kosovo"],
    },
    Case {
        name: "demonym before a noun",
        text: "The film shows the Russian occupation of Georgia.",
        expected: &["Russia occupies Georgia"],
    },
    Case {
        name: "under occupation",
        text: "For a decade Ichkeria remained under Russian occupation.",
        expected: &["Russia occupies Ichkeria"],
    },
    Case {
        name: "parts of coordinated objects",
        text: "The report covers Russia's occupation of parts of Georgia and Ukraine.",
        expected: &["Russia occupies Georgia", "Russia occupies Ukraine"],
    },
    // Hyphenated subjects and "as".
    Case {
        name: "hyphenated demonym",
        text: "Few people stayed in Russian-occupied Kyiv that winter.",
        expected: &["Russia occupies Kyiv"],
    },
    Case {
        name: "recognised as occupied by",
        text: "The Seimas recognised Ichkeria as temporarily occupied by Russia.",
        expected: &["Russia occupies Ichkeria", "Seimas recognised Ichkeria"],
    },
    // Condemned.
    Case {
        name: "condemned a possessor",
        text: "The Verkhovna Rada condemned Russia's aggression against Georgia.",
        expected: &["Verkhovna Rada condemned Russia"],
    },
    Case {
        name: "condemned an act by an agent",
        text: "The Seimas condemned the detention of journalists by Russia.",
        expected: &["Seimas condemned Russia"],
    },
    Case {
        name: "condemned the agent, not the victim",
        text: "The Helsinki Group condemned the arrest of Olena Shevchuk by Russia.",
        expected: &["Helsinki Group condemned Russia"],
    },
    // Relative pronouns, references, "we", letterheads.
    Case {
        name: "relative pronoun",
        text: "The delegation thanked the Seimas, which recognised Kosovo.",
        expected: &["Seimas recognised Kosovo"],
    },
    Case {
        name: "reference noun",
        text: "The Seimas met on Monday. The resolution also condemned Russia.",
        expected: &["Seimas condemned Russia"],
    },
    Case {
        name: "we of a heading author",
        text: "Appeal by the Helsinki Group\n\nWe condemn Russia's war.",
        expected: &[
            "Helsinki Group condemned Russia",
            "Helsinki Group signed @document",
        ],
    },
    Case {
        name: "letterhead and operative clause",
        text: "SEIMAS\n\n1. To condemn the aggression of Russia.",
        expected: &["Seimas condemned Russia"],
    },
    // Roles.
    Case {
        name: "role in apposition after the person",
        text: "Marta Kovalenko, head of the Helsinki Group, spoke first.",
        expected: &["Marta Kovalenko leads Helsinki Group"],
    },
    Case {
        name: "role in apposition before the person",
        text: "The chair of the Helsinki Group, Marta Kovalenko, opened the meeting.",
        expected: &["Marta Kovalenko leads Helsinki Group"],
    },
    Case {
        name: "demonym role title",
        text: "Ukrainian President Ivan Petrenko arrived on Tuesday.",
        expected: &["Ivan Petrenko leads Ukraine"],
    },
    Case {
        name: "possessive role title",
        text: "Ukraine's president Ivan Petrenko arrived on Tuesday.",
        expected: &["Ivan Petrenko leads Ukraine"],
    },
    Case {
        name: "deputy head is a member",
        text: "Olena Shevchuk, deputy head of the Helsinki Group, gave a talk.",
        expected: &["Olena Shevchuk member-of Helsinki Group"],
    },
    Case {
        name: "person of an organisation",
        text: "Marta Kovalenko of the Free Nations Forum gave a talk.",
        expected: &["Marta Kovalenko member-of Free Nations Forum"],
    },
    Case {
        name: "led by",
        text: "The Free Nations Forum, led by Ivan Petrenko, met twice.",
        expected: &["Ivan Petrenko leads Free Nations Forum"],
    },
    Case {
        name: "based in a town",
        text: "The Paris-based lawyer Marta Kovalenko took the case.",
        expected: &["Marta Kovalenko resides-in Paris"],
    },
    Case {
        name: "description in a town",
        text: "Marta Kovalenko, a journalist in Vilnius, wrote the report.",
        expected: &["Marta Kovalenko resides-in Vilnius"],
    },
    Case {
        name: "lives in",
        text: "Olena Shevchuk lives in Paris.",
        expected: &["Olena Shevchuk resides-in Paris"],
    },
    // Signing in running text.
    Case {
        name: "signed the appeal",
        text: "Ivan Petrenko signed the appeal.",
        expected: &["Ivan Petrenko signed @document"],
    },
    Case {
        name: "signed by several",
        text: "The letter was signed by Marta Kovalenko and Olena Shevchuk.",
        expected: &[
            "Marta Kovalenko signed @document",
            "Olena Shevchuk signed @document",
        ],
    },
    // Signatory blocks.
    Case {
        name: "signatory block",
        text: "We ask for support.\n\nSigned by:\nMarta Kovalenko, historian, in Kyiv\n\
               Ivan Petrenko, member of the Helsinki Group\n",
        expected: &[
            "Ivan Petrenko member-of Helsinki Group",
            "Ivan Petrenko signed @document",
            "Marta Kovalenko resides-in Kyiv",
            "Marta Kovalenko signed @document",
        ],
    },
    Case {
        name: "a victim is not who is condemned",
        text: "The Seimas condemned the attack on Ukraine.",
        expected: &[],
    },
    Case {
        name: "the attacker is",
        text: "The Seimas condemned the attack on Ukraine by Russia.",
        expected: &["Seimas condemned Russia"],
    },
    Case {
        name: "a possessor attacker",
        text: "The Seimas condemned Russia's attack on Ukraine.",
        expected: &["Seimas condemned Russia"],
    },
    Case {
        name: "a hyphenated verb is an adjective",
        text: "The Seimas met the Kremlin-backed leaders, and the Free Nations Forum-led group recognised nothing.",
        expected: &[],
    },
    Case {
        name: "a longer name than the gazetteer's",
        text: "Signed by:\nMarta Kovalenko Foundation (Vilnius)\nIvan Petrenko, lawyer in Paris\n",
        expected: &[
            "Ivan Petrenko resides-in Paris",
            "Ivan Petrenko signed @document",
        ],
    },
    Case {
        name: "an organisation's role in apposition",
        text: "Marta Kovalenko, the Helsinki Group spokesperson, declined to comment.",
        expected: &["Marta Kovalenko member-of Helsinki Group"],
    },
    Case {
        name: "a commander leads",
        text: "Ivan Petrenko, commander of the Free Nations Forum, spoke first.",
        expected: &["Ivan Petrenko leads Free Nations Forum"],
    },
    Case {
        name: "a letter's closing",
        text: "We ask for your support.\n\nYours sincerely,\n\nMarta Kovalenko, historian in Vilnius\n",
        expected: &[
            "Marta Kovalenko resides-in Vilnius",
            "Marta Kovalenko signed @document",
        ],
    },
    Case {
        name: "misspelt header",
        text: "We ask for support.\n\nSigend by:\nMarta Kovalenko, historian, Vilnius\n\
               Olena Shevchuk, journalist\n",
        expected: &[
            "Marta Kovalenko resides-in Vilnius",
            "Marta Kovalenko signed @document",
            "Olena Shevchuk signed @document",
        ],
    },
    Case {
        name: "description over two lines",
        text: "Signed by:\nOlena Shevchuk, journalist and long-standing member\n\
               of the Helsinki Group\nIvan Petrenko, lawyer, Paris\n",
        expected: &[
            "Ivan Petrenko resides-in Paris",
            "Ivan Petrenko signed @document",
            "Olena Shevchuk member-of Helsinki Group",
            "Olena Shevchuk signed @document",
        ],
    },
    Case {
        name: "signature: the name, then its title on the next line",
        text: "We stand together.\n\nSigned for and on behalf of:\n\nMarta Kovalenko\n\
               Chair, Free Nations Forum\n\nIvan Petrenko\nPresident Helsinki Group\n\
               Deputy Chair, Free Nations Forum\n",
        expected: &[
            "Free Nations Forum signed @document",
            "Free Nations Forum signed @document",
            "Helsinki Group signed @document",
            "Ivan Petrenko leads Helsinki Group",
            "Ivan Petrenko member-of Free Nations Forum",
            "Ivan Petrenko signed @document",
            "Marta Kovalenko leads Free Nations Forum",
            "Marta Kovalenko signed @document",
        ],
    },
    Case {
        name: "closing formula, the body, then its officer",
        text: "Thank you for your attention.\n\nYours faithfully,\n\nFREE NATIONS FORUM\n\
               Olena Shevchuk\nChairwoman\n",
        expected: &[
            "Free Nations Forum signed @document",
            "Olena Shevchuk leads Free Nations Forum",
            "Olena Shevchuk signed @document",
        ],
    },
    Case {
        name: "signatures grouped under labels, blank lines between",
        text: "The signatures are listed below:\n\nPage 1\n\nLithuania:\n\nMarta Kovalenko\n\n\
               Ivan Petrenko\n\nUkraine:\n\nOlena Shevchuk\n",
        expected: &[
            "Ivan Petrenko signed @document",
            "Marta Kovalenko signed @document",
            "Olena Shevchuk signed @document",
        ],
    },
    Case {
        name: "signatories separated by semicolons",
        text: "The meeting closed.\n\nSigned,\n\nthe Helsinki Group; the Free Nations Forum; \
               a delegate of the Seimas.\n",
        // An unnamed delegate signs for the body it represents.
        expected: &[
            "Free Nations Forum signed @document",
            "Helsinki Group signed @document",
            "Seimas signed @document",
        ],
    },
    Case {
        name: "a title above the name, a title before the name",
        text: "Let it be done.\n\nIn the name of the Forum,\n\nChair of the Helsinki Group\n\n\
               Olena Shevchuk\n\nSecretary Ivan Petrenko\n",
        expected: &[
            "Ivan Petrenko signed @document",
            "Olena Shevchuk leads Helsinki Group",
            "Olena Shevchuk signed @document",
        ],
    },
    Case {
        name: "a list of people under a colon: roles, but nobody signs",
        text: "The committee heard from:\n\nMarta Kovalenko, Helsinki Group\n\n\
               Ivan Petrenko, President of the Free Nations Forum\n",
        expected: &[
            "Ivan Petrenko leads Free Nations Forum",
            "Marta Kovalenko member-of Helsinki Group",
        ],
    },
    Case {
        name: "one person under a colon is not a list",
        text: "The speaker was:\n\nMarta Kovalenko, Helsinki Group\n",
        expected: &[],
    },
    Case {
        name: "copies are not signatures",
        text: "Sincerely,\nMarta Kovalenko\n\ncc: Ivan Petrenko, Helsinki Group\n\
               c.c. Olena Shevchuk\n",
        expected: &["Marta Kovalenko signed @document"],
    },
    Case {
        name: "a label, then names alone separated by commas",
        text: "Signatories:\nHistorians – Marta Kovalenko, Ivan Petrenko and Olena Shevchuk\n",
        expected: &[
            "Ivan Petrenko signed @document",
            "Marta Kovalenko signed @document",
            "Olena Shevchuk signed @document",
        ],
    },
    Case {
        name: "an ambassador to a body is not its member",
        text: "Participants:\nMarta Kovalenko, Ukrainian ambassador to the Helsinki Group\n\
               Ivan Petrenko, Free Nations Forum\n",
        expected: &["Ivan Petrenko member-of Free Nations Forum"],
    },
    Case {
        name: "a title naming its authors after by, titles before the names",
        text: "Joint Letter on Border Crossings by Lithuanian Minister Marta Kovalenko, \
               the Helsinki Group and Ivan Petrenko\n\nWe write to you today.\n",
        expected: &[
            "Helsinki Group signed @document",
            "Ivan Petrenko signed @document",
            "Marta Kovalenko signed @document",
        ],
    },
    Case {
        name: "a title with by but no names after it",
        text: "A Guide to the Archives, by Region: Lithuania\n\nThe Helsinki Group keeps them.\n",
        expected: &[],
    },
    Case {
        name: "an address block: name, then title lines",
        text: "His Excellency Ivan Petrenko\nChairman of the Free Nations Forum\n\nDear Sir,\n",
        expected: &["Ivan Petrenko leads Free Nations Forum"],
    },
    Case {
        name: "an honour and a title after the name",
        text: "Sincerely,\n\nMarta Kovalenko OAM\nChair, Helsinki Group\n\n\
               (Signed) Ivan Petrenko Executive Secretary\n",
        expected: &[
            "Ivan Petrenko signed @document",
            "Marta Kovalenko leads Helsinki Group",
            "Marta Kovalenko signed @document",
        ],
    },
    Case {
        name: "a bill's sponsor and co-sponsors",
        text: "Ms. Lindqvist (for herself, Mr. Berg of Vilnius, and Ms. Olena Shevchuk) \
               introduced the following bill; which was referred to a committee.\n",
        expected: &[
            "Olena Shevchuk signed @document",
            "Rasa Lindqvist signed @document",
            "Tomas Berg signed @document",
        ],
    },
    Case {
        name: "a parenthesis without a sponsor's verb",
        text: "Ms. Lindqvist (for herself and Mr. Berg) spoke in the debate.\n",
        expected: &[],
    },
    Case {
        name: "signed by a list whose items have words before the name",
        text: "Signed by the Helsinki Group, the Seimas (upper house), the members of \
               the Free Nations Forum, a historian, and Mr. Ivan Petrenko.\n",
        expected: &[
            "Free Nations Forum signed @document",
            "Helsinki Group signed @document",
            "Ivan Petrenko signed @document",
            "Seimas signed @document",
        ],
    },
    Case {
        name: "a who-is-who page's infobox",
        text: "Olena Shevchuk\n\nOlena Shevchuk\n- Office: Chair of the Helsinki Group\n\
               - Birthplace: Kyiv, Ukraine\n- Residence: Paris, Vilnius\n\
               - Occupation: journalist, member of the Free Nations Forum\n\n\
               Olena Shevchuk is a writer.\n",
        expected: &[
            "Olena Shevchuk leads Helsinki Group",
            "Olena Shevchuk member-of Free Nations Forum",
            "Olena Shevchuk resides-in Paris",
            "Olena Shevchuk resides-in Vilnius",
        ],
    },
    Case {
        name: "key lines under a title that is not a person",
        text: "Border Crossings\n\n- Residence: Paris\n- Office: Chair of the Helsinki Group\n",
        expected: &[],
    },
    Case {
        name: "an inner role word does not fire inside a longer one",
        text: "Dear colleague,\n\nIvan Petrenko\nPrime Minister of Lithuania Helsinki Group chairman\n",
        expected: &[
            "Ivan Petrenko leads Helsinki Group",
            "Ivan Petrenko leads Lithuania",
        ],
    },
    Case {
        name: "a letter's list under a header the rules do not know, at its foot",
        text: "Open Letter on the Detained Reporters\n\nWe ask for their release before the \
               winter, as their health is failing and no court has heard their case.\n\n\
               Initiative group:\n\nMarta Kovalenko, historian, Vilnius\n\
               Ivan Petrenko, member of the Helsinki Group\n",
        expected: &[
            "Ivan Petrenko member-of Helsinki Group",
            "Ivan Petrenko signed @document",
            "Marta Kovalenko resides-in Vilnius",
            "Marta Kovalenko signed @document",
        ],
    },
    Case {
        name: "a letter ending in names with no header at all",
        text: "We ask for their release before the winter, as their health is failing and \
               no court has heard their case in all these months.\n\n\
               Marta Kovalenko, historian\nIvan Petrenko, journalist\n",
        expected: &[
            "Ivan Petrenko signed @document",
            "Marta Kovalenko signed @document",
        ],
    },
    Case {
        name: "a list in the middle of a letter does not sign it",
        text: "We write about the detained.\n\nThese people remain in prison:\n\n\
               Marta Kovalenko, historian\nIvan Petrenko, journalist\n\n\
               Their families have had no word of them for months, and their lawyers have \
               been refused every visit since the spring.\n",
        expected: &[],
    },
    Case {
        name: "a signature without a header at the foot of a letter",
        text: "We thank the Forum for its support over many years, and for the welcome it \
               gave our delegation in the spring.\n\nOlena Shevchuk\nChair, Helsinki Group\n",
        expected: &[
            "Olena Shevchuk leads Helsinki Group",
            "Olena Shevchuk signed @document",
        ],
    },
    Case {
        name: "names at the foot of a news item do not sign it",
        text: "The Forum met in Vilnius on Monday to discuss the detained reporters and \
               the visits their lawyers have been refused since the spring.\n\n\
               Marta Kovalenko, historian\nIvan Petrenko, journalist\n",
        expected: &[],
    },
    Case {
        name: "unknown name ends the entry above",
        text: "Signed by:\nMarta Kovalenko, lawyer\nTaras Bondar, teacher,\nin Vilnius\n\
               Ivan Petrenko, historian\n",
        expected: &[
            "Ivan Petrenko signed @document",
            "Marta Kovalenko signed @document",
        ],
    },
    Case {
        name: "on behalf of an organisation",
        text: "On behalf of the Helsinki Group\nMarta Kovalenko, coordinator\nIvan Petrenko\n",
        expected: &[
            "Helsinki Group signed @document",
            "Ivan Petrenko signed @document",
            "Marta Kovalenko signed @document",
        ],
    },
    Case {
        name: "a place inside a description is no residence",
        text: "Signed by:\nOlena Shevchuk, member of the movement in Lithuania, \
               member of the Helsinki Group\n",
        expected: &[
            "Olena Shevchuk member-of Helsinki Group",
            "Olena Shevchuk signed @document",
        ],
    },
    // Institutions derived from a state.
    Case {
        name: "state's parliament",
        text: "Ukraine's parliament recognised Kosovo.",
        expected: &["Verkhovna Rada recognised Kosovo"],
    },
    Case {
        name: "demonym parliament",
        text: "The Ukrainian parliament condemned Russia.",
        expected: &["Verkhovna Rada condemned Russia"],
    },
    // Several people named together, then referred to as a group.
    Case {
        name: "the leaders stand for the people named before",
        text: "Marta Kovalenko met Ivan Petrenko and Olena Shevchuk in Paris on Monday.\n\n\
               The leaders condemned Russia's war against Ukraine.",
        expected: &[
            "Ivan Petrenko condemned Russia",
            "Marta Kovalenko condemned Russia",
            "Olena Shevchuk condemned Russia",
        ],
    },
    Case {
        name: "they, past a sentence naming one person",
        text: "Marta Kovalenko and Ivan Petrenko met in Paris. Olena Shevchuk was absent. \
               They condemned Russia.",
        expected: &[
            "Ivan Petrenko condemned Russia",
            "Marta Kovalenko condemned Russia",
        ],
    },
    Case {
        name: "their condemnation",
        text: "Marta Kovalenko and Ivan Petrenko met in Paris. \
               The leaders reiterated their condemnation of Russia.",
        expected: &[
            "Ivan Petrenko condemned Russia",
            "Marta Kovalenko condemned Russia",
        ],
    },
    Case {
        name: "a group that did not condemn",
        text: "Marta Kovalenko and Ivan Petrenko met in Paris. They did not condemn Russia.",
        expected: &[],
    },
    Case {
        name: "leaders of an organisation are not the group",
        text: "Marta Kovalenko and Ivan Petrenko met in Paris. \
               The leaders of the Seimas condemned Russia.",
        expected: &[],
    },
    Case {
        name: "a group of one is no group",
        text: "Marta Kovalenko arrived in Paris. The leaders condemned Russia.",
        expected: &[],
    },
    // Resolution clauses and verbs of condemnation.
    Case {
        name: "deplores in an operative clause",
        text: "SEIMAS\n\n2. Deplores the aggression by Russia against Georgia.",
        expected: &["Seimas condemned Russia"],
    },
    Case {
        name: "recognizing a clause is no recognition",
        text: "SEIMAS\n\nRecognizing that the troops of Russia remain in Georgia,",
        expected: &[],
    },
    Case {
        name: "words between a passive participle and its agent",
        text: "Kosovo was recognised in 2010 by Lithuania.",
        expected: &["Lithuania recognised Kosovo"],
    },
    Case {
        name: "a possessor is not the subject of the verb after it",
        text: "The delegates support Ukraine's territorial integrity and condemn Russia's war.",
        expected: &[],
    },
    // Roles in running text.
    Case {
        name: "title, name, of whom",
        text: "President Ivan Petrenko of Ukraine and Prime Minister Marta Kovalenko of \
               Lithuania met in Vilnius.",
        expected: &[
            "Ivan Petrenko leads Ukraine",
            "Marta Kovalenko leads Lithuania",
        ],
    },
    Case {
        name: "title, name, of an organisation, in a list",
        text: "The talks joined Chairman Olena Shevchuk of the Helsinki Group, and \
               Ivan Petrenko of the Free Nations Forum.",
        expected: &[
            "Ivan Petrenko member-of Free Nations Forum",
            "Olena Shevchuk leads Helsinki Group",
        ],
    },
    Case {
        name: "a second title after a comma and and is not the first person's",
        text: "A statement by Lithuanian President Olena Shevchuk, and Ukrainian President \
               Petrenko.",
        // The statement's first line names its author after "by".
        expected: &[
            "Olena Shevchuk leads Lithuania",
            "Olena Shevchuk signed @document",
        ],
    },
    Case {
        name: "an organisation's role, then a comma and the name",
        text: "The former Helsinki Group chairman, Ivan Petrenko, lives abroad.",
        expected: &["Ivan Petrenko leads Helsinki Group"],
    },
    Case {
        name: "a demonym's role, then a comma, is not read",
        text: "They met a Ukrainian leader, Ivan Petrenko, in March.",
        expected: &[],
    },
    Case {
        name: "its role",
        text: "Members of the Helsinki Group, including its chairman Marta Kovalenko, \
               were detained.",
        expected: &["Marta Kovalenko leads Helsinki Group"],
    },
    Case {
        name: "coordinated people in apposition share the role",
        text: "Activists such as Marta Kovalenko, Ivan Petrenko and Olena Shevchuk, \
               members of the Helsinki Group, spoke.",
        expected: &[
            "Ivan Petrenko member-of Helsinki Group",
            "Marta Kovalenko member-of Helsinki Group",
            "Olena Shevchuk member-of Helsinki Group",
        ],
    },
    Case {
        name: "members of an organisation are",
        text: "The members of the Free Nations Forum are Marta Kovalenko and Ivan Petrenko.",
        expected: &[
            "Ivan Petrenko member-of Free Nations Forum",
            "Marta Kovalenko member-of Free Nations Forum",
        ],
    },
    Case {
        name: "the role after a copula",
        text: "Olena Shevchuk, a lawyer from Vilnius, was elected chair of the Helsinki Group.",
        expected: &["Olena Shevchuk leads Helsinki Group"],
    },
    Case {
        name: "the role after is",
        text: "Ivan Petrenko (born 1961) is the president of the Free Nations Forum.",
        expected: &["Ivan Petrenko leads Free Nations Forum"],
    },
    Case {
        name: "no copula with a negation",
        text: "Ivan Petrenko is not the president of the Free Nations Forum.",
        expected: &[],
    },
    Case {
        name: "no copula for what someone said",
        text: "Ivan Petrenko said the problem is the president of Russia.",
        expected: &[],
    },
    Case {
        name: "an apposition with a is no coordination",
        text: "Marta Kovalenko is the head of the Helsinki Group, a Ukrainian parliament \
               in all but name.",
        expected: &["Marta Kovalenko leads Helsinki Group"],
    },
    Case {
        name: "led by a titled person",
        text: "The Free Nations Forum, led by Chairman Ivan Petrenko, met twice.",
        expected: &["Ivan Petrenko leads Free Nations Forum"],
    },
    Case {
        name: "led by, a clause away from the name",
        text: "In Kosovo activists began a quiet campaign in the early years, led by Ivan \
               Petrenko.",
        expected: &[],
    },
    Case {
        name: "a co-founder is a member",
        text: "Olena Shevchuk, co-founder of the Helsinki Group, opened the meeting.",
        expected: &["Olena Shevchuk member-of Helsinki Group"],
    },
    Case {
        name: "among the founding members",
        text: "Marta Kovalenko is among the founding members of the Free Nations Forum.",
        expected: &["Marta Kovalenko member-of Free Nations Forum"],
    },
    Case {
        name: "one of its leaders is no group",
        text: "Marta Kovalenko met Ivan Petrenko. Olena Shevchuk has been one of its \
               leaders since 2001, as the chair of the Helsinki Group.",
        expected: &["Olena Shevchuk leads Helsinki Group"],
    },
    Case {
        name: "a name inside a place is no subject",
        text: "Families were moved to camps inside Russia and occupied territories of Ukraine.",
        expected: &[],
    },
    Case {
        name: "annexation is not occupation",
        text: "The Russian annexation of Ichkeria was condemned by nobody.",
        expected: &[],
    },
    Case {
        name: "recognised the independence of",
        text: "In 2008 Russia recognised the so-called \u{201c}independence\u{201d} of the \
               breakaway territories of Ichkeria and Kosovo.",
        expected: &["Russia recognised Ichkeria", "Russia recognised Kosovo"],
    },
    Case {
        name: "a decision to recognise",
        text: "Lithuania\u{2019}s decision to formally recognize the independence of Kosovo \
               came first.",
        expected: &["Lithuania recognised Kosovo"],
    },
    Case {
        name: "a request to recognise the independence",
        text: "Ukraine urged Lithuania to recognise the independence of Ichkeria.",
        expected: &["Ukraine appealed-to Lithuania"],
    },
    Case {
        name: "granted recognition to",
        text: "The Seimas had decided to grant de facto recognition to Ichkeria and Kosovo.",
        expected: &["Seimas recognised Ichkeria", "Seimas recognised Kosovo"],
    },
    Case {
        name: "re-occupied",
        text: "Russia re-occupied Ichkeria in 1999.",
        expected: &["Russia occupies Ichkeria"],
    },
    Case {
        name: "parts listed after the agent",
        text: "Aid went to the regions of Ukraine occupied by Russian troops, including Kyiv and Ichkeria.",
        expected: &[
            "Russia occupies Ichkeria",
            "Russia occupies Kyiv",
            "Russia occupies Ukraine",
        ],
    },
    Case {
        name: "parts listed after the object",
        text: "In 2014 Russia occupied parts of Ukraine, in particular Kyiv.",
        expected: &["Russia occupies Kyiv", "Russia occupies Ukraine"],
    },
    Case {
        name: "parts listed after an unnamed object",
        text: "Russia occupied two cities, including Vilnius.",
        expected: &["Russia occupies Vilnius"],
    },
    Case {
        name: "a list too far from the object is not its parts",
        text: "Russia occupied Kyiv in 2014, and many people fled abroad in the years that followed, including Paris.",
        expected: &["Russia occupies Kyiv"],
    },
    Case {
        name: "people listed in an apposition of an organisation",
        text: "The prize went to the Helsinki Group, an alliance of brave lawyers \u{2013} Marta Kovalenko and Ivan Petrenko, and public figures \u{2013} Olena Shevchuk, Tomas Berg and Rasa Lindqvist.",
        expected: &[
            "Ivan Petrenko member-of Helsinki Group",
            "Marta Kovalenko member-of Helsinki Group",
            "Olena Shevchuk member-of Helsinki Group",
            "Rasa Lindqvist member-of Helsinki Group",
            "Tomas Berg member-of Helsinki Group",
        ],
    },
    Case {
        name: "a colon ends the apposition too",
        text: "Funds came from the Helsinki Group, a network of scholars: Marta Kovalenko, Ivan Petrenko.",
        expected: &[
            "Ivan Petrenko member-of Helsinki Group",
            "Marta Kovalenko member-of Helsinki Group",
        ],
    },
    Case {
        name: "one name after the dash is no list",
        text: "We met the Helsinki Group, its new office \u{2013} Marta Kovalenko was there.",
        expected: &[],
    },
    Case {
        name: "a named phrase before the dash is no apposition",
        text: "We met the Helsinki Group, in Ukraine \u{2013} Marta Kovalenko and Ivan Petrenko.",
        expected: &[],
    },
    Case {
        name: "encouraged to recognise is a request",
        text: "The Seimas encouraged Ukraine to recognise Kosovo.",
        expected: &[],
    },
    Case {
        name: "its recognition: the state whose act was named before",
        text: "The Russian invasion of Ukraine in 2014 and its later recognition of Ichkeria were condemned.",
        expected: &["Russia recognised Ichkeria"],
    },
    Case {
        name: "its recognition: a name after a preposition is not what its stands for",
        text: "A visit to Lithuania and its recognition of Ichkeria were discussed.",
        expected: &[],
    },
    Case {
        name: "its recognition: the plain name before",
        text: "Lithuania sent envoys and its recognition of the rebel government of Kosovo followed.",
        expected: &["Lithuania recognised Kosovo"],
    },
    Case {
        name: "the head of a branch is a member of the whole",
        text: "Marta Kovalenko, the chair of the Lithuanian branch of the Helsinki Group, spoke first.",
        expected: &["Marta Kovalenko member-of Helsinki Group"],
    },
    Case {
        name: "the head of an organisation's part is a member of it",
        text: "Ivan Petrenko, the director of the Seimas\u{2019}s Helsinki Group, spoke first.",
        expected: &[
            "Ivan Petrenko leads Helsinki Group",
            "Ivan Petrenko member-of Seimas",
        ],
    },
    Case {
        name: "the chair of a body's board leads the body",
        text: "Olena Shevchuk, the chair of the board of the Helsinki Group, spoke first.",
        expected: &["Olena Shevchuk leads Helsinki Group"],
    },
    Case {
        name: "its in a later sentence: the paragraph's one organisation",
        text: "The Helsinki Group grew fast in the nineties. It opened offices abroad. Among its founders was Marta Kovalenko.",
        expected: &["Marta Kovalenko member-of Helsinki Group"],
    },
    Case {
        name: "its in a later sentence: two organisations leave it open",
        text: "The Helsinki Group and the Free Nations Forum grew fast. Among its founders was Marta Kovalenko.",
        expected: &[],
    },
    Case {
        name: "a delegate of a body in running text signs nothing",
        text: "The delegate of the Free Nations Forum spoke in Vilnius.",
        expected: &[],
    },
    Case {
        name: "an apposition header ending the text lists nobody",
        text: "We met the Helsinki Group, a coalition of lawyers \u{2013}",
        expected: &[],
    },
    Case {
        name: "an apposition header with a colon ending the text",
        text: "We met the Helsinki Group, a coalition of lawyers:",
        expected: &[],
    },
    Case {
        name: "a plan to recognise",
        text: "Lithuania\u{2019}s plan to recognise Kosovo was discussed.",
        expected: &[],
    },
    Case {
        name: "a decision not to recognise",
        text: "Lithuania\u{2019}s decision not to recognise Kosovo was discussed.",
        expected: &[],
    },
    Case {
        name: "two roles in apposition",
        text: "Ivan Petrenko, former deputy of the Seimas, chairman of the Free Nations \
               Forum, spoke next.",
        expected: &[
            "Ivan Petrenko leads Free Nations Forum",
            "Ivan Petrenko member-of Seimas",
        ],
    },
    Case {
        name: "an apposition without a role does not pass the person on",
        text: "Ivan Petrenko, who visited the Seimas, chairman of the Free Nations Forum \
               and others.",
        expected: &[],
    },
    Case {
        name: "a copula after an apposition without its closing comma",
        text: "Olena Shevchuk, a well-known Lithuanian lawyer was chair of the Helsinki Group.",
        expected: &["Olena Shevchuk leads Helsinki Group"],
    },
    Case {
        name: "a role, an abbreviation, a title and the name",
        text: "We thank the chair of the Free Nations Forum (FNF), Mr Ivan Petrenko, \
               for his help.",
        expected: &["Ivan Petrenko leads Free Nations Forum"],
    },
    Case {
        name: "based in an office in a town",
        text: "Marta Kovalenko, who is based in the Helsinki Group office in Vilnius, \
               wrote.",
        expected: &["Marta Kovalenko resides-in Vilnius"],
    },
    Case {
        name: "living in fear of a state",
        text: "Marta Kovalenko lives in fear of Russia.",
        expected: &[],
    },
    Case {
        name: "occupied by an adjective's forces",
        text: "Aid reached every part of Ichkeria occupied by Russian forces.",
        expected: &["Russia occupies Ichkeria"],
    },
    Case {
        name: "aggression and occupation share the possessor",
        text: "The report describes Russia's aggression and occupation of Georgia.",
        expected: &["Russia occupies Georgia"],
    },
    Case {
        name: "condemns an adjective's act",
        text: "The Seimas condemns the brutal Russian aggression against Georgia.",
        expected: &["Seimas condemned Russia"],
    },
    Case {
        name: "an adjective of the victims is not condemned",
        text: "The Seimas condemned the arrest of many Ukrainian journalists.",
        expected: &[],
    },
    Case {
        name: "an operative clause with an adverb",
        text: "SEIMAS\n\n3. Strongly condemns the aggression of Russia.",
        expected: &["Seimas condemned Russia"],
    },
    Case {
        name: "an operative clause that only asks",
        text: "SEIMAS\n\n4. Calls upon Russia to condemn the attack by Georgia.",
        expected: &["Seimas appealed-to Russia"],
    },
    Case {
        name: "the authors are",
        text: "The authors are MPs Marta Kovalenko, Ivan Petrenko and Olena Shevchuk.",
        expected: &[
            "Ivan Petrenko signed @document",
            "Marta Kovalenko signed @document",
            "Olena Shevchuk signed @document",
        ],
    },
    Case {
        name: "two people and a plural role",
        text: "Marta Kovalenko and Ivan Petrenko, deputies of the Seimas, wrote the letter.",
        expected: &[
            "Ivan Petrenko member-of Seimas",
            "Marta Kovalenko member-of Seimas",
        ],
    },
    Case {
        name: "an organisation's president in apposition",
        text: "Ivan Petrenko, the Helsinki Group's president, spoke first.",
        expected: &["Ivan Petrenko leads Helsinki Group"],
    },
    Case {
        name: "a state's prime minister before the name",
        text: "Prime Minister of Lithuania Marta Kovalenko arrived in Kyiv.",
        expected: &["Marta Kovalenko leads Lithuania"],
    },
    Case {
        name: "who chairs",
        text: "They thanked Olena Shevchuk, who chairs the Helsinki Group.",
        expected: &["Olena Shevchuk leads Helsinki Group"],
    },
    Case {
        name: "they after a sentence naming states",
        text: "Marta Kovalenko and Ivan Petrenko met in Paris. Lithuania and Georgia \
               signed a treaty. They condemned Russia.",
        expected: &[],
    },
    Case {
        name: "they after the leaders",
        text: "Marta Kovalenko and Ivan Petrenko met in Paris.\n\nThe leaders discussed \
               Lithuania and Georgia. They condemned Russia.",
        expected: &[
            "Ivan Petrenko condemned Russia",
            "Marta Kovalenko condemned Russia",
        ],
    },
    Case {
        name: "an adjective's regions occupied by",
        text: "Few reporters entered the Georgian regions occupied by Russia.",
        expected: &["Russia occupies Georgia"],
    },
    Case {
        name: "regions of a state occupied by",
        text: "Few reporters entered the regions of Georgia occupied by Russia.",
        expected: &["Russia occupies Georgia"],
    },
    Case {
        name: "another group of leaders",
        text: "Marta Kovalenko and Ivan Petrenko were arrested in Vilnius. Opposition \
               leaders condemned the arrests by Russia.",
        expected: &[],
    },
    Case {
        name: "both leaders",
        text: "Marta Kovalenko and Ivan Petrenko met in Vilnius. Both leaders condemned \
               Russia.",
        expected: &[
            "Ivan Petrenko condemned Russia",
            "Marta Kovalenko condemned Russia",
        ],
    },
    Case {
        name: "a resolution's preamble opens with the adopting body",
        text: "Resolution on Ichkeria\n\nThe Seimas,\n\n- having regard to the events,\n\n\
               1. Condemns Russia's aggression against Ichkeria;\n2. Recognises Ichkeria as a \
               state;\n",
        expected: &["Seimas condemned Russia", "Seimas recognised Ichkeria"],
    },
    Case {
        name: "a body on a line of its own without a comma is not the author",
        text: "Minutes\n\nSeimas\nHelsinki Group\n\nRecognises Ichkeria as a state.\n",
        expected: &[],
    },
    Case {
        name: "'s for has",
        text: "Lithuania's recognised Kosovo, the minister said.",
        expected: &["Lithuania recognised Kosovo"],
    },
    Case {
        name: "agents listed after a first item that is no name",
        text: "Kosovo has been recognised by most European states, Lithuania, Georgia, and \
               Ukraine, and by others.",
        expected: &[
            "Georgia recognised Kosovo",
            "Lithuania recognised Kosovo",
            "Ukraine recognised Kosovo",
        ],
    },
    Case {
        name: "names after a comma that start another clause",
        text: "Kosovo was recognised by the court, Lithuania and Georgia said.",
        expected: &[],
    },
    Case {
        name: "a town in parentheses after a name",
        text: "For more information: Ivan Petrenko (Kyiv) or Marta Kovalenko (Paris).",
        expected: &[
            "Ivan Petrenko resides-in Kyiv",
            "Marta Kovalenko resides-in Paris",
        ],
    },
    Case {
        name: "a country in parentheses is no residence",
        text: "The panel heard Ivan Petrenko (Ukraine) and Olena Shevchuk (born 1970).",
        expected: &[],
    },
    Case {
        name: "appointed as its minister",
        text: "The Free Nations Forum appointed Ivan Petrenko as its first foreign minister.",
        expected: &["Ivan Petrenko member-of Free Nations Forum"],
    },
    Case {
        name: "roles listed after a copula",
        text: "Olena Shevchuk (born 1971) is a Lithuanian historian, one of the leaders of \
               the student movement, founder of the Helsinki Group and the Free Nations Forum.",
        expected: &[
            "Olena Shevchuk member-of Free Nations Forum",
            "Olena Shevchuk member-of Helsinki Group",
        ],
    },
    Case {
        name: "a copula whose subject is no person",
        text: "The problem is a historical one, founder of the Helsinki Group Ivan said.",
        expected: &[],
    },
    Case {
        name: "coordinated subjects",
        text: "In 2008, Lithuania and Georgia recognised Kosovo.",
        expected: &["Georgia recognised Kosovo", "Lithuania recognised Kosovo"],
    },
    Case {
        name: "an object before and is no subject",
        text: "Russia attacked Georgia and Ukraine condemned Russia.",
        expected: &["Ukraine condemned Russia"],
    },
    Case {
        name: "coordinated subjects, one a reference",
        text: "The Seimas met on Monday. On Tuesday, the deputies and Georgia condemned \
               Russia.",
        expected: &["Georgia condemned Russia"],
    },
    Case {
        name: "joined an organisation",
        text: "In 1990 Ivan Petrenko joined the small nationalist organisation \"Helsinki \
               Group\", where he was elected deputy head.",
        expected: &["Ivan Petrenko member-of Helsinki Group"],
    },
    Case {
        name: "joined forces with",
        text: "Ivan Petrenko joined forces with the Helsinki Group.",
        expected: &[],
    },
    Case {
        name: "under the command of",
        text: "The Free Nations Forum, under the command of Marta Kovalenko, held the line.",
        expected: &["Marta Kovalenko leads Free Nations Forum"],
    },
    Case {
        name: "he after a sentence naming one person",
        text: "Ivan Petrenko was born in Kyiv in 1961. In 1990 he joined the Helsinki Group, \
               and in 1995 he was elected chairman of the Free Nations Forum.",
        expected: &[
            "Ivan Petrenko leads Free Nations Forum",
            "Ivan Petrenko member-of Helsinki Group",
        ],
    },
    Case {
        name: "she after a sentence naming two people",
        text: "Marta Kovalenko met Olena Shevchuk in Kyiv. She condemned Russia.",
        expected: &[],
    },
    Case {
        name: "he said the problem is",
        text: "Ivan Petrenko spoke first. He said the problem is the president of Russia.",
        expected: &[],
    },
    Case {
        name: "he after a name of several people",
        text: "Ivan Petrenko was born in Kyiv. In 1990 Melnyk fled to Paris, where he \
               joined the Helsinki Group.",
        expected: &[],
    },
];

#[test]
fn check() {
    let mut failures = Vec::new();
    for case in CASES {
        let got = relations(case.text);
        if got != case.expected {
            failures.push(format!(
                "{}: {:?}\n  expected {:?}\n  got      {:?}",
                case.name, case.text, case.expected, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn evidence() {
    let text = "The session opened at noon. On 3 May 2021 the Seimas recognised Kosovo.";
    let found = found(text);
    assert_eq!(found.len(), 1, "{found:?}");
    let r = &found[0];
    let f = fixture();
    let span = |part: &str| {
        let start = text.find(part).unwrap() as u32;
        start..start + part.len() as u32
    };
    assert_eq!(f.compiled.kinds[r.kind as usize], "recognised");
    assert_eq!(
        r.evidence,
        span("On 3 May 2021 the Seimas recognised Kosovo.")
    );
    assert_eq!(r.subject_span, span("Seimas"));
    assert_eq!(r.object_span, Some(span("Kosovo")));
    assert_eq!(f.compiled.rule_name(r.rule), "recognised-verb");
    assert_eq!(r.date.as_deref(), Some("2021-05-03"));
    assert!(r.confidence > 0.0 && r.confidence <= 1.0);
}

/// "We", a reference noun and an operative clause stand for their subject:
/// the subject span is the word that stands for it, not the name earlier.
#[test]
fn stand_ins_name_their_own_words() {
    let f = fixture();
    let cases = [
        (
            "Appeal by the Helsinki Group\n\nWe condemn Russia's war.",
            "We",
            "Helsinki Group",
        ),
        (
            "The Seimas met on Monday. The resolution also condemned Russia.",
            "resolution",
            "Seimas",
        ),
        (
            "SEIMAS\n\n1. To condemn the aggression of Russia.",
            "To",
            "Seimas",
        ),
    ];
    for (text, word, subject) in cases {
        let found: Vec<Found> = found(text)
            .into_iter()
            .filter(|r| f.compiled.kinds[r.kind as usize] == "condemned")
            .collect();
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        let r = &found[0];
        let start = text.find(word).unwrap() as u32;
        assert_eq!(r.subject_span, start..start + word.len() as u32, "{text:?}");
        assert_eq!(
            f.gazetteer.entries()[r.subject as usize].name,
            subject,
            "{text:?}"
        );
        assert!(r.confidence < 0.85, "{text:?}: {}", r.confidence);
    }
}

#[test]
fn typos_of_list_words_are_read_as_the_word() {
    let compiled = &fixture().compiled;
    let id = |word: &str| compiled.word(word, crate::normalize::token_hash(word));
    let cases = [
        ("memeber", "member"),      // a letter too many
        ("scientst", "scientist"),  // a letter missing
        ("presidnet", "president"), // two letters swapped
        ("chairmen", "chairman"),   // a letter changed
    ];
    for (typo, word) in cases {
        assert_ne!(id(word), super::compiled::NONE, "{word} is a list word");
        assert_eq!(compiled.fuzzy_word(typo), id(word), "{typo}");
    }
    // Every one-letter slip of an unambiguous list word, and words that
    // are not slips at all.
    for word in ["researcher", "scientist", "patriot"] {
        let chars: Vec<char> = word.chars().collect();
        for i in 0..chars.len() {
            let mut missing = chars.clone();
            missing.remove(i);
            let mut extra = chars.clone();
            extra.insert(i, 'x');
            let mut changed = chars.clone();
            changed[i] = 'q';
            for slip in [missing, extra, changed] {
                let slip: String = slip.into_iter().collect();
                assert_eq!(compiled.fuzzy_word(&slip), id(word), "{slip}");
            }
        }
    }
    for other in ["totally", "parliamentary", "ukrainian", "signatory"] {
        assert_eq!(compiled.fuzzy_word(other), super::compiled::NONE, "{other}");
    }
}

/// Every prefix and every suffix of the fixture documents, cut at each
/// character, is read with the shipped gazetteers and rules without a
/// panic: the searches that run to a text's end stop at it.
#[test]
fn every_cut_of_the_fixture_documents_is_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lexicon = crate::lexicon::Lexicon::load(&[root.join("gazetteers")]).unwrap();
    let gazetteer = &lexicon.gazetteer;
    let matcher = Matcher::build(gazetteer);
    let metonymy = Metonymy::build(gazetteer, &lexicon.metonymy);
    let compiled = Compiled::build(gazetteer, &lexicon.rules);
    let mut read = 0;
    for dir in [
        "tests/fixtures/corpus",
        "tests/fixtures/layouts",
        "tests/fixtures/dates",
    ] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for cut in (0..=text.len()).filter(|&c| text.is_char_boundary(c)) {
                for part in [&text[..cut], &text[cut..]] {
                    let mentions = mentions_in(&matcher, &metonymy, part);
                    extract(&compiled, part, &mentions);
                    read += 1;
                }
            }
        }
    }
    assert!(read > 1000, "only {read} texts read");
}

/// Periods and former roles: each text, a relation it states (as
/// [`relations`] writes it) and the period its evidence gives: from, until
/// (ISO 8601) and whether it is former.
#[test]
fn periods_and_former_roles() {
    type Row = (
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        bool,
    );
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("Marta Kovalenko, judge of the Helsinki Group (2002–2005), spoke first.", "Marta Kovalenko member-of Helsinki Group", Some("2002"), Some("2005"), false),
        ("Marta Kovalenko, member of the Seimas (1996-99), Vilnius.", "Marta Kovalenko member-of Seimas", Some("1996"), Some("1999"), false),
        ("Ivan Petrenko was chairman of the Free Nations Forum from April 2006 to June 2009, when Olena Shevchuk followed him.", "Ivan Petrenko leads Free Nations Forum", Some("2006-04"), Some("2009-06"), false),
        ("Olena Shevchuk has been a member of the Helsinki Group since 1994.", "Olena Shevchuk member-of Helsinki Group", Some("1994"), None, false),
        ("Tomas Berg was a member of the Seimas between 1997 and 1999.", "Tomas Berg member-of Seimas", Some("1997"), Some("1999"), false),
        ("Tomas Berg was a member of the Seimas 9 November 1991 – 21 April 1996.", "Tomas Berg member-of Seimas", Some("1991-11-09"), Some("1996-04-21"), false),
        ("Tomas Berg has been a member of the Seimas from 2014.", "Tomas Berg member-of Seimas", Some("2014"), None, false),
        ("Tomas Berg was a member of the Seimas from 2016 to 2014.", "Tomas Berg member-of Seimas", None, None, false),
        ("Tomas Berg, a member of the Seimas from 2001 to 2004, wrote to us.", "Tomas Berg member-of Seimas", Some("2001"), Some("2004"), false),
        ("Russia occupied Georgia in 2008 until the talks ended in 2012.", "Russia occupies Georgia", Some("2008"), Some("2012"), false),
        ("Rasa Lindqvist, former chairman of the Seimas, opened the meeting.", "Rasa Lindqvist leads Seimas", None, None, true),
        ("The former Seimas chairman, Rasa Lindqvist, opened the meeting.", "Rasa Lindqvist leads Seimas", None, None, true),
        ("Rasa Lindqvist, ex-chairman of the Free Nations Forum, opened the meeting.", "Rasa Lindqvist leads Free Nations Forum", None, None, true),
        ("Marta Kovalenko, former member of the Seimas, chairman of the Helsinki Group, spoke.", "Marta Kovalenko member-of Seimas", None, None, true),
        ("Marta Kovalenko, former member of the Seimas, chairman of the Helsinki Group, spoke.", "Marta Kovalenko leads Helsinki Group", None, None, false),
        ("Rasa Lindqvist, chairman of the Seimas, opened the meeting in 2031.", "Rasa Lindqvist leads Seimas", None, None, false),
        ("On 3 May 2031 Rasa Lindqvist, chairman of the Seimas, opened the meeting.", "Rasa Lindqvist leads Seimas", None, None, false),
    ];
    let f = fixture();
    let name = |entity: u32| f.gazetteer.entries()[entity as usize].name.as_str();
    let mut failures = Vec::new();
    for &(text, relation, from, until, former) in rows {
        let all = found(text);
        let described: Vec<(String, &Found)> = all
            .iter()
            .map(|r| {
                let kind = &f.compiled.kinds[r.kind as usize];
                (
                    format!(
                        "{} {kind} {}",
                        name(r.subject),
                        r.object.map_or("@document", name)
                    ),
                    r,
                )
            })
            .collect();
        let Some((_, r)) = described.iter().find(|(d, _)| d == relation) else {
            let found: Vec<&String> = described.iter().map(|(d, _)| d).collect();
            failures.push(format!("{text:?}: no `{relation}` in {found:?}"));
            continue;
        };
        let got = (
            r.period.from.and_then(|d| d.iso()),
            r.period.until.and_then(|d| d.iso()),
            r.period.former,
        );
        let want = (from.map(String::from), until.map(String::from), former);
        if got != want {
            failures.push(format!(
                "{text:?}: `{relation}` has {got:?}, expected {want:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
