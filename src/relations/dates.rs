//! Dates written in a text, kept as precise as the text is.
//!
//! [`dates`] reads, in one pass over the bytes:
//! - day, month and year: `18 October 2022`, `18th of Oct., 2022`,
//!   `October 18, 2022`, `Oct. 18 2022`, `the 21st day of July, 1947`,
//!   `1er janvier 2022`, `10. Juli 2022`, `10 июля 2022`; a day range
//!   (`July 22-24, 2022`, `22–24 July 2022`) gives its first day;
//! - numbers: ISO `2022-10-18`, and day-first `18.10.2022` or `18/10/2022`;
//! - month and year (`October 2022`), day and month (`13 July`, `July 13`);
//! - a year alone (1000–2100) after `in`, `since`, `by`, `until`, `from` or
//!   `of`, or alone on its line (a dated signature).
//!
//! Month names are data ([`DateWords`], from the `month-NN` lists of
//! `gazetteers/relations/dates.rules`): full, declined or abbreviated, in
//! any case and any language listed. Lower-case names that are also words
//! (`may`, `march`: the `month-words` list) need a day before them or a
//! year; a misspelt month (`Octobre 18, 2022`) needs a year. Invalid days
//! (`31 April`, `29 February 2023`, `18.13.2022`) are not dates.

use super::rules::RuleSet;
use crate::normalize::{self, Case};
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

/// A date written in the text, as precise as the text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, when the text gives one.
    pub year: Option<u16>,
    /// The month, 1–12.
    pub month: Option<u8>,
    /// The day of the month, 1–31; only together with a month.
    pub day: Option<u8>,
}

impl Date {
    /// ISO 8601 text: `2022-10-18`, `2022-10`, `2022`; `None` when the year is unknown.
    pub fn iso(&self) -> Option<String> {
        let y = self.year?;
        Some(match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{y:04}-{m:02}"),
            _ => format!("{y:04}"),
        })
    }

    /// ISO 8601 text, `--MM-DD` for a day of a year the text does not
    /// give; `None` for a month alone.
    pub fn text(&self) -> Option<String> {
        match (self.iso(), self.month, self.day) {
            (Some(iso), _, _) => Some(iso),
            (None, Some(month), Some(day)) => Some(format!("--{month:02}-{day:02}")),
            _ => None,
        }
    }

    /// The date [`Date::text`] wrote: `2022-10-18`, `2022-10`, `2022` or
    /// `--10-18`; `None` for anything else, an invalid day included.
    pub fn parse(text: &str) -> Option<Date> {
        let number = |part: &str, digits: usize| -> Option<u16> {
            (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = match text.strip_prefix("--") {
            Some(rest) => {
                let (m, d) = rest.split_once('-')?;
                (None, Some(number(m, 2)?), Some(number(d, 2)?))
            }
            None => {
                let mut parts = text.split('-');
                let year = Some(number(parts.next()?, 4)?);
                let month = match parts.next() {
                    Some(m) => Some(number(m, 2)?),
                    None => None,
                };
                let day = match parts.next() {
                    Some(d) => Some(number(d, 2)?),
                    None => None,
                };
                if parts.next().is_some() {
                    return None;
                }
                (year, month, day)
            }
        };
        let month = month.map(|m| m as u8);
        let valid_month = month.is_none_or(|m| (1..=12).contains(&m));
        let valid_day = match (month, day) {
            (Some(m), Some(d)) => (1..=u16::from(days_in(m, year))).contains(&d),
            (None, Some(_)) => false,
            _ => true,
        };
        (valid_month && valid_day && year.is_none_or(|y| y >= 1)).then(|| Date {
            year,
            month,
            day: day.map(|d| d as u8),
        })
    }

    /// This date with a missing year taken from `year` (for "On 13 July" in a
    /// document dated 2022). A 29 February that `year` lacks keeps only its month.
    pub fn with_year(self, year: u16) -> Date {
        if self.year.is_some() {
            return self;
        }
        let fits = |d: &u8| self.month.is_some_and(|m| *d <= days_in(m, Some(year)));
        ymd(Some(year), self.month, self.day.filter(fits))
    }

    /// Whether this date certainly comes after `other`: both have a year,
    /// and this one is later as far as the less precise of the two goes
    /// (`2022-10` is not after `2022`).
    pub fn after(&self, other: &Date) -> bool {
        let (Some(a), Some(b)) = (self.year, other.year) else {
            return false;
        };
        if a != b {
            return a > b;
        }
        match (self.month, other.month) {
            (Some(m), Some(n)) if m != n => m > n,
            (Some(_), Some(_)) => matches!((self.day, other.day), (Some(d), Some(e)) if d > e),
            _ => false,
        }
    }
}

/// One date found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateMention {
    /// Byte range of the date in the text, e.g. `18 October 2022`.
    pub span: Range<usize>,
    /// The date as written.
    pub date: Date,
}

