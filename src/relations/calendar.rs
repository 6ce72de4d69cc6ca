//! Which date a piece of evidence carries, and where the text gives it
//! ([`DateSource`]), first found first:
//!
//! 1. its sentence (or signatory entry): of several dates, the one inside
//!    or nearest the words that state the relation;
//! 2. the last date earlier in its paragraph;
//! 3. a line that dates the text around it: a date alone on its line, as a
//!    letter's ("24 July 2014", at its head or after its signatures), or a
//!    dateline ("Vilnius, 14 March 2031", "Signed at Geneva, this 21st day
//!    of July, 1947", "Dated: 3 May 2031"); the nearest such line before
//!    the evidence, else the first after it, wherever they stand;
//! 4. the document's own date: one its title gives ("Resolution adopted …
//!    on 2 March 2022"), else the first full date of its opening paragraph
//!    (a communiqué's "… held in Adelaide 4 August 2018").
//!
//! A date that a birth or death word introduces ("born 18 July 1979", the
//! `life-dates` list) dates nothing. A sentence's or paragraph's date later
//! than the date of the text around it speaks of the future ("the summit on
//! 15 November", in a letter of July): the evidence takes the text's date.
//! A date without a year ("On 13 July") takes the year of the last date
//! before it in its paragraph, else in the paragraphs before, else of the
//! text's date, or stays without one (`--07-13`).

use super::dates::{self, Date, DateMention, DateWords};
use super::layout::TextLine;
use crate::normalize::{self, Case};
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Where the text gives a piece of evidence's date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateSource {
    /// The evidence's own sentence, or signatory entry.
    Sentence,
    /// An earlier sentence of its paragraph.
    Paragraph,
    /// A line placing and dating the text: "Vilnius, 14 March 2031".
    Dateline,
    /// A line that is a date alone, as a letter's, wherever it stands.
    Letter,
    /// The document's own date: its title's, or its opening paragraph's.
    Document,
}

impl DateSource {
    /// Every source, in the order they are tried.
    pub const ALL: [DateSource; 5] = [
        DateSource::Sentence,
        DateSource::Paragraph,
        DateSource::Dateline,
        DateSource::Letter,
        DateSource::Document,
    ];

    /// The name stored and shown: `sentence`, `paragraph`, `dateline`,
    /// `letter` or `document`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Sentence => "sentence",
            DateSource::Paragraph => "paragraph",
            DateSource::Dateline => "dateline",
            DateSource::Letter => "letter",
            DateSource::Document => "document",
        }
    }

    /// The source named `name` ([`DateSource::as_str`]).
    pub fn parse(name: &str) -> Option<DateSource> {
        DateSource::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl std::fmt::Display for DateSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The date of a piece of evidence and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dated {
    /// ISO 8601, as precise as the text: `2022-10-18`, `2022-10`, `2022`,
    /// or `--10-18` without a year.
    pub date: String,
    /// Where the text gives it.
    pub source: DateSource,
}

/// The dates of one document, read lazily: only the paragraphs that hold
/// evidence, and the short lines and the head of the document once some
/// evidence needs them.
pub(crate) struct Calendar<'a> {
    text: &'a str,
    lines: &'a [TextLine],
    words: &'a DateWords,
    /// Byte offsets where paragraphs start (after blank lines).
    paragraphs: Vec<usize>,
    /// The dates of each paragraph read so far (life dates left out), by
    /// paragraph index.
    read: FxHashMap<usize, Vec<DateMention>>,
    /// What dates the document as a whole, once read.
    whole: Option<Whole>,
}

/// What dates a document as a whole.
struct Whole {
    /// The lines that date the text around them, in text order.
    lines: Vec<DateLine>,
    /// The title's date.
    title: Option<Date>,
    /// The first full date of the opening paragraph.
    lead: Option<Date>,
}

