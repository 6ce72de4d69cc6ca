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
//!   to `-`, and the typographic quotes (`“ ” „ « »`) to `"`;
//! - compatibility characters, as NFKC defines them: ligatures (`ﬃ` →
//!   `ffi`), fullwidth and halfwidth forms (`Ｏｆｆｉｃｅ`, `（`), superscripts
//!   and subscripts (`²` → `2`), styled letters (`ℌ`, `𝐀`), circled and
//!   Roman numerals (`①`, `Ⅻ` → `xii`), long s (`ſ`). A character is
//!   replaced only by characters of its own kind: a letter or digit by
//!   letters and digits, a punctuation mark by one punctuation mark. The
//!   rest keep their form, so that word boundaries stay where the text has
//!   them: `½` (`1⁄2`), `⑴` (`(1)`) and `…` (`...`) are unchanged, and `™`
//!   stays a mark of its own rather than the letters `TM` joined to the
//!   word before it (`Acme™` is still the word `acme`).
//!
//! Because punctuation is kept as tokens, `Russia’s` is `russia ' s` and a
//! name never matches across a comma or a full stop, while a run of white
//! space (or a line break) between two words of a name does not matter.
//! Word boundaries hold by construction: `Russian` is one token, and it is
//! not `russia`.
//!
//! A token's range is always its place in the original text, whatever its
//! folded form: `Oﬃce` is the token `office` (six letters) over the bytes
//! of `O`, `ﬃ` (three bytes, one character), `c` and `e`.
//!
//! This module knows nothing about gazetteers, SQLite or files.

use std::ops::Range;
use unicode_normalization::char::{decompose_canonical, decompose_compatible, is_combining_mark};

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
            strip_diacritics(lower, case, out);
        }
    } else {
        strip_diacritics(c, case, out);
    }
}

/// The longest full compatibility decomposition of a character (U+FDFA,
/// an Arabic ligature of 18 letters and spaces).
const LONGEST_DECOMPOSITION: usize = 18;

/// Appends `c` without its diacritics: its compatibility decomposition
/// (NFKD, which includes the canonical one) less the combining marks, or a
/// spelled-out base for letters that do not decompose. A compatibility
/// decomposition that is not all word characters (`½` is `1⁄2`) is not
/// used: `c` then keeps its form, less its diacritics.
fn strip_diacritics(c: char, case: Case, out: &mut String) {
    if let Some(base) = undecomposable(c) {
        out.push_str(base);
        return;
    }
    if !may_be_compatible(c) {
        // Most letters (Cyrillic, most accented Latin, CJK): the canonical
        // decomposition is all there is, and costs one lookup.
        decompose_canonical(c, |part| {
            if !is_combining_mark(part) {
                out.push(part);
            }
        });
        return;
    }
    // The decomposition, with a bit per combining mark. Most characters
    // are their own decomposition, or a Latin letter and marks, so the
    // word test runs only on the parts of compatibility characters.
    let mut parts = ['\0'; LONGEST_DECOMPOSITION];
    let mut marks = 0u32;
    let mut count = 0;
    let mut words = true;
    decompose_compatible(c, |part| {
        if count == parts.len() {
            words = false;
            return;
        }
        if is_combining_mark(part) {
            marks |= 1 << count;
        } else if !(part == c || part.is_ascii_alphanumeric() || continues_word(part)) {
            words = false;
        }
        parts[count] = part;
        count += 1;
    });
    if !words {
        decompose_canonical(c, |part| {
            if !is_combining_mark(part) {
                out.push(part);
            }
        });
        return;
    }
    for (i, &part) in parts[..count].iter().enumerate() {
        if marks & (1 << i) != 0 {
            continue;
        }
        if part == c {
            out.push(c);
        } else if case == Case::Fold && part.is_uppercase() {
            // Capitals with no lower case of their own (`ℌ`, `ϒ`) stand
            // for ones that have one (`H`, `Υ`). (The parts of a lower-case
            // letter's canonical decomposition are never capitals.)
            for lower in part.to_lowercase() {
                push_base(lower, out);
            }
        } else {
            push_base(part, out);
        }
    }
}