/// The words dates are read with, from the rule files' lists (see
/// `gazetteers/relations/dates.rules`): month names in every language
/// listed, and the words around dates and periods.
#[derive(Clone, Debug, Default)]
pub struct DateWords {
    /// Every month word, folded, with its month and whether it is an
    /// abbreviation (which may take a full stop).
    months: FxHashMap<Box<str>, (u8, bool)>,
    /// The full names a misspelt month is looked for among: folded, as
    /// characters, with their month; four letters or more.
    full: Vec<(Vec<char>, u8)>,
    /// Month names that are also common words (`may`): only as written in
    /// lower case.
    common: FxHashSet<Box<str>>,
    /// Words whose date is a birth or a death (`born`).
    life: FxHashSet<Box<str>>,
    /// Words that open a dateline (`signed`, `dated`).
    dateline: FxHashSet<Box<str>>,
    /// Words that may stand between a dateline's place and its date (`le`).
    dateline_joins: FxHashSet<Box<str>>,
    /// Words that may follow a dateline's year (`г.`, `року`).
    year_words: FxHashSet<Box<str>>,
    /// Words before a date naming an event (`the`).
    event_words: FxHashSet<Box<str>>,
}

/// The list of month `m` (1–12) is `month-MM`.
fn month_list(m: u8) -> String {
    format!("month-{m:02}")
}

impl DateWords {
    /// The words of the `month-01` … `month-12`, `month-words`,
    /// `life-dates`, `event-dates`, `dateline-words`, `dateline-joins` and
    /// `year-words` lists of `set` (the `former`, `present-words` and
    /// `period-*` lists mark tokens, as the other word lists do). With no
    /// month lists, only numeric dates are read.
    pub fn from_rules(set: &RuleSet) -> DateWords {
        let fold = |w: &str| -> Box<str> { normalize::key(w, Case::Fold).into() };
        let mut words = DateWords::default();
        for m in 1..=12u8 {
            let names: Vec<Box<str>> = set.list(&month_list(m)).iter().map(|w| fold(w)).collect();
            for name in &names {
                if name.is_empty() {
                    continue;
                }
                // An abbreviation begins another name of its month.
                let abbreviation = names
                    .iter()
                    .any(|other| other.len() > name.len() && other.starts_with(&**name));
                words.months.insert(name.clone(), (m, abbreviation));
                let chars: Vec<char> = name.chars().collect();
                if !abbreviation && chars.len() >= 4 && chars.iter().all(|c| c.is_alphabetic()) {
                    words.full.push((chars, m));
                }
            }
        }
        let set_of = |name: &str| -> FxHashSet<Box<str>> {
            set.list(name)
                .iter()
                .map(|w| fold(w))
                .filter(|w| !w.is_empty())
                .collect()
        };
        words.common = set_of("month-words");
        words.life = set_of("life-dates");
        words.dateline = set_of("dateline-words");
        words.dateline_joins = set_of("dateline-joins");
        words.year_words = set_of("year-words");
        words.event_words = set_of("event-dates");
        words
    }

    /// Whether `folded` (a word folded by [`normalize::key`]) is of the
    /// `life-dates` list.
    pub(crate) fn is_life(&self, folded: &str) -> bool {
        self.life.contains(folded)
    }

    /// Whether `folded` opens a dateline.
    pub(crate) fn is_dateline(&self, folded: &str) -> bool {
        self.dateline.contains(folded)
    }

    /// Whether `folded` may stand between a dateline's place and its date.
    pub(crate) fn is_dateline_join(&self, folded: &str) -> bool {
        self.dateline_joins.contains(folded)
    }

    /// Whether `folded`, before a date and a lower-case word, makes the
    /// date an event's name ("the October 7th attack").
    pub(crate) fn is_event_word(&self, folded: &str) -> bool {
        self.event_words.contains(folded)
    }

    /// Whether `folded` may follow a dateline's year.
    pub(crate) fn is_year_word(&self, folded: &str) -> bool {
        self.year_words.contains(folded)
    }

