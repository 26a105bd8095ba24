//! What the words around inline code say: which vocabulary a code span
//! belongs to (a sentence naming the vocabulary, a table column header or
//! intro, a list lead-in, a heading), sentence enumerations of terms, and
//! plain words right after a vocabulary's name.

use super::lexicon::{self, Hit, PageLexicon, Tok, Tokens};
use crate::markdown::{BlockKind, CODE_MARK, Page};

/// A run of inline codes that a sentence ties to a vocabulary
/// ("the handoff status can be `planned`, `ready` or `blocked`").
#[derive(Debug, Clone)]
pub struct Chain {
    pub vocabulary: usize,
    /// Indices into `Page::codes`, in order.
    pub codes: Vec<usize>,
    /// True when the sentence announces the whole set ("The subscription
    /// states are `trial` and `active`."): however short, it is every term.
    pub whole: bool,
}

/// What the words around inline code say, worked out once per page and
/// shared by `undefined-state` and `state-list-drift`.
#[derive(Debug, Clone, Default)]
pub struct InlineContexts {
    /// The vocabulary each inline code is tied to, by `Page::codes` index.
    pub vocabulary: Vec<Option<usize>>,
    /// Sentence enumerations of codes after a vocabulary's name.
    pub chains: Vec<Chain>,
    /// Plain words right after a vocabulary's name ("the subscription state
    /// is canceled"): (vocabulary, block, byte range in the block's text,
    /// whether the word is in double quotes).
    pub words: Vec<(usize, usize, std::ops::Range<usize>, bool)>,
}

/// The vocabulary each inline code of the page is tied to, if any.
pub fn inline_contexts(page: &Page<'_>, lex: &PageLexicon) -> InlineContexts {
    let mut context = vec![None; page.codes.len()];
    let mut chains = Vec::new();
    let mut words = Vec::new();
    let headers = column_vocabularies(page, lex);
    // The whole block's tokens, split only for the rare name with a code
    // right before it.
    let mut toks = Vec::new();
    for (b, block) in page.blocks.iter().enumerate() {
        let hits = lex.in_block(b);
        // Sentences: a vocabulary name followed (or directly preceded) by codes.
        // "the subscription is past due": a stem, a copula, then one or two
        // plain words that spell a term nearly. Read straight from the text;
        // stems are common words, so no tokenizing for them.
        for h in hits {
            if let Hit::VocabularyStem(v) = h.hit
                && let Some(w) = near_miss_after(page.text(block), h.end, v)
            {
                words.push((v, b, w, false));
            }
        }
        if hits
            .iter()
            .any(|h| matches!(h.hit, Hit::Vocabulary(_) | Hit::VocabularyWord(_)))
        {
            let text = page.text(block);
            let mut split = false;
            for h in hits {
                let v = match h.hit {
                    Hit::Vocabulary(v) | Hit::VocabularyWord(v) => v,
                    _ => continue,
                };
                let after = chain_after(text, Tokens::after(text, h.end));
                if after.is_empty()
                    && let Some(w) = word_after(text, Tokens::after(text, h.end))
                {
                    words.push((v, b, w.0, w.1));
                }
                let whole = after.len() >= 2 && {
                    let first = memchr::memchr_iter(CODE_MARK as u8, text.as_bytes())
                        .nth(after[0])
                        .unwrap_or(h.end)
                        .max(h.end);
                    super::lists::announces_whole(
                        &text[h.start..h.end],
                        &text[super::boundaries::sentence_start(text, h.start)..h.start],
                        &text[h.end..first],
                    )
                };
                if after.len() >= 3 || whole {
                    chains.push(Chain {
                        vocabulary: v,
                        codes: after.iter().map(|&k| block.codes.start + k).collect(),
                        whole,
                    });
                }
                for k in after {
                    context[block.codes.start + k].get_or_insert(v);
                }
                // Codes before the name: only when a code ends right there.
                let before = text[..h.start].trim_end_matches(|c: char| c.is_ascii_whitespace());
                if before.ends_with(CODE_MARK) {
                    if !split {
                        lexicon::tokenize(text, &mut toks);
                        split = true;
                    }
                    let first = toks.partition_point(|t| t.0 < h.start);
                    for k in chain_before(text, &toks, first) {
                        context[block.codes.start + k].get_or_insert(v);
                    }
                }
            }
        }
        if block.codes.is_empty() {
            continue;
        }
        // Structured enumerations: a list item or table cell that is one code.
        if !is_single_code(page.text(block)) {
            continue;
        }
        let code = block.codes.start;
        if context[code].is_some() {
            continue;
        }
        let heading = || block.section.and_then(|s| lex.vocabulary_named(s));
        let v = match block.kind {
            BlockKind::TableCell { table, col, .. } => headers
                .get(&(table, col))
                .copied()
                .flatten()
                .or_else(|| {
                    page.tables[table]
                        .intro
                        .and_then(|i| lex.vocabulary_named(i))
                })
                .or_else(heading),
            _ if block.item_first => block.item.and_then(|(list, _)| {
                page.lists[list]
                    .intro
                    .and_then(|i| lex.vocabulary_named(i))
                    .or_else(heading)
            }),
            _ => None,
        };
        context[code] = v;
    }
    retired_spellings(page, lex, &mut context);
    InlineContexts {
        vocabulary: context,
        chains,
        words,
    }
}

