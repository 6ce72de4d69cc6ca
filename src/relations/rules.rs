//! Relation rules as data: the `relations/*.rules` files of a gazetteer
//! directory.
//!
//! A file is a list of sections. `[NAME]` starts a rule, `[list NAME]` a
//! word list, `[reference NAME]` a noun that stands for an organisation
//! named earlier. Inside a section, `key = value` lines; a line starting
//! with white space continues the value above; `#` starts a comment line.
//! Lists of words or phrases are separated by `|`, lists of types by
//! spaces. docs/relation-rules.md documents every key; this module
//! only reads and checks them, [`super::extract`] applies them.

use crate::gazetteer::{LineError, split_list};
use crate::model::EntityType;
use std::collections::BTreeMap;

/// The directory of rule files inside a gazetteer directory.
pub const DIR: &str = "relations";

/// The rule files (`*.rules`) of a gazetteer directory, in name order;
/// none when it has no `relations/` directory.
pub fn files_in(gazetteer_dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let listing = match std::fs::read_dir(gazetteer_dir.join(DIR)) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for entry in listing {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rules") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// How a rule finds its subject and object around a trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `SUBJECT … trigger … OBJECT`; with `passive`, `OBJECT … trigger by
    /// SUBJECT` too.
    Verb,
    /// `SUBJECT's trigger of OBJECT`, `trigger of OBJECT by SUBJECT`,
    /// `OBJECT … under SUBJECT's trigger`; with `demonyms`, `Russian trigger
    /// of OBJECT`.
    Noun,
    /// `OBJECT … trigger SUBJECT`, the trigger ending in "by" or "of"
    /// ("led by X", "under the leadership of X").
    Agent,
    /// A role noun describing a person: "X, head of Y", "the chair of Y, X",
    /// "Y head X" (with `prefix`), and in signatory descriptions.
    Role,
    /// "X of the Y party": a person right before "of" and an organisation.
    PersonOf,
    /// "X (Kyiv)": a person right before a parenthesis holding one name.
    PersonParenthesis,
    /// A heading line "Appeal by X": X signed, and is the document's author.
    Heading,
    /// A signatory block under a header line.
    Signatories,
    /// The place that ends a signatory's description ("…, Denmark").
    SignatoryTail,
    /// Names in parentheses in a signatory's description.
    SignatoryParenthesis,
    /// A who-is-who page's infobox line "Residence: A, B": the page's
    /// person (its title) and every name of the object types in the value
    /// of a line whose key is a trigger.
    Infobox,
    /// A bill's sponsors: "X (for himself, A and B) introduced": X and
    /// every name in the parentheses, before the trigger.
    Sponsors,
    /// Organisations a signatory's description names without a role
    /// ("Jane Doe, Helsinki Committee"): the signatory belongs to them.
    SignatoryOrganisation,
    /// People listed after a dash or colon in an apposition of a name:
    /// "X, a coalition of lawyers – A, B and C, and of writers – D and E".
    Listed,
}

impl Form {
    const NAMES: [(&'static str, Form); 14] = [
        ("verb", Form::Verb),
        ("noun", Form::Noun),
        ("agent", Form::Agent),
        ("role", Form::Role),
        ("person-of", Form::PersonOf),
        ("person-parenthesis", Form::PersonParenthesis),
        ("heading", Form::Heading),
        ("signatories", Form::Signatories),
        ("signatory-tail", Form::SignatoryTail),
        ("signatory-parenthesis", Form::SignatoryParenthesis),
        ("signatory-organisation", Form::SignatoryOrganisation),
        ("sponsors", Form::Sponsors),
        ("infobox", Form::Infobox),
        ("listed", Form::Listed),
    ];

    /// Whether rules of this form need trigger words.
    pub fn needs_triggers(self) -> bool {
        !matches!(
            self,
            Form::PersonOf
                | Form::PersonParenthesis
                | Form::SignatoryTail
                | Form::SignatoryParenthesis
                | Form::SignatoryOrganisation
                | Form::Listed
        )
    }
}

/// A set of entity types, as a bit mask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Types(u8);

impl Types {
    /// Persons only.
    pub const PERSON: Types = Types(1 << EntityType::Person as u8);
    /// Organisations only.
    pub const ORGANISATION: Types = Types(1 << EntityType::Organisation as u8);

    /// Whether `kind` is in the set.
    pub fn has(self, kind: EntityType) -> bool {
        self.0 & Self::bit(kind) != 0
    }

    /// The types in both sets.
    pub fn and(self, other: Types) -> Types {
        Types(self.0 & other.0)
    }

    fn bit(kind: EntityType) -> u8 {
        1 << (kind as u8)
    }

    fn parse(value: &str) -> Result<Types, String> {
        let mut types = Types(0);
        for word in value.split_whitespace() {
            let kind: EntityType = word.parse().map_err(|_| {
                format!("unknown type `{word}` (expected person, organisation, place or state)")
            })?;
            types.0 |= Self::bit(kind);
        }
        if types.0 == 0 {
            return Err("no types given".into());
        }
        Ok(types)
    }
}

/// What a rule's relation points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A named entity of one of these types.
    Entity(Types),
    /// The document the sentence is in (`signed`).
    Document,
}

/// How far from its trigger a rule looks for names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// The whole sentence.
    Sentence,
    /// The clause: the sentence up to `;`, `:`, a dash, a bracket or a
    /// word of the `clause-breaks` list.
    Clause,
}

