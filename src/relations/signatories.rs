//! Document structure: heading lines that name the authors ("Appeal by
//! X"), and signatory blocks — a header line ("Signed by", "Supported by:",
//! "On behalf of X"), then one signatory per line, "Name, description",
//! a description broken across lines belonging to the signatory above.
//!
//! Lines are found from the text's line breaks; everything else comes from
//! the [`Layout`]'s tokens and names.

use super::compiled::{Compiled, Flag, NONE};
use super::forms::{Context, Named};
use super::rules::{Form, Types};
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

/// What opens a block of entries.
#[derive(Clone, Copy)]
enum Header {
    /// A signing header ("Signed by:", "Sincerely,", "The signatures
    /// follow:"): the entries sign, by this rule.
    Signing(u16),
    /// Any other short line ending in a colon ("Speakers:"): the entries'
    /// descriptions are read, but nobody signs.
    List,
    /// No header: a name alone on its line, its title on the next (an
    /// address block). Descriptions are read; nobody signs.
    Bare,
    /// No header: the short lines after a letter's last paragraph.
    Foot,
}

/// Whether a document speaks in its own voice, as letters, appeals and
/// statements do: a document word in its title ("Open Letter on …"), or
/// "we" in its text. A list of people at the foot of such a document is
/// its signatories; at the foot of a news item it is not.
struct Voice {
    /// The first token from which on the document has spoken so (0 for a
    /// title with a document word), if any.
    from: Option<u32>,
    /// The rule signatures found this way are recorded under.
    rule: Option<u16>,
}

impl Voice {
    fn of(ctx: &Context<'_>, lines: &[Line]) -> Voice {
        let layout = &ctx.layout;
        let compiled = layout.rules;
        let rule = compiled
            .rules
            .iter()
            .position(|r| r.rule.form == Form::Signatories && !r.rule.entries_sign)
            .map(|r| r as u16);
        let titled = lines
            .iter()
            .find(|l| !l.tokens.is_empty())
            .is_some_and(|l| {
                l.tokens
                    .clone()
                    .any(|t| layout.is(t, Flag::DocumentWord) && layout.slot_at[t] == NONE)
            });
        let from = if titled {
            Some(0)
        } else {
            (0..layout.tokens.len())
                .find(|&t| layout.is(t, Flag::We))
                .map(|t| t as u32)
        };
        Voice { from, rule }
    }

    /// The rule to sign by for a block that starts at `line`, if the
    /// document has spoken in its own voice by then.
    fn at(&self, line: &Line) -> Option<u16> {
        (self.from? as usize <= line.tokens.start)
            .then_some(self.rule)
            .flatten()
    }
}

/// A line this long is a paragraph of prose, not a signatory's entry.
const PROSE_LINE: u32 = 120;
/// A line of this many words ending in a full stop is a sentence.
const SENTENCE_WORDS: usize = 10;

/// Whether a line is prose: long, or a sentence of many words.
fn is_prose(ctx: &Context<'_>, line: &Line) -> bool {
    if line.bytes.end - line.bytes.start >= PROSE_LINE {
        return true;
    }
    let tokens = &ctx.layout.tokens[line.tokens.clone()];
    let words = tokens.iter().filter(|t| t.punct == 0).count();
    words >= SENTENCE_WORDS
        && tokens
            .last()
            .is_some_and(|t| matches!(t.punct, b'.' | b'!' | b'?'))
}

/// Where the short lines after the last paragraph of prose start, if that
/// is after `read_to` (the end of the last block read).
fn foot_start(ctx: &Context<'_>, lines: &[Line], read_to: usize) -> Option<usize> {
    let last_prose = lines.iter().rposition(|l| is_prose(ctx, l))?;
    let start = (last_prose + 1..lines.len()).find(|&i| !lines[i].tokens.is_empty())?;
    (start >= read_to).then_some(start)
}

/// Whether neither prose nor a signing header follows line `from`: a
/// block there is at the foot of the document, and its signatories.
fn at_foot(ctx: &Context<'_>, lines: &[Line], from: usize) -> bool {
    !lines[from.min(lines.len())..].iter().any(|l| {
        is_prose(ctx, l)
            || (!l.tokens.is_empty()
                && trigger_at(ctx, content_start(ctx, l), Form::Signatories).is_some())
    })
}

