//! Which date a piece of evidence carries: the date its sentence gives,
//! else the last date given earlier in its paragraph, else the document's
//! own date (a line that is only a date, as at the foot of a letter, or a
//! dateline "Vilnius, 14 March 2031"). A
//! date without a year ("On 13 July") takes the year of a date before it
//! in its paragraph, or stays without one (`--07-13`).

use super::dates::{self, Date, DateMention};
use std::ops::Range;

/// The dates of one document.
pub(crate) struct Calendar {
    dates: Vec<DateMention>,
    /// Byte offsets where paragraphs start (after blank lines).
    paragraphs: Vec<usize>,
    document: Option<Date>,
}

impl Calendar {
    pub fn new(text: &str) -> Calendar {
        let dates = dates::dates(text);
        let document = dates
            .iter()
            .find(|d| {
                let line_start = text[..d.span.start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[d.span.end..]
                    .find('\n')
                    .map_or(text.len(), |i| d.span.end + i);
                // The date alone, or a dateline "Vilnius, 14 March 2031".
                let before = text[line_start..d.span.start].trim();
                let dateline = before.len() <= 40
                    && before.ends_with(',')
                    && !before.bytes().any(|b| b.is_ascii_digit());
                (before.is_empty() || dateline)
                    && text[d.span.end..line_end]
                        .trim_matches(|c: char| c.is_whitespace() || c == '.' || c == ',')
                        .is_empty()
            })
            .map(|d| d.date);
        let mut paragraphs = vec![0];
        let mut previous_blank = false;
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let blank = line.trim().is_empty();
            if previous_blank && !blank {
                paragraphs.push(offset);
            }
            previous_blank = blank;
            offset += line.len();
        }
        Calendar {
            dates,
            paragraphs,
            document,
        }
    }

    /// The ISO 8601 date of evidence spanning `span`, if the text gives one.
    pub fn date_of(&self, span: Range<u32>) -> Option<String> {
        let (start, end) = (span.start as usize, span.end as usize);
        let first_inside = self.dates.partition_point(|d| d.span.start < start);
        let paragraph = self.paragraph_of(start);
        let chosen = match self.dates.get(first_inside) {
            Some(d) if d.span.end <= end => Some(first_inside),
            _ => first_inside
                .checked_sub(1)
                .filter(|&i| self.dates[i].span.start >= paragraph),
        };
        let date = match chosen {
            Some(i) => self.with_year(i),
            None => self.document?,
        };
        match (date.iso(), date.month, date.day) {
            (Some(iso), _, _) => Some(iso),
            // ISO 8601's form for a day of a year the text does not give.
            (None, Some(month), Some(day)) => Some(format!("--{month:02}-{day:02}")),
            _ => None,
        }
    }

    fn paragraph_of(&self, offset: usize) -> usize {
        self.paragraphs[self.paragraphs.partition_point(|&p| p <= offset) - 1]
    }

    /// Date `i`, its year taken from an earlier date of the same paragraph
    /// if the text leaves it out.
    fn with_year(&self, i: usize) -> Date {
        let date = self.dates[i].date;
        if date.year.is_some() {
            return date;
        }
        let paragraph = self.paragraph_of(self.dates[i].span.start);
        let year = self.dates[..i]
            .iter()
            .rev()
            .take_while(|d| d.span.start >= paragraph)
            .find_map(|d| d.date.year);
        match year {
            Some(year) => date.with_year(year),
            None => date,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_then_paragraph_then_document() {
        let text = "Minutes of the session\n\nOn 3 May 2021 the council met. It voted twice.\n\nLater, on 9 June, it adjourned.\n\nNothing else happened.\n\n12 August 2021\n";
        let calendar = Calendar::new(text);
        let at = |needle: &str| {
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
        assert_eq!(Calendar::new("No dates here.").date_of(0..5), None);
    }
}
