//! `undefined-state`: a state the canon does not define.
//!
//! Three places say which vocabulary a value belongs to: a field name in a
//! code block (`"subscription_state": "canceled"`), the words around inline
//! code (`the decision is `block``, a table column headed "Subscription
//! state", a list introduced by "Worker modes:"), and a `{{#cavra-state}}`
//! reference. Outside any such context only near misses of real terms are
//! flagged, because an arbitrary identifier in prose is usually not a state.

use super::lexicon::{self, Hit, Tok};
use super::{Ctx, Rule, RuleDoc};
use crate::markdown::{BlockKind, CODE_MARK, CodeBlock};
use crate::model::Vocabulary;
use crate::suggest;

pub const DOC: RuleDoc = RuleDoc {
    what: "A state or status value that no CAVRA vocabulary defines: the value of a vocabulary's \
field in a JSON, YAML or TOML block, inline code that the surrounding sentence, table column, \
list lead-in or heading ties to a vocabulary, a `{{#cavra-state}}` reference, and anywhere a \
near miss of a real term (`past-due`, `PastDue`, `canceled`).",
    why: "Readers and integrators copy these values into code and policy. A value the runtime never \
sends, or a misspelled one, sends them after a state that does not exist.",
    example: "```json\n{ \"subscription_state\": \"canceled\" }\n```\nWhen the decision is `deny`, the agent stops.",
    fix: "Use the canonical term the hint names (`cancelled`, `block`), or `{{#cavra-state VOCAB.TERM}}` \
so the build checks it. `mdbook-cavra export` lists every vocabulary.",
};

pub fn check(ctx: &mut Ctx<'_, '_>) {
    if !ctx.wants(Rule::UndefinedState) {
        return;
    }
    for i in 0..ctx.page.code_blocks.len() {
        check_code_block(ctx, i);
    }
    check_inline(ctx);
    check_prose_words(ctx);
}

