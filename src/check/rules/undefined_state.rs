//! `undefined-state`: a state the canon does not define.
//!
//! Three places say which vocabulary a value belongs to: a field name in a
//! code block (`"subscription_state": "canceled"`), the words around inline
//! code (`the decision is `block``, a table column headed "Subscription
//! state", a list introduced by "Worker modes:"), and a `{{#cavra-state}}`
//! reference. Outside any such context only near misses of real terms are
//! flagged, because an arbitrary identifier in prose is usually not a state.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::{keyvalues, lexicon};
use crate::diagnostic::{Applicability, Fix, Level, Raw, RuleDoc, RuleMeta, RuleOut};
use crate::markdown::CodeBlock;
use crate::model::{Term, Vocabulary};
use crate::suggest;

pub static META: RuleMeta = RuleMeta {
    id: "undefined-state",
    default: Level::Deny,
    doc: DOC,
};

const DOC: RuleDoc = RuleDoc {
    what: "A state or status value that no CAVRA vocabulary defines: the value of a vocabulary's \
field in a JSON, YAML or TOML block, inline code that the surrounding sentence, table column, \
list lead-in or heading ties to a vocabulary, a `{{#cavra-state}}` reference, and anywhere a \
near miss of a real term (`past-due`, `PastDue`, `canceled`). A retired spelling (`deny`, \
`shadow`) is judged the same wherever its place names the vocabulary: also under a heading that \
names it, or coordinated with a term only that vocabulary has (\"returns `allow` or `deny`\"). \
Entries of a hand-written list or table are left to `state-list-drift`'s one finding.",
    why: "Readers and integrators copy these values into code and policy. A value the runtime never \
sends, or a misspelled one, sends them after a state that does not exist.",
    example: "```json\n{ \"subscription_state\": \"canceled\" }\n```\nWhen the decision is `deny`, the agent stops.",
    fix: "Use the canonical term the hint names (`cancelled`, `block`), or `{{#cavra-state VOCAB.TERM}}` \
so the build checks it. `mdbook-cavra export` lists every vocabulary. `mdbook-cavra fix` writes \
the term for a near miss or retired spelling; a closest guess only with `--unsafe`.",
};

pub struct UndefinedState;

/// What is wrong with a value, as data; [`Undefined::report`] is the one
/// place that words it.
enum Undefined<'a> {
    /// A value that is not a term of the vocabulary its context names (in
    /// `key` for a code block's field).
    NotATerm {
        vocab: &'static Vocabulary,
        value: &'a str,
        key: Option<&'a str>,
    },
    /// A plain word after a vocabulary's name that spells one of its terms
    /// nearly ("the subscription state is canceled").
    Spelling {
        vocab: &'static Vocabulary,
        word: &'a str,
        term: &'static Term,
    },
    /// A near miss of a real term, with no context naming a vocabulary.
    NearMiss {
        value: &'a str,
        vocab: &'static Vocabulary,
        term: &'static Term,
    },
}