    /// The month `word` (as written) names, if any.
    fn month(&self, word: &str) -> Option<MonthName> {
        let folded = normalize::key(word, Case::Fold);
        if let Some(&(month, abbreviation)) = self.months.get(folded.as_str()) {
            let lower = !word.chars().any(char::is_uppercase);
            return Some(MonthName {
                month: Some(month),
                abbreviation,
                typo: false,
                word: lower && self.common.contains(folded.as_str()),
            });
        }
        // A misspelt month is one edit (insertion, deletion, substitution
        // or swap of neighbours) from a full name of 4+ letters, with the
        // same first letter. When names of several months are that close,
        // those sharing the longest beginning with it decide (`Jule` is one
        // edit from June and July, but begins like `jul`); if they still
        // disagree its month (and day) are unknown and only the year of the
        // date is kept.
        let chars: Vec<char> = folded.chars().collect();
        if chars.len() < 4 {
            return None;
        }
        let near: Vec<&(Vec<char>, u8)> = self
            .full
            .iter()
            .filter(|(name, _)| name[0] == chars[0] && one_edit(&chars, name))
            .collect();
        if near.is_empty() {
            return None;
        }
        let common = |name: &[char]| name.iter().zip(&chars).take_while(|(a, b)| a == b).count();
        let best = near.iter().map(|(name, _)| common(name)).max().unwrap_or(0);
        let mut months = near
            .iter()
            .filter(|(name, _)| common(name) == best)
            .map(|(_, m)| *m);
        let first = months.next();
        let month = first.filter(|&m| months.all(|n| n == m));
        Some(MonthName {
            month,
            abbreviation: false,
            typo: true,
            word: false,
        })
    }
}

/// Words that let a bare year be a date: "in 1994", "since 2001".
const INTRODUCERS: [&str; 6] = ["in", "since", "by", "until", "from", "of"];
/// Lower-case words that may follow a bare year; any other ("of 2000 soldiers")
/// makes it a count.
#[rustfmt::skip]
const FOLLOWERS: [&str; 33] = [
    "the", "a", "an", "and", "or", "but", "to", "when", "while", "after", "before", "he", "she",
    "it", "they", "we", "i", "was", "were", "is", "had", "has", "as", "with", "at", "on", "in",
    "for", "that", "onwards", "by", "until", "till",
];

/// Whether `word` (lower case, as written) may follow a date that times
/// what is said ("in 1994 the …", "on 13 July and …").
pub(crate) fn may_follow_a_date(word: &str) -> bool {
    among(&FOLLOWERS, word.as_bytes())
}

/// Every date in `text`, in order, non-overlapping (longest form wins),
/// month names read with `words`.
pub fn dates(text: &str, words: &DateWords) -> Vec<DateMention> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    // The first digit at or after `i` (every form holds one), found anew
    // once `i` passes it.
    let mut digit = 0;
    while i < b.len() {
        let word_start = b[i].is_ascii_alphanumeric()
            || (b[i] >= 0x80 && text[i..].chars().next().is_some_and(char::is_alphabetic));
        if !word_start {
            // Past punctuation and white space, a character at a time.
            i += char_len(b[i]);
            continue;
        }
        if !b[i].is_ascii_digit() {
            if digit < i {
                digit = next_digit(b, i);
                if digit == b.len() {
                    break;
                }
            }
            // The words before the digit's own word (the month of
            // "March 5", or none) cannot start a date: go straight there.
            let word = candidate_before(text, digit);
            if word > i {
                i = word;
                continue;
            }
        }
        // Every form holds a digit: at `i`, or after the month word at `i`.
        // Most words are followed by none, and are passed over at once (a
        // word of letters that no digit follows ends where its letters do).
        if !b[i].is_ascii_digit() {
            let end = letters_end(text, i);
            if !digit_follows(b, end) {
                i = end;
                continue;
            }
        }
        match parse_at(text, i, words) {
            Some(Step::Found(end, date)) => {
                found.push(DateMention { span: i..end, date });
                i = end;
            }
            Some(Step::Skip(end)) => i = end,
            None => i = alnum_end(text, i),
        }
    }
    found
}

/// The length of the UTF-8 character whose first byte is `lead` (1 for a
/// byte that starts none, so that a scan always moves on).
fn char_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The first ASCII digit at or after `from`, or the end of `b`; blocks of 16
/// bytes without one are passed over in one step.
fn next_digit(b: &[u8], mut from: usize) -> usize {
    let digit = |c: &u8| c.wrapping_sub(b'0') < 10;
    while from + 16 <= b.len() && !b[from..from + 16].iter().fold(false, |f, c| f | digit(c)) {
        from += 16;
    }
    from + b[from..].iter().position(digit).unwrap_or(b.len() - from)
}

