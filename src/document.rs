//! Documents: from raw bytes to text, title and content hash.
//!
//! dossier stores and matches UTF-8. Input may be UTF-8 (with or without a
//! BOM), UTF-16 with a BOM, or a legacy single-byte encoding of this field's
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

/// The title of a document: its first non-empty line, without Markdown or
/// wiki heading marks, at most 200 characters.
pub fn title(text: &str) -> Option<String> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.chars().any(char::is_alphanumeric))?;
    let line = line.trim_start_matches('#').trim_matches('=').trim();
    let mut title: String = line.chars().take(200).collect();
    if line.chars().count() > 200 {
        title.push('…');
    }
    Some(title)
}

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
