//! When a relation held, as the text bounds it: a period ("judge of the
//! court (2002–2005)", "chair of X from April 2006 to June 2009", "one of
//! its leaders since 1994", "re-occupied them in 1945 until they regained
//! independence in 1991") or a role no longer held ("former deputy head of
//! X", "ex-president of X").
//!
//! Both are read in the clause that names the object: the words between the
//! commas, semicolons, colons or full stops around it (a comma inside
//! brackets does not end it), within the evidence. That clause describes
//! the subject when the subject stands in it, or is the name of the
//! subject's type nearest before it ("X, judge of Y (2002–2005)"), or,
//! with none before, the nearest after it ("former Y chairman, X"). A
//! `former` word counts when no other name stands between it and the
//! object. The words are the `former`, `period-starts`, `period-joins` and
//! `period-ends` lists of `gazetteers/relations/dates.rules`.

use super::compiled::{Flag, NONE};
use super::dates::{self, Date, DateMention};
use super::forms::Hit;
use super::layout::Layout;
use std::ops::Range;

/// When a relation held, as its evidence says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Period {
    /// Since when, if the text says.
    pub from: Option<Date>,
    /// Until when, if the text says.
    pub until: Option<Date>,
    /// Whether the text calls it a former role.
    pub former: bool,
}

/// Most words between an end word and its date: "until they regained
/// their independence in 1991".
const END_REACH: usize = 6;

/// A bound of a period: the date and where the text gives it.
type Bound = Option<(Date, Range<usize>)>;

/// The period and former mark of `hit`, from its evidence in `layout`,
/// with the byte spans of the dates that bound it (which say when the
/// relation held, not when the evidence was stated).
pub(crate) fn period_of(layout: &Layout<'_>, hit: &Hit) -> (Period, Vec<Range<usize>>) {
    let none = (Period::default(), Vec::new());
    let Some(object) = &hit.object else {
        return none;
    };
    let tokens = &layout.tokens;
    let token_at = |byte: u32| tokens.partition_point(|t| t.start < byte);
    let (first, last) = (token_at(hit.evidence.start), token_at(hit.evidence.end));
    let (o_start, o_end) = (token_at(object.span.start), token_at(object.span.end));
    if o_start >= o_end || o_start < first || o_end > last {
        return none;
    }
    let breaks = |t: usize| matches!(tokens[t].punct, b',' | b';' | b':' | b'.');
    let mut left = o_start;
    while left > first && !breaks(left - 1) {
        left -= 1;
    }
    let mut right = o_end;
    let mut depth = 0u32;
    while right < last {
        match tokens[right].punct {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            _ if depth == 0 && breaks(right) => break,
            _ => {}
        }
        right += 1;
    }
    let (s_start, s_end) = (
        token_at(hit.subject.span.start),
        token_at(hit.subject.span.end),
    );
    if !describes(layout, hit, (left, right), (s_start, s_end), (first, last)) {
        return none;
    }
    let former = (left..right).any(|t| {
        tokens[t].flags & Flag::Former as u32 != 0 && {
            let between = if t < o_start {
                t + 1..o_start
            } else {
                o_end..t
            };
            !between
                .into_iter()
                .any(|u| layout.slot_at[u] != NONE && !(s_start..s_end).contains(&u))
        }
    });
    let mut period = Period {
        former,
        ..Period::default()
    };
    let from = tokens[left].start as usize;
    let to = tokens[right - 1].end as usize;
    let clause = &layout.text[from..to];
    let mut spans = Vec::new();
    if clause.bytes().any(|b| b.is_ascii_digit()) {
        let (start, until) = bounds(layout, clause, from, left..right);
        // A period that ends before it starts is no period.
        let backwards = matches!((&start, &until), (Some(a), Some(b)) if a.0.after(&b.0));
        if !backwards {
            for (_, span) in start.iter().chain(&until) {
                spans.push(span.start + from..span.end + from);
            }
            period.from = start.map(|(d, _)| d);
            period.until = until.map(|(d, _)| d);
        }
    }
    (period, spans)
}

/// Whether the clause of tokens `clause` describes the subject of `hit`
/// (at tokens `subject`): it stands in it, or is the nearest name of its
/// type before it in the evidence (tokens `evidence`), or, with none
/// before, the nearest after it.
fn describes(
    layout: &Layout<'_>,
    hit: &Hit,
    clause: (usize, usize),
    subject: (usize, usize),
    evidence: (usize, usize),
) -> bool {
    let (left, right) = clause;
    if subject.0 >= left && subject.1 <= right {
        return true;
    }
    let kind = layout.rules.entity_type(hit.subject.entity);
    let of_kind = |t: usize| {
        let slot = layout.slot_at[t];
        slot != NONE
            && layout.slots[slot as usize]
                .candidates
                .clone()
                .any(|c| layout.rules.entity_type(layout.candidates[c as usize]) == kind)
    };
    let before = (evidence.0..left).rev().find(|&t| of_kind(t));
    match before {
        Some(t) => (subject.0..subject.1.max(subject.0 + 1)).contains(&t),
        None => (right..evidence.1)
            .find(|&t| of_kind(t))
            .is_some_and(|t| (subject.0..subject.1.max(subject.0 + 1)).contains(&t)),
    }
}

