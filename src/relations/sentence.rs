//! Sentences and paragraphs of a document, for relation extraction.
//!
//! A sentence ends after `.`, `!`, `?` or `…` (with any closing quotes or
//! brackets right after them) when white space and then an uppercase letter,
//! a digit, an opening quote or bracket or a list bullet follow. A lone `.`
//! does not end one after an abbreviation (`Mr.`, `Sept.`, `No.` before a
//! number, …), an initial (`J. R. Smith`), a dotted abbreviation or acronym
//! (`e.g.`, `U.S.`) or the number of an enumeration (`1. … 2. …`). Semicolons
//! never split. A blank line ends a sentence and starts a paragraph. A single
//! line break ends a sentence before a list bullet, after a stop as above, and
//! before a line that opens like a sentence when the line before, whatever it
//! ends with, is a heading or list entry rather than hard-wrapped prose: it
//! ends with `:`, is shorter than 50 characters, or the next line's first word
//! would have fitted on it within the widest line of its paragraph.

use std::ops::Range;

/// One sentence of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the text, trimmed of surrounding white space and of a leading list bullet.
    pub span: Range<usize>,
    /// Index of the paragraph it belongs to (0-based, counting blocks separated by blank lines).
    pub paragraph: usize,
}

/// Lines shorter than this many characters are never hard-wrapped prose.
const SHORT_LINE: usize = 50;

/// The last non-blank line of the current paragraph: where it starts, where
/// its content (bullet included) starts and ends, and the stops (`.`, `?!`,
/// …) its content ends with, before any closers.
struct Line {
    line_start: usize,
    content: usize,
    end: usize,
    tail: Option<Range<usize>>,
}

/// The sentences found so far, where the open one starts, if one is, and the
/// paragraph being read.
#[derive(Default)]
struct Output {
    sentences: Vec<Sentence>,
    open: Option<usize>,
    paragraph: usize,
}

impl Output {
    /// Ends the open sentence, if any, at `end`; empty ones are dropped.
    fn close(&mut self, end: usize) {
        if let Some(start) = self.open.take()
            && start < end
        {
            let (span, paragraph) = (start..end, self.paragraph);
            self.sentences.push(Sentence { span, paragraph });
        }
    }
}

/// Splits `text` into sentences in document order.
///
/// The work is linear: every byte is read once to find the line ends, twice
/// to look for stops (the ASCII ones, then `…` before each) and at most once
/// more when a paragraph's width is
/// needed; look-backs happen only at candidate stops and are capped (16 bytes
/// for a word, 200 for an enumeration), and nothing is allocated but the
/// output.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Output::default();
    out.sentences.reserve(text.len() / 128);
    let (mut seen_block, mut block_start, mut width, mut prev) = (false, 0, None, None::<Line>);
    let mut pos = 0;
    while pos < text.len() {
        let line_start = pos;
        let line_end = text[pos..].find('\n').map_or(text.len(), |k| pos + k);
        pos = line_end + 1;
        let (content, end) = trim(text, line_start, line_end);
        if content == end {
            if let Some(p) = prev.take() {
                out.close(p.end);
            }
            continue;
        }
        let bullet = bullet_end(text, content, end);
        match &prev {
            None => {
                out.paragraph += usize::from(seen_block);
                (seen_block, block_start, width) = (true, line_start, None);
            }
            Some(p) => {
                let widest = || *width.get_or_insert_with(|| block_width(text, block_start));
                if bullet.is_some() || breaks_after(text, p, content..end, widest) {
                    out.close(p.end);
                }
            }
        }
        let body = bullet.unwrap_or(content);
        if out.open.is_none() && body < end {
            out.open = Some(body);
        }
        let tail = scan(text, line_start, body..end, &mut out);
        prev = Some(Line {
            line_start,
            content,
            end,
            tail,
        });
    }
    if let Some(p) = prev {
        out.close(p.end);
    }
    out.sentences
}

/// The line `start..end` without white space around it.
fn trim(text: &str, start: usize, end: usize) -> (usize, usize) {
    let line = &text[start..end];
    let head = line.trim_start();
    let from = end - head.len();
    (from, from + head.trim_end().len())
}

