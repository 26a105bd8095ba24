//! "Did you mean" for every name a writer can get wrong.

/// The longest word worth comparing: a name longer than this is no typo
/// of a canon name, and comparing it would cost its length squared.
const MAX_WORD: usize = 64;

/// The closest candidate to `word`, if one is close enough to be a typo.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    if word.len() > MAX_WORD {
        return None;
    }
    let norm = normalize(word);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let cn = normalize(c);
        let score = if cn == norm {
            2.0
        } else if cn.starts_with(&norm) || norm.starts_with(&cn) {
            1.0 + strsim::jaro_winkler(&norm, &cn) / 10.0
        } else {
            strsim::normalized_damerau_levenshtein(&norm, &cn)
        };
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.filter(|&(s, _)| s >= 0.6).map(|(_, c)| c)
}

/// Text a writer wrote, shortened for a message: at most 60 characters,
/// then `…`, so a huge argument is never echoed whole.
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        None => std::borrow::Cow::Borrowed(s),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &s[..cut])),
    }
}

/// "did you mean `x`?" when one candidate is close, otherwise the list.
pub fn hint<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str> + Clone) -> String {
    match closest(word, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("expected one of {}", list(candidates)),
    }
}

/// `a`, `b` or `c`.
pub fn list<'c>(items: impl IntoIterator<Item = &'c str>) -> String {
    join(items, "or")
}

/// `a`, `b` and `c`.
pub fn list_and<'c>(items: impl IntoIterator<Item = &'c str>) -> String {
    join(items, "and")
}

fn join<'c>(items: impl IntoIterator<Item = &'c str>, word: &str) -> String {
    let items: Vec<String> = items.into_iter().map(|i| format!("`{i}`")).collect();
    match items.len() {
        0 => String::from("nothing"),
        1 => items[0].clone(),
        n => format!("{} {word} {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// Lowercase, with `-`, `_` and spaces removed: `PastDue`, `past-due` and
/// `past_due` all normalize to `pastdue`.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_spelling_variants_find_their_term() {
        let terms = ["trial", "active", "past_due", "cancelled", "unknown"];
        assert_eq!(closest("canceled", terms), Some("cancelled"));
        assert_eq!(closest("PastDue", terms), Some("past_due"));
        assert_eq!(closest("past-due", terms), Some("past_due"));
        assert_eq!(closest("zebra", terms), None);
    }

    #[test]
    fn hint_lists_choices_when_nothing_is_close() {
        assert_eq!(hint("qqq", ["a1", "b2"]), "expected one of `a1` or `b2`");
        assert_eq!(list(["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
