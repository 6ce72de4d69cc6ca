//! Document structure: heading lines that name the authors ("Appeal by
//! X"), and signatory blocks — a header line ("Signed by", "Supported by:",
//! "On behalf of X"), then one signatory per line, "Name, description",
//! a description broken across lines belonging to the signatory above.
//!
//! Lines are found from the text's line breaks; everything else comes from
//! the [`Layout`]'s tokens and names.

use super::compiled::{Compiled, Flag, NONE};
use super::forms::{Context, Named};
use super::rules::Form;
use crate::normalize::{self, Case};
use std::ops::Range;

/// A line of the document as token and byte ranges.
#[derive(Clone, Debug)]
struct Line {
    bytes: Range<u32>,
    tokens: Range<usize>,
}

/// Lines longer than this are prose, not headings or list entries.
const LONG_LINE: usize = 300;
/// A description may run over this many further lines.
const CONTINUATIONS: usize = 3;

fn lines(ctx: &Context<'_>) -> Vec<Line> {
    let tokens = &ctx.layout.tokens;
    let mut t = 0;
    ctx.layout
        .lines
        .iter()
        .map(|line| {
            let first = t;
            while t < tokens.len() && tokens[t].start < line.bytes.end {
                t += 1;
            }
            if first < t {
                Line {
                    bytes: tokens[first].start..tokens[t - 1].end,
                    tokens: first..t,
                }
            } else {
                // A blank line: an empty token range marks it.
                Line {
                    bytes: line.bytes.start..line.bytes.start,
                    tokens: first..first,
                }
            }
        })
        .collect()
}

/// The first token of a line after a bullet or a number ("•", "-", "1.").
fn content_start(ctx: &Context<'_>, line: &Line) -> usize {
    let tokens = &ctx.layout.tokens;
    let mut t = line.tokens.start;
    while t < line.tokens.end {
        let tok = tokens[t];
        let is_number = tok.punct == 0
            && ctx.layout.text[tok.start as usize..tok.end as usize]
                .bytes()
                .all(|b| b.is_ascii_digit());
        if (tok.punct != 0 && !matches!(tok.punct, b'"' | b'\'' | b'(')) || is_number {
            t += 1;
            continue;
        }
        break;
    }
    t
}

/// Replaces unknown words one typo away from a trigger ("Suported",
/// "memeber") by that trigger, in `range`, and finds the triggers again.
fn correct_typos(ctx: &mut Context<'_>, range: Range<usize>) {
    let compiled: &Compiled = ctx.layout.rules;
    let mut changed = false;
    for t in range.clone() {
        let tok = ctx.layout.tokens[t];
        // Names are not typos of trigger words.
        if tok.word != NONE
            || tok.punct != 0
            || tok.end - tok.start < 6
            || ctx.layout.slot_at[t] != NONE
        {
            continue;
        }
        let folded = normalize::key(
            &ctx.layout.text[tok.start as usize..tok.end as usize],
            Case::Fold,
        );
        let word = compiled.fuzzy_word(&folded);
        if word != NONE {
            ctx.layout.tokens[t].word = word;
            changed = true;
        }
    }
    if changed {
        ctx.layout.scan_words(range);
    }
}

/// The trigger of a rule of `form` starting at token `t`.
fn trigger_at(ctx: &Context<'_>, t: usize, form: Form) -> Option<(u16, (usize, usize))> {
    let compiled = ctx.layout.rules;
    let triggers = &ctx.layout.triggers;
    // Sorted by start token.
    let first = triggers.partition_point(|trigger| trigger.tokens.0 < t);
    triggers[first..]
        .iter()
        .take_while(|trigger| trigger.tokens.0 == t)
        .filter(|trigger| trigger.tokens.0 == t)
        .filter(|trigger| compiled.rules[trigger.rule as usize].rule.form == form)
        .max_by_key(|trigger| trigger.tokens.1)
        .map(|trigger| (trigger.rule, trigger.tokens))
}

/// Reads heading lines and signatory blocks; returns the token ranges of
/// the signatories' descriptions, which running-text rules leave alone.
pub(crate) fn read(ctx: &mut Context<'_>) -> Vec<Range<usize>> {
    let compiled: &Compiled = ctx.layout.rules;
    let has = |form: Form| compiled.rules.iter().any(|r| r.rule.form == form);
    let (headings, blocks) = (has(Form::Heading), has(Form::Signatories));
    if !headings && !blocks {
        return Vec::new();
    }
    let lines = lines(ctx);
    let mut descriptions = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let short =
            !line.tokens.is_empty() && ((line.bytes.end - line.bytes.start) as usize) < LONG_LINE;
        if !short {
            i += 1;
            continue;
        }
        let first = content_start(ctx, line);
        correct_typos(ctx, first..(first + 3).min(line.tokens.end));
        if headings && let Some((rule, (_, te))) = trigger_at(ctx, first, Form::Heading) {
            let signers = sign_names(ctx, rule, te, line);
            if ctx.author.is_none() {
                ctx.author = signers.into_iter().next();
            }
        }
        if blocks && let Some((rule, (_, te))) = trigger_at(ctx, first, Form::Signatories) {
            let signers = sign_names(ctx, rule, te, line);
            if ctx.author.is_none() {
                ctx.author = signers.into_iter().next();
            }
            i = block(ctx, rule, &lines, i + 1, &mut descriptions);
            continue;
        }
        i += 1;
    }
    if ctx.author.is_none() {
        ctx.author = letterhead(ctx, &lines);
    }
    descriptions
}