/// A line that dates the text around it.
#[derive(Clone, Copy, Debug)]
struct DateLine {
    /// Where the line starts.
    start: usize,
    /// Its date.
    date: Date,
    /// A date alone ([`DateSource::Letter`]) or a dateline.
    source: DateSource,
    /// Whether it says when the text was written (a date alone, a place and
    /// a date, "Dated: …"), not only when what follows it happened (a full
    /// date opening a line, as in a chronology).
    written: bool,
}

/// The longest line (in bytes) read as a date line.
const DATE_LINE: usize = 100;
/// The longest text before a dateline's date: "Signed at Geneva,
/// Switzerland, this".
const DATELINE_HEAD: usize = 60;
/// The longest title read for the document's date.
const TITLE: usize = 200;
/// Fewest words on the first line of the opening paragraph (shorter ones
/// are headings, bylines or an infobox's name).
const LEAD_WORDS: usize = 8;
/// Most words looked back from a date for a birth or death word.
const LIFE_REACH: usize = 8;
/// Most paragraphs looked back for the year of a date without one.
const YEAR_REACH: usize = 20;

impl<'a> Calendar<'a> {
    /// The calendar of `text`, whose lines are `lines`; month names and
    /// date words from `words`.
    pub fn new(text: &'a str, lines: &'a [TextLine], words: &'a DateWords) -> Calendar<'a> {
        Calendar {
            text,
            lines,
            words,
            paragraphs: paragraph_starts(text, lines),
            read: FxHashMap::default(),
            whole: None,
        }
    }

    /// The date of evidence spanning `span` whose relation is stated by the
    /// words at `extent` (both names and what lies between), if the text
    /// gives one. The dates at `bounds` bound the relation's period
    /// ("member since 1994"): they say when it held, not when it was
    /// stated, so they date the evidence only when nothing else but the
    /// opening paragraph does; `start` is the period's start. Evidence that
    /// speaks of the `present` ("to date", "now") takes no earlier date of
    /// its paragraph.
    pub fn date_of(
        &mut self,
        span: Range<u32>,
        extent: Range<u32>,
        bounds: &[Range<usize>],
        start: Option<Date>,
        present: bool,
    ) -> Option<Dated> {
        let (from, end) = (span.start as usize, span.end as usize);
        let index = self.paragraphs.partition_point(|&p| p <= from) - 1;
        // The evidence may run on into the next paragraphs as dates see
        // them (a line of its own that a full stop ends).
        let last = self.paragraphs.partition_point(|&p| p < end).max(index + 1) - 1;
        let mut inside = None;
        for p in index..=last {
            let dates = self.paragraph_dates(p);
            let candidates: Vec<usize> = (0..dates.len())
                .filter(|&i| {
                    let d = &dates[i].span;
                    d.start >= from
                        && d.end <= end
                        && !bounds.iter().any(|b| b.start < d.end && d.start < b.end)
                })
                .collect();
            if let Some(i) = nearest(dates, &candidates, extent.clone()) {
                let better = match inside {
                    None => true,
                    Some((_, _, distance)) => distance_to(&dates[i].span, &extent) < distance,
                };
                if better {
                    inside = Some((p, i, distance_to(&dates[i].span, &extent)));
                }
            }
        }
        let local = match inside {
            Some((p, i, _)) => Some((p, i, DateSource::Sentence)),
            None if present => None,
            None => {
                let dates = self.paragraph_dates(index);
                let before = dates.partition_point(|d| d.span.start < from);
                before
                    .checked_sub(1)
                    .map(|i| (index, i, DateSource::Paragraph))
            }
        };
        let local = local.map(|(p, i, source)| {
            let at = self.read[&p][i].span.start;
            (self.with_year(p, i), source, at)
        });
        let around = self.around(from);
        let chosen = match (local, around) {
            // A date after the text's own speaks of the future.
            (Some((date, _, _)), Some(around)) if around.1.written() && date.after(&around.0) => {
                Some((around.0, around.1.source()))
            }
            (Some((date, source, at)), _) => {
                // A paragraph's date on a line of its own is that line's.
                let source = match source {
                    DateSource::Paragraph => self.line_source(at).unwrap_or(source),
                    other => other,
                };
                Some((date, source))
            }
            // The period's start before a guess from the opening paragraph.
            (None, Some((_, Around::Lead))) | (None, None) if start.is_some() => {
                start.map(|d| (d, DateSource::Sentence))
            }
            (None, Some(around)) => Some((around.0, around.1.source())),
            (None, None) => None,
        };
        let (date, source) = chosen?;
        let date = match date.year {
            Some(_) => date,
            None => match self.around(from).and_then(|(d, _)| d.year) {
                Some(year) => date.with_year(year),
                None => date,
            },
        };
        Some(Dated {
            date: date.text()?,
            source,
        })
    }

    /// The dates of paragraph `index`, read on first use.
    fn paragraph_dates(&mut self, index: usize) -> &[DateMention] {
        let (text, words) = (self.text, self.words);
        let start = self.paragraphs[index];
        let end = self
            .paragraphs
            .get(index + 1)
            .copied()
            .unwrap_or(text.len());
        self.read.entry(index).or_insert_with(|| {
            let paragraph = &text[start..end];
            let mut found = dates::dates(paragraph, words);
            found.retain(|d| {
                !life_date(&paragraph[..d.span.start], words)
                    && !event_date(paragraph, d.span.clone(), words)
            });
            for d in &mut found {
                d.span = d.span.start + start..d.span.end + start;
            }
            found
        })
    }

    /// Date `i` of paragraph `index`, its year taken from an earlier date of
    /// the paragraph, or of the paragraphs before, if the text leaves it out.
    fn with_year(&mut self, index: usize, i: usize) -> Date {
        let dates = &self.read[&index];
        let date = dates[i].date;
        if date.year.is_some() || date.month.is_none() {
            return date;
        }
        if let Some(year) = dates[..i].iter().rev().find_map(|d| d.date.year) {
            return date.with_year(year);
        }
        for earlier in (index.saturating_sub(YEAR_REACH)..index).rev() {
            // A heading starts another story: its year does not carry.
            if self.is_heading(earlier) {
                break;
            }
            let year = self
                .paragraph_dates(earlier)
                .iter()
                .rev()
                .find_map(|d| d.date.year);
            if let Some(year) = year {
                return date.with_year(year);
            }
        }
        date
    }

    /// Whether paragraph `index` is a heading: one short line that no full
    /// stop ends ("==Reactions==", "Biography").
    fn is_heading(&self, index: usize) -> bool {
        let start = self.paragraphs[index];
        let end = self
            .paragraphs
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let body = self.text[start..end].trim();
        !body.contains('\n')
            && body.split_whitespace().count() <= LEAD_WORDS
            && !body.ends_with(['.', '!', '?'])
    }

    /// The date of the text around byte `at`: the nearest date line before
    /// it, else the first after it, else the title's date, else the opening
    /// paragraph's.
    fn around(&mut self, at: usize) -> Option<(Date, Around)> {
        let whole = self.whole();
        let before = whole.lines.partition_point(|l| l.start <= at);
        let line = before
            .checked_sub(1)
            .or((before < whole.lines.len()).then_some(before));
        match line {
            Some(i) => {
                let line = whole.lines[i];
                Some((line.date, Around::Line(line.source, line.written)))
            }
            None => whole
                .title
                .map(|d| (d, Around::Title))
                .or(whole.lead.map(|d| (d, Around::Lead))),
        }
    }

    /// Whether the line holding byte `at` is a date line, and which kind.
    fn line_source(&mut self, at: usize) -> Option<DateSource> {
        let line = self
            .lines
            .partition_point(|l| l.bytes.start as usize <= at)
            .checked_sub(1)?;
        let start = self.lines[line].bytes.start as usize;
        let whole = self.whole();
        whole
            .lines
            .binary_search_by_key(&start, |l| l.start)
            .ok()
            .map(|i| whole.lines[i].source)
    }

    /// What dates the document as a whole, read on first use.
    fn whole(&mut self) -> &Whole {
        let (text, lines, words) = (self.text, self.lines, self.words);
        let paragraphs = &self.paragraphs;
        self.whole
            .get_or_insert_with(|| read_whole(text, lines, paragraphs, words))
    }
}

/// What dates the text around a piece of evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Around {
    /// A date line (a letter's date or a dateline), and whether it says
    /// when the text was written.
    Line(DateSource, bool),
    /// The title's date.
    Title,
    /// The first full date of the opening paragraph, a guess.
    Lead,
}