/// The character at byte `at`, which is a char boundary below the text's end.
fn char_at(text: &str, at: usize) -> char {
    text[at..].chars().next().unwrap_or(' ')
}

/// Where the white space starting at `at` ends, at most at `end`.
fn skip_space(text: &str, mut at: usize, end: usize) -> usize {
    while at < end {
        let b = text.as_bytes()[at];
        if b.is_ascii_whitespace() {
            at += 1;
        } else if b >= 0x80 && char_at(text, at).is_whitespace() {
            at += char_at(text, at).len_utf8();
        } else {
            break;
        }
    }
    at
}

/// Where the closing quotes and brackets starting at `at` end.
fn skip_closers(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end {
        at += match bytes[at..] {
            [b'"' | b'\'' | b')' | b']' | b'}', ..] => 1,
            [0xE2, 0x80, 0x9D | 0x99, ..] => 3, // ” and ’.
            [0xC2, 0xBB, ..] => 2,              // ».
            _ => break,
        };
    }
    at
}

/// Whether `c` may open a sentence after a line break: an uppercase (or
/// uncased) letter, a digit or an opening quote or bracket.
fn opens(c: char) -> bool {
    c.is_ascii_uppercase()
        || c.is_ascii_digit()
        || matches!(c, '"' | '\'' | '(' | '[' | '“' | '‘' | '«' | '„')
        || (!c.is_ascii() && c.is_alphabetic() && !c.is_lowercase())
}

/// Whether `c` may open a sentence after a stop within a line.
fn starts_sentence(c: char) -> bool {
    opens(c) || matches!(c, '•' | '▪' | '·' | '-' | '*' | '–' | '—')
}

/// Where the text after a list bullet at `at` starts, if one is there:
/// `•`, `▪`, `·`, or `-`, `*`, `–`, `—`, `1.`, `1)`, `a)` before white space.
pub(crate) fn bullet_end(text: &str, at: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let c = char_at(text, at);
    let after = match c {
        '•' | '▪' | '·' => return Some(skip_space(text, at + c.len_utf8(), end)),
        '-' | '*' | '–' | '—' => at + c.len_utf8(),
        _ => {
            let k = at + digit_run(bytes[at..end].iter());
            match bytes[k..end] {
                [b'.' | b')', ..] if k > at => k + 1,
                [b, b')', ..] if k == at && b.is_ascii_alphabetic() => k + 2,
                _ => return None,
            }
        }
    };
    let body = skip_space(text, after, end);
    (body > after || after == end).then_some(body)
}

/// The widest line, in characters, of the paragraph starting at `start`.
fn block_width(text: &str, mut start: usize) -> usize {
    let mut widest = 0;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |k| start + k);
        let (from, to) = trim(text, start, end);
        if from == to {
            break;
        }
        widest = widest.max(chars(&text.as_bytes()[from..to]));
        start = end + 1;
    }
    widest
}

/// The number of digits `bytes` start with, counted up to 3.
fn digit_run<'a>(bytes: impl Iterator<Item = &'a u8>) -> usize {
    bytes.take(3).take_while(|b| b.is_ascii_digit()).count()
}

/// The number of characters in UTF-8 `bytes`.
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// Whether a single line break after `prev` ends its sentence, the next
/// line's content being `next` (which does not start with a bullet) and
/// `wide` giving the width of the widest line of the paragraph.
fn breaks_after(text: &str, prev: &Line, next: Range<usize>, wide: impl FnOnce() -> usize) -> bool {
    let Range { start, end } = next;
    let first = char_at(text, start);
    if !opens(first) {
        return false;
    }
    if let Some(stop) = &prev.tail
        && ends_sentence(text, prev.line_start, stop.clone(), first)
    {
        return true;
    }
    let line = &text.as_bytes()[prev.content..prev.end];
    if line.last() == Some(&b':') || line.len() < SHORT_LINE || chars(line) < SHORT_LINE {
        return true;
    }
    // A greedy wrapper moves a word to the next line only when it does not fit.
    let next_line = &text.as_bytes()[start..end];
    let word = next_line.iter().position(|b| b.is_ascii_whitespace());
    chars(line) + 1 + chars(&next_line[..word.unwrap_or(next_line.len())]) <= wide()
}

