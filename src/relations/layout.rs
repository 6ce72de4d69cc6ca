//! One document as the rules see it: tokens with the word lists they belong
//! to, the names on them ("slots"), sentences, paragraphs and lines, and the
//! searches every form shares (the nearest fitting name before a trigger,
//! the names after it with their coordinated companions).

use super::compiled::{Compiled, Flag, NONE, Output};
use super::sentence;
use crate::mention::Mention;
use crate::model::EntityType;
use crate::normalize::token_hash;
use crate::normalize::{self, Case};
use std::ops::Range;

/// A token of the document.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub start: u32,
    pub end: u32,
    /// The rules' vocabulary id of the folded word, or [`NONE`].
    pub word: u32,
    /// The lists this token is part of ([`Flag`] bits).
    pub flags: u32,
    /// The punctuation character (folded), or 0 for a word.
    pub punct: u8,
    /// Whether the word starts with a capital letter.
    pub upper: bool,
}

/// A name in the text: one mention, its candidate entities, or a name the
/// rules derived ("Ukraine's parliament").
#[derive(Clone, Debug)]
pub(crate) struct Slot {
    pub tokens: Range<usize>,
    pub bytes: Range<u32>,
    /// Where the gazetteer indices of its candidates (one unless
    /// ambiguous) are in [`Layout::candidates`].
    pub candidates: Range<u32>,
}

/// A trigger of a rule found in the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Trigger {
    pub tokens: (usize, usize),
    pub rule: u16,
}

/// Every token of a document, as the rules see them: gathered while the
/// matcher tokenises the text (one pass for both), or by [`Tokens::of`].
#[derive(Default)]
pub struct Tokens(Vec<Tok>);

impl Tokens {
    /// An empty list with room for the tokens of `text`.
    pub fn for_text(text: &str) -> Tokens {
        Tokens(Vec::with_capacity(text.len() / 5))
    }

    /// Tokenises `text` on its own.
    pub fn of(text: &str, rules: &Compiled) -> Tokens {
        let mut tokens = Tokens::for_text(text);
        normalize::tokenize(text, Case::Fold, |range, folded| {
            tokens.push(rules, text, range, folded, token_hash(folded))
        });
        tokens
    }

    /// Adds the token at `range` of `text`, `folded` as
    /// [`crate::normalize::tokenize`] gives it, whose
    /// [`token_hash`] is `hash`.
    #[inline]
    pub fn push(
        &mut self,
        rules: &Compiled,
        text: &str,
        range: Range<usize>,
        folded: &str,
        hash: u64,
    ) {
        let byte = text.as_bytes()[range.start];
        let (word_like, upper) = if byte.is_ascii() {
            (byte.is_ascii_alphanumeric(), byte.is_ascii_uppercase())
        } else {
            let first = text[range.start..].chars().next().unwrap_or(' ');
            (first.is_alphanumeric(), first.is_uppercase())
        };
        let punct = if word_like {
            0
        } else {
            folded
                .as_bytes()
                .first()
                .copied()
                .filter(u8::is_ascii)
                .unwrap_or(b'?')
        };
        self.0.push(Tok {
            start: range.start as u32,
            end: range.end as u32,
            word: rules.word(folded, hash),
            flags: 0,
            punct,
            upper,
        });
    }
}

/// A line of the text: its bytes (line break included) and whether it is
/// blank (white space only).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TextLine {
    pub bytes: Range<u32>,
    pub blank: bool,
}

/// The lines of `text`: one pass for the paragraphs, the signatory blocks
/// and the dates, which all read the text line by line.
pub(crate) fn lines_of(text: &str) -> Vec<TextLine> {
    let mut lines = Vec::with_capacity(text.len() / 64);
    let mut start = 0usize;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        lines.push(TextLine {
            bytes: start as u32..end as u32,
            blank: line.trim().is_empty(),
        });
        start = end;
    }
    lines
}

