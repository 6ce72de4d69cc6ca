//! Names that are not names: gazetteer entries written as common-noun
//! phrases ("occupation regime", "Supreme Court"), which name a kind of
//! thing, so that every document's regime or court becomes one entity.
//!
//! The rule, word by word (words split at white space, with the
//! punctuation around them dropped):
//!
//! - the small words inside names (`of`, `the`, `de`: the list
//!   `name-particles` of `gazetteers/relations/names.rules`) are passed
//!   over, whatever their case;
//! - a word is *proper* when it holds a digit or a letter of a script
//!   without case; when it is in capitals (`UN`, `U.S.`) or has a capital
//!   after its first letter (`McLeod`); or when it starts with a capital;
//! - but a capitalised *head word* (the last word of an item of the lists
//!   [`HEAD_LISTS`]: `Government`, `Republic`, `Island`, `Minister`) is
//!   generic when it is the name's only capitalised word, unless it is on
//!   its own the name of a listed entity (`Mejlis`), which the caller
//!   knows;
//! - a name of two words or more none of whose words is proper is a
//!   common-noun phrase: *in lower case* when no word starts with a
//!   capital ("occupation regime"), *generic* when its one capitalised
//!   word is a head word ("The Government", "occupation Authorities"). A
//!   name of one word is left to the common-word check (`case=exact`
//!   answers that), unless it is in lower case.
//!
//! Two capitalised words are given the benefit of the doubt, head words or
//! not: "Cape Town", "Soviet Union", "Federation Council" are names, and so
//! are "Supreme Court" and "National Assembly", which name one body per
//! country. No phrase is listed anywhere: the words come from the lists
//! that name finding (`gazetteer suggest`) reads already.

/// The `[list NAME]`s of the relation rules whose items end with a head
/// word: what a name says its thing is.
pub(crate) const HEAD_LISTS: [&str; 5] = [
    "organisation-heads",
    "state-heads",
    "place-heads",
    "name-titles",
    "name-roles",
];

/// The `[list NAME]` of the small words inside names.
pub(crate) const PARTICLES: &str = "name-particles";

/// How a name reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// A name: some word of it is proper.
    Name,
    /// Every word is in lower case.
    LowerCase,
    /// Its one capitalised word (this one, as written) is a head word: a
    /// name only if that word is a listed name on its own, which the
    /// caller knows.
    Generic(String),
}

/// How `name` reads; `particle` and `head` say whether a folded word is a
/// small word or a head word.
pub(crate) fn reading(
    name: &str,
    particle: &dyn Fn(&str) -> bool,
    head: &dyn Fn(&str) -> bool,
) -> Reading {
    let fold = |w: &str| crate::normalize::key(w, crate::normalize::Case::Fold);
    let mut capitalised: Vec<&str> = Vec::new();
    let mut words = 0;
    for word in name.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        let mut letters = word.chars().filter(|c| c.is_alphabetic());
        let Some(first) = letters.next() else {
            if word.chars().any(char::is_numeric) {
                return Reading::Name;
            }
            continue;
        };
        words += 1;
        if particle(&fold(word)) {
            continue;
        }
        let uncased = |c: char| c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase();
        if word.chars().any(|c| c.is_numeric() || uncased(c))
            || crate::matcher::is_acronym(word)
            || letters.any(char::is_uppercase)
        {
            return Reading::Name;
        }
        if first.is_uppercase() {
            capitalised.push(word);
        }
    }
    match capitalised[..] {
        _ if words == 0 => Reading::Name,
        [] => Reading::LowerCase,
        [one] if words > 1 && head(&fold(one)) => Reading::Generic(one.to_string()),
        _ => Reading::Name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, how it reads), with a few of the shipped particles and head
    /// words.
    #[test]
    fn names_and_phrases() {
        let particle = |w: &str| ["the", "of", "de", "and"].contains(&w);
        let head = |w: &str| {
            [
                "court",
                "assembly",
                "government",
                "republic",
                "council",
                "federation",
                "minister",
                "island",
                "regime",
                "authorities",
                "town",
                "cape",
            ]
            .contains(&w)
        };
        let generic = |word: &str| Reading::Generic(word.to_string());
        let cases: Vec<(&str, Reading)> = vec![
            // Lower case throughout.
            ("occupation regime", Reading::LowerCase),
            ("the authorities", Reading::LowerCase),
            ("regime", Reading::LowerCase),
            ("de facto government", Reading::LowerCase),
            ("(new) regime", Reading::LowerCase),
            // One capitalised word, a head word.
            ("The Government", generic("Government")),
            ("the Government", generic("Government")),
            ("occupation Authorities", generic("Authorities")),
            ("Government of the day", generic("Government")),
            ("THE Regime", generic("Regime")),
            // A capitalised word that is no head word is proper.
            ("Eastmoor occupation regime", Reading::Name),
            ("Ruritanian parliament", Reading::Name),
            ("Republic of Borduria", Reading::Name),
            ("President Tove Rask", Reading::Name),
            ("Strelsau Oblast", Reading::Name),
            // Two capitalised words: the benefit of the doubt.
            ("Cape Town", Reading::Name),
            ("Federation Council", Reading::Name),
            ("Supreme Court", Reading::Name),
            ("Government of the Republic", Reading::Name),
            // Capitals, inner capitals, digits, scripts without case.
            ("UN", Reading::Name),
            ("the UN", Reading::Name),
            ("McLeod council", Reading::Name),
            ("regime 7", Reading::Name),
            ("G7 Council", Reading::Name),
            ("مجلس الشورى", Reading::Name),
            // Other scripts with case follow the same rule.
            ("Верховна Рада", Reading::Name),
            ("верховна рада", Reading::LowerCase),
            // One word: left to the common-word check, unless in lower case.
            ("Government", Reading::Name),
            ("Strelsau", Reading::Name),
            ("junta", Reading::LowerCase),
            // Punctuation is no word; particles alone are no name either.
            ("— & —", Reading::Name),
            ("of the", Reading::LowerCase),
        ];
        for (name, want) in cases {
            assert_eq!(reading(name, &particle, &head), want, "{name}");
        }
    }
}
