//! Finding, in one document, the names no gazetteer lists: capitalised runs
//! of words, typed by the cues around and inside them.

use super::cues::{Cues, Phrases, fold_word_into, mark};
use super::scan::{Gap, Shape, Word, words};
use crate::model::EntityType;
use crate::normalize::{Case, key};
use rustc_hash::FxHashSet;
use std::ops::Range;

/// Set in a word's cached mark bits once they are looked up.
const MARKED: u32 = 1 << 31;

/// A line at least this long (in bytes) that ends inside a name is taken
/// for prose wrapped at a fixed width, and the name goes on on the next
/// line when that line starts with the name's head word ("Harbour
/// Workers\nUnion"); shorter lines are entries of their own (a signatory
/// list).
const WRAPPED_LINE: usize = 50;

/// Why a candidate was given its type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cue {
    /// A title or honorific stands before it ("President", "Mr").
    Title(String),
    /// A role follows it ("A, chairman of B").
    Role(String),
    /// It stands alone at the start of a line, as a signatory entry does.
    Signatory,
    /// It starts with a given name, or has a middle initial.
    GivenName,
    /// Its head is an organisation's word ("Committee", "Party").
    OrganisationHead(String),
    /// Its head is a state's word ("Republic", "Kingdom").
    StateHead(String),
    /// Its head is a place's word ("Avenue", "Oblast").
    PlaceHead(String),
    /// It follows "in", "from", "based in" ...
    PlacePreposition(String),
    /// A direction before a listed place or state ("Eastern Ukraine").
    PlacePrefix,
    /// A verb only a person is the subject of follows ("X was born").
    PersonVerb(String),
    /// It stands in a list with a name of this type ("A, B and C").
    Coordination(EntityType),
    /// Its last word is the surname of a person found elsewhere.
    Family,
    /// A noun before it says what it is ("the news agency X").
    Noun(String),
    /// It is the value of a "Key: value" row ("Predecessor: X").
    Key(String),
    /// It is in brackets after a person ("A B (Sydney)").
    Whereabouts,
    /// It is written in capitals, as an abbreviation.
    Acronym,
    /// Nothing says what it is: a capitalised word kept only as a possible
    /// short form of another candidate.
    Unknown,
}

impl Cue {
    /// How much the cue says: 3 for a structure or a head word, 2 for the
    /// words around, 1 for the shape alone, 0 for nothing.
    pub fn strength(&self) -> u8 {
        match self {
            Cue::Title(_)
            | Cue::Role(_)
            | Cue::Signatory
            | Cue::OrganisationHead(_)
            | Cue::StateHead(_)
            | Cue::PlaceHead(_)
            | Cue::PlacePrefix
            | Cue::PersonVerb(_)
            | Cue::Noun(_)
            | Cue::Key(_) => 3,
            Cue::GivenName
            | Cue::PlacePreposition(_)
            | Cue::Coordination(_)
            | Cue::Family
            | Cue::Whereabouts => 2,
            Cue::Acronym => 1,
            Cue::Unknown => 0,
        }
    }

    /// The cue in words, for people.
    pub fn describe(&self) -> String {
        match self {
            Cue::Title(t) => format!("after the title `{t}`"),
            Cue::Role(r) => format!("before the role `{r}`"),
            Cue::Signatory => "a signatory entry".into(),
            Cue::GivenName => "a given name".into(),
            Cue::OrganisationHead(h) => format!("organisation word `{h}`"),
            Cue::StateHead(h) => format!("state word `{h}`"),
            Cue::PlaceHead(h) => format!("place word `{h}`"),
            Cue::PlacePreposition(p) => format!("after `{p}`"),
            Cue::PlacePrefix => "a direction before a listed place".into(),
            Cue::PersonVerb(v) => format!("before `{v}`"),
            Cue::Coordination(kind) => format!("in a list with a {kind}"),
            Cue::Family => "the surname of a person".into(),
            Cue::Noun(n) => format!("after `{n}`"),
            Cue::Key(k) => format!("the value of `{k}:`"),
            Cue::Whereabouts => "in brackets after a person".into(),
            Cue::Acronym => "an abbreviation".into(),
            Cue::Unknown => "a capitalised word".into(),
        }
    }
}

/// One name of a document that no gazetteer lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Where the name is in the text (a title before it left out).
    pub range: Range<usize>,
    /// The name as written, white space made single spaces.
    pub name: String,
    /// `name` folded ([`crate::normalize::key`]): the name's identity,
    /// made once on the worker that found it.
    pub key: String,
    /// The guessed type; `None` with [`Cue::Unknown`].
    pub kind: Option<EntityType>,
    /// Why.
    pub cue: Cue,
    /// For an abbreviation in brackets right after a candidate, that
    /// candidate's index: the two are one entity.
    pub abbreviates: Option<usize>,
}

