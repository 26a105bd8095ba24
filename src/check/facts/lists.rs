//! Hand-written enumerations of a vocabulary's terms on a page: lists and
//! table columns made of one code per entry. (Boundary lists are in
//! [`super::boundaries`].)

use super::lexicon::{self, PageLexicon};
use crate::markdown::{BlockKind, CODE_MARK, Page};
use crate::model::{Canon, Vocabulary};

/// A hand-written enumeration of terms found on a page.
#[derive(Debug, Clone)]
pub struct HandList<'a> {
    pub range: std::ops::Range<usize>,
    pub vocabulary: &'static Vocabulary,
    pub values: Vec<&'a str>,
    /// The inline code of each value (index into `Page::codes`).
    pub codes: Vec<usize>,
    /// True when a heading, lead-in or column header names the vocabulary.
    pub named: bool,
    /// True when the lead-in announces the whole set ("The subscription
    /// states are:"): however short, the list is meant as every term.
    pub whole: bool,
}

impl HandList<'_> {
    pub fn missing(&self) -> Vec<&'static str> {
        self.vocabulary
            .terms
            .iter()
            .map(|t| t.name)
            .filter(|t| !self.values.contains(t))
            .collect()
    }

    pub fn extra(&self) -> Vec<&str> {
        self.values
            .iter()
            .copied()
            .filter(|v| self.vocabulary.term(v).is_none())
            .collect()
    }
}

/// A table column: the vocabulary its header names, and each body cell's
/// code (`None` for a cell that is not exactly one code).
type Column = (Option<usize>, Vec<Option<usize>>);

/// Every list or table column on the page made of one code per entry.
pub fn hand_lists<'a>(
    page: &Page<'a>,
    lex: &PageLexicon,
    canon: &'static Canon,
) -> Vec<HandList<'a>> {
    let mut out = Vec::new();
    // The code that leads a block, when it could be a term.
    let first_code = |b: usize| -> Option<usize> {
        let block = &page.blocks[b];
        let t = page.text(block).trim_start();
        (t.starts_with(CODE_MARK) && !block.codes.is_empty())
            .then_some(block.codes.start)
            .filter(|&c| lexicon::is_term_shaped(page.code_text(&page.codes[c])))
    };
    // Lists: every item led by one code. One pass groups first blocks by list.
    let mut firsts_of: Vec<Vec<usize>> = page
        .lists
        .iter()
        .map(|l| Vec::with_capacity(l.items.len()))
        .collect();
    for (i, b) in page.blocks.iter().enumerate() {
        if let (true, Some((l, _))) = (b.item_first, b.item) {
            firsts_of[l].push(i);
        }
    }
    for (l, list) in page.lists.iter().enumerate() {
        let firsts = &firsts_of[l];
        if firsts.len() < 2 || firsts.len() != list.items.len() {
            continue;
        }
        let codes: Option<Vec<usize>> = firsts.iter().map(|&b| first_code(b)).collect();
        let Some(codes) = codes else { continue };
        let named = list
            .intro
            .and_then(|i| lex.vocabulary_named(i))
            .or_else(|| {
                page.blocks[firsts[0]]
                    .section
                    .and_then(|s| lex.vocabulary_named(s))
            });
        if let Some(mut h) = classify(page, canon, named, codes, list.range.clone()) {
            h.whole = h.named
                && list.intro.is_some_and(|i| {
                    let v = canon
                        .vocabularies
                        .iter()
                        .position(|v| v.id == h.vocabulary.id);
                    v.is_some_and(|v| lead_in_announces_whole(page, lex, i, v))
                });
            out.push(h);
        }
    }
    // Table columns: every body cell one code. One pass over the cells.
    let mut columns: Vec<Vec<Column>> = vec![Vec::new(); page.tables.len()];
    for (i, b) in page.blocks.iter().enumerate() {
        if let BlockKind::TableCell {
            table, col, header, ..
        } = b.kind
        {
            let cols = &mut columns[table];
            if cols.len() <= col {
                cols.resize(col + 1, (None, Vec::new()));
            }
            if header {
                cols[col].0 = lex.vocabulary_named(i);
            } else {
                let only_code = page.text(b).trim() == "\u{1A}";
                cols[col]
                    .1
                    .push(if only_code { first_code(i) } else { None });
            }
        }
    }
    for (t, cols) in columns.into_iter().enumerate() {
        let table = &page.tables[t];
        let named_by_intro = table.intro.and_then(|i| lex.vocabulary_named(i));
        // Only the first column names the rows; a "Decision" column of a
        // table of rules holds outcomes, not an enumeration of the vocabulary.
        for (named, cells) in cols.into_iter().take(1) {
            let codes: Option<Vec<usize>> = cells.into_iter().collect();
            if let Some(codes) = codes.filter(|v| v.len() >= 2)
                && let Some(h) = classify(
                    page,
                    canon,
                    named.or(named_by_intro),
                    codes,
                    table.range.clone(),
                )
            {
                out.push(h);
            }
        }
    }
    out
}