/// One rule: a relation kind, a form, trigger words, and what may fill the
/// subject and object.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The section name, stored with every piece of evidence it finds.
    pub name: String,
    /// The relation kind it produces (`recognised`, ...).
    pub relation: String,
    /// How subject and object are found.
    pub form: Form,
    /// Trigger words and phrases, as written.
    pub triggers: Vec<String>,
    /// Types the subject may have.
    pub subject: Types,
    /// What the object may be.
    pub object: Target,
    /// How far to look.
    pub window: Window,
    /// `verb`: also read "OBJECT was trigger by SUBJECT".
    pub passive: bool,
    /// `noun`, `role`: a state's adjective ("Russian", "Ukrainian") may
    /// stand for the state.
    pub demonyms: bool,
    /// `role`: also "OBJECT role PERSON" ("Chechnya head X").
    pub prefix: bool,
    /// `verb`: when the object's act has an agent ("condemned the
    /// disappearance of A by B"), the agent is the object.
    pub agent_is_object: bool,
    /// `signatories`: the organisations named in each signatory's entry
    /// sign too ("On behalf of:" a block of people and the bodies they
    /// head).
    pub entries_sign: bool,
    /// `verb`: words after which a name is not the object ("the attack
    /// on Ukraine": the victim).
    pub not_after: Vec<String>,
    /// Nouns through which the object is named: "recognised the
    /// independence of X" recognises X.
    pub through: Vec<String>,
    /// `role`: the words between role and object ("of", "in").
    pub preposition: Vec<String>,
    /// `role`: words before the role that make it another relation
    /// ("deputy head" is a member, not a leader).
    pub demoted_by: Vec<String>,
    /// The relation kind a demoted role gives.
    pub demoted_to: Option<String>,
    /// Most words allowed between the parts of the form.
    pub gap: usize,
    /// How sure a match of this rule is, 0 to 1.
    pub confidence: f32,
    /// Where the rule is written, for messages.
    pub origin: String,
}

/// A noun that stands for an organisation named earlier in the paragraph
/// ("the resolution" → the parliament that adopted it).
#[derive(Clone, Debug)]
pub struct Reference {
    /// The section name.
    pub name: String,
    /// The nouns.
    pub words: Vec<String>,
    /// The types the referred entity may have.
    pub types: Types,
    /// If not empty, the values its `kind=` attribute may have.
    pub kinds: Vec<String>,
    /// `group = yes`: a plural noun ("the leaders") standing for every name
    /// of the nearest earlier sentence that names several.
    pub group: bool,
    /// `group = nearest`: a group word ("they") that may also stand for
    /// other things: only the nearest earlier sentence naming two or more
    /// things of any type is read, and it must name several of the type.
    pub nearest: bool,
    /// `group = one`: a pronoun ("he", "she") standing for the one person
    /// of the nearest earlier sentence that names any (none if it names
    /// several).
    pub one: bool,
}

/// Every rule, list and reference of a set of gazetteer directories.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    /// The rules, in file order.
    pub rules: Vec<Rule>,
    /// The word lists, by name; a later file's list extends an earlier one.
    pub lists: BTreeMap<String, Vec<String>>,
    /// The references.
    pub references: Vec<Reference>,
}

struct Section {
    kind: SectionKind,
    name: String,
    line: usize,
    values: Vec<(String, String, usize)>,
}

