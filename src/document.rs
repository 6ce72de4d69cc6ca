//! Documents: from raw bytes to text, title and content hash.
//!
//! dossier stores and matches UTF-8. Input may be UTF-8 (with or without a
//! BOM), UTF-16 with a BOM, UTF-16 without one (told by its zero bytes and
//! reported as a guess), or a legacy single-byte encoding of this field's
//! sources (Windows-1251, Windows-1252, KOI8-R, ...), which is guessed by
//! `chardetng` (the detector Firefox uses) and reported as a guess. Files
//! that look binary (NUL bytes, many control characters) are refused.
//! Offsets everywhere in dossier are byte offsets into the decoded UTF-8
//! text, which is what the database stores.
//!
//! This module does no IO: bytes in, text out.

use sha2::{Digest, Sha256};

/// A document's text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, UTF-8, without a BOM.
    pub text: String,
    /// The encoding it was read as (`UTF-8`, `UTF-16LE`, `windows-1251`, ...).
    pub encoding: &'static str,
    /// Something the user should know (a guessed encoding, replaced bytes).
    pub warning: Option<String>,
}

/// Why bytes are not a text document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotText {
    /// The content is empty (or only white space).
    #[error("empty")]
    Empty,
    /// The content looks binary.
    #[error("binary content ({0}), not a text document")]
    Binary(String),
}

/// Like [`decode`], taking the bytes: UTF-8 without a BOM (the usual case)
/// becomes the text without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, NotText> {
    if bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || utf16_without_bom(&bytes).is_some()
    {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => checked(text, "UTF-8", None),
        Err(e) => decode(e.as_bytes()),
    }
}

/// Decodes a document's bytes. Never panics.
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    let (text, encoding, warning) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        decode_with(encoding_rs::UTF_8, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        decode_with(encoding_rs::UTF_16LE, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        decode_with(encoding_rs::UTF_16BE, rest)
    } else if let Some(decoded) = utf16_without_bom(bytes).and_then(|e| decode_utf16(e, bytes)) {
        return Ok(decoded);
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), "UTF-8", None)
    } else {
        if let Some(reason) = binary_reason(bytes) {
            return Err(NotText::Binary(reason));
        }
        if mostly_utf8(bytes) {
            let (text, name, warning) = decode_with(encoding_rs::UTF_8, bytes);
            let warning = warning.map(|w| format!("not valid UTF-8: {w}"));
            return checked(text, name, warning);
        }
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
        let (text, name, warning) = decode_with(encoding, bytes);
        // chardetng names the KOI8 family KOI8-U; Russian text decodes the
        // same as KOI8-R, which is what users know it as.
        let guess = if name == "KOI8-U" {
            "not UTF-8: decoded as KOI8-U, the KOI8-R family (a guess)".to_string()
        } else {
            format!("not UTF-8: decoded as {name} (a guess)")
        };
        let warning = Some(match warning {
            Some(w) => format!("{guess}; {w}"),
            None => guess,
        });
        (text, name, warning)
    };
    checked(text, encoding, warning)
}

/// Refuses empty and binary-looking text.
fn checked(
    text: String,
    encoding: &'static str,
    warning: Option<String>,
) -> Result<Decoded, NotText> {
    if text.trim().is_empty() {
        return Err(NotText::Empty);
    }
    if warning.is_none()
        && let Some(reason) = binary_reason(text.as_bytes())
    {
        return Err(NotText::Binary(reason));
    }
    Ok(Decoded {
        text,
        encoding,
        warning,
    })
}

fn decode_with(
    encoding: &'static encoding_rs::Encoding,
    bytes: &[u8],
) -> (String, &'static str, Option<String>) {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let warning = had_errors.then(|| {
        let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
        format!(
            "{replaced} malformed {} sequence(s) replaced by �",
            encoding.name()
        )
    });
    (text.into_owned(), encoding.name(), warning)
}

/// How much of a text's start [`utf16_without_bom`] looks at.
const UTF16_SAMPLE: usize = 64 << 10;