/// A document whose first line is one organisation's name alone
/// ("SEIMAS OF THE REPUBLIC OF LITHUANIA"), or a document word and its
/// name ("Resolution of the Verkhovna Rada"), is that organisation's.
fn letterhead(ctx: &Context<'_>, lines: &[Line]) -> Option<Named> {
    let line = lines.iter().find(|l| !l.tokens.is_empty())?;
    let mut first = content_start(ctx, line);
    // "RESOLUTION OF THE VERKHOVNA RADA OF UKRAINE": a document word, "of"
    // or "by", the organisation.
    let layout = &ctx.layout;
    if layout.is(first, Flag::DocumentWord) && layout.slot_at[first] == NONE {
        let mut t = first + 1;
        if layout
            .tokens
            .get(t)
            .is_some_and(|tok| tok.word == layout.rules.of_word || tok.word == layout.rules.by_word)
        {
            t += 1;
            while layout.is(t, Flag::Determiner) && layout.slot_at[t] == NONE {
                t += 1;
            }
            first = t;
        }
    }
    if first >= line.tokens.end {
        return None;
    }
    let slot = ctx.layout.slot_at[first];
    if slot == NONE {
        return None;
    }
    let slot = &ctx.layout.slots[slot as usize];
    let rest_is_punctuation =
        (slot.tokens.end..line.tokens.end).all(|t| ctx.layout.tokens[t].punct != 0);
    if slot.tokens.start != first || !rest_is_punctuation {
        return None;
    }
    let entity = ctx.layout.pick(slot, super::rules::Types::ORGANISATION)?;
    Some(Named {
        entity,
        span: slot.bytes.clone(),
        certainty: 1.0,
    })
}

/// The names on a heading or header line after its trigger sign the
/// document.
fn sign_names(ctx: &mut Context<'_>, rule: u16, te: usize, line: &Line) -> Vec<Named> {
    let compiled: &Compiled = ctx.layout.rules;
    let r = &compiled.rules[rule as usize];
    let names = ctx.names_after(te, line.tokens.end, r.rule.subject, r.rule.gap);
    for name in &names {
        ctx.push_at(rule, r.kind, name.clone(), None, line.bytes.clone());
    }
    names
}

/// One signatory of a block.
struct Entry {
    name: Option<Named>,
    person: bool,
    bytes: Range<u32>,
    description: Range<usize>,
    continuations: usize,
}

/// Reads the block starting at line `from`; returns the line after it.
fn block(
    ctx: &mut Context<'_>,
    rule: u16,
    lines: &[Line],
    from: usize,
    descriptions: &mut Vec<Range<usize>>,
) -> usize {
    let compiled: &Compiled = ctx.layout.rules;
    let subject_types = compiled.rules[rule as usize].rule.subject;
    let mut entries: Vec<Entry> = Vec::new();
    let mut blanks = 0;
    let mut i = from;
    while i < lines.len() {
        let line = &lines[i];
        if line.tokens.is_empty() {
            blanks += 1;
            i += 1;
            continue;
        }
        if (line.bytes.end - line.bytes.start) as usize >= LONG_LINE {
            break;
        }
        let first = content_start(ctx, line);
        correct_typos(ctx, line.tokens.clone());
        if trigger_at(ctx, first, Form::Signatories).is_some() {
            break;
        }
        let slot = ctx.layout.slot_at[first];
        let named = (slot != NONE)
            .then(|| &ctx.layout.slots[slot as usize])
            .filter(|s| s.tokens.start == first)
            // "Anna Politkovskaya Foundation": a longer name the gazetteers
            // do not know, not the person.
            .filter(|s| {
                ctx.layout
                    .tokens
                    .get(s.tokens.end)
                    .is_none_or(|t| !(t.punct == 0 && t.upper) || s.tokens.end >= line.tokens.end)
            })
            .and_then(|s| {
                let entity = ctx.layout.pick(s, subject_types)?;
                Some((s.tokens.end, s.bytes.clone(), entity))
            });
        if let Some((end, bytes, entity)) = named {
            let person = compiled.entity_type(entity) == crate::model::EntityType::Person;
            entries.push(Entry {
                name: Some(Named {
                    entity,
                    span: bytes,
                    certainty: 1.0,
                }),
                person,
                bytes: line.bytes.clone(),
                description: end..line.tokens.end,
                continuations: 0,
            });
        } else if looks_like_a_name(ctx, first, line.tokens.end) {
            // A signatory the gazetteers do not know: it ends the one
            // above, and gives nothing.
            entries.push(Entry {
                name: None,
                person: false,
                bytes: line.bytes.clone(),
                description: line.tokens.end..line.tokens.end,
                continuations: 0,
            });
        } else if let Some(last) = entries.last_mut()
            && blanks <= 1
            && last.continuations < CONTINUATIONS
            && ends_mid_phrase(ctx, last.description.end)
            && !is_dateline(ctx, line)
        {
            last.continuations += 1;
            last.bytes.end = line.bytes.end;
            last.description.end = line.tokens.end;
        } else {
            break;
        }
        blanks = 0;
        i += 1;
    }
    let kind = compiled.rules[rule as usize].kind;
    for entry in entries {
        let Some(name) = entry.name else { continue };
        ctx.push_at(rule, kind, name.clone(), None, entry.bytes.clone());
        if entry.person {
            describe(ctx, &name, entry.description.clone(), entry.bytes.clone());
            descriptions.push(entry.description);
        }
    }
    i
}