/// Where the last place a date holding the digit at `digit` could start
/// begins: the word of letters that only white space, `.`, `,` and no-break
/// spaces part from the digit ("March 5", "Oct. 5", "июля 2022"), else that
/// gap's start. Every word before it has other text between it and the digit.
fn candidate_before(t: &str, digit: usize) -> usize {
    let b = t.as_bytes();
    let gap = |c: &u8| c.is_ascii_whitespace() || matches!(c, b'.' | b',');
    let mut at = digit;
    loop {
        if at > 0 && gap(&b[at - 1]) {
            at -= 1;
        } else if at > 1 && b[at - 2] == 0xC2 && b[at - 1] == 0xA0 {
            at -= 2;
        } else {
            break;
        }
    }
    let letters: usize = t[..at]
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    at - letters
}

/// The end of the run of letters (any script) at `i`.
fn letters_end(t: &str, i: usize) -> usize {
    i + t[i..]
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum::<usize>()
}

/// The end of the run of letters and digits (any script) at `i`, at least
/// one character on.
fn alnum_end(t: &str, i: usize) -> usize {
    let end = i + t[i..]
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .map(char::len_utf8)
        .sum::<usize>();
    end.max(i + t[i..].chars().next().map_or(1, char::len_utf8))
}

/// What a form made of the text at a token.
enum Step {
    /// A date ending at this byte.
    Found(usize, Date),
    /// A date-shaped but invalid text (`31 April 2022`) ending at this byte.
    Skip(usize),
}

fn parse_at(t: &str, i: usize, words: &DateWords) -> Option<Step> {
    let b = t.as_bytes();
    // Inside a word, or the tail of a bigger number: `1.2022`, `3,2022`, `5-2022`.
    let tail = i >= 2 && b".,/:-".contains(&b[i - 1]) && b[i - 2].is_ascii_digit();
    if tail || alnum(t[..i].chars().next_back()) {
        return None;
    }
    if !b[i].is_ascii_digit() {
        return month_first(t, i, words);
    }
    // Each form gives up at once on a token of the wrong kind.
    iso(t, i)
        .or_else(|| numeric(t, i))
        .or_else(|| day_first(t, i, words))
        .or_else(|| bare_year(t, i))
}

/// Whether a digit comes at `p`, perhaps after a full stop, a comma and
/// spaces.
fn digit_follows(b: &[u8], p: usize) -> bool {
    let p = skip_ws(b, p + usize::from(is(b, p, b'.')));
    let p = skip_ws(b, p + usize::from(is(b, p, b',')));
    b.get(p).is_some_and(u8::is_ascii_digit)
}

/// `October 18, 2022`, `Oct. 18 2022`, `July 22-24, 2022`, `October 2022`, `July 13`.
fn month_first(t: &str, i: usize, words: &DateWords) -> Option<Step> {
    let b = t.as_bytes();
    // Cheap look-ahead before reading the word as a month: a digit must follow.
    if !digit_follows(b, letters_end(t, i)) {
        return None;
    }
    let w = month_at(t, i, words)?;
    let p = skip_ws(b, w.end);
    let comma = is(b, p, b',');
    let p = skip_ws(b, p + usize::from(comma));
    if let Some((y, end)) = year_at(t, p) {
        return Some(Step::Found(end, ymd(Some(y), w.month, None)));
    }
    let (d, q) = day_at(t, p).filter(|_| !comma)?;
    let q = range_end(t, q, d);
    if let Some((y, end)) = year_after(t, q) {
        return Some(step(end, date(Some(y), w.month, d)));
    }
    let alone = !w.typo && !w.word && clean_end(t, q);
    alone.then(|| step(q, date(None, w.month, d)))
}

/// `18 October 2022`, `18th of Oct., 2022`, `the 21st day of July, 1947`,
/// `22–24 July 2022`, `13 July`, `10. Juli 2022` (with its year only).
fn day_first(t: &str, i: usize, words: &DateWords) -> Option<Step> {
    let b = t.as_bytes();
    let (d, q) = day_at(t, i)?;
    let mut p = range_end(t, q, d);
    // "10. Juli": a day with a full stop, as German writes it.
    let dotted = is(b, p, b'.');
    p = skip_ws(b, p + usize::from(dotted));
    // "21st day of July": the word "day" first.
    if b.get(p..p + 3).is_some_and(|s| among(&["day"], s)) && !alnum(t[p + 3..].chars().next()) {
        p = skip_ws(b, p + 3);
    }
    let of =
        b.get(p..p + 2).is_some_and(|s| among(&["of"], s)) && !alnum(t[p + 2..].chars().next());
    p = skip_ws(b, p + 2 * usize::from(of));
    if !t[p..].chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    let w = month_at(t, p, words)?;
    if let Some((y, end)) = year_after(t, w.end) {
        return Some(step(end, date(Some(y), w.month, d)));
    }
    (!w.typo && !dotted && clean_end(t, w.end)).then(|| step(w.end, date(None, w.month, d)))
}

