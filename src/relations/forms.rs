//! The forms a rule can take in running text: where its subject and object
//! stand around the trigger. Each function reads one trigger and adds what
//! it finds to the context's hits; none of them looks at the text again,
//! only at the tokens and names of the [`Layout`].

use super::compiled::{Compiled, Flag, NONE};
use super::layout::{Layout, Slot};
use super::rules::{Form, Target, Types, Window};
use std::ops::Range;

/// Something that names an entity at a place of the text: a name, "we",
/// "the resolution".
#[derive(Clone, Debug)]
pub(crate) struct Named {
    pub entity: u32,
    pub span: Range<u32>,
    /// How much the way it was found lowers confidence (1 for a name).
    pub certainty: f32,
}

/// One relation found, before dates and deduplication.
#[derive(Clone, Debug)]
pub(crate) struct Hit {
    pub rule: u16,
    pub kind: u16,
    pub subject: Named,
    pub object: Option<Named>,
    /// The evidence span: the sentence, or a signatory's entry.
    pub evidence: Range<u32>,
    pub confidence: f32,
}

/// What the forms share while reading one document.
pub(crate) struct Context<'a> {
    pub layout: Layout<'a>,
    /// The document's author ("Appeal by X"), whom "we" refers to.
    pub author: Option<Named>,
    pub hits: Vec<Hit>,
    /// The bodies a resolution's preamble may open with, found once per
    /// document: each with the byte its line ends at
    /// ([`Context::adopting_body`]).
    pub adopting_bodies: std::cell::OnceCell<Vec<(u32, Named)>>,
}

/// What stands after a role.
enum After {
    /// The person it describes.
    Person(Named),
    /// Another name: the role describes nobody after it.
    Other,
    Nothing,
}

/// What a search before a trigger found.
enum Before {
    Found(Named),
    /// A plural reference ("the leaders") standing for several names.
    Group(Vec<Named>),
    /// A hedge or negation stands between: the trigger states no fact.
    Hedged,
    Nothing,
    /// Not a name after all: the search goes on.
    Skip,
}

/// How many tokens a search walks back at most.
const LOOK_BACK: usize = 40;

impl<'a> Context<'a> {
    fn named(&self, slot: &Slot, entity: u32) -> Named {
        Named {
            entity,
            span: slot.bytes.clone(),
            certainty: 1.0,
        }
    }

    fn slot(&self, t: usize) -> Option<&Slot> {
        match self.layout.slot_at.get(t) {
            Some(&s) if s != NONE => Some(&self.layout.slots[s as usize]),
            _ => None,
        }
    }

    /// The token range a rule may look in around token `t`.
    fn window(&self, t: usize, window: Window) -> Range<usize> {
        let sentence = self.layout.sentence_tokens(t);
        if window == Window::Sentence {
            return sentence;
        }
        let mut start = t;
        while start > sentence.start && !self.layout.breaks_clause(start - 1) {
            start -= 1;
        }
        let mut end = t;
        while end < sentence.end && !self.layout.breaks_clause(end) {
            end += 1;
        }
        start..end
    }

    fn push(&mut self, rule: u16, kind: u16, subject: Named, object: Option<Named>, at: usize) {
        let evidence = self.layout.sentence_bytes(at);
        self.push_at(rule, kind, subject, object, evidence);
    }

    /// Records a relation of rule `rule` evidenced by the bytes `evidence`.
    pub fn push_at(
        &mut self,
        rule: u16,
        kind: u16,
        subject: Named,
        object: Option<Named>,
        evidence: Range<u32>,
    ) {
        if object.as_ref().is_some_and(|o| o.entity == subject.entity) {
            return;
        }
        let certainty = subject.certainty * object.as_ref().map_or(1.0, |o| o.certainty);
        let confidence = self.layout.rules.rules[rule as usize].rule.confidence * certainty;
        // The evidence always holds both names (a signature's name is on
        // the line after its title).
        let mut evidence = evidence;
        for span in std::iter::once(&subject.span).chain(object.as_ref().map(|o| &o.span)) {
            evidence.start = evidence.start.min(span.start);
            evidence.end = evidence.end.max(span.end);
        }
        self.hits.push(Hit {
            rule,
            kind,
            evidence,
            subject,
            object,
            confidence,
        });
    }