/// The candidates of `text`. `listed` holds the spans the gazetteers
/// matched, with their types, ordered by start: a candidate never lies
/// inside one.
pub fn candidates(
    text: &str,
    listed: &[(Range<usize>, EntityType)],
    cues: &Cues,
) -> Vec<Candidate> {
    let words = words(text);
    // Most words of prose are already their folded form (lower-case
    // letters): those are taken from the text as they are, the others
    // folded into one buffer.
    let plain = |word: &str| {
        word.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let mut buffer = String::new();
    let mut bounds: Vec<Option<Range<usize>>> = Vec::with_capacity(words.len());
    for w in &words {
        let word = &text[w.range.clone()];
        if plain(word) {
            bounds.push(None);
        } else {
            let start = buffer.len();
            fold_word_into(word, &mut buffer);
            bounds.push(Some(start..buffer.len()));
        }
    }
    let folded: Vec<&str> = bounds
        .into_iter()
        .zip(&words)
        .map(|(bound, w)| match bound {
            Some(r) => &buffer[r],
            None => &text[w.range.clone()],
        })
        .collect();
    let doc = Document::new(text, words, folded, listed, cues);
    let mut out = Vec::new();
    let n = doc.words.len();
    let mut i = 0;
    while i < n {
        if !doc.name_word(i) || doc.particle(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        loop {
            if j + 1 < n && doc.name_word(j + 1) && doc.joins(j) && !doc.particle(j + 1) {
                j += 1;
                continue;
            }
            let mut k = j + 1;
            while k < n && doc.particle(k) && doc.joins(k - 1) {
                k += 1;
            }
            if k > j + 1 && k < n && doc.name_word(k) && doc.joins(k - 1) && !doc.particle(k) {
                j = k;
                continue;
            }
            break;
        }
        doc.classify(i, j, &mut out);
        i = j + 1;
    }
    doc.person_verbs(&mut out);
    doc.coordinated(listed, &mut out);
    out
}

/// A document's words with what classifying needs of them.
struct Document<'a> {
    text: &'a str,
    cues: &'a Cues,
    words: Vec<Word>,
    folded: Vec<&'a str>,
    /// The type of the listed name each word is part of.
    listed: Vec<Option<EntityType>>,
    /// Whether the word is part of a listed name and not its first word
    /// (a listed name may hold small words: "Isle of Man").
    listed_inner: Vec<bool>,
    /// Per word, its [`mark`] bits once looked up (with [`MARKED`]).
    marks: Vec<std::cell::Cell<u32>>,
    /// Words the document also writes in lower case.
    lower: FxHashSet<&'a str>,
    /// Per line: written in capitals throughout (a heading, a signature in
    /// capitals).
    shouting: Vec<bool>,
    /// Per line: a line in capitals that may be a name (short, no words of
    /// a sentence).
    shout_ok: Vec<bool>,
    /// Per line: every word but the small ones capitalised (a heading in
    /// title case, an infobox row, a signature): there a word the
    /// document also writes in lower case is not a name's word.
    title_case: Vec<bool>,
}

impl<'a> Document<'a> {
    fn new(
        text: &'a str,
        words: Vec<Word>,
        folded: Vec<&'a str>,
        listed_spans: &[(Range<usize>, EntityType)],
        cues: &'a Cues,
    ) -> Self {
        let listed_len = words.len();
        let mut listed = vec![None; words.len()];
        let mut listed_inner = vec![false; words.len()];
        let mut at = 0;
        for (range, kind) in listed_spans {
            while at < words.len() && words[at].range.end <= range.start {
                at += 1;
            }
            let mut k = at;
            while k < words.len() && words[k].range.start < range.end {
                listed[k] = Some(*kind);
                listed_inner[k] = k > at;
                k += 1;
            }
        }
        // Of the words also written in lower case, only those written
        // capitalised somewhere matter.
        // (Listed words are never a candidate's: they need no such check.)
        let capitalised: FxHashSet<&str> = words
            .iter()
            .zip(&folded)
            .zip(&listed)
            .filter(|((w, _), listed)| w.shape.is_capital() && listed.is_none())
            .map(|((_, f), _)| *f)
            .collect();
        // Most lower-case words share neither length nor first letter with
        // a capitalised one: a bit per (length, first byte) skips their
        // lookup.
        let signature = |f: &str| (f.len().min(15) << 8 | usize::from(f.as_bytes()[0])) & 4095;
        let mut signatures = [0u64; 64];
        for f in &capitalised {
            if !f.is_empty() {
                let bit = signature(f);
                signatures[bit / 64] |= 1 << (bit % 64);
            }
        }
        let lower = words
            .iter()
            .zip(&folded)
            .filter(|(w, f)| {
                w.shape == Shape::Lower
                    && !f.is_empty()
                    && signatures[signature(f) / 64] & (1 << (signature(f) % 64)) != 0
                    && capitalised.contains(*f)
            })
            .map(|(_, f)| *f)
            .collect();
        let particle = |f: &str| f.len() <= 5 && cues.particles.contains(f);
        let lines = words.last().map_or(0, |w| w.line as usize + 1);
        let mut capitals = vec![0u32; lines];
        let mut lettered = vec![0u32; lines];
        let mut sentence_words = vec![false; lines];
        let mut count = vec![0u32; lines];
        let mut capital_words = vec![0u32; lines];
        let mut lower_words = vec![0u32; lines];
        for w in &words {
            let line = w.line as usize;
            count[line] += 1;
            match w.shape {
                Shape::Capitals => capitals[line] += 1,
                Shape::Lower | Shape::Capitalised => lettered[line] += 1,
                _ => {}
            }
            if w.shape.is_capital() {
                capital_words[line] += 1;
            }
        }
        // Lower-case words other than small ones, counted where a line may
        // be in title case (short, with capitals) only.
        for (w, f) in words.iter().zip(&folded) {
            let line = w.line as usize;
            if w.shape == Shape::Lower
                && count[line] <= 12
                && capital_words[line] >= 3
                && !particle(f)
            {
                lower_words[line] += 1;
            }
        }
        let shouting: Vec<bool> = (0..lines)
            .map(|l| capitals[l] >= 1 && capitals[l] > lettered[l] * 2)
            .collect();
        // Words of a sentence, looked for in lines in capitals only.
        for (w, f) in words.iter().zip(&folded) {
            let line = w.line as usize;
            if shouting[line] && cues.not_names.contains(*f) && !particle(f) {
                sentence_words[line] = true;
            }
        }
        let shout_ok = (0..lines)
            .map(|l| shouting[l] && count[l] <= 6 && !sentence_words[l])
            .collect();
        let mut first_capital = vec![false; lines];
        for (k, w) in words.iter().enumerate() {
            if k == 0 || words[k - 1].line != w.line {
                first_capital[w.line as usize] = w.shape.is_capital();
            }
        }
        let title_case = (0..lines)
            .map(|l| {
                first_capital[l]
                    && capital_words[l] >= 3
                    && lower_words[l] == 0
                    && count[l] <= 12
                    && !shouting[l]
            })
            .collect();
        Document {
            text,
            cues,
            words,
            folded,
            listed,
            listed_inner,
            marks: vec![std::cell::Cell::new(0); listed_len],
            lower,
            shouting,
            shout_ok,
            title_case,
        }
    }

    fn line_of(&self, i: usize) -> usize {
        self.words[i].line as usize
    }

    /// Whether word `i` is an initial or an abbreviation a full stop does
    /// not end a sentence after.
    fn abbreviation(&self, i: usize) -> bool {
        let f = self.folded[i];
        match self.words[i].shape {
            Shape::Initial => true,
            Shape::Capitals => f.len() <= 3,
            _ => {
                f.len() <= 4
                    && (self.word_in(&self.cues.titles, i, mark::TITLE)
                        || self.has(i, mark::SUFFIX)
                        || self.word_in(&self.cues.place_heads, i, mark::PLACE_HEAD))
            }
        }
    }

    /// Whether word `i` starts a sentence.
    fn sentence_start(&self, i: usize) -> bool {
        match self.words[i].gap {
            Gap::Line | Gap::Stop | Gap::Colon => true,
            Gap::Dot => i == 0 || !self.abbreviation(i - 1),
            _ => i == 0,
        }
    }

    /// Whether word `i` may be part of a name.
    fn name_word(&self, i: usize) -> bool {
        if self.listed_inner[i] {
            return true;
        }
        let w = &self.words[i];
        if !w.shape.is_capital() {
            return false;
        }
        let line = self.line_of(i);
        if self.shouting[line] && !self.shout_ok[line] {
            return false;
        }
        if self.listed[i].is_some() {
            return true;
        }
        // "Russian-occupied", "Kyiv-based": an adjective made of a name.
        let text = &self.text[w.range.clone()];
        if let Some((_, last)) = text.rsplit_once(['-', '‐'])
            && last.starts_with(char::is_lowercase)
            && (last.ends_with("ed") || last == "born" || last == "speaking")
        {
            return false;
        }
        let f = self.folded[i];
        let initial = w.shape == Shape::Initial
            && self
                .words
                .get(i + 1)
                .is_some_and(|next| next.gap == Gap::Dot);
        if initial {
            return true;
        }
        if self.has(i, mark::NOT_NAME) {
            return false;
        }
        if self.title_case[line]
            && self.lower.contains(f)
            && !self.has(i, mark::GIVEN)
            && !self.is_head(i)
        {
            return false;
        }
        // A sentence's first word is a name's only if the document never
        // writes it in lower case (or it is a given name or a title).
        let common_first = self.sentence_start(i) && self.lower.contains(f);
        !common_first || self.has(i, mark::GIVEN) || self.word_in(&self.cues.titles, i, mark::TITLE)
    }

    /// The [`mark`] bits of word `k`, looked up once.
    fn marks(&self, k: usize) -> u32 {
        let cached = self.marks[k].get();
        if cached & MARKED != 0 {
            return cached & !MARKED;
        }
        let found = self.cues.mark(self.folded[k]);
        self.marks[k].set(found | MARKED);
        found
    }

    /// Whether word `k` is in the list of `bit`.
    fn has(&self, k: usize, bit: u32) -> bool {
        self.marks(k) & bit != 0
    }

    /// Whether word `k` alone is a phrase of `phrases` (whose bit is
    /// `bit`).
    fn word_in(&self, phrases: &Phrases, k: usize, bit: u32) -> bool {
        self.has(k, bit) && phrases.has_word(self.folded[k])
    }

    /// [`Phrases::ending_at`] word `k`, 0 at once for a word that ends no
    /// phrase of the list.
    fn ends(&self, phrases: &Phrases, k: usize, bit: u32) -> usize {
        if self.has(k, bit) {
            phrases.ending_at(&self.folded, k)
        } else {
            0
        }
    }

    /// Whether word `i` is a head word of an organisation, state or place.
    fn is_head(&self, i: usize) -> bool {
        self.has(i, mark::HEAD)
            && (self.word_in(&self.cues.organisation_heads, i, mark::ORGANISATION_HEAD)
                || self.word_in(&self.cues.state_heads, i, mark::STATE_HEAD)
                || self.word_in(&self.cues.place_heads, i, mark::PLACE_HEAD))
    }

    /// Whether word `i` is a small word that may stand inside a name.
    fn particle(&self, i: usize) -> bool {
        let line = self.line_of(i);
        self.listed[i].is_none()
            && self.has(i, mark::PARTICLE)
            && (self.words[i].shape == Shape::Lower || self.shouting[line] || self.title_case[line])
    }

    /// Whether word `i` and the next are one run of a name.
    fn joins(&self, i: usize) -> bool {
        match self.words[i + 1].gap {
            Gap::Space => true,
            // A name wrapped at the end of a long line of prose, before its
            // head word.
            Gap::Line => {
                let between = &self.text[self.words[i].range.end..self.words[i + 1].range.start];
                let line_start = self.text[..self.words[i].range.end]
                    .rfind('\n')
                    .map_or(0, |n| n + 1);
                between.trim_matches([' ', '\t', '\r']) == "\n"
                    && self.words[i].range.end - line_start >= WRAPPED_LINE
                    && self.is_head(i + 1)
            }
            Gap::Apostrophe => self.words[i].shape.is_capital(),
            Gap::Dot => self.abbreviation(i),
            _ => false,
        }
    }

    /// The words' folded forms.
    fn folded(&self) -> &[&'a str] {
        &self.folded
    }

    fn classify(&self, a: usize, b: usize, out: &mut Vec<Candidate>) {
        let Some((a, b)) = self.trim(a, b) else {
            return;
        };
        // "A and B" is two names, unless an organisation's name goes on
        // past its head ("Committee for Defence of Rights and
        // Freedoms").
        if let Some(k) = (a + 1..b).find(|&k| self.folded[k] == "and" && self.particle(k)) {
            let the = self.folded[k + 1] == "the";
            let right = if the { k + 2 } else { k + 1 };
            let head_inside = (a..k - 1)
                .any(|h| self.ends(&self.cues.organisation_heads, h, mark::ORGANISATION_HEAD) > 0);
            let right_head = right <= b && self.head(right, b).is_some();
            let left_head = self.head(a, k - 1).is_some();
            // "Committee for Defence of Rights and Freedoms",
            // "Science and Culture Council".
            let keep = !the && ((head_inside && !right_head) || (!left_head && right_head));
            if !keep {
                self.classify(a, k - 1, out);
                if right <= b {
                    self.classify(right, b, out);
                }
                return;
            }
        }
        if (a..=b).any(|k| self.listed[k].is_some()) {
            self.around_listed(a, b, out);
            return;
        }
        // A possessive inside a run with no organisation word after it
        // ends the name there ("Varga's Office" is not one name).
        if let Some(p) = (a..b).find(|&k| self.words[k].possessive)
            && (self.head(p + 1, b).is_none() || (p > a && b > p + 1 && self.head(a, p).is_some()))
        {
            self.classify(a, p, out);
            let next = (p + 1..=b).find(|&k| !self.particle(k));
            if let Some(next) = next {
                self.classify(next, b, out);
            }
            return;
        }
        self.typed(a, b, out);
    }

    /// `a..=b` without the small words and words that are no name's at
    /// its ends; `None` when nothing is left.
    fn trim(&self, mut a: usize, mut b: usize) -> Option<(usize, usize)> {
        while a <= b && (self.particle(a) || !self.name_word(a)) {
            a += 1;
        }
        while b > a && (self.particle(b) || !self.name_word(b)) {
            b -= 1;
        }
        (a <= b && self.name_word(a)).then_some((a, b))
    }

    /// A run with listed names in it: the whole when it is an
    /// organisation's or state's name that holds a listed one ("Association
    /// of Farmers in Oldmark"), a place with a direction ("Eastern
    /// Ukraine"), else the runs between the listed names.
    fn around_listed(&self, a: usize, b: usize, out: &mut Vec<Candidate>) {
        if (a..=b).all(|k| self.listed[k].is_some()) {
            return;
        }
        // A listed head counts only when no "of" stands before its listed
        // name ("City Duma of Oldmark" with "Duma" listed, not
        // "A B of the X Party" with "X Party" listed).
        let body_head = self
            .head(a, b)
            .filter(|(_, cue)| matches!(cue, Cue::OrganisationHead(_) | Cue::StateHead(_)))
            .filter(|&(head, _)| {
                let mut start = head;
                while start > a && self.listed_inner[start] {
                    start -= 1;
                }
                self.listed[head].is_none()
                    || (start > a
                        && self.listed[start - 1].is_none()
                        && !self.particle(start - 1)
                        && !(a..start).any(|k| self.particle(k) && self.folded[k] == "of"))
            });
        if let Some((head, cue)) = body_head
            && b > a
        {
            let kind = match cue {
                Cue::StateHead(_) => EntityType::State,
                _ => EntityType::Organisation,
            };
            // "the Danish Embassy in Vilnius": the body, then where it is.
            let mut end = b;
            if let Some(k) = (head + 1..b).find(|&k| self.particle(k) && self.folded[k] == "in")
                && self.ends(
                    &self.cues.organisation_heads,
                    k - 1,
                    mark::ORGANISATION_HEAD,
                ) > 0
                && (k + 1..=b).all(|j| {
                    self.particle(j)
                        || matches!(self.listed[j], Some(EntityType::Place | EntityType::State))
                })
            {
                end = k - 1;
            }
            self.push(a, end, Some(kind), cue, out);
            return;
        }
        let prefixes = (a..=b)
            .take_while(|&k| self.listed[k].is_none() && self.has(k, mark::PLACE_PREFIX))
            .count();
        if prefixes > 0
            && (a + prefixes..=b)
                .all(|k| matches!(self.listed[k], Some(EntityType::Place | EntityType::State)))
        {
            self.push(a, b, Some(EntityType::Place), Cue::PlacePrefix, out);
            return;
        }
        let mut k = a;
        while k <= b {
            if self.listed[k].is_some() || self.particle(k) {
                k += 1;
                continue;
            }
            let mut end = k;
            while end < b && self.listed[end + 1].is_none() {
                end += 1;
            }
            while end > k && self.particle(end) {
                end -= 1;
            }
            // "President Anna K. Berg" with "Berg" listed: the fuller
            // name is one to suggest.
            let forename =
                |j: usize| self.words[j].shape == Shape::Initial || self.has(j, mark::GIVEN);
            if end < b && self.listed[end + 1] == Some(EntityType::Person) && forename(end) {
                let from = self.after_title(k, end).map_or(k, |(from, _)| from);
                let mut last = end + 1;
                while last < b && self.listed[last + 1] == Some(EntityType::Person) {
                    last += 1;
                }
                if (from..=end).all(forename) {
                    self.push(from, last, Some(EntityType::Person), Cue::GivenName, out);
                    k = last + 1;
                    continue;
                }
            }
            self.classify(k, end, out);
            k = end + 1;
        }
    }

    /// The head word of a run and its cue: the last word before the first
    /// "of", "for", "on" or "in", read from the right, else an
    /// organisation word anywhere.
    fn head(&self, a: usize, b: usize) -> Option<(usize, Cue)> {
        let folded = self.folded();
        let region_end = (a..=b)
            .find(|&k| k > a && self.particle(k) && matches!(folded[k], "of" | "for" | "on" | "in"))
            .map_or(b, |k| k - 1);
        let cue_at = |k: usize| -> Option<Cue> {
            let word = || folded[k].to_string();
            if self.ends(&self.cues.organisation_heads, k, mark::ORGANISATION_HEAD) > 0 {
                Some(Cue::OrganisationHead(word()))
            } else if self.ends(&self.cues.state_heads, k, mark::STATE_HEAD) > 0 {
                Some(Cue::StateHead(word()))
            } else if self.ends(&self.cues.place_heads, k, mark::PLACE_HEAD) > 0 {
                Some(Cue::PlaceHead(word()))
            } else {
                None
            }
        };
        // An organisation's word at the very end decides ("Australian
        // Federation of Ukrainian Organisations").
        if self.ends(&self.cues.organisation_heads, b, mark::ORGANISATION_HEAD) > 0 {
            return Some((b, Cue::OrganisationHead(folded[b].to_string())));
        }
        (a..=region_end)
            .rev()
            .find_map(|k| cue_at(k).map(|cue| (k, cue)))
            .or_else(|| {
                (region_end + 1..=b).rev().find_map(|k| {
                    (self.ends(&self.cues.organisation_heads, k, mark::ORGANISATION_HEAD) > 0)
                        .then(|| (k, Cue::OrganisationHead(folded[k].to_string())))
                })
            })
    }

    /// Types a run with no listed name in it.
    fn typed(&self, a: usize, b: usize, out: &mut Vec<Candidate>) {
        let folded = self.folded();
        let person_shaped = self.has(a, mark::GIVEN);
        let noun = self.noun_before(a).filter(|_| !person_shaped);
        if let Some((kind, cue)) = self.row_key(a).or(noun) {
            self.push(a, b, Some(kind), cue, out);
            return;
        }
        // "East Prussia": a direction and one more word.
        if b == a + 1
            && self.has(a, mark::PLACE_PREFIX)
            && !self.is_head(b)
            && !self.lower.contains(folded[b])
        {
            self.push(a, b, Some(EntityType::Place), Cue::PlacePrefix, out);
            return;
        }
        // A title inside the run or right before it: the rest is a person.
        if let Some((from, title)) = self.after_title(a, b) {
            self.push(from, b, Some(EntityType::Person), Cue::Title(title), out);
            return;
        }
        // "JOHN R. HALE Minister for Trade", "Lena Varga
        // Second Secretary of the Embassy": a name, then its role.
        if let Some(k) = (a + 2..b).find(|&k| self.is_role(k))
            && k - a <= 5
            && (a..k).all(|j| !self.is_head(j) && !self.particle(j) && !self.is_role(j))
        {
            let mut end = k - 1;
            while end > a && self.has(end, mark::ORDINAL) {
                end -= 1;
            }
            if end > a {
                let role = folded[k].to_string();
                self.push(a, end, Some(EntityType::Person), Cue::Role(role), out);
                self.classify(k, b, out);
                return;
            }
        }
        let words = b - a + 1;
        if words >= 2
            && let Some((_, cue)) = self.head(a, b)
        {
            let kind = match cue {
                Cue::OrganisationHead(_) => EntityType::Organisation,
                Cue::StateHead(_) => EntityType::State,
                _ => EntityType::Place,
            };
            self.push(a, b, Some(kind), cue, out);
            // "Law Faculty of Oldmark State University": the body
            // after "of (the)" is a name of its own when it has a head.
            if kind == EntityType::Organisation
                && let Some(of) = (a + 1..b).find(|&k| self.particle(k) && folded[k] == "of")
            {
                let mut from = of + 1;
                while from <= b && self.particle(from) {
                    from += 1;
                }
                let whole_from = out.last().map(|c| c.range.start);
                if b > from
                    && self.ends(&self.cues.organisation_heads, b, mark::ORGANISATION_HEAD) > 0
                    && whole_from != Some(self.words[from].range.start)
                {
                    let head = folded[b].to_string();
                    self.push(from, b, Some(kind), Cue::OrganisationHead(head), out);
                }
            }
            return;
        }
        // A given name further in, after words that are not a name
        // ("Minister for Trade Ilse Varga").
        if let Some(k) = (a + 1..=b)
            .find(|&k| self.has(k, mark::GIVEN) && b - k < 3 && b > k && !self.particle(k))
            && !self.has(a, mark::GIVEN)
        {
            self.push(k, b, Some(EntityType::Person), Cue::GivenName, out);
            return;
        }
        if (2..=5).contains(&words) {
            if let Some(role) = self.role_after(b) {
                self.push(a, b, Some(EntityType::Person), Cue::Role(role), out);
                return;
            }
            if self.signatory(a, b) {
                self.push(a, b, Some(EntityType::Person), Cue::Signatory, out);
                return;
            }
            let initial_inside = (a + 1..b).any(|k| self.words[k].shape == Shape::Initial);
            if self.has(a, mark::GIVEN) || initial_inside {
                self.push(a, b, Some(EntityType::Person), Cue::GivenName, out);
                return;
            }
        }
        let before_noun = self.words.get(b + 1).is_some_and(|next| {
            next.gap == Gap::Space
                && next.shape == Shape::Lower
                && !self.particle(b + 1)
                && !self.has(b + 1, mark::NOT_NAME)
        });
        let plain_words = (a..=b).all(|k| !self.is_head(k) && !self.is_role(k))
            && !self.lower.contains(folded[a]);
        if words <= 3
            && !before_noun
            && plain_words
            && let Some(preposition) = self.preposition_before(a)
        {
            self.push(
                a,
                b,
                Some(EntityType::Place),
                Cue::PlacePreposition(preposition),
                out,
            );
            return;
        }
        if words == 1 {
            let w = &self.words[a];
            let letters = self.folded[a].len();
            let capitals_beside = |k: Option<usize>| {
                k.and_then(|k| self.words.get(k))
                    .is_some_and(|o| o.shape == Shape::Capitals && o.line == w.line)
            };
            if w.shape == Shape::Capitals
                && (2..=6).contains(&letters)
                && !self.shouting[self.line_of(a)]
                && self.folded[a].chars().all(char::is_alphabetic)
                && !self.folded[a].chars().all(|c| "ivxlcdm".contains(c))
                && !capitals_beside(a.checked_sub(1))
                && !capitals_beside(Some(a + 1))
            {
                let abbreviates = (w.bracketed && !self.sentence_start(a))
                    .then(|| out.len().checked_sub(1))
                    .flatten()
                    .filter(|&last| {
                        let previous_end = out[last].range.end;
                        self.text[previous_end..w.range.start]
                            .chars()
                            .all(|c| c.is_whitespace() || c == '(' || c == '[')
                    });
                let name = self.text[w.range.clone()].to_string();
                out.push(Candidate {
                    range: w.range.clone(),
                    key: key(&name, Case::Fold),
                    name,
                    kind: Some(EntityType::Organisation),
                    cue: Cue::Acronym,
                    abbreviates,
                });
                return;
            }
        }
        self.push(a, b, None, Cue::Unknown, out);
    }

    /// Where the person after a title starts, and the title: a title phrase
    /// inside the run followed by a name word, or right before the run in
    /// lower case ("said president Smith").
    fn after_title(&self, a: usize, b: usize) -> Option<(usize, String)> {
        let folded = self.folded();
        let phrase = |end: usize, len: usize| folded[end + 1 - len..=end].join(" ");
        let mut found = None;
        for e in a..b {
            let len = self.ends(&self.cues.titles, e, mark::TITLE);
            if len > 0 && !self.particle(e + 1) && !self.names_a_body(e + 1, b) {
                found = Some((e + 1, phrase(e, len)));
            }
        }
        if found.is_none()
            && a > 0
            && self.words[a].gap == Gap::Space
            && self.words[a - 1].shape == Shape::Lower
        {
            let len = self.ends(&self.cues.titles, a - 1, mark::TITLE);
            if len > 0 && !self.names_a_body(a, b) {
                found = Some((a, phrase(a - 1, len)));
            }
        }
        // The rest must be a name: not a lone word that is a title or a
        // given name's absence in capitals.
        found.filter(|(from, _)| {
            (*from..=b)
                .any(|k| !self.word_in(&self.cues.titles, k, mark::TITLE) && !self.particle(k))
        })
    }

    /// The type a "Key: value" row gives the value starting at word `a`
    /// ("- Predecessor: X", "Alma Mater: Y").
    fn row_key(&self, a: usize) -> Option<(EntityType, Cue)> {
        if a == 0 || self.words[a].gap != Gap::Colon {
            return None;
        }
        let line = self.words[a].line;
        let first = (0..a)
            .rev()
            .take_while(|&k| self.words[k].line == line)
            .last()?;
        let key: Vec<&str> = self.folded[first..a].to_vec();
        let whole = |phrases: &super::cues::Phrases| {
            !key.is_empty() && phrases.ending_at(&key, key.len() - 1) == key.len()
        };
        let kind = if whole(&self.cues.person_keys) {
            EntityType::Person
        } else if whole(&self.cues.organisation_keys) {
            EntityType::Organisation
        } else if whole(&self.cues.place_keys) {
            EntityType::Place
        } else {
            return None;
        };
        Some((kind, Cue::Key(key.join(" "))))
    }

    /// The type a noun right before word `a` gives it ("the news agency
    /// X", "the group \"X\"", "the city of X").
    fn noun_before(&self, a: usize) -> Option<(EntityType, Cue)> {
        if a == 0
            || !matches!(self.words[a].gap, Gap::Space | Gap::Mark)
            || self.words[a - 1].shape != Shape::Lower
            || self.words[a - 1].line != self.words[a].line
        {
            return None;
        }
        let folded = self.folded();
        let phrase = |len: usize| folded[a - len..a].join(" ");
        let len = self.ends(
            &self.cues.organisation_nouns,
            a - 1,
            mark::ORGANISATION_NOUN,
        );
        if len > 0 {
            return Some((EntityType::Organisation, Cue::Noun(phrase(len))));
        }
        let len = self.ends(&self.cues.place_nouns, a - 1, mark::PLACE_NOUN);
        (len > 0).then(|| (EntityType::Place, Cue::Noun(phrase(len))))
    }

    /// Whether word `k` is a role's or title's word.
    fn is_role(&self, k: usize) -> bool {
        self.word_in(&self.cues.roles, k, mark::ROLE)
            || self.word_in(&self.cues.titles, k, mark::TITLE)
    }

    /// Whether `a..=b` has an organisation's or a state's head word.
    fn names_a_body(&self, a: usize, b: usize) -> bool {
        matches!(
            self.head(a, b),
            Some((_, Cue::OrganisationHead(_) | Cue::StateHead(_)))
        )
    }

    /// The role right after a run ("A, chairman of B", "A - President").
    fn role_after(&self, b: usize) -> Option<String> {
        let folded = self.folded();
        let mut k = b + 1;
        if k >= self.words.len() || self.words[k].line != self.words[b].line {
            return None;
        }
        if self.words[k].gap == Gap::Space && folded[k] == "as" {
            // "recognised X as American Consul": a role after "as",
            // perhaps after a demonym.
            k += 1;
            while k < self.words.len()
                && k <= b + 3
                && self.words[k].shape != Shape::Lower
                && !self.is_role(k)
            {
                k += 1;
            }
            if k >= self.words.len() || !self.is_role(k) {
                return None;
            }
        } else if !matches!(self.words[k].gap, Gap::Comma | Gap::Dash | Gap::Mark) {
            return None;
        }
        while k < self.words.len() && matches!(folded[k], "the" | "a" | "an" | "its" | "former") {
            k += 1;
        }
        for end in k..(k + 3).min(self.words.len()) {
            let len = self.ends(&self.cues.roles, end, mark::ROLE);
            if len > 0 && end + 1 - len == k {
                return Some(folded[k..=end].join(" "));
            }
        }
        None
    }

    /// Whether a run stands as a signatory entry: first on its line, and
    /// the line ends after it or goes on after a comma, a dash or a
    /// bracket.
    fn signatory(&self, a: usize, b: usize) -> bool {
        // A document's first line in capitals is its heading.
        if self.words[a].line == 0 && (a..=b).all(|k| self.words[k].shape != Shape::Capitalised) {
            return false;
        }
        let first = (0..a)
            .rev()
            .take_while(|&k| self.words[k].line == self.words[a].line)
            .all(|k| self.words[k].shape == Shape::Other);
        let numbered = a > 0 && self.words[a - 1].line == self.words[a].line;
        let first =
            first && (numbered || matches!(self.words[a].gap, Gap::Line | Gap::Mark | Gap::Dot));
        let heading = self.text[self.words[b].range.end..]
            .trim_start_matches([' ', '\t'])
            .starts_with(':');
        let ends = !heading
            && match self.words.get(b + 1) {
                None => true,
                Some(next) => {
                    next.line != self.words[b].line
                        || matches!(next.gap, Gap::Comma | Gap::Dash | Gap::Mark)
                }
            };
        first && ends
    }

    /// Types the untyped names listed with typed ones: "A, B and C"
    /// where A or C is one (listed or found), repeated along the list.
    fn coordinated(&self, listed: &[(Range<usize>, EntityType)], out: &mut [Candidate]) {
        let text = self.text;
        // What a list item must be to take a type from its neighbours: no
        // role in it, not an adjective before a noun ("Crimean Tatar
        // communities"), and when one word, not a common word nor one before a
        // number ("Suite 207").
        if out.iter().all(|c| c.kind.is_some()) {
            return;
        }
        let eligible: Vec<Option<bool>> = out
            .iter()
            .map(|c| {
                if c.kind.is_none() {
                    self.list_item(c)
                } else {
                    None
                }
            })
            .collect();
        // Every name in text order: (range, type, index among the candidates).
        let mut items: Vec<(Range<usize>, Option<EntityType>, Option<usize>)> = listed
            .iter()
            .map(|(r, k)| (r.clone(), Some(*k), None))
            .chain(
                out.iter()
                    .enumerate()
                    .map(|(i, c)| (c.range.clone(), c.kind, Some(i))),
            )
            .collect();
        items.sort_by_key(|(r, ..)| r.start);
        let joined = |left: &Range<usize>, right: &Range<usize>| {
            left.end <= right.start
                && matches!(
                    text[left.end..right.start].trim(),
                    "," | "and" | ", and" | ";" | "&" | "or" | ", or"
                )
        };
        // "Anna Lisowska (Gdynia)": a bracketed name after a person is where
        // the person is.
        for k in 1..items.len() {
            let (range, kind, Some(index)) = items[k].clone() else {
                continue;
            };
            let before = &items[k - 1];
            if kind.is_none()
                && before.1 == Some(EntityType::Person)
                && before.0.end <= range.start
                && text[before.0.end..range.start].trim() == "("
                && text[range.end..].starts_with(')')
            {
                items[k].1 = Some(EntityType::Place);
                out[index].kind = Some(EntityType::Place);
                out[index].cue = Cue::Whereabouts;
            }
        }
        // Three or more names of two or three words in one list, none typed:
        // a list of people ("A B, C D, E F and G H").
        let plain: Vec<bool> = items
            .iter()
            .map(|(_, kind, index)| {
                kind.is_none()
                    && index.is_some_and(|i| {
                        eligible[i].is_some()
                            && (2..=3).contains(&out[i].name.split_whitespace().count())
                    })
            })
            .collect();
        let mut k = 0;
        while k < items.len() {
            let mut end = k;
            while plain[end]
                && end + 1 < items.len()
                && plain[end + 1]
                && joined(&items[end].0, &items[end + 1].0)
            {
                end += 1;
            }
            if plain[k] && end >= k + 2 {
                for item in &mut items[k..=end] {
                    item.1 = Some(EntityType::Person);
                    let index = item.2.expect("plain items are candidates");
                    out[index].kind = Some(EntityType::Person);
                    out[index].cue = Cue::Coordination(EntityType::Person);
                }
            }
            k = end + 1;
        }
        // An untyped name beside a typed one in a list takes its type: a
        // person's (for names of two words or more), an organisation's, or a
        // place's beside a place or a state ("Gdynia, Pomerania").
        for _ in 0..4 {
            let mut changed = false;
            for k in 0..items.len() {
                let (range, kind, Some(index)) = items[k].clone() else {
                    continue;
                };
                let Some(adjectival) = eligible[index] else {
                    continue;
                };
                if kind.is_some() {
                    continue;
                }
                let words = out[index].name.split_whitespace().count();
                let taken = |j: usize| match items[j].1 {
                    Some(EntityType::Person) if words >= 2 => Some(EntityType::Person),
                    Some(EntityType::Organisation) if words >= 2 && !adjectival => {
                        Some(EntityType::Organisation)
                    }
                    Some(EntityType::Place | EntityType::State) if words >= 2 && !adjectival => {
                        Some(EntityType::Place)
                    }
                    _ => None,
                };
                // "Gdynia, Pomerania": a one-word place after a place.
                let region = |j: usize| {
                    matches!(items[j].1, Some(EntityType::Place | EntityType::State))
                        && text[items[j].0.end..range.start.max(items[j].0.end)].trim() == ","
                };
                let from_before = (k > 0 && joined(&items[k - 1].0, &range))
                    .then(|| {
                        taken(k - 1).or((words == 1 && !adjectival && region(k - 1))
                            .then_some(EntityType::Place))
                    })
                    .flatten();
                let from_after = (k + 1 < items.len() && joined(&range, &items[k + 1].0))
                    .then(|| taken(k + 1))
                    .flatten();
                if let Some(kind) = from_before.or(from_after) {
                    items[k].1 = Some(kind);
                    out[index].kind = Some(kind);
                    out[index].cue = Cue::Coordination(kind);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Whether a candidate may take a type from the names it is listed
    /// with.
    /// `None` when it may not (a role in it, one common word); else
    /// whether it stands before a lower-case word, as an adjective does
    /// ("Crimean Tatar communities"), which only a person's name may.
    fn list_item(&self, candidate: &Candidate) -> Option<bool> {
        let first = self
            .words
            .partition_point(|w| w.range.start < candidate.range.start);
        let last = self
            .words
            .partition_point(|w| w.range.start < candidate.range.end);
        if first >= last {
            return None;
        }
        let next = self.words.get(last);
        let before_noun = next.is_some_and(|w| {
            w.gap == Gap::Space
                && (w.shape == Shape::Lower || w.shape == Shape::Other)
                && !self.has(last, mark::PARTICLE)
        });
        let one_common = last - first == 1
            && (self.lower.contains(self.folded[first]) || self.folded[first].ends_with("based"));
        (!one_common && !(first..last).any(|k| self.is_role(k))).then_some(before_noun)
    }

    /// Types as persons the untyped names of two to four words followed by
    /// a verb only a person is the subject of ("X was born in").
    fn person_verbs(&self, out: &mut [Candidate]) {
        for candidate in out.iter_mut() {
            if candidate.kind.is_some()
                || !(2..=4).contains(&candidate.name.split_whitespace().count())
            {
                continue;
            }
            let next = self
                .words
                .partition_point(|w| w.range.start < candidate.range.end);
            let window: Vec<&str> = self.folded[next..(next + 3).min(self.folded.len())].to_vec();
            if let Some(end) = (0..window.len()).find(|&e| {
                let len = self.cues.person_verbs.ending_at(&window, e);
                len > 0 && len == e + 1
            }) {
                candidate.kind = Some(EntityType::Person);
                candidate.cue = Cue::PersonVerb(window[..=end].join(" "));
            }
        }
    }

    /// The place preposition right before word `a`, if any.
    fn preposition_before(&self, a: usize) -> Option<String> {
        if a == 0 || self.words[a].gap != Gap::Space || self.words[a - 1].shape != Shape::Lower {
            return None;
        }
        let folded = self.folded();
        let len = self.ends(
            &self.cues.place_prepositions,
            a - 1,
            mark::PLACE_PREPOSITION,
        );
        (len > 0).then(|| folded[a - len..a].join(" "))
    }

    /// The words of a typed candidate that are its name: a person's
    /// without a place or role after it ("Hale of Ohio",
    /// "Ilse Varga MP", "Tomas Varga, Chairman"), an organisation's
    /// without a role before it ("President of the X Foundation") or words
    /// after its head that are not part of it ("X Airlines Flight").
    fn bounds(
        &self,
        mut a: usize,
        mut b: usize,
        kind: Option<EntityType>,
        cue: &Cue,
    ) -> Option<(usize, usize)> {
        let folded = self.folded();
        let role_word = |k: usize| {
            self.word_in(&self.cues.titles, k, mark::TITLE)
                || self.word_in(&self.cues.roles, k, mark::ROLE)
        };
        match kind {
            Some(EntityType::Person) => {
                let title = matches!(cue, Cue::Title(_));
                // Titles first ("Deputy Prime Minister and ...").
                while let Some(len) = (a..=b)
                    .map(|e| self.ends(&self.cues.titles, e, mark::TITLE))
                    .enumerate()
                    .find(|&(i, len)| len > 0 && len == i + 1)
                    .map(|(_, len)| len)
                {
                    a += len;
                    if a > b {
                        return None;
                    }
                }
                if let Some(k) = (a + 1..=b).find(|&k| {
                    self.particle(k)
                        && (matches!(folded[k], "in" | "for" | "on" | "and" | "the")
                            || (title && folded[k] == "of"))
                }) {
                    b = k - 1;
                }
                if let Some(k) = (a + 2..=b).find(|&k| role_word(k)) {
                    b = k - 1;
                }
                let mixed = (a..=b).any(|k| self.words[k].shape == Shape::Capitalised);
                // "Ilse Varga MP", "Anna K." cut short; not a regnal
                // number ("Alexander I", "Nicholas II").
                let regnal = |k: usize| {
                    folded[k].chars().all(|c| "ivx".contains(c))
                        && self.words.get(k + 1).is_none_or(|n| n.gap != Gap::Dot)
                };
                let mut cut_short = false;
                while b > a
                    && !regnal(b)
                    && ((mixed && self.words[b].shape == Shape::Capitals)
                        || self.words[b].shape == Shape::Initial)
                {
                    cut_short |= self.words[b].shape == Shape::Initial;
                    b -= 1;
                }
                let single_common = a == b
                    && (self.lower.contains(folded[a]) || (cut_short && self.has(a, mark::GIVEN)));
                if (a..=b).all(role_word) || single_common {
                    return None;
                }
            }
            Some(EntityType::Organisation | EntityType::State) => {
                let mut from = a;
                while from < b
                    && (role_word(from)
                        || folded[from].ends_with("based")
                        || (self.particle(from) && matches!(folded[from], "of" | "the")))
                {
                    from += 1;
                }
                if from > a {
                    // "President of the X Foundation" is X Foundation;
                    // "General Assembly" stays whole.
                    let of = self.particle(from - 1);
                    if b > from {
                        a = from;
                    } else if of {
                        return None;
                    }
                }
                if let Some(last) = (a..=b).rev().find(|&k| {
                    self.ends(&self.cues.organisation_heads, k, mark::ORGANISATION_HEAD) > 0
                }) && last < b
                    && (last + 1..=b).all(|k| !self.particle(k) && !self.is_head(k))
                    && kind == Some(EntityType::Organisation)
                {
                    b = last;
                }
                if a == b && !matches!(cue, Cue::Noun(_) | Cue::Key(_)) {
                    return None;
                }
            }
            _ => {}
        }
        Some((a, b))
    }

    /// Adds the candidate of words `a..=b`, with a name suffix after it
    /// (", Jr.") taken in.
    fn push(
        &self,
        a: usize,
        b: usize,
        kind: Option<EntityType>,
        cue: Cue,
        out: &mut Vec<Candidate>,
    ) {
        let Some((a, b)) = self.bounds(a, b, kind, &cue) else {
            return;
        };
        // Never a listed name itself, nor a part of one.
        if (a..=b).all(|k| self.listed[k].is_some()) {
            return;
        }
        let start = self.words[a].range.start;
        let mut end = self.words[b].range.end;
        if kind == Some(EntityType::Person)
            && let Some(next) = self.words.get(b + 1)
            && next.line == self.words[b].line
            && matches!(next.gap, Gap::Comma | Gap::Space)
            && next.shape.is_capital()
            && self.has(b + 1, mark::SUFFIX)
        {
            end = next.range.end;
            if self.text[end..].starts_with('.') {
                end += 1;
            }
        }
        let surface = &self.text[start..end];
        // White space made single spaces; most names have nothing else.
        let plain =
            !surface.contains("  ") && !surface.chars().any(|c| c.is_whitespace() && c != ' ');
        let name = if plain {
            surface.to_string()
        } else {
            surface.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        out.push(Candidate {
            range: start..end,
            key: key(&name, Case::Fold),
            name,
            kind,
            cue,
            abbreviates: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relations::rules::RuleSet;
    use EntityType::{Organisation, Person, Place, State};

    fn shipped_cues() -> Cues {
        let mut rules = RuleSet::default();
        rules
            .extend(
                include_str!("../../gazetteers/relations/names.rules"),
                "names.rules",
            )
            .expect("the shipped cue file parses");
        Cues::from_rules(&rules)
    }

    /// The typed candidates of `text`, whose listed names are `listed`
    /// (each surface wherever it is in the text).
    fn typed(text: &str, listed: &[(&str, EntityType)]) -> Vec<(String, EntityType)> {
        let mut spans: Vec<(Range<usize>, EntityType)> = listed
            .iter()
            .flat_map(|(surface, kind)| {
                text.match_indices(surface)
                    .map(move |(start, _)| (start..start + surface.len(), *kind))
            })
            .collect();
        spans.sort_by_key(|(r, _)| r.start);
        candidates(text, &spans, &shipped_cues())
            .into_iter()
            .filter_map(|c| c.kind.map(|k| (c.name, k)))
            .collect()
    }

    #[test]
    fn names_and_their_types_from_the_cues_around_them() {
        #[allow(clippy::type_complexity)]
        let cases: &[(&str, &[(&str, EntityType)], &[(&str, EntityType)])] = &[
            // A title before a name.
            (
                "The envoy met Mr. Tomas Varga on Monday.",
                &[],
                &[("Tomas Varga", Person)],
            ),
            // Titles after a demonym, and a name after an initial.
            (
                "It was signed by Dutch Prime Minister Rika Veldhuis and by Karl B. Ostrander.",
                &[],
                &[("Rika Veldhuis", Person), ("Karl B. Ostrander", Person)],
            ),
            // A role after the name.
            (
                "Ilona Brest, chairman of the board, spoke first.",
                &[],
                &[("Ilona Brest", Person)],
            ),
            // Signatory entries, one a line, a title and letters after one.
            (
                "We ask for their release.\n\nMarta Kovacz\nPetar Lindqvist, treasurer\nDavid Orrin MP\n",
                &[],
                &[
                    ("Marta Kovacz", Person),
                    ("Petar Lindqvist", Person),
                    ("David Orrin", Person),
                ],
            ),
            // Organisation and state heads.
            (
                "Delegates of the Baltic Rivers Alliance met envoys of the Republic of Vardania.",
                &[],
                &[
                    ("Baltic Rivers Alliance", Organisation),
                    ("Republic of Vardania", State),
                ],
            ),
            // A place after "in", a place by its head word; not an
            // adjective before a noun.
            (
                "She lives in Tarvik, on Linden Avenue, far from Russian troops.",
                &[],
                &[("Tarvik", Place), ("Linden Avenue", Place)],
            ),
            // A body named after a listed place is one name; the listed name
            // alone is none.
            (
                "The Association of Farmers in Oldmark wrote to Oldmark.",
                &[("Oldmark", Place)],
                &[("Association of Farmers in Oldmark", Organisation)],
            ),
            // A role before a body's name is not part of it.
            (
                "She is President of the Coastal Fishers Union.",
                &[],
                &[("Coastal Fishers Union", Organisation)],
            ),
            // "and the" joins two names.
            (
                "Both the Harbour Board and the River Council agreed.",
                &[],
                &[
                    ("Harbour Board", Organisation),
                    ("River Council", Organisation),
                ],
            ),
            // A list with a listed person is a list of persons.
            (
                "Jan Novak, Erik Solvang and Lise Dahlby signed it.",
                &[("Jan Novak", Person)],
                &[("Erik Solvang", Person), ("Lise Dahlby", Person)],
            ),
            // The value of a key row, and a name after a noun that says
            // what it is.
            (
                "- Predecessor: Orin Valdez\nThe news agency Nordpress reported it.",
                &[],
                &[("Orin Valdez", Person), ("Nordpress", Organisation)],
            ),
            // A name after a person, in brackets, is where the person is.
            (
                "Contact: Anna Lisowska (Gdynia) or the office.",
                &[],
                &[("Anna Lisowska", Person), ("Gdynia", Place)],
            ),
            // A heading in capitals and a sentence's first common word are
            // no names.
            ("ANNUAL REPORT\nSupport grew. We support them.", &[], &[]),
        ];
        for (text, listed, want) in cases {
            let want: Vec<(String, EntityType)> =
                want.iter().map(|(n, k)| (n.to_string(), *k)).collect();
            assert_eq!(typed(text, listed), want, "in {text:?}");
        }
    }

    #[test]
    fn an_abbreviation_in_brackets_points_at_its_name() {
        let text = "The Northern Water Council (NWC) met. The NWC agreed.";
        let found = candidates(text, &[], &shipped_cues());
        let long = found
            .iter()
            .position(|c| c.name == "Northern Water Council")
            .expect("the long name");
        let short: Vec<&Candidate> = found.iter().filter(|c| c.name == "NWC").collect();
        assert_eq!(short.len(), 2);
        assert_eq!(short[0].abbreviates, Some(long));
        assert_eq!(short[1].abbreviates, None);
    }

    #[test]
    fn any_text_is_read_without_panic() {
        let cues = shipped_cues();
        for text in [
            "",
            "A",
            "Mr.",
            "(",
            "A. B. C.",
            "É é É",
            "Dr\n\n\nX",
            "of the and",
            "a'b's c-",
        ] {
            candidates(text, &[], &cues);
        }
    }
}