/// Where the characters lie whose compatibility decomposition differs
/// from their canonical one (a test checks every character against the
/// `unicode-normalization` tables): exactly below U+0800, where the Latin,
/// Greek and Cyrillic letters are, and roughly above it (the ranges merge
/// gaps of up to 128 characters).
const COMPATIBLE: &[(u32, u32)] = &[
    (0x00A0, 0x00A0),
    (0x00A8, 0x00A8),
    (0x00AA, 0x00AA),
    (0x00AF, 0x00AF),
    (0x00B2, 0x00B5),
    (0x00B8, 0x00BA),
    (0x00BC, 0x00BE),
    (0x0132, 0x0133),
    (0x013F, 0x0140),
    (0x0149, 0x0149),
    (0x017F, 0x017F),
    (0x01C4, 0x01CC),
    (0x01F1, 0x01F3),
    (0x02B0, 0x02B8),
    (0x02D8, 0x02DD),
    (0x02E0, 0x02E4),
    (0x037A, 0x037A),
    (0x0384, 0x0385),
    (0x03D0, 0x03D6),
    (0x03F0, 0x03F2),
    (0x03F4, 0x03F5),
    (0x03F9, 0x03F9),
    (0x0558, 0x0558),
    (0x0587, 0x0587),
    (0x058B, 0x058C),
    (0x0675, 0x0678),
    (0x0E33, 0x0F79),
    (0x10FC, 0x10FC),
    (0x1D2C, 0x1DBF),
    (0x1E9A, 0x1E9B),
    (0x1FBD, 0x2189),
    (0x222C, 0x2230),
    (0x2460, 0x24EA),
    (0x2A0C, 0x2A76),
    (0x2C7C, 0x2C7D),
    (0x2D6F, 0x2D6F),
    (0x2E9F, 0x33FF),
    (0xA69C, 0xA69D),
    (0xA770, 0xA770),
    (0xA7F1, 0xA7F9),
    (0xAB5C, 0xAB69),
    (0xFB00, 0xFFEE),
    (0x10781, 0x107BF),
    (0x1B123, 0x1B126),
    (0x1CCD6, 0x1CCF9),
    (0x1D400, 0x1D7FF),
    (0x1DF95, 0x1E06D),
    (0x1EE00, 0x1EEBB),
    (0x1F100, 0x1F251),
    (0x1FBF0, 0x1FBF9),
];

/// [`COMPATIBLE`] below U+0800 as a bitmap, one bit per character.
const COMPATIBLE_LOW: [u64; 32] = {
    let mut bits = [0u64; 32];
    let mut i = 0;
    while i < COMPATIBLE.len() {
        let (mut c, last) = COMPATIBLE[i];
        while c <= last && c < 0x800 {
            bits[(c / 64) as usize] |= 1 << (c % 64);
            c += 1;
        }
        i += 1;
    }
    bits
};

/// Whether `c` may have a compatibility decomposition of its own (false
/// for most letters, which need not be looked up).
fn may_be_compatible(c: char) -> bool {
    let c = c as u32;
    if c < 0x800 {
        return COMPATIBLE_LOW[(c / 64) as usize] & (1 << (c % 64)) != 0;
    }
    let at = COMPATIBLE.partition_point(|&(_, last)| last < c);
    COMPATIBLE.get(at).is_some_and(|&(first, _)| first <= c)
}