    fn compiled(&self) -> &'a Compiled {
        self.layout.rules
    }

    /// The nearest name before token `from` that fits `types` and is not
    /// the object of a preposition, reading "we", relative pronouns and
    /// reference nouns on the way; a hedge or negation on the way means
    /// the trigger states no fact.
    fn find_before(&self, from: usize, start: usize, types: Types) -> Before {
        let layout = &self.layout;
        let mut t = from;
        let mut steps = 0;
        while t > start && steps < LOOK_BACK {
            t -= 1;
            steps += 1;
            if let Some(slot) = self.slot(t) {
                t = slot.tokens.start.max(start);
                // "Ukraine's territorial integrity and condemn ...": a
                // possessor is not the subject of what follows.
                // ("Russia's recognised", "has", and a stray "X's," are
                // not possessives.)
                if slot.tokens.end < from
                    && let Some(end) = layout.possessive_end(slot.tokens.end)
                    && end < from
                    && layout.tokens[end].punct == 0
                    && !layout.prepositional(slot.tokens.start)
                    && !self.decision_to(end, from)
                {
                    return Before::Nothing;
                }
                if let Some(entity) = layout.pick(slot, types) {
                    let before_as = self.next_word(slot.tokens.end) == Some(layout.rules.as_word);
                    if before_as || !layout.prepositional(slot.tokens.start) {
                        return Before::Found(self.named(slot, entity));
                    }
                }
                continue;
            }
            let tok = layout.tokens[t];
            if tok.punct != 0 {
                continue;
            }
            if layout.is(t, Flag::Hedge) || layout.is(t, Flag::Negation) {
                return Before::Hedged;
            }
            if layout.is(t, Flag::We) {
                return match &self.author {
                    Some(author) if types.has(layout.rules.entity_type(author.entity)) => {
                        Before::Found(Named {
                            entity: author.entity,
                            span: tok.start..tok.end,
                            certainty: 0.9,
                        })
                    }
                    _ => Before::Nothing,
                };
            }
            if layout.is(t, Flag::Relative) {
                let mut p = t;
                while p > start && layout.tokens[p - 1].punct == b',' {
                    p -= 1;
                }
                if p > start
                    && let Some(slot) = self.slot(p - 1)
                    && slot.tokens.end == p
                    && let Some(entity) = layout.pick(slot, types)
                {
                    return Before::Found(self.named(slot, entity));
                }
                continue;
            }
            if layout.is(t, Flag::Reference) {
                match self.resolve_reference(t, types) {
                    Before::Skip => continue,
                    found => return found,
                }
            }
        }
        Before::Nothing
    }

    /// "X's decision to recognise": between a possessive's end `from` and
    /// the trigger at `to`, at most two plain words, "to", and at most one
    /// more ("to formally recognise"); the possessor is then the subject.
    fn decision_to(&self, from: usize, to: usize) -> bool {
        let layout = &self.layout;
        let Some(at) = (from..to).find(|&t| layout.tokens[t].word == layout.rules.to_word) else {
            return false;
        };
        let plain = |t: usize| {
            let tok = layout.tokens[t];
            tok.punct == 0 && tok.flags & !(Flag::Preposition as u32) == 0 && self.slot(t).is_none()
        };
        at - from <= 2 && to - at <= 2 && (from..at).all(plain) && (at + 1..to).all(plain)
    }

    /// The word token after `t`, quotes skipped.
    fn next_word(&self, mut t: usize) -> Option<u32> {
        while let Some(tok) = self.layout.tokens.get(t) {
            if tok.punct == b'"' {
                t += 1;
                continue;
            }
            return (tok.punct == 0).then_some(tok.word);
        }
        None
    }

    /// "the resolution": the nearest earlier name of the paragraph that
    /// fits the reference noun's type and kind and the rule's `types`;
    /// "the leaders": the names of a group (see [`Context::group`]).
    fn resolve_reference(&self, t: usize, types: Types) -> Before {
        let layout = &self.layout;
        let references = layout.rules.references(layout.tokens[t].word);
        let sentence = layout.sentence_of[t];
        if sentence == NONE {
            return Before::Nothing;
        }
        if let Some(reference) = references.iter().find(|r| r.group) {
            // "the leaders of X" names them itself; "one of its leaders",
            // "the party's leaders" are someone else's.
            if self.next_word(t + 1) == Some(layout.rules.of_word) {
                return Before::Nothing;
            }
            if t > 0
                && (layout.is(t - 1, Flag::Possessive)
                    || layout.tokens[t - 1].word == layout.rules.its_word
                    || layout.tokens[t - 1].word == layout.rules.s_word)
            {
                return Before::Skip;
            }
            // "the leaders", "both leaders", "the two leaders"; not
            // "opposition leaders", another group.
            if !reference.nearest && !reference.one {
                let before = |u: usize| u > 0 && layout.tokens[u - 1].punct == 0;
                let determined = before(t) && layout.is(t - 1, Flag::Determiner);
                let counted = before(t)
                    && layout.is(t - 1, Flag::Count)
                    && (!before(t - 1)
                        || layout.is(t - 2, Flag::Determiner)
                        || layout.is(t - 2, Flag::Coordinator));
                if !determined && !counted {
                    return Before::Skip;
                }
            }
            let group = self.group(
                t,
                reference.types.and(types),
                reference.nearest,
                reference.one,
            );
            return if group.is_empty() {
                Before::Nothing
            } else {
                Before::Group(group)
            };
        }
        let paragraph = layout.sentences[sentence as usize].paragraph;
        let mut first = sentence as usize;
        while first > 0 && layout.sentences[first - 1].paragraph == paragraph {
            first -= 1;
        }
        let start = layout.sentences[first].tokens.start;
        let mut u = t;
        while u > start {
            u -= 1;
            let Some(slot) = self.slot(u) else { continue };
            u = slot.tokens.start.max(start);
            for reference in references {
                let Some(entity) = layout.pick(slot, reference.types) else {
                    continue;
                };
                if types.has(layout.rules.entity_type(entity))
                    && layout.rules.kind_fits(entity, &reference.kinds)
                {
                    let tok = layout.tokens[t];
                    return Before::Found(Named {
                        entity,
                        span: tok.start..tok.end,
                        certainty: 0.8,
                    });
                }
            }
        }
        Before::Nothing
    }

    /// The names of `types` that the group word at `t` stands for: every
    /// distinct one of the nearest sentence, before `t` in its own or in an
    /// earlier sentence of its paragraph or the two before, that names at
    /// least two. With `nearest`, the first sentence naming two or more
    /// things of any type decides. Each is marked by the group word.
    fn group(&self, t: usize, types: Types, mut nearest: bool, one: bool) -> Vec<Named> {
        let layout = &self.layout;
        let sentence = layout.sentence_of[t] as usize;
        let paragraph = layout.sentences[sentence].paragraph;
        let tok = layout.tokens[t];
        let mut s = sentence + 1;
        while s > 0 {
            s -= 1;
            let span = &layout.sentences[s];
            if span.paragraph + 2 < paragraph {
                break;
            }
            let mut names: Vec<Named> = Vec::new();
            let mut others = 0;
            let mut unsure = 0;
            let mut u = span.tokens.start;
            while u < span.tokens.end.min(t) {
                let Some(slot) = self.slot(u) else {
                    u += 1;
                    continue;
                };
                u = slot.tokens.end;
                match layout.pick(slot, types) {
                    Some(entity) if !names.iter().any(|n| n.entity == entity) => {
                        names.push(Named {
                            entity,
                            span: tok.start..tok.end,
                            certainty: 0.8,
                        });
                    }
                    Some(_) => {}
                    None => {
                        others += 1;
                        // A name that may be one of several people.
                        let candidates = &layout.candidates
                            [slot.candidates.start as usize..slot.candidates.end as usize];
                        if candidates
                            .iter()
                            .any(|&e| types.has(layout.rules.entity_type(e)))
                        {
                            unsure += 1;
                        }
                    }
                }
            }
            // "he": the one person of the nearest sentence naming any.
            if one && names.len() + unsure > 0 {
                return if names.len() == 1 && unsure == 0 {
                    names
                } else {
                    Vec::new()
                };
            }
            if names.len() >= 2 {
                return names;
            }
            // "The leaders discussed X and Y. They condemned ...": "they"
            // is the leaders, named further back.
            let leaders = (span.tokens.start..span.tokens.end.min(t)).any(|u| {
                layout.is(u, Flag::Reference)
                    && layout
                        .rules
                        .references(layout.tokens[u].word)
                        .iter()
                        .any(|r| r.group && !r.nearest && !r.one)
            });
            if leaders {
                nearest = false;
            }
            if nearest && names.len() + others >= 2 {
                break;
            }
        }
        Vec::new()
    }

    /// The first name after `from` that fits `types`, within `gap` words,
    /// with the names coordinated to it ("A, B and C").
    pub fn names_after(&self, from: usize, end: usize, types: Types, gap: usize) -> Vec<Named> {
        self.names_after_except(from, end, types, gap, &[])
    }

    /// [`Context::names_after`], passing over names right after one of the
    /// words `not_after` ("the attack on Ukraine": a victim, not the one
    /// condemned).
    fn names_after_except(
        &self,
        from: usize,
        end: usize,
        types: Types,
        gap: usize,
        not_after: &[u32],
    ) -> Vec<Named> {
        let layout = &self.layout;
        let mut found = Vec::new();
        let mut words = 0;
        let mut t = from;
        while t < end {
            if let Some(slot) = self.slot(t) {
                let excluded = !not_after.is_empty() && {
                    let mut b = slot.tokens.start;
                    while b > from && layout.is(b - 1, Flag::Determiner) {
                        b -= 1;
                    }
                    b > from && not_after.contains(&layout.tokens[b - 1].word)
                };
                if let Some(entity) = layout.pick(slot, types).filter(|_| !excluded) {
                    found.push(self.named(slot, entity));
                    t = slot.tokens.end;
                    break;
                }
                t = slot.tokens.end;
                words += 1;
                if words > gap {
                    return found;
                }
                continue;
            }
            let tok = layout.tokens[t];
            if tok.punct != 0 {
                if matches!(tok.punct, b'"' | b'\'' | b'-') {
                    t += 1;
                    continue;
                }
                return found;
            }
            if !layout.is(t, Flag::Determiner) {
                words += 1;
                if words > gap {
                    return found;
                }
            }
            t += 1;
        }
        if found.is_empty() {
            return found;
        }
        // Coordination.
        loop {
            let mut u = t;
            let mut joined = false;
            while u < end
                && self.slot(u).is_none()
                && (layout.tokens[u].punct == b',' || layout.is(u, Flag::Coordinator))
            {
                u += 1;
                joined = true;
            }
            let coordinated = (t..u).any(|v| layout.is(v, Flag::Coordinator));
            while u < end && self.slot(u).is_none() && layout.is(u, Flag::Determiner) {
                // "X, a Y": an apposition, not a list.
                let word = layout.tokens[u].word;
                if !coordinated && (word == layout.rules.a_word || word == layout.rules.an_word) {
                    return found;
                }
                u += 1;
            }
            if !joined || u >= end {
                break;
            }
            match self
                .slot(u)
                .and_then(|s| layout.pick(s, types).map(|e| (s, e)))
            {
                Some((slot, entity)) => {
                    let named = self.named(slot, entity);
                    t = slot.tokens.end;
                    found.push(named);
                }
                None => break,
            }
        }
        found
    }

    /// The names of a list after `from`: its first item within `gap` words
    /// (as [`Context::names_after`]), then every item separated by commas,
    /// semicolons or coordinators that names one of `types` within its
    /// first few words ("the factions of X"); parentheses are passed over,
    /// and items without a name ("historian") do not end the list.
    fn list_after(&self, from: usize, end: usize, types: Types, gap: usize) -> Vec<Named> {
        /// Words an item may have before its name.
        const ITEM_WORDS: usize = 4;
        let layout = &self.layout;
        let mut found = self.names_after(from, end, types, gap);
        if found.is_empty() {
            return found;
        }
        let mut t = self.end_of(&found);
        let mut words = 0;
        let mut depth = 0usize;
        let mut taken = false;
        while t < end {
            if let Some(slot) = self.slot(t) {
                if depth == 0
                    && !taken
                    && words <= ITEM_WORDS
                    && let Some(entity) = layout.pick(slot, types)
                    && found.iter().all(|f| f.entity != entity)
                {
                    found.push(self.named(slot, entity));
                    taken = true;
                }
                words += 1;
                t = slot.tokens.end;
                continue;
            }
            let tok = layout.tokens[t];
            match tok.punct {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b',' | b';' if depth == 0 => {
                    words = 0;
                    taken = false;
                }
                b'!' | b'?' | b':' if depth == 0 => break,
                0 if layout.is(t, Flag::Coordinator) => {
                    words = 0;
                    taken = false;
                }
                0 if !layout.is(t, Flag::Determiner) => words += 1,
                _ => {}
            }
            t += 1;
        }
        found
    }

    /// "…, including A, B and C": the names of `types` listed after one of
    /// the words of the `parts` list, which follows `from` after a comma
    /// within the clause (a few words on, no other punctuation but
    /// hyphens), as parts of what was named before it.
    fn parts_after(&self, from: usize, end: usize, types: Types) -> Vec<Named> {
        /// Words between what was named and the comma before the list.
        const WORDS: usize = 10;
        let layout = &self.layout;
        let mut t = from;
        let mut words = 0;
        while t < end {
            let tok = layout.tokens[t];
            if tok.punct == b',' && layout.is(t + 1, Flag::Part) {
                t += 1;
                break;
            }
            if layout.is(t, Flag::Part) && t == from {
                break;
            }
            if (tok.punct != 0 && tok.punct != b'-') || words == WORDS {
                return Vec::new();
            }
            words += 1;
            t += 1;
        }
        while t < end && layout.is(t, Flag::Part) {
            t += 1;
        }
        if t == from || t >= end {
            return Vec::new();
        }
        self.names_after(t, end, types, 1)
    }

    /// The end token of the last of `names`.
    fn end_of(&self, names: &[Named]) -> usize {
        let last = names.last().map_or(0, |n| n.span.end);
        self.layout.tokens.partition_point(|tok| tok.end <= last)
    }

    /// `SUBJECT … trigger … OBJECT`, and with `passive`,
    /// `OBJECT … trigger by SUBJECT`.
    pub fn verb(&mut self, index: u16, (ts, te): (usize, usize)) {
        let rule = &self.compiled().rules[index as usize];
        let window = self.window(ts, rule.rule.window);
        let r = &rule.rule;
        if r.passive {
            // "recognised by X", "recognised in 2003 by X": up to three
            // plain words between the participle and "by".
            let mut b = te;
            let mut words = 0;
            while let Some(tok) = self.layout.tokens.get(b) {
                if tok.punct == b'"' {
                    b += 1;
                    continue;
                }
                if tok.punct != 0
                    || tok.word == self.layout.rules.by_word
                    || tok.flags & !(Flag::Preposition as u32) != 0
                    || self.slot(b).is_some()
                    || words == 3
                {
                    break;
                }
                words += 1;
                b += 1;
            }
            if self
                .layout
                .tokens
                .get(b)
                .is_some_and(|t| t.word == self.layout.rules.by_word)
            {
                let mut subjects = self.names_after(b + 1, window.end, r.subject, 1);
                if subjects.is_empty() {
                    subjects = self.list_after_phrase(b + 1, window.end, r.subject);
                }
                if subjects.is_empty() && r.demonyms {
                    // "occupied by Russian forces".
                    subjects.extend(self.demonym_after(b + 1, window.end, r.subject, 0));
                }
                if subjects.is_empty() {
                    return;
                }
                let Target::Entity(types) = r.object else {
                    return;
                };
                // "any part of Ukraine occupied by": the name right before
                // the participle, even after a preposition.
                let adjacent = self.name_ending_at(ts, window.start, types).or_else(|| {
                    // "the Georgian regions occupied by": the adjective of
                    // the noun right before.
                    let layout = &self.layout;
                    (r.demonyms
                        && types.has(crate::model::EntityType::State)
                        && ts >= window.start + 2
                        && layout.demonym_at[ts - 2] != NONE
                        && layout.tokens[ts - 1].punct == 0
                        && layout.tokens[ts - 1].flags == 0
                        && self.slot(ts - 1).is_none())
                    .then(|| {
                        let tok = layout.tokens[ts - 2];
                        Named {
                            entity: layout.demonym_at[ts - 2],
                            span: tok.start..tok.end,
                            certainty: 1.0,
                        }
                    })
                });
                let object = match adjacent {
                    Some(object) => Some(object),
                    None => match self.find_before(ts, window.start, types) {
                        Before::Found(object) => Some(object),
                        _ => None,
                    },
                };
                if let Some(object) = object {
                    // "part of Ukraine occupied by X, including A and B".
                    let parts = self.parts_after(self.end_of(&subjects), window.end, types);
                    for object in std::iter::once(object).chain(parts) {
                        for subject in &subjects {
                            self.push(index, rule.kind, subject.clone(), Some(object.clone()), ts);
                        }
                    }
                }
                return;
            }
        }
        // "Taliban-led", "Kremlin-backed": a verb joined to the word before
        // by a hyphen is an adjective; only that word can be its subject.
        let hyphenated = ts >= 2
            && self.layout.tokens[ts - 1].punct == b'-'
            && self.layout.tokens[ts - 1].end == self.layout.tokens[ts].start
            && self.layout.tokens[ts - 2].end == self.layout.tokens[ts - 1].start;
        let subjects = match self.hyphenated_subject(ts, r.subject, r.demonyms) {
            Some(subject) => vec![subject],
            None if hyphenated => return,
            None => match self.find_before(ts, window.start, r.subject) {
                Before::Found(subject) => {
                    if self.asked_to(&subject, ts, window.start) {
                        return;
                    }
                    self.coordinated_subjects(subject, window.start, r.subject)
                }
                Before::Group(group) => {
                    if self.asked_to(&group[0], ts, window.start) {
                        return;
                    }
                    group
                }
                Before::Hedged => return,
                Before::Nothing | Before::Skip => {
                    match self.operative_clause(ts, window.start, r.subject) {
                        Some(author) => vec![author],
                        None => return,
                    }
                }
            },
        };
        match r.object {
            Target::Document => {
                let mut t = te;
                while self.layout.is(t, Flag::Determiner) {
                    t += 1;
                }
                if self.layout.is(t, Flag::DocumentWord) && self.slot(t).is_none() {
                    for subject in subjects {
                        self.push(index, rule.kind, subject, None, ts);
                    }
                }
            }
            Target::Entity(types) => {
                // "recognizing that the operations of X ...": a clause
                // follows, not an object.
                let layout = &self.layout;
                if layout
                    .tokens
                    .get(te)
                    .is_some_and(|t| t.word == layout.rules.that_word)
                    && (layout.is(te + 1, Flag::Determiner)
                        || self.slot(te + 1).is_some()
                        || layout.demonym_at.get(te + 1).is_some_and(|&d| d != NONE))
                {
                    return;
                }
                let mut objects =
                    self.names_after_except(te, window.end, types, r.gap, &rule.not_after);
                if objects.is_empty() && !rule.through.is_empty() {
                    objects = self.named_through(te, window.end, types, &rule.through);
                }
                // "occupied two regions, including A and B", "occupied X,
                // in particular A": the parts share the relation.
                let from = if objects.is_empty() {
                    te
                } else {
                    self.end_of(&objects)
                };
                objects.extend(self.parts_after(from, window.end, types));
                if objects.is_empty() && r.demonyms && r.agent_is_object {
                    // "condemns the Russian aggression": the state whose act
                    // it is.
                    objects.extend(self.demonym_after(te, window.end, types, 1));
                }
                if r.agent_is_object {
                    let from = if objects.is_empty() {
                        te
                    } else {
                        self.end_of(&objects)
                    };
                    let agents = self.agents_after(from, window.end, types);
                    if !agents.is_empty() {
                        objects = agents;
                    }
                }
                for subject in &subjects {
                    for object in &objects {
                        self.push(index, rule.kind, subject.clone(), Some(object.clone()), ts);
                    }
                }
            }
        }
    }

    /// "by a majority of European states, A, B and C": a list of names
    /// that goes on from a first item that is not a name, after at most
    /// eight words and a comma; it must hold a coordinator and end the
    /// clause (not "by the court, A and B said").
    fn list_after_phrase(&self, from: usize, end: usize, types: Types) -> Vec<Named> {
        let layout = &self.layout;
        let mut t = from;
        while t < end && t < from + 8 {
            let tok = layout.tokens[t];
            if let Some(slot) = self.slot(t)
                && layout.pick(slot, types).is_some()
            {
                return Vec::new();
            }
            if tok.punct == b',' {
                break;
            }
            if tok.punct != 0 || tok.flags & (Flag::Hedge as u32 | Flag::Negation as u32) != 0 {
                return Vec::new();
            }
            t += 1;
        }
        if t >= end || layout.tokens[t].punct != b',' {
            return Vec::new();
        }
        let list = self.names_after(t + 1, end, types, 0);
        if list.len() < 2 {
            return Vec::new();
        }
        let last = self.end_of(&list);
        let first = layout
            .tokens
            .partition_point(|tok| tok.start < list[0].span.start);
        let coordinated =
            (first..last).any(|u| layout.is(u, Flag::Coordinator) && self.slot(u).is_none());
        let closes = last >= end || layout.tokens[last].punct != 0;
        if coordinated && closes {
            list
        } else {
            Vec::new()
        }
    }

    /// The state whose adjective stands after `from`, past determiners and
    /// `words` plain words, before a plain noun: "by Russian forces",
    /// "condemns the brutal Russian aggression".
    fn demonym_after(&self, from: usize, end: usize, types: Types, words: usize) -> Option<Named> {
        if !types.has(crate::model::EntityType::State) {
            return None;
        }
        let layout = &self.layout;
        let plain = |t: usize| {
            let tok = layout.tokens[t];
            tok.punct == 0
                && tok.flags == 0
                && self.slot(t).is_none()
                && layout.demonym_at[t] == NONE
        };
        let mut t = from;
        let mut skipped = 0;
        while t < end && (layout.is(t, Flag::Determiner) || (plain(t) && skipped < words)) {
            if plain(t) {
                skipped += 1;
            }
            t += 1;
        }
        if t + 1 >= end || layout.demonym_at[t] == NONE || !plain(t + 1) {
            return None;
        }
        let tok = layout.tokens[t];
        Some(Named {
            entity: layout.demonym_at[t],
            span: tok.start..tok.end,
            certainty: 1.0,
        })
    }

    /// The name of `types` that ends right before token `t` (a comma
    /// between allowed).
    fn name_ending_at(&self, t: usize, start: usize, types: Types) -> Option<Named> {
        let mut end = t;
        if end > start && self.layout.tokens[end - 1].punct == b',' {
            end -= 1;
        }
        let slot = self.slot(end.checked_sub(1).filter(|&e| e >= start)?)?;
        if slot.tokens.end != end {
            return None;
        }
        let entity = self.layout.pick(slot, types)?;
        Some(self.named(slot, entity))
    }

    /// "recognised the so-called \"independence\" of X": past determiners,
    /// quotes and two plain words, one of `through`, "of", and the names
    /// after it (up to four words on: "of the breakaway territories of X").
    fn named_through(&self, from: usize, end: usize, types: Types, through: &[u32]) -> Vec<Named> {
        let layout = &self.layout;
        let mut t = from;
        let mut words = 0;
        while t < end && self.slot(t).is_none() {
            let tok = layout.tokens[t];
            if tok.punct != 0 {
                if !matches!(tok.punct, b'"' | b'-') {
                    return Vec::new();
                }
            } else if through.contains(&tok.word) {
                let mut u = t + 1;
                while layout.tokens.get(u).is_some_and(|t| t.punct == b'"') {
                    u += 1;
                }
                return match layout.tokens.get(u) {
                    Some(of) if of.word == layout.rules.of_word => {
                        self.names_after(u + 1, end, types, 4)
                    }
                    _ => Vec::new(),
                };
            } else if !layout.is(t, Flag::Determiner) {
                words += 1;
                if words > 2 || tok.flags != 0 {
                    return Vec::new();
                }
            }
            t += 1;
        }
        Vec::new()
    }

    /// "Lithuania and Latvia recognised": the subject with the names
    /// coordinated before it, when they open the clause (after its start,
    /// punctuation or a determiner only: in "Russia attacked Georgia and
    /// Ukraine condemned it" Georgia is an object).
    fn coordinated_subjects(&self, subject: Named, start: usize, types: Types) -> Vec<Named> {
        let layout = &self.layout;
        let first = layout
            .tokens
            .partition_point(|t| t.end <= subject.span.start);
        if self.slot(first).is_none_or(|s| s.tokens.start != first) {
            return vec![subject];
        }
        let mut names = vec![subject];
        let mut u = first;
        loop {
            let mut v = u;
            let mut joined = false;
            while v > start
                && self.slot(v - 1).is_none()
                && (layout.tokens[v - 1].punct == b',' || layout.is(v - 1, Flag::Coordinator))
            {
                v -= 1;
                joined = true;
            }
            while v > start && self.slot(v - 1).is_none() && layout.is(v - 1, Flag::Determiner) {
                v -= 1;
            }
            if !joined || v == start {
                break;
            }
            let Some(slot) = self.slot(v - 1) else { break };
            let Some(entity) = layout.pick(slot, types) else {
                break;
            };
            names.push(self.named(slot, entity));
            u = slot.tokens.start;
        }
        if names.len() == 1 {
            return names;
        }
        // The chain must open its clause.
        let mut b = u;
        while b > start && layout.is(b - 1, Flag::Determiner) {
            b -= 1;
        }
        let opens = b == start
            || (layout.tokens[b - 1].punct != 0 && layout.tokens[b - 1].punct != b'\'')
            || layout.is(b - 1, Flag::ClauseBreak)
            || layout.is(b - 1, Flag::Relative);
        if !opens {
            names.truncate(1);
        }
        names
    }

    /// "urged the Seimas to recognise": an infinitive trigger whose subject
    /// is the object of a hedge (a request, a plan) a few words before it.
    fn asked_to(&self, subject: &Named, ts: usize, start: usize) -> bool {
        let layout = &self.layout;
        if ts == 0 || layout.tokens[ts - 1].word != layout.rules.to_word {
            return false;
        }
        let first = layout
            .tokens
            .partition_point(|t| t.end <= subject.span.start);
        (first.saturating_sub(4).max(start)..first)
            .any(|t| layout.is(t, Flag::Hedge) || layout.is(t, Flag::Negation))
    }

    /// "Russian-occupied Crimea", "Kremlin-backed": the name or state
    /// adjective joined to the trigger by a hyphen.
    fn hyphenated_subject(&self, ts: usize, types: Types, demonyms: bool) -> Option<Named> {
        let layout = &self.layout;
        if ts < 2
            || layout.tokens[ts - 1].punct != b'-'
            || layout.tokens[ts - 1].start != layout.tokens[ts - 2].end
        {
            return None;
        }
        if let Some(slot) = self.slot(ts - 2)
            && let Some(entity) = layout.pick(slot, types)
        {
            return Some(self.named(slot, entity));
        }
        let state = layout.demonym_at[ts - 2];
        (demonyms && state != NONE && types.has(crate::model::EntityType::State)).then(|| {
            let tok = layout.tokens[ts - 2];
            Named {
                entity: state,
                span: tok.start..tok.end,
                certainty: 1.0,
            }
        })
    }

    /// "1. To condemn ...", "condemning the ...": an operative or preamble
    /// clause of a resolution, whose subject is the body that adopts it
    /// (the document's author).
    fn operative_clause(&self, ts: usize, start: usize, types: Types) -> Option<Named> {
        let adopter;
        let author = match self.author.as_ref() {
            Some(author) => author,
            None => {
                adopter = self.adopting_body(start)?;
                &adopter
            }
        };
        let layout = &self.layout;
        let words: Vec<usize> = (start..ts)
            .filter(|&t| layout.tokens[t].punct == 0)
            .collect();
        let is_to = |t: usize| layout.tokens[t].word == layout.rules.to_word;
        let numbered_only = |t: usize| {
            layout.text[layout.tokens[t].start as usize..layout.tokens[t].end as usize]
                .bytes()
                .all(|b| b.is_ascii_digit())
        };
        let numbered = words.len() == 2 && numbered_only(words[0]);
        let to_first = (words.len() == 1 && is_to(words[0])) || (numbered && is_to(words[1]));
        // A preamble clause opening with the trigger: "condemning the ...".
        let first_word = words.is_empty() || (words.len() == 1 && numbered_only(words[0]));
        // An operative clause in the present with an adverb first:
        // "2. Strongly condemns", "Further recognizes".
        let rest = match words.first() {
            Some(&w) if numbered_only(w) => &words[1..],
            _ => &words[..],
        };
        let trigger =
            &layout.text[layout.tokens[ts].start as usize..layout.tokens[ts].end as usize];
        let adverbs_first = (1..=2).contains(&rest.len())
            && layout.tokens[rest[0]].upper
            && rest
                .iter()
                .all(|&t| layout.tokens[t].flags == 0 && self.slot(t).is_none())
            && trigger.ends_with('s');
        if !(to_first || first_word || adverbs_first)
            || !types.has(layout.rules.entity_type(author.entity))
        {
            return None;
        }
        let tok = match words.last() {
            Some(&t) if to_first => layout.tokens[t],
            _ => layout.tokens[ts],
        };
        Some(Named {
            entity: author.entity,
            span: tok.start..tok.end,
            certainty: 0.8,
        })
    }

    /// The body a resolution's preamble opens with, on a line of its own
    /// among the first lines before token `before`: "The General
    /// Assembly,", "The Seimas of the Republic of Lithuania,".
    fn adopting_body(&self, before: usize) -> Option<Named> {
        let until = self.layout.tokens.get(before)?.start;
        let bodies = self.adopting_bodies.get_or_init(|| self.adopting_bodies());
        let last = bodies.partition_point(|(end, _)| *end <= until);
        last.checked_sub(1).map(|i| bodies[i].1.clone())
    }

    /// Every line among the first of the document that is a body's name
    /// alone, ending in a comma (the name may go on "of STATE"), with the
    /// byte the line ends at, in text order.
    fn adopting_bodies(&self) -> Vec<(u32, Named)> {
        const FIRST_LINES: usize = 40;
        let layout = &self.layout;
        let mut found = Vec::new();
        for line in layout.lines.iter().take(FIRST_LINES) {
            if line.blank {
                continue;
            }
            let first = layout
                .tokens
                .partition_point(|t| t.start < line.bytes.start);
            let end = layout.tokens.partition_point(|t| t.start < line.bytes.end);
            let mut t = first;
            while t < end && layout.is(t, Flag::Determiner) {
                t += 1;
            }
            let Some(slot) = self.slot(t).filter(|s| s.tokens.start == t) else {
                continue;
            };
            let Some(entity) = layout.pick(slot, Types::ORGANISATION) else {
                continue;
            };
            let mut u = slot.tokens.end;
            // "... of the Republic of Lithuania".
            if u < end && layout.tokens[u].word == layout.rules.of_word {
                u += 1;
                while u < end && layout.is(u, Flag::Determiner) {
                    u += 1;
                }
                match self.slot(u) {
                    Some(state) if state.tokens.start == u => u = state.tokens.end,
                    _ => continue,
                }
            }
            if u + 1 == end && layout.tokens[u].punct == b',' {
                found.push((line.bytes.end, self.named(slot, entity)));
            }
        }
        found
    }

    /// "… by the authorities of Russia": the agent of the act named after
    /// a trigger, up to three words after "by".
    fn agents_after(&self, from: usize, end: usize, types: Types) -> Vec<Named> {
        let mut t = from;
        while t < end && t < from + 8 {
            if self.layout.tokens[t].word == self.layout.rules.by_word && self.slot(t).is_none() {
                return self.names_after(t + 1, end, types, 3);
            }
            if self.layout.tokens[t].punct != 0 && self.layout.tokens[t].punct != b'-' {
                break;
            }
            t += 1;
        }
        Vec::new()
    }

    /// `SUBJECT's trigger of OBJECT`, `trigger of OBJECT by SUBJECT`,
    /// `Russian trigger of OBJECT` (with `demonyms`), and
    /// `OBJECT … under SUBJECT's trigger`.
    pub fn noun(&mut self, index: u16, (ts, te): (usize, usize)) {
        let rule = &self.compiled().rules[index as usize];
        let r = &rule.rule;
        let Target::Entity(object_types) = r.object else {
            return;
        };
        let window = self.window(ts, r.window);
        let layout = &self.layout;
        let plain = |t: usize| {
            let tok = layout.tokens[t];
            tok.punct == 0
                && tok.flags == 0
                && layout.slot_at[t] == NONE
                && layout.demonym_at[t] == NONE
        };
        // One adjective may stand between: "Russia's temporary occupation",
        // and a noun sharing the possessor: "Russia's aggression and
        // occupation".
        let mut p = ts;
        if p > window.start && plain(p - 1) {
            p -= 1;
        }
        if p > window.start + 1 && layout.is(p - 1, Flag::Coordinator) && plain(p - 2) {
            p -= 2;
            if p > window.start && plain(p - 1) {
                p -= 1;
            }
        }
        let mut subject = None;
        let mut lead = p;
        let possessed = if p >= window.start + 2
            && layout.tokens[p - 1].word == layout.rules.s_word
            && layout.tokens[p - 2].punct == b'\''
        {
            Some(p - 2)
        } else if p > window.start && layout.tokens[p - 1].punct == b'\'' {
            Some(p - 1)
        } else {
            None
        };
        if let Some(end) = possessed {
            if end > window.start
                && let Some(slot) = self.slot(end - 1)
                && let Some(entity) = layout.pick(slot, r.subject)
            {
                lead = slot.tokens.start;
                subject = Some(self.named(slot, entity));
            }
        } else if r.demonyms
            && p > window.start
            && layout.demonym_at[p - 1] != NONE
            && r.subject.has(crate::model::EntityType::State)
        {
            let tok = layout.tokens[p - 1];
            lead = p - 1;
            subject = Some(Named {
                entity: layout.demonym_at[p - 1],
                span: tok.start..tok.end,
                certainty: 1.0,
            });
        }
        // "Russia's non-recognition", "the non-recognition of X by Y".
        let negated = |t: usize| layout.is(t, Flag::Negation) || layout.is(t, Flag::Hedge);
        if (lead..ts).any(negated) || (ts.saturating_sub(2).max(window.start)..ts).any(negated) {
            return;
        }
        let mut objects = Vec::new();
        if layout
            .tokens
            .get(te)
            .is_some_and(|t| t.word == layout.rules.of_word)
        {
            objects = self.names_after(te + 1, window.end, object_types, r.gap);
        }
        if subject.is_none() && !objects.is_empty() {
            let end = self.end_of(&objects);
            if self
                .layout
                .tokens
                .get(end)
                .is_some_and(|t| t.word == self.layout.rules.by_word)
            {
                subject = self
                    .names_after(end + 1, window.end, r.subject, 1)
                    .into_iter()
                    .next();
            }
        }
        // "the leaders reiterated their condemnation of X": the group the
        // pronoun stands for.
        if subject.is_none()
            && !objects.is_empty()
            && p > window.start
            && layout.is(p - 1, Flag::Possessive)
            && let Before::Group(group) = self.find_before(p - 1, window.start, r.subject)
        {
            for subject in &group {
                for object in &objects {
                    self.push(index, rule.kind, subject.clone(), Some(object.clone()), ts);
                }
            }
            return;
        }
        // "the Russian intervention in X and its recognition of Y": what
        // "its" stands for.
        if subject.is_none()
            && !objects.is_empty()
            && let Some(its) = self.its_before(ts, window.start)
        {
            subject = self.its_referent(its, window.start, r.subject);
        }
        let Some(subject) = subject else { return };
        if objects.is_empty() {
            // "X under Russian occupation".
            let mut q = lead;
            let mut skipped = 0;
            while q > window.start && skipped < 2 && {
                let tok = self.layout.tokens[q - 1];
                tok.punct == 0 && tok.flags == 0 && self.layout.slot_at[q - 1] == NONE
            } {
                q -= 1;
                skipped += 1;
            }
            if q > window.start
                && self.layout.tokens[q - 1].word == self.layout.rules.under_word
                && let Before::Found(object) = self.find_before(q - 1, window.start, object_types)
            {
                objects.push(object);
            }
        }
        for object in objects {
            self.push(index, rule.kind, subject.clone(), Some(object), ts);
        }
    }

    /// `OBJECT … trigger SUBJECT`: "led by X", "under the leadership of X",
    /// "signed by X".
    pub fn agent(&mut self, index: u16, (ts, te): (usize, usize)) {
        let rule = &self.compiled().rules[index as usize];
        let r = &rule.rule;
        let window = self.window(ts, r.window);
        // "led by Patriarch X": up to two capitalised title words.
        let layout = &self.layout;
        let mut from = te;
        while from < te + 2
            && from < window.end
            && layout.tokens[from].upper
            && layout.tokens[from].punct == 0
            && layout.tokens[from].flags == 0
            && self.slot(from).is_none()
        {
            from += 1;
        }
        if self.slot(from).is_none() {
            from = te;
        }
        let subjects = match r.object {
            // "Signed by A, the B (C), the factions of D, E and F": a list.
            Target::Document => self.list_after(from, window.end, r.subject, r.gap),
            Target::Entity(_) => self.names_after(from, window.end, r.subject, r.gap),
        };
        if subjects.is_empty() {
            return;
        }
        match r.object {
            Target::Document => {
                for subject in subjects {
                    self.push(index, rule.kind, subject, None, ts);
                }
            }
            Target::Entity(types) => {
                // "the party, led by X": what a participle describes stands
                // right before it, not a clause away ("X began a movement in
                // 1990, led by"); "under the leadership of" may end a clause.
                let participle = self.layout.tokens[te - 1].word == self.layout.rules.by_word;
                if let Before::Found(object) = self.find_before(ts, window.start, types)
                    && (!participle
                        || (self.end_of(std::slice::from_ref(&object))..ts)
                            .filter(|&t| self.layout.tokens[t].punct == 0)
                            .count()
                            <= 3)
                {
                    for subject in subjects {
                        self.push(index, rule.kind, subject, Some(object.clone()), ts);
                    }
                }
            }
        }
    }

    /// A role noun describing a person. `person` is the signatory whose
    /// description holds the trigger (`limit` its end), or `None` in
    /// running text, where the person stands in apposition.
    pub fn role(
        &mut self,
        index: u16,
        (ts, te): (usize, usize),
        person: Option<(&Named, Range<usize>)>,
    ) {
        let rule = &self.compiled().rules[index as usize];
        let r = &rule.rule;
        let Target::Entity(object_types) = r.object else {
            return;
        };
        let layout = &self.layout;
        let bounds = match &person {
            Some((_, description)) => description.clone(),
            None => layout.sentence_tokens(ts),
        };
        let (start, limit) = (bounds.start, bounds.end);
        // "deputy head" is a member, not a leader.
        let (mut kind, role_start) = self.demoted(index, ts, start);
        // What the head of a part is of the whole: a member (the kind a
        // deputy is demoted to), or what the role gives.
        let part_kind = rule.demoted_kind.unwrap_or(rule.kind);
        // "director of X's Y Office": X, of which the object is a part.
        let mut whole = None;
        // ROLE [words] PREPOSITION [the] OBJECT
        let mut objects = Vec::new();
        let mut prefix_used = false;
        // "President X of France": the person between role and "of".
        let mut titled = None;
        // "Crimean Tatar leader, X": an adjective may name a people, not a
        // state; only a name right after the role is taken then.
        let mut by_demonym = false;
        // Where "its" stood before the role, when it named the object.
        let mut its_at = None;
        if person.is_none()
            && rule
                .prepositions
                .iter()
                .any(|p| p[..] == [layout.rules.of_word])
            && let Some(named) = self.person_at(te)
            && let Some(slot) = self.slot(te)
            && layout
                .tokens
                .get(slot.tokens.end)
                .is_some_and(|t| t.word == layout.rules.of_word)
        {
            objects = self.names_after(slot.tokens.end + 1, limit, object_types, r.gap);
            if !objects.is_empty() {
                titled = Some(named);
            }
        }
        if objects.is_empty() && !rule.prepositions.is_empty() {
            let mut t = te;
            let mut words = 0;
            while t < limit {
                let matched = rule.prepositions.iter().find(|p| {
                    layout.tokens.len() >= t + p.len()
                        && layout.tokens[t..t + p.len()]
                            .iter()
                            .map(|t| t.word)
                            .eq(p.iter().copied())
                });
                if let Some(p) = matched {
                    let from = t + p.len();
                    objects = self.names_after(from, limit, object_types, r.gap);
                    if objects.is_empty()
                        && object_types.has(crate::model::EntityType::Organisation)
                        && let Some(named) = self.whole_of_part(from, limit)
                    {
                        // "chair of the Kyiv branch of X": a member of X.
                        objects.push(named);
                        kind = part_kind;
                    } else if let [object] = &objects[..]
                        && let Some(part) = self.possessed_part(object, limit)
                    {
                        whole = Some(object.clone());
                        objects = vec![part];
                    }
                    break;
                }
                if self.slot(t).is_some() || layout.tokens[t].punct != 0 {
                    break;
                }
                words += 1;
                if words > r.gap {
                    break;
                }
                t += 1;
            }
        }
        // OBJECT ROLE, OBJECT's ROLE, DEMONYM ROLE
        if objects.is_empty() && r.prefix {
            let mut p = role_start;
            if p >= start + 2
                && layout.tokens[p - 1].word == layout.rules.s_word
                && layout.tokens[p - 2].punct == b'\''
            {
                p -= 2;
            }
            if p > start {
                // A name ending the line above is not this role's prefix.
                let same_line = !layout.text
                    [layout.tokens[p - 1].end as usize..layout.tokens[p].start as usize]
                    .contains('\n');
                if same_line
                    && let Some(slot) = self.slot(p - 1)
                    && slot.tokens.end == p
                    && let Some(entity) = layout.pick(slot, object_types)
                {
                    objects.push(self.named(slot, entity));
                    prefix_used = true;
                } else if r.demonyms
                    && layout.demonym_at[p - 1] != NONE
                    && object_types.has(crate::model::EntityType::State)
                {
                    let tok = layout.tokens[p - 1];
                    objects.push(Named {
                        entity: layout.demonym_at[p - 1],
                        span: tok.start..tok.end,
                        certainty: 1.0,
                    });
                    prefix_used = true;
                    by_demonym = true;
                } else if let Some(its) = self.its_before(p, start)
                    && let Some(named) = self
                        .nearest_before(its, start, object_types)
                        .or_else(|| self.paragraph_topic(start, object_types))
                {
                    // "the party and its chairman X", "appointed X as its
                    // first foreign minister": the nearest name before that
                    // fits.
                    its_at = Some(its);
                    objects.push(named);
                    prefix_used = true;
                }
            }
        }
        if objects.is_empty() {
            return;
        }
        let people = match person {
            Some((named, _)) => vec![named.clone()],
            None if titled.is_some() => titled.into_iter().collect(),
            None if prefix_used => match self.person_after(te, limit, r.gap, !by_demonym) {
                After::Person(named) => vec![named],
                After::Other => Vec::new(),
                After::Nothing => {
                    // "X, the Kremlin spokesman": the person before, in
                    // apposition to the whole "OBJECT role".
                    let object_start = objects.first().map_or(role_start, |o| {
                        layout.tokens.partition_point(|t| t.start < o.span.start)
                    });
                    let first = its_at.unwrap_or(object_start.min(role_start));
                    let people = self.people_in_apposition(first, start);
                    if people.is_empty() {
                        self.subject_of_copula(first, start).into_iter().collect()
                    } else {
                        people
                    }
                }
            },
            None => {
                let end = self.end_of(&objects);
                let mut u = end;
                if layout.tokens.get(u).is_some_and(|t| t.punct == b',') {
                    u += 1;
                }
                let after = (u < limit)
                    .then(|| self.person_at(u))
                    .flatten()
                    .or_else(|| self.person_after_abbreviation(end, limit));
                if let Some(named) = after {
                    vec![named]
                } else if layout.is(end, Flag::Copula)
                    && layout.tokens[end].word != layout.rules.as_word
                {
                    // "The members of X are A, B and C."
                    self.names_after(end + 1, limit, PERSON, 1)
                } else {
                    let people = self.people_in_apposition(role_start, start);
                    if !people.is_empty() {
                        people
                    } else if let Some(named) = self.subject_of_copula(role_start, start) {
                        vec![named]
                    } else {
                        self.person_on_next_line(end).into_iter().collect()
                    }
                }
            }
        };
        for person in &people {
            for object in &objects {
                self.push(index, kind, person.clone(), Some(object.clone()), ts);
            }
            if let Some(whole) = &whole {
                self.push(index, part_kind, person.clone(), Some(whole.clone()), ts);
            }
        }
    }

    /// "the Kyiv branch of X" after `from`: up to three words, the last a
    /// word of the `subdivisions` list, then "of" and an organisation, X.
    fn whole_of_part(&self, from: usize, end: usize) -> Option<Named> {
        let layout = &self.layout;
        let mut t = from;
        let mut words = 0;
        while t + 1 < end && words < 3 {
            let tok = layout.tokens[t];
            if tok.punct != 0 || self.slot(t).is_some() {
                return None;
            }
            if layout.is(t, Flag::Subdivision) && layout.tokens[t + 1].word == layout.rules.of_word
            {
                return self
                    .names_after(t + 2, end, Types::ORGANISATION, 0)
                    .into_iter()
                    .next();
            }
            if !layout.is(t, Flag::Determiner) {
                words += 1;
            }
            t += 1;
        }
        None
    }

    /// "X's Y Office" after the organisation `whole`: Y, an organisation
    /// named right after the possessive.
    fn possessed_part(&self, whole: &Named, end: usize) -> Option<Named> {
        let layout = &self.layout;
        if layout.rules.entity_type(whole.entity) != crate::model::EntityType::Organisation {
            return None;
        }
        let t = self.end_of(std::slice::from_ref(whole));
        let after = if layout.tokens.get(t).is_some_and(|tok| tok.punct == b'\'')
            && layout
                .tokens
                .get(t + 1)
                .is_some_and(|tok| tok.word == layout.rules.s_word)
        {
            t + 2
        } else {
            return None;
        };
        let slot = self
            .slot(after)
            .filter(|s| s.tokens.start == after && s.tokens.end <= end)?;
        let entity = layout.pick(slot, Types::ORGANISATION)?;
        Some(self.named(slot, entity))
    }

    /// The kind a role trigger at `ts` gives, and where the role starts:
    /// "deputy head" is a member, not a leader.
    fn demoted(&self, index: u16, ts: usize, start: usize) -> (u16, usize) {
        let rule = &self.compiled().rules[index as usize];
        let tokens = &self.layout.tokens;
        for phrase in &rule.demoted_by {
            let n = phrase.len();
            if ts >= start + n
                && tokens[ts - n..ts]
                    .iter()
                    .map(|t| t.word)
                    .eq(phrase.iter().copied())
            {
                return (rule.demoted_kind.unwrap_or(rule.kind), ts - n);
            }
        }
        (rule.kind, ts)
    }

    /// The kind a role trigger at `ts` gives, demotions ("vice president")
    /// read from `start` on.
    pub fn role_kind(&self, index: u16, ts: usize, start: usize) -> u16 {
        self.demoted(index, ts, start).0
    }

    /// "the President of X (XO), Mr Y": the person after a parenthesis
    /// and a comma closing the role, one title word ("Mr", "Dr") allowed.
    fn person_after_abbreviation(&self, end: usize, limit: usize) -> Option<Named> {
        let tokens = &self.layout.tokens;
        let mut t = end;
        if tokens.get(t)?.punct == b'(' {
            t = (t..limit.min(t + 8)).find(|&u| tokens[u].punct == b')')? + 1;
        }
        if tokens.get(t)?.punct != b',' {
            return None;
        }
        t += 1;
        if t < limit && self.slot(t).is_none() {
            let tok = tokens[t];
            let title = tok.flags == 0 || self.layout.is(t, Flag::SignatureWord);
            if !(tok.upper && tok.punct == 0 && title) {
                return None;
            }
            t += 1;
            if tokens.get(t).is_some_and(|t| t.punct == b'.') {
                t += 1;
            }
        }
        (t < limit).then(|| self.person_at(t)).flatten()
    }

    /// The nearest name of `types` before token `t` in the sentence
    /// (from `start`), whatever stands between: what "its" refers to.
    fn nearest_before(&self, mut t: usize, start: usize, types: Types) -> Option<Named> {
        let mut steps = 0;
        while t > start && steps < LOOK_BACK {
            t -= 1;
            steps += 1;
            if let Some(slot) = self.slot(t) {
                if let Some(entity) = self.layout.pick(slot, types) {
                    return Some(self.named(slot, entity));
                }
                t = slot.tokens.start.max(start);
            }
        }
        None
    }

    /// The one entity of `types` the sentences of the paragraph before
    /// token `start` name (its topic: "Memorial was founded in 1989. Among
    /// its founders was …"), if they name exactly one, as its nearest
    /// mention.
    fn paragraph_topic(&self, start: usize, types: Types) -> Option<Named> {
        let layout = &self.layout;
        let &sentence = layout.sentence_of.get(start)?;
        if sentence == NONE {
            return None;
        }
        let paragraph = layout.sentences[sentence as usize].paragraph;
        let mut first = sentence as usize;
        while first > 0 && layout.sentences[first - 1].paragraph == paragraph {
            first -= 1;
        }
        let from = layout.sentences[first].tokens.start;
        let mut topic: Option<Named> = None;
        let mut t = start;
        while t > from {
            t -= 1;
            let Some(slot) = self.slot(t) else { continue };
            if let Some(entity) = layout.pick(slot, types) {
                match &topic {
                    Some(named) if named.entity != entity => return None,
                    Some(_) => {}
                    None => topic = Some(self.named(slot, entity)),
                }
            }
            t = slot.tokens.start.max(from);
        }
        topic
    }

    /// What "its" at token `its` stands for: the nearest name of `types`
    /// before it in the sentence that is not in a prepositional phrase
    /// ("the intervention in Georgia and its …" is not Georgia's), or a
    /// state's adjective opening a noun phrase ("the Russian intervention
    /// … and its …": the state whose act it was).
    fn its_referent(&self, its: usize, start: usize, types: Types) -> Option<Named> {
        let layout = &self.layout;
        let mut t = its;
        while t > start && its - t < LOOK_BACK {
            t -= 1;
            if let Some(slot) = self.slot(t) {
                if let Some(entity) = layout.pick(slot, types)
                    && !layout.prepositional(slot.tokens.start)
                {
                    return Some(self.named(slot, entity));
                }
                t = slot.tokens.start.max(start);
                continue;
            }
            if types.has(crate::model::EntityType::State)
                && layout.demonym_at[t] != NONE
                && (t == start || layout.is(t - 1, Flag::Determiner))
            {
                let tok = layout.tokens[t];
                return Some(Named {
                    entity: layout.demonym_at[t],
                    span: tok.start..tok.end,
                    certainty: 1.0,
                });
            }
        }
        None
    }

    /// "its" before the role at `role`, up to two lower-case plain words
    /// between ("its first foreign minister").
    fn its_before(&self, role: usize, start: usize) -> Option<usize> {
        let layout = &self.layout;
        let mut q = role;
        let mut words = 0;
        while q > start && words < 2 && {
            let tok = layout.tokens[q - 1];
            tok.punct == 0 && tok.flags == 0 && !tok.upper && self.slot(q - 1).is_none()
        } {
            q -= 1;
            words += 1;
        }
        (q > start && layout.tokens[q - 1].word == layout.rules.its_word).then(|| q - 1)
    }

    /// Whether token `t` is a plain word: no punctuation, in no word list,
    /// not part of a name.
    fn plain_word(&self, t: usize) -> bool {
        let tok = self.layout.tokens[t];
        tok.punct == 0 && tok.flags == 0 && self.slot(t).is_none()
    }

    /// "X is the chair of Y", "X, a lawyer, was elected chairman of Y",
    /// "X, who served as president of Y": the person a role before token
    /// `role` describes through a copula.
    fn subject_of_copula(&self, role: usize, start: usize) -> Option<Named> {
        let layout = &self.layout;
        let plain = |t: usize| self.plain_word(t);
        // Back over "the", "a", "first", "among": to the copula.
        let mut q = role;
        let mut words = 0;
        while q > start
            && (layout.is(q - 1, Flag::Determiner)
                || layout.tokens[q - 1].word == layout.rules.among_word
                || (plain(q - 1) && words < 2))
        {
            if plain(q - 1) {
                words += 1;
            }
            q -= 1;
        }
        if q == start || !layout.is(q - 1, Flag::Copula) {
            return None;
        }
        self.copula_subject(q - 1, start)
    }

    /// The person the copula at `copula` ("is", "was elected") has as
    /// subject.
    fn copula_subject(&self, copula: usize, start: usize) -> Option<Named> {
        let layout = &self.layout;
        let plain = |t: usize| self.plain_word(t);
        // Back over the verb group: "was elected", "became known as".
        let mut c = copula;
        let mut words = 0;
        while c > start && (layout.is(c - 1, Flag::Copula) || (plain(c - 1) && words < 2)) {
            if plain(c - 1) {
                words += 1;
            }
            c -= 1;
        }
        if c == start {
            return None;
        }
        if let Some(named) = self.person_at_end(c) {
            return Some(named);
        }
        // "X, a lawyer, was", "X (born 1950) is", "X, who is", "X, a
        // lawyer was": a person whose name an apposition, a parenthesis or
        // a relative follows.
        let named = match self.find_before(c, start, PERSON) {
            Before::Found(named) => named,
            // "He was elected chairman of Y": the pronoun right before.
            Before::Group(group)
                if group.len() == 1
                    && layout
                        .tokens
                        .partition_point(|t| t.end <= group[0].span.start)
                        + 1
                        == c =>
            {
                return group.into_iter().next();
            }
            _ => return None,
        };
        let end = self.end_of(std::slice::from_ref(&named));
        let opens = layout
            .tokens
            .get(end)
            .is_some_and(|t| matches!(t.punct, b',' | b'('))
            || matches!(layout.tokens[c - 1].punct, b',' | b')')
            || layout.is(c - 1, Flag::Relative);
        (opens && end + 20 >= c).then_some(named)
    }

    /// The person whose name ends right before token `t`.
    fn person_at_end(&self, t: usize) -> Option<Named> {
        let slot = self.slot(t.checked_sub(1)?)?;
        if slot.tokens.end != t {
            return None;
        }
        let entity = self.layout.pick(slot, PERSON)?;
        Some(self.named(slot, entity))
    }

    fn person_at(&self, t: usize) -> Option<Named> {
        let slot = self.slot(t)?;
        if slot.tokens.start != t {
            return None;
        }
        let entity = self.layout.pick(slot, PERSON)?;
        Some(self.named(slot, entity))
    }

    /// A signature: "Chairman of the Verkhovna Rada" on one line, the
    /// person's name alone on the next.
    fn person_on_next_line(&self, end: usize) -> Option<Named> {
        let layout = &self.layout;
        let (last, next) = (
            layout.tokens.get(end.checked_sub(1)?)?,
            layout.tokens.get(end)?,
        );
        let between = &layout.text[last.end as usize..next.start as usize];
        if between.matches('\n').count() != 1 {
            return None;
        }
        let person = self.person_at(end)?;
        let slot = self.slot(end)?;
        let after = layout.tokens.get(slot.tokens.end);
        let alone = after
            .is_none_or(|t| layout.text[person.span.end as usize..t.start as usize].contains('\n'));
        alone.then_some(person)
    }

    /// "Chechnya head X", "the Kremlin spokesman, X", "the Paris-based
    /// lawyer X": the person after the role, up to `gap` plain words on (or
    /// right after a comma).
    fn person_after(&self, mut t: usize, limit: usize, gap: usize, comma: bool) -> After {
        let mut words = 0;
        let first = t;
        while t < limit {
            if let Some(slot) = self.slot(t) {
                return match self.person_at(t) {
                    Some(named) => After::Person(named),
                    // Another name, or one of several people, right after
                    // the role: it describes nobody else.
                    None if slot.tokens.start == t && words == 0 => After::Other,
                    None => After::Nothing,
                };
            }
            let tok = self.layout.tokens[t];
            // "the Kremlin spokesman, X": a name right after the comma.
            if tok.punct == b',' && t == first && comma {
                return match self.person_at(t + 1) {
                    Some(named) if t + 1 < limit => After::Person(named),
                    _ => After::Nothing,
                };
            }
            if tok.punct != 0 || words >= gap {
                return After::Nothing;
            }
            words += 1;
            t += 1;
        }
        After::Nothing
    }

    /// "X, the head of", "A, B and C, members of": the people before a
    /// comma, a few words before the role, with those coordinated to them.
    fn people_in_apposition(&self, role: usize, start: usize) -> Vec<Named> {
        let layout = &self.layout;
        let mut t = role;
        let mut words = 0;
        while t > start {
            t -= 1;
            if self.slot(t).is_some() || layout.is(t, Flag::Coordinator) {
                return Vec::new();
            }
            let tok = layout.tokens[t];
            if tok.punct == b',' {
                let Some(first) = self.person_at_end(t) else {
                    // "X, former deputy of A, chairman of B": past one
                    // earlier apposition holding a role of its own.
                    return self.people_before_role_apposition(t, start);
                };
                let mut people = vec![first];
                // "A, B and C": back over commas and coordinators.
                let mut u = self.slot(t - 1).map_or(t, |s| s.tokens.start);
                loop {
                    let mut v = u;
                    while v > start
                        && self.slot(v - 1).is_none()
                        && (layout.tokens[v - 1].punct == b','
                            || layout.is(v - 1, Flag::Coordinator))
                    {
                        v -= 1;
                    }
                    if v == u || v == start {
                        break;
                    }
                    let Some(named) = self.person_at_end(v) else {
                        break;
                    };
                    u = self.slot(v - 1).map_or(v, |s| s.tokens.start);
                    people.push(named);
                }
                return people;
            }
            if tok.punct != 0 && tok.punct != b'-' {
                return Vec::new();
            }
            words += 1;
            if words > 4 {
                return Vec::new();
            }
        }
        Vec::new()
    }

    /// The people in apposition before the comma at `comma`, when what
    /// stands between them and it is itself a short apposition with a role
    /// ("X, former deputy of A, chairman of B").
    fn people_before_role_apposition(&self, comma: usize, start: usize) -> Vec<Named> {
        let layout = &self.layout;
        let mut t = comma;
        while t > start && comma - t < 14 {
            t -= 1;
            // "X is a historian, founder of Y": the subject of the copula
            // the first apposition follows.
            if layout.is(t, Flag::Copula) && layout.tokens[t].word != layout.rules.as_word {
                return self.copula_subject(t, start).into_iter().collect();
            }
            if layout.tokens[t].punct == b',' {
                let role = layout.triggers.partition_point(|g| g.tokens.0 <= t);
                let has_role = layout.triggers[role..]
                    .iter()
                    .take_while(|g| g.tokens.0 < comma)
                    .any(|g| self.compiled().rules[g.rule as usize].rule.form == Form::Role);
                return if has_role {
                    self.people_in_apposition(t + 1, start)
                } else {
                    Vec::new()
                };
            }
            if matches!(layout.tokens[t].punct, b'.' | b';' | b':' | b'(' | b')')
                || layout.is(t, Flag::Coordinator)
            {
                return Vec::new();
            }
        }
        Vec::new()
    }

    /// "X of the Y party": a person, "of", an organisation.
    pub fn person_of(&mut self, index: u16) {
        let rule = &self.compiled().rules[index as usize];
        let Target::Entity(types) = rule.rule.object else {
            return;
        };
        let mut found = Vec::new();
        for slot in &self.layout.slots {
            let Some(person) = self.layout.pick(slot, rule.rule.subject) else {
                continue;
            };
            let mut t = slot.tokens.end;
            if self
                .layout
                .tokens
                .get(t)
                .is_none_or(|tok| tok.word != self.layout.rules.of_word)
            {
                continue;
            }
            t += 1;
            while self.layout.is(t, Flag::Determiner) {
                t += 1;
            }
            if let Some(org) = self.slot(t)
                && org.tokens.start == t
                && let Some(entity) = self.layout.pick(org, types)
                // "President X of Y": the role said more.
                && !self.hits.iter().any(|h| {
                    h.subject.entity == person
                        && h.object.as_ref().is_some_and(|o| o.entity == entity)
                })
            {
                found.push((
                    self.named(slot, person),
                    self.named(org, entity),
                    slot.tokens.start,
                ));
            }
        }
        for (person, org, at) in found {
            self.push(index, rule.kind, person, Some(org), at);
        }
    }

    /// "the Council, an initiative of lawyers – A, B and C, and of writers
    /// – D and E": two or more people listed after a spaced dash or a colon
    /// that ends a short apposition (a few plain words) of a name of the
    /// rule's object types, with further groups joined by "and", are its
    /// subjects.
    pub fn listed(&mut self, index: u16) {
        let rule = &self.compiled().rules[index as usize];
        let Target::Entity(types) = rule.rule.object else {
            return;
        };
        let subject = rule.rule.subject;
        let mut found = Vec::new();
        for slot in &self.layout.slots {
            let Some(entity) = self.layout.pick(slot, types) else {
                continue;
            };
            let comma = slot.tokens.end;
            if self
                .layout
                .tokens
                .get(comma)
                .is_none_or(|t| t.punct != b',')
            {
                continue;
            }
            let Some(list) = self.layout.list_header(comma + 1) else {
                continue;
            };
            let end = self.layout.sentence_tokens(list).end;
            let mut people = self.names_after(list, end, subject, 0);
            loop {
                // ", and political figures – D, E": another group.
                let mut u = self.end_of(&people);
                if people.is_empty() || u >= end {
                    break;
                }
                if self.layout.tokens[u].punct == b',' {
                    u += 1;
                }
                if !self.layout.is(u, Flag::Coordinator) {
                    break;
                }
                let Some(next) = self.layout.list_header(u + 1) else {
                    break;
                };
                let more = self.names_after(next, end, subject, 0);
                if more.is_empty() {
                    break;
                }
                people.extend(more);
            }
            if people.len() >= 2 {
                let org = self.named(slot, entity);
                found.extend(people.into_iter().map(|p| (p, org.clone(), list)));
            }
        }
        for (person, org, at) in found {
            self.push(
                index,
                self.compiled().rules[index as usize].kind,
                person,
                Some(org),
                at,
            );
        }
    }

    /// "X (Kyiv)": a person, then a parenthesis holding nothing but one
    /// name of the rule's object types.
    pub fn person_parenthesis(&mut self, index: u16) {
        let rule = &self.compiled().rules[index as usize];
        let Target::Entity(types) = rule.rule.object else {
            return;
        };
        let layout = &self.layout;
        let mut found = Vec::new();
        for slot in &layout.slots {
            let t = slot.tokens.end;
            if slot.candidates.is_empty()
                || layout.tokens.get(t).is_none_or(|tok| tok.punct != b'(')
            {
                continue;
            }
            let Some(person) = layout.pick(slot, rule.rule.subject) else {
                continue;
            };
            if let Some(inner) = self.slot(t + 1)
                && inner.tokens.start == t + 1
                && layout
                    .tokens
                    .get(inner.tokens.end)
                    .is_some_and(|tok| tok.punct == b')')
                && let Some(entity) = layout.pick(inner, types)
            {
                // The sentence, or at least the name and the whole
                // parenthesis (a contact line is often in no sentence).
                let sentence = layout.sentence_bytes(slot.tokens.start);
                let close = layout.tokens[inner.tokens.end].end;
                found.push((
                    self.named(slot, person),
                    self.named(inner, entity),
                    sentence.start.min(slot.bytes.start)..sentence.end.max(close),
                ));
            }
        }
        for (person, place, evidence) in found {
            self.push_at(index, rule.kind, person, Some(place), evidence);
        }
    }

    /// The name that ends a signatory's description after a comma
    /// ("…, Denmark"), trailing punctuation and a parenthesis aside.
    pub fn tail_name(&self, description: Range<usize>, object: Target) -> Option<Named> {
        let Target::Entity(types) = object else {
            return None;
        };
        let tokens = &self.layout.tokens;
        let mut end = description.end;
        while end > description.start && matches!(tokens[end - 1].punct, b'.' | b',' | b';') {
            end -= 1;
        }
        if end > description.start && tokens[end - 1].punct == b')' {
            let open = (description.start..end)
                .rev()
                .find(|&t| tokens[t].punct == b'(')?;
            // "X, artist (Istanbul)": the parenthesis is the place.
            if let Some(slot) = self.slot(open + 1)
                && slot.tokens.start == open + 1
                && slot.tokens.end == end - 1
                && let Some(entity) = self.layout.pick(slot, types)
            {
                return Some(self.named(slot, entity));
            }
            end = open;
            while end > description.start && matches!(tokens[end - 1].punct, b'.' | b',' | b';') {
                end -= 1;
            }
        }
        let slot = self.slot(end.checked_sub(1)?)?;
        if slot.tokens.end != end || slot.tokens.start <= description.start {
            return None;
        }
        // ", Denmark" or ", in Paris".
        let mut before = slot.tokens.start - 1;
        if tokens[before].word == self.layout.rules.in_word && before > description.start {
            before -= 1;
        }
        if tokens[before].punct != b',' {
            return None;
        }
        let entity = self.layout.pick(slot, types)?;
        Some(self.named(slot, entity))
    }

    /// The names in parentheses of a signatory's description (an unclosed
    /// parenthesis runs to the end).
    pub fn parenthesised_names(&self, description: Range<usize>, object: Target) -> Vec<Named> {
        let Target::Entity(types) = object else {
            return Vec::new();
        };
        let mut names = Vec::new();
        let mut depth = 0;
        let mut t = description.start;
        while t < description.end {
            match self.layout.tokens[t].punct {
                b'(' => depth += 1,
                b')' => depth = (depth - 1).max(0),
                _ => {}
            }
            if let Some(slot) = self.slot(t) {
                if depth > 0
                    && let Some(entity) = self.layout.pick(slot, types)
                {
                    names.push(self.named(slot, entity));
                }
                t = slot.tokens.end;
                continue;
            }
            t += 1;
        }
        names
    }
}

/// The person type alone.
const PERSON: Types = Types::PERSON;