/// One value, one judgement: a retired spelling of a vocabulary's term
/// (`deny` for the decision `block`, `shadow` for the policy mode
/// `audit_only`) is that vocabulary's wherever the place says so, not only
/// where a sentence names the vocabulary: under a heading that names it
/// ("Decisions", "Policy modes"), or in a sentence beside a term that only
/// that vocabulary has ("returns `allow` or `deny`").
fn retired_spellings(page: &Page<'_>, lex: &PageLexicon, context: &mut [Option<usize>]) {
    let canon = crate::canon::canon();
    let vocab_of = |id: &str| canon.vocabularies.iter().position(|v| v.id == id);
    // The places of a block's inline codes, found once per block.
    let mut marks: Option<(usize, Vec<usize>)> = None;
    for (i, code) in page.codes.iter().enumerate() {
        if context[i].is_some() || code.directive.is_some() {
            continue;
        }
        let text = page.code_text(code);
        let candidates: Vec<usize> = crate::canon::OTHER_SPELLINGS
            .iter()
            .filter(|o| o.spelling == text)
            .filter_map(|o| vocab_of(o.vocabulary))
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let Some(b) = block_of_code(page, i) else {
            continue;
        };
        let block = &page.blocks[b];
        // Under a heading that names one of them (a one-word name counts
        // here: the value is already known to be that vocabulary's).
        let by_heading = block.section.and_then(|s| {
            lex.in_block(s).iter().find_map(|h| match h.hit {
                Hit::Vocabulary(v) | Hit::VocabularyWord(v) if candidates.contains(&v) => Some(v),
                _ => None,
            })
        });
        // Coordinated with a term only one of them has: the code right
        // before or after it in the block.
        let by_neighbour = || {
            let btext = page.text(block);
            if marks.as_ref().is_none_or(|(at, _)| *at != b) {
                marks = Some((
                    b,
                    memchr::memchr_iter(CODE_MARK as u8, btext.as_bytes()).collect(),
                ));
            }
            let marks = &marks.as_ref()?.1;
            let k = i - block.codes.start;
            let at = *marks.get(k)?;
            [k.checked_sub(1), Some(k + 1)]
                .into_iter()
                .flatten()
                .find_map(|k2| {
                    let p = *marks.get(k2)?;
                    // Coordinated with it: only joining words, commas or
                    // slashes between the two ("`allow` or `deny`", not
                    // "`deny` lists and `allow` lists").
                    let between = &btext[at.min(p) + 1..at.max(p)];
                    let joined = between
                        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '|'))
                        .filter(|w| !w.is_empty())
                        .all(|w| is_in(w, JOINING));
                    if !joined {
                        return None;
                    }
                    let other = page.code_text(page.codes.get(block.codes.start + k2)?);
                    let owners: Vec<usize> = canon
                        .vocabularies
                        .iter()
                        .enumerate()
                        .filter(|(_, v)| v.term(other).is_some())
                        .map(|(v, _)| v)
                        .collect();
                    match owners.as_slice() {
                        [only] if candidates.contains(only) => Some(*only),
                        _ => None,
                    }
                })
        };
        if let Some(v) = by_heading.or_else(by_neighbour) {
            context[i] = Some(v);
        }
    }
}

/// The block an inline code is in.
fn block_of_code(page: &Page<'_>, code: usize) -> Option<usize> {
    let b = page.blocks.partition_point(|b| b.codes.start <= code);
    let b = b.checked_sub(1)?;
    page.blocks[b].codes.contains(&code).then_some(b)
}

/// The plain word a vocabulary's name leads to, past linking words.
/// Also says whether the word is in straight double quotes (`is "block"`),
/// which marks it as a value rather than a word of the sentence.
fn word_after(text: &str, mut toks: Tokens<'_>) -> Option<(std::ops::Range<usize>, bool)> {
    let mut skipped = 0;
    let mut quoted = false;
    while let Some((_, t)) = toks.next() {
        match t {
            Tok::Sep('"') => quoted = true,
            Tok::Sep(':' | '=') => quoted = false,
            Tok::Word(s, e) if !quoted && is_in(&text[s..e], LINKING) && skipped < 4 => {
                skipped += 1
            }
            Tok::Word(s, e) => {
                let closed = matches!(toks.next(), Some((_, Tok::Sep('"'))));
                return Some((s..e, quoted && closed));
            }
            _ => return None,
        }
    }
    None
}

