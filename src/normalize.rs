//! The one normalisation of names and text.
//!
//! Gazetteer names and document text go through the same [`tokenize`], so the
//! two can never disagree about what "the same name" means. A token is either
//! a *word* (a maximal run of letters, digits and combining marks) or a single
//! *punctuation* character; white space of any kind (line breaks included)
//! only separates tokens and is never a token itself.
//!
//! Each token is folded:
//! - case, for all of Unicode (`to_lowercase`, plus `ς` → `σ`);
//! - diacritics: canonical decomposition with the combining marks dropped
//!   (`Noxçiyçö` → `noxciyco`), plus the letters that do not decompose
//!   (`ø ł đ ħ ı ß æ œ þ ð`);
//! - apostrophes (`’ ‘ ʼ ′ \``) fold to `'`, dashes and hyphens (`– — ‐ ‑ ‒ −`)
//!   to `-`, and the typographic quotes (`“ ” „ « »`) to `"`.
//!
//! Because punctuation is kept as tokens, `Russia’s` is `russia ' s` and a
//! name never matches across a comma or a full stop, while a run of white
//! space (or a line break) between two words of a name does not matter.
//! Word boundaries hold by construction: `Russian` is one token, and it is
//! not `russia`.
//!
//! This module knows nothing about gazetteers, SQLite or files.

use std::ops::Range;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// What the folding keeps of a token's case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Lower-case everything: the key the matcher uses.
    Fold,
    /// Keep the case (diacritics, apostrophes and dashes are still folded):
    /// the key that exact-case names are checked against.
    Keep,
}

/// Calls `each(byte_range, folded)` for every token of `text`, in order.
///
/// `byte_range` is the token's place in `text`; `folded` is valid only during
/// the call. Never panics, whatever the input.
pub fn tokenize(text: &str, case: Case, mut each: impl FnMut(Range<usize>, &str)) {
    let bytes = text.as_bytes();
    let mut folded = String::with_capacity(32);
    let mut word_start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let class = ASCII[usize::from(b)];
            if class == WORD || class == UPPER {
                // The whole ASCII run at once.
                let mut end = i + 1;
                let mut upper = class == UPPER;
                while end < bytes.len() {
                    match ASCII[usize::from(bytes[end])] {
                        WORD => {}
                        UPPER => upper = true,
                        _ => break,
                    }
                    end += 1;
                }
                let whole_word = word_start.is_none()
                    && (end == bytes.len()
                        || bytes[end] < 0x80
                        || !text[end..].chars().next().is_some_and(continues_word));
                if whole_word && !(upper && case == Case::Fold) {
                    // Most words of prose: ASCII, already folded, handed
                    // over in place without a copy.
                    each(i..end, &text[i..end]);
                    i = end;
                    continue;
                }
                if word_start.is_none() {
                    word_start = Some(i);
                    folded.clear();
                }
                let from = folded.len();
                folded.push_str(&text[i..end]);
                if case == Case::Fold {
                    folded[from..].make_ascii_lowercase();
                }
                i = end;
                continue;
            }
            if let Some(start) = word_start.take() {
                each(start..i, &folded);
            }
            if class == PUNCTUATION {
                folded.clear();
                folded.push(match b {
                    b'`' => '\'',
                    other => other as char,
                });
                each(i..i + 1, &folded);
            }
            i += 1;
            continue;
        }
        // Non-ASCII: decode one char. `text` is a str, so this always succeeds.
        let c = text[i..]
            .chars()
            .next()
            .expect("index is on a char boundary");
        let len = c.len_utf8();
        if is_invisible(c) {
            // Inside a word it stays inside the word (`soft\u{AD}hyphen`).
            i += len;
            continue;
        }
        if continues_word(c) {
            if word_start.is_none() {
                word_start = Some(i);
                folded.clear();
            }
            fold_char(c, case, &mut folded);
        } else {
            if let Some(start) = word_start.take() {
                each(start..i, &folded);
            }
            if !c.is_whitespace() && !c.is_control() && c != '\u{200B}' {
                folded.clear();
                folded.push(fold_punctuation(c));
                each(i..i + len, &folded);
            }
        }
        i += len;
    }
    if let Some(start) = word_start {
        each(start..bytes.len(), &folded);
    }
}

