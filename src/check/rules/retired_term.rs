//! `retired-term`: a product label CAVRA no longer uses.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::boundaries::Sentences;
use crate::check::facts::lexicon::Hit;
use crate::diagnostic::{Applicability, Fix, Level, RuleDoc, RuleMeta, RuleOut};
use crate::markdown::{Block, BlockKind};

pub static META: RuleMeta = RuleMeta {
    id: "retired-term",
    default: Level::Deny,
    doc: DOC,
};

const DOC: RuleDoc = RuleDoc {
    what: "A retired product label used in prose, such as \"Community Edition\", \"Enterprise \
Edition\", \"Trial Edition\", \"Enterprise-only\" or a \"locked feature\". A label that is quoted, \
announced as retired (\"legacy labels such as …\", \"no longer …\") or listed in the old column of \
a mapping table (a column headed \"Legacy label\", \"Old name\", …) is mentioned, not used; \
one that spells a field of a CAVRA contract (`locked_features`) among that contract's other fields \
(\"enabled features, locked features\") names the field.",
    why: "CAVRA's product paths are CAVRA Community, CAVRA Managed, CAVRA Enterprise Subscription \
and CAVRA Trial access; a capability's availability is a capability status. Old labels describe \
editions and locks that no longer exist.",
    example: "SSO is an Enterprise-only feature of the Enterprise Edition.",
    fix: "Write the replacement the hint names; for availability, name the capability status \
(`requires_commercial_entitlement`, or `requires_configuration` when a backing service is missing). \
`mdbook-cavra fix` writes the new product name for an old edition's label.",
};

pub struct RetiredTerm;

impl Rule for RetiredTerm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        // A block's sentences, the last sentence looked at, and the table
        // columns looked at: worked out once however many labels they hold.
        let mut sentences: Option<(usize, Sentences)> = None;
        let mut last = None;
        let mut columns = std::collections::HashMap::new();
        let mut fields = std::collections::HashMap::new();
        for h in &facts.lex.hits {
            if let Hit::Retired(i) = h.hit {
                let block = &facts.page.blocks[h.block];
                let text = facts.page.text(block);
                if quoted(text, h.start, h.end)
                    || {
                        let s = match &sentences {
                            Some((b, s)) if *b == h.block => s,
                            _ => &sentences.insert((h.block, Sentences::new(text))).1,
                        };
                        let (from, to) = (s.start(h.start), s.end(h.end));
                        match last {
                            Some((b, f, t, answer)) if (b, f, t) == (h.block, from, to) => answer,
                            _ => {
                                let answer = has_announcing_word(&text[from..to]);
                                last = Some((h.block, from, to, answer));
                                answer
                            }
                        }
                    }
                    || old_column(facts, block, &mut columns)
                    || names_a_field(facts, block, h.block, h.start, h.end, &mut fields)
                {
                    continue;
                }
                let start = facts.page.source_offset(block, h.start);
                let retired = &facts.canon.retired[i];
                let said = &text[h.start..h.end];
                let message = format!("retired product label \"{said}\"");
                let end = start + (h.end - h.start);
                let raw = out
                    .report(start..end, message)
                    .help(format!("write {} instead", retired.replacement));
                if let Some(fix) = replace_label(facts.page.src, start..end, said, retired) {
                    raw.fix(fix);
                }
            }
        }
    }
}

/// The fix for a retired label whose replacement is a product name
/// (`CAVRA Community`): the label, and a `CAVRA ` written before it, become
/// that name. Safe when the replacement is the name alone; a replacement
/// with a remark (`CAVRA Trial access (trial is not a separate edition)`)
/// may need the sentence reworded (unsafe). A replacement that describes
/// what to write (a capability status) is a person's choice: no fix.
fn replace_label(
    src: &str,
    range: std::ops::Range<usize>,
    said: &str,
    retired: &crate::model::RetiredTerm,
) -> Option<Fix> {
    if src.get(range.clone()) != Some(said) || !retired.replacement.starts_with("CAVRA ") {
        return None;
    }
    let (name, applicability) = match retired.replacement.split_once(" (") {
        Some((name, _)) => (name, Applicability::Unsafe),
        None => (retired.replacement, Applicability::Safe),
    };
    let start = match src[..range.start].strip_suffix("CAVRA ") {
        Some(before) => before.len(),
        None => range.start,
    };
    Some(Fix::replace(
        format!("replace \"{}\" with \"{name}\"", &src[start..range.end]),
        applicability,
        start..range.end,
        name,
    ))
}