/// Decide which vocabulary an enumeration is of: the one its context
/// names, or else the one most of its values belong to.
fn classify<'a>(
    page: &Page<'a>,
    canon: &'static Canon,
    named: Option<usize>,
    codes: Vec<usize>,
    range: std::ops::Range<usize>,
) -> Option<HandList<'a>> {
    let values: Vec<&'a str> = codes
        .iter()
        .map(|&c| page.code_text(&page.codes[c]))
        .collect();
    let vocabs = canon.vocabularies;
    let mut distinct = values.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() != values.len() {
        // Repeated values: a column of outcomes, not a list of the terms.
        return None;
    }
    let score = |v: &Vocabulary| values.iter().filter(|x| v.term(x).is_some()).count();
    // Values that belong to a vocabulary: its terms, and its retired
    // spellings (`deny` in a list of decisions).
    let belongs = |v: &Vocabulary| {
        values
            .iter()
            .filter(|x| v.term(x).is_some() || lexicon::other_spelling(v, x).is_some())
            .count()
    };
    // A lead-in that names one vocabulary over a list of another's terms:
    // trust the terms.
    let named = named.filter(|&v| {
        score(&vocabs[v]) * 2 >= values.len() || !vocabs.iter().any(|o| score(o) == values.len())
    });
    if let Some(v) = named {
        return Some(HandList {
            range,
            vocabulary: &vocabs[v],
            values,
            codes,
            named: true,
            whole: false,
        });
    }
    // Each vocabulary's count once, not once per comparison.
    let counts: Vec<usize> = vocabs.iter().map(belongs).collect();
    let (best, _) = vocabs.iter().zip(&counts).max_by(|&(a, &sa), &(b, &sb)| {
        sa.cmp(&sb).then_with(|| {
            // Same count: the vocabulary the list covers most of.
            (sa * b.terms.len()).cmp(&(sb * a.terms.len()))
        })
    })?;
    let matched = belongs(best);
    (matched >= 3 && matched * 4 >= values.len() * 3).then_some(HandList {
        range,
        vocabulary: best,
        values,
        codes,
        named: false,
        whole: false,
    })
}

/// Words that may come before a vocabulary's name in a sentence that
/// announces its whole set ("The supported subscription states are").
const WHOLE_BEFORE: &[&str] = &[
    "the",
    "all",
    "every",
    "supported",
    "valid",
    "possible",
    "allowed",
    "defined",
    "canonical",
    "public",
    "cavra",
    "cavra's",
    "available",
    "known",
    "current",
];

/// Words that may come after it ("… are:", "… values are:").
const WHOLE_AFTER: &[&str] = &[
    "are",
    "is",
    "values",
    "terms",
    "the",
    "following",
    "supported",
    "defined",
    "canonical",
    "allowed",
    "possible",
    "valid",
];

/// Whether the words of a sentence before a vocabulary's name (`before`)
/// and between it and its values (`after`) announce the whole set: only
/// such words as "the", "supported" before, and "are", "values are" after.
pub fn announces_whole(name: &str, before: &str, after: &str) -> bool {
    // A plural name: "the subscription state is `a` or `b`" is a condition
    // on some states, "the subscription states are" the set.
    let name = name.trim_end().to_ascii_lowercase();
    let plural = name.ends_with("statuses") || (name.ends_with('s') && !name.ends_with("status"));
    if !plural {
        return false;
    }
    let only = |s: &str, set: &[&str]| {
        s.split(|c: char| c.is_whitespace() || c == ':')
            .filter(|w| !w.is_empty())
            .all(|w| set.iter().any(|x| x.eq_ignore_ascii_case(w)))
    };
    only(before, WHOLE_BEFORE) && only(after, WHOLE_AFTER)
}

/// Whether a list's lead-in block ends with a sentence that announces the
/// whole set of vocabulary `v` ("The subscription states are:").
fn lead_in_announces_whole(page: &Page<'_>, lex: &PageLexicon, intro: usize, v: usize) -> bool {
    let text = page.text(&page.blocks[intro]).trim_end();
    let Some(body) = text.strip_suffix(':') else {
        return false;
    };
    lex.in_block(intro).iter().any(|h| {
        h.hit == lexicon::Hit::Vocabulary(v)
            && h.end <= body.len()
            && announces_whole(
                &body[h.start..h.end],
                &body[super::boundaries::sentence_start(body, h.start)..h.start],
                &body[h.end..],
            )
    })
}