/// `2022-10-18`.
fn iso(t: &str, i: usize) -> Option<Step> {
    let b = t.as_bytes();
    let (y, e) = num(b, i, 4..=4)?;
    let (m, e) = num(b, e + 1, 2..=2).filter(|_| is(b, e, b'-'))?;
    let (d, e) = num(b, e + 1, 2..=2).filter(|_| is(b, e, b'-'))?;
    clean_end(t, e).then(|| step(e, checked(y, m, d)))
}

/// `18.10.2022`, `18/10/2022`: day first, as in Europe.
fn numeric(t: &str, i: usize) -> Option<Step> {
    let b = t.as_bytes();
    let (d, e) = num(b, i, 1..=2)?;
    let sep = *b.get(e).filter(|c| matches!(c, b'.' | b'/'))?;
    let (m, e) = num(b, e + 1, 1..=2)?;
    let (y, e) = num(b, e + 1, 4..=4).filter(|_| is(b, e, sep))?;
    clean_end(t, e).then(|| step(e, checked(y, m, d)))
}

/// `in 1994`, or a year alone on its line.
fn bare_year(t: &str, i: usize) -> Option<Step> {
    let b = t.as_bytes();
    let (y, e) = year_at(t, i)?;
    let blank = |c: &u8| matches!(c, b' ' | b'\t' | b'\r');
    let (before, after) = (back(b, i, blank, i), run(b, e, blank));
    let alone =
        (before == 0 || is(b, before - 1, b'\n')) && (after == b.len() || is(b, after, b'\n'));
    let j = back(b, i, |c| matches!(c, b' ' | b'\t'), i);
    // At most 6 letters back: longer words can never equal an introducer.
    let k = back(b, j, u8::is_ascii_alphabetic, 6);
    let introduced = j < i && among(&INTRODUCERS, &b[k..j]) && !alnum(t[..k].chars().next_back());
    let s = run(b, e, |c| matches!(c, b' ' | b'\t'));
    let next = &b[s..run(b, s, u8::is_ascii_alphabetic)];
    let followed = !b.get(s).is_some_and(u8::is_ascii_lowercase) || among(&FOLLOWERS, next);
    (alone || (introduced && followed)).then_some(Step::Found(e, ymd(Some(y), None, None)))
}

/// A word read as a month.
struct MonthName {
    /// The month; `None` when the word is equally close to two months.
    month: Option<u8>,
    /// An abbreviation, which may take a full stop.
    abbreviation: bool,
    /// Misspelt: counts only with a year.
    typo: bool,
    /// Lower-case `may`, `march`…: counts only with a year or a day before it.
    word: bool,
}

/// [`MonthName`] with where it ends.
struct MonthWord {
    month: Option<u8>,
    /// Byte after the word (and after the full stop of an abbreviation).
    end: usize,
    typo: bool,
    word: bool,
}

fn month_at(t: &str, i: usize, words: &DateWords) -> Option<MonthWord> {
    let e = letters_end(t, i);
    let length = t[i..e].chars().count();
    if !(3..=12).contains(&length) || alnum(t[e..].chars().next()) {
        return None;
    }
    let name = words.month(&t[i..e])?;
    let end = e + usize::from(name.abbreviation && is(t.as_bytes(), e, b'.'));
    Some(MonthWord {
        month: name.month,
        end,
        typo: name.typo,
        word: name.word,
    })
}

/// Whether `a` is at most one edit (optimal string alignment) from `b`.
fn one_edit(a: &[char], b: &[char]) -> bool {
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    match a.len() as isize - b.len() as isize {
        0 if p == a.len() => true,
        0 => {
            a[p + 1..] == b[p + 1..]
                || (p + 1 < a.len()
                    && a[p] == b[p + 1]
                    && a[p + 1] == b[p]
                    && a[p + 2..] == b[p + 2..])
        }
        1 => a[p + 1..] == b[p..],
        -1 => a[p..] == b[p + 1..],
        _ => false,
    }
}

/// A day 1–31 of one or two digits, with an optional `st`/`nd`/`rd`/`th`.
fn day_at(t: &str, i: usize) -> Option<(u8, usize)> {
    let b = t.as_bytes();
    let (d, e) = num(b, i, 1..=2)?;
    // `1st`, `22nd`, and the French `1er`.
    let suffix = |s: &[u8]| among(&["st", "nd", "rd", "th"], s) || (d == 1 && among(&["er"], s));
    let e = e + 2 * usize::from(b.get(e..e + 2).is_some_and(suffix));
    ((1..=31).contains(&d) && !alnum(t[e..].chars().next())).then_some((d as u8, e))
}

