//! `state-list-drift`: a hand-written list or table of a vocabulary's terms
//! that has drifted from the canon.

use super::lexicon;
use super::{Ctx, Rule, RuleDoc};
use crate::markdown::{BlockKind, CODE_MARK};
use crate::model::Vocabulary;
use crate::suggest;

pub const DOC: RuleDoc = RuleDoc {
    what: "A hand-written list or table of a vocabulary's terms that leaves terms out or has terms \
the vocabulary does not define.",
    why: "Copied lists drift: CAVRA's own pages once listed four handoff statuses where there are \
five, and six control-plane operations where there are twelve. A reader trusts the list they see.",
    example: "Subscription states:\n\n- `trial`\n- `active`\n- `past_due`\n- `canceled`",
    fix: "Replace the list with `{{#cavra-states VOCAB}}`; the build then renders the canonical \
table and it cannot drift again.",
};

/// A hand-written enumeration of terms found on a page.
#[derive(Debug, Clone)]
pub struct HandList<'a> {
    pub range: std::ops::Range<usize>,
    pub vocabulary: &'static Vocabulary,
    pub values: Vec<&'a str>,
    /// True when a heading, lead-in or column header names the vocabulary.
    pub named: bool,
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
type Column<'a> = (Option<usize>, Vec<Option<&'a str>>);

/// Every list or table column on the page made of one code per entry.
pub fn hand_lists<'a>(ctx: &Ctx<'_, 'a>) -> Vec<HandList<'a>> {
    let page = ctx.page;
    let mut out = Vec::new();
    let first_code = |b: usize| -> Option<&'a str> {
        let block = &page.blocks[b];
        let t = page.text(block).trim_start();
        (t.starts_with(CODE_MARK) && !block.codes.is_empty())
            .then(|| page.code_text(&page.codes[block.codes.start]))
            .filter(|s| lexicon::is_term_shaped(s))
    };
    // Lists: every item led by one code. One pass groups first blocks by list.
    let mut firsts_of: Vec<Vec<usize>> = vec![Vec::new(); page.lists.len()];
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
        let values: Option<Vec<&str>> = firsts.iter().map(|&b| first_code(b)).collect();
        let Some(values) = values else { continue };
        let named = list
            .intro
            .and_then(|i| ctx.lex.vocabulary_named(i))
            .or_else(|| {
                page.blocks[firsts[0]]
                    .section
                    .and_then(|s| ctx.lex.vocabulary_named(s))
            });
        if let Some(h) = classify(ctx, named, values, list.range.clone()) {
            out.push(h);
        }
    }
    // Table columns: every body cell one code. One pass over the cells.
    let mut columns: Vec<Vec<Column<'a>>> = vec![Vec::new(); page.tables.len()];
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
                cols[col].0 = ctx.lex.vocabulary_named(i);
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
        let named_by_intro = table.intro.and_then(|i| ctx.lex.vocabulary_named(i));
        // Only the first column names the rows; a "Decision" column of a
        // table of rules holds outcomes, not an enumeration of the vocabulary.
        for (named, cells) in cols.into_iter().take(1) {
            let values: Option<Vec<&str>> = cells.into_iter().collect();
            if let Some(values) = values.filter(|v| v.len() >= 2)
                && let Some(h) =
                    classify(ctx, named.or(named_by_intro), values, table.range.clone())
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
    ctx: &Ctx<'_, 'a>,
    named: Option<usize>,
    values: Vec<&'a str>,
    range: std::ops::Range<usize>,
) -> Option<HandList<'a>> {
    let vocabs = ctx.canon.vocabularies;
    let mut distinct = values.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() != values.len() {
        // Repeated values: a column of outcomes, not a list of the terms.
        return None;
    }
    let score = |v: &Vocabulary| values.iter().filter(|x| v.term(x).is_some()).count();
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
            named: true,
        });
    }
    let best = vocabs.iter().max_by(|a, b| {
        let (sa, sb) = (score(a), score(b));
        sa.cmp(&sb).then_with(|| {
            // Same count: the vocabulary the list covers most of.
            (sa * b.terms.len()).cmp(&(sb * a.terms.len()))
        })
    })?;
    let matched = score(best);
    (matched >= 3 && matched * 4 >= values.len() * 3).then_some(HandList {
        range,
        vocabulary: best,
        values,
        named: false,
    })
}

pub fn check(ctx: &mut Ctx<'_, '_>) {
    if !ctx.wants(Rule::StateListDrift) {
        return;
    }
    let mut found = Vec::new();
    for h in hand_lists(ctx) {
        let missing = h.missing();
        let extra = h.extra();
        let covered = h.vocabulary.terms.len() - missing.len();
        let drifted =
            !extra.is_empty() || (!missing.is_empty() && covered * 2 >= h.vocabulary.terms.len());
        if !drifted {
            continue;
        }
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!(
                "omits {}",
                suggest::list_and(missing.iter().copied())
            ));
        }
        if !extra.is_empty() {
            parts.push(format!(
                "has {}, which {} not {}",
                suggest::list_and(extra.iter().copied()),
                if extra.len() == 1 { "is" } else { "are" },
                if extra.len() == 1 { "a term" } else { "terms" }
            ));
        }
        found.push((
            h.range.clone(),
            format!(
                "hand-written list of {} values {}",
                h.vocabulary.label,
                parts.join(" and ")
            ),
            format!(
                "replace it with `{{{{#cavra-states {}}}}}`",
                h.vocabulary.id
            ),
        ));
    }
    // Sentences: "the handoff status can be `planned`, `ready`, `blocked` or
    // `requires_private_service`" reads as the whole set. A nearly complete
    // enumeration (three fifths or more, all real terms) that leaves terms
    // out has drifted; a short subset is a statement about those states.
    for chain in &ctx.contexts.chains {
        let v = &ctx.canon.vocabularies[chain.vocabulary];
        let values: Vec<&str> = chain
            .codes
            .iter()
            .map(|&c| ctx.page.code_text(&ctx.page.codes[c]))
            .collect();
        if values.iter().any(|x| v.term(x).is_none()) {
            continue; // undefined-state reports those
        }
        let missing: Vec<&str> = v
            .terms
            .iter()
            .map(|t| t.name)
            .filter(|t| !values.contains(t))
            .collect();
        let covered = v.terms.len() - missing.len();
        if missing.is_empty() || covered * 5 < v.terms.len() * 3 {
            continue;
        }
        let first = &ctx.page.codes[chain.codes[0]];
        let last = &ctx.page.codes[*chain.codes.last().expect("three or more")];
        found.push((
            first.range.start..last.range.end,
            format!("this enumeration of {} values omits {}", v.label, suggest::list_and(missing.iter().copied())),
            format!("write `{{{{#cavra-states {}}}}}` for the whole set, or say that these are only some of them", v.id),
        ));
    }
    for (range, message, help) in found {
        ctx.report(Rule::StateListDrift, range, message, Some(help));
    }
}