/// The start and end a clause gives: years joined by a dash, two dates
/// side by side, a start word's date and a joining word's, an end word's
/// date (with a date before it as the start).
fn bounds(
    layout: &Layout<'_>,
    clause: &str,
    offset: usize,
    tokens: Range<usize>,
) -> (Bound, Bound) {
    if let Some(range) = year_range(clause) {
        return range;
    }
    let mut found: Vec<DateMention> = dates::dates(clause, &layout.rules.dates)
        .into_iter()
        .filter(|d| d.date.year.is_some())
        .collect();
    let toks = &layout.tokens[tokens];
    // A year right after a period word ("between 1997 and 1999"), which the
    // date reader leaves alone (a bare year needs a word such as "in").
    let period_words = Flag::PeriodStart as u32 | Flag::PeriodJoin as u32 | Flag::PeriodEnd as u32;
    for pair in toks.windows(2) {
        let (word, number) = (&pair[0], &pair[1]);
        let span = number.start as usize - offset..number.end as usize - offset;
        if word.punct != 0
            || word.flags & period_words == 0
            || found
                .iter()
                .any(|d| d.span.start <= span.start && span.start < d.span.end)
        {
            continue;
        }
        if let Some(year) = year_of(&clause[span.clone()]) {
            found.push(DateMention { span, date: year });
        }
    }
    found.sort_by_key(|d| d.span.start);
    // The flags of the word right before a date (or of one further back).
    let word_before = |d: &DateMention, reach: usize| -> Option<(usize, u32)> {
        let at = (offset + d.span.start) as u32;
        let i = toks.partition_point(|t| t.start < at);
        toks[i.saturating_sub(reach + 1)..i]
            .iter()
            .rev()
            .enumerate()
            .find(|(_, t)| {
                t.punct == 0
                    && t.flags
                        & (Flag::PeriodStart as u32
                            | Flag::PeriodJoin as u32
                            | Flag::PeriodEnd as u32)
                        != 0
            })
            .map(|(n, t)| (n, t.flags))
    };
    let right_before =
        |d: &DateMention, flag: Flag| word_before(d, 0).is_some_and(|(_, f)| f & flag as u32 != 0);
    for (i, d) in found.iter().enumerate() {
        let next = found.get(i + 1);
        // Two dates with only white space or a dash between them.
        if let Some(n) = next {
            let between = clause[d.span.end..n.span.start].trim();
            if between.is_empty() || matches!(between, "-" | "–" | "—") {
                return (
                    Some((d.date, d.span.clone())),
                    Some((n.date, n.span.clone())),
                );
            }
        }
        if right_before(d, Flag::PeriodStart) {
            let until = next
                .filter(|n| right_before(n, Flag::PeriodJoin))
                .map(|n| (n.date, n.span.clone()));
            return (Some((d.date, d.span.clone())), until);
        }
        // "until … D": an end word a few words back, no start word nearer.
        if let Some((_, flags)) = word_before(d, END_REACH)
            && flags & Flag::PeriodEnd as u32 != 0
            && flags & Flag::PeriodStart as u32 == 0
        {
            let start = i
                .checked_sub(1)
                .map(|j| (found[j].date, found[j].span.clone()));
            return (start, Some((d.date, d.span.clone())));
        }
    }
    (None, None)
}

/// `text` as a year 1000–2100, if it is four digits.
fn year_of(text: &str) -> Option<Date> {
    let value: u16 = text.parse().ok().filter(|_| text.len() == 4)?;
    (1000..=2100).contains(&value).then_some(Date {
        year: Some(value),
        month: None,
        day: None,
    })
}

/// Two years joined by a dash: `2002-2005`, `(2002–2005)`, `1994–96`.
fn year_range(clause: &str) -> Option<(Bound, Bound)> {
    let b = clause.as_bytes();
    let digits_at = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let skip_spaces = |mut j: usize| {
        while b.get(j) == Some(&b' ') {
            j += 1;
        }
        j
    };
    let year = |y: u16| Date {
        year: Some(y),
        month: None,
        day: None,
    };
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        i += digits_at(i);
        // Four digits, not the tail of a date or number (`18.10.2022`).
        if i - start != 4 || (start > 0 && matches!(b[start - 1], b'-' | b'.' | b'/' | b',')) {
            continue;
        }
        let j = skip_spaces(i);
        let Some(dash) = ["-", "–", "—"]
            .into_iter()
            .find(|d| clause[j..].starts_with(d))
        else {
            continue;
        };
        let j = skip_spaces(j + dash.len());
        let n = digits_at(j);
        if b.get(j + n)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            continue;
        }
        // Digits are ASCII: these slices lie on character boundaries.
        let first: u16 = clause[start..i].parse().ok()?;
        let second: u16 = match n {
            4 => clause[j..j + 4].parse().ok()?,
            2 => first / 100 * 100 + clause[j..j + 2].parse::<u16>().ok()?,
            _ => continue,
        };
        if (1000..=2100).contains(&first) && first < second && second <= 2100 {
            return Some((
                Some((year(first), start..i)),
                Some((year(second), j..j + n)),
            ));
        }
    }
    None
}