/// The UTF-16 that bytes without a byte-order mark seem written in, told by
/// their zero bytes: a character below U+0100 (Latin letters, digits, and
/// in any script the spaces, line breaks and punctuation) is a zero byte and
/// another, the zero second in little-endian order and first in big-endian.
/// So in the first [`UTF16_SAMPLE`] bytes, at least one code unit in
/// sixteen has its zero byte on one side, and the other side has at most
/// one zero for sixteen of those. Text in any 8-bit encoding has no zero
/// byte at all; binary data has them on both sides.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(UTF16_SAMPLE) & !1];
    // The usual case, text without a zero byte, costs one vector search.
    memchr::memchr(0, sample)?;
    let (mut even, mut odd) = (0usize, 0usize);
    for unit in sample.chunks_exact(2) {
        even += usize::from(unit[0] == 0);
        odd += usize::from(unit[1] == 0);
    }
    let units = sample.len() / 2;
    let (many, few, encoding) = if odd >= even {
        (odd, even, encoding_rs::UTF_16LE)
    } else {
        (even, odd, encoding_rs::UTF_16BE)
    };
    (bytes.len().is_multiple_of(2) && many * 16 >= units && few * 16 <= many).then_some(encoding)
}

/// `bytes` decoded as `encoding` (UTF-16 without a byte-order mark), when
/// they decode without a malformed sequence into text that does not look
/// binary.
fn decode_utf16(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> Option<Decoded> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors || text.trim().is_empty() || binary_reason(text.as_bytes()).is_some() {
        return None;
    }
    Some(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        warning: Some(format!(
            "not UTF-8: decoded as {}, without a byte-order mark, as its zero bytes suggest (a guess)",
            encoding.name()
        )),
    })
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 with a few bad
/// sequences (a file cut inside a character, a stray byte) rather than a
/// legacy encoding: at least twice as many well-formed multi-byte
/// characters as malformed sequences. Text in a single-byte encoding forms
/// well-formed pairs only by chance (a Cyrillic letter of Windows-1251 is
/// followed by another letter, not by a byte of 0x80–0xBF), so nearly all
/// of its letters are malformed sequences.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut characters, mut malformed) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        // Lead bytes: one per multi-byte character.
        characters += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        malformed += usize::from(!chunk.invalid().is_empty());
    }
    characters >= 2 * malformed
}

/// Why `bytes` look binary, if they do: any NUL byte, or more than one in
/// ten of the first 1 KiB a control character other than TAB, LF, CR and
/// form feed.
fn binary_reason(bytes: &[u8]) -> Option<String> {
    // This runs over every document: the memchr crate's vector search
    // (the standard library's byte search measured 1.5 instructions a byte).
    if let Some(at) = memchr::memchr(0, bytes) {
        return Some(format!("a NUL byte at offset {at}"));
    }
    let sample = &bytes[..bytes.len().min(1024)];
    // First a count the compiler turns into vector code, of every control
    // character, allowed ones included: in text it is far below the limit.
    let low: u32 = sample
        .iter()
        .map(|&b| u32::from((b < 0x20) | (b == 0x7F)))
        .sum();
    if low as usize * 10 <= sample.len() {
        return None;
    }
    let controls = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
        .count();
    (controls * 10 > sample.len()).then(|| format!("{controls} control characters"))
}