/// Whether `c`, after a letter, belongs to the same word: a letter, digit
/// or combining mark, or an invisible character such as a soft hyphen.
/// `ʼ` and `ʹ` are letters to Unicode (modifier letters) but apostrophes to
/// writers (`ʼ` is the Ukrainian one), so they separate words.
fn continues_word(c: char) -> bool {
    is_invisible(c) || ((c.is_alphanumeric() || is_combining_mark(c)) && !matches!(c, 'ʼ' | 'ʹ'))
}

/// ASCII byte classes (a table lookup is cheaper than the range tests in the
/// hot loop): [`WORD`] lower-case letters and digits, [`UPPER`] capitals,
/// [`PUNCTUATION`] visible others,
/// [`SPACE`] white space and controls; bytes above 127 are [`OTHER`].
const ASCII: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_alphanumeric() {
            WORD
        } else if c.is_ascii_whitespace() || c.is_ascii_control() {
            SPACE
        } else {
            PUNCTUATION
        };
        b += 1;
    }
    table
};
const SPACE: u8 = 0;
const WORD: u8 = 1;
const PUNCTUATION: u8 = 2;
const OTHER: u8 = 3;
const UPPER: u8 = 4;

/// The folded tokens of `text` joined by single spaces: the lookup key of a
/// name (`"Chechen  Republic–Ichkeria"` → `"chechen republic - ichkeria"`).
pub fn key(text: &str, case: Case) -> String {
    let mut out = String::with_capacity(text.len());
    tokenize(text, case, |_, token| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(token);
    });
    out
}

/// The number of letters and digits in a folded key (punctuation and spaces
/// not counted): how much a name has to match on.
pub fn letter_count(key: &str) -> usize {
    key.chars().filter(|c| c.is_alphanumeric()).count()
}

/// Appends the folded form of the word character `c` to `out`.
fn fold_char(c: char, case: Case, out: &mut String) {
    if case == Case::Fold {
        for lower in c.to_lowercase() {
            strip_diacritics(lower, out);
        }
    } else {
        strip_diacritics(c, out);
    }
}

/// Appends `c` without its diacritics: its canonical decomposition less the
/// combining marks, or a spelled-out base for letters that do not decompose.
fn strip_diacritics(c: char, out: &mut String) {
    if let Some(base) = undecomposable(c) {
        out.push_str(base);
        return;
    }
    decompose_canonical(c, |part| {
        if !is_combining_mark(part) {
            out.push(part);
        }
    });
}

/// Letters with a stroke or a ligature, which have no canonical decomposition.
fn undecomposable(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'Ø' => "O",
        'ł' => "l",
        'Ł' => "L",
        'đ' => "d",
        'Đ' => "D",
        'ħ' => "h",
        'Ħ' => "H",
        'ı' => "i",
        'ß' => "ss",
        'ẞ' => "SS",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'þ' => "th",
        'Þ' => "TH",
        'ð' => "d",
        'Ð' => "D",
        'ς' => "σ",
        _ => return None,
    })
}

/// Folds the typographic variants of one punctuation character.
fn fold_punctuation(c: char) -> char {
    match c {
        '’' | '‘' | 'ʼ' | '′' | '‛' | 'ʹ' => '\'',
        '–' | '—' | '‐' | '‑' | '‒' | '−' | '―' | '⁃' => '-',
        '“' | '”' | '„' | '‟' | '«' | '»' | '″' => '"',
        other => other,
    }
}