/// A sentence with its token range.
#[derive(Clone, Debug)]
pub(crate) struct SentenceSpan {
    pub bytes: Range<u32>,
    pub tokens: Range<usize>,
    pub paragraph: usize,
}

/// The document view.
pub(crate) struct Layout<'a> {
    pub text: &'a str,
    pub rules: &'a Compiled,
    pub tokens: Vec<Tok>,
    pub slots: Vec<Slot>,
    /// The candidates of every slot, one after the other.
    pub candidates: Vec<u32>,
    /// Per token: the slot covering it, or [`NONE`].
    pub slot_at: Vec<u32>,
    /// Per token: the state a capitalised adjective names ("Russian"), or
    /// [`NONE`].
    pub demonym_at: Vec<u32>,
    pub triggers: Vec<Trigger>,
    pub sentences: Vec<SentenceSpan>,
    /// Per token: its sentence.
    pub sentence_of: Vec<u32>,
    /// The lines of the text.
    pub lines: Vec<TextLine>,
}

impl<'a> Layout<'a> {
    /// Builds the view of `text` with its `mentions` and its `tokens`
    /// (every token of `text`, as [`Tokens::push`] gathered them).
    pub fn new(
        text: &'a str,
        mentions: &[Mention],
        rules: &'a Compiled,
        tokens: Tokens,
    ) -> Layout<'a> {
        let tokens = tokens.0;
        let mut layout = Layout {
            text,
            rules,
            slot_at: vec![NONE; tokens.len()],
            demonym_at: vec![NONE; tokens.len()],
            tokens,
            slots: Vec::new(),
            candidates: Vec::with_capacity(mentions.len()),
            triggers: Vec::new(),
            sentences: Vec::new(),
            sentence_of: Vec::new(),
            lines: Vec::new(),
        };
        layout.place_slots(mentions);
        layout.scan_words(0..layout.tokens.len());
        layout.derive_slots();
        let lines = lines_of(text);
        layout.place_sentences(&lines);
        layout.lines = lines;
        layout
    }

    /// Groups the mentions by span (an ambiguous name is one slot with
    /// several candidates) and places them on the tokens.
    fn place_slots(&mut self, mentions: &[Mention]) {
        let mut t = 0;
        let mut i = 0;
        while i < mentions.len() {
            let (start, end) = (mentions[i].start, mentions[i].end);
            let from = self.candidates.len() as u32;
            while i < mentions.len() && mentions[i].start == start && mentions[i].end == end {
                self.candidates.push(mentions[i].entity);
                i += 1;
            }
            let candidates = from..self.candidates.len() as u32;
            while t < self.tokens.len() && self.tokens[t].start < start {
                t += 1;
            }
            let first = t;
            while t < self.tokens.len() && self.tokens[t].end <= end {
                t += 1;
            }
            if first == t {
                continue;
            }
            self.push_slot(first..t, candidates);
        }
    }

    fn push_slot(&mut self, tokens: Range<usize>, candidates: Range<u32>) {
        let id = self.slots.len() as u32;
        for t in tokens.clone() {
            self.slot_at[t] = id;
        }
        self.slots.push(Slot {
            bytes: self.tokens[tokens.start].start..self.tokens[tokens.end - 1].end,
            tokens,
            candidates,
        });
    }

    /// Marks list words and finds triggers in `range` (words inside names
    /// are not triggers: "occupation regime" is a name, not an occupation).
    pub fn scan_words(&mut self, range: Range<usize>) {
        self.triggers
            .retain(|t| t.tokens.0 < range.start || t.tokens.0 >= range.end);
        let mut found = Vec::new();
        for i in range.clone() {
            let word = self.tokens[i].word;
            if word == NONE {
                continue;
            }
            self.tokens[i].flags |= self.rules.word_flags(word);
            let tokens = &self.tokens;
            self.rules.phrases_at(
                |t| tokens[t].word,
                i,
                range.end,
                |end, output| found.push((i, end, output)),
            );
        }
        for (start, end, output) in found {
            match output {
                Output::Flag(flag) => {
                    for t in start..end {
                        self.tokens[t].flags |= flag as u32;
                    }
                }
                Output::Trigger(rule) => {
                    if (start..end).all(|t| self.slot_at[t] == NONE) {
                        self.triggers.push(Trigger {
                            tokens: (start, end),
                            rule,
                        });
                    }
                }
                Output::Demonym(state) => {
                    if end == start + 1 && self.tokens[start].upper && self.slot_at[start] == NONE {
                        self.demonym_at[start] = state;
                    }
                }
            }
        }
        self.triggers.sort_by_key(|t| (t.tokens.0, t.rule));
    }

    /// Names the rules derive from the gazetteer's own data:
    /// "Ukraine's parliament" and "the Ukrainian parliament" are the
    /// organisation named "Parliament of Ukraine"; "the Chechen state" is
    /// the state whose adjective is "Chechen".
    fn derive_slots(&mut self) {
        let mut derived: Vec<(Range<usize>, u32)> = Vec::new();
        for t in 0..self.tokens.len() {
            // STATE 's INSTITUTION
            let slot = self.slot_at[t];
            if slot != NONE && self.slots[slot as usize].tokens.end == t + 1 {
                let s = &self.slots[slot as usize];
                // The cheap test first: most names are not followed by 's.
                if let Some(after) = self.possessive_end(t + 1)
                    && let Some(state) = self.pick(s, TypesOf::State)
                    && let Some((end, org)) = self.institution_at(after, state)
                {
                    derived.push((s.tokens.start..end, org));
                }
            }
            // DEMONYM INSTITUTION | DEMONYM state
            let state = self.demonym_at[t];
            if state != NONE {
                if let Some((end, org)) = self.institution_at(t + 1, state) {
                    derived.push((t..end, org));
                } else if self.tokens.get(t + 1).is_some_and(|n| {
                    n.flags & Flag::StateWord as u32 != 0 && self.slot_at[t + 1] == NONE
                }) {
                    derived.push((t..t + 2, state));
                }
            }
        }
        for (range, entity) in derived {
            if range.clone().skip(1).any(|t| self.slot_at[t] != NONE) {
                continue;
            }
            // The derived name replaces the state's own slot.
            if self.slot_at[range.start] != NONE {
                let old = self.slot_at[range.start] as usize;
                for t in self.slots[old].tokens.clone() {
                    self.slot_at[t] = NONE;
                }
                self.slots[old].candidates = 0..0;
            }
            self.demonym_at[range.start] = NONE;
            let at = self.candidates.len() as u32;
            self.candidates.push(entity);
            self.push_slot(range, at..at + 1);
        }
    }

    /// Whether the text at `bytes` holds a word of the `present-words`
    /// list ("to date", "now").
    pub fn speaks_of_the_present(&self, bytes: Range<u32>) -> bool {
        let first = self.tokens.partition_point(|t| t.start < bytes.start);
        self.tokens[first..]
            .iter()
            .take_while(|t| t.start < bytes.end)
            .any(|t| t.flags & Flag::Present as u32 != 0)
    }

    /// After `'s` at `t`, the index past it.
    pub fn possessive_end(&self, t: usize) -> Option<usize> {
        let apostrophe = self.tokens.get(t)?;
        if apostrophe.punct != b'\'' {
            return None;
        }
        match self.tokens.get(t + 1) {
            Some(s) if s.word == self.rules.s_word && s.start == apostrophe.end => Some(t + 2),
            _ => Some(t + 1),
        }
    }

    fn institution_at(&self, t: usize, state: u32) -> Option<(usize, u32)> {
        let tok = self.tokens.get(t)?;
        if tok.flags & Flag::Institution as u32 == 0 || self.slot_at[t] != NONE {
            return None;
        }
        // The longest institution phrase starting here.
        let mut end = t;
        while end < self.tokens.len() && self.tokens[end].flags & Flag::Institution as u32 != 0 {
            end += 1;
        }
        let words: Vec<u32> = self.tokens[t..end].iter().map(|t| t.word).collect();
        self.rules.institution(&words, state).map(|org| (end, org))
    }

    /// Splits into sentences the paragraphs the rules will read: those with
    /// a trigger, a name followed by "of" (the `person-of` form) or by an
    /// apposition ending in a list header (the `listed` form), and the
    /// two before a paragraph with a group word ("the leaders", whose names
    /// are found there). Other paragraphs are left alone (most of a long
    /// text, often).
    fn place_sentences(&mut self, lines: &[TextLine]) {
        self.sentence_of = vec![NONE; self.tokens.len()];
        let text = self.text;
        let mut wanted: Vec<u32> = self
            .triggers
            .iter()
            .map(|t| self.tokens[t.tokens.0].start)
            .collect();
        for slot in &self.slots {
            let next = self.tokens.get(slot.tokens.end);
            if next.is_some_and(|t| t.word == self.rules.of_word)
                || (next.is_some_and(|t| t.punct == b',')
                    && self.list_header(slot.tokens.end + 1).is_some())
            {
                wanted.push(slot.bytes.start);
            }
        }
        wanted.sort_unstable();
        // Group words a trigger follows closely enough to have them as
        // subject ("they strongly condemned"); the others need no names.
        const GROUP_REACH: usize = 12;
        let mut groups: Vec<u32> = Vec::new();
        for (i, t) in self.tokens.iter().enumerate() {
            if t.flags & Flag::Reference as u32 == 0
                || !self.rules.references(t.word).iter().any(|r| r.group)
            {
                continue;
            }
            let next = self.triggers.partition_point(|g| g.tokens.0 <= i);
            if self
                .triggers
                .get(next)
                .is_some_and(|g| g.tokens.0 - i <= GROUP_REACH)
            {
                groups.push(t.start);
            }
        }
        // The paragraphs, as byte ranges.
        let mut paragraphs: Vec<Range<usize>> = Vec::new();
        let mut start = 0usize;
        let mut blank_before = true;
        // A blank line after the last one closes the last paragraph.
        let end_of_text = TextLine {
            bytes: text.len() as u32..text.len() as u32,
            blank: true,
        };
        for line in lines.iter().chain(std::iter::once(&end_of_text)) {
            let offset = line.bytes.start as usize;
            if line.blank && !blank_before {
                paragraphs.push(start..offset);
            }
            if !line.blank && blank_before {
                start = offset;
            }
            blank_before = line.blank;
        }
        let holds = |points: &[u32], range: &Range<usize>| {
            let first = points.partition_point(|&w| (w as usize) < range.start);
            points.get(first).is_some_and(|&w| (w as usize) < range.end)
        };
        let mut split: Vec<bool> = paragraphs.iter().map(|r| holds(&wanted, r)).collect();
        if !groups.is_empty() {
            for i in 0..paragraphs.len() {
                if split[i] && holds(&groups, &paragraphs[i]) {
                    for earlier in split[i.saturating_sub(2)..i].iter_mut() {
                        *earlier = true;
                    }
                }
            }
        }
        let mut t = 0;
        for (paragraph, range) in paragraphs.into_iter().enumerate() {
            if !split[paragraph] {
                continue;
            }
            for sentence in sentence::sentences(&text[range.clone()]) {
                let span = sentence.span.start + range.start..sentence.span.end + range.start;
                while t < self.tokens.len() && (self.tokens[t].start as usize) < span.start {
                    t += 1;
                }
                let first = t;
                while t < self.tokens.len() && (self.tokens[t].end as usize) <= span.end {
                    self.sentence_of[t] = self.sentences.len() as u32;
                    t += 1;
                }
                self.sentences.push(SentenceSpan {
                    bytes: span.start as u32..span.end as u32,
                    tokens: first..t,
                    paragraph,
                });
            }
        }
    }

    /// The candidate of `slot` that fits `types`, when exactly one does.
    pub fn pick(&self, slot: &Slot, types: impl Into<TypesOf>) -> Option<u32> {
        let types = types.into();
        let mut fitting = self.candidates
            [slot.candidates.start as usize..slot.candidates.end as usize]
            .iter()
            .filter(|&&e| types.fits(self.rules.entity_type(e)));
        let first = fitting.next()?;
        fitting.next().is_none().then_some(*first)
    }

    /// Where a list starts after a short header at token `t` (the
    /// `listed` form): one to six plain lower-case words (no name, no other
    /// punctuation) ending in a spaced dash or a colon.
    pub fn list_header(&self, t: usize) -> Option<usize> {
        /// Words a header holds at most.
        const WORDS: usize = 6;
        let mut u = t;
        while u < self.tokens.len() && u <= t + WORDS {
            let tok = self.tokens[u];
            let spaced_dash = tok.punct == b'-' && u > 0 && self.tokens[u - 1].end < tok.start;
            if tok.punct == b':' || spaced_dash {
                return (u > t).then_some(u + 1);
            }
            if tok.punct != 0 || tok.upper || self.slot_at[u] != NONE {
                return None;
            }
            u += 1;
        }
        None
    }

    /// The sentence of token `t` as a token range.
    pub fn sentence_tokens(&self, t: usize) -> Range<usize> {
        match self.sentence_of.get(t) {
            Some(&s) if s != NONE => self.sentences[s as usize].tokens.clone(),
            // Outside the text (a search that ran to its end): empty.
            _ => t.min(self.tokens.len())..(t + 1).min(self.tokens.len()),
        }
    }

    /// The byte span of the sentence of token `t`.
    pub fn sentence_bytes(&self, t: usize) -> Range<u32> {
        match self.sentence_of.get(t) {
            Some(&s) if s != NONE => self.sentences[s as usize].bytes.clone(),
            _ => self.tokens[t].start..self.tokens[t].end,
        }
    }

    /// Whether the token is a word of the list `flag`.
    pub fn is(&self, t: usize, flag: Flag) -> bool {
        self.tokens
            .get(t)
            .is_some_and(|tok| tok.flags & flag as u32 != 0)
    }

    /// Whether a name starting at token `t` follows a preposition
    /// (determiners skipped): "fought by Ukraine" — not a subject.
    pub fn prepositional(&self, mut t: usize) -> bool {
        while t > 0 {
            t -= 1;
            let tok = &self.tokens[t];
            if tok.punct == b'"' || (tok.flags & Flag::Determiner as u32 != 0 && tok.punct == 0) {
                continue;
            }
            return tok.flags & Flag::Preposition as u32 != 0 && self.slot_at[t] == NONE;
        }
        false
    }

    /// Whether token `t` ends the window (clause breaks for `clause`).
    pub fn breaks_clause(&self, t: usize) -> bool {
        let tok = &self.tokens[t];
        matches!(tok.punct, b';' | b':' | b'(' | b')' | b'[' | b']')
            || (tok.flags & Flag::ClauseBreak as u32 != 0 && self.slot_at[t] == NONE)
    }
}

/// Entity types a search accepts.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TypesOf {
    /// One of a rule's sets.
    Set(super::rules::Types),
    /// States only.
    State,
}

impl TypesOf {
    fn fits(self, kind: EntityType) -> bool {
        match self {
            TypesOf::Set(types) => types.has(kind),
            TypesOf::State => kind == EntityType::State,
        }
    }
}

impl From<super::rules::Types> for TypesOf {
    fn from(types: super::rules::Types) -> TypesOf {
        TypesOf::Set(types)
    }
}