/// The title of a document: its first line with a letter or digit that is
/// not page furniture copied with a page's text from the web (a copyright
/// line, a cookie banner, a menu or breadcrumb, "Skip to main content",
/// "Share this article"), without Markdown or wiki heading marks, at most
/// 200 characters. When all of the first twelve such lines are furniture,
/// the first of them.
pub fn title(text: &str) -> Option<String> {
    let mut lines = text
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim_matches('=').trim())
        .filter(|l| l.chars().any(char::is_alphanumeric))
        .take(TITLE_LINES);
    let first = lines.next()?;
    let line = if furniture(first).is_none() {
        // The usual case: nothing is collected.
        first
    } else {
        let head: Vec<&str> = std::iter::once(first).chain(lines).collect();
        let mut at = 0;
        loop {
            let Some(&line) = head.get(at) else {
                break first;
            };
            match furniture(line) {
                None => break line,
                // A footer put first (a copyright line, the site's blurb,
                // its policies) ends at the last legal line close below.
                Some(Furniture::Legal) => {
                    at = (at + 1..head.len().min(at + 1 + FOOTER_GAP))
                        .rev()
                        .find(|&i| furniture(head[i]) == Some(Furniture::Legal))
                        .unwrap_or(at)
                        + 1;
                }
                Some(Furniture::Interface) => at += 1,
            }
        }
    };
    let mut title: String = line.chars().take(200).collect();
    if line.chars().count() > 200 {
        title.push('…');
    }
    Some(title)
}

/// How many lines of a document's start [`title`] looks at.
const TITLE_LINES: usize = 12;

/// How far below a legal line of furniture another one still belongs to
/// the same footer, with the lines between them.
const FOOTER_GAP: usize = 3;

/// What kind of page furniture a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Furniture {
    /// A copyright line, a cookie banner, links to policies or terms.
    Legal,
    /// Links and buttons: skip links, menus, breadcrumbs, sharing.
    Interface,
}

/// Whether a line (trimmed) is page furniture rather than a title, copied
/// with a page's text from the web:
/// - a copyright line (`©`, `Copyright …`, `(c) 2024 …`) or a line that
///   speaks of cookies;
/// - a menu or breadcrumb: short items (four words at most) between `>`,
///   `»`, `›` or `→` (one is enough), or between `|`, `•`, `·` or ` / `
///   (at least two);
/// - a short line (six words at most) made only of the words of web pages'
///   interface ([`INTERFACE_WORDS`], at least one of them, and
///   [`LINK_WORDS`]): "Skip to main content", "Share this article",
///   "Privacy and Cookie Policies". Legal when one of the words is in
///   [`LEGAL_WORDS`].
fn furniture(line: &str) -> Option<Furniture> {
    let lower = line.to_lowercase();
    let copyright = lower.contains('©')
        || lower.starts_with("copyright")
        || lower
            .strip_prefix("(c)")
            .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()));
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if copyright || words.iter().any(|w| matches!(*w, "cookie" | "cookies")) {
        return Some(Furniture::Legal);
    }
    if is_menu(line) {
        return Some(Furniture::Interface);
    }
    let known = |w: &&str| INTERFACE_WORDS.contains(w) || LINK_WORDS.contains(w);
    if words.len() <= 6
        && words.iter().all(known)
        && words.iter().any(|w| INTERFACE_WORDS.contains(w))
    {
        return Some(if words.iter().any(|w| LEGAL_WORDS.contains(w)) {
            Furniture::Legal
        } else {
            Furniture::Interface
        });
    }
    None
}

/// Whether a line is a menu or a breadcrumb (see [`furniture`]).
fn is_menu(line: &str) -> bool {
    let pointed = line.contains(['>', '»', '›', '→']);
    let items: Vec<&str> = if pointed {
        line.split(['>', '»', '›', '→']).collect()
    } else {
        line.split(['|', '•', '·'])
            .flat_map(|piece| piece.split(" / "))
            .collect()
    };
    let items: Vec<&str> = items
        .into_iter()
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    let wanted = if pointed { 2 } else { 3 };
    items.len() >= wanted
        && items
            .iter()
            .any(|item| item.chars().any(char::is_alphabetic))
        && items.iter().all(|item| {
            item.split_whitespace().count() <= 4
                && item.chars().any(char::is_alphanumeric)
                && !item.ends_with(['.', '!', '?', ':', ','])
        })
}