impl Around {
    /// Whether it is the date the text was written: a later date speaks
    /// of the future.
    fn written(self) -> bool {
        matches!(self, Around::Line(_, true) | Around::Title)
    }

    fn source(self) -> DateSource {
        match self {
            Around::Line(source, _) => source,
            Around::Title | Around::Lead => DateSource::Document,
        }
    }
}

/// How far `span` lies from `extent` (0 inside it).
fn distance_to(span: &Range<usize>, extent: &Range<u32>) -> usize {
    let (from, to) = (extent.start as usize, extent.end as usize);
    if span.end <= from {
        from - span.end
    } else {
        span.start.saturating_sub(to)
    }
}

/// Of the paragraph's `dates` at indices `inside` (those within the
/// evidence), the one inside `extent`, else the nearest to it.
fn nearest(dates: &[DateMention], inside: &[usize], extent: Range<u32>) -> Option<usize> {
    inside
        .iter()
        .copied()
        .min_by_key(|i| (distance_to(&dates[*i].span, &extent), *i))
}

/// Where the paragraphs of `text` start, as dates read them: after a blank
/// line, at each item of a list (a line opening with a dash or a bullet),
/// and after a line that a full stop, `!`, `?` or `:` ends when the next
/// starts as a sentence does (a capital, a digit, `(`), since some texts put
/// each paragraph on a line of its own.
fn paragraph_starts(text: &str, lines: &[TextLine]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut previous_blank = false;
    let mut previous_ends = false;
    for line in lines {
        let content = text[line.bytes.start as usize..line.bytes.end as usize].trim();
        let first = content.chars().next();
        let opens =
            first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "(-–—•·*".contains(c));
        // An item of a list ("- Term Start: …", "• On …") is apart from the
        // items around it.
        let item = first.is_some_and(|c| "-–—•·*".contains(c));
        if !line.blank
            && (previous_blank || item || (previous_ends && opens))
            && line.bytes.start > 0
        {
            starts.push(line.bytes.start as usize);
        }
        previous_blank = line.blank;
        previous_ends = content.ends_with(['.', '!', '?', ':']);
    }
    starts
}

