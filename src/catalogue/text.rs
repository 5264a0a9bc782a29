//! Text analysis for catalogue search: words are lower-cased, stripped of accents and
//! reduced to their stem by the Snowball stemmer of their language. Documents are indexed
//! as stems; a query word matches its Dutch stem, its English stem or itself, so
//! "stoelen" finds "stoel" and "chairs" finds "chair" whatever the factsheet's language.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::domain::Lang;

static DUTCH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Dutch));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Query words beyond this many are ignored.
pub const MAX_QUERY_WORDS: usize = 12;
/// Longer "words" (hashes, pasted junk) are not worth indexing.
const MAX_WORD: usize = 40;

fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

/// The words of a text: lower case, accents removed, split at anything not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() && word.chars().count() <= MAX_WORD {
            out.push(std::mem::take(word));
        }
        word.clear();
    };
    for c in text.chars().flat_map(char::to_lowercase) {
        if let Some(plain) = fold(c) {
            word.push_str(plain);
        } else if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

pub fn stem(word: &str, lang: Lang) -> String {
    match lang {
        Lang::Nl => DUTCH.stem(word).into_owned(),
        Lang::En => ENGLISH.stem(word).into_owned(),
    }
}

/// A text as the space-separated stems of its words in `lang`.
pub fn stems(text: &str, lang: Lang, out: &mut String) {
    for word in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&stem(&word, lang));
    }
}

/// A text as its words without stemming (names, codes).
pub fn plain(text: &str, out: &mut String) {
    for word in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
}

/// One query word and what it may match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// The word itself and its stems, without duplicates.
    pub forms: Vec<String>,
    /// The last word of the query also matches as a prefix (search as you type).
    pub prefix: Option<String>,
}

/// Splits a query into words; every word must match.
pub fn query(q: &str) -> Vec<QueryWord> {
    let words = words(q);
    let count = words.len().min(MAX_QUERY_WORDS);
    words
        .into_iter()
        .take(count)
        .enumerate()
        .map(|(i, word)| {
            let mut forms = vec![stem(&word, Lang::Nl), stem(&word, Lang::En)];
            forms.push(word.clone());
            forms.sort();
            forms.dedup();
            let prefix = (i + 1 == count && word.chars().count() >= 3).then_some(word);
            QueryWord { forms, prefix }
        })
        .collect()
}

/// The query in FTS5 syntax: `("stoel" OR "stoelen" OR "stoelen"*) AND (...)`. Words hold
/// only letters and digits, so quoting them is enough to keep the syntax intact.
pub fn fts5_query(words: &[QueryWord]) -> String {
    words
        .iter()
        .map(|w| {
            let mut alternatives: Vec<String> =
                w.forms.iter().map(|f| format!("\"{f}\"")).collect();
            if let Some(p) = &w.prefix {
                alternatives.push(format!("\"{p}\"*"));
            }
            format!("({})", alternatives.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The query in PostgreSQL `to_tsquery('simple', ...)` syntax: `(stoel | stoelen:*) & (...)`.
pub fn tsquery(words: &[QueryWord]) -> String {
    words
        .iter()
        .map(|w| {
            let mut alternatives: Vec<String> = w.forms.clone();
            if let Some(p) = &w.prefix {
                alternatives.push(format!("{p}:*"));
            }
            format!("({})", alternatives.join(" | "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_split() {
        assert_eq!(
            words("Één Café-stoel, 100% gerecycleerd!"),
            ["een", "cafe", "stoel", "100", "gerecycleerd"]
        );
    }

    #[test]
    fn plural_and_singular_share_a_stem() {
        assert_eq!(stem("stoelen", Lang::Nl), stem("stoel", Lang::Nl));
        assert_eq!(stem("chairs", Lang::En), stem("chair", Lang::En));
        assert_eq!(stem("lampen", Lang::Nl), stem("lamp", Lang::Nl));
    }

    #[test]
    fn queries_match_either_language_and_keep_their_syntax_safe() {
        let q = query("stoelen \"OR\" *)");
        assert_eq!(q.len(), 2);
        assert!(q[0].forms.contains(&"stoel".to_string()));
        assert_eq!(fts5_query(&q), "(\"stoel\" OR \"stoelen\") AND (\"or\")");
        let q = query("refurbished laptops");
        assert_eq!(
            tsquery(&q),
            "(refurbish | refurbished) & (laptop | laptops | laptops:*)"
        );
    }
}