/// One or two plain words right after a vocabulary's stem and a copula
/// ("is", "becomes", …) that spell one of its terms nearly: their range.
fn near_miss_after(text: &str, from: usize, v: usize) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    // The next word at or after `i`: its range, when only spaces come first.
    let word_at = |mut i: usize| -> Option<(usize, usize)> {
        while matches!(bytes.get(i), Some(b' ' | b'\n')) {
            i += 1;
        }
        let s = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        (i > s).then_some((s, i))
    };
    let (s, e) = word_at(from)?;
    if !is_in(&text[s..e], COPULAS) {
        return None;
    }
    // One more linking word may follow: "is now past due".
    let (mut s, mut e) = word_at(e)?;
    if is_in(&text[s..e], COPULAS) {
        (s, e) = word_at(e)?;
    }
    let vocab = &crate::canon::canon().vocabularies[v];
    let is_miss =
        |w: &str| lexicon::near_miss(w).is_some_and(|(_, t)| vocab.term(t.name).is_some());
    if let Some((s2, e2)) = word_at(e) {
        // "past due" is the prose spelling of `past_due`: a near miss too.
        let joined = format!("{}_{}", &text[s..e], &text[s2..e2]);
        if vocab.term(&joined).is_some() || is_miss(&joined) {
            return Some(s..e2);
        }
    }
    is_miss(&text[s..e]).then_some(s..e)
}

/// The vocabulary each table column's header names, by (table, column).
pub fn column_vocabularies(
    page: &Page<'_>,
    lex: &PageLexicon,
) -> rustc_hash::FxHashMap<(usize, usize), Option<usize>> {
    let mut out = rustc_hash::FxHashMap::default();
    for (i, b) in page.blocks.iter().enumerate() {
        if let BlockKind::TableCell {
            table,
            col,
            header: true,
            ..
        } = b.kind
        {
            out.insert((table, col), lex.vocabulary_named(i));
        }
    }
    out
}

/// A block whose text is one inline code, maybe followed by a short gloss
/// (`- `trial`: evaluation period`).
fn is_single_code(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with(CODE_MARK) && !t[1..].contains(CODE_MARK) || t == CODE_MARK.to_string()
}

/// Words that may stand between a vocabulary's name and its value.
const LINKING: &[&str] = &[
    "is", "are", "was", "were", "be", "becomes", "become", "became", "of", "to", "from", "as",
    "set", "equals", "either", "one", "the", "a", "an", "in", "moves", "changes", "returns",
    "returned", "stays", "remains", "goes", "value", "values", "like", "such", "e.g", "i.e",
    "with", "reads", "shows", "says", "reports", "field", "still", "now", "then", "only", "always",
    "never", "not", "back", "into", "at", "reaches", "turns", "enters", "its", "their", "can",
    "may", "must", "should", "will", "any",
];

/// Words that make what follows a vocabulary's stem its state ("the
/// subscription is past due", not "the subscription is in its grace period").
const COPULAS: &[&str] = &[
    "is", "was", "are", "were", "becomes", "became", "goes", "went", "turns", "stays", "remains",
    "now", "still", "already",
];

/// Words that join the items of an enumeration.
const JOINING: &[&str] = &[
    "and", "or", "to", "then", "from", "nor", "either", "vs", "versus",
];

fn word(text: &str, t: Tok) -> Option<&str> {
    match t {
        Tok::Word(s, e) => Some(&text[s..e]),
        _ => None,
    }
}

/// Whether `w` is one of the (lower-case, short) words of `set`, in any
/// case. Most words of a sentence are longer than any linking word, so the
/// length is tested first.
fn is_in(w: &str, set: &[&str]) -> bool {
    w.len() <= 9
        && set
            .iter()
            .any(|s| s.len() == w.len() && s.eq_ignore_ascii_case(w))
}

/// The codes after a vocabulary name: linking words and punctuation may
/// come first, then codes joined by commas, "and", "or", "to".
fn chain_after(text: &str, mut toks: Tokens<'_>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut skipped = 0;
    for (_, t) in toks.by_ref() {
        match t {
            Tok::Code(k) => {
                out.push(k);
                break;
            }
            Tok::Sep(':' | '(' | '=' | '"' | '\'' | '-' | '\u{2014}') => {}
            Tok::Word(..) if is_in(word(text, t).unwrap_or(""), LINKING) && skipped < 4 => {
                skipped += 1;
            }
            _ => return out,
        }
    }
    if out.is_empty() {
        return out;
    }
    for (_, t) in toks {
        match t {
            Tok::Code(k) => out.push(k),
            Tok::Sep(',' | '/' | '|' | ')' | '(') => {}
            Tok::Word(..) if is_in(word(text, t).unwrap_or(""), JOINING) => {}
            _ => break,
        }
    }
    out
}

/// The codes directly before a vocabulary name (`a `block` decision`).
fn chain_before(text: &str, toks: &[(usize, Tok)], at: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = at;
    while i > 0 {
        i -= 1;
        match toks[i].1 {
            Tok::Code(k) => out.push(k),
            Tok::Sep(',') if !out.is_empty() => {}
            Tok::Word(..)
                if !out.is_empty() && is_in(word(text, toks[i].1).unwrap_or(""), JOINING) => {}
            _ => break,
        }
    }
    out
}