/// "enabled features, locked features, expiration": a label that spells a
/// field of a CAVRA contract (`locked_features`), said in the same sentence,
/// list item or list as another field of that contract (or coordinated with
/// one: "enabled and locked feature summary"), names the field.
/// `seen` keeps each answer by (list or block, label said): a list of a
/// thousand labels is read once.
fn names_a_field(
    facts: &PageFacts<'_, '_>,
    block: &Block,
    b: usize,
    start: usize,
    end: usize,
    seen: &mut std::collections::HashMap<(Option<usize>, usize, String), bool>,
) -> bool {
    use crate::check::facts::boundaries::loose;
    let text = facts.page.text(block);
    let said = loose(&text[start..end]);
    let key = match block.item {
        Some((list, _)) => (Some(list), 0, said.clone()),
        None => (None, b, said.clone()),
    };
    if let Some(&answer) = seen.get(&key) {
        return answer;
    }
    let answer = field_named(facts, block, text, &said);
    seen.insert(key, answer);
    answer
}

fn field_named(facts: &PageFacts<'_, '_>, block: &Block, text: &str, said: &str) -> bool {
    use crate::check::facts::boundaries::loose;
    let contracts: Vec<&crate::canon::LabelFields> = crate::canon::LABEL_FIELDS
        .iter()
        .filter(|c| c.fields.iter().any(|f| loose(f) == said))
        .collect();
    if contracts.is_empty() {
        return false;
    }
    // The words around it: the whole list for a list item, else the block.
    let around = match block.item {
        Some((list, _)) => loose(&facts.page.src[facts.page.lists[list].range.clone()]),
        None => loose(text),
    };
    let around = format!(" {around} ");
    let own_tail = said.rsplit(' ').next().unwrap_or("");
    contracts.iter().any(|c| {
        c.fields.iter().map(|f| loose(f)).any(|f| {
            if f == said {
                return false;
            }
            if around.contains(&format!(" {f} ")) {
                return true;
            }
            // Coordinated: "enabled and locked feature" says "enabled
            // feature" by its first word.
            f.strip_suffix(own_tail)
                .map(str::trim_end)
                .filter(|head| !head.is_empty() && !head.contains(' '))
                .is_some_and(|head| around.contains(&format!(" {head} {said} ")))
        })
    })
}

/// Words that show a sentence or a column talks about a label as retired
/// rather than using it.
const ANNOUNCING: &[&str] = &[
    "legacy",
    "retired",
    "no longer",
    "formerly",
    "former",
    "old label",
    "old labels",
    "old name",
    "deprecated",
    "instead of",
    "previously",
    "renamed",
    "replaced",
];

fn has_announcing_word(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    ANNOUNCING.iter().any(|w| {
        lower.match_indices(w).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + w.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// `a "Community Edition" fork`: the label is quoted, not used.
fn quoted(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    matches!(
        (before, after),
        (Some('"'), Some('"')) | (Some('\u{201C}'), Some('\u{201D}')) | (Some('\''), Some('\''))
    )
}

/// [`in_old_column`], once per column.
fn old_column(
    facts: &PageFacts<'_, '_>,
    block: &Block,
    columns: &mut std::collections::HashMap<(usize, usize), bool>,
) -> bool {
    let BlockKind::TableCell {
        table,
        col,
        header: false,
        ..
    } = block.kind
    else {
        return false;
    };
    *columns
        .entry((table, col))
        .or_insert_with(|| in_old_column(facts, block))
}

/// `| Community Edition | CAVRA Community |` under a "Legacy label" header:
/// the old column of a mapping table.
fn in_old_column(facts: &PageFacts<'_, '_>, block: &Block) -> bool {
    let BlockKind::TableCell {
        table,
        col,
        header: false,
        ..
    } = block.kind
    else {
        return false;
    };
    facts.page.blocks.iter().any(|b| {
        matches!(b.kind, BlockKind::TableCell { table: t, col: c, header: true, .. } if t == table && c == col)
            && (has_announcing_word(facts.page.text(b)) || {
                let header = facts.page.text(b).to_ascii_lowercase();
                header.split(|c: char| !c.is_alphanumeric()).any(|w| w == "old")
            })
    })
}