impl Undefined<'_> {
    /// The term that replaces the value, and whether replacing it is safe:
    /// a near miss or a retired spelling of one term is; the closest term
    /// by edit distance is a guess (unsafe). A plain word that is two words
    /// in prose (`past due`) gets no fix: prose may say it so.
    fn replacement(&self) -> Option<(&'static str, Applicability)> {
        match *self {
            Undefined::NotATerm { vocab, value, .. } => {
                if let Some(t) = lexicon::other_spelling(vocab, value) {
                    return Some((t, Applicability::Safe));
                }
                let t = suggest::closest(value, vocab.terms.iter().map(|t| t.name))?;
                let sure = lexicon::near_miss(value).is_some_and(|(_, n)| n.name == t);
                Some((
                    t,
                    if sure {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                ))
            }
            Undefined::Spelling { word, term, .. } => {
                (!word.contains(char::is_whitespace)).then_some((term.name, Applicability::Safe))
            }
            Undefined::NearMiss { term, .. } => Some((term.name, Applicability::Safe)),
        }
    }

    /// Report at `range`; `value` is where the value itself is written (the
    /// inside of inline code), which a fix replaces when the page's text
    /// there is the value.
    fn report_fixable(
        &self,
        out: &mut RuleOut<'_>,
        range: std::ops::Range<usize>,
        src: &str,
        value: std::ops::Range<usize>,
        unsafe_only: bool,
    ) {
        let written = match *self {
            Undefined::NotATerm { value, .. } | Undefined::NearMiss { value, .. } => value,
            Undefined::Spelling { word, .. } => word,
        };
        let fix = self
            .replacement()
            .filter(|_| src.get(value.clone()) == Some(written))
            .map(|(term, applicability)| {
                let applicability = if unsafe_only {
                    Applicability::Unsafe
                } else {
                    applicability
                };
                Fix::replace(
                    format!("replace `{written}` with `{term}`"),
                    applicability,
                    value,
                    term,
                )
            });
        let raw = self.report(out, range);
        if let Some(fix) = fix {
            raw.fix(fix);
        }
    }

    fn report<'o>(&self, out: &'o mut RuleOut<'_>, range: std::ops::Range<usize>) -> &'o mut Raw {
        let (message, help) = match *self {
            Undefined::NotATerm { vocab, value, key } => {
                let (message, help) = undefined_in(vocab, value);
                match key {
                    Some(key) => (format!("{message} in `{key}`"), help),
                    None => (message, help),
                }
            }
            Undefined::Spelling { vocab, word, term } => (
                format!("undefined {} \"{word}\"", vocab.label),
                format!("did you mean `{}`?", term.name),
            ),
            Undefined::NearMiss { value, vocab, term } => (
                format!("`{value}` is not a defined state"),
                format!("did you mean `{}` ({})?", term.name, vocab.label),
            ),
        };
        out.report(range, message).help(help)
    }
}

impl Rule for UndefinedState {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        for i in 0..facts.page.code_blocks.len() {
            check_code_block(facts, out, i);
        }
        check_inline(facts, out);
        check_prose_words(facts, out);
        check_directives(facts, out);
    }
}

/// `{{#cavra-state VOCAB.TERM}}` with a term the vocabulary does not have.
fn check_directives(facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
    for (_, d) in &facts.directives {
        if let Err(e) = d
            && e.undefined_term
        {
            let r = out.report(e.range.clone(), e.message.clone());
            r.help = e.help.clone();
        }
    }
}

fn check_inline(facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
    let page = facts.page;
    // "the subscription state is canceled": a plain word, flagged only when
    // it is a near miss of a term of that very vocabulary.
    for (v, b, range, quoted) in &facts.contexts.words {
        let block = &page.blocks[*b];
        let word = &page.text(block)[range.clone()];
        let named = &facts.canon.vocabularies[*v];
        let at = facts.page.source_offset(block, range.start);
        let range = at..at + word.len();
        if *quoted && lexicon::is_term_shaped(word) && named.term(word).is_none() {
            // `when the decision is "block"`: a quoted value is a value.
            Undefined::NotATerm {
                vocab: named,
                value: word,
                key: None,
            }
            .report_fixable(out, range.clone(), page.src, range, false);
        } else if let Some(term) = prose_spelling(named, word) {
            Undefined::Spelling {
                vocab: named,
                word,
                term,
            }
            .report_fixable(out, range.clone(), page.src, range, false);
        }
    }
    // A hand-written list or table column with entries that are not terms
    // is one finding of `state-list-drift`, which names each of them: one
    // list, one finding.
    let mut in_lists: Vec<usize> = facts
        .hand_lists
        .iter()
        .filter(|h| !h.extra().is_empty())
        .flat_map(|h| h.codes.iter().copied())
        .collect();
    in_lists.sort_unstable();
    for (i, code) in page.codes.iter().enumerate() {
        if code.directive.is_some() || in_lists.binary_search(&i).is_ok() {
            continue;
        }
        let text = page.code_text(code);
        if !lexicon::is_term_shaped(text) || lexicon::is_field_or_id(text) {
            continue;
        }
        let undefined = match facts.contexts.vocabulary[i] {
            Some(v) => {
                let vocab = &facts.canon.vocabularies[v];
                (vocab.term(text).is_none() && !looks_like_name(text)).then_some(
                    Undefined::NotATerm {
                        vocab,
                        value: text,
                        key: None,
                    },
                )
            }
            // A command word (`break-glass` of `cavra approval break-glass`)
            // is not a state, however close it is to one.
            None if lexicon::is_cli_word(text) => None,
            None => lexicon::near_miss(text).map(|(vocab, term)| Undefined::NearMiss {
                value: text,
                vocab,
                term,
            }),
        };
        if let Some(u) = undefined {
            u.report_fixable(
                out,
                code.range.clone(),
                page.src,
                code.content.clone(),
                false,
            );
        }
    }
}