/// Reads the lines that date a document and its own date.
fn read_whole(text: &str, lines: &[TextLine], paragraphs: &[usize], words: &DateWords) -> Whole {
    let mut found = Vec::new();
    let (mut own, mut lead_date) = (None, None);
    let mut title = true;
    let mut lead = true;
    for line in lines {
        if line.blank {
            continue;
        }
        let starts_paragraph = paragraphs
            .binary_search(&(line.bytes.start as usize))
            .is_ok();
        let bytes = line.bytes.start as usize..line.bytes.end as usize;
        let content = text[bytes.clone()].trim();
        // A long line is read for a date opening it only.
        let head = match content.len() <= DATE_LINE {
            true => Some(content),
            false => opening(content),
        };
        if let Some(head) = head
            && head.bytes().any(|b| b.is_ascii_digit())
            && let Some((date, source, written)) = line_date(head, words)
            && (content.len() <= DATE_LINE || !written)
        {
            found.push(DateLine {
                start: bytes.start,
                date,
                source,
                written,
            });
        } else if title {
            // The title's date: a day or a month of a year, else a year
            // alone after a dash or in brackets ("Memorial - 2009, Russia").
            if content.len() <= TITLE {
                own = dates::dates(content, words)
                    .into_iter()
                    .filter(|d| !life_date(&content[..d.span.start], words))
                    .map(|d| d.date)
                    .find(|d| d.year.is_some() && d.month.is_some())
                    .or_else(|| title_year(content));
            }
        } else if lead && starts_paragraph {
            // The opening paragraph: its first line has words enough not
            // to be a heading, and starts no list.
            let words_on_line = content.split_whitespace().count();
            let listed = content.starts_with(['-', '*', '•', '·']);
            if words_on_line >= LEAD_WORDS && !listed {
                lead = false;
                let next = paragraphs.partition_point(|&p| p <= bytes.start);
                let end = paragraphs.get(next).copied().unwrap_or(text.len());
                let paragraph = &text[bytes.start..end];
                lead_date = dates::dates(paragraph, words)
                    .into_iter()
                    .filter(|d| !life_date(&paragraph[..d.span.start], words))
                    .map(|d| d.date)
                    .find(|d| d.year.is_some() && d.day.is_some());
            }
        }
        title = false;
    }
    Whole {
        lines: found,
        title: own,
        lead: lead_date,
    }
}