/// Whether line `i` is a person's name alone with a title on the very next
/// line ("Jane Doe" / "President of X").
fn starts_bare_block(ctx: &Context<'_>, lines: &[Line], i: usize, first: usize) -> bool {
    let line = &lines[i];
    let Some(next) = lines.get(i + 1).filter(|l| !l.tokens.is_empty()) else {
        return false;
    };
    if (next.bytes.end - next.bytes.start) as usize >= LONG_LINE {
        return false;
    }
    let entries = line_entries(ctx, first, line.tokens.end, Types::PERSON);
    let [(_, true, description)] = entries.as_slice() else {
        return false;
    };
    let rest_is_punctuation = description.clone().all(|t| ctx.layout.tokens[t].punct != 0);
    rest_is_punctuation && starts_with_role(ctx, content_start(ctx, next), next.tokens.end)
}

/// A header line this short may carry its signing word anywhere ("The
/// signatures appear below:"); a longer one is a sentence.
const SHORT_HEADER: u32 = 100;

/// How a short line opens a block, if it does: a signatories trigger at its
/// start, a signing word anywhere on a short line ending in a colon or a
/// comma, or a colon at its end.
fn header(ctx: &Context<'_>, line: &Line, first: usize) -> Option<Header> {
    if let Some((rule, _)) = trigger_at(ctx, first, Form::Signatories) {
        return Some(Header::Signing(rule));
    }
    let last = ctx.layout.tokens[line.tokens.end - 1].punct;
    if !matches!(last, b':' | b',') {
        return None;
    }
    let compiled = ctx.layout.rules;
    // The triggers are sorted by their first token.
    let triggers = &ctx.layout.triggers;
    let from = triggers.partition_point(|t| t.tokens.0 < line.tokens.start);
    if line.bytes.end - line.bytes.start <= SHORT_HEADER
        && let Some(trigger) = triggers[from..]
            .iter()
            .take_while(|t| t.tokens.0 < line.tokens.end)
            .find(|t| compiled.rules[t.rule as usize].rule.form == Form::Signatories)
    {
        return Some(Header::Signing(trigger.rule));
    }
    (last == b':' && !ctx.layout.is(first, Flag::BlockEnd)).then_some(Header::List)
}

/// Reads heading lines and signatory blocks; returns the token ranges of
/// the signatories' descriptions, which running-text rules leave alone.
pub(crate) fn read(ctx: &mut Context<'_>) -> Vec<Range<usize>> {
    let compiled: &Compiled = ctx.layout.rules;
    let has = |form: Form| compiled.rules.iter().any(|r| r.rule.form == form);
    let (headings, blocks) = (has(Form::Heading), has(Form::Signatories));
    if has(Form::Sponsors) {
        sponsors(ctx);
    }
    if !headings && !blocks {
        return Vec::new();
    }
    let lines = lines(ctx);
    let voice = Voice::of(ctx, &lines);
    let mut descriptions = Vec::new();
    // The line after the last block read.
    let mut read_to = 0;
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
        if !blocks || first >= line.tokens.end {
            i += 1;
            continue;
        }
        let Some(opened) = header(ctx, line, first) else {
            // "His Excellency Jane Doe" above "Minister of X": an address or
            // a signature without a header gives roles, not signatures.
            if starts_bare_block(ctx, &lines, i, first)
                && let Some(next) = block(
                    ctx,
                    Header::Bare,
                    &lines,
                    i,
                    voice.at(line),
                    &mut descriptions,
                )
            {
                i = next;
                read_to = next;
            } else {
                i += 1;
            }
            continue;
        };
        if let Header::Signing(rule) = opened
            && let Some((_, (_, te))) = trigger_at(ctx, first, Form::Signatories)
        {
            let signers = sign_names(ctx, rule, te, line);
            if ctx.author.is_none() {
                ctx.author = signers.into_iter().next();
            }
        }
        match block(
            ctx,
            opened,
            &lines,
            i + 1,
            voice.at(line),
            &mut descriptions,
        ) {
            Some(next) => {
                i = next;
                read_to = next;
            }
            None => i += 1,
        }
    }
    // A letter ending in a run of signatories with no header at all.
    if blocks
        && let Some(start) = foot_start(ctx, &lines, read_to)
        && let Some(rule) = voice.at(&lines[start])
    {
        block(
            ctx,
            Header::Foot,
            &lines,
            start,
            Some(rule),
            &mut descriptions,
        );
    }
    if headings {
        title_signers(ctx, &lines);
    }
    infobox(ctx, &lines, &mut descriptions);
    if ctx.author.is_none() {
        ctx.author = letterhead(ctx, &lines);
    }
    descriptions
}