/// The term a plain word (or two) after a vocabulary's name spells nearly:
/// `canceled`, `past due` (the prose spelling of `past_due`).
fn prose_spelling(named: &Vocabulary, word: &str) -> Option<&'static Term> {
    let joined = word.split_whitespace().collect::<Vec<_>>().join("_");
    if joined != word
        && let Some(t) = named.term(&joined)
    {
        return Some(t);
    }
    lexicon::near_miss(&joined)
        .map(|(_, t)| t)
        .filter(|t| named.term(t.name).is_some())
}

/// ALL_CAPS names (environment variables) and dotted names are never values.
fn looks_like_name(s: &str) -> bool {
    s.len() > 1
        && s.contains('_')
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
        && !s.chars().all(|c| c == '_')
        && s.to_ascii_lowercase() != s
        && lexicon::near_miss(s).is_none()
}

/// Message and hint for a value that is not a term of `vocab`.
pub fn undefined_in(vocab: &Vocabulary, value: &str) -> (String, String) {
    let message = format!("undefined {} `{value}`", vocab.label);
    let elsewhere = crate::canon::canon()
        .vocabularies
        .iter()
        .find(|o| o.id != vocab.id && o.term(value).is_some());
    let retired = lexicon::other_spelling(vocab, value);
    let help = match retired.or_else(|| suggest::closest(value, vocab.terms.iter().map(|t| t.name)))
    {
        Some(t) => format!("did you mean `{t}`?"),
        None if elsewhere.is_some() => format!(
            "`{value}` is a {}, not a {}; {} terms are {}",
            elsewhere.map_or("", |o| o.label),
            vocab.label,
            vocab.label,
            suggest::list(vocab.terms.iter().map(|t| t.name))
        ),
        None => format!(
            "{} {} {}",
            capitalize_first(vocab.label),
            if vocab.terms.len() == 1 {
                "is"
            } else {
                "terms are"
            },
            suggest::list(vocab.terms.iter().map(|t| t.name))
        ),
    };
    (message, help)
}

fn capitalize_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// PascalCase words in prose that spell a multi-word term (`PastDue`).
fn check_prose_words(facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
    let page = facts.page;
    for block in &page.blocks {
        let text = page.text(block);
        let bytes = text.as_bytes();
        // A PascalCase word has a lower-case letter followed by an upper-case
        // one; look for that pair first, and only then find the word around it.
        let mut i = 1;
        while let Some(c) = next_capital(bytes, i) {
            i = c;
            if !bytes[i - 1].is_ascii_lowercase() {
                i += 1;
                continue;
            }
            let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
            let mut start = i - 1;
            while start > 0 && is_word(bytes[start - 1]) {
                start -= 1;
            }
            let mut end = i;
            while end < bytes.len() && is_word(bytes[end]) {
                end += 1;
            }
            i = end + 1;
            let w = &text[start..end];
            if let Some((vocab, term)) = lexicon::near_miss(w) {
                let at = facts.page.source_offset(block, start);
                // A word in prose may name something else (a type, a
                // product): its fix waits for a person.
                Undefined::NearMiss {
                    value: w,
                    vocab,
                    term,
                }
                .report_fixable(
                    out,
                    at..at + w.len(),
                    page.src,
                    at..at + w.len(),
                    true,
                );
            }
        }
    }
}