/// Scans the content `range` of the line starting at `line` for stops,
/// closing the open sentence and opening the next one at each; returns the
/// stops the line ends with, which the next line decides about.
fn scan(text: &str, line: usize, range: Range<usize>, out: &mut Output) -> Option<Range<usize>> {
    let (bytes, end) = (text.as_bytes(), range.end);
    let mut at = range.start;
    loop {
        at = next_stop(bytes, at, end);
        if at == end {
            return None;
        }
        let mut stop_end = at;
        while stop_end < end {
            stop_end += match bytes[stop_end..] {
                [b'.' | b'!' | b'?', ..] => 1,
                [0xE2, 0x80, 0xA6, ..] => 3, // ….
                _ => break,
            };
        }
        if stop_end == at {
            at += 1;
            continue;
        }
        let after = skip_closers(bytes, stop_end, end);
        if after == end {
            return Some(at..stop_end);
        }
        let next = skip_space(text, after, end);
        if next == after {
            at = after;
            continue;
        }
        let c = char_at(text, next);
        if starts_sentence(c) && ends_sentence(text, line, at..stop_end, c) {
            out.close(after);
            let body = bullet_end(text, next, end).unwrap_or(next);
            out.open = (body < end).then_some(body);
            at = body;
        } else {
            at = next;
        }
    }
}

/// Where the first `.`, `!`, `?` or `…` at or after `at` is, or `end`
/// (memchr's vectorised searches: most bytes of a text are none of them).
fn next_stop(bytes: &[u8], at: usize, end: usize) -> usize {
    let ascii = memchr::memchr3(b'.', b'!', b'?', &bytes[at..end]).map_or(end, |k| at + k);
    // A `…` before it; other characters led by 0xE2 (curly quotes,
    // dashes) are passed over.
    let mut from = at;
    while let Some(k) = memchr::memchr(0xE2, &bytes[from..ascii]) {
        let lead = from + k;
        if bytes[lead..].starts_with(&[0xE2, 0x80, 0xA6]) {
            return lead;
        }
        from = lead + 1;
    }
    ascii
}

/// Whether the `stop` in the line starting at `line` ends a sentence when
/// `next` follows it, on the same line or the next.
fn ends_sentence(text: &str, line: usize, stop: Range<usize>, next: char) -> bool {
    let bytes = text.as_bytes();
    if stop.len() != 1 || bytes[stop.start] != b'.' {
        return true;
    }
    let mut from = stop.start;
    while from > line
        && stop.start - from < 16
        && (bytes[from - 1].is_ascii_alphanumeric() || bytes[from - 1] == b'.')
    {
        from -= 1;
    }
    let word = &bytes[from..stop.start];
    let glued = from > line && (bytes[from - 1] >= 0x80 || bytes[from - 1].is_ascii_alphanumeric());
    if word.is_empty() || glued {
        // A lone uppercase letter outside ASCII (`Ö.`, `В.`) is an initial too.
        let mut before = text[line..stop.start].chars().rev();
        let letter = before.next().is_some_and(char::is_uppercase);
        return !(letter && before.next().is_none_or(|c| !c.is_alphanumeric()));
    }
    if word.contains(&b'.') {
        let mut parts = word.split(|&b| b == b'.');
        let dotted = parts.all(|p| p.len() == 1 && p[0].is_ascii_alphabetic());
        return !dotted;
    }
    if word.len() == 1 && word[0].is_ascii_alphabetic() {
        return false;
    }
    if word.iter().all(u8::is_ascii_digit) {
        return !enumerates(text, line, from, word);
    }
    let listed = |list: &[&str]| {
        word.len() <= 6 && list.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(word))
    };
    !(listed(ABBREVIATIONS) || (next.is_ascii_digit() && listed(BEFORE_NUMBER)))
}

/// Abbreviations that never end a sentence: titles, months and others.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "sen", "rep", "gov",
    "pres", "st", "jr", "sr", "rev", "hon", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "vs", "approx", "inc", "ltd", "co", "corp", "dept", "univ", "cf",
    "fig", "vol", "ed",
];

/// Abbreviations that do not end a sentence before a number.
const BEFORE_NUMBER: &[&str] = &["no", "nos", "art", "para", "pp", "ca", "tel"];