/// A year standing alone in a title after a dash or in brackets: "Memorial
/// - 2009, Russia", "Annual report (2031)".
fn title_year(title: &str) -> Option<Date> {
    let b = title.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        // Four ASCII digits: `i` and `i + 4` lie on character boundaries.
        if !b[i..i + 4].iter().all(u8::is_ascii_digit) || (i > 0 && b[i - 1].is_ascii_digit()) {
            return None;
        }
        let before = title[..i].trim_end();
        let after = title[i + 4..].chars().next();
        let opened = before.ends_with(['-', '–', '—', '(']);
        let closed = after.is_none_or(|c| matches!(c, ',' | ')' | ' ' | '.' | ';'));
        let year: u16 = title[i..i + 4].parse().ok()?;
        (opened && closed && (1000..=2100).contains(&year)).then_some(Date {
            year: Some(year),
            month: None,
            day: None,
        })
    })
}

/// The date a line gives as a whole, and how: the date alone ("Jule 10,
/// 2022.") or a dateline ("Vilnius, 14 March 2031", "Dated: 3 May 2031",
/// "KYIV, 3 March 2032 — …").
fn line_date(line: &str, words: &DateWords) -> Option<(Date, DateSource, bool)> {
    let found = dates::dates(line, words);
    let d = found.first()?;
    let fold = |w: &str| normalize::key(w, Case::Fold);
    let mut after =
        line[d.span.end..].trim_matches(|c: char| c.is_whitespace() || c == '.' || c == ',');
    // "… 2031 р.", "… 2031 года".
    if !after.is_empty() && words.is_year_word(&fold(after)) {
        after = "";
    }
    let mut before = line[..d.span.start].trim();
    if before.is_empty() {
        // A date alone, or a full date opening the line ("May 7, 2026 Mr.
        // X introduced …"), which dates what follows.
        let full = d.date.year.is_some() && d.date.day.is_some();
        return match after.is_empty() {
            true => Some((d.date, DateSource::Letter, true)),
            false => full.then_some((d.date, DateSource::Dateline, false)),
        };
    }
    // "Paris, le", "Signed at Geneva, this": the joining word goes.
    if let Some((head, last)) = before.rsplit_once(char::is_whitespace)
        && words.is_dateline_join(&fold(last))
    {
        before = head.trim_end();
    }
    let head = before.len() <= DATELINE_HEAD && !before.bytes().any(|b| b.is_ascii_digit());
    // A place ("Vilnius,") or a word that dates ("Signed at …", "Dated:").
    let first_word = before
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .map(fold);
    let opens = first_word.is_some_and(|w| words.is_dateline(&w));
    let placed = before.ends_with(',');
    // What follows is nothing, or the news it heads after a dash.
    let ends = after.is_empty() || (placed && after.starts_with(['—', '–', '-']));
    (head && (placed || opens) && ends).then_some((d.date, DateSource::Dateline, true))
}