/// The offset of the first ASCII capital letter in `bytes` at or after
/// `from`. Capitals are rare in prose, so this tests eight bytes at a time.
fn next_capital(bytes: &[u8], from: usize) -> Option<usize> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let t = x & LOW7;
        // Per byte, the high bit says: at least `A` (t + 0x3f), more than `Z`
        // (t + 0x25), not ASCII (x). No sum carries into the next byte.
        let at_least_a = t + 0x3f3f_3f3f_3f3f_3f3f;
        let past_z = t + 0x2525_2525_2525_2525;
        let capitals = at_least_a & !past_z & !x & HIGH;
        if capitals != 0 {
            return Some(i + capitals.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    (i.min(bytes.len())..bytes.len()).find(|&j| bytes[j].is_ascii_uppercase())
}

/// Every vocabulary field by its last key segment: (vocabulary, parent key
/// for a dotted field, marker the block must contain).
type FieldEntry = (usize, Option<&'static str>, Option<&'static str>);

static FIELDS: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, Vec<FieldEntry>>> =
    std::sync::LazyLock::new(|| {
        let mut map: rustc_hash::FxHashMap<&str, Vec<FieldEntry>> =
            rustc_hash::FxHashMap::default();
        for (i, v) in crate::canon::canon().vocabularies.iter().enumerate() {
            for f in v.fields {
                let (parent, last) = match f.key.rsplit_once('.') {
                    Some((p, l)) => (Some(p), l),
                    None => (None, f.key),
                };
                map.entry(last).or_default().push((i, parent, f.only_with));
            }
        }
        map
    });

/// The vocabularies a key path names in this block. `has_marker` answers
/// whether the block contains a marker (cached by the caller).
fn vocabularies_for(path: &[&str], mut has_marker: impl FnMut(&'static str) -> bool) -> Vec<usize> {
    let key = path.last().copied().unwrap_or("");
    let Some(entries) = FIELDS.get(key) else {
        return Vec::new();
    };
    let parent = path.len().checked_sub(2).map(|i| path[i]);
    let mut out: Vec<usize> = entries
        .iter()
        .filter(|(_, p, m)| p.is_none_or(|p| parent == Some(p)) && m.is_none_or(&mut has_marker))
        .map(|(v, _, _)| *v)
        .collect();
    out.dedup();
    out
}

fn check_code_block(facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>, i: usize) {
    let page = facts.page;
    let cb: &CodeBlock = &page.code_blocks[i];
    let code = &page.src[cb.content.clone()];
    let mut markers: Vec<(&str, bool)> = Vec::new();
    let mut has_marker = |m: &'static str| match markers.iter().find(|(k, _)| *k == m) {
        Some(&(_, present)) => present,
        None => {
            let present = code.contains(m);
            markers.push((m, present));
            present
        }
    };
    for kv in &facts.code_kvs[i] {
        let value = kv.value;
        // Expressions (`result["decision"]`, `Decision::Allow`) are not values.
        if keyvalues::is_placeholder(value) || !lexicon::is_term_shaped(value) {
            continue;
        }
        let start = cb.content.start + kv.at;
        let range = start..start + value.len();
        let vocabs = vocabularies_for(&kv.path, &mut has_marker);
        if !vocabs.is_empty() {
            // A key shared by two vocabularies accepts the terms of either.
            let vocabs: Vec<&Vocabulary> = vocabs
                .iter()
                .map(|&v| &facts.canon.vocabularies[v])
                .collect();
            if vocabs.iter().all(|v| v.term(value).is_none()) {
                Undefined::NotATerm {
                    vocab: vocabs[0],
                    value,
                    key: Some(kv.path.last().copied().unwrap_or("")),
                }
                .report_fixable(
                    out,
                    range.clone(),
                    page.src,
                    range,
                    vocabs.len() > 1,
                );
            }
        } else if let Some((vocab, term)) = lexicon::near_miss(value) {
            Undefined::NearMiss { value, vocab, term }.report_fixable(
                out,
                range.clone(),
                page.src,
                range,
                false,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::next_capital;

    #[test]
    fn capitals_are_found_as_a_byte_walk_finds_them() {
        let text = "ab Zq\u{e9}\u{c9}x@[`{AZaz0 \u{ff}MmNn trailing C".as_bytes();
        for from in 0..=text.len() {
            let walk = (from..text.len()).find(|&j| text[j].is_ascii_uppercase());
            assert_eq!(next_capital(text, from), walk, "from {from}");
        }
        let all: Vec<u8> = (0..=255u8).collect();
        for from in 0..all.len() {
            let walk = (from..all.len()).find(|&j| all[j].is_ascii_uppercase());
            assert_eq!(next_capital(&all, from), walk, "from {from}");
        }
    }
}
