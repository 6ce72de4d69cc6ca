//! Dates written in English text, kept as precise as the text is.
//!
//! [`dates`] reads, in one pass over the bytes:
//! - day, month and year: `18 October 2022`, `18th of Oct., 2022`,
//!   `October 18, 2022`, `Oct. 18 2022`; a day range (`July 22-24, 2022`,
//!   `22–24 July 2022`) gives its first day;
//! - numbers: ISO `2022-10-18`, and day-first `18.10.2022` or `18/10/2022`;
//! - month and year (`October 2022`), day and month (`13 July`, `July 13`);
//! - a year alone (1000–2100) after `in`, `since`, `by`, `until`, `from` or
//!   `of`, or alone on its line (a dated signature).
//!
//! Month names are full or abbreviated, in any case; lower-case `may` and
//! `march` need a day before them or a year, and a misspelt month
//! (`Octobre 18, 2022`) needs a year. Invalid days (`31 April`,
//! `29 February 2023`, `18.13.2022`) are not dates.

use std::ops::Range;

/// A date written in the text, as precise as the text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// This date with a missing year taken from `year` (for "On 13 July" in a
    /// document dated 2022). A 29 February that `year` lacks keeps only its month.
    pub fn with_year(self, year: u16) -> Date {
        if self.year.is_some() {
            return self;
        }
        let fits = |d: &u8| self.month.is_some_and(|m| *d <= days_in(m, Some(year)));
        ymd(Some(year), self.month, self.day.filter(fits))
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

#[rustfmt::skip]
const MONTHS: [&str; 12] = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
];
/// Lower-case month names that are also English words ("they may", "to march").
const WORDS: [&str; 4] = ["may", "march", "mar", "august"];
/// Words that let a bare year be a date: "in 1994", "since 2001".
const INTRODUCERS: [&str; 6] = ["in", "since", "by", "until", "from", "of"];
/// Lower-case words that may follow a bare year; any other ("of 2000 soldiers")
/// makes it a count.
#[rustfmt::skip]
const FOLLOWERS: [&str; 30] = [
    "the", "a", "an", "and", "or", "but", "to", "when", "while", "after", "before", "he", "she",
    "it", "they", "we", "i", "was", "were", "is", "had", "has", "as", "with", "at", "on", "in",
    "for", "that", "onwards",
];

/// Every date in `text`, in order, non-overlapping (longest form wins).
pub fn dates(text: &str) -> Vec<DateMention> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    // The first digit at or after `i` (every form holds one), found anew
    // once `i` passes it.
    let mut digit = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
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
            let word = candidate_before(b, digit);
            if word > i {
                i = word;
                continue;
            }
        }
        // Every form holds a digit: at `i`, or after the month word at `i`.
        // Most words are followed by none, and are passed over at once (a
        // word of letters that no digit follows ends where its letters do).
        if !b[i].is_ascii_digit() {
            let letters_end = run(b, i, u8::is_ascii_alphabetic);
            if !digit_follows(b, letters_end) {
                i = letters_end;
                continue;
            }
        }
        match parse_at(text, i) {
            Some(Step::Found(end, date)) => {
                found.push(DateMention { span: i..end, date });
                i = end;
            }
            Some(Step::Skip(end)) => i = end,
            None => i = run(b, i, u8::is_ascii_alphanumeric),
        }
    }
    found
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
/// spaces part from the digit ("March 5", "Oct. 5"), else that gap's start.
/// Every word before it has other text between it and the digit.
fn candidate_before(b: &[u8], digit: usize) -> usize {
    let gap = |c: &u8| c.is_ascii_whitespace() || matches!(c, b'.' | b',' | 0xC2 | 0xA0);
    let mut at = digit;
    while at > 0 && gap(&b[at - 1]) {
        at -= 1;
    }
    while at > 0 && b[at - 1].is_ascii_alphabetic() {
        at -= 1;
    }
    at
}

/// What a form made of the text at a token.
enum Step {
    /// A date ending at this byte.
    Found(usize, Date),
    /// A date-shaped but invalid text (`31 April 2022`) ending at this byte.
    Skip(usize),
}

fn parse_at(t: &str, i: usize) -> Option<Step> {
    let b = t.as_bytes();
    // Inside a word, or the tail of a bigger number: `1.2022`, `3,2022`, `5-2022`.
    let tail = i >= 2 && b".,/:-".contains(&b[i - 1]) && b[i - 2].is_ascii_digit();
    if tail || alnum(t[..i].chars().next_back()) {
        return None;
    }
    // Each form gives up at once on a token of the wrong kind.
    let forms = [month_first, iso, numeric, day_first, bare_year];
    forms.iter().find_map(|form| form(t, i))
}

/// Whether the letters at `i` are followed by a digit, perhaps after a
/// full stop, a comma and spaces (`Oct. 18`, `October, 2022`): the only way
/// a date can start with a word.
fn digit_after_word(b: &[u8], i: usize) -> bool {
    digit_follows(b, run(b, i, u8::is_ascii_alphabetic))
}

/// Whether a digit comes at `p`, perhaps after a full stop, a comma and
/// spaces.
fn digit_follows(b: &[u8], p: usize) -> bool {
    let p = skip_ws(b, p + usize::from(is(b, p, b'.')));
    let p = skip_ws(b, p + usize::from(is(b, p, b',')));
    b.get(p).is_some_and(u8::is_ascii_digit)
}