/// A run of inline codes that a sentence ties to a vocabulary
/// ("the handoff status can be `planned`, `ready` or `blocked`").
#[derive(Debug, Clone)]
pub struct Chain {
    pub vocabulary: usize,
    /// Indices into `Page::codes`, in order.
    pub codes: Vec<usize>,
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
pub fn inline_contexts(ctx: &Ctx<'_, '_>) -> InlineContexts {
    let page = ctx.page;
    let mut context = vec![None; page.codes.len()];
    let mut chains = Vec::new();
    let mut words = Vec::new();
    let headers = column_vocabularies(ctx);
    let mut toks = Vec::new();
    for (b, block) in page.blocks.iter().enumerate() {
        let hits = ctx.lex.in_block(b);
        // Sentences: a vocabulary name followed (or directly preceded) by codes.
        if hits.iter().any(|h| matches!(h.hit, Hit::Vocabulary(_))) {
            let text = page.text(block);
            lexicon::tokenize(text, &mut toks);
            for h in hits {
                let Hit::Vocabulary(v) = h.hit else { continue };
                let first = toks.partition_point(|t| t.0 < h.start);
                let last = toks.partition_point(|t| t.0 < h.end);
                let after = chain_after(text, &toks, last);
                if after.is_empty()
                    && let Some(w) = word_after(text, &toks, last)
                {
                    words.push((v, b, w.0, w.1));
                }
                if after.len() >= 3 {
                    chains.push(Chain {
                        vocabulary: v,
                        codes: after.iter().map(|&k| block.codes.start + k).collect(),
                    });
                }
                for k in after {
                    context[block.codes.start + k].get_or_insert(v);
                }
                for k in chain_before(text, &toks, first) {
                    context[block.codes.start + k].get_or_insert(v);
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
        let heading = || block.section.and_then(|s| ctx.lex.vocabulary_named(s));
        let v = match block.kind {
            BlockKind::TableCell { table, col, .. } => headers
                .get(&(table, col))
                .copied()
                .flatten()
                .or_else(|| {
                    page.tables[table]
                        .intro
                        .and_then(|i| ctx.lex.vocabulary_named(i))
                })
                .or_else(heading),
            _ if block.item_first => block.item.and_then(|(list, _)| {
                page.lists[list]
                    .intro
                    .and_then(|i| ctx.lex.vocabulary_named(i))
                    .or_else(heading)
            }),
            _ => None,
        };
        context[code] = v;
    }
    InlineContexts {
        vocabulary: context,
        chains,
        words,
    }
}

/// The plain word a vocabulary's name leads to, past linking words.
/// Also says whether the word is in straight double quotes (`is "block"`),
/// which marks it as a value rather than a word of the sentence.
fn word_after(
    text: &str,
    toks: &[(usize, Tok)],
    from: usize,
) -> Option<(std::ops::Range<usize>, bool)> {
    let mut skipped = 0;
    let mut quoted = false;
    let rest = &toks[from.min(toks.len())..];
    for (i, &(_, t)) in rest.iter().enumerate() {
        match t {
            Tok::Sep('"') => quoted = true,
            Tok::Sep(':' | '=') => quoted = false,
            Tok::Word(s, e) if !quoted && is_in(&text[s..e], LINKING) && skipped < 4 => {
                skipped += 1
            }
            Tok::Word(s, e) => {
                let closed = matches!(rest.get(i + 1), Some((_, Tok::Sep('"'))));
                return Some((s..e, quoted && closed));
            }
            _ => return None,
        }
    }
    None
}

/// The vocabulary each table column's header names, by (table, column).
pub fn column_vocabularies(
    ctx: &Ctx<'_, '_>,
) -> std::collections::HashMap<(usize, usize), Option<usize>> {
    let mut out = std::collections::HashMap::new();
    for (i, b) in ctx.page.blocks.iter().enumerate() {
        if let BlockKind::TableCell {
            table,
            col,
            header: true,
            ..
        } = b.kind
        {
            out.insert((table, col), ctx.lex.vocabulary_named(i));
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

fn is_in(w: &str, set: &[&str]) -> bool {
    set.iter().any(|s| s.eq_ignore_ascii_case(w))
}

/// The codes after a vocabulary name at token `from`: linking words and
/// punctuation may come first, then codes joined by commas, "and", "or", "to".
fn chain_after(text: &str, toks: &[(usize, Tok)], from: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = from;
    let mut skipped = 0;
    while i < toks.len() {
        match toks[i].1 {
            Tok::Code(k) => {
                out.push(k);
                i += 1;
                break;
            }
            Tok::Sep(':' | '(' | '=' | '"' | '\'' | '-' | '\u{2014}') => i += 1,
            Tok::Word(..) if is_in(word(text, toks[i].1).unwrap_or(""), LINKING) && skipped < 4 => {
                skipped += 1;
                i += 1;
            }
            _ => return out,
        }
    }
    if out.is_empty() {
        return out;
    }
    while i < toks.len() {
        match toks[i].1 {
            Tok::Code(k) => out.push(k),
            Tok::Sep(',' | '/' | '|' | ')' | '(') => {}
            Tok::Word(..) if is_in(word(text, toks[i].1).unwrap_or(""), JOINING) => {}
            _ => break,
        }
        i += 1;
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

fn check_inline(ctx: &mut Ctx<'_, '_>) {
    let page = ctx.page;
    let mut found = Vec::new();
    // "the subscription state is canceled": a plain word, flagged only when
    // it is a near miss of a term of that very vocabulary.
    for (v, b, range, quoted) in &ctx.contexts.words {
        let block = &page.blocks[*b];
        let word = &page.text(block)[range.clone()];
        let named = &ctx.canon.vocabularies[*v];
        let at = ctx.page.source_offset(block, range.start);
        if *quoted && lexicon::is_term_shaped(word) && named.term(word).is_none() {
            // `when the decision is "block"`: a quoted value is a value.
            let (message, help) = undefined_in(named, word);
            found.push((at..at + word.len(), message, help));
        } else if let Some((_, term)) = lexicon::near_miss(word)
            && named.term(term.name).is_some()
        {
            found.push((
                at..at + word.len(),
                format!("undefined {} \"{word}\"", named.label),
                format!("did you mean `{}`?", term.name),
            ));
        }
    }
    for (range, message, help) in found {
        ctx.report(Rule::UndefinedState, range, message, Some(help));
    }
    for (i, code) in page.codes.iter().enumerate() {
        if code.directive.is_some() {
            continue;
        }
        let text = page.code_text(code);
        if !lexicon::is_term_shaped(text) || lexicon::is_field_or_id(text) {
            continue;
        }
        match ctx.contexts.vocabulary[i] {
            Some(v) => {
                let vocab = &ctx.canon.vocabularies[v];
                if vocab.term(text).is_none() && !looks_like_name(text) {
                    let (message, help) = undefined_in(vocab, text);
                    ctx.report(
                        Rule::UndefinedState,
                        code.range.clone(),
                        message,
                        Some(help),
                    );
                }
            }
            None => {
                if let Some((vocab, term)) = lexicon::near_miss(text) {
                    ctx.report(
                        Rule::UndefinedState,
                        code.range.clone(),
                        format!("`{text}` is not a defined state"),
                        Some(format!("did you mean `{}` ({})?", term.name, vocab.label)),
                    );
                }
            }
        }
    }
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
fn check_prose_words(ctx: &mut Ctx<'_, '_>) {
    let page = ctx.page;
    let mut found = Vec::new();
    for block in &page.blocks {
        let text = page.text(block);
        let bytes = text.as_bytes();
        // A PascalCase word has a lower-case letter followed by an upper-case
        // one; look for that pair first, and only then find the word around it.
        let mut i = 1;
        while i < bytes.len() {
            if !(bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase()) {
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
                let at = ctx.page.source_offset(block, start);
                found.push((at..at + w.len(), w.to_string(), vocab.label, term.name));
            }
        }
    }
    for (range, w, label, term) in found {
        ctx.report(
            Rule::UndefinedState,
            range,
            format!("`{w}` is not a defined state"),
            Some(format!("did you mean `{term}` ({label})?")),
        );
    }
}

/// One `key: value` found in a code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue<'s> {
    /// Parent keys and the key, outermost first.
    pub path: Vec<&'s str>,
    pub value: &'s str,
    /// Offset of the value in the scanned text.
    pub at: usize,
}

/// Find `key: value`, `"key": "value"`, `key = "value"`, `KEY=value`,
/// inline arrays and YAML block sequences in a code block, tracking parent
/// keys by indentation so `evidence:` / `level:` gives `evidence.level`.
pub fn key_values(code: &str) -> Vec<KeyValue<'_>> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, &str)> = Vec::new();
    // A key whose values follow as `- item` lines: (indent, path).
    let mut pending: Option<(usize, Vec<&str>)> = None;
    let mut offset = 0;
    for raw_line in code.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if trimmed.contains(" --") {
            flags(line, line_start, &mut out);
        }
        while stack.last().is_some_and(|&(i, _)| i >= indent) {
            stack.pop();
        }
        let mut body = trimmed;
        let mut body_at = line_start + indent;
        if let Some(rest) = body.strip_prefix("export ") {
            body = rest.trim_start();
            body_at = line_start + (line.len() - body.len());
        }
        if let Some(rest) = body.strip_prefix("- ") {
            if let Some((pi, path)) = &pending
                && indent >= *pi
                && !rest.contains(':')
            {
                let (v, at) = scalar(rest, body_at + 2);
                if !v.is_empty() {
                    out.push(KeyValue {
                        path: path.clone(),
                        value: v,
                        at,
                    });
                }
                continue;
            }
            body = rest;
            body_at += 2;
        } else if pending.as_ref().is_some_and(|(pi, _)| indent <= *pi) {
            pending = None;
        }
        if let Some(inner) = body.strip_prefix('{') {
            // An inline object: `{ "a": "x", "b": "y" }`.
            let parents: Vec<&str> = stack.iter().map(|&(_, k)| k).collect();
            json_pairs(inner, body_at + 1, &parents, &mut out);
            continue;
        }
        let Some((key, after, after_at)) = split_key(body, body_at) else {
            continue;
        };
        let mut path: Vec<&str> = stack.iter().map(|&(_, k)| k).collect();
        path.push(key);
        let path_for_block = path.clone();
        let after_trim = after.trim_start();
        let value_at = after_at + (after.len() - after_trim.len());
        if after_trim.is_empty() || after_trim.starts_with('{') && after_trim.trim_end() == "{" {
            stack.push((indent, key));
            pending = Some((indent, path_for_block));
            continue;
        }
        if after_trim.starts_with('[') {
            let inner_end = after_trim.find(']').unwrap_or(after_trim.len());
            let mut at = value_at + 1;
            for part in after_trim[1..inner_end].split(',') {
                let (v, vat) = scalar(part, at);
                if !v.is_empty() {
                    out.push(KeyValue {
                        path: path.clone(),
                        value: v,
                        at: vat,
                    });
                }
                at += part.len() + 1;
            }
            if inner_end == after_trim.len() {
                stack.push((indent, key));
            }
            continue;
        }
        if after_trim.starts_with('{') {
            stack.push((indent, key));
            continue;
        }
        let (v, at) = scalar(after_trim, value_at);
        let consumed = at + v.len() + 1 - value_at;
        if !v.is_empty() {
            out.push(KeyValue {
                path: path.clone(),
                value: v,
                at,
            });
        }
        // More pairs on the same line: `"a": "x", "b": "y"`.
        if let Some(rest) = after_trim.get(consumed.min(after_trim.len())..)
            && rest.contains(':')
        {
            path.pop();
            json_pairs(
                rest,
                value_at + consumed.min(after_trim.len()),
                &path,
                &mut out,
            );
        }
    }
    out
}

/// Command-line flags with a value: `--state pending`, `--state=pending`.
fn flags<'s>(line: &'s str, at: usize, out: &mut Vec<KeyValue<'s>>) {
    let mut from = 0;
    while let Some(i) = line[from..].find(" --") {
        let start = from + i + 1;
        let name_end = line[start + 2..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map_or(line.len(), |e| start + 2 + e);
        from = name_end;
        let rest = &line[name_end..];
        let Some(value) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(' ')) else {
            continue;
        };
        if value.starts_with('-') {
            continue;
        }
        let (v, vat) = scalar(
            value.split_whitespace().next().unwrap_or(""),
            at + name_end + 1,
        );
        if !v.is_empty() {
            out.push(KeyValue {
                path: vec![&line[start..name_end]],
                value: v,
                at: vat,
            });
        }
    }
}

/// Every `"key": value` in a piece of a line, under `parents`.
fn json_pairs<'s>(text: &'s str, at: usize, parents: &[&'s str], out: &mut Vec<KeyValue<'s>>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(q) = text[i..].find('"') {
        let key_start = i + q + 1;
        let Some(len) = text[key_start..].find('"') else {
            return;
        };
        let key = &text[key_start..key_start + len];
        let mut j = key_start + len + 1;
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        if bytes.get(j) != Some(&b':') {
            // A string value, not a key: carry on after it.
            i = key_start + len + 1;
            continue;
        }
        let (v, vat) = scalar(&text[j + 1..], at + j + 1);
        let mut path = parents.to_vec();
        path.push(key);
        let value_end = vat - at + v.len();
        if !v.is_empty() && !text[j + 1..].trim_start().starts_with(['{', '[']) {
            out.push(KeyValue {
                path,
                value: v,
                at: vat,
            });
        }
        i = (value_end + 1).min(text.len());
    }
}

/// `"key":`, `key:`, `key =`, `KEY=`; returns the key and the text after the
/// separator with its offset.
fn split_key(body: &str, at: usize) -> Option<(&str, &str, usize)> {
    let (quoted, start) = match body.as_bytes().first()? {
        b'"' | b'\'' => (true, 1),
        _ => (false, 0),
    };
    let bytes = body.as_bytes();
    let mut end = start;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'_' | b'-' | b'.'))
    {
        end += 1;
    }
    if end == start {
        return None;
    }
    let key = &body[start..end];
    let mut i = end;
    if quoted {
        if bytes.get(i) != Some(&bytes[0]) {
            return None;
        }
        i += 1;
    }
    while i < bytes.len() && bytes[i] == b' ' {
        i += 1;
    }
    match bytes.get(i)? {
        b':' if bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()) => {}
        b'=' if bytes.get(i + 1) != Some(&b'=') => {}
        _ => return None,
    }
    Some((key, &body[i + 1..], at + i + 1))
}

/// A scalar value: quoted string, or bare word up to a comment or comma.
fn scalar(s: &str, at: usize) -> (&str, usize) {
    let lead = s.len() - s.trim_start().len();
    let t = s.trim_start();
    let at = at + lead;
    if let Some(q @ ('"' | '\'')) = t.chars().next() {
        let inner = &t[1..];
        let end = inner.find(q).unwrap_or(inner.len());
        return (&inner[..end], at + 1);
    }
    let end = t
        .find(" #")
        .or_else(|| t.find(','))
        .or_else(|| t.find(['}', ']']))
        .unwrap_or(t.len());
    (t[..end].trim_end(), at)
}

/// Every vocabulary field by its last key segment: (vocabulary, parent key
/// for a dotted field, marker the block must contain).
type FieldEntry = (usize, Option<&'static str>, Option<&'static str>);

static FIELDS: std::sync::LazyLock<std::collections::HashMap<&'static str, Vec<FieldEntry>>> =
    std::sync::LazyLock::new(|| {
        let mut map: std::collections::HashMap<&str, Vec<FieldEntry>> =
            std::collections::HashMap::new();
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

fn check_code_block(ctx: &mut Ctx<'_, '_>, i: usize) {
    let page = ctx.page;
    let cb: &CodeBlock = &page.code_blocks[i];
    let code = &page.src[cb.content.clone()];
    let mut found = Vec::new();
    let mut markers: Vec<(&str, bool)> = Vec::new();
    let mut has_marker = |m: &'static str| match markers.iter().find(|(k, _)| *k == m) {
        Some(&(_, present)) => present,
        None => {
            let present = code.contains(m);
            markers.push((m, present));
            present
        }
    };
    for kv in &ctx.code_kvs[i] {
        let value = kv.value;
        // Expressions (`result["decision"]`, `Decision::Allow`) are not values.
        if is_placeholder(value) || !lexicon::is_term_shaped(value) {
            continue;
        }
        let start = cb.content.start + kv.at;
        let range = start..start + value.len();
        let vocabs = vocabularies_for(&kv.path, &mut has_marker);
        if !vocabs.is_empty() {
            // A key shared by two vocabularies accepts the terms of either.
            let vocabs: Vec<&Vocabulary> =
                vocabs.iter().map(|&v| &ctx.canon.vocabularies[v]).collect();
            if vocabs.iter().all(|v| v.term(value).is_none()) {
                let (message, help) = undefined_in(vocabs[0], value);
                let key = kv.path.last().copied().unwrap_or("");
                found.push((range, format!("{message} in `{key}`"), help));
            }
        } else if let Some((vocab, term)) = lexicon::near_miss(value) {
            found.push((
                range,
                format!("`{value}` is not a defined state"),
                format!("did you mean `{}` ({})?", term.name, vocab.label),
            ));
        }
    }
    for (range, message, help) in found {
        ctx.report(Rule::UndefinedState, range, message, Some(help));
    }
}

/// Values that stand for "fill this in" rather than a state.
fn is_placeholder(v: &str) -> bool {
    v.is_empty()
        || v.starts_with(['<', '$', '{', '[', '*'])
        || v.contains("...")
        || v.contains('\u{2026}')
        || matches!(v, "null" | "~" | "true" | "false" | "None" | "nil")
        || !v.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        || v.contains(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kvs(code: &str) -> Vec<(String, &str)> {
        key_values(code)
            .into_iter()
            .map(|kv| (kv.path.join("."), kv.value))
            .collect()
    }

    #[test]
    fn key_values_in_json_yaml_toml_and_env() {
        let json = "{\n  \"subscription_state\": \"canceled\",\n  \"evidence\": {\n    \"level\": \"signed\"\n  }\n}\n";
        assert_eq!(
            kvs(json),
            [
                ("subscription_state".into(), "canceled"),
                ("evidence.level".into(), "signed")
            ]
        );
        let yaml = "rules:\n  - id: x\n    decision: block\nevidence:\n  level: retained\nformats:\n  - json\n  - zip\n";
        assert_eq!(
            kvs(yaml),
            [
                ("rules.id".into(), "x"),
                ("rules.decision".into(), "block"),
                ("evidence.level".into(), "retained"),
                ("formats".into(), "json"),
                ("formats".into(), "zip"),
            ]
        );
        assert_eq!(
            kvs("worker_mode = \"live\"\n"),
            [("worker_mode".into(), "live")]
        );
        assert_eq!(
            kvs("export CAVRA_REPORT_DELIVERY_MODE=smtp\n"),
            [("CAVRA_REPORT_DELIVERY_MODE".into(), "smtp")]
        );
        assert_eq!(
            kvs("CAVRA_REPORT_DELIVERY_MODE=smtp\n"),
            [("CAVRA_REPORT_DELIVERY_MODE".into(), "smtp")]
        );
        assert_eq!(
            kvs("supported_export_formats: [json, \"pdf\"]\n"),
            [
                ("supported_export_formats".into(), "json"),
                ("supported_export_formats".into(), "pdf")
            ]
        );
    }

    #[test]
    fn command_line_flags() {
        let line = "cavra approval list --state pending --limit=5 --json\n";
        assert_eq!(
            kvs(line),
            [("--state".into(), "pending"), ("--limit".into(), "5")]
        );
        let kv = key_values(line).remove(0);
        assert_eq!(&line[kv.at..kv.at + 7], "pending");
    }

    #[test]
    fn several_pairs_on_one_line() {
        let line = "{ \"subscription_state\": \"canceled\", \"decision\": \"allow\" }\n";
        assert_eq!(
            kvs(line),
            [
                ("subscription_state".into(), "canceled"),
                ("decision".into(), "allow")
            ]
        );
        let line = "\"a\": \"x\", \"worker_mode\": \"live\",\n";
        assert_eq!(
            kvs(line),
            [("a".into(), "x"), ("worker_mode".into(), "live")]
        );
    }

    #[test]
    fn offsets_point_at_the_value() {
        let code = "a: 1\n\"decision\": \"block\"\n";
        let kv = key_values(code).pop().unwrap();
        assert_eq!(&code[kv.at..kv.at + kv.value.len()], "block");
    }
}
