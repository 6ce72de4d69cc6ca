//! The words of a text with what name finding needs of each: its shape
//! (capitalised, all capitals, an initial), its line, and what separates it
//! from the word before.

use std::ops::Range;

/// How a word is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Starts with a lower-case letter.
    Lower,
    /// Starts with a capital and has lower-case letters.
    Capitalised,
    /// Two or more letters, all capitals.
    Capitals,
    /// One capital letter ("K" of "Anna K. Berg").
    Initial,
    /// Digits or other characters first.
    Other,
}

impl Shape {
    /// Whether the word is written as a name's word is.
    pub(crate) fn is_capital(self) -> bool {
        matches!(self, Shape::Capitalised | Shape::Capitals | Shape::Initial)
    }
}

/// What stands between a word and the one before it, the strongest kind
/// when there are several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gap {
    /// Spaces only.
    Space,
    /// An apostrophe ("Peasants' Soviets").
    Apostrophe,
    /// A full stop: the end of a sentence, unless the word before is an
    /// initial or an abbreviation ("K. Berg", "Mr. Smith", "U.S.").
    Dot,
    /// Quotes, brackets and other marks.
    Mark,
    /// A comma.
    Comma,
    /// A dash or a hyphen standing alone.
    Dash,
    /// A colon or a semicolon.
    Colon,
    /// "!" or "?".
    Stop,
    /// A line break (the start of the text counts as one).
    Line,
}

/// One word of the text.
#[derive(Clone, Debug)]
pub(crate) struct Word {
    /// Where it is in the text.
    pub range: Range<usize>,
    /// How it is written.
    pub shape: Shape,
    /// What separates it from the word before.
    pub gap: Gap,
    /// Whether "'s" follows it (not part of `range`).
    pub possessive: bool,
    /// Whether an opening bracket stands right before it.
    pub bracketed: bool,
    /// The number of its line, from 0.
    pub line: u32,
}

/// The words of `text`. A word is a run of letters and digits, with the
/// hyphens and apostrophes inside it ("Jean-Claude", "O'Brien"); a
/// possessive "'s" is marked, not kept.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let bytes = text.as_bytes();
    let mut out: Vec<Word> = Vec::with_capacity(text.len() / 6);
    let mut gap = Gap::Line;
    let mut bracketed = false;
    let mut line = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        let (c, width) = char_at(text, i);
        if c.is_alphanumeric() {
            let (end, possessive, next) = word_end(text, i);
            out.push(Word {
                range: i..end,
                shape: shape(&text[i..end]),
                gap,
                possessive,
                bracketed,
                line,
            });
            gap = Gap::Space;
            bracketed = false;
            i = next;
            continue;
        }
        let this = match c {
            '\n' => {
                line += 1;
                Gap::Line
            }
            ' ' | '\t' | '\r' => Gap::Space,
            '.' => Gap::Dot,
            '!' | '?' => Gap::Stop,
            ':' | ';' => Gap::Colon,
            ',' => Gap::Comma,
            '-' | '–' | '—' | '‐' | '‒' | '−' => Gap::Dash,
            '\'' | '’' => Gap::Apostrophe,
            '(' | '[' => {
                bracketed = true;
                Gap::Mark
            }
            c if c.is_whitespace() => Gap::Space,
            _ => Gap::Mark,
        };
        if this > gap {
            gap = this;
        }
        i += width;
    }
    out
}

/// The character at byte `i` of `text` and its width, ASCII first.
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (char::from(b), 1)
    } else {
        let c = text[i..].chars().next().expect("i is a char boundary");
        (c, c.len_utf8())
    }
}

/// Where the word starting at `start` ends, whether "'s" follows it, and
/// where reading goes on. Hyphens and apostrophes inside a word are part
/// of it ("Jean-Claude", "O'Brien").
fn word_end(text: &str, start: usize) -> (usize, bool, usize) {
    let bytes = text.as_bytes();
    let mut end = start;
    loop {
        // The ASCII letters and digits at once.
        while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        if end >= bytes.len() {
            return (end, false, end);
        }
        let (c, width) = char_at(text, end);
        if c.is_alphanumeric() {
            end += width;
            continue;
        }
        if matches!(c, '-' | '\'' | '’' | '‐') {
            let rest = &text[end + width..];
            if rest.chars().next().is_some_and(char::is_alphanumeric) {
                // "Russia's": the word ends, the possessive is marked.
                if c != '-' && rest.starts_with(['s', 'S']) && ends_word(&rest[1..]) {
                    return (end, true, end + width + 1);
                }
                end += width;
                continue;
            }
        }
        return (end, false, end);
    }
}

/// Whether nothing word-like follows.
fn ends_word(rest: &str) -> bool {
    rest.chars().next().is_none_or(|c| !c.is_alphanumeric())
}

fn shape(word: &str) -> Shape {
    let bytes = word.as_bytes();
    if word.is_ascii() {
        let Some(&first) = bytes.first() else {
            return Shape::Other;
        };
        if first.is_ascii_lowercase() {
            return Shape::Lower;
        }
        if !first.is_ascii_uppercase() {
            return Shape::Other;
        }
        let lower = bytes.iter().any(u8::is_ascii_lowercase);
        let letters = bytes.iter().filter(|b| b.is_ascii_alphabetic()).count();
        return match (lower, letters) {
            (true, _) => Shape::Capitalised,
            (false, 1) => Shape::Initial,
            (false, _) => Shape::Capitals,
        };
    }
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return Shape::Other;
    };
    if first.is_lowercase() {
        return Shape::Lower;
    }
    if !first.is_uppercase() {
        return Shape::Other;
    }
    let mut letters = 1;
    let mut lower = false;
    for c in chars {
        if c.is_lowercase() {
            lower = true;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    match (lower, letters) {
        (true, _) => Shape::Capitalised,
        (false, 1) => Shape::Initial,
        (false, _) => Shape::Capitals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<(String, Shape, Gap, bool)> {
        words(text)
            .into_iter()
            .map(|w| (text[w.range].to_string(), w.shape, w.gap, w.possessive))
            .collect()
    }

    #[test]
    fn words_shapes_and_gaps() {
        let got = shown("Jean-Claude R. Smith's (NATO), then\nO'Brien");
        let want = [
            ("Jean-Claude", Shape::Capitalised, Gap::Line, false),
            ("R", Shape::Initial, Gap::Space, false),
            ("Smith", Shape::Capitalised, Gap::Dot, true),
            ("NATO", Shape::Capitals, Gap::Mark, false),
            ("then", Shape::Lower, Gap::Comma, false),
            ("O'Brien", Shape::Capitalised, Gap::Line, false),
        ];
        let want: Vec<(String, Shape, Gap, bool)> = want
            .into_iter()
            .map(|(w, s, g, p)| (w.to_string(), s, g, p))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn full_stops_inside_and_after_abbreviations_are_dots() {
        let got = shown("U.S. Army! Yes");
        assert_eq!(got[1].2, Gap::Dot);
        assert_eq!(got[2].2, Gap::Dot);
        assert_eq!(got[3].2, Gap::Stop);
    }
}