/// The end of `-24` or `– 24` after a first day `d`; `q` when no range follows.
fn range_end(t: &str, q: usize, d: u8) -> usize {
    let s = skip_ws(t.as_bytes(), q);
    let Some(rest) = t[s..].strip_prefix(['-', '–']) else {
        return q;
    };
    match day_at(t, skip_ws(t.as_bytes(), t.len() - rest.len())) {
        Some((d2, e)) if d2 > d => e,
        _ => q,
    }
}

/// A four-digit year 1000–2100 that is not part of a bigger number or word.
fn year_at(t: &str, i: usize) -> Option<(u16, usize)> {
    let (y, e) = num(t.as_bytes(), i, 4..=4)?;
    ((1000..=2100).contains(&y) && clean_end(t, e)).then_some((y, e))
}

/// A year after an optional comma: `, 2022`, ` 2022`.
fn year_after(t: &str, i: usize) -> Option<(u16, usize)> {
    let b = t.as_bytes();
    let p = skip_ws(b, i);
    year_at(t, skip_ws(b, p + usize::from(is(b, p, b','))))
}

/// Whether a date may end at `e`: not inside a word (`1990s`, `500-character`)
/// nor a number (`25,000`, `81.7`, `5:30`).
fn clean_end(t: &str, e: usize) -> bool {
    let mut cs = t.get(e..).unwrap_or("").chars();
    match (cs.next(), cs.next()) {
        (Some(c), _) if c.is_alphanumeric() => false,
        (Some('.' | ',' | ':' | '/'), Some(d)) => !d.is_ascii_digit(),
        (Some('-' | '–'), Some(d)) => !d.is_alphanumeric(),
        _ => true,
    }
}

/// A run of `lens` ASCII digits at `i` (exactly that run) and its value.
fn num(b: &[u8], i: usize, lens: std::ops::RangeInclusive<usize>) -> Option<(u16, usize)> {
    let e = run(b, i, u8::is_ascii_digit);
    let value = || b[i..e].iter().fold(0, |v, d| v * 10 + u16::from(d - b'0'));
    lens.contains(&(e - i)).then(|| (value(), e))
}

/// The end of the run of bytes matching `f` from `i`.
fn run(b: &[u8], i: usize, f: impl Fn(&u8) -> bool) -> usize {
    let tail = b.get(i..).unwrap_or_default();
    i + tail.iter().take_while(|c| f(c)).count()
}

/// The start of the run of at most `max` bytes matching `f` that ends at `i`.
fn back(b: &[u8], i: usize, f: impl Fn(&u8) -> bool, max: usize) -> usize {
    i - b[..i].iter().rev().take(max).take_while(|c| f(c)).count()
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i..) {
            Some([c, ..]) if c.is_ascii_whitespace() => i += 1,
            Some([0xC2, 0xA0, ..]) => i += 2, // no-break space
            _ => return i,
        }
    }
}

fn is(b: &[u8], i: usize, c: u8) -> bool {
    b.get(i) == Some(&c)
}

/// Whether `list` holds `w`, ignoring ASCII case.
fn among(list: &[&str], w: &[u8]) -> bool {
    list.iter().any(|x| x.as_bytes().eq_ignore_ascii_case(w))
}