#[derive(PartialEq)]
enum SectionKind {
    Rule,
    List,
    Reference,
}

impl RuleSet {
    /// Reads one rule file's text into this set. `file` names it in
    /// messages. Every malformed line is reported, not only the first.
    pub fn extend(&mut self, text: &str, file: &str) -> Result<(), Vec<LineError>> {
        let mut errors = Vec::new();
        let sections = split_sections(text, &mut errors);
        for section in sections {
            let result = match section.kind {
                SectionKind::Rule => rule(&section, file).map(|r| self.rules.push(r)),
                SectionKind::List => list(&section).map(|words| {
                    self.lists
                        .entry(section.name.clone())
                        .or_default()
                        .extend(words)
                }),
                SectionKind::Reference => reference(&section).map(|r| self.references.push(r)),
            };
            if let Err(e) = result {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// A list's words, or none.
    pub fn list(&self, name: &str) -> &[String] {
        self.lists.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

fn split_sections(text: &str, errors: &mut Vec<LineError>) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let Some(header) = header.strip_suffix(']') else {
                errors.push(LineError {
                    line: number,
                    message: "a section header must end with `]`".into(),
                });
                continue;
            };
            let (kind, name) = match header.split_once(' ') {
                Some(("list", name)) => (SectionKind::List, name.trim()),
                Some(("reference", name)) => (SectionKind::Reference, name.trim()),
                Some((word, _)) => {
                    errors.push(LineError {
                        line: number,
                        message: format!(
                            "unknown section kind `{word}` (expected `[NAME]`, `[list NAME]` or `[reference NAME]`)"
                        ),
                    });
                    continue;
                }
                None => (SectionKind::Rule, header.trim()),
            };
            if name.is_empty() {
                errors.push(LineError {
                    line: number,
                    message: "the section has no name".into(),
                });
                continue;
            }
            sections.push(Section {
                kind,
                name: name.to_string(),
                line: number,
                values: Vec::new(),
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            errors.push(LineError {
                line: number,
                message: "a line outside any section (start one with `[NAME]`)".into(),
            });
            continue;
        };
        if line.starts_with([' ', '\t']) {
            match section.values.last_mut() {
                Some((_, value, _)) => {
                    value.push(' ');
                    value.push_str(trimmed);
                }
                None => errors.push(LineError {
                    line: number,
                    message: "a continuation line with no `key = value` above".into(),
                }),
            }
            continue;
        }
        match trimmed.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                section
                    .values
                    .push((key.trim().to_string(), value.trim().to_string(), number))
            }
            _ => errors.push(LineError {
                line: number,
                message: format!("expected `key = value`, found `{trimmed}`"),
            }),
        }
    }
    sections
}

fn rule(section: &Section, file: &str) -> Result<Rule, LineError> {
    let at = |line: usize, message: String| LineError { line, message };
    let mut rule = Rule {
        name: section.name.clone(),
        relation: String::new(),
        form: Form::Verb,
        triggers: Vec::new(),
        subject: Types(0),
        object: Target::Entity(Types(0)),
        window: Window::Sentence,
        passive: false,
        demonyms: false,
        prefix: false,
        agent_is_object: false,
        entries_sign: false,
        not_after: Vec::new(),
        through: Vec::new(),
        preposition: Vec::new(),
        demoted_by: Vec::new(),
        demoted_to: None,
        gap: 3,
        confidence: 0.8,
        origin: format!("{file}:{}", section.line),
    };
    let (mut has_relation, mut has_form, mut has_object) = (false, false, false);
    for (key, value, line) in &section.values {
        let line = *line;
        let yes_no = |value: &str| match value {
            "yes" => Ok(true),
            "no" => Ok(false),
            other => Err(at(line, format!("`{key}` is `yes` or `no`, not `{other}`"))),
        };
        match key.as_str() {
            "relation" => {
                rule.relation = relation_name(value).map_err(|m| at(line, m))?;
                has_relation = true;
            }
            "form" => {
                rule.form = Form::NAMES
                    .iter()
                    .find(|(name, _)| name == value)
                    .map(|(_, form)| *form)
                    .ok_or_else(|| {
                        let names: Vec<&str> = Form::NAMES.iter().map(|(n, _)| *n).collect();
                        at(
                            line,
                            format!(
                                "unknown form `{value}` (expected one of: {})",
                                names.join(", ")
                            ),
                        )
                    })?;
                has_form = true;
            }
            "triggers" => rule.triggers = split_list(value),
            "subject" => rule.subject = Types::parse(value).map_err(|m| at(line, m))?,
            "object" => {
                rule.object = if value == "document" {
                    Target::Document
                } else {
                    Target::Entity(Types::parse(value).map_err(|m| at(line, m))?)
                };
                has_object = true;
            }
            "window" => {
                rule.window = match value.as_str() {
                    "sentence" => Window::Sentence,
                    "clause" => Window::Clause,
                    other => {
                        return Err(at(
                            line,
                            format!("`window` is `sentence` or `clause`, not `{other}`"),
                        ));
                    }
                }
            }
            "passive" => rule.passive = yes_no(value)?,
            "demonyms" => rule.demonyms = yes_no(value)?,
            "prefix" => rule.prefix = yes_no(value)?,
            "agent-is-object" => rule.agent_is_object = yes_no(value)?,
            "entries-sign" => rule.entries_sign = yes_no(value)?,
            "not-after" => rule.not_after = split_list(value),
            "through" => rule.through = split_list(value),
            "preposition" => rule.preposition = split_list(value),
            "demoted-by" => rule.demoted_by = split_list(value),
            "demoted-to" => rule.demoted_to = Some(relation_name(value).map_err(|m| at(line, m))?),
            "gap" => {
                rule.gap = value
                    .parse()
                    .ok()
                    .filter(|&gap: &usize| gap <= 12)
                    .ok_or_else(|| {
                        at(
                            line,
                            format!("`gap` is a number of words from 0 to 12, not `{value}`"),
                        )
                    })?
            }
            "confidence" => {
                rule.confidence = value
                    .parse()
                    .ok()
                    .filter(|c: &f32| (0.0..=1.0).contains(c))
                    .ok_or_else(|| {
                        at(
                            line,
                            format!("`confidence` is a number from 0 to 1, not `{value}`"),
                        )
                    })?
            }
            other => {
                return Err(at(
                    line,
                    format!(
                        "unknown key `{other}` (expected relation, form, triggers, subject, object, window, passive, demonyms, prefix, agent-is-object, not-after, through, preposition, demoted-by, demoted-to, gap or confidence)"
                    ),
                ));
            }
        }
    }
    let missing = |what: &str| {
        at(
            section.line,
            format!("rule `{}` has no `{what}`", section.name),
        )
    };
    if !has_relation {
        return Err(missing("relation"));
    }
    if !has_form {
        return Err(missing("form"));
    }
    if rule.subject == Types(0) {
        return Err(missing("subject"));
    }
    if !has_object {
        return Err(missing("object"));
    }
    if rule.form.needs_triggers() && rule.triggers.is_empty() {
        return Err(missing("triggers"));
    }
    if rule.form == Form::Role && rule.preposition.is_empty() && !rule.prefix {
        return Err(at(
            section.line,
            format!(
                "role rule `{}` needs a `preposition` or `prefix = yes`",
                section.name
            ),
        ));
    }
    if !rule.demoted_by.is_empty() && rule.demoted_to.is_none() {
        return Err(missing("demoted-to"));
    }
    let document_forms = matches!(
        rule.form,
        Form::Heading | Form::Signatories | Form::Sponsors
    );
    if document_forms && rule.object != Target::Document {
        return Err(at(
            section.line,
            format!(
                "rule `{}`: this form needs `object = document`",
                section.name
            ),
        ));
    }
    Ok(rule)
}

fn relation_name(value: &str) -> Result<String, String> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(value.to_string())
    } else {
        Err(format!(
            "a relation kind is lower-case letters, digits and `-`, not `{value}`"
        ))
    }
}