/// The words of web pages' buttons and links, lower case: a short line of
/// nothing else is furniture.
const INTERFACE_WORDS: &[&str] = &[
    "about",
    "accept",
    "account",
    "advertisement",
    "advertising",
    "article",
    "articles",
    "back",
    "close",
    "comment",
    "comments",
    "conditions",
    "consent",
    "contact",
    "content",
    "copyright",
    "donate",
    "email",
    "facebook",
    "feedback",
    "follow",
    "home",
    "instagram",
    "jump",
    "linkedin",
    "log",
    "login",
    "logout",
    "main",
    "manage",
    "menu",
    "more",
    "navigation",
    "newsletter",
    "next",
    "page",
    "policies",
    "policy",
    "preferences",
    "previous",
    "print",
    "privacy",
    "read",
    "register",
    "reject",
    "related",
    "reserved",
    "rights",
    "search",
    "settings",
    "share",
    "sign",
    "skip",
    "subscribe",
    "subscription",
    "telegram",
    "terms",
    "toggle",
    "top",
    "tweet",
    "twitter",
    "whatsapp",
    "youtube",
];

/// Of [`INTERFACE_WORDS`], those of legal notices: a line of furniture
/// with one of them belongs to a footer.
const LEGAL_WORDS: &[&str] = &[
    "conditions",
    "consent",
    "copyright",
    "policies",
    "policy",
    "privacy",
    "reserved",
    "rights",
    "terms",
];