/// Whether the line ending before token `end` stops mid-phrase ("former
/// Deputy", "on foreign", or inside a name that goes on), so that the next
/// line continues it; a line ending with a complete name ("…, Vilnius") or a
/// full stop does not.
fn ends_mid_phrase(ctx: &Context<'_>, end: usize) -> bool {
    let Some(last) = end.checked_sub(1) else {
        return false;
    };
    let tok = ctx.layout.tokens[last];
    if tok.punct != 0 {
        return matches!(tok.punct, b',' | b'-' | b'(' | b'"');
    }
    match ctx.layout.slot_at[last] {
        NONE => true,
        slot => ctx.layout.slots[slot as usize].tokens.end > end,
    }
}

/// A line that is a place and a date ("Kyiv, 3 June 2032") or a date alone:
/// the foot of a letter, not a description.
fn is_dateline(ctx: &Context<'_>, line: &Line) -> bool {
    let text = &ctx.layout.text[line.bytes.start as usize..line.bytes.end as usize];
    text.len() <= 60
        && super::dates::dates(text)
            .last()
            .is_some_and(|d| text[d.span.end..].trim_matches(['.', ' ']).is_empty())
}

/// "Jane Doe, ...": two to five capitalised words, then a comma, a
/// parenthesis, a spaced dash or the end of the line.
fn looks_like_a_name(ctx: &Context<'_>, first: usize, end: usize) -> bool {
    let tokens = &ctx.layout.tokens;
    let mut words = 0;
    let mut t = first;
    while t < end {
        let tok = tokens[t];
        if tok.punct == 0 {
            if !tok.upper {
                return false;
            }
            words += 1;
        } else if tok.punct == b',' || tok.punct == b'(' {
            break;
        } else if tok.punct == b'-' && t > first && tokens[t - 1].end < tok.start {
            // "Jane Doe — journalist": a dash between spaces ends the name.
            break;
        } else {
            // Hyphens and apostrophes inside a name ("Umar-Ali", "O'Neil"),
            // not a dash between words.
            let joined = t > first
                && tokens[t - 1].end == tok.start
                && tokens.get(t + 1).is_some_and(|n| n.start == tok.end);
            if !(joined && matches!(tok.punct, b'-' | b'\'' | b'.')) {
                return false;
            }
        }
        t += 1;
    }
    (2..=5).contains(&words)
}

/// Applies the description rules (roles, the trailing place, names in
/// parentheses) to one signatory's description.
fn describe(
    ctx: &mut Context<'_>,
    person: &Named,
    description: Range<usize>,
    evidence: Range<u32>,
) {
    let compiled: &Compiled = ctx.layout.rules;
    let triggers: Vec<(u16, (usize, usize))> = ctx
        .layout
        .triggers
        .iter()
        .filter(|t| description.contains(&t.tokens.0) && t.tokens.1 <= description.end)
        .filter(|t| compiled.rules[t.rule as usize].rule.form == Form::Role)
        .map(|t| (t.rule, t.tokens))
        .collect();
    let before = ctx.hits.len();
    for (rule, tokens) in triggers {
        ctx.role(rule, tokens, Some((person, description.clone())));
    }
    for (index, rule) in compiled.rules.iter().enumerate() {
        match rule.rule.form {
            Form::SignatoryTail => {
                if let Some(place) = ctx.tail_name(description.clone(), rule.rule.object) {
                    ctx.push_at(
                        index as u16,
                        rule.kind,
                        person.clone(),
                        Some(place),
                        evidence.clone(),
                    );
                }
            }
            Form::SignatoryParenthesis => {
                for org in ctx.parenthesised_names(description.clone(), rule.rule.object) {
                    ctx.push_at(
                        index as u16,
                        rule.kind,
                        person.clone(),
                        Some(org),
                        evidence.clone(),
                    );
                }
            }
            _ => {}
        }
    }
    // A signatory's relations are evidenced by the whole entry.
    for hit in &mut ctx.hits[before..] {
        hit.evidence = evidence.clone();
    }
}