fn alnum(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// The days of `month` (1 to 12) in `year`; February has 29 when the year
/// is not known.
pub(crate) fn days_in(month: u8, year: Option<u16>) -> u8 {
    match month {
        2 if year.is_none_or(|y| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

const fn ymd(year: Option<u16>, month: Option<u8>, day: Option<u8>) -> Date {
    Date { year, month, day }
}

/// A date from words: `month` 1–12 (`None`: unclear, keep the year only), `day` 1–31.
fn date(year: Option<u16>, month: Option<u8>, day: u8) -> Option<Date> {
    match month {
        None => Some(ymd(Some(year?), None, None)),
        Some(m) => (day <= days_in(m, year)).then_some(ymd(year, month, Some(day))),
    }
}

/// A date from numbers, checked.
fn checked(y: u16, m: u16, d: u16) -> Option<Date> {
    let ok = (1000..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    ok.then(|| date(Some(y), Some(m as u8), d as u8)).flatten()
}

fn step(end: usize, date: Option<Date>) -> Step {
    date.map_or(Step::Skip(end), |d| Step::Found(end, d))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The shipped `dates.rules` words, read once.
    pub(crate) fn shipped() -> &'static DateWords {
        static WORDS: std::sync::OnceLock<DateWords> = std::sync::OnceLock::new();
        WORDS.get_or_init(|| {
            let mut set = RuleSet::default();
            let text = include_str!("../../gazetteers/relations/dates.rules");
            set.extend(text, "dates.rules")
                .expect("the shipped dates.rules reads");
            DateWords::from_rules(&set)
        })
    }

    fn dates(text: &str) -> Vec<DateMention> {
        super::dates(text, shipped())
    }

    /// Texts and the dates expected in them: matched text, ISO date.
    type Rows = &'static [(
        &'static str,
        &'static [(&'static str, Option<&'static str>)],
    )];

    #[test]
    fn table() {
        #[rustfmt::skip]
        let rows: Rows = &[
            ("The board met on 18 October 2022 in Lyon.", &[("18 October 2022", Some("2022-10-18"))]),
            ("Filed 18 Oct 2022.", &[("18 Oct 2022", Some("2022-10-18"))]),
            ("Signed on the 18th of October, 2022, at noon.", &[("18th of October, 2022", Some("2022-10-18"))]),
            ("October 18, 2022 was a Tuesday.", &[("October 18, 2022", Some("2022-10-18"))]),
            ("Notes from Oct. 18 2022 went missing.", &[("Oct. 18 2022", Some("2022-10-18"))]),
            ("Born Nov 25, 1990 in a small town.", &[("Nov 25, 1990", Some("1990-11-25"))]),
            ("Deadline: October 18th, 2022.", &[("October 18th, 2022", Some("2022-10-18"))]),
            ("Release 2022-10-18 shipped.", &[("2022-10-18", Some("2022-10-18"))]),
            ("Paid on 18.10.2022 by wire.", &[("18.10.2022", Some("2022-10-18"))]),
            ("Paid on 1/2/2022, late.", &[("1/2/2022", Some("2022-02-01"))]),
            ("Not dates: 10.18.2022, 32/01/2022, 2022-13-01.", &[]),
            ("He sailed in October 1553 for Spain.", &[("October 1553", Some("1553-10"))]),
            ("OCTOBER 2022 REVIEW", &[("OCTOBER 2022", Some("2022-10"))]),
            ("On 13 July the talks resumed.", &[("13 July", None)]),
            ("Talks resumed July 13 after a pause.", &[("July 13", None)]),
            ("The fair ran July 22-24, 2022 downtown.", &[("July 22-24, 2022", Some("2022-07-22"))]),
            ("The summit ran 22–24 July 2022.", &[("22–24 July 2022", Some("2022-07-22"))]),
            ("The firm was founded in 1994.", &[("1994", Some("1994"))]),
            ("Since 2001 she has lived abroad.", &[("2001", Some("2001"))]),
            ("Nothing changed until 1871, when it burned.", &[("1871", Some("1871"))]),
            ("From 1990 to 2000 prices doubled.", &[("1990", Some("1990"))]),
            ("Yours,\nA. Writer\n  1998\n", &[("1998", Some("1998"))]),
            ("The year 1994 alone is not enough.", &[]),
            ("A march of 2000 soldiers and a crowd of 1500 people.", &[]),
            ("About 25,000 people, 81.7 percent, a 500-character cap.", &[]),
            ("Music of the 1990s changed in 2000s clubs.", &[]),
            ("They may 5 times ask for more.", &[]),
            ("Troops march 20 miles a day.", &[]),
            ("Payment due May 5.", &[("May 5", None)]),
            ("We met on 5 may 2021.", &[("5 may 2021", Some("2021-05-05"))]),
            ("Her letter, Octobre 18, 2022, arrived.", &[("Octobre 18, 2022", Some("2022-10-18"))]),
            ("Signed Febuary 3, 2021 in Oslo.", &[("Febuary 3, 2021", Some("2021-02-03"))]),
            ("Signed Jule 10, 2022.", &[("Jule 10, 2022", Some("2022-07-10"))]),
            ("Signed Juny 3, 2022 and Jiune 4, 2022.", &[("Juny 3, 2022", Some("2022-06-03")), ("Jiune 4, 2022", Some("2022-06-04"))]),
            ("Seen Jumi 3, 2022.", &[("Jumi 3, 2022", Some("2022"))]),
            // French, German, Russian and Ukrainian.
            ("Fait à Paris, le 1er janvier 2022.", &[("1er janvier 2022", Some("2022-01-01"))]),
            ("Le 14 juillet 2021 et le 3 févr. 2020, puis en mars 2019.", &[("14 juillet 2021", Some("2021-07-14")), ("3 févr. 2020", Some("2020-02-03")), ("mars 2019", Some("2019-03"))]),
            ("Am 10. Juli 2022 und am 3. März 2021, nicht am 4. Juli.", &[("10. Juli 2022", Some("2022-07-10")), ("3. März 2021", Some("2021-03-03"))]),
            ("Berlin, den 5. Dezember 2020; im Oktober 2019; 9 Jänner 2018", &[("5. Dezember 2020", Some("2020-12-05")), ("Oktober 2019", Some("2019-10")), ("9 Jänner 2018", Some("2018-01-09"))]),
            ("Москва, 10 июля 2022 г. В сентябре 2021 года; 1 января.", &[("10 июля 2022", Some("2022-07-10")), ("сентябре 2021", Some("2021-09")), ("1 января", None)]),
            ("Київ, 24 серпня 1991 р., у листопаді 2004 року, 5 лютого 2014", &[("24 серпня 1991", Some("1991-08-24")), ("листопаді 2004", Some("2004-11")), ("5 лютого 2014", Some("2014-02-05"))]),
            ("Signed at Geneva, this 21st day of July, 1947.", &[("21st day of July, 1947", Some("1947-07-21"))]),
            ("A letter of 12 авгуcта 2020 with a Latin c.", &[("12 авгуcта 2020", Some("2020-08-12"))]),
            ("Jude 5 and Marco 7 are not months.", &[]),
            ("Wed 29 February 2024, not 29 February 2023.", &[("29 February 2024", Some("2024-02-29"))]),
            ("Report due 31 April 2022.", &[]),
            ("Shipped 3 sept. 2019 and Sept 4 2019.", &[("3 sept. 2019", Some("2019-09-03")), ("Sept 4 2019", Some("2019-09-04"))]),
            ("Jan 2022, Feb, 2022 and Mar. 2022", &[("Jan 2022", Some("2022-01")), ("Feb, 2022", Some("2022-02")), ("Mar. 2022", Some("2022-03"))]),
            ("Seen on the 1st of May and on May 2nd.", &[("1st of May", None), ("May 2nd", None)]),
            ("Decemberist 12 and Mayday 2020 and Oct18", &[]),
            ("In 1,500 cases the score was 12-5 at 10:30.", &[]),
            ("Quoted «18 octobre 2022» in French.", &[("18 octobre 2022", Some("2022-10-18"))]),
            ("The Mars 2020 rover and mars 2020 in French.", &[("Mars 2020", Some("2020-03")), ("mars 2020", Some("2020-03"))]),
            ("Version 3.18.10.2022 and ISO2022-10-18 differ.", &[]),
            ("It happened in October. 18 people left.", &[]),
        ];
        for (text, want) in rows {
            let got = dates(text);
            let got = got.iter().map(|m| (&text[m.span.clone()], m.date.iso()));
            let want = want.iter().map(|&(s, iso)| (s, iso.map(String::from)));
            assert!(got.eq(want), "in {text:?}: {:?}", dates(text));
        }
    }

    #[test]
    fn with_year_and_iso() {
        let m = &dates("On 13 July")[0];
        assert_eq!(m.date.iso(), None);
        assert_eq!(m.date.with_year(2022).iso().as_deref(), Some("2022-07-13"));
        let leap = dates("February 29")[0].date;
        assert_eq!(leap.with_year(2023).iso().as_deref(), Some("2023-02"));
        assert_eq!(leap.with_year(2024).iso().as_deref(), Some("2024-02-29"));
        let full = dates("18 October 2022")[0].date;
        assert_eq!(full.with_year(1999), full);
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let long = format!("in {}", "9".repeat(10_000));
        #[rustfmt::skip]
        let odd = [
            "", "1", "18 ", "18 Oct", "18 Oct.", "18th of", "July 22-", "July 22–", "2022-10-",
            "18.10.", "18/10/20", "in ", "in 2022", "é18 October 2022é", "日本2022年10月18日",
            "–18–October–2022–", "\u{a0}18\u{a0}Oct\u{a0}2022\u{a0}", &long, "Octoberrrrrrr 1",
            "May", "May ,", "Jule 10", "0 October 0000", "99 Oct 9999", "1\u{301}8 Oct 2022",
        ];
        let mixed = "In 1994, «18 Oct. 2022» — July 22–24, 2022; 18.10.2022 ☃ Jule 10, 2022";
        let prefixes = mixed.char_indices().map(|(i, _)| &mixed[..i]);
        for text in odd.into_iter().chain(prefixes) {
            let mut last = 0;
            for m in dates(text) {
                let ok = last <= m.span.start && m.span.start < m.span.end;
                assert!(ok && text.get(m.span.clone()).is_some(), "{text:?}");
                last = m.span.end;
            }
        }
    }
}