/// Small words that join interface words ("Skip *to* main content",
/// "Share *this* article").
const LINK_WORDS: &[&str] = &[
    "a", "all", "an", "and", "by", "for", "here", "in", "it", "me", "now", "of", "on", "or", "our",
    "out", "the", "this", "to", "up", "us", "via", "we", "with", "your",
];

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("Noxçiyçö".as_bytes()).unwrap();
        assert_eq!(
            (plain.text.as_str(), plain.encoding, plain.warning),
            ("Noxçiyçö", "UTF-8", None)
        );
        let bom = decode(b"\xEF\xBB\xBFRussia").unwrap();
        assert_eq!((bom.text.as_str(), bom.encoding), ("Russia", "UTF-8"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Ичкерия".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le).unwrap().text, "Ичкерия");
        let mut be = vec![0xFE, 0xFF];
        be.extend("Ičkerija".encode_utf16().flat_map(|u| u.to_be_bytes()));
        let d = decode(&be).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Ičkerija", "UTF-16BE"));
    }

    /// UTF-16 without a byte-order mark had been refused as binary (its
    /// zero bytes). Each row: a text, and whether it is written little- or
    /// big-endian.
    #[test]
    fn utf16_without_bom_is_told_by_its_zero_bytes() {
        let cases = [
            ("The harbour council of Velmora met on Tuesday.\r\n", true),
            ("The harbour council of Velmora met on Tuesday.\n", false),
            (
                "Совет гавани Вельморы собрался во вторник, в полдень.\n",
                true,
            ),
            (
                "Совет гавани Вельморы собрался во вторник, в полдень.\n",
                false,
            ),
            ("Ελληνικά και English, 2031.\n", true),
        ];
        for (text, little) in cases {
            let bytes: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| {
                    if little {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect();
            let want = if little { "UTF-16LE" } else { "UTF-16BE" };
            for d in [
                decode(&bytes).unwrap(),
                decode_owned(bytes.clone()).unwrap(),
            ] {
                assert_eq!((d.text.as_str(), d.encoding), (text, want));
                assert!(d.warning.unwrap().contains("a guess"));
            }
        }
    }

    /// Zero bytes that are not UTF-16 text stay binary: numbers of 16 bits
    /// (control characters once decoded), zeros on both sides, a cut code
    /// unit, a lone surrogate.
    #[test]
    fn zero_bytes_that_are_not_utf16_text_stay_binary() {
        let numbers: Vec<u8> = (1u16..200).flat_map(|n| (n % 20).to_le_bytes()).collect();
        let mut both = b"a\0b\0c\0".repeat(40);
        both.extend(b"\0a\0b\0c".repeat(40));
        let mut cut: Vec<u8> = "Velmora harbour"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        cut.push(b'x');
        let mut surrogate: Vec<u8> = "Velmora"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        surrogate.extend(0xD800u16.to_le_bytes());
        for bytes in [numbers, both, cut, surrogate] {
            assert!(
                matches!(decode(&bytes), Err(NotText::Binary(_))),
                "{bytes:?}"
            );
            assert_eq!(decode_owned(bytes.clone()), decode(&bytes));
        }
    }

    #[test]
    fn legacy_encodings_are_guessed_with_a_warning() {
        let russian = "Президиум правительства Чеченской Республики Ичкерия обратился к парламентам демократических государств.";
        for encoding in [encoding_rs::WINDOWS_1251, encoding_rs::KOI8_R] {
            let (bytes, _, _) = encoding.encode(russian);
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, russian, "{}", encoding.name());
            assert!(d.warning.unwrap().contains("a guess"));
        }
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1252.encode("Genoveva Šakalienė? No: Café Zürich, Müller & Søren");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("Zürich"));
    }

    #[test]
    fn utf8_with_a_few_bad_bytes_stays_utf8() {
        let whole = "Recep Tayyip Erdoğan, Türkiye, Noxçiyçö. ";
        // (bytes, the text they decode to): a file cut inside its last
        // character, and a stray byte of another encoding.
        let mut cut = whole.repeat(3).into_bytes();
        cut.extend_from_slice(&"ö".as_bytes()[..1]);
        let mut stray = whole.as_bytes().to_vec();
        stray.insert(5, 0xE9);
        let cases = [
            (cut, format!("{}\u{FFFD}", whole.repeat(3))),
            (stray, format!("Recep\u{FFFD}{}", &whole[5..])),
        ];
        for (bytes, text) in cases {
            for decoded in [
                decode(&bytes).unwrap(),
                decode_owned(bytes.clone()).unwrap(),
            ] {
                assert_eq!(decoded.text, text);
                assert_eq!(decoded.encoding, "UTF-8");
                assert!(decoded.warning.unwrap().contains("1 malformed"));
            }
        }
    }

    #[test]
    fn owned_and_borrowed_decoding_agree() {
        let inputs: [&[u8]; 5] = [
            b"Noxci\xc3\xa7\xc3\xb6",
            b"\xEF\xBB\xBFRussia",
            b"",
            b"a\x00b",
            b"Caf\xe9 in Z\xfcrich",
        ];
        for bytes in inputs {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes), "{bytes:?}");
        }
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            Err(NotText::Binary(_))
        ));
        assert!(matches!(
            decode(&[1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xfe, 0x80]),
            Err(NotText::Binary(_))
        ));
        assert_eq!(decode(b""), Err(NotText::Empty));
        assert_eq!(decode(b" \n\t\n"), Err(NotText::Empty));
    }

    #[test]
    fn one_control_character_in_ten_is_the_limit() {
        // (text, control characters among its first 1 KiB, binary?)
        let with = |controls: usize, other: u8, breaks: usize| {
            let mut bytes = vec![b'a'; 1000 - controls - breaks];
            bytes.extend(std::iter::repeat_n(other, controls));
            bytes.extend(std::iter::repeat_n(b'\n', breaks));
            bytes
        };
        let cases = [
            (with(100, 0x01, 0), false),
            (with(101, 0x01, 0), true),
            (with(101, 0x7F, 0), true),
            (with(60, 0x1B, 300), false),
            (with(0, 0, 600), false),
            (with(101, 0x1B, 300), true),
        ];
        for (bytes, binary) in cases {
            assert_eq!(binary_reason(&bytes).is_some(), binary, "{bytes:?}");
        }
    }

    /// Page furniture before the title is skipped; each row is a text (its
    /// first lines) and the title wanted.
    #[test]
    fn titles_skip_page_furniture() {
        let cases: &[(&str, &str)] = &[
            // Skip links, sharing, menus: short lines of interface words.
            (
                "Skip to main content\n\nMayor of Velmora resigns\n",
                "Mayor of Velmora resigns",
            ),
            (
                "Jump to navigation\nMenu\nSearch\nSign in\nHarbour strike ends\n",
                "Harbour strike ends",
            ),
            (
                "Share this article\nShare on Facebook\nTweet\nA letter to the council\n",
                "A letter to the council",
            ),
            (
                "# Subscribe to our newsletter\n## Ostravia joins the league\n",
                "Ostravia joins the league",
            ),
            (
                "Read more\nBack to top\nThe Velmora accord\n",
                "The Velmora accord",
            ),
            // Breadcrumbs and menus.
            (
                "Home > News > Europe\nStrike in Ostravia\n",
                "Strike in Ostravia",
            ),
            ("Home » World\nStrike in Ostravia\n", "Strike in Ostravia"),
            (
                "News | World | Business | Sport\nStrike in Ostravia\n",
                "Strike in Ostravia",
            ),
            (
                "Home / Statements / 2031\nStrike in Ostravia\n",
                "Strike in Ostravia",
            ),
            // Copyright lines and cookie banners.
            (
                "© 2031 Velmora Daily\nStrike in Ostravia\n",
                "Strike in Ostravia",
            ),
            (
                "Copyright 2031 Velmora Daily. All rights reserved.\nStrike in Ostravia\n",
                "Strike in Ostravia",
            ),
            (
                "(c) 2031 Velmora Daily\nStrike in Ostravia\n",
                "Strike in Ostravia",
            ),
            (
                "We use cookies to improve your experience. By browsing on you agree.\nAccept all\nStrike in Ostravia\n",
                "Strike in Ostravia",
            ),
            // A footer put first: the copyright line, the site's blurb and
            // its policies go together.
            (
                "Copyright © 2031 velmora.example\n\nThe Velmora Daily is funded by its readers and the Harbour Trust\n\nQuote us with a link to the article, please.\n\nPrivacy and Cookie Policies.\n\nStrike in Ostravia ends after ten days\n",
                "Strike in Ostravia ends after ten days",
            ),
            // Not furniture: titles that merely use such words, a title
            // with its site's name, a date, a label, a dash.
            (
                "Telegram channel of the council blocked\nbody\n",
                "Telegram channel of the council blocked",
            ),
            (
                "Sharing the harbour: a statement\nbody\n",
                "Sharing the harbour: a statement",
            ),
            (
                "Strike in Ostravia ends after ten days | Velmora Daily\nbody\n",
                "Strike in Ostravia ends after ten days | Velmora Daily",
            ),
            (
                "Terms of the ceasefire agreed in Velmora\nbody\n",
                "Terms of the ceasefire agreed in Velmora",
            ),
            ("MEDIA RELEASE\nStrike ends\n", "MEDIA RELEASE"),
            ("November 14th.\nTo all committees\n", "November 14th."),
            (
                "Ostravia - 2031, Velmora\nbody\n",
                "Ostravia - 2031, Velmora",
            ),
            (
                "Russia/Ukraine talks resume\nbody\n",
                "Russia/Ukraine talks resume",
            ),
            // A step followed by a footer does not swallow the title: only
            // legal lines close a footer.
            (
                "© Photo: Harbour Trust\nStrike in Ostravia\nShare this article\n",
                "Strike in Ostravia",
            ),
            // Nothing but furniture: the first line.
            ("Skip to main content\nMenu\n", "Skip to main content"),
        ];
        for (text, want) in cases {
            assert_eq!(title(text).as_deref(), Some(*want), "in {text:?}");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            title("\n\n  = Ukrainian recognition =\nbody").as_deref(),
            Some("Ukrainian recognition")
        );
        assert_eq!(title("# Heading\n").as_deref(), Some("Heading"));
        assert_eq!(title("---\n\nFirst words").as_deref(), Some("First words"));
        assert_eq!(title("\n \n"), None);
        assert_eq!(title(&"a".repeat(300)).unwrap().chars().count(), 201);
    }

    #[test]
    fn sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