/// The title of a document that names its authors after "by", a few words
/// after a document word ("Joint Statement on X by A, B and C",
/// "Resolution adopted by the Assembly on 2 May"): each item of the list
/// after "by" names a signer, titles before the names allowed.
fn title_signers(ctx: &mut Context<'_>, lines: &[Line]) {
    let compiled: &Compiled = ctx.layout.rules;
    let Some(rule) = compiled
        .rules
        .iter()
        .position(|r| r.rule.form == Form::Heading)
    else {
        return;
    };
    let Some(line) = lines.iter().find(|l| !l.tokens.is_empty()) else {
        return;
    };
    if (line.bytes.end - line.bytes.start) as usize >= LONG_LINE {
        return;
    }
    let layout = &ctx.layout;
    let free = |t: usize| layout.slot_at[t] == NONE;
    let Some(document) = line
        .tokens
        .clone()
        .find(|&t| layout.is(t, Flag::DocumentWord) && free(t))
    else {
        return;
    };
    let Some(by) = (document + 1..line.tokens.end)
        .find(|&t| layout.tokens[t].word == compiled.by_word && free(t))
    else {
        return;
    };
    // The heading rule already read "Statement by X".
    if ctx
        .hits
        .iter()
        .any(|h| h.evidence.start == line.bytes.start)
    {
        return;
    }
    let types = compiled.rules[rule].rule.subject;
    let mut signers = Vec::new();
    let mut item = by + 1;
    while item < line.tokens.end {
        let mut item_end = item;
        while item_end < line.tokens.end
            && layout.tokens[item_end].punct != b','
            && !(layout.is(item_end, Flag::Coordinator) && free(item_end))
        {
            item_end += 1;
        }
        if let Some((tokens, entity)) = entry_name(ctx, item, item_end, types) {
            signers.push(Named {
                entity,
                span: layout.tokens[tokens.start].start..layout.tokens[tokens.end - 1].end,
                certainty: 1.0,
            });
        } else if signers.is_empty() {
            // "by Country": no name in the first item, no list of authors.
            return;
        }
        item = item_end + 1;
    }
    let kind = compiled.rules[rule].kind;
    for signer in &signers {
        ctx.push_at(rule as u16, kind, signer.clone(), None, line.bytes.clone());
    }
    if ctx.author.is_none() {
        ctx.author = signers.into_iter().next();
    }
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

/// A letterhead-like organisation of a block that the people below it
/// speak for ("For the Government of X." above "(Signed) Name, Minister").
#[derive(Clone)]
struct Above {
    org: Named,
    /// The line of the organisation's entry.
    line: usize,
}

/// One signatory of a block.
struct Entry {
    name: Option<Named>,
    person: bool,
    bytes: Range<u32>,
    description: Range<usize>,
    /// A title on the line(s) before the name ("President of X" above
    /// "Name").
    title: Option<Range<usize>>,
    /// The organisation the entry speaks for, from the entry above.
    above: Option<Named>,
    continuations: usize,
    /// The last line the entry takes.
    line: usize,
}

/// How many entries without a description in a row a list header needs
/// before its block counts: "Speakers:" then at least two people.
const LIST_ENTRIES: usize = 2;

/// Reads the block starting at line `from`; returns the line after it, or
/// `None` when a list header's lines are not a list of people.
fn block(
    ctx: &mut Context<'_>,
    header: Header,
    lines: &[Line],
    from: usize,
    foot_rule: Option<u16>,
    descriptions: &mut Vec<Range<usize>>,
) -> Option<usize> {
    let compiled: &Compiled = ctx.layout.rules;
    let subject_types = match header {
        Header::Signing(rule) => compiled.rules[rule as usize].rule.subject,
        Header::List | Header::Bare | Header::Foot => Types::PERSON,
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut blanks = 0;
    let mut title: Option<(Range<usize>, u32, usize)> = None;
    let mut above: Option<Above> = None;
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
        if first >= line.tokens.end {
            // A line of punctuation ("* * *", "___"): a signature rule.
            i += 1;
            continue;
        }
        if trigger_at(ctx, first, Form::Signatories).is_some()
            || ctx.layout.is(first, Flag::BlockEnd)
        {
            break;
        }
        let named = line_entries(ctx, first, line.tokens.end, subject_types);
        if !named.is_empty() {
            let pending = title.take().filter(|(_, _, at)| i - at <= 2);
            let speaks_for = above
                .as_ref()
                .filter(|a| i - a.line <= 2)
                .map(|a| a.org.clone());
            let mut new_above = None;
            for (k, (name, person, description)) in named.into_iter().enumerate() {
                let mut bytes = line.bytes.clone();
                let mut entry_title = None;
                if k == 0
                    && let Some((range, start, _)) = &pending
                {
                    bytes.start = *start;
                    entry_title = Some(range.clone());
                }
                if !person && k == 0 && bare(ctx, &description) {
                    new_above = Some(Above {
                        org: name.clone(),
                        line: i,
                    });
                }
                entries.push(Entry {
                    name: Some(name),
                    person,
                    bytes,
                    description,
                    title: entry_title,
                    above: speaks_for.clone().filter(|_| person),
                    continuations: 0,
                    line: i,
                });
            }
            above = new_above;
        } else if looks_like_a_name(ctx, first, line.tokens.end)
            && !starts_with_role(ctx, first, line.tokens.end)
        {
            // A signatory the gazetteers do not know: it ends the one
            // above, and gives nothing.
            entries.push(Entry {
                name: None,
                person: false,
                bytes: line.bytes.clone(),
                description: line.tokens.end..line.tokens.end,
                title: None,
                above: None,
                continuations: 0,
                line: i,
            });
            title = None;
            above = None;
        } else if let Some(last) = entries.last_mut()
            && last.continuations < CONTINUATIONS
            && !is_prose(ctx, line)
            && ((blanks <= 1
                && !last.description.is_empty()
                && ends_mid_phrase(ctx, last.description.end))
                || (blanks == 0
                    && last.line + 1 == i
                    && (bare(ctx, &last.description)
                        || starts_with_role(ctx, first, line.tokens.end))))
            && !is_dateline(ctx, line)
        {
            // The description goes on, or starts, on this line ("Name" then
            // "President, Association of X").
            last.continuations += 1;
            last.bytes.end = line.bytes.end;
            if bare(ctx, &last.description) {
                last.description = first..line.tokens.end;
            } else {
                last.description.end = line.tokens.end;
            }
            last.line = i;
        } else if is_label(ctx, line, first) {
            // "Georgia:", "Column 2", "Members of the board": a label over
            // the entries that follow.
            title = None;
            above = None;
        } else if blanks <= 1 && starts_with_role(ctx, first, line.tokens.end) {
            // A title above the name it belongs to.
            title = Some((first..line.tokens.end, line.bytes.start, i));
        } else {
            break;
        }
        blanks = 0;
        i += 1;
    }
    let named = entries.iter().filter(|e| e.name.is_some()).count();
    if matches!(header, Header::List | Header::Foot) && named < LIST_ENTRIES {
        return None;
    }
    // A list, an address or a run of names at the foot of a letter, with
    // nothing but short lines after it: the letter's signatories.
    let signing = match header {
        Header::Signing(rule) => Some(rule),
        _ => foot_rule.filter(|_| at_foot(ctx, lines, i)),
    };
    for entry in entries {
        let Some(name) = entry.name else { continue };
        if let Some(rule) = signing {
            let kind = compiled.rules[rule as usize].kind;
            ctx.push_at(rule, kind, name.clone(), None, entry.bytes.clone());
            if compiled.rules[rule as usize].rule.entries_sign {
                for org in names_in(ctx, entry.description.clone(), Types::ORGANISATION) {
                    ctx.push_at(rule, kind, org, None, entry.bytes.clone());
                }
            }
        }
        if entry.person {
            for range in entry
                .title
                .iter()
                .chain(std::iter::once(&entry.description))
            {
                describe(
                    ctx,
                    &name,
                    range.clone(),
                    entry.bytes.clone(),
                    entry.above.as_ref(),
                );
                descriptions.push(range.clone());
            }
        }
    }
    Some(i)
}

/// The signatories a line names, each with its description: one entry, or
/// several separated by semicolons ("The X Committee; the Y Union"), or
/// names alone separated by commas ("Label – A, B and C").
fn line_entries(
    ctx: &Context<'_>,
    first: usize,
    end: usize,
    types: Types,
) -> Vec<(Named, bool, Range<usize>)> {
    let layout = &ctx.layout;
    let compiled = layout.rules;
    let mut found = Vec::new();
    let mut item = first;
    while item < end {
        let mut item_end = item;
        while item_end < end && layout.tokens[item_end].punct != b';' {
            item_end += 1;
        }
        // "Label – A, B": the names after a short label and a dash or colon.
        let labelled = || {
            let stop = (item..item_end.min(item + 6)).find(|&t| {
                let tok = layout.tokens[t];
                tok.punct == b':'
                    || (tok.punct == b'-' && t > item && layout.tokens[t - 1].end < tok.start)
            })?;
            entry_name(ctx, stop + 1, item_end, types)
        };
        let Some((tokens, entity)) = entry_name(ctx, item, item_end, types).or_else(labelled)
        else {
            if found.is_empty() {
                return found;
            }
            item = item_end + 1;
            continue;
        };
        let person = compiled.entity_type(entity) == crate::model::EntityType::Person;
        let mut names = vec![(tokens.clone(), entity)];
        let mut t = tokens.end;
        // "Label – A, B and C": further names alone, each ending at a comma,
        // a coordinator or the item's end.
        if person {
            loop {
                let mut u = t;
                while u < item_end
                    && (layout.tokens[u].punct == b',' || layout.is(u, Flag::Coordinator))
                    && layout.slot_at[u] == NONE
                {
                    u += 1;
                }
                if u == t || u >= item_end {
                    break;
                }
                let slot = layout.slot_at[u];
                if slot == NONE {
                    break;
                }
                let slot = &layout.slots[slot as usize];
                let Some(other) = layout.pick(slot, Types::PERSON) else {
                    break;
                };
                let after = slot.tokens.end;
                let alone = after >= item_end
                    || matches!(layout.tokens[after].punct, b',' | b'.')
                    || layout.is(after, Flag::Coordinator);
                if slot.tokens.start != u || !alone {
                    break;
                }
                names.push((slot.tokens.clone(), other));
                t = after;
            }
        }
        let description = t..item_end;
        let several = names.len() > 1;
        for (tokens, entity) in names {
            let named = Named {
                entity,
                span: layout.tokens[tokens.start].start..layout.tokens[tokens.end - 1].end,
                certainty: 1.0,
            };
            let own = if several {
                description.end..description.end
            } else {
                description.clone()
            };
            found.push((named, person, own));
        }
        item = item_end + 1;
    }
    found
}

/// Title words that may stand before a signatory's name on its line
/// ("People's Commissar X", "Dutch Prime Minister X").
const TITLE_WORDS: usize = 4;

/// The name a signatory entry starts with: after bullets and numbers,
/// signature words ("(Signed)", "For", "Mr."), determiners and up to
/// [`TITLE_WORDS`] capitalised title words, a person of `types`; or an
/// organisation of `types` standing first ("For the X Committee.") or
/// after a role and "of" ("the delegate of the X Committee").
fn entry_name(
    ctx: &Context<'_>,
    from: usize,
    end: usize,
    types: Types,
) -> Option<(Range<usize>, u32)> {
    let layout = &ctx.layout;
    let persons = types.has(crate::model::EntityType::Person);
    let organisations = types.has(crate::model::EntityType::Organisation);
    let mut org = None;
    let mut titles = 0;
    let mut t = from;
    while t < end {
        let slot = layout.slot_at[t];
        if slot != NONE {
            let slot = &layout.slots[slot as usize];
            if slot.tokens.start < from {
                return None;
            }
            if persons && let Some(person) = layout.pick(slot, Types::PERSON) {
                // "Anna Politkovskaya Foundation": a longer name the
                // gazetteers do not know, not the person; but "Name OAM",
                // "Name Executive Secretary" are a person and a title.
                if titles == 0 && longer_name(ctx, slot, end) {
                    return None;
                }
                return Some((slot.tokens.clone(), person));
            }
            if organisations
                && titles == 0
                && org.is_none()
                && let Some(found) = layout.pick(slot, Types::ORGANISATION)
            {
                org = Some((slot.tokens.clone(), found));
            } else {
                titles += 1;
            }
            if titles > TITLE_WORDS {
                break;
            }
            t = slot.tokens.end;
            continue;
        }
        let tok = layout.tokens[t];
        if tok.punct != 0 {
            match tok.punct {
                b',' | b';' | b':' => break,
                b'-' if t > from && layout.tokens[t - 1].end < tok.start => break,
                _ => {
                    t += 1;
                    continue;
                }
            }
        }
        let joined = t > from
            && layout.tokens[t - 1].punct == b'\''
            && layout.tokens[t - 1].end == tok.start;
        if layout.is(t, Flag::SignatureWord) || layout.is(t, Flag::Determiner) || joined {
            t += 1;
            continue;
        }
        let digits = layout.text[tok.start as usize..tok.end as usize]
            .bytes()
            .all(|b| b.is_ascii_digit());
        if digits && titles == 0 && org.is_none() {
            t += 1;
            continue;
        }
        if !tok.upper && organisations && titles == 0 && org.is_none() {
            // "the delegate of the X": the body its representative signs for.
            return represented_body(ctx, t, end);
        }
        if !tok.upper || org.is_some() {
            break;
        }
        titles += 1;
        if titles > TITLE_WORDS {
            break;
        }
        t += 1;
    }
    org
}

/// The organisation a role at token `t` names with "of" ("delegate of the
/// X", "representative of the X"), standing right after it.
fn represented_body(ctx: &Context<'_>, t: usize, end: usize) -> Option<(Range<usize>, u32)> {
    let layout = &ctx.layout;
    let (_, (_, te)) = trigger_at(ctx, t, Form::Role)?;
    if layout
        .tokens
        .get(te)
        .is_none_or(|tok| tok.word != layout.rules.of_word)
    {
        return None;
    }
    let mut u = te + 1;
    while u < end && layout.is(u, Flag::Determiner) {
        u += 1;
    }
    let slot = &layout.slots[*layout.slot_at.get(u).filter(|&&s| s != NONE)? as usize];
    if slot.tokens.start != u || slot.tokens.end > end {
        return None;
    }
    let body = layout.pick(slot, Types::ORGANISATION)?;
    Some((slot.tokens.clone(), body))
}

/// Whether the name `slot` goes on, unknown to the gazetteers, in the
/// capitalised word after it ("Anna Politkovskaya Foundation"): not when
/// that word is a signature word, an honour in capitals after a name that
/// is not ("Jane Doe OAM"), or a title within three words ("Jane Doe
/// Executive Secretary").
fn longer_name(ctx: &Context<'_>, slot: &super::layout::Slot, end: usize) -> bool {
    let layout = &ctx.layout;
    let next = slot.tokens.end;
    let Some(tok) = layout.tokens.get(next).filter(|_| next < end) else {
        return false;
    };
    if tok.punct != 0 || !tok.upper || layout.is(next, Flag::SignatureWord) {
        return false;
    }
    let all_caps = |t: &super::layout::Tok| {
        let text = &layout.text[t.start as usize..t.end as usize];
        text.chars().all(|c| !c.is_lowercase())
    };
    let name_in_caps = layout.tokens[slot.tokens.clone()]
        .iter()
        .filter(|t| t.punct == 0)
        .all(all_caps);
    if all_caps(tok) && !name_in_caps && tok.end - tok.start <= 5 {
        return false;
    }
    !(next..end.min(next + 3)).any(|t| is_title_word(ctx, t))
}

/// Whether a description is empty or punctuation only ("Name," or "For
/// the X Union.").
fn bare(ctx: &Context<'_>, description: &Range<usize>) -> bool {
    description.clone().all(|t| ctx.layout.tokens[t].punct != 0)
}

/// Whether token `t` starts a role title ("President", "Deputy Chair").
fn is_title_word(ctx: &Context<'_>, t: usize) -> bool {
    trigger_at(ctx, t, Form::Role).is_some()
}

/// Whether the line from `first` to `end` starts with a role title,
/// after at most two capitalised words or determiners ("President, X",
/// "Deputy Chair", "Executive Secretary").
fn starts_with_role(ctx: &Context<'_>, first: usize, end: usize) -> bool {
    let layout = &ctx.layout;
    for t in first..end.min(first + 3) {
        if is_title_word(ctx, t) {
            return true;
        }
        let tok = layout.tokens[t];
        // "Office: President of X" is a key and its value (see `infobox`).
        if (tok.punct == 0 && !tok.upper && !layout.is(t, Flag::Determiner)) || tok.punct == b':' {
            return false;
        }
    }
    false
}

/// A label over entries: a short line ending in a colon ("Georgia:"), or
/// of at most three words and no full stop ("Column 2").
fn is_label(ctx: &Context<'_>, line: &Line, first: usize) -> bool {
    let layout = &ctx.layout;
    let last = layout.tokens[line.tokens.end - 1].punct;
    if last == b':' {
        return true;
    }
    let words = (first..line.tokens.end)
        .filter(|&t| layout.tokens[t].punct == 0)
        .count();
    words <= 3 && last != b'.' && layout.tokens[first].upper
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
        && super::dates::dates(text, &ctx.layout.rules.dates)
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

/// Applies the description rules to one signatory's description: roles
/// ("President of X", "Chairman, X", "President X"; a role naming no
/// organisation is in the one the entry speaks for, `above`), the trailing
/// place, names in parentheses, and organisations named without a role.
fn describe(
    ctx: &mut Context<'_>,
    person: &Named,
    description: Range<usize>,
    evidence: Range<u32>,
    above: Option<&Named>,
) {
    let compiled: &Compiled = ctx.layout.rules;
    let all = &ctx.layout.triggers;
    let from = all.partition_point(|t| t.tokens.0 < description.start);
    let inside: Vec<super::layout::Trigger> = all[from..]
        .iter()
        .take_while(|t| t.tokens.0 < description.end)
        .filter(|t| t.tokens.1 <= description.end)
        .copied()
        .collect();
    // "minister" inside "Prime Minister": the longer role decides.
    let triggers: Vec<(u16, (usize, usize))> = super::outermost_roles(compiled, &inside)
        .iter()
        .filter(|t| compiled.rules[t.rule as usize].rule.form == Form::Role)
        .map(|t| (t.rule, t.tokens))
        .collect();
    let before = ctx.hits.len();
    // The organisations a role claims; the others are plain memberships.
    let mut claimed: Vec<u32> = Vec::new();
    for (k, &(rule, tokens)) in triggers.iter().enumerate() {
        let from = ctx.hits.len();
        ctx.role(rule, tokens, Some((person, description.clone())));
        if ctx.hits.len() == from {
            // "Chairman, X" or "President X": the organisation right after
            // the role, before the next role.
            let next_role = triggers.get(k + 1).map_or(description.end, |t| t.1.0);
            let r = &compiled.rules[rule as usize];
            let kind = ctx.role_kind(rule, tokens.0, description.start);
            if let super::rules::Target::Entity(types) = r.rule.object {
                // A state after the comma is where the signatory lives
                // ("commander, Chechnya"), not what the role heads.
                let bodies = if types.has(crate::model::EntityType::Organisation) {
                    Types::ORGANISATION
                } else {
                    types
                };
                let object = name_after_role(ctx, tokens.1, next_role.max(tokens.1), bodies)
                    .or_else(|| {
                        above
                            .filter(|o| types.has(compiled.entity_type(o.entity)))
                            .cloned()
                    });
                if let Some(object) = object {
                    ctx.push_at(rule, kind, person.clone(), Some(object), evidence.clone());
                }
            }
        }
        for hit in &ctx.hits[from..] {
            if let Some(object) = &hit.object {
                claimed.push(object.entity);
            }
        }
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
                    claimed.push(org.entity);
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
    for (index, rule) in compiled.rules.iter().enumerate() {
        if rule.rule.form != Form::SignatoryOrganisation {
            continue;
        }
        let super::rules::Target::Entity(types) = rule.rule.object else {
            continue;
        };
        for org in names_in(ctx, description.clone(), types) {
            // "Ambassador to X", "co-founder of X": a role's object or an
            // ambassador's host, not a membership.
            let at = ctx
                .layout
                .tokens
                .partition_point(|t| t.start < org.span.start);
            if !claimed.contains(&org.entity) && !ctx.layout.prepositional(at) {
                ctx.push_at(
                    index as u16,
                    rule.kind,
                    person.clone(),
                    Some(org),
                    evidence.clone(),
                );
            }
        }
    }
    // A signatory's relations are evidenced by the whole entry, and the
    // line above that names the body it speaks for.
    for hit in &mut ctx.hits[before..] {
        let mut whole = evidence.clone();
        for span in std::iter::once(&hit.subject.span).chain(hit.object.as_ref().map(|o| &o.span)) {
            whole.start = whole.start.min(span.start);
            whole.end = whole.end.max(span.end);
        }
        hit.evidence = whole;
    }
}

/// "Chairman, X", "President - X", "President X": the first name of
/// `types` after a role, with only punctuation and determiners between,
/// before `end`.
fn name_after_role(ctx: &Context<'_>, from: usize, end: usize, types: Types) -> Option<Named> {
    let layout = &ctx.layout;
    let mut t = from;
    while t < end {
        let slot = layout.slot_at[t];
        if slot != NONE {
            let slot = &layout.slots[slot as usize];
            let entity = layout.pick(slot, types)?;
            return Some(Named {
                entity,
                span: slot.bytes.clone(),
                certainty: 1.0,
            });
        }
        let tok = layout.tokens[t];
        let skip = (tok.punct != 0 && tok.punct != b';' && tok.punct != b'(')
            || layout.is(t, Flag::Determiner);
        if !skip {
            return None;
        }
        t += 1;
    }
    None
}

/// Every name of `types` in the token range.
fn names_in(ctx: &Context<'_>, range: Range<usize>, types: Types) -> Vec<Named> {
    let layout = &ctx.layout;
    let mut names = Vec::new();
    let mut t = range.start;
    while t < range.end {
        let slot = layout.slot_at[t];
        if slot == NONE {
            t += 1;
            continue;
        }
        let slot = &layout.slots[slot as usize];
        if slot.tokens.start >= range.start
            && slot.tokens.end <= range.end
            && let Some(entity) = layout.pick(slot, types)
        {
            names.push(Named {
                entity,
                span: slot.bytes.clone(),
                certainty: 1.0,
            });
        }
        t = slot.tokens.end.max(t + 1);
    }
    names
}

/// "X (for himself, A, and B) introduced": the sponsor before the
/// parenthesis and every name in it sign, when a `sponsors` trigger follows
/// the parenthesis.
fn sponsors(ctx: &mut Context<'_>) {
    let compiled: &Compiled = ctx.layout.rules;
    let layout = &ctx.layout;
    let mut found = Vec::new();
    for t in 1..layout.tokens.len() {
        if !layout.is(t, Flag::OwnBehalf)
            || layout.is(t - 1, Flag::OwnBehalf)
            || layout.tokens[t - 1].punct != b'('
        {
            continue;
        }
        let Some(close) =
            (t..layout.tokens.len().min(t + 80)).find(|&u| layout.tokens[u].punct == b')')
        else {
            continue;
        };
        let Some((rule, _)) = trigger_at(ctx, close + 1, Form::Sponsors) else {
            continue;
        };
        let types = compiled.rules[rule as usize].rule.subject;
        let lead = t
            .checked_sub(2)
            .map(|b| layout.slot_at[b])
            .filter(|&s| s != NONE);
        let Some(lead) = lead else { continue };
        let lead = &layout.slots[lead as usize];
        let Some(entity) = layout.pick(lead, types) else {
            continue;
        };
        let evidence = layout.sentence_bytes(t);
        let evidence =
            lead.bytes.start.min(evidence.start)..layout.tokens[close + 1].end.max(evidence.end);
        let mut signers = vec![Named {
            entity,
            span: lead.bytes.clone(),
            certainty: 1.0,
        }];
        signers.extend(names_in(ctx, t..close, types));
        found.push((rule, signers, evidence));
    }
    for (rule, signers, evidence) in found {
        let kind = compiled.rules[rule as usize].kind;
        for signer in signers {
            ctx.push_at(rule, kind, signer, None, evidence.clone());
        }
    }
}

/// Words of an infobox key before its colon, at most.
const KEY_WORDS: usize = 4;

/// A who-is-who page: its first line is a person's name alone, and lines
/// "Key: value" describe them ("- Residence: A, B", "- Office: President of
/// X"). A key that is a trigger of an `infobox` rule relates the person to
/// every name of the rule's object types in the value; a key of the
/// `infobox-roles` list has its value read as the person's description.
fn infobox(ctx: &mut Context<'_>, lines: &[Line], descriptions: &mut Vec<Range<usize>>) {
    let compiled: &Compiled = ctx.layout.rules;
    let Some(title) = lines.iter().find(|l| !l.tokens.is_empty()) else {
        return;
    };
    let first = content_start(ctx, title);
    let entries = line_entries(ctx, first, title.tokens.end, Types::PERSON);
    let [(person, true, rest)] = entries.as_slice() else {
        return;
    };
    // The name alone on the line, nothing before it.
    if !bare(ctx, rest) || person.span.start != ctx.layout.tokens[first].start {
        return;
    }
    let person = person.clone();
    for line in lines {
        if line.tokens.is_empty() || (line.bytes.end - line.bytes.start) as usize >= LONG_LINE {
            continue;
        }
        let layout = &ctx.layout;
        let first = content_start(ctx, line);
        let Some(colon) = (first..line.tokens.end.min(first + KEY_WORDS + 1))
            .find(|&t| layout.tokens[t].punct != 0)
            .filter(|&t| t > first && layout.tokens[t].punct == b':')
        else {
            continue;
        };
        let value = colon + 1..line.tokens.end;
        let subject = Named {
            entity: person.entity,
            span: layout.tokens[first].start..layout.tokens[colon - 1].end,
            certainty: 0.9,
        };
        if let Some((rule, (_, te))) = trigger_at(ctx, first, Form::Infobox)
            && te == colon
        {
            let r = &compiled.rules[rule as usize];
            let super::rules::Target::Entity(types) = r.rule.object else {
                continue;
            };
            for name in names_in(ctx, value.clone(), types) {
                ctx.push_at(
                    rule,
                    r.kind,
                    subject.clone(),
                    Some(name),
                    line.bytes.clone(),
                );
            }
        } else if (first..colon).all(|t| ctx.layout.is(t, Flag::InfoboxRole)) {
            describe(ctx, &subject, value.clone(), line.bytes.clone(), None);
            descriptions.push(value);
        }
    }
}
