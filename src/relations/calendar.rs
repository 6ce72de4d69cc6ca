//! Which date a piece of evidence carries: the date its sentence gives,
//! else the last date given earlier in its paragraph, else the document's
//! own date (a line among its first or last dozen that is only a date, as
//! at the foot of a letter, or a dateline "Vilnius, 14 March 2031"). A
//! date without a year ("On 13 July") takes the year of a date before it
//! in its paragraph, or stays without one (`--07-13`).

use super::dates::{self, Date, DateMention};
use super::layout::TextLine;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// The dates of one document, read lazily: only the paragraphs that hold
/// evidence and the short lines that may be a document's date are scanned.
pub(crate) struct Calendar<'a> {
    text: &'a str,
    /// Byte offsets where paragraphs start (after blank lines).
    paragraphs: Vec<usize>,
    /// The dates of each paragraph read so far, by paragraph start.
    read: FxHashMap<usize, Vec<DateMention>>,
    document: Option<Date>,
}

impl<'a> Calendar<'a> {
    /// The calendar of `text`, whose lines are `lines`.
    pub fn new(text: &'a str, lines: &[TextLine]) -> Calendar<'a> {
        let mut paragraphs = vec![0];
        let mut previous_blank = false;
        for line in lines {
            if previous_blank && !line.blank {
                paragraphs.push(line.bytes.start as usize);
            }
            previous_blank = line.blank;
        }
        let lines: Vec<&str> = lines
            .iter()
            .filter(|line| !line.blank)
            .map(|line| &text[line.bytes.start as usize..line.bytes.end as usize])
            .collect();
        // A document's own date heads or ends it.
        const EDGE: usize = 12;
        let edges = lines.iter().take(EDGE).chain(
            lines
                .iter()
                .skip(EDGE.max(lines.len().saturating_sub(EDGE))),
        );
        let document = edges
            .filter(|line| line.len() <= 80 && line.bytes().any(|b| b.is_ascii_digit()))
            .find_map(|line| line_date(line));
        Calendar {
            text,
            paragraphs,
            read: FxHashMap::default(),
            document,
        }
    }

    /// The ISO 8601 date of evidence spanning `span`, if the text gives one.
    pub fn date_of(&mut self, span: Range<u32>) -> Option<String> {
        let (start, end) = (span.start as usize, span.end as usize);
        let index = self.paragraphs.partition_point(|&p| p <= start) - 1;
        let paragraph = self.paragraphs[index];
        let paragraph_end = self
            .paragraphs
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let text = self.text;
        let dates = self.read.entry(paragraph).or_insert_with(|| {
            let mut dates = dates::dates(&text[paragraph..paragraph_end]);
            for d in &mut dates {
                d.span = d.span.start + paragraph..d.span.end + paragraph;
            }
            dates
        });
        let first_inside = dates.partition_point(|d| d.span.start < start);
        let chosen = match dates.get(first_inside) {
            Some(d) if d.span.end <= end => Some(first_inside),
            _ => first_inside.checked_sub(1),
        };
        let date = match chosen {
            Some(i) => with_year(dates, i),
            None => self.document?,
        };
        match (date.iso(), date.month, date.day) {
            (Some(iso), _, _) => Some(iso),
            // ISO 8601's form for a day of a year the text does not give.
            (None, Some(month), Some(day)) => Some(format!("--{month:02}-{day:02}")),
            _ => None,
        }
    }
}

/// The date a line gives as a whole: the date alone ("Jule 10, 2022.") or
/// a dateline ("Vilnius, 14 March 2031").
fn line_date(line: &str) -> Option<Date> {
    let found = dates::dates(line);
    let d = found.first()?;
    let before = line[..d.span.start].trim();
    let dateline =
        before.len() <= 40 && before.ends_with(',') && !before.bytes().any(|b| b.is_ascii_digit());
    let after_empty = line[d.span.end..]
        .trim_matches(|c: char| c.is_whitespace() || c == '.' || c == ',')
        .is_empty();
    ((before.is_empty() || dateline) && after_empty).then_some(d.date)
}

/// Date `i` of a paragraph, its year taken from an earlier date of the
/// paragraph if the text leaves it out.
fn with_year(dates: &[DateMention], i: usize) -> Date {
    let date = dates[i].date;
    if date.year.is_some() {
        return date;
    }
    match dates[..i].iter().rev().find_map(|d| d.date.year) {
        Some(year) => date.with_year(year),
        None => date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relations::layout::lines_of;

    #[test]
    fn sentence_then_paragraph_then_document() {
        let text = "Minutes of the session\n\nOn 3 May 2021 the council met. It voted twice.\n\nLater, on 9 June, it adjourned.\n\nNothing else happened.\n\n12 August 2021\n";
        let mut calendar = Calendar::new(text, &lines_of(text));
        let mut at = |needle: &str| {
            let start = text.find(needle).unwrap() as u32;
            calendar.date_of(start..start + needle.len() as u32)
        };
        assert_eq!(
            at("On 3 May 2021 the council met.").as_deref(),
            Some("2021-05-03")
        );
        assert_eq!(at("It voted twice.").as_deref(), Some("2021-05-03"));
        assert_eq!(
            at("Later, on 9 June, it adjourned.").as_deref(),
            Some("--06-09")
        );
        assert_eq!(at("Nothing else happened.").as_deref(), Some("2021-08-12"));
        assert_eq!(at("Minutes of the session").as_deref(), Some("2021-08-12"));
        let text = "No dates here.";
        assert_eq!(Calendar::new(text, &lines_of(text)).date_of(0..5), None);
    }
}