fn list(section: &Section) -> Result<Vec<String>, LineError> {
    let mut words = Vec::new();
    for (key, value, line) in &section.values {
        if key != "words" {
            return Err(LineError {
                line: *line,
                message: format!("a list has only `words`, not `{key}`"),
            });
        }
        words.extend(split_list(value));
    }
    Ok(words)
}

fn reference(section: &Section) -> Result<Reference, LineError> {
    let mut reference = Reference {
        name: section.name.clone(),
        words: Vec::new(),
        types: Types(0),
        kinds: Vec::new(),
        group: false,
        nearest: false,
        one: false,
    };
    for (key, value, line) in &section.values {
        let at = |message: String| LineError {
            line: *line,
            message,
        };
        match key.as_str() {
            "words" => reference.words.extend(split_list(value)),
            "type" => reference.types = Types::parse(value).map_err(at)?,
            "kinds" => reference.kinds = split_list(value),
            "group" => {
                (reference.group, reference.nearest, reference.one) = match value.trim() {
                    "yes" => (true, false, false),
                    "nearest" => (true, true, false),
                    "one" => (true, false, true),
                    "no" => (false, false, false),
                    other => {
                        return Err(at(format!(
                            "`group` is `yes`, `nearest`, `one` or `no`, not `{other}`"
                        )));
                    }
                }
            }
            other => {
                return Err(at(format!(
                    "a reference has `words`, `type`, `kinds` and `group`, not `{other}`"
                )));
            }
        }
    }
    if reference.words.is_empty() || reference.types == Types(0) {
        return Err(LineError {
            line: section.line,
            message: format!("reference `{}` needs `words` and `type`", section.name),
        });
    }
    Ok(reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rules_lists_and_references() {
        let text = "# comment\n[list hedges]\nwords = would | could\n   | may\n\n\
                    [reference the-bill]\nwords = bill\ntype = organisation\nkinds = parliament\n\n\
                    [praise-verb]\nrelation = praised\nform = verb\ntriggers = praise | praised\n\
                    subject = person state\nobject = person\npassive = yes\ngap = 2\nconfidence = 0.5\n";
        let mut set = RuleSet::default();
        set.extend(text, "x.rules").unwrap();
        assert_eq!(set.list("hedges"), ["would", "could", "may"]);
        assert_eq!(set.references[0].kinds, ["parliament"]);
        let rule = &set.rules[0];
        assert_eq!(
            (rule.relation.as_str(), rule.form, rule.gap, rule.passive),
            ("praised", Form::Verb, 2, true)
        );
        assert!(rule.subject.has(EntityType::State) && !rule.subject.has(EntityType::Place));
        assert_eq!(rule.origin, "x.rules:11");
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let cases = [
            ("relation = x\n", 1, "outside any section"),
            ("[r]\nrelation = Signed\n", 2, "lower-case"),
            ("[r]\nform = adverb\n", 2, "unknown form `adverb`"),
            ("[r]\nsubject = humans\n", 2, "unknown type `humans`"),
            (
                "[r]\nrelation = a\nform = verb\nsubject = person\n",
                1,
                "has no `object`",
            ),
            (
                "[r]\nrelation = a\nform = verb\nsubject = person\nobject = state\n",
                1,
                "no `triggers`",
            ),
            ("[r]\ngap = many\n", 2, "`gap` is a number"),
            (
                "[r]\nconfidence = 2\n",
                2,
                "`confidence` is a number from 0 to 1",
            ),
            (
                "[r]\npassive = sometimes\n",
                2,
                "`passive` is `yes` or `no`",
            ),
            ("[r]\ncolour = red\n", 2, "unknown key `colour`"),
            ("[r\n", 1, "must end with `]`"),
            ("[table x]\n", 1, "unknown section kind `table`"),
            ("[r]\nno equals sign\n", 2, "expected `key = value`"),
            ("[list l]\n  | a\n", 2, "continuation line"),
            ("[list l]\ntype = state\n", 2, "only `words`"),
            (
                "[reference r]\nwords = bill\n",
                1,
                "needs `words` and `type`",
            ),
            (
                "[h]\nrelation = signed\nform = heading\ntriggers = by\nsubject = person\nobject = state\n",
                1,
                "needs `object = document`",
            ),
        ];
        for (text, line, message) in cases {
            let errors = RuleSet::default().extend(text, "f").unwrap_err();
            assert_eq!(errors[0].line, line, "{text:?}: {errors:?}");
            assert!(
                errors[0].message.contains(message),
                "{text:?}: {} lacks {message}",
                errors[0].message
            );
        }
    }

    #[test]
    fn shipped_rules_parse() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("gazetteers")
            .join(DIR);
        let mut set = RuleSet::default();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            set.extend(&text, &path.display().to_string())
                .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        }
        for (name, _) in super::super::compiled::LISTS {
            assert!(!set.list(name).is_empty(), "list {name} is missing");
        }
        let kinds: std::collections::BTreeSet<&str> =
            set.rules.iter().map(|r| r.relation.as_str()).collect();
        for kind in crate::eval::SCHEMA_KINDS {
            assert!(kinds.contains(kind), "no rule gives {kind}");
        }
    }
}