/// Whether the number `digits` at `from` numbers an item of an enumeration
/// on its line: `1.` after a colon, `n.` after `n-1.` within 200 bytes.
fn enumerates(text: &str, line: usize, from: usize, digits: &[u8]) -> bool {
    let number = |d: &[u8]| d.iter().fold(0, |n, d| n * 10 + usize::from(d - b'0'));
    let (n, bytes) = (number(digits), text.as_bytes());
    if digits.len() > 2 || n <= 1 {
        return n == 1 && text[line..from].trim_end().ends_with(':');
    }
    let low = from.saturating_sub(200).max(line);
    (low..from).filter(|&k| bytes[k] == b'.').any(|k| {
        let run = digit_run(bytes[line..k].iter().rev());
        (1..=2).contains(&run) && number(&bytes[k - run..k]) == n - 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentences of `text` as strings, after checking the span rules.
    fn split(text: &str) -> Vec<&str> {
        let found = sentences(text);
        let mut last = 0;
        for s in &found {
            assert!(
                last <= s.span.start && s.span.start < s.span.end,
                "{found:?}"
            );
            let piece = &text[s.span.clone()];
            assert_eq!(piece, piece.trim(), "{text:?}: {found:?}");
            last = s.span.end;
        }
        found.iter().map(|s| &text[s.span.clone()]).collect()
    }

    /// Each case is a text with each sentence expected in it put in `⟦…⟧`.
    const CASES: &[&str] = &[
        // Stops, closers and what may follow them.
        "⟦The board met.⟧ ⟦It voted!⟧ ⟦Who objected?⟧ ⟦Nobody.⟧",
        "⟦They waited…⟧ ⟦Then it came.⟧ ⟦Or did it?!⟧ ⟦Yes...⟧ ⟦3 left.⟧",
        "⟦He said \"no.\"⟧ ⟦Then he left.⟧",
        "⟦It passed (by one vote.)⟧ ⟦Members cheered.⟧ ⟦«Fine.»⟧ ⟦“Yes.”⟧ ⟦(Later) [1] 'Ok.'⟧",
        "⟦The rate was 1.5 percent. the rest is noise.⟧",
        "⟦The first party signed; The second refused.⟧",
        "⟦It ended.⟧ • ⟦Next point.⟧ - ⟦Last one.⟧",
        "⟦Україна підписала угоду.⟧ ⟦Київ погодився.⟧ ⟦Zürich.Über.⟧ ⟦Ça va…⟧ ⟦Être ou.⟧",
        // Abbreviations, initials, acronyms and numbers.
        "⟦Mr. Ivan Tkach met Dr. Olha Koval and Gen. Mark Stone.⟧ ⟦They spoke.⟧",
        "⟦MR. Hale, prof. Lind and Capt. Rudd came.⟧ ⟦ST. Anne's hosted it.⟧",
        "⟦The act of Jan. 5 was ratified on Sept. 14 by Sen. Ruda.⟧ ⟦It took effect.⟧",
        "⟦Resolution No. 12 cites Art. 4, cf. Fig. 2 and Vol. 3.⟧ ⟦It passed.⟧",
        "⟦Acme Inc. Kyiv and Beta Ltd. Lviv signed.⟧ ⟦Smith vs. Jones followed.⟧",
        "⟦The answer was no.⟧ ⟦Then came art.⟧ ⟦It was loud.⟧",
        "⟦Pens, paper etc. were bought.⟧ ⟦Chairs etc.⟧ ⟦Tables were not.⟧",
        "⟦Some states, e.g. Latvia, i.e. The small one, agreed.⟧ ⟦Others did not.⟧",
        "⟦The U.S. Senate and the U.N. Council met.⟧ ⟦A note went to the U.K. Parliament replied.⟧",
        "⟦The deal was signed by the E.U.⟧\n⟦The Kremlin objected.⟧",
        "⟦It was signed by J. R. Smith and Volodymyr O. Vasylenko.⟧ ⟦It was read.⟧",
        "⟦Це підписав В. О. Василенко.⟧ ⟦Він погодився.⟧ ⟦Ende Ö. Neu.⟧",
        "⟦The demands: 1. Free them 2. Open it 3. Vote.⟧ ⟦Talks failed.⟧",
        "⟦Rules: 1. A 2. B 3. C 4. D 5. E 6. F 7. G 8. H 9. I 10. J 11. Kilo.⟧ ⟦Done.⟧",
        "⟦The tally was 45.⟧ ⟦Then it ended in 1991.⟧ ⟦The union fell.⟧",
        // Line breaks: bullets, lists, headings and hard-wrapped prose.
        "⟦Signatories:⟧\n• ⟦Anna Bilyk, activist in Rivne⟧\n•⟦Petro Hnat, lawyer in Lutsk⟧",
        "1. ⟦One⟧\n2) ⟦Two⟧\na) ⟦Three⟧\n- ⟦Four⟧\n* ⟦Five⟧\n– ⟦Six⟧\n— ⟦Seven⟧\n· ⟦Eight⟧\n▪ ⟦Nine⟧\n-\n10.",
        "- ⟦Passed: 5 May 2001⟧\n- ⟦Signed: 7 May 2001⟧\n- ⟦Status: in force⟧",
        "⟦Anna Bilyk, activist in Rivne⟧\n⟦Petro Hnat, lawyer in Lutsk⟧\n⟦Olena Marchuk, teacher in Dubno⟧",
        "⟦Background⟧\n⟦The council was founded after a long dispute.⟧",
        "⟦The statement of the assembly of the region reads as follows:⟧\n⟦We condemn it.⟧",
        "⟦The regional council adopted a long statement on Tuesday evening\n\
         after a debate that lasted for most of the afternoon, and several\n\
         members of the opposition asked for the vote to be postponed until\n\
         President Marko Dovhal had returned from his short visit abroad to\n\
         the capital.⟧ ⟦The chair refused the request.⟧",
        "⟦The council recalls that the resolutions of the U.N. and of the U.S.\n\
         Congress condemned the raid; it also calls on the Verkhovna Rada of\n\
         Ukraine to do the same.⟧ ⟦Call tel. 12-34 today.⟧",
        "⟦The statement was read aloud at the opening of the long session by Mr.\n\
         Smith of the first section, and then it was approved.⟧",
        "⟦The council of⟧\n\n⟦the city met.⟧",
        "⟦First line ends here.⟧\r\n⟦Second line\there.⟧\r\n\r\n\t⟦New para.⟧\r\n",
    ];

    #[test]
    fn splits_as_the_table_says() {
        for case in CASES {
            let text = case.replace(['⟦', '⟧'], "");
            let want: Vec<_> = case
                .split('⟦')
                .filter_map(|p| Some(p.split_once('⟧')?.0))
                .collect();
            assert_eq!(split(&text), want, "{case:?}");
        }
    }

    #[test]
    fn counts_paragraphs_between_blank_lines() {
        let text = "\n\nFirst one.\nStill first. Yes.\n\nSecond\nline.\n \t\r\n\n-\n\nFourth.";
        let found = sentences(text)
            .into_iter()
            .map(|s| format!("{}@{}", &text[s.span], s.paragraph));
        let want = "First one.@0|Still first.@0|Yes.@0|Second\nline.@1|Fourth.@3";
        assert_eq!(found.collect::<Vec<_>>().join("|"), want);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let odd = "|.|...|?!|!!!\n\n???|. . .|•|- |1.|a)|\r\n\r\n|\t\t|é.É|…|“.”|x. |ends in the middle of a|A.\n\
            |U.S.|»«|日本語。テスト. 中文|—\n—|1.\n2.\n3.|Mr.|. A|“Hi.” “Yo.”|\u{a0}A. B\u{a0}|é… É?! «Ü.» \u{2003}Ö\
            |99. 100. 12345. A|a.\u{a0}\u{a0}|\r\r.\r";
        let rich = odd.replace('|', " ")
            + "Mr. J. Doe said \"no.\" Then… Україна!\r\n• Item: 1. A 2. B\n\nZ.";
        // Every suffix and prefix, so that texts end and start anywhere.
        for text in odd.split('|').chain([rich.as_str()]) {
            for (at, _) in text.char_indices() {
                split(&text[at..]);
                split(&text[..at]);
            }
        }
    }
}