/// Appends a fully decomposed character that is not a combining mark,
/// spelled out if it has a stroke or is a ligature (`ᴭ` decomposes to `Æ`).
fn push_base(c: char, out: &mut String) {
    match undecomposable(c) {
        Some(base) => out.push_str(base),
        None if is_combining_mark(c) => {}
        None => out.push(c),
    }
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

/// Folds the typographic variants of one punctuation character, and a
/// compatibility form of a punctuation mark (fullwidth `（`, small `﹐`,
/// vertical `︵`) to the mark it stands for.
fn fold_punctuation(c: char) -> char {
    match c {
        '’' | '‘' | 'ʼ' | '′' | '‛' | 'ʹ' => '\'',
        '–' | '—' | '‐' | '‑' | '‒' | '−' | '―' | '⁃' => '-',
        '“' | '”' | '„' | '‟' | '«' | '»' | '″' => '"',
        other => match compatible_mark(other) {
            Some('`') => '\'',
            Some(mark) => fold_punctuation(mark),
            None => other,
        },
    }
}

/// The one punctuation mark the compatibility decomposition of `c` is, if
/// it is one and differs from `c` (never a letter, a digit or white space,
/// so that a punctuation token stays one mark).
fn compatible_mark(c: char) -> Option<char> {
    let mut only = None;
    let mut count = 0;
    decompose_compatible(c, |part| {
        only = Some(part);
        count += 1;
    });
    only.filter(|&mark| {
        count == 1
            && mark != c
            && !continues_word(mark)
            && !mark.is_whitespace()
            && !mark.is_control()
    })
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
            ("Oﬃce", "Office"),
            ("ＯＦＦＩＣＥ", "office"),
            ("Ｒｕｓｓｉａ’ｓ", "russia's"),
        ];
        for (a, b) in same {
            assert_eq!(key(a, Case::Fold), key(b, Case::Fold), "{a:?} vs {b:?}");
        }
        let different = [
            ("Russia", "Russian"),
            ("Chechen Republic", "Chechen, Republic"),
            ("Acme™", "AcmeTM"),
            ("½", "1/2"),
        ];
        for (a, b) in different {
            assert_ne!(key(a, Case::Fold), key(b, Case::Fold), "{a:?} vs {b:?}");
        }
    }

    /// Compatibility characters: each row is a text and its tokens as
    /// `surface=folded`, the surface being the token's range of the text.
    #[test]
    fn compatibility_characters() {
        let cases: &[(&str, &[&str])] = &[
            // Ligatures, inside a word and starting one.
            ("Oﬃce", &["Oﬃce=office"]),
            ("ﬁnance ﬂow", &["ﬁnance=finance", "ﬂow=flow"]),
            ("Ĳssel", &["Ĳssel=ijssel"]),
            // Fullwidth letters, digits and punctuation; halfwidth kana.
            (
                "Ｏｆｆｉｃｅ（ＵＮ）",
                &["Ｏｆｆｉｃｅ=office", "（=(", "ＵＮ=un", "）=)"],
            ),
            ("Ｇ７，", &["Ｇ７=g7", "，=,"]),
            ("ｶﾀｶﾅ", &["ｶﾀｶﾅ=カタカナ"]),
            ("＇ｓ ｀", &["＇='", "ｓ=s", "｀='"]),
            // Superscripts, subscripts, circled and Roman numerals.
            ("m² H₂O", &["m²=m2", "H₂O=h2o"]),
            ("① Ⅻ ⅻ", &["①=1", "Ⅻ=xii", "ⅻ=xii"]),
            // Styled letters and their capitals.
            ("ℌ𝐞𝐥𝐥𝐨 𝔄", &["ℌ𝐞𝐥𝐥𝐨=hello", "𝔄=a"]),
            ("ſtate µ", &["ſtate=state", "µ=μ"]),
            // Compatibility letters that decompose to ones with a stroke.
            ("ᴭ", &["ᴭ=ae"]),
            // Not of one kind: the character keeps its form.
            ("Acme™ ½ ⑴ …", &["Acme=acme", "™=™", "½=½", "⑴=⑴", "…=…"]),
            ("l·l ŀl", &["l=l", "·=·", "l=l", "ŀl=ŀl"]),
        ];
        for (text, want) in cases {
            let got: Vec<String> = tokens(text)
                .into_iter()
                .map(|(r, folded)| format!("{}={folded}", &text[r]))
                .collect();
            assert_eq!(&got, want, "in {text:?}");
        }
        // Kept case folds the form but not the case.
        assert_eq!(key("Ｏﬃce ℌ", Case::Keep), "Office H");
    }

    /// [`COMPATIBLE`] holds every character whose compatibility
    /// decomposition differs from its canonical one, by the tables of the
    /// `unicode-normalization` crate (a newer Unicode may add some).
    #[test]
    fn the_compatibility_ranges_cover_every_compatibility_character() {
        let decomposed = |c: char, compatible: bool| {
            let mut out = Vec::new();
            if compatible {
                decompose_compatible(c, |p| out.push(p));
            } else {
                decompose_canonical(c, |p| out.push(p));
            }
            out
        };
        let compatible: Vec<u32> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| decomposed(c, true) != decomposed(c, false))
            .map(|c| c as u32)
            .collect();
        if compatible
            .iter()
            .any(|&c| !may_be_compatible(char::from_u32(c).expect("a char")))
        {
            // The table as it should be, exact below U+0800, gaps of up to
            // 128 merged above.
            let mut ranges: Vec<(u32, u32)> = Vec::new();
            for &c in &compatible {
                let gap = if c < 0x800 { 1 } else { 128 };
                match ranges.last_mut() {
                    Some((first, last))
                        if c - *last <= gap && (*first >= 0x800) == (c >= 0x800) =>
                    {
                        *last = c
                    }
                    _ => ranges.push((c, c)),
                }
            }
            let table: Vec<String> = ranges
                .iter()
                .map(|(a, b)| format!("    (0x{a:04X}, 0x{b:04X}),"))
                .collect();
            panic!(
                "COMPATIBLE misses characters; it should be:\n{}",
                table.join("\n")
            );
        }
        // Below U+0800 the bitmap is exact.
        for c in (0..0x800).filter_map(char::from_u32) {
            assert_eq!(
                may_be_compatible(c),
                decomposed(c, true) != decomposed(c, false),
                "U+{:04X}",
                c as u32
            );
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
            text in "[a-zA-Z0-9 ,.'`\n\t-]{0,6}(([a-zA-Z]{1,4}|[éÉçöŁİßʼ’–\u{AD}\u{200B}\u{301}\u{A0}Кдﬃ²½™ℌＯ（ǅ])[a-zA-Z0-9 ,.'-]{0,3}){0,8}"
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
