//! "Did you mean": how close a misspelt word or name is to a known one,
//! the one measure every command and the query language use.
//!
//! Short words (keywords, relation kinds, types) are compared by edit
//! distance, a swap of two letters counting once; names by Jaro-Winkler
//! similarity on their folded forms, which forgives a changed ending
//! (`Zelenski` for `Zelensky`) more than a changed start.

/// The edit distance from `word` to `candidate` when it is small enough,
/// for the candidate's length, for `word` to be a misspelling of it: at
/// most two edits, and at most one per two letters.
pub fn misspelling(word: &str, candidate: &str) -> Option<usize> {
    let distance = strsim::damerau_levenshtein(word, candidate);
    let length = candidate.chars().count();
    (distance <= 2 && distance * 2 <= length).then_some(distance)
}

/// The candidate nearest to `word` by plain edit distance (no swaps), with
/// that distance; the first of equals. `None` when there is no candidate.
pub fn nearest<T: Copy>(
    word: &str,
    candidates: impl IntoIterator<Item = (T, &'static str)>,
) -> Option<(T, usize)> {
    candidates
        .into_iter()
        .map(|(value, spelling)| (value, strsim::levenshtein(word, spelling)))
        .fold(
            None,
            |best: Option<(T, usize)>, (value, distance)| match best {
                Some((_, least)) if least <= distance => best,
                _ => Some((value, distance)),
            },
        )
}

/// The relation kind of `known` that `kind` is most likely a misspelling
/// of, if one is close enough (the query language and `dossier why`).
pub fn closest_kind<'a>(kind: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(k, kind), k))
        .filter(|(distance, k)| *distance <= 3.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// How alike two folded names are, 0 to 1.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b)
}

/// The [`name_similarity`] from which a name is offered for another.
pub const SIMILAR_NAME: f64 = 0.88;

/// The characters of an unknown name that suggestions read: no name is
/// this long, and reading all of a name pasted by mistake (a paragraph, a
/// file) would cost time in its length for nothing.
pub const SUGGESTION_CHARS: usize = 256;

/// The first [`SUGGESTION_CHARS`] characters of `folded`, cut at the last
/// space before them when there is one (so no word is cut in two).
pub fn cut_name(folded: &str) -> &str {
    let Some((end, _)) = folded.char_indices().nth(SUGGESTION_CHARS) else {
        return folded;
    };
    let head = &folded[..end];
    if folded[end..].starts_with(' ') {
        return head;
    }
    head.rfind(' ').map_or(head, |space| &head[..space])
}

/// The lengths (in characters) a name must have to be [`SIMILAR_NAME`] to
/// a name of `chars` characters. Jaro similarity is at most
/// (2 + shorter / longer) / 3, and Winkler's bonus adds at most 0.4 of
/// what is missing to 1, so reaching 0.88 needs a Jaro of 0.8 and the
/// shorter name at least 0.4 of the longer: a name outside these lengths
/// needs no comparing.
pub fn similar_lengths(chars: usize) -> std::ops::RangeInclusive<usize> {
    // A hair below 0.4, so rounding never drops a name that reaches it.
    const RATIO: f64 = 0.399;
    let shortest = (chars as f64 * RATIO).ceil() as usize;
    let longest = (chars as f64 / RATIO).floor() as usize;
    shortest.max(1)..=longest
}

/// `; did you mean: A, B?` for the close names, or nothing without one.
pub fn did_you_mean(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelling_is_a_few_edits_for_the_length() {
        let cases = [
            ("nieghbours", "neighbours", Some(1)),
            ("pth", "path", Some(1)),
            ("entites", "entities", Some(1)),
            ("xy", "path", None),
            ("documents", "documents", Some(0)),
            ("ab", "xyz", None),
            ("pa", "path", Some(2)),
        ];
        for (word, candidate, expected) in cases {
            assert_eq!(
                misspelling(word, candidate),
                expected,
                "{word} → {candidate}"
            );
        }
    }

    #[test]
    fn the_nearest_candidate_is_the_first_of_equals() {
        let words = [(1, "person"), (2, "place"), (3, "state")];
        assert_eq!(nearest("persn", words), Some((1, 1)));
        assert_eq!(nearest("plate", words), Some((2, 1)));
        assert_eq!(nearest("x", [(7, "ab"), (8, "cd")]), Some((7, 2)));
        assert_eq!(nearest::<u8>("x", []), None);
    }

    #[test]
    fn a_kind_is_offered_only_when_close() {
        let known = ["signed", "resides-in", "member-of"];
        assert_eq!(closest_kind("sigend", known), Some("signed"));
        assert_eq!(closest_kind("member_of", known), Some("member-of"));
        assert_eq!(closest_kind("completely-else", known), None);
    }

    #[test]
    fn no_name_outside_the_lengths_is_similar() {
        // The most alike a name of another length can be: the same letters
        // from the start, then others (all matching, no transposition).
        for short in 1..=60usize {
            for long in short..=200usize {
                let a: String = "abcdefghij".chars().cycle().take(short).collect();
                let b: String = a.chars().chain(std::iter::repeat('z')).take(long).collect();
                let similar = name_similarity(&a, &b) >= SIMILAR_NAME;
                let inside = similar_lengths(short).contains(&long)
                    && similar_lengths(long).contains(&short);
                assert!(!similar || inside, "{short} and {long} chars");
            }
        }
        assert_eq!(similar_lengths(10), 4..=25);
    }

    #[test]
    fn a_long_name_is_cut_at_a_word() {
        let long = "ab ".repeat(200);
        let cut = cut_name(&long);
        assert!(cut.chars().count() <= SUGGESTION_CHARS, "{}", cut.len());
        assert!(cut.ends_with("ab"), "{cut}");
        let one_word = "x".repeat(10_000);
        assert_eq!(cut_name(&one_word).chars().count(), SUGGESTION_CHARS);
        assert_eq!(cut_name("zelensky"), "zelensky");
        let accents = "é".repeat(300);
        assert_eq!(cut_name(&accents).chars().count(), SUGGESTION_CHARS);
    }

    #[test]
    fn close_names_are_listed_once() {
        assert_eq!(did_you_mean(&[]), "");
        assert_eq!(
            did_you_mean(&["Mara Quill".into(), "Quill Fund".into()]),
            "; did you mean: Mara Quill, Quill Fund?"
        );
        assert!(name_similarity("zelenski", "zelensky") >= SIMILAR_NAME);
        assert!(name_similarity("zelenski", "moscow") < SIMILAR_NAME);
    }
}