/// `October 18, 2022`, `Oct. 18 2022`, `July 22-24, 2022`, `October 2022`, `July 13`.
fn month_first(t: &str, i: usize) -> Option<Step> {
    let b = t.as_bytes();
    // Cheap look-ahead before reading the word as a month: a digit must follow.
    if !digit_after_word(b, i) {
        return None;
    }
    let w = month_at(t, i)?;
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

/// `18 October 2022`, `18th of Oct., 2022`, `22–24 July 2022`, `13 July`.
fn day_first(t: &str, i: usize) -> Option<Step> {
    let b = t.as_bytes();
    let (d, q) = day_at(t, i)?;
    let mut p = skip_ws(b, range_end(t, q, d));
    let of =
        b.get(p..p + 2).is_some_and(|s| among(&["of"], s)) && !alnum(t[p + 2..].chars().next());
    p = skip_ws(b, p + 2 * usize::from(of));
    if !b.get(p).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let w = month_at(t, p)?;
    if let Some((y, end)) = year_after(t, w.end) {
        return Some(step(end, date(Some(y), w.month, d)));
    }
    (!w.typo && clean_end(t, w.end)).then(|| step(w.end, date(None, w.month, d)))
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
struct MonthWord {
    /// The month; `None` when the word is equally close to two months.
    month: Option<u8>,
    /// Byte after the word (and after the dot of an abbreviation).
    end: usize,
    /// Misspelt: counts only with a year.
    typo: bool,
    /// Lower-case `may`, `march`…: counts only with a year or a day before it.
    word: bool,
}

fn month_at(t: &str, i: usize) -> Option<MonthWord> {
    let b = t.as_bytes();
    let e = run(b, i, u8::is_ascii_alphabetic);
    let w = &b[i..e];
    if !(3..=10).contains(&w.len()) || alnum(t[e..].chars().next()) {
        return None;
    }
    let name = |m: u8| MONTHS[usize::from(m - 1)].as_bytes();
    let exact = (1..=12u8).find(|&m| name(m).eq_ignore_ascii_case(w));
    // Abbreviations: the first three letters of a name, and `Sept`.
    let short =
        |m: u8| (w.len() == 3 || w.eq_ignore_ascii_case(b"sept")) && name(m).len() > w.len();
    let abbreviated = (1..=12u8).find(|&m| short(m) && name(m)[..w.len()].eq_ignore_ascii_case(w));
    // A misspelt month is one edit (insertion, deletion, substitution or swap
    // of neighbours) from a full name of 4+ letters, with the same first
    // letter. It names that month only when no other name is as close:
    // `Octobre` is October, but `Jule` is one edit from both June and July, so
    // its month (and day) are unknown and only the year of the date is kept.
    let near = |m: &u8| {
        let n = name(*m);
        n.len() >= 4 && n[0] == w[0].to_ascii_lowercase() && one_edit(w, n)
    };
    let count = (1..=12u8).filter(near).take(2).count();
    let (month, typo) = match (exact.or(abbreviated), count) {
        (Some(m), _) => (Some(m), false),
        (None, 0) => return None,
        (None, n) => ((n == 1).then(|| (1..=12u8).find(near)).flatten(), true),
    };
    let word = WORDS.iter().any(|x| x.as_bytes() == w);
    let end = e + usize::from(abbreviated.is_some() && is(b, e, b'.'));
    Some(MonthWord {
        month,
        end,
        typo,
        word,
    })
}

/// Whether `a` is at most one edit (optimal string alignment) from `b`, ignoring ASCII case.
fn one_edit(a: &[u8], b: &[u8]) -> bool {
    let same = |x: &[u8], y: &[u8]| x.eq_ignore_ascii_case(y);
    let common = |k: &usize| a[*k].eq_ignore_ascii_case(&b[*k]);
    let p = (0..a.len().min(b.len())).take_while(common).count();
    match a.len() as isize - b.len() as isize {
        0 if p == a.len() => true,
        0 => {
            same(&a[p + 1..], &b[p + 1..])
                || (p + 1 < a.len()
                    && same(&[a[p], a[p + 1]], &[b[p + 1], b[p]])
                    && same(&a[p + 2..], &b[p + 2..]))
        }
        1 => same(&a[p + 1..], &b[p..]),
        -1 => same(&a[p..], &b[p + 1..]),
        _ => false,
    }
}

/// A day 1–31 of one or two digits, with an optional `st`/`nd`/`rd`/`th`.
fn day_at(t: &str, i: usize) -> Option<(u8, usize)> {
    let b = t.as_bytes();
    let (d, e) = num(b, i, 1..=2)?;
    let suffix = |s: &[u8]| among(&["st", "nd", "rd", "th"], s);
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
mod tests {
    use super::*;

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
            ("Signed Jule 10, 2022.", &[("Jule 10, 2022", Some("2022"))]),
            ("Jude 5 and Marco 7 are not months.", &[]),
            ("Wed 29 February 2024, not 29 February 2023.", &[("29 February 2024", Some("2024-02-29"))]),
            ("Report due 31 April 2022.", &[]),
            ("Shipped 3 sept. 2019 and Sept 4 2019.", &[("3 sept. 2019", Some("2019-09-03")), ("Sept 4 2019", Some("2019-09-04"))]),
            ("Jan 2022, Feb, 2022 and Mar. 2022", &[("Jan 2022", Some("2022-01")), ("Feb, 2022", Some("2022-02")), ("Mar. 2022", Some("2022-03"))]),
            ("Seen on the 1st of May and on May 2nd.", &[("1st of May", None), ("May 2nd", None)]),
            ("Decemberist 12 and Mayday 2020 and Oct18", &[]),
            ("In 1,500 cases the score was 12-5 at 10:30.", &[]),
            ("Quoted «18 octobre 2022» in French.", &[("18 octobre 2022", Some("2022-10-18"))]),
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