/// The first [`DATE_LINE`] bytes of a long line that may open with a date
/// (a digit or a letter first, a digit soon after), cut at a character
/// boundary.
fn opening(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    let soon = line.bytes().take(16).any(|b| b.is_ascii_digit());
    if !(first.is_alphanumeric() && soon) {
        return None;
    }
    let mut end = DATE_LINE.min(line.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    Some(&line[..end])
}

/// Whether the date at `span` of `text` names an event: an `event-dates`
/// word before it and a lower-case word after it that cannot follow a date
/// adverbially ("the October 7th terrorist attack", not "on the 13 July
/// and").
fn event_date(text: &str, span: Range<usize>, words: &DateWords) -> bool {
    let before = text[..span.start].trim_end();
    let word_before = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .filter(|w| !w.is_empty() && before.len() < span.start);
    let after = &text[span.end..];
    let word_after: String = after
        .strip_prefix(' ')
        .unwrap_or_default()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    word_before.is_some_and(|w| words.is_event_word(&normalize::key(w, Case::Fold)))
        && word_after.chars().next().is_some_and(char::is_lowercase)
        && !dates::may_follow_a_date(&word_after)
}

/// Whether the text before a date (`before`, up to the date) ends in a
/// birth or death word within the date's own clause: "born 18 July 1979",
/// "(née X, 11 April 1936", "Born on July 18, 1979".
fn life_date(before: &str, words: &DateWords) -> bool {
    let clause = before
        .rfind(['(', ';', '.', '\n'])
        .map_or(before, |at| &before[at + 1..]);
    clause
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(LIFE_REACH)
        .any(|w| words.is_life(&normalize::key(w, Case::Fold)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relations::dates::tests::shipped;
    use crate::relations::layout::lines_of;

    /// Each text, and for each piece of evidence in it (its text, and
    /// after `|` the words that state its relation, when not all of it)
    /// the date and source it carries.
    type Rows = &'static [(
        &'static str,
        &'static [(&'static str, Option<(&'static str, &'static str)>)],
    )];

    #[test]
    fn table() {
        #[rustfmt::skip]
        let rows: Rows = &[
            (
                "Minutes of the session\n\nOn 3 May 2021 the council met. It voted twice.\n\nLater, on 9 June, it adjourned.\n\nNothing else happened.\n\n12 August 2021\n",
                &[
                    ("On 3 May 2021 the council met.", Some(("2021-05-03", "sentence"))),
                    ("It voted twice.", Some(("2021-05-03", "paragraph"))),
                    ("Later, on 9 June, it adjourned.", Some(("2021-06-09", "sentence"))),
                    ("Nothing else happened.", Some(("2021-08-12", "letter"))),
                    ("Minutes of the session", Some(("2021-08-12", "letter"))),
                ],
            ),
            ("No dates here.", &[("No dates", None)]),
            (
                // A letter's date between its body and a long list of
                // signatures dates every one of them.
                "An appeal to friends\n\nWe ask for help.\n\nJule 10, 2022.\n\nSigned by:\n\nMara Quill, teacher\n\nTomas Vell, painter (2001-2005)\n",
                &[
                    ("We ask for help.", Some(("2022-07-10", "letter"))),
                    ("Mara Quill, teacher", Some(("2022-07-10", "letter"))),
                    ("Tomas Vell, painter (2001-2005)", Some(("2022-07-10", "letter"))),
                ],
            ),
            (
                "Statement\n\nOur board met.\n\nVilnius, 14 March 2031\n\nDr Ona Ruta\n",
                &[
                    ("Our board met.", Some(("2031-03-14", "dateline"))),
                    ("Dr Ona Ruta", Some(("2031-03-14", "dateline"))),
                ],
            ),
            (
                "Déclaration\n\nLe conseil a voté.\n\nParis, le 3 mars 2031\n",
                &[("Le conseil a voté.", Some(("2031-03-03", "dateline")))],
            ),
            (
                "Erklärung\n\nDer Rat hat beschlossen.\n\nBerlin, den 5. Dezember 2030\n",
                &[("Der Rat hat beschlossen.", Some(("2030-12-05", "dateline")))],
            ),
            (
                "Заявление\n\nСовет принял решение.\n\nМосква, 10 июля 2031 г.\n",
                &[("Совет принял решение.", Some(("2031-07-10", "dateline")))],
            ),
            (
                "Заява\n\nРада ухвалила рішення.\n\n24 серпня 2031 року\n",
                &[("Рада ухвалила рішення.", Some(("2031-08-24", "letter")))],
            ),
            (
                // An infobox line is no dateline.
                "A page\n\nThe page opens with a long first sentence about nothing dated at all.\n\n- Term Start: 30 August 2029\n\nThe chair was elected.\n",
                &[("The chair was elected.", None)],
            ),
            (
                "Treaty of friendship\n\nThe parties agree.\n\nSigned at Lisbon, Portugal, this 2nd day of May, 1950.\n",
                &[("The parties agree.", Some(("1950-05-02", "dateline")))],
            ),
            (
                "Resolution adopted by the Assembly on 2 March 2032\n\nThe Assembly condemns the war.\n",
                &[("The Assembly condemns the war.", Some(("2032-03-02", "document")))],
            ),
            (
                "Forum report\n\nThis report was adopted by the members of the forum held in Tartu 4 August 2030 after a long debate.\n\nSigned and endorsed by:\nAnna Berg - Chair\n",
                &[("Anna Berg - Chair", Some(("2030-08-04", "document")))],
            ),
            (
                // A letter's date line after its body; the summit it looks
                // forward to is not when it was written.
                "Dear Minister,\n\nWe urge you to act at the summit on 15 November 2034.\n\n24 July 2034\n",
                &[("We urge you to act at the summit on 15 November 2034.", Some(("2034-07-24", "letter")))],
            ),
            (
                // A birth date dates nothing; a year carries to a later
                // paragraph's date that has none.
                "Ana Lind\n\nAna Lind (born 3 April 1970) is a painter of the guild.\n\nThe guild was founded on 2 May 1999.\n\nShe joined it on 5 June.\n",
                &[
                    ("Ana Lind (born 3 April 1970) is a painter of the guild.", None),
                    ("She joined it on 5 June.", Some(("1999-06-05", "sentence"))),
                ],
            ),
            (
                "Notes\n\nThe talks began in late August 2031, and the treaty was signed by the council on September 6.\n",
                &[("The talks began in late August 2031, and the treaty was signed by the council on September 6.|signed by the council", Some(("2031-09-06", "sentence")))],
            ),
        ];
        for (text, cases) in rows {
            let lines = lines_of(text);
            let mut calendar = Calendar::new(text, &lines, shipped());
            for (needle, want) in cases.iter() {
                let (evidence, stated) = needle.split_once('|').unwrap_or((needle, needle));
                let at = |part: &str, from: usize| -> Range<u32> {
                    let start = from
                        + text[from..]
                            .find(part)
                            .unwrap_or_else(|| panic!("{part:?}"));
                    start as u32..(start + part.len()) as u32
                };
                let span = at(evidence, 0);
                let extent = at(stated, span.start as usize);
                let got = calendar.date_of(span, extent, &[], None, false);
                let got = got.map(|d| (d.date, d.source.as_str()));
                let want = want.map(|(d, s)| (d.to_string(), s));
                assert_eq!(got, want, "{needle:?} in {text:?}");
            }
        }
    }

    #[test]
    fn sources_read_back() {
        for source in DateSource::ALL {
            assert_eq!(DateSource::parse(source.as_str()), Some(source));
        }
        assert_eq!(DateSource::parse("later"), None);
    }
}