/// Format characters that are neither letters nor visible punctuation (soft
/// hyphen, zero-width joiners, word joiner, BOM): skipped, and inside a word
/// they stay inside it. The zero-width *space* is not among them: it
/// separates words (Unicode calls it white space for line breaking).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// The hash of a folded token, the same in every reader of tokens: the
/// matcher's vocabulary and the relation rules' use it, so a token is
/// hashed once (the matcher hands its tokens to the rules).
pub fn token_hash(token: &str) -> u64 {
    use std::hash::BuildHasher;
    const HASHER: foldhash::fast::FixedState =
        foldhash::fast::FixedState::with_seed(0x5eed_d055_1e20);
    HASHER.hash_one(token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(Range<usize>, String)> {
        let mut out = Vec::new();
        tokenize(text, Case::Fold, |r, t| out.push((r, t.to_string())));
        out
    }

    /// Pairs that must fold to the same key, and pairs that must not.
    #[test]
    fn keys() {
        let same = [
            ("Noxçiyçö", "noxciyco"),
            ("RUSSIA", "russia"),
            ("Russia’s", "russia's"),
            ("Russiaʼs", "russia's"),
            ("Côte dʼIvoire", "Cote d'Ivoire"),
            ("Luhansk People's Republic", "Luhansk People’s Republic"),
            ("Chechen Republic — Ichkeria", "chechen republic-ichkeria"),
            ("Chechen\n\n  Republic", "Chechen Republic"),
            ("Genovaite Šakaliene", "genovaite sakaliene"),
            ("Łódź", "lodz"),
            ("STRAẞE", "strasse"),
            ("ΟΔΥΣΣΕΥΣ", "οδυσσευς"),
            ("İstanbul", "istanbul"),
            ("«Warsaw — 90»", "\"warsaw - 90\""),
            ("Кадыров", "кадыров"),
            ("e\u{301}", "é"),
            ("soft\u{AD}hyphen", "softhyphen"),
            ("Russia\u{200B}Ukraine", "Russia Ukraine"),
        ];
        for (a, b) in same {
            assert_eq!(key(a, Case::Fold), key(b, Case::Fold), "{a:?} vs {b:?}");
        }
        let different = [
            ("Russia", "Russian"),
            ("Chechen Republic", "Chechen, Republic"),
        ];
        for (a, b) in different {
            assert_ne!(key(a, Case::Fold), key(b, Case::Fold), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn offsets_are_byte_offsets_into_the_original() {
        let text = "Noxçiyçö’s  UN.";
        let got = tokens(text);
        let surfaces: Vec<&str> = got.iter().map(|(r, _)| &text[r.clone()]).collect();
        assert_eq!(surfaces, ["Noxçiyçö", "’", "s", "UN", "."]);
        assert_eq!(got[0].1, "noxciyco");
    }

    #[test]
    fn keep_case_folds_everything_but_case() {
        assert_eq!(key("Šakaliene’s US", Case::Keep), "Sakaliene ' s US");
    }

    /// `tokenize` as plainly as it can be written: one char at a time, no
    /// fast paths. The real one must give the same tokens and ranges.
    fn reference(text: &str, case: Case) -> Vec<(Range<usize>, String)> {
        let mut out = Vec::new();
        let mut word: Option<(usize, String)> = None;
        for (i, c) in text.char_indices() {
            if is_invisible(c) {
                continue;
            }
            if continues_word(c) {
                let (_, folded) = word.get_or_insert_with(|| (i, String::new()));
                fold_char(c, case, folded);
                continue;
            }
            if let Some((start, folded)) = word.take() {
                out.push((start..i, folded));
            }
            if !c.is_whitespace() && !c.is_control() && c != '\u{200B}' {
                let folded = if c == '`' { '\'' } else { fold_punctuation(c) };
                out.push((i..i + c.len_utf8(), folded.to_string()));
            }
        }
        if let Some((start, folded)) = word {
            out.push((start..text.len(), folded));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn tokenize_agrees_with_the_plain_reference(
            text in "[a-zA-Z0-9 ,.'`\n\t-]{0,6}(([a-zA-Z]{1,4}|[éÉçöŁİßʼ’–\u{AD}\u{200B}\u{301}\u{A0}Кд])[a-zA-Z0-9 ,.'-]{0,3}){0,8}"
        ) {
            for case in [Case::Fold, Case::Keep] {
                let mut got = Vec::new();
                tokenize(&text, case, |r, t| got.push((r, t.to_string())));
                proptest::prop_assert_eq!(got, reference(&text, case));
            }
        }
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "",
            " ",
            "\u{0}\u{1}",
            "\u{301}",
            "a\u{301}\u{302}",
            "\u{10FFFF}",
            "🙂🙂",
        ] {
            let _ = key(text, Case::Fold);
        }
    }
}
